/* SPDX-License-Identifier: BSD-3-Clause
 * Copyright(c) 2026 The dpdk-lcoremem authors
 */

/*
 * Statistics and dump.
 *
 * Counters are never written by readers: each is written by a single writer (the lcore
 * owning the cache, or the holder of the bin lock) with a relaxed load and a relaxed
 * store, and read here with relaxed loads. A reset records the current values as
 * baselines (under the stats lock); a read reports value minus baseline. Gauges (objects
 * in use, cached objects, slab counts, bytes) are never reset.
 */

#include <errno.h>
#include <inttypes.h>
#include <stdbool.h>
#include <stdio.h>
#include <string.h>

#include <rte_common.h>
#include <rte_eal.h>
#include <rte_errno.h>
#include <rte_lcore.h>

#include <eal_export.h>

#include "fastmem_priv.h"

#define ALL UINT32_MAX /* every lcore, or every class */

/* What a sum over caches and bins gives. */
struct fastmem_sum {
	uint64_t alloc_hits;
	uint64_t alloc_misses;
	uint64_t free_hits;
	uint64_t free_misses;
	uint64_t alloc_nomem;
	int64_t in_use; /* objects: allocations minus frees, never reset */
	int64_t bytes_in_use;
	uint64_t cached; /* objects in caches */
	uint64_t cap; /* the largest capacity of the caches summed */
	uint64_t bytes_cached;
	uint64_t xfer; /* objects in the bins' transfer caches */
	uint64_t bytes_xfer;
	uint64_t slab_acquires;
	uint64_t slab_releases;
	uint64_t slabs_partial;
	uint64_t slabs_full;
	uint64_t bytes_runs;
	uint64_t objs_runs; /* room of the runs */
	uint64_t objs_free; /* free objects of the runs */
	uint64_t bytes_room; /* room of the runs, at class size */
	uint64_t bytes_free; /* free objects of the runs, at class size */
};

static bool
class_match(unsigned int cls, unsigned int want)
{
	return want == ALL || want == cls;
}

/* What walk_caches() does with each cache. */
typedef void (cache_fn)(struct fastmem_cset *cs, unsigned int c,
		const struct rte_fastmem_cache *k, void *arg);

/*
 * Call fn on every cache of class cls (or all) in the cache sets of one lcore of this
 * process (lcore_id), or in every live set of every attached process (ALL: the sets in
 * the process records' lists). Called with the stats lock held: counters are read against
 * their reset baselines, which rte_fastmem_stats_reset() moves under that lock; read
 * unlocked, a reset between the load of a counter and that of its baseline would make
 * the difference wrap.
 */
static void
walk_caches(struct fastmem_state *st, unsigned int lcore_id, unsigned int cls, cache_fn *fn,
		void *arg)
	__rte_requires_capability(&st->stats_lock)
{
	/* pairs with the release store of n_sockets in fastmem_socket_lookup() */
	unsigned int n = __atomic_load_n(&st->n_sockets, __ATOMIC_ACQUIRE);
	unsigned int c_first = cls == ALL ? 0 : cls;
	unsigned int c_end = cls == ALL ? FASTMEM_NUM_CLASSES : cls + 1;
	unsigned int l, sidx, c;

	FASTMEM_LOCK_ASSERT(&st->stats_lock);
	if (lcore_id == ALL) {
		/* every process's: the live sets in the records' lists */
		unsigned int p;

		for (p = 0; p < FASTMEM_MAX_PROCS; p++) {
			struct fastmem_cset *cs;

			if (st->procs[p].where == FASTMEM_PROC_FREE)
				continue;
			for (cs = st->procs[p].csets; cs != NULL; cs = cs->next_proc) {
				if (!cs->live)
					continue;
				for (c = c_first; c < c_end; c++)
					fn(cs, c, fastmem_cset_cache(cs, c), arg);
			}
		}
		return;
	}
	/* one lcore of this process */
	for (l = lcore_id; l < RTE_MAX_LCORE; l = RTE_MAX_LCORE) {
		struct fastmem_lcore *lc = fastmem_lcore_get(l);

		if (!FASTMEM_LOAD(&lc->used))
			continue;
		for (sidx = 0; sidx < n; sidx++) {
			/* pairs with the release store in cset_create() */
			struct fastmem_cset *cs = __atomic_load_n(&lc->cset[sidx],
					__ATOMIC_ACQUIRE);

			if (cs == NULL)
				continue;
			for (c = c_first; c < c_end; c++)
				fn(cs, c, fastmem_cset_cache(cs, c), arg);
		}
	}
}

