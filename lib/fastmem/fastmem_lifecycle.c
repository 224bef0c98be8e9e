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
 * in the primary, or the attach to it, in a secondary; the socket table, the default limit
 * and trim threshold of sockets set up later; the records of the process table (which
 * process is attached, found dead, reclaimed; the cache layer keeps their cache-set
 * lists).
 * Locks: the lifecycle lock serializes init and deinit (and telemetry queries, which may
 * overlap them); the state lock guards the socket table's growth and the defaults, and
 * nests outside every socket's locks.
 * Calls: down to every layer: the caches (layout, setup, teardown), the bins (transfer
 * caches), the zones.
 */

/* F_OFD_SETLK */
#ifndef _GNU_SOURCE
#define _GNU_SOURCE
#endif
#include <errno.h>
#include <fcntl.h>
#include <inttypes.h>
#include <limits.h>
#include <stdint.h>
#include <stdio.h>
#include <string.h>
#include <unistd.h>

#include <rte_common.h>
#include <rte_eal.h>
#include <rte_errno.h>
#include <rte_lcore.h>
#include <rte_malloc.h>
#include <rte_memzone.h>
#include <rte_spinlock.h>

#include <eal_export.h>

#include "fastmem_debug.h"
#include "fastmem_priv.h"

RTE_LOG_REGISTER(fastmem_logtype, lib.fastmem, INFO);

struct fastmem_state *fastmem_state_ptr;

/* Serializes init and deinit within the process (fastmem_priv.h). */
rte_spinlock_t fastmem_lifecycle = RTE_SPINLOCK_INITIALIZER;

#define FASTMEM_STATE_MZ "fastmem_state"

/* This process's record in the process table, while it is attached. */
static struct fastmem_proc *proc_self;

/* --- processes --- */

/*
 * The lock file of the process table (struct fastmem_proc, "Liveness"): this process's
 * open file description of it, -1 until the first attach, kept open for the life of the
 * process (closing it would drop the lock of the process's record).
 */
static int proc_lock_fd = -1;

#define FASTMEM_PROC_LOCK_FILE "fastmem_procs"

static int
proc_lock_open(void)
{
	char path[PATH_MAX];

	if (proc_lock_fd >= 0)
		return 0;
	snprintf(path, sizeof(path), "%s/" FASTMEM_PROC_LOCK_FILE, rte_eal_get_runtime_dir());
	proc_lock_fd = open(path, O_RDWR | O_CREAT | O_CLOEXEC, 0600);
	return proc_lock_fd >= 0 ? 0 : -errno;
}

/* Write-lock record i's byte, without waiting: true when taken, i.e. no other process
 * (alive) holds it. */
static bool
proc_lock_try(unsigned int i)
{
	struct flock fl = { .l_type = F_WRLCK, .l_whence = SEEK_SET, .l_start = i, .l_len = 1 };

	return fcntl(proc_lock_fd, F_OFD_SETLK, &fl) == 0;
}

static void
proc_lock_drop(unsigned int i)
{
	struct flock fl = { .l_type = F_UNLCK, .l_whence = SEEK_SET, .l_start = i, .l_len = 1 };

	fcntl(proc_lock_fd, F_OFD_SETLK, &fl);
}

/*
 * Take a free record of the process table for the calling process, and its lock: 0,
 * -ENOSPC, or the error of opening the lock file (a secondary; a primary without one, in
 * a mode where secondaries cannot exist, attaches unlocked).
 */
static int
proc_attach(struct fastmem_state *st, bool primary)
{
	int lock = proc_lock_open();
	unsigned int i;

	if (lock < 0 && !primary) {
		FASTMEM_LOG(ERR, "cannot open the process table's lock file in %s: %s",
			rte_eal_get_runtime_dir(), rte_strerror(-lock));
		return lock;
	}
	rte_spinlock_lock(&st->stats_lock);
	for (i = primary ? 0 : 1; i < FASTMEM_MAX_PROCS; i++)
		/* a free record whose reclaimer is done (it drops the lock last) */
		if (st->procs[i].where == FASTMEM_PROC_FREE && (lock < 0 || proc_lock_try(i)))
			break;
	if (i < FASTMEM_MAX_PROCS) {
		struct fastmem_proc *p = &st->procs[i];

		memset(p, 0, sizeof(*p));
		p->pid = (int32_t)getpid();
		p->type = (uint32_t)rte_eal_process_type();
		p->locked = lock == 0;
		p->where = FASTMEM_PROC_ATTACHED;
		proc_self = p;
	}
	rte_spinlock_unlock(&st->stats_lock);
	return i < FASTMEM_MAX_PROCS ? 0 : -ENOSPC;
}

