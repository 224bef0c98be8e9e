/* SPDX-License-Identifier: BSD-3-Clause
 * Copyright(c) 2026 The dpdk-lcoremem authors
 */

/*
 * Slabs, bins and the free-slab pool: everything that happens under a bin lock or a pool
 * lock. See fastmem_priv.h for the invariants.
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

static_assert(sizeof(struct fastmem_slab) == FASTMEM_SLAB_HDR, "slab header size");

/* --- lists (caller holds the lock of the list's owner) --- */

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
	slab->cls = FASTMEM_CLASS_NONE;
	slab->where = FASTMEM_SLAB_POOL;
	slab->free_head = NULL;
	slab->n_out = 0;
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

static struct fastmem_slab *
pool_pop(struct fastmem_socket *s)
{
	struct fastmem_slab *slab;

	rte_spinlock_lock(&s->pool_lock);
	slab = s->pool;
	if (slab != NULL)
		pool_remove_locked(s, slab);
	rte_spinlock_unlock(&s->pool_lock);
	return slab;
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
 * Cut a fresh zone into slabs, link it to the socket's zone list and give its slabs to
 * the pool. Called with the socket's grow lock held.
 */
void
fastmem_slab_cut(struct fastmem_socket *s, unsigned int sidx, const struct rte_memzone *mz,
		unsigned int n_slabs, bool iova_slow)
{
	void *base = mz->addr;
	unsigned int i;

	FASTMEM_LOCK_ASSERT(&s->grow_lock);
	for (i = 0; i < n_slabs; i++) {
		struct fastmem_slab *slab = RTE_PTR_ADD(base, (size_t)i * FASTMEM_SLAB_SIZE);

		memset(slab, 0, sizeof(*slab));
		slab->zone = base;
		slab->cls = FASTMEM_CLASS_NONE;
		slab->sidx = (uint16_t)sidx;
		slab->iova_slow = iova_slow;
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

/* --- bins (bin lock) --- */

/* Give a pool slab to the bin: assign the class, put it on the partial list. */
static void
bin_adopt_locked(struct fastmem_bin *bin, struct fastmem_slab *slab)
	__rte_requires_capability(&bin->lock)
{
	size_t size = fastmem_layout.class_size[bin->cls];

	FASTMEM_LOCK_ASSERT(&bin->lock);
	slab->cls = bin->cls;
	slab->obj_size = (uint32_t)size;
	slab->first = (uint32_t)RTE_ALIGN_CEIL((size_t)FASTMEM_SLAB_HDR, size);
	slab->n_objs = (uint32_t)((FASTMEM_SLAB_SIZE - slab->first) / size);
	slab->free_head = NULL;
	slab->n_out = 0;
	slab->bump = slab->first;
	slab->where = FASTMEM_SLAB_PARTIAL;
	fastmem_dbg_slab_adopt(slab);
	slab_list_push(&bin->partial, slab);
	FASTMEM_COUNT(&bin->slabs_partial, 1);
	FASTMEM_COUNT(&bin->slab_acquires, 1);
}

/* Take up to n objects from the partial slabs. */
static unsigned int
bin_take_locked(struct fastmem_bin *bin, void **objs, unsigned int n)
	__rte_requires_capability(&bin->lock)
{
	unsigned int got = 0;

	FASTMEM_LOCK_ASSERT(&bin->lock);
	while (got < n && bin->partial != NULL) {
		struct fastmem_slab *slab = bin->partial;

		while (got < n && slab->n_out < slab->n_objs) {
			void *obj = slab->free_head;

			if (obj != NULL) {
				slab->free_head = fastmem_link_get(obj);
				fastmem_dbg_link_pop(slab, obj, slab->free_head);
			} else {
				obj = RTE_PTR_ADD(slab, slab->bump);
				slab->bump += slab->obj_size;
				fastmem_dbg_fresh(obj, slab->obj_size);
			}
			slab->n_out++;
			objs[got++] = obj;
		}
		if (slab->n_out == slab->n_objs) {
			slab_list_remove(&bin->partial, slab);
			slab_list_push(&bin->full, slab);
			slab->where = FASTMEM_SLAB_FULL;
			FASTMEM_COUNT(&bin->slabs_partial, -1);
			FASTMEM_COUNT(&bin->slabs_full, 1);
		}
	}
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
 * Allocate between min and max objects of (sidx, cls) from the bin, growing the socket
 * when the bin and the pool have nothing. Returns the number allocated: at least min,
 * or less than min only when no memory can be had (the objects obtained are returned
 * anyway; the caller decides what to do with them). With shared set (a thread without
 * lcore id), the objects are counted in the bin's shared statistics when at least min
 * were had.
 */
unsigned int
fastmem_bin_alloc(struct fastmem_state *st, unsigned int sidx, unsigned int cls,
		void **objs, unsigned int min, unsigned int max, bool shared)
{
	struct fastmem_socket *s = &st->sockets[sidx];
	struct fastmem_bin *bin = &s->bins[cls];
	unsigned int got = 0;
	bool grow_failed = false;

	rte_spinlock_lock(&bin->lock);
	for (;;) {
		struct fastmem_slab *slab;

		/* the transfer cache first: objects lcores drained, not yet in their slabs */
		got += xfer_take_locked(bin, objs + got, max - got);
		if (got >= max)
			break;
		got += bin_take_locked(bin, objs + got, max - got);
		if (got >= min)
			break;
		/* bin -> pool lock order */
		slab = pool_pop(s);
		if (slab != NULL) {
			bin_adopt_locked(bin, slab);
			continue;
		}
		if (grow_failed)
			break; /* checked bin and pool once more after the failed growth */
		rte_spinlock_unlock(&bin->lock);
		grow_failed = fastmem_grow(st, s) < 0;
		rte_spinlock_lock(&bin->lock);
	}
	if (shared && got >= min)
		FASTMEM_COUNT(&bin->sh_allocs, got);
	rte_spinlock_unlock(&bin->lock);
	return got;
}

/*
 * Automatic trim (rte_fastmem_set_trim_threshold()): after a free that gave slabs back to
 * the pool, with no lock held. One relaxed load when it is off (the default). The grow lock
 * is only tried: when another thread grows or trims the socket, this free leaves it be.
 */
static void
pool_auto_trim(struct fastmem_socket *s)
{
	size_t threshold = FASTMEM_LOAD(&s->trim_threshold);

	if (likely(threshold == SIZE_MAX))
		return;
	if ((size_t)FASTMEM_LOAD(&s->pool_count) * FASTMEM_SLAB_SIZE <= threshold)
		return;
	fastmem_trim_socket(s, threshold, true, NULL);
}

/* Give n objects of (sidx, cls) back to their slabs; shared: count them as frees of a
 * thread without lcore id. Called with no lock held (it may trim the socket). */
void
fastmem_bin_free(struct fastmem_state *st, unsigned int sidx, unsigned int cls,
		void * const *objs, unsigned int n, bool shared)
{
	struct fastmem_socket *s = &st->sockets[sidx];
	struct fastmem_bin *bin = &s->bins[cls];
	bool released = false;
	unsigned int i;

	rte_spinlock_lock(&bin->lock);
	for (i = 0; i < n; i++) {
		void *obj = objs[i];
		struct fastmem_slab *slab = FASTMEM_SLAB_OF(obj);

		FASTMEM_ASSERT(slab->cls == cls && slab->sidx == sidx && slab->n_out > 0);
		fastmem_link_set(obj, slab->free_head);
		slab->free_head = obj;
		if (slab->where == FASTMEM_SLAB_FULL) {
			slab_list_remove(&bin->full, slab);
			slab_list_push(&bin->partial, slab);
			slab->where = FASTMEM_SLAB_PARTIAL;
			FASTMEM_COUNT(&bin->slabs_full, -1);
			FASTMEM_COUNT(&bin->slabs_partial, 1);
		}
		if (--slab->n_out == 0) {
			/* Empty: to the pool while the bin lock is held, so no allocator can
			 * find the slab in neither place (no spurious ENOMEM). */
			slab_list_remove(&bin->partial, slab);
			FASTMEM_COUNT(&bin->slabs_partial, -1);
			FASTMEM_COUNT(&bin->slab_releases, 1);
			rte_spinlock_lock(&s->pool_lock);
			pool_push_locked(s, slab);
			rte_spinlock_unlock(&s->pool_lock);
			released = true;
		}
	}
	if (shared)
		FASTMEM_COUNT(&bin->sh_frees, n);
	rte_spinlock_unlock(&bin->lock);
	if (released)
		pool_auto_trim(s); /* grow lock: never with a bin lock held */
}

/* --- transfer caches (bin lock) --- */

/*
 * A batch drained from an lcore cache (n objects of (sidx, cls)): into the bin's transfer
 * cache as far as it has room, one copy of the pointers and no object touched; the rest
 * back to the slabs. The transfer cache is allocated here on first use, with no lock held.
 */
void
fastmem_bin_drain(struct fastmem_state *st, unsigned int sidx, unsigned int cls,
		void * const *objs, unsigned int n)
{
	struct fastmem_socket *s = &st->sockets[sidx];
	struct fastmem_bin *bin = &s->bins[cls];
	void **fresh = NULL;
	bool tried = false;
	uint32_t len, k;

	/* racy peek, decided again under the lock */
	if (unlikely(__atomic_load_n(&bin->xfer, __ATOMIC_RELAXED) == NULL) &&
			!FASTMEM_LOAD(&bin->xfer_nomem)) {
		tried = true;
		size_t bytes = (size_t)FASTMEM_XFER_BATCHES *
				RTE_MAX(fastmem_layout.cache_cap[cls] / 2, 1u) * sizeof(void *);

		/* never in fastmem's own zones: deinit frees these before any zone */
		/* on the bin's NUMA socket (an external heap's memory is not for it) */
		fresh = rte_zmalloc_socket("fastmem_xfer", bytes, RTE_CACHE_LINE_SIZE,
				s->external ? (int)rte_socket_id() : s->socket_id);
		if (fresh == NULL)
			fresh = rte_zmalloc("fastmem_xfer", bytes, RTE_CACHE_LINE_SIZE);
	}
	rte_spinlock_lock(&bin->lock);
	if (fresh != NULL && bin->xfer == NULL) {
		__atomic_store_n(&bin->xfer, fresh, __ATOMIC_RELAXED);
		bin->xfer_cap = (uint32_t)(FASTMEM_XFER_BATCHES *
				RTE_MAX(fastmem_layout.cache_cap[cls] / 2, 1u));
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
 * Return every object of the transfer caches of socket slot sidx to the slabs (which may
 * give slabs back to the pool); returns the number of objects returned. Objects drained
 * by other lcores meanwhile may stay.
 */
unsigned int
fastmem_xfer_flush(struct fastmem_state *st, unsigned int sidx)
{
	struct fastmem_socket *s = &st->sockets[sidx];
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
 * hold no slab any more, so that the EAL heap memory they took can go back too; a later
 * drain allocates them again. Bins still serving their class keep theirs, so that a trim
 * does not put an rte_zmalloc() on their next drain. A bin whose array could not be
 * allocated gets another try.
 */
void
fastmem_xfer_release(struct fastmem_state *st, unsigned int sidx)
{
	unsigned int c;

	for (c = 0; c < FASTMEM_NUM_CLASSES; c++) {
		struct fastmem_bin *bin = &st->sockets[sidx].bins[c];
		void **xfer = NULL;

		if (__atomic_load_n(&bin->xfer, __ATOMIC_RELAXED) == NULL &&
				!FASTMEM_LOAD(&bin->xfer_nomem))
			continue;
		rte_spinlock_lock(&bin->lock);
		if (bin->xfer_len == 0 && bin->partial == NULL && bin->full == NULL) {
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
			struct fastmem_bin *bin = &st->sockets[sidx].bins[c];

			rte_free(bin->xfer);
			bin->xfer = NULL;
			bin->xfer_len = 0;
			bin->xfer_cap = 0;
			bin->xfer_nomem = 0;
		}
}

/* Count an allocation call of a thread without lcore id that failed with ENOMEM. */
void
fastmem_bin_count_nomem(struct fastmem_state *st, unsigned int sidx, unsigned int cls)
{
	struct fastmem_bin *bin = &st->sockets[sidx].bins[cls];

	rte_spinlock_lock(&bin->lock);
	FASTMEM_COUNT(&bin->sh_nomem, 1);
	rte_spinlock_unlock(&bin->lock);
}
