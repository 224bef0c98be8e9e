/* SPDX-License-Identifier: BSD-3-Clause
 * Copyright(c) 2026 The dpdk-lcoremem authors
 */

/*
 * fastmem_perf_autotest: cycles per object of fastmem against rte_mempool, rte_malloc and
 * libc malloc, for objects of 8 B to 64 KiB.
 *
 * Every figure is TSC cycles per object, allocation and free included: the tables show the
 * best of several timed runs (7 by default), the targets at the end the medians and the
 * ranges of the same runs; the allocators of a table take turns in every round, on the
 * same lcores, so that they share the machine's conditions. Before its timed runs each (allocator,
 * pattern) runs untimed once (first use of its memory), is calibrated (runs of growing
 * length until one lasts an eighth of the target) and is warmed up with a full-length run,
 * so that caches, pools and backing memory are in their steady state: what is timed is the
 * allocator's hot path and its refills, not the first touch of its memory.
 *
 * Patterns (see test_fastmem_perf.h): pairs, keep 32, keep 512 (beyond a small per-lcore
 * cache), keep 512 with the frees in shuffled order, bulk 32 (bulk calls where the
 * allocator has them), mixed sizes (general-purpose
 * allocators only) and cross-lcore (one lcore allocates, another frees, through a ring).
 * First on one lcore (cross-lcore: a pair), then on all lcores at once, where each lcore
 * runs the same pattern on the same allocator (cross-lcore: lcores paired up), so that the
 * per-lcore throughput can be compared with the single-lcore one.
 *
 * Environment:
 *   FASTMEM_PERF_QUICK=1   short runs (the main job's demonstration); also what
 *                          fastmem_perf_quick_autotest does
 *   FASTMEM_PERF_RUN_MS    target length of one timed run, in ms
 *   FASTMEM_PERF_RUNS      timed runs per figure (default 7, at most 64)
 *   FASTMEM_PERF_SIZES     only these object sizes, e.g. "64,4096" ("mixed" for the
 *                          mixed table); default: all
 *   FASTMEM_PERF_CSV       file to write the figures to, as CSV (devtools/perf_chart.py
 *                          turns it into an SVG chart)
 *
 * Nothing here asserts a time: the test fails only when an allocator fails.
 */

#include <errno.h>
#include <inttypes.h>
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <rte_common.h>
#include <rte_cycles.h>
#include <rte_eal.h>
#include <rte_errno.h>
#include <rte_launch.h>
#include <rte_lcore.h>
#include <rte_lcore_var.h>
#include <rte_malloc.h>
#include <rte_mempool.h>
#include <rte_ring.h>

#include <rte_fastmem.h>

#include "test.h"
#include "test_fastmem_perf.h"

/* The object sizes, one table each; a last table for the mixed sizes. */
static const size_t perf_sizes[] = { 8, 64, 512, 1024, 4096, 8192, 16384, 65536 };
#define NUM_SIZES RTE_DIM(perf_sizes)
#define TABLE_MIXED NUM_SIZES
#define NUM_TABLES (NUM_SIZES + 1)

/* Rows: the single-lcore patterns (same indexes as enum perf_pat), then cross-lcore. */
#define ROW_CROSS PERF_NUM_PATS
#define NUM_ROWS (PERF_NUM_PATS + 1)

/* Objects of the untimed first run of each allocator and pattern. */
#define PERF_WARMUP_OBJS 8192

/* Ring between the lcores of a cross-lcore pair. */
#define CROSS_RING_SIZE 1024

/* The most timed runs per figure (FASTMEM_PERF_RUNS is capped there). */
#define PERF_MAX_RUNS 64

/* Cell values that are not figures. */
#define VAL_NA (-1.0)   /* not applicable, or not built */
#define VAL_FAIL (-2.0) /* the allocator failed */

struct perf_cfg {
	bool quick;
	unsigned int runs;   /* timed runs per figure; the best is kept */
	uint64_t run_cycles; /* target length of a timed run */
	unsigned int n_lcores;
	FILE *csv;
};

/* The timed runs of a figure: median, lowest and highest (VAL_NA or VAL_FAIL in all three
 * when there is no figure). */
struct perf_spread {
	double med, lo, hi;
};

struct perf_cell {
	uint64_t iters; /* iterations per run, calibrated on one lcore (pair) */
	double single;  /* cycles per object, one lcore (cross: one pair): the best run */
	double all;     /* cycles per object and lcore (pair), all lcores at once: the best */
	struct perf_spread single_runs, all_runs; /* the same figures over all the runs */
};

static struct perf_cell cells[NUM_TABLES][NUM_ROWS][PERF_NUM_COLS];

enum perf_role { ROLE_IDLE, ROLE_SOLO, ROLE_PRODUCER, ROLE_CONSUMER };

/* A cross-lcore pair. */
struct perf_pair {
	struct rte_ring *ring;
	uint32_t abort;
	unsigned int producer, consumer; /* lcore ids */
};

/*
 * An lcore's state; written by the lcore during a run, read by main after the join. An
 * lcore variable, so that each lcore's state sits with its other per-lcore data rather
 * than in a padded [RTE_MAX_LCORE] array.
 */
