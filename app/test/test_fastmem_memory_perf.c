/* SPDX-License-Identifier: BSD-3-Clause
 * Copyright(c) 2026 The dpdk-lcoremem authors
 */

/*
 * fastmem_memory_perf_autotest: the memory that workloads of many object types cost with
 * fastmem, with one mempool per type (each created for the peak count of its own type: a
 * deployment that knows its peaks exactly) and with rte_malloc, in the same run.
 *
 * Workloads (the full version's sizes; the quick version divides every peak by 4):
 *  - oldest-first: types of 64, 200, 700 and 1500 B, phases A, B, C, D, A; in each, the
 *    phase's type rises to 48 MiB of objects while the previous phase's type falls to a
 *    sixteenth of that, oldest objects first (as sessions time out), the two at the same
 *    relative pace; every eighth step also replaces a random live object;
 *  - random-1/D, for D = 4, 8, 16, 32, on two mixes of sizes that are not powers of two:
 *    five types of 200, 320, 1200, 2500 and 5000 B, each rising to 24 MiB, and six of 456,
 *    264, 168, 104, 72 and 40 B, each rising to 8 MiB. The types take turns, in that
 *    order (sizes rising in the first mix, falling in the second): one rises to its peak,
 *    then falls to 1/D of it by frees of randomly chosen live objects (a burst of
 *    sessions, most of them end at random, stragglers stay); after the last, the first
 *    rises again;
 *  - heavy-tail: types of 2500, 1200, 700, 200, 136 and 56 B; each allocation's lifetime
 *    is drawn from a Pareto distribution (alpha 1.5: most objects die young, a few live
 *    very long), counted in bytes allocated after it, with a mean of 16 MiB, about which
 *    the live bytes settle; the share of the bytes allocated moves from the first type to
 *    the last over the run (each type's share a triangle around where the run is, and at
 *    least 2%), for 16 x 16 MiB allocated in all;
 *  - steady: one type alone, of 512, 1100, 2305, 2500, 5000, 12000, 16384, 40000 or
 *    65536 B (a workload each; 2305 B is one byte past a class, 2304 B, so that its class,
 *    2560 B, rounds it up by 11%: the worst case of the classes), rises to 32 MiB of
 *    objects, then replaces 4 x its peak count of objects in batches: each frees an
 *    eighth of the peak count, chosen at random among the live objects, then allocates
 *    as many: what a single type costs held at steady state (fastmem / live).
 * Every workload first runs with no allocator, to count its demand (the peak of live
 * bytes, the sum of the requested sizes of the objects alive, and each type's peak count,
 * which the mempools are created for); then with each allocator, with the same sequence of
 * operations, from the same seed.
 *
 * Per workload and allocator it prints the peak backing, over the peak of live bytes,
 * over the per-type mempools and over rte_malloc (test_fastmem_memory_perf.h says where
 * each figure comes from):
 *  - fastmem: the growth of EAL's malloc heaps from before rte_fastmem_init(): the
 *    memzones of backing memory (bytes_backing) and fastmem's own metadata (its state
 *    memzone, and the caches and transfer caches it allocates from the heap; not the
 *    per-lcore state in lcore variables, which is no EAL memory); also the memory held by
 *    classes (the pages of their runs, bytes_runs, peak and at the end), the memory in
 *    lcore and transfer caches (bytes_cached), and how many runs emptied (slab_releases);
 *  - per-type mempools: their memory chunks (objects with headers and padding); the pools'
 *    own memzones (struct and per-lcore caches) are printed apart, as is what pools created
 *    with RTE_MEMPOOL_F_NO_SPREAD would take;
 *  - rte_malloc: the growth of EAL's malloc heaps.
 * At the end, a Markdown table sums up every workload.
 *
 * Memory: the largest run of one allocator, the oldest-first workload's mempools, holds
 * about 370 MiB of EAL memory at once: the full version needs --no-huge -m 1024, or
 * 512 MiB of free hugepages. The quick version holds at most 130 MiB and fits in
 * --no-huge -m 1024 as well. The memory mode shows in the figures: without hugepages a
 * mempool keeps each object smaller than 4 KiB within a page, which costs the pools more
 * (an object of 2500 B takes a page of its own); with hugepages and IOVA as PA, fastmem's
 * zones are as large as physically contiguous hugepages allow, which may change from run
 * to run. Figures to compare across runs and builds: hugepages with --iova-mode=va (the
 * first line printed says which mode a run had).
 * Time: rte_malloc searches its free lists past every hole too small for the request,
 * and random frees leave hundreds of thousands of them: rte_malloc takes most of the full
 * version's time (minutes; the quick version takes seconds). FASTMEM_PERF_ALLOCATORS=
 * fastmem runs fastmem alone, in seconds.
 *
 * Environment:
 *   FASTMEM_PERF_QUICK=1      the quick version (also fastmem_memory_perf_quick_autotest)
 *   FASTMEM_PERF_SEED         the seed of every workload's random choices (printed)
 *   FASTMEM_PERF_WORKLOADS    only these workloads, by name prefix: "random,heavy-tail"
 *   FASTMEM_PERF_ALLOCATORS   only these allocators: "fastmem,mempool,rte_malloc" (ratios
 *                             to the others are then not printed)
 *   FASTMEM_PERF_CSV          append the figures to this CSV file (devtools/perf_chart.py
 *                             draws them)
 * Nothing here asserts a size: the test fails only when an allocator fails.
 */

