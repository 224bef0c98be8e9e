/* SPDX-License-Identifier: BSD-3-Clause
 * Copyright(c) 2026 The dpdk-lcoremem authors
 */

/*
 * Allocator setup, teardown and memory accounting.
 *
 * Memory is measured the same way for both allocators: the growth, since the allocator
 * was set up, of the bytes allocated from EAL's heaps (rte_malloc_get_socket_stats(),
 * memzones included, element headers and padding included). Everything else the
 * application allocates from EAL (mbufs, flow tables) exists before the baseline is
 * taken, so the growth is the allocator's alone. It is then split into the objects'
 * memory (fastmem's backing, the mempools' chunks) and the rest.
 */

#include <errno.h>
#include <inttypes.h>
#include <stdio.h>

#include <rte_errno.h>
#include <rte_lcore.h>
#include <rte_malloc.h>
#include <rte_memory.h>
#include <rte_mempool.h>

#include "ct_alloc.h"
#include "ct_flow.h"

/* The largest per-lcore cache of a pool, and the share of a pool the caches may take. */
#define CT_POOL_CACHE_MAX 256
#define CT_POOL_CACHE_DIV 4
/*
 * Objects per lcore that a pool without caches holds beyond the peak: the peaks of two
 * runs of the same input differ by a few objects per lcore, since which lcore expires a
 * flow, and when, depends on their timing.
 */
#define CT_POOL_SLACK 4

enum ct_allocator ct_alloc_kind = CT_ALLOC_FASTMEM;
struct rte_mempool *ct_pools[CT_OBJ_NUM];

static uint64_t heap_baseline;

static const char * const alloc_names[CT_ALLOC_NUM] = {
	[CT_ALLOC_FASTMEM] = "fastmem",
	[CT_ALLOC_MEMPOOL] = "mempool",
};

static const char * const obj_names[CT_OBJ_NUM] = {
	[CT_OBJ_FLOW] = "flow",
	[CT_OBJ_HIST_S] = "hist256",
	[CT_OBJ_HIST_M] = "hist1k",
	[CT_OBJ_HIST_L] = "hist4k",
};

const char *
ct_alloc_name(enum ct_allocator kind)
{
	return kind < CT_ALLOC_NUM ? alloc_names[kind] : "?";
}

const char *
ct_obj_name(enum ct_obj type)
{
	return type < CT_OBJ_NUM ? obj_names[type] : "?";
}

size_t
ct_obj_size(enum ct_obj type)
{
	switch (type) {
	case CT_OBJ_FLOW:
		return sizeof(struct ct_flow);
	case CT_OBJ_HIST_S:
		return CT_HIST_S_BYTES;
	case CT_OBJ_HIST_M:
		return CT_HIST_M_BYTES;
	default:
		return CT_HIST_L_BYTES;
	}
}

size_t
ct_obj_footprint(enum ct_allocator kind, enum ct_obj type)
{
	size_t want = RTE_ALIGN_CEIL(ct_obj_size(type), (size_t)RTE_CACHE_LINE_SIZE);
	size_t sizes[RTE_FASTMEM_MAX_CLASSES];
	struct rte_mempool_objsz sz;
	unsigned int i, n;

	if (kind == CT_ALLOC_MEMPOOL) {
		rte_mempool_calc_obj_size((uint32_t)ct_obj_size(type), 0, &sz);
		return sz.total_size;
	}
	n = rte_fastmem_classes(sizes);
	for (i = 0; i < n; i++)
		if (sizes[i] >= want)
			return sizes[i];
	return 0;
}

/* Bytes allocated from the heaps of every NUMA socket. */
static uint64_t
heap_allocated(void)
{
	struct rte_malloc_socket_stats st;
	unsigned int i, n = rte_socket_count();
	uint64_t sum = 0;

	for (i = 0; i < n; i++)
		if (rte_malloc_get_socket_stats(rte_socket_id_by_idx(i), &st) == 0)
			sum += st.heap_allocsz_bytes;
	return sum;
}

