/* SPDX-License-Identifier: BSD-3-Clause
 * Copyright(c) 2026 The dpdk-lcoremem authors
 */

/* Command line options of the application (after EAL's, behind "--"). */

#include <errno.h>
#include <getopt.h>
#include <inttypes.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <rte_common.h>

#include "ct_config.h"

static void
usage(const char *prog)
{
	printf("Usage: %s [EAL options] -- [options]\n"
		"  --allocator=LIST  fastmem, mempool, or both in the order to run them\n"
		"                    (default fastmem); a mempool run takes its sizes from\n"
		"                    --pool-objs, or else from the fastmem run before it\n"
		"  --timeout=MS      idle timeout in milliseconds of capture time (default %u)\n"
		"  --ext-after=N     packets of a TCP flow before it gets a history (default %u)\n"
		"  --buckets=N       hash buckets per worker, a power of two (default %u)\n"
		"  --pool-objs=F,S,M,L  objects at peak of each type (flow, hist256, hist1k,\n"
		"                    hist4k) for the mempools\n"
		"  --fastmem-limit=MIB  the most backing memory fastmem may take per socket\n"
		"                    (rte_fastmem_set_limit(); default: no limit)\n"
		"  --port=N          the port to receive from (default 0)\n"
		"  --json=FILE       write the results to FILE as JSON\n"
		"  --csv=FILE        append the figures to FILE (devtools/perf_chart.py's CSV)\n"
		"  --hold            after the input ends, keep answering telemetry until\n"
		"                    SIGINT or SIGTERM\n"
		"  -h, --help        this text\n",
		prog, CT_DEFAULT_TIMEOUT_MS, CT_DEFAULT_EXT_AFTER, CT_DEFAULT_BUCKETS);
}

/* A whole decimal number in [min, max]; -1 when it is not one. */
static int
parse_u64(const char *s, uint64_t min, uint64_t max, uint64_t *out)
{
	char *end;
	unsigned long long v;

	if (s == NULL || *s < '0' || *s > '9')
		return -1;
	errno = 0;
	v = strtoull(s, &end, 10);
	if (errno != 0 || *end != '\0' || v < min || v > max)
		return -1;
	*out = v;
	return 0;
}

static int
parse_allocators(const char *s, struct ct_config *cfg)
{
	char buf[64], *tok, *save = NULL;
	unsigned int i;

	if (strlen(s) >= sizeof(buf))
		return -1;
	strcpy(buf, s);
	cfg->n_runs = 0;
	for (tok = strtok_r(buf, ",", &save); tok != NULL; tok = strtok_r(NULL, ",", &save)) {
		enum ct_allocator kind;

		if (strcmp(tok, "fastmem") == 0)
			kind = CT_ALLOC_FASTMEM;
		else if (strcmp(tok, "mempool") == 0)
			kind = CT_ALLOC_MEMPOOL;
		else
			return -1;
		for (i = 0; i < cfg->n_runs; i++)
			if (cfg->runs[i] == kind)
				return -1; /* each allocator runs once */
		cfg->runs[cfg->n_runs++] = kind;
	}
	return cfg->n_runs == 0 ? -1 : 0;
}

static int
parse_pool_objs(const char *s, struct ct_sizing *sizing)
{
	char buf[128], *tok, *save = NULL;
	unsigned int n = 0;

	if (strlen(s) >= sizeof(buf))
		return -1;
	strcpy(buf, s);
	for (tok = strtok_r(buf, ",", &save); tok != NULL; tok = strtok_r(NULL, ",", &save)) {
		if (n == CT_OBJ_NUM || parse_u64(tok, 0, UINT32_MAX, &sizing->objs[n]) < 0)
			return -1;
		n++;
	}
	return n == CT_OBJ_NUM ? 0 : -1;
}

enum {
	OPT_ALLOCATOR = 256,
	OPT_TIMEOUT,
	OPT_EXT_AFTER,
	OPT_BUCKETS,
	OPT_POOL_OBJS,
	OPT_FASTMEM_LIMIT,
	OPT_PORT,
	OPT_JSON,
	OPT_CSV,
	OPT_HOLD,
};

static const struct option long_opts[] = {
	{ "allocator", required_argument, NULL, OPT_ALLOCATOR },
	{ "timeout", required_argument, NULL, OPT_TIMEOUT },
	{ "ext-after", required_argument, NULL, OPT_EXT_AFTER },
	{ "buckets", required_argument, NULL, OPT_BUCKETS },
	{ "pool-objs", required_argument, NULL, OPT_POOL_OBJS },
	{ "fastmem-limit", required_argument, NULL, OPT_FASTMEM_LIMIT },
	{ "port", required_argument, NULL, OPT_PORT },
	{ "json", required_argument, NULL, OPT_JSON },
	{ "csv", required_argument, NULL, OPT_CSV },
	{ "hold", no_argument, NULL, OPT_HOLD },
	{ "help", no_argument, NULL, 'h' },
	{ NULL, 0, NULL, 0 },
};

