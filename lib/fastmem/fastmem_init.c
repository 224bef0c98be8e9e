/* SPDX-License-Identifier: BSD-3-Clause
 * Copyright(c) 2026 The dpdk-lcoremem authors
 */

/*
 * Lifecycle (init, deinit), the socket table (NUMA sockets and external heaps), limits
 * and backing memory (zones).
 */

#include <errno.h>
#include <inttypes.h>
#include <limits.h>
#include <stdint.h>
#include <stdio.h>
#include <string.h>

#include <rte_common.h>
#include <rte_eal.h>
#include <rte_errno.h>
#include <rte_lcore.h>
#include <rte_malloc.h>
#include <rte_memory.h>
#include <rte_memzone.h>
#include <rte_spinlock.h>

#include <eal_export.h>

#include "fastmem_debug.h"
#include "fastmem_priv.h"

RTE_LOG_REGISTER(fastmem_logtype, lib.fastmem, INFO);

struct fastmem_state *fastmem_state_ptr;
struct fastmem_layout fastmem_layout;

/* Serializes init and deinit within the process (fastmem_priv.h). */
rte_spinlock_t fastmem_lifecycle = RTE_SPINLOCK_INITIALIZER;

#define FASTMEM_STATE_MZ "fastmem_state"

/* --- layout of the caches, from the class table --- */

#define FASTMEM_X_SIZE(size, cap) size,
#define FASTMEM_X_CAP(size, cap) cap,

static const size_t class_sizes[] = { RTE_FASTMEM_CLASS_TABLE(FASTMEM_X_SIZE) };
static const uint32_t class_caps[] = { RTE_FASTMEM_CLASS_TABLE(FASTMEM_X_CAP) };

static_assert(RTE_DIM(class_sizes) == RTE_FASTMEM_NUM_CLASSES, "class table size");
static_assert(RTE_FASTMEM_NUM_CLASSES <= RTE_FASTMEM_MAX_CLASSES, "too many classes");
static_assert(sizeof(struct rte_fastmem_cache) == RTE_CACHE_LINE_SIZE, "cache header");

static int
layout_init(void)
{
	struct fastmem_layout *l = &fastmem_layout;
	size_t off = sizeof(struct fastmem_cset);
	size_t hdr;
	unsigned int c;

	if (l->cset_size != 0)
		return 0;
	for (c = 0; c < RTE_FASTMEM_NUM_CLASSES; c++) {
		size_t size = class_sizes[c];

		/* the table and rte_fastmem_class_of() must agree */
		if (!rte_is_power_of_2(size) || size > RTE_FASTMEM_MAX_CLASS_SIZE ||
				rte_fastmem_class_of(size) != c ||
				(c > 0 && rte_fastmem_class_of(class_sizes[c - 1] + 1) != c) ||
				class_caps[c] == 0 ||
				class_caps[c] * size > RTE_FASTMEM_CACHE_BYTES_MAX) {
			FASTMEM_LOG(ERR, "class table entry %u (%zu B) is inconsistent", c, size);
			return -EINVAL;
		}
		l->class_size[c] = size;
		l->cache_cap[c] = class_caps[c];
		l->cache_off[c] = off;
		off += RTE_ALIGN_CEIL(sizeof(struct rte_fastmem_cache) +
				(size_t)class_caps[c] * sizeof(void *), RTE_CACHE_LINE_SIZE);
	}
	l->cset_size = off;
	hdr = RTE_ALIGN_CEIL(sizeof(struct fastmem_lcore), RTE_CACHE_LINE_SIZE);
	if (hdr + l->cset_size <= RTE_MAX_LCORE_VAR) {
		l->embed_off = hdr;
		l->lcore_size = hdr + l->cset_size;
	} else {
		l->embed_off = 0; /* every cache set is allocated on first use */
		l->lcore_size = hdr;
	}
	return 0;
}

/* --- sockets --- */

/* Fill slot sidx; the caller publishes it by raising n_sockets. */
static void
socket_setup(struct fastmem_state *st, unsigned int sidx, int socket_id, bool external)
{
	struct fastmem_socket *s = &st->sockets[sidx];
	unsigned int c;

	memset(s, 0, sizeof(*s));
	s->socket_id = socket_id;
	s->external = external;
	s->limit = st->default_limit;
	s->trim_threshold = st->default_trim_threshold;
	rte_spinlock_init(&s->grow_lock);
	rte_spinlock_init(&s->pool_lock);
	for (c = 0; c < FASTMEM_NUM_CLASSES; c++) {
		rte_spinlock_init(&s->bins[c].lock);
		s->bins[c].cls = (uint16_t)c;
	}
}