static void
sum_cache(struct fastmem_cset *cs, unsigned int c, const struct rte_fastmem_cache *k, void *arg)
{
	struct fastmem_sum *sum = arg;
	uint64_t ah, am, fh, fm, len;

	ah = FASTMEM_LOAD(&k->alloc_hits);
	am = FASTMEM_LOAD(&k->alloc_misses);
	fh = FASTMEM_LOAD(&k->free_hits);
	fm = FASTMEM_LOAD(&k->free_misses);
	len = FASTMEM_LOAD(&k->len);
	sum->alloc_hits += ah - FASTMEM_LOAD(&cs->base[c].alloc_hits);
	sum->alloc_misses += am - FASTMEM_LOAD(&cs->base[c].alloc_misses);
	sum->free_hits += fh - FASTMEM_LOAD(&cs->base[c].free_hits);
	sum->free_misses += fm - FASTMEM_LOAD(&cs->base[c].free_misses);
	sum->alloc_nomem += FASTMEM_LOAD(&k->alloc_nomem) -
			FASTMEM_LOAD(&cs->base[c].alloc_nomem);
	sum->in_use += (int64_t)(ah + am - fh - fm);
	sum->bytes_in_use += (int64_t)((ah + am - fh - fm) * fastmem_class_size(c));
	sum->cached += len;
	sum->bytes_cached += len * fastmem_class_size(c);
	sum->cap = RTE_MAX(sum->cap, (uint64_t)FASTMEM_LOAD(&k->cap));
}

/* Reset: the cache's counters become its baselines. */
static void
rebase_cache(struct fastmem_cset *cs, unsigned int c, const struct rte_fastmem_cache *k,
		void *arg __rte_unused)
{
	FASTMEM_STORE(&cs->base[c].alloc_hits, FASTMEM_LOAD(&k->alloc_hits));
	FASTMEM_STORE(&cs->base[c].alloc_misses, FASTMEM_LOAD(&k->alloc_misses));
	FASTMEM_STORE(&cs->base[c].free_hits, FASTMEM_LOAD(&k->free_hits));
	FASTMEM_STORE(&cs->base[c].free_misses, FASTMEM_LOAD(&k->free_misses));
	FASTMEM_STORE(&cs->base[c].alloc_nomem, FASTMEM_LOAD(&k->alloc_nomem));
}

/* Add a bin's retired counters (struct fastmem_bin::retired) to a sum. */
static void
sum_retired(const struct fastmem_counters *r, const struct fastmem_counters *base,
		unsigned int c, struct fastmem_sum *sum)
{
	uint64_t out = r->alloc_hits + r->alloc_misses - r->free_hits - r->free_misses;

	sum->alloc_hits += r->alloc_hits - base->alloc_hits;
	sum->alloc_misses += r->alloc_misses - base->alloc_misses;
	sum->free_hits += r->free_hits - base->free_hits;
	sum->free_misses += r->free_misses - base->free_misses;
	sum->alloc_nomem += r->alloc_nomem - base->alloc_nomem;
	sum->in_use += (int64_t)out;
	sum->bytes_in_use += (int64_t)(out * fastmem_class_size(c));
}

