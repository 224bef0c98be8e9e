/* SPDX-License-Identifier: BSD-3-Clause
 * Copyright(c) 2026 The dpdk-lcoremem authors
 */

/*
 * Lifecycle and sockets: rte_fastmem_init() and rte_fastmem_deinit(), the socket table
 * (NUMA sockets and external heaps, socket ids to slots), and the calls that act on a
 * socket as a whole (reservation, limits, trim), which resolve the socket here and hand
 * the work to the zone layer.
 *
 * Owns: the shared state (struct fastmem_state, in an EAL memzone) and its publication,
 * the socket table, the default limit and trim threshold of sockets set up later.
 * Locks: the lifecycle lock serializes init and deinit (and telemetry queries, which may
 * overlap them); the state lock guards the socket table's growth and the defaults, and
 * nests outside every socket's locks.
 * Calls: down to every layer: the caches (layout, setup, teardown), the bins (transfer
 * caches), the zones.
 */

#include <errno.h>
#include <inttypes.h>
#include <limits.h>
#include <stdint.h>
#include <string.h>

#include <rte_common.h>
#include <rte_eal.h>
#include <rte_errno.h>
#include <rte_lcore.h>
#include <rte_malloc.h>
#include <rte_memzone.h>
#include <rte_spinlock.h>

#include <eal_export.h>

#include "fastmem_priv.h"

RTE_LOG_REGISTER(fastmem_logtype, lib.fastmem, INFO);

struct fastmem_state *fastmem_state_ptr;

/* Serializes init and deinit within the process (fastmem_priv.h). */
rte_spinlock_t fastmem_lifecycle = RTE_SPINLOCK_INITIALIZER;

#define FASTMEM_STATE_MZ "fastmem_state"

/* --- sockets --- */

