/* SPDX-License-Identifier: BSD-3-Clause
 * Copyright(c) 2026 The dpdk-lcoremem authors
 */

/*
 * fastmem under concurrency: every lcore allocates, fills, checks and frees objects of
 * random sizes, and hands some of them to other lcores through rte_rings; non-EAL
 * threads register and unregister lcore ids while allocating; several lcores churn at
 * the memory limit in different classes.
 *
 * Thread sanitizer note: Debian's DPDK is not instrumented, so TSan sees neither the
 * synchronisation of rte_eal_remote_launch()/rte_eal_wait_lcore() nor that of rte_ring
 * on x86 (compiler barriers and inline assembly). Everything handed from one thread to
 * another here therefore also goes through a C11-style atomic: results are published
 * with release stores and read with acquire loads, and an object handed over through a
 * ring carries its tag in its first word, stored with release by the sender and loaded
 * with acquire by the receiver.
 */

/*
 * The rings use DPDK's C11 memory-model implementation (acquire/release atomics on head
 * and tail), valid on every architecture, instead of x86's default one (plain accesses
 * and compiler barriers), which TSan cannot follow. Enqueue and dequeue are inline, so
 * this choice is this file's alone.
 */
#ifndef RTE_USE_C11_MEM_MODEL
#define RTE_USE_C11_MEM_MODEL 1
#endif

#include <errno.h>
#include <inttypes.h>
#include <pthread.h>
#include <sched.h>
#include <stdio.h>
#include <string.h>

#include <rte_common.h>
#include <rte_errno.h>
#include <rte_launch.h>
#include <rte_lcore.h>
#include <rte_memory.h>
#include <rte_ring.h>

#include <rte_fastmem.h>

#include "test.h"
#include "test_fastmem.h"

/* Objects an lcore keeps alive at most in the stress test. */
#define CONC_LIVE_MAX 128
/* Operations each lcore performs in the stress test. */
#define CONC_OPS 6000
/* Lcores taking part in the stress test, at most. */
#define CONC_LCORES_MAX 16u
/* Slots of each inbox ring (one ring per sender and receiver). */
#define CONC_RING_SIZE 256
/* Largest number of objects moved by one bulk call. */
#define CONC_BULK_MAX 8

/* Non-EAL threads of the register/unregister churn, and their rounds. */
#define CHURN_THREADS 4
#define CHURN_ROUNDS 40
#define CHURN_OBJS 48

/* A deterministic pseudo-random generator (xorshift64*), one per thread. */
static inline uint64_t
prng_next(uint64_t *state)
{
	uint64_t x = *state;

	x ^= x >> 12;
	x ^= x << 25;
	x ^= x >> 27;
	*state = x;
	return x * UINT64_C(0x2545F4914F6CDD1D);
}

static inline uint64_t
prng_seed(unsigned int id)
{
	return UINT64_C(0x9E3779B97F4A7C15) * (id + 1) ^ UINT64_C(0xD1B54A32D192ED03);
}

/*
 * An object's tag: owner (8 bits), size (24 bits), sequence number (32 bits). It is
 * stored in the first word of the object; the rest of the object holds a pattern derived
 * from the tag, so that any overlap of two live objects or any write by the allocator
 * into a live object shows as a mismatch.
 */
static inline uint64_t
tag_make(unsigned int owner, size_t size, uint32_t seq)
{
	return (uint64_t)(owner & 0xff) << 56 | (uint64_t)(size & 0xffffff) << 32 | seq;
}

static inline size_t
tag_size(uint64_t tag)
{
	return (size_t)((tag >> 32) & 0xffffff);
}

static inline unsigned int
tag_owner(uint64_t tag)
{
	return (unsigned int)(tag >> 56);
}

static inline uint64_t
pattern_word(uint64_t tag, size_t i)
{
	return (tag ^ (i * UINT64_C(0x9E3779B97F4A7C15))) | 1;
}

