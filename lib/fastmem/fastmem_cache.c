/* SPDX-License-Identifier: BSD-3-Clause
 * Copyright(c) 2026 The dpdk-lcoremem authors
 */

/*
 * Per-lcore caches: the lcore variable, the cache sets per (lcore, socket), their layout,
 * and the allocation and free paths through them (and around them, for threads without
 * an lcore id): the top of the allocator below the public entry points.
 *
 * Owns: fastmem's lcore variable (struct fastmem_lcore), every cache set and cache
 * (struct rte_fastmem_cache), the cache layout (fastmem_layout), the cache-set lists of
 * the process records (struct fastmem_proc).
 * Locks: none on the paths. A cache is the owning lcore's alone: only it pushes and pops,
 * without a lock or an atomic read-modify-write; statistics readers see len and the
 * counters through relaxed atomic loads of the owner's relaxed stores, and the cache-set
 * pointers through acquire loads of its release stores. The stats lock guards the
 * process records' lists of cache sets. Teardown (deinit) runs when no lcore of the
 * process uses fastmem.
 * Crashes: another process may take back the caches of a process that died at any
 * instruction (fastmem_proc_empty()), so a cache never lists an object that is also in
 * a bin: what leaves a cache for a bin is off the cache (copied aside, len lowered)
 * before the bin gets it, and what comes from a bin is in the cache's array before len
 * covers it (release stores). A death in between loses the objects in transit, and one
 * while the array moves (cache_take_oldest()) the ones that stay; none is freed twice.
 * Calls: down to the bin layer (refills, drains, frees of threads without an lcore id).
 */

#include <errno.h>
#include <stdbool.h>
#include <string.h>

#include <rte_branch_prediction.h>
#include <rte_common.h>
#include <rte_lcore.h>
#include <rte_malloc.h>

#include <rte_lcore_var.h>

#include <eal_export.h>

#include "fastmem_priv.h"

/*
 * The lcore variable; allocated by a constructor, so that it exists whenever code that
 * calls fastmem runs, and the inline paths need not test the handle; all zero (no cache
 * set, not used) until an lcore first uses fastmem after rte_fastmem_init(). Exported for
 * the inline cache-hit paths of rte_fastmem.h, which see its head as struct
 * rte_fastmem_lcore_caches: the two layouts must agree.
 */
RTE_EXPORT_EXPERIMENTAL_SYMBOL(__rte_fastmem_lcore_caches, 26.03)
RTE_LCORE_VAR_HANDLE(struct rte_fastmem_lcore_caches, __rte_fastmem_lcore_caches);
RTE_LCORE_VAR_INIT_SIZE_ALIGN(__rte_fastmem_lcore_caches, sizeof(struct fastmem_lcore),
		RTE_CACHE_LINE_SIZE);

static_assert(offsetof(struct fastmem_lcore, cset) ==
		offsetof(struct rte_fastmem_lcore_caches, cset), "lcore variable head");
static_assert(offsetof(struct fastmem_lcore, own_sidx) ==
		offsetof(struct rte_fastmem_lcore_caches, own_sidx), "lcore variable head");
static_assert(offsetof(struct fastmem_lcore, used) ==
		offsetof(struct rte_fastmem_lcore_caches, used), "lcore variable head");
static_assert(offsetof(struct fastmem_lcore, memo_cache) ==
		offsetof(struct rte_fastmem_lcore_caches, memo_cache), "lcore variable head");
static_assert(RTE_MAX_HEAPS <= RTE_FASTMEM_SOCKET_SLOTS, "socket field of handles");
static_assert(RTE_ALIGN_CEIL(sizeof(struct fastmem_lcore), RTE_CACHE_LINE_SIZE) <=
		RTE_MAX_LCORE_VAR, "RTE_MAX_LCORE_VAR (meson option max_lcore_var) is too small "
		"for fastmem's per-lcore state");
static_assert(RTE_FASTMEM_NUM_CLASSES <= RTE_FASTMEM_CLASS_SLOTS, "class field of handles");

/* Offsets of the caches in a cache set, for the inline paths; a copy of
 * fastmem_layout.cache_off, set at the first init. */
RTE_EXPORT_EXPERIMENTAL_SYMBOL(__rte_fastmem_cache_off, 26.03)
uint32_t __rte_fastmem_cache_off[RTE_FASTMEM_CLASS_SLOTS];

/* --- layout of the caches, from the class table --- */

/* The most objects a cache holds: a burst of 512 fits whatever it held before
 * (fastmem_priv.h, "Cache sizing"). */
#define FASTMEM_CACHE_OBJS_MAX 1024u
/* A cache starts at this fraction of its largest capacity (at least one object). */
#define FASTMEM_CACHE_START_DIV 16u

#define FASTMEM_X_ONE(size) 1 +
static_assert(RTE_FASTMEM_CLASS_TABLE(FASTMEM_X_ONE) 0 == RTE_FASTMEM_NUM_CLASSES,
		"class table size");
#undef FASTMEM_X_ONE
static_assert(RTE_FASTMEM_NUM_CLASSES <= RTE_FASTMEM_MAX_CLASSES, "too many classes");
static_assert(sizeof(struct rte_fastmem_cache) == RTE_CACHE_LINE_SIZE, "cache header");

/*
 * Layout version 5 (RTE_FASTMEM_LAYOUT_VERSION), as the inline paths compiled into
 * applications see it. A change to any of these changes the layout: give it a new version,
 * and pin that version's values here in place of these.
 */
