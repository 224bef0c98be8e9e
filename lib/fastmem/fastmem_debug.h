/* SPDX-License-Identifier: BSD-3-Clause
 * Copyright(c) 2026 The dpdk-lcoremem authors
 */

#ifndef FASTMEM_DEBUG_H
#define FASTMEM_DEBUG_H

/*
 * Checked builds: the debug checks (meson option fastmem_debug, RTE_LIBRTE_FASTMEM_DEBUG)
 * and AddressSanitizer poisoning (-Db_sanitize=address). The rest of fastmem calls the
 * hooks below at a few fixed points; in a production build each hook is an empty inline
 * function, so nothing is compiled in.
 *
 * Where the hooks are
 * -------------------
 *  - the user boundary (rte_fastmem.c): fastmem_dbg_alloc() on every object handed to the
 *    caller, fastmem_dbg_free() on every object given back (before anything else touches
 *    it), fastmem_dbg_resize() when realloc keeps or copies an object. In checked builds
 *    the inline cache-hit paths of rte_fastmem.h are compiled out (__RTE_FASTMEM_CHECKED in
 *    rte_fastmem_core.h), so that every object crosses this boundary out of line;
 *  - slabs (fastmem_slab.c): the free-list link word (fastmem_link_get()/_set()), a zone
 *    when cut, a run when it is cut for a class, objects taken from never-used space;
 *  - zones (fastmem_zone.c): fastmem_dbg_zone_release() before a memzone goes back to EAL
 *    or is kept for reuse (parked: a test facility, fastmem_park_set()); the bodies of a
 *    zone's slabs (all but their headers) are poisoned when it is cut and when it is
 *    parked.
 *
 * Debug build
 * -----------
 * Per slab, a bitmap of FASTMEM_DBG_MAP_BYTES holds one bit per object slot, "allocated
 * to the caller" (set on allocation, cleared on free, with atomic or/and: the lcores
 * allocating and freeing objects of one slab are many). The bitmaps of a zone are one
 * calloc()ed side table (1/64 of the zone, process-private memory, not EAL's), found through
 * the slab header's dbg_map, so slabs keep their production layout and capacity. Objects that
 * are not allocated (in a cache, a bin, never-used space) hold FASTMEM_DBG_POISON in every
 * byte, but the link word of those on a free list (in runs with a free list: those of more
 * than FASTMEM_RUN_MAP_OBJS objects). Detected, each with one ERR log line naming the
 * pointer, its class, slab and socket, followed by rte_panic():
 *  - free of a pointer in no zone of fastmem (checked against the socket's zone list before
 *    anything is read at the pointer), in pages of no run (free pages of a slab, or a slab
 *    in the free-slab pool), not at the start of a slot of its run's class (interior
 *    pointers, pointers into the slab header, a pointer that would be an object in a run
 *    of another class), past the run's used space (never allocated), or whose bit is clear
 *    (double free);
 *  - on allocation: a byte of the object changed while it was free (write after free), or
 *    a slot that is already allocated (corrupted free list);
 *  - when a run's free list is popped: a link that is neither NULL nor a used slot of the
 *    same run (write after free into the link word);
 *  - hfree with a handle of another class or socket: __rte_fastmem_hcheck() (rte_fastmem.c).
 * None of them returns: each is heap corruption, and carrying on would hide its origin.
 *
 * AddressSanitizer
 * ----------------
 * The objects fastmem holds are poisoned (manual poisoning interface): the slabs of a zone
 * from their first object on when the zone is cut, an object when it is freed. Allocation
 * unpoisons the object up to the requested size (the class size for the handle calls,
 * which know no other; one byte for size 0, so that a double free of it is still seen),
 * so a one-byte overflow past a requested size smaller than the class is reported, and
 * one past a full object lands in the next slot, poisoned unless allocated. The free path
 * reads the object's first byte (instrumented), so a double free is reported by ASan as a
 * use-after-poison at the free. The free-list link word is unpoisoned around each access.
 * Zones are unpoisoned before they go back to EAL.
 *
 * ASan's shadow memory is per process, while the objects are shared: in a process that
 * other processes may share fastmem with (a secondary, or a primary with hugepages,
 * fastmem_dbg_mode()), what is poisoned is only what sits in this process's own lcore
 * caches: an object is
 * poisoned when a bin hands it out (fastmem_dbg_cache_in()) or when it is freed, and
 * unpoisoned when it goes back to a bin (fastmem_dbg_cache_out()), so that an object
 * another process allocates and hands over is never poisoned here. Zones are not
 * poisoned when cut, nor links after their access, and allocation unpoisons the whole
 * object (the part past the requested size would stay poisoned in this process after
 * another one freed it). Lost in that mode: overflows within an object's class, reads of
 * never-allocated space, and use after free or double free of an object once it has left
 * the lcore caches of the process that freed it.
 */

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include <rte_common.h>

#include "fastmem_priv.h"

