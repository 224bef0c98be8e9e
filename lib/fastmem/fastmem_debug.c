/* SPDX-License-Identifier: BSD-3-Clause
 * Copyright(c) 2026 The dpdk-lcoremem authors
 */

/*
 * Checked builds: debug checks and AddressSanitizer poisoning. fastmem_debug.h describes
 * what is checked and where the hooks are; in a production build this file is empty.
 */

#include <stdarg.h>
#include <stdbool.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <rte_common.h>
#include <rte_debug.h>
#include <rte_log.h>
#include <rte_malloc.h>
#include <rte_spinlock.h>

#include "fastmem_debug.h"
#include "fastmem_priv.h"

#ifdef FASTMEM_CHECKED

#ifdef RTE_LIBRTE_FASTMEM_DEBUG

#define POISON_WORD (0x0101010101010101ULL * FASTMEM_DBG_POISON)

/* One line naming the fault, then the panic. */
static void __rte_noreturn __rte_format_printf(2, 3)
dbg_fail(const char *kind, const char *fmt, ...)
{
	char msg[384];
	va_list ap;

	va_start(ap, fmt);
	vsnprintf(msg, sizeof(msg), fmt, ap);
	va_end(ap);
	rte_log(RTE_LOG_ERR, fastmem_logtype, "FASTMEM: debug check: %s: %s\n", kind, msg);
	rte_panic("fastmem debug check: %s\n", kind);
}

static int
slab_socket_id(const struct fastmem_slab *slab)
{
	struct fastmem_state *st = fastmem_state();

	if (st == NULL || slab->sidx >= FASTMEM_MAX_SOCKETS)
		return -1;
	return st->sockets[slab->sidx]->socket_id;
}

/* Slot index of a slot-aligned object of a run. */
static uint32_t
slot_of(const struct fastmem_run *run, const void *obj)
{
	return (uint32_t)((RTE_PTR_DIFF(obj, fastmem_run_base(run)) - run->first) /
			run->obj_size);
}

/* Fill a free object with the pattern. */
static void
poison_fill(void *obj, size_t size)
{
	FASTMEM_UNPOISON(obj, size);
	memset(obj, FASTMEM_DBG_POISON, size);
	FASTMEM_POISON(obj, size);
}

static void
dbg_check_free(struct fastmem_state *st, void *ptr)
{
	/* nothing is read at ptr before the zone map says it is fastmem's */
	struct fastmem_slab *slab = fastmem_zone_owner(st, ptr) != 0 ? FASTMEM_SLAB_OF(ptr) : NULL;
	struct fastmem_run *run;
	size_t off, size;
	uint32_t idx, bump;
	uint64_t bit, old;

	if (slab == NULL)
		dbg_fail("free of a foreign pointer", "%p is in no memory zone of fastmem", ptr);
	if (slab->ids[FASTMEM_PAGE_OF(ptr)].cls >= FASTMEM_NUM_CLASSES)
		dbg_fail("free in a free page", "%p: its page of slab %p (socket %d) holds no "
			"object", ptr, (void *)slab, slab_socket_id(slab));
	run = FASTMEM_RUN_OF(ptr);
	size = run->obj_size;
	off = RTE_PTR_DIFF(ptr, fastmem_run_base(run));
	if (off < run->first || (off - run->first) % size != 0 ||
			(off - run->first) / size >= run->n_objs)
		dbg_fail("free of an interior pointer", "%p is not the start of an object: "
			"%zu B into a %zu B slot (class %zu B, slab %p, socket %d)", ptr,
			off < run->first ? off : (off - run->first) % size, size, size,
			(void *)slab, slab_socket_id(slab));
	idx = slot_of(run, ptr);
	/* Written under the bin lock, read without it: the allocation of a genuine object
	 * raised bump past it before the object reached this thread, and bump does not go
	 * down while the run holds the object. No lock here, so that a process killed in a
	 * free leaves none taken, as in a production build. */
	bump = __atomic_load_n(&run->bump, __ATOMIC_RELAXED);
	if (off >= bump)
		dbg_fail("free of a never-allocated object", "%p (class %zu B, slab %p, "
			"socket %d) lies past the used part of its run", ptr, size,
			(void *)slab, slab_socket_id(slab));
	bit = UINT64_C(1) << (idx % 64);
	old = __atomic_fetch_and(&run->dbg_map[idx / 64], ~bit, __ATOMIC_RELAXED);
	if ((old & bit) == 0)
		dbg_fail("double free", "%p (class %zu B, slab %p, socket %d) is not allocated",
			ptr, size, (void *)slab, slab_socket_id(slab));
}