#if RTE_FASTMEM_LAYOUT_VERSION == 5
static_assert(RTE_FASTMEM_NUM_CLASSES == 120 && RTE_FASTMEM_MIN_CLASS_SIZE == 8 &&
	RTE_FASTMEM_MAX_CLASS_SIZE == ((size_t)1 << 20) && RTE_FASTMEM_CLASS_SLOTS == 128 &&
	RTE_FASTMEM_SOCKET_SLOTS == 32 && RTE_FASTMEM_SLAB_SIZE == ((size_t)2 << 20),
	"layout 5: classes, slots and slabs");
static_assert(RTE_FASTMEM_PAGE_SHIFT == 15 && RTE_FASTMEM_SLAB_PAGES == 64,
	"layout 5: pages of a slab");
static_assert(RTE_FASTMEM_HANDLE_CLS_SHIFT == 0 && RTE_FASTMEM_HANDLE_CLS_MASK == 0x7f &&
	RTE_FASTMEM_HANDLE_SIDX_SHIFT == 7 && RTE_FASTMEM_HANDLE_SIDX_MASK == 0x1f &&
	RTE_FASTMEM_HANDLE_OFF_SHIFT == 12 && RTE_FASTMEM_HANDLE_OFF_MASK == 0x1fff &&
	RTE_FASTMEM_HANDLE_TAG_SHIFT == 25 && RTE_FASTMEM_HANDLE_TAG == 0x53,
	"layout 5: handles");
static_assert(offsetof(struct rte_fastmem_cache, len) == 0 &&
	offsetof(struct rte_fastmem_cache, cap) == 4 &&
	offsetof(struct rte_fastmem_cache, batch) == 8 &&
	offsetof(struct rte_fastmem_cache, cls) == 12 &&
	offsetof(struct rte_fastmem_cache, sidx) == 14 &&
	offsetof(struct rte_fastmem_cache, alloc_hits) == 16 &&
	offsetof(struct rte_fastmem_cache, free_hits) == 24 &&
	offsetof(struct rte_fastmem_cache, objs) == 64, "layout 5: lcore cache");
static_assert(offsetof(struct rte_fastmem_lcore_caches, own_sidx) == 0 &&
	offsetof(struct rte_fastmem_lcore_caches, used) == 4 &&
	offsetof(struct rte_fastmem_lcore_caches, memo_cache) == 8 &&
	offsetof(struct rte_fastmem_lcore_caches, cset) == 16, "layout 5: lcore caches");
static_assert(sizeof(struct rte_fastmem_slab_id) == 4 &&
	offsetof(struct rte_fastmem_slab_id, cls) == 0 &&
	offsetof(struct rte_fastmem_slab_id, sidx) == 2 &&
	offsetof(struct rte_fastmem_cache, sidx) - offsetof(struct rte_fastmem_cache, cls) ==
		offsetof(struct rte_fastmem_slab_id, sidx) &&
	offsetof(struct fastmem_slab, ids) == 0 &&
	offsetof(struct fastmem_slab, mono) == RTE_FASTMEM_SLAB_MONO_OFF, "layout 5: page ids");
#else
#error "pin the sizes and offsets of the new fastmem layout version here"
#endif

struct fastmem_layout fastmem_layout;

/* What an lcore's free memo names until its first generic free: a cache of capacity 0,
 * never a hit, whose class and socket are no page's (sidx is below
 * RTE_FASTMEM_SOCKET_SLOTS on every page). Never written. */
static struct rte_fastmem_cache memo_none = {
	.cls = FASTMEM_CLASS_NONE,
	.sidx = UINT16_MAX,
};

/*
 * Compute the layout of the caches from the class table, once (the first init): where
 * each class's cache sits in a cache set, and whether the set of the lcore's own socket
 * fits in the lcore variable. 0, or -EINVAL when the class table and
 * rte_fastmem_class_of() disagree.
 */
int
fastmem_cache_layout(void)
{
	struct fastmem_layout *l = &fastmem_layout;
	size_t off = sizeof(struct fastmem_cset);
	unsigned int c;

	if (l->cset_size != 0)
		return 0;
	for (c = 0; c < RTE_FASTMEM_NUM_CLASSES; c++) {
		size_t size = fastmem_class_size(c);
		size_t fit = RTE_FASTMEM_CACHE_BYTES_MAX / size;
		uint32_t cap = fit >= FASTMEM_CACHE_OBJS_MAX ? FASTMEM_CACHE_OBJS_MAX :
				fit == 0 ? 1 : (uint32_t)fit;

		/* the table, rte_fastmem_class_of() and __rte_fastmem_class_size() agree */
		size_t below = c > 0 ? fastmem_class_size(c - 1) : 0;

		if (size % RTE_FASTMEM_MIN_CLASS_SIZE != 0 || size > RTE_FASTMEM_MAX_CLASS_SIZE ||
				size <= below || rte_fastmem_class_of(size) != c ||
				__rte_fastmem_class_size(c) != size ||
				(c > 0 && rte_fastmem_class_of(below + 1) != c)) {
			FASTMEM_LOG(ERR, "class table entry %u (%zu B) is inconsistent", c, size);
			return -EINVAL;
		}
		l->cache_cap[c] = cap;
		l->cache_cap_min[c] = RTE_MAX(cap / FASTMEM_CACHE_START_DIV, 1u);
		l->cache_off[c] = off;
		off += RTE_ALIGN_CEIL(sizeof(struct rte_fastmem_cache) +
				(size_t)cap * sizeof(void *), RTE_CACHE_LINE_SIZE);
	}
	/* the cache that class slots past the last class name: capacity 0, never a hit, so
	 * that the inline free of a stray pointer (a slab of no class) goes out of line */
	l->none_off = off;
	off += sizeof(struct rte_fastmem_cache);
	l->cset_size = off;
	return 0;
}

