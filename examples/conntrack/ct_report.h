/* SPDX-License-Identifier: BSD-3-Clause
 * Copyright(c) 2026 The dpdk-lcoremem authors
 */

#ifndef CT_REPORT_H
#define CT_REPORT_H

/* The results of the runs: the summary table, JSON and CSV. */

#include <stdint.h>

#include "ct_alloc.h"
#include "ct_config.h"
#include "ct_stats.h"

/* One worker's figures in a run. */
struct ct_lcore_result {
	unsigned int lcore_id;
	struct ct_lcore_stats stats;
	int64_t port_packets; /* what the port says the worker's queue delivered */
	double seconds; /* from the first receive to the end of the input */
};

/* One run of the input through one allocator. */
struct ct_run_result {
	enum ct_allocator allocator;
	struct ct_lcore_stats total;
	struct ct_lcore_result *lcores; /* one per worker */
	unsigned int n_lcores;
	uint64_t flows_left; /* flows still live at the end, freed by the main lcore */
	uint64_t peak_objs[CT_OBJ_NUM]; /* sum of the tables' per-type peaks */
	struct ct_memory peak; /* the sample with the most memory held */
	struct ct_sizing pool_objs; /* mempool run: the peaks the pools were sized for */
	uint64_t port_nombuf; /* receives that found no mbuf (input lost) */
	double seconds; /* first receive to last end of input, over all workers */
	uint64_t tsc_hz;
};

/* Packets per second of one worker. */
double ct_lcore_pps(const struct ct_lcore_result *r);

/* Print the line of one finished run. */
void ct_report_run(const struct ct_run_result *r);

/* Print the summary table: the runs side by side. */
void ct_report_summary(const struct ct_config *cfg, const struct ct_run_result *runs,
		unsigned int n);

/* Write the runs as JSON to @path. 0, or -1 (printed). */
int ct_report_json(const char *path, const struct ct_config *cfg,
		const struct ct_run_result *runs, unsigned int n);

/* Append the figures to the CSV of devtools/perf_chart.py at @path. 0, or -1. */
int ct_report_csv(const char *path, const struct ct_run_result *runs, unsigned int n);

#endif /* CT_REPORT_H */
