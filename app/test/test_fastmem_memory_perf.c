/* SPDX-License-Identifier: BSD-3-Clause
 * Copyright(c) 2026 The dpdk-lcoremem authors
 */

/*
 * fastmem_memory_perf_autotest: the memory a shifting workload costs with fastmem, with
 * one mempool per object type, and with rte_malloc.
 *
 * The workload has four object types, A to D, of 64, 200, 700 and 1500 B. Each type's
 * demand peaks at MEM_PEAK_BYTES of objects and ebbs to a sixteenth of that. The phases
 * are A, B, C, D, A: in each, the phase's type rises from its low to its peak while the
 * previous phase's type falls back to its low (oldest objects first, as sessions time
 * out), the two interleaved at the same relative pace; every eighth step also frees a
 * randomly chosen live object and allocates a replacement of the same type. The sequence
 * is pseudo-random but the same on every run and for every allocator.
 *
 * What is reported, at its peak over the run, against the peak of live bytes (the sum of
 * the requested sizes of the objects alive):
 *  - fastmem: bytes_backing of rte_fastmem_stats(), the memzones reserved from EAL (this is
 *    never given back before rte_fastmem_deinit(), so its last value is its peak); and,
 *    sampled every 1024 steps, the slabs assigned to classes (slabs_partial + slabs_full
 *    of every class) x 2 MiB, which is the memory in use independent of zone size;
 *  - per-type mempools, each created for the peak object count of its own type (a
 *    deployment that knows its peaks exactly), with the cache of the speed benchmark
 *    (512): the sum of the memory chunks of the four pools (rte_mempool_mem_iter(): the
 *    objects with their headers and padding); the pools' own memzones (struct and per-lcore
 *    caches) are printed apart, not counted in the ratio. Pools are created with the
 *    default flags, which pad each object to an odd number of cache lines (spreading
 *    objects over memory channels); what the pools would take with
 *    RTE_MEMPOOL_F_NO_SPREAD (rte_mempool_calc_obj_size() x objects, no page losses) is
 *    printed too, as the tightest per-type pools can be;
 *  - rte_malloc: the peak, sampled every 1024 steps and at every phase's end, of the growth
 *    of heap_allocsz_bytes of the lcore's socket (rte_malloc_get_socket_stats()): the
 *    elements, their headers and padding included.
 *
 * Environment: FASTMEM_PERF_CSV appends the figures to that CSV file (see
 * test_fastmem_perf.h). Nothing here asserts a size: the test fails only when an
 * allocator fails.
 */

#include <errno.h>
#include <inttypes.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <rte_common.h>
#include <rte_cycles.h>
#include <rte_errno.h>
#include <rte_lcore.h>
#include <rte_malloc.h>
#include <rte_mempool.h>

#include <rte_fastmem.h>

#include "test.h"
#include "test_fastmem_perf.h"

#define MEM_TYPES 4
#define MEM_PEAK_BYTES ((uint64_t)48 << 20) /* per type, of requested sizes */
#define MEM_LOW_DIV 16 /* a type's low is its peak count / MEM_LOW_DIV */
#define MEM_CHURN_EVERY 8
#define MEM_SAMPLE_EVERY 1024
#define MIB(b) ((double)(b) / (1 << 20))

static const size_t mem_sizes[MEM_TYPES] = { 64, 200, 700, 1500 };
static const unsigned int mem_phases[] = { 0, 1, 2, 3, 0 };

/* The live objects of a type, oldest first: a ring of peak count + 1 slots. */
struct mem_live {
	void **objs;
	uint64_t cap;
	uint64_t head; /* next slot to fill */
	uint64_t tail; /* oldest */
};

/* An allocator under test. */
struct mem_ops {
	const char *name;
	void *(*alloc)(unsigned int type);
	void (*free)(unsigned int type, void *p);
	void (*sample)(void); /* record the allocator's memory now (may be NULL) */
};

/* What a run observed. */
struct mem_run {
	uint64_t peak_live;            /* bytes requested, alive at once */
	uint64_t peak_count[MEM_TYPES]; /* objects alive at once, per type */
	uint64_t steps;
};

static struct rte_mempool *mem_pools[MEM_TYPES];
static uint64_t mem_peak;    /* the allocator's sampled peak, bytes */
static uint64_t mem_peak2;   /* a second figure (fastmem: slabs in use) */
static uint64_t mem_base;    /* rte_malloc: heap_allocsz_bytes before the run */

static uint64_t
mem_count(const struct mem_live *l)
{
	return l->head - l->tail;
}

