/* SPDX-License-Identifier: BSD-3-Clause
 * Copyright(c) 2026 The dpdk-lcoremem authors
 */

/*
 * Converted pattern, with the module's init function named on the command line
 * (--init mig_cfgs=mig_init_setup --init mig_ptrs=mig_init_setup): a typedef'd element
 * type and an array of pointers, allocated on the first call of that function.
 */

#include <stdint.h>

#include <rte_launch.h>
#include <rte_lcore.h>

#include "mig_fixtures.h"

typedef struct mig_cfg {
	uint16_t weight;
	uint16_t flags;
} __rte_cache_aligned mig_cfg_t;

static mig_cfg_t mig_cfgs[RTE_MAX_LCORE];
static void *mig_ptrs[RTE_MAX_LCORE];

static int
mig_init_setup(void)
{
	unsigned int i;

	for (i = 0; i < RTE_MAX_LCORE; i++)
		mig_cfgs[i].weight = 1;
	return 0;
}

static int
mig_init_worker(void *arg)
{
	unsigned int lcore_id = rte_lcore_id();

	mig_cfgs[lcore_id].weight += lcore_id;
	mig_ptrs[lcore_id] = arg;
	return 0;
}

void
mig_init_run(void)
{
	static int token;
	unsigned int i;
	unsigned long long weights = 0, set = 0;

	mig_init_setup();
	rte_eal_mp_remote_launch(mig_init_worker, &token, CALL_MAIN);
	rte_eal_mp_wait_lcore();
	for (i = 0; i < RTE_MAX_LCORE; i++) {
		weights += mig_cfgs[i].weight;
		set += mig_ptrs[i] == &token;
	}
	mig_print("init", "weights", weights);
	mig_print("init", "pointers set", set);
}
