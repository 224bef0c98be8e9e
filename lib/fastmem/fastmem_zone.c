/* SPDX-License-Identifier: BSD-3-Clause
 * Copyright(c) 2026 The dpdk-lcoremem authors
 */

/*
 * Backing memory: the zones (memzones of EAL) of each socket, their growth within the
 * socket's limit, reservation, trimming, and the IOVA of what they hold.
 *
 * Owns: each socket's zone list, backing, reserved and trimmed bytes, limit and trim
 * threshold (struct fastmem_socket), the zone map (fastmem_state::zone_map) that tells
 * fastmem's memory from any other, and the park (a test facility: zones kept across trims,
 * deinits and resets instead of going back to EAL).
 * Locks: the socket's grow lock serializes growth, reservation, trim and limit changes,
 * and guards the zone list and the byte counts (written under it, read relaxed by
 * statistics). It is taken here, never with a bin lock held; the pool lock (slab layer)
 * nests inside it. EAL is called (memzone reservation and release) with the grow lock
 * held. The park's lock nests inside the grow locks and is never held across a call to
 * EAL.
 * Calls: down to the slab layer (cutting a zone into slabs, taking a free zone's slabs
 * out of the pool).
 */

#include <errno.h>
#include <stdbool.h>
#include <stdint.h>
#include <stdio.h>

#include <rte_branch_prediction.h>
#include <rte_common.h>
#include <rte_eal.h>
#include <rte_errno.h>
#include <rte_malloc.h>
#include <rte_memory.h>
#include <rte_memzone.h>
#include <rte_spinlock.h>

#include "fastmem_debug.h"
#include "fastmem_priv.h"

static size_t
limit_floor(size_t limit)
{
	return RTE_ALIGN_FLOOR(limit, FASTMEM_SLAB_SIZE);
}

/* --- the zone map (fastmem_state::zone_map, read with fastmem_zone_owner()) --- */

#define MAP_LEAF_SIZE ((size_t)1 << FASTMEM_MAP_LEAF_BITS)

static uint8_t **
map_slot(struct fastmem_state *st, uintptr_t a)
{
	return &st->zone_map[a >> (FASTMEM_SLAB_SHIFT + FASTMEM_MAP_LEAF_BITS)];
}

/* The leaf covering address a, allocated on first use; NULL when there is no memory. */
static uint8_t *
map_leaf(struct fastmem_state *st, uintptr_t a)
{
	uint8_t **slot = map_slot(st, a);
	uint8_t *leaf = __atomic_load_n(slot, __ATOMIC_ACQUIRE), *fresh;

	uint32_t i;

	if (leaf != NULL)
		return leaf;
	/* one of the state's, or in EAL memory, as the state is; a leaf of the state is
	 * never given back, so that a trim leaves no EAL memory taken by the map */
	i = __atomic_fetch_add(&st->map_leaves_used, 1, __ATOMIC_RELAXED);
	fresh = i < FASTMEM_MAP_LEAVES ? st->map_leaves[i] :
			rte_zmalloc("fastmem_map", MAP_LEAF_SIZE, RTE_CACHE_LINE_SIZE);
	if (fresh == NULL)
		return NULL;
	/* release: the zeroed leaf before its address; pairs with the acquire loads of
	 * fastmem_zone_owner() and the one above. Zones of two sockets may race for it: the
	 * loser's leaf of the state stays unused. */
	if (!__atomic_compare_exchange_n(slot, &leaf, fresh, false, __ATOMIC_RELEASE,
			__ATOMIC_ACQUIRE)) {
		if (i >= FASTMEM_MAP_LEAVES)
			rte_free(fresh);
		return leaf;
	}
	return fresh;
}

/*
 * Mark the slabs of [base, base + size) as the zone of socket slot owner - 1, or as no
 * zone's with owner 0. Called with the socket's grow lock held. -ENOMEM when the range
 * lies beyond the map or a leaf cannot be allocated (nothing is marked then).
 */
