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
#include <rte_compat.h>
#include <rte_config.h>

#include <rte_fastmem_config.h>
#include <rte_lcore_var.h>

#ifdef __cplusplus
extern "C" {
#endif

/**
 * The size classes: the one place they are defined.
 *
 * X(size, cache_capacity) for every class, in increasing size. The cache capacity is the
 * number of free objects an lcore keeps per (socket, class): 512, or as many as fit
 * RTE_FASTMEM_CACHE_BYTES_MAX (1 MiB) when that is fewer (from 4 KiB up), and at least
 * one. Refills and drains move half a cache. fastmem_priv.h ("Cache sizing") has the
 * measurements behind these numbers.
 *
 * Finer spacing (e.g. quarter-power steps) can be had by changing this table together
 * with rte_fastmem_class_of() below; fastmem checks at init that the two agree.
 */
#define RTE_FASTMEM_CLASS_TABLE(X) \
	X((size_t)1 << 3, 512) \
	X((size_t)1 << 4, 512) \
	X((size_t)1 << 5, 512) \
	X((size_t)1 << 6, 512) \
	X((size_t)1 << 7, 512) \
	X((size_t)1 << 8, 512) \
	X((size_t)1 << 9, 512) \
	X((size_t)1 << 10, 512) \
	X((size_t)1 << 11, 512) \
	X((size_t)1 << 12, 256) \
	X((size_t)1 << 13, 128) \
	X((size_t)1 << 14, 64) \
	X((size_t)1 << 15, 32) \
	X((size_t)1 << 16, 16) \
	X((size_t)1 << 17, 8) \
	X((size_t)1 << 18, 4) \
	X((size_t)1 << 19, 2) \
	X((size_t)1 << 20, 1)

/**
 * Version of the layout that fastmem's inline functions, compiled into the application,
 * rely on: the class table above and rte_fastmem_class_of(), the handle encoding, struct
 * rte_fastmem_cache, struct rte_fastmem_lcore_caches, struct rte_fastmem_slab_id and
 * RTE_FASTMEM_SLAB_SIZE. It changes with any of them (fastmem_cache.c pins the sizes and
 * offsets of the current version at build time). rte_fastmem_init() passes the version its
 * caller was compiled with, and the library refuses another one (@c EPROTO), so that an
 * application built against other headers fails at init instead of handing the library
 * objects of a layout it does not know. The check covers the inline paths of the code
 * built with the caller of rte_fastmem_init(); another shared object of the same
 * application that uses fastmem's inline functions must be built against the same headers.
 */
#define RTE_FASTMEM_LAYOUT_VERSION 1

/**
 * @internal
 * Set in what rte_fastmem_init() passes when the caller was compiled with fastmem's debug
 * checks (RTE_LIBRTE_FASTMEM_DEBUG, in rte_fastmem_config.h): they compile the inline
 * cache paths out, so that every call reaches the library's checks, and a library and an
 * application must agree on them.
 */
#define RTE_FASTMEM_LAYOUT_DEBUG (UINT32_C(1) << 31)

/**
 * @internal
 * What rte_fastmem_init() passes to the library: the layout version, with
 * RTE_FASTMEM_LAYOUT_DEBUG in checked builds.
 */
#ifdef RTE_LIBRTE_FASTMEM_DEBUG
#define RTE_FASTMEM_LAYOUT (RTE_FASTMEM_LAYOUT_VERSION | RTE_FASTMEM_LAYOUT_DEBUG)
#else
#define RTE_FASTMEM_LAYOUT RTE_FASTMEM_LAYOUT_VERSION
#endif

/** @internal Number of size classes. */
#define RTE_FASTMEM_NUM_CLASSES 18

/** @internal The smallest class size, in bytes. */
#define RTE_FASTMEM_MIN_CLASS_SIZE ((size_t)1 << 3)

/** @internal Entries of per-class tables indexed by a 5-bit class field. */
#define RTE_FASTMEM_CLASS_SLOTS 32

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

/**
 * @internal
 * Add to a statistics counter of a cache (hits only: the counters the inline cache-hit
 * path updates). Only the owning lcore writes, so a relaxed load and a relaxed store do,
 * never a read-modify-write; readers on other threads use relaxed loads. Compiled out,
 * leaving the counters at 0, when fastmem is built with -Dfastmem_stats=false (then
 * RTE_LIBRTE_FASTMEM_STATS is undefined, in the library and in applications alike,
 * through <rte_fastmem_config.h>).
 */
#ifdef RTE_LIBRTE_FASTMEM_STATS
#define __RTE_FASTMEM_HIT_ADD(field, n) \
	__atomic_store_n(&(field), __atomic_load_n(&(field), __ATOMIC_RELAXED) + (n), \
			__ATOMIC_RELAXED)
#else
#define __RTE_FASTMEM_HIT_ADD(field, n) do { RTE_SET_USED(n); } while (0)
#endif

/**
 * @internal
 * Defined in checked builds, where the inline cache-hit paths of rte_fastmem.h are compiled
 * out and every call goes to fastmem's out-of-line functions, which check each object:
 * debug builds (RTE_LIBRTE_FASTMEM_DEBUG, meson option fastmem_debug), and builds where
 * the library or the application uses AddressSanitizer (poisoning of free objects;
 * RTE_LIBRTE_FASTMEM_ASAN records the library's). Undefined in production builds, whose
 * inline code this leaves unchanged.
 */
#if defined(RTE_LIBRTE_FASTMEM_DEBUG) || defined(RTE_LIBRTE_FASTMEM_ASAN) || \
	defined(__SANITIZE_ADDRESS__)
#define __RTE_FASTMEM_CHECKED 1
#elif defined(__has_feature)
#if __has_feature(address_sanitizer)
#define __RTE_FASTMEM_CHECKED 1
#endif
#endif

/**
 * @internal
 * Socket slots an lcore's cache-set table has: a power of two at least RTE_MAX_HEAPS, so
 * that the socket field of a handle (5 bits) can never index past it.
 */
#define RTE_FASTMEM_SOCKET_SLOTS 32

/**
 * @internal
 * Handle layout (rte_fastmem_handle_t, 32 bits), set by rte_fastmem_hlookup():
 *  - bits 0-4: class index;
 *  - bits 5-9: fastmem socket slot (not the EAL socket id);
 *  - bits 10-23: offset of the class's cache in a cache set, in cache lines;
 *  - bits 24-31: the tag RTE_FASTMEM_HANDLE_TAG, never 0, so that a zeroed handle and
 *    most random values are invalid.
 */
#define RTE_FASTMEM_HANDLE_CLS_SHIFT 0
#define RTE_FASTMEM_HANDLE_CLS_MASK 0x1fu
#define RTE_FASTMEM_HANDLE_SIDX_SHIFT 5
#define RTE_FASTMEM_HANDLE_SIDX_MASK 0x1fu
#define RTE_FASTMEM_HANDLE_OFF_SHIFT 10
#define RTE_FASTMEM_HANDLE_OFF_MASK 0x3fffu
#define RTE_FASTMEM_HANDLE_TAG_SHIFT 24
#define RTE_FASTMEM_HANDLE_TAG 0xa7u

/** @internal The cache set of one (lcore, socket): opaque outside fastmem. */
struct fastmem_cset;

/**
 * @internal
 * The head of fastmem's lcore variable: the lcore's cache set per socket slot, NULL
 * until the lcore first uses that socket, and the slot of the lcore's own socket
 * (meaningful only once cset[own_sidx] is not NULL). Written by the owning lcore (and by
 * rte_fastmem_deinit()); the cache-hit path reads it with plain loads.
 */
struct rte_fastmem_lcore_caches {
	uint32_t own_sidx; /**< slot of the lcore's own socket */
	uint32_t used; /**< 1 once the lcore used fastmem since init; 0 after deinit */
	struct fastmem_cset *cset[RTE_FASTMEM_SOCKET_SLOTS]; /**< cache set per socket slot */
};

/**
 * @internal
 * The first 4 bytes of every slab (the slab of an object is its address rounded down to
 * RTE_FASTMEM_SLAB_SIZE): the class index and the socket slot of its objects, read by the
 * inline free path. Fixed while the slab holds an object.
 */
struct rte_fastmem_slab_id {
	uint16_t cls; /**< class index */
	uint16_t sidx; /**< socket slot */
};

/**
 * @internal
 * fastmem's lcore variable, for the inline cache-hit paths. NULL before the first
 * rte_fastmem_init() of the process. Not API. (Variables cannot be marked
 * __rte_experimental, which places symbols in a text section; the version map lists
 * them under EXPERIMENTAL all the same.)
 */
extern RTE_LCORE_VAR_HANDLE(struct rte_fastmem_lcore_caches, __rte_fastmem_lcore_caches);

/**
 * @internal
 * Offset of the cache of each class within a cache set, in bytes; 0 for indexes past the
 * last class. Set by the first rte_fastmem_init(), fixed afterwards. Not API.
 */
extern uint32_t __rte_fastmem_cache_off[RTE_FASTMEM_CLASS_SLOTS];

#ifdef __cplusplus
}
#endif

#endif /* RTE_FASTMEM_CORE_H */
