/* SPDX-License-Identifier: BSD-3-Clause
 * Copyright(c) 2026 The dpdk-lcoremem authors
 */

/*
 * Slabs, their pages and runs, and the free-slab pool: the lowest layer.
 *
 * Owns: the slab header (struct fastmem_slab) of every slab, with its page table and run
 * descriptors; each socket's pool of free slabs and its list of split slabs
 * (fastmem_socket::pool, split, their counts and each zone's zone_pooled).
 * Locks: pool, split list and the page tables of slabs are under the socket's pool lock,
 * taken here; a run's objects (free bitmap or free list, bump offset, n_out) are under
 * the lock of the bin that holds the run, which the bin layer holds when it calls in
 * here; cutting a zone into slabs happens under the socket's grow lock, which the zone
 * layer holds.
 * Calls: nothing of fastmem's (the debug hooks only).
 */

#include <stdbool.h>
#include <string.h>

#include <rte_common.h>
#include <rte_eal.h>
#include <rte_spinlock.h>

#include "fastmem_debug.h"
#include "fastmem_priv.h"
#include "fastmem_slab.h"

static_assert(sizeof(struct fastmem_run) == RTE_CACHE_LINE_SIZE, "run descriptor size");
static_assert(offsetof(struct fastmem_slab, ids) == 0, "page ids at the slab start");
static_assert(FASTMEM_PAGES <= 64 && FASTMEM_PAGES >= 2, "pages of a slab: a 64-bit bitmap");
static_assert(FASTMEM_SLAB_HDR < FASTMEM_PAGE_SIZE, "slab header within the first page");
static_assert(FASTMEM_SLAB_HDR == RTE_FASTMEM_SLAB_HDR_SIZE, "slab header size");

/* --- slab lists (the pool lock) --- */

static void
slab_list_push(struct fastmem_slab **head, struct fastmem_slab *slab)
{
	slab->prev = NULL;
	slab->next = *head;
	if (*head != NULL)
		(*head)->prev = slab;
	*head = slab;
}

static void
slab_list_remove(struct fastmem_slab **head, struct fastmem_slab *slab)
{
	if (slab->prev != NULL)
		slab->prev->next = slab->next;
	else
		*head = slab->next;
	if (slab->next != NULL)
		slab->next->prev = slab->prev;
	slab->next = NULL;
	slab->prev = NULL;
}

/* --- pool (pool lock) --- */

/*
 * The pool is a doubly linked list, so that a zone's slabs can be taken out of it wherever
 * they are (trim) in O(slabs of the zone). Each zone counts its slabs in the pool in
 * zone_pooled (zone's first slab), under the pool lock.
 */

static void
pool_push_locked(struct fastmem_socket *s, struct fastmem_slab *slab)
	__rte_requires_capability(&s->pool_lock)
{
	FASTMEM_LOCK_ASSERT(&s->pool_lock);
	FASTMEM_ASSERT(slab->free_pages == FASTMEM_PAGES_ALL);
	slab->where = FASTMEM_SLAB_POOL;
	slab_list_push(&s->pool, slab);
	slab->zone->zone_pooled++;
	FASTMEM_STORE(&s->pool_count, s->pool_count + 1);
}

static void
pool_remove_locked(struct fastmem_socket *s, struct fastmem_slab *slab)
	__rte_requires_capability(&s->pool_lock)
{
	FASTMEM_LOCK_ASSERT(&s->pool_lock);
	FASTMEM_ASSERT(slab->where == FASTMEM_SLAB_POOL && slab->zone->zone_pooled > 0);
	slab_list_remove(&s->pool, slab);
	slab->zone->zone_pooled--;
	FASTMEM_STORE(&s->pool_count, s->pool_count - 1);
}

/* --- runs (pool lock; the caller holds the lock of the bin the run is for) --- */

/* A run holds at least this many objects (but for runs of a whole slab), four times as
 * many for strides of FASTMEM_RUN_LARGE and more, whose runs otherwise fill and empty every few
 * objects in bursts, ... */