struct perf_lcore {
	void *objs[PERF_MAX_KEEP];
	uint64_t cycles;
	int ret;
	enum perf_role role;
	struct perf_pair *pair;
} __rte_cache_aligned;

static RTE_LCORE_VAR_HANDLE(struct perf_lcore, perf_lcore_state);
RTE_LCORE_VAR_INIT(perf_lcore_state);
static struct perf_pair cross_pairs[RTE_MAX_LCORE / 2];
static unsigned int cross_num_pairs; /* rings created */

/* What the lcores of a launch run. */
struct perf_job {
	enum perf_col col;
	unsigned int row;
	const struct perf_ctx *ctx;
	uint64_t iters;
	unsigned int participants;
	uint32_t arrived; /* start barrier */
};

static int
perf_lcore_main(void *arg)
{
	struct perf_job *job = arg;
	struct perf_lcore *me = RTE_LCORE_VAR(perf_lcore_state);
	uint64_t start;

	if (me->role == ROLE_IDLE)
		return 0;
	/* start together: the release of each arrival pairs with the acquire loads */
	__atomic_add_fetch(&job->arrived, 1, __ATOMIC_ACQ_REL);
	while (__atomic_load_n(&job->arrived, __ATOMIC_ACQUIRE) < job->participants)
		rte_pause();
	start = rte_rdtsc_precise();
	switch (me->role) {
	case ROLE_SOLO:
		me->ret = perf_run_fns[job->col][job->row](job->ctx, me->objs, job->iters);
		break;
	case ROLE_PRODUCER:
		me->ret = perf_produce_fns[job->col](job->ctx, me->pair->ring, job->iters,
				&me->pair->abort);
		break;
	case ROLE_CONSUMER:
		me->ret = perf_consume_fns[job->col](job->ctx, me->pair->ring, job->iters,
				&me->pair->abort);
		break;
	default:
		break;
	}
	me->cycles = rte_rdtsc_precise() - start;
	return 0;
}

/* Give each lcore its role for @p row: main alone (or the first pair), or every lcore. */
static unsigned int
perf_set_roles(unsigned int row, bool all)
{
	unsigned int lcore, i = 0, n = 0;

	RTE_LCORE_FOREACH(lcore) {
		struct perf_lcore *l = RTE_LCORE_VAR_LCORE(lcore, perf_lcore_state);

		l->role = ROLE_IDLE;
		l->pair = NULL;
		if (row != ROW_CROSS) {
			if (all || lcore == rte_get_main_lcore()) {
				l->role = ROLE_SOLO;
				n++;
			}
		} else if ((all || i < 2) && i / 2 < cross_num_pairs) {
			struct perf_pair *p = &cross_pairs[i / 2];

			if (i % 2 == 0) {
				p->producer = lcore;
				p->consumer = RTE_MAX_LCORE;
			} else {
				p->consumer = lcore;
			}
			l->pair = p;
			l->role = i % 2 == 0 ? ROLE_PRODUCER : ROLE_CONSUMER;
			n++;
		}
		i++;
	}
	/* a producer left without a consumer (odd lcore count) sits out */
	if (row == ROW_CROSS && n % 2 == 1) {
		RTE_LCORE_FOREACH(lcore) {
			struct perf_lcore *l = RTE_LCORE_VAR_LCORE(lcore, perf_lcore_state);

			if (l->role == ROLE_PRODUCER && l->pair->consumer == RTE_MAX_LCORE)
				l->role = ROLE_IDLE;
		}
		n--;
	}
	return n;
}

/*
 * Run @p job once on the lcores with a role. Returns 0 and the cycles per object (mean over
 * the lcores, or over the pairs for cross-lcore) and the longest lcore's cycles, or
 * -ENOMEM when an allocation failed.
 */
static int
perf_launch(struct perf_job *job, double *per_obj, uint64_t *longest)
{
	unsigned int lcore, k, n = 0;
	uint64_t objs;
	double sum = 0;
	int ret = 0;

	objs = job->row == ROW_CROSS ? job->iters : job->iters * perf_pat_objs[job->row];
	job->arrived = 0;
	for (k = 0; k < cross_num_pairs; k++)
		cross_pairs[k].abort = 0;
	if (job->participants == 1 &&
			RTE_LCORE_VAR_LCORE(rte_get_main_lcore(), perf_lcore_state)->role == ROLE_SOLO) {
		perf_lcore_main(job);
	} else {
		rte_eal_mp_remote_launch(perf_lcore_main, job, CALL_MAIN);
		rte_eal_mp_wait_lcore();
	}
	*longest = 0;
	RTE_LCORE_FOREACH(lcore) {
		struct perf_lcore *l = RTE_LCORE_VAR_LCORE(lcore, perf_lcore_state);
		uint64_t cycles = l->cycles;

		if (l->role == ROLE_IDLE)
			continue;
		if (l->ret != 0)
			ret = l->ret;
		*longest = RTE_MAX(*longest, cycles);
		if (l->role == ROLE_CONSUMER)
			continue;
		if (l->role == ROLE_PRODUCER)
			cycles = RTE_MAX(cycles,
				RTE_LCORE_VAR_LCORE(l->pair->consumer, perf_lcore_state)->cycles);
		sum += (double)cycles / (double)objs;
		n++;
	}
	*per_obj = n > 0 ? sum / n : 0;
	return ret;
}