static void
proc_detach(struct fastmem_state *st)
{
	bool locked;

	rte_spinlock_lock(&st->stats_lock);
	locked = proc_self->locked;
	proc_self->where = FASTMEM_PROC_FREE;
	rte_spinlock_unlock(&st->stats_lock);
	if (locked)
		proc_lock_drop((unsigned int)(proc_self - st->procs));
	proc_self = NULL;
}

/*
 * Take back the caches of the attached processes that no longer exist (killed, or exited
 * without rte_fastmem_deinit()): their objects go back to the bins and their records are
 * freed. A record is dead when its lock can be taken; the reclaimer holds it meanwhile,
 * so that no other one works on it, and one that dies in the middle leaves the rest to
 * the next (the cache layer unlinks a set at a time). Returns the number of processes
 * reclaimed.
 */
unsigned int
fastmem_procs_reclaim(struct fastmem_state *st)
{
	unsigned int i, n = 0;

	if (proc_lock_fd < 0)
		return 0;
	for (i = 0; i < FASTMEM_MAX_PROCS; i++) {
		struct fastmem_proc *p = &st->procs[i];
		uint32_t where = FASTMEM_LOAD(&p->where);
		uint64_t objs;
		int64_t left;
		int pid;

		if (p == proc_self || where == FASTMEM_PROC_FREE || !FASTMEM_LOAD(&p->locked))
			continue;
		if (!proc_lock_try(i))
			continue; /* alive, or another reclaimer is at it */
		rte_spinlock_lock(&st->stats_lock);
		if (p->where == FASTMEM_PROC_FREE) {
			/* detached or reclaimed since the look above */
			rte_spinlock_unlock(&st->stats_lock);
			proc_lock_drop(i);
			continue;
		}
		p->where = FASTMEM_PROC_RECLAIMING;
		pid = p->pid;
		rte_spinlock_unlock(&st->stats_lock);

		objs = fastmem_proc_empty(st, p, true, &left);

		rte_spinlock_lock(&st->stats_lock);
		p->where = FASTMEM_PROC_FREE;
		FASTMEM_STORE(&st->procs_reclaimed, st->procs_reclaimed + 1);
		FASTMEM_STORE(&st->objs_reclaimed, st->objs_reclaimed + objs);
		FASTMEM_STORE(&st->objs_left, st->objs_left + left);
		rte_spinlock_unlock(&st->stats_lock);
		proc_lock_drop(i);
		FASTMEM_LOG(INFO, "process %d is gone: %" PRIu64 " objects of its caches taken"
			" back, %" PRId64 " allocated by it stay in use", pid, objs, left);
		n++;
	}
	return n;
}

/* --- sockets --- */

/* (Re)set socket s of slot sidx to its starting state: no zones, the defaults. */
static void
socket_init(struct fastmem_state *st, struct fastmem_socket *s, unsigned int sidx,
		int socket_id, bool external)
{
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

/*
 * Allocate and fill slot sidx, in EAL memory (shared with secondaries) on the socket
 * itself when it is a NUMA socket, on any NUMA socket for an external heap; the caller
 * publishes it by raising n_sockets. Returns 0 or -ENOMEM.
 */
static int
socket_setup(struct fastmem_state *st, unsigned int sidx, int socket_id, bool external)
{
	struct fastmem_socket *s = NULL;

	if (!external)
		s = rte_zmalloc_socket("fastmem_socket", sizeof(*s), RTE_CACHE_LINE_SIZE,
				socket_id);
	if (s == NULL)
		s = rte_zmalloc("fastmem_socket", sizeof(*s), RTE_CACHE_LINE_SIZE);
	if (s == NULL) {
		FASTMEM_LOG(DEBUG, "no memory for socket %d", socket_id);
		return -ENOMEM;
	}
	socket_init(st, s, sidx, socket_id, external);
	st->sockets[sidx] = s;
	return 0;
}

/* Free the sockets of slots [0, n). */
static void
socket_free_all(struct fastmem_state *st, unsigned int n)
{
	unsigned int sidx;

	for (sidx = 0; sidx < n; sidx++) {
		rte_free(st->sockets[sidx]);
		st->sockets[sidx] = NULL;
	}
}

/* The slot of a socket id, setting up a slot for an external heap on first sight.
 * Returns the slot, -EINVAL (no such socket or heap, or no slot left) or -ENOMEM (no
 * memory for a new slot). */
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
		if (st->sockets[i]->socket_id == socket_id)
			return (int)i;
	if (socket_id < 0 || rte_malloc_heap_socket_is_external(socket_id) != 1)
		return -EINVAL;

	rte_spinlock_lock(&st->lock);
	n = st->n_sockets;
	for (i = st->n_numa; i < n; i++)
		if (st->sockets[i]->socket_id == socket_id)
			break;
	if (i < n) {
		ret = (int)i;
	} else if (n < FASTMEM_MAX_SOCKETS) {
		ret = socket_setup(st, n, socket_id, true);
		if (ret == 0) {
			/* publish the slot; pairs with the acquire loads of n_sockets */
			__atomic_store_n(&st->n_sockets, n + 1, __ATOMIC_RELEASE);
			ret = (int)n;
		}
	} else {
		FASTMEM_LOG(DEBUG, "no slot left for heap socket %d", socket_id);
	}
	rte_spinlock_unlock(&st->lock);
	return ret;
}

