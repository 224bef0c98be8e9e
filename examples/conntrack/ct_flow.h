/* SPDX-License-Identifier: BSD-3-Clause
 * Copyright(c) 2026 The dpdk-lcoremem authors
 */

#ifndef CT_FLOW_H
#define CT_FLOW_H

/*
 * The flow table of a worker lcore: a chained hash table of flow entries keyed by the
 * 5-tuple, and a timer wheel that finds the idle ones.
 *
 * Time is the capture's: the clock of a table is the timestamp of the latest packet its
 * owner has handled, so that what expires, and when, depends on the packets alone. A
 * flow is idle, and expires, once the clock is more than the idle timeout past its last
 * packet. Whoever expires a flow applies that rule:
 *  - the expirer, another worker lcore, walks the wheel slots that the owner's clock
 *    has passed (ct_table_expire()) and frees the idle flows it finds there: its frees
 *    are frees of objects that another lcore allocated;
 *  - the owner, when a packet arrives for a flow that is already idle: the old flow is
 *    expired and a new one created for the packet;
 *  - the owner, when its clock is more than CT_LAG_SLOTS slots ahead of the expirer
 *    (ct_table_expire_late(): the expirer's lcore is busy or descheduled), and when an
 *    allocation fails: it walks the due slots itself, so that what the table holds
 *    never depends on the scheduling of the other lcore for long.
 * So what expires, and when in capture time, is the same whichever lcore does it. The
 * owner and the expirer both hold the table's lock while they touch it.
 */

#include <stdalign.h>
#include <stdbool.h>
#include <stdint.h>

#include <rte_common.h>
#include <rte_spinlock.h>

#include <rte_fastmem.h>

#include "ct_alloc.h"
#include "ct_stats.h"

/* Wheel slots, and slots per idle timeout. */
#define CT_WHEEL_SLOTS 32
#define CT_WHEEL_DIV 8
/* How many slots the owner's clock may run ahead of the expirer before it expires itself. */
#define CT_LAG_SLOTS 4

/*
 * A connection's 5-tuple, in network byte order, ordered so that both directions of a
 * connection give the same key: (addr_a, port_a) is the lower endpoint.
 */
struct ct_key {
	uint32_t addr_a;
	uint32_t addr_b;
	uint16_t port_a;
	uint16_t port_b;
	uint8_t proto;
	uint8_t pad[3];
};

/* What the tracker takes from a packet. */
struct ct_pkt {
	struct ct_key key;
	uint32_t hash;
	uint32_t seq; /* TCP sequence and acknowledgement numbers, host order */
	uint32_t ack;
	uint64_t ts_us; /* capture timestamp */
	uint16_t ip_len; /* IPv4 total length */
	uint8_t tcp_flags;
	uint8_t dir; /* 0: from endpoint a, 1: from endpoint b */
};

/* A packet of a history. */
struct ct_hist_rec {
	uint32_t dt_us; /* since the flow's first packet, saturated */
	uint32_t seq;
	uint32_t ack;
	uint16_t ip_len;
	uint8_t tcp_flags;
	uint8_t dir;
};

/*
 * The history of a TCP connection: its packets from the ext_after-th on. It starts at
 * the smallest size and moves to the next size when full; the largest size, once full,
 * keeps the latest packets (as does a history that could not grow).
 */
struct ct_hist {
	uint8_t type; /* enum ct_obj of this history */
	uint8_t stuck; /* 1: could not grow, keeps the latest packets at this size */
	uint16_t cap; /* records it holds */
	uint16_t len; /* records held */
	uint16_t next; /* the oldest record, overwritten next once full at the largest size */
	uint32_t total; /* records added */
	uint32_t reserved;
	struct ct_hist_rec rec[];
};

/* A flow entry. */
struct ct_flow {
	struct ct_flow *hnext; /* hash chain */
	struct ct_flow *wnext; /* wheel list */
	struct ct_flow **wpprev; /* what points to this flow in its wheel list */
	struct ct_hist *hist; /* NULL until the flow has a history */
	struct ct_key key;
	uint64_t first_us;
	uint64_t last_us;
	uint64_t bytes;
	uint32_t packets[2]; /* per direction */
	uint32_t hash;
	uint8_t tcp_flags; /* every flag seen */
};