/* The lcore callbacks; registered by init, unregistered by deinit. */
static void *fastmem_lcore_cb;

/* This process's record in the state's process table; set by fastmem_lcore_setup(). */
static struct fastmem_proc *proc_self;

/*
 * The lcore ids whose variable has used set, one bit each: what fastmem_lcore_next_used()
 * iterates over. A bit is set by its lcore (relaxed: readers that miss it also miss the
 * used flag, set before it) and cleared by teardown. Process-local, like the lcore
 * variables.
 */
#define USED_WORDS ((RTE_MAX_LCORE + 63) / 64)
static uint64_t lcores_used[USED_WORDS];

unsigned int
fastmem_lcore_next_used(unsigned int lcore_id)
{
	unsigned int w = lcore_id / 64;
	uint64_t bits;

	if (lcore_id >= RTE_MAX_LCORE)
		return RTE_MAX_LCORE;
	bits = FASTMEM_LOAD(&lcores_used[w]) & (UINT64_MAX << (lcore_id % 64));
	while (bits == 0) {
		if (++w == USED_WORDS)
			return RTE_MAX_LCORE;
		bits = FASTMEM_LOAD(&lcores_used[w]);
	}
	return RTE_MIN(w * 64 + (unsigned int)rte_bsf64(bits), (unsigned int)RTE_MAX_LCORE);
}

struct fastmem_lcore *
fastmem_lcore_get(unsigned int lcore_id)
{
	return (struct fastmem_lcore *)RTE_LCORE_VAR_LCORE(lcore_id,
			__rte_fastmem_lcore_caches);
}

static int
lcore_init_cb(unsigned int lcore_id __rte_unused, void *arg __rte_unused)
{
	return 0;
}

static void
counters_add(struct fastmem_counters *sum, uint64_t alloc_hits, uint64_t free_hits,
		uint64_t alloc_misses, uint64_t free_misses, uint64_t alloc_nomem)
{
	sum->alloc_hits += alloc_hits;
	sum->free_hits += free_hits;
	sum->alloc_misses += alloc_misses;
	sum->free_misses += free_misses;
	sum->alloc_nomem += alloc_nomem;
}

/*
 * The cache sets of retired lcore ids, for the next sets created (on the same heap
 * socket), so that lcore ids coming and going do not go through EAL's heap each time,
 * and freed at deinit. Under cset_spare_lock; a set in it is no lcore's.
 */
static rte_spinlock_t cset_spare_lock = RTE_SPINLOCK_INITIALIZER;
static struct fastmem_cset *cset_spare;

/* A spare set allocated on socket_id, cleared, or NULL. */
static struct fastmem_cset *
cset_spare_take(int socket_id)
{
	struct fastmem_cset **pp, *cs;

	rte_spinlock_lock(&cset_spare_lock);
	for (pp = &cset_spare; *pp != NULL && (*pp)->heap_socket != socket_id;
			pp = &(*pp)->next_spare)
		;
	cs = *pp;
	if (cs != NULL)
		*pp = cs->next_spare;
	rte_spinlock_unlock(&cset_spare_lock);
	/* clear all but the head (heap socket, live flag, list links): a set stays in its
	 * process's list from its creation to its rte_free() */
	if (cs != NULL)
		memset(RTE_PTR_ADD(cs, offsetof(struct fastmem_cset, grown_bytes)), 0,
			fastmem_layout.cset_size - offsetof(struct fastmem_cset, grown_bytes));
	return cs;
}

/*
 * A cache set stops being live: the counters of its caches (and their reset baselines)
 * move to the retired totals of the bins of socket slot sidx, the set's, so that totals
 * stay exact; returns what its caches allocated minus what they freed. Under the stats
 * lock, under which statistics readers walk the live sets.
 */
static int64_t
cset_retire(struct fastmem_state *st, struct fastmem_cset *cs, unsigned int sidx)
	__rte_requires_capability(&st->stats_lock)
{
	int64_t out = 0;
	unsigned int c;

	for (c = 0; c < FASTMEM_NUM_CLASSES; c++) {
		const struct rte_fastmem_cache *k = fastmem_cset_cache(cs, c);
		const struct fastmem_counters *base = &cs->base[c];
		struct fastmem_bin *b = &st->sockets[sidx]->bins[c];

		counters_add(&b->retired, k->alloc_hits, k->free_hits, k->alloc_misses,
				k->free_misses, k->alloc_nomem);
		counters_add(&b->base_retired, base->alloc_hits, base->free_hits,
				base->alloc_misses, base->free_misses, base->alloc_nomem);
		out += (int64_t)(k->alloc_hits + k->alloc_misses - k->free_hits - k->free_misses);
	}
	cs->live = 0;
	return out;
}