/*
 * Sum the bins of one class or all: shared-path counters and slab counts, and with
 * retired, what the caches of lcores that gave up their id counted (lcore_retire() of
 * the cache layer, under the stats lock too): part of the totals over every lcore, no
 * lcore's own. Under the stats lock, as walk_caches().
 */
static void
sum_bins(struct fastmem_state *st, unsigned int cls, bool retired, struct fastmem_sum *sum)
	__rte_requires_capability(&st->stats_lock)
{
	unsigned int n = __atomic_load_n(&st->n_sockets, __ATOMIC_ACQUIRE);
	unsigned int sidx, c;

	FASTMEM_LOCK_ASSERT(&st->stats_lock);
	for (sidx = 0; sidx < n; sidx++) {
		for (c = 0; c < FASTMEM_NUM_CLASSES; c++) {
			const struct fastmem_bin *b = &st->sockets[sidx]->bins[c];
			uint64_t a, f;

			if (!class_match(c, cls))
				continue;
			a = FASTMEM_LOAD(&b->sh_allocs);
			f = FASTMEM_LOAD(&b->sh_frees);
			sum->alloc_misses += a - FASTMEM_LOAD(&b->base_sh_allocs);
			sum->free_misses += f - FASTMEM_LOAD(&b->base_sh_frees);
			sum->alloc_nomem += FASTMEM_LOAD(&b->sh_nomem) -
					FASTMEM_LOAD(&b->base_sh_nomem);
			sum->in_use += (int64_t)(a - f);
			sum->bytes_in_use += (int64_t)((a - f) * fastmem_class_size(c));
			sum->slab_acquires += FASTMEM_LOAD(&b->slab_acquires) -
					FASTMEM_LOAD(&b->base_acquires);
			sum->slab_releases += FASTMEM_LOAD(&b->slab_releases) -
					FASTMEM_LOAD(&b->base_releases);
			/* cached, but in no lcore's cache */
			sum->xfer += FASTMEM_LOAD(&b->xfer_len);
			sum->bytes_xfer += (uint64_t)FASTMEM_LOAD(&b->xfer_len) *
					fastmem_class_size(c);
			sum->slabs_partial += FASTMEM_LOAD(&b->slabs_partial);
			sum->slabs_full += FASTMEM_LOAD(&b->slabs_full);
			sum->bytes_runs += FASTMEM_LOAD(&b->run_bytes);
			sum->objs_runs += FASTMEM_LOAD(&b->run_objs);
			sum->objs_free += FASTMEM_LOAD(&b->run_free);
			sum->bytes_room += FASTMEM_LOAD(&b->run_objs) * fastmem_class_size(c);
			sum->bytes_free += FASTMEM_LOAD(&b->run_free) * fastmem_class_size(c);
			if (retired)
				sum_retired(&b->retired, &b->base_retired, c, sum);
		}
	}
}

static uint64_t
clamp0(int64_t v)
{
	/* counters read at slightly different moments may disagree for an instant */
	return v < 0 ? 0 : (uint64_t)v;
}

/* Class index of an exact class size, or -1. */
static int
class_index(size_t class_size)
{
	unsigned int c;

	if (class_size == 0 || class_size > RTE_FASTMEM_MAX_CLASS_SIZE)
		return -1;
	c = rte_fastmem_class_of(class_size);
	return fastmem_class_size(c) == class_size ? (int)c : -1;
}

/* What stats_query() checks and sums. */
#define Q_LCORE 1u /* one lcore: check lcore_id */
#define Q_CLASS 2u /* one class: check class_size */
#define Q_CACHES 4u /* sum the lcore caches */
#define Q_BINS 8u /* sum the shared bins */

static int
stats_fail(int err, const char *what)
{
	FASTMEM_LOG(DEBUG, "%s", what);
	rte_errno = err;
	return -err;
}

/*
 * The state, for a statistics call: in a secondary process that has not attached yet,
 * rte_fastmem_init() first, as the RFC's statistics calls do (NULL when that fails).
 */
