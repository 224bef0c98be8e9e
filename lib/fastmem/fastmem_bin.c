/* SPDX-License-Identifier: BSD-3-Clause
 * Copyright(c) 2026 The dpdk-lcoremem authors
 */

/*
 * Bins and their transfer caches: the layer between the lcore caches and the runs.
 *
 * Owns: struct fastmem_bin, one per (socket, class): its partial and full run lists, its
 * transfer cache, its statistics.
 * Locks: everything of a bin is under its bin lock, taken here; the pool lock (slab layer)
 * nests inside it; the grow lock (zone layer) is never taken with a bin lock held.
 * Calls: down to the zone layer (growth, automatic trim) and the slab layer.
 */

#include <errno.h>
#include <stdbool.h>
#include <string.h>

#include <rte_branch_prediction.h>
#include <rte_common.h>
#include <rte_lcore.h>
#include <rte_malloc.h>
#include <rte_spinlock.h>

#include "fastmem_debug.h"
#include "fastmem_priv.h"
#include "fastmem_slab.h"

/* --- runs of the bin (bin lock) --- */

static void
run_list_push(struct fastmem_run **head, struct fastmem_run *run)
{
	run->prev = NULL;
	run->next = *head;
	if (*head != NULL)
		(*head)->prev = run;
	*head = run;
}

static void
run_list_remove(struct fastmem_run **head, struct fastmem_run *run)
{
	if (run->prev != NULL)
		run->prev->next = run->next;
	else
		*head = run->next;
	if (run->next != NULL)
		run->next->prev = run->prev;
	run->next = NULL;
	run->prev = NULL;
}

/* The fullness bucket of a run with free objects. */
static inline unsigned int
run_bucket(const struct fastmem_run *run)
{
	return (unsigned int)((uint64_t)run->n_out * FASTMEM_BUCKETS / run->n_objs);
}

/* Take a run off the bin's lists. */
static void
bin_unlink_locked(struct fastmem_bin *bin, struct fastmem_run *run)
	__rte_requires_capability(&bin->lock)
{
	if (run->where == FASTMEM_RUN_FULL) {
		run_list_remove(&bin->full, run);
		FASTMEM_COUNT(&bin->slabs_full, -1);
	} else {
		run_list_remove(&bin->partial[run->bucket], run);
		FASTMEM_COUNT(&bin->slabs_partial, -1);
	}
}

/* Put a run of the bin on the list its fill says: full, or a partial bucket. */
static void
bin_link_locked(struct fastmem_bin *bin, struct fastmem_run *run)
	__rte_requires_capability(&bin->lock)
{
	if (run->n_out == run->n_objs) {
		run->where = FASTMEM_RUN_FULL;
		run_list_push(&bin->full, run);
		FASTMEM_COUNT(&bin->slabs_full, 1);
	} else {
		run->where = FASTMEM_RUN_PARTIAL;
		run->bucket = (uint8_t)run_bucket(run);
		run_list_push(&bin->partial[run->bucket], run);
		FASTMEM_COUNT(&bin->slabs_partial, 1);
	}
}

/* A fresh run of the bin's class, which the caller may have taken objects from already:
 * on the list its fill says. */
static void
bin_adopt_locked(struct fastmem_bin *bin, struct fastmem_run *run)
	__rte_requires_capability(&bin->lock)
{
	FASTMEM_LOCK_ASSERT(&bin->lock);
	bin_link_locked(bin, run);
	FASTMEM_COUNT(&bin->run_bytes, (uint64_t)run->n_pages << FASTMEM_PAGE_SHIFT);
	FASTMEM_COUNT(&bin->run_objs, run->n_objs);
	FASTMEM_COUNT(&bin->run_free, run->n_objs - run->n_out);
	FASTMEM_COUNT(&bin->slab_acquires, 1);
}

/* Give the pages of an empty run of the bin back to its slab. */
static void
bin_release_locked(struct fastmem_socket *s, struct fastmem_bin *bin, struct fastmem_run *run)
	__rte_requires_capability(&bin->lock)
{
	FASTMEM_COUNT(&bin->run_bytes, -((uint64_t)run->n_pages << FASTMEM_PAGE_SHIFT));
	/* an empty run, all its room free: the caller takes n_objs off run_free */
	FASTMEM_COUNT(&bin->run_objs, -(uint64_t)run->n_objs);
	FASTMEM_COUNT(&bin->slab_releases, 1);
	fastmem_run_put(s, run);
}

