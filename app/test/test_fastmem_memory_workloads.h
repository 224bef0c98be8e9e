/* SPDX-License-Identifier: BSD-3-Clause
 * Copyright(c) 2026 The dpdk-lcoremem authors
 */

#ifndef TEST_FASTMEM_MEMORY_WORKLOADS_H
#define TEST_FASTMEM_MEMORY_WORKLOADS_H

/*
 * The workloads of fastmem_memory_perf_autotest (described there): each a sequence of
 * allocations and frees of objects of a mix of types, driven through a struct mem_alloc
 * (test_fastmem_memory_perf.h). The sequence depends only on the workload, its peak and
 * the seed in mem_r.rng, never on the allocator, so that every allocator of a workload
 * gets the same operations in the same order.
 *
 * A run (mem_rings_run() or mem_heavy_run()) keeps count of the live bytes and of each
 * type's live objects in mem_r, samples the allocator every sample_every operations and
 * at the end of every phase, takes the last sample before it frees what is left, and
 * returns 0, or -ENOMEM when an allocation failed (what was allocated is freed then too).
 */

#include <errno.h>
#include <math.h>
#include <stdbool.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include <rte_common.h>

#include "test_fastmem_perf.h"
#include "test_fastmem_memory_perf.h"

#define MEM_CHURN_EVERY 8      /* oldest-first: steps between random replacements */
#define MEM_STEADY_TURNS 4     /* steady: random replacements per object of the peak */
#define MEM_STEADY_BATCH 8     /* steady: a batch replaces 1/MEM_STEADY_BATCH of the peak */
#define MEM_PARETO_ALPHA 1.5   /* heavy-tail: the lifetimes' tail index */
#define MEM_HEAVY_SPAN 16      /* heavy-tail: bytes allocated in all / mean live bytes */
#define MEM_HEAVY_FLOOR 0.02   /* heavy-tail: every type's least share */

struct mem_mix {
	unsigned int n;
	size_t size[MEM_MAX_TYPES];
};

enum mem_kind { MEM_OLDEST, MEM_RANDOM, MEM_HEAVY, MEM_STEADY };

struct mem_wl {
	const char *name;
	enum mem_kind kind;
	const struct mem_mix *mix;
	unsigned int peak_mib; /* full version: each type's peak (heavy: the mean live) */
	unsigned int div;      /* a type's low is its peak / div */
};

/* The live objects of a type, oldest first: a ring. */
struct mem_ring {
	void **objs;
	uint64_t cap, head, tail;
};

/* One heavy-tail object: when it dies. */
struct mem_obj {
	uint64_t death;
	void *p;
	unsigned int type;
};

/* The run in progress. */
struct mem_run {
	const struct mem_alloc *a;
	struct mem_types types;
	uint64_t peak;      /* each type's peak in bytes (heavy-tail: the mean live bytes) */
	uint64_t ops, live, peak_live, end_live;
	uint64_t count[MEM_MAX_TYPES];
	uint64_t rng;
};

static struct mem_run mem_r;

static inline void
mem_tick(void)
{
	if (++mem_r.ops % RTE_MAX(mem_r.a->sample_every, 1u) == 0 && mem_r.a->sample != NULL)
		mem_r.a->sample(false);
}

static inline void
mem_sample(void)
{
	if (mem_r.a->sample != NULL)
		mem_r.a->sample(false);
}

/* The last sample, before what is left is freed. */
static inline void
mem_sample_end(void)
{
	mem_r.end_live = mem_r.live;
	if (mem_r.a->sample != NULL)
		mem_r.a->sample(true);
}

static inline void *
mem_get(unsigned int t)
{
	void *p = mem_r.a->alloc(t);

	if (p == NULL)
		return NULL;
	mem_r.live += mem_r.types.size[t];
	mem_r.peak_live = RTE_MAX(mem_r.peak_live, mem_r.live);
	mem_r.count[t]++;
	mem_r.types.peak_count[t] = RTE_MAX(mem_r.types.peak_count[t], mem_r.count[t]);
	mem_tick();
	return p;
}

static inline void
mem_put(unsigned int t, void *p)
{
	mem_r.a->free(t, p);
	mem_r.live -= mem_r.types.size[t];
	mem_r.count[t]--;
	mem_tick();
}

static inline uint64_t
ring_count(const struct mem_ring *r)
{
	return r->head - r->tail;
}