#define FASTMEM_RUN_MIN_OBJS 4
#define FASTMEM_RUN_LARGE ((size_t)8 << 10)
/* ... and leaves at most 1/FASTMEM_RUN_WASTE_DIV of its bytes unused at its end. */
#define FASTMEM_RUN_WASTE_DIV 16

/*
 * The pages of a run of objects stride bytes apart: the fewest that hold at least
 * FASTMEM_RUN_MIN_OBJS objects (four times that from FASTMEM_RUN_LARGE) with at most
 * 1/FASTMEM_RUN_WASTE_DIV of them left over (one page for every class up to 3 KiB; 32
 * pages of 16 objects for 64 KiB), the whole slab when no fewer pages do.
 */
static unsigned int
run_pages(size_t stride)
{
	unsigned int min = stride >= FASTMEM_RUN_LARGE ? 4 * FASTMEM_RUN_MIN_OBJS :
			FASTMEM_RUN_MIN_OBJS;
	unsigned int k;

	for (k = 1; k < FASTMEM_PAGES; k++) {
		size_t bytes = (size_t)k << FASTMEM_PAGE_SHIFT;

		if (bytes / stride >= min &&
				bytes % stride <= bytes / FASTMEM_RUN_WASTE_DIV)
			break;
	}
	return k;
}

/*
 * The stride of class size size in a slab: the class size, but in a slab of pages smaller
 * than the slab that are not IOVA-contiguous (iova_slow: the page size), a class size that
 * does not divide the page is rounded up to a power of two, so that no object of at most a
 * page spans two pages.
 */
static size_t
run_stride(const struct fastmem_slab *slab, size_t size)
{
	size_t page = slab->iova_slow;

	if (page != 0 && page < FASTMEM_SLAB_SIZE && size < page && page % size != 0)
		return rte_align64pow2(size);
	return size;
}

/* The alignment of the first page of a run of objects stride bytes apart, in pages: that
 * of the objects (the largest power of two dividing the stride), at least a page. */
static unsigned int
run_align(size_t stride)
{
	size_t a = stride & -stride;

	if (a > FASTMEM_SLAB_SIZE)
		a = FASTMEM_SLAB_SIZE;
	return a > FASTMEM_PAGE_SIZE ? (unsigned int)(a >> FASTMEM_PAGE_SHIFT) : 1;
}

/*
 * The geometry of each class's runs where the stride is the class size (run_stride()):
 * pages and alignment in pages. Computed once, when the library loads, so that cutting a
 * run does not redo run_pages()'s divisions for every slab it looks at.
 */
static struct {
	uint8_t n_pages;
	uint8_t align;
} run_geom[FASTMEM_NUM_CLASSES];

RTE_INIT(fastmem_run_geom_init)
{
	unsigned int c;

	for (c = 0; c < FASTMEM_NUM_CLASSES; c++) {
		run_geom[c].n_pages = (uint8_t)run_pages(fastmem_class_size(c));
		run_geom[c].align = (uint8_t)run_align(fastmem_class_size(c));
	}
}

/* The pages (*n) and the alignment in pages (*align) of a run of class cls whose objects
 * sit stride bytes apart. */
static inline void
run_geometry(unsigned int cls, size_t stride, unsigned int *n, unsigned int *align)
{
	if (likely(stride == fastmem_class_size(cls))) {
		*n = run_geom[cls].n_pages;
		*align = run_geom[cls].align;
	} else {
		*n = run_pages(stride);
		*align = run_align(stride);
	}
}

/*
 * The inverse stride of a run of n objects stride bytes apart (fastmem_run::inv_stride),
 * 0 for a free list. With m = ceil(2^S / stride) = 2^S / stride + e, 0 <= e < 1, the
 * object at offset i x stride gives (i x stride x m) >> S = i + floor(i x stride x e / 2^S)
 * = i, as i x stride is below the slab size, far below 2^S; and the product, below the
 * slab size times 2^32, fits 64 bits.
 */
