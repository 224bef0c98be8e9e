/* SPDX-License-Identifier: BSD-3-Clause
 * Copyright(c) 2026 The dpdk-lcoremem authors
 */

#ifndef TEST_FASTMEM_PERF_H
#define TEST_FASTMEM_PERF_H

/*
 * The allocators and access patterns shared by fastmem_perf_autotest and fastmem_profile.
 *
 * Columns are allocators, rows are patterns. Each (column, pattern) pair is compiled into a
 * function of its own, perf_run_<column>_<pattern>(), in which the allocator's calls are
 * direct (and inlined where the allocator's header inlines them, as rte_mempool_get() is):
 * the benchmark pays no indirect call per object, only one per timed run. The names are
 * stable so that a profiler can be pointed at them (valgrind --toggle-collect=perf_run_*).
 *
 * Adding an allocator means a column id, a name, and one case in each of perf_alloc(),
 * perf_free(), perf_alloc_bulk() and perf_free_bulk().
 */

#include <errno.h>
#include <stdbool.h>
#include <stdint.h>
#include <stdlib.h>

#include <rte_branch_prediction.h>
#include <rte_common.h>
#include <rte_malloc.h>
#include <rte_mempool.h>
#include <rte_pause.h>
#include <rte_ring.h>

#include <rte_fastmem.h>


/* The allocators. */
enum perf_col {
	PERF_COL_FASTMEM,    /* rte_fastmem_alloc() / rte_fastmem_free() */
	PERF_COL_HANDLE,     /* rte_fastmem_halloc() / rte_fastmem_hfree() */
	PERF_COL_MEMPOOL,    /* rte_mempool_get() / rte_mempool_put(), one pool per size */
	PERF_COL_RTE_MALLOC, /* rte_malloc() / rte_free() */
	PERF_COL_LIBC,       /* malloc() / free() */
	PERF_NUM_COLS
};

/* The patterns timed by one lcore alone (cross-lcore is separate: it takes two). */
enum perf_pat {
	PERF_PAT_PAIRS,   /* allocate one object, free it */
	PERF_PAT_KEEP32,  /* allocate 32, then free the 32 */
	PERF_PAT_KEEP512, /* allocate 512, then free the 512 */
	PERF_PAT_SHUF512, /* allocate 512, then free the 512 in a fixed shuffled order */
	PERF_PAT_BULK32,  /* one bulk call for 32, one bulk free (loops where no bulk call) */
	PERF_PAT_MIXED,   /* sizes 16 B to 2 KiB, 64 objects alive; general allocators only */
	PERF_NUM_PATS
};

/* Alignment asked of the allocators that take one: objects of 8 B get the 8 B class. */
#define PERF_ALIGN 8
/* The most objects a pattern keeps at once (keep 512, and the mixed window). */
#define PERF_MAX_KEEP 512
/* Mixed pattern: live objects, and steps in its (repeating) table. */
#define PERF_MIXED_LIVE 64
#define PERF_MIXED_STEPS 4096
#define PERF_MIXED_MIN 16
#define PERF_MIXED_MAX 2048
/* Objects per ring operation in the cross-lcore pattern. */
#define PERF_CROSS_BURST 32

/*
 * The CSV that FASTMEM_PERF_CSV names: one line per figure. section: single, all (lcores
 * at once) or memory; value in unit (cycles/object, or bytes); ratio_to_single: per-lcore
 * throughput on all lcores over one lcore's (all), or the ratio the memory test reports.
 */
#define PERF_CSV_HEADER "section,lcores,size,pattern,allocator,value,unit,ratio_to_single"

/* One step of the mixed pattern: free the object in slot, allocate size into it. */
struct perf_mixed_step {
	uint16_t size;
	uint16_t slot;
};

/* What the allocators need for one object size. */
struct perf_ctx {
	size_t size;                        /* object size */
	struct rte_mempool *mp;             /* the mempool of this size, or NULL */
	rte_fastmem_handle_t h;                   /* the fastmem handle of this size */
	const struct perf_mixed_step *mixed; /* PERF_MIXED_STEPS steps */
	const uint16_t *perm;               /* shuf512: the order of the frees */
};

