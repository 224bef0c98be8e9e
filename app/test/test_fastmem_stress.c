/* SPDX-License-Identifier: BSD-3-Clause
 * Copyright(c) 2026 The dpdk-lcoremem authors
 */

/*
 * fastmem under load for a bounded time, and under injected faults.
 *
 * fastmem_stress_autotest (stress suite) runs for FASTMEM_STRESS_SECONDS seconds (10 by
 * default). Every worker lcore, and a few non-EAL threads that register and unregister
 * lcore ids as they go, make random calls: alloc, alloc_socket, alloc_bulk, free,
 * free_bulk, realloc, halloc, halloc_bulk, hfree, hfree_bulk and cache_flush, and hand
 * objects to one another through rte_rings; the receiver checks an object and frees it
 * or keeps it as its own. Meanwhile the main lcore reads every statistic and trims.
 * Each thread's PRNG seed is printed (FASTMEM_STRESS_SEED changes the base seed): a
 * thread's sequence of choices is reproducible, the interleaving is not.
 * Every object carries, over its requested bytes, a pattern derived from a tag unique to
 * the allocation, checked before the object is freed, resized or handed over: a write by
 * the allocator into a live object, or two live objects sharing bytes, shows as a
 * mismatch. Objects are also checked for the alignment their class promises (at least
 * the alignment asked for) and F_ZERO.
 * The main lcore cuts the run into epochs. At the end of each, every thread stops
 * sending, drains its inbox, checks all its objects and parks; the main lcore then
 * compares the statistics with the threads' tallies (bytes_in_use and per-class in_use,
 * alloc_total - free_total = live objects), checks that no two live objects overlap and
 * that bytes_backing is exactly the memzones fastmem holds, and restarts them. Epochs
 * come in fours: a normal one; a burst, in which the threads hold up to 8 times more,
 * so that the socket grows; a squeeze, in which the limit of every socket is lowered to
 * the backing memory it holds (a fault injected under load): allocations may fail with
 * ENOMEM then, and at no other time; and a lean one, in which the threads hold at most
 * a few objects and flush their caches often, so that zones fall free and the main
 * lcore's trims release them while the traffic goes on. At the end everything is freed:
 * nothing may be live or cached, and the backing memory must not have changed. The last
 * line printed, "stress: ops=... exact=yes", gives the run's totals as key=value pairs;
 * devtools/run-soak.sh, which runs this test for half an hour under each sanitizer,
 * reads it.
 *
 * fastmem_autotest's functional tests run on a single lcore, fastmem_concurrent_autotest
 * runs a fixed number of operations; this one runs for a time, mixes every call, and checks
 * the invariants in the middle of the run.
 *
 * fastmem_fault_autotest (fast suite, a few seconds) injects faults one at a time:
 *  - limit reached: ENOMEM from every allocation call and from reserve, all or nothing for
 *    bulk; freeing objects of a class serves that class again, freeing a whole slab
 *    serves any class; raising the limit lets the socket grow;
 *  - another lcore's cache holding the memory: ENOMEM until that lcore flushes;
 *  - EAL memory exhausted (--no-huge only: with hugepages the memory is the machine's):
 *    memzones are reserved until EAL has nothing left; fastmem fails with ENOMEM without
 *    growing, grows with zones smaller than its preferred size in a hole freed for it,
 *    and grows again once the memory is back; rte_fastmem_init() fails cleanly;
 *  - after each fault, nothing leaks: bytes_backing is exactly fastmem's memzones, every
 *    slab is back in its pool, rte_fastmem_deinit() leaves no fastmem memzone and the EAL
 *    heaps hold as many bytes as before rte_fastmem_init().
 *
 * Thread sanitizer note: as in test_fastmem_concurrent.c, what passes between threads
 * also goes through a C11-style atomic (an object's tag is stored with release before it
 * is handed over and loaded with acquire by the receiver; the epoch handshake uses
 * acquire/release counters), since TSan does not see the synchronisation inside Debian's
 * uninstrumented DPDK. The rings use DPDK's C11 memory-model code, and one sender at a
 * time enqueues (single-producer; a flag taken with acquire, released with release): a
 * multi-producer enqueue waits for the previous producer with a relaxed load, which in
 * C11's model, and so for TSan, does not order that producer's slot before the consumer.
 * The non-EAL threads register and unregister under a mutex
 * (test_fastmem_thread_register()).
 */

/* rte_ring's acquire/release implementation, which TSan follows (test_fastmem_concurrent.c) */
#ifndef RTE_USE_C11_MEM_MODEL
#define RTE_USE_C11_MEM_MODEL 1
#endif

#include <errno.h>
#include <inttypes.h>
#include <pthread.h>
#include <sched.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>
#include <unistd.h>

#include <rte_common.h>
#include <rte_eal.h>
#include <rte_errno.h>
#include <rte_launch.h>
#include <rte_lcore.h>
#include <rte_malloc.h>
#include <rte_memory.h>
#include <rte_memzone.h>
#include <rte_ring.h>
#include <rte_version.h>

#include <rte_fastmem.h>

#include "test.h"
#include "test_fastmem.h"

#define KIB ((size_t)1 << 10)
#define MIB ((size_t)1 << 20)
#define SLAB RTE_FASTMEM_SLAB_SIZE
/* The largest zone fastmem grows by (rte_fastmem.h). */
#define MAX_ZONE (128 * MIB)

/* ---- helpers shared by both tests ---- */

/* splitmix64: a small deterministic generator, one state per thread. */
static inline uint64_t
rng_next(uint64_t *state)
{
	uint64_t z = (*state += UINT64_C(0x9E3779B97F4A7C15));

	z = (z ^ (z >> 30)) * UINT64_C(0xBF58476D1CE4E5B9);
	z = (z ^ (z >> 27)) * UINT64_C(0x94D049BB133111EB);
	return z ^ (z >> 31);
}

static inline uint64_t
now_ns(void)
{
	struct timespec ts;

	clock_gettime(CLOCK_MONOTONIC, &ts);
	return (uint64_t)ts.tv_sec * 1000000000 + (uint64_t)ts.tv_nsec;
}

/*
 * The size classes, from rte_fastmem_classes(), in increasing size: a class is named by its
 * index here (the order rte_fastmem_classes() lists them in). Set once by
 * class_table_init(), before any thread starts; read-only afterwards.
 */
static size_t class_sizes[RTE_FASTMEM_MAX_CLASSES];
static unsigned int n_classes;

static void
class_table_init(void)
{
	n_classes = rte_fastmem_classes(class_sizes);
}

static inline size_t
class_size(unsigned int cls)
{
	return class_sizes[cls];
}

/*
 * Index of the class serving (size, align), as rte_fastmem.h defines it: the smallest
 * class at least max(size, 1) rounded up to a multiple of the alignment (0: a cache line).
 * The same class as test_fastmem_class(), found by bisection in class_sizes[]. size and
 * align are at most 1 MiB here, so a class always exists.
 */
static unsigned int
class_of(size_t size, size_t align)
{
	size_t want = RTE_ALIGN_CEIL(RTE_MAX(size, (size_t)1),
		align == 0 ? (size_t)RTE_CACHE_LINE_SIZE : align);
	unsigned int lo = 0, hi = n_classes - 1;

	while (lo < hi) {
		unsigned int mid = (lo + hi) / 2;

		if (class_sizes[mid] >= want)
			hi = mid;
		else
			lo = mid + 1;
	}
	return lo;
}

/*
 * A tag: owner (8 bits), class index (7 bits), requested size (21 bits: up to 1 MiB
 * included), sequence number (28 bits). Objects of 8 bytes and more keep their tag in
 * their first word; the rest of the requested bytes hold pattern words derived from the tag.
 */
#define TAG_OWNER_SHIFT 56
#define TAG_OWNER_MASK UINT64_C(0xff)
#define TAG_CLS_SHIFT 49
#define TAG_CLS_MASK UINT64_C(0x7f)
#define TAG_SIZE_SHIFT 28
#define TAG_SIZE_MASK UINT64_C(0x1fffff)
#define TAG_SEQ_MASK UINT64_C(0xfffffff)

static inline uint64_t
tag_make(unsigned int owner, unsigned int cls, size_t size, uint32_t seq)
{
	/* every class index and every size up to the largest class fit their fields */
	RTE_BUILD_BUG_ON(RTE_FASTMEM_MAX_CLASSES > TAG_CLS_MASK + 1);
	RTE_BUILD_BUG_ON(MIB > TAG_SIZE_MASK);
	return ((uint64_t)owner & TAG_OWNER_MASK) << TAG_OWNER_SHIFT |
		((uint64_t)cls & TAG_CLS_MASK) << TAG_CLS_SHIFT |
		((uint64_t)size & TAG_SIZE_MASK) << TAG_SIZE_SHIFT | (seq & TAG_SEQ_MASK);
}

static inline unsigned int
tag_owner(uint64_t tag)
{
	return (unsigned int)((tag >> TAG_OWNER_SHIFT) & TAG_OWNER_MASK);
}

static inline unsigned int
tag_cls(uint64_t tag)
{
	return (unsigned int)((tag >> TAG_CLS_SHIFT) & TAG_CLS_MASK);
}

static inline size_t
tag_size(uint64_t tag)
{
	return (size_t)((tag >> TAG_SIZE_SHIFT) & TAG_SIZE_MASK);
}

static inline uint64_t
pattern_word(uint64_t tag, size_t i)
{
	uint64_t x = tag + i * UINT64_C(0xD6E8FEB86659FD93);

	return x ^ (x >> 29) ^ UINT64_C(0x5555555555555555);
}

static inline uint8_t
pattern_byte(uint64_t tag, size_t i)
{
	return (uint8_t)(pattern_word(tag, i) >> 8);
}

/* Fill the first size bytes of an object; the tag word goes in last, with release. */
static void
obj_fill(void *obj, size_t size, uint64_t tag)
{
	uint64_t *w = obj;
	size_t n = size / 8, i;

	if (size < 8) {
		for (i = 0; i < size; i++)
			((uint8_t *)obj)[i] = pattern_byte(tag, i);
		return;
	}
	for (i = 1; i < n; i++)
		w[i] = pattern_word(tag, i);
	for (i = n * 8; i < size; i++)
		((uint8_t *)obj)[i] = pattern_byte(tag, i);
	/* release: pairs with the acquire load in obj_check() on another thread */
	__atomic_store_n(&w[0], tag, __ATOMIC_RELEASE);
}

/* Byte i of an object of size bytes filled by obj_fill() with tag. */
static uint8_t
obj_byte(uint64_t tag, size_t size, size_t i)
{
	uint64_t w;

	if (size < 8 || i >= size / 8 * 8)
		return pattern_byte(tag, i);
	w = i < 8 ? tag : pattern_word(tag, i / 8);
	return ((const uint8_t *)&w)[i % 8];
}

/* Check the first upto bytes of an object of size bytes filled by obj_fill() with tag. */
static bool
obj_check(const void *obj, size_t size, uint64_t tag, size_t upto)
{
	const uint64_t *w = obj;
	size_t n, i;

	upto = RTE_MIN(size, upto);
	n = upto / 8;
	/* acquire: pairs with the release store in obj_fill() */
	if (size >= 8 && n > 0 && __atomic_load_n(&w[0], __ATOMIC_ACQUIRE) != tag)
		return false;
	for (i = 1; i < n && size >= 8; i++)
		if (w[i] != pattern_word(tag, i))
			return false;
	for (i = size >= 8 ? n * 8 : 0; i < upto; i++)
		if (((const uint8_t *)obj)[i] != obj_byte(tag, size, i))
			return false;
	return true;
}

/* Memzones of fastmem's backing memory are named fastmem_<socket index>_<sequence>. */
static bool
mz_is_fastmem_backing(const struct rte_memzone *mz)
{
	return strncmp(mz->name, "fastmem_", 8) == 0 && mz->name[8] >= '0' &&
		mz->name[8] <= '9';
}