static inline int
ring_push(struct mem_ring *r, unsigned int t)
{
	void *p = mem_get(t);

	if (p == NULL)
		return -ENOMEM;
	r->objs[r->head++ % r->cap] = p;
	return 0;
}

static inline void
ring_pop(struct mem_ring *r, unsigned int t)
{
	mem_put(t, r->objs[r->tail++ % r->cap]);
}

/* Free a random live object: it takes the oldest one's slot, and the oldest goes. */
static inline void
ring_pop_random(struct mem_ring *r, unsigned int t)
{
	uint64_t pick = r->tail + perf_rand(&mem_r.rng) % ring_count(r);
	void **a = &r->objs[pick % r->cap], **b = &r->objs[r->tail % r->cap];
	void *tmp = *a;

	*a = *b;
	*b = tmp;
	ring_pop(r, t);
}

/* oldest-first: up_t rises while down_t falls (oldest first), at the same relative pace */
static inline int
mem_oldest_phase(const struct mem_wl *w, struct mem_ring *live, unsigned int up_t,
		unsigned int down_t, uint64_t *steps)
{
	unsigned int n = w->mix->n;
	uint64_t peak = mem_r.peak / w->mix->size[up_t];
	uint64_t n_up = peak - ring_count(&live[up_t]);
	uint64_t n_down = down_t < n ?
		ring_count(&live[down_t]) - mem_r.peak / w->mix->size[down_t] / w->div : 0;
	uint64_t up = 0, down = 0;

	while (up < n_up || down < n_down) {
		if (down < n_down && (up >= n_up || down * n_up <= up * n_down)) {
			ring_pop(&live[down_t], down_t);
			down++;
		} else {
			if (ring_push(&live[up_t], up_t) != 0)
				return -ENOMEM;
			up++;
		}
		if (++*steps % MEM_CHURN_EVERY == 0) {
			uint64_t r = perf_rand(&mem_r.rng);
			unsigned int t = (unsigned int)(r % n);
			struct mem_ring *l = &live[t];
			void **slot;

			if (ring_count(l) == 0)
				continue;
			slot = &l->objs[(l->tail + (r >> 8) % ring_count(l)) % l->cap];
			mem_put(t, *slot);
			*slot = mem_get(t);
			if (*slot == NULL) {
				/* keep the ring whole for the cleanup: a new oldest replaces it */
				*slot = l->objs[l->tail++ % l->cap];
				return -ENOMEM;
			}
		}
	}
	mem_sample();
	return 0;
}

static inline int
mem_rings_run(const struct mem_wl *w)
{
	struct mem_ring live[MEM_MAX_TYPES];
	unsigned int t, p, n = w->mix->n;
	uint64_t steps = 0;
	int ret = 0;

	memset(live, 0, sizeof(live));
	for (t = 0; t < n; t++) {
		live[t].cap = mem_r.peak / w->mix->size[t] + 1;
		live[t].objs = calloc(live[t].cap, sizeof(void *));
		if (live[t].objs == NULL) {
			ret = -ENOMEM;
			goto out;
		}
	}
	if (w->kind == MEM_OLDEST) {
		for (t = 0; t < n && ret == 0; t++)
			while (ret == 0 && ring_count(&live[t]) <
					mem_r.peak / w->mix->size[t] / w->div)
				ret = ring_push(&live[t], t);
		/* phases A, B, ..., A: the first type rises, then each next one */
		for (p = 0; p <= n && ret == 0; p++)
			ret = mem_oldest_phase(w, live, p % n, p > 0 ? p - 1 : n, &steps);
	} else if (w->kind == MEM_STEADY) {
		/*
		 * One type rises to its peak, then batches replace random live objects: each
		 * frees 1/MEM_STEADY_BATCH of the peak count, chosen at random, then allocates
		 * as many. A batch is larger than the lcore cache, so the frees reach the runs
		 * and the allocations come from wherever the allocator puts them, not straight
		 * back from the cache (what replacing one object at a time would measure).
		 */
		uint64_t n_objs = live[0].cap - 1;
		uint64_t batch = RTE_MAX(n_objs / MEM_STEADY_BATCH, UINT64_C(1)), i;

		while (ret == 0 && ring_count(&live[0]) < n_objs)
			ret = ring_push(&live[0], 0);
		mem_sample();
		for (steps = 0; ret == 0 && steps < MEM_STEADY_TURNS * n_objs; steps += batch) {
			for (i = 0; i < batch && ring_count(&live[0]) > 0; i++)
				ring_pop_random(&live[0], 0);
			for (i = 0; ret == 0 && i < batch; i++)
				ret = ring_push(&live[0], 0);
			mem_sample();
		}
	} else {
		/* each type rises to its peak and falls to 1/div at random; the first again */
		for (p = 0; p <= n && ret == 0; p++) {
			t = p % n;
			while (ret == 0 && ring_count(&live[t]) < live[t].cap - 1)
				ret = ring_push(&live[t], t);
			mem_sample();
			if (p == n)
				break;
			while (ring_count(&live[t]) > (live[t].cap - 1) / w->div)
				ring_pop_random(&live[t], t);
			mem_sample();
		}
	}
out:
	mem_sample_end();
	for (t = 0; t < n; t++) {
		while (live[t].objs != NULL && ring_count(&live[t]) > 0)
			ring_pop(&live[t], t);
		free(live[t].objs);
	}
	return ret;
}

