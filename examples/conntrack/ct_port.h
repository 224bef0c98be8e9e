/* SPDX-License-Identifier: BSD-3-Clause
 * Copyright(c) 2026 The dpdk-lcoremem authors
 */

#ifndef CT_PORT_H
#define CT_PORT_H

/* The port the workers receive from, and the packets' timestamps. */

#include <stdbool.h>
#include <stdint.h>

#include <rte_mbuf.h>
#include <rte_mbuf_dyn.h>

/* Where the receive timestamp of a packet is (net_pcap: the capture's, in us). */
extern int ct_ts_offset;
extern uint64_t ct_ts_flag;
/* TSC cycles per microsecond, for packets that have no timestamp. */
extern uint64_t ct_tsc_per_us;

/*
 * Set up @port_id with one receive queue per worker, receiving into @mbufs, and start
 * it. @input_ends: set to whether an empty receive means the end of the input (net_pcap
 * reading capture files). 0, or -1 with a message printed.
 */
int ct_port_init(uint16_t port_id, unsigned int n_queues, struct rte_mempool *mbufs,
		bool *input_ends);

/* Stop and start the port again: net_pcap reopens its capture files. 0 or -1. */
int ct_port_restart(uint16_t port_id);

/* Stop and close the port. */
void ct_port_fini(uint16_t port_id);

/* The packets a receive queue has delivered, as the port counts them (-1: unknown). */
int64_t ct_port_queue_packets(uint16_t port_id, uint16_t queue_id);

/* The packet's timestamp in microseconds: the port's, or else the TSC's. */
static inline uint64_t
ct_pkt_timestamp(const struct rte_mbuf *m)
{
	if (ct_ts_offset >= 0 && (m->ol_flags & ct_ts_flag) != 0)
		return *RTE_MBUF_DYNFIELD(m, ct_ts_offset, const rte_mbuf_timestamp_t *);
	return rte_rdtsc() / ct_tsc_per_us;
}

#endif /* CT_PORT_H */