/* Fill slot sidx; the caller publishes it by raising n_sockets. */
static void
socket_setup(struct fastmem_state *st, unsigned int sidx, int socket_id, bool external)
{
	struct fastmem_socket *s = &st->sockets[sidx];
	unsigned int c;

	memset(s, 0, sizeof(*s));
	s->sidx = sidx;
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

/* The slot of a socket id, setting up a slot for an external heap on first sight.
 * Returns the slot or -EINVAL. */
int
fastmem_socket_lookup(struct fastmem_state *st, int socket_id)
{
	unsigned int n, i;
	int ret = -EINVAL;

	if (socket_id == SOCKET_ID_ANY) {
		unsigned int sidx = fastmem_local_sidx(st);

		/* the inline paths take the lcore's own socket for SOCKET_ID_ANY: make it the
		 * thread's socket of now, if the thread moved to another since */
		fastmem_lcore_home(sidx);
		return (int)sidx;
	}
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

/* --- lifecycle --- */

RTE_EXPORT_EXPERIMENTAL_SYMBOL(__rte_fastmem_init, 26.03)
int
__rte_fastmem_init(uint32_t layout)
{
	const struct rte_memzone *mz;
	struct fastmem_state *st;
	unsigned int i, n;
	int ret;

	/* EAL counts at least its main lcore once rte_eal_init() has run */
	if (rte_lcore_count() == 0) {
		FASTMEM_LOG(ERR, "called before rte_eal_init(): EAL is not initialized");
		rte_errno = E_RTE_NO_CONFIG;
		return -E_RTE_NO_CONFIG;
	}
	if (layout != RTE_FASTMEM_LAYOUT) {
		const char *dbg = " with debug checks";

		FASTMEM_LOG(ERR, "the application was built for fastmem layout %" PRIu32 "%s, this"
			" library has layout %u%s: rebuild it against this library's headers",
			layout & ~RTE_FASTMEM_LAYOUT_DEBUG,
			(layout & RTE_FASTMEM_LAYOUT_DEBUG) != 0 ? dbg : "",
			RTE_FASTMEM_LAYOUT_VERSION,
			(RTE_FASTMEM_LAYOUT & RTE_FASTMEM_LAYOUT_DEBUG) != 0 ? dbg : "");
		rte_errno = EPROTO;
		return -EPROTO;
	}
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
	ret = fastmem_cache_layout();
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
	st->cache_budget = RTE_FASTMEM_CACHE_BUDGET_DEFAULT;
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
	for (sidx = 0; sidx < st->n_sockets; sidx++)
		fastmem_zone_teardown(st, &st->sockets[sidx]);
	fastmem_zone_map_free(st);

	/* Phase 3: the state. */
	rte_memzone_free(st->mz);
	rte_spinlock_unlock(&fastmem_lifecycle);
}

/*
 * Test support (the fuzz target): bring fastmem back to the state rte_fastmem_init()
 * leaves, without a deinit and an init. Every lcore's caches and every transfer cache are
 * emptied into the slabs; then, when no object is out any more, the caches are forgotten
 * and set up anew, every zone goes back to EAL or, when the test lets it
 * (fastmem_park_set()), to the park for growth to reuse, and every socket starts over: no
 * backing memory, no reservation, no limit, no trim threshold, counters at 0. Returns 0,
 * -ENODEV (not initialized), or -EBUSY when an object is still out (nothing is reset then:
 * the objects stay valid).
 *
 * Not MT-safe, as deinit: no other thread may use fastmem meanwhile.
 */
int
fastmem_reset(void)
{
	struct fastmem_state *st;
	unsigned int lcore_id, sidx;
	int ret = 0;

	rte_spinlock_lock(&fastmem_lifecycle);
	st = fastmem_state();
	if (st == NULL) {
		ret = -ENODEV;
		goto out;
	}
	FASTMEM_FOREACH_USED_LCORE(lcore_id)
		fastmem_lcore_flush(st, lcore_id, FASTMEM_SIDX_NONE);
	for (sidx = 0; sidx < st->n_sockets; sidx++) {
		fastmem_xfer_flush(st, sidx);
		if (!fastmem_zone_idle(&st->sockets[sidx])) {
			FASTMEM_LOG(DEBUG, "socket %d: objects are still out",
					st->sockets[sidx].socket_id);
			ret = -EBUSY;
		}
	}
	if (ret < 0)
		goto out;
	fastmem_lcore_teardown();
	fastmem_xfer_teardown(st);
	st->default_limit = SIZE_MAX;
	st->default_trim_threshold = SIZE_MAX;
	st->cache_budget = RTE_FASTMEM_CACHE_BUDGET_DEFAULT;
	for (sidx = 0; sidx < st->n_sockets; sidx++) {
		struct fastmem_socket *s = &st->sockets[sidx];
		uint32_t seq = s->zone_seq; /* memzone names stay unique */

		fastmem_zone_teardown(st, s);
		socket_setup(st, sidx, s->socket_id, s->external);
		s->zone_seq = seq;
	}
	ret = fastmem_lcore_setup();
out:
	rte_spinlock_unlock(&fastmem_lifecycle);
	return ret;
}

/* --- calls on a socket as a whole --- */

RTE_EXPORT_EXPERIMENTAL_SYMBOL(rte_fastmem_reserve, 26.03)
int
rte_fastmem_reserve(size_t size, int socket_id)
{
	struct fastmem_state *st = fastmem_state();
	int sidx, ret;

	if (st == NULL) {
		FASTMEM_LOG(DEBUG, "not initialized");
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
	if (size > SIZE_MAX - FASTMEM_SLAB_SIZE) {
		FASTMEM_LOG(DEBUG, "%zu B is beyond any limit", size);
		ret = -ENOMEM;
		goto err;
	}
	ret = fastmem_zone_reserve(st, &st->sockets[sidx], size);
	if (ret == 0)
		return 0;
err:
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
	for (; i < n; i++)
		fastmem_zone_set_limit(&st->sockets[i], max_bytes);
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
	/* the caller's caches shrink to their starting capacity first: what they give back
	 * may complete free zones, which this trim releases and counts (no automatic trim in
	 * between) */
	if (rte_lcore_id() < RTE_MAX_LCORE) {
		fastmem_bin_auto_trim_hold(true);
		fastmem_lcore_shrink(st, rte_lcore_id());
		fastmem_bin_auto_trim_hold(false);
	}
	socket_slots(st, sidx, &i, &n);
	for (; i < n; i++) {
		unsigned int z;

		total += fastmem_zone_trim(st, &st->sockets[i], 0, false, &z);
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
			fastmem_zone_trim(st, &st->sockets[sidx], bytes, false, NULL);
	return 0;
}

RTE_EXPORT_EXPERIMENTAL_SYMBOL(rte_fastmem_set_cache_budget, 26.03)
int
rte_fastmem_set_cache_budget(size_t bytes)
{
	struct fastmem_state *st = fastmem_state();

	if (st == NULL) {
		FASTMEM_LOG(DEBUG, "not initialized");
		rte_errno = ENODEV;
		return -ENODEV;
	}
	/* each lcore applies it at its next growth (rte_fastmem.h says when caches that
	 * grew beyond it come down) */
	FASTMEM_STORE(&st->cache_budget, bytes);
	return 0;
}

RTE_EXPORT_EXPERIMENTAL_SYMBOL(rte_fastmem_get_cache_budget, 26.03)
size_t
rte_fastmem_get_cache_budget(void)
{
	struct fastmem_state *st = fastmem_state();

	if (st == NULL) {
		FASTMEM_LOG(DEBUG, "not initialized");
		rte_errno = ENODEV;
		return 0;
	}
	return FASTMEM_LOAD(&st->cache_budget);
}