static RTE_DEFINE_PER_LCORE(bool, stats_no_attach);

void
fastmem_stats_attach_hold(bool hold)
{
	RTE_PER_LCORE(stats_no_attach) = hold;
}

static struct fastmem_state *
stats_state(void)
{
	struct fastmem_state *st = fastmem_state();

	/* not in a telemetry query, which holds the lifecycle lock init takes */
	if (unlikely(st == NULL) && rte_eal_process_type() == RTE_PROC_SECONDARY &&
			!RTE_PER_LCORE(stats_no_attach) && rte_fastmem_init() == 0)
		st = fastmem_state();
	return st;
}

/*
 * Common part of the stats readers: check the library is initialized, out is not NULL
 * and, as flags ask, lcore_id and class_size are valid; then sum the caches and/or bins
 * of that lcore (or all) and that class (or all) into *sum. *cls, when not NULL, receives
 * the class index. Returns 0, or a negative errno also set in rte_errno.
 */
static int
stats_query(const void *out, unsigned int flags, unsigned int lcore_id, size_t class_size,
		struct fastmem_sum *sum, unsigned int *cls)
{
	struct fastmem_state *st = stats_state();
	unsigned int lc = ALL, c = ALL;
	int ci;

	if (st == NULL)
		return stats_fail(ENODEV, "not initialized");
	if (out == NULL)
		return stats_fail(EINVAL, "NULL output");
	if (flags & Q_LCORE) {
		if (lcore_id >= RTE_MAX_LCORE)
			return stats_fail(EINVAL, "bad lcore id");
		lc = lcore_id;
	}
	if (flags & Q_CLASS) {
		ci = class_index(class_size);
		if (ci < 0)
			return stats_fail(EINVAL, "not a class size");
		c = (unsigned int)ci;
	}
	memset(sum, 0, sizeof(*sum));
	/* under one hold of the lock, so that an lcore retiring meanwhile (its counters
	 * moving from its caches to the bins) is counted once */
	rte_spinlock_lock(&st->stats_lock);
	if (flags & Q_CACHES)
		walk_caches(st, lc, c, sum_cache, sum);
	/* the retired caches with the others, when all lcores' caches are summed */
	if (flags & Q_BINS)
		sum_bins(st, c, (flags & Q_CACHES) && !(flags & Q_LCORE), sum);
	rte_spinlock_unlock(&st->stats_lock);
	if (cls != NULL)
		*cls = c;
	return 0;
}

RTE_EXPORT_EXPERIMENTAL_SYMBOL(rte_fastmem_stats, 26.03)
int
rte_fastmem_stats(struct rte_fastmem_stats *stats)
{
	struct fastmem_state *st;
	struct fastmem_sum sum;
	unsigned int sidx, n;
	int ret;

	/* attaches a secondary on first use */
	ret = stats_query(stats, Q_CACHES | Q_BINS, 0, 0, &sum, NULL);
	if (ret != 0)
		return ret;
	st = fastmem_state();
	memset(stats, 0, sizeof(*stats));
	n = __atomic_load_n(&st->n_sockets, __ATOMIC_ACQUIRE);
	for (sidx = 0; sidx < n; sidx++) {
		const struct fastmem_socket *so = st->sockets[sidx];

		stats->bytes_backing += FASTMEM_LOAD(&so->backing);
		stats->bytes_free_pages += ((uint64_t)FASTMEM_LOAD(&so->pool_count) *
				FASTMEM_PAGES + FASTMEM_LOAD(&so->free_pages)) <<
				FASTMEM_PAGE_SHIFT;
	}
	stats->bytes_free = sum.bytes_free;
	/* the runs' bytes no object's room covers */
	stats->bytes_overhead = sum.bytes_runs > sum.bytes_room ?
			sum.bytes_runs - sum.bytes_room : 0;
	stats->bytes_in_use = clamp0(sum.bytes_in_use);
	stats->bytes_cached = sum.bytes_cached + sum.bytes_xfer;
	stats->alloc_total = sum.alloc_hits + sum.alloc_misses;
	stats->free_total = sum.free_hits + sum.free_misses;
	stats->alloc_nomem = sum.alloc_nomem;
	stats->n_classes = RTE_FASTMEM_NUM_CLASSES;
	return 0;
}

