/* SPDX-License-Identifier: BSD-3-Clause
 * Copyright(c) 2026 The dpdk-lcoremem authors
 */

/*
 * conntrack: a connection tracker on fastmem and lcore variables.
 *
 * Every worker lcore receives from its own queue of one port, tracks the connections
 * it sees in its own flow table (flow entries, and packet histories for TCP, allocated
 * as they are needed) and expires the idle flows of the next worker's table, so that
 * objects are freed on another lcore than the one that allocated them. The counters
 * are lcore variables. The main lcore prints a line a second and answers telemetry.
 *
 * The input is run through each allocator asked for (--allocator), fastmem and one
 * rte_mempool per object type, and a summary table compares them.
 */

#include <inttypes.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <rte_common.h>
#include <rte_cycles.h>
#include <rte_eal.h>
#include <rte_ethdev.h>
#include <rte_launch.h>
#include <rte_lcore.h>
#include <rte_mbuf.h>

#include "ct_alloc.h"
#include "ct_config.h"
#include "ct_port.h"
#include "ct_report.h"
#include "ct_stats.h"
#include "ct_worker.h"

#define CT_MBUF_CACHE 256
#define CT_SAMPLE_US 10000 /* memory is sampled every 10 ms during a run */

static void
on_signal(int sig)
{
	if (sig == SIGINT || sig == SIGTERM)
		ct_quit = 1;
}

/* Sample the memory held; publish it for telemetry; keep the peak. */
static void
sample(struct ct_snapshot *snap)
{
	ct_alloc_memory(&snap->mem);
	if (snap->mem.held >= snap->peak.held)
		snap->peak = snap->mem;
	ct_snapshot_set(snap);
}

static void
print_progress(const struct ct_snapshot *snap, double seconds, uint64_t *last_packets,
		double *last_seconds)
{
	uint64_t live[CT_OBJ_NUM], peak[CT_OBJ_NUM];
	struct ct_lcore_stats s;
	double dt = seconds - *last_seconds;

	ct_stats_sum(&s);
	ct_workers_objects(peak, live);
	printf("conntrack [%s] %5.1f s: %" PRIu64 " packets (%.2f Mpps), flows live %"
			PRIu64 ", created %" PRIu64 ", expired %" PRIu64 "; memory held %.2f MiB\n",
			ct_alloc_name(snap->allocator), seconds, s.packets,
			dt > 0 ? (double)(s.packets - *last_packets) / dt / 1e6 : 0,
			live[CT_OBJ_FLOW], s.created, ct_stats_expired(&s),
			(double)snap->mem.held / (1 << 20));
	fflush(stdout);
	*last_packets = s.packets;
	*last_seconds = seconds;
}

/* Collect the figures of a finished run. */
static void
collect(struct ct_run_result *r, const struct ct_config *cfg, const struct ct_snapshot *snap)
{
	struct rte_eth_stats es;
	unsigned int lcore_id, l = 0;

	r->tsc_hz = rte_get_tsc_hz();
	ct_stats_sum(&r->total);
	r->seconds = (double)(r->total.tsc_end - r->total.tsc_start) / (double)r->tsc_hz;
	ct_workers_objects(r->peak_objs, NULL);
	r->peak = snap->peak;
	RTE_LCORE_FOREACH_WORKER(lcore_id) {
		struct ct_lcore_result *lr = &r->lcores[l++];
		const struct ct_worker *w = RTE_LCORE_VAR_LCORE(lcore_id, ct_workers);

		lr->lcore_id = lcore_id;
		ct_stats_read(lcore_id, &lr->stats);
		lr->seconds = (double)(lr->stats.tsc_end - lr->stats.tsc_start) /
				(double)r->tsc_hz;
		lr->port_packets = ct_port_queue_packets(cfg->port_id, w->queue_id);
	}
	r->port_nombuf = rte_eth_stats_get(cfg->port_id, &es) == 0 ? es.rx_nombuf : 0;
}

/* Run the input through one allocator. 0, or -1 (printed). */
static int
run_one(const struct ct_config *cfg, unsigned int index, struct ct_run_result *r)
{
	struct ct_snapshot snap = { .allocator = r->allocator, .run = index + 1 };
	uint64_t hz = rte_get_timer_hz(), start, next, last_packets = 0;
	double last_seconds = 0;

	if (ct_alloc_setup(r->allocator, &r->pool_objs, ct_worker_count() + 1,
			cfg->fastmem_limit) < 0)
		return -1;
	if (ct_workers_reset() < 0) {
		ct_alloc_teardown();
		return -1;
	}
	snap.running = true;
	sample(&snap);
	start = rte_get_timer_cycles();
	next = start + hz;
	rte_eal_mp_remote_launch(ct_worker_main, NULL, SKIP_MAIN);
	while (ct_workers_running()) {
		rte_delay_us_sleep(CT_SAMPLE_US);
		sample(&snap);
		if (rte_get_timer_cycles() >= next) {
			print_progress(&snap, (double)(rte_get_timer_cycles() - start) / hz,
					&last_packets, &last_seconds);
			next += hz;
		}
	}
	rte_eal_mp_wait_lcore();
	snap.running = false;
	sample(&snap);
	collect(r, cfg, &snap);
	/* what is still live is freed here, by the main lcore */
	r->flows_left = ct_workers_flush();
	ct_alloc_teardown();
	ct_report_run(r);
	return 0;
}