static uint64_t
mem_peak_count(unsigned int t)
{
	return MEM_PEAK_BYTES / mem_sizes[t];
}

/* Run the workload once. Returns 0, or -ENOMEM when an allocation failed. */
static int
mem_workload(const struct mem_ops *ops, struct mem_run *run)
{
	struct mem_live live[MEM_TYPES];
	uint64_t state = UINT64_C(0xbb67ae8584caa73b);
	uint64_t bytes = 0, low[MEM_TYPES];
	unsigned int t, p;
	int ret = 0;

	memset(run, 0, sizeof(*run));
	memset(live, 0, sizeof(live));
	for (t = 0; t < MEM_TYPES; t++) {
		live[t].cap = mem_peak_count(t) + 1;
		live[t].objs = calloc(live[t].cap, sizeof(void *));
		low[t] = mem_peak_count(t) / MEM_LOW_DIV;
		if (live[t].objs == NULL) {
			ret = -ENOMEM;
			goto out;
		}
	}

/* add one object of type t, remove the oldest of type t */
#define MEM_PUSH(t) do { \
		void *o_ = ops->alloc(t); \
		if (o_ == NULL) { \
			ret = -ENOMEM; \
			goto out; \
		} \
		live[t].objs[live[t].head++ % live[t].cap] = o_; \
		bytes += mem_sizes[t]; \
	} while (0)
#define MEM_POP(t) do { \
		ops->free(t, live[t].objs[live[t].tail++ % live[t].cap]); \
		bytes -= mem_sizes[t]; \
	} while (0)

	for (t = 0; t < MEM_TYPES; t++)
		while (mem_count(&live[t]) < low[t])
			MEM_PUSH(t);
	for (p = 0; p < RTE_DIM(mem_phases); p++) {
		unsigned int up_t = mem_phases[p];
		unsigned int down_t = p > 0 ? mem_phases[p - 1] : MEM_TYPES;
		uint64_t n_up = mem_peak_count(up_t) - mem_count(&live[up_t]);
		uint64_t n_down = down_t < MEM_TYPES ? mem_count(&live[down_t]) - low[down_t] : 0;
		uint64_t up = 0, down = 0;

		while (up < n_up || down < n_down) {
			/* keep both at the same fraction of their way */
			if (down < n_down && (up >= n_up || down * n_up <= up * n_down)) {
				MEM_POP(down_t);
				down++;
			} else {
				MEM_PUSH(up_t);
				up++;
			}
			run->steps++;
			run->peak_live = RTE_MAX(run->peak_live, bytes);
			for (t = 0; t < MEM_TYPES; t++)
				run->peak_count[t] = RTE_MAX(run->peak_count[t],
						mem_count(&live[t]));
			if (run->steps % MEM_CHURN_EVERY == 0) {
				uint64_t r = perf_rand(&state);
				struct mem_live *l;
				uint64_t pick;
				void **slot;

				t = (unsigned int)(r % MEM_TYPES);
				l = &live[t];
				if (mem_count(l) > 0) {
					pick = l->tail + (r >> 8) % mem_count(l);
					slot = &l->objs[pick % l->cap];
					ops->free(t, *slot);
					*slot = ops->alloc(t);
					if (*slot == NULL) {
						/* the NULL slot is skipped when emptying */
						bytes -= mem_sizes[t];
						ret = -ENOMEM;
						goto out;
					}
				}
			}
			if (run->steps % MEM_SAMPLE_EVERY == 0 && ops->sample != NULL)
				ops->sample();
		}
		if (ops->sample != NULL)
			ops->sample();
	}
out:
	for (t = 0; t < MEM_TYPES; t++) {
		if (live[t].objs == NULL)
			continue;
		while (mem_count(&live[t]) > 0) {
			void *o = live[t].objs[live[t].tail % live[t].cap];

			if (o != NULL)
				MEM_POP(t);
			else
				live[t].tail++;
		}
		free(live[t].objs);
	}
#undef MEM_PUSH
#undef MEM_POP
	return ret;
}

/* --- the allocators --- */

static void *
null_alloc(unsigned int type)
{
	return (void *)(uintptr_t)(type + 1);
}

static void
null_free(unsigned int type, void *p)
{
	RTE_SET_USED(type);
	RTE_SET_USED(p);
}

static void *
fm_alloc(unsigned int type)
{
	return rte_fastmem_alloc(mem_sizes[type], PERF_ALIGN, 0);
}

static void
fm_free(unsigned int type, void *p)
{
	RTE_SET_USED(type);
	rte_fastmem_free(p);
}