#include <errno.h>
#include <inttypes.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <rte_common.h>
#include <rte_cycles.h>
#include <rte_eal.h>

#include <rte_fastmem.h>

#include "test.h"
#include "test_fastmem_perf.h"
#include "test_fastmem_memory_perf.h"
#include "test_fastmem_memory_workloads.h"

#define MEM_QUICK_DIV 4 /* the quick version's peaks: the full ones / this */
#define MEM_DEFAULT_SEED UINT64_C(0x5eed0f0a57e3)
#define MEM_MAX_ROWS 24

static const struct mem_mix mix_shift = { 4, { 64, 200, 700, 1500 } };
static const struct mem_mix mix_five = { 5, { 200, 320, 1200, 2500, 5000 } };
static const struct mem_mix mix_small = { 6, { 456, 264, 168, 104, 72, 40 } };
static const struct mem_mix mix_heavy = { 6, { 2500, 1200, 700, 200, 136, 56 } };
static const struct mem_mix mix_1_512 = { 1, { 512 } };
static const struct mem_mix mix_1_1100 = { 1, { 1100 } };
static const struct mem_mix mix_1_2305 = { 1, { 2305 } };
static const struct mem_mix mix_1_2500 = { 1, { 2500 } };
static const struct mem_mix mix_1_5000 = { 1, { 5000 } };
static const struct mem_mix mix_1_12000 = { 1, { 12000 } };
static const struct mem_mix mix_1_16384 = { 1, { 16384 } };
static const struct mem_mix mix_1_40000 = { 1, { 40000 } };
static const struct mem_mix mix_1_65536 = { 1, { 65536 } };

static const struct mem_wl mem_wls[] = {
	{ "oldest-first", MEM_OLDEST, &mix_shift, 48, 16 },
	{ "random-1/4", MEM_RANDOM, &mix_five, 24, 4 },
	{ "random-1/8", MEM_RANDOM, &mix_five, 24, 8 },
	{ "random-1/16", MEM_RANDOM, &mix_five, 24, 16 },
	{ "random-1/32", MEM_RANDOM, &mix_five, 24, 32 },
	{ "random-1/4", MEM_RANDOM, &mix_small, 8, 4 },
	{ "random-1/8", MEM_RANDOM, &mix_small, 8, 8 },
	{ "random-1/16", MEM_RANDOM, &mix_small, 8, 16 },
	{ "random-1/32", MEM_RANDOM, &mix_small, 8, 32 },
	{ "heavy-tail", MEM_HEAVY, &mix_heavy, 16, 0 },
	{ "steady", MEM_STEADY, &mix_1_512, 32, 0 },
	{ "steady", MEM_STEADY, &mix_1_1100, 32, 0 },
	{ "steady", MEM_STEADY, &mix_1_2305, 32, 0 },
	{ "steady", MEM_STEADY, &mix_1_2500, 32, 0 },
	{ "steady", MEM_STEADY, &mix_1_5000, 32, 0 },
	{ "steady", MEM_STEADY, &mix_1_12000, 32, 0 },
	{ "steady", MEM_STEADY, &mix_1_16384, 32, 0 },
	{ "steady", MEM_STEADY, &mix_1_40000, 32, 0 },
	{ "steady", MEM_STEADY, &mix_1_65536, 32, 0 },
};