/*
 * The fullest run with free objects, NULL when there is none. Frees leave runs in their
 * bucket, so a run may have become too empty for it: such a run moves down to its bucket
 * when found here (each run at most once per bucket it falls through), so the cost of
 * keeping runs sorted falls on allocation, only for the runs it looks at, not on every
 * free that crosses a quarter.
 */
static struct fastmem_run *
bin_fullest_locked(struct fastmem_bin *bin)
	__rte_requires_capability(&bin->lock)
{
	unsigned int b = FASTMEM_BUCKETS;
	struct fastmem_run *run;

	while (b-- > 0)
		while ((run = bin->partial[b]) != NULL) {
			if (likely(run_bucket(run) == b))
				return run;
			bin_unlink_locked(bin, run);
			bin_link_locked(bin, run);
		}
	return NULL;
}

/*
 * Take up to n objects from the partial runs, the fullest first: survivors concentrate in
 * few runs and the emptier ones drain, so that their pages can go to other classes.
 */
static unsigned int
bin_take_locked(struct fastmem_bin *bin, void **objs, unsigned int n)
	__rte_requires_capability(&bin->lock)
{
	unsigned int got = 0;
	struct fastmem_run *run;

	FASTMEM_LOCK_ASSERT(&bin->lock);
	while (got < n && (run = bin_fullest_locked(bin)) != NULL) {
		bin_unlink_locked(bin, run);
		got += fastmem_run_take(run, objs + got, n - got);
		bin_link_locked(bin, run);
	}
	if (got > 0)
		FASTMEM_COUNT(&bin->run_free, -(uint64_t)got);
	return got;
}

/* Take up to n objects from the bin's transfer cache: the most recently drained first. */
static unsigned int
xfer_take_locked(struct fastmem_bin *bin, void **objs, unsigned int n)
	__rte_requires_capability(&bin->lock)
{
	uint32_t len = bin->xfer_len;

	FASTMEM_LOCK_ASSERT(&bin->lock);
	if (len == 0 || n == 0)
		return 0;
	n = RTE_MIN(n, len);
	len -= n;
	memcpy(objs, &bin->xfer[len], (size_t)n * sizeof(void *));
	FASTMEM_STORE(&bin->xfer_len, len);
	return n;
}

/*
 * Allocate between min and max objects of (sidx, cls) from the bin: max while its runs
 * and the socket's free pages have them, growing the socket only for min. Returns the
 * number allocated: at least min, or less than min only when no memory can be had (the
 * objects obtained are returned anyway; the caller decides what to do with them). With
 * shared set (a thread without lcore id), the objects are counted in the bin's shared
 * statistics when at least min were had.
 */
unsigned int
fastmem_bin_alloc(struct fastmem_state *st, unsigned int sidx, unsigned int cls,
		void **objs, unsigned int min, unsigned int max, bool shared)
{
	struct fastmem_socket *s = st->sockets[sidx];
	struct fastmem_bin *bin = &s->bins[cls];
	unsigned int got = 0;
	bool grow_failed = false;

	rte_spinlock_lock(&bin->lock);
	for (;;) {
		struct fastmem_run *run;

		/* the transfer cache first: objects lcores drained, not yet in their runs */
		got += xfer_take_locked(bin, objs + got, max - got);
		if (got >= max)
			break;
		got += bin_take_locked(bin, objs + got, max - got);
		if (got >= max)
			break;
		/* a new run while the socket has the pages, so that a refill comes full even
		 * when runs hold fewer objects than a batch (bin -> pool lock order) */
		run = fastmem_run_get(s, cls);
		if (run != NULL) {
			got += fastmem_run_take(run, objs + got, max - got);
			bin_adopt_locked(bin, run);
			if (got >= max)
				break;
			continue;
		}
		/* growth only for the min */
		if (got >= min)
			break;
		if (grow_failed)
			break; /* checked bin and pool once more after the failed growth */
		rte_spinlock_unlock(&bin->lock);
		grow_failed = fastmem_zone_grow(st, s) < 0;
		rte_spinlock_lock(&bin->lock);
	}
	if (shared && got >= min)
		FASTMEM_COUNT(&bin->sh_allocs, got);
	rte_spinlock_unlock(&bin->lock);
	fastmem_dbg_cache_in(objs, got);
	return got;
}

/* This thread's frees leave automatic trims to an explicit trim that follows them. */
static RTE_DEFINE_PER_LCORE(bool, bin_trim_held);

void
fastmem_bin_auto_trim_hold(bool hold)
{
	RTE_PER_LCORE(bin_trim_held) = hold;
}