static void
fm_sample(void)
{
	size_t sizes[RTE_FASTMEM_MAX_CLASSES];
	struct rte_fastmem_class_stats cs;
	struct rte_fastmem_stats s;
	unsigned int i, n = rte_fastmem_classes(sizes);
	uint64_t slabs = 0;

	if (rte_fastmem_stats(&s) == 0)
		mem_peak = RTE_MAX(mem_peak, s.bytes_backing);
	for (i = 0; i < n; i++)
		if (rte_fastmem_stats_class(sizes[i], &cs) == 0)
			slabs += cs.slabs_partial + cs.slabs_full;
	mem_peak2 = RTE_MAX(mem_peak2, slabs * RTE_FASTMEM_SLAB_SIZE);
}

static void *
mp_alloc(unsigned int type)
{
	void *p;

	return rte_mempool_get(mem_pools[type], &p) == 0 ? p : NULL;
}

static void
mp_free(unsigned int type, void *p)
{
	rte_mempool_put(mem_pools[type], p);
}

static void *
rm_alloc(unsigned int type)
{
	return rte_malloc(NULL, mem_sizes[type], 0);
}

static void
rm_free(unsigned int type, void *p)
{
	RTE_SET_USED(type);
	rte_free(p);
}

static int
rm_socket(void)
{
	int s = (int)rte_socket_id();

	return s >= 0 && s < RTE_MAX_NUMA_NODES ? s : 0;
}

static uint64_t
rm_allocated(void)
{
	struct rte_malloc_socket_stats st;

	if (rte_malloc_get_socket_stats(rm_socket(), &st) != 0)
		return 0;
	return st.heap_allocsz_bytes;
}

static void
rm_sample(void)
{
	uint64_t now = rm_allocated();

	if (now > mem_base)
		mem_peak = RTE_MAX(mem_peak, now - mem_base);
}

static void
mp_chunk_len(struct rte_mempool *mp, void *opaque, struct rte_mempool_memhdr *memhdr,
		unsigned int mem_idx)
{
	uint64_t *sum = opaque;

	RTE_SET_USED(mp);
	RTE_SET_USED(mem_idx);
	*sum += memhdr->len;
}

/* --- the test --- */

static void
mem_csv(const char *allocator, uint64_t bytes, double ratio)
{
	const char *path = getenv("FASTMEM_PERF_CSV");
	FILE *f;

	if (path == NULL || path[0] == '\0')
		return;
	f = fopen(path, "a");
	if (f == NULL)
		return;
	if (fseek(f, 0, SEEK_END) == 0 && ftell(f) == 0)
		fprintf(f, "%s\n", PERF_CSV_HEADER);
	fprintf(f, "memory,1,64+200+700+1500,shifting,%s,%" PRIu64 ",bytes,%.3f\n", allocator,
		bytes, ratio);
	fclose(f);
}

static void
mem_print(const char *what, uint64_t bytes, uint64_t live, uint64_t pools, const char *note)
{
	printf("%-22s %10.1f MiB %9.2fx", what, MIB(bytes), (double)bytes / (double)live);
	if (pools > 0)
		printf(" %9.2fx", (double)bytes / (double)pools);
	else
		printf(" %10s", "");
	printf("  %s\n", note);
}