/* A workload's figures, for its report and the summary. */
struct mem_row {
	const struct mem_wl *w;
	uint64_t peak_live, end_live;
	bool ran[MEM_NUM_ALLOCS];
	struct mem_fig f[MEM_NUM_ALLOCS];
};

static struct mem_row mem_rows[MEM_MAX_ROWS];
static unsigned int mem_n_rows;
static bool mem_quick;
static uint64_t mem_seed;

/* Whether @p name is in the comma-separated list of environment variable @p var (by
 * prefix); an unset or empty list takes everything. */
static bool
mem_env_lists(const char *var, const char *name)
{
	const char *list = getenv(var);
	char buf[256], *tok, *save = NULL;

	if (list == NULL || list[0] == '\0')
		return true;
	snprintf(buf, sizeof(buf), "%s", list);
	for (tok = strtok_r(buf, ",", &save); tok != NULL; tok = strtok_r(NULL, ",", &save))
		if (strncmp(name, tok, strlen(tok)) == 0)
			return true;
	return false;
}

/* One run of the workload with one allocator (or the counter). */
static int
mem_run_one(const struct mem_wl *w, unsigned int wl_idx, const struct mem_alloc *a,
		struct mem_fig *f)
{
	uint64_t z = mem_seed + (wl_idx + 1) * UINT64_C(0x9e3779b97f4a7c15);
	int ret;

	/* every run of a workload draws the same numbers: splitmix64 of seed and workload */
	z = (z ^ (z >> 30)) * UINT64_C(0xbf58476d1ce4e5b9);
	z = (z ^ (z >> 27)) * UINT64_C(0x94d049bb133111eb);
	mem_r.rng = (z ^ (z >> 31)) | 1;
	mem_r.a = a;
	mem_r.peak = ((uint64_t)w->peak_mib << 20) / (mem_quick ? MEM_QUICK_DIV : 1);
	mem_r.ops = mem_r.live = mem_r.peak_live = mem_r.end_live = 0;
	memset(mem_r.count, 0, sizeof(mem_r.count));
	ret = a->start(&mem_r.types);
	if (ret == 0)
		ret = w->kind == MEM_HEAVY ? mem_heavy_run(w) : mem_rings_run(w);
	a->stop(f);
	if (ret != 0)
		printf("%s: %s failed: %s\n", w->name, a->name, strerror(-ret));
	return ret;
}

static void
mem_csv(const struct mem_row *row, const char *allocator, uint64_t value, const char *unit)
{
	const char *path = getenv("FASTMEM_PERF_CSV");
	uint64_t pools = row->f[MEM_MEMPOOLS].peak;
	unsigned int t;
	FILE *f;

	if (path == NULL || path[0] == '\0')
		return;
	f = fopen(path, "a");
	if (f == NULL)
		return;
	if (fseek(f, 0, SEEK_END) == 0 && ftell(f) == 0)
		fprintf(f, "%s\n", PERF_CSV_HEADER);
	fprintf(f, "memory,1,");
	for (t = 0; t < row->w->mix->n; t++)
		fprintf(f, "%s%zu", t > 0 ? "+" : "", row->w->mix->size[t]);
	/* the ratio column: to the per-type mempools, 0 where there is none */
	fprintf(f, ",%s,%s,%" PRIu64 ",%s,%.3f\n", row->w->name, allocator, value, unit,
		pools > 0 && strcmp(unit, "bytes") == 0 ? (double)value / pools : 0.0);
	fclose(f);
}