/*
 * The counters every statistics struct has (class, lcore, lcore-class), from a sum; a
 * macro because the structs are of different types.
 */
#define STATS_COUNTERS(stats, sum) do { \
	(stats)->alloc_cache_hits = (sum)->alloc_hits; \
	(stats)->alloc_cache_misses = (sum)->alloc_misses; \
	(stats)->free_cache_hits = (sum)->free_hits; \
	(stats)->free_cache_misses = (sum)->free_misses; \
	(stats)->alloc_nomem = (sum)->alloc_nomem; \
} while (0)

RTE_EXPORT_EXPERIMENTAL_SYMBOL(rte_fastmem_stats_class, 26.03)
int
rte_fastmem_stats_class(size_t class_size, struct rte_fastmem_class_stats *stats)
{
	struct fastmem_sum sum;
	int ret;

	ret = stats_query(stats, Q_CLASS | Q_CACHES | Q_BINS, 0, class_size, &sum, NULL);
	if (ret != 0)
		return ret;
	memset(stats, 0, sizeof(*stats));
	stats->class_size = class_size;
	stats->in_use = clamp0(sum.in_use);
	STATS_COUNTERS(stats, &sum);
	stats->slab_acquires = sum.slab_acquires;
	stats->slab_releases = sum.slab_releases;
	stats->slabs_partial = sum.slabs_partial;
	stats->slabs_full = sum.slabs_full;
	stats->bytes_runs = sum.bytes_runs;
	stats->objs_runs = sum.objs_runs;
	stats->objs_free = sum.objs_free;
	stats->xfer_cached = sum.xfer;
	return 0;
}

/* Fill lcore stats (flags without Q_CLASS) from a query. */
static int
stats_lcore_query(unsigned int flags, unsigned int lcore_id,
		struct rte_fastmem_lcore_stats *stats)
{
	struct fastmem_sum sum;
	int ret;

	ret = stats_query(stats, flags, lcore_id, 0, &sum, NULL);
	if (ret != 0)
		return ret;
	memset(stats, 0, sizeof(*stats));
	STATS_COUNTERS(stats, &sum);
	stats->bytes_cached = sum.bytes_cached;
	return 0;
}

/* Fill lcore-class stats (flags with Q_CLASS) from a query; the capacity is that of an
 * lcore cache when the caches are summed, else 0.
 */
static int
stats_lcore_class_query(unsigned int flags, unsigned int lcore_id, size_t class_size,
		struct rte_fastmem_lcore_class_stats *stats)
{
	struct fastmem_sum sum;
	unsigned int c;
	int ret;

	ret = stats_query(stats, flags, lcore_id, class_size, &sum, &c);
	if (ret != 0)
		return ret;
	memset(stats, 0, sizeof(*stats));
	stats->class_size = class_size;
	STATS_COUNTERS(stats, &sum);
	stats->cached = sum.cached;
	stats->cache_capacity = (unsigned int)sum.cap;
	return 0;
}

RTE_EXPORT_EXPERIMENTAL_SYMBOL(rte_fastmem_stats_lcore, 26.03)
int
rte_fastmem_stats_lcore(unsigned int lcore_id, struct rte_fastmem_lcore_stats *stats)
{
	return stats_lcore_query(Q_LCORE | Q_CACHES, lcore_id, stats);
}