static int
map_set(struct fastmem_state *st, const void *base, size_t size, unsigned int owner)
{
	uintptr_t a, end = (uintptr_t)base + size;

	if (owner != 0 && (end - 1) >> FASTMEM_MAP_BITS != 0)
		return -ENOMEM;
	for (a = (uintptr_t)base; a < end; a += FASTMEM_SLAB_SIZE) {
		uint8_t *leaf = owner != 0 ? map_leaf(st, a) :
				__atomic_load_n(map_slot(st, a), __ATOMIC_ACQUIRE);

		if (leaf == NULL) {
			if (owner == 0)
				continue;
			map_set(st, base, a - (uintptr_t)base, 0);
			return -ENOMEM;
		}
		__atomic_store_n(&leaf[(a >> FASTMEM_SLAB_SHIFT) & (MAP_LEAF_SIZE - 1)],
				(uint8_t)owner, __ATOMIC_RELAXED);
	}
	return 0;
}

/* Deinit: free the leaves of the map (every zone is gone). */
void
fastmem_zone_map_free(struct fastmem_state *st)
{
	unsigned int i;

	/* every leaf is one of the state's, which go with it, unless more were needed
	 * (map_leaf()) */
	if (__atomic_load_n(&st->map_leaves_used, __ATOMIC_RELAXED) <= FASTMEM_MAP_LEAVES)
		return;
	for (i = 0; i < FASTMEM_MAP_TOP; i++) {
		uint8_t *leaf = st->zone_map[i];

		/* the state's own leaves go with the state */
		if ((uintptr_t)leaf - (uintptr_t)st->map_leaves >= sizeof(st->map_leaves))
			rte_free(leaf);
		st->zone_map[i] = NULL;
	}
}

/* --- the park --- */

/*
 * The park, a test facility (fastmem_park_set(), the fuzz target): zones whose memzones
 * the process keeps for growth to reuse, instead of giving them back to EAL, which clears
 * a memzone's memory when it is freed. Trim, deinit and fastmem_reset() park the zones they
 * release while the park has room for them (park_keep bytes of memzones); growth takes the
 * smallest parked zone of its socket and contiguity whose memzone holds the size it wants,
 * before asking EAL, and uses that much of it (the rest of the memzone is idle until the
 * zone is parked again). A parked zone belongs to no socket: no object, no pool, no
 * backing, not in the zone map; it keeps its memzone and its first slab header (iova_slow,
 * mz), and outlives deinit and init. park_keep is 0 unless a test sets it: then nothing is
 * ever parked.
 *
 * Locks: park_lock guards the list and both counts; it nests inside the grow locks and is
 * never held across a call to EAL. A process that holds parked memzones of an external
 * heap cannot remove that heap until fastmem_park_set(0) gives them back.
 */
static rte_spinlock_t park_lock = RTE_SPINLOCK_INITIALIZER;
static struct fastmem_slab *park_zones; /* under park_lock, linked by zone_next */
/* bytes of the parked zones' memzones: written under park_lock, read relaxed to skip an
 * empty park */
static size_t park_bytes;
static size_t park_keep; /* under park_lock: the most bytes the park takes */

/* The bytes a zone uses, and those its memzone can hold (more, for a zone from the park). */
static size_t
zone_bytes(const struct fastmem_slab *zone)
{
	return (size_t)zone->zone_slabs * FASTMEM_SLAB_SIZE;
}

static size_t
zone_room(const struct fastmem_slab *zone)
{
	return RTE_ALIGN_FLOOR(zone->mz->len, FASTMEM_SLAB_SIZE);
}

/* The smallest parked zone of socket_id and that contiguity with room for size bytes, off
 * the park; NULL when there is none. */
static struct fastmem_slab *
park_take(int socket_id, size_t size, bool contig)
{
	struct fastmem_slab **prevp, **bestp = NULL, *zone;

	rte_spinlock_lock(&park_lock);
	for (prevp = &park_zones; (zone = *prevp) != NULL; prevp = &zone->zone_next)
		if (zone_room(zone) >= size && (zone->iova_slow == 0) == contig &&
				zone->mz->socket_id == socket_id &&
				(bestp == NULL || zone_room(zone) < zone_room(*bestp)))
			bestp = prevp;
	zone = NULL;
	if (bestp != NULL) {
		zone = *bestp;
		*bestp = zone->zone_next;
		__atomic_store_n(&park_bytes, park_bytes - zone_room(zone), __ATOMIC_RELAXED);
	}
	rte_spinlock_unlock(&park_lock);
	return zone;
}