struct zone_walk {
	uint64_t bytes;       /* backing memzones */
	unsigned int n;       /* backing memzones */
	unsigned int n_any;   /* memzones whose name starts with "fastmem" */
	size_t min_len;
	size_t max_len;
};

static void
zone_walk_cb(const struct rte_memzone *mz, void *arg)
{
	struct zone_walk *z = arg;

	if (strncmp(mz->name, "fastmem", 7) == 0)
		z->n_any++;
	if (!mz_is_fastmem_backing(mz))
		return;
	z->bytes += mz->len;
	z->n++;
	z->min_len = RTE_MIN(z->min_len, mz->len);
	z->max_len = RTE_MAX(z->max_len, mz->len);
}

static struct zone_walk
zone_walk(void)
{
	struct zone_walk z = { .min_len = SIZE_MAX };

	rte_memzone_walk(zone_walk_cb, &z);
	return z;
}

/* Bytes allocated from every EAL heap (memzones included). */
static uint64_t
heap_bytes(void)
{
	unsigned int i, n = rte_socket_count();
	uint64_t sum = 0;

	for (i = 0; i < n; i++) {
		struct rte_malloc_socket_stats st;

		if (rte_malloc_get_socket_stats(rte_socket_id_by_idx(i), &st) == 0)
			sum += st.heap_allocsz_bytes;
	}
	return sum;
}

/* ================================================================================== */
/* ---- fastmem_stress_autotest ---- */

#define STRESS_SECONDS_DEFAULT 10
#define STRESS_SEED_DEFAULT UINT64_C(0x243F6A8885A308D3)
/* Non-EAL threads, registering and unregistering. */
#define STRESS_THREADS 2
/*
 * Objects and class bytes one thread holds at most: in a normal epoch; in a lean one (the
 * zones the bursts added fall free, for the trims to release); in a burst (the socket
 * grows by more zones); and while the limit is squeezed (more than a burst, so that the
 * threads run into the limit).
 */
#define STRESS_LIVE_NORMAL 256
#define STRESS_LIVE_LEAN 32
#define STRESS_LIVE_MAX 1024
#define STRESS_BUDGET (4 * MIB)
#define STRESS_BUDGET_LEAN (256 * KIB)
#define STRESS_BUDGET_BURST (24 * MIB)
#define STRESS_BUDGET_SQUEEZE (48 * MIB)
#define STRESS_RING_SIZE 1024
#define STRESS_BULK_MAX 16
/* Epoch length: the run divided by this, within the bounds below. */
#define STRESS_EPOCHS 8
#define STRESS_EPOCH_MIN_NS (UINT64_C(100) * 1000 * 1000)
#define STRESS_EPOCH_MAX_NS (UINT64_C(1000) * 1000 * 1000)
/* Give up (abort the process) when the threads do not park within this time. */
#define STRESS_PARK_TIMEOUT_NS (UINT64_C(120) * 1000 * 1000 * 1000)

enum stress_phase {
	STRESS_RUN,
	STRESS_QUIESCE,
	STRESS_STOP,
};

/* What the threads hold in an epoch (the squeeze is told by squeeze_gen). */
enum stress_shape {
	STRESS_NORMAL,
	STRESS_BURST,
	STRESS_LEAN,
};

struct stress_obj {
	void *ptr;
	uint64_t tag;
	int handle; /* index of the handle it came from, or -1 */
};

struct stress_counts {
	uint64_t ops;
	uint64_t allocs;      /* objects */
	uint64_t frees;       /* objects, by this thread */
	uint64_t bulk_allocs; /* calls */
	uint64_t bulk_frees;  /* calls */
	uint64_t reallocs;    /* calls that succeeded */
	uint64_t hallocs;     /* objects allocated with a handle */
	uint64_t hfrees;      /* objects freed with a handle */
	uint64_t sent;
	uint64_t received;
	uint64_t adopted;
	uint64_t flushes;
	uint64_t nomem;       /* calls failed with ENOMEM */
	uint64_t registrations;
	uint64_t unregistrations;
};

struct stress_part {
	/* set by the main lcore before the start */
	unsigned int idx;
	bool eal;             /* an EAL worker lcore; else a non-EAL pthread */
	unsigned int lcore_id;
	uint64_t seed;
	struct rte_ring *inbox;   /* single producer: a sender takes inbox_busy first */
	unsigned int inbox_busy;  /* 1 while a sender enqueues; acquire/release */
	pthread_t tid;
	/* the thread's own; read by the main lcore while the thread is parked */
	uint64_t rng;
	uint32_t seq;
	bool registered;
	unsigned int round_left;
	unsigned int n_live;
	uint64_t live_bytes;
	uint64_t class_live[RTE_FASTMEM_MAX_CLASSES];
	struct stress_counts cnt;
	bool failed;
	unsigned int done;        /* stress_run() returned; release store, acquire load */
	char error[256];
	struct stress_obj live[STRESS_LIVE_MAX];
};

/* The sizes of the handles every thread uses (alignment 0, the main lcore's socket). */
static const size_t stress_handle_size[] = { 0, 24, 64, 200, 1000, 4096, 30000, 300000 };
#define STRESS_HANDLES RTE_DIM(stress_handle_size)

static struct {
	rte_fastmem_handle_t handles[STRESS_HANDLES];
	struct stress_part *parts;
	unsigned int n_parts;
	unsigned int phase;       /* enum stress_phase; release store, acquire load */
	unsigned int stopped;     /* threads that stopped sending this epoch; atomic */
	unsigned int parked;      /* threads parked this epoch; atomic */
	unsigned int release_seq; /* bumped when the parked threads may go on; atomic */
	unsigned int squeeze_gen; /* odd while the limit is squeezed; atomic */
	unsigned int shape;       /* enum stress_shape of this epoch; atomic */
	unsigned int abort;       /* a thread failed; atomic */
} sctl;

static int
part_fail(struct stress_part *p, const char *fmt, ...) __rte_format_printf(2, 3);

static int
part_fail(struct stress_part *p, const char *fmt, ...)
{
	va_list ap;

	if (!p->failed) {
		va_start(ap, fmt);
		vsnprintf(p->error, sizeof(p->error), fmt, ap);
		va_end(ap);
		p->failed = true;
	}
	__atomic_store_n(&sctl.abort, 1, __ATOMIC_RELEASE);
	return -1;
}

static size_t
stress_size(uint64_t *rng)
{
	uint64_t r = rng_next(rng);
	unsigned int band = (unsigned int)(r % 100);

	r >>= 8;
	if (band < 50)
		return (size_t)(r % 129);                     /* 0 .. 128 B */
	if (band < 78)
		return 129 + (size_t)(r % (2 * KIB - 128));   /* .. 2 KiB */
	if (band < 90)
		return 2 * KIB + 1 + (size_t)(r % (62 * KIB)); /* .. 64 KiB */
	if (band < 91) {
		/* .. 1 MiB; one time in four the largest class or a byte less */
		if ((r & 3) == 0)
			return MIB - (size_t)((r >> 2) & 1);
		return 64 * KIB + 1 + (size_t)((r >> 2) % (MIB - 64 * KIB));
	}
	/*
	 * A class boundary: the size of a class of at most 64 KiB (every power of two from
	 * 8 B is one), one byte less or one byte more.
	 */
	return class_size((unsigned int)(r % (class_of(64 * KIB, 1) + 1))) - 1 +
		(size_t)((r >> 16) % 3);
}

static size_t
stress_align(uint64_t *rng)
{
	uint64_t r = rng_next(rng);
	unsigned int pick = (unsigned int)(r % 10);

	if (pick < 6)
		return 0;
	return (size_t)1 << ((r >> 8) % 17); /* 1 B .. 64 KiB */
}

static size_t
stress_budget(unsigned int gen)
{
	if ((gen & 1) != 0)
		return STRESS_BUDGET_SQUEEZE;
	switch (__atomic_load_n(&sctl.shape, __ATOMIC_RELAXED)) {
	case STRESS_BURST:
		return STRESS_BUDGET_BURST;
	case STRESS_LEAN:
		return STRESS_BUDGET_LEAN;
	default:
		return STRESS_BUDGET;
	}
}

static unsigned int
stress_live_cap(size_t budget)
{
	if (budget == STRESS_BUDGET)
		return STRESS_LIVE_NORMAL;
	return budget == STRESS_BUDGET_LEAN ? STRESS_LIVE_LEAN : STRESS_LIVE_MAX;
}

static void
live_add(struct stress_part *p, void *ptr, uint64_t tag, int handle)
{
	unsigned int cls = tag_cls(tag);

	p->live[p->n_live].ptr = ptr;
	p->live[p->n_live].tag = tag;
	p->live[p->n_live].handle = handle;
	p->n_live++;
	p->live_bytes += class_size(cls);
	p->class_live[cls]++;
}

static void
live_del(struct stress_part *p, unsigned int k)
{
	unsigned int cls = tag_cls(p->live[k].tag);

	p->live_bytes -= class_size(cls);
	p->class_live[cls]--;
	p->live[k] = p->live[--p->n_live];
}

static uint64_t
part_tag(struct stress_part *p, size_t size, unsigned int cls)
{
	return tag_make(p->idx, cls, size, ++p->seq);
}

/*
 * An allocation call failed. ENOMEM is the expected outcome only when the limit was
 * squeezed at some moment of the call: gen (read before the call) odd, or changed since.
 */
static int
stress_alloc_failed(struct stress_part *p, unsigned int gen, int err, const char *what,
		size_t size, size_t align)
{
	if (err == ENOMEM && ((gen & 1) != 0 ||
			gen != __atomic_load_n(&sctl.squeeze_gen, __ATOMIC_ACQUIRE))) {
		p->cnt.nomem++;
		return 0;
	}
	return part_fail(p, "%s(size %zu, align %zu) failed: %s (squeeze generation %u)",
		what, size, align, rte_strerror(err), gen);
}

/*
 * An object of class cls for (size, align): aligned as rte_fastmem.h promises objects of
 * its class (the largest power of two dividing the class size), which is at least the
 * alignment asked for.
 */
static int
stress_check_align(struct stress_part *p, const void *ptr, size_t size, size_t align,
		unsigned int cls, const char *what)
{
	size_t want = align == 0 ? (size_t)RTE_CACHE_LINE_SIZE : align;
	size_t promised = test_fastmem_class_align(class_size(cls));

	if (promised < want)
		return part_fail(p, "%s(%zu, %zu): class %zu promises alignment %zu, less than"
			" asked for", what, size, align, class_size(cls), promised);
	if (((uintptr_t)ptr & (promised - 1)) != 0)
		return part_fail(p, "%s(%zu, %zu) = %p: not aligned to %zu, as its class %zu"
			" promises", what, size, align, ptr, promised, class_size(cls));
	return 0;
}

/* A new object: check its alignment and F_ZERO, fill it and keep it. */
static int
stress_take_new(struct stress_part *p, void *ptr, size_t size, size_t align,
		unsigned int flags, int handle, const char *what)
{
	unsigned int cls = class_of(size, align);
	size_t i;

	if (stress_check_align(p, ptr, size, align, cls, what) != 0)
		return -1;
	if (flags & RTE_FASTMEM_F_ZERO)
		for (i = 0; i < size; i++)
			if (((const uint8_t *)ptr)[i] != 0)
				return part_fail(p, "%s(%zu, F_ZERO) = %p: byte %zu is %#x", what,
					size, ptr, i, ((const uint8_t *)ptr)[i]);
	live_add(p, ptr, part_tag(p, size, cls), handle);
	obj_fill(ptr, size, p->live[p->n_live - 1].tag);
	p->cnt.allocs++;
	return 0;
}

