/* SPDX-License-Identifier: BSD-3-Clause
 * Copyright(c) 2026 The dpdk-lcoremem authors
 */

/*
 * fastmem_telemetry_server: the server half of the telemetry test. app/test/
 * telemetry_check.py starts dpdk-test with this test and queries the process's telemetry
 * socket while the test waits; the two talk through files in the directory named by the
 * environment variable FASTMEM_TEL_DIR:
 *
 *   1. the server initializes fastmem, sets a limit, allocates a known set of objects from
 *      the main lcore, a worker lcore and a thread without an lcore id, then writes what
 *      the statistics functions return to expected.json, and waits for "go";
 *   2. the client queries every command, compares with expected.json, creates "go";
 *   3. the server frees everything, calls rte_fastmem_deinit(), writes "deinit" and waits
 *      for "done", while the client checks that every command reports "not initialized".
 *
 * Without FASTMEM_TEL_DIR there is no client, and the test is skipped. Waits end after
 * FASTMEM_TEL_TIMEOUT seconds (default 60), failing the test.
 */

#include <errno.h>
#include <inttypes.h>
#include <pthread.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>
#include <unistd.h>

#include <rte_common.h>
#include <rte_eal.h>
#include <rte_errno.h>
#include <rte_launch.h>
#include <rte_lcore.h>
#include <rte_lcore_var.h>

#include <rte_fastmem.h>
/* this project's build configuration: whether lcore variables are DPDK's (native) */
#include <rte_lcoremem_config.h>

#include "test.h"

#define MIB ((size_t)1 << 20)

/* The objects: what each thread allocates, and how many of those it frees again. Objects
 * are allocated with an alignment of 8, so that each lands in the class of its size.
 * app/test/telemetry_check.py knows these numbers too: change both together. */
struct tel_batch {
	size_t size;
	unsigned int n_alloc;
	unsigned int n_free;
};

static const struct tel_batch main_batches[] = {
	{ 64, 100, 30 },
	{ 4096, 10, 0 },
	{ 1 << 20, 2, 1 },
};
static const struct tel_batch worker_batches[] = {
	{ 256, 50, 10 },
	{ 64, 20, 0 },
};
static const struct tel_batch shared_batches[] = {
	{ 32, 7, 2 },
};

#define TEL_MAX_OBJS 256
#define TEL_LIMIT (512 * MIB)

struct tel_objs {
	void *p[TEL_MAX_OBJS];
	unsigned int n;
	int ret;
};

static struct tel_objs main_objs, worker_objs, shared_objs;

/* Allocate the batches, keeping the objects not freed; 0 or -1. */
static int
tel_run_batches(const struct tel_batch *b, unsigned int nb, struct tel_objs *o)
{
	unsigned int i, j;

	for (i = 0; i < nb; i++) {
		void *tmp[TEL_MAX_OBJS];

		if (b[i].n_alloc > RTE_DIM(tmp) || o->n + b[i].n_alloc > TEL_MAX_OBJS)
			return -1;
		for (j = 0; j < b[i].n_alloc; j++) {
			tmp[j] = rte_fastmem_alloc(b[i].size, 8, 0);
			if (tmp[j] == NULL) {
				printf("allocation of %zu B failed: %s\n", b[i].size,
					rte_strerror(rte_errno));
				return -1;
			}
		}
		for (j = 0; j < b[i].n_free; j++)
			rte_fastmem_free(tmp[j]);
		for (; j < b[i].n_alloc; j++)
			o->p[o->n++] = tmp[j];
	}
	return 0;
}

static int
tel_worker(void *arg)
{
	struct tel_objs *o = arg;

	o->ret = tel_run_batches(worker_batches, RTE_DIM(worker_batches), o);
	return 0;
}

static void *
tel_thread(void *arg)
{
	struct tel_objs *o = arg;

	o->ret = tel_run_batches(shared_batches, RTE_DIM(shared_batches), o);
	return NULL;
}

static void
tel_free_all(struct tel_objs *o)
{
	rte_fastmem_free_bulk(o->p, o->n);
	o->n = 0;
}

/* Wait for dir/name to exist; 0, or -1 after the timeout. */
static int
tel_wait_file(const char *dir, const char *name, unsigned int timeout_s)
{
	struct timespec ts = { .tv_sec = 0, .tv_nsec = 10 * 1000 * 1000 };
	char path[PATH_MAX];
	unsigned int i;

	snprintf(path, sizeof(path), "%s/%s", dir, name);
	for (i = 0; i < timeout_s * 100; i++) {
		if (access(path, F_OK) == 0)
			return 0;
		nanosleep(&ts, NULL);
	}
	printf("no %s after %u s\n", path, timeout_s);
	return -1;
}

static void
json_u64(FILE *f, const char *sep, const char *name, uint64_t v)
{
	fprintf(f, "%s\"%s\": %" PRIu64, sep, name, v);
}