/* Give the memzones of parked zones back to EAL, the largest first, until the park holds
 * at most keep bytes. Returns the number of memzones given back. */
static unsigned int
park_drain(size_t keep)
{
	struct fastmem_slab **prevp, **largestp, *zone;
	unsigned int n = 0;

	for (;;) {
		rte_spinlock_lock(&park_lock);
		largestp = NULL;
		if (park_bytes > keep)
			for (prevp = &park_zones; (zone = *prevp) != NULL; prevp = &zone->zone_next)
				if (largestp == NULL || zone_room(zone) > zone_room(*largestp))
					largestp = prevp;
		if (largestp == NULL) {
			rte_spinlock_unlock(&park_lock);
			return n;
		}
		zone = *largestp;
		*largestp = zone->zone_next;
		__atomic_store_n(&park_bytes, park_bytes - zone_room(zone), __ATOMIC_RELAXED);
		rte_spinlock_unlock(&park_lock);
		FASTMEM_UNPOISON(zone->mz->addr, zone->mz->len);
		if (rte_memzone_free(zone->mz) != 0)
			FASTMEM_LOG(ERR, "cannot free memzone %s", zone->mz->name);
		n++;
	}
}

/* Test support: let the park keep up to keep bytes of zones (0: none; what it holds
 * beyond goes back to EAL now). */
void
fastmem_park_set(size_t keep)
{
	rte_spinlock_lock(&park_lock);
	park_keep = keep;
	rte_spinlock_unlock(&park_lock);
	park_drain(keep);
}

/*
 * A zone off every list, out of the zone map, its slabs in no pool: park it, when the park
 * has room, or give its memzone back to EAL. 0, or -1 when EAL refuses the memzone (which
 * cannot happen to one fastmem reserved; the zone is the caller's still).
 */
static int
zone_give_back(struct fastmem_slab *zone)
{
	size_t bytes = zone_room(zone);

	rte_spinlock_lock(&park_lock);
	if (park_keep >= bytes && park_bytes <= park_keep - bytes) {
		fastmem_dbg_zone_release(zone, true);
		zone->zone_next = park_zones;
		park_zones = zone;
		__atomic_store_n(&park_bytes, park_bytes + bytes, __ATOMIC_RELAXED);
		rte_spinlock_unlock(&park_lock);
		return 0;
	}
	rte_spinlock_unlock(&park_lock);
	fastmem_dbg_zone_release(zone, false);
	if (rte_memzone_free(zone->mz) != 0) {
		FASTMEM_LOG(ERR, "cannot free memzone %s", zone->mz->name);
		return -1;
	}
	return 0;
}

/* --- zones --- */

/* Reserve one zone of exactly size bytes (in a parked memzone with room for it, when there
 * is one); 0 or -ENOMEM. */
