/* SPDX-License-Identifier: BSD-3-Clause
 * Copyright(c) 2026 The dpdk-lcoremem authors
 */

/*
 * The shadow model of the fastmem fuzz target: what fastmem must have done, according to
 * rte_fastmem.h, after the calls the decoder made.
 *
 *  - live objects: a set of intervals [ptr, ptr + class size) sorted by slab (ranked when
 *    the model gets its first object in it), then by address; a new object may overlap
 *    none, must be aligned as its class (the largest power of two dividing its size), must
 *    lie inside one slab and after the
 *    slab's header;
 *  - contents: each object holds a pattern derived from its id over its requested size
 *    (sampled in objects above 8 KiB), verified before it is freed or reallocated, on
 *    request, and at the end of every input;
 *  - statistics: gauges (bytes and objects in use, bytes cached, run counts) exactly as
 *    the model computes them, counters (allocations, frees, ENOMEM) as deltas from a
 *    baseline taken at the start of the input, after a reset and after a reinit;
 *  - ENOMEM: only when the bound of rte_fastmem.h does not promise success, or EAL has
 *    no room for one more slab.
 * Runs are the unit of the counts: a class's runs all have the same pages (its memory
 * is EAL's), each holds at least one object out, a full one all of its objects.
 */

#include <inttypes.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <rte_branch_prediction.h>
#include <rte_common.h>
#include <rte_lcore.h>
#include <rte_malloc.h>

#include "fastmem_fuzz.h"
/* fastmem_state(): the backing bytes of the sockets (fz_backing()) */
#include "fastmem_priv.h"

struct fz_model fz;
uint64_t fz_digest;

/* Built with -Dfastmem_stats=false, fastmem counts no cache hits: the hit counters read 0
 * and in_use, bytes_in_use, alloc_total and free_total are not meaningful (rte_fastmem.h);
 * misses, ENOMEM counts, slab counts, cached and backing bytes still are. */
#ifdef RTE_LIBRTE_FASTMEM_STATS
#define FZ_HITS 1
#else
#define FZ_HITS 0
#endif
enum fz_ctx fz_cur_ctx;
unsigned int fz_op_no;

static const char * const ctx_names[FZ_N_CTX] = {
	"main lcore", "worker lcore", "thread without lcore id"
};

void
fz_fail(const char *fmt, ...)
{
	va_list ap;

	fprintf(stderr, "\nfastmem_fuzz: MODEL MISMATCH at operation %u (%s): ", fz_op_no,
			ctx_names[fz_cur_ctx]);
	va_start(ap, fmt);
	vfprintf(stderr, fmt, ap);
	va_end(ap);
	fprintf(stderr, "\n");
	fflush(stderr);
	abort();
}

/* --- classes --- */

/* Documented: the multiples of 8 B up to 128 B, then eight classes per doubling, 1/8 of
 * the power of two below them apart, up to 1 MiB. */
size_t
fz_class_size(unsigned int cls)
{
	size_t octave;

	if (cls < 16)
		return FZ_MIN_CLASS * (cls + 1);
	octave = (size_t)128 << ((cls - 16) / 8);
	return octave + octave / 8 * ((cls - 16) % 8 + 1);
}

/* The class of a valid request (documented: the smallest class at least the size, 1 for
 * 0, rounded up to a multiple of the alignment, an alignment of 0 meaning
 * RTE_CACHE_LINE_SIZE). */
unsigned int
fz_class_of(size_t size, size_t align)
{
	size_t a = align == 0 ? (size_t)RTE_CACHE_LINE_SIZE : align;
	size_t v = RTE_ALIGN_CEIL(RTE_MAX(size, (size_t)1), a);
	unsigned int cls = 0;

	while (fz_class_size(cls) < v)
		cls++;
	return cls;
}

/* The alignment of the objects of a class (documented: the largest power of two dividing
 * the class size). */
size_t
fz_class_align(unsigned int cls)
{
	size_t cs = fz_class_size(cls);

	return cs & -cs;
}

/* Pages of a run of the class (documented: the fewest that hold at least 4 objects, 16 from
 * 8 KiB, with at most 1/16 of the run left over; else the whole slab). The model's memory
 * is EAL's (no external heap), whose pages are IOVA-contiguous or slabs: the stride is the
 * class size. */
unsigned int
fz_run_pages(unsigned int cls)
{
	size_t cs = fz_class_size(cls);
	unsigned int k, min = cs >= 8 * FZ_KIB ? 16 : 4;

	for (k = 1; k < FZ_PAGES; k++)
		if (k * FZ_RUN_PAGE / cs >= min &&
				(k * FZ_RUN_PAGE) % cs <= k * FZ_RUN_PAGE / 16)
			break;
	return k;
}