static void
dbg_check_alloc(void *obj)
{
	struct fastmem_slab *slab = FASTMEM_SLAB_OF(obj);
	struct fastmem_run *run = FASTMEM_RUN_OF(obj);
	size_t size = run->obj_size, i;
	const uint64_t *w = obj;
	uint32_t idx = slot_of(run, obj);
	uint64_t bit, old;

	FASTMEM_UNPOISON(obj, size);
	for (i = 0; i < size / sizeof(uint64_t); i++) {
		if (unlikely(w[i] != POISON_WORD)) {
			const uint8_t *b = (const uint8_t *)&w[i];
			size_t j = 0;

			while (b[j] == FASTMEM_DBG_POISON)
				j++;
			dbg_fail("write after free", "%p (class %zu B, slab %p, socket %d): "
				"byte %zu is 0x%02x, not 0x%02x, since it was freed", obj, size,
				(void *)slab, slab_socket_id(slab), i * sizeof(uint64_t) + j,
				b[j], FASTMEM_DBG_POISON);
		}
	}
	bit = UINT64_C(1) << (idx % 64);
	old = __atomic_fetch_or(&run->dbg_map[idx / 64], bit, __ATOMIC_RELAXED);
	if ((old & bit) != 0)
		dbg_fail("object allocated twice", "%p (class %zu B, slab %p, socket %d) is "
			"already allocated: a free list is corrupt", obj, size, (void *)slab,
			slab_socket_id(slab));
	FASTMEM_POISON(obj, size);
}

#endif /* RTE_LIBRTE_FASTMEM_DEBUG */

#ifdef FASTMEM_ASAN
/* fastmem_dbg_mode(): poison only what this process's caches hold */
bool fastmem_asan_own;
#endif

/* The bytes of an object of class csize the caller may use when it asked for size. */
static size_t
usable(size_t size, size_t csize)
{
#ifdef FASTMEM_ASAN
	/* shared objects: the part past the requested size would stay poisoned here after
	 * another process freed the object, and be so when it comes back larger */
	if (fastmem_asan_own)
		return csize;
#endif
	if (size == 0)
		return 1; /* a unique object: one byte, so that its double free is seen */
	return size < csize ? size : csize;
}

void
fastmem_dbg_alloc(void *obj, size_t size)
{
	size_t csize = FASTMEM_RUN_OF(obj)->obj_size;

#ifdef RTE_LIBRTE_FASTMEM_DEBUG
	dbg_check_alloc(obj);
#endif
	FASTMEM_UNPOISON(obj, usable(size, csize));
	RTE_SET_USED(csize);
	RTE_SET_USED(size);
}

#ifdef FASTMEM_ASAN
/* An instrumented read of the first byte: ASan reports a free of a poisoned (free)
 * object as a use-after-poison here. */
static void
asan_touch(const void *ptr)
{
	(void)*(const volatile uint8_t *)ptr;
}
#endif

void
fastmem_dbg_free(struct fastmem_state *st, void *ptr)
{
	size_t csize;

#ifdef RTE_LIBRTE_FASTMEM_DEBUG
	dbg_check_free(st, ptr);
#else
	RTE_SET_USED(st);
#endif
#ifdef FASTMEM_ASAN
	asan_touch(ptr);
#endif
	csize = FASTMEM_RUN_OF(ptr)->obj_size;
#ifdef RTE_LIBRTE_FASTMEM_DEBUG
	poison_fill(ptr, csize);
#endif
	FASTMEM_POISON(ptr, csize);
}

void
fastmem_dbg_resize(void *obj, size_t size)
{
	size_t csize = FASTMEM_RUN_OF(obj)->obj_size;

	FASTMEM_POISON(obj, csize);
	FASTMEM_UNPOISON(obj, usable(size, csize));
	RTE_SET_USED(size);
}

void
fastmem_dbg_mode(bool shared)
{
#ifdef FASTMEM_ASAN
	fastmem_asan_own = shared;
#else
	RTE_SET_USED(shared);
#endif
}

void
fastmem_dbg_cache_in(void * const *objs, unsigned int n)
{
#ifdef FASTMEM_ASAN
	unsigned int i;

	if (!fastmem_asan_own)
		return; /* poisoned already */
	for (i = 0; i < n; i++)
		FASTMEM_POISON(objs[i], FASTMEM_RUN_OF(objs[i])->obj_size);
#else
	RTE_SET_USED(objs);
	RTE_SET_USED(n);
#endif
}

void
fastmem_dbg_cache_out(void * const *objs, unsigned int n)
{
#ifdef FASTMEM_ASAN
	unsigned int i;

	if (!fastmem_asan_own)
		return; /* stays poisoned in the bin */
	for (i = 0; i < n; i++)
		FASTMEM_UNPOISON(objs[i], FASTMEM_RUN_OF(objs[i])->obj_size);
#else
	RTE_SET_USED(objs);
	RTE_SET_USED(n);
#endif
}

