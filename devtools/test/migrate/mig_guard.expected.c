/* SPDX-License-Identifier: BSD-3-Clause
 * Copyright(c) 2026 The dpdk-lcoremem authors
 */

/*
 * Converted pattern: a global array whose element carries a cache guard and a padding
 * member, and two arrays of scalars walked by one loop; a constructor initialises them
 * through a helper, so the tool allocates them at the start of that constructor.
 */

#include <stdint.h>

#include <rte_launch.h>
#include <rte_lcore.h>
#include <rte_lcore_var.h>

#include "mig_fixtures.h"

struct mig_limit {
	uint32_t max;
	uint32_t used;
};

RTE_LCORE_VAR_HANDLE(struct mig_limit, mig_limits);

static RTE_LCORE_VAR_HANDLE(unsigned int, mig_hits);
RTE_LCORE_VAR_INIT(mig_hits);
static RTE_LCORE_VAR_HANDLE(unsigned int, mig_misses);
RTE_LCORE_VAR_INIT(mig_misses);

static void
mig_guard_defaults(void)
{
	struct mig_limit *limit;
	unsigned int i;

	RTE_LCORE_VAR_FOREACH(i, limit, mig_limits) {
		limit->max = 3 + i % 4;
		limit->used = 0;
	}
}

RTE_INIT(mig_guard_init)
{
	RTE_LCORE_VAR_ALLOC_SIZE_ALIGN(mig_limits, sizeof(*mig_limits), RTE_CACHE_LINE_SIZE);

	mig_guard_defaults();
}

static int
mig_guard_take(unsigned int id)
{
	if (RTE_LCORE_VAR_LCORE(id, mig_limits)->used >= RTE_LCORE_VAR_LCORE(id, mig_limits)->max) {
		(*RTE_LCORE_VAR_LCORE(id, mig_misses))++;
		return -1;
	}
	RTE_LCORE_VAR_LCORE(id, mig_limits)->used++;
	(*RTE_LCORE_VAR_LCORE(id, mig_hits))++;
	return 0;
}

static int
mig_guard_worker(void *arg)
{
	unsigned int n;

	RTE_SET_USED(arg);
	for (n = 0; n < 6; n++)
		mig_guard_take(rte_lcore_id());
	return 0;
}

void
mig_guard_run(void)
{
	unsigned int *mig_miss;
	unsigned int i;
	unsigned long long hits = 0, misses = 0;

	rte_eal_mp_remote_launch(mig_guard_worker, NULL, CALL_MAIN);
	rte_eal_mp_wait_lcore();
	RTE_LCORE_VAR_FOREACH(i, mig_miss, mig_misses) {
		hits += *RTE_LCORE_VAR_LCORE(i, mig_hits);
		misses += *mig_miss;
	}
	mig_print("guard", "hits", hits);
	mig_print("guard", "misses", misses);
	mig_print("guard", "limit of lcore 5", RTE_LCORE_VAR_LCORE(5, mig_limits)->max);
}
