/* SPDX-License-Identifier: BSD-3-Clause
 * Copyright(c) 2026 The dpdk-lcoremem authors
 */

#ifndef RTE_FASTMEM_CORE_H
#define RTE_FASTMEM_CORE_H

/**
 * @file
 * fastmem: size classes and the per-lcore cache layout
 *
 * @internal
 * Not an API. Installed so that inline functions of fastmem's public headers can reach the
 * cache of the calling lcore without a function call; applications must not use anything
 * in this file directly, and it may change in any release.
 */

#include <stddef.h>
#include <stdint.h>

#include <rte_common.h>

#ifdef __cplusplus
extern "C" {
#endif

/**
 * The size classes: the one place they are defined.
 *
 * X(size, cache_capacity) for every class, in increasing size. The cache capacity is the
 * number of free objects an lcore keeps per (socket, class): 256 for the small classes,
 * then as many as fit 128 KiB, and at least one. Refills and drains move half a cache.
 *
 * Finer spacing (e.g. quarter-power steps) can be had by changing this table together
 * with rte_fastmem_class_of() below; fastmem checks at init that the two agree.
 */
#define RTE_FASTMEM_CLASS_TABLE(X) \
	X((size_t)1 << 3, 256) \
	X((size_t)1 << 4, 256) \
	X((size_t)1 << 5, 256) \
	X((size_t)1 << 6, 256) \
	X((size_t)1 << 7, 256) \
	X((size_t)1 << 8, 256) \
	X((size_t)1 << 9, 256) \
	X((size_t)1 << 10, 128) \
	X((size_t)1 << 11, 64) \
	X((size_t)1 << 12, 32) \
	X((size_t)1 << 13, 16) \
	X((size_t)1 << 14, 8) \
	X((size_t)1 << 15, 4) \
	X((size_t)1 << 16, 2) \
	X((size_t)1 << 17, 1) \
	X((size_t)1 << 18, 1) \
	X((size_t)1 << 19, 1) \
	X((size_t)1 << 20, 1)

/** @internal Number of size classes. */
#define RTE_FASTMEM_NUM_CLASSES 18

/** @internal The smallest class size, in bytes. */
#define RTE_FASTMEM_MIN_CLASS_SIZE ((size_t)1 << 3)

/** @internal The largest class size, in bytes. */
#define RTE_FASTMEM_MAX_CLASS_SIZE ((size_t)1 << 20)

/**
 * @internal
 * The class serving objects of @p size bytes.
 *
 * @param size
 *   Object size, 1 to RTE_FASTMEM_MAX_CLASS_SIZE (larger sizes give a class index at or
 *   above RTE_FASTMEM_NUM_CLASSES; 0 gives class 0).
 * @return
 *   The class index.
 */
static inline unsigned int
rte_fastmem_class_of(size_t size)
{
	if (size <= RTE_FASTMEM_MIN_CLASS_SIZE)
		return 0;
	/* ceil(log2(size)) - 3 */
	return (unsigned int)(64 - __builtin_clzll((unsigned long long)size - 1)) - 3;
}

/**
 * @internal
 * A per-lcore cache: a bounded LIFO stack of free objects of one (socket, class).
 *
 * Owned by one lcore: only that lcore pushes and pops objs[], without lock or atomic
 * read-modify-write. Statistics readers on other threads read @c len and the counters;
 * for that the owner writes them with relaxed atomic stores (after a relaxed load of its
 * own value, never a read-modify-write) and readers use relaxed atomic loads.
 *
 * The first cache line holds everything a cache hit touches apart from the object
 * pointer itself: length, capacity and the hit counters.
 */
struct rte_fastmem_cache {
	uint32_t len; /**< objects in objs[], 0..cap; owner-written */
	uint32_t cap; /**< capacity of objs[]; fixed */
	uint32_t batch; /**< objects moved per refill or drain; fixed, 1..cap */
	uint16_t cls; /**< class index; fixed */
	uint16_t sidx; /**< fastmem socket index; fixed */
	uint64_t alloc_hits; /**< objects popped from objs[]; owner-written counter */
	uint64_t free_hits; /**< objects pushed to objs[]; owner-written counter */
	uint64_t alloc_misses; /**< objects allocated through the bin; owner-written */
	uint64_t free_misses; /**< objects freed through the bin; owner-written */
	uint64_t alloc_nomem; /**< allocation calls failed with ENOMEM; owner-written */
	uint64_t reserved; /**< pads the header to one cache line */
	void *objs[]; /**< the stack; objs[len - 1] is the top (most recently freed) */
} __rte_cache_aligned;

#ifdef __cplusplus
}
#endif

#endif /* RTE_FASTMEM_CORE_H */