/*
 * A worker's table. Everything but the last two cache lines is read and written under
 * the lock only; those two are read without it by the other lcore (whether there is
 * expiry work, whether the expirer is late), each written by one lcore.
 */
struct ct_table {
	rte_spinlock_t lock;
	uint32_t mask; /* buckets - 1 */
	struct ct_flow **buckets;
	uint64_t timeout_us;
	uint64_t slot_us; /* time a wheel slot spans */
	uint64_t clock_us; /* timestamp of the latest packet the owner handled */
	uint32_t live[CT_OBJ_NUM]; /* objects held now (read by telemetry too) */
	uint32_t peak[CT_OBJ_NUM]; /* the most held at once */
	struct ct_flow *wheel[CT_WHEEL_SLOTS];
	struct ct_flow *scan; /* the flows of the slot being expired, off the wheel */
	uint32_t scanning; /* the cursor's slot is being expired (its flows are in scan) */
	uint32_t finished; /* the expirer has expired what the last clock allows */
	/* owner-written: clock_us as of the end of its last burst, and the end of input */
	alignas(RTE_CACHE_LINE_SIZE) uint64_t clock_pub;
	uint32_t owner_done;
	/* expirer-written: the next slot to expire (time / slot_us) */
	alignas(RTE_CACHE_LINE_SIZE) uint64_t cursor;
};

/* What the owner needs to create and update flows. */
struct ct_owner {
	struct ct_table *table;
	struct ct_lcore_stats *stats;
	const rte_fastmem_handle_t *handles; /* the owner's fastmem handles */
	unsigned int ext_after; /* packets before a TCP flow gets a history */
};

/* Allocate the buckets (a power of two) on @socket_id. 0 or -ENOMEM. */
int ct_table_init(struct ct_table *t, unsigned int buckets, uint64_t timeout_us,
		int socket_id);
/* Free the buckets; the table must be empty. */
void ct_table_fini(struct ct_table *t);
/* Empty state for a new run (the table holds no flow). */
void ct_table_reset(struct ct_table *t);

static inline void
ct_table_lock(struct ct_table *t)
{
	rte_spinlock_lock(&t->lock);
}

static inline void
ct_table_unlock(struct ct_table *t)
{
	rte_spinlock_unlock(&t->lock);
}

/* Owner, table locked: account a packet to its flow, creating the flow if needed. */
void ct_flow_packet(const struct ct_owner *o, const struct ct_pkt *p);

/* Owner, table locked, at the end of a burst: show its clock to the other lcore. */
static inline void
ct_table_publish(struct ct_table *t)
{
	__atomic_store_n(&t->clock_pub, t->clock_us, __ATOMIC_RELAXED);
}

/* Owner: its last packet is handled; the expirer may finish the table. Takes the lock. */
void ct_table_owner_done(struct ct_table *t);

/* Owner: whether its clock is too far ahead of the expirer. */
static inline bool
ct_table_lagging(const struct ct_table *t)
{
	uint64_t clock = __atomic_load_n(&t->clock_pub, __ATOMIC_RELAXED);
	uint64_t cursor = __atomic_load_n(&t->cursor, __ATOMIC_RELAXED);

	return clock / t->slot_us >= cursor + CT_LAG_SLOTS + 1;
}

/*
 * Owner, its expirer being late (ct_table_lagging()): expire the idle flows of every due
 * slot. Takes the table's lock. Returns the number of flows expired.
 */
uint64_t ct_table_expire_late(struct ct_table *t);

/*
 * Expirer: expire the idle flows of the slots the owner's clock has passed, examining
 * at most @budget flows; once the owner is done, every idle flow, and the table is
 * finished. Counts into @stats->expired_peer. Does nothing when the owner holds the
 * table's lock (the expirer comes back later rather than wait). Returns whether the
 * table is finished.
 */
bool ct_table_expire(struct ct_table *t, struct ct_lcore_stats *stats, unsigned int budget);

/* Free every flow left (no other lcore may touch the table); the number freed. */
uint64_t ct_table_flush(struct ct_table *t);

#endif /* CT_FLOW_H */
