/* SPDX-License-Identifier: BSD-3-Clause
 * Copyright(c) 2026 The dpdk-lcoremem authors
 */

/*
 * Tests of this project's lcore variable implementation, beyond the API that
 * test_lcore_var.c tests: what it promises and DPDK's native implementation does not
 * (resident memory only for the lcore ids in use, allocation from many threads at once),
 * and the absence of an alloc_size attribute under _FORTIFY_SOURCE=3. Built only where
 * our implementation is (app/test/meson.build).
 */

#include <signal.h>
#include <stdbool.h>
#include <stdint.h>
#include <stdio.h>
#include <string.h>
#include <unistd.h>

#include <rte_common.h>
#include <rte_launch.h>
#include <rte_lcore.h>
#include <rte_lcore_var.h>

#include "test.h"
#include "test_lcore_var_impl.h"

/*
 * Resident memory: 2000 variables of 64 bytes, used by two lcore ids, cost resident
 * memory for those two lcore ids only, far less than one slice per lcore id would.
 */

#define RSS_NUM_VARS 2000
#define RSS_VAR_SIZE 64
#define RSS_LIMIT (1024 * 1024)

static void *rss_handles[RSS_NUM_VARS];

static int
test_resident_memory(void)
{
	unsigned int ids[] = { rte_get_main_lcore(), rte_get_next_lcore(-1, 1, 0) };
	long before, after;
	unsigned int i, j;

	if (ids[1] >= RTE_MAX_LCORE)
		printf("one lcore only: touching the main lcore and lcore %u\n",
			ids[1] = (ids[0] + 1) % RTE_MAX_LCORE);
	memset(rss_handles, 0, sizeof(rss_handles)); /* its pages are resident from here */
	before = test_rss_bytes();
	TEST_ASSERT(before > 0, "cannot read /proc/self/statm");

	for (i = 0; i < RSS_NUM_VARS; i++)
		rss_handles[i] = rte_lcore_var_alloc(RSS_VAR_SIZE, RTE_CACHE_LINE_SIZE);
	for (j = 0; j < RTE_DIM(ids); j++)
		for (i = 0; i < RSS_NUM_VARS; i++)
			memset(rte_lcore_var_lcore(ids[j], rss_handles[i]), (int)(i + j + 1),
				RSS_VAR_SIZE);
	after = test_rss_bytes();

	printf("%u variables of %u bytes on lcores %u and %u: resident memory grew by %ld KiB"
		" (slices of all %u lcore ids memset: %zu KiB)\n", RSS_NUM_VARS, RSS_VAR_SIZE,
		ids[0], ids[1], (after - before) / 1024, RTE_MAX_LCORE,
		(size_t)RTE_MAX_LCORE * RSS_NUM_VARS * RSS_VAR_SIZE / 1024);
	TEST_ASSERT(after - before < RSS_LIMIT, "resident memory grew by %ld bytes",
		after - before);
	/* the values hold what was written, and the other lcore ids' are still zero */
	for (i = 0; i < RSS_NUM_VARS; i++) {
		const uint8_t *v = rte_lcore_var_lcore(ids[1], rss_handles[i]);
		const uint8_t *other = rte_lcore_var_lcore(RTE_MAX_LCORE - 1, rss_handles[i]);

		if (ids[0] != RTE_MAX_LCORE - 1 && ids[1] != RTE_MAX_LCORE - 1)
			TEST_ASSERT_EQUAL(other[0], 0, "untouched value not zero");
		TEST_ASSERT(v[0] == (uint8_t)(i + 2) && v[RSS_VAR_SIZE - 1] == (uint8_t)(i + 2),
			"variable %u: value lost", i);
	}
	return TEST_SUCCESS;
}

/*
 * Allocation from every lcore at once: each allocates variables of mixed sizes and
 * alignments and writes its lcore id into its values; no two variables overlap.
 */

#define CONC_ALLOCS 400

struct conc_alloc {
	uint8_t *handle[CONC_ALLOCS];
	size_t size[CONC_ALLOCS];
};