/*
 * Automatic trim (rte_fastmem_set_trim_threshold()): after a free that gave slabs back to
 * the pool, with no lock held. One relaxed load when it is off (the default). The grow lock
 * is only tried: when another thread grows or trims the socket, this free leaves it be.
 * Not while the thread is held (fastmem_bin_auto_trim_hold()): rte_fastmem_trim() shrinks
 * the caller's caches first and counts what it then releases itself.
 */
static void
bin_auto_trim(struct fastmem_state *st, struct fastmem_socket *s)
{
	size_t threshold = FASTMEM_LOAD(&s->trim_threshold);

	if (likely(threshold == SIZE_MAX) || RTE_PER_LCORE(bin_trim_held))
		return;
	if ((size_t)FASTMEM_LOAD(&s->pool_count) * FASTMEM_SLAB_SIZE <= threshold)
		return;
	fastmem_zone_trim(st, s, threshold, true, NULL);
}

/* Give n objects of (sidx, cls) back to their runs; shared: count them as frees of a
 * thread without lcore id. Called with no lock held (it may trim the socket). */
void
fastmem_bin_free(struct fastmem_state *st, unsigned int sidx, unsigned int cls,
		void * const *objs, unsigned int n, bool shared)
{
	struct fastmem_socket *s = st->sockets[sidx];
	struct fastmem_bin *bin = &s->bins[cls];
	bool released = false;
	int64_t given = 0; /* what run_free gains: objects given back, less released runs */
	unsigned int i;

	fastmem_dbg_cache_out(objs, n);
	rte_spinlock_lock(&bin->lock);
	for (i = 0; i < n; i++) {
		void *obj = objs[i];
		struct fastmem_run *run = FASTMEM_RUN_OF(obj);
		unsigned int where = run->where;
		uint32_t out = run->n_out, left;

		FASTMEM_ASSERT(run->cls == cls && FASTMEM_SLAB_OF(obj)->sidx == sidx);
		left = fastmem_run_give(run, obj);
		if (unlikely(left == out))
			continue; /* ignored (logged): the run, its lists and gauges stay */
		given += out - left;
		if (left == 0) {
			/* Empty: back to its slab while the bin lock is held, so no allocator
			 * can find its pages in neither place (no spurious ENOMEM). */
			bin_unlink_locked(bin, run);
			given -= run->n_objs;
			bin_release_locked(s, bin, run);
			released = true;
		} else if (where == FASTMEM_RUN_FULL) {
			/* to the partial bucket of its fill; a partial run stays where it is
			 * (bin_fullest_locked()) */
			bin_unlink_locked(bin, run);
			bin_link_locked(bin, run);
		}
	}
	FASTMEM_COUNT(&bin->run_free, (uint64_t)given);
	if (shared)
		FASTMEM_COUNT(&bin->sh_frees, n);
	rte_spinlock_unlock(&bin->lock);
	if (released)
		bin_auto_trim(st, s); /* grow lock: never with a bin lock held */
}

/* Count an allocation call of a thread without lcore id that failed with ENOMEM. */
void
fastmem_bin_count_nomem(struct fastmem_state *st, unsigned int sidx, unsigned int cls)
{
	struct fastmem_bin *bin = &st->sockets[sidx]->bins[cls];

	rte_spinlock_lock(&bin->lock);
	FASTMEM_COUNT(&bin->sh_nomem, 1);
	rte_spinlock_unlock(&bin->lock);
}

/* --- transfer caches (bin lock) --- */

/*
 * A batch drained from an lcore cache (n objects of (sidx, cls)): into the bin's transfer
 * cache as far as it has room, one copy of the pointers and no object touched; the rest
 * back to their runs. The transfer cache holds FASTMEM_XFER_BATCHES batches of the lcore
 * caches' batch size; it is allocated here on first use, with no lock held.
 */