/* Fill an object of at least 8 bytes; the tag goes in last, with release. */
static void
obj_fill(void *obj, uint64_t tag)
{
	size_t size = tag_size(tag);
	uint64_t *w = obj;
	size_t n = size / 8, i;

	for (i = 1; i < n; i++)
		w[i] = pattern_word(tag, i);
	for (i = n * 8; i < size; i++)
		((uint8_t *)obj)[i] = (uint8_t)pattern_word(tag, i);
	/* release: pairs with the acquire load in obj_check() on the receiving thread */
	__atomic_store_n(&w[0], tag, __ATOMIC_RELEASE);
}

/* Check an object filled by obj_fill(); return its tag, or 0 if it is corrupt. */
static uint64_t
obj_check(const void *obj, uint64_t expect)
{
	const uint64_t *w = obj;
	uint64_t tag;
	size_t size, n, i;

	/* acquire: pairs with the release store in obj_fill() */
	tag = __atomic_load_n(&w[0], __ATOMIC_ACQUIRE);
	if (expect != 0 && tag != expect)
		return 0;
	size = tag_size(tag);
	if (size < 8)
		return 0;
	n = size / 8;
	for (i = 1; i < n; i++)
		if (w[i] != pattern_word(tag, i))
			return 0;
	for (i = n * 8; i < size; i++)
		if (((const uint8_t *)obj)[i] != (uint8_t)pattern_word(tag, i))
			return 0;
	return tag;
}

/* A random size from 8 B to the maximum, mostly small. */
static size_t
random_size(uint64_t *rng)
{
	uint64_t r = prng_next(rng);
	unsigned int pick = (unsigned int)(r % 1000);
	size_t max = rte_fastmem_max_size();

	r >>= 10;
	if (pick < 700)
		return 8 + r % 249;            /* 8 .. 256 */
	if (pick < 950)
		return 257 + r % (8192 - 256); /* .. 8 KiB */
	if (pick < 998)
		return 8193 + r % (65536 - 8192); /* .. 64 KiB */
	return 65537 + r % (max - 65536); /* .. the maximum */
}

static size_t
random_align(uint64_t *rng)
{
	unsigned int r = (unsigned int)(prng_next(rng) % 16);

	if (r < 12)
		return 0;
	return (size_t)8 << (prng_next(rng) % 10); /* 8 .. 4096 */
}

/* ---- the stress test ---- */

struct conc_obj {
	void *ptr;
	uint64_t tag;
};

/*
 * Each lcore has one single-producer single-consumer ring per sender: DPDK 22.11's
 * multi-producer enqueue waits for the previous producer with a relaxed load, which is
 * not a happens-before edge in the C11 model (TSan reports the slot accesses).
 */
struct conc_lcore {
	struct rte_ring *inbox[CONC_LCORES_MAX]; /* [sender] */
	/* results, written by the lcore and published with the release store of done */
	uint64_t n_alloc;
	uint64_t n_free;
	uint64_t n_sent;
	uint64_t n_received;
	uint64_t n_nomem;
	char error[160];
	int done;          /* 1: ok, -1: failed; release store, acquire load */
};

static struct conc_lcore conc_lcores[CONC_LCORES_MAX];
static unsigned int conc_n_lcores;
static unsigned int conc_started;  /* start barrier; atomic */
static unsigned int conc_finished; /* lcores that send no more; atomic */

#define CONC_FAIL(st, ...) do { \
	snprintf((st)->error, sizeof((st)->error), __VA_ARGS__); \
	goto fail; \
} while (0)

static void
conc_barrier(unsigned int *counter, unsigned int n)
{
	__atomic_fetch_add(counter, 1, __ATOMIC_ACQ_REL);
	while (__atomic_load_n(counter, __ATOMIC_ACQUIRE) < n)
		sched_yield();
}

