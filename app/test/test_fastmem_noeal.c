/* SPDX-License-Identifier: BSD-3-Clause
 * Copyright(c) 2026 The dpdk-lcoremem authors
 */

/*
 * fastmem_noeal_autotest: fastmem called before rte_eal_init(). The test runs dpdk-test
 * again with FASTMEM_TEST_BEFORE_EAL set in the environment; there a constructor of this
 * file makes the calls, before main() initialises EAL, and records what they returned, and
 * the child's fastmem_noeal_child checks the record: rte_fastmem_init() fails with
 * E_RTE_NO_CONFIG (with a log line saying why), every other call fails as when fastmem is
 * not initialized (ENODEV) or does nothing, and none crashes or leaves anything behind
 * for the rte_fastmem_init() that follows EAL's.
 */

#include <errno.h>
#include <inttypes.h>
#include <stdbool.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include <rte_common.h>
#include <rte_errno.h>
#include <rte_lcore.h>
#include <rte_memory.h>

#include <rte_fastmem.h>

#include "test.h"
#include "test_fastmem.h"

/* Set in the environment of the child: its constructor calls fastmem before EAL. */
#define BEFORE_EAL_ENV "FASTMEM_TEST_BEFORE_EAL"

/* What the calls before EAL returned: value and rte_errno. */
static struct {
	bool ran;
	unsigned int lcores;
	int init, init_errno;
	void *alloc;
	int alloc_errno;
	int bulk, bulk_errno;
	int reserve, reserve_errno;
	int limit, limit_errno;
	int trim, trim_errno;
	int stats, stats_errno;
	int hlookup, hlookup_errno;
	rte_iova_t iova;
	int iova_errno;
	void *realloc;
	int realloc_errno;
} before_eal;

RTE_INIT(fastmem_before_eal)
{
	struct rte_fastmem_stats st;
	rte_fastmem_handle_t h;
	void *objs[4];
	char c;

	if (getenv(BEFORE_EAL_ENV) == NULL)
		return;
	before_eal.lcores = rte_lcore_count();
	rte_errno = 0;
	before_eal.init = rte_fastmem_init();
	before_eal.init_errno = rte_errno;
	rte_errno = 0;
	before_eal.alloc = rte_fastmem_alloc(64, 0, 0);
	before_eal.alloc_errno = rte_errno;
	rte_errno = 0;
	before_eal.bulk = rte_fastmem_alloc_bulk(objs, 4, 64, 0, 0);
	before_eal.bulk_errno = rte_errno;
	rte_errno = 0;
	before_eal.reserve = rte_fastmem_reserve(RTE_FASTMEM_SLAB_SIZE, SOCKET_ID_ANY);
	before_eal.reserve_errno = rte_errno;
	rte_errno = 0;
	before_eal.limit = rte_fastmem_set_limit(SOCKET_ID_ANY, RTE_FASTMEM_SLAB_SIZE);
	before_eal.limit_errno = rte_errno;
	rte_errno = 0;
	before_eal.trim = rte_fastmem_trim(SOCKET_ID_ANY, NULL);
	before_eal.trim_errno = rte_errno;
	rte_errno = 0;
	before_eal.stats = rte_fastmem_stats(&st);
	before_eal.stats_errno = rte_errno;
	rte_errno = 0;
	before_eal.hlookup = rte_fastmem_hlookup(64, 0, SOCKET_ID_ANY, &h);
	before_eal.hlookup_errno = rte_errno;
	rte_errno = 0;
	before_eal.iova = rte_fastmem_virt2iova(&c);
	before_eal.iova_errno = rte_errno;
	rte_errno = 0;
	before_eal.realloc = rte_fastmem_realloc(&c, 64, 0);
	before_eal.realloc_errno = rte_errno;
	/* the ones that return nothing: they must not crash */
	rte_fastmem_free(&c);
	rte_fastmem_free_bulk(objs, 0);
	rte_fastmem_cache_flush();
	rte_fastmem_stats_reset();
	rte_fastmem_deinit();
	before_eal.ran = true;
}