static const char *const perf_col_names[PERF_NUM_COLS] = {
	[PERF_COL_FASTMEM] = "fastmem",
	[PERF_COL_HANDLE] = "handle",
	[PERF_COL_MEMPOOL] = "mempool",
	[PERF_COL_RTE_MALLOC] = "rte_malloc",
	[PERF_COL_LIBC] = "libc",
};

static const char *const perf_pat_names[PERF_NUM_PATS] = {
	[PERF_PAT_PAIRS] = "pairs",
	[PERF_PAT_KEEP32] = "keep32",
	[PERF_PAT_KEEP512] = "keep512",
	[PERF_PAT_SHUF512] = "shuf512",
	[PERF_PAT_BULK32] = "bulk32",
	[PERF_PAT_MIXED] = "mixed",
};

/* Objects allocated (and freed) by one iteration of each pattern. */
static const unsigned int perf_pat_objs[PERF_NUM_PATS] = {
	[PERF_PAT_PAIRS] = 1,
	[PERF_PAT_KEEP32] = 32,
	[PERF_PAT_KEEP512] = 512,
	[PERF_PAT_SHUF512] = 512,
	[PERF_PAT_BULK32] = 32,
	[PERF_PAT_MIXED] = 1,
};

/* Whether the column serves objects of any size (the mixed pattern). */
static inline bool
perf_col_general(enum perf_col col)
{
	return col == PERF_COL_FASTMEM || col == PERF_COL_RTE_MALLOC || col == PERF_COL_LIBC;
}

/* Keep the compiler from dropping an allocation whose object is not used. */
static __rte_always_inline void
perf_use(void *p)
{
	__asm__ volatile("" : : "r"(p) : "memory");
}

/*
 * The allocators' calls. @p col is a constant in every caller (the perf_run_* functions),
 * so each switch folds to one case.
 */
static __rte_always_inline void *
perf_alloc(enum perf_col col, const struct perf_ctx *c, size_t size)
{
	void *p;

	switch (col) {
	case PERF_COL_FASTMEM:
		return rte_fastmem_alloc(size, PERF_ALIGN, 0);
	case PERF_COL_HANDLE:
		return rte_fastmem_halloc(c->h, 0);
	case PERF_COL_MEMPOOL:
		return rte_mempool_get(c->mp, &p) == 0 ? p : NULL;
	case PERF_COL_RTE_MALLOC:
		return rte_malloc(NULL, size, 0);
	case PERF_COL_LIBC:
		return malloc(size);
	default:
		return NULL;
	}
}

static __rte_always_inline void
perf_free(enum perf_col col, const struct perf_ctx *c, void *p)
{
	switch (col) {
	case PERF_COL_FASTMEM:
		rte_fastmem_free(p);
		break;
	case PERF_COL_HANDLE:
		rte_fastmem_hfree(c->h, p);
		break;
	case PERF_COL_MEMPOOL:
		rte_mempool_put(c->mp, p);
		break;
	case PERF_COL_RTE_MALLOC:
		rte_free(p);
		break;
	case PERF_COL_LIBC:
		free(p);
		break;
	default:
		break;
	}
}

/* All or nothing; allocators without a bulk call loop over single calls. */
static __rte_always_inline int
perf_alloc_bulk(enum perf_col col, const struct perf_ctx *c, void **objs, unsigned int n)
{
	unsigned int i;

	switch (col) {
	case PERF_COL_FASTMEM:
		return rte_fastmem_alloc_bulk(objs, n, c->size, PERF_ALIGN, 0);
	case PERF_COL_HANDLE:
		return rte_fastmem_halloc_bulk(c->h, objs, n, 0);
	case PERF_COL_MEMPOOL:
		return rte_mempool_get_bulk(c->mp, objs, n);
	default:
		for (i = 0; i < n; i++) {
			objs[i] = perf_alloc(col, c, c->size);
			if (unlikely(objs[i] == NULL)) {
				while (i > 0)
					perf_free(col, c, objs[--i]);
				return -ENOMEM;
			}
		}
		return 0;
	}
}

static __rte_always_inline void
perf_free_bulk(enum perf_col col, const struct perf_ctx *c, void **objs, unsigned int n)
{
	unsigned int i;

	switch (col) {
	case PERF_COL_FASTMEM:
		rte_fastmem_free_bulk(objs, n);
		break;
	case PERF_COL_HANDLE:
		rte_fastmem_hfree_bulk(c->h, objs, n);
		break;
	case PERF_COL_MEMPOOL:
		rte_mempool_put_bulk(c->mp, objs, n);
		break;
	default:
		for (i = 0; i < n; i++)
			perf_free(col, c, objs[i]);
		break;
	}
}