static int
stress_check_obj(struct stress_part *p, unsigned int k, const char *when)
{
	const struct stress_obj *o = &p->live[k];

	if (!obj_check(o->ptr, tag_size(o->tag), o->tag, SIZE_MAX))
		return part_fail(p, "object %p (size %zu, class %zu, tag %#" PRIx64
			") corrupt %s", o->ptr, tag_size(o->tag), class_size(tag_cls(o->tag)),
			o->tag, when);
	return 0;
}

static int op_free(struct stress_part *p);
static int op_free_bulk(struct stress_part *p);

static bool
over_budget(const struct stress_part *p, unsigned int n, uint64_t bytes, unsigned int gen)
{
	size_t budget = stress_budget(gen);

	return p->n_live + n > stress_live_cap(budget) || p->live_bytes + bytes > budget;
}

static int
op_alloc(struct stress_part *p)
{
	size_t size = stress_size(&p->rng), align = stress_align(&p->rng);
	uint64_t r = rng_next(&p->rng);
	unsigned int flags = (r & 7) == 0 ? RTE_FASTMEM_F_ZERO : 0;
	unsigned int gen = __atomic_load_n(&sctl.squeeze_gen, __ATOMIC_ACQUIRE);
	void *ptr;

	if (over_budget(p, 1, class_size(class_of(size, align)), gen))
		return op_free(p);
	if ((r & 8) != 0)
		ptr = rte_fastmem_alloc(size, align, flags);
	else
		ptr = rte_fastmem_alloc_socket(size, align, flags,
			(r & 16) != 0 ? SOCKET_ID_ANY : (int)rte_socket_id());
	if (ptr == NULL)
		return stress_alloc_failed(p, gen, rte_errno, "alloc", size, align);
	return stress_take_new(p, ptr, size, align, flags, -1, "alloc");
}

static int
op_alloc_bulk(struct stress_part *p)
{
	unsigned int n = 1 + (unsigned int)(rng_next(&p->rng) % STRESS_BULK_MAX);
	size_t size = stress_size(&p->rng), align = stress_align(&p->rng);
	uint64_t r = rng_next(&p->rng);
	unsigned int flags = (r & 7) == 0 ? RTE_FASTMEM_F_ZERO : 0;
	unsigned int gen = __atomic_load_n(&sctl.squeeze_gen, __ATOMIC_ACQUIRE);
	void *ptrs[STRESS_BULK_MAX];
	unsigned int i;
	int ret;

	if (over_budget(p, n, (uint64_t)n * class_size(class_of(size, align)), gen))
		return op_free_bulk(p);
	if ((r & 8) != 0)
		ret = rte_fastmem_alloc_bulk(ptrs, n, size, align, flags);
	else
		ret = rte_fastmem_alloc_bulk_socket(ptrs, n, size, align, flags, SOCKET_ID_ANY);
	if (ret != 0) {
		if (ret != -rte_errno)
			return part_fail(p, "alloc_bulk returned %d, rte_errno %d", ret,
				rte_errno);
		return stress_alloc_failed(p, gen, -ret, "alloc_bulk", size, align);
	}
	p->cnt.bulk_allocs++;
	for (i = 0; i < n; i++)
		if (stress_take_new(p, ptrs[i], size, align, flags, -1, "alloc_bulk") != 0)
			return -1;
	return 0;
}

static int
op_free(struct stress_part *p)
{
	unsigned int k;

	if (p->n_live == 0)
		return 0;
	k = (unsigned int)(rng_next(&p->rng) % p->n_live);
	if (stress_check_obj(p, k, "before free") != 0)
		return -1;
	if (p->live[k].handle >= 0 && (rng_next(&p->rng) & 1) != 0) {
		rte_fastmem_hfree(sctl.handles[p->live[k].handle], p->live[k].ptr);
		p->cnt.hfrees++;
	} else {
		rte_fastmem_free(p->live[k].ptr);
	}
	live_del(p, k);
	p->cnt.frees++;
	return 0;
}

/* Allocate with a handle: one object, or a bulk. */
static int
op_halloc(struct stress_part *p)
{
	uint64_t r = rng_next(&p->rng);
	unsigned int j = (unsigned int)(r % STRESS_HANDLES);
	unsigned int n = (r & 0x100) != 0 ? 1 + (unsigned int)((r >> 16) % 8) : 1;
	unsigned int flags = (r & 0x7000) == 0 ? RTE_FASTMEM_F_ZERO : 0;
	size_t size = stress_handle_size[j];
	unsigned int gen = __atomic_load_n(&sctl.squeeze_gen, __ATOMIC_ACQUIRE);
	void *ptrs[8];
	unsigned int i;
	int ret;

	if (over_budget(p, n, (uint64_t)n * class_size(class_of(size, 0)), gen))
		return op_free(p);
	if (n == 1) {
		ptrs[0] = rte_fastmem_halloc(sctl.handles[j], flags);
		ret = ptrs[0] == NULL ? -rte_errno : 0;
	} else {
		ret = rte_fastmem_halloc_bulk(sctl.handles[j], ptrs, n, flags);
	}
	if (ret != 0)
		return stress_alloc_failed(p, gen, -ret, n == 1 ? "halloc" : "halloc_bulk",
			size, 0);
	for (i = 0; i < n; i++)
		if (stress_take_new(p, ptrs[i], size, 0, flags, (int)j, "halloc") != 0)
			return -1;
	p->cnt.hallocs += n;
	return 0;
}

/* Free, with one handle, up to 8 objects that came from it. */
static int
op_hfree_bulk(struct stress_part *p)
{
	int j = (int)(rng_next(&p->rng) % STRESS_HANDLES);
	void *ptrs[8];
	unsigned int n = 0, k = 0;

	while (k < p->n_live && n < RTE_DIM(ptrs)) {
		if (p->live[k].handle != j) {
			k++;
			continue;
		}
		if (stress_check_obj(p, k, "before hfree_bulk") != 0)
			return -1;
		ptrs[n++] = p->live[k].ptr;
		live_del(p, k); /* the last one moved to k: look at k again */
	}
	rte_fastmem_hfree_bulk(sctl.handles[j], ptrs, n);
	p->cnt.frees += n;
	p->cnt.hfrees += n;
	return 0;
}

static int
op_free_bulk(struct stress_part *p)
{
	void *ptrs[STRESS_BULK_MAX + 1];
	unsigned int want = 1 + (unsigned int)(rng_next(&p->rng) % STRESS_BULK_MAX);
	unsigned int n = 0, i;

	want = RTE_MIN(want, p->n_live);
	for (i = 0; i < want; i++) {
		unsigned int k = (unsigned int)(rng_next(&p->rng) % p->n_live);

		if (stress_check_obj(p, k, "before free_bulk") != 0)
			return -1;
		ptrs[n++] = p->live[k].ptr;
		live_del(p, k);
		/* now and then a NULL entry, which must be skipped */
		if (n == 2 && (p->seq & 3) == 0)
			ptrs[n++] = NULL;
	}
	rte_fastmem_free_bulk(ptrs, n);
	p->cnt.frees += want;
	p->cnt.bulk_frees++;
	return 0;
}

static int
op_realloc(struct stress_part *p)
{
	size_t size = stress_size(&p->rng), align = stress_align(&p->rng);
	unsigned int cls = class_of(size, align);
	unsigned int gen = __atomic_load_n(&sctl.squeeze_gen, __ATOMIC_ACQUIRE);
	struct stress_obj *o;
	size_t old_size;
	unsigned int k, old_cls;
	void *q;

	if (p->n_live == 0 || (rng_next(&p->rng) & 15) == 0) {
		if (size == 0) {
			/* realloc(NULL, 0) does nothing */
			q = rte_fastmem_realloc(NULL, 0, align);
			return q == NULL ? 0 : part_fail(p, "realloc(NULL, 0) = %p", q);
		}
		/* realloc(NULL) allocates (alignment from the call, flags 0) */
		if (over_budget(p, 1, class_size(cls), gen))
			return op_free(p);
		q = rte_fastmem_realloc(NULL, size, align);
		if (q == NULL)
			return stress_alloc_failed(p, gen, rte_errno, "realloc(NULL)", size,
				align);
		return stress_take_new(p, q, size, align, 0, -1, "realloc(NULL)");
	}
	k = (unsigned int)(rng_next(&p->rng) % p->n_live);
	o = &p->live[k];
	old_size = tag_size(o->tag);
	old_cls = tag_cls(o->tag);
	if (size == 0) {
		/* realloc(p, 0) frees p */
		if (stress_check_obj(p, k, "before realloc to 0") != 0)
			return -1;
		q = rte_fastmem_realloc(o->ptr, 0, align);
		if (q != NULL)
			return part_fail(p, "realloc(%p, 0) = %p", o->ptr, q);
		live_del(p, k);
		p->cnt.frees++;
		p->cnt.reallocs++;
		return 0;
	}
	if (p->live_bytes - class_size(old_cls) + class_size(cls) > stress_budget(gen))
		return op_free(p);
	if (stress_check_obj(p, k, "before realloc") != 0)
		return -1;
	q = rte_fastmem_realloc(o->ptr, size, align);
	if (q == NULL) {
		if (stress_alloc_failed(p, gen, rte_errno, "realloc", size, align) != 0)
			return -1;
		/* the old object is untouched and still ours */
		return stress_check_obj(p, k, "after a failed realloc");
	}
	if (cls == old_cls && q != o->ptr)
		return part_fail(p, "realloc(%p, %zu, %zu) within class %zu moved it to %p",
			o->ptr, size, align, class_size(cls), q);
	if (stress_check_align(p, q, size, align, cls, "realloc") != 0)
		return -1;
	if (!obj_check(q, old_size, o->tag, size))
		return part_fail(p, "realloc(%p -> %p, %zu -> %zu B) lost the contents",
			o->ptr, q, old_size, size);
	if (q != o->ptr) {
		/* a move: one allocation and one free for the statistics */
		p->cnt.allocs++;
		p->cnt.frees++;
	}
	live_del(p, k);
	live_add(p, q, part_tag(p, size, cls), -1);
	obj_fill(q, size, p->live[p->n_live - 1].tag);
	p->cnt.reallocs++;
	return 0;
}

static int
op_send(struct stress_part *p)
{
	struct stress_part *to;
	unsigned int k, t;
	int ret;

	if (p->n_live == 0 || sctl.n_parts < 2)
		return 0;
	k = (unsigned int)(rng_next(&p->rng) % p->n_live);
	if (tag_size(p->live[k].tag) < 8)
		return op_free(p); /* no room for the tag: not sent */
	t = (unsigned int)(rng_next(&p->rng) % (sctl.n_parts - 1));
	to = &sctl.parts[t >= p->idx ? t + 1 : t];
	if (stress_check_obj(p, k, "before sending") != 0)
		return -1;
	/* release: this thread's reads of the object happen before the receiver's writes */
	__atomic_store_n((uint64_t *)p->live[k].ptr, p->live[k].tag, __ATOMIC_RELEASE);
	/* one sender at a time; busy: keep the object */
	if (__atomic_exchange_n(&to->inbox_busy, 1, __ATOMIC_ACQUIRE) != 0)
		return 0;
	ret = rte_ring_sp_enqueue(to->inbox, p->live[k].ptr);
	__atomic_store_n(&to->inbox_busy, 0, __ATOMIC_RELEASE);
	if (ret != 0)
		return 0; /* inbox full: keep it */
	live_del(p, k);
	p->cnt.sent++;
	return 0;
}

