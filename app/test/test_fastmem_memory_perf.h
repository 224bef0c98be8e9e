/* SPDX-License-Identifier: BSD-3-Clause
 * Copyright(c) 2026 The dpdk-lcoremem authors
 */

#ifndef TEST_FASTMEM_MEMORY_PERF_H
#define TEST_FASTMEM_MEMORY_PERF_H

/*
 * The allocators of fastmem_memory_perf_autotest and what each of them costs in memory.
 *
 * An allocator is a struct mem_alloc: start() before a run (fastmem is initialized, the
 * pools are created), alloc() and free() of an object of a type of the current mix,
 * sample() during the run, stop() after it (everything given back, the figures filled in).
 * Every figure comes from public interfaces only, so that it keeps its meaning whatever
 * the allocators do inside:
 *  - EAL's memory: the bytes allocated from EAL's malloc heaps, summed over the NUMA
 *    sockets (rte_malloc_get_socket_stats()'s heap_allocsz_bytes: every element, memzones
 *    included, with its header and padding), and the bytes of all memzones
 *    (rte_memzone_walk());
 *  - fastmem's statistics (rte_fastmem_stats(), rte_fastmem_stats_class());
 *  - a mempool's memory chunks (rte_mempool_mem_iter()) and its memzone (mp->mz).
 * Figures in bytes; "peak" is the largest value sampled during the run. The peak backing
 * of every allocator rests on EAL's statistics alone; fastmem's memory held by classes
 * is the bytes of their runs (rte_fastmem_class_stats::bytes_runs), and its runs emptied
 * count the runs whose pages became free again (slab_releases).
 */

#include <errno.h>
#include <stdbool.h>
#include <stdint.h>
#include <stdio.h>
#include <string.h>

#include <rte_common.h>
#include <rte_errno.h>
#include <rte_lcore.h>
#include <rte_malloc.h>
#include <rte_memzone.h>
#include <rte_mempool.h>

#include <rte_fastmem.h>

/* The most object types of a mix. */
#define MEM_MAX_TYPES 8
/* Alignment asked of fastmem: the smallest class that holds the size (8 B granules). */
#define MEM_FM_ALIGN 8
/* Largest per-lcore cache of a mempool (as fastmem_perf_autotest uses). */
#define MEM_MP_CACHE ((unsigned int)RTE_MEMPOOL_CACHE_MAX_SIZE)

/*
 * Operations between samples. Reading a heap's statistics walks its free elements, which
 * rte_malloc leaves by the hundred thousand after random frees: it is sampled less often.
 * Between two samples the live bytes move by at most that many objects (far less in the
 * workloads, where frees and allocations interleave or a phase's end is sampled).
 */
#define MEM_FM_SAMPLE_EVERY 256
#define MEM_RM_SAMPLE_EVERY 4096

#define MIB(b) ((double)(b) / (1 << 20))

/* The object types of the run in progress. */
struct mem_types {
	unsigned int n;
	size_t size[MEM_MAX_TYPES];
	uint64_t peak_count[MEM_MAX_TYPES]; /* objects alive at once, from the counting run */
};

/* What one allocator cost in one run. */
struct mem_fig {
	uint64_t peak;          /* peak backing: EAL memory the allocator holds */
	/* fastmem */
	uint64_t zones;         /* bytes_backing: the memzones of backing memory */
	uint64_t meta_zones;    /* other memzones fastmem reserved (its state), at the end */
	uint64_t n_zones;       /* memzones fastmem reserved, backing and state, at the end */
	uint64_t meta_heap;     /* other EAL heap growth (rte_malloc'd caches, element headers) */
	uint64_t classes_peak;  /* bytes_runs of every class: the pages of their runs */
	uint64_t classes_end;   /* the same at the end of the run, before the last frees */
	uint64_t cached_peak;   /* bytes_cached: lcore and transfer caches */
	uint64_t in_use_peak;   /* bytes_in_use: objects at their class size */
	uint64_t slabs_emptied; /* slab_releases of every class: runs emptied */
	/* per-type mempools */
	uint64_t pool_hdrs;     /* the pools' memzones: struct and per-lcore caches */
	uint64_t pool_tight;    /* objects x rte_mempool_calc_obj_size(NO_SPREAD) */
};

/* An allocator under test. */
struct mem_alloc {
	const char *name; /* in the CSV and the tables */
	int (*start)(const struct mem_types *t);
	void *(*alloc)(unsigned int type);
	void (*free)(unsigned int type, void *p);
	void (*sample)(bool end); /* end: the last sample, before the run frees what is left */
	unsigned int sample_every; /* operations between samples (besides phase ends) */
	void (*stop)(struct mem_fig *f);
};