/* Receive objects from the inboxes, check and free them. Return -1 on a corrupt one. */
static int
conc_drain(struct conc_lcore *st, unsigned int self)
{
	void *objs[32];
	unsigned int n, i, from;

	for (from = 0; from < conc_n_lcores; from++) {
		if (from == self)
			continue;
		while ((n = rte_ring_dequeue_burst(st->inbox[from], objs, RTE_DIM(objs),
				NULL)) > 0) {
			for (i = 0; i < n; i++) {
				uint64_t tag = obj_check(objs[i], 0);

				if (tag == 0 || tag_owner(tag) != from) {
					snprintf(st->error, sizeof(st->error),
						"object %p from lcore index %u is corrupt (tag %#"
						PRIx64 ")", objs[i], from, tag);
					return -1;
				}
				/* a different pattern, so a stale sender write would show */
				memset(objs[i], 0x5a, tag_size(tag));
				rte_fastmem_free(objs[i]);
			}
			st->n_received += n;
			st->n_free += n;
		}
	}
	return 0;
}

static int
conc_worker(void *arg)
{
	unsigned int self = (unsigned int)rte_lcore_index((int)rte_lcore_id());
	struct conc_lcore *st;
	struct conc_obj live[CONC_LIVE_MAX];
	void *bulk[CONC_BULK_MAX];
	unsigned int n_live = 0, i, op;
	uint64_t rng = prng_seed(self);
	uint32_t seq = 0;

	RTE_SET_USED(arg);
	if (self >= conc_n_lcores)
		return 0; /* more lcores than the test uses */
	st = &conc_lcores[self];
	conc_barrier(&conc_started, conc_n_lcores);

	for (op = 0; op < CONC_OPS; op++) {
		unsigned int r = (unsigned int)(prng_next(&rng) % 100);

		if (conc_drain(st, self) < 0)
			goto fail;

		if (r < 45 && n_live < CONC_LIVE_MAX) {
			size_t size = random_size(&rng), align = random_align(&rng);
			unsigned int flags = prng_next(&rng) % 8 == 0 ? RTE_FASTMEM_F_ZERO : 0;
			void *p = rte_fastmem_alloc(size, align, flags);
			size_t k;

			if (p == NULL) {
				st->n_nomem++;
				CONC_FAIL(st, "alloc(%zu, %zu) failed: %s", size, align,
					rte_strerror(rte_errno));
			}
			live[n_live].ptr = p;
			live[n_live].tag = tag_make(self, size, ++seq);
			n_live++;
			st->n_alloc++;
			if (align != 0 && ((uintptr_t)p & (align - 1)) != 0)
				CONC_FAIL(st, "alloc(%zu, %zu) = %p misaligned", size, align, p);
			if (align == 0 && ((uintptr_t)p & (RTE_CACHE_LINE_SIZE - 1)) != 0)
				CONC_FAIL(st, "alloc(%zu, 0) = %p not cache-line aligned",
					size, p);
			if (flags & RTE_FASTMEM_F_ZERO)
				for (k = 0; k < size; k++)
					if (((uint8_t *)p)[k] != 0)
						CONC_FAIL(st, "F_ZERO object %p byte %zu not 0",
							p, k);
			obj_fill(p, live[n_live - 1].tag);
		} else if (r < 52 && n_live + CONC_BULK_MAX <= CONC_LIVE_MAX) {
			unsigned int n = 1 + (unsigned int)(prng_next(&rng) % CONC_BULK_MAX);
			size_t size = random_size(&rng);

			if (rte_fastmem_alloc_bulk(bulk, n, size, 0, 0) != 0) {
				st->n_nomem++;
				CONC_FAIL(st, "alloc_bulk(%u x %zu) failed: %s", n, size,
					rte_strerror(rte_errno));
			}
			for (i = 0; i < n; i++) {
				live[n_live].ptr = bulk[i];
				live[n_live].tag = tag_make(self, size, ++seq);
				obj_fill(bulk[i], live[n_live].tag);
				n_live++;
			}
			st->n_alloc += n;
		} else if (r < 80 && n_live > 0) {
			unsigned int k = (unsigned int)(prng_next(&rng) % n_live);

			if (obj_check(live[k].ptr, live[k].tag) == 0)
				CONC_FAIL(st, "object %p (tag %#" PRIx64 ") corrupt",
					live[k].ptr, live[k].tag);
			rte_fastmem_free(live[k].ptr);
			live[k] = live[--n_live];
			st->n_free++;
		} else if (r < 93 && n_live > 0 && conc_n_lcores > 1) {
			unsigned int k = (unsigned int)(prng_next(&rng) % n_live);
			unsigned int to = (unsigned int)(prng_next(&rng) % (conc_n_lcores - 1));

			if (to >= self)
				to++;
			if (obj_check(live[k].ptr, live[k].tag) == 0)
				CONC_FAIL(st, "object %p corrupt before send", live[k].ptr);
			/* order this lcore's reads of the object before the receiver's writes */
			__atomic_store_n((uint64_t *)live[k].ptr, live[k].tag, __ATOMIC_RELEASE);
			if (rte_ring_sp_enqueue(conc_lcores[to].inbox[self], live[k].ptr) == 0) {
				live[k] = live[--n_live];
				st->n_sent++;
			}
		} else if (n_live > 0) {
			unsigned int n = 1 + (unsigned int)(prng_next(&rng) % CONC_BULK_MAX);

			if (n > n_live)
				n = n_live;
			for (i = 0; i < n; i++) {
				struct conc_obj *o = &live[n_live - 1 - i];

				if (obj_check(o->ptr, o->tag) == 0)
					CONC_FAIL(st, "object %p corrupt before free_bulk", o->ptr);
				bulk[i] = o->ptr;
			}
			rte_fastmem_free_bulk(bulk, n);
			n_live -= n;
			st->n_free += n;
		}
	}

	for (i = 0; i < n_live; i++) {
		if (obj_check(live[i].ptr, live[i].tag) == 0)
			CONC_FAIL(st, "object %p corrupt at the end", live[i].ptr);
		rte_fastmem_free(live[i].ptr);
		st->n_free++;
	}
	n_live = 0;

	/* nobody sends after this increment; drain until every lcore has got here */
	__atomic_fetch_add(&conc_finished, 1, __ATOMIC_ACQ_REL);
	while (__atomic_load_n(&conc_finished, __ATOMIC_ACQUIRE) < conc_n_lcores) {
		if (conc_drain(st, self) < 0)
			goto fail;
		sched_yield();
	}
	if (conc_drain(st, self) < 0)
		goto fail;

	rte_fastmem_cache_flush();
	/* release: pairs with the acquire load in test_concurrent_stress() */
	__atomic_store_n(&st->done, 1, __ATOMIC_RELEASE);
	return 0;

fail:
	for (i = 0; i < n_live; i++)
		rte_fastmem_free(live[i].ptr);
	st->n_free += n_live;
	__atomic_fetch_add(&conc_finished, 1, __ATOMIC_ACQ_REL);
	rte_fastmem_cache_flush();
	__atomic_store_n(&st->done, -1, __ATOMIC_RELEASE);
	return -1;
}