/*
 * Empty the cache sets of a process and free them: the caller's own at deinit (when no
 * lcore of it uses fastmem), another's found dead (fastmem_procs_reclaim() of the
 * lifecycle layer, which owns that record meanwhile), or any at the primary's deinit.
 * One set at a time: under the stats lock, it leaves the record and, when live, is
 * retired (cset_retire()); then, with give_back, the objects its caches hold go back to the bins (a
 * cache's len is at most its capacity, whatever instruction the process died at), and
 * it is freed. Returns the objects given back; *net, when not NULL, receives what the
 * process's lcores allocated minus what they freed (its part of the objects in use).
 */
uint64_t
fastmem_proc_empty(struct fastmem_state *st, struct fastmem_proc *p, bool give_back,
		int64_t *net)
{
	struct fastmem_cset *cs;
	int64_t out = 0;
	uint64_t n = 0;
	unsigned int c, sidx;

	/* a set at a time, so that a reclaimer that dies here leaves the rest listed */
	for (;;) {
		rte_spinlock_lock(&st->stats_lock);
		cs = p->csets;
		if (cs == NULL) {
			rte_spinlock_unlock(&st->stats_lock);
			break;
		}
		p->csets = cs->next_proc;
		/* every cache of a set has the set's slot; a set is initialized before it is
		 * linked (the check is defensive) */
		sidx = fastmem_cset_cache(cs, 0)->sidx;
		if (cs->live && sidx < FASTMEM_MAX_SOCKETS)
			out += cset_retire(st, cs, sidx);
		cs->live = 0;
		rte_spinlock_unlock(&st->stats_lock);
		for (c = 0; give_back && c < FASTMEM_NUM_CLASSES; c++) {
			struct rte_fastmem_cache *k = fastmem_cset_cache(cs, c);
			uint32_t len = RTE_MIN(k->len, fastmem_layout.cache_cap[c]);

			if (len == 0 || k->sidx >= FASTMEM_MAX_SOCKETS || k->cls != c)
				continue;
			k->len = 0;
			fastmem_bin_free(st, k->sidx, c, k->objs, len, false);
			n += len;
		}
		rte_free(cs);
	}
	if (net != NULL)
		*net = out;
	return n;
}

/*
 * Forget an lcore id whose caches are empty: its counters (and their reset baselines) move
 * to the totals of the lcores that gave up their id, its cache sets become spares, and its
 * variable is as before its first use, so that the next thread to get the id sets the
 * lcore up afresh, on that thread's socket. Under the stats lock, under which statistics
 * readers walk the cache sets (and without which a reader could count a set twice, or
 * read a freed one). Only the thread owning lcore_id may call this.
 */
static void
lcore_retire(struct fastmem_state *st, unsigned int lcore_id)
{
	struct fastmem_lcore *lc = fastmem_lcore_get(lcore_id);
	struct fastmem_cset *gone[RTE_FASTMEM_SOCKET_SLOTS];
	unsigned int sidx, n_gone = 0, i;

	if (!FASTMEM_LOAD(&lc->used))
		return;
	rte_spinlock_lock(&st->stats_lock);
	for (sidx = 0; sidx < RTE_FASTMEM_SOCKET_SLOTS; sidx++) {
		struct fastmem_cset *cs = lc->cset[sidx];

		if (cs == NULL)
			continue;
		cset_retire(st, cs, sidx);
		/* readers load it under the stats lock */
		__atomic_store_n(&lc->cset[sidx], NULL, __ATOMIC_RELAXED);
		gone[n_gone++] = cs;
	}
	lc->own_sidx = FASTMEM_SIDX_NONE;
	FASTMEM_STORE(&lc->used, 0);
	__atomic_fetch_and(&lcores_used[lcore_id / 64], ~(UINT64_C(1) << (lcore_id % 64)),
			__ATOMIC_RELAXED);
	rte_spinlock_unlock(&st->stats_lock);
	rte_spinlock_lock(&cset_spare_lock);
	for (i = 0; i < n_gone; i++) {
		gone[i]->next_spare = cset_spare;
		cset_spare = gone[i];
	}
	rte_spinlock_unlock(&cset_spare_lock);
}

/*
 * A registered non-EAL thread gives up its lcore id: no object may stay in its caches,
 * since no thread may use them until the id is handed out again, and the id's next
 * holder, maybe on another socket, sets it up afresh (lcore_retire()). Runs in that
 * thread.
 */
static void
lcore_uninit_cb(unsigned int lcore_id, void *arg __rte_unused)
{
	struct fastmem_state *st = fastmem_state();

	if (st == NULL)
		return;
	fastmem_lcore_flush(st, lcore_id, FASTMEM_SIDX_NONE);
	lcore_retire(st, lcore_id);
}

RTE_DEFINE_PER_LCORE(uint32_t, fastmem_test_slot);


void
fastmem_lcore_home(unsigned int sidx)
{
	unsigned int lcore_id = rte_lcore_id();
	struct fastmem_lcore *lc;

	if (lcore_id >= RTE_MAX_LCORE)
		return;
	lc = fastmem_lcore_get(lcore_id);
	/* the inline paths read own_sidx in this thread only */
	if (FASTMEM_LOAD(&lc->used) && lc->own_sidx != sidx)
		lc->own_sidx = (uint32_t)sidx;
}