static int
fastmem_noeal_child(void)
{
	TEST_ASSERT(before_eal.ran, "the constructor did not run");
	TEST_ASSERT_EQUAL(before_eal.lcores, 0, "EAL counted %u lcores before rte_eal_init()",
		before_eal.lcores);
	TEST_ASSERT_EQUAL(before_eal.init, -E_RTE_NO_CONFIG, "rte_fastmem_init() = %d",
		before_eal.init);
	TEST_ASSERT_EQUAL(before_eal.init_errno, E_RTE_NO_CONFIG, "init: rte_errno %d",
		before_eal.init_errno);
	TEST_ASSERT(before_eal.alloc == NULL && before_eal.alloc_errno == ENODEV,
		"alloc: %p, rte_errno %d", before_eal.alloc, before_eal.alloc_errno);
	TEST_ASSERT(before_eal.bulk == -ENODEV && before_eal.bulk_errno == ENODEV,
		"alloc_bulk: %d, rte_errno %d", before_eal.bulk, before_eal.bulk_errno);
	TEST_ASSERT(before_eal.reserve == -ENODEV && before_eal.reserve_errno == ENODEV,
		"reserve: %d, rte_errno %d", before_eal.reserve, before_eal.reserve_errno);
	TEST_ASSERT(before_eal.limit == -ENODEV && before_eal.limit_errno == ENODEV,
		"set_limit: %d, rte_errno %d", before_eal.limit, before_eal.limit_errno);
	TEST_ASSERT(before_eal.trim == -ENODEV && before_eal.trim_errno == ENODEV,
		"trim: %d, rte_errno %d", before_eal.trim, before_eal.trim_errno);
	TEST_ASSERT(before_eal.stats == -ENODEV && before_eal.stats_errno == ENODEV,
		"stats: %d, rte_errno %d", before_eal.stats, before_eal.stats_errno);
	TEST_ASSERT(before_eal.hlookup == -ENODEV && before_eal.hlookup_errno == ENODEV,
		"hlookup: %d, rte_errno %d", before_eal.hlookup, before_eal.hlookup_errno);
	TEST_ASSERT(before_eal.iova == RTE_BAD_IOVA && before_eal.iova_errno == ENODEV,
		"virt2iova: %#" PRIx64 ", rte_errno %d", (uint64_t)before_eal.iova,
		before_eal.iova_errno);
	TEST_ASSERT(before_eal.realloc == NULL && before_eal.realloc_errno == ENODEV,
		"realloc: %p, rte_errno %d", before_eal.realloc, before_eal.realloc_errno);
	/* and the failed attempt left nothing in the way of the real init */
	TEST_ASSERT_SUCCESS(test_fm_setup(), "rte_fastmem_init() after rte_eal_init()");
	test_fm_teardown();
	return TEST_SUCCESS;
}

static int
test_fastmem_noeal(void)
{
	char name[32], prefix[64], out[4096];
	char *argv[] = { (char *)(uintptr_t)"dpdk-test", (char *)(uintptr_t)"--no-pci",
		(char *)(uintptr_t)"--no-huge", (char *)(uintptr_t)"-m", (char *)(uintptr_t)"128",
		(char *)(uintptr_t)"--no-shconf", (char *)(uintptr_t)"--no-telemetry",
		(char *)(uintptr_t)"-l", (char *)(uintptr_t)"0", prefix,
		(char *)(uintptr_t)"fastmem_noeal_child", NULL };
	int ret;

	snprintf(name, sizeof(name), "noeal-%d", (int)getpid());
	snprintf(prefix, sizeof(prefix), "--file-prefix=%s", name);
	setenv(BEFORE_EAL_ENV, "1", 1);
	ret = test_run_self(argv, out, sizeof(out));
	unsetenv(BEFORE_EAL_ENV);
	test_remove_runtime_dir(name);
	printf("%s", out);
	TEST_ASSERT_EQUAL(ret, 0, "the child ended with %d", ret);
	TEST_ASSERT_NOT_NULL(strstr(out, "before rte_eal_init()"),
		"no log line says that EAL is not initialized");
	return TEST_SUCCESS;
}

REGISTER_TEST_COMMAND(fastmem_noeal_child, fastmem_noeal_child);
REGISTER_FAST_TEST(fastmem_noeal_autotest, true, true, test_fastmem_noeal);