static int
test_concurrent_stress(void)
{
	unsigned int lcore_id, i;
	uint64_t allocs = 0, frees = 0, sent = 0, received = 0;
	struct rte_fastmem_stats stats;
	int ret = TEST_SUCCESS;

	conc_n_lcores = RTE_MIN(rte_lcore_count(), CONC_LCORES_MAX);
	if (conc_n_lcores < 2) {
		printf("needs at least 2 lcores\n");
		return TEST_SKIPPED;
	}
	memset(conc_lcores, 0, sizeof(conc_lcores));
	__atomic_store_n(&conc_started, 0, __ATOMIC_RELAXED);
	__atomic_store_n(&conc_finished, 0, __ATOMIC_RELAXED);
	for (i = 0; i < conc_n_lcores * conc_n_lcores; i++) {
		unsigned int to = i / conc_n_lcores, from = i % conc_n_lcores;
		char name[RTE_RING_NAMESIZE];

		if (to == from)
			continue;
		snprintf(name, sizeof(name), "fm_conc_%u_%u", to & 0xff, from & 0xff);
		conc_lcores[to].inbox[from] = rte_ring_create(name, CONC_RING_SIZE,
			SOCKET_ID_ANY, RING_F_SP_ENQ | RING_F_SC_DEQ);
		if (conc_lcores[to].inbox[from] == NULL) {
			printf("cannot create ring %s: %s\n", name, rte_strerror(rte_errno));
			ret = TEST_FAILED;
			goto out;
		}
	}
	rte_fastmem_stats_reset();

	rte_eal_mp_remote_launch(conc_worker, NULL, CALL_MAIN);
	rte_eal_mp_wait_lcore();

	RTE_LCORE_FOREACH(lcore_id) {
		struct conc_lcore *st;
		int done;

		if ((unsigned int)rte_lcore_index((int)lcore_id) >= conc_n_lcores)
			continue;
		st = &conc_lcores[rte_lcore_index((int)lcore_id)];
		/* acquire: pairs with the release store at the end of conc_worker() */
		done = __atomic_load_n(&st->done, __ATOMIC_ACQUIRE);

		if (done != 1) {
			printf("lcore %u failed: %s\n", lcore_id, st->error);
			ret = TEST_FAILED;
			continue;
		}
		printf("lcore %u: %" PRIu64 " allocated, %" PRIu64 " freed, %" PRIu64
			" sent, %" PRIu64 " received\n", lcore_id, st->n_alloc, st->n_free,
			st->n_sent, st->n_received);
		allocs += st->n_alloc;
		frees += st->n_free;
		sent += st->n_sent;
		received += st->n_received;
	}
	if (ret != TEST_SUCCESS)
		goto out;
	if (allocs != frees || sent != received) {
		printf("objects lost: %" PRIu64 " allocated, %" PRIu64 " freed, %" PRIu64
			" sent, %" PRIu64 " received\n", allocs, frees, sent, received);
		ret = TEST_FAILED;
		goto out;
	}
	if (sent == 0) {
		printf("no object was handed over between lcores\n");
		ret = TEST_FAILED;
		goto out;
	}
	if (rte_fastmem_stats(&stats) != 0 || stats.alloc_total != allocs ||
			stats.free_total != frees || stats.alloc_nomem != 0) {
		printf("stats disagree: alloc_total %" PRIu64 " (expected %" PRIu64
			"), free_total %" PRIu64 " (expected %" PRIu64 "), nomem %" PRIu64 "\n",
			stats.alloc_total, allocs, stats.free_total, frees, stats.alloc_nomem);
		ret = TEST_FAILED;
		goto out;
	}
	ret = test_fastmem_check_idle();
out:
	for (i = 0; i < conc_n_lcores * conc_n_lcores; i++) {
		rte_ring_free(conc_lcores[i / conc_n_lcores].inbox[i % conc_n_lcores]);
		conc_lcores[i / conc_n_lcores].inbox[i % conc_n_lcores] = NULL;
	}
	return ret;
}