int
fastmem_lcore_setup(struct fastmem_proc *self)
{
	unsigned int c;

	for (c = 0; c < FASTMEM_NUM_CLASSES; c++) {
		/* the handle keeps the offset in cache lines, in 13 bits */
		if (fastmem_layout.cache_off[c] / RTE_CACHE_LINE_SIZE >
				RTE_FASTMEM_HANDLE_OFF_MASK) {
			FASTMEM_LOG(ERR, "cache set too large for handles");
			return -EINVAL;
		}
		__rte_fastmem_cache_off[c] = (uint32_t)fastmem_layout.cache_off[c];
	}
	for (; c < RTE_FASTMEM_CLASS_SLOTS; c++)
		__rte_fastmem_cache_off[c] = (uint32_t)fastmem_layout.none_off;
	fastmem_lcore_cb = rte_lcore_callback_register("fastmem", lcore_init_cb,
			lcore_uninit_cb, NULL);
	if (fastmem_lcore_cb == NULL) {
		FASTMEM_LOG(DEBUG, "cannot register lcore callbacks");
		return -ENOMEM;
	}
	proc_self = self;
	return 0;
}

/*
 * Deinit, phase 1: the cache sets of every lcore of the process, spares included, are
 * freed, their objects given back to the bins with give_back (a secondary's detach) or
 * forgotten (the primary's deinit: their zones are about to be freed); the lcore
 * variables are cleared for a later init. The state is already unpublished, so the
 * uninit callbacks run by the unregistration do nothing.
 */
void
fastmem_lcore_teardown(struct fastmem_state *st, bool give_back)
{
	unsigned int lcore_id, sidx;

	rte_lcore_callback_unregister(fastmem_lcore_cb);
	fastmem_lcore_cb = NULL;
	if (proc_self != NULL)
		fastmem_proc_empty(st, proc_self, give_back, NULL);
	proc_self = NULL;
	FASTMEM_FOREACH_USED_LCORE(lcore_id) {
		struct fastmem_lcore *lc = fastmem_lcore_get(lcore_id);

		for (sidx = 0; sidx < FASTMEM_MAX_SOCKETS; sidx++)
			lc->cset[sidx] = NULL;
		lc->own_sidx = FASTMEM_SIDX_NONE;
		FASTMEM_STORE(&lc->used, 0);
	}
	memset(lcores_used, 0, sizeof(lcores_used));
	rte_spinlock_lock(&cset_spare_lock);
	cset_spare = NULL; /* freed with the rest of the process's sets */
	rte_spinlock_unlock(&cset_spare_lock);
}

/* Create the cache set of (lcore_id, sidx); lc is lcore_id's variable, the caller's own. */
static struct fastmem_cset *
cset_create(struct fastmem_state *st, unsigned int lcore_id, struct fastmem_lcore *lc,
		unsigned int sidx)
{
	struct fastmem_cset *cs;
	int heap_socket;
	unsigned int c;
	bool fresh;

	if (!FASTMEM_LOAD(&lc->used)) {
		lc->own_sidx = (uint32_t)fastmem_local_sidx(st);
		lc->memo_cache = &memo_none;
		FASTMEM_STORE(&lc->used, 1);
		__atomic_fetch_or(&lcores_used[lcore_id / 64], UINT64_C(1) << (lcore_id % 64),
				__ATOMIC_RELAXED);
	}
	/* Never in fastmem's own zones: deinit frees these before any zone. On the socket of
	 * the calling thread, the lcore's, which is where the set is used. */
	heap_socket = (int)rte_socket_id();
	cs = cset_spare_take(heap_socket);
	fresh = cs == NULL;
	if (cs == NULL)
		cs = rte_zmalloc_socket("fastmem_cset", fastmem_layout.cset_size,
				RTE_CACHE_LINE_SIZE, heap_socket);
	if (cs == NULL) {
		heap_socket = SOCKET_ID_ANY;
		cs = cset_spare_take(heap_socket);
		fresh = cs == NULL;
	}
	if (cs == NULL)
		cs = rte_zmalloc("fastmem_cset", fastmem_layout.cset_size, RTE_CACHE_LINE_SIZE);
	if (cs == NULL) {
		FASTMEM_LOG(DEBUG, "no memory for a cache set");
		return NULL;
	}
	cs->heap_socket = heap_socket;
	/* the cache of no class stays empty, with a capacity of 0 (zeroed memory) */
	((struct rte_fastmem_cache *)RTE_PTR_ADD(cs, fastmem_layout.none_off))->cls =
			FASTMEM_CLASS_NONE;
	for (c = 0; c < FASTMEM_NUM_CLASSES; c++) {
		struct rte_fastmem_cache *cache = fastmem_cset_cache(cs, c);

		cache->len = 0;
		cache->cap = fastmem_layout.cache_cap_min[c];
		cache->batch = RTE_MAX(cache->cap / 2, 1u);
		cache->cls = (uint16_t)c;
		cache->sidx = (uint16_t)sidx;
	}
	/* live in the process's record, where statistics readers of every process and a
	 * reclaimer after this process's death find it; a spare is there already */
	rte_spinlock_lock(&st->stats_lock);
	if (fresh) {
		cs->next_proc = proc_self->csets;
		proc_self->csets = cs;
	}
	cs->live = 1;
	rte_spinlock_unlock(&st->stats_lock);
	/* publish the initialized set; pairs with the acquire loads of statistics readers */
	__atomic_store_n(&lc->cset[sidx], cs, __ATOMIC_RELEASE);
	return cs;
}

/* The cache of (lcore_id, sidx, cls), created on first use; NULL when no memory.
 * Only the thread owning lcore_id may call this. */