/* The hit, miss and ENOMEM counters every statistics struct has, from *(s); sep first. */
#define JSON_COUNTERS(f, sep, s) do { \
	json_u64(f, sep, "alloc_cache_hits", (s)->alloc_cache_hits); \
	json_u64(f, ", ", "alloc_cache_misses", (s)->alloc_cache_misses); \
	json_u64(f, ", ", "free_cache_hits", (s)->free_cache_hits); \
	json_u64(f, ", ", "free_cache_misses", (s)->free_cache_misses); \
	json_u64(f, ", ", "alloc_nomem", (s)->alloc_nomem); \
} while (0)

static void
json_lcore_stats(FILE *f, const struct rte_fastmem_lcore_stats *s)
{
	JSON_COUNTERS(f, "", s);
	json_u64(f, ", ", "bytes_cached", s->bytes_cached);
}

/* One lcore: its totals, and its classes with any activity. */
static int
json_lcore(FILE *f, unsigned int lcore_id, const size_t *sizes, unsigned int n)
{
	struct rte_fastmem_lcore_stats ls;
	const char *sep = "";
	unsigned int c;

	if (rte_fastmem_stats_lcore(lcore_id, &ls) != 0)
		return -1;
	fprintf(f, "\"%u\": {", lcore_id);
	json_lcore_stats(f, &ls);
	fprintf(f, ", \"classes\": {");
	for (c = 0; c < n; c++) {
		struct rte_fastmem_lcore_class_stats s;

		if (rte_fastmem_stats_lcore_class(lcore_id, sizes[c], &s) != 0)
			return -1;
		if (s.alloc_cache_hits + s.alloc_cache_misses + s.free_cache_hits +
				s.free_cache_misses + s.alloc_nomem + s.cached == 0)
			continue;
		fprintf(f, "%s\"%zu\": {", sep, sizes[c]);
		JSON_COUNTERS(f, "", &s);
		json_u64(f, ", ", "cached", s.cached);
		json_u64(f, ", ", "cache_capacity", s.cache_capacity);
		fprintf(f, "}");
		sep = ", ";
	}
	fprintf(f, "}}");
	return 0;
}

/* Everything the client checks, as the public API reports it now. */
static int
json_expected(FILE *f, int socket_id, unsigned int worker)
{
	size_t sizes[RTE_FASTMEM_MAX_CLASSES];
	struct rte_fastmem_lcore_stats sh;
	struct rte_fastmem_stats s;
	unsigned int n, c, l;
	uint64_t xfer = 0;

	n = rte_fastmem_classes(sizes);
	if (rte_fastmem_stats(&s) != 0 || rte_fastmem_stats_shared(&sh) != 0)
		return -1;
	/* the bytes in the bins' transfer caches, which no process's caches hold */
	for (c = 0; c < n; c++) {
		struct rte_fastmem_class_stats cs;

		if (rte_fastmem_stats_class(sizes[c], &cs) != 0)
			return -1;
		xfer += cs.xfer_cached * sizes[c];
	}
	fprintf(f, "{\"pid\": %d, \"runtime_dir\": \"%s\", \"socket_id\": %d",
		(int)getpid(), rte_eal_get_runtime_dir(), socket_id);
	fprintf(f, ", \"main_lcore\": %u, \"worker_lcore\": %u", rte_get_main_lcore(), worker);
	json_u64(f, ", ", "max_lcore", RTE_MAX_LCORE);
	json_u64(f, ", ", "max_lcore_var", RTE_MAX_LCORE_VAR);
#ifdef RTE_LCOREMEM_NATIVE_LCORE_VAR
	fprintf(f, ", \"lcore_var_native\": true");
#else
	fprintf(f, ", \"lcore_var_native\": false");
#endif
	json_u64(f, ", ", "max_size", rte_fastmem_max_size());
	json_u64(f, ", ", "limit", rte_fastmem_get_limit(socket_id));
	json_u64(f, ", ", "default_limit", rte_fastmem_get_limit(SOCKET_ID_ANY));
	json_u64(f, ", ", "cache_budget", rte_fastmem_get_cache_budget());
	json_u64(f, ", ", "xfer_bytes", xfer);
	fprintf(f, ", \"classes\": [");
	for (c = 0; c < n; c++)
		fprintf(f, "%s%zu", c == 0 ? "" : ", ", sizes[c]);
	fprintf(f, "]");

	fprintf(f, ", \"stats\": {");
	json_u64(f, "", "bytes_backing", s.bytes_backing);
	json_u64(f, ", ", "bytes_in_use", s.bytes_in_use);
	json_u64(f, ", ", "bytes_cached", s.bytes_cached);
	json_u64(f, ", ", "alloc_total", s.alloc_total);
	json_u64(f, ", ", "free_total", s.free_total);
	json_u64(f, ", ", "alloc_nomem", s.alloc_nomem);
	json_u64(f, ", ", "n_classes", s.n_classes);
	json_u64(f, ", ", "bytes_free", s.bytes_free);
	json_u64(f, ", ", "bytes_free_pages", s.bytes_free_pages);
	json_u64(f, ", ", "bytes_overhead", s.bytes_overhead);
	fprintf(f, "}, \"no_lcore_id\": {");
	json_lcore_stats(f, &sh);
	fprintf(f, "}");

	fprintf(f, ", \"class\": {");
	for (c = 0; c < n; c++) {
		struct rte_fastmem_lcore_class_stats lcs;
		struct rte_fastmem_class_stats cs;
		uint64_t cached = 0;

		if (rte_fastmem_stats_class(sizes[c], &cs) != 0)
			return -1;
		for (l = 0; l < RTE_MAX_LCORE; l++) {
			if (rte_fastmem_stats_lcore_class(l, sizes[c], &lcs) != 0)
				return -1;
			cached += lcs.cached;
		}
		fprintf(f, "%s\"%zu\": {", c == 0 ? "" : ", ", sizes[c]);
		json_u64(f, "", "class_size", cs.class_size);
		json_u64(f, ", ", "in_use", cs.in_use);
		json_u64(f, ", ", "cached", cached);
		JSON_COUNTERS(f, ", ", &cs);
		json_u64(f, ", ", "slab_acquires", cs.slab_acquires);
		json_u64(f, ", ", "slab_releases", cs.slab_releases);
		json_u64(f, ", ", "slabs_partial", cs.slabs_partial);
		json_u64(f, ", ", "slabs_full", cs.slabs_full);
		json_u64(f, ", ", "bytes_runs", cs.bytes_runs);
		json_u64(f, ", ", "objs_runs", cs.objs_runs);
		json_u64(f, ", ", "objs_free", cs.objs_free);
		fprintf(f, "}");
	}
	fprintf(f, "}, \"lcore\": {");
	if (json_lcore(f, rte_get_main_lcore(), sizes, n) != 0)
		return -1;
	fprintf(f, ", ");
	if (json_lcore(f, worker, sizes, n) != 0)
		return -1;
	fprintf(f, "}}\n");
	return 0;
}

