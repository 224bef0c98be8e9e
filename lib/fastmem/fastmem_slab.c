/* SPDX-License-Identifier: BSD-3-Clause
 * Copyright(c) 2026 The dpdk-lcoremem authors
 */

/*
 * Slabs and the free-slab pool: the lowest layer.
 *
 * Owns: the slab header (struct fastmem_slab) of every slab, and each socket's pool of
 * free slabs (fastmem_socket::pool, pool_count and each zone's zone_pooled).
 * Locks: the pool is under the socket's pool lock, taken here; a slab's objects (free list,
 * bump offset, n_out) are under the lock of the bin that holds the slab, which the bin
 * layer holds when it calls in here; cutting a zone into slabs happens under the socket's
 * grow lock, which the zone layer holds.
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

static_assert(sizeof(struct fastmem_slab) == FASTMEM_SLAB_HDR, "slab header size");

/* --- lists (the caller holds the lock of the list's owner: a bin, or the pool) --- */

void
fastmem_slab_list_push(struct fastmem_slab **head, struct fastmem_slab *slab)
{
	slab->prev = NULL;
	slab->next = *head;
	if (*head != NULL)
		(*head)->prev = slab;
	*head = slab;
}

void
fastmem_slab_list_remove(struct fastmem_slab **head, struct fastmem_slab *slab)
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

/* --- objects (the lock of the bin holding the slab) --- */

/*
 * Give a pool slab class cls: its objects start as never-used space after the header.
 *
 * Objects sit stride bytes apart from the first, which is aligned to the largest power of
 * two dividing the stride, so each object has that alignment (the alignment rte_fastmem.h
 * promises for its class). The stride is the class size; in a slab of pages smaller than
 * the slab that are not IOVA-contiguous (slab->iova_slow: the page size), a class size
 * that does not divide the page is rounded up to a power of two for the stride, so that no
 * object of at most a page spans two pages.
 */
void
fastmem_slab_adopt(struct fastmem_slab *slab, unsigned int cls)
{
	size_t size = fastmem_class_size(cls);
	size_t page = slab->iova_slow;

	if (page != 0 && page < FASTMEM_SLAB_SIZE && size < page && page % size != 0)
		size = rte_align64pow2(size);
	slab->cls = (uint16_t)cls;
	slab->obj_size = (uint32_t)size;
	slab->first = (uint32_t)RTE_ALIGN_CEIL((size_t)FASTMEM_SLAB_HDR, size & -size);
	slab->n_objs = (uint32_t)((FASTMEM_SLAB_SIZE - slab->first) / size);
	slab->free_head = NULL;
	slab->n_out = 0;
	slab->bump = slab->first;
	fastmem_dbg_slab_adopt(slab);
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
	fastmem_slab_list_push(&s->pool, slab);
	slab->zone->zone_pooled++;
	FASTMEM_STORE(&s->pool_count, s->pool_count + 1);
}

static void
pool_remove_locked(struct fastmem_socket *s, struct fastmem_slab *slab)
	__rte_requires_capability(&s->pool_lock)
{
	FASTMEM_LOCK_ASSERT(&s->pool_lock);
	FASTMEM_ASSERT(slab->where == FASTMEM_SLAB_POOL && slab->zone->zone_pooled > 0);
	fastmem_slab_list_remove(&s->pool, slab);
	slab->zone->zone_pooled--;
	FASTMEM_STORE(&s->pool_count, s->pool_count - 1);
}

/* A free slab of the socket, out of the pool, or NULL when the pool is empty. */
struct fastmem_slab *
fastmem_pool_pop(struct fastmem_socket *s)
{
	struct fastmem_slab *slab;

	rte_spinlock_lock(&s->pool_lock);
	slab = s->pool;
	if (slab != NULL)
		pool_remove_locked(s, slab);
	rte_spinlock_unlock(&s->pool_lock);
	return slab;
}

/* A slab whose objects are all back: into the pool, any class may take it now. */
void
fastmem_pool_push(struct fastmem_socket *s, struct fastmem_slab *slab)
{
	rte_spinlock_lock(&s->pool_lock);
	pool_push_locked(s, slab);
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

		memset(slab, 0, sizeof(*slab));
		slab->zone = base;
		slab->cls = FASTMEM_CLASS_NONE;
		slab->sidx = (uint16_t)s->sidx;
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