struct rte_fastmem_cache *
fastmem_cache_get(struct fastmem_state *st, unsigned int lcore_id, unsigned int sidx,
		unsigned int cls)
{
	struct fastmem_lcore *lc = fastmem_lcore_get(lcore_id);
	/* the owner reads its own store: no ordering needed */
	struct fastmem_cset *cs = __atomic_load_n(&lc->cset[sidx], __ATOMIC_RELAXED);

	if (unlikely(cs == NULL)) {
		cs = cset_create(st, lcore_id, lc, sidx);
		if (cs == NULL)
			return NULL;
	}
	return fastmem_cset_cache(cs, cls);
}

/* --- capacity --- */

static struct fastmem_cset *
cache_cset(struct rte_fastmem_cache *c)
{
	return RTE_PTR_SUB(c, fastmem_layout.cache_off[c->cls]);
}

/* The largest batch of a class: what the bin's transfer cache is sized by. */
static unsigned int
batch_max(unsigned int cls)
{
	return RTE_MAX(fastmem_layout.cache_cap[cls] / 2, 1u);
}

/* Set the capacity of a cache that holds at most cap objects. Owner only. */
static void
cache_set_cap(struct fastmem_cset *cs, struct rte_fastmem_cache *c, uint32_t cap)
{
	size_t size = fastmem_class_size(c->cls);

	FASTMEM_STORE(&cs->grown_bytes, FASTMEM_LOAD(&cs->grown_bytes) +
			((uint64_t)cap - c->cap) * size);
	FASTMEM_STORE(&c->cap, cap);
	FASTMEM_STORE(&c->batch, RTE_MAX(cap / 2, 1u));
}

/*
 * Before a cache's objects go to a bin: the cache lists none of them any more, for
 * another process that takes back the caches of this one should it die here (see
 * "Crashes" above); the owner then sets len to what stays.
 */
static inline void
cache_unlist(struct rte_fastmem_cache *c)
{
	FASTMEM_STORE(&c->len, 0);
	/* Only a reclaimer reads this after the owner died, and a death falls between two
	 * instructions, every store executed before it reaching memory: program order is
	 * what counts, the store of len before the bin's stores, which this keeps. */
	rte_compiler_barrier();
}

/* Let len cover what the array holds below it: release, so that the slots are written
 * before len covers them, in program order (the reclaimer's view, as above). */
static inline void
cache_publish(struct rte_fastmem_cache *c, uint32_t len)
{
	__atomic_store_n(&c->len, len, __ATOMIC_RELEASE);
}

/*
 * Take the out oldest objects of a cache into gone[] (room for FASTMEM_CACHE_OBJS_MAX),
 * the others staying: the cache lists none while its array moves, then the ones that
 * stay, so that a death here loses the objects that stay, never lists one twice, and a
 * death in the drain that follows loses only the objects in gone[].
 */
static void
cache_take_oldest(struct rte_fastmem_cache *c, uint32_t out, void **gone)
{
	uint32_t len = c->len;

	memcpy(gone, c->objs, (size_t)out * sizeof(void *));
	cache_unlist(c);
	memmove(c->objs, c->objs + out, (size_t)(len - out) * sizeof(void *));
	cache_publish(c, len - out);
}

/*
 * Return the oldest objects of a cache beyond keep to the bins: to their transfer caches
 * while there is room, or with to_slabs straight to the slabs. Owner only.
 */
static void
cache_trim_to(struct fastmem_state *st, struct rte_fastmem_cache *c, uint32_t keep,
		bool to_slabs)
{
	void *gone[FASTMEM_CACHE_OBJS_MAX];
	uint32_t len = c->len, out;

	if (len <= keep)
		return;
	out = len - keep;
	cache_take_oldest(c, out, gone);
	if (to_slabs)
		fastmem_bin_free(st, c->sidx, c->cls, gone, out, false);
	else
		fastmem_bin_drain(st, c->sidx, c->cls, batch_max(c->cls), gone, out);
}

/*
 * The budget refuses a growth of want bytes: halve the caches of the set that have not
 * missed since the last pass (not the one growing), until want fits or none is left, and
 * start a new pass. Owner only.
 */
static void
cset_shrink_idle(struct fastmem_state *st, struct fastmem_cset *cs,
		const struct rte_fastmem_cache *grower, uint64_t want, uint64_t budget)
{
	unsigned int k;

	if (FASTMEM_LOAD(&cs->grown_bytes) == 0)
		return; /* no cache has grown: none to halve (and a budget of 0 stops here) */
	for (k = 0; k < FASTMEM_NUM_CLASSES; k++) {
		struct rte_fastmem_cache *c = fastmem_cset_cache(cs, k);
		uint64_t misses = c->alloc_misses + c->free_misses;
		uint32_t min = fastmem_layout.cache_cap_min[k];

		if (c != grower && c->cap > min && misses == c->misses_seen &&
				FASTMEM_LOAD(&cs->grown_bytes) + want > budget) {
			uint32_t cap = RTE_MAX(c->cap / 2, min);

			cache_trim_to(st, c, cap, false);
			cache_set_cap(cs, c, cap);
		}
		c->misses_seen = misses;
	}
}

/*
 * A cache missed: double its capacity, up to the class's largest, if the caches of its
 * lcore and socket stay within the cache budget (after shrinking idle ones if need be).
 * Owner only; before the refill or drain, which then moves the new batch.
 */