/* "1.23x", or "-" when either allocator did not run */
static const char *
mem_ratio(char *buf, size_t len, uint64_t a, uint64_t b)
{
	if (a == 0 || b == 0)
		snprintf(buf, len, "-");
	else
		snprintf(buf, len, "%.2fx", (double)a / b);
	return buf;
}

/* MiB with one decimal, or "-" when the allocator did not run */
static const char *
mem_mib(char *buf, size_t len, bool ran, uint64_t bytes)
{
	if (ran)
		snprintf(buf, len, "%.1f", MIB(bytes));
	else
		snprintf(buf, len, "-");
	return buf;
}

static void
mem_report(const struct mem_row *row)
{
	static const char *const label[MEM_NUM_ALLOCS] = {
		[MEM_FASTMEM] = "fastmem",
		[MEM_MEMPOOLS] = "per-type mempools",
		[MEM_RTE_MALLOC] = "rte_malloc",
	};
	const struct mem_fig *fm = &row->f[MEM_FASTMEM], *mp = &row->f[MEM_MEMPOOLS];
	char r1[16], r2[16], r3[16];
	unsigned int a;

	printf("  %-20s %13s %9s %10s %10s\n", "allocator", "peak backing", "/ live",
		"/ mempools", "/ malloc");
	for (a = 0; a < MEM_NUM_ALLOCS; a++) {
		const struct mem_fig *f = &row->f[a];

		if (!row->ran[a])
			continue;
		printf("  %-20s %9.1f MiB %9s %10s %10s\n", label[a], MIB(f->peak),
			mem_ratio(r1, sizeof(r1), f->peak, row->peak_live),
			mem_ratio(r2, sizeof(r2), f->peak, mp->peak),
			mem_ratio(r3, sizeof(r3), f->peak, row->f[MEM_RTE_MALLOC].peak));
		if (a == MEM_FASTMEM) {
			printf("    backing memzones %.1f MiB; metadata %.2f MiB in memzones, %.2f"
				" MiB in the heap; %" PRIu64 " memzones in all\n", MIB(fm->zones),
				MIB(fm->meta_zones), MIB(fm->meta_heap), fm->n_zones);
			printf("    held by classes: peak %.1f MiB, at the end %.1f MiB (%s the"
				" %.1f MiB live then)\n", MIB(fm->classes_peak),
				MIB(fm->classes_end), mem_ratio(r1, sizeof(r1), fm->classes_end,
					row->end_live), MIB(row->end_live));
			printf("    in caches: peak %.1f MiB; in use at class size: peak %.1f MiB;"
				" runs emptied: %" PRIu64 "\n", MIB(fm->cached_peak),
				MIB(fm->in_use_peak), fm->slabs_emptied);
		} else if (a == MEM_MEMPOOLS) {
			printf("    + %.1f MiB of pool structs and per-lcore caches (not counted);"
				" with NO_SPREAD: %.1f MiB\n", MIB(mp->pool_hdrs),
				MIB(mp->pool_tight));
		}
	}

	mem_csv(row, "live", row->peak_live, "bytes");
	if (row->ran[MEM_FASTMEM]) {
		mem_csv(row, "fastmem", fm->peak, "bytes");
		mem_csv(row, "fastmem_classes", fm->classes_peak, "bytes");
		mem_csv(row, "fastmem_classes_end", fm->classes_end, "bytes");
		mem_csv(row, "fastmem_cached", fm->cached_peak, "bytes");
		mem_csv(row, "fastmem_runs_emptied", fm->slabs_emptied, "runs");
	}
	if (row->ran[MEM_MEMPOOLS]) {
		mem_csv(row, "mempool", mp->peak, "bytes");
		mem_csv(row, "mempool_nospread", mp->pool_tight, "bytes");
	}
	if (row->ran[MEM_RTE_MALLOC])
		mem_csv(row, "rte_malloc", row->f[MEM_RTE_MALLOC].peak, "bytes");
}

