/* SPDX-License-Identifier: BSD-3-Clause
 * Copyright(c) 2026 The dpdk-lcoremem authors
 */

#ifndef FASTMEM_PRIV_H
#define FASTMEM_PRIV_H

/*
 * fastmem internals.
 *
 * The pieces
 * ----------
 * zone:   a memzone of backing memory, 2 MiB-aligned, a multiple of 2 MiB. Growth makes
 *         each new zone an eighth of what the socket holds already (2 MiB first, at least
 *         2 MiB, at most 128 MiB), IOVA-contiguous when EAL can give that, smaller and
 *         then not contiguous when it cannot. Cut into slabs when reserved.
 * slab:   2 MiB of a zone, 2 MiB-aligned, so the slab of an object is its address with
 *         the low 21 bits cleared. Its first FASTMEM_SLAB_HDR bytes are the slab header
 *         (struct fastmem_slab): the page table. A slab is cut into FASTMEM_PAGES pages of
 *         32 KiB, each free or in one run. A slab is in exactly one place: the free-slab
 *         pool of its socket (every page free), the split list of its socket (some
 *         free), or no list (no page free).
 * run:    whole pages of one slab serving one class (struct fastmem_run, in the header at
 *         its first page's index): objects of the class from its first page on (after
 *         the header at page 0), aligned to the largest power of two dividing the class
 *         size (fastmem_run_get()). A run is in the bin of its class: on a partial list,
 *         by fullness, while it has free objects, else on the full list. When its last
 *         object comes back, its pages become free: memory moves between classes a page
 *         at a time, so that runs empty under random frees where whole slabs would not.
 * pool:   per socket: slabs with every page free; a run of any class may take one. A zone
 *         counts its slabs in the pool (zone_pooled): all of them means it is free.
 * bin:    per (socket, class): the runs serving that class.
 * xfer:   per bin, its transfer cache: a stack of up to FASTMEM_XFER_BATCHES lcore-cache
 *         batches of free objects of the bin's class, between the lcore caches and the
 *         runs: an object freed on one lcore and allocated on another moves as a pointer,
 *         with no free-list link written into it and no slab header touched.
 * cache:  per (lcore, socket, class): struct rte_fastmem_cache, a bounded LIFO stack of
 *         free objects (rte_fastmem_core.h). A cache set (struct fastmem_cset) holds the
 *         caches of all classes of one (lcore, socket).
 * lcore:  per lcore id, an lcore variable (struct fastmem_lcore) with the table of the
 *         lcore's cache sets, one per socket slot, each allocated with rte_zmalloc() on
 *         the lcore's first use of the socket (a set, 420 KiB, is too large for an lcore
 *         variable). The variable is allocated by a constructor of the library, so that
 *         the inline paths can read it unconditionally. It is process-local, as every
 *         lcore variable: each process has caches of its own, whatever its lcore ids.
 * proc:   per attached process (the primary and its secondaries), a record in the state
 *         (struct fastmem_proc) listing every cache set of the process: the sets are in
 *         EAL memory, so the next trim or cache flush of any process takes back what
 *         the caches of a dead one held (fastmem_procs_reclaim()).
 * socket: a slot of the socket table: a NUMA socket, or an external heap seen first in a
 *         call. Everything below the public entry points works on slots.
 *
 * The layers, one file each, top to bottom; calls go down only (buildtools/
 * check_layers.py, a build check, proves it):
 *   rte_fastmem.c        the public allocation entry points: argument checks, errors,
 *                        socket fallback, zeroing, handles, realloc, virt2iova
 *   fastmem_lifecycle.c  init and deinit, the socket table, the calls on a whole socket
 *                        (reserve, limits, trim)
 *   fastmem_cache.c      lcore caches and their layout
 *   fastmem_bin.c        bins and transfer caches
 *   fastmem_zone.c       backing zones: growth, limits, reservation, trim, IOVA
 *   fastmem_slab.c       slabs, their pages and runs, and the free-slab pool
 *                        (fastmem_slab.h: the per-object operations the bin layer
 *                        calls, inline)
 * Beside them: fastmem_stats.c and fastmem_telemetry.c read everything and call the
 * public functions; fastmem_debug.c holds the hooks of checked builds (fastmem_debug.h),
 * which every layer calls and which call nothing.
 *
 * An allocation is satisfied in this order:
 *  1. the calling lcore's cache of (socket, class): pop; no lock, no atomic RMW;
 *  2. the bin of (socket, class): on a cache miss, the cache is refilled with a batch of
 *     objects taken, under the bin lock, from the bin's transfer cache first, then from
 *     its partial runs, the fullest first (free objects first: a bitmap in the run
 *     descriptor for runs of at most 64 objects, classes of about 512 B and more, a free
 *     list threaded through the objects for the others; then never-used space at the
 *     bump offset), so that survivors concentrate and the emptier runs drain;
 *  3. the socket's free pages: when the bin has no partial run, a run is cut (pool lock
 *     nested in the bin lock) from the first split slab with room for it, else from a
 *     slab of the pool;
 *  4. a new zone: when no slab has room, the bin lock is dropped and the socket grows
 *     by one zone under the grow lock, within the socket's limit; then back to 2.
 *     When growth fails, bin and pages are looked at once more (frees may have come in
 *     meanwhile); then the lcore returns all its own cached objects of the socket to
 *     the bins (which may free whole runs), empties the transfer caches of the socket
 *     into their runs, and tries 1-4 once more before ENOMEM.
 * Threads without an lcore id skip 1 and take objects one call at a time from 2.
 *
 * A free goes the other way: push on the cache of the object's socket and class; when
 * the cache is full, a batch (the oldest half) goes to the bin's transfer cache, or when
 * that is full back to the runs, under the bin lock. A run that gets back its last
 * object gives its pages back (and a slab with every page free goes to the pool) *before
 * the bin lock is released*: there is no moment in which a page is in neither a run nor
 * free, which is what makes the ENOMEM bound of rte_fastmem.h exact (no allocator ever
 * fails because a page is "in transit").
 *
 * The inline fast path
 * --------------------
 * Step 1 (and its mirror on free) is compiled into the application: rte_fastmem.h has
 * the cache-hit path of rte_fastmem_alloc(), _alloc_bulk(), _free(), _free_bulk() and of
 * the handle calls inline, the way rte_mempool_get()/put() are, defined in
 * rte_fastmem_pvt.h (which rte_fastmem.h includes, so that it reads as the API). It
 * reads fastmem's lcore variable through the exported handle __rte_fastmem_lcore_caches,
 * whose head (struct rte_fastmem_lcore_caches, rte_fastmem_core.h) is the head of struct
 * fastmem_lcore (static_asserts in fastmem_cache.c), and the cache offsets
 * __rte_fastmem_cache_off[].
 * A handle (rte_fastmem_hlookup()) carries class, socket slot and cache offset, so a hit
 * is: lcore id (TLS), tag check, cache-set pointer, length check, pop or push, and the
 * hit counter, with no call; a free with a handle does not read the page table. Anything
 * else calls the exported out-of-line functions __rte_fastmem_*() (rte_fastmem.c), which
 * redo every check. Hit counters are a relaxed load + store, compiled out with
 * -Dfastmem_stats=false.
 * The generic free finds the cache from the object's page id (class, socket slot), then
 * the cache set of that slot and the class's offset in it: a chain of loads from the
 * pointer that the length it pushes at would wait on. The lcore's memo
 * (fastmem_lcore::memo_cache, the cache of the last free whose id differed) breaks it:
 * when the page id equals the memo cache's class and socket (one 32-bit compare with
 * the cache's first line), the push goes there, on the branch's prediction; else the
 * chain runs and the memo is set to its cache. The memo needs no invalidation but at
 * the lcore's setup (cset_create() sets it with used): no cache moves while used is set.
 *
 * Cache sizing
 * ------------
 * A cache holds at most 1024 objects, or as many as fit RTE_FASTMEM_CACHE_BYTES_MAX (1 MiB)
 * when that is fewer (256 of 4 KiB ... 16 of 64 KiB, 1 of 1 MiB); refills and drains move
 * half a cache (its batch). The capacity adapts, within that: a cache starts at 1/16 of
 * it (at least 1); each miss (a refill, or a drain) doubles it while the caches of the
 * lcore and socket have grown by at most the cache budget (rte_fastmem_set_cache_budget(),
 * bytes of capacity gained over the starting capacities, fastmem_cset::grown_bytes); a
 * growth that the budget refuses first halves the caches of the set that have not missed
 * since the last such pass (their oldest objects go to the bins), and the caches go back
 * to their starting capacity when the lcore flushes them. 1024 lets a burst of 512 (a
 * typical rx/tx burst multiple and the mempool cache size) fit whatever the cache held
 * before it, so that alternating bursts of 512 allocations and frees do not miss. The
 * price: at most 1 MiB of idle objects per (lcore, socket, class), in all 120 classes
 * about 15 MiB of starting capacity plus the budget (88 MiB with no budget), 420 KiB of pointers
 * per cache set, allocated from the EAL heap (more than an lcore variable of the default
 * RTE_MAX_LCORE_VAR could hold). The guide's performance section has the measurements
 * behind these numbers.
 *
 * Transfer caches
 * ---------------
 * A bin's transfer cache is an array of FASTMEM_XFER_BATCHES x (the largest batch of an
 * lcore cache of the class) pointers, a stack under the bin lock. A drained batch is
 * copied there while it has room, the rest goes to the runs; a refill takes from it first.
 * Objects in a transfer cache are "cached" (statistics: bytes_cached and
 * rte_fastmem_class_stats::xfer_cached; the ENOMEM bound of rte_fastmem.h), they keep
 * their runs, and leave only through a refill or fastmem_xfer_flush() (run by
 * rte_fastmem_cache_flush() for every socket, and by the ENOMEM retry for its socket),
 * which returns them to their runs in chunks, each taken under the bin lock and freed
 * with fastmem_bin_free() after it. The array is
 * allocated with rte_zmalloc() by the first drain into the bin, with no lock held
 * (installed under the bin lock; a loser frees its copy; when the allocation fails,
 * xfer_nomem makes drains go to the runs), and freed at deinit (phase 1), or by
 * rte_fastmem_trim() once its bin holds no run.
 *
 * Giving memory back
 * ------------------
 * rte_fastmem_trim(), and the automatic trim of a free that returned a slab to the pool
 * (with no lock held): under the grow lock, each zone whose slabs are all in the pool has
 * them unlinked from the pool under the pool lock (the pool is doubly linked for this),
 * leaves the zone list and is freed with rte_memzone_free(). Once out of the pool, its
 * slabs are in no list and hold no object, so nobody can reach them; growth waits on the
 * grow lock and sees backing and the zone list change together. The bytes of
 * rte_fastmem_reserve() (reserved) are never trimmed. An explicit trim first takes the
 * calling lcore's caches back to their starting capacity (their objects beyond it go to
 * the runs; other lcores' caches are theirs alone), then takes each bin lock of the
 * socket, one at a time and with no other lock held, to free the transfer-cache arrays of
 * the bins left without runs.
 *
 * Locks
 * -----
 * Order (outer first): lifecycle lock -> state lock -> grow lock -> pool lock, and
 * bin lock -> pool lock; the stats lock (statistics baselines, the process table and
 * its cache-set lists) is innermost. Every lock but the lifecycle lock is in the shared
 * state, taken by the threads of every process; a process that dies holding one leaves
 * it taken. The grow lock is never taken with a
 * bin lock held. No lock is held while calling out to EAL other than the grow lock
 * (memzone reservation and release) and the lifecycle lock (rte_fastmem_init() and
 * rte_fastmem_deinit(), which telemetry queries also hold, see fastmem_lifecycle).
 * Functions that must run under a lock say so with __rte_requires_capability(), which
 * clang's -Wthread-safety checks, and assert it in debug builds (FASTMEM_LOCK_ASSERT).
 *
 * Teardown (rte_fastmem_deinit()) is order-independent: cache memory never lives in
 * fastmem's own slabs, and the phases are global: (1) every lcore's caches are emptied
 * and the cache sets freed, of every process, (2) every zone of every socket is freed,
 * (3) the state. In a secondary, deinit is phase 1 for the process's own caches only,
 * their objects given back to the bins (a detach).
 *
 * Memory orders: the state pointer and the cache-set table entries are published with
 * release stores and read with acquire loads (pairs named at each site). Statistics
 * counters are single-writer (the owning lcore, or a bin lock holder) and are written with
 * a relaxed load + relaxed store, read with relaxed loads. Everything else is under a
 * lock or owned by one lcore.
 */