static int
zone_reserve(struct fastmem_state *st, struct fastmem_socket *s, size_t size, bool contig)
	__rte_requires_capability(&s->grow_lock)
{
	char name[RTE_MEMZONE_NAMESIZE];
	const struct rte_memzone *mz;
	struct fastmem_slab *zone;

	FASTMEM_LOCK_ASSERT(&s->grow_lock);
	/* relaxed: an empty park (production) skips its lock; park_take() decides */
	zone = unlikely(__atomic_load_n(&park_bytes, __ATOMIC_RELAXED) != 0) ?
			park_take(s->socket_id, size, contig) : NULL;
	if (zone != NULL) {
		/* fails only without memory for a leaf of the map (freed by a deinit since) */
		if (map_set(st, zone, size, s->sidx + 1) < 0) {
			zone_give_back(zone);
			return -ENOMEM;
		}
		fastmem_slab_cut(s, zone->mz, (unsigned int)(size / FASTMEM_SLAB_SIZE), !contig);
		FASTMEM_STORE(&s->backing, s->backing + size);
		return 0;
	}
	/* a name that is taken (a parked zone's, another fastmem's) is skipped */
	do {
		snprintf(name, sizeof(name), "fastmem_%u_%u", s->sidx, s->zone_seq++);
		mz = rte_memzone_reserve_aligned(name, size, s->socket_id,
				contig ? RTE_MEMZONE_IOVA_CONTIG : 0, FASTMEM_SLAB_SIZE);
	} while (mz == NULL && rte_errno == EEXIST);
	if (mz == NULL)
		return -ENOMEM;
	if (((uintptr_t)mz->addr & (FASTMEM_SLAB_SIZE - 1)) != 0 || mz->len < size) {
		FASTMEM_LOG(ERR, "memzone %s is not %zu B aligned", name, FASTMEM_SLAB_SIZE);
		rte_memzone_free(mz);
		return -ENOMEM;
	}
	/* in the map before its slabs enter the pool: no object of it is out before that */
	if (map_set(st, mz->addr, size, s->sidx + 1) < 0) {
		FASTMEM_LOG(ERR, "memzone %s at %p: cannot map it (beyond %u address bits, or no"
				" memory for the map)", name, mz->addr, FASTMEM_MAP_BITS);
		rte_memzone_free(mz);
		return -ENOMEM;
	}
	fastmem_slab_cut(s, mz, (unsigned int)(size / FASTMEM_SLAB_SIZE), !contig);
	/* single writer (grow lock); read relaxed by statistics and limit checks */
	FASTMEM_STORE(&s->backing, s->backing + size);
	FASTMEM_LOG(DEBUG, "socket %d: zone %s of %zu MiB%s", s->socket_id, name, size >> 20,
			contig ? "" : " (not IOVA-contiguous)");
	return 0;
}

/*
 * Add one zone of at most size bytes (a multiple of the slab size): the largest that EAL
 * can give, halving down to one slab, IOVA-contiguous if at all possible. Returns the
 * bytes added, 0 when EAL has nothing.
 */
static size_t
zone_add(struct fastmem_state *st, struct fastmem_socket *s, size_t size)
	__rte_requires_capability(&s->grow_lock)
{
	int contig, round;

	/* a second round, when the park held EAL memory the first could not get */
	for (round = 0; round < 2; round++) {
		for (contig = 1; contig >= 0; contig--) {
			size_t sz = size;

			while (sz >= FASTMEM_SLAB_SIZE) {
				/* contiguous sizes that failed before fail again: not tried */
				if (contig && s->contig_fail != 0 && sz >= s->contig_fail) {
					sz = RTE_ALIGN_FLOOR(sz / 2, FASTMEM_SLAB_SIZE);
					continue;
				}
				if (zone_reserve(st, s, sz, contig) == 0)
					return sz;
				if (contig)
					s->contig_fail = sz;
				sz = RTE_ALIGN_FLOOR(sz / 2, FASTMEM_SLAB_SIZE);
			}
		}
		if (park_drain(0) == 0)
			break;
	}
	return 0;
}

/*
 * The size of the socket's next zone: an eighth of what it holds already, at least one
 * slab and at most FASTMEM_ZONE_SIZE: a socket holding little memory grows by little (a
 * process that allocates one small object holds one slab), one holding much needs few
 * zones (their number grows with the logarithm of the backing memory, by 1.125 per zone:
 * 47 zones for 1 GiB, 71 for 4 GiB), and growth never holds more than an eighth (or one
 * slab) above what was needed.
 */
static size_t
zone_next_size(const struct fastmem_socket *s)
{
	size_t eighth = RTE_ALIGN_FLOOR(s->backing / 8, FASTMEM_SLAB_SIZE);

	if (eighth < FASTMEM_SLAB_SIZE)
		return FASTMEM_SLAB_SIZE;
	return RTE_MIN(eighth, FASTMEM_ZONE_SIZE);
}

/*
 * Grow the socket by one zone, unless its pool has slabs already (another thread grew it,
 * or a slab was freed). 0 when the pool has slabs afterwards, -ENOMEM when the limit or
 * EAL allows nothing more.
 */