/* The fewest objects a run of the class holds: one at page 0, after the slab header. */
unsigned int
fz_run_min(unsigned int cls)
{
	size_t first = RTE_ALIGN_CEIL((size_t)FZ_SLAB_HDR, fz_class_align(cls));

	return (unsigned int)((fz_run_pages(cls) * FZ_RUN_PAGE - first) / fz_class_size(cls));
}

/* The most objects a run of the class holds: one past page 0. */
unsigned int
fz_run_max(unsigned int cls)
{
	return (unsigned int)(fz_run_pages(cls) * FZ_RUN_PAGE / fz_class_size(cls));
}

size_t
fz_limit_floor(size_t limit)
{
	return RTE_ALIGN_FLOOR(limit, FZ_SLAB);
}

/* --- sockets --- */

/* Index of a known NUMA socket id in fz.sockets[], or -1. */
int
fz_socket_index(int socket_id)
{
	unsigned int i;

	for (i = 0; i < fz.n_sockets; i++)
		if (fz.sockets[i] == socket_id)
			return (int)i;
	return -1;
}

/* The socket SOCKET_ID_ANY means for the calling thread (the first socket without one). */
int
fz_local_socket(void)
{
	int s = (int)rte_socket_id();

	return fz_socket_index(s) >= 0 ? s : fz.sockets[0];
}

/* --- contents --- */

/*
 * The bytes of an object that hold its pattern: all of them up to FZ_FULL, else the first
 * and the last FZ_EDGE bytes and FZ_MARK bytes at each 4 KiB boundary, so that filling and
 * checking a 1 MiB object costs 2% of it while every page of it is still looked at (the
 * model's interval set, not the pattern, tells overlapping objects).
 */
#define FZ_FULL (2 * FZ_KIB)
#define FZ_EDGE 512
#define FZ_PAGE (4 * FZ_KIB)
#define FZ_MARK 64
#define FZ_MAX_REGIONS (FZ_MAX_SIZE / FZ_PAGE + 2)

/* The loops over object contents and the comparison of every statistic with the model
 * are the target's hot spots: no coverage feedback in them (it would only slow libFuzzer
 * down; a mismatch aborts the run anyway). */
#if defined(__clang__) && __clang_major__ >= 13
#define FZ_NO_COVERAGE __attribute__((no_sanitize("coverage")))
#else
#define FZ_NO_COVERAGE
#endif

struct fz_region {
	size_t a, b; /* [a, b) */
};

FZ_NO_COVERAGE static unsigned int
regions(size_t size, struct fz_region *r)
{
	unsigned int n = 0;
	size_t off;

	if (size <= FZ_FULL) {
		r[n++] = (struct fz_region){ 0, size };
		return n;
	}
	r[n++] = (struct fz_region){ 0, FZ_EDGE };
	for (off = FZ_PAGE; off + FZ_MARK <= size - FZ_EDGE; off += FZ_PAGE)
		r[n++] = (struct fz_region){ off, off + FZ_MARK };
	r[n++] = (struct fz_region){ size - FZ_EDGE, size };
	return n;
}

FZ_NO_COVERAGE static inline uint64_t
fz_word(uint32_t id, size_t j)
{
	uint64_t x = ((uint64_t)id + 1) * UINT64_C(0x9E3779B97F4A7C15) +
			(uint64_t)j * UINT64_C(0xC2B2AE3D27D4EB4F);

	return x ^ (x >> 31);
}

/* The pattern byte at offset off. */
FZ_NO_COVERAGE static inline uint8_t
fz_byte(uint32_t id, size_t off)
{
	return (uint8_t)(fz_word(id, off / 8) >> (8 * (off % 8)));
}

FZ_NO_COVERAGE void
fz_fill(const struct fz_obj *o)
{
	static struct fz_region r[FZ_MAX_REGIONS];
	unsigned int n = regions(o->size, r), i;
	size_t off;

	for (i = 0; i < n; i++) {
		for (off = r[i].a; off < r[i].b && off % 8 != 0; off++)
			o->ptr[off] = fz_byte(o->id, off);
		for (; off + 8 <= r[i].b; off += 8) {
			uint64_t w = fz_word(o->id, off / 8);

			memcpy(o->ptr + off, &w, 8);
		}
		for (; off < r[i].b; off++)
			o->ptr[off] = fz_byte(o->id, off);
	}
}