/* ---- register/unregister churn from non-EAL threads ---- */

struct churn_thread {
	pthread_t tid;
	unsigned int id;
	uint64_t n_alloc;
	uint64_t n_registered_rounds;
	char error[160];
	int failed;
};

static void *
churn_main(void *arg)
{
	struct churn_thread *t = arg;
	void *objs[CHURN_OBJS];
	uint64_t tags[CHURN_OBJS];
	uint64_t rng = prng_seed(1000 + t->id);
	unsigned int round, i, n = 0;
	uint32_t seq = 0;

	for (round = 0; round < CHURN_ROUNDS; round++) {
		bool registered = round % 4 != 3;

		n = 1 + (unsigned int)(prng_next(&rng) % CHURN_OBJS);

		if (registered) {
			if (test_fastmem_thread_register() != 0) {
				snprintf(t->error, sizeof(t->error),
					"rte_thread_register failed: %s",
					rte_strerror(rte_errno));
				goto fail;
			}
			if (rte_lcore_id() == LCORE_ID_ANY) {
				snprintf(t->error, sizeof(t->error), "registered, no lcore id");
				goto fail;
			}
			t->n_registered_rounds++;
		}
		for (i = 0; i < n; i++) {
			size_t size = random_size(&rng);

			objs[i] = rte_fastmem_alloc(size, 0, 0);
			if (objs[i] == NULL) {
				snprintf(t->error, sizeof(t->error), "alloc(%zu) failed: %s",
					size, rte_strerror(rte_errno));
				n = i;
				goto free_and_fail;
			}
			tags[i] = tag_make(200 + t->id, size, ++seq);
			obj_fill(objs[i], tags[i]);
		}
		t->n_alloc += n;
		/* free some singly and the rest in bulk; they land in the lcore's cache */
		for (i = 0; i < n; i++) {
			if (obj_check(objs[i], tags[i]) == 0) {
				snprintf(t->error, sizeof(t->error), "object %p corrupt",
					objs[i]);
				goto free_and_fail;
			}
		}
		for (i = 0; i < n / 2; i++)
			rte_fastmem_free(objs[i]);
		rte_fastmem_free_bulk(&objs[n / 2], n - n / 2);
		if (registered)
			test_fastmem_thread_unregister(); /* must flush this lcore id's caches */
	}
	return NULL;

free_and_fail:
	rte_fastmem_free_bulk(objs, n);
	if (rte_lcore_id() != LCORE_ID_ANY)
		test_fastmem_thread_unregister();
fail:
	t->failed = 1;
	return NULL;
}