/* The patterns. Each returns 0, or -ENOMEM when an allocation failed (nothing leaks). */

static __rte_always_inline int
perf_pairs(enum perf_col col, const struct perf_ctx *c, void **objs, uint64_t iters)
{
	uint64_t i;

	RTE_SET_USED(objs);
	for (i = 0; i < iters; i++) {
		void *p = perf_alloc(col, c, c->size);

		if (unlikely(p == NULL))
			return -ENOMEM;
		perf_use(p);
		perf_free(col, c, p);
	}
	return 0;
}

static __rte_always_inline int
perf_keep(enum perf_col col, const struct perf_ctx *c, void **objs, uint64_t iters,
		unsigned int n)
{
	uint64_t i;
	unsigned int j;

	for (i = 0; i < iters; i++) {
		for (j = 0; j < n; j++) {
			objs[j] = perf_alloc(col, c, c->size);
			if (unlikely(objs[j] == NULL)) {
				while (j > 0)
					perf_free(col, c, objs[--j]);
				return -ENOMEM;
			}
		}
		perf_use(objs);
		for (j = 0; j < n; j++)
			perf_free(col, c, objs[j]);
	}
	return 0;
}

/* keep 512 with the frees in the order of c->perm, a permutation of 0..511: objects go
 * back out of the order they came, as they do when their lifetimes differ. */
static __rte_always_inline int
perf_keep_shuffled(enum perf_col col, const struct perf_ctx *c, void **objs, uint64_t iters)
{
	const uint16_t *perm = c->perm;
	uint64_t i;
	unsigned int j;

	for (i = 0; i < iters; i++) {
		for (j = 0; j < PERF_MAX_KEEP; j++) {
			objs[j] = perf_alloc(col, c, c->size);
			if (unlikely(objs[j] == NULL)) {
				while (j > 0)
					perf_free(col, c, objs[--j]);
				return -ENOMEM;
			}
		}
		perf_use(objs);
		for (j = 0; j < PERF_MAX_KEEP; j++)
			perf_free(col, c, objs[perm[j]]);
	}
	return 0;
}

static __rte_always_inline int
perf_bulk(enum perf_col col, const struct perf_ctx *c, void **objs, uint64_t iters,
		unsigned int n)
{
	uint64_t i;

	for (i = 0; i < iters; i++) {
		if (unlikely(perf_alloc_bulk(col, c, objs, n) != 0))
			return -ENOMEM;
		perf_use(objs);
		perf_free_bulk(col, c, objs, n);
	}
	return 0;
}

/* PERF_MIXED_LIVE objects alive; each step frees one and allocates another size. */
static __rte_always_inline int
perf_mixed(enum perf_col col, const struct perf_ctx *c, void **objs, uint64_t iters)
{
	const struct perf_mixed_step *steps = c->mixed;
	unsigned int j, k = 0;
	uint64_t i;
	int ret = 0;

	for (j = 0; j < PERF_MIXED_LIVE; j++) {
		objs[j] = perf_alloc(col, c, steps[j].size);
		if (unlikely(objs[j] == NULL)) {
			while (j > 0)
				perf_free(col, c, objs[--j]);
			return -ENOMEM;
		}
	}
	for (i = 0; i < iters; i++) {
		const struct perf_mixed_step *s = &steps[k];

		k = (k + 1) & (PERF_MIXED_STEPS - 1);
		perf_free(col, c, objs[s->slot]);
		objs[s->slot] = perf_alloc(col, c, s->size);
		if (unlikely(objs[s->slot] == NULL)) {
			ret = -ENOMEM;
			break;
		}
		perf_use(objs[s->slot]);
	}
	for (j = 0; j < PERF_MIXED_LIVE; j++)
		if (objs[j] != NULL)
			perf_free(col, c, objs[j]);
	return ret;
}

/*
 * Cross-lcore: the producer allocates objects one by one and passes them in bursts through
 * a single-producer single-consumer ring; the consumer frees them. @p n is a multiple of
 * PERF_CROSS_BURST. When the producer fails, it sets *abort and the consumer stops once
 * the ring is empty.
 */