/* Iterations for a run of about cfg->run_cycles; 0 when the allocator failed. */
static uint64_t
perf_calibrate(struct perf_job *job, const struct perf_cfg *cfg)
{
	uint64_t iters = job->row == ROW_CROSS ? PERF_CROSS_BURST * 4 : 4;
	uint64_t longest, again;
	double per_obj;
	unsigned int k;

	/* first use: backing memory, page faults, pool fills; not to be timed */
	job->iters = job->row == ROW_CROSS ? PERF_WARMUP_OBJS :
		RTE_MAX(PERF_WARMUP_OBJS / perf_pat_objs[job->row], 1u);
	if (perf_launch(job, &per_obj, &longest) != 0)
		return 0;
	for (;;) {
		job->iters = iters;
		if (perf_launch(job, &per_obj, &longest) != 0)
			return 0;
		if (longest >= cfg->run_cycles / 8 || iters >= (UINT64_C(1) << 40))
			break;
		iters *= 8;
	}
	/*
	 * Twice more at the same length, keeping the fastest: a single slow launch (an lcore
	 * woken late, the previous column's aftermath, a neighbour on a shared machine) must
	 * not set the length of every timed run. It did: the cross-lcore column calibrated
	 * first in its row sometimes got 200-8000 objects per run instead of 150000, and the
	 * fixed cost of starting a pair read as 2-80x mempool per object at 4 KiB.
	 */
	for (k = 0; k < 2; k++) {
		if (perf_launch(job, &per_obj, &again) != 0)
			return 0;
		longest = RTE_MIN(longest, again);
	}
	iters = (uint64_t)((double)iters * (double)cfg->run_cycles / (double)RTE_MAX(longest, 1u));
	if (job->row == ROW_CROSS)
		iters = RTE_ALIGN_CEIL(RTE_MAX(iters, 1u), PERF_CROSS_BURST);
	return RTE_MAX(iters, 1u);
}

static bool
perf_available(unsigned int table, unsigned int row, enum perf_col col,
		const struct perf_ctx *ctx, const struct perf_cfg *cfg, bool handle_ok)
{
	if (col == PERF_COL_HANDLE && !handle_ok)
		return false;
	if (table == TABLE_MIXED)
		return row == PERF_PAT_MIXED && perf_col_general(col);
	if (row == PERF_PAT_MIXED)
		return false;
	if (col == PERF_COL_MEMPOOL && ctx->mp == NULL)
		return false;
	if (row == ROW_CROSS && (cfg->n_lcores < 2 || cross_num_pairs == 0))
		return false;
	return true;
}

static int
perf_cmp_double(const void *a, const void *b)
{
	double x = *(const double *)a, y = *(const double *)b;

	return (x > y) - (x < y);
}

/* The median and range of n figures (sorted in place); v (VAL_NA, VAL_FAIL) when n is 0. */
static struct perf_spread
perf_spread_of(double *vals, unsigned int n, double v)
{
	struct perf_spread s = { v, v, v };

	if (n == 0)
		return s;
	qsort(vals, n, sizeof(vals[0]), perf_cmp_double);
	s.lo = vals[0];
	s.hi = vals[n - 1];
	s.med = n % 2 == 1 ? vals[n / 2] : (vals[n / 2 - 1] + vals[n / 2]) / 2;
	return s;
}

/* Measure every row and column of a table, on one lcore or on all of them. */
static void
perf_measure_table(unsigned int table, const struct perf_ctx *ctx, const struct perf_cfg *cfg,
		bool handle_ok, bool all)
{
	static double vals[PERF_NUM_COLS][PERF_MAX_RUNS];
	unsigned int n_vals[PERF_NUM_COLS];
	bool avail[PERF_NUM_COLS];
	double best[PERF_NUM_COLS];
	struct perf_job job;
	unsigned int row, r, k;
	int c;

	for (row = 0; row < NUM_ROWS; row++) {
		memset(&job, 0, sizeof(job));
		job.row = row;
		job.ctx = ctx;
		job.participants = perf_set_roles(row, all);
		for (c = 0; c < PERF_NUM_COLS; c++) {
			struct perf_cell *cell = &cells[table][row][c];
			uint64_t longest;
			double v;

			avail[c] = perf_available(table, row, c, ctx, cfg, handle_ok);
			best[c] = avail[c] ? HUGE_VAL : VAL_NA;
			n_vals[c] = 0;
			if (!avail[c])
				continue;
			job.col = c;
			if (!all)
				cell->iters = perf_calibrate(&job, cfg);
			job.iters = cell->iters;
			/* warm-up, full length */
			if (cell->iters == 0 || perf_launch(&job, &v, &longest) != 0) {
				avail[c] = false;
				best[c] = VAL_FAIL;
			}
		}
		/*
		 * Each round starts at the next column, so that no column is always timed right
		 * after the same other one (libc's cross-lcore frees of 4 KiB objects leave the
		 * machine slow for a while).
		 */
		for (r = 0; r < cfg->runs; r++) {
			for (k = 0; k < PERF_NUM_COLS; k++) {
				uint64_t longest;
				double v;

				c = (int)((k + r) % PERF_NUM_COLS);
				if (!avail[c])
					continue;
				job.col = c;
				job.iters = cells[table][row][c].iters;
				if (perf_launch(&job, &v, &longest) != 0) {
					avail[c] = false;
					best[c] = VAL_FAIL;
					continue;
				}
				best[c] = RTE_MIN(best[c], v);
				vals[c][n_vals[c]++] = v;
			}
		}
		for (c = 0; c < PERF_NUM_COLS; c++) {
			struct perf_cell *cell = &cells[table][row][c];
			/* a failed column has no figure, whatever runs it had before failing */
			unsigned int n = best[c] == VAL_FAIL ? 0 : n_vals[c];

			if (all) {
				cell->all = best[c];
				cell->all_runs = perf_spread_of(vals[c], n, best[c]);
			} else {
				cell->single = best[c];
				cell->single_runs = perf_spread_of(vals[c], n, best[c]);
			}
		}
	}
}