/* Run every allocator of --allocator over the input; the number of runs done. */
static int
run_all(const struct ct_config *cfg, struct ct_run_result *runs)
{
	const struct ct_run_result *fastmem = NULL;
	unsigned int i;

	for (i = 0; i < cfg->n_runs && !ct_quit; i++) {
		struct ct_run_result *r = &runs[i];

		if (i > 0 && ct_port_restart(cfg->port_id) < 0)
			return -1;
		r->allocator = cfg->runs[i];
		r->n_lcores = ct_worker_count();
		r->lcores = calloc(r->n_lcores, sizeof(r->lcores[0]));
		if (r->lcores == NULL) {
			printf("conntrack: error: out of memory\n");
			return -1;
		}
		/* the mempools hold what the fastmem run needed at peak, or what was given */
		if (cfg->pool_objs_set)
			r->pool_objs = cfg->pool_objs;
		else if (fastmem != NULL)
			memcpy(r->pool_objs.objs, fastmem->peak_objs, sizeof(r->pool_objs.objs));
		if (run_one(cfg, i, r) < 0)
			return -1;
		if (r->allocator == CT_ALLOC_FASTMEM)
			fastmem = r;
	}
	return (int)i;
}

/* After the runs: answer telemetry until a signal comes. */
static void
hold(void)
{
	printf("conntrack: holding, telemetry is answered until SIGINT or SIGTERM\n");
	fflush(stdout);
	while (!ct_quit)
		rte_delay_us_sleep(50000);
}

static int
report(const struct ct_config *cfg, const struct ct_run_result *runs, unsigned int n)
{
	int ret = 0;

	ct_report_summary(cfg, runs, n);
	if (cfg->json_path != NULL && ct_report_json(cfg->json_path, cfg, runs, n) < 0)
		ret = -1;
	if (cfg->csv_path != NULL && ct_report_csv(cfg->csv_path, runs, n) < 0)
		ret = -1;
	fflush(stdout);
	return ret;
}

int
main(int argc, char **argv)
{
	struct ct_run_result runs[CT_ALLOC_NUM];
	struct rte_mempool *mbufs = NULL;
	struct ct_config cfg;
	bool input_ends = false, port_up = false, workers_up = false;
	unsigned int i, n_mbufs;
	int ret, n_runs = 0, status = EXIT_FAILURE;

	memset(runs, 0, sizeof(runs));
	ret = rte_eal_init(argc, argv);
	if (ret < 0) {
		printf("conntrack: error: EAL initialization failed\n");
		return EXIT_FAILURE;
	}
	ret = ct_parse_args(argc - ret, argv + ret, &cfg);
	if (ret != 0) {
		status = ret > 0 ? EXIT_SUCCESS : EXIT_FAILURE;
		goto out;
	}
	if (ct_worker_count() < 2) {
		printf("conntrack: error: %u worker lcores: at least two are needed, one to "
				"expire the other's flows (e.g. -l 0-2: the main lcore and two "
				"workers)\n", ct_worker_count());
		goto out;
	}
	signal(SIGINT, on_signal);
	signal(SIGTERM, on_signal);

	n_mbufs = (ct_worker_count() + 1) * 1024 - 1;
	mbufs = rte_pktmbuf_pool_create("ct_mbufs", n_mbufs, CT_MBUF_CACHE, 0,
			RTE_MBUF_DEFAULT_BUF_SIZE, (int)rte_socket_id());
	if (mbufs == NULL) {
		printf("conntrack: error: cannot create the pool of %u mbufs\n", n_mbufs);
		goto out;
	}
	if (ct_port_init(cfg.port_id, ct_worker_count(), mbufs, &input_ends) < 0)
		goto out;
	port_up = true;
	if (ct_workers_init(&cfg, input_ends) < 0)
		goto out;
	workers_up = true;
	if (ct_telemetry_register() < 0)
		goto out;

	n_runs = run_all(&cfg, runs);
	if (n_runs < 0)
		goto out;
	/* a signal ends the runs early, as it ends a run on a port that never stops */
	if (report(&cfg, runs, (unsigned int)n_runs) == 0 &&
			((unsigned int)n_runs == cfg.n_runs || ct_quit))
		status = EXIT_SUCCESS;
	if (cfg.hold)
		hold();
out:
	for (i = 0; i < RTE_DIM(runs); i++)
		free(runs[i].lcores);
	if (workers_up)
		ct_workers_fini();
	if (port_up)
		ct_port_fini(cfg.port_id);
	rte_mempool_free(mbufs);
	rte_eal_cleanup();
	return status;
}