static uint32_t
run_inv_stride(uint32_t n, size_t stride)
{
	uint64_t m = ((UINT64_C(1) << FASTMEM_RUN_INV_SHIFT) + stride - 1) / stride;

	RTE_BUILD_BUG_ON(FASTMEM_RUN_MAP_OBJS > 64);
	RTE_BUILD_BUG_ON((UINT64_C(1) << FASTMEM_RUN_INV_SHIFT) < FASTMEM_SLAB_SIZE ||
			FASTMEM_SLAB_SIZE > (UINT64_C(1) << 32));
	if (n > FASTMEM_RUN_MAP_OBJS || m > UINT32_MAX)
		return 0;
	return (uint32_t)m;
}

/* The pages of a free-page bitmap where n free pages start, at multiples of align pages
 * (a power of two): bit i set when pages i .. i + n - 1 are free. */
static uint64_t
pages_starts(uint64_t free, unsigned int n, unsigned int align)
{
	uint64_t starts = free;
	unsigned int have = 1;

	/* bit i of starts: pages i .. i + have - 1 are free (shifts fill with 0: no run past
	 * the last page); have doubles each step */
	while (have < n && starts != 0) {
		unsigned int step = RTE_MIN(have, n - have);

		starts &= starts >> step;
		have += step;
	}
	/* the bits at multiples of align: UINT64_MAX / (2^align - 1) has them (align, a power
	 * of two, divides 64) */
	if (align > 1)
		starts &= align >= 64 ? 1 : UINT64_MAX / ((UINT64_C(1) << align) - 1);
	return starts;
}

/*
 * Where a run of n pages aligned to align pages goes among free pages, -1 when there is
 * no room: one-page runs at the lowest free page, longer runs at the highest place with
 * room. Page 0, after the slab header, holds fewer objects: it goes to a one-page run,
 * where the header displaces a few small objects rather than one large one (a run of
 * 32 pages of 64 KiB objects holds 16 from page 32, 15 from page 0); and the free pages
 * left between the two ends stay in one piece.
 */
static int
run_place(uint64_t free, unsigned int n, unsigned int align)
{
	uint64_t starts = pages_starts(free, n, align);

	if (starts == 0)
		return -1;
	return n == 1 ? __builtin_ctzll(starts) : 63 - __builtin_clzll(starts);
}

/*
 * Cut a run for class cls from pages of a slab of the socket: a split slab's first, the
 * first one that has room (first fit along the split list, the slab cut or released most
 * recently first), else a slab of the pool; within a slab, where run_place() puts it.
 * Returns the run, its objects all free (never-used space), or NULL when no slab of the
 * socket has the room.
 *
 * Objects sit stride bytes apart (run_stride()) from the first, which is aligned to the
 * largest power of two dividing the stride, as the run's first page is (runs of strides
 * of 64 KiB and more start at multiples of that alignment), so each object has that
 * alignment (the alignment rte_fastmem.h promises for its class). A run at page 0 starts
 * its objects after the slab header.
 */