/* Every workload of one kind: counted, then run with each allocator. */
static int
test_mem_kind(const void *data)
{
	enum mem_kind kind = *(const enum mem_kind *)data;
	unsigned int i, a, t, ran = 0;

	for (i = 0; i < RTE_DIM(mem_wls); i++) {
		const struct mem_wl *w = &mem_wls[i];
		struct mem_row *row = &mem_rows[mem_n_rows];
		double secs[MEM_NUM_ALLOCS];
		struct mem_fig none;

		if (w->kind != kind || !mem_env_lists("FASTMEM_PERF_WORKLOADS", w->name) ||
				mem_n_rows == MEM_MAX_ROWS)
			continue;
		memset(row, 0, sizeof(*row));
		row->w = w;
		memset(&mem_r.types, 0, sizeof(mem_r.types));
		mem_r.types.n = w->mix->n;
		memcpy(mem_r.types.size, w->mix->size, sizeof(mem_r.types.size));
		TEST_ASSERT_SUCCESS(mem_run_one(w, i, &mem_counter, &none),
			"%s: counting failed", w->name);
		row->peak_live = mem_r.peak_live;
		row->end_live = mem_r.end_live;
		printf("\n%s, types of", w->name);
		for (t = 0; t < w->mix->n; t++)
			printf(" %zu", w->mix->size[t]);
		printf(" B: %" PRIu64 " operations; peak live %.1f MiB, at the end %.1f MiB;"
			" peak objects per type:", mem_r.ops, MIB(row->peak_live),
			MIB(row->end_live));
		for (t = 0; t < w->mix->n; t++)
			printf(" %" PRIu64, mem_r.types.peak_count[t]);
		printf("\n");
		for (a = 0; a < MEM_NUM_ALLOCS; a++) {
			uint64_t t0 = rte_get_timer_cycles();

			if (!mem_env_lists("FASTMEM_PERF_ALLOCATORS", mem_allocs[a].name))
				continue;
			TEST_ASSERT_SUCCESS(mem_run_one(w, i, &mem_allocs[a], &row->f[a]),
				"%s: %s failed", w->name, mem_allocs[a].name);
			row->ran[a] = true;
			secs[a] = (double)(rte_get_timer_cycles() - t0) / rte_get_timer_hz();
		}
		printf("  run time (s):");
		for (a = 0; a < MEM_NUM_ALLOCS; a++)
			if (row->ran[a])
				printf(" %s %.2f", mem_allocs[a].name, secs[a]);
		printf("\n");
		mem_n_rows++;
		ran++;
		mem_report(row);
		/* the full version takes minutes: show each workload as it ends */
		fflush(stdout);
	}
	return ran > 0 ? TEST_SUCCESS : TEST_SKIPPED;
}

/* The summary: one line per workload, as a Markdown table (MiB). */
static void
mem_summary(void)
{
	char r1[16], r2[16], r3[16], m1[16], m2[16], m3[16], m4[16], m5[16], n1[24];
	unsigned int i;

	printf("\nfastmem_memory_perf summary (%s version, seed 0x%" PRIx64 "; MiB):\n\n",
		mem_quick ? "quick" : "full", mem_seed);
	printf("| workload | sizes (B) | live | fastmem | mempools | rte_malloc | fastmem /"
		" mempools | fastmem / rte_malloc | fastmem / live | classes at end |"
		" cached | runs emptied |\n");
	printf("|---|---|---|---|---|---|---|---|---|---|---|---|\n");
	for (i = 0; i < mem_n_rows; i++) {
		const struct mem_row *r = &mem_rows[i];
		const struct mem_fig *fm = &r->f[MEM_FASTMEM];

		if (r->ran[MEM_FASTMEM])
			snprintf(n1, sizeof(n1), "%" PRIu64, fm->slabs_emptied);
		else
			snprintf(n1, sizeof(n1), "-");
		printf("| %s | %zu..%zu | %.1f | %s | %s | %s | %s | %s | %s | %s | %s | %s |\n",
			r->w->name, r->w->mix->size[0],
			r->w->mix->size[r->w->mix->n - 1], MIB(r->peak_live),
			mem_mib(m1, sizeof(m1), r->ran[MEM_FASTMEM], fm->peak),
			mem_mib(m2, sizeof(m2), r->ran[MEM_MEMPOOLS], r->f[MEM_MEMPOOLS].peak),
			mem_mib(m3, sizeof(m3), r->ran[MEM_RTE_MALLOC],
				r->f[MEM_RTE_MALLOC].peak),
			mem_ratio(r1, sizeof(r1), fm->peak, r->f[MEM_MEMPOOLS].peak),
			mem_ratio(r2, sizeof(r2), fm->peak, r->f[MEM_RTE_MALLOC].peak),
			mem_ratio(r3, sizeof(r3), fm->peak, r->peak_live),
			mem_mib(m4, sizeof(m4), r->ran[MEM_FASTMEM], fm->classes_end),
			mem_mib(m5, sizeof(m5), r->ran[MEM_FASTMEM], fm->cached_peak), n1);
	}
}