/* Receive objects: check each; keep it (new tag, new pattern) or free it. */
static int
stress_drain(struct stress_part *p)
{
	void *objs[32];
	unsigned int n, i;

	while ((n = rte_ring_dequeue_burst(p->inbox, objs, RTE_DIM(objs), NULL)) > 0) {
		for (i = 0; i < n; i++) {
			/* acquire: pairs with the release store in op_send() */
			uint64_t tag = __atomic_load_n((uint64_t *)objs[i], __ATOMIC_ACQUIRE);
			size_t size = tag_size(tag);
			unsigned int cls = tag_cls(tag);

			if (tag_owner(tag) >= sctl.n_parts || tag_owner(tag) == p->idx ||
					size < 8 || cls >= n_classes || size > class_size(cls) ||
					!obj_check(objs[i], size, tag, SIZE_MAX))
				return part_fail(p, "received object %p corrupt (tag %#" PRIx64
					")", objs[i], tag);
			p->cnt.received++;
			if (!over_budget(p, 1, class_size(cls),
					__atomic_load_n(&sctl.squeeze_gen, __ATOMIC_ACQUIRE)) &&
					(rng_next(&p->rng) & 1) != 0) {
				uint64_t mine = part_tag(p, size, cls);

				live_add(p, objs[i], mine, -1);
				obj_fill(objs[i], size, mine);
				p->cnt.adopted++;
			} else {
				/* a different pattern, so a late write by the sender would show */
				memset(objs[i], 0xa5, size);
				rte_fastmem_free(objs[i]);
				p->cnt.frees++;
			}
		}
	}
	return 0;
}

static int
stress_op(struct stress_part *p)
{
	unsigned int r = (unsigned int)(rng_next(&p->rng) % 1000);

	p->cnt.ops++;
	if ((p->cnt.ops & 7) == 0 && stress_drain(p) != 0)
		return -1;
	if (r < 260)
		return op_alloc(p);
	if (r < 320)
		return op_halloc(p);
	if (r < 380)
		return op_alloc_bulk(p);
	if (r < 560)
		return op_free(p);
	if (r < 600)
		return op_free_bulk(p);
	if (r < 620)
		return op_hfree_bulk(p);
	if (r < 710)
		return op_realloc(p);
	if (r < 930)
		return op_send(p);
	if (r < 940 || (r < 990 && __atomic_load_n(&sctl.shape, __ATOMIC_RELAXED) ==
			STRESS_LEAN)) {
		/* races with the other threads' traffic on the same bins */
		rte_fastmem_cache_flush();
		p->cnt.flushes++;
		return 0;
	}
	if (p->n_live > 0)
		return stress_check_obj(p,
			(unsigned int)(rng_next(&p->rng) % p->n_live), "at a random check");
	return 0;
}

/* A non-EAL thread: between rounds of operations, give up its lcore id and maybe take one. */
static int
stress_churn(struct stress_part *p)
{
	if (p->round_left-- > 0)
		return 0;
	if (p->registered) {
		test_fastmem_thread_unregister(); /* its cached objects go back to the bins */
		p->registered = false;
		p->cnt.unregistrations++;
	}
	if ((rng_next(&p->rng) & 3) != 0) {
		if (test_fastmem_thread_register() != 0)
			return part_fail(p, "rte_thread_register: %s", rte_strerror(rte_errno));
		if (rte_lcore_id() == LCORE_ID_ANY)
			return part_fail(p, "registered but no lcore id");
		p->registered = true;
		p->cnt.registrations++;
	}
	p->round_left = 16 + (unsigned int)(rng_next(&p->rng) % 113);
	return 0;
}

/*
 * End of an epoch: stop sending, drain the inbox until every thread has stopped, check
 * every object held, park until the main lcore moves the phase on. Returns the new phase.
 */
static unsigned int
stress_quiesce(struct stress_part *p)
{
	unsigned int k, seen;

	__atomic_fetch_add(&sctl.stopped, 1, __ATOMIC_ACQ_REL);
	while (__atomic_load_n(&sctl.stopped, __ATOMIC_ACQUIRE) < sctl.n_parts) {
		if (!p->failed)
			stress_drain(p);
		sched_yield();
	}
	/* every sender's enqueues happened before its increment: this drain gets them all */
	if (!p->failed)
		stress_drain(p);
	for (k = 0; k < p->n_live && !p->failed; k++)
		stress_check_obj(p, k, "at the end of an epoch");
	/*
	 * Wait for the release sequence to move, not for the phase to leave QUIESCE: the
	 * main lcore may have set RUN and QUIESCE again before this thread looks.
	 */
	seen = __atomic_load_n(&sctl.release_seq, __ATOMIC_ACQUIRE);
	/* release: pairs with the acquire in stress_wait_parked() */
	__atomic_fetch_add(&sctl.parked, 1, __ATOMIC_ACQ_REL);
	while (__atomic_load_n(&sctl.release_seq, __ATOMIC_ACQUIRE) == seen)
		sched_yield();
	return __atomic_load_n(&sctl.phase, __ATOMIC_ACQUIRE);
}

static void
stress_run(struct stress_part *p)
{
	unsigned int phase;

	for (;;) {
		phase = __atomic_load_n(&sctl.phase, __ATOMIC_ACQUIRE);
		if (phase == STRESS_QUIESCE)
			phase = stress_quiesce(p);
		if (phase == STRESS_STOP)
			break;
		if (p->failed) {
			sched_yield();
			continue;
		}
		if (!p->eal && stress_churn(p) != 0)
			continue;
		stress_op(p);
	}
	/* the main lcore has checked the final state: free everything */
	if (!p->failed) {
		while (p->n_live > 0) {
			rte_fastmem_free(p->live[p->n_live - 1].ptr);
			live_del(p, p->n_live - 1);
			p->cnt.frees++;
		}
	}
	if (p->eal) {
		rte_fastmem_cache_flush();
	} else if (p->registered) {
		test_fastmem_thread_unregister();
		p->cnt.unregistrations++;
	}
	p->registered = false;
	/* release: pairs with the acquire after rte_eal_mp_wait_lcore(), which TSan cannot see */
	__atomic_store_n(&p->done, 1, __ATOMIC_RELEASE);
}

static int
stress_lcore_main(void *arg)
{
	stress_run(arg);
	return 0;
}

static void *
stress_thread_main(void *arg)
{
	stress_run(arg);
	return NULL;
}

/* Wait until every thread has parked. */
static void
stress_wait_parked(void)
{
	uint64_t t0 = now_ns();
	unsigned int i;

	while (__atomic_load_n(&sctl.parked, __ATOMIC_ACQUIRE) < sctl.n_parts) {
		if (now_ns() - t0 > STRESS_PARK_TIMEOUT_NS) {
			printf("threads did not park within %" PRIu64 " s: %u of %u parked\n",
				STRESS_PARK_TIMEOUT_NS / 1000000000,
				__atomic_load_n(&sctl.parked, __ATOMIC_ACQUIRE), sctl.n_parts);
			for (i = 0; i < sctl.n_parts; i++)
				printf("  thread %u: %" PRIu64 " ops\n", i,
					__atomic_load_n(&sctl.parts[i].cnt.ops, __ATOMIC_RELAXED));
			fflush(stdout);
			abort(); /* a hang: a process dump is worth more than a return value */
		}
		usleep(200);
	}
}

static int
ptr_cmp(const void *a, const void *b)
{
	uintptr_t x = (uintptr_t)((const struct stress_obj *)a)->ptr;
	uintptr_t y = (uintptr_t)((const struct stress_obj *)b)->ptr;

	return x < y ? -1 : x > y;
}

/* With every thread parked: the statistics against the threads' tallies. */
static int
stress_check_epoch(unsigned int epoch, struct stress_obj *all, uint64_t *backing_out)
{
	uint64_t class_live[RTE_FASTMEM_MAX_CLASSES] = { 0 };
	uint64_t n_live = 0, live_bytes = 0, ops = 0, nomem = 0;
	struct rte_fastmem_stats st;
	struct zone_walk z;
	unsigned int i, c, n = 0;

	for (i = 0; i < sctl.n_parts; i++) {
		const struct stress_part *p = &sctl.parts[i];

		if (p->failed) {
			printf("thread %u failed: %s\n", i, p->error);
			return TEST_FAILED;
		}
		TEST_ASSERT_EQUAL(rte_ring_count(p->inbox), 0, "thread %u inbox not drained", i);
		n_live += p->n_live;
		live_bytes += p->live_bytes;
		ops += p->cnt.ops;
		nomem += p->cnt.nomem;
		for (c = 0; c < RTE_FASTMEM_MAX_CLASSES; c++)
			class_live[c] += p->class_live[c];
		memcpy(&all[n], p->live, p->n_live * sizeof(all[0]));
		n += p->n_live;
	}
	TEST_ASSERT_SUCCESS(rte_fastmem_stats(&st), "rte_fastmem_stats");
#ifdef RTE_LIBRTE_FASTMEM_STATS
	TEST_ASSERT_EQUAL(st.bytes_in_use, live_bytes, "epoch %u: bytes_in_use %" PRIu64
		", the threads hold %" PRIu64, epoch, st.bytes_in_use, live_bytes);
	TEST_ASSERT_EQUAL(st.alloc_total - st.free_total, n_live, "epoch %u: alloc_total %"
		PRIu64 " - free_total %" PRIu64 ", the threads hold %" PRIu64 " objects", epoch,
		st.alloc_total, st.free_total, n_live);
	TEST_ASSERT(st.bytes_in_use + st.bytes_cached <= st.bytes_backing, "epoch %u: %" PRIu64
		" B in use + %" PRIu64 " B cached > %" PRIu64 " B backing", epoch,
		st.bytes_in_use, st.bytes_cached, st.bytes_backing);
#endif
	TEST_ASSERT(live_bytes + st.bytes_cached <= st.bytes_backing, "epoch %u: %" PRIu64
		" B live + %" PRIu64 " B cached > %" PRIu64 " B backing", epoch, live_bytes,
		st.bytes_cached, st.bytes_backing);
	for (c = 0; c < n_classes; c++) {
		struct rte_fastmem_class_stats cs;

		TEST_ASSERT_SUCCESS(rte_fastmem_stats_class(class_size(c), &cs), "stats_class");
#ifdef RTE_LIBRTE_FASTMEM_STATS
		TEST_ASSERT_EQUAL(cs.in_use, class_live[c], "epoch %u: class %zu in_use %" PRIu64
			", the threads hold %" PRIu64, epoch, class_size(c), cs.in_use,
			class_live[c]);
#endif
		/* a class with objects out has slabs */
		TEST_ASSERT(class_live[c] == 0 || cs.slabs_partial + cs.slabs_full > 0,
			"epoch %u: class %zu has %" PRIu64 " objects out and no slab", epoch,
			class_size(c), class_live[c]);
	}
	z = zone_walk();
	TEST_ASSERT_EQUAL(z.bytes, st.bytes_backing, "epoch %u: bytes_backing %" PRIu64
		", fastmem's memzones hold %" PRIu64, epoch, st.bytes_backing, z.bytes);

	/* no two live objects share a byte of their classes */
	qsort(all, n, sizeof(all[0]), ptr_cmp);
	for (i = 1; i < n; i++) {
		uintptr_t end = (uintptr_t)all[i - 1].ptr + class_size(tag_cls(all[i - 1].tag));

		TEST_ASSERT(end <= (uintptr_t)all[i].ptr, "epoch %u: objects %p (class %zu) and"
			" %p overlap", epoch, all[i - 1].ptr, class_size(tag_cls(all[i - 1].tag)),
			all[i].ptr);
	}
	printf("epoch %2u: %10" PRIu64 " ops, %5" PRIu64 " objects live, in use %6.1f MiB,"
		" cached %6.1f MiB, backing %4" PRIu64 " MiB in %u zones, %" PRIu64 " ENOMEM\n",
		epoch, ops, n_live, (double)live_bytes / MIB, (double)st.bytes_cached / MIB,
		st.bytes_backing >> 20, z.n, nomem);
	/* a long run (devtools/run-soak.sh) shows its progress, and keeps it on a crash */
	fflush(stdout);
	*backing_out = st.bytes_backing;
	return TEST_SUCCESS;
}

