/* SPDX-License-Identifier: BSD-3-Clause
 * Copyright(c) 2026 The dpdk-lcoremem authors
 */

/*
 * Converted pattern: a file-scope array of cache-aligned structs, indexed by the calling
 * lcore (rte_lcore_id()), by a given lcore id, through &array[i] and &array[i].field,
 * walked by loops over every lcore id (bounded by RTE_MAX_LCORE and by RTE_DIM(), one
 * body opening with a pointer to the element); no module init function, so the tool
 * allocates it with RTE_LCORE_VAR_INIT.
 */

#include <stdint.h>

#include <rte_launch.h>
#include <rte_lcore.h>
#include <rte_lcore_var.h>

#include "mig_fixtures.h"

struct mig_stats {
	uint64_t packets;
	uint64_t bytes;
};

static RTE_LCORE_VAR_HANDLE(struct mig_stats, mig_stats);
RTE_LCORE_VAR_INIT_SIZE_ALIGN(mig_stats, sizeof(*mig_stats), RTE_CACHE_LINE_SIZE);

static void
mig_stats_count(uint64_t len)
{
	RTE_LCORE_VAR(mig_stats)->packets++;
	RTE_LCORE_VAR(mig_stats)->bytes += len;
}

static uint64_t *
mig_stats_bytes_of(unsigned int lcore_id)
{
	return &RTE_LCORE_VAR_LCORE(lcore_id, mig_stats)->bytes;
}

static struct mig_stats *
mig_stats_of(unsigned int lcore_id)
{
	return RTE_LCORE_VAR_LCORE(lcore_id, mig_stats);
}

static uint64_t
mig_stats_total_packets(void)
{
	struct mig_stats *s;
	uint64_t sum = 0;
	unsigned int i;

	RTE_LCORE_VAR_FOREACH(i, s, mig_stats)
		sum += s->packets;
	return sum;
}

static void
mig_stats_reset(void)
{
	struct mig_stats *s;
	unsigned int lcore_id;

	RTE_LCORE_VAR_FOREACH(lcore_id, s, mig_stats) {
		s->packets = 0;
		s->bytes = 0;
	}
}

static int
mig_static_worker(void *arg)
{
	unsigned int n, lcore_id = rte_lcore_id();

	RTE_SET_USED(arg);
	for (n = 0; n <= lcore_id; n++)
		mig_stats_count(100 + lcore_id);
	return 0;
}

void
mig_static_run(void)
{
	unsigned int lcore_id;

	mig_stats_reset();
	rte_eal_mp_remote_launch(mig_static_worker, NULL, CALL_MAIN);
	rte_eal_mp_wait_lcore();
	RTE_LCORE_FOREACH(lcore_id) {
		mig_print("static", "bytes", *mig_stats_bytes_of(lcore_id));
		mig_print("static", "packets", mig_stats_of(lcore_id)->packets);
	}
	mig_print("static", "total packets", mig_stats_total_packets());
	mig_stats_reset();
	mig_print("static", "total after reset", mig_stats_total_packets());
}