/* --- lifecycle --- */

/* For the layout messages: what a layout's debug bit means. */
static const char *
layout_debug(uint32_t layout)
{
	return (layout & RTE_FASTMEM_LAYOUT_DEBUG) != 0 ? " with debug checks" : "";
}

/*
 * rte_fastmem_init() in a secondary process: attach to the primary's state, with a record
 * in its process table and caches of the process's own. Under the lifecycle lock.
 */
static int
state_attach(void)
{
	const struct rte_memzone *mz = rte_memzone_lookup(FASTMEM_STATE_MZ);
	struct fastmem_state *st;
	uint32_t layout;
	int ret;

	if (mz == NULL) {
		FASTMEM_LOG(ERR, "no fastmem state to attach to: the primary process has not"
			" called rte_fastmem_init()");
		return -ENOENT;
	}
	st = mz->addr;
	/* pairs with the release store at the end of the primary's init */
	layout = __atomic_load_n(&st->layout, __ATOMIC_ACQUIRE);
	if (layout == 0) {
		FASTMEM_LOG(ERR, "the primary process's fastmem is not initialized");
		return -ENOENT;
	}
	if (layout != RTE_FASTMEM_LAYOUT || st->state_version != FASTMEM_STATE_VERSION ||
			st->state_size != sizeof(*st) ||
			st->cset_size != fastmem_layout.cset_size) {
		FASTMEM_LOG(ERR, "the primary process runs fastmem layout %" PRIu32 "%s, state %"
			PRIu32 " (%" PRIu32 " B, cache set %" PRIu64 " B), this process layout"
			" %u%s, state %u (%zu B, %zu B): build both against the same fastmem",
			layout & ~RTE_FASTMEM_LAYOUT_DEBUG,
			layout_debug(layout), st->state_version, st->state_size, st->cset_size,
			RTE_FASTMEM_LAYOUT_VERSION, layout_debug(RTE_FASTMEM_LAYOUT),
			FASTMEM_STATE_VERSION, sizeof(*st), fastmem_layout.cset_size);
		return -EPROTO;
	}
	ret = proc_attach(st, false);
	if (ret < 0) {
		/* records of dead processes come free */
		fastmem_procs_reclaim(st);
		ret = proc_attach(st, false);
	}
	if (ret < 0) {
		FASTMEM_LOG(ERR, "%u processes are attached already", FASTMEM_MAX_PROCS);
		return ret;
	}
	ret = fastmem_lcore_setup(proc_self);
	if (ret < 0) {
		proc_detach(st);
		return ret;
	}
	/* publish; pairs with the acquire load in fastmem_state() */
	__atomic_store_n(&fastmem_state_ptr, st, __ATOMIC_RELEASE);
	return 0;
}

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
		FASTMEM_LOG(ERR, "the application was built for fastmem layout %" PRIu32 "%s, this"
			" library has layout %u%s: rebuild it against this library's headers",
			layout & ~RTE_FASTMEM_LAYOUT_DEBUG,
			layout_debug(layout), RTE_FASTMEM_LAYOUT_VERSION,
			layout_debug(RTE_FASTMEM_LAYOUT));
		rte_errno = EPROTO;
		return -EPROTO;
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
	/* checked builds: other processes may share the objects (hugepages are what a
	 * secondary process needs) */
	fastmem_dbg_mode(rte_eal_process_type() != RTE_PROC_PRIMARY || rte_eal_has_hugepages());
	if (rte_eal_process_type() != RTE_PROC_PRIMARY) {
		ret = state_attach();
		goto out;
	}
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
		ret = socket_setup(st, n, socket_id, false);
		if (ret < 0)
			break;
		st->numa_sidx[socket_id] = (int16_t)n;
		n++;
	}
	if (ret == 0 && n == 0) {
		/* defensive: slot 0 must exist, every fallback lands there */
		ret = socket_setup(st, 0, 0, false);
		st->numa_sidx[0] = 0;
		n = 1;
	}
	if (ret < 0) {
		socket_free_all(st, n);
		rte_memzone_free(mz);
		goto out;
	}
	st->n_numa = n;
	st->n_sockets = n;
	st->state_version = FASTMEM_STATE_VERSION;
	st->state_size = (uint32_t)sizeof(*st);
	st->cset_size = fastmem_layout.cset_size;

	ret = proc_attach(st, true);
	if (ret == 0)
		ret = fastmem_lcore_setup(proc_self);
	if (ret < 0) {
		proc_self = NULL;
		socket_free_all(st, n);
		rte_memzone_free(mz);
		goto out;
	}
	/* open to secondaries; pairs with the acquire load in state_attach() */
	__atomic_store_n(&st->layout, (uint32_t)RTE_FASTMEM_LAYOUT, __ATOMIC_RELEASE);
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
	unsigned int sidx, i;

	rte_spinlock_lock(&fastmem_lifecycle);
	st = fastmem_state();
	if (st == NULL) {
		rte_spinlock_unlock(&fastmem_lifecycle);
		return;
	}
	/* From here on every call sees "not initialized". */
	__atomic_store_n(&fastmem_state_ptr, NULL, __ATOMIC_RELEASE);

	if (rte_eal_process_type() != RTE_PROC_PRIMARY) {
		/* detach: the process's cached objects go back, the shared state stays */
		fastmem_lcore_teardown(st, true);
		proc_detach(st);
		rte_spinlock_unlock(&fastmem_lifecycle);
		return;
	}
	/* closed to secondaries from here on */
	__atomic_store_n(&st->layout, 0, __ATOMIC_RELAXED);

	/* Phase 1: every lcore's caches, of every socket and every process, and the
	 * transfer caches of the bins. No cache lives in a zone. */
	fastmem_lcore_teardown(st, false);
	proc_self = NULL;
	for (i = 1; i < FASTMEM_MAX_PROCS; i++) {
		struct fastmem_proc *p = &st->procs[i];

		if (p->where == FASTMEM_PROC_FREE)
			continue;
		if (p->locked && proc_lock_try(i))
			proc_lock_drop(i); /* dead */
		else
			FASTMEM_LOG(WARNING, "secondary process %d is still attached: its caches"
				" are freed, it must not call fastmem any more", p->pid);
		fastmem_proc_empty(st, p, false, NULL);
	}
	fastmem_xfer_teardown(st);

	/* Phase 2: every zone of every socket. */
	for (sidx = 0; sidx < st->n_sockets; sidx++)
		fastmem_zone_teardown(st, st->sockets[sidx]);
	fastmem_zone_map_free(st);

	/* Phase 3: the state. */
	socket_free_all(st, st->n_sockets);
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
		if (!fastmem_zone_idle(st->sockets[sidx])) {
			FASTMEM_LOG(DEBUG, "socket %d: objects are still out",
					st->sockets[sidx]->socket_id);
			ret = -EBUSY;
		}
	}
	if (ret < 0)
		goto out;
	fastmem_lcore_teardown(st, false);
	fastmem_xfer_teardown(st);
	st->default_limit = SIZE_MAX;
	st->default_trim_threshold = SIZE_MAX;
	st->cache_budget = RTE_FASTMEM_CACHE_BUDGET_DEFAULT;
	st->procs_reclaimed = 0;
	st->objs_reclaimed = 0;
	st->objs_left = 0;
	for (sidx = 0; sidx < st->n_sockets; sidx++) {
		struct fastmem_socket *s = st->sockets[sidx];
		uint32_t seq = s->zone_seq; /* memzone names stay unique */

		fastmem_zone_teardown(st, s);
		socket_init(st, s, sidx, s->socket_id, s->external);
		s->zone_seq = seq;
	}
	ret = fastmem_lcore_setup(proc_self);
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
	ret = fastmem_zone_reserve(st, st->sockets[sidx], size);
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
		FASTMEM_LOG(DEBUG, "socket %d: %s", socket_id, rte_strerror(-sidx));
		rte_errno = -sidx;
		return sidx;
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
		fastmem_zone_set_limit(st->sockets[i], max_bytes);
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
	return FASTMEM_LOAD(&st->sockets[sidx]->limit);
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
	/* the caches of dead processes come back first */
	fastmem_procs_reclaim(st);
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

		total += fastmem_zone_trim(st, st->sockets[i], 0, false, &z);
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
		FASTMEM_STORE(&st->sockets[sidx]->trim_threshold, bytes);
	rte_spinlock_unlock(&st->lock);
	/* what is free beyond the new threshold goes now, not at the next free */
	if (bytes != SIZE_MAX)
		for (sidx = (int)i; sidx < (int)n; sidx++)
			fastmem_zone_trim(st, st->sockets[sidx], bytes, false, NULL);
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