/* The slot of the calling thread's socket; slot 0 when it has none. Never fails. */
int
fastmem_local_sidx(struct fastmem_state *st)
{
	int socket_id = (int)rte_socket_id();

	if (socket_id >= 0 && socket_id < RTE_MAX_NUMA_NODES && st->numa_sidx[socket_id] >= 0)
		return st->numa_sidx[socket_id];
	return 0; /* slot 0 always exists: see rte_fastmem_init() */
}

/* The slot of a socket id, setting up a slot for an external heap on first sight.
 * Returns the slot or -EINVAL. */
int
fastmem_socket_lookup(struct fastmem_state *st, int socket_id)
{
	unsigned int n, i;
	int ret = -EINVAL;

	if (socket_id == SOCKET_ID_ANY)
		return fastmem_local_sidx(st);
	if (socket_id >= 0 && socket_id < RTE_MAX_NUMA_NODES)
		return st->numa_sidx[socket_id] >= 0 ? st->numa_sidx[socket_id] : -EINVAL;

	/* pairs with the release store below */
	n = __atomic_load_n(&st->n_sockets, __ATOMIC_ACQUIRE);
	for (i = st->n_numa; i < n; i++)
		if (st->sockets[i].socket_id == socket_id)
			return (int)i;
	if (socket_id < 0 || rte_malloc_heap_socket_is_external(socket_id) != 1)
		return -EINVAL;

	rte_spinlock_lock(&st->lock);
	n = st->n_sockets;
	for (i = st->n_numa; i < n; i++)
		if (st->sockets[i].socket_id == socket_id)
			break;
	if (i < n) {
		ret = (int)i;
	} else if (n < FASTMEM_MAX_SOCKETS) {
		socket_setup(st, n, socket_id, true);
		/* publish the slot; pairs with the acquire loads of n_sockets */
		__atomic_store_n(&st->n_sockets, n + 1, __ATOMIC_RELEASE);
		ret = (int)n;
	} else {
		FASTMEM_LOG(DEBUG, "no slot left for heap socket %d", socket_id);
	}
	rte_spinlock_unlock(&st->lock);
	return ret;
}

/* --- backing memory --- */

static size_t
limit_floor(size_t limit)
{
	return RTE_ALIGN_FLOOR(limit, FASTMEM_SLAB_SIZE);
}

/* Reserve one zone of exactly size bytes; 0 or -ENOMEM. */
static int
zone_reserve(struct fastmem_socket *s, unsigned int sidx, size_t size, bool contig)
	__rte_requires_capability(&s->grow_lock)
{
	char name[RTE_MEMZONE_NAMESIZE];
	const struct rte_memzone *mz;

	FASTMEM_LOCK_ASSERT(&s->grow_lock);
	snprintf(name, sizeof(name), "fastmem_%u_%u", sidx, s->zone_seq++);
	mz = rte_memzone_reserve_aligned(name, size, s->socket_id,
			contig ? RTE_MEMZONE_IOVA_CONTIG : 0, FASTMEM_SLAB_SIZE);
	if (mz == NULL)
		return -ENOMEM;
	if (((uintptr_t)mz->addr & (FASTMEM_SLAB_SIZE - 1)) != 0 || mz->len < size) {
		FASTMEM_LOG(ERR, "memzone %s is not %zu B aligned", name, FASTMEM_SLAB_SIZE);
		rte_memzone_free(mz);
		return -ENOMEM;
	}
	fastmem_slab_cut(s, sidx, mz, (unsigned int)(size / FASTMEM_SLAB_SIZE), !contig);
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
	unsigned int sidx = (unsigned int)(s - st->sockets);
	int contig;

	for (contig = 1; contig >= 0; contig--) {
		size_t sz = size;

		while (sz >= FASTMEM_SLAB_SIZE) {
			if (zone_reserve(s, sidx, sz, contig) == 0)
				return sz;
			sz = RTE_ALIGN_FLOOR(sz / 2, FASTMEM_SLAB_SIZE);
		}
	}
	return 0;
}

/*
 * Grow the socket by one zone, unless its pool has slabs already (another thread grew it,
 * or a slab was freed). 0 when the pool has slabs afterwards, -ENOMEM when the limit or
 * EAL allows nothing more.
 */
int
fastmem_grow(struct fastmem_state *st, struct fastmem_socket *s)
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
	if (zone_add(st, s, RTE_MIN(avail, FASTMEM_ZONE_SIZE)) == 0) {
		FASTMEM_LOG(DEBUG, "socket %d: EAL has no memory for a slab", s->socket_id);
		ret = -ENOMEM;
	}