/* Lower every socket's limit to its backing memory: the load now runs into it. */
static void
stress_squeeze_begin(void)
{
	struct rte_fastmem_stats st;
	int ret;

	/* release: an ENOMEM seen after this is expected (stress_alloc_failed()) */
	__atomic_fetch_add(&sctl.squeeze_gen, 1, __ATOMIC_ACQ_REL);
	rte_fastmem_stats(&st);
	/* accepted even if a socket grew since the read: it grows no more */
	ret = rte_fastmem_set_limit(SOCKET_ID_ANY, (size_t)st.bytes_backing);
	if (ret != 0)
		printf("set_limit(%" PRIu64 ") failed: %d\n", st.bytes_backing, ret);
}

static void
stress_squeeze_end(void)
{
	int ret = rte_fastmem_set_limit(SOCKET_ID_ANY, SIZE_MAX);

	if (ret != 0)
		printf("set_limit(SIZE_MAX) failed: %d\n", ret);
	/* release: the limit is lifted before the generation says so */
	__atomic_fetch_add(&sctl.squeeze_gen, 1, __ATOMIC_ACQ_REL);
}

/* While the threads run: read the statistics and trim, racing with their traffic. */
static void
stress_racing_calls(uint64_t *rng, FILE *devnull, uint64_t *trims, uint64_t *trimmed)
{
	size_t sizes[RTE_FASTMEM_MAX_CLASSES];
	unsigned int n = rte_fastmem_classes(sizes);
	size_t cls = sizes[rng_next(rng) % n];
	unsigned int lcore = (unsigned int)(rng_next(rng) % RTE_MAX_LCORE);
	struct rte_fastmem_lcore_class_stats lcs;
	struct rte_fastmem_class_stats cs;
	struct rte_fastmem_lcore_stats ls;
	struct rte_fastmem_stats st;

	rte_fastmem_stats(&st);
	rte_fastmem_stats_class(cls, &cs);
	rte_fastmem_stats_lcore(lcore, &ls);
	rte_fastmem_stats_lcore_class(lcore, cls, &lcs);
	rte_fastmem_stats_shared(&ls);
	rte_fastmem_stats_shared_class(cls, &lcs);
	if (devnull != NULL && (rng_next(rng) & 63) == 0)
		rte_fastmem_dump(devnull);
	if ((rng_next(rng) & 15) == 0) {
		size_t released = 0;

		if (rte_fastmem_trim(SOCKET_ID_ANY, &released) > 0)
			*trimmed += released;
		(*trims)++;
	}
}

static unsigned long
env_ulong(const char *name, unsigned long def)
{
	const char *s = getenv(name);
	char *end;
	unsigned long v;

	if (s == NULL || *s == '\0')
		return def;
	errno = 0;
	v = strtoul(s, &end, 0);
	if (errno != 0 || *end != '\0') {
		printf("ignoring %s=%s\n", name, s);
		return def;
	}
	return v;
}

static int
test_fastmem_stress(void)
{
	unsigned long seconds = env_ulong("FASTMEM_STRESS_SECONDS", STRESS_SECONDS_DEFAULT);
	uint64_t seed = env_ulong("FASTMEM_STRESS_SEED", 0);
	struct stress_counts tot = { 0 };
	struct rte_fastmem_stats st;
	struct stress_obj *all = NULL;
	uint64_t t_end, epoch_ns, backing = 0, rng, faults = 0, trims = 0, trimmed = 0;
	uint64_t t_start = now_ns();
	unsigned int lcore_id, i, n_workers = 0, n_threads = 0, epoch, n_epochs = 0;
	FILE *devnull = NULL;
	struct zone_walk z;
	int ret = TEST_SUCCESS, r;

	if (seed == 0)
		seed = STRESS_SEED_DEFAULT;
	/* the class table the threads read, set before they start */
	class_table_init();
	TEST_ASSERT(n_classes > 0 && n_classes <= RTE_FASTMEM_MAX_CLASSES &&
		class_size(n_classes - 1) >= MIB, "%u classes, the largest of %zu B", n_classes,
		n_classes > 0 ? class_size(n_classes - 1) : 0);
	RTE_LCORE_FOREACH_WORKER(lcore_id)
		n_workers++;
	if (n_workers == 0) {
		printf("needs at least one worker lcore\n");
		return TEST_SKIPPED;
	}
	memset(&sctl, 0, sizeof(sctl));
	sctl.n_parts = n_workers + STRESS_THREADS;
	TEST_ASSERT(sctl.n_parts <= 256, "too many threads for the tags");
	sctl.parts = calloc(sctl.n_parts, sizeof(sctl.parts[0]));
	all = calloc((size_t)sctl.n_parts * STRESS_LIVE_MAX, sizeof(all[0]));
	if (sctl.parts == NULL || all == NULL) {
		free(sctl.parts);
		free(all);
		printf("out of memory\n");
		return TEST_FAILED;
	}
	r = rte_fastmem_init();
	if (r != 0) {
		printf("rte_fastmem_init: %d\n", r);
		ret = TEST_FAILED;
		goto out_free;
	}
	for (i = 0; i < STRESS_HANDLES; i++) {
		r = rte_fastmem_hlookup(stress_handle_size[i], 0, (int)rte_socket_id(),
			&sctl.handles[i]);
		if (r != 0) {
			printf("rte_fastmem_hlookup(%zu): %d\n", stress_handle_size[i], r);
			ret = TEST_FAILED;
			goto out_rings;
		}
	}
	rte_fastmem_stats_reset();

	printf("fastmem stress: %lu s, %u worker lcores + %u non-EAL threads, base seed %#"
		PRIx64 "\n", seconds, n_workers, STRESS_THREADS, seed);
	i = 0;
	RTE_LCORE_FOREACH_WORKER(lcore_id) {
		sctl.parts[i].eal = true;
		sctl.parts[i].lcore_id = lcore_id;
		i++;
	}
	for (i = 0; i < sctl.n_parts; i++) {
		struct stress_part *p = &sctl.parts[i];
		char name[RTE_RING_NAMESIZE];

		p->idx = i;
		p->seed = seed ^ (UINT64_C(0x100000001B3) * (i + 1));
		p->rng = p->seed;
		snprintf(name, sizeof(name), "fm_stress_%u", i);
		p->inbox = rte_ring_create(name, STRESS_RING_SIZE, SOCKET_ID_ANY,
			RING_F_SP_ENQ | RING_F_SC_DEQ);
		if (p->inbox == NULL) {
			printf("rte_ring_create(%s): %s\n", name, rte_strerror(rte_errno));
			ret = TEST_FAILED;
			goto out_rings;
		}
		if (p->eal)
			printf("  thread %2u: lcore %u, seed %#" PRIx64 "\n", i, p->lcore_id,
				p->seed);
		else
			printf("  thread %2u: non-EAL, seed %#" PRIx64 "\n", i, p->seed);
	}

	__atomic_store_n(&sctl.phase, STRESS_RUN, __ATOMIC_RELEASE);
	for (i = 0; i < sctl.n_parts; i++) {
		struct stress_part *p = &sctl.parts[i];

		if (p->eal) {
			r = rte_eal_remote_launch(stress_lcore_main, p, p->lcore_id);
		} else {
			r = pthread_create(&p->tid, NULL, stress_thread_main, p);
			if (r == 0)
				n_threads++;
		}
		if (r != 0) {
			/* the threads started so far park at the first epoch end */
			printf("cannot start thread %u: %d\n", i, r);
			ret = TEST_FAILED;
			break;
		}
	}
	if (ret != TEST_SUCCESS) {
		/* the started threads free what they hold and leave */
		__atomic_store_n(&sctl.phase, STRESS_STOP, __ATOMIC_RELEASE);
		goto out_join;
	}

	devnull = fopen("/dev/null", "w");
	rng = seed;
	epoch_ns = RTE_MAX(seconds * UINT64_C(1000000000) / STRESS_EPOCHS, STRESS_EPOCH_MIN_NS);
	epoch_ns = RTE_MIN(epoch_ns, STRESS_EPOCH_MAX_NS);
	t_end = now_ns() + seconds * UINT64_C(1000000000);
	for (epoch = 0; ; epoch++) {
		bool squeeze = epoch % 4 == 2;
		unsigned int shape = epoch % 4 == 1 ? STRESS_BURST :
			epoch % 4 == 3 ? STRESS_LEAN : STRESS_NORMAL;
		uint64_t t_epoch = RTE_MIN(now_ns() + epoch_ns, t_end);

		__atomic_store_n(&sctl.shape, shape, __ATOMIC_RELAXED);
		if (squeeze) {
			stress_squeeze_begin();
			faults++;
		}
		while (now_ns() < t_epoch && !__atomic_load_n(&sctl.abort, __ATOMIC_ACQUIRE)) {
			stress_racing_calls(&rng, devnull, &trims, &trimmed);
			usleep(1000);
		}
		if (squeeze)
			stress_squeeze_end();

		__atomic_store_n(&sctl.phase, STRESS_QUIESCE, __ATOMIC_RELEASE);
		stress_wait_parked();
		if (stress_check_epoch(epoch, all, &backing) != TEST_SUCCESS) {
			ret = TEST_FAILED;
			break;
		}
		n_epochs++;
		if (now_ns() >= t_end)
			break;
		/* nobody reads these until the phase changes */
		__atomic_store_n(&sctl.stopped, 0, __ATOMIC_RELAXED);
		__atomic_store_n(&sctl.parked, 0, __ATOMIC_RELAXED);
		__atomic_store_n(&sctl.phase, STRESS_RUN, __ATOMIC_RELEASE);
		/* release: pairs with the acquire in stress_quiesce() */
		__atomic_fetch_add(&sctl.release_seq, 1, __ATOMIC_ACQ_REL);
	}
	/* the threads are parked: they free everything and leave */
	__atomic_store_n(&sctl.phase, STRESS_STOP, __ATOMIC_RELEASE);
	__atomic_fetch_add(&sctl.release_seq, 1, __ATOMIC_ACQ_REL);

out_join:
	rte_eal_mp_wait_lcore();
	for (i = 0; i < sctl.n_parts; i++)
		if (!sctl.parts[i].eal && n_threads-- > 0)
			pthread_join(sctl.parts[i].tid, NULL);
	if (devnull != NULL)
		fclose(devnull);

	for (i = 0; i < sctl.n_parts; i++) {
		const struct stress_counts *c = &sctl.parts[i].cnt;

		/* acquire: the thread's counts and state, written before its release */
		if (__atomic_load_n(&sctl.parts[i].done, __ATOMIC_ACQUIRE) == 0)
			continue; /* never started */

		if (sctl.parts[i].failed) {
			printf("thread %u failed: %s\n", i, sctl.parts[i].error);
			ret = TEST_FAILED;
		}
		tot.ops += c->ops;
		tot.allocs += c->allocs;
		tot.frees += c->frees;
		tot.bulk_allocs += c->bulk_allocs;
		tot.bulk_frees += c->bulk_frees;
		tot.reallocs += c->reallocs;
		tot.hallocs += c->hallocs;
		tot.hfrees += c->hfrees;
		tot.sent += c->sent;
		tot.received += c->received;
		tot.adopted += c->adopted;
		tot.flushes += c->flushes;
		tot.nomem += c->nomem;
		tot.registrations += c->registrations;
		tot.unregistrations += c->unregistrations;
	}
	printf("fastmem stress: %" PRIu64 " operations: %" PRIu64 " objects allocated (%"
		PRIu64 " bulk calls, %" PRIu64 " with a handle, %" PRIu64 " reallocs), %" PRIu64
		" freed (%" PRIu64 " bulk calls, %" PRIu64 " with a handle), %" PRIu64
		" handed over (%" PRIu64 " kept by the receiver), %" PRIu64 " cache flushes, %"
		PRIu64 " registrations and %" PRIu64 " unregistrations of non-EAL threads, %"
		PRIu64 " trims (%" PRIu64 " MiB released)\n", tot.ops, tot.allocs,
		tot.bulk_allocs, tot.hallocs, tot.reallocs, tot.frees, tot.bulk_frees, tot.hfrees,
		tot.sent, tot.adopted, tot.flushes, tot.registrations, tot.unregistrations, trims,
		trimmed >> 20);
	printf("fastmem stress: %" PRIu64 " faults injected (limit squeezed under load), %"
		PRIu64 " ENOMEM seen\n", faults, tot.nomem);
	if (ret != TEST_SUCCESS)
		goto out_rings;

	/* everything is freed and every cache flushed or returned on unregistration */
	if (tot.sent != tot.received) {
		printf("%" PRIu64 " objects sent, %" PRIu64 " received\n", tot.sent,
			tot.received);
		ret = TEST_FAILED;
		goto out_rings;
	}
	if (rte_fastmem_stats(&st) != 0 || st.alloc_nomem != tot.nomem
#ifdef RTE_LIBRTE_FASTMEM_STATS
			|| st.alloc_total != tot.allocs || st.free_total != tot.frees
#endif
			) {
		printf("stats: alloc_total %" PRIu64 " (threads: %" PRIu64 "), free_total %"
			PRIu64 " (%" PRIu64 "), alloc_nomem %" PRIu64 " (%" PRIu64 ")\n",
			st.alloc_total, tot.allocs, st.free_total, tot.frees, st.alloc_nomem,
			tot.nomem);
		ret = TEST_FAILED;
		goto out_rings;
	}
	/*
	 * The threads flushed their caches as they finished, but a thread still freeing may
	 * have drained a batch into a bin's transfer cache after another thread's flush
	 * emptied it: with every thread gone, one more flush empties them all.
	 */
	rte_fastmem_cache_flush();
	if (test_fastmem_check_drained() != TEST_SUCCESS) {
		ret = TEST_FAILED;
		goto out_rings;
	}
	z = zone_walk();
	if (st.bytes_backing != backing || z.bytes != backing) {
		printf("backing memory moved: %" PRIu64 " B at the last epoch, %" PRIu64
			" B after freeing, %" PRIu64 " B in fastmem's memzones\n", backing,
			st.bytes_backing, z.bytes);
		ret = TEST_FAILED;
	}

out_rings:
	for (i = 0; i < sctl.n_parts; i++)
		rte_ring_free(sctl.parts[i].inbox);
	rte_fastmem_deinit();
	z = zone_walk();
	if (z.n_any != 0) {
		printf("%u fastmem memzones left after rte_fastmem_deinit()\n", z.n_any);
		ret = TEST_FAILED;
	}
out_free:
	free(sctl.parts);
	sctl.parts = NULL;
	free(all);
	/*
	 * The totals in one line of key=value pairs, for devtools/run-soak.sh. exact=yes: every
	 * epoch's check and the final accounting (statistics against the threads' tallies,
	 * nothing live or cached, backing unchanged, no memzone left) passed.
	 */
	printf("stress: seconds=%.1f seed=%#" PRIx64 " threads=%u ops=%" PRIu64 " allocs=%"
		PRIu64 " frees=%" PRIu64 " handovers=%" PRIu64 " adopted=%" PRIu64 " faults=%"
		PRIu64 " nomem=%" PRIu64 " registrations=%" PRIu64 " unregistrations=%" PRIu64
		" trims=%" PRIu64 " trimmed_bytes=%" PRIu64 " epochs=%u exact=%s\n",
		(double)(now_ns() - t_start) / 1e9, seed, n_workers + STRESS_THREADS, tot.ops,
		tot.allocs, tot.frees, tot.sent, tot.adopted, faults, tot.nomem,
		tot.registrations, tot.unregistrations, trims, trimmed, n_epochs,
		ret == TEST_SUCCESS ? "yes" : "no");
	fflush(stdout);
	return ret;
}

