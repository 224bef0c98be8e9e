/* SPDX-License-Identifier: BSD-3-Clause
 * Copyright(c) 2026 The dpdk-lcoremem authors
 */

/*
 * fastmem_fuzz_replay: run the fastmem fuzz target once on each input, without libFuzzer,
 * so that any compiler can build it and the corpus is replayed by `meson test`.
 *
 * Usage: fastmem_fuzz_replay PATH...
 * A PATH that is a folder stands for the regular files in it, in name order. Exit status
 * 0 when every input ran (a model mismatch aborts the process), 1 on a usage or I/O error.
 */

#include <dirent.h>
#include <errno.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>

#include <rte_eal.h>

#include <rte_fastmem.h>

#include "fastmem_fuzz.h"

static int
run_file(const char *path, unsigned int *count)
{
	uint8_t *buf;
	FILE *f;
	long len;
	size_t got;

	f = fopen(path, "rb");
	if (f == NULL || fseek(f, 0, SEEK_END) != 0 || (len = ftell(f)) < 0 ||
			fseek(f, 0, SEEK_SET) != 0) {
		fprintf(stderr, "fastmem_fuzz_replay: cannot read %s: %s\n", path,
				strerror(errno));
		if (f != NULL)
			fclose(f);
		return -1;
	}
	buf = malloc(len > 0 ? (size_t)len : 1);
	if (buf == NULL) {
		fclose(f);
		return -1;
	}
	got = fread(buf, 1, (size_t)len, f);
	fclose(f);
	if (got != (size_t)len) {
		fprintf(stderr, "fastmem_fuzz_replay: short read on %s\n", path);
		free(buf);
		return -1;
	}
	printf("input %s (%zu B)\n", path, got);
	fflush(stdout);
	LLVMFuzzerTestOneInput(buf, got);
	free(buf);
	(*count)++;
	return 0;
}

static int
run_path(const char *path, unsigned int *count)
{
	struct dirent **names;
	struct stat st;
	char full[4096];
	int n, i, ret = 0;

	if (stat(path, &st) != 0) {
		fprintf(stderr, "fastmem_fuzz_replay: %s: %s\n", path, strerror(errno));
		return -1;
	}
	if (!S_ISDIR(st.st_mode))
		return run_file(path, count);
	n = scandir(path, &names, NULL, alphasort);
	if (n < 0) {
		fprintf(stderr, "fastmem_fuzz_replay: %s: %s\n", path, strerror(errno));
		return -1;
	}
	for (i = 0; i < n; i++) {
		if (ret == 0 && names[i]->d_name[0] != '.') {
			snprintf(full, sizeof(full), "%s/%s", path, names[i]->d_name);
			if (stat(full, &st) == 0 && S_ISREG(st.st_mode))
				ret = run_file(full, count);
		}
		free(names[i]);
	}
	free(names);
	return ret;
}

int
main(int argc, char **argv)
{
	unsigned int count = 0;
	int i;

	if (argc < 2) {
		fprintf(stderr, "usage: %s PATH...  (files or folders of fuzz inputs)\n",
				argv[0]);
		return 1;
	}
	LLVMFuzzerInitialize(&argc, &argv);
	for (i = 1; i < argc; i++)
		if (run_path(argv[i], &count) != 0)
			return 1;
	printf("fastmem_fuzz_replay: %u input(s) replayed, no model mismatch\n", count);
	rte_fastmem_deinit();
	rte_eal_cleanup();
	return 0;
}