/* Check the pattern in the first len bytes of the object (of its sampled bytes). */
FZ_NO_COVERAGE void
fz_verify(const struct fz_obj *o, size_t len, const char *when)
{
	static struct fz_region r[FZ_MAX_REGIONS];
	unsigned int n = regions(o->size, r), i;
	size_t off, end;

	for (i = 0; i < n; i++) {
		end = RTE_MIN(r[i].b, len);
		for (off = r[i].a; off < end; off++) {
			uint64_t w;

			if (off % 8 == 0 && off + 8 <= end) {
				memcpy(&w, o->ptr + off, 8);
				if (likely(w == fz_word(o->id, off / 8))) {
					off += 7;
					continue;
				}
			}
			if (unlikely(o->ptr[off] != fz_byte(o->id, off)))
				fz_fail("contents of object %p (id %u, size %zu, class %zu B) "
						"changed at offset %zu (%s): 0x%02x instead of "
						"0x%02x", (void *)o->ptr, o->id, o->size,
						fz_class_size(o->cls), off, when, o->ptr[off],
						fz_byte(o->id, off));
		}
	}
}

/* The sampled bytes of the first size bytes at p read as zeros. */
FZ_NO_COVERAGE void
fz_check_zero(const void *p, size_t size)
{
	static struct fz_region r[FZ_MAX_REGIONS];
	const uint8_t *b = p;
	unsigned int n = regions(size, r), i;
	size_t off;

	for (i = 0; i < n; i++) {
		for (off = r[i].a; off < r[i].b; off++) {
			uint64_t w;

			if (off % 8 == 0 && off + 8 <= r[i].b) {
				memcpy(&w, b + off, 8);
				if (likely(w == 0)) {
					off += 7;
					continue;
				}
			}
			if (unlikely(b[off] != 0))
				fz_fail("RTE_FASTMEM_F_ZERO object %p of size %zu has 0x%02x at "
						"offset %zu", p, size, b[off], off);
		}
	}
}

/* --- the live set --- */

/*
 * An object's place in the live set (its key): not its address, which depends on where
 * EAL or the park put the zones and so on the inputs run before, but a rank given to its
 * 2 MiB slab when the model gets its first live object in it (holding none there before:
 * a slab that empties may go back to EAL, and a later one take its address), then its
 * offset in the slab. Found from the address alone, not from fastmem's slab header. The
 * objects of one slab keep their address order, and fz_check_new() keeps every object
 * inside its slab: the set is still an interval set, and objects of two ranks cannot
 * overlap.
 */
#define FZ_MAX_SLABS_LIVE 1024
#define FZ_KEY_RANK_SHIFT 32 /* above the offset in a slab */
static struct {
	uintptr_t slab;
	uint32_t rank;
	uint32_t n_live; /* live objects of the model in the slab; > 0 */
} slabs_live[FZ_MAX_SLABS_LIVE];
static unsigned int n_slabs_live;
static uint32_t next_rank;

static unsigned int
slab_find(uintptr_t slab)
{
	unsigned int i;

	for (i = 0; i < n_slabs_live && slabs_live[i].slab != slab; i++)
		;
	return i;
}

static uint64_t
key_of(unsigned int i, const void *p)
{
	return (uint64_t)slabs_live[i].rank << FZ_KEY_RANK_SHIFT |
			((uintptr_t)p & (FZ_SLAB - 1));
}

/* The key of p; UINT64_MAX when the model holds nothing in its slab. */
static uint64_t
obj_key(const void *p)
{
	unsigned int i = slab_find(RTE_ALIGN_FLOOR((uintptr_t)p, FZ_SLAB));

	return i == n_slabs_live ? UINT64_MAX : key_of(i, p);
}

/* A new live object p: its key, its slab counted. */
static uint64_t
obj_key_add(const void *p)
{
	uintptr_t slab = RTE_ALIGN_FLOOR((uintptr_t)p, FZ_SLAB);
	unsigned int i = slab_find(slab);

	if (i == n_slabs_live) {
		FZ_CHECK(i < FZ_MAX_SLABS_LIVE, "model: more than %u slabs hold live objects",
				FZ_MAX_SLABS_LIVE);
		FZ_CHECK(next_rank < UINT32_MAX, "model: slab ranks exhausted");
		slabs_live[i].slab = slab;
		slabs_live[i].rank = next_rank++;
		slabs_live[i].n_live = 0;
		n_slabs_live++;
	}
	slabs_live[i].n_live++;
	return key_of(i, p);
}

/* A live object of key key is gone: its slab counted down, forgotten at 0. */
static void
obj_key_remove(uint64_t key)
{
	uint32_t rank = (uint32_t)(key >> FZ_KEY_RANK_SHIFT);
	unsigned int i;

	for (i = 0; i < n_slabs_live && slabs_live[i].rank != rank; i++)
		;
	FZ_CHECK(i < n_slabs_live, "model: no slab of rank %u", rank);
	if (--slabs_live[i].n_live == 0)
		slabs_live[i] = slabs_live[--n_slabs_live];
}