/* --- printing --- */

static const char *
perf_row_name(unsigned int row)
{
	return row == ROW_CROSS ? "cross-lcore" : perf_pat_names[row];
}

static void
perf_print_val(double v, int width)
{
	if (v == VAL_NA)
		printf(" %*s", width, "n/a");
	else if (v == VAL_FAIL)
		printf(" %*s", width, "FAILED");
	else
		printf(" %*.1f", width, v);
}

/* a / b as "1.23x", or n/a */
static void
perf_print_ratio(double a, double b, int width)
{
	char buf[32];

	if (a <= 0 || b <= 0) {
		printf(" %*s", width, "n/a");
		return;
	}
	snprintf(buf, sizeof(buf), "%.2fx", a / b);
	printf(" %*s", width, buf);
}

static void
perf_table_title(unsigned int table, char *buf, size_t len)
{
	if (table == TABLE_MIXED)
		snprintf(buf, len, "Mixed sizes (%d-%d B, %d alive)", PERF_MIXED_MIN,
				PERF_MIXED_MAX, PERF_MIXED_LIVE);
	else
		snprintf(buf, len, "%zu B objects", perf_sizes[table]);
}

static bool
perf_row_shown(unsigned int table, unsigned int row)
{
	return table == TABLE_MIXED ? row == PERF_PAT_MIXED : row != PERF_PAT_MIXED;
}

static void
perf_print_single(unsigned int table, const struct perf_cfg *cfg)
{
	char title[64];
	unsigned int row;
	int c;

	perf_table_title(table, title, sizeof(title));
	printf("\n%s: TSC cycles per object (allocation + free), one lcore (cross-lcore: a pair),"
		" best of %u runs\n", title, cfg->runs);
	printf("%-12s", "pattern");
	for (c = 0; c < PERF_NUM_COLS; c++)
		printf(" %10s", perf_col_names[c]);
	printf(" %16s %15s %13s %13s\n", "fastmem/mempool", "handle/mempool", "fastmem/libc",
		"vs rte_malloc");
	for (row = 0; row < NUM_ROWS; row++) {
		const struct perf_cell *r = cells[table][row];

		if (!perf_row_shown(table, row))
			continue;
		printf("%-12s", perf_row_name(row));
		for (c = 0; c < PERF_NUM_COLS; c++)
			perf_print_val(r[c].single, 10);
		perf_print_ratio(r[PERF_COL_FASTMEM].single, r[PERF_COL_MEMPOOL].single, 16);
		perf_print_ratio(r[PERF_COL_HANDLE].single, r[PERF_COL_MEMPOOL].single, 15);
		perf_print_ratio(r[PERF_COL_FASTMEM].single, r[PERF_COL_LIBC].single, 13);
		perf_print_ratio(r[PERF_COL_RTE_MALLOC].single, r[PERF_COL_FASTMEM].single, 13);
		printf("\n");
	}
}

static void
perf_print_all(unsigned int table, const struct perf_cfg *cfg)
{
	char title[64], buf[48];
	unsigned int row;
	int c;

	perf_table_title(table, title, sizeof(title));
	printf("\n%s, all %u lcores at once: TSC cycles per object on each lcore (cross-lcore:"
		" each pair), mean;\n(x) = per-lcore throughput relative to one lcore (single /"
		" all), best of %u runs\n", title, cfg->n_lcores, cfg->runs);
	printf("%-12s", "pattern");
	for (c = 0; c < PERF_NUM_COLS; c++)
		printf(" %16s", perf_col_names[c]);
	printf(" %16s\n", "fastmem/mempool");
	for (row = 0; row < NUM_ROWS; row++) {
		const struct perf_cell *r = cells[table][row];

		if (!perf_row_shown(table, row))
			continue;
		printf("%-12s", perf_row_name(row));
		for (c = 0; c < PERF_NUM_COLS; c++) {
			if (r[c].all > 0 && r[c].single > 0)
				snprintf(buf, sizeof(buf), "%.1f (%.2fx)", r[c].all,
						r[c].single / r[c].all);
			else
				snprintf(buf, sizeof(buf), "%s",
						r[c].all == VAL_FAIL ? "FAILED" : "n/a");
			printf(" %16s", buf);
		}
		perf_print_ratio(r[PERF_COL_FASTMEM].all, r[PERF_COL_MEMPOOL].all, 16);
		printf("\n");
	}
}

