/* SPDX-License-Identifier: BSD-3-Clause
 * Copyright(c) 2026 The dpdk-lcoremem authors
 */

/*
 * The worker loop: receive a burst, take each packet's 5-tuple, account it to its flow
 * in the lcore's own table; between bursts, expire the idle flows of the next worker's
 * table. A worker whose clock runs too far ahead of its table's expirer (that lcore is
 * busy, or descheduled) expires its own due flows, which keeps the flows held close to
 * what the capture alone decides, whatever the scheduling of the lcores.
 */

#include <netinet/in.h>
#include <stdio.h>
#include <string.h>

#include <rte_byteorder.h>
#include <rte_cycles.h>
#include <rte_ethdev.h>
#include <rte_ether.h>
#include <rte_hash_crc.h>
#include <rte_ip.h>
#include <rte_lcore.h>
#include <rte_mbuf.h>
#include <rte_tcp.h>
#include <rte_udp.h>

#include "ct_port.h"
#include "ct_worker.h"

#define CT_BURST 32
/* Flows the expirer examines per step: bounds how long it holds its peer's lock. */
#define CT_EXPIRE_BUDGET 64

RTE_LCORE_VAR_HANDLE(struct ct_worker, ct_workers);
RTE_LCORE_VAR_HANDLE(struct ct_lcore_stats, ct_stats);
RTE_LCORE_VAR_INIT(ct_workers);
RTE_LCORE_VAR_INIT(ct_stats);

volatile int ct_quit;

/* Results of parsing a packet. */
enum ct_parse {
	CT_PARSE_OK,
	CT_PARSE_NOT_IPV4,
	CT_PARSE_BAD_IPV4,
};

unsigned int
ct_worker_count(void)
{
	return rte_lcore_count() - 1;
}

int
ct_workers_init(const struct ct_config *cfg, bool input_ends)
{
	unsigned int lcore_id, index = 0;
	struct ct_worker *w;

	RTE_LCORE_FOREACH_WORKER(lcore_id) {
		w = RTE_LCORE_VAR_LCORE(lcore_id, ct_workers);
		w->index = index;
		w->queue_id = (uint16_t)index++;
		w->port_id = cfg->port_id;
		w->input_ends = input_ends;
		w->ext_after = cfg->ext_after;
		w->peer_lcore = rte_get_next_lcore(lcore_id, 1, 1);
		if (ct_table_init(&w->table, cfg->buckets, cfg->timeout_us,
				(int)rte_lcore_to_socket_id(lcore_id)) < 0) {
			printf("conntrack: error: no memory for the %u hash buckets of lcore %u\n",
					cfg->buckets, lcore_id);
			ct_workers_fini();
			return -1;
		}
	}
	return 0;
}

void
ct_workers_fini(void)
{
	unsigned int lcore_id;

	RTE_LCORE_FOREACH_WORKER(lcore_id)
		ct_table_fini(&RTE_LCORE_VAR_LCORE(lcore_id, ct_workers)->table);
}

int
ct_workers_reset(void)
{
	unsigned int lcore_id;
	struct ct_worker *w;

	RTE_LCORE_FOREACH_WORKER(lcore_id) {
		w = RTE_LCORE_VAR_LCORE(lcore_id, ct_workers);
		ct_table_reset(&w->table);
		memset(RTE_LCORE_VAR_LCORE(lcore_id, ct_stats), 0, sizeof(struct ct_lcore_stats));
		if (ct_alloc_kind == CT_ALLOC_FASTMEM &&
				ct_alloc_handles((int)rte_lcore_to_socket_id(lcore_id),
					w->handles) < 0)
			return -1;
		w->running = 1;
	}
	return 0;
}

bool
ct_workers_running(void)
{
	unsigned int lcore_id;

	RTE_LCORE_FOREACH_WORKER(lcore_id)
		if (__atomic_load_n(&RTE_LCORE_VAR_LCORE(lcore_id, ct_workers)->running,
				__ATOMIC_ACQUIRE))
			return true;
	return false;
}

uint64_t
ct_workers_flush(void)
{
	unsigned int lcore_id;
	uint64_t n = 0;

	RTE_LCORE_FOREACH_WORKER(lcore_id)
		n += ct_table_flush(&RTE_LCORE_VAR_LCORE(lcore_id, ct_workers)->table);
	return n;
}