static int
pools_create(const struct ct_sizing *sizing, unsigned int n_lcores)
{
	unsigned int t;

	for (t = 0; t < CT_OBJ_NUM; t++) {
		uint64_t peak = RTE_MAX(sizing->objs[t], (uint64_t)1);
		uint64_t cache = RTE_MIN((uint64_t)CT_POOL_CACHE_MAX,
				peak / (CT_POOL_CACHE_DIV * n_lcores));
		char name[RTE_MEMPOOL_NAMESIZE];
		uint64_t n;

		/* a cache of a few objects costs more than it saves */
		if (cache < 8)
			cache = 0;
		/* the peak, and what the caches can hold beside it (1.5 caches each), or a
		 * few objects per lcore without caches */
		n = peak + (uint64_t)n_lcores * (cache != 0 ? cache * 3 / 2 : CT_POOL_SLACK);
		if (n > UINT32_MAX) {
			printf("conntrack: error: mempool of %" PRIu64 " %s objects is too large\n",
					n, ct_obj_name(t));
			return -E2BIG;
		}
		snprintf(name, sizeof(name), "ct_%s", ct_obj_name(t));
		ct_pools[t] = rte_mempool_create(name, (unsigned int)n,
				(unsigned int)ct_obj_size(t), (unsigned int)cache, 0,
				NULL, NULL, NULL, NULL, SOCKET_ID_ANY, 0);
		if (ct_pools[t] == NULL) {
			printf("conntrack: error: cannot create mempool %s of %" PRIu64
					" objects: %s\n", name, n, rte_strerror(rte_errno));
			return -rte_errno;
		}
	}
	return 0;
}

int
ct_alloc_setup(enum ct_allocator kind, const struct ct_sizing *sizing,
		unsigned int n_lcores, size_t fastmem_limit)
{
	void *warm;
	int ret;

	ct_alloc_kind = kind;
	heap_baseline = heap_allocated();
	if (kind == CT_ALLOC_FASTMEM) {
		ret = rte_fastmem_init();
		if (ret < 0) {
			printf("conntrack: error: rte_fastmem_init: %s\n", rte_strerror(-ret));
			return ret;
		}
		if (fastmem_limit != SIZE_MAX) {
			ret = rte_fastmem_set_limit(SOCKET_ID_ANY, fastmem_limit);
			if (ret < 0) {
				printf("conntrack: error: rte_fastmem_set_limit: %s\n",
						rte_strerror(-ret));
				rte_fastmem_deinit();
				return ret;
			}
		}
		/* the first allocation reserves fastmem's first zone of backing memory: make it
		 * here, before the run, as mempools are populated before theirs */
		warm = rte_fastmem_alloc(ct_obj_size(CT_OBJ_FLOW), 0, 0);
		if (warm == NULL) {
			printf("conntrack: error: fastmem has no memory: %s\n",
					rte_strerror(rte_errno));
			rte_fastmem_deinit();
			return -ENOMEM;
		}
		rte_fastmem_free(warm);
		return 0;
	}
	ret = pools_create(sizing, n_lcores);
	if (ret < 0)
		ct_alloc_teardown();
	return ret;
}

int
ct_alloc_handles(int socket_id, rte_fastmem_handle_t h[CT_OBJ_NUM])
{
	unsigned int t;
	int ret;

	for (t = 0; t < CT_OBJ_NUM; t++) {
		ret = rte_fastmem_hlookup(ct_obj_size(t), 0, socket_id, &h[t]);
		if (ret < 0) {
			printf("conntrack: error: rte_fastmem_hlookup(%zu, socket %d): %s\n",
					ct_obj_size(t), socket_id, rte_strerror(-ret));
			return ret;
		}
	}
	return 0;
}

static void
chunk_bytes(struct rte_mempool *mp __rte_unused, void *opaque,
		struct rte_mempool_memhdr *memhdr, unsigned int mem_idx __rte_unused)
{
	*(uint64_t *)opaque += memhdr->len;
}

void
ct_alloc_memory(struct ct_memory *m)
{
	struct rte_fastmem_stats fs;
	uint64_t now = heap_allocated();
	unsigned int t;

	m->held = now > heap_baseline ? now - heap_baseline : 0;
	m->objects = 0;
	if (ct_alloc_kind == CT_ALLOC_FASTMEM) {
		if (rte_fastmem_stats(&fs) == 0)
			m->objects = fs.bytes_backing;
	} else {
		for (t = 0; t < CT_OBJ_NUM; t++)
			if (ct_pools[t] != NULL)
				rte_mempool_mem_iter(ct_pools[t], chunk_bytes, &m->objects);
	}
	m->meta = m->held > m->objects ? m->held - m->objects : 0;
}

void
ct_alloc_teardown(void)
{
	unsigned int t;

	if (ct_alloc_kind == CT_ALLOC_FASTMEM) {
		rte_fastmem_deinit();
		return;
	}
	for (t = 0; t < CT_OBJ_NUM; t++) {
		rte_mempool_free(ct_pools[t]);
		ct_pools[t] = NULL;
	}
}