static void
perf_csv_table(unsigned int table, const struct perf_cfg *cfg, bool all)
{
	char size[32];
	unsigned int row;
	int c;

	if (cfg->csv == NULL)
		return;
	if (table == TABLE_MIXED)
		snprintf(size, sizeof(size), "%d-%d", PERF_MIXED_MIN, PERF_MIXED_MAX);
	else
		snprintf(size, sizeof(size), "%zu", perf_sizes[table]);
	for (row = 0; row < NUM_ROWS; row++) {
		if (!perf_row_shown(table, row))
			continue;
		for (c = 0; c < PERF_NUM_COLS; c++) {
			const struct perf_cell *cell = &cells[table][row][c];
			double v = all ? cell->all : cell->single;
			unsigned int lcores = all ? cfg->n_lcores : (row == ROW_CROSS ? 2 : 1);

			if (v <= 0)
				continue;
			fprintf(cfg->csv, "%s,%u,%s,%s,%s,%.2f,cycles/object,",
				all ? "all" : "single", lcores, size, perf_row_name(row),
				perf_col_names[c], v);
			if (all && cell->single > 0)
				fprintf(cfg->csv, "%.3f", cell->single / v);
			fprintf(cfg->csv, "\n");
		}
	}
	fflush(cfg->csv);
}

/*
 * The targets of the first speed work, on the 64 B table (and every table for the
 * rte_malloc one), met or not: from the best run of each figure, as they were set.
 */
static void
perf_print_targets(void)
{
	const struct perf_cell (*t)[PERF_NUM_COLS] = cells[1];
	static const struct {
		unsigned int row;
		enum perf_col col, ref;
		double max;
	} checks[] = {
		{ PERF_PAT_PAIRS, PERF_COL_HANDLE, PERF_COL_MEMPOOL, 1.0 },
		{ PERF_PAT_KEEP32, PERF_COL_HANDLE, PERF_COL_MEMPOOL, 1.0 },
		{ PERF_PAT_PAIRS, PERF_COL_FASTMEM, PERF_COL_MEMPOOL, 1.3 },
		{ PERF_PAT_KEEP32, PERF_COL_FASTMEM, PERF_COL_MEMPOOL, 1.3 },
		{ PERF_PAT_KEEP512, PERF_COL_FASTMEM, PERF_COL_MEMPOOL, 1.2 },
		{ PERF_PAT_BULK32, PERF_COL_FASTMEM, PERF_COL_MEMPOOL, 1.2 },
		{ PERF_PAT_KEEP512, PERF_COL_HANDLE, PERF_COL_MEMPOOL, 1.2 },
		{ PERF_PAT_BULK32, PERF_COL_HANDLE, PERF_COL_MEMPOOL, 1.2 },
	};
	unsigned int i, table, row, slow = 0, total = 0;
	double m, worst = HUGE_VAL;
	int c;

	printf("\nFirst speed targets (64 B, one lcore, best runs; a ratio on the wrong side of"
		" the target is marked NOT met):\n");
	for (i = 0; i < RTE_DIM(checks); i++) {
		double a = t[checks[i].row][checks[i].col].single;
		double b = t[checks[i].row][checks[i].ref].single;

		printf("  %-8s %-8s / %-8s <= %.1fx: ", perf_row_name(checks[i].row),
			perf_col_names[checks[i].col], perf_col_names[checks[i].ref],
			checks[i].max);
		if (a <= 0 || b <= 0)
			printf("n/a\n");
		else
			printf("%.2fx %s\n", a / b, a / b <= checks[i].max ? "met" : "NOT met");
	}
	m = cells[TABLE_MIXED][PERF_PAT_MIXED][PERF_COL_FASTMEM].single /
		cells[TABLE_MIXED][PERF_PAT_MIXED][PERF_COL_LIBC].single;
	printf("  mixed    fastmem  / libc     <= 1.0x: ");
	if (cells[TABLE_MIXED][PERF_PAT_MIXED][PERF_COL_FASTMEM].single > 0 &&
			cells[TABLE_MIXED][PERF_PAT_MIXED][PERF_COL_LIBC].single > 0)
		printf("%.2fx %s\n", m, m <= 1.0 ? "met" : "NOT met");
	else
		printf("n/a\n");
	/* fastmem at least 10x faster than rte_malloc in every pattern and size, one lcore */
	for (table = 0; table < NUM_TABLES; table++)
		for (row = 0; row < NUM_ROWS; row++) {
			double f = cells[table][row][PERF_COL_FASTMEM].single;
			double r = cells[table][row][PERF_COL_RTE_MALLOC].single;

			if (f <= 0 || r <= 0)
				continue;
			total++;
			slow += r / f < 10;
			worst = RTE_MIN(worst, r / f);
		}
	if (total > 0)
		printf("  fastmem >= 10x faster than rte_malloc: %s (%u of %u figures; worst"
			" %.1fx)\n", slow == 0 ? "met" : "NOT met", total - slow, total, worst);
	/* per-lcore throughput on all lcores >= 0.9x single, fastmem, 64 B */
	for (row = 0; row < NUM_ROWS; row++)
		for (c = PERF_COL_FASTMEM; c <= PERF_COL_HANDLE; c++) {
			const struct perf_cell *cell = &t[row][c];

			if (cell->all <= 0 || cell->single <= 0 || row == PERF_PAT_MIXED)
				continue;
			printf("  %-11s %-7s all lcores / one lcore >= 0.9x: %.2fx %s\n",
				perf_row_name(row), perf_col_names[c], cell->single / cell->all,
				cell->single / cell->all >= 0.9 ? "met" : "NOT met");
		}
}

