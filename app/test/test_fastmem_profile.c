/* SPDX-License-Identifier: BSD-3-Clause
 * Copyright(c) 2026 The dpdk-lcoremem authors
 */

/*
 * fastmem_profile: one pattern of fastmem_perf_autotest on one allocator, on the main
 * lcore, for a long time or an exact number of objects, to be profiled. It is registered as
 * a plain command: no meson suite runs it.
 *
 * Environment:
 *   FASTMEM_PROFILE_PATTERN  pairs (default), keep32, keep512, shuf512, bulk32 or mixed
 *   FASTMEM_PROFILE_ALLOC    fastmem (default), handle, mempool, rte_malloc or libc
 *   FASTMEM_PROFILE_SIZE     object size in bytes (default 64; mixed ignores it)
 *   FASTMEM_PROFILE_SECONDS  how long to run (default 10)
 *   FASTMEM_PROFILE_OBJECTS  run exactly this many objects instead (rounded up to whole
 *                            iterations of the pattern), e.g. under callgrind
 *
 * All the timed work is in one function, perf_run_<allocator>_<pattern>() (see
 * test_fastmem_perf.h), so that a profiler can be pointed at it; the test prints how many
 * objects went through it (warm-up included), the number to divide instruction counts by.
 */

#include <errno.h>
#include <inttypes.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <rte_common.h>
#include <rte_cycles.h>
#include <rte_errno.h>
#include <rte_lcore.h>
#include <rte_mempool.h>

#include <rte_fastmem.h>

#include "test.h"
#include "test_fastmem_perf.h"

#define PROFILE_WARMUP_OBJS 65536
#define PROFILE_CHUNK_MS 10

static int
profile_lookup(const char *env, const char *const *names, unsigned int n, unsigned int def)
{
	const char *v = getenv(env);
	unsigned int i;

	if (v == NULL || v[0] == '\0')
		return (int)def;
	for (i = 0; i < n; i++)
		if (strcmp(v, names[i]) == 0)
			return (int)i;
	printf("%s=%s: expected one of", env, v);
	for (i = 0; i < n; i++)
		printf(" %s", names[i]);
	printf("\n");
	return -1;
}

static uint64_t
profile_env_u64(const char *env, uint64_t def)
{
	const char *v = getenv(env);

	return v != NULL && v[0] != '\0' ? strtoull(v, NULL, 0) : def;
}

