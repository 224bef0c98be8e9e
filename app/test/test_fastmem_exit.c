/* SPDX-License-Identifier: BSD-3-Clause
 * Copyright(c) 2026 The dpdk-lcoremem authors
 */

/*
 * fastmem_exit_autotest: a process exits while its worker lcores are inside fastmem calls
 * (allocations and frees of every kind, hitting their caches and missing them). It must
 * exit cleanly: fastmem runs nothing at exit, and the lcore variable holding its caches
 * stays mapped until the process is gone.
 */

#include <stdint.h>
#include <stdlib.h>

#include <rte_common.h>
#include <rte_launch.h>
#include <rte_lcore.h>

#include <rte_fastmem.h>

#include "test.h"
#include "test_exit.h"

#define EXIT_RUNS 10
#define EXIT_BURST 48

static int
exit_fastmem_worker(void *arg __rte_unused)
{
	uint64_t x = rte_lcore_id() * 0x9e3779b97f4a7c15ull + 1;
	void *objs[EXIT_BURST];
	rte_fastmem_handle_t h;
	unsigned int i;

	if (rte_fastmem_hlookup(256, 0, SOCKET_ID_ANY, &h) != 0)
		return -1;
	test_exit_worker_started();
	for (;;) {
		size_t size;

		x ^= x << 13;
		x ^= x >> 7;
		x ^= x << 17;
		size = 1 + (size_t)(x % 16384);
		for (i = 0; i < EXIT_BURST; i++)
			objs[i] = rte_fastmem_alloc(size >> (i % 8), 0, 0);
		rte_fastmem_free_bulk(objs, EXIT_BURST);
		if (rte_fastmem_alloc_bulk(objs, EXIT_BURST, size, 0, 0) == 0)
			for (i = 0; i < EXIT_BURST; i++)
				rte_fastmem_free(objs[i]);
		if (rte_fastmem_halloc_bulk(h, objs, EXIT_BURST, 0) == 0)
			rte_fastmem_hfree_bulk(h, objs, EXIT_BURST);
		if ((x & 0xff) == 0)
			rte_fastmem_cache_flush();
	}
	return 0;
}

static int
fastmem_exit_child(void)
{
	if (rte_fastmem_init() != 0)
		return TEST_FAILED;
	if (rte_eal_mp_remote_launch(exit_fastmem_worker, NULL, SKIP_MAIN) != 0)
		return TEST_FAILED;
	test_exit_under_workers(rte_lcore_count() - 1);
	return TEST_FAILED; /* not reached */
}

static int
test_fastmem_exit(void)
{
	return test_exit_runs("fastmem_exit_child", EXIT_RUNS);
}

REGISTER_TEST_COMMAND(fastmem_exit_child, fastmem_exit_child);
REGISTER_FAST_TEST(fastmem_exit_autotest, true, true, test_fastmem_exit);