/* The table of objects of size bytes, or -1. */
static int
perf_table_of(size_t size)
{
	unsigned int t;

	for (t = 0; t < NUM_SIZES; t++)
		if (perf_sizes[t] == size)
			return (int)t;
	return -1;
}

/*
 * One ratio target of the generic calls against mempool, on the medians of the runs: a's
 * median over b's at most max (at least max with at_least), with both ranges; n/a when a
 * figure is missing (a table left out by FASTMEM_PERF_SIZES, or one lcore only) or when
 * na_why says why the target does not apply to this run. Returns 1 when the target is
 * met, 0 when not, -1 for n/a.
 */
static int
perf_print_target(const char *what, const struct perf_spread *a, const struct perf_spread *b,
		double max, bool at_least, const char *na_why)
{
	double r;
	bool met;

	printf("  %-40s %s %.2fx: ", what, at_least ? ">=" : "<=", max);
	if (na_why != NULL) {
		printf("n/a (%s)\n", na_why);
		return -1;
	}
	if (a->med <= 0 || b->med <= 0) {
		printf("n/a\n");
		return -1;
	}
	r = a->med / b->med;
	met = at_least ? r >= max : r <= max;
	printf("%.2fx %s (%.3g [%.3g..%.3g] / %.3g [%.3g..%.3g])\n", r, met ? "met" : "NOT met",
		a->med, a->lo, a->hi, b->med, b->lo, b->hi);
	return met ? 1 : 0;
}

/*
 * The targets of the speed work on the generic calls (fastmem: rte_fastmem_alloc() and
 * rte_fastmem_free() with the size known only at run time) against mempool, from the
 * medians of the runs of this one run: pairs at most 1.1x and keep 32, keep 512 and its
 * shuffled version at most 1.0x from 64 B to 4 KiB; keep 512 of 16 and 64 KiB at most 2x
 * (with hugepages); cross-lcore 16 KiB at most 1.5x; and on all lcores, fastmem's
 * per-lcore throughput relative to its one-lcore figure at least 0.9x of mempool's own
 * relative figure, for every pattern and size up to 64 KiB.
 */
static void
perf_print_speed_targets(const struct perf_cfg *cfg)
{
	static const size_t small[] = { 64, 512, 1024, 4096 };
	static const struct {
		unsigned int row;
		double max;
	} small_checks[] = {
		{ PERF_PAT_PAIRS, 1.1 },
		{ PERF_PAT_KEEP32, 1.0 },
		{ PERF_PAT_KEEP512, 1.0 },
		{ PERF_PAT_SHUF512, 1.0 },
	};
	bool huge = rte_eal_has_hugepages() != 0;
	unsigned int i, k, row, met = 0, total = 0, rel_met = 0, rel_total = 0;
	char what[64];
	int t, m;

	printf("\nTargets of the generic calls against mempool (medians of %u runs, [range];"
		" a ratio on the wrong side of the target is NOT met):\n", cfg->runs);
	for (k = 0; k < RTE_DIM(small_checks); k++)
		for (i = 0; i < RTE_DIM(small); i++) {
			const struct perf_cell *r;

			t = perf_table_of(small[i]);
			if (t < 0)
				continue;
			r = cells[t][small_checks[k].row];
			snprintf(what, sizeof(what), "%-8s %5zu B fastmem / mempool",
				perf_row_name(small_checks[k].row), small[i]);
			m = perf_print_target(what, &r[PERF_COL_FASTMEM].single_runs,
					&r[PERF_COL_MEMPOOL].single_runs, small_checks[k].max,
					false, NULL);
			met += m == 1;
			total += m >= 0;
		}
	for (i = 0; i < 2; i++) {
		size_t size = i == 0 ? 16384 : 65536;
		const struct perf_cell *r;

		t = perf_table_of(size);
		if (t < 0)
			continue;
		r = cells[t][PERF_PAT_KEEP512];
		snprintf(what, sizeof(what), "keep512  %5zu B fastmem / mempool", size);
		m = perf_print_target(what, &r[PERF_COL_FASTMEM].single_runs,
				&r[PERF_COL_MEMPOOL].single_runs, 2.0, false,
				huge ? NULL : "the target is with hugepages; this run has none");
		met += m == 1;
		total += m >= 0;
	}
	t = perf_table_of(16384);
	if (t >= 0) {
		const struct perf_cell *r = cells[t][ROW_CROSS];

		m = perf_print_target("cross-lcore 16384 B fastmem / mempool",
				&r[PERF_COL_FASTMEM].single_runs, &r[PERF_COL_MEMPOOL].single_runs,
				1.5, false, NULL);
		met += m == 1;
		total += m >= 0;
	}
	/* all lcores: (one-lcore median / all-lcores median), fastmem's over mempool's */
	for (t = 0; t < (int)NUM_SIZES; t++)
		for (row = 0; row < NUM_ROWS; row++) {
			const struct perf_cell *fc = &cells[t][row][PERF_COL_FASTMEM];
			const struct perf_cell *pc = &cells[t][row][PERF_COL_MEMPOOL];
			struct perf_spread f, p;

			if (row == PERF_PAT_MIXED || fc->all_runs.lo <= 0 ||
					fc->single_runs.med <= 0 || pc->all_runs.lo <= 0 ||
					pc->single_runs.med <= 0)
				continue;
			f.med = fc->single_runs.med / fc->all_runs.med;
			f.lo = fc->single_runs.lo / fc->all_runs.hi;
			f.hi = fc->single_runs.hi / fc->all_runs.lo;
			p.med = pc->single_runs.med / pc->all_runs.med;
			p.lo = pc->single_runs.lo / pc->all_runs.hi;
			p.hi = pc->single_runs.hi / pc->all_runs.lo;
			snprintf(what, sizeof(what), "%-11s %5zu B all-lcores scaling",
				perf_row_name(row), perf_sizes[t]);
			/* throughput relative to one lcore: single / all (cycles) */
			m = perf_print_target(what, &f, &p, 0.9, true, NULL);
			rel_met += m == 1;
			rel_total += m >= 0;
		}
	if (rel_total == 0)
		printf("  all-lcores scaling, fastmem's relative to mempool's: n/a (%s)\n",
			cfg->n_lcores < 2 ? "one lcore" : "no figures");
	printf("  generic-call targets met: %u of %u; all-lcores scaling met: %u of %u%s\n",
		met, total, rel_met, rel_total,
		cfg->n_lcores <= 2 ? " (2 lcores: relative figures only; absolute scaling needs"
		" a machine with more real cores)" : "");
}

