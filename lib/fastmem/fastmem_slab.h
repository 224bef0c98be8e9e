/* SPDX-License-Identifier: BSD-3-Clause
 * Copyright(c) 2026 The dpdk-lcoremem authors
 */

#ifndef FASTMEM_SLAB_H
#define FASTMEM_SLAB_H

/*
 * The slab layer's per-object operations (fastmem_slab.c has the rest of the layer). They
 * are inline because the bin layer calls them once per object it moves between a slab and
 * a cache, where a call each would cost as much as the work. They touch only a run's
 * objects (free bitmap or free list, bump offset, n_out), under the lock of the bin that
 * holds the run, which the caller holds.
 */

#include <stdint.h>

#include <rte_common.h>

#include "fastmem_debug.h"
#include "fastmem_priv.h"

/* Take up to n free objects of a run: its free objects first (bitmap or free list), then
 * never-used space. The run's fields are read once and written once: in the loops they
 * are locals, not loads and stores that each iteration waits on. */
static inline unsigned int
fastmem_run_take(struct fastmem_run *run, void **objs, unsigned int n)
{
	void *base = fastmem_run_base(run);
	uint32_t size = run->obj_size, out = run->n_out, bump;
	unsigned int got = 0;

	FASTMEM_ASSERT(out <= run->n_objs);
	n = RTE_MIN(n, run->n_objs - out);
	if (run->inv_stride != 0) {
		uint64_t map = run->free_map;
		void *first = RTE_PTR_ADD(base, run->first);

		for (; got < n && map != 0; got++) {
			objs[got] = RTE_PTR_ADD(first, (size_t)__builtin_ctzll(map) * size);
			map &= map - 1;
		}
		run->free_map = map;
	} else {
		void *head = run->free_head;

		for (; got < n && head != NULL; got++) {
			void *next = fastmem_link_get(head);

			fastmem_dbg_link_pop(run, head, next);
			objs[got] = head;
			head = next;
		}
		run->free_head = head;
	}
	/* the rest from never-used space, past bump */
	bump = run->bump;
	for (; got < n; got++) {
		void *obj = RTE_PTR_ADD(base, bump);

		bump += size;
		fastmem_dbg_fresh(obj, size);
		objs[got] = obj;
	}
	run->bump = bump;
	run->n_out = out + got;
	return got;
}

/*
 * Give an object back to its run (bitmap or free list); returns the objects still out. An
 * object of a bitmap run that is free already (a double free, which debug builds stop
 * before it gets here) is left alone and logged: counted once more as free, it would let
 * the run hand out space past its end, in other runs' pages.
 */
static inline uint32_t
fastmem_run_give(struct fastmem_run *run, void *obj)
{
	FASTMEM_ASSERT(run->n_out > 0);
	if (run->inv_stride != 0) {
		uint64_t off = (uint64_t)RTE_PTR_DIFF(obj, fastmem_run_base(run)) - run->first;
		unsigned int i = (unsigned int)((off * run->inv_stride) >> FASTMEM_RUN_INV_SHIFT);
		uint64_t bit = UINT64_C(1) << (i & 63);

		if (unlikely(i >= run->n_objs || (run->free_map & bit) != 0)) {
			FASTMEM_LOG(ERR, "free of %p: not an allocated object of its run (%u B"
				" objects); ignored", obj, run->obj_size);
			return run->n_out;
		}
		run->free_map |= bit;
	} else {
		fastmem_link_set(obj, run->free_head);
		run->free_head = obj;
	}
	return --run->n_out;
}

#endif /* FASTMEM_SLAB_H */