/* First index whose object's key is key or above. */
static unsigned int
lower_bound(uint64_t key)
{
	unsigned int lo = 0, hi = fz.n;

	while (lo < hi) {
		unsigned int mid = (lo + hi) / 2;

		if (fz.objs[mid].key < key)
			lo = mid + 1;
		else
			hi = mid;
	}
	return lo;
}

int
fz_find(const void *p)
{
	uint64_t key = obj_key(p);
	unsigned int i = lower_bound(key);

	return key != UINT64_MAX && i < fz.n && fz.objs[i].ptr == p ? (int)i : -1;
}

/* The documented placement of a new object of class cls requested with align. */
void
fz_check_new(void *p, unsigned int cls, size_t align)
{
	size_t cs = fz_class_size(cls);
	uintptr_t a = (uintptr_t)p;
	size_t off = a & (FZ_SLAB - 1);

	FZ_CHECK(p != NULL, "allocation returned NULL with success");
	FZ_CHECK(a % fz_class_align(cls) == 0, "object %p of class %zu B is not aligned to "
			"%zu", p, cs, fz_class_align(cls));
	FZ_CHECK(align == 0 || a % align == 0, "object %p is not aligned to %zu", p, align);
	FZ_CHECK(off >= FZ_SLAB_HDR && off + cs <= FZ_SLAB,
			"object %p of class %zu B overlaps a slab header or boundary (offset %zu)",
			p, cs, off);
}

struct fz_obj *
fz_add(void *p, size_t size, unsigned int cls, int socket_id)
{
	size_t cs = fz_class_size(cls);
	uint64_t key = obj_key_add(p);
	unsigned int i = lower_bound(key);
	struct fz_obj *o;

	fz_digest_add((uintptr_t)p & (RTE_FASTMEM_SLAB_SIZE - 1));
	fz_digest_add(cls);

	FZ_CHECK(fz.n < FZ_MAX_LIVE, "model: live set overflow");
	/* neighbours of another slab cannot overlap it */
	if (i > 0 && fz.objs[i - 1].key >> FZ_KEY_RANK_SHIFT == key >> FZ_KEY_RANK_SHIFT) {
		const struct fz_obj *prev = &fz.objs[i - 1];

		FZ_CHECK((uintptr_t)prev->ptr + fz_class_size(prev->cls) <= (uintptr_t)p,
				"new object %p (class %zu B) overlaps live object %p (class %zu B, "
				"id %u)", p, cs, (void *)prev->ptr, fz_class_size(prev->cls),
				prev->id);
	}
	if (i < fz.n && fz.objs[i].key >> FZ_KEY_RANK_SHIFT == key >> FZ_KEY_RANK_SHIFT) {
		const struct fz_obj *next = &fz.objs[i];

		FZ_CHECK((uintptr_t)p + cs <= (uintptr_t)next->ptr,
				"new object %p (class %zu B) overlaps live object %p (class %zu B, "
				"id %u)", p, cs, (void *)next->ptr, fz_class_size(next->cls),
				next->id);
	}
	memmove(&fz.objs[i + 1], &fz.objs[i], (fz.n - i) * sizeof(fz.objs[0]));
	fz.n++;
	o = &fz.objs[i];
	o->ptr = p;
	o->key = key;
	o->size = size;
	o->cls = cls;
	o->id = fz.next_id++;
	o->socket_id = socket_id;
	fz.live_bytes += cs;
	fz.live_cls[cls]++;
	return o;
}

void
fz_remove(unsigned int idx)
{
	const struct fz_obj *o = &fz.objs[idx];

	obj_key_remove(o->key);
	fz.live_bytes -= fz_class_size(o->cls);
	fz.live_cls[o->cls]--;
	memmove(&fz.objs[idx], &fz.objs[idx + 1], (fz.n - idx - 1) * sizeof(fz.objs[0]));
	fz.n--;
}

/* After rte_fastmem_deinit() (every object is gone with the memory), and after an init or
 * fastmem_reset() (no object is live): the live set starts over. */
void
fz_forget_all(void)
{
	n_slabs_live = 0;
	next_rank = 0;
	fz.n = 0;
	fz.live_bytes = 0;
	memset(fz.live_cls, 0, sizeof(fz.live_cls));
}

/* --- statistics --- */

static unsigned int
ctx_lcore(enum fz_ctx ctx)
{
	return ctx == FZ_CTX_MAIN ? rte_get_main_lcore() : FZ_WORKER_LCORE;
}

/* The snapshot the last fz_check_stats() or fz_check_reset() compared. */
static struct fz_snap last;

/* The classes that may have changed since the last reset: those with a live object or an
 * event counted since then. */
static bool touched[FZ_NCLS];

