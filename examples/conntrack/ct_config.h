/* SPDX-License-Identifier: BSD-3-Clause
 * Copyright(c) 2026 The dpdk-lcoremem authors
 */

#ifndef CT_CONFIG_H
#define CT_CONFIG_H

/* The application's options (what follows "--" on the command line). */

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "ct_alloc.h"

/* Defaults; ct_pcapgen.py's defaults agree with them. */
#define CT_DEFAULT_TIMEOUT_MS 2000
#define CT_DEFAULT_EXT_AFTER 2
#define CT_DEFAULT_BUCKETS 65536
#define CT_MAX_TIMEOUT_MS 86400000u /* a day */
#define CT_MAX_BUCKETS (1u << 24)
#define CT_MAX_FASTMEM_LIMIT_MB (1u << 20) /* a TiB */

struct ct_config {
	uint16_t port_id;
	uint64_t timeout_us; /* idle timeout, in capture time */
	unsigned int ext_after; /* packets before a TCP flow gets a history */
	unsigned int buckets; /* hash buckets per worker, a power of two */
	/* the runs, in order: the allocators to run the input through */
	enum ct_allocator runs[CT_ALLOC_NUM];
	unsigned int n_runs;
	size_t fastmem_limit; /* fastmem's backing memory limit per socket; SIZE_MAX: none */
	bool pool_objs_set; /* --pool-objs given: the mempools' sizes */
	struct ct_sizing pool_objs;
	const char *json_path; /* write the results there as JSON */
	const char *csv_path; /* append the figures there, for devtools/perf_chart.py */
	bool hold; /* after the runs, answer telemetry until SIGINT or SIGTERM */
};

/*
 * Parse the application's arguments into @cfg (defaults first). 0 on success, 1 when
 * help was asked for (printed), -1 on error (printed, with the usage).
 */
int ct_parse_args(int argc, char **argv, struct ct_config *cfg);

#endif /* CT_CONFIG_H */