/* Check one option's value; a message and -1 when it is bad. */
static int
parse_one(int opt, const char *arg, struct ct_config *cfg)
{
	uint64_t v;

	switch (opt) {
	case OPT_ALLOCATOR:
		if (parse_allocators(arg, cfg) == 0)
			return 0;
		printf("conntrack: error: --allocator: '%s' is not fastmem, mempool or a list "
				"of both\n", arg);
		return -1;
	case OPT_TIMEOUT:
		if (parse_u64(arg, 1, CT_MAX_TIMEOUT_MS, &v) == 0) {
			cfg->timeout_us = v * 1000;
			return 0;
		}
		printf("conntrack: error: --timeout: '%s' is not a number of milliseconds "
				"from 1 to %u\n", arg, CT_MAX_TIMEOUT_MS);
		return -1;
	case OPT_EXT_AFTER:
		if (parse_u64(arg, 1, UINT16_MAX, &v) == 0) {
			cfg->ext_after = (unsigned int)v;
			return 0;
		}
		printf("conntrack: error: --ext-after: '%s' is not a number from 1 to %u\n",
				arg, UINT16_MAX);
		return -1;
	case OPT_BUCKETS:
		if (parse_u64(arg, 1, CT_MAX_BUCKETS, &v) == 0 && rte_is_power_of_2((uint32_t)v)) {
			cfg->buckets = (unsigned int)v;
			return 0;
		}
		printf("conntrack: error: --buckets: '%s' is not a power of two from 1 to %u\n",
				arg, CT_MAX_BUCKETS);
		return -1;
	case OPT_POOL_OBJS:
		if (parse_pool_objs(arg, &cfg->pool_objs) == 0) {
			cfg->pool_objs_set = true;
			return 0;
		}
		printf("conntrack: error: --pool-objs: '%s' is not %u numbers separated by "
				"commas\n", arg, CT_OBJ_NUM);
		return -1;
	case OPT_FASTMEM_LIMIT:
		if (parse_u64(arg, 0, CT_MAX_FASTMEM_LIMIT_MB, &v) == 0) {
			cfg->fastmem_limit = (size_t)v << 20;
			return 0;
		}
		printf("conntrack: error: --fastmem-limit: '%s' is not a number of MiB from 0 "
				"to %u\n", arg, CT_MAX_FASTMEM_LIMIT_MB);
		return -1;
	case OPT_PORT:
		if (parse_u64(arg, 0, RTE_MAX_ETHPORTS - 1, &v) == 0) {
			cfg->port_id = (uint16_t)v;
			return 0;
		}
		printf("conntrack: error: --port: '%s' is not a port number\n", arg);
		return -1;
	case OPT_JSON:
		cfg->json_path = arg;
		return 0;
	case OPT_CSV:
		cfg->csv_path = arg;
		return 0;
	case OPT_HOLD:
		cfg->hold = true;
		return 0;
	default:
		return -1;
	}
}

int
ct_parse_args(int argc, char **argv, struct ct_config *cfg)
{
	const char *prog = argc > 0 ? argv[0] : "dpdk-conntrack";
	unsigned int i;
	int opt;

	memset(cfg, 0, sizeof(*cfg));
	cfg->timeout_us = (uint64_t)CT_DEFAULT_TIMEOUT_MS * 1000;
	cfg->ext_after = CT_DEFAULT_EXT_AFTER;
	cfg->buckets = CT_DEFAULT_BUCKETS;
	cfg->fastmem_limit = SIZE_MAX;
	cfg->runs[0] = CT_ALLOC_FASTMEM;
	cfg->n_runs = 1;

	optind = 1;
	opterr = 0;
	while ((opt = getopt_long(argc, argv, "h", long_opts, NULL)) != -1) {
		if (opt == 'h') {
			usage(prog);
			return 1;
		}
		if (opt == '?') {
			printf("conntrack: error: unknown option or missing value: '%s'\n",
					argv[optind - 1]);
			usage(prog);
			return -1;
		}
		if (parse_one(opt, optarg, cfg) < 0) {
			usage(prog);
			return -1;
		}
	}
	if (optind < argc) {
		printf("conntrack: error: unexpected argument '%s'\n", argv[optind]);
		usage(prog);
		return -1;
	}
	/* a mempool run needs sizes: given, or measured by a fastmem run before it */
	for (i = 0; i < cfg->n_runs && !cfg->pool_objs_set; i++) {
		if (cfg->runs[i] == CT_ALLOC_FASTMEM)
			break;
		printf("conntrack: error: a mempool run needs --pool-objs, or a fastmem run "
				"before it (--allocator=fastmem,mempool)\n");
		usage(prog);
		return -1;
	}
	return 0;
}
