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
 * @internal
 * Eight classes spaced @p step apart after @p base: base + step ... base + 8 * step.
 */
#define __RTE_FASTMEM_CLASS_OCTAVE(X, base, step) \
	X((size_t)(base) + 1 * (size_t)(step)) X((size_t)(base) + 2 * (size_t)(step)) \
	X((size_t)(base) + 3 * (size_t)(step)) X((size_t)(base) + 4 * (size_t)(step)) \
	X((size_t)(base) + 5 * (size_t)(step)) X((size_t)(base) + 6 * (size_t)(step)) \
	X((size_t)(base) + 7 * (size_t)(step)) X((size_t)(base) + 8 * (size_t)(step))

/**
 * The size classes: the one place they are defined.
 *
 * X(size) for every class, in increasing size: the multiples of 8 up to 128 B (16
 * classes), then eight classes per doubling, each 1/8 of the power of two below it apart
 * (144, 160 ... 256, 288 ... 512, 576 ... 1024, 1152 ... 1 MiB: 104 classes). A request
 * just above a class gets the next one, at most 1/8 larger than the request from 128 B
 * up; below 128 B classes are 8 B apart. Class c has the size
 * (c + 1) * 8 for c < 16, and (9 + (c - 16) % 8) << ((c - 16) / 8 + 4) from 16 on: what
 * rte_fastmem_class_of() and __rte_fastmem_class_size() compute, and fastmem checks at
 * init that the three agree.
 */
#define RTE_FASTMEM_CLASS_TABLE(X) \
	__RTE_FASTMEM_CLASS_OCTAVE(X, 0, 8) \
	__RTE_FASTMEM_CLASS_OCTAVE(X, 64, 8) \
	__RTE_FASTMEM_CLASS_OCTAVE(X, 1 << 7, 1 << 4) \
	__RTE_FASTMEM_CLASS_OCTAVE(X, 1 << 8, 1 << 5) \
	__RTE_FASTMEM_CLASS_OCTAVE(X, 1 << 9, 1 << 6) \
	__RTE_FASTMEM_CLASS_OCTAVE(X, 1 << 10, 1 << 7) \
	__RTE_FASTMEM_CLASS_OCTAVE(X, 1 << 11, 1 << 8) \
	__RTE_FASTMEM_CLASS_OCTAVE(X, 1 << 12, 1 << 9) \
	__RTE_FASTMEM_CLASS_OCTAVE(X, 1 << 13, 1 << 10) \
	__RTE_FASTMEM_CLASS_OCTAVE(X, 1 << 14, 1 << 11) \
	__RTE_FASTMEM_CLASS_OCTAVE(X, 1 << 15, 1 << 12) \
	__RTE_FASTMEM_CLASS_OCTAVE(X, 1 << 16, 1 << 13) \
	__RTE_FASTMEM_CLASS_OCTAVE(X, 1 << 17, 1 << 14) \
	__RTE_FASTMEM_CLASS_OCTAVE(X, 1 << 18, 1 << 15) \
	__RTE_FASTMEM_CLASS_OCTAVE(X, 1 << 19, 1 << 16)

/**
 * Version of the layout that fastmem's inline functions, compiled into the application,
 * rely on: the class table above and rte_fastmem_class_of(), the handle encoding, struct
 * rte_fastmem_cache, struct rte_fastmem_lcore_caches (and that the library allocates the
 * lcore variable in a constructor), struct rte_fastmem_slab_id, RTE_FASTMEM_SLAB_MONO_OFF
 * and RTE_FASTMEM_SLAB_SIZE.
 * It changes with any of them (fastmem_cache.c pins the sizes and
 * offsets of the current version at build time). rte_fastmem_init() passes the version its
 * caller was compiled with, and the library refuses another one (@c EPROTO), so that an
 * application built against other headers fails at init instead of handing the library
 * objects of a layout it does not know. The check covers the inline paths of the code
 * built with the caller of rte_fastmem_init(); another shared object of the same
 * application that uses fastmem's inline functions must be built against the same headers.
 */
#define RTE_FASTMEM_LAYOUT_VERSION 5

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
#define RTE_FASTMEM_NUM_CLASSES 120

/** @internal The smallest class size, in bytes. */
#define RTE_FASTMEM_MIN_CLASS_SIZE ((size_t)1 << 3)

/** @internal Entries of per-class tables indexed by a 7-bit class field. */
#define RTE_FASTMEM_CLASS_SLOTS 128

/** @internal The largest class size, in bytes. */
#define RTE_FASTMEM_MAX_CLASS_SIZE ((size_t)1 << 20)