struct fastmem_run *
fastmem_run_get(struct fastmem_socket *s, unsigned int cls)
{
	size_t size = fastmem_class_size(cls), stride = size;
	unsigned int n = 0, align = 1, i;
	struct fastmem_slab *slab;
	struct fastmem_run *run;
	int start = -1;

	rte_spinlock_lock(&s->pool_lock);
	/* a slab with fewer free pages than the run (a split slab for a run of a whole slab)
	 * is skipped unsearched */
	for (slab = s->split; slab != NULL; slab = slab->next) {
		stride = run_stride(slab, size);
		run_geometry(cls, stride, &n, &align);
		if ((unsigned int)__builtin_popcountll(slab->free_pages) < n)
			continue;
		start = run_place(slab->free_pages, n, align);
		if (start >= 0)
			break;
	}
	if (slab == NULL) {
		slab = s->pool;
		if (slab == NULL) {
			rte_spinlock_unlock(&s->pool_lock);
			return NULL;
		}
		pool_remove_locked(s, slab);
		stride = run_stride(slab, size);
		run_geometry(cls, stride, &n, &align);
		start = run_place(FASTMEM_PAGES_ALL, n, align);
	} else {
		slab_list_remove(&s->split, slab);
		FASTMEM_STORE(&s->split_count, s->split_count - 1);
		FASTMEM_STORE(&s->free_pages, s->free_pages -
				(uint64_t)__builtin_popcountll(slab->free_pages));
	}
	slab->free_pages &= ~((n >= 64 ? UINT64_MAX : (UINT64_C(1) << n) - 1) << start);
	if (slab->free_pages != 0) {
		slab->where = FASTMEM_SLAB_SPLIT;
		slab_list_push(&s->split, slab);
		FASTMEM_STORE(&s->split_count, s->split_count + 1);
		FASTMEM_STORE(&s->free_pages, s->free_pages +
				(uint64_t)__builtin_popcountll(slab->free_pages));
	} else {
		slab->where = FASTMEM_SLAB_USED;
	}
	if (slab->n_runs++ == 0)
		__atomic_store_n(&slab->mono.cls, (uint16_t)cls, __ATOMIC_RELAXED);
	else if (slab->mono.cls != cls)
		__atomic_store_n(&slab->mono.cls, FASTMEM_CLASS_NONE, __ATOMIC_RELAXED);
	run = &slab->runs[start];
	run->cls = (uint16_t)cls;
	run->start = (uint8_t)start;
	run->n_pages = (uint8_t)n;
	run->obj_size = (uint32_t)stride;
	run->first = start == 0 ?
		(uint32_t)RTE_ALIGN_CEIL((size_t)FASTMEM_SLAB_HDR, stride & -stride) : 0;
	run->n_objs = (uint32_t)((((size_t)n << FASTMEM_PAGE_SHIFT) - run->first) / stride);
	run->inv_stride = run_inv_stride(run->n_objs, stride);
	if (run->inv_stride != 0)
		run->free_map = 0;
	else
		run->free_head = NULL;
	run->n_out = 0;
	run->bump = run->first;
	run->where = FASTMEM_RUN_FREE;
	run->next = NULL;
	run->prev = NULL;
	for (i = (unsigned int)start; i < (unsigned int)start + n; i++) {
		slab->page_run[i] = (uint8_t)start;
		slab->ids[i].cls = (uint16_t)cls;
	}
	fastmem_dbg_run_adopt(slab, run);
	rte_spinlock_unlock(&s->pool_lock);
	return run;
}

/*
 * A run whose objects are all back: its pages are free again, and a slab with every page
 * free goes to the pool, where any class may take it.
 */
void
fastmem_run_put(struct fastmem_socket *s, struct fastmem_run *run)
{
	struct fastmem_slab *slab = FASTMEM_SLAB_OF(run);
	unsigned int n = run->n_pages, start = run->start, i;

	FASTMEM_ASSERT(run->n_out == 0);
	rte_spinlock_lock(&s->pool_lock);
	for (i = start; i < start + n; i++)
		slab->ids[i].cls = FASTMEM_CLASS_NONE;
	if (--slab->n_runs == 0)
		__atomic_store_n(&slab->mono.cls, FASTMEM_CLASS_NONE, __ATOMIC_RELAXED);
	run->cls = FASTMEM_CLASS_NONE;
	run->where = FASTMEM_RUN_FREE;
	if (slab->where == FASTMEM_SLAB_SPLIT) {
		slab_list_remove(&s->split, slab);
		FASTMEM_STORE(&s->split_count, s->split_count - 1);
		FASTMEM_STORE(&s->free_pages, s->free_pages -
				(uint64_t)__builtin_popcountll(slab->free_pages));
	}
	slab->free_pages |= (n >= 64 ? UINT64_MAX : (UINT64_C(1) << n) - 1) << start;
	if (slab->free_pages == FASTMEM_PAGES_ALL) {
		pool_push_locked(s, slab);
	} else {
		slab->where = FASTMEM_SLAB_SPLIT;
		slab_list_push(&s->split, slab);
		FASTMEM_STORE(&s->split_count, s->split_count + 1);
		FASTMEM_STORE(&s->free_pages, s->free_pages +
				(uint64_t)__builtin_popcountll(slab->free_pages));
	}
	rte_spinlock_unlock(&s->pool_lock);
}