static int
test_concurrent_register_churn(void)
{
	struct churn_thread threads[CHURN_THREADS];
	struct rte_fastmem_lcore_stats shared;
	struct rte_fastmem_stats stats;
	uint64_t allocs = 0;
	unsigned int i, started = 0;
	int ret = TEST_SUCCESS;

	memset(threads, 0, sizeof(threads));
	rte_fastmem_stats_reset();
	for (i = 0; i < CHURN_THREADS; i++) {
		threads[i].id = i;
		if (pthread_create(&threads[i].tid, NULL, churn_main, &threads[i]) != 0) {
			printf("pthread_create failed\n");
			ret = TEST_FAILED;
			break;
		}
		started++;
	}
	/* pthread_join orders the threads' writes before the reads below */
	for (i = 0; i < started; i++) {
		pthread_join(threads[i].tid, NULL);
		if (threads[i].failed) {
			printf("thread %u failed: %s\n", i, threads[i].error);
			ret = TEST_FAILED;
		}
		allocs += threads[i].n_alloc;
	}
	if (ret != TEST_SUCCESS)
		return ret;

	TEST_ASSERT_SUCCESS(rte_fastmem_stats(&stats), "stats failed");
	TEST_ASSERT_EQUAL(stats.alloc_total, allocs, "alloc_total %" PRIu64 ", expected %"
		PRIu64, stats.alloc_total, allocs);
	TEST_ASSERT_EQUAL(stats.free_total, allocs, "free_total %" PRIu64 ", expected %"
		PRIu64, stats.free_total, allocs);
	/* the unregistered rounds went through the shared (cache-less) path */
	TEST_ASSERT_SUCCESS(rte_fastmem_stats_shared(&shared), "stats_shared failed");
	TEST_ASSERT(shared.alloc_cache_hits == 0 && shared.free_cache_hits == 0,
		"the shared path has no cache");
	TEST_ASSERT(shared.alloc_cache_misses > 0 && shared.alloc_cache_misses < allocs,
		"shared allocations %" PRIu64 " of %" PRIu64, shared.alloc_cache_misses, allocs);
	TEST_ASSERT_EQUAL(shared.alloc_cache_misses, shared.free_cache_misses,
		"shared allocations and frees differ");
	/*
	 * No cache flush here: the objects the threads freed into their caches must have
	 * been returned when the threads unregistered.
	 */
	return test_fastmem_check_idle();
}