out:
	rte_spinlock_unlock(&s->grow_lock);
	return ret;
}

/*
 * Give back to EAL the socket's zones whose slabs are all in the pool, newest first, as
 * long as the socket keeps the bytes of rte_fastmem_reserve() and the pool keeps
 * keep_free bytes. Takes (per zone) the pool lock, and frees the memzones with the grow
 * lock held, so that growth, reservation and limit changes see backing and the zone list
 * change together. Returns the bytes released and adds the zones to *n.
 */
static size_t
trim_zones(struct fastmem_socket *s, size_t keep_free, unsigned int *n)
	__rte_requires_capability(&s->grow_lock)
{
	struct fastmem_slab **prevp = &s->zones, *zone;
	size_t released = 0;

	while ((zone = *prevp) != NULL) {
		const struct rte_memzone *mz = zone->mz;
		unsigned int n_slabs = zone->zone_slabs;
		unsigned int sidx = zone->sidx;
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
		fastmem_dbg_zone_release(zone);
		if (rte_memzone_free(mz) != 0) {
			/* cannot happen to a memzone fastmem reserved; keep the zone in use */
			FASTMEM_LOG(ERR, "cannot free memzone %s, keeping it", mz->name);
			fastmem_slab_cut(s, sidx, mz, n_slabs, iova_slow);
			break;
		}
		FASTMEM_LOG(DEBUG, "socket %d: released a zone of %zu MiB", s->socket_id,
				bytes >> 20);
		/* single writer (grow lock); read relaxed by statistics */
		FASTMEM_STORE(&s->backing, s->backing - bytes);
		FASTMEM_STORE(&s->trimmed, s->trimmed + bytes);
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
fastmem_trim_socket(struct fastmem_socket *s, size_t keep_free, bool try,
		unsigned int *n_zones)
{
	size_t released = 0;
	unsigned int n = 0;

	if (!try) {
		rte_spinlock_lock(&s->grow_lock);
		released = trim_zones(s, keep_free, &n);
		rte_spinlock_unlock(&s->grow_lock);
	} else if (rte_spinlock_trylock(&s->grow_lock)) {
		released = trim_zones(s, keep_free, &n);
		rte_spinlock_unlock(&s->grow_lock);
	}
	if (n_zones != NULL)
		*n_zones = n;
	return released;
}

/* IOVA of an address in a zone that is not IOVA-contiguous: look up its page. */
rte_iova_t
fastmem_iova_slow(const void *ptr)
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

/* --- public: lifecycle --- */

RTE_EXPORT_EXPERIMENTAL_SYMBOL(rte_fastmem_init, 26.03)
int
rte_fastmem_init(void)
{
	const struct rte_memzone *mz;
	struct fastmem_state *st;
	unsigned int i, n;
	int ret;

	if (rte_eal_process_type() != RTE_PROC_PRIMARY) {
		FASTMEM_LOG(DEBUG, "not supported in a secondary process");
		rte_errno = ENOTSUP;
		return -ENOTSUP;
	}
	rte_spinlock_lock(&fastmem_lifecycle);
	if (fastmem_state() != NULL) {
		FASTMEM_LOG(DEBUG, "already initialized");
		ret = -EBUSY;
		goto out;
	}
	ret = layout_init();
	if (ret < 0)
		goto out;
	mz = rte_memzone_reserve_aligned(FASTMEM_STATE_MZ, sizeof(*st), SOCKET_ID_ANY, 0,
			RTE_CACHE_LINE_SIZE);
	if (mz == NULL) {
		FASTMEM_LOG(DEBUG, "no memory for the state: %s", rte_strerror(rte_errno));
		ret = -ENOMEM;
		goto out;
	}
	st = mz->addr;
	memset(st, 0, sizeof(*st));
	st->mz = mz;
	rte_spinlock_init(&st->lock);
	rte_spinlock_init(&st->stats_lock);
	st->default_limit = SIZE_MAX;
	st->default_trim_threshold = SIZE_MAX;
	for (i = 0; i < RTE_MAX_NUMA_NODES; i++)
		st->numa_sidx[i] = -1;
	n = 0;
	for (i = 0; i < rte_socket_count() && n < FASTMEM_MAX_SOCKETS; i++) {
		int socket_id = rte_socket_id_by_idx(i);

		if (socket_id < 0 || socket_id >= RTE_MAX_NUMA_NODES)
			continue; /* defensive: EAL never reports such a NUMA socket */
		socket_setup(st, n, socket_id, false);
		st->numa_sidx[socket_id] = (int16_t)n;
		n++;
	}
	if (n == 0) {
		/* defensive: slot 0 must exist, every fallback lands there */
		socket_setup(st, 0, 0, false);
		st->numa_sidx[0] = 0;
		n = 1;
	}
	st->n_numa = n;
	st->n_sockets = n;

	ret = fastmem_lcore_setup();
	if (ret < 0) {
		rte_memzone_free(mz);
		goto out;
	}
	/* publish; pairs with the acquire load in fastmem_state() */
	__atomic_store_n(&fastmem_state_ptr, st, __ATOMIC_RELEASE);
	ret = 0;
out:
	rte_spinlock_unlock(&fastmem_lifecycle);
	if (ret < 0)
		rte_errno = -ret;
	return ret;
}

RTE_EXPORT_EXPERIMENTAL_SYMBOL(rte_fastmem_deinit, 26.03)
void
rte_fastmem_deinit(void)
{
	struct fastmem_state *st;
	unsigned int sidx;

	rte_spinlock_lock(&fastmem_lifecycle);
	st = fastmem_state();
	if (st == NULL) {
		rte_spinlock_unlock(&fastmem_lifecycle);
		return;
	}
	/* From here on every call sees "not initialized". */
	__atomic_store_n(&fastmem_state_ptr, NULL, __ATOMIC_RELEASE);

	/* Phase 1: every lcore's caches, of every socket, and the transfer caches of the
	 * bins. No cache lives in a zone. */
	fastmem_lcore_teardown();
	fastmem_xfer_teardown(st);

	/* Phase 2: every zone of every socket. */
	for (sidx = 0; sidx < st->n_sockets; sidx++) {
		struct fastmem_slab *zone = st->sockets[sidx].zones;

		while (zone != NULL) {
			struct fastmem_slab *next = zone->zone_next;
			const struct rte_memzone *mz = zone->mz;

			fastmem_dbg_zone_release(zone);
			if (rte_memzone_free(mz) != 0)
				FASTMEM_LOG(ERR, "cannot free memzone %s", mz->name);
			zone = next;
		}
	}

	/* Phase 3: the state. */
	rte_memzone_free(st->mz);
	rte_spinlock_unlock(&fastmem_lifecycle);
}

/* --- public: limits and reservation --- */

RTE_EXPORT_EXPERIMENTAL_SYMBOL(rte_fastmem_reserve, 26.03)
int
rte_fastmem_reserve(size_t size, int socket_id)
{
	struct fastmem_state *st = fastmem_state();
	struct fastmem_socket *s;
	size_t bytes, want, limit;
	int sidx, ret = 0;

	if (st == NULL) {
		ret = -ENODEV;
		goto err;
	}
	if (size == 0) {
		FASTMEM_LOG(DEBUG, "size 0");
		ret = -EINVAL;
		goto err;
	}
	sidx = fastmem_socket_lookup(st, socket_id);
	if (sidx < 0) {
		FASTMEM_LOG(DEBUG, "unknown socket %d", socket_id);
		ret = sidx;
		goto err;
	}
	s = &st->sockets[sidx];
	if (size > SIZE_MAX - FASTMEM_SLAB_SIZE) {
		FASTMEM_LOG(DEBUG, "%zu B is beyond any limit", size);
		ret = -ENOMEM;
		goto err;
	}
	want = RTE_ALIGN_CEIL(size, FASTMEM_SLAB_SIZE);

	rte_spinlock_lock(&s->grow_lock);
	/* the reservation reaches want bytes in total: only what is missing is added */
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
	if (ret == 0)
		return 0;
err:
	if (ret == -ENODEV)
		FASTMEM_LOG(DEBUG, "not initialized");
	rte_errno = -ret;
	return ret;
}

/*
 * Check the socket argument of a socket-wide call (limits, trim): the slot of @p socket_id,
 * or FASTMEM_ALL_SLOTS for SOCKET_ID_ANY. When fastmem is not initialized or the socket is
 * unknown, logs, sets rte_errno and returns the negative errno.
 */
#define FASTMEM_ALL_SLOTS INT_MAX

static int
socket_arg(struct fastmem_state *st, int socket_id)
{
	int sidx;

	if (st == NULL) {
		FASTMEM_LOG(DEBUG, "not initialized");
		rte_errno = ENODEV;
		return -ENODEV;
	}
	if (socket_id == SOCKET_ID_ANY)
		return FASTMEM_ALL_SLOTS;
	sidx = fastmem_socket_lookup(st, socket_id);
	if (sidx < 0) {
		FASTMEM_LOG(DEBUG, "unknown socket %d", socket_id);
		rte_errno = EINVAL;
		return -EINVAL;
	}
	return sidx;
}

/*
 * The slots [*first, *end) that the result of socket_arg() names. For FASTMEM_ALL_SLOTS,
 * the slots in use now; call it with the state lock held when sockets set up later must
 * get a default that the caller stores under that lock.
 */
static void
socket_slots(struct fastmem_state *st, int slot, unsigned int *first, unsigned int *end)
{
	if (slot == FASTMEM_ALL_SLOTS) {
		*first = 0;
		/* pairs with the release store of n_sockets in fastmem_socket_lookup() */
		*end = __atomic_load_n(&st->n_sockets, __ATOMIC_ACQUIRE);
	} else {
		*first = (unsigned int)slot;
		*end = *first + 1;
	}
}

RTE_EXPORT_EXPERIMENTAL_SYMBOL(rte_fastmem_set_limit, 26.03)
int
rte_fastmem_set_limit(int socket_id, size_t max_bytes)
{
	struct fastmem_state *st = fastmem_state();
	unsigned int i, n;
	int sidx;

	sidx = socket_arg(st, socket_id);
	if (sidx < 0)
		return sidx;
	rte_spinlock_lock(&st->lock);
	socket_slots(st, sidx, &i, &n);
	/* under each grow lock: a growth in progress finishes under the old limit, the next
	 * one sees the new (even one below what the socket holds: it only stops growth) */
	for (sidx = (int)i; sidx < (int)n; sidx++) {
		struct fastmem_socket *s = &st->sockets[sidx];

		rte_spinlock_lock(&s->grow_lock);
		if (s->backing > limit_floor(max_bytes))
			FASTMEM_LOG(DEBUG, "socket %d holds %zu B, above its new limit of %zu B:"
					" it grows no more", s->socket_id, s->backing, max_bytes);
		FASTMEM_STORE(&s->limit, max_bytes);
		rte_spinlock_unlock(&s->grow_lock);
	}
	if (socket_id == SOCKET_ID_ANY)
		st->default_limit = max_bytes;
	rte_spinlock_unlock(&st->lock);
	return 0;
}

RTE_EXPORT_EXPERIMENTAL_SYMBOL(rte_fastmem_get_limit, 26.03)
size_t
rte_fastmem_get_limit(int socket_id)
{
	struct fastmem_state *st = fastmem_state();
	size_t limit;
	int sidx;

	sidx = socket_arg(st, socket_id);
	if (sidx < 0)
		return 0;
	if (sidx == FASTMEM_ALL_SLOTS) {
		rte_spinlock_lock(&st->lock);
		limit = st->default_limit;
		rte_spinlock_unlock(&st->lock);
		return limit;
	}
	return FASTMEM_LOAD(&st->sockets[sidx].limit);
}

/* --- public: giving memory back --- */

RTE_EXPORT_EXPERIMENTAL_SYMBOL(rte_fastmem_trim, 26.03)
int
rte_fastmem_trim(int socket_id, size_t *released)
{
	struct fastmem_state *st = fastmem_state();
	size_t total = 0;
	unsigned int i, n, zones = 0;
	int sidx;

	sidx = socket_arg(st, socket_id);
	if (sidx < 0)
		return sidx;
	socket_slots(st, sidx, &i, &n);
	for (; i < n; i++) {
		unsigned int z;

		total += fastmem_trim_socket(&st->sockets[i], 0, false, &z);
		zones += z;
		fastmem_xfer_release(st, i);
	}
	if (released != NULL)
		*released = total;
	return (int)RTE_MIN(zones, (unsigned int)INT_MAX);
}

RTE_EXPORT_EXPERIMENTAL_SYMBOL(rte_fastmem_set_trim_threshold, 26.03)
int
rte_fastmem_set_trim_threshold(int socket_id, size_t bytes)
{
	struct fastmem_state *st = fastmem_state();
	unsigned int i, n;
	int sidx;

	sidx = socket_arg(st, socket_id);
	if (sidx < 0)
		return sidx;
	rte_spinlock_lock(&st->lock);
	socket_slots(st, sidx, &i, &n);
	if (socket_id == SOCKET_ID_ANY)
		st->default_trim_threshold = bytes;
	for (sidx = (int)i; sidx < (int)n; sidx++)
		FASTMEM_STORE(&st->sockets[sidx].trim_threshold, bytes);
	rte_spinlock_unlock(&st->lock);
	/* what is free beyond the new threshold goes now, not at the next free */
	if (bytes != SIZE_MAX)
		for (sidx = (int)i; sidx < (int)n; sidx++)
			fastmem_trim_socket(&st->sockets[sidx], bytes, false, NULL);
	return 0;
}