static __rte_always_inline int
perf_produce(enum perf_col col, const struct perf_ctx *c, struct rte_ring *r, uint64_t n,
		uint32_t *abort)
{
	void *burst[PERF_CROSS_BURST];
	unsigned int j;
	uint64_t i;

	for (i = 0; i < n; i += PERF_CROSS_BURST) {
		for (j = 0; j < PERF_CROSS_BURST; j++) {
			burst[j] = perf_alloc(col, c, c->size);
			if (unlikely(burst[j] == NULL)) {
				while (j > 0)
					perf_free(col, c, burst[--j]);
				__atomic_store_n(abort, 1, __ATOMIC_RELEASE);
				return -ENOMEM;
			}
		}
		while (rte_ring_sp_enqueue_bulk(r, burst, PERF_CROSS_BURST, NULL) == 0)
			rte_pause();
	}
	return 0;
}

static __rte_always_inline int
perf_consume(enum perf_col col, const struct perf_ctx *c, struct rte_ring *r, uint64_t n,
		uint32_t *abort)
{
	void *burst[PERF_CROSS_BURST];
	unsigned int j, k;
	uint64_t got = 0;

	while (got < n) {
		k = rte_ring_sc_dequeue_burst(r, burst, PERF_CROSS_BURST, NULL);
		if (k == 0) {
			/* pairs with the release store in perf_produce() */
			if (__atomic_load_n(abort, __ATOMIC_ACQUIRE) != 0 &&
					rte_ring_count(r) == 0)
				return -ENOMEM;
			rte_pause();
			continue;
		}
		for (j = 0; j < k; j++)
			perf_free(col, c, burst[j]);
		got += k;
	}
	return 0;
}

typedef int (perf_run_fn)(const struct perf_ctx *c, void **objs, uint64_t iters);
typedef int (perf_cross_fn)(const struct perf_ctx *c, struct rte_ring *r, uint64_t n,
		uint32_t *abort);

/* One function per (column, pattern): perf_run_<column>_<pattern>(). */
#define PERF_INSTANTIATE(name, col) \
	static __rte_noinline int \
	perf_run_##name##_pairs(const struct perf_ctx *c, void **objs, uint64_t iters) \
	{ \
		return perf_pairs(col, c, objs, iters); \
	} \
	static __rte_noinline int \
	perf_run_##name##_keep32(const struct perf_ctx *c, void **objs, uint64_t iters) \
	{ \
		return perf_keep(col, c, objs, iters, 32); \
	} \
	static __rte_noinline int \
	perf_run_##name##_keep512(const struct perf_ctx *c, void **objs, uint64_t iters) \
	{ \
		return perf_keep(col, c, objs, iters, 512); \
	} \
	static __rte_noinline int \
	perf_run_##name##_shuf512(const struct perf_ctx *c, void **objs, uint64_t iters) \
	{ \
		return perf_keep_shuffled(col, c, objs, iters); \
	} \
	static __rte_noinline int \
	perf_run_##name##_bulk32(const struct perf_ctx *c, void **objs, uint64_t iters) \
	{ \
		return perf_bulk(col, c, objs, iters, 32); \
	} \
	static __rte_noinline int \
	perf_run_##name##_mixed(const struct perf_ctx *c, void **objs, uint64_t iters) \
	{ \
		if (!perf_col_general(col)) \
			return -ENOTSUP; \
		return perf_mixed(col, c, objs, iters); \
	} \
	static __rte_noinline int \
	perf_run_##name##_produce(const struct perf_ctx *c, struct rte_ring *r, uint64_t n, \
			uint32_t *abort) \
	{ \
		return perf_produce(col, c, r, n, abort); \
	} \
	static __rte_noinline int \
	perf_run_##name##_consume(const struct perf_ctx *c, struct rte_ring *r, uint64_t n, \
			uint32_t *abort) \
	{ \
		return perf_consume(col, c, r, n, abort); \
	}

PERF_INSTANTIATE(fastmem, PERF_COL_FASTMEM)
PERF_INSTANTIATE(handle, PERF_COL_HANDLE)
PERF_INSTANTIATE(mempool, PERF_COL_MEMPOOL)
PERF_INSTANTIATE(rte_malloc, PERF_COL_RTE_MALLOC)
PERF_INSTANTIATE(libc, PERF_COL_LIBC)