static void
cache_grow(struct fastmem_state *st, struct rte_fastmem_cache *c)
{
	uint32_t max = fastmem_layout.cache_cap[c->cls];
	struct fastmem_cset *cs;
	uint64_t want, budget;
	uint32_t cap;

	if (c->cap >= max)
		return;
	cs = cache_cset(c);
	cap = RTE_MIN(c->cap * 2, max);
	want = ((uint64_t)cap - c->cap) * fastmem_class_size(c->cls);
	budget = FASTMEM_LOAD(&st->cache_budget);
	if (FASTMEM_LOAD(&cs->grown_bytes) + want > budget) {
		cset_shrink_idle(st, cs, c, want, budget);
		if (FASTMEM_LOAD(&cs->grown_bytes) + want > budget)
			return;
	}
	cache_set_cap(cs, c, cap);
}

/* Every cache of a set back to its starting capacity (its objects already returned). */
static void
cset_reset_caps(struct fastmem_cset *cs)
{
	unsigned int k;

	for (k = 0; k < FASTMEM_NUM_CLASSES; k++) {
		struct rte_fastmem_cache *c = fastmem_cset_cache(cs, k);

		if (c->cap != fastmem_layout.cache_cap_min[k])
			cache_set_cap(cs, c, fastmem_layout.cache_cap_min[k]);
	}
}

/*
 * The caches of lcore_id back to their starting capacity, what they hold beyond it going
 * to the bins (rte_fastmem_trim() of the lcore). Only the thread owning lcore_id may call
 * this.
 */
void
fastmem_lcore_shrink(struct fastmem_state *st, unsigned int lcore_id)
{
	struct fastmem_lcore *lc = fastmem_lcore_get(lcore_id);
	unsigned int n = __atomic_load_n(&st->n_sockets, __ATOMIC_ACQUIRE);
	unsigned int sidx, k;

	if (!FASTMEM_LOAD(&lc->used))
		return;
	for (sidx = 0; sidx < n; sidx++) {
		struct fastmem_cset *cs = lc->cset[sidx];

		if (cs == NULL)
			continue;
		for (k = 0; k < FASTMEM_NUM_CLASSES; k++)
			cache_trim_to(st, fastmem_cset_cache(cs, k),
					fastmem_layout.cache_cap_min[k], true);
		cset_reset_caps(cs);
	}
}

/* --- allocation --- */

static void *
cache_refill_one(struct fastmem_state *st, struct rte_fastmem_cache *c)
{
	unsigned int got;

	cache_grow(st, c);
	got = fastmem_bin_alloc(st, c->sidx, c->cls, c->objs, 1, c->batch, false);
	if (unlikely(got == 0))
		return NULL;
	cache_publish(c, got - 1);
	FASTMEM_COUNT(&c->alloc_misses, 1);
	return c->objs[got - 1];
}

/* One object of (sidx, cls), or NULL (no memory). Counts nothing on failure. */
void *
fastmem_alloc_one(struct fastmem_state *st, unsigned int sidx, unsigned int cls)
{
	unsigned int lcore_id = rte_lcore_id();
	struct rte_fastmem_cache *c;
	uint32_t len;
	void *obj;

	if (unlikely(lcore_id >= RTE_MAX_LCORE))
		goto shared;
	c = fastmem_cache_get(st, lcore_id, sidx, cls);
	if (unlikely(c == NULL))
		goto shared;
	len = c->len;
	if (likely(len > 0)) {
		obj = c->objs[len - 1];
		FASTMEM_STORE(&c->len, len - 1);
		__RTE_FASTMEM_HIT_ADD(c->alloc_hits, 1);
		return obj;
	}
	return cache_refill_one(st, c);
shared:
	return fastmem_bin_alloc(st, sidx, cls, &obj, 1, 1, true) == 1 ? obj : NULL;
}

/* n objects of (sidx, cls), all or nothing: 0 or -ENOMEM. Counts nothing on failure. */
int
fastmem_alloc_n(struct fastmem_state *st, unsigned int sidx, unsigned int cls,
		void **objs, unsigned int n)
{
	unsigned int lcore_id = rte_lcore_id();
	struct rte_fastmem_cache *c = NULL;
	unsigned int got, len, need;
	bool shared;

	if (likely(lcore_id < RTE_MAX_LCORE))
		c = fastmem_cache_get(st, lcore_id, sidx, cls);
	shared = c == NULL;
	if (shared) {
		got = fastmem_bin_alloc(st, sidx, cls, objs, n, n, true);
		if (got < n) {
			fastmem_bin_free(st, sidx, cls, objs, got, false);
			return -ENOMEM;
		}
		return 0;
	}
	len = c->len;
	if (n > len)
		cache_grow(st, c); /* a miss */
	if (n > c->cap) {
		/* more than the cache holds: what it has, the rest straight from the bin */
		need = n - len;
		got = fastmem_bin_alloc(st, sidx, cls, objs + len, need, need, false);
		if (got < need) {
			fastmem_bin_free(st, sidx, cls, objs + len, got, false);
			return -ENOMEM; /* the cache is untouched */
		}
		memcpy(objs, c->objs, (size_t)len * sizeof(void *));
		FASTMEM_STORE(&c->len, 0);
		__RTE_FASTMEM_HIT_ADD(c->alloc_hits, len);
		FASTMEM_COUNT(&c->alloc_misses, need);
		return 0;
	}
	need = n > len ? n - len : 0;
	if (need > 0) {
		/* refill: at least what is missing, and a batch more if there is room */
		got = fastmem_bin_alloc(st, sidx, cls, c->objs + len, need,
				RTE_MIN(c->cap - len, need + c->batch), false);
		len += got;
		cache_publish(c, len);
		if (got < need)
			return -ENOMEM; /* what was had stays in the cache */
		FASTMEM_COUNT(&c->alloc_misses, need);
	}
	memcpy(objs, &c->objs[len - n], (size_t)n * sizeof(void *));
	FASTMEM_STORE(&c->len, len - n);
	__RTE_FASTMEM_HIT_ADD(c->alloc_hits, n - need);
	return 0;
}