REGISTER_STRESS_TEST(fastmem_stress_autotest, test_fastmem_stress);

/* ================================================================================== */
/* ---- fastmem_fault_autotest ---- */

/* Memzones held to exhaust EAL memory, or EAL's memzone slots: as many as EAL has slots
 * (a run-time setting since DPDK 23.07, a build-time constant before). */
#if RTE_VERSION >= RTE_VERSION_NUM(23, 7, 0, 0)
#define HOG_MAX ((unsigned int)rte_memzone_max_get())
#else
#define HOG_MAX RTE_MAX_MEMZONE
#endif
/* A hole of this size is freed in exhausted EAL memory for fastmem to grow into. */
#define HOLE_SIZE (12 * MIB)

static struct {
	uint64_t ops;      /* allocation and free calls */
	uint64_t injected; /* faults injected */
	uint64_t enomem;   /* ENOMEM seen */
} fault_cnt;

static uint64_t fault_heap_before;
static const struct rte_memzone **hogs; /* HOG_MAX entries */
static unsigned int n_hogs;
static unsigned int hog_seq;
static void **fault_objs;
static size_t fault_n_objs;
#define FAULT_OBJS_MAX 80000

/* Reserve memzones, largest first, until EAL cannot give min_size more bytes. */
static unsigned int
hog_fill(size_t min_size)
{
	size_t size = 1024 * MIB;
	unsigned int before = n_hogs;

	while (size >= min_size && n_hogs < HOG_MAX) {
		char name[RTE_MEMZONE_NAMESIZE];
		const struct rte_memzone *mz;

		snprintf(name, sizeof(name), "fm_fault_hog_%u", hog_seq++);
		mz = rte_memzone_reserve(name, size, SOCKET_ID_ANY, 0);
		if (mz != NULL)
			hogs[n_hogs++] = mz;
		else if (rte_errno == ENOSPC)
			break; /* no memzone slot left */
		else
			size /= 2;
	}
	return n_hogs - before;
}

/* Reserve small memzones until EAL has no memzone slot left; return how many. */
static unsigned int
hog_fill_slots(void)
{
	unsigned int before = n_hogs;

	while (n_hogs < HOG_MAX) {
		char name[RTE_MEMZONE_NAMESIZE];
		const struct rte_memzone *mz;

		snprintf(name, sizeof(name), "fm_fault_slot_%u", hog_seq++);
		mz = rte_memzone_reserve(name, RTE_CACHE_LINE_SIZE, SOCKET_ID_ANY, 0);
		if (mz == NULL)
			break;
		hogs[n_hogs++] = mz;
	}
	return n_hogs - before;
}

static void
hog_free_all(void)
{
	while (n_hogs > 0)
		rte_memzone_free(hogs[--n_hogs]);
}

static int
fault_setup_noinit(void)
{
	fault_heap_before = heap_bytes();
	fault_n_objs = 0;
	if (fault_objs == NULL)
		fault_objs = calloc(FAULT_OBJS_MAX, sizeof(fault_objs[0]));
	if (hogs == NULL)
		hogs = calloc(HOG_MAX, sizeof(hogs[0]));
	if (fault_objs == NULL || hogs == NULL) {
		printf("out of memory\n");
		return TEST_FAILED;
	}
	return TEST_SUCCESS;
}

static int
fault_setup(void)
{
	int ret;

	if (fault_setup_noinit() != TEST_SUCCESS)
		return TEST_FAILED;
	ret = rte_fastmem_init();
	if (ret != 0) {
		printf("rte_fastmem_init: %d\n", ret);
		return TEST_FAILED;
	}
	return TEST_SUCCESS;
}

static void
fault_teardown(void)
{
	hog_free_all();
	rte_fastmem_deinit();
}

/* Object i of the fault cases carries the pattern of tag i + 1 over its size bytes. */
static void
fault_fill(size_t i, size_t size)
{
	obj_fill(fault_objs[i], size, tag_make(0, 0, size, (uint32_t)i + 1));
}

static bool
fault_check(size_t i, size_t size)
{
	return obj_check(fault_objs[i], size, tag_make(0, 0, size, (uint32_t)i + 1), SIZE_MAX);
}

/*
 * Allocate objects of one size (filled) until the first failure, which must be ENOMEM.
 * Returns the number allocated, or -1 on another error.
 */
static long
fault_fill_until_nomem(size_t size)
{
	size_t first = fault_n_objs;
	void *p;

	while (fault_n_objs < FAULT_OBJS_MAX) {
		fault_cnt.ops++;
		p = rte_fastmem_alloc(size, 0, 0);
		if (p == NULL) {
			if (rte_errno != ENOMEM) {
				printf("alloc(%zu) failed with %s, not ENOMEM\n", size,
					rte_strerror(rte_errno));
				return -1;
			}
			fault_cnt.enomem++;
			return (long)(fault_n_objs - first);
		}
		fault_objs[fault_n_objs] = p;
		fault_fill(fault_n_objs, size);
		fault_n_objs++;
	}
	printf("alloc(%zu) never failed\n", size);
	return -1;
}

/* An allocation call that must fail with ENOMEM and count in alloc_nomem. */
#define ASSERT_NOMEM_NULL(call, what) do { \
	struct rte_fastmem_stats s0_, s1_; \
	void *p_; \
	TEST_ASSERT_SUCCESS(rte_fastmem_stats(&s0_), "stats"); \
	rte_errno = 0; \
	fault_cnt.ops++; \
	p_ = (call); \
	TEST_ASSERT_NULL(p_, "%s succeeded at the fault", what); \
	TEST_ASSERT_EQUAL(rte_errno, ENOMEM, "%s: rte_errno %d, not ENOMEM", what, rte_errno); \
	TEST_ASSERT_SUCCESS(rte_fastmem_stats(&s1_), "stats"); \
	TEST_ASSERT_EQUAL(s1_.alloc_nomem, s0_.alloc_nomem + 1, "%s: alloc_nomem %" PRIu64 \
		" -> %" PRIu64, what, s0_.alloc_nomem, s1_.alloc_nomem); \
	TEST_ASSERT_EQUAL(s1_.bytes_in_use, s0_.bytes_in_use, "%s: bytes_in_use moved", what); \
	TEST_ASSERT_EQUAL(s1_.bytes_backing, s0_.bytes_backing, "%s: backing moved", what); \
	fault_cnt.enomem++; \
} while (0)

static int
fault_check_all(size_t size)
{
	size_t i;

	for (i = 0; i < fault_n_objs; i++)
		TEST_ASSERT(fault_check(i, size), "object %zu (%p) corrupt", i, fault_objs[i]);
	return TEST_SUCCESS;
}

/*
 * Everything freed: nothing is live, every slab is back in its pool, bytes_backing is
 * what fastmem's memzones hold; after deinit no fastmem memzone is left and the EAL
 * heaps hold what they held before init.
 */
static int
fault_check_clean(void)
{
	struct rte_fastmem_stats st;
	struct zone_walk z;
	uint64_t heap;

	fault_cnt.ops += fault_n_objs;
	rte_fastmem_free_bulk(fault_objs, (unsigned int)fault_n_objs);
	fault_n_objs = 0;
	rte_fastmem_cache_flush();
	if (test_fastmem_check_drained() != TEST_SUCCESS)
		return TEST_FAILED;
	TEST_ASSERT_SUCCESS(rte_fastmem_stats(&st), "stats");
	z = zone_walk();
	TEST_ASSERT_EQUAL(st.bytes_backing, z.bytes, "bytes_backing %" PRIu64 ", fastmem's %u"
		" memzones hold %" PRIu64, st.bytes_backing, z.n, z.bytes);
	rte_fastmem_deinit();
	hog_free_all();
	z = zone_walk();
	TEST_ASSERT_EQUAL(z.n_any, 0, "%u fastmem memzones left after deinit", z.n_any);
	heap = heap_bytes();
	TEST_ASSERT_EQUAL(heap, fault_heap_before, "EAL heaps hold %" PRIu64 " B, %" PRIu64
		" B before init", heap, fault_heap_before);
	return TEST_SUCCESS;
}