static const struct mem_types *mem_cur_types;
static struct mem_fig mem_cur;
static uint64_t mem_heap0; /* EAL heap bytes allocated before the run */
static uint64_t mem_zone0; /* memzone bytes before the run */
static uint64_t mem_nzone0; /* memzones before the run */
static struct rte_mempool *mem_pools[MEM_MAX_TYPES];

/* Bytes allocated from EAL's malloc heaps, over every NUMA socket. */
static inline uint64_t
mem_eal_heap(void)
{
	struct rte_malloc_socket_stats st;
	unsigned int i;
	uint64_t sum = 0;

	for (i = 0; i < rte_socket_count(); i++) {
		int socket = rte_socket_id_by_idx(i);

		if (socket >= 0 && rte_malloc_get_socket_stats(socket, &st) == 0)
			sum += st.heap_allocsz_bytes;
	}
	return sum;
}

static inline void
mem_zone_len(const struct rte_memzone *mz, void *arg)
{
	uint64_t *sum = arg;

	sum[0] += mz->len;
	sum[1]++;
}

/* Bytes of all memzones; their number in *count. */
static inline uint64_t
mem_eal_zones(uint64_t *count)
{
	uint64_t sum[2] = { 0, 0 };

	rte_memzone_walk(mem_zone_len, sum);
	*count = sum[1];
	return sum[0];
}

static inline uint64_t
mem_growth(uint64_t now, uint64_t base)
{
	return now > base ? now - base : 0;
}

/* --- counting: no memory, only the demand --- */

static inline int
mem_null_start(const struct mem_types *t)
{
	mem_cur_types = t;
	return 0;
}

static inline void *
mem_null_alloc(unsigned int type)
{
	return (void *)(uintptr_t)(type + 1);
}

static inline void
mem_null_free(unsigned int type, void *p)
{
	RTE_SET_USED(type);
	RTE_SET_USED(p);
}

static inline void
mem_null_stop(struct mem_fig *f)
{
	memset(f, 0, sizeof(*f));
}

/* --- fastmem, from rte_fastmem_init() to rte_fastmem_deinit() --- */

static inline int
mem_fm_start(const struct mem_types *t)
{
	mem_cur_types = t;
	memset(&mem_cur, 0, sizeof(mem_cur));
	rte_fastmem_deinit();
	mem_heap0 = mem_eal_heap();
	mem_zone0 = mem_eal_zones(&mem_nzone0);
	return rte_fastmem_init();
}

static inline void *
mem_fm_alloc(unsigned int type)
{
	return rte_fastmem_alloc(mem_cur_types->size[type], MEM_FM_ALIGN, 0);
}

static inline void
mem_fm_free(unsigned int type, void *p)
{
	RTE_SET_USED(type);
	rte_fastmem_free(p);
}

static inline void
mem_fm_sample(bool end)
{
	size_t sizes[RTE_FASTMEM_MAX_CLASSES];
	struct rte_fastmem_class_stats cs;
	struct rte_fastmem_stats s;
	unsigned int i, n = rte_fastmem_classes(sizes);
	uint64_t slabs = 0, released = 0, heap, zones, n_zones;

	if (rte_fastmem_stats(&s) != 0)
		return;
	for (i = 0; i < n; i++) {
		if (rte_fastmem_stats_class(sizes[i], &cs) != 0)
			continue;
		slabs += cs.bytes_runs;
		released += cs.slab_releases;
	}
	heap = mem_growth(mem_eal_heap(), mem_heap0);
	zones = mem_growth(mem_eal_zones(&n_zones), mem_zone0);
	/* the heap holds the memzones: what it grew by is everything fastmem took */
	mem_cur.peak = RTE_MAX(mem_cur.peak, heap);
	mem_cur.peak = RTE_MAX(mem_cur.peak, s.bytes_backing);
	mem_cur.zones = RTE_MAX(mem_cur.zones, s.bytes_backing);
	mem_cur.classes_peak = RTE_MAX(mem_cur.classes_peak, slabs);
	mem_cur.cached_peak = RTE_MAX(mem_cur.cached_peak, s.bytes_cached);
	mem_cur.in_use_peak = RTE_MAX(mem_cur.in_use_peak, s.bytes_in_use);
	if (end) {
		mem_cur.classes_end = slabs;
		mem_cur.slabs_emptied = released;
		mem_cur.meta_zones = mem_growth(zones, s.bytes_backing);
		mem_cur.n_zones = mem_growth(n_zones, mem_nzone0);
		mem_cur.meta_heap = mem_growth(heap, zones);
	}
}