/* ---- churn at the limit (review defect 4) ---- */

/*
 * Each of the churning lcores works in a class of its own: a round allocates one slab's
 * worth of objects (2 MiB / class size - 1), checks and frees them all, and flushes its
 * cache. Cache capacity x class size is at most 1 MiB, below the slab's usable bytes, so
 * an lcore's objects (live ones plus cached ones, at most capacity <= objects per slab)
 * lie in at most 2 slabs at any time, and in at most 1 when it needs a new slab. With
 * the socket's limit at 2 slabs per churning lcore and the memory reserved up front, at
 * the moment an lcore asks for a slab the documented bound holds:
 *   used + cached + frag <= (2 * (n - 1) + 1) slabs, so used + cached + frag + 2 MiB <=
 *   limit,
 * and the allocation must not fail. Before the fix, a slab drained by one lcore was out
 * of its bin and not yet in the pool for a moment, and an lcore of another class could
 * find the pool empty and the limit reached: ENOMEM.
 */
#define LIMIT_ROUNDS 150
#define LIMIT_LCORES_MAX 4

static const size_t limit_class[LIMIT_LCORES_MAX] = {
	1024 * 1024, 128 * 1024, 512 * 1024, 256 * 1024,
};

struct limit_lcore {
	unsigned int idx;
	uint64_t n_alloc;
	uint64_t n_nomem;
	char error[160];
	int done; /* 1 ok, -1 failed; release store, acquire load */
};

static struct limit_lcore limit_lcores[LIMIT_LCORES_MAX];
static unsigned int limit_n_lcores;
static unsigned int limit_started; /* atomic */

static int
limit_worker(void *arg)
{
	struct limit_lcore *st = arg;
	size_t size = limit_class[st->idx];
	unsigned int per_slab = (unsigned int)(RTE_FASTMEM_SLAB_SIZE / size - 1);
	void *objs[RTE_FASTMEM_SLAB_SIZE / (128 * 1024)];
	unsigned int round, i, n;
	int result = 1;

	conc_barrier(&limit_started, limit_n_lcores);
	for (round = 0; round < LIMIT_ROUNDS && result == 1; round++) {
		for (n = 0; n < per_slab; n++) {
			uint64_t *w;

			objs[n] = rte_fastmem_alloc(size, 0, 0);
			if (objs[n] == NULL) {
				if (rte_errno == ENOMEM)
					st->n_nomem++;
				snprintf(st->error, sizeof(st->error),
					"round %u: alloc %u of %zu failed: %s", round, n, size,
					rte_strerror(rte_errno));
				result = -1;
				break;
			}
			/* tag the first and last word: cheap, and shows overlap */
			w = objs[n];
			w[0] = tag_make(st->idx, size, round * 64 + n);
			w[size / 8 - 1] = w[0];
			st->n_alloc++;
		}
		for (i = 0; i < n; i++) {
			uint64_t *w = objs[i];

			if (result == 1 && (w[0] != tag_make(st->idx, size, round * 64 + i) ||
					w[size / 8 - 1] != w[0])) {
				snprintf(st->error, sizeof(st->error), "object %p corrupt",
					objs[i]);
				result = -1;
			}
		}
		rte_fastmem_free_bulk(objs, n);
		rte_fastmem_cache_flush();
	}
	/* release: pairs with the acquire in test_concurrent_churn_at_limit() */
	__atomic_store_n(&st->done, result, __ATOMIC_RELEASE);
	return 0;
}