void
fastmem_bin_drain(struct fastmem_state *st, unsigned int sidx, unsigned int cls,
		unsigned int batch, void * const *objs, unsigned int n)
{
	struct fastmem_socket *s = st->sockets[sidx];
	struct fastmem_bin *bin = &s->bins[cls];
	uint32_t cap = FASTMEM_XFER_BATCHES * batch;
	void **fresh = NULL;
	bool tried = false;
	uint32_t len, k;

	fastmem_dbg_cache_out(objs, n);
	/* racy peek, decided again under the lock */
	if (unlikely(__atomic_load_n(&bin->xfer, __ATOMIC_RELAXED) == NULL) &&
			!FASTMEM_LOAD(&bin->xfer_nomem)) {
		tried = true;
		/* never in fastmem's own zones: deinit frees these before any zone */
		/* on the bin's NUMA socket (an external heap's memory is not for it) */
		fresh = rte_zmalloc_socket("fastmem_xfer", (size_t)cap * sizeof(void *),
				RTE_CACHE_LINE_SIZE,
				s->external ? (int)rte_socket_id() : s->socket_id);
		if (fresh == NULL)
			fresh = rte_zmalloc("fastmem_xfer", (size_t)cap * sizeof(void *),
					RTE_CACHE_LINE_SIZE);
	}
	rte_spinlock_lock(&bin->lock);
	if (fresh != NULL && bin->xfer == NULL) {
		__atomic_store_n(&bin->xfer, fresh, __ATOMIC_RELAXED);
		bin->xfer_cap = cap;
		fresh = NULL;
	} else if (bin->xfer == NULL && tried) {
		/* not when trim freed the array after our peek: no allocation was tried */
		FASTMEM_STORE(&bin->xfer_nomem, 1);
	}
	len = bin->xfer_len;
	k = RTE_MIN(n, bin->xfer_cap - len);
	if (k > 0) {
		memcpy(&bin->xfer[len], objs, (size_t)k * sizeof(void *));
		FASTMEM_STORE(&bin->xfer_len, len + k);
	}
	rte_spinlock_unlock(&bin->lock);
	if (unlikely(fresh != NULL))
		rte_free(fresh); /* another lcore set it first */
	if (k < n)
		fastmem_bin_free(st, sidx, cls, objs + k, n - k, false);
}

/*
 * Return every object of the transfer caches of socket slot sidx to their runs (which may
 * give pages back); returns the number of objects returned. Objects drained by other
 * lcores meanwhile may stay.
 */
unsigned int
fastmem_xfer_flush(struct fastmem_state *st, unsigned int sidx)
{
	struct fastmem_socket *s = st->sockets[sidx];
	void *objs[64];
	unsigned int c, got, total = 0, rounds;

	for (c = 0; c < FASTMEM_NUM_CLASSES; c++) {
		struct fastmem_bin *bin = &s->bins[c];

		if (FASTMEM_LOAD(&bin->xfer_len) == 0)
			continue;
		/* bounded: what other lcores drain meanwhile is theirs to leave */
		rounds = FASTMEM_LOAD(&bin->xfer_len) / RTE_DIM(objs) + 1;
		while (rounds-- > 0) {
			rte_spinlock_lock(&bin->lock);
			got = xfer_take_locked(bin, objs, RTE_DIM(objs));
			rte_spinlock_unlock(&bin->lock);
			if (got == 0)
				break;
			fastmem_bin_free(st, sidx, c, objs, got, false);
			total += got;
		}
	}
	return total;
}

/*
 * Trim: free the arrays of the empty transfer caches of the bins of socket slot sidx that
 * hold no run any more, so that the EAL heap memory they took can go back too; a later
 * drain allocates them again. Bins still serving their class keep theirs, so that a trim
 * does not put an rte_zmalloc() on their next drain. A bin whose array could not be
 * allocated gets another try.
 */
void
fastmem_xfer_release(struct fastmem_state *st, unsigned int sidx)
{
	unsigned int c;

	for (c = 0; c < FASTMEM_NUM_CLASSES; c++) {
		struct fastmem_bin *bin = &st->sockets[sidx]->bins[c];
		void **xfer = NULL;

		if (__atomic_load_n(&bin->xfer, __ATOMIC_RELAXED) == NULL &&
				!FASTMEM_LOAD(&bin->xfer_nomem))
			continue;
		rte_spinlock_lock(&bin->lock);
		if (bin->xfer_len == 0 && bin->run_bytes == 0) {
			xfer = bin->xfer;
			__atomic_store_n(&bin->xfer, NULL, __ATOMIC_RELAXED);
			bin->xfer_cap = 0;
		}
		FASTMEM_STORE(&bin->xfer_nomem, 0);
		rte_spinlock_unlock(&bin->lock);
		rte_free(xfer);
	}
}

/* Deinit: free the transfer caches of every socket; their objects are forgotten. */
void
fastmem_xfer_teardown(struct fastmem_state *st)
{
	unsigned int sidx, c;

	for (sidx = 0; sidx < st->n_sockets; sidx++)
		for (c = 0; c < FASTMEM_NUM_CLASSES; c++) {
			struct fastmem_bin *bin = &st->sockets[sidx]->bins[c];

			rte_free(bin->xfer);
			bin->xfer = NULL;
			bin->xfer_len = 0;
			bin->xfer_cap = 0;
			bin->xfer_nomem = 0;
		}
}