static void
mark_touched(void)
{
	unsigned int c, x;

	for (c = 0; c < FZ_NCLS; c++) {
		if (fz.live_cls[c] > 0)
			touched[c] = true;
		for (x = 0; x < FZ_N_CTX; x++)
			if (fz.allocs[x][c] + fz.frees[x][c] + fz.nomem[x][c] > 0)
				touched[c] = true;
	}
}

/*
 * Every statistic the model checks. A class untouched since the last reset still has the
 * figures of the last snapshot, which are copied rather than asked for again: the
 * snapshots of an input cost the classes it used, not all of them. With full, every class
 * is asked for (after an init).
 */
FZ_NO_COVERAGE static void
snapshot(struct fz_snap *s, bool full)
{
	unsigned int c, x;
	int ret;

	mark_touched();
	*s = last;
	memset(&s->all, 0, sizeof(s->all));
	memset(s->lc, 0, sizeof(s->lc));
	ret = rte_fastmem_stats(&s->all);
	FZ_CHECK(ret == 0, "rte_fastmem_stats() failed: %d", ret);
	for (x = 0; x < FZ_N_CTX; x++) {
		if (x == FZ_CTX_THREAD)
			ret = rte_fastmem_stats_shared(&s->lc[x]);
		else
			ret = rte_fastmem_stats_lcore(ctx_lcore(x), &s->lc[x]);
		FZ_CHECK(ret == 0, "lcore statistics (%s) failed: %d", ctx_names[x], ret);
	}
	for (c = 0; c < FZ_NCLS; c++) {
		size_t cs = fz_class_size(c);

		if (!full && !touched[c])
			continue;
		memset(&s->cls[c], 0, sizeof(s->cls[c]));
		for (x = 0; x < FZ_N_CTX; x++)
			memset(&s->lcc[x][c], 0, sizeof(s->lcc[x][c]));
		ret = rte_fastmem_stats_class(cs, &s->cls[c]);
		FZ_CHECK(ret == 0, "rte_fastmem_stats_class(%zu) failed: %d", cs, ret);
		for (x = 0; x < FZ_N_CTX; x++) {
			if (x == FZ_CTX_THREAD)
				ret = rte_fastmem_stats_shared_class(cs, &s->lcc[x][c]);
			else
				ret = rte_fastmem_stats_lcore_class(ctx_lcore(x), cs,
						&s->lcc[x][c]);
			FZ_CHECK(ret == 0, "class %zu statistics (%s) failed: %d", cs,
					ctx_names[x], ret);
		}
	}
}

size_t
fz_backing(void)
{
	/* read from the state, as rte_fastmem_stats() does, without its walk over every
	 * cache: the decoder asks after most operations, fz_check_stats() checks the
	 * statistic itself */
	const struct fastmem_state *st = fastmem_state();
	size_t bytes = 0;
	unsigned int i;

	FZ_CHECK(st != NULL, "fastmem_state() is NULL while initialized");
	for (i = 0; i < __atomic_load_n(&st->n_sockets, __ATOMIC_ACQUIRE); i++)
		bytes += __atomic_load_n(&st->sockets[i]->backing, __ATOMIC_RELAXED);
	return bytes;
}

#define CHECK_EQ(what, got, want) \
	FZ_CHECK((uint64_t)(got) == (uint64_t)(want), "%s: %" PRIu64 ", model says %" PRIu64, \
			what, (uint64_t)(got), (uint64_t)(want))

/* Report a statistic that differs from the model, described by fmt. */
__rte_noreturn __rte_format_printf(3, 4) static void
eq_fail(uint64_t got, uint64_t want, const char *fmt, ...)
{
	char what[128];
	va_list ap;

	va_start(ap, fmt);
	vsnprintf(what, sizeof(what), fmt, ap);
	va_end(ap);
	fz_fail("%s: %" PRIu64 ", model says %" PRIu64, what, got, want);
}

/* CHECK_EQ with a description formatted only when the check fails. */
#define CHECK_EQF(got, want, ...) do { \
	uint64_t got_ = (uint64_t)(got), want_ = (uint64_t)(want); \
	if (unlikely(got_ != want_)) \
		eq_fail(got_, want_, __VA_ARGS__); \
} while (0)

/*
 * Right after rte_fastmem_stats_reset(), fastmem_reset() or an init: every event counter
 * reads 0. The snapshot is kept for fz_rebase_last(). With full (after an init), every
 * class is asked for.
 */