/* --- set-up --- */

static int
perf_rings_create(const struct perf_cfg *cfg)
{
	unsigned int k, want = cfg->n_lcores / 2;
	char name[RTE_RING_NAMESIZE];

	for (k = 0; k < want; k++) {
		snprintf(name, sizeof(name), "fmperf_ring%u", k);
		cross_pairs[k].ring = rte_ring_create(name, CROSS_RING_SIZE, SOCKET_ID_ANY,
				RING_F_SP_ENQ | RING_F_SC_DEQ);
		if (cross_pairs[k].ring == NULL) {
			printf("cannot create ring %s: %s\n", name, rte_strerror(rte_errno));
			return -1;
		}
	}
	cross_num_pairs = want;
	return 0;
}

static void
perf_rings_free(void)
{
	unsigned int k;

	for (k = 0; k < cross_num_pairs; k++) {
		rte_ring_free(cross_pairs[k].ring);
		cross_pairs[k].ring = NULL;
	}
	cross_num_pairs = 0;
}

/*
 * The mempool of one size, with room for the most the benchmark holds at once: on each
 * lcore a full cache (1.5 x 512) plus 512 objects kept, and a ring's worth per pair.
 */
static struct rte_mempool *
perf_mempool_for(size_t size, const struct perf_cfg *cfg)
{
	unsigned int per_lcore = RTE_MEMPOOL_CACHE_MAX_SIZE * 3 / 2 + PERF_MAX_KEEP +
		PERF_CROSS_BURST;
	unsigned int n = cfg->n_lcores * per_lcore +
		cross_num_pairs * (CROSS_RING_SIZE + PERF_CROSS_BURST) + 64;
	char name[RTE_MEMPOOL_NAMESIZE];
	struct rte_mempool *mp;

	snprintf(name, sizeof(name), "fmperf_mp%zu", size);
	mp = perf_mempool_create(name, n, size);
	if (mp == NULL)
		printf("note: no mempool of %u x %zu B (%s): its column shows n/a\n", n, size,
			rte_strerror(rte_errno));
	else if (size == perf_sizes[0])
		printf("mempool driver \"%s\", %u objects of %zu B\n",
			rte_mempool_get_ops(mp->ops_index)->name, n, size);
	return mp;
}

static int
perf_fastmem_restart(void)
{
	int ret;

	rte_fastmem_deinit();
	ret = rte_fastmem_init();
	if (ret != 0)
		printf("rte_fastmem_init() failed: %s\n", rte_strerror(-ret));
	return ret;
}

static unsigned int
perf_env_uint(const char *name, unsigned int def)
{
	const char *v = getenv(name);

	return v != NULL && atoi(v) > 0 ? (unsigned int)atoi(v) : def;
}

/* Whether FASTMEM_PERF_SIZES (a comma-separated list) asks for the table. */
static bool
perf_table_wanted(unsigned int table)
{
	const char *list = getenv("FASTMEM_PERF_SIZES");
	char buf[256], *tok, *save = NULL;

	if (list == NULL || list[0] == '\0')
		return true;
	snprintf(buf, sizeof(buf), "%s", list);
	for (tok = strtok_r(buf, ", ", &save); tok != NULL; tok = strtok_r(NULL, ", ", &save)) {
		if (table == TABLE_MIXED ? strcmp(tok, "mixed") == 0 :
				strtoull(tok, NULL, 0) == perf_sizes[table])
			return true;
	}
	return false;
}