/* --- free --- */

/*
 * Push n objects of the cache's class and socket. When they do not all fit, the oldest
 * objects (of the cache, then of objs) go to the bin, at least a batch, in one drain.
 */
static void
cache_put(struct fastmem_state *st, struct rte_fastmem_cache *c, void * const *objs,
		unsigned int n)
{
	uint32_t len = c->len;
	uint32_t out, direct, missed = 0;

	if (unlikely(n > c->cap - len)) {
		cache_grow(st, c);
		missed = 1;
	}
	if (likely(n <= c->cap - len)) {
		memcpy(&c->objs[len], objs, (size_t)n * sizeof(void *));
		cache_publish(c, len + n);
		/* a free that made the cache grow is a miss, with no bin involved */
		if (unlikely(missed))
			FASTMEM_COUNT(&c->free_misses, 1);
		__RTE_FASTMEM_HIT_ADD(c->free_hits, n - missed);
		return;
	}
	out = RTE_MAX(len + n - c->cap, c->batch);
	out = RTE_MIN(out, len + n);
	if (out <= len) {
		void *gone[FASTMEM_CACHE_OBJS_MAX];

		cache_take_oldest(c, out, gone);
		fastmem_bin_drain(st, c->sidx, c->cls, batch_max(c->cls), gone, out);
		len -= out;
		direct = 0;
	} else {
		/* the whole cache, and the oldest of objs straight after it */
		direct = out - len;
		cache_unlist(c);
		fastmem_bin_drain(st, c->sidx, c->cls, batch_max(c->cls), c->objs, len);
		fastmem_bin_drain(st, c->sidx, c->cls, batch_max(c->cls), objs, direct);
		len = 0;
	}
	memcpy(&c->objs[len], objs + direct, (size_t)(n - direct) * sizeof(void *));
	cache_publish(c, len + n - direct);
	/* a drain makes a miss of the free that caused it, and of what went straight */
	FASTMEM_COUNT(&c->free_misses, RTE_MAX(direct, 1u));
	__RTE_FASTMEM_HIT_ADD(c->free_hits, n - RTE_MAX(direct, 1u));
}

/* Free n objects (NULL entries skipped) of any classes and sockets: group by group, a
 * group being objects of one class and socket (one page id load per page met). */
void
fastmem_free_n(struct fastmem_state *st, void * const *objs, unsigned int n)
{
	unsigned int lcore_id = rte_lcore_id();
	unsigned int i = 0;

	while (i < n) {
		const struct rte_fastmem_slab_id *id, *prev;
		struct rte_fastmem_cache *c = NULL;
		unsigned int j, sidx, cls;

		if (objs[i] == NULL) {
			i++;
			continue;
		}
		id = __rte_fastmem_id_of(objs[i]);
		sidx = id->sidx;
		cls = id->cls;
		prev = id;
		for (j = i + 1; j < n && objs[j] != NULL; j++) {
			const struct rte_fastmem_slab_id *s2 = __rte_fastmem_id_of(objs[j]);

			if (s2 == prev)
				continue;
			if (s2->sidx != sidx || s2->cls != cls)
				break;
			prev = s2;
		}
		if (likely(lcore_id < RTE_MAX_LCORE))
			c = fastmem_cache_get(st, lcore_id, sidx, cls);
		if (likely(c != NULL))
			cache_put(st, c, objs + i, j - i);
		else /* no cache: straight to the bin */
			fastmem_bin_free(st, sidx, cls, objs + i, j - i, true);
		i = j;
	}
}

/* Return the objects cached by lcore_id for socket slot only_sidx (FASTMEM_SIDX_NONE:
 * every socket) to the bins; returns the number of objects returned. Only the thread
 * owning lcore_id, or one that knows it is not running (its uninit callback), may call
 * this. */
unsigned int
fastmem_lcore_flush(struct fastmem_state *st, unsigned int lcore_id, unsigned int only_sidx)
{
	struct fastmem_lcore *lc = fastmem_lcore_get(lcore_id);
	unsigned int n = __atomic_load_n(&st->n_sockets, __ATOMIC_ACQUIRE);
	unsigned int sidx, c, flushed = 0;

	if (!FASTMEM_LOAD(&lc->used))
		return 0;
	for (sidx = 0; sidx < n; sidx++) {
		struct fastmem_cset *cs = __atomic_load_n(&lc->cset[sidx], __ATOMIC_ACQUIRE);

		if (cs == NULL || (only_sidx != FASTMEM_SIDX_NONE && sidx != only_sidx))
			continue;
		for (c = 0; c < FASTMEM_NUM_CLASSES; c++) {
			struct rte_fastmem_cache *cache = fastmem_cset_cache(cs, c);
			uint32_t len = cache->len;

			if (len == 0)
				continue;
			cache_unlist(cache);
			fastmem_bin_free(st, sidx, c, cache->objs, len, false);
			flushed += len;
		}
		cset_reset_caps(cs);
	}
	return flushed;
}