FZ_NO_COVERAGE void
fz_check_reset(bool full)
{
	struct fz_snap s;
	unsigned int c, x;

	snapshot(&s, full);
	last = s;
	CHECK_EQ("alloc_total after reset", s.all.alloc_total, 0);
	CHECK_EQ("free_total after reset", s.all.free_total, 0);
	CHECK_EQ("alloc_nomem after reset", s.all.alloc_nomem, 0);
	for (c = 0; c < FZ_NCLS; c++) {
		const struct rte_fastmem_class_stats *k = &s.cls[c];

		FZ_CHECK(k->alloc_cache_hits + k->alloc_cache_misses + k->free_cache_hits +
				k->free_cache_misses + k->alloc_nomem + k->slab_acquires +
				k->slab_releases == 0,
				"class %zu B: event counters not zero after reset", k->class_size);
		for (x = 0; x < FZ_N_CTX; x++) {
			const struct rte_fastmem_lcore_class_stats *l = &s.lcc[x][c];

			FZ_CHECK(l->alloc_cache_hits + l->alloc_cache_misses +
					l->free_cache_hits + l->free_cache_misses +
					l->alloc_nomem == 0,
					"class %zu B, %s: event counters not zero after reset",
					k->class_size, ctx_names[x]);
		}
	}
	for (x = 0; x < FZ_N_CTX; x++)
		FZ_CHECK(s.lc[x].alloc_cache_hits + s.lc[x].alloc_cache_misses +
				s.lc[x].free_cache_hits + s.lc[x].free_cache_misses +
				s.lc[x].alloc_nomem == 0,
				"%s: event counters not zero after reset", ctx_names[x]);
}

FZ_NO_COVERAGE static uint64_t
sum_ctx(uint64_t (*a)[FZ_NCLS], unsigned int c)
{
	uint64_t s = 0;
	unsigned int x;

	for (x = 0; x < FZ_N_CTX; x++)
		s += a[x][c];
	return s;
}

/* After fastmem_reset() or an init, checked by fz_check_reset(): no class holds anything
 * or counts any event. */
void
fz_untouch_all(void)
{
	memset(touched, 0, sizeof(touched));
}

/* Start counting events from the last checked snapshot (nothing happened since). */
void
fz_rebase_last(void)
{
	fz.base = last;
	memset(fz.allocs, 0, sizeof(fz.allocs));
	memset(fz.frees, 0, sizeof(fz.frees));
	memset(fz.nomem, 0, sizeof(fz.nomem));
}