void
fastmem_dbg_zone_cut(struct fastmem_slab *zone, unsigned int n_slabs)
{
	unsigned int i;

	/* a parked zone too: deinit may have parked it with objects out */
	for (i = 0; i < n_slabs; i++) {
		struct fastmem_slab *slab = RTE_PTR_ADD(zone, (size_t)i * FASTMEM_SLAB_SIZE);

		FASTMEM_POISON_FREE(RTE_PTR_ADD(slab, FASTMEM_SLAB_HDR),
			FASTMEM_SLAB_SIZE - FASTMEM_SLAB_HDR);
	}
#ifdef RTE_LIBRTE_FASTMEM_DEBUG
	{
		/* in EAL memory, which every process of the application maps where this
		 * one does: a secondary process checks the objects of this zone too */
		uint64_t *maps = rte_zmalloc("fastmem_dbg_map",
				(size_t)n_slabs * FASTMEM_DBG_MAP_BYTES, RTE_CACHE_LINE_SIZE);

		if (maps == NULL)
			rte_panic("fastmem debug: no memory for the bitmaps of a zone of %u slabs\n",
				n_slabs);
		for (i = 0; i < n_slabs; i++)
			((struct fastmem_slab *)RTE_PTR_ADD(zone, (size_t)i *
				FASTMEM_SLAB_SIZE))->dbg_map =
				RTE_PTR_ADD(maps, (size_t)i * FASTMEM_DBG_MAP_BYTES);
	}
#endif
}

void
fastmem_dbg_run_adopt(struct fastmem_slab *slab, struct fastmem_run *run)
{
#ifdef RTE_LIBRTE_FASTMEM_DEBUG
	run->dbg_map = RTE_PTR_ADD(slab->dbg_map,
			(size_t)run->start * (FASTMEM_DBG_MAP_BYTES / FASTMEM_PAGES));
	memset(run->dbg_map, 0, RTE_ALIGN_CEIL(run->n_objs, 64) / 8);
#else
	RTE_SET_USED(slab);
	RTE_SET_USED(run);
#endif
}

void
fastmem_dbg_fresh(void *obj, size_t size)
{
#ifdef RTE_LIBRTE_FASTMEM_DEBUG
	poison_fill(obj, size);
#else
	RTE_SET_USED(obj);
	RTE_SET_USED(size);
#endif
}

void
fastmem_dbg_link_pop(struct fastmem_run *run, void *obj, void *next)
{
#ifdef RTE_LIBRTE_FASTMEM_DEBUG
	size_t off = RTE_PTR_DIFF(next, fastmem_run_base(run));

	if (next != NULL && (FASTMEM_SLAB_OF(next) != FASTMEM_SLAB_OF(run) ||
			FASTMEM_SLAB_OF(next)->page_run[FASTMEM_PAGE_OF(next)] != run->start ||
			off < run->first || (off - run->first) % run->obj_size != 0 ||
			off >= run->bump))
		dbg_fail("write after free", "%p (class %zu B, slab %p, socket %d): its free-list "
			"link was overwritten with %p", obj, (size_t)run->obj_size,
			(void *)FASTMEM_SLAB_OF(run), slab_socket_id(FASTMEM_SLAB_OF(run)), next);
	fastmem_link_set(obj, (void *)(uintptr_t)POISON_WORD);
#else
	RTE_SET_USED(run);
	RTE_SET_USED(obj);
	RTE_SET_USED(next);
#endif
}

void
fastmem_dbg_zone_release(struct fastmem_slab *zone, bool kept)
{
	size_t off;

	/* One going back to EAL is EAL's again. One kept for reuse (parked) is poisoned but
	 * for its slab headers, as deinit may park a zone with objects out; the rest of its
	 * memzone, beyond the zone, was poisoned when it was parked before. */
	if (!kept)
		FASTMEM_UNPOISON(zone->mz->addr, zone->mz->len);
	else
		for (off = 0; off < (size_t)zone->zone_slabs * FASTMEM_SLAB_SIZE;
				off += FASTMEM_SLAB_SIZE)
			FASTMEM_POISON_FREE(RTE_PTR_ADD(zone, off + FASTMEM_SLAB_HDR),
				FASTMEM_SLAB_SIZE - FASTMEM_SLAB_HDR);
#ifdef RTE_LIBRTE_FASTMEM_DEBUG
	rte_free(zone->dbg_map); /* the zone's side table starts with its first slab's bitmap */
	zone->dbg_map = NULL;
#endif
}

#endif /* FASTMEM_CHECKED */
