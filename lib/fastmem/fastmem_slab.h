/* SPDX-License-Identifier: BSD-3-Clause
 * Copyright(c) 2026 The dpdk-lcoremem authors
 */

#ifndef FASTMEM_SLAB_H
#define FASTMEM_SLAB_H

/*
 * The slab layer's per-object operations (fastmem_slab.c has the rest of the layer). They
 * are inline because the bin layer calls them once per object it moves between a slab and
 * a cache, where a call each would cost as much as the work. They touch only the slab's
 * objects (free list, bump offset, n_out), under the lock of the bin that holds the slab,
 * which the caller holds.
 */

#include <stdint.h>

#include <rte_common.h>

#include "fastmem_debug.h"
#include "fastmem_priv.h"

/* Take up to n free objects of a slab: its free list first, then never-used space. */
static inline unsigned int
fastmem_slab_take(struct fastmem_slab *slab, void **objs, unsigned int n)
{
	unsigned int got = 0;

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
	return got;
}

/* Give an object back to its slab's free list; returns the objects still out. */
static inline uint32_t
fastmem_slab_give(struct fastmem_slab *slab, void *obj)
{
	FASTMEM_ASSERT(slab->n_out > 0);
	fastmem_link_set(obj, slab->free_head);
	slab->free_head = obj;
	return --slab->n_out;
}

#endif /* FASTMEM_SLAB_H */