/* Compare every statistic with the model; with leak_check, also that nothing is held. */
FZ_NO_COVERAGE void
fz_check_stats(bool leak_check)
{
	const struct fz_snap *b = &fz.base;
	uint64_t allocs = 0, frees = 0, nomem = 0, slabs = 0, cached_bytes = 0;
	struct fz_snap s;
	unsigned int c, x;

	snapshot(&s, false);
	last = s;
	CHECK_EQ("n_classes", s.all.n_classes, FZ_NCLS);
	if (FZ_HITS)
		CHECK_EQ("bytes_in_use", s.all.bytes_in_use, fz.live_bytes);
	FZ_CHECK(s.all.bytes_backing == fz_backing(), "bytes_backing %" PRIu64 ", the sockets"
			" hold %zu B", s.all.bytes_backing, fz_backing());
	FZ_CHECK(s.all.bytes_backing % FZ_SLAB == 0, "bytes_backing %" PRIu64
			" is not a whole number of slabs", s.all.bytes_backing);
	/* the limit bounds growth: backing stays below it, or below what it was when a lower
	 * limit was set */
	if (fz.strict)
		FZ_CHECK(s.all.bytes_backing <= RTE_MAX(fz_limit_floor(fz.limits[0]),
				fz.limit_backing[0]), "bytes_backing %" PRIu64 " above the limit"
				" %zu (and above %zu, when the limit was set)", s.all.bytes_backing,
				fz.limits[0], fz.limit_backing[0]);

	for (c = 0; c < FZ_NCLS; c++) {
		const struct rte_fastmem_class_stats *k = &s.cls[c], *kb = &b->cls[c];
		size_t cs = fz_class_size(c);
		uint64_t cached = 0, n_slabs = k->slabs_partial + k->slabs_full;

		allocs += sum_ctx(fz.allocs, c);
		frees += sum_ctx(fz.frees, c);
		nomem += sum_ctx(fz.nomem, c);
		CHECK_EQ("class_size", k->class_size, cs);
		if (FZ_HITS) {
			CHECK_EQF(k->in_use, fz.live_cls[c], "class %zu B: in_use", cs);
			CHECK_EQF(k->alloc_cache_hits + k->alloc_cache_misses -
					kb->alloc_cache_hits - kb->alloc_cache_misses,
					sum_ctx(fz.allocs, c), "class %zu B: allocations", cs);
			CHECK_EQF(k->free_cache_hits + k->free_cache_misses -
					kb->free_cache_hits - kb->free_cache_misses,
					sum_ctx(fz.frees, c), "class %zu B: frees", cs);
		} else {
			FZ_CHECK(k->alloc_cache_hits + k->free_cache_hits == 0,
					"class %zu B: cache hits counted with fastmem_stats off", cs);
		}
		CHECK_EQF(k->alloc_nomem - kb->alloc_nomem, sum_ctx(fz.nomem, c),
				"class %zu B: alloc_nomem", cs);
		CHECK_EQF((k->slab_acquires - kb->slab_acquires) -
				(k->slab_releases - kb->slab_releases),
				n_slabs - kb->slabs_partial - kb->slabs_full,
				"class %zu B: slab_acquires - slab_releases", cs);

		for (x = 0; x < FZ_N_CTX; x++) {
			const struct rte_fastmem_lcore_class_stats *l = &s.lcc[x][c];
			const struct rte_fastmem_lcore_class_stats *lb = &b->lcc[x][c];

			if (FZ_HITS || x == FZ_CTX_THREAD)
				CHECK_EQF(l->alloc_cache_hits + l->alloc_cache_misses -
						lb->alloc_cache_hits - lb->alloc_cache_misses,
						fz.allocs[x][c], "class %zu B, %s: allocations",
						cs, ctx_names[x]);
			if (FZ_HITS || x == FZ_CTX_THREAD)
				CHECK_EQF(l->free_cache_hits + l->free_cache_misses -
						lb->free_cache_hits - lb->free_cache_misses,
						fz.frees[x][c], "class %zu B, %s: frees", cs,
						ctx_names[x]);
			CHECK_EQF(l->alloc_nomem - lb->alloc_nomem, fz.nomem[x][c],
					"class %zu B, %s: alloc_nomem", cs, ctx_names[x]);
			if (x == FZ_CTX_THREAD) {
				CHECK_EQF(l->alloc_cache_hits - lb->alloc_cache_hits +
						l->free_cache_hits - lb->free_cache_hits +
						l->cached, 0, "class %zu B, %s: cache hits and "
						"cached objects", cs, ctx_names[x]);
				continue;
			}
			FZ_CHECK(l->cached <= l->cache_capacity, "class %zu B, %s: %" PRIu64
					" cached objects, above the capacity %u", cs,
					ctx_names[x], l->cached, l->cache_capacity);
			FZ_CHECK((uint64_t)l->cache_capacity * cs <= RTE_FASTMEM_CACHE_BYTES_MAX,
					"class %zu B: cache capacity %u above "
					"RTE_FASTMEM_CACHE_BYTES_MAX", cs, l->cache_capacity);
			cached += l->cached;
		}
		cached += k->xfer_cached; /* the bin's transfer cache */
		cached_bytes += cached * cs;
		slabs += k->bytes_runs;
		/* every run of a class holds at least one object out, a full one all */
		FZ_CHECK(n_slabs <= fz.live_cls[c] + cached &&
				k->slabs_full * fz_run_min(c) <= fz.live_cls[c] + cached &&
				n_slabs * fz_run_max(c) >= fz.live_cls[c] + cached &&
				k->bytes_runs == n_slabs * fz_run_pages(c) * FZ_RUN_PAGE,
				"class %zu B: %" PRIu64 " partial + %" PRIu64 " full runs (%" PRIu64
				" B) of %u to %u objects for %u objects in use and %" PRIu64
				" cached", cs, k->slabs_partial, k->slabs_full, k->bytes_runs,
				fz_run_min(c), fz_run_max(c), fz.live_cls[c], cached);
		if (leak_check)
			FZ_CHECK(n_slabs == 0 && cached == 0, "class %zu B: %" PRIu64 " runs and "
					"%" PRIu64 " cached objects left with nothing allocated",
					cs, n_slabs, cached);
	}
	if (FZ_HITS) {
		CHECK_EQ("alloc_total", s.all.alloc_total - b->all.alloc_total, allocs);
		CHECK_EQ("free_total", s.all.free_total - b->all.free_total, frees);
	}
	CHECK_EQ("alloc_nomem", s.all.alloc_nomem - b->all.alloc_nomem, nomem);
	CHECK_EQ("bytes_cached", s.all.bytes_cached, cached_bytes);
	FZ_CHECK(slabs <= s.all.bytes_backing, "%" PRIu64 " B in runs, %" PRIu64
			" B backing", slabs, s.all.bytes_backing);

	for (x = 0; x < FZ_N_CTX; x++) {
		const struct rte_fastmem_lcore_stats *l = &s.lc[x], *lb = &b->lc[x];
		uint64_t a = 0, f = 0, e = 0, cb = 0;

		for (c = 0; c < FZ_NCLS; c++) {
			a += fz.allocs[x][c];
			f += fz.frees[x][c];
			e += fz.nomem[x][c];
			cb += s.lcc[x][c].cached * fz_class_size(c);
		}
		if (FZ_HITS || x == FZ_CTX_THREAD)
			CHECK_EQF(l->alloc_cache_hits + l->alloc_cache_misses -
					lb->alloc_cache_hits - lb->alloc_cache_misses, a,
					"%s: allocations", ctx_names[x]);
		if (FZ_HITS || x == FZ_CTX_THREAD)
			CHECK_EQF(l->free_cache_hits + l->free_cache_misses -
					lb->free_cache_hits - lb->free_cache_misses, f,
					"%s: frees", ctx_names[x]);
		CHECK_EQF(l->alloc_nomem - lb->alloc_nomem, e, "%s: alloc_nomem", ctx_names[x]);
		CHECK_EQF(l->bytes_cached, cb, "%s: bytes_cached", ctx_names[x]);
	}
	if (leak_check)
		FZ_CHECK((!FZ_HITS || s.all.bytes_in_use == 0) && s.all.bytes_cached == 0,
				"%" PRIu64 " B in use and %" PRIu64 " B cached after freeing "
				"everything", s.all.bytes_in_use, s.all.bytes_cached);
}

