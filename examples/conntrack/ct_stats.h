/* SPDX-License-Identifier: BSD-3-Clause
 * Copyright(c) 2026 The dpdk-lcoremem authors
 */

#ifndef CT_STATS_H
#define CT_STATS_H

/*
 * The counters of a worker lcore, kept in an lcore variable (ct_stats, ct_worker.c).
 *
 * Only the owning lcore writes its counters, with a relaxed load and a relaxed store
 * (CT_STAT_ADD: no atomic read-modify-write on the data path); the main lcore and the
 * telemetry thread read them with relaxed loads (ct_stats_read()).
 */

#include <stdbool.h>
#include <stdint.h>

#include "ct_alloc.h"

struct ct_lcore_stats {
	uint64_t packets; /* packets received */
	uint64_t ip_bytes; /* IPv4 total length of the tracked packets, summed */
	uint64_t not_ipv4; /* packets that are not IPv4 (ARP, IPv6, ...) */
	uint64_t bad_ipv4; /* IPv4 packets too short, with a bad header, or fragments */
	uint64_t created; /* flows created on this lcore (it owns their table) */
	/* flows of this lcore's table found idle by one of its own packets */
	uint64_t expired_inline;
	/* flows this lcore expired from the table it watches (another lcore's) */
	uint64_t expired_peer;
	/* flows this lcore expired from its own table, its expirer being late */
	uint64_t expired_late;
	/* flows this lcore expired from its own table because an allocation failed */
	uint64_t expired_forced;
	uint64_t hist[CT_HIST_SIZES]; /* histories that reached each size */
	uint64_t alloc_failures; /* allocations that failed even after expiring */
	uint64_t late_sweeps; /* times the lcore found its table's expirer late */
	uint64_t rx_cycles; /* TSC cycles spent in rte_eth_rx_burst() */
	uint64_t proc_cycles; /* TSC cycles spent handling received packets */
	uint64_t expire_cycles; /* TSC cycles spent expiring flows, of both tables */
	uint64_t tsc_start; /* TSC at the first receive of the run */
	uint64_t tsc_end; /* TSC when the input ended */
};

/* Number of uint64_t counters in struct ct_lcore_stats. */
#define CT_STATS_WORDS (sizeof(struct ct_lcore_stats) / sizeof(uint64_t))

/* Add to one of the calling lcore's counters. */
#define CT_STAT_ADD(s, field, n) \
	__atomic_store_n(&(s)->field, __atomic_load_n(&(s)->field, __ATOMIC_RELAXED) + (n), \
			__ATOMIC_RELAXED)

/* Set one of the calling lcore's counters. */
#define CT_STAT_SET(s, field, v) __atomic_store_n(&(s)->field, (v), __ATOMIC_RELAXED)

/* Read an lcore's counters (any thread). */
void ct_stats_read(unsigned int lcore_id, struct ct_lcore_stats *out);

/* The sum of every worker's counters (tsc_start: the earliest; tsc_end: the latest). */
void ct_stats_sum(struct ct_lcore_stats *out);

/* Flows expired, by whichever lcore. */
static inline uint64_t
ct_stats_expired(const struct ct_lcore_stats *s)
{
	return s->expired_inline + s->expired_peer + s->expired_late + s->expired_forced;
}

/*
 * What the main lcore tells telemetry about the current run (the counters are read from
 * the lcore variables directly): updated with every line it prints.
 */
struct ct_snapshot {
	enum ct_allocator allocator;
	unsigned int run; /* 1 for the first run; 0 before it */
	bool running; /* the workers are running */
	struct ct_memory mem; /* memory held at the last sample */
	struct ct_memory peak; /* the most held at a sample so far */
};

/* Publish the state of the run for telemetry. */
void ct_snapshot_set(const struct ct_snapshot *s);

/* Register the /conntrack telemetry commands. 0, or a negative errno (printed). */
int ct_telemetry_register(void);

#endif /* CT_STATS_H */