/**
 * @internal
 * The class of objects of @p m1 + 1 bytes. Classes below 128 B are 8 B apart, so the
 * multiples of 8 below 128 B act as octave 6 split in 16: taking the octave of m1 | 64
 * covers them with the formula of the octaves above, and needs no branch.
 */
static inline unsigned int
__rte_fastmem_class_of_m1(size_t m1)
{
	/* m1 | 64 in [2^lg, 2^(lg+1)), lg >= 6: class 8 (lg - 6) + (m1 >> (lg - 3)); the
	 * xor, which is 63 - clz here, compiles to one bsr on x86 */
	unsigned int lg = (unsigned int)__builtin_clzll((unsigned long long)(m1 | 64)) ^ 63;

	return 8 * lg - 48 + (unsigned int)(m1 >> (lg - 3));
}

/**
 * @internal
 * The class serving objects of @p size bytes: the smallest class of at least @p size
 * bytes. A few instructions, with no table (see RTE_FASTMEM_CLASS_TABLE()).
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
	return __rte_fastmem_class_of_m1(size == 0 ? 0 : size - 1);
}

/**
 * @internal
 * The size of class @p cls, 0 to RTE_FASTMEM_NUM_CLASSES - 1, in bytes.
 */
static inline size_t
__rte_fastmem_class_size(unsigned int cls)
{
	if (cls < 16)
		return (size_t)(cls + 1) << 3;
	return (size_t)(9 + ((cls - 16) & 7)) << ((cls - 16) / 8 + 4);
}

/**
 * @internal
 * The class of a request of @p m1 + 1 bytes aligned to @p align (a power of two; 0 for
 * the cache line): the class of the size rounded up to a multiple of the alignment. That
 * class's size is a multiple of the alignment: where classes are spaced less than the
 * alignment, the rounded size is a class; where they are spaced more, classes are
 * multiples of their spacing, a larger power of two.
 */
static inline unsigned int
__rte_fastmem_class_for_m1(size_t m1, size_t align)
{
	return __rte_fastmem_class_of_m1(m1 |
			(align == 0 ? (size_t)RTE_CACHE_LINE_SIZE - 1 : align - 1));
}