/*
 * Take every slab of a zone out of the pool, if they are all there and the pool keeps
 * at least keep_free bytes without them. Returns true when the zone was taken: from then
 * on no list holds any of its slabs, and the caller owns it (to free its memzone). Called
 * with the socket's grow lock held (the zone list is stable).
 */
bool
fastmem_pool_take_zone(struct fastmem_socket *s, struct fastmem_slab *zone, size_t keep_free)
{
	unsigned int n = zone->zone_slabs, i;
	bool taken = false;

	FASTMEM_LOCK_ASSERT(&s->grow_lock);
	rte_spinlock_lock(&s->pool_lock);
	if (zone->zone_pooled == n &&
			(size_t)(s->pool_count - n) * FASTMEM_SLAB_SIZE >= keep_free) {
		for (i = 0; i < n; i++)
			pool_remove_locked(s, RTE_PTR_ADD(zone, (size_t)i * FASTMEM_SLAB_SIZE));
		taken = true;
	}
	rte_spinlock_unlock(&s->pool_lock);
	return taken;
}

/*
 * Cut a zone into slabs, link it to the socket's zone list and give its slabs to the pool:
 * a fresh zone, or a parked one. Called with the socket's grow lock held.
 */
void
fastmem_slab_cut(struct fastmem_socket *s, const struct rte_memzone *mz, unsigned int n_slabs,
		bool iova_slow)
{
	void *base = mz->addr;
	uint32_t page = 0;
	unsigned int i;

	FASTMEM_LOCK_ASSERT(&s->grow_lock);
	/* iova_slow: the page size when pages are not IOVA-contiguous with each other; EAL's
	 * own memory in IOVA-as-VA mode is, whatever its page size */
	if (iova_slow)
		page = (s->external || rte_eal_iova_mode() != RTE_IOVA_VA) ?
			(uint32_t)RTE_MIN((uint64_t)mz->hugepage_sz, (uint64_t)FASTMEM_SLAB_SIZE) :
			(uint32_t)FASTMEM_SLAB_SIZE;
	for (i = 0; i < n_slabs; i++) {
		struct fastmem_slab *slab = RTE_PTR_ADD(base, (size_t)i * FASTMEM_SLAB_SIZE);

		unsigned int p;

		memset(slab, 0, sizeof(*slab));
		slab->zone = base;
		for (p = 0; p < FASTMEM_PAGES; p++) {
			slab->ids[p].cls = FASTMEM_CLASS_NONE;
			slab->ids[p].sidx = (uint16_t)s->sidx;
			slab->runs[p].cls = FASTMEM_CLASS_NONE;
		}
		slab->free_pages = FASTMEM_PAGES_ALL;
		slab->mono.cls = FASTMEM_CLASS_NONE;
		slab->mono.sidx = (uint16_t)s->sidx;
		slab->sidx = s->sidx;
		slab->iova_slow = page;
		if (iova_slow || mz->iova == RTE_BAD_IOVA)
			slab->iova = RTE_BAD_IOVA;
		else
			slab->iova = mz->iova + RTE_PTR_DIFF(slab, base);
	}
	/* the zone record lives in the first slab's header */
	((struct fastmem_slab *)base)->mz = mz;
	((struct fastmem_slab *)base)->zone_slabs = n_slabs;
	((struct fastmem_slab *)base)->zone_next = s->zones;
	s->zones = base;
	fastmem_dbg_zone_cut(base, n_slabs);

	rte_spinlock_lock(&s->pool_lock);
	/* pushed last to first, so the pool hands out the zone in address order */
	for (i = n_slabs; i > 0; i--)
		pool_push_locked(s, RTE_PTR_ADD(base, (size_t)(i - 1) * FASTMEM_SLAB_SIZE));
	rte_spinlock_unlock(&s->pool_lock);
}
