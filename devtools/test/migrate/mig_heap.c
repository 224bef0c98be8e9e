/* SPDX-License-Identifier: BSD-3-Clause
 * Copyright(c) 2026 The dpdk-lcoremem authors
 */

/*
 * Converted pattern: a pointer to an array of RTE_MAX_LCORE elements allocated, zeroed,
 * when the module is initialised and freed when it is finalised, as rte_service.c keeps
 * its lcore states. The tool allocates the lcore variable where the allocation was, drops
 * the frees, and zeroes the values when the module is initialised again.
 */

#include <errno.h>
#include <stdint.h>

#include <rte_launch.h>
#include <rte_lcore.h>
#include <rte_malloc.h>

#include "mig_fixtures.h"

struct mig_slot {
	uint64_t calls;
	uint32_t last;
} __rte_cache_aligned;

static struct mig_slot *mig_slots;

static int
mig_heap_init(void)
{
	mig_slots = rte_zmalloc("mig_slots", sizeof(struct mig_slot) * RTE_MAX_LCORE,
			RTE_CACHE_LINE_SIZE);
	if (mig_slots == NULL)
		return -ENOMEM;
	return 0;
}

static void
mig_heap_fini(void)
{
	rte_free(mig_slots);
	mig_slots = NULL;
}

static int
mig_heap_worker(void *arg)
{
	struct mig_slot *slot = &mig_slots[rte_lcore_id()];

	RTE_SET_USED(arg);
	slot->calls += 2;
	slot->last = rte_lcore_id();
	return 0;
}

static unsigned long long
mig_heap_sum(void)
{
	unsigned long long sum = 0;
	unsigned int i;

	for (i = 0; i < RTE_MAX_LCORE; i++)
		sum += mig_slots[i].calls + mig_slots[i].last;
	return sum;
}

void
mig_heap_run(void)
{
	if (mig_heap_init() < 0)
		return;
	rte_eal_mp_remote_launch(mig_heap_worker, NULL, CALL_MAIN);
	rte_eal_mp_wait_lcore();
	mig_print("heap", "sum", mig_heap_sum());
	mig_heap_fini();
	if (mig_heap_init() < 0)
		return;
	mig_print("heap", "sum after a new init", mig_heap_sum());
	mig_heap_fini();
}