#define PERF_RUN_ROW(name) { \
	[PERF_PAT_PAIRS] = perf_run_##name##_pairs, \
	[PERF_PAT_KEEP32] = perf_run_##name##_keep32, \
	[PERF_PAT_KEEP512] = perf_run_##name##_keep512, \
	[PERF_PAT_SHUF512] = perf_run_##name##_shuf512, \
	[PERF_PAT_BULK32] = perf_run_##name##_bulk32, \
	[PERF_PAT_MIXED] = perf_run_##name##_mixed, \
}

static perf_run_fn *const perf_run_fns[PERF_NUM_COLS][PERF_NUM_PATS] = {
	[PERF_COL_FASTMEM] = PERF_RUN_ROW(fastmem),
	[PERF_COL_HANDLE] = PERF_RUN_ROW(handle),
	[PERF_COL_MEMPOOL] = PERF_RUN_ROW(mempool),
	[PERF_COL_RTE_MALLOC] = PERF_RUN_ROW(rte_malloc),
	[PERF_COL_LIBC] = PERF_RUN_ROW(libc),
};

static perf_cross_fn *const perf_produce_fns[PERF_NUM_COLS] = {
	perf_run_fastmem_produce, perf_run_handle_produce, perf_run_mempool_produce,
	perf_run_rte_malloc_produce, perf_run_libc_produce,
};

static perf_cross_fn *const perf_consume_fns[PERF_NUM_COLS] = {
	perf_run_fastmem_consume, perf_run_handle_consume, perf_run_mempool_consume,
	perf_run_rte_malloc_consume, perf_run_libc_consume,
};

/* A deterministic pseudo-random generator (xorshift64*). */
static inline uint64_t
perf_rand(uint64_t *state)
{
	*state ^= *state >> 12;
	*state ^= *state << 25;
	*state ^= *state >> 27;
	return *state * UINT64_C(0x2545F4914F6CDD1D);
}

/*
 * The mixed pattern's steps: sizes log-uniform from PERF_MIXED_MIN to PERF_MIXED_MAX
 * (as many objects of 16-31 B as of 1-2 KiB), slots uniform; always the same sequence.
 */
static inline void
perf_mixed_init(struct perf_mixed_step *steps)
{
	uint64_t state = UINT64_C(0x6a09e667f3bcc908);
	unsigned int i;

	for (i = 0; i < PERF_MIXED_STEPS; i++) {
		uint64_t r = perf_rand(&state);
		/* octave 4..10 (16 B .. 1 KiB), then a uniform size within the octave */
		unsigned int octave = 4 + (unsigned int)(r % 7);
		size_t lo = (size_t)1 << octave;
		size_t size = lo + (size_t)((r >> 8) % (lo + 1));

		steps[i].size = (uint16_t)RTE_MIN(size, (size_t)PERF_MIXED_MAX);
		steps[i].slot = (uint16_t)((r >> 32) % PERF_MIXED_LIVE);
	}
}

/* The frees' order of the shuf512 pattern: a permutation of 0 .. PERF_MAX_KEEP - 1
 * (Fisher-Yates), always the same. */
static inline void
perf_shuffle_init(uint16_t *perm)
{
	uint64_t state = UINT64_C(0xbb67ae8584caa73b);
	unsigned int i;

	for (i = 0; i < PERF_MAX_KEEP; i++)
		perm[i] = (uint16_t)i;
	for (i = PERF_MAX_KEEP - 1; i > 0; i--) {
		unsigned int j = (unsigned int)(perf_rand(&state) % (i + 1));
		uint16_t t = perm[i];

		perm[i] = perm[j];
		perm[j] = t;
	}
}

/*
 * A mempool of @p n objects of @p size bytes with the largest per-lcore cache, on the
 * ring driver EAL picks by default ("ring_mp_mc"; Debian loads it from its plugin folder).
 */
static inline struct rte_mempool *
perf_mempool_create(const char *name, unsigned int n, size_t size)
{
	return rte_mempool_create(name, n, (unsigned int)size, RTE_MEMPOOL_CACHE_MAX_SIZE, 0,
			NULL, NULL, NULL, NULL, SOCKET_ID_ANY, 0);
}

#endif /* TEST_FASTMEM_PERF_H */