int
fastmem_zone_grow(struct fastmem_state *st, struct fastmem_socket *s)
{
	size_t limit, avail;
	int ret = 0;

	rte_spinlock_lock(&s->grow_lock);
	if (FASTMEM_LOAD(&s->pool_count) > 0)
		goto out;
	limit = limit_floor(FASTMEM_LOAD(&s->limit));
	avail = limit > s->backing ? limit - s->backing : 0;
	if (avail < FASTMEM_SLAB_SIZE) {
		FASTMEM_LOG(DEBUG, "socket %d: limit of %zu B reached", s->socket_id, limit);
		ret = -ENOMEM;
		goto out;
	}
	if (zone_add(st, s, RTE_MIN(avail, zone_next_size(s))) == 0) {
		FASTMEM_LOG(DEBUG, "socket %d: EAL has no memory for a slab", s->socket_id);
		ret = -ENOMEM;
	}
out:
	rte_spinlock_unlock(&s->grow_lock);
	return ret;
}

/*
 * Make the socket's reservation reach size bytes (rounded up to slabs) in total: add
 * zones for what is missing, within the limit. 0, or -ENOMEM (beyond the limit: nothing
 * reserved; EAL out of memory: what was had stays, reserved).
 */
int
fastmem_zone_reserve(struct fastmem_state *st, struct fastmem_socket *s, size_t size)
{
	size_t want = RTE_ALIGN_CEIL(size, FASTMEM_SLAB_SIZE), bytes, limit;
	int ret = 0;

	rte_spinlock_lock(&s->grow_lock);
	bytes = want > s->reserved ? want - s->reserved : 0;
	limit = limit_floor(FASTMEM_LOAD(&s->limit));
	if (bytes > 0 && (s->backing > limit || bytes > limit - s->backing)) {
		FASTMEM_LOG(DEBUG, "socket %d: %zu B more would exceed the limit of %zu B",
				s->socket_id, bytes, limit);
		ret = -ENOMEM;
	}
	while (ret == 0 && bytes > 0) {
		size_t got = zone_add(st, s, RTE_MIN(bytes, FASTMEM_ZONE_SIZE));

		if (got == 0) {
			FASTMEM_LOG(DEBUG, "socket %d: EAL has no more memory", s->socket_id);
			ret = -ENOMEM;
		}
		bytes -= got;
		/* what was reserved, even on a later failure, stays (trim keeps it) */
		s->reserved += got;
	}
	rte_spinlock_unlock(&s->grow_lock);
	return ret;
}

/*
 * Set the socket's limit, under its grow lock: a growth in progress finishes under the old
 * limit, the next one sees the new (even one below what the socket holds: it only stops
 * growth).
 */
void
fastmem_zone_set_limit(struct fastmem_socket *s, size_t max_bytes)
{
	rte_spinlock_lock(&s->grow_lock);
	if (s->backing > limit_floor(max_bytes))
		FASTMEM_LOG(DEBUG, "socket %d holds %zu B, above its new limit of %zu B: it grows"
				" no more", s->socket_id, s->backing, max_bytes);
	FASTMEM_STORE(&s->limit, max_bytes);
	rte_spinlock_unlock(&s->grow_lock);
}

/*
 * Give back to EAL the socket's zones whose slabs are all in the pool, newest first, as
 * long as the socket keeps the bytes of rte_fastmem_reserve() and the pool keeps
 * keep_free bytes. Takes (per zone) the pool lock, and frees the memzones with the grow
 * lock held, so that growth, reservation and limit changes see backing and the zone list
 * change together. Returns the bytes released and adds the zones to *n.
 */
static size_t
trim_zones(struct fastmem_state *st, struct fastmem_socket *s, size_t keep_free,
		unsigned int *n)
	__rte_requires_capability(&s->grow_lock)
{
	struct fastmem_slab **prevp = &s->zones, *zone;
	size_t released = 0;

	while ((zone = *prevp) != NULL) {
		const struct rte_memzone *mz = zone->mz;
		unsigned int n_slabs = zone->zone_slabs;
		bool iova_slow = zone->iova_slow != 0;
		size_t bytes = (size_t)n_slabs * FASTMEM_SLAB_SIZE;

		if (s->backing - bytes < s->reserved ||
				!fastmem_pool_take_zone(s, zone, keep_free)) {
			prevp = &zone->zone_next;
			continue;
		}
		/* No list holds the zone's slabs any more and no object of it is out: it is
		 * ours alone. */
		*prevp = zone->zone_next;
		map_set(st, zone, bytes, 0);
		if (zone_give_back(zone) != 0) {
			/* cannot happen to a memzone fastmem reserved; keep the zone in use (its
			 * leaves exist: mapping it again cannot fail) */
			FASTMEM_LOG(ERR, "keeping memzone %s", mz->name);
			map_set(st, zone, bytes, s->sidx + 1);
			fastmem_slab_cut(s, mz, n_slabs, iova_slow);
			break;
		}
		FASTMEM_LOG(DEBUG, "socket %d: released a zone of %zu MiB", s->socket_id,
				bytes >> 20);
		/* single writer (grow lock); read relaxed by statistics */
		FASTMEM_STORE(&s->backing, s->backing - bytes);
		FASTMEM_STORE(&s->trimmed, s->trimmed + bytes);
		s->contig_fail = 0; /* EAL may have contiguous memory again */
		released += bytes;
		(*n)++;
	}
	return released;
}