static int
test_fastmem_memory_perf(void)
{
	static const struct mem_ops null_ops = { "count", null_alloc, null_free, NULL };
	static const struct mem_ops fm_ops = { "fastmem", fm_alloc, fm_free, fm_sample };
	static const struct mem_ops mp_ops = { "mempools", mp_alloc, mp_free, NULL };
	static const struct mem_ops rm_ops = { "rte_malloc", rm_alloc, rm_free, rm_sample };
	uint64_t start = rte_get_timer_cycles();
	uint64_t pools = 0, pool_hdrs = 0, tight = 0, fm_backing, fm_slabs, rm_peak;
	struct mem_run ref, run;
	char name[RTE_MEMPOOL_NAMESIZE];
	unsigned int t;
	int ret;

	printf("fastmem_memory_perf: types of 64, 200, 700 and 1500 B; phases A, B, C, D, A; "
		"each type rises to %.0f MiB of objects and falls to 1/%d of that; one step in %d "
		"replaces a random live object\n", MIB(MEM_PEAK_BYTES), MEM_LOW_DIV,
		MEM_CHURN_EVERY);

	/* the demand itself */
	ret = mem_workload(&null_ops, &ref);
	TEST_ASSERT_SUCCESS(ret, "counting run failed");
	printf("%" PRIu64 " steps; peak live %.1f MiB; peak objects per type:", ref.steps,
		MIB(ref.peak_live));
	for (t = 0; t < MEM_TYPES; t++)
		printf(" %c %" PRIu64, 'A' + t, ref.peak_count[t]);
	printf("\n");

	/* fastmem, from empty */
	rte_fastmem_deinit();
	TEST_ASSERT_SUCCESS(rte_fastmem_init(), "rte_fastmem_init() failed");
	mem_peak = mem_peak2 = 0;
	ret = mem_workload(&fm_ops, &run);
	fm_sample();
	fm_backing = mem_peak;
	fm_slabs = mem_peak2;
	rte_fastmem_deinit();
	TEST_ASSERT_SUCCESS(ret, "fastmem ran out of memory");

	/* one mempool per type, each for its own peak */
	for (t = 0; t < MEM_TYPES; t++) {
		snprintf(name, sizeof(name), "fmmem_mp%c", 'A' + t);
		mem_pools[t] = perf_mempool_create(name, (unsigned int)ref.peak_count[t],
				mem_sizes[t]);
		if (mem_pools[t] == NULL) {
			printf("cannot create mempool %s of %" PRIu64 " x %zu B: %s\n", name,
				ref.peak_count[t], mem_sizes[t], rte_strerror(rte_errno));
			ret = -ENOMEM;
			break;
		}
		rte_mempool_mem_iter(mem_pools[t], mp_chunk_len, &pools);
		tight += ref.peak_count[t] * rte_mempool_calc_obj_size((uint32_t)mem_sizes[t],
				RTE_MEMPOOL_F_NO_SPREAD, NULL);
		pool_hdrs += mem_pools[t]->mz->len;
	}
	if (ret == 0)
		ret = mem_workload(&mp_ops, &run);
	for (t = 0; t < MEM_TYPES; t++) {
		rte_mempool_free(mem_pools[t]);
		mem_pools[t] = NULL;
	}
	TEST_ASSERT_SUCCESS(ret, "the per-type mempools failed");

	/* rte_malloc */
	mem_peak = 0;
	mem_base = rm_allocated();
	ret = mem_workload(&rm_ops, &run);
	rm_peak = mem_peak;
	TEST_ASSERT_SUCCESS(ret, "rte_malloc ran out of memory");

	printf("\n%-22s %14s %10s %10s\n", "allocator", "peak memory", "/ live", "/ mempools");
	mem_print("fastmem backing", fm_backing, ref.peak_live, pools,
		"bytes_backing: memzones reserved from EAL");
	mem_print("fastmem slabs in use", fm_slabs, ref.peak_live, pools,
		"slabs assigned to classes x 2 MiB, sampled");
	mem_print("per-type mempools", pools, ref.peak_live, pools,
		"memory chunks of the 4 pools, each sized for its peak");
	printf("%-22s %10.1f MiB  (pool structs and per-lcore caches, not counted above)\n",
		"  + mempool headers", MIB(pool_hdrs));
	mem_print("  mempools, no spread", tight, ref.peak_live, pools,
		"computed: objects x rte_mempool_calc_obj_size(NO_SPREAD)");
	mem_print("rte_malloc", rm_peak, ref.peak_live, pools,
		"growth of heap_allocsz_bytes (headers, padding), sampled");
	printf("\nTarget: fastmem backing / per-type mempools <= 0.6x: %.2fx %s"
		" (slabs in use: %.2fx; against no-spread pools: %.2fx and %.2fx)\n",
		(double)fm_backing / pools, (double)fm_backing / pools <= 0.6 ? "met" : "NOT met",
		(double)fm_slabs / pools, (double)fm_backing / tight, (double)fm_slabs / tight);
	printf("fastmem_memory_perf: done in %.1f s\n",
		(double)(rte_get_timer_cycles() - start) / rte_get_timer_hz());

	mem_csv("live", ref.peak_live, 1.0);
	mem_csv("fastmem", fm_backing, (double)fm_backing / pools);
	mem_csv("fastmem_slabs", fm_slabs, (double)fm_slabs / pools);
	mem_csv("mempool", pools, 1.0);
	mem_csv("mempool_nospread", tight, (double)tight / pools);
	mem_csv("rte_malloc", rm_peak, (double)rm_peak / pools);
	return TEST_SUCCESS;
}

REGISTER_PERF_TEST(fastmem_memory_perf_autotest, test_fastmem_memory_perf);