static const enum mem_kind kind_oldest = MEM_OLDEST;
static const enum mem_kind kind_random = MEM_RANDOM;
static const enum mem_kind kind_heavy = MEM_HEAVY;
static const enum mem_kind kind_steady = MEM_STEADY;

static struct unit_test_suite mem_suite = {
	.suite_name = "fastmem memory perf",
	.setup = NULL,
	.teardown = NULL,
	.unit_test_cases = {
		TEST_CASE_NAMED_WITH_DATA("oldest-first", NULL, NULL, test_mem_kind,
			&kind_oldest),
		TEST_CASE_NAMED_WITH_DATA("random victims", NULL, NULL, test_mem_kind,
			&kind_random),
		TEST_CASE_NAMED_WITH_DATA("heavy-tailed lifetimes", NULL, NULL, test_mem_kind,
			&kind_heavy),
		TEST_CASE_NAMED_WITH_DATA("one type at steady state", NULL, NULL, test_mem_kind,
			&kind_steady),
		TEST_CASES_END()
	}
};

static int
mem_main(bool quick)
{
	const char *seed = getenv("FASTMEM_PERF_SEED");
	const char *q = getenv("FASTMEM_PERF_QUICK");
	uint64_t start = rte_get_timer_cycles();
	struct rte_fastmem_stats st;
	bool was_init = rte_fastmem_stats(&st) == 0;
	int ret;

	mem_quick = quick || (q != NULL && atoi(q) > 0);
	mem_seed = seed != NULL && seed[0] != '\0' ? strtoull(seed, NULL, 0) : MEM_DEFAULT_SEED;
	mem_n_rows = 0;
	printf("fastmem_memory_perf: %s version, seed 0x%" PRIx64 " (FASTMEM_PERF_SEED), %s,"
		" IOVA as %s; fastmem asked for %d B alignment, rte_malloc for the cache line\n",
		mem_quick ? "quick" : "full", mem_seed,
		rte_eal_has_hugepages() ? "hugepages" : "no hugepages",
		rte_eal_iova_mode() == RTE_IOVA_VA ? "VA" :
		rte_eal_iova_mode() == RTE_IOVA_PA ? "PA" : "either", MEM_FM_ALIGN);
	ret = unit_test_suite_runner(&mem_suite);
	mem_summary();
	printf("\nfastmem_memory_perf: done in %.1f s\n",
		(double)(rte_get_timer_cycles() - start) / rte_get_timer_hz());
	/* leave fastmem as found: the runs end with rte_fastmem_deinit() */
	if (was_init && rte_fastmem_init() != 0)
		ret = TEST_FAILED;
	return ret;
}

static int
test_fastmem_memory_perf(void)
{
	return mem_main(false);
}

static int
test_fastmem_memory_perf_quick(void)
{
	return mem_main(true);
}

REGISTER_PERF_TEST(fastmem_memory_perf_autotest, test_fastmem_memory_perf);
REGISTER_PERF_TEST(fastmem_memory_perf_quick_autotest, test_fastmem_memory_perf_quick);