static inline void
mem_fm_stop(struct mem_fig *f)
{
	rte_fastmem_deinit();
	*f = mem_cur;
}

/* --- one mempool per type, each created for the peak count of its type --- */

static inline void
mem_mp_chunk(struct rte_mempool *mp, void *opaque, struct rte_mempool_memhdr *memhdr,
		unsigned int mem_idx)
{
	RTE_SET_USED(mp);
	RTE_SET_USED(mem_idx);
	*(uint64_t *)opaque += memhdr->len;
}

static inline void
mem_mp_stop(struct mem_fig *f)
{
	unsigned int t;

	for (t = 0; t < MEM_MAX_TYPES; t++) {
		rte_mempool_free(mem_pools[t]);
		mem_pools[t] = NULL;
	}
	*f = mem_cur;
}

static inline int
mem_mp_start(const struct mem_types *t)
{
	char name[RTE_MEMPOOL_NAMESIZE];
	unsigned int i;

	mem_cur_types = t;
	memset(&mem_cur, 0, sizeof(mem_cur));
	for (i = 0; i < t->n; i++) {
		unsigned int n = (unsigned int)RTE_MAX(t->peak_count[i], UINT64_C(1));
		/* a cache may hold at most 2/3 of the pool (its flush threshold is 1.5 x) */
		unsigned int cache = RTE_MIN(MEM_MP_CACHE, n * 2 / 3);

		snprintf(name, sizeof(name), "mb_mp%u", i);
		mem_pools[i] = rte_mempool_create(name, n, (unsigned int)t->size[i], cache, 0,
				NULL, NULL, NULL, NULL, SOCKET_ID_ANY, 0);
		if (mem_pools[i] == NULL) {
			printf("cannot create mempool %s of %u x %zu B: %s\n", name, n,
				t->size[i], rte_strerror(rte_errno));
			mem_mp_stop(&mem_cur);
			return -ENOMEM;
		}
		rte_mempool_mem_iter(mem_pools[i], mem_mp_chunk, &mem_cur.peak);
		mem_cur.pool_hdrs += mem_pools[i]->mz->len;
		mem_cur.pool_tight += (uint64_t)n * rte_mempool_calc_obj_size(
				(uint32_t)t->size[i], RTE_MEMPOOL_F_NO_SPREAD, NULL);
	}
	return 0;
}

static inline void *
mem_mp_alloc(unsigned int type)
{
	void *p;

	return rte_mempool_get(mem_pools[type], &p) == 0 ? p : NULL;
}

static inline void
mem_mp_free(unsigned int type, void *p)
{
	rte_mempool_put(mem_pools[type], p);
}

/* --- rte_malloc: what the heap allocated grows by --- */

static inline int
mem_rm_start(const struct mem_types *t)
{
	mem_cur_types = t;
	memset(&mem_cur, 0, sizeof(mem_cur));
	mem_heap0 = mem_eal_heap();
	return 0;
}

static inline void *
mem_rm_alloc(unsigned int type)
{
	return rte_malloc(NULL, mem_cur_types->size[type], 0);
}

static inline void
mem_rm_free(unsigned int type, void *p)
{
	RTE_SET_USED(type);
	rte_free(p);
}

static inline void
mem_rm_sample(bool end)
{
	RTE_SET_USED(end);
	mem_cur.peak = RTE_MAX(mem_cur.peak, mem_growth(mem_eal_heap(), mem_heap0));
}

static inline void
mem_rm_stop(struct mem_fig *f)
{
	*f = mem_cur;
}

/* The allocators compared, in the order they run; the counting run comes first. */
enum mem_alloc_id { MEM_FASTMEM, MEM_MEMPOOLS, MEM_RTE_MALLOC, MEM_NUM_ALLOCS };

static const struct mem_alloc mem_counter = {
	"count", mem_null_start, mem_null_alloc, mem_null_free, NULL, 0, mem_null_stop,
};

static const struct mem_alloc mem_allocs[MEM_NUM_ALLOCS] = {
	[MEM_FASTMEM] = { "fastmem", mem_fm_start, mem_fm_alloc, mem_fm_free, mem_fm_sample,
		MEM_FM_SAMPLE_EVERY, mem_fm_stop },
	[MEM_MEMPOOLS] = { "mempool", mem_mp_start, mem_mp_alloc, mem_mp_free, NULL, 0,
		mem_mp_stop },
	[MEM_RTE_MALLOC] = { "rte_malloc", mem_rm_start, mem_rm_alloc, mem_rm_free,
		mem_rm_sample, MEM_RM_SAMPLE_EVERY, mem_rm_stop },
};

#endif /* TEST_FASTMEM_MEMORY_PERF_H */