/* heavy-tail: a min-heap of the live objects by time of death */
static inline void
heap_sift_up(struct mem_obj *h, uint64_t i)
{
	while (i > 0 && h[(i - 1) / 2].death > h[i].death) {
		struct mem_obj tmp = h[i];

		h[i] = h[(i - 1) / 2];
		h[(i - 1) / 2] = tmp;
		i = (i - 1) / 2;
	}
}

static inline void
heap_sift_down(struct mem_obj *h, uint64_t n)
{
	uint64_t i = 0;

	for (;;) {
		uint64_t m = i, l = 2 * i + 1, r = l + 1;
		struct mem_obj tmp;

		if (l < n && h[l].death < h[m].death)
			m = l;
		if (r < n && h[r].death < h[m].death)
			m = r;
		if (m == i)
			return;
		tmp = h[i];
		h[i] = h[m];
		h[m] = tmp;
		i = m;
	}
}

/* The type of the next allocation, when the run is at fraction x of its bytes. */
static inline unsigned int
mem_heavy_type(const struct mem_mix *mix, double x)
{
	double w[MEM_MAX_TYPES], sum = 0, pos = (mix->n - 1) * x, r;
	unsigned int t;

	for (t = 0; t < mix->n; t++) {
		/* the type's share of the bytes, as a share of the allocations */
		w[t] = (RTE_MAX(0.0, 1.0 - fabs(pos - t)) + MEM_HEAVY_FLOOR) / mix->size[t];
		sum += w[t];
	}
	r = (double)(perf_rand(&mem_r.rng) >> 11) / (double)(UINT64_C(1) << 53) * sum;
	for (t = 0; t + 1 < mix->n; t++) {
		if (r < w[t])
			break;
		r -= w[t];
	}
	return t;
}

static inline int
mem_heavy_run(const struct mem_wl *w)
{
	const uint64_t mean = mem_r.peak, span = MEM_HEAVY_SPAN * mean;
	const double xm = mean * (MEM_PARETO_ALPHA - 1) / MEM_PARETO_ALPHA;
	struct mem_obj *h = NULL;
	uint64_t n = 0, cap = 0, clock = 0;
	int ret = 0;

	while (clock < span) {
		unsigned int t = mem_heavy_type(w->mix, (double)clock / span);
		double u = (double)((perf_rand(&mem_r.rng) >> 11) + 1) / (double)(UINT64_C(1) << 53);
		double life = xm / pow(u, 1 / MEM_PARETO_ALPHA);

		if (n == cap) {
			struct mem_obj *nh = realloc(h, (cap = cap * 2 + 4096) * sizeof(*h));

			if (nh == NULL) {
				ret = -ENOMEM;
				break;
			}
			h = nh;
		}
		h[n].p = mem_get(t);
		if (h[n].p == NULL) {
			ret = -ENOMEM;
			break;
		}
		h[n].type = t;
		h[n].death = clock + (uint64_t)RTE_MIN(life, (double)span);
		heap_sift_up(h, n++);
		clock += w->mix->size[t];
		while (n > 0 && h[0].death <= clock) {
			mem_put(h[0].type, h[0].p);
			h[0] = h[--n];
			heap_sift_down(h, n);
		}
	}
	mem_sample_end();
	while (n > 0) {
		n--;
		mem_put(h[n].type, h[n].p);
	}
	free(h);
	return ret;
}

#endif /* TEST_FASTMEM_MEMORY_WORKLOADS_H */
