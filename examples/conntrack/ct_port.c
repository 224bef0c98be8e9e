/* SPDX-License-Identifier: BSD-3-Clause
 * Copyright(c) 2026 The dpdk-lcoremem authors
 */

/*
 * Port setup: one receive queue per worker, no transmit queue.
 *
 * With net_pcap reading capture files (rx_pcap=FILE, one per queue), each queue returns
 * its file's packets in order, with the capture's timestamps, and then nothing: an empty
 * receive is the end of that queue's input. Stopping and starting the port rewinds the
 * files, which lets the application run the same input through each allocator.
 */

#include <inttypes.h>
#include <stdio.h>
#include <string.h>

#include <rte_cycles.h>
#include <rte_dev.h>
#include <rte_devargs.h>
#include <rte_errno.h>
#include <rte_ethdev.h>

#include "ct_port.h"

#define CT_RX_DESC 1024

int ct_ts_offset = -1;
uint64_t ct_ts_flag;
uint64_t ct_tsc_per_us = 1;

/* Whether the port reads capture files (net_pcap with rx_pcap= and no infinite_rx). */
static bool
reads_files(const struct rte_eth_dev_info *info)
{
	const struct rte_devargs *da = rte_dev_devargs(info->device);

	if (strcmp(info->driver_name, "net_pcap") != 0 || da == NULL || da->args == NULL)
		return false;
	return strstr(da->args, "rx_pcap=") != NULL && strstr(da->args, "infinite_rx=1") == NULL;
}

static void
timestamps_init(void)
{
	ct_tsc_per_us = RTE_MAX(rte_get_tsc_hz() / 1000000, (uint64_t)1);
	/* registered by net_pcap when it probes; registering again returns the same */
	if (rte_mbuf_dyn_rx_timestamp_register(&ct_ts_offset, &ct_ts_flag) != 0)
		ct_ts_offset = -1;
}

int
ct_port_init(uint16_t port_id, unsigned int n_queues, struct rte_mempool *mbufs,
		bool *input_ends)
{
	struct rte_eth_conf conf;
	struct rte_eth_dev_info info;
	uint8_t rss_key[64];
	uint16_t nb_rxd = CT_RX_DESC, nb_txd = 0, q;
	int ret, socket;

	if (!rte_eth_dev_is_valid_port(port_id)) {
		printf("conntrack: error: no port %u: give one, e.g. --vdev=net_pcap0,"
				"rx_pcap=q0.pcap,rx_pcap=q1.pcap (one capture file per worker)\n",
				port_id);
		return -1;
	}
	ret = rte_eth_dev_info_get(port_id, &info);
	if (ret != 0) {
		printf("conntrack: error: port %u: no device information: %s\n", port_id,
				rte_strerror(-ret));
		goto fail;
	}
	*input_ends = reads_files(&info);
	if (*input_ends && info.max_rx_queues != n_queues) {
		printf("conntrack: error: port %u reads %u capture files for %u workers: give "
				"one rx_pcap= per worker lcore\n", port_id, info.max_rx_queues,
				n_queues);
		goto fail;
	}
	if (info.max_rx_queues < n_queues) {
		printf("conntrack: error: port %u has %u receive queues for %u workers\n",
				port_id, info.max_rx_queues, n_queues);
		goto fail;
	}
	memset(&conf, 0, sizeof(conf));
	if (info.rx_offload_capa & RTE_ETH_RX_OFFLOAD_TIMESTAMP)
		conf.rxmode.offloads |= RTE_ETH_RX_OFFLOAD_TIMESTAMP;
	if (n_queues > 1 && info.flow_type_rss_offloads != 0) {
		/* a NIC spreads connections over the queues; the per-lcore tables need both
		 * directions of a connection on one queue, which a key repeating the same
		 * 16 bits gives (the Toeplitz hash is then symmetric) */
		conf.rxmode.mq_mode = RTE_ETH_MQ_RX_RSS;
		conf.rx_adv_conf.rss_conf.rss_hf = info.flow_type_rss_offloads &
				(RTE_ETH_RSS_IP | RTE_ETH_RSS_TCP | RTE_ETH_RSS_UDP);
		if (info.hash_key_size > 0 && info.hash_key_size <= sizeof(rss_key)) {
			for (q = 0; q < info.hash_key_size; q++)
				rss_key[q] = (q & 1) ? 0x5a : 0x6d;
			conf.rx_adv_conf.rss_conf.rss_key = rss_key;
			conf.rx_adv_conf.rss_conf.rss_key_len = info.hash_key_size;
		}
	}
	ret = rte_eth_dev_configure(port_id, (uint16_t)n_queues, 0, &conf);
	if (ret == 0)
		ret = rte_eth_dev_adjust_nb_rx_tx_desc(port_id, &nb_rxd, &nb_txd);
	if (ret != 0) {
		printf("conntrack: error: port %u: configure: %s\n", port_id, rte_strerror(-ret));
		goto fail;
	}
	socket = rte_eth_dev_socket_id(port_id);
	for (q = 0; q < n_queues; q++) {
		ret = rte_eth_rx_queue_setup(port_id, q, nb_rxd, socket, NULL, mbufs);
		if (ret != 0) {
			printf("conntrack: error: port %u: receive queue %u: %s\n", port_id, q,
					rte_strerror(-ret));
			goto fail;
		}
	}
	ret = rte_eth_dev_start(port_id);
	if (ret != 0) {
		printf("conntrack: error: port %u: start: %s\n", port_id, rte_strerror(-ret));
		goto fail;
	}
	timestamps_init();
	printf("conntrack: port %u (%s): %u receive queues%s\n", port_id, info.driver_name,
			n_queues, *input_ends ? ", capture files: the run ends with them" : "");
	return 0;
fail:
	rte_eth_dev_close(port_id);
	return -1;
}

int
ct_port_restart(uint16_t port_id)
{
	int ret = rte_eth_dev_stop(port_id);

	if (ret == 0)
		ret = rte_eth_dev_start(port_id);
	if (ret == 0)
		ret = rte_eth_stats_reset(port_id);
	if (ret != 0)
		printf("conntrack: error: port %u: restart: %s\n", port_id, rte_strerror(-ret));
	return ret == 0 ? 0 : -1;
}

void
ct_port_fini(uint16_t port_id)
{
	rte_eth_dev_stop(port_id);
	rte_eth_dev_close(port_id);
}

int64_t
ct_port_queue_packets(uint16_t port_id, uint16_t queue_id)
{
	char name[RTE_ETH_XSTATS_NAME_SIZE];
	uint64_t id, value;

	/* an extended statistic: DPDK 25.11 took the per-queue counters out of
	 * struct rte_eth_stats, and ethdev names them the same way in every release */
	snprintf(name, sizeof(name), "rx_q%u_packets", queue_id);
	if (rte_eth_xstats_get_id_by_name(port_id, name, &id) != 0 ||
			rte_eth_xstats_get_by_id(port_id, &id, &value, 1) != 1)
		return -1;
	return (int64_t)value;
}