/*
 * Trim a socket (trim_zones()). Called with no lock held; takes the grow lock, or with
 * try set only tries it, and does nothing when another thread holds it (automatic trim
 * from a free). Returns the bytes released; *n_zones, when not NULL, receives the number
 * of zones.
 */
size_t
fastmem_zone_trim(struct fastmem_state *st, struct fastmem_socket *s, size_t keep_free,
		bool try, unsigned int *n_zones)
{
	size_t released = 0;
	unsigned int n = 0;

	if (!try) {
		rte_spinlock_lock(&s->grow_lock);
		released = trim_zones(st, s, keep_free, &n);
		rte_spinlock_unlock(&s->grow_lock);
	} else if (rte_spinlock_trylock(&s->grow_lock)) {
		released = trim_zones(st, s, keep_free, &n);
		rte_spinlock_unlock(&s->grow_lock);
	}
	if (n_zones != NULL)
		*n_zones = n;
	return released;
}

/* Deinit and fastmem_reset(): give every zone of the socket back to EAL (or park it),
 * whatever it holds. */
void
fastmem_zone_teardown(struct fastmem_state *st, struct fastmem_socket *s)
{
	struct fastmem_slab *zone;

	rte_spinlock_lock(&s->grow_lock);
	while ((zone = s->zones) != NULL) {
		s->zones = zone->zone_next;
		map_set(st, zone, zone_bytes(zone), 0);
		zone_give_back(zone);
	}
	rte_spinlock_unlock(&s->grow_lock);
}

/* True when every slab of every zone of the socket is in its pool: no object is out. */
bool
fastmem_zone_idle(struct fastmem_socket *s)
{
	const struct fastmem_slab *zone;
	uint64_t slabs = 0;
	bool idle;

	rte_spinlock_lock(&s->grow_lock);
	for (zone = s->zones; zone != NULL; zone = zone->zone_next)
		slabs += zone->zone_slabs;
	rte_spinlock_lock(&s->pool_lock);
	idle = s->pool_count == slabs;
	rte_spinlock_unlock(&s->pool_lock);
	rte_spinlock_unlock(&s->grow_lock);
	return idle;
}

/* IOVA of an address in a zone that is not IOVA-contiguous: look up its page. */
static rte_iova_t
iova_slow(const void *ptr)
{
	struct rte_memseg_list *msl = rte_mem_virt2memseg_list(ptr);
	struct rte_memseg *ms;

	if (msl == NULL)
		return RTE_BAD_IOVA;
	if (!msl->external && rte_eal_iova_mode() == RTE_IOVA_VA)
		return (uintptr_t)ptr;
	ms = rte_mem_virt2memseg(ptr, msl);
	if (ms == NULL || ms->iova == RTE_BAD_IOVA)
		return RTE_BAD_IOVA;
	return ms->iova + RTE_PTR_DIFF(ptr, ms->addr);
}

/* IOVA of an address in an object: from its slab's header, or its page in a zone that is
 * not IOVA-contiguous. */
rte_iova_t
fastmem_zone_iova(const void *ptr)
{
	const struct fastmem_slab *slab = FASTMEM_SLAB_OF(ptr);

	if (unlikely(slab->iova_slow))
		return iova_slow(ptr);
	if (slab->iova == RTE_BAD_IOVA)
		return RTE_BAD_IOVA;
	return slab->iova + RTE_PTR_DIFF(ptr, slab);
}