void
ct_workers_objects(uint64_t peak[CT_OBJ_NUM], uint64_t live[CT_OBJ_NUM])
{
	unsigned int lcore_id, t;

	memset(peak, 0, CT_OBJ_NUM * sizeof(peak[0]));
	if (live != NULL)
		memset(live, 0, CT_OBJ_NUM * sizeof(live[0]));
	RTE_LCORE_FOREACH_WORKER(lcore_id) {
		const struct ct_table *tb = &RTE_LCORE_VAR_LCORE(lcore_id, ct_workers)->table;

		for (t = 0; t < CT_OBJ_NUM; t++) {
			peak[t] += __atomic_load_n(&tb->peak[t], __ATOMIC_RELAXED);
			if (live != NULL)
				live[t] += __atomic_load_n(&tb->live[t], __ATOMIC_RELAXED);
		}
	}
}

/* Order the endpoints of a connection (host order) so that both directions match. */
static inline void
set_key(struct ct_pkt *p, uint32_t src, uint32_t dst, uint16_t sport, uint16_t dport,
		uint8_t proto)
{
	uint64_t a = ((uint64_t)rte_be_to_cpu_32(src) << 16) | rte_be_to_cpu_16(sport);
	uint64_t b = ((uint64_t)rte_be_to_cpu_32(dst) << 16) | rte_be_to_cpu_16(dport);

	memset(&p->key, 0, sizeof(p->key));
	p->key.proto = proto;
	p->dir = a > b;
	if (p->dir) {
		p->key.addr_a = dst;
		p->key.addr_b = src;
		p->key.port_a = dport;
		p->key.port_b = sport;
	} else {
		p->key.addr_a = src;
		p->key.addr_b = dst;
		p->key.port_a = sport;
		p->key.port_b = dport;
	}
	p->hash = rte_hash_crc(&p->key, sizeof(p->key), 0);
}

/* Take what the tracker needs from a packet (its first segment). */
static enum ct_parse
parse(const struct rte_mbuf *m, struct ct_pkt *p)
{
	const uint8_t *data = rte_pktmbuf_mtod(m, const uint8_t *);
	uint32_t len = rte_pktmbuf_data_len(m), ihl, l4_len;
	const struct rte_ether_hdr *eth = (const struct rte_ether_hdr *)data;
	const struct rte_ipv4_hdr *ip;
	uint16_t sport = 0, dport = 0;

	if (len < sizeof(*eth) || eth->ether_type != rte_cpu_to_be_16(RTE_ETHER_TYPE_IPV4))
		return CT_PARSE_NOT_IPV4;
	ip = (const struct rte_ipv4_hdr *)(eth + 1);
	len -= sizeof(*eth);
	if (len < sizeof(*ip) || (ip->version_ihl >> 4) != 4)
		return CT_PARSE_BAD_IPV4;
	ihl = (ip->version_ihl & RTE_IPV4_HDR_IHL_MASK) * RTE_IPV4_IHL_MULTIPLIER;
	p->ip_len = rte_be_to_cpu_16(ip->total_length);
	/* a fragment past the first has no ports: it cannot be told apart */
	if (ihl < sizeof(*ip) || len < ihl || p->ip_len < ihl ||
			(rte_be_to_cpu_16(ip->fragment_offset) & RTE_IPV4_HDR_OFFSET_MASK) != 0)
		return CT_PARSE_BAD_IPV4;
	l4_len = len - ihl;
	p->seq = 0;
	p->ack = 0;
	p->tcp_flags = 0;
	if (ip->next_proto_id == IPPROTO_TCP) {
		const struct rte_tcp_hdr *tcp = (const struct rte_tcp_hdr *)(data +
				sizeof(*eth) + ihl);

		if (l4_len < sizeof(*tcp))
			return CT_PARSE_BAD_IPV4;
		sport = tcp->src_port;
		dport = tcp->dst_port;
		p->seq = rte_be_to_cpu_32(tcp->sent_seq);
		p->ack = rte_be_to_cpu_32(tcp->recv_ack);
		p->tcp_flags = tcp->tcp_flags;
	} else if (ip->next_proto_id == IPPROTO_UDP) {
		const struct rte_udp_hdr *udp = (const struct rte_udp_hdr *)(data +
				sizeof(*eth) + ihl);

		if (l4_len < sizeof(*udp))
			return CT_PARSE_BAD_IPV4;
		sport = udp->src_port;
		dport = udp->dst_port;
	}
	set_key(p, ip->src_addr, ip->dst_addr, sport, dport, ip->next_proto_id);
	p->ts_us = ct_pkt_timestamp(m);
	return CT_PARSE_OK;
}