RTE_EXPORT_EXPERIMENTAL_SYMBOL(rte_fastmem_stats_lcore_class, 26.03)
int
rte_fastmem_stats_lcore_class(unsigned int lcore_id, size_t class_size,
		struct rte_fastmem_lcore_class_stats *stats)
{
	return stats_lcore_class_query(Q_LCORE | Q_CLASS | Q_CACHES, lcore_id, class_size,
			stats);
}

RTE_EXPORT_EXPERIMENTAL_SYMBOL(rte_fastmem_stats_shared, 26.03)
int
rte_fastmem_stats_shared(struct rte_fastmem_lcore_stats *stats)
{
	return stats_lcore_query(Q_BINS, 0, stats);
}

RTE_EXPORT_EXPERIMENTAL_SYMBOL(rte_fastmem_stats_shared_class, 26.03)
int
rte_fastmem_stats_shared_class(size_t class_size, struct rte_fastmem_lcore_class_stats *stats)
{
	return stats_lcore_class_query(Q_CLASS | Q_BINS, 0, class_size, stats);
}

RTE_EXPORT_EXPERIMENTAL_SYMBOL(rte_fastmem_stats_procs, 26.03)
int
rte_fastmem_stats_procs(struct rte_fastmem_proc_stats *stats)
{
	struct fastmem_state *st = stats_state();
	unsigned int p;

	if (st == NULL)
		return stats_fail(ENODEV, "not initialized");
	if (stats == NULL)
		return stats_fail(EINVAL, "NULL output");
	memset(stats, 0, sizeof(*stats));
	rte_spinlock_lock(&st->stats_lock);
	for (p = 0; p < FASTMEM_MAX_PROCS; p++)
		if (st->procs[p].where == FASTMEM_PROC_ATTACHED)
			stats->attached++;
	stats->reclaimed = st->procs_reclaimed;
	stats->objs_reclaimed = st->objs_reclaimed;
	stats->objs_left = st->objs_left;
	rte_spinlock_unlock(&st->stats_lock);
	return 0;
}

RTE_EXPORT_EXPERIMENTAL_SYMBOL(rte_fastmem_stats_reset, 26.03)
void
rte_fastmem_stats_reset(void)
{
	struct fastmem_state *st = stats_state();
	unsigned int sidx, c, n;

	if (st == NULL) {
		FASTMEM_LOG(DEBUG, "not initialized");
		rte_errno = ENODEV;
		return;
	}
	rte_spinlock_lock(&st->stats_lock);
	walk_caches(st, ALL, ALL, rebase_cache, NULL);
	/* pairs with the release store of n_sockets in fastmem_socket_lookup() */
	n = __atomic_load_n(&st->n_sockets, __ATOMIC_ACQUIRE);
	for (sidx = 0; sidx < n; sidx++) {
		for (c = 0; c < FASTMEM_NUM_CLASSES; c++) {
			struct fastmem_bin *b = &st->sockets[sidx]->bins[c];

			FASTMEM_STORE(&b->base_acquires, FASTMEM_LOAD(&b->slab_acquires));
			FASTMEM_STORE(&b->base_releases, FASTMEM_LOAD(&b->slab_releases));
			FASTMEM_STORE(&b->base_sh_allocs, FASTMEM_LOAD(&b->sh_allocs));
			FASTMEM_STORE(&b->base_sh_frees, FASTMEM_LOAD(&b->sh_frees));
			FASTMEM_STORE(&b->base_sh_nomem, FASTMEM_LOAD(&b->sh_nomem));
			b->base_retired = b->retired;
		}
	}
	rte_spinlock_unlock(&st->stats_lock);
}