/* Write dir/name through a temporary file, so that the client never reads half of it. */
static int
tel_write_file(const char *dir, const char *name, int socket_id, unsigned int worker)
{
	char tmp[PATH_MAX], path[PATH_MAX];
	FILE *f;
	int ret = 0;

	snprintf(tmp, sizeof(tmp), "%s/%s.tmp", dir, name);
	snprintf(path, sizeof(path), "%s/%s", dir, name);
	f = fopen(tmp, "w");
	if (f == NULL) {
		printf("cannot write %s: %s\n", tmp, strerror(errno));
		return -1;
	}
	if (worker != RTE_MAX_LCORE)
		ret = json_expected(f, socket_id, worker);
	else
		fprintf(f, "{}\n");
	if (fclose(f) != 0 || ret != 0 || rename(tmp, path) != 0) {
		printf("cannot write %s\n", path);
		return -1;
	}
	return 0;
}

static int
test_fastmem_telemetry_server(void)
{
	const char *dir = getenv("FASTMEM_TEL_DIR");
	const char *tmo = getenv("FASTMEM_TEL_TIMEOUT");
	unsigned int timeout_s = tmo != NULL ? (unsigned int)atoi(tmo) : 60;
	int socket_id = (int)rte_socket_id();
	unsigned int worker;
	pthread_t tid;
	int ret;

	if (dir == NULL) {
		printf("run by app/test/telemetry_check.py, which sets FASTMEM_TEL_DIR\n");
		return TEST_SKIPPED;
	}
	worker = rte_get_next_lcore(-1, 1, 0);
	TEST_ASSERT(worker < RTE_MAX_LCORE, "needs a worker lcore");
	if (socket_id < 0)
		socket_id = 0;

	TEST_ASSERT_SUCCESS(rte_fastmem_init(), "rte_fastmem_init");
	ret = rte_fastmem_set_limit(socket_id, TEL_LIMIT);
	if (ret == 0)
		ret = tel_run_batches(main_batches, RTE_DIM(main_batches), &main_objs);
	if (ret == 0) {
		ret = rte_eal_remote_launch(tel_worker, &worker_objs, worker);
		if (ret == 0)
			ret = rte_eal_wait_lcore(worker) == 0 ? worker_objs.ret : -1;
	}
	if (ret == 0) {
		ret = pthread_create(&tid, NULL, tel_thread, &shared_objs);
		if (ret == 0)
			ret = pthread_join(tid, NULL) == 0 ? shared_objs.ret : -1;
	}
	if (ret == 0)
		ret = tel_write_file(dir, "expected.json", socket_id, worker);
	if (ret == 0) {
		printf("fastmem telemetry: waiting for the client in %s\n", dir);
		fflush(stdout);
		ret = tel_wait_file(dir, "go", timeout_s);
	}

	tel_free_all(&main_objs);
	tel_free_all(&worker_objs);
	tel_free_all(&shared_objs);
	rte_fastmem_deinit();
	TEST_ASSERT_SUCCESS(ret, "phase 1 (initialized) failed");

	TEST_ASSERT_SUCCESS(tel_write_file(dir, "deinit", socket_id, RTE_MAX_LCORE),
		"write deinit");
	TEST_ASSERT_SUCCESS(tel_wait_file(dir, "done", timeout_s), "phase 2 (deinit) failed");
	return TEST_SUCCESS;
}

REGISTER_TEST_COMMAND(fastmem_telemetry_server, test_fastmem_telemetry_server);
