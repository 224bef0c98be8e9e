/* SPDX-License-Identifier: BSD-3-Clause
 * Copyright(c) 2026 The dpdk-lcoremem authors
 */

/*
 * fastmem_fuzz_replay: run the fastmem fuzz target once on each input, without libFuzzer,
 * so that any compiler can build it and the corpus is replayed by `meson test`.
 *
 * Usage: fastmem_fuzz_replay [--order-check] PATH...
 * A PATH that is a folder stands for the regular files in it, in name order. Exit status
 * 0 when every input ran (a model mismatch aborts the process), 1 on a usage or I/O error.
 *
 * --order-check: run the inputs in that order, then again in the reverse order, and fail
 * (exit status 2) when an input's outcome (its digest, fz_digest) differs between the two
 * runs: each input must find fastmem in the same state, whatever ran before it.
 */

#include <dirent.h>
#include <errno.h>
#include <inttypes.h>
#include <stdbool.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>

#include <rte_eal.h>

#include <rte_fastmem.h>

#include "fastmem_fuzz.h"
/* fastmem_park_set(): the target links the static library */
#include "fastmem_priv.h"

/* The inputs run, in order, with the digest of the first run of each. */
#define MAX_INPUTS 65536

static struct {
	char *path;
	uint64_t digest;
} inputs[MAX_INPUTS];
static unsigned int n_inputs;
static bool order_check;

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
	if (order_check && n_inputs < MAX_INPUTS) {
		inputs[n_inputs].path = strdup(path);
		inputs[n_inputs].digest = fz_digest;
		n_inputs++;
	}
	(*count)++;
	return 0;
}

/* Run the inputs again, last first: each must end as it did the first time. */
static int
rerun_reversed(void)
{
	unsigned int i, count = 0, differ = 0;

	for (i = n_inputs; i > 0; i--) {
		uint64_t first = inputs[i - 1].digest;

		order_check = false;
		if (run_file(inputs[i - 1].path, &count) != 0)
			return 1;
		if (fz_digest != first) {
			printf("fastmem_fuzz_replay: %s: outcome %016" PRIx64 " after the inputs"
					" that follow it, %016" PRIx64 " after those before it\n",
					inputs[i - 1].path, fz_digest, first);
			differ++;
		}
		free(inputs[i - 1].path);
	}
	printf("fastmem_fuzz_replay: %u input(s) run in both orders, %u with another outcome\n",
			count, differ);
	return differ > 0 ? 2 : 0;
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
	int i, first = 1, ret = 0;

	if (argc > 1 && strcmp(argv[1], "--order-check") == 0) {
		order_check = true;
		first = 2;
	}
	if (argc <= first) {
		fprintf(stderr, "usage: %s [--order-check] PATH...  (files or folders of fuzz"
				" inputs)\n", argv[0]);
		return 1;
	}
	LLVMFuzzerInitialize(&argc, &argv);
	for (i = first; i < argc; i++)
		if (run_path(argv[i], &count) != 0)
			return 1;
	printf("fastmem_fuzz_replay: %u input(s) replayed, no model mismatch\n", count);
	if (order_check)
		ret = rerun_reversed();
	if (ret != 0)
		return ret;
	rte_fastmem_deinit();
	fastmem_park_set(0); /* the parked memzones back to EAL before its cleanup */
	rte_eal_cleanup();
	return 0;
}
