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
#include <rte_lcore_var.h>

#include "mig_fixtures.h"

typedef struct mig_cfg {
	uint16_t weight;
	uint16_t flags;
} mig_cfg_t;

static RTE_LCORE_VAR_HANDLE(mig_cfg_t, mig_cfgs);
static RTE_LCORE_VAR_HANDLE(void *, mig_ptrs);

static int
mig_init_setup(void)
{
	mig_cfg_t *value;
	unsigned int i;

	if (mig_cfgs == NULL)
		RTE_LCORE_VAR_ALLOC_SIZE_ALIGN(mig_cfgs, sizeof(*mig_cfgs), RTE_CACHE_LINE_SIZE);
	if (mig_ptrs == NULL)
		RTE_LCORE_VAR_ALLOC(mig_ptrs);

	RTE_LCORE_VAR_FOREACH(i, value, mig_cfgs)
		value->weight = 1;
	return 0;
}

static int
mig_init_worker(void *arg)
{
	unsigned int lcore_id = rte_lcore_id();

	RTE_LCORE_VAR_LCORE(lcore_id, mig_cfgs)->weight += lcore_id;
	*RTE_LCORE_VAR_LCORE(lcore_id, mig_ptrs) = arg;
	return 0;
}

void
mig_init_run(void)
{
	void **mig_ptr;
	static int token;
	unsigned int i;
	unsigned long long weights = 0, set = 0;

	mig_init_setup();
	rte_eal_mp_remote_launch(mig_init_worker, &token, CALL_MAIN);
	rte_eal_mp_wait_lcore();
	RTE_LCORE_VAR_FOREACH(i, mig_ptr, mig_ptrs) {
		weights += RTE_LCORE_VAR_LCORE(i, mig_cfgs)->weight;
		set += *mig_ptr == &token;
	}
	mig_print("init", "weights", weights);
	mig_print("init", "pointers set", set);
}
