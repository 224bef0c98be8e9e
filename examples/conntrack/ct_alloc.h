/* SPDX-License-Identifier: BSD-3-Clause
 * Copyright(c) 2026 The dpdk-lcoremem authors
 */

#ifndef CT_ALLOC_H
#define CT_ALLOC_H

/*
 * The objects the connection tracker allocates, and the two allocators it can run on:
 * fastmem (one allocator for every object type) or one rte_mempool per object type,
 * each sized for that type's peak, as applications do without fastmem.
 *
 * The data path calls ct_obj_get(), ct_obj_put() and ct_obj_grow(), inline: the branch
 * on the allocator is taken the same way for a whole run, and each allocator's own fast
 * path (fastmem's inline cache hit, the mempool's per-lcore cache) stays inline.
 */

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>
#include <string.h>

#include <rte_common.h>
#include <rte_mempool.h>

#include <rte_fastmem.h>

/* The allocators. */
enum ct_allocator {
	CT_ALLOC_FASTMEM,
	CT_ALLOC_MEMPOOL,
	CT_ALLOC_NUM
};

/*
 * The object types: a flow entry for every connection, and a packet history for TCP
 * connections, grown through three sizes as the connection sends more packets.
 */
enum ct_obj {
	CT_OBJ_FLOW,
	CT_OBJ_HIST_S,
	CT_OBJ_HIST_M,
	CT_OBJ_HIST_L,
	CT_OBJ_NUM
};

/* The first history size, and the number of sizes. */
#define CT_OBJ_HIST_FIRST CT_OBJ_HIST_S
#define CT_HIST_SIZES (CT_OBJ_NUM - CT_OBJ_HIST_FIRST)

/* Bytes of each history size: records of 16 B after a 16 B header. */
#define CT_HIST_S_BYTES 256
#define CT_HIST_M_BYTES 1024
#define CT_HIST_L_BYTES 4096

/* How the mempools of a mempool run are sized: objects of each type at peak. */
struct ct_sizing {
	uint64_t objs[CT_OBJ_NUM];
};

/* Memory held by the allocator, measured as the growth of EAL's heaps since setup. */
struct ct_memory {
	uint64_t held; /* everything the allocator took from EAL */
	/* fastmem: its backing memory (rte_fastmem_stats::bytes_backing); mempools: their
	 * memory chunks (the objects, with their headers and padding) */
	uint64_t objects;
	/* the rest: fastmem's metadata (shared state, cache sets, transfer caches); the
	 * mempools' own memzones (struct and per-lcore caches) */
	uint64_t meta;
};

/* The allocator of the current run; set by ct_alloc_setup(). */
extern enum ct_allocator ct_alloc_kind;
/* The per-type pools of a mempool run. */
extern struct rte_mempool *ct_pools[CT_OBJ_NUM];

/* The allocator's name ("fastmem", "mempool"). */
const char *ct_alloc_name(enum ct_allocator kind);
/* The object type's name ("flow", "hist256", ...). */
const char *ct_obj_name(enum ct_obj type);
/* The bytes an object of the type takes as requested from the allocator. */
size_t ct_obj_size(enum ct_obj type);

/*
 * The bytes an object of the type takes in the allocator's memory: fastmem's size class
 * (alignment 0: at least a cache line), or the mempool's element with its header and
 * trailer.
 */
size_t ct_obj_footprint(enum ct_allocator kind, enum ct_obj type);

/*
 * Set up the allocator for a run: record the heap baseline that ct_alloc_memory()
 * measures from, then rte_fastmem_init() and one allocation (which reserves fastmem's
 * first zone of backing memory before the run, as mempools are populated before theirs),
 * or create the per-type mempools with @sizing (objects at peak; the pools add what the
 * per-lcore caches can hold, or a few objects per lcore without caches) for @n_lcores
 * lcores. @fastmem_limit: fastmem's limit of
 * backing memory on every socket (rte_fastmem_set_limit()), SIZE_MAX for none. 0, or a
 * negative errno with a message printed.
 */
int ct_alloc_setup(enum ct_allocator kind, const struct ct_sizing *sizing,
		unsigned int n_lcores, size_t fastmem_limit);

/* Look up the fastmem handles of every type for allocations on @socket_id. */
int ct_alloc_handles(int socket_id, rte_fastmem_handle_t h[CT_OBJ_NUM]);

/* Memory the allocator holds now. */
void ct_alloc_memory(struct ct_memory *m);

/* Release everything the allocator holds (every object must have been put back). */
void ct_alloc_teardown(void);

/* One object of the type, or NULL. @h: the calling lcore's fastmem handles. */
static inline void *
ct_obj_get(const rte_fastmem_handle_t *h, enum ct_obj type)
{
	void *obj;

	if (ct_alloc_kind == CT_ALLOC_FASTMEM)
		return rte_fastmem_halloc(h[type], 0);
	if (rte_mempool_get(ct_pools[type], &obj) < 0)
		return NULL;
	return obj;
}

/* Give an object back; any lcore may give back any lcore's objects. */
static inline void
ct_obj_put(enum ct_obj type, void *obj)
{
	if (ct_alloc_kind == CT_ALLOC_FASTMEM)
		rte_fastmem_free(obj); /* class and socket come from the object's address */
	else
		rte_mempool_put(ct_pools[type], obj);
}

/*
 * Move an object to a larger type, keeping its first @used bytes: the new object, or
 * NULL with @obj left as it was.
 */
static inline void *
ct_obj_grow(const rte_fastmem_handle_t *h, enum ct_obj from, enum ct_obj to, void *obj,
		size_t used)
{
	void *bigger;

	if (ct_alloc_kind == CT_ALLOC_FASTMEM)
		return rte_fastmem_realloc(obj, ct_obj_size(to), 0);
	bigger = ct_obj_get(h, to);
	if (bigger == NULL)
		return NULL;
	memcpy(bigger, obj, used);
	ct_obj_put(from, obj);
	return bigger;
}

#endif /* CT_ALLOC_H */