static int
perf_main(bool quick)
{
	static struct perf_mixed_step mixed[PERF_MIXED_STEPS];
	static uint16_t perm[PERF_MAX_KEEP];
	const char *csv_path = getenv("FASTMEM_PERF_CSV");
	struct perf_cfg cfg;
	unsigned int table;
	uint64_t start = rte_get_timer_cycles();
	int ret = TEST_FAILED;

	memset(&cfg, 0, sizeof(cfg));
	cfg.quick = quick || perf_env_uint("FASTMEM_PERF_QUICK", 0) != 0;
	cfg.runs = RTE_MIN(perf_env_uint("FASTMEM_PERF_RUNS", 7), (unsigned int)PERF_MAX_RUNS);
	cfg.run_cycles = rte_get_tsc_hz() / 1000 *
		perf_env_uint("FASTMEM_PERF_RUN_MS", cfg.quick ? 2 : 10);
	cfg.n_lcores = rte_lcore_count();
	perf_mixed_init(mixed);
	perf_shuffle_init(perm);
	memset(cells, 0, sizeof(cells));

	if (csv_path != NULL && csv_path[0] != '\0') {
		cfg.csv = fopen(csv_path, "w");
		if (cfg.csv == NULL) {
			printf("cannot write %s\n", csv_path);
			return TEST_FAILED;
		}
		fprintf(cfg.csv, "%s\n", PERF_CSV_HEADER);
	}
	printf("fastmem_perf: %s, %u runs of ~%u ms per figure, TSC %" PRIu64 " MHz, %u lcores,"
		" %s\n", cfg.quick ? "quick" : "full", cfg.runs,
		(unsigned int)(cfg.run_cycles * 1000 / rte_get_tsc_hz()),
		rte_get_tsc_hz() / 1000000, cfg.n_lcores,
		rte_eal_has_hugepages() ? "hugepages" : "no hugepages");
	printf("mempool cache %u; fastmem alignment %d\n", RTE_MEMPOOL_CACHE_MAX_SIZE,
		PERF_ALIGN);
	if (cfg.n_lcores < 2)
		printf("note: one lcore only, so no cross-lcore row and no all-lcores tables\n");

	if (perf_rings_create(&cfg) != 0)
		goto out;
	for (table = 0; table < NUM_TABLES; table++) {
		struct perf_ctx ctx;
		bool handle_ok = false;

		if (!perf_table_wanted(table))
			continue;
		memset(&ctx, 0, sizeof(ctx));
		ctx.size = table == TABLE_MIXED ? PERF_MIXED_MAX : perf_sizes[table];
		ctx.mixed = mixed;
		ctx.perm = perm;
		/* each table starts from an empty fastmem, so memory does not pile up */
		if (perf_fastmem_restart() != 0)
			goto out;
		handle_ok = rte_fastmem_hlookup(ctx.size, PERF_ALIGN, SOCKET_ID_ANY, &ctx.h) == 0;
		if (!handle_ok)
			printf("note: rte_fastmem_hlookup(%zu) failed: %s\n", ctx.size,
				rte_strerror(rte_errno));
		if (table != TABLE_MIXED)
			ctx.mp = perf_mempool_for(ctx.size, &cfg);

		perf_measure_table(table, &ctx, &cfg, handle_ok, false);
		perf_print_single(table, &cfg);
		perf_csv_table(table, &cfg, false);
		if (cfg.n_lcores >= 2) {
			perf_measure_table(table, &ctx, &cfg, handle_ok, true);
			perf_print_all(table, &cfg);
			perf_csv_table(table, &cfg, true);
		}
		rte_mempool_free(ctx.mp);
	}
	perf_print_targets();
	perf_print_speed_targets(&cfg);
	printf("\nfastmem_perf: done in %.1f s\n",
		(double)(rte_get_timer_cycles() - start) / rte_get_timer_hz());
	ret = TEST_SUCCESS;
	for (table = 0; table < NUM_TABLES; table++) {
		unsigned int row;
		int c;

		for (row = 0; row < NUM_ROWS; row++)
			for (c = 0; c < PERF_NUM_COLS; c++)
				if (cells[table][row][c].single == VAL_FAIL ||
						cells[table][row][c].all == VAL_FAIL)
					ret = TEST_FAILED;
	}
	if (ret != TEST_SUCCESS)
		printf("fastmem_perf: an allocator failed (FAILED in the tables)\n");
out:
	perf_rings_free();
	rte_fastmem_deinit();
	if (cfg.csv != NULL)
		fclose(cfg.csv);
	return ret;
}

static int
test_fastmem_perf(void)
{
	return perf_main(false);
}

static int
test_fastmem_perf_quick(void)
{
	return perf_main(true);
}

REGISTER_PERF_TEST(fastmem_perf_autotest, test_fastmem_perf);
REGISTER_PERF_TEST(fastmem_perf_quick_autotest, test_fastmem_perf_quick);