RTE_EXPORT_EXPERIMENTAL_SYMBOL(rte_fastmem_dump, 26.03)
void
rte_fastmem_dump(FILE *f)
{
	struct fastmem_state *st = stats_state();
	struct rte_fastmem_stats g;
	unsigned int sidx, n, c, l;

	if (f == NULL)
		f = stdout;
	if (st == NULL) {
		fprintf(f, "fastmem: not initialized\n");
		return;
	}
	rte_fastmem_stats(&g);
	fprintf(f, "fastmem: %" PRIu64 " B backing: %" PRIu64 " B in use, %" PRIu64
			" B cached, %" PRIu64 " B free in runs, %" PRIu64 " B of free pages, %"
			PRIu64 " B overhead; %" PRIu64 " allocs, %" PRIu64 " frees, %" PRIu64
			" ENOMEM\n", g.bytes_backing, g.bytes_in_use, g.bytes_cached,
			g.bytes_free, g.bytes_free_pages, g.bytes_overhead, g.alloc_total,
			g.free_total, g.alloc_nomem);
	n = __atomic_load_n(&st->n_sockets, __ATOMIC_ACQUIRE);
	for (sidx = 0; sidx < n; sidx++) {
		const struct fastmem_socket *s = st->sockets[sidx];
		size_t limit = FASTMEM_LOAD(&s->limit);

		fprintf(f, "  socket %d%s: backing %zu B, trimmed %" PRIu64 " B, free slabs %u, "
				"split slabs %u with %" PRIu64 " free pages, limit ", s->socket_id,
				s->external ? " (external heap)" : "",
				FASTMEM_LOAD(&s->backing), FASTMEM_LOAD(&s->trimmed),
				FASTMEM_LOAD(&s->pool_count), FASTMEM_LOAD(&s->split_count),
				FASTMEM_LOAD(&s->free_pages));
		if (limit == SIZE_MAX)
			fprintf(f, "none\n");
		else
			fprintf(f, "%zu B\n", limit);
	}
	for (c = 0; c < FASTMEM_NUM_CLASSES; c++) {
		struct rte_fastmem_class_stats cs;

		rte_fastmem_stats_class(fastmem_class_size(c), &cs);
		if (cs.alloc_cache_hits + cs.alloc_cache_misses + cs.in_use +
				cs.slabs_partial + cs.slabs_full + cs.alloc_nomem == 0)
			continue;
		fprintf(f, "  class %7zu B: in use %" PRIu64 ", alloc hit/miss %" PRIu64 "/%"
				PRIu64 ", free hit/miss %" PRIu64 "/%" PRIu64 ", ENOMEM %" PRIu64
				", runs partial/full %" PRIu64 "/%" PRIu64 " (%" PRIu64 " B, %"
				PRIu64 " free of %" PRIu64 " objects), acquired/released %" PRIu64
				"/%" PRIu64 "\n", cs.class_size,
				cs.in_use, cs.alloc_cache_hits, cs.alloc_cache_misses,
				cs.free_cache_hits, cs.free_cache_misses, cs.alloc_nomem,
				cs.slabs_partial, cs.slabs_full, cs.bytes_runs, cs.objs_free,
				cs.objs_runs, cs.slab_acquires, cs.slab_releases);
	}
	FASTMEM_FOREACH_USED_LCORE(l) {
		struct rte_fastmem_lcore_stats ls;

		rte_fastmem_stats_lcore(l, &ls);
		fprintf(f, "  lcore %3u: alloc hit/miss %" PRIu64 "/%" PRIu64 ", free hit/miss %"
				PRIu64 "/%" PRIu64 ", ENOMEM %" PRIu64 ", cached %" PRIu64 " B\n",
				l, ls.alloc_cache_hits, ls.alloc_cache_misses, ls.free_cache_hits,
				ls.free_cache_misses, ls.alloc_nomem, ls.bytes_cached);
	}
	{
		struct rte_fastmem_lcore_stats sh;

		rte_fastmem_stats_shared(&sh);
		if (sh.alloc_cache_misses + sh.free_cache_misses + sh.alloc_nomem > 0)
			fprintf(f, "  no lcore id: allocs %" PRIu64 ", frees %" PRIu64
					", ENOMEM %" PRIu64 "\n", sh.alloc_cache_misses,
					sh.free_cache_misses, sh.alloc_nomem);
	}
}