static void
handle_burst(const struct ct_owner *o, struct rte_mbuf **pkts, uint16_t n)
{
	uint64_t start = rte_rdtsc(), bytes = 0, not_ipv4 = 0, bad_ipv4 = 0;
	struct ct_pkt p;
	uint16_t i;

	ct_table_lock(o->table);
	for (i = 0; i < n; i++) {
		if (i + 1 < n)
			rte_prefetch0(rte_pktmbuf_mtod(pkts[i + 1], void *));
		switch (parse(pkts[i], &p)) {
		case CT_PARSE_OK:
			bytes += p.ip_len;
			ct_flow_packet(o, &p);
			break;
		case CT_PARSE_NOT_IPV4:
			not_ipv4++;
			break;
		default:
			bad_ipv4++;
			break;
		}
	}
	ct_table_publish(o->table);
	ct_table_unlock(o->table);
	rte_pktmbuf_free_bulk(pkts, n);
	CT_STAT_ADD(o->stats, packets, n);
	CT_STAT_ADD(o->stats, ip_bytes, bytes);
	CT_STAT_ADD(o->stats, not_ipv4, not_ipv4);
	CT_STAT_ADD(o->stats, bad_ipv4, bad_ipv4);
	CT_STAT_ADD(o->stats, proc_cycles, rte_rdtsc() - start);
}

/* Whether the table has slots due for expiry, or is waiting for its last sweep. */
static inline bool
expiry_due(const struct ct_table *t)
{
	return __atomic_load_n(&t->clock_pub, __ATOMIC_RELAXED) / t->slot_us >
			__atomic_load_n(&t->cursor, __ATOMIC_RELAXED) ||
		__atomic_load_n(&t->owner_done, __ATOMIC_ACQUIRE) != 0;
}

int
ct_worker_main(void *arg __rte_unused)
{
	struct ct_worker *w = RTE_LCORE_VAR(ct_workers);
	struct ct_lcore_stats *st = RTE_LCORE_VAR(ct_stats);
	struct ct_table *peer = &RTE_LCORE_VAR_LCORE(w->peer_lcore, ct_workers)->table;
	const struct ct_owner o = {
		.table = &w->table,
		.stats = st,
		.handles = w->handles,
		.ext_after = w->ext_after,
	};
	struct rte_mbuf *pkts[CT_BURST];
	bool input = true, peer_finished = false;
	uint64_t t0;
	uint16_t n;

	CT_STAT_SET(st, tsc_start, rte_rdtsc());
	while (input || !peer_finished) {
		if (input && ct_table_lagging(&w->table)) {
			/* the expirer of our table is behind: do its work for now */
			t0 = rte_rdtsc();
			CT_STAT_ADD(st, expired_late, ct_table_expire_late(&w->table));
			CT_STAT_ADD(st, late_sweeps, 1);
			CT_STAT_ADD(st, expire_cycles, rte_rdtsc() - t0);
		}
		if (input) {
			t0 = rte_rdtsc();
			n = ct_quit ? 0 : rte_eth_rx_burst(w->port_id, w->queue_id, pkts, CT_BURST);
			CT_STAT_ADD(st, rx_cycles, rte_rdtsc() - t0);
			if (n > 0) {
				handle_burst(&o, pkts, n);
			} else if (w->input_ends || ct_quit) {
				input = false;
				CT_STAT_SET(st, tsc_end, rte_rdtsc());
				ct_table_owner_done(&w->table);
			}
		}
		if (!peer_finished && expiry_due(peer)) {
			t0 = rte_rdtsc();
			peer_finished = ct_table_expire(peer, st, CT_EXPIRE_BUDGET);
			CT_STAT_ADD(st, expire_cycles, rte_rdtsc() - t0);
		}
	}
	__atomic_store_n(&w->running, 0, __ATOMIC_RELEASE);
	return 0;
}