static int
test_concurrent_churn_at_limit(void)
{
	int socket = (int)rte_socket_id();
	struct rte_fastmem_stats st;
	unsigned int lcore_id, i;
	uint64_t allocs = 0;
	size_t limit;
	int ret = TEST_SUCCESS;

	limit_n_lcores = 0;
	RTE_LCORE_FOREACH_WORKER(lcore_id)
		if (limit_n_lcores < LIMIT_LCORES_MAX)
			limit_n_lcores++;
	if (limit_n_lcores < 2) {
		printf("needs at least 2 worker lcores\n");
		return TEST_SKIPPED;
	}
	/* every cache of these classes fits in a slab with room to spare */
	for (i = 0; i < limit_n_lcores; i++) {
		struct rte_fastmem_lcore_class_stats lc;

		TEST_ASSERT_SUCCESS(rte_fastmem_stats_lcore_class(rte_lcore_id(), limit_class[i],
			&lc), "stats_lcore_class");
		TEST_ASSERT(lc.cache_capacity <= RTE_FASTMEM_SLAB_SIZE / limit_class[i] - 1,
			"class %zu: cache capacity %u above a slab's objects", limit_class[i],
			lc.cache_capacity);
	}

	limit = 2 * limit_n_lcores * RTE_FASTMEM_SLAB_SIZE;
	TEST_ASSERT_SUCCESS(rte_fastmem_set_limit(socket, limit), "set_limit");
	TEST_ASSERT_SUCCESS(rte_fastmem_reserve(limit, socket), "reserve %zu", limit);
	TEST_ASSERT_SUCCESS(rte_fastmem_stats(&st), "stats");
	TEST_ASSERT_EQUAL(st.bytes_backing, limit, "backing %" PRIu64 ", limit %zu",
		st.bytes_backing, limit);
	rte_fastmem_stats_reset();

	memset(limit_lcores, 0, sizeof(limit_lcores));
	__atomic_store_n(&limit_started, 0, __ATOMIC_RELAXED);
	i = 0;
	RTE_LCORE_FOREACH_WORKER(lcore_id) {
		if (i == limit_n_lcores)
			break;
		limit_lcores[i].idx = i;
		TEST_ASSERT_SUCCESS(rte_eal_remote_launch(limit_worker, &limit_lcores[i],
			lcore_id), "launch");
		i++;
	}
	rte_eal_mp_wait_lcore();

	for (i = 0; i < limit_n_lcores; i++) {
		struct limit_lcore *l = &limit_lcores[i];

		if (__atomic_load_n(&l->done, __ATOMIC_ACQUIRE) != 1) {
			printf("lcore of class %zu failed: %s\n", limit_class[i], l->error);
			ret = TEST_FAILED;
		}
		allocs += l->n_alloc;
	}
	TEST_ASSERT_SUCCESS(rte_fastmem_stats(&st), "stats");
	printf("%u lcores, %" PRIu64 " allocations at a limit of %zu MiB, %" PRIu64
		" ENOMEM\n", limit_n_lcores, allocs, limit >> 20, st.alloc_nomem);
	if (ret != TEST_SUCCESS)
		return ret;
	TEST_ASSERT_EQUAL(st.alloc_nomem, 0, "ENOMEM counted");
	TEST_ASSERT_EQUAL(st.alloc_total, allocs, "alloc_total");
	TEST_ASSERT_EQUAL(st.bytes_backing, limit, "backing grew beyond the limit");
	TEST_ASSERT_SUCCESS(rte_fastmem_set_limit(SOCKET_ID_ANY, SIZE_MAX), "unlimit");
	return test_fastmem_check_idle();
}

struct unit_test_suite fastmem_concurrent_suite = {
	.suite_name = "fastmem concurrency",
	.setup = NULL,
	.teardown = NULL,
	.unit_test_cases = {
		TEST_CASE_ST(test_fm_setup, test_fm_teardown, test_concurrent_stress),
		TEST_CASE_ST(test_fm_setup, test_fm_teardown, test_concurrent_register_churn),
		TEST_CASE_ST(test_fm_setup, test_fm_teardown, test_concurrent_churn_at_limit),
		TEST_CASES_END()
	}
};

static int
test_fastmem_concurrent(void)
{
	return unit_test_suite_runner(&fastmem_concurrent_suite);
}

REGISTER_FAST_TEST(fastmem_concurrent_autotest, true, true, test_fastmem_concurrent);