#if defined(__SANITIZE_ADDRESS__)
#define FASTMEM_ASAN 1
#elif defined(__has_feature)
#if __has_feature(address_sanitizer)
#define FASTMEM_ASAN 1
#endif
#endif

#ifdef FASTMEM_ASAN
#include <sanitizer/asan_interface.h>
#define FASTMEM_POISON(p, n) ASAN_POISON_MEMORY_REGION((p), (n))
#define FASTMEM_UNPOISON(p, n) ASAN_UNPOISON_MEMORY_REGION((p), (n))
#else
#define FASTMEM_POISON(p, n) do { RTE_SET_USED(p); RTE_SET_USED(n); } while (0)
#define FASTMEM_UNPOISON(p, n) do { RTE_SET_USED(p); RTE_SET_USED(n); } while (0)
#endif

#if defined(RTE_LIBRTE_FASTMEM_DEBUG) || defined(FASTMEM_ASAN)
#define FASTMEM_CHECKED 1
#endif

/* Debug builds: bytes of a slab's allocation bitmap, one bit per slot of the smallest
 * class (a side table, so that slabs have the same layout as in production builds); a
 * run's bitmap is the part from its first page on. */
#define FASTMEM_DBG_MAP_BYTES (FASTMEM_SLAB_SIZE / RTE_FASTMEM_MIN_CLASS_SIZE / 8)

/* The byte free objects are filled with in debug builds. */
#define FASTMEM_DBG_POISON 0xfd

#ifdef FASTMEM_ASAN
/* true: poison only what this process's caches hold (see above); set at init */
extern bool fastmem_asan_own;
/* Poison memory that is free outside the lcore caches: not in that mode. */
#define FASTMEM_POISON_FREE(p, n) do { \
		if (!fastmem_asan_own) \
			FASTMEM_POISON((p), (n)); \
	} while (0)
#else
#define FASTMEM_POISON_FREE(p, n) FASTMEM_POISON((p), (n))
#endif

/* The free-list link of a free object (its first 8 bytes), poisoned for ASan. */
static inline void *
fastmem_link_get(void *obj)
{
	void *next;

	FASTMEM_UNPOISON(obj, sizeof(void *));
	next = *(void **)obj;
	FASTMEM_POISON_FREE(obj, sizeof(void *));
	return next;
}

static inline void
fastmem_link_set(void *obj, void *next)
{
	FASTMEM_UNPOISON(obj, sizeof(void *));
	*(void **)obj = next;
	FASTMEM_POISON_FREE(obj, sizeof(void *));
}

#ifdef FASTMEM_CHECKED
/* fastmem_debug.c */
void fastmem_dbg_alloc(void *obj, size_t size);
void fastmem_dbg_free(struct fastmem_state *st, void *ptr);
void fastmem_dbg_resize(void *obj, size_t size);
void fastmem_dbg_zone_cut(struct fastmem_slab *zone, unsigned int n_slabs);
void fastmem_dbg_run_adopt(struct fastmem_slab *slab, struct fastmem_run *run);
void fastmem_dbg_fresh(void *obj, size_t size);
void fastmem_dbg_link_pop(struct fastmem_run *run, void *obj, void *next);
void fastmem_dbg_zone_release(struct fastmem_slab *zone, bool kept);
void fastmem_dbg_mode(bool shared);
void fastmem_dbg_cache_in(void * const *objs, unsigned int n);
void fastmem_dbg_cache_out(void * const *objs, unsigned int n);
#else
/* Production: nothing. */
static inline void
fastmem_dbg_alloc(void *obj __rte_unused, size_t size __rte_unused) { }
static inline void
fastmem_dbg_free(struct fastmem_state *st __rte_unused, void *ptr __rte_unused) { }
static inline void
fastmem_dbg_resize(void *obj __rte_unused, size_t size __rte_unused) { }
static inline void
fastmem_dbg_zone_cut(struct fastmem_slab *zone __rte_unused, unsigned int n_slabs __rte_unused)
{ }
static inline void
fastmem_dbg_run_adopt(struct fastmem_slab *slab __rte_unused,
		struct fastmem_run *run __rte_unused) { }
static inline void
fastmem_dbg_fresh(void *obj __rte_unused, size_t size __rte_unused) { }
static inline void
fastmem_dbg_link_pop(struct fastmem_run *run __rte_unused, void *obj __rte_unused,
		void *next __rte_unused) { }
static inline void
fastmem_dbg_zone_release(struct fastmem_slab *zone __rte_unused, bool kept __rte_unused) { }
static inline void
fastmem_dbg_mode(bool shared __rte_unused) { }
static inline void
fastmem_dbg_cache_in(void * const *objs __rte_unused, unsigned int n __rte_unused) { }
static inline void
fastmem_dbg_cache_out(void * const *objs __rte_unused, unsigned int n __rte_unused) { }
#endif

#endif /* FASTMEM_DEBUG_H */