/* Free the objects in the slab of object i, keeping the others in order; return how many
 * were freed. */
static size_t
fault_free_slab_of(size_t i)
{
	uintptr_t slab = (uintptr_t)fault_objs[i] & ~(uintptr_t)(SLAB - 1);
	size_t k = 0, n = 0;

	while (k < fault_n_objs) {
		if (((uintptr_t)fault_objs[k] & ~(uintptr_t)(SLAB - 1)) == slab) {
			rte_fastmem_free(fault_objs[k]);
			fault_cnt.ops++;
			/* keep the order (and thus the tags) of the others: shift down */
			memmove(&fault_objs[k], &fault_objs[k + 1],
				(fault_n_objs - k - 1) * sizeof(fault_objs[0]));
			fault_n_objs--;
			n++;
		} else {
			k++;
		}
	}
	return n;
}

/* (a) the limit reached, on one lcore. */
static int
test_fault_limit(void)
{
	int socket = (int)rte_socket_id();
	const size_t small = 64, mid = 4 * KIB;
	/* the slab header takes the first slots of the run at page 0 */
	const size_t per_slab_mid = SLAB / mid -
		RTE_ALIGN_CEIL(RTE_FASTMEM_SLAB_HDR_SIZE, mid) / mid;
	const size_t per_slab_small = (SLAB - RTE_FASTMEM_SLAB_HDR_SIZE) / small;
	struct rte_fastmem_stats s0, s1;
	void *bulk[16], *p;
	size_t i;
	long n;

	TEST_ASSERT_SUCCESS(rte_fastmem_set_limit(socket, 3 * SLAB), "set_limit");
	fault_cnt.injected++;

	/* 1. the limit reached with one class: exactly 3 slabs' worth */
	n = fault_fill_until_nomem(mid);
	TEST_ASSERT_EQUAL(n, (long)(3 * per_slab_mid), "%ld objects of %zu B under a limit of"
		" 3 slabs, expected %zu", n, mid, 3 * per_slab_mid);
	TEST_ASSERT_SUCCESS(rte_fastmem_stats(&s0), "stats");
	TEST_ASSERT_EQUAL(s0.bytes_backing, 3 * SLAB, "backing %" PRIu64, s0.bytes_backing);
	TEST_ASSERT_EQUAL(s0.alloc_nomem, 1, "alloc_nomem %" PRIu64, s0.alloc_nomem);

	/* 2. every allocation call fails alike, and so does reserve */
	ASSERT_NOMEM_NULL(rte_fastmem_alloc(mid, 0, 0), "alloc of the same class");
	ASSERT_NOMEM_NULL(rte_fastmem_alloc(small, 0, RTE_FASTMEM_F_ZERO), "alloc small");
	ASSERT_NOMEM_NULL(rte_fastmem_alloc(MIB, 0, 0), "alloc 1 MiB");
	ASSERT_NOMEM_NULL(rte_fastmem_alloc_socket(100, 64, 0, socket), "alloc_socket");
	ASSERT_NOMEM_NULL(rte_fastmem_realloc(fault_objs[0], 2 * mid, 0), "realloc up");
	ASSERT_NOMEM_NULL(rte_fastmem_realloc(fault_objs[1], small, 0), "realloc down");
	ASSERT_NOMEM_NULL(rte_fastmem_realloc(NULL, small, 0), "realloc(NULL)");
	rte_errno = 0;
	fault_cnt.ops++;
	TEST_ASSERT_EQUAL(rte_fastmem_alloc_bulk(bulk, 1, small, 0, 0), -ENOMEM, "bulk of 1");
	TEST_ASSERT_EQUAL(rte_errno, ENOMEM, "bulk: rte_errno %d", rte_errno);
	fault_cnt.enomem++;
	rte_errno = 0;
	TEST_ASSERT_EQUAL(rte_fastmem_reserve(1, socket), -ENOMEM, "reserve at the limit");
	TEST_ASSERT_EQUAL(rte_errno, ENOMEM, "reserve: rte_errno %d", rte_errno);
	fault_cnt.enomem++;
	TEST_ASSERT(fault_check_all(mid) == TEST_SUCCESS, "a failed call wrote into an object");

	/* 3. one object freed: its class is served again, no other */
	fault_cnt.ops += 2;
	rte_fastmem_free(fault_objs[--fault_n_objs]);
	p = rte_fastmem_alloc(mid, 0, 0);
	TEST_ASSERT_NOT_NULL(p, "alloc after a free of the same class: %s",
		rte_strerror(rte_errno));
	fault_objs[fault_n_objs] = p;
	fault_fill(fault_n_objs++, mid);
	ASSERT_NOMEM_NULL(rte_fastmem_alloc(small, 0, 0), "alloc of another class");

	/* 4. a whole slab freed (and this lcore's cache flushed): any class is served */
	TEST_ASSERT(fault_check_all(mid) == TEST_SUCCESS, "corrupt before the slab is freed");
	i = fault_free_slab_of(0);
	TEST_ASSERT_EQUAL(i, per_slab_mid, "%zu objects in the first slab", i);
	/* the shift renumbered them: refill the survivors' patterns */
	for (i = 0; i < fault_n_objs; i++)
		fault_fill(i, mid);
	rte_fastmem_cache_flush();
	n = fault_fill_until_nomem(small);
	TEST_ASSERT_EQUAL(n, (long)per_slab_small, "%ld objects of %zu B in the freed slab,"
		" expected %zu", n, small, per_slab_small);
	for (i = 0; i < fault_n_objs; i++)
		TEST_ASSERT(fault_check(i, i < 2 * per_slab_mid ? mid : small),
			"object %zu corrupt", i);

	/* 5. bulk at the limit: all or nothing */
	TEST_ASSERT_SUCCESS(rte_fastmem_stats(&s0), "stats");
	fault_cnt.ops += 10;
	fault_n_objs -= 10;
	rte_fastmem_free_bulk(&fault_objs[fault_n_objs], 10);
	for (i = 0; i < RTE_DIM(bulk); i++)
		bulk[i] = NULL;
	rte_errno = 0;
	fault_cnt.ops++;
	TEST_ASSERT_EQUAL(rte_fastmem_alloc_bulk(bulk, 11, small, 0, 0), -ENOMEM,
		"bulk of 11 with room for 10");
	TEST_ASSERT_EQUAL(rte_errno, ENOMEM, "rte_errno %d", rte_errno);
	fault_cnt.enomem++;
	TEST_ASSERT_SUCCESS(rte_fastmem_stats(&s1), "stats");
#ifdef RTE_LIBRTE_FASTMEM_STATS
	TEST_ASSERT_EQUAL(s1.bytes_in_use, s0.bytes_in_use - 10 * small,
		"the failed bulk kept objects: %" PRIu64 " B in use, expected %" PRIu64,
		s1.bytes_in_use, s0.bytes_in_use - 10 * small);
	TEST_ASSERT_EQUAL(s1.alloc_total, s0.alloc_total, "the failed bulk counted objects");
#endif
	rte_errno = 0;
	fault_cnt.ops++;
	TEST_ASSERT_EQUAL(rte_fastmem_alloc_bulk_socket(bulk, 2, mid, 0, 0, socket), -ENOMEM,
		"bulk of another class");
	fault_cnt.enomem++;
	fault_cnt.ops++;
	TEST_ASSERT_SUCCESS(rte_fastmem_alloc_bulk(&fault_objs[fault_n_objs], 10, small, 0, 0),
		"bulk of 10 with room for 10");
	for (i = 0; i < 10; i++)
		fault_fill(fault_n_objs++, small);
	for (i = 0; i < fault_n_objs; i++)
		TEST_ASSERT(fault_check(i, i < 2 * per_slab_mid ? mid : small),
			"object %zu corrupt after the bulk calls", i);

	/* 6. a higher limit: the socket grows by one more slab, and no more */
	TEST_ASSERT_SUCCESS(rte_fastmem_set_limit(socket, 4 * SLAB), "raise the limit");
	fault_cnt.ops++;
	p = rte_fastmem_alloc(MIB, 0, 0);
	TEST_ASSERT_NOT_NULL(p, "alloc after raising the limit: %s", rte_strerror(rte_errno));
	memset(p, 0x3c, MIB);
	ASSERT_NOMEM_NULL(rte_fastmem_alloc(MIB, 0, 0), "second 1 MiB object");
	TEST_ASSERT_SUCCESS(rte_fastmem_stats(&s1), "stats");
	TEST_ASSERT_EQUAL(s1.bytes_backing, 4 * SLAB, "backing %" PRIu64, s1.bytes_backing);
	fault_cnt.ops++;
	rte_fastmem_free(p);

	TEST_ASSERT_SUCCESS(rte_fastmem_set_limit(socket, SIZE_MAX), "unlimit");
	return fault_check_clean();
}

/* (a) the limit reached while another lcore's cache holds the free objects of a slab. */
struct remote_arg {
	size_t size;
	unsigned int n;
	bool flush_only;
	void *objs[64];
	int result; /* 1 ok, -1 failed; release store, acquire load */
};

static int
remote_worker(void *arg)
{
	struct remote_arg *a = arg;
	unsigned int i;
	int result = 1;

	if (!a->flush_only) {
		for (i = 0; i < a->n; i++) {
			a->objs[i] = rte_fastmem_alloc(a->size, 0, 0);
			if (a->objs[i] == NULL)
				result = -1;
			else
				memset(a->objs[i], 0x77, a->size);
		}
		/* into this lcore's cache, as far as it holds them */
		rte_fastmem_free_bulk(a->objs, a->n);
	} else {
		rte_fastmem_cache_flush();
	}
	/* release: pairs with the acquire in remote_run() */
	__atomic_store_n(&a->result, result, __ATOMIC_RELEASE);
	return 0;
}

static int
remote_run(unsigned int lcore, struct remote_arg *a)
{
	__atomic_store_n(&a->result, 0, __ATOMIC_RELAXED);
	if (rte_eal_remote_launch(remote_worker, a, lcore) != 0)
		return -1;
	rte_eal_wait_lcore(lcore);
	return __atomic_load_n(&a->result, __ATOMIC_ACQUIRE) == 1 ? 0 : -1;
}

static int
test_fault_limit_remote_cache(void)
{
	int socket = (int)rte_socket_id();
	struct rte_fastmem_lcore_class_stats lcs;
	struct remote_arg a = { .size = 64 * KIB };
	unsigned int worker = rte_get_next_lcore(-1, 1, 0);
	void *big[2];

	if (worker >= RTE_MAX_LCORE) {
		printf("needs a worker lcore\n");
		return TEST_SKIPPED;
	}
	a.n = (unsigned int)(SLAB / a.size - 1); /* one slab's worth */
	TEST_ASSERT_SUCCESS(rte_fastmem_set_limit(socket, 2 * SLAB), "set_limit");
	fault_cnt.injected++;

	/* the worker fills a slab and frees it all: some objects stay in its cache */
	TEST_ASSERT_SUCCESS(remote_run(worker, &a), "worker allocation");
	fault_cnt.ops += 2 * a.n;
	TEST_ASSERT_SUCCESS(rte_fastmem_stats_lcore_class(worker, a.size, &lcs), "stats");
	if (lcs.cached == 0) {
		printf("the worker's cache of %zu B holds nothing (capacity %u)\n", a.size,
			lcs.cache_capacity);
		return TEST_SKIPPED;
	}
	/* the second slab serves one 1 MiB object; a second needs the worker's slab */
	fault_cnt.ops++;
	big[0] = rte_fastmem_alloc(MIB, 0, 0);
	TEST_ASSERT_NOT_NULL(big[0], "first 1 MiB object");
	ASSERT_NOMEM_NULL(rte_fastmem_alloc(MIB, 0, 0), "1 MiB with the slab in a cache");
	/* flushing the main lcore's cache changes nothing; the worker's does */
	rte_fastmem_cache_flush();
	ASSERT_NOMEM_NULL(rte_fastmem_alloc(MIB, 0, 0), "1 MiB after the main's flush");
	a.flush_only = true;
	TEST_ASSERT_SUCCESS(remote_run(worker, &a), "worker flush");
	TEST_ASSERT_SUCCESS(rte_fastmem_stats_lcore_class(worker, a.size, &lcs), "stats");
	TEST_ASSERT_EQUAL(lcs.cached, 0, "%" PRIu64 " objects cached after the flush",
		lcs.cached);
	fault_cnt.ops++;
	big[1] = rte_fastmem_alloc(MIB, 0, 0);
	TEST_ASSERT_NOT_NULL(big[1], "1 MiB after the worker's flush: %s",
		rte_strerror(rte_errno));
	fault_objs[fault_n_objs++] = big[0];
	fault_objs[fault_n_objs++] = big[1];
	TEST_ASSERT_SUCCESS(rte_fastmem_set_limit(socket, SIZE_MAX), "unlimit");
	return fault_check_clean();
}

