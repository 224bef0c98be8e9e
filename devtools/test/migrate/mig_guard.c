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

#include "mig_fixtures.h"

struct mig_limit {
	uint32_t max;
	uint32_t used;
	RTE_CACHE_GUARD;
} __rte_cache_aligned;

struct mig_limit mig_limits[RTE_MAX_LCORE];

static unsigned int mig_hits[RTE_MAX_LCORE];
static unsigned int mig_misses[RTE_MAX_LCORE];

static void
mig_guard_defaults(void)
{
	unsigned int i;

	for (i = 0; i < RTE_MAX_LCORE; i++) {
		mig_limits[i].max = 3 + i % 4;
		mig_limits[i].used = 0;
	}
}

RTE_INIT(mig_guard_init)
{
	mig_guard_defaults();
}

static int
mig_guard_take(unsigned int id)
{
	if (mig_limits[id].used >= mig_limits[id].max) {
		mig_misses[id]++;
		return -1;
	}
	mig_limits[id].used++;
	mig_hits[id]++;
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
	unsigned int i;
	unsigned long long hits = 0, misses = 0;

	rte_eal_mp_remote_launch(mig_guard_worker, NULL, CALL_MAIN);
	rte_eal_mp_wait_lcore();
	for (i = 0; i < RTE_MAX_LCORE; i++) {
		hits += mig_hits[i];
		misses += mig_misses[i];
	}
	mig_print("guard", "hits", hits);
	mig_print("guard", "misses", misses);
	mig_print("guard", "limit of lcore 5", mig_limits[5].max);
}