/* what each lcore allocated: an lcore variable itself, as per-lcore state should be */
static RTE_LCORE_VAR_HANDLE(struct conc_alloc, conc_allocs);
static unsigned int conc_go;

static int
conc_alloc_worker(void *arg __rte_unused)
{
	struct conc_alloc *a = RTE_LCORE_VAR(conc_allocs);
	unsigned int i;

	while (!__atomic_load_n(&conc_go, __ATOMIC_ACQUIRE))
		;
	for (i = 0; i < CONC_ALLOCS; i++) {
		size_t align = (size_t)1 << (i % 7);

		a->size[i] = 1 + (i * 37 + rte_lcore_id()) % 300;
		a->handle[i] = rte_lcore_var_alloc(a->size[i], align);
		if ((uintptr_t)a->handle[i] % align != 0)
			return -1;
		/* the value of lcore id 1, far from anyone's lcore 0 value */
		memset(RTE_PTR_ADD(a->handle[i], RTE_MAX_LCORE_VAR), (int)rte_lcore_id() + 1,
			a->size[i]);
	}
	return 0;
}

static int
test_concurrent_alloc(void)
{
	unsigned int lcore_id, i, k;
	int ret = 0;

	if (rte_lcore_count() < 2)
		return TEST_SKIPPED;
	if (conc_allocs == NULL)
		RTE_LCORE_VAR_ALLOC(conc_allocs);
	__atomic_store_n(&conc_go, 0, __ATOMIC_RELAXED);
	rte_eal_mp_remote_launch(conc_alloc_worker, NULL, SKIP_MAIN);
	__atomic_store_n(&conc_go, 1, __ATOMIC_RELEASE);
	ret = conc_alloc_worker(NULL);
	RTE_LCORE_FOREACH_WORKER(lcore_id)
		ret |= rte_eal_wait_lcore(lcore_id);
	TEST_ASSERT_SUCCESS(ret, "a misaligned handle");
	RTE_LCORE_FOREACH(lcore_id) {
		const struct conc_alloc *a = RTE_LCORE_VAR_LCORE(lcore_id, conc_allocs);

		for (i = 0; i < CONC_ALLOCS; i++) {
			const uint8_t *v = RTE_PTR_ADD(a->handle[i], RTE_MAX_LCORE_VAR);

			for (k = 0; k < a->size[i]; k++)
				TEST_ASSERT_EQUAL(v[k], lcore_id + 1,
					"lcore %u variable %u byte %u overwritten by lcore %u",
					lcore_id, i, k, v[k] - 1u);
		}
	}
	return TEST_SUCCESS;
}

/*
 * No alloc_size attribute: under _FORTIFY_SOURCE=3, values of lcore ids >= 1 reached by
 * pointer arithmetic on the handle are written without a "buffer overflow detected" abort.
 * Run in a child, so that an abort is reported rather than taking dpdk-test down.
 */
static void
fortify_child(void *arg)
{
	int *ret = arg;

	*ret = test_lcore_var_fortified();
	if (*ret != 0)
		_exit(1);
}

static int
test_fortify(void)
{
	int level = test_lcore_var_fortify_level(), ret = 0, ended;

	if (level < 3) {
		printf("built with _FORTIFY_SOURCE=%d, not 3: nothing to check\n", level);
		return TEST_SKIPPED;
	}
	ended = test_run_in_child(fortify_child, &ret);
	TEST_ASSERT(ended != SIGABRT, "a fortified write to a value of an lcore id >= 1 aborted");
	TEST_ASSERT_EQUAL(ended, 0, "the child ended with %d", ended);
	return TEST_SUCCESS;
}

static struct unit_test_suite lcore_var_impl_testsuite = {
	.suite_name = "lcore variable implementation autotest",
	.unit_test_cases = {
		TEST_CASE(test_resident_memory),
		TEST_CASE(test_concurrent_alloc),
		TEST_CASE(test_fortify),
		TEST_CASES_END()
	},
};

static int
test_lcore_var_impl(void)
{
	return unit_test_suite_runner(&lcore_var_impl_testsuite);
}

REGISTER_FAST_TEST(lcore_var_impl_autotest, true, true, test_lcore_var_impl);