/** @internal __rte_fastmem_class_for_m1() of a size (0 counts as 1). */
static inline unsigned int
__rte_fastmem_class_for(size_t size, size_t align)
{
	return __rte_fastmem_class_for_m1(size == 0 ? 0 : size - 1, align);
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
	uint32_t cap; /**< objects objs[] may hold now; owner-written, adapts (cache layer) */
	uint32_t batch; /**< objects moved per refill or drain, cap / 2 (at least 1) */
	/* cls and sidx have the layout of struct rte_fastmem_slab_id: the inline free
	 * compares them with a page id in one load */
	uint16_t cls; /**< class index; fixed */
	uint16_t sidx; /**< fastmem socket index; fixed */
	uint64_t alloc_hits; /**< objects popped from objs[]; owner-written counter */
	uint64_t free_hits; /**< objects pushed to objs[]; owner-written counter */
	uint64_t alloc_misses; /**< objects allocated through the bin; owner-written */
	uint64_t free_misses; /**< objects freed through the bin; owner-written */
	uint64_t alloc_nomem; /**< allocation calls failed with ENOMEM; owner-written */
	uint64_t misses_seen; /**< misses at the last budget pass (cache layer); owner-only */
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
 *  - bits 0-6: class index;
 *  - bits 7-11: fastmem socket slot (not the EAL socket id);
 *  - bits 12-24: offset of the class's cache in a cache set, in cache lines;
 *  - bits 25-31: the tag RTE_FASTMEM_HANDLE_TAG, never 0, so that a zeroed handle and
 *    most random values are invalid.
 */
#define RTE_FASTMEM_HANDLE_CLS_SHIFT 0
#define RTE_FASTMEM_HANDLE_CLS_MASK 0x7fu
#define RTE_FASTMEM_HANDLE_SIDX_SHIFT 7
#define RTE_FASTMEM_HANDLE_SIDX_MASK 0x1fu
#define RTE_FASTMEM_HANDLE_OFF_SHIFT 12
#define RTE_FASTMEM_HANDLE_OFF_MASK 0x1fffu
#define RTE_FASTMEM_HANDLE_TAG_SHIFT 25
#define RTE_FASTMEM_HANDLE_TAG 0x53u

/** @internal The cache set of one (lcore, socket): opaque outside fastmem. */
struct fastmem_cset;

/**
 * @internal
 * The head of fastmem's lcore variable: the lcore's cache set per socket slot, NULL
 * until the lcore first uses that socket, and the slot of the lcore's own socket
 * (meaningful only once cset[own_sidx] is not NULL). Written by the owning lcore (and by
 * rte_fastmem_deinit()); the cache-hit path reads it with plain loads.
 *
 * memo_cache is the generic free's memo: the cache of the last object it pushed whose
 * page id (class and socket) was not that of the memo's cache, which the inline free
 * writes. A set's caches stay where they are while used is set (cset[] entries only go
 * from NULL to a set then; retiring the lcore or deinit clears used first), so the memo
 * stays right until used is cleared, and the library resets it when it sets used.
 */
struct rte_fastmem_lcore_caches {
	uint32_t own_sidx; /**< slot of the lcore's own socket */
	uint32_t used; /**< 1 once the lcore used fastmem since init; 0 after deinit */
	/**
	 * While used is set: a cache of cset[] (of the class and socket in its cls and
	 * sidx), or a cache of capacity 0 whose cls and sidx are no page's (as set with
	 * used).
	 */
	struct rte_fastmem_cache *memo_cache;
	struct fastmem_cset *cset[RTE_FASTMEM_SOCKET_SLOTS]; /**< cache set per socket slot */
};

/**
 * @internal
 * log2 of the page size of slabs: a slab (RTE_FASTMEM_SLAB_SIZE, the 2 MiB-aligned unit of
 * backing memory) is cut into RTE_FASTMEM_SLAB_PAGES pages of 32 KiB, and each class takes
 * runs of whole pages from it, so that memory moves between classes page by page.
 */
#define RTE_FASTMEM_PAGE_SHIFT 15

/** @internal Pages of a slab. */
#define RTE_FASTMEM_SLAB_PAGES (1u << (21 - RTE_FASTMEM_PAGE_SHIFT))

/**
 * @internal
 * Bytes of the header at the start of every slab (page ids, run descriptors): the runs
 * that start at page 0 place their objects after it.
 */
#define RTE_FASTMEM_SLAB_HDR_SIZE 4544

/**
 * @internal
 * The identity of the objects of one page: what the inline free path reads. A slab starts
 * with RTE_FASTMEM_SLAB_PAGES of these, entry i for its page i (__rte_fastmem_id_of()).
 * Fixed while the page holds an object.
 */
struct rte_fastmem_slab_id {
	uint16_t cls; /**< class index */
	uint16_t sidx; /**< socket slot */
};

/**
 * @internal
 * Offset in a slab's header of a struct rte_fastmem_slab_id whose class is that of every
 * run of the slab when they are all of one class, and no class (above
 * RTE_FASTMEM_NUM_CLASSES) otherwise: the inline bulk free reads it for objects of one
 * slab spread over several pages, instead of each page's id. Read with a relaxed load;
 * for a slab holding objects of the reader, it is their class or no class.
 */
#define RTE_FASTMEM_SLAB_MONO_OFF 276

/**
 * @internal
 * The identity of the page holding @p ptr, an object of fastmem: in the header of its slab
 * (@p ptr rounded down to RTE_FASTMEM_SLAB_SIZE), at the index of its page. Address
 * arithmetic only: one load reads it.
 */
static inline const struct rte_fastmem_slab_id *
__rte_fastmem_id_of(const void *ptr)
{
	uintptr_t a = (uintptr_t)ptr;

	return (const struct rte_fastmem_slab_id *)(a & ~(uintptr_t)((2u << 20) - 1)) +
		((a >> RTE_FASTMEM_PAGE_SHIFT) & (RTE_FASTMEM_SLAB_PAGES - 1));
}

/**
 * @internal
 * fastmem's lcore variable, for the inline cache-hit paths. Allocated by a constructor
 * of the library, so never NULL where an inline path runs; all zero (no cache set, not
 * used) until an lcore uses fastmem after rte_fastmem_init(). Not API. (Variables cannot be marked
 * __rte_experimental, which places symbols in a text section; the version map lists
 * them under EXPERIMENTAL all the same.)
 */
extern RTE_LCORE_VAR_HANDLE(struct rte_fastmem_lcore_caches, __rte_fastmem_lcore_caches);

/**
 * @internal
 * Offset of the cache of each class within a cache set, in bytes; for indexes past the
 * last class, that of a cache of capacity 0 (never a hit). Set by the first
 * rte_fastmem_init(), fixed afterwards. Not API.
 */
extern uint32_t __rte_fastmem_cache_off[RTE_FASTMEM_CLASS_SLOTS];

#ifdef __cplusplus
}
#endif

#endif /* RTE_FASTMEM_CORE_H */