static int
test_fastmem_profile(void)
{
	static struct perf_mixed_step mixed[PERF_MIXED_STEPS];
	static uint16_t perm[PERF_MAX_KEEP];
	static void *objs[PERF_MAX_KEEP];
	int pat = profile_lookup("FASTMEM_PROFILE_PATTERN", perf_pat_names, PERF_NUM_PATS,
			PERF_PAT_PAIRS);
	int col = profile_lookup("FASTMEM_PROFILE_ALLOC", perf_col_names, PERF_NUM_COLS,
			PERF_COL_FASTMEM);
	uint64_t seconds = profile_env_u64("FASTMEM_PROFILE_SECONDS", 10);
	uint64_t want = profile_env_u64("FASTMEM_PROFILE_OBJECTS", 0);
	uint64_t per_iter, iters, chunk, done = 0, total, start, elapsed = 0;
	struct perf_ctx ctx;
	perf_run_fn *fn;
	int ret = TEST_FAILED;

	if (pat < 0 || col < 0)
		return TEST_FAILED;
	if (pat == PERF_PAT_MIXED && !perf_col_general(col)) {
		printf("fastmem_profile: mixed sizes need a general allocator, not %s\n",
			perf_col_names[col]);
		return TEST_FAILED;
	}
	memset(&ctx, 0, sizeof(ctx));
	ctx.size = profile_env_u64("FASTMEM_PROFILE_SIZE", 64);
	if (pat == PERF_PAT_MIXED)
		ctx.size = PERF_MIXED_MAX;
	if (ctx.size == 0 || ctx.size > rte_fastmem_max_size()) {
		printf("FASTMEM_PROFILE_SIZE: 1 to %zu\n", rte_fastmem_max_size());
		return TEST_FAILED;
	}
	perf_mixed_init(mixed);
	ctx.mixed = mixed;
	perf_shuffle_init(perm);
	ctx.perm = perm;
	fn = perf_run_fns[col][pat];
	per_iter = perf_pat_objs[pat];

	rte_fastmem_deinit();
	if (rte_fastmem_init() != 0) {
		printf("rte_fastmem_init() failed\n");
		return TEST_FAILED;
	}
	if (col == PERF_COL_HANDLE &&
			rte_fastmem_hlookup(ctx.size, PERF_ALIGN, SOCKET_ID_ANY, &ctx.h) != 0) {
		printf("rte_fastmem_hlookup(%zu) failed: %s\n", ctx.size, rte_strerror(rte_errno));
		goto out;
	}
	if (col == PERF_COL_MEMPOOL) {
		ctx.mp = perf_mempool_create("fmprof_mp",
				RTE_MEMPOOL_CACHE_MAX_SIZE * 3 / 2 + PERF_MAX_KEEP + 64, ctx.size);
		if (ctx.mp == NULL) {
			printf("cannot create the mempool: %s\n", rte_strerror(rte_errno));
			goto out;
		}
	}

	/* warm-up; then chunks of about PROFILE_CHUNK_MS until the time is up */
	iters = RTE_MAX(PROFILE_WARMUP_OBJS / per_iter, UINT64_C(1));
	start = rte_rdtsc_precise();
	if (fn(&ctx, objs, iters) != 0) {
		printf("%s failed in the warm-up\n", perf_col_names[col]);
		goto out;
	}
	elapsed = rte_rdtsc_precise() - start;
	total = iters * per_iter;
	elapsed = RTE_MAX(elapsed, UINT64_C(1));
	chunk = RTE_MAX(iters * (rte_get_tsc_hz() / 1000 * PROFILE_CHUNK_MS) / elapsed,
			UINT64_C(1));
	if (want > 0)
		chunk = (want + per_iter - 1) / per_iter;

	printf("fastmem_profile: %s, pattern %s, %s%zu B, on lcore %u; timed function "
		"perf_run_%s_%s\n", perf_col_names[col], perf_pat_names[pat],
		pat == PERF_PAT_MIXED ? "up to " : "", ctx.size, rte_lcore_id(),
		perf_col_names[col], perf_pat_names[pat]);
	elapsed = 0;
	do {
		start = rte_rdtsc_precise();
		if (fn(&ctx, objs, chunk) != 0) {
			printf("%s failed\n", perf_col_names[col]);
			goto out;
		}
		elapsed += rte_rdtsc_precise() - start;
		done += chunk * per_iter;
	} while (want == 0 && elapsed < seconds * rte_get_tsc_hz());
	total += done;

	printf("%" PRIu64 " objects (allocation + free) in %.2f s: %.2f TSC cycles per object\n",
		done, (double)elapsed / rte_get_tsc_hz(), (double)elapsed / done);
	printf("objects through perf_run_%s_%s, warm-up included: %" PRIu64 "\n",
		perf_col_names[col], perf_pat_names[pat], total);
	printf("instructions per object: run under\n"
		"  valgrind --tool=callgrind --toggle-collect=perf_run_%s_%s dpdk-test <EAL args>"
		" fastmem_profile\n"
		"with FASTMEM_PROFILE_OBJECTS=N, and divide the total Ir by the objects count"
		" above;\ncycles: perf record -g dpdk-test <EAL args> fastmem_profile, then"
		" perf report\n",
		perf_col_names[col], perf_pat_names[pat]);
	ret = TEST_SUCCESS;
out:
	rte_mempool_free(ctx.mp);
	rte_fastmem_deinit();
	return ret;
}

REGISTER_PERF_TEST(fastmem_profile, test_fastmem_profile);