static void
print_zones(const char *when)
{
	struct zone_walk z = zone_walk();

	printf("%s: %u fastmem zones, %" PRIu64 " MiB, %zu to %zu MiB each\n", when, z.n,
		z.bytes >> 20, z.n > 0 ? z.min_len >> 20 : 0, z.max_len >> 20);
}

/* (b) EAL memory exhausted while fastmem runs. */
static int
test_fault_eal_exhausted(void)
{
	const struct rte_memzone *hole;
	struct rte_fastmem_stats st;
	struct zone_walk z0, z1;
	uint64_t backing0, want;
	unsigned int k;
	long n;

	if (rte_eal_has_hugepages()) {
		printf("exhausting EAL memory with hugepages would take the machine's: skipped\n");
		return TEST_SKIPPED;
	}
	/* fastmem has a zone and objects in it */
	fault_cnt.ops++;
	fault_objs[fault_n_objs] = rte_fastmem_alloc(100, 0, 0);
	TEST_ASSERT_NOT_NULL(fault_objs[fault_n_objs], "first alloc");
	fault_fill(fault_n_objs++, 100);
	/* and holds more than the hole, so that its next zone does not fit there */
	TEST_ASSERT_SUCCESS(rte_fastmem_reserve(HOLE_SIZE + 4 * MIB, SOCKET_ID_ANY), "reserve");
	TEST_ASSERT_SUCCESS(rte_fastmem_stats(&st), "stats");
	backing0 = st.bytes_backing;
	print_zones("before the fault");

	/* a hole set apart, then everything else EAL has, down to 64 KiB pieces */
	hole = rte_memzone_reserve_aligned("fm_fault_hole", HOLE_SIZE, SOCKET_ID_ANY, 0, SLAB);
	TEST_ASSERT_NOT_NULL(hole, "cannot reserve the hole: %s", rte_strerror(rte_errno));
	k = hog_fill(64 * KIB);
	fault_cnt.injected++;
	printf("EAL exhausted with %u memzones\n", k);
	TEST_ASSERT(k > 0, "nothing to reserve");

	/* fastmem uses up what it has, then fails without growing */
	z0 = zone_walk();
	n = fault_fill_until_nomem(MIB);
	TEST_ASSERT(n >= 0, "fill failed");
	printf("%ld objects of 1 MiB from the existing backing\n", n);
	TEST_ASSERT_SUCCESS(rte_fastmem_stats(&st), "stats");
	TEST_ASSERT_EQUAL(st.bytes_backing, backing0, "backing grew in exhausted EAL memory");
	ASSERT_NOMEM_NULL(rte_fastmem_alloc(MIB, 0, 0), "alloc with EAL exhausted");
	/* the free pages of the slabs that serve small classes, then nothing */
	TEST_ASSERT(fault_fill_until_nomem(64) >= 0, "fill failed");
	ASSERT_NOMEM_NULL(rte_fastmem_alloc(64, 0, 0), "small alloc with EAL exhausted");
	rte_errno = 0;
	TEST_ASSERT_EQUAL(rte_fastmem_reserve(HOLE_SIZE + 4 * MIB + SLAB, SOCKET_ID_ANY),
		-ENOMEM, "reserve");
	TEST_ASSERT_EQUAL(rte_errno, ENOMEM, "reserve: rte_errno %d", rte_errno);
	fault_cnt.enomem++;
	z1 = zone_walk();
	TEST_ASSERT(z1.n == z0.n && z1.bytes == backing0, "failed growth left memzones: %u"
		" zones, %" PRIu64 " B (before: %u, %" PRIu64 " B)", z1.n, z1.bytes, z0.n,
		z0.bytes);

	/* a hole of 12 MiB: fastmem falls back to zones smaller than it prefers */
	TEST_ASSERT_SUCCESS(rte_memzone_free(hole), "free the hole");
	n = fault_fill_until_nomem(MIB);
	TEST_ASSERT(n > 0, "nothing allocated in a hole of %zu MiB", HOLE_SIZE >> 20);
	TEST_ASSERT_SUCCESS(rte_fastmem_stats(&st), "stats");
	z1 = zone_walk();
	printf("%ld objects of 1 MiB in the hole of %zu MiB: %u new zones, %" PRIu64 " MiB\n",
		n, HOLE_SIZE >> 20, z1.n - z0.n, (st.bytes_backing - backing0) >> 20);
	print_zones("after the hole");
	TEST_ASSERT_EQUAL(st.bytes_backing - backing0, (uint64_t)n * SLAB, "grew by %" PRIu64
		" B for %ld slabs", st.bytes_backing - backing0, n);
	TEST_ASSERT(st.bytes_backing - backing0 <= HOLE_SIZE, "grew beyond the hole");
	/* fastmem asked for a zone as large as what it held, which the hole cannot give */
	want = RTE_MIN((uint64_t)rte_align64prevpow2(backing0), (uint64_t)MAX_ZONE);
	TEST_ASSERT(want > HOLE_SIZE, "test set-up: %" PRIu64 " B held before the hole",
		backing0);
	TEST_ASSERT(z1.n > z0.n && z1.min_len < want, "no zone smaller than the %" PRIu64
		" B asked for", want);
	TEST_ASSERT_EQUAL(z1.bytes, st.bytes_backing, "memzones %" PRIu64 ", backing %" PRIu64,
		z1.bytes, st.bytes_backing);
	TEST_ASSERT(fault_check(0, 100), "the first object is corrupt");

	/* the memory is back: fastmem grows again */
	hog_free_all();
	backing0 = st.bytes_backing;
	for (k = 0; k < 8; k++) {
		fault_cnt.ops++;
		fault_objs[fault_n_objs] = rte_fastmem_alloc(MIB, 0, 0);
		TEST_ASSERT_NOT_NULL(fault_objs[fault_n_objs], "alloc %u after the memory came"
			" back: %s", k, rte_strerror(rte_errno));
		fault_fill(fault_n_objs++, MIB);
	}
	TEST_ASSERT_SUCCESS(rte_fastmem_stats(&st), "stats");
	TEST_ASSERT(st.bytes_backing > backing0, "no growth after the memory came back");
	print_zones("after the memory came back");
	TEST_ASSERT(fault_check(0, 100), "the first object is corrupt");
	return fault_check_clean();
}

/* (b) EAL memory exhausted before rte_fastmem_init(). */
static int
test_fault_init_exhausted(void)
{
	unsigned int k;
	int ret;

	if (rte_eal_has_hugepages()) {
		printf("exhausting EAL memory with hugepages would take the machine's: skipped\n");
		return TEST_SKIPPED;
	}
	k = hog_fill(64);
	fault_cnt.injected++;
	printf("EAL exhausted with %u memzones\n", k);
	rte_errno = 0;
	ret = rte_fastmem_init();
	if (ret == 0)
		rte_fastmem_deinit();
	TEST_ASSERT_EQUAL(ret, -ENOMEM, "rte_fastmem_init in exhausted memory: %d", ret);
	TEST_ASSERT_EQUAL(rte_errno, ENOMEM, "rte_errno %d", rte_errno);
	fault_cnt.enomem++;
	/* not initialized: calls fail as before init */
	rte_errno = 0;
	TEST_ASSERT_NULL(rte_fastmem_alloc(64, 0, 0), "alloc after a failed init");
	TEST_ASSERT_EQUAL(rte_errno, ENODEV, "rte_errno %d", rte_errno);
	hog_free_all();
	TEST_ASSERT_EQUAL(heap_bytes(), fault_heap_before, "the failed init leaked EAL memory");
	TEST_ASSERT_SUCCESS(rte_fastmem_init(), "init once the memory is back");
	fault_cnt.ops++;
	fault_objs[fault_n_objs] = rte_fastmem_alloc(64, 0, 0);
	TEST_ASSERT_NOT_NULL(fault_objs[fault_n_objs], "alloc after init");
	fault_n_objs++;
	return fault_check_clean();
}

/* (b) EAL out of memzone slots: its ENOSPC reaches the application as ENOMEM. */
static int
test_fault_memzone_slots(void)
{
	struct rte_fastmem_stats st;
	unsigned int k;
	void *p;

	k = hog_fill_slots();
	fault_cnt.injected++;
	printf("%u memzones reserved, the last one failed with %s\n", k,
		rte_strerror(rte_errno));
	TEST_ASSERT_EQUAL(rte_errno, ENOSPC, "memzone slots not exhausted");
	ASSERT_NOMEM_NULL(rte_fastmem_alloc(64, 0, 0), "alloc without memzone slots");
	rte_errno = 0;
	TEST_ASSERT_EQUAL(rte_fastmem_reserve(SLAB, SOCKET_ID_ANY), -ENOMEM, "reserve");
	TEST_ASSERT_EQUAL(rte_errno, ENOMEM, "reserve: rte_errno %d", rte_errno);
	fault_cnt.enomem++;
	TEST_ASSERT_SUCCESS(rte_fastmem_stats(&st), "stats");
	TEST_ASSERT_EQUAL(st.bytes_backing, 0, "backing without a memzone");
	/* one slot back: fastmem grows into it */
	rte_memzone_free(hogs[--n_hogs]);
	fault_cnt.ops++;
	p = rte_fastmem_alloc(64, 0, 0);
	TEST_ASSERT_NOT_NULL(p, "alloc with a memzone slot free: %s", rte_strerror(rte_errno));
	fault_objs[fault_n_objs++] = p;
	return fault_check_clean();
}

static struct unit_test_suite fastmem_fault_suite = {
	.suite_name = "fastmem faults",
	.setup = NULL,
	.teardown = NULL,
	.unit_test_cases = {
		TEST_CASE_ST(fault_setup, fault_teardown, test_fault_limit),
		TEST_CASE_ST(fault_setup, fault_teardown, test_fault_limit_remote_cache),
		TEST_CASE_ST(fault_setup, fault_teardown, test_fault_eal_exhausted),
		TEST_CASE_ST(fault_setup, fault_teardown, test_fault_memzone_slots),
		TEST_CASE_ST(fault_setup_noinit, fault_teardown, test_fault_init_exhausted),
		TEST_CASES_END()
	}
};

static int
test_fastmem_fault(void)
{
	int ret;

	memset(&fault_cnt, 0, sizeof(fault_cnt));
	ret = unit_test_suite_runner(&fastmem_fault_suite);
	printf("fastmem faults: %" PRIu64 " operations, %" PRIu64 " faults injected, %" PRIu64
		" ENOMEM seen\n", fault_cnt.ops, fault_cnt.injected, fault_cnt.enomem);
	free(fault_objs);
	fault_objs = NULL;
	return ret;
}

REGISTER_FAST_TEST(fastmem_fault_autotest, true, true, test_fastmem_fault);