#include <stdbool.h>
#include <stdint.h>

#include <rte_branch_prediction.h>
#include <rte_common.h>
#include <rte_debug.h>
#include <rte_lcore.h>
#include <rte_log.h>
#include <rte_memory.h>
#include <rte_memzone.h>
#include <rte_per_lcore.h>
#include <rte_spinlock.h>

#include <rte_lcore_var.h>

#include "rte_fastmem.h"
#include "rte_fastmem_core.h"

extern int fastmem_logtype;

#define FASTMEM_LOG(level, fmt, ...) \
	rte_log(RTE_LOG_ ## level, fastmem_logtype, "FASTMEM: %s(): " fmt "\n", \
		__func__, ##__VA_ARGS__)

/*
 * Lock contracts, checked by clang's -Wthread-safety, with which DPDK's tree builds its
 * libraries: a function that must be called with a lock held says so with
 * __rte_requires_capability(). DPDK releases before 25.03 lack the macro (and 22.11 all
 * lock annotations): there it expands to nothing.
 */
#ifndef __rte_requires_capability
#define __rte_requires_capability(...)
#endif

/* Debug checks: cheap assertions, enabled with -DRTE_LIBRTE_FASTMEM_DEBUG. */
#ifdef RTE_LIBRTE_FASTMEM_DEBUG
#define FASTMEM_ASSERT(cond) RTE_VERIFY(cond)
#define FASTMEM_LOCK_ASSERT(l) RTE_VERIFY(rte_spinlock_is_locked(l))
#else
#define FASTMEM_ASSERT(cond) do { } while (0)
#define FASTMEM_LOCK_ASSERT(l) do { } while (0)
#endif

/* Relaxed access to counters and gauges read by other threads. */
#define FASTMEM_LOAD(p) __atomic_load_n((p), __ATOMIC_RELAXED)
#define FASTMEM_STORE(p, v) __atomic_store_n((p), (v), __ATOMIC_RELAXED)
/* Add to a counter that only the caller writes (owner lcore, or bin lock held). */
#define FASTMEM_COUNT(p, n) FASTMEM_STORE((p), FASTMEM_LOAD(p) + (n))

#define FASTMEM_SLAB_SHIFT 21
#define FASTMEM_SLAB_SIZE RTE_FASTMEM_SLAB_SIZE
#define FASTMEM_PAGE_SHIFT RTE_FASTMEM_PAGE_SHIFT
#define FASTMEM_PAGE_SIZE ((size_t)1 << FASTMEM_PAGE_SHIFT)
#define FASTMEM_PAGES RTE_FASTMEM_SLAB_PAGES /* pages of a slab, at most 64 (a bitmap) */
#define FASTMEM_PAGES_ALL UINT64_MAX /* free_pages of a slab with every page free */
/* bytes of slab header at the start of every slab */
#define FASTMEM_SLAB_HDR RTE_ALIGN_CEIL(sizeof(struct fastmem_slab), RTE_CACHE_LINE_SIZE)
/* Fullness buckets of a bin's partial runs: a run with at least b/4 and less than
 * (b + 1)/4 of its objects out belongs to bucket b. Allocation links it there; frees
 * leave it where it is, so a bucket also holds runs that have since become emptier, and
 * allocation, which takes from the fullest bucket first, moves such a run down to its
 * own bucket when it finds it. */
#define FASTMEM_BUCKETS 4
#define FASTMEM_ZONE_SIZE ((size_t)128 << 20) /* largest zone growth makes */
#define FASTMEM_MAX_SOCKETS RTE_MAX_HEAPS /* NUMA sockets + external heaps */
#define FASTMEM_NUM_CLASSES RTE_FASTMEM_NUM_CLASSES
#define FASTMEM_CLASS_NONE UINT16_MAX
#define FASTMEM_SIDX_NONE UINT32_MAX
/* Transfer cache of a bin: this many lcore-cache batches of the class. */
#define FASTMEM_XFER_BATCHES 4
/* The zone map covers addresses below 2^FASTMEM_MAP_BITS (every user address of the
 * 64-bit targets DPDK runs on, with 4-level page tables), in leaves of
 * 2^FASTMEM_MAP_LEAF_BITS slabs (32 GiB of address space per 16 KiB leaf). */
#define FASTMEM_MAP_BITS 48
#define FASTMEM_MAP_LEAF_BITS 14
#define FASTMEM_MAP_TOP (1u << (FASTMEM_MAP_BITS - FASTMEM_SLAB_SHIFT - FASTMEM_MAP_LEAF_BITS))
/* Leaves the state holds (EAL keeps its memory in few ranges of address space); more come
 * from rte_zmalloc(). */
#define FASTMEM_MAP_LEAVES 4

/* The slab of an object. */
#define FASTMEM_SLAB_OF(p) \
	((struct fastmem_slab *)RTE_PTR_ALIGN_FLOOR((uintptr_t)(p), FASTMEM_SLAB_SIZE))
/* The page index of an address in its slab. */
#define FASTMEM_PAGE_OF(p) \
	((unsigned int)(((uintptr_t)(p) >> FASTMEM_PAGE_SHIFT) & (FASTMEM_PAGES - 1)))
/* The run holding an object (of a page that belongs to a run). */
#define FASTMEM_RUN_OF(p) \
	(&FASTMEM_SLAB_OF(p)->runs[FASTMEM_SLAB_OF(p)->page_run[FASTMEM_PAGE_OF(p)]])

/* Runs of at most this many objects keep their free objects in a bitmap (fastmem_run). */
#define FASTMEM_RUN_MAP_OBJS 64
#define FASTMEM_RUN_INV_SHIFT 40

/* Where a slab is (pool lock). */
enum fastmem_slab_where {
	FASTMEM_SLAB_POOL = 0, /* every page free: in the socket's pool */
	FASTMEM_SLAB_SPLIT, /* some pages in runs, some free: on the socket's split list */
	FASTMEM_SLAB_USED, /* every page in a run: in no list */
};

/* Where a run is (bin lock). */
enum fastmem_run_where {
	FASTMEM_RUN_FREE = 0, /* its pages are free; not a run of any bin */
	FASTMEM_RUN_PARTIAL, /* has free objects: on its bin's partial list of its bucket */
	FASTMEM_RUN_FULL, /* no free object: on its bin's full list */
};

/*
 * A run: whole pages of one slab serving one class, the unit in which memory moves between
 * classes. Its descriptor is in its slab's header, at the index of its first page
 * (fastmem_slab::runs); every page of the run has the run's class in fastmem_slab::ids
 * and the run's first page in fastmem_slab::page_run, so that an object's class (inline
 * free path: one load) and run (bin layer: two) follow from its address alone.
 */
struct fastmem_run {
	/* Set when the run is cut from its slab (pool lock, with the bin lock held), fixed
	 * while it holds an object. */
	uint16_t cls; /* class index, FASTMEM_CLASS_NONE when the pages are free */
	uint8_t start; /* first page; the run's memory starts there (fastmem_run_base()) */
	uint8_t n_pages; /* pages of the run */
	uint32_t obj_size; /* stride: the class size, or more (fastmem_run_get()) */
	uint32_t n_objs; /* objects the run holds */
	uint32_t first; /* offset of the first object from the run's first page */
	/* Under the lock of the bin holding the run. */
	uint32_t n_out; /* objects out of the run (in use or cached) */
	uint32_t bump; /* offset of the never-used space; objects past it are free */
	uint8_t where; /* enum fastmem_run_where */
	uint8_t bucket; /* partial: the bucket whose list holds it, at least run_bucket() */
	uint16_t pad0;
	/* Set with the fixed fields. Not 0 for a run of at most FASTMEM_RUN_MAP_OBJS objects:
	 * ceil(2^FASTMEM_RUN_INV_SHIFT / obj_size), with which an object's index is its
	 * offset from the first times this, shifted right by FASTMEM_RUN_INV_SHIFT (exact
	 * for every object start of the run); the run's free objects are then free_map's bits. */
	uint32_t inv_stride;
	union {
		/* inv_stride 0: free list, threaded through the first 8 bytes of free objects */
		void *free_head;
		/* inv_stride not 0: bit i set when object i (below bump) is free; the objects
		 * themselves are never written, so that the free state of large objects does
		 * not fill a few cache sets with their first lines (power-of-two strides) */
		uint64_t free_map;
	};
	struct fastmem_run *next; /* list links: a partial list, or the full list, of the bin */
	struct fastmem_run *prev;
	uint64_t *dbg_map; /* debug builds: allocation bitmap (fastmem_debug.h); else NULL */
};

/*
 * Slab header: the first FASTMEM_SLAB_HDR bytes of every slab.
 *
 * Placement: in the slab, found by masking. The cost is the first 4.4 KiB of every slab
 * (0.2%), and up to the first aligned object in runs of classes aligned to more that start
 * at page 0; the gain is that a free finds its class and socket with one load at an
 * address computed from the object's, from a line that changes only when a page changes
 * class. An out-of-slab descriptor would need a global address-to-descriptor map (a
 * radix table) and two more dependent loads on every free.
 */
struct fastmem_slab {
	/* Lines 0-3: the class of each page (rte_fastmem_slab_id, which the inline free path
	 * reads without a lock, and only for a page holding one of its objects, i.e. a page
	 * that cannot change class under it); written under the pool lock when a run is cut
	 * or released. */
	struct rte_fastmem_slab_id ids[FASTMEM_PAGES];
	/* Set when the zone is cut, fixed afterwards. */
	uint32_t sidx; /* fastmem socket index */
	/* Not 0: the zone is not IOVA-contiguous, translate page by page; then the size
	 * of the zone's pages that are IOVA-contiguous each (at most FASTMEM_SLAB_SIZE). */
	uint32_t iova_slow;
	rte_iova_t iova; /* IOVA of the slab start, RTE_BAD_IOVA if none */
	uint32_t zone_slabs; /* first slab of a zone: slabs in the zone; else 0 */
	/* What the inline bulk free reads besides lines 0-3 (RTE_FASTMEM_SLAB_MONO_OFF), in
	 * this line, which cuts and releases leave alone but for this field: cls is the class
	 * of every run of the slab when they are all of one class, FASTMEM_CLASS_NONE when
	 * the slab has no run or has had runs of several classes since it last had none (it
	 * stays so until its last run goes, which under random frees may be never); sidx is
	 * the slab's. Written under the pool lock with relaxed stores, read with relaxed
	 * loads. A thread holding objects of the slab got them through a bin lock after
	 * their runs were cut, so it reads their class or NONE: the value is NONE while runs
	 * of two classes exist. */
	struct rte_fastmem_slab_id mono;
	const struct rte_memzone *mz; /* first slab of a zone: the memzone; else NULL */
	struct fastmem_slab *zone_next; /* first slab of a zone: next zone of the socket */
	struct fastmem_slab *zone; /* first slab of the zone holding this slab */
	uint64_t *dbg_map; /* debug builds: allocation bitmaps of its runs; else NULL */
	uint64_t pad1;
	/* Under the pool lock of the socket. */
	uint64_t free_pages; /* bit i set: page i is in no run */
	struct fastmem_slab *next; /* list links: the pool, or the split list */
	struct fastmem_slab *prev;
	uint32_t where; /* enum fastmem_slab_where */
	/* First slab of a zone: how many of the zone's slabs are in the pool. Equal to
	 * zone_slabs means the zone can be released (rte_fastmem_trim()). */
	uint32_t zone_pooled;
	uint32_t n_runs; /* runs cut from the slab (mono) */
	uint32_t pad2;
	uint64_t pad3[3];
	/* The first page of the run holding page i; runs[page_run[i]] is that run. Written
	 * under the pool lock with the run's descriptor. */
	uint8_t page_run[FASTMEM_PAGES];
	/* The runs, at the index of their first page; the other entries are unused. */
	struct fastmem_run runs[FASTMEM_PAGES];
};

/* The memory of a run: its first page. */
static inline void *
fastmem_run_base(const struct fastmem_run *run)
{
	return RTE_PTR_ADD(FASTMEM_SLAB_OF(run), (size_t)run->start << FASTMEM_PAGE_SHIFT);
}

/* The counters of one lcore cache (struct rte_fastmem_cache), as baselines and totals
 * keep them. */
struct fastmem_counters {
	uint64_t alloc_hits;
	uint64_t free_hits;
	uint64_t alloc_misses;
	uint64_t free_misses;
	uint64_t alloc_nomem;
};

/* A bin: one (socket, class). */
struct fastmem_bin {
	rte_spinlock_t lock;
	uint16_t cls;
	/* Under lock. Invariant: every run on partial[b] has n_out < n_objs, n_out > 0
	 * (except transiently inside a locked section), bucket == b and b >= n_out *
	 * FASTMEM_BUCKETS / n_objs (frees leave a run on its list; allocation moves it down
	 * when it finds it there); every run on full has n_out == n_objs. Runs with n_out
	 * == 0 go back to their slab, never stay here. */
	struct fastmem_run *partial[FASTMEM_BUCKETS];
	struct fastmem_run *full;
	/* Statistics: written under lock (relaxed load + store), read relaxed by anyone. */
	uint64_t slabs_partial; /* gauge: runs on the partial lists */
	uint64_t slabs_full; /* gauge: length of full */
	uint64_t run_bytes; /* gauge: bytes of the runs of the bin */
	/* gauges: room of the bin's runs (sum of n_objs) and their free objects (sum of
	 * n_objs - n_out): run_objs - run_free objects of the runs are allocated or cached */
	uint64_t run_objs;
	uint64_t run_free;
	uint64_t slab_acquires; /* counter: runs cut from slabs */
	uint64_t slab_releases; /* counter: runs given back to their slabs */
	uint64_t sh_allocs; /* counter: objects allocated by threads without lcore id */
	uint64_t sh_frees; /* counter: objects freed by threads without lcore id */
	uint64_t sh_nomem; /* counter: ENOMEM calls of threads without lcore id */
	/* Baselines for rte_fastmem_stats_reset(): written under the state's stats lock. */
	uint64_t base_acquires;
	uint64_t base_releases;
	uint64_t base_sh_allocs;
	uint64_t base_sh_frees;
	uint64_t base_sh_nomem;
	/* Transfer cache (see "Transfer caches" above): under lock, except xfer_len, which
	 * is written under lock (relaxed store) and read relaxed by statistics. xfer is
	 * allocated (rte_zmalloc) by the first drain into the bin, freed at deinit. */
	void **xfer; /* xfer_cap free objects of the bin's class and socket, a stack */
	uint32_t xfer_len;
	uint32_t xfer_cap; /* FASTMEM_XFER_BATCHES cache batches; 0 until xfer is set */
	uint32_t xfer_nomem; /* 1: allocating xfer failed, drains go to the runs */
	/* Cold, after what the bin lock's holders touch: */
	/* The caches of this socket and class of lcores that gave up their id: their counters
	 * (retired) and reset baselines (base_retired), added up when the caches are
	 * retired (lcore_retire() of fastmem_cache.c), so that totals stay exact; written under the
	 * state's stats lock, read under it. */
	struct fastmem_counters retired;
	struct fastmem_counters base_retired;
} __rte_cache_aligned;

/* A socket: a NUMA socket or an external heap. */
struct fastmem_socket {
	uint32_t sidx; /* the socket's slot in fastmem_state::sockets; fixed */
	int socket_id; /* EAL socket id (heap socket id for external heaps); fixed */
	uint32_t external; /* 1 for an external heap; fixed */
	size_t limit; /* bytes; written under state lock + grow lock, read relaxed */
	size_t backing; /* bytes of zones; written under grow lock, read relaxed */

	rte_spinlock_t grow_lock; /* serializes zone reservation and limit changes */
	struct fastmem_slab *zones; /* under grow lock: first slab of each zone */
	uint32_t zone_seq; /* under grow lock: for memzone names */
	/* Under grow lock: the smallest zone size whose IOVA-contiguous reservation failed,
	 * 0 for none; growth tries contiguous zones only below it (EAL in IOVA-as-PA mode
	 * fails large contiguous requests each time, at great cost), until a zone is
	 * released and memory may have come together again. */
	size_t contig_fail;

	size_t reserved; /* under grow lock: bytes of rte_fastmem_reserve(); trim keeps these */
	size_t trim_threshold; /* auto trim above this many free bytes; SIZE_MAX: off; relaxed */
	uint64_t trimmed; /* under grow lock, read relaxed: bytes of zones released */

	rte_spinlock_t pool_lock __rte_cache_aligned;
	struct fastmem_slab *pool; /* under pool_lock: free slabs, linked by next/prev */
	struct fastmem_slab *split; /* under pool_lock: slabs with free and used pages */
	uint32_t pool_count; /* written under pool_lock, read relaxed */
	uint32_t split_count; /* written under pool_lock, read relaxed */
	uint64_t free_pages; /* pages free in split slabs; written under pool_lock, relaxed */

	struct fastmem_bin bins[FASTMEM_NUM_CLASSES];
};

/* Processes the state records at once: the primary and its secondaries. */
#define FASTMEM_MAX_PROCS RTE_FASTMEM_MAX_PROCS
/* The version of the shared state's layout (struct fastmem_state and what it points to),
 * which every attached process must have; raised with any change of those. */
#define FASTMEM_STATE_VERSION 3

/* Where a process record is (fastmem_state::procs, under the stats lock). */
enum fastmem_proc_where {
	FASTMEM_PROC_FREE = 0, /* no process */
	FASTMEM_PROC_ATTACHED, /* a process between rte_fastmem_init() and _deinit() */
	FASTMEM_PROC_RECLAIMING, /* found dead: a reclaimer empties its caches (or died in it) */
};

/*
 * A process attached to the state. Its cache sets live in EAL memory (rte_zmalloc()),
 * which every process maps at the same address, and are linked here, so that another
 * process reaches them when this one dies: the lcore variables that point to them are
 * the process's own. Under the stats lock, which statistics readers hold to walk the
 * sets of every process.
 *
 * Liveness: record i is byte i of a lock file in EAL's runtime directory, which the
 * process attached there holds write-locked (an open file description lock, released by
 * the kernel when the process dies, whatever pid namespace it is in and whatever pid
 * comes next), and a reclaimer too while it empties the record: a process that can take
 * the lock of an attached record knows its owner is dead and that no other reclaimer is
 * at work (fastmem_procs_reclaim()).
 */
struct fastmem_proc {
	uint32_t where; /* enum fastmem_proc_where */
	int32_t pid; /* in the namespace of the process itself; for logs and telemetry */
	uint32_t type; /* enum rte_proc_type_t */
	uint32_t locked; /* 1: its owner holds the record's byte of the lock file */
	struct fastmem_cset *csets; /* every cache set of the process, live or spare */
};

/* The shared state, in an EAL memzone. */
struct fastmem_state {
	rte_spinlock_t lock; /* socket table, limits */
	/* Statistics baselines (moved by reset, read by readers), the process table and
	 * the cache-set lists of its records. Innermost. */
	rte_spinlock_t stats_lock;
	/* What a process must agree on to attach (set by the primary, fixed): the layout
	 * version the library was built with, and the sizes of this struct and of a cache
	 * set. */
	uint32_t layout;
	uint32_t state_version; /* FASTMEM_STATE_VERSION */
	uint32_t state_size;
	uint32_t pad0;
	uint64_t cset_size;
	/* Sockets in use: slots [0, n_sockets) are set up. Written under lock with a
	 * release store after the slot is filled; read with acquire (pairs). */
	uint32_t n_sockets;
	uint32_t n_numa; /* slots [0, n_numa) are the NUMA sockets; fixed at init */
	size_t default_limit; /* limit for sockets set up later; under lock */
	size_t default_trim_threshold; /* trim threshold for sockets set up later; under lock */
	size_t cache_budget; /* bytes an lcore's caches of a socket may grow by; relaxed */
	int16_t numa_sidx[RTE_MAX_NUMA_NODES]; /* NUMA socket id -> slot, -1 if none */
	const struct rte_memzone *mz; /* the memzone holding this struct */
	/* Slot -> socket, in EAL memory of its own (rte_zmalloc()): only the slots in use
	 * take memory (a socket is about 38 KiB, its bins most of it). Set before the slot
	 * is published by n_sockets, freed at deinit; fixed in between. */
	struct fastmem_socket *sockets[FASTMEM_MAX_SOCKETS];
	/*
	 * The zone map: for each slab-sized piece of the address space, the socket slot + 1
	 * of the zone holding it, 0 when no zone does; what tells fastmem's memory from any
	 * other in O(1), without reading the memory (fastmem_zone_owner()). Leaf i covers
	 * the slabs i << FASTMEM_MAP_LEAF_BITS on. Leaves are taken by the zone layer from
	 * map_leaves (map_leaves_used counts them, atomically), then allocated with
	 * rte_zmalloc(), EAL memory as the state is, and freed at deinit; a leaf is
	 * installed with a compare-and-swap (release; pairs with the acquire in
	 * fastmem_zone_owner()).
	 * Entries are written with relaxed stores under the grow lock of the socket whose
	 * zone they cover, before the zone's slabs enter the pool and after they leave it,
	 * and read with relaxed loads.
	 */
	uint8_t *zone_map[FASTMEM_MAP_TOP];
	uint32_t map_leaves_used;
	uint8_t map_leaves[FASTMEM_MAP_LEAVES][1u << FASTMEM_MAP_LEAF_BITS];
	/* The attached processes (struct fastmem_proc), under the stats lock; slot 0 is
	 * the primary's. What reclaims counted: written under the stats lock, read relaxed. */
	struct fastmem_proc procs[FASTMEM_MAX_PROCS];
	uint64_t procs_reclaimed; /* dead processes whose caches were taken back */
	uint64_t objs_reclaimed; /* objects those caches held */
	int64_t objs_left; /* what their lcores allocated minus what they freed */
};

/* The caches of one (lcore, socket), all classes. */
struct fastmem_cset {
	int heap_socket; /* the socket it was allocated on (SOCKET_ID_ANY: any); fixed */
	/* 1 while an lcore uses it, 0 while a spare (its counters then belong to the bins'
	 * retired totals); under the stats lock. */
	uint32_t live;
	struct fastmem_cset *next_spare; /* in the spare list of the cache layer */
	/* In the list of its process's record (fastmem_proc::csets), under the stats lock. */
	struct fastmem_cset *next_proc;
	/* Bytes of capacity the caches gained by growing: the sum over its caches of
	 * (cap - the class's starting capacity) x class size, at most the cache budget
	 * (fastmem_state::cache_budget) when it grows. Owner-written (relaxed), read relaxed. */
	uint64_t grown_bytes;
	/* Statistics baselines, per class: written under the stats lock, read relaxed. */
	struct fastmem_counters base[FASTMEM_NUM_CLASSES];
	/* then the caches, class c at fastmem_layout.cache_off[c] bytes from the start */
} __rte_cache_aligned;

/* The lcore variable: per lcore id. Its head is struct rte_fastmem_lcore_caches of
 * rte_fastmem_core.h, which the inline fast path reads (same fields, same layout). */
struct fastmem_lcore {
	/* Cache set per socket slot; NULL until first use. Written by the owner lcore
	 * (release store, after the set is initialized) and by deinit; read by the owner
	 * (plain loads in the inline fast path) and by statistics readers (acquire; pairs
	 * with the release store). */
	uint32_t own_sidx; /* socket of the lcore; meaningful once used is set */
	uint32_t used; /* 1 once the lcore used fastmem since init (relaxed) */
	/* The generic free's memo (struct rte_fastmem_lcore_caches): owner-only; reset to
	 * a cache of capacity 0 and no class whenever used is set. */
	struct rte_fastmem_cache *memo_cache;
	struct fastmem_cset *cset[RTE_FASTMEM_SOCKET_SLOTS];
};

/* The caches' layout, computed from the class table at first init (cache layer); fixed
 * afterwards. */
struct fastmem_layout {
	size_t cache_off[FASTMEM_NUM_CLASSES]; /* cache of class c from its cset */
	uint32_t cache_cap[FASTMEM_NUM_CLASSES]; /* largest capacity: room in objs[] */
	uint32_t cache_cap_min[FASTMEM_NUM_CLASSES]; /* starting and smallest capacity */
	size_t none_off; /* the cache of no class (capacity 0), for class slots past the last */
	size_t cset_size; /* bytes of a cache set, caches included */
};

extern struct fastmem_layout fastmem_layout;

/* Every lcore id of this process that used fastmem since init, in increasing order: the
 * statistics and flushes visit these only, not every lcore id up to RTE_MAX_LCORE. */
#define FASTMEM_FOREACH_USED_LCORE(l) \
	for ((l) = fastmem_lcore_next_used(0); (l) < RTE_MAX_LCORE; \
			(l) = fastmem_lcore_next_used((l) + 1))

/* The state, NULL when not initialized (release store in init; acquire loads). */
extern struct fastmem_state *fastmem_state_ptr;

static inline struct fastmem_state *
fastmem_state(void)
{
	/* pairs with the release store in rte_fastmem_init() */
	return __atomic_load_n(&fastmem_state_ptr, __ATOMIC_ACQUIRE);
}

static inline struct rte_fastmem_cache *
fastmem_cset_cache(struct fastmem_cset *cs, unsigned int cls)
{
	return RTE_PTR_ADD(cs, fastmem_layout.cache_off[cls]);
}

/* The size of class cls, from the class table. */
static inline size_t
fastmem_class_size(unsigned int cls)
{
#define FASTMEM_X_SIZE(size) size,
	static const size_t sizes[] = { RTE_FASTMEM_CLASS_TABLE(FASTMEM_X_SIZE) };
#undef FASTMEM_X_SIZE

	return sizes[cls];
}

/*
 * Test facility (rte_fastmem_test_local_socket()): per thread, the socket slot + 1 that
 * stands for the thread's socket; 0 (the default) for the socket EAL gives the thread.
 */
RTE_DECLARE_PER_LCORE(uint32_t, fastmem_test_slot);

/* The slot of the calling thread's socket; slot 0 when it has none. Never fails. */
static inline unsigned int
fastmem_local_sidx(const struct fastmem_state *st)
{
	int socket_id = (int)rte_socket_id();

	if (unlikely(RTE_PER_LCORE(fastmem_test_slot) != 0))
		return RTE_PER_LCORE(fastmem_test_slot) - 1;

	if (socket_id >= 0 && socket_id < RTE_MAX_NUMA_NODES && st->numa_sidx[socket_id] >= 0)
		return (unsigned int)st->numa_sidx[socket_id];
	return 0; /* slot 0 always exists: see rte_fastmem_init() */
}

/*
 * The socket slot + 1 of the zone holding ptr, 0 when ptr is in no zone of fastmem
 * (malloc()ed, rte_malloc()ed, static or stack memory, a wild pointer). O(1), reads
 * nothing at ptr. A map kept by the zone layer, read by any.
 */
static inline unsigned int
fastmem_zone_owner(const struct fastmem_state *st, const void *ptr)
{
	uintptr_t a = (uintptr_t)ptr;
	const uint8_t *leaf;

	if (unlikely((a >> FASTMEM_MAP_BITS) != 0))
		return 0;
	/* pairs with the release compare-and-swap in the zone layer's map_leaf() */
	leaf = __atomic_load_n(&st->zone_map[a >> (FASTMEM_SLAB_SHIFT + FASTMEM_MAP_LEAF_BITS)],
			__ATOMIC_ACQUIRE);
	if (leaf == NULL)
		return 0;
	return __atomic_load_n(&leaf[(a >> FASTMEM_SLAB_SHIFT) &
			((1u << FASTMEM_MAP_LEAF_BITS) - 1)], __ATOMIC_RELAXED);
}

/* fastmem_lifecycle.c: init and deinit, the socket table */
int fastmem_socket_lookup(struct fastmem_state *st, int socket_id);
int fastmem_reset(void);
unsigned int fastmem_procs_reclaim(struct fastmem_state *st);

/* fastmem_stats.c: the calling thread's statistics calls do not attach a secondary
 * process (telemetry queries, under the lifecycle lock) */
void fastmem_stats_attach_hold(bool hold);
/*
 * The lock rte_fastmem_init() and rte_fastmem_deinit() hold while they publish or tear
 * down the state. Code inside fastmem that may run concurrently with them, unlike the
 * application's calls (telemetry queries), holds it too, so that the state cannot be
 * freed under it. Never taken on allocation or free paths.
 */
extern rte_spinlock_t fastmem_lifecycle;

/* fastmem_cache.c: lcore caches */
int fastmem_cache_layout(void);
int fastmem_lcore_setup(struct fastmem_proc *self);
void fastmem_lcore_teardown(struct fastmem_state *st, bool give_back);
uint64_t fastmem_proc_empty(struct fastmem_state *st, struct fastmem_proc *p, bool give_back,
		int64_t *net);
void fastmem_lcore_home(unsigned int sidx);
void fastmem_lcore_shrink(struct fastmem_state *st, unsigned int lcore_id);
struct fastmem_lcore *fastmem_lcore_get(unsigned int lcore_id);
unsigned int fastmem_lcore_next_used(unsigned int lcore_id);
struct rte_fastmem_cache *fastmem_cache_get(struct fastmem_state *st, unsigned int lcore_id,
		unsigned int sidx, unsigned int cls);
void *fastmem_alloc_one(struct fastmem_state *st, unsigned int sidx, unsigned int cls);
int fastmem_alloc_n(struct fastmem_state *st, unsigned int sidx, unsigned int cls,
		void **objs, unsigned int n);
void fastmem_free_n(struct fastmem_state *st, void * const *objs, unsigned int n);
unsigned int fastmem_lcore_flush(struct fastmem_state *st, unsigned int lcore_id,
		unsigned int only_sidx);

/* fastmem_bin.c: bins and transfer caches */
unsigned int fastmem_bin_alloc(struct fastmem_state *st, unsigned int sidx, unsigned int cls,
		void **objs, unsigned int min, unsigned int max, bool shared);
void fastmem_bin_free(struct fastmem_state *st, unsigned int sidx, unsigned int cls,
		void * const *objs, unsigned int n, bool shared);
void fastmem_bin_count_nomem(struct fastmem_state *st, unsigned int sidx, unsigned int cls);
void fastmem_bin_auto_trim_hold(bool hold);
void fastmem_bin_drain(struct fastmem_state *st, unsigned int sidx, unsigned int cls,
		unsigned int batch, void * const *objs, unsigned int n);
unsigned int fastmem_xfer_flush(struct fastmem_state *st, unsigned int sidx);
void fastmem_xfer_release(struct fastmem_state *st, unsigned int sidx);
void fastmem_xfer_teardown(struct fastmem_state *st);

/* fastmem_zone.c: backing zones */
int fastmem_zone_grow(struct fastmem_state *st, struct fastmem_socket *s);
int fastmem_zone_reserve(struct fastmem_state *st, struct fastmem_socket *s, size_t size);
void fastmem_zone_set_limit(struct fastmem_socket *s, size_t max_bytes);
size_t fastmem_zone_trim(struct fastmem_state *st, struct fastmem_socket *s, size_t keep_free,
		bool try, unsigned int *n_zones);
void fastmem_zone_teardown(struct fastmem_state *st, struct fastmem_socket *s);
bool fastmem_zone_idle(struct fastmem_socket *s);
void fastmem_park_set(size_t keep);
void fastmem_zone_map_free(struct fastmem_state *st);
rte_iova_t fastmem_zone_iova(const void *ptr);

/* fastmem_slab.c: slabs and the free-slab pool (the per-object operations are inline, in
 * fastmem_slab.h) */
struct fastmem_run *fastmem_run_get(struct fastmem_socket *s, unsigned int cls);
void fastmem_run_put(struct fastmem_socket *s, struct fastmem_run *run);
bool fastmem_pool_take_zone(struct fastmem_socket *s, struct fastmem_slab *zone,
		size_t keep_free)
	__rte_requires_capability(&s->grow_lock);
void fastmem_slab_cut(struct fastmem_socket *s, const struct rte_memzone *mz,
		unsigned int n_slabs, bool iova_slow)
	__rte_requires_capability(&s->grow_lock);

#endif /* FASTMEM_PRIV_H */