/* --- ENOMEM --- */

/* EAL can still give fastmem one more 2 MiB-aligned slab on the socket. */
bool
fz_eal_can_give_slab(int socket_id)
{
	struct rte_malloc_socket_stats ms;

	if (rte_malloc_get_socket_stats(socket_id, &ms) != 0)
		return false;
	/* an aligned slab, plus room for the malloc element headers */
	return ms.greatest_free_size >= 2 * FZ_SLAB + 64 * FZ_KIB;
}

/*
 * An allocation of n objects of class cls on socket_id, by the current context, just
 * failed with ENOMEM: was it allowed to? rte_fastmem.h promises success as long as
 * used + cached + frag + 2 MiB <= limit, where cached counts the caches of the other
 * lcores (the caller returns its own before failing). Read after the failure, the slabs
 * of the other classes hold their used, cached and free objects and the overhead (frag);
 * the class itself needs room for its objects in use, those the other lcores cache, and
 * the n wanted, packed in slabs.
 */
bool
fz_nomem_ok(int socket_id, unsigned int cls, unsigned int n)
{
	struct rte_fastmem_lcore_class_stats l;
	struct rte_fastmem_class_stats k;
	uint64_t other_runs = 0, other_bytes = 0, demand, runs, need;
	size_t limit;
	unsigned int c, x, per_slab;
	int si = fz_socket_index(socket_id);

	if (!fz.strict || si < 0)
		return true;
	if (!fz_eal_can_give_slab(socket_id))
		return true;
	limit = fz_limit_floor(fz.limits[si]);
	for (c = 0; c < FZ_NCLS; c++) {
		if (c == cls)
			continue;
		FZ_CHECK(rte_fastmem_stats_class(fz_class_size(c), &k) == 0, "class stats");
		other_runs += k.slabs_partial + k.slabs_full;
		other_bytes += k.bytes_runs;
	}
	demand = (uint64_t)fz.live_cls[cls] + n;
	for (x = FZ_CTX_MAIN; x <= FZ_CTX_WORKER; x++) {
		if (x == fz_cur_ctx)
			continue;
		FZ_CHECK(rte_fastmem_stats_lcore_class(ctx_lcore(x), fz_class_size(cls), &l) == 0,
				"lcore class stats");
		demand += l.cached;
	}
	/* runs of the class the demand fills; a run of one page fits any free page, a larger
	 * one is sure to fit only in a slab that no run of another class splits */
	runs = (demand + fz_run_min(cls) - 1) / fz_run_min(cls);
	if (fz_run_pages(cls) == 1) {
		need = other_bytes + runs * FZ_RUN_PAGE;
	} else {
		size_t a = RTE_MAX(fz_class_align(cls) / FZ_RUN_PAGE, (size_t)1);

		per_slab = (unsigned int)(FZ_PAGES / RTE_ALIGN_CEIL(fz_run_pages(cls), a));
		need = (other_runs + (runs + per_slab - 1) / per_slab) * FZ_SLAB;
	}
	if (need <= limit) {
		fprintf(stderr, "fastmem_fuzz: ENOMEM for %u object(s) of class %zu B: %" PRIu64
				" runs (%" PRIu64 " B) of other classes, %" PRIu64
				" objects of the class wanted (%u per run at least), limit %zu B\n",
				n, fz_class_size(cls), other_runs, other_bytes, demand,
				fz_run_min(cls), fz.limits[si]);
		rte_fastmem_dump(stderr);
		return false;
	}
	return true;
}
