/* SPDX-License-Identifier: BSD-3-Clause
 * Copyright(c) 2026 The dpdk-lcoremem authors
 */

/*
 * fastmem_handle_autotest: the handle API (rte_fastmem_hlookup(), halloc, hfree and their
 * bulk forms) and its error table; the inline cache-hit path, its slow path, threads
 * without an lcore id, mixing handle calls with the plain ones, freeing NULL. (The panic
 * of debug builds on a free with a handle of the wrong class: fastmem_debug_autotest.)
 */

#include <errno.h>
#include <inttypes.h>
#include <pthread.h>
#include <stdint.h>
#include <stdio.h>
#include <string.h>

#include <rte_common.h>
#include <rte_errno.h>
#include <rte_lcore.h>
#include <rte_memory.h>

#include <rte_fastmem.h>

#include "test.h"
#include "test_fastmem.h"

#define N_OBJS 1100 /* more than any cache holds: crosses refills and drains */
/* The largest capacity of a cache of small objects (rte_fastmem_set_cache_budget()). */
#define CAP_MAX_SMALL 1024u

static void *objs[N_OBJS];

/* Everything freed: after the caller's caches are flushed, nothing is in use. */
static int
check_idle(void)
{
	rte_fastmem_cache_flush();
	return test_fastmem_check_drained();
}

/* The class size of an object: test_fastmem_class(). */
#define class_of(size, align) test_fastmem_class((size), (align))

/* hlookup: every class and alignment; the handle allocates what alloc would. */
static int
test_hlookup_classes(void)
{
	size_t sizes[RTE_FASTMEM_MAX_CLASSES];
	size_t aligns[] = { 0, 1, 8, 64, 4096 };
	unsigned int n = rte_fastmem_classes(sizes), i, a;

	for (i = 0; i < n; i++) {
		for (a = 0; a < RTE_DIM(aligns); a++) {
			size_t want = class_of(sizes[i], aligns[a]);
			rte_fastmem_handle_t h = 0;
			uint8_t *p;

			TEST_ASSERT_SUCCESS(rte_fastmem_hlookup(sizes[i], aligns[a],
					SOCKET_ID_ANY, &h), "hlookup(%zu, %zu)", sizes[i],
					aligns[a]);
			TEST_ASSERT(h != 0, "handle 0");
			p = rte_fastmem_halloc(h, 0);
			TEST_ASSERT_NOT_NULL(p, "halloc(%zu, %zu): %d", sizes[i], aligns[a],
					rte_errno);
			TEST_ASSERT(((uintptr_t)p & (test_fastmem_class_align(want) - 1)) == 0,
					"object %p not aligned as its class %zu", p, want);
			memset(p, 0xa5, want);
			rte_fastmem_hfree(h, p);
		}
	}
	/* size 0: the smallest class the alignment allows, as alloc */
	{
		rte_fastmem_handle_t h0, h8, h64;

		TEST_ASSERT_SUCCESS(rte_fastmem_hlookup(0, 1, SOCKET_ID_ANY, &h0), "size 0");
		TEST_ASSERT_SUCCESS(rte_fastmem_hlookup(8, 8, SOCKET_ID_ANY, &h8), "size 8");
		TEST_ASSERT_EQUAL(h0, h8, "size 0, align 1 is not the 8 B class");
		TEST_ASSERT_SUCCESS(rte_fastmem_hlookup(0, 0, SOCKET_ID_ANY, &h0), "size 0");
		TEST_ASSERT_SUCCESS(rte_fastmem_hlookup(64, 64, SOCKET_ID_ANY, &h64), "64");
		TEST_ASSERT_EQUAL(h0, h64, "size 0, align 0 is not the cache-line class");
	}
	return check_idle();
}

/* hlookup: every socket EAL has, SOCKET_ID_ANY binding the caller's socket. */
static int
test_hlookup_sockets(void)
{
	rte_fastmem_handle_t any, own;
	unsigned int i;
	void *p;

	TEST_ASSERT_SUCCESS(rte_fastmem_hlookup(100, 0, SOCKET_ID_ANY, &any), "ANY");
	TEST_ASSERT_SUCCESS(rte_fastmem_hlookup(100, 0, (int)rte_socket_id(), &own), "own");
	TEST_ASSERT_EQUAL(any, own, "SOCKET_ID_ANY is not the caller's socket");
	for (i = 0; i < rte_socket_count(); i++) {
		int socket = rte_socket_id_by_idx(i);
		rte_fastmem_handle_t h;

		TEST_ASSERT_SUCCESS(rte_fastmem_hlookup(100, 0, socket, &h), "socket %d",
				socket);
		p = rte_fastmem_halloc(h, 0);
		TEST_ASSERT_NOT_NULL(p, "halloc on socket %d", socket);
		rte_fastmem_hfree(h, p);
	}
	return check_idle();
}

/* halloc/hfree across cache refills and drains, with every object distinct. */
static int
test_halloc_hfree(void)
{
	rte_fastmem_handle_t h;
	unsigned int i, j, round;

	TEST_ASSERT_SUCCESS(rte_fastmem_hlookup(48, 16, SOCKET_ID_ANY, &h), "hlookup");
	for (round = 0; round < 3; round++) {
		for (i = 0; i < N_OBJS; i++) {
			objs[i] = rte_fastmem_halloc(h, 0);
			TEST_ASSERT_NOT_NULL(objs[i], "halloc %u", i);
			memset(objs[i], (int)i, 48);
		}
		for (i = 0; i < N_OBJS; i++)
			for (j = 0; j < 48; j++)
				TEST_ASSERT_EQUAL(((uint8_t *)objs[i])[j], (uint8_t)i,
						"object %u overwritten", i);
		for (i = 0; i < N_OBJS; i++)
			rte_fastmem_hfree(h, objs[N_OBJS - 1 - i]);
	}
	/* pairs: the same object comes back (LIFO cache) */
	objs[0] = rte_fastmem_halloc(h, 0);
	rte_fastmem_hfree(h, objs[0]);
	TEST_ASSERT_EQUAL(rte_fastmem_halloc(h, 0), objs[0], "cache is not LIFO");
	rte_fastmem_hfree(h, objs[0]);
	return check_idle();
}

/* Bulk: all or nothing, large and small counts, n = 0. */
static int
test_hbulk(void)
{
	rte_fastmem_handle_t h;
	unsigned int counts[] = { 0, 1, 32, 511, N_OBJS };
	unsigned int k, i;

	TEST_ASSERT_SUCCESS(rte_fastmem_hlookup(200, 0, SOCKET_ID_ANY, &h), "hlookup");
	for (k = 0; k < RTE_DIM(counts); k++) {
		memset(objs, 0, sizeof(objs));
		TEST_ASSERT_SUCCESS(rte_fastmem_halloc_bulk(h, objs, counts[k], 0),
				"halloc_bulk(%u)", counts[k]);
		for (i = 0; i < counts[k]; i++) {
			TEST_ASSERT_NOT_NULL(objs[i], "object %u of %u", i, counts[k]);
			memset(objs[i], 1, 200);
		}
		rte_fastmem_hfree_bulk(h, objs, counts[k]);
	}
	TEST_ASSERT_SUCCESS(rte_fastmem_halloc_bulk(h, NULL, 0, 0), "n = 0, NULL array");
	rte_fastmem_hfree_bulk(h, NULL, 0);
	TEST_ASSERT_FAIL(rte_fastmem_halloc_bulk(h, objs, 4, 0x80), "unknown flags");
	TEST_ASSERT_EQUAL(rte_errno, EINVAL, "unknown flags: rte_errno %d", rte_errno);

	return check_idle();
}

/* F_ZERO: the whole object is zeroed, on the cache-hit path and the slow path. */
static int
test_hzero(void)
{
	rte_fastmem_handle_t h;
	unsigned int i, j;
	uint8_t *p;

	TEST_ASSERT_SUCCESS(rte_fastmem_hlookup(100, 0, SOCKET_ID_ANY, &h), "hlookup");
	/* dirty objects, back in the cache */
	for (i = 0; i < 8; i++) {
		objs[i] = rte_fastmem_halloc(h, 0);
		TEST_ASSERT_NOT_NULL(objs[i], "halloc");
		memset(objs[i], 0xff, 128);
	}
	rte_fastmem_hfree_bulk(h, objs, 8);
	for (i = 0; i < 4; i++) {
		p = rte_fastmem_halloc(h, RTE_FASTMEM_F_ZERO);
		TEST_ASSERT_NOT_NULL(p, "halloc zero");
		for (j = 0; j < 128; j++)
			TEST_ASSERT_EQUAL(p[j], 0, "byte %u of a zeroed object is %u", j, p[j]);
		objs[i] = p;
	}
	TEST_ASSERT_SUCCESS(rte_fastmem_halloc_bulk(h, objs + 4, 4, RTE_FASTMEM_F_ZERO),
			"bulk zero");
	for (i = 4; i < 8; i++)
		for (j = 0; j < 128; j++)
			TEST_ASSERT_EQUAL(((uint8_t *)objs[i])[j], 0, "bulk object %u byte %u", i,
					j);
	rte_fastmem_hfree_bulk(h, objs, 8);
	return check_idle();
}

/* Mixing: halloc with rte_fastmem_free, rte_fastmem_alloc with hfree. */
static int
test_hmix(void)
{
	rte_fastmem_handle_t h;
	unsigned int i;

	TEST_ASSERT_SUCCESS(rte_fastmem_hlookup(300, 0, SOCKET_ID_ANY, &h), "hlookup");
	for (i = 0; i < N_OBJS; i++) {
		objs[i] = (i & 1) ? rte_fastmem_halloc(h, 0) : rte_fastmem_alloc(300, 0, 0);
		TEST_ASSERT_NOT_NULL(objs[i], "alloc %u", i);
	}
	for (i = 0; i < N_OBJS; i++) {
		if (i % 3 == 0)
			rte_fastmem_hfree(h, objs[i]);
		else
			rte_fastmem_free(objs[i]);
	}
	TEST_ASSERT_SUCCESS(rte_fastmem_alloc_bulk(objs, 64, 257, 0, 0), "alloc_bulk");
	rte_fastmem_hfree_bulk(h, objs, 64);
	TEST_ASSERT_SUCCESS(rte_fastmem_halloc_bulk(h, objs, 64, 0), "halloc_bulk");
	rte_fastmem_free_bulk(objs, 64);
	return check_idle();
}

/* Threads without an lcore id take the slow path for every handle call. */
struct nonlcore_arg {
	rte_fastmem_handle_t h;
	int ret;
};

static void *
nonlcore_thread(void *p)
{
	struct nonlcore_arg *arg = p;
	void *mine[40];
	unsigned int i;

	arg->ret = -1;
	if (rte_lcore_id() != LCORE_ID_ANY)
		return NULL;
	for (i = 0; i < 8; i++) {
		mine[i] = rte_fastmem_halloc(arg->h, i & 1 ? RTE_FASTMEM_F_ZERO : 0);
		if (mine[i] == NULL)
			return NULL;
	}
	if (rte_fastmem_halloc_bulk(arg->h, mine + 8, 32, 0) != 0)
		return NULL;
	for (i = 0; i < 8; i++)
		rte_fastmem_hfree(arg->h, mine[i]);
	rte_fastmem_hfree_bulk(arg->h, mine + 8, 32);
	arg->ret = 0;
	return NULL;
}

static int
test_hnonlcore(void)
{
	struct nonlcore_arg arg = { 0 };
	struct rte_fastmem_lcore_stats sh;
	pthread_t t;

	TEST_ASSERT_SUCCESS(rte_fastmem_hlookup(64, 0, SOCKET_ID_ANY, &arg.h), "hlookup");
	rte_fastmem_stats_reset();
	TEST_ASSERT_SUCCESS(pthread_create(&t, NULL, nonlcore_thread, &arg), "thread");
	pthread_join(t, NULL);
	TEST_ASSERT_SUCCESS(arg.ret, "non-EAL thread failed");
	TEST_ASSERT_SUCCESS(rte_fastmem_stats_shared(&sh), "stats_shared");
	TEST_ASSERT_EQUAL(sh.alloc_cache_misses, 40, "shared allocations: %" PRIu64,
			sh.alloc_cache_misses);
	TEST_ASSERT_EQUAL(sh.free_cache_misses, 40, "shared frees: %" PRIu64,
			sh.free_cache_misses);
	return check_idle();
}

/* The error table. */
static int
test_herrors(void)
{
	rte_fastmem_handle_t h, good;
	void *p;

	TEST_ASSERT_SUCCESS(rte_fastmem_hlookup(64, 0, SOCKET_ID_ANY, &good), "hlookup");
	h = 12345;
	TEST_ASSERT_EQUAL(rte_fastmem_hlookup(rte_fastmem_max_size() + 1, 0, SOCKET_ID_ANY, &h),
			-E2BIG, "size too large");
	TEST_ASSERT_EQUAL(rte_errno, E2BIG, "rte_errno %d", rte_errno);
	TEST_ASSERT_EQUAL(h, 12345u, "handle written on failure");
	TEST_ASSERT_EQUAL(rte_fastmem_hlookup(64, 3, SOCKET_ID_ANY, &h), -EINVAL, "align 3");
	TEST_ASSERT_EQUAL(rte_errno, EINVAL, "rte_errno %d", rte_errno);
	TEST_ASSERT_EQUAL(rte_fastmem_hlookup(64, 2 << 20, SOCKET_ID_ANY, &h), -E2BIG,
			"align 2 MiB");
	TEST_ASSERT_EQUAL(rte_errno, E2BIG, "rte_errno %d", rte_errno);
	TEST_ASSERT_EQUAL(rte_fastmem_hlookup(64, 0, RTE_MAX_NUMA_NODES - 1, &h), -EINVAL,
			"unknown socket");
	TEST_ASSERT_EQUAL(rte_fastmem_hlookup(64, 0, 1000000, &h), -EINVAL, "bad socket");
	TEST_ASSERT_EQUAL(rte_fastmem_hlookup(64, 0, SOCKET_ID_ANY, NULL), -EINVAL, "NULL h");
	TEST_ASSERT_EQUAL(rte_errno, EINVAL, "rte_errno %d", rte_errno);

	/*
	 * not handles: 0, a wrong tag, a bad class, a socket slot not set up; with an object
	 * in the cache of the good handle, so that a bad value that reached that cache would
	 * be served inline
	 */
	{
		rte_fastmem_handle_t bad[] = { 0, good ^ (1u << RTE_FASTMEM_HANDLE_TAG_SHIFT),
			good | RTE_FASTMEM_HANDLE_CLS_MASK,
			good | (RTE_FASTMEM_HANDLE_SIDX_MASK << RTE_FASTMEM_HANDLE_SIDX_SHIFT),
			UINT32_MAX };
		void *warm = rte_fastmem_halloc(good, 0);
		unsigned int i;

		TEST_ASSERT_NOT_NULL(warm, "halloc(good)");
		rte_fastmem_hfree(good, warm);
		rte_errno = 0;
		TEST_ASSERT_NULL(rte_fastmem_halloc(good | RTE_FASTMEM_HANDLE_CLS_MASK,
				RTE_FASTMEM_F_ZERO),
				"halloc of a bad class with F_ZERO");
		TEST_ASSERT_EQUAL(rte_errno, EINVAL, "bad class: rte_errno %d", rte_errno);

		for (i = 0; i < RTE_DIM(bad); i++) {
			void *arr[2];

			rte_errno = 0;
			TEST_ASSERT_NULL(rte_fastmem_halloc(bad[i], 0), "halloc(0x%x)", bad[i]);
			TEST_ASSERT_EQUAL(rte_errno, EINVAL, "halloc(0x%x): rte_errno %d", bad[i],
					rte_errno);
			TEST_ASSERT_EQUAL(rte_fastmem_halloc_bulk(bad[i], arr, 2, 0), -EINVAL,
					"halloc_bulk(0x%x)", bad[i]);
			TEST_ASSERT_EQUAL(rte_fastmem_halloc_bulk(bad[i], arr, 0, 0), -EINVAL,
					"halloc_bulk(0x%x, n = 0)", bad[i]);
		}
		/* a bad handle on free: nothing is freed, rte_errno is EINVAL, on every path
		 * and in every build (the debug build's checks included) */
		p = rte_fastmem_halloc(good, 0);
		TEST_ASSERT_NOT_NULL(p, "halloc");
		for (i = 0; i < RTE_DIM(bad); i++) {
			rte_errno = 0;
			rte_fastmem_hfree(bad[i], p);
			TEST_ASSERT_EQUAL(rte_errno, EINVAL, "hfree(0x%x): rte_errno %d", bad[i],
					rte_errno);
			rte_errno = 0;
			rte_fastmem_hfree_bulk(bad[i], &p, 1);
			TEST_ASSERT_EQUAL(rte_errno, EINVAL, "hfree_bulk(0x%x): rte_errno %d",
					bad[i], rte_errno);
		}
		rte_fastmem_hfree(good, p);
	}
	rte_errno = 0;
	TEST_ASSERT_NULL(rte_fastmem_halloc(good, 0x80), "unknown flags");
	TEST_ASSERT_EQUAL(rte_errno, EINVAL, "unknown flags: rte_errno %d", rte_errno);

	return check_idle();
}

/* ENOMEM, and bulk all or nothing: with a limit of one slab, the 1 MiB class holds one
 * object (the slab header takes the first half of the slab). */
static int
test_hnomem(void)
{
	rte_fastmem_handle_t h;
	void *two[2] = { NULL, NULL };
	void *p;

	TEST_ASSERT_SUCCESS(rte_fastmem_set_limit(SOCKET_ID_ANY, RTE_FASTMEM_SLAB_SIZE),
			"set_limit");
	TEST_ASSERT_SUCCESS(rte_fastmem_hlookup(1 << 20, 0, SOCKET_ID_ANY, &h), "1 MiB");
	TEST_ASSERT_EQUAL(rte_fastmem_halloc_bulk(h, two, 2, 0), -ENOMEM,
			"bulk of 2 x 1 MiB within one slab");
	TEST_ASSERT_EQUAL(rte_errno, ENOMEM, "rte_errno %d", rte_errno);
	p = rte_fastmem_halloc(h, 0);
	TEST_ASSERT_NOT_NULL(p, "the one 1 MiB object (the failed bulk kept nothing)");
	rte_errno = 0;
	TEST_ASSERT_NULL(rte_fastmem_halloc(h, 0), "second 1 MiB object within one slab");
	TEST_ASSERT_EQUAL(rte_errno, ENOMEM, "rte_errno %d", rte_errno);
	rte_fastmem_hfree(h, p);
	rte_fastmem_cache_flush();
	return check_idle();
}

/* Before init and after deinit: ENODEV everywhere, frees are no-ops. */
static int
test_hnodev(void)
{
	rte_fastmem_handle_t h = 0, kept;
	void *arr[1];

	TEST_ASSERT_EQUAL(rte_fastmem_hlookup(64, 0, SOCKET_ID_ANY, &h), -ENODEV, "lookup");
	TEST_ASSERT_EQUAL(rte_errno, ENODEV, "rte_errno %d", rte_errno);
	TEST_ASSERT_SUCCESS(rte_fastmem_init(), "init");
	TEST_ASSERT_SUCCESS(rte_fastmem_hlookup(64, 0, SOCKET_ID_ANY, &kept), "lookup");
	arr[0] = rte_fastmem_halloc(kept, 0);
	TEST_ASSERT_NOT_NULL(arr[0], "halloc");
	rte_fastmem_hfree(kept, arr[0]);
	rte_fastmem_deinit();
	rte_errno = 0;
	TEST_ASSERT_NULL(rte_fastmem_halloc(kept, 0), "halloc after deinit");
	TEST_ASSERT_EQUAL(rte_errno, ENODEV, "rte_errno %d", rte_errno);
	TEST_ASSERT_EQUAL(rte_fastmem_halloc_bulk(kept, arr, 1, 0), -ENODEV, "bulk");
	rte_errno = 0;
	rte_fastmem_hfree(kept, arr); /* any address: nothing is read */
	TEST_ASSERT_EQUAL(rte_errno, ENODEV, "hfree after deinit: rte_errno %d", rte_errno);
	rte_errno = 0;
	rte_fastmem_hfree_bulk(kept, arr, 1);
	TEST_ASSERT_EQUAL(rte_errno, ENODEV, "hfree_bulk: rte_errno %d", rte_errno);
	return TEST_SUCCESS;
}

/*
 * Freeing NULL with a handle does nothing, as in the RFC: hfree(h, NULL), and NULL entries
 * of hfree_bulk, on the inline path (room in the cache) and the slow path (cache full),
 * leave the cache and the statistics as they were and set no error.
 */
static int
test_hfree_null(void)
{
	struct rte_fastmem_lcore_class_stats before, after;
	unsigned int lcore_id = rte_lcore_id(), n, i, k;
	rte_fastmem_handle_t h;
	void *few[6], *with_null[16];

	TEST_ASSERT_SUCCESS(rte_fastmem_hlookup(300, 0, SOCKET_ID_ANY, &h), "hlookup");
	TEST_ASSERT_SUCCESS(rte_fastmem_halloc_bulk(h, few, 4, 0), "halloc_bulk");
	TEST_ASSERT_SUCCESS(rte_fastmem_stats_lcore_class(lcore_id, 320, &before), "stats");
	TEST_ASSERT_EQUAL(before.class_size, 320, "class_size %zu", before.class_size);
	rte_errno = 0;
	rte_fastmem_hfree(h, NULL);
	TEST_ASSERT_EQUAL(rte_errno, 0, "hfree(NULL) set rte_errno %d", rte_errno);
	TEST_ASSERT_SUCCESS(rte_fastmem_stats_lcore_class(lcore_id, 320, &after), "stats");
	TEST_ASSERT(after.cached == before.cached &&
			after.free_cache_hits == before.free_cache_hits &&
			after.free_cache_misses == before.free_cache_misses,
			"hfree(NULL) changed the cache");

	/* NULL entries among objects: only the objects are freed */
	few[4] = few[3];
	few[3] = NULL;
	few[5] = NULL;
	rte_fastmem_hfree_bulk(h, few, 6);
	TEST_ASSERT_EQUAL(rte_errno, 0, "hfree_bulk with NULL set rte_errno %d", rte_errno);
	TEST_ASSERT_SUCCESS(rte_fastmem_stats_lcore_class(lcore_id, 320, &after), "stats");
	TEST_ASSERT_EQUAL(after.cached, before.cached + 4, "%" PRIu64 " cached, %" PRIu64
			" before", after.cached, before.cached);

	/* the same with the cache full at its largest capacity (a free into a full cache
	 * below it grows it): the slow path skips them too */
	n = RTE_MIN(CAP_MAX_SMALL, (unsigned int)(RTE_FASTMEM_CACHE_BYTES_MAX / 320)) + 8;
	TEST_ASSERT(n <= N_OBJS, "%u objects", n);
	TEST_ASSERT_SUCCESS(rte_fastmem_halloc_bulk(h, objs, n, 0), "halloc_bulk");
	/* fill the cache with the first objects, keep the last 8 */
	for (i = 0; i < n - 8; i++) {
		TEST_ASSERT_SUCCESS(rte_fastmem_stats_lcore_class(lcore_id, 320, &before),
				"stats");
		if (before.cached == n - 8 && before.cache_capacity == n - 8)
			break;
		rte_fastmem_hfree(h, objs[i]);
	}
	TEST_ASSERT_SUCCESS(rte_fastmem_stats_lcore_class(lcore_id, 320, &before), "stats");
	TEST_ASSERT(before.cached == n - 8 && before.cache_capacity == n - 8,
			"the cache is not full: %" PRIu64 " of %u", before.cached,
			before.cache_capacity);
	for (k = 0; k < 8; k++) {
		with_null[2 * k] = objs[n - 8 + k];
		with_null[2 * k + 1] = NULL;
	}
	rte_fastmem_hfree_bulk(h, with_null, RTE_DIM(with_null));
	TEST_ASSERT_EQUAL(rte_errno, 0, "hfree_bulk with NULL set rte_errno %d", rte_errno);
	for (; i < n - 8; i++)
		rte_fastmem_hfree(h, objs[i]);
	return check_idle();
}

/* ---- adaptive cache capacity ---- */

/* The lcore's cache of a class: objects held and capacity. */
static int
cache_of(size_t class_size, struct rte_fastmem_lcore_class_stats *cs)
{
	return rte_fastmem_stats_lcore_class(rte_lcore_id(), class_size, cs);
}

/* Allocate n objects of h, then free them: one "keep n" round; the misses it took. */
static int
keep_round(rte_fastmem_handle_t h, size_t class_size, unsigned int n, uint64_t *misses)
{
	struct rte_fastmem_lcore_class_stats a, b;
	unsigned int i;

	TEST_ASSERT_SUCCESS(cache_of(class_size, &a), "stats");
	for (i = 0; i < n; i++) {
		objs[i] = rte_fastmem_halloc(h, 0);
		TEST_ASSERT_NOT_NULL(objs[i], "halloc %u", i);
	}
	for (i = 0; i < n; i++)
		rte_fastmem_hfree(h, objs[n - 1 - i]);
	TEST_ASSERT_SUCCESS(cache_of(class_size, &b), "stats");
	*misses = b.alloc_cache_misses + b.free_cache_misses - a.alloc_cache_misses -
		a.free_cache_misses;
	return TEST_SUCCESS;
}

/*
 * Growth: a cache starts at 1/16 of its largest capacity, doubles on misses until a burst
 * of 512 fits, then misses no more; rte_fastmem_trim() and rte_fastmem_cache_flush() by
 * its lcore take it back to the start.
 */
static int
test_cache_grow(void)
{
	struct rte_fastmem_lcore_class_stats cs;
	rte_fastmem_handle_t h;
	uint64_t misses = 0;
	unsigned int round;

	TEST_ASSERT_EQUAL(rte_fastmem_get_cache_budget(), RTE_FASTMEM_CACHE_BUDGET_DEFAULT,
			"default budget %zu", rte_fastmem_get_cache_budget());
	TEST_ASSERT_SUCCESS(rte_fastmem_hlookup(64, 0, SOCKET_ID_ANY, &h), "hlookup");
	TEST_ASSERT_SUCCESS(keep_round(h, 64, 1, &misses), "round");
	TEST_ASSERT_SUCCESS(cache_of(64, &cs), "stats");
	TEST_ASSERT_EQUAL(cs.cache_capacity, CAP_MAX_SMALL / 16 * 2, "capacity %u after one miss",
			cs.cache_capacity);
	for (round = 0; round < 8; round++)
		TEST_ASSERT_SUCCESS(keep_round(h, 64, 512, &misses), "round");
	TEST_ASSERT_SUCCESS(cache_of(64, &cs), "stats");
	TEST_ASSERT(cs.cache_capacity >= 512 && cs.cache_capacity <= CAP_MAX_SMALL,
			"capacity %u after keep 512", cs.cache_capacity);
	TEST_ASSERT_EQUAL(misses, 0, "keep 512 still misses %" PRIu64 " times at capacity %u",
			misses, cs.cache_capacity);
	/* a trim by the lcore shrinks its caches to the start, keeping what fits there */
	TEST_ASSERT(rte_fastmem_trim(SOCKET_ID_ANY, NULL) >= 0, "trim");
	TEST_ASSERT_SUCCESS(cache_of(64, &cs), "stats");
	TEST_ASSERT(cs.cache_capacity == CAP_MAX_SMALL / 16 && cs.cached > 0 &&
			cs.cached <= CAP_MAX_SMALL / 16, "after a trim: capacity %u, %" PRIu64
			" cached", cs.cache_capacity, cs.cached);
	for (round = 0; round < 8; round++)
		TEST_ASSERT_SUCCESS(keep_round(h, 64, 512, &misses), "round");
	rte_fastmem_cache_flush();
	TEST_ASSERT_SUCCESS(cache_of(64, &cs), "stats");
	TEST_ASSERT(cs.cache_capacity == CAP_MAX_SMALL / 16 && cs.cached == 0,
			"after a flush: capacity %u, %" PRIu64 " cached", cs.cache_capacity,
			cs.cached);
	return check_idle();
}

/*
 * Budget: the caches of an lcore grow by at most the budget; when it is used up by a class
 * that no longer misses, that class's cache halves for one that does.
 */
static int
test_cache_budget(void)
{
	/* 4 KiB: largest capacity 256, starting 16 (64 KiB) */
	const size_t a_size = 4096, b_size = 8192, budget = 64 * 4096;
	struct rte_fastmem_lcore_class_stats a, b;
	rte_fastmem_handle_t ha, hb;
	uint64_t misses;
	unsigned int round;

	TEST_ASSERT_SUCCESS(rte_fastmem_set_cache_budget(budget), "set budget");
	TEST_ASSERT_EQUAL(rte_fastmem_get_cache_budget(), budget, "budget");
	TEST_ASSERT_SUCCESS(rte_fastmem_hlookup(a_size, 0, SOCKET_ID_ANY, &ha), "hlookup");
	TEST_ASSERT_SUCCESS(rte_fastmem_hlookup(b_size, 0, SOCKET_ID_ANY, &hb), "hlookup");
	for (round = 0; round < 8; round++)
		TEST_ASSERT_SUCCESS(keep_round(ha, a_size, 256, &misses), "round");
	TEST_ASSERT_SUCCESS(cache_of(a_size, &a), "stats");
	/* 16 at the start, + 64 objects of budget: 64 is the last doubling that fits */
	TEST_ASSERT_EQUAL(a.cache_capacity, 64, "capacity %u within a budget of %zu B",
			a.cache_capacity, budget);
	TEST_ASSERT((a.cache_capacity - 16) * a_size <= budget, "over the budget");
	/* class a idles, class b misses: a gives way */
	for (round = 0; round < 8; round++)
		TEST_ASSERT_SUCCESS(keep_round(hb, b_size, 128, &misses), "round");
	TEST_ASSERT_SUCCESS(cache_of(a_size, &a), "stats");
	TEST_ASSERT_SUCCESS(cache_of(b_size, &b), "stats");
	TEST_ASSERT(a.cache_capacity < 64 && a.cached <= a.cache_capacity,
			"idle class: capacity %u, %" PRIu64 " cached", a.cache_capacity, a.cached);
	TEST_ASSERT(b.cache_capacity > 8, "missing class: capacity %u", b.cache_capacity);
	TEST_ASSERT((a.cache_capacity - 16) * a_size + (b.cache_capacity - 8) * b_size <=
			budget, "over the budget: %u x %zu + %u x %zu", a.cache_capacity, a_size,
			b.cache_capacity, b_size);
	/* no budget: no growth */
	TEST_ASSERT_SUCCESS(rte_fastmem_set_cache_budget(0), "set budget");
	rte_fastmem_cache_flush();
	TEST_ASSERT_SUCCESS(keep_round(ha, a_size, 256, &misses), "round");
	TEST_ASSERT_SUCCESS(cache_of(a_size, &a), "stats");
	TEST_ASSERT_EQUAL(a.cache_capacity, 16, "capacity %u with no budget", a.cache_capacity);
	TEST_ASSERT_SUCCESS(rte_fastmem_set_cache_budget(RTE_FASTMEM_CACHE_BUDGET_DEFAULT),
			"set budget");
	rte_fastmem_cache_flush();
	return check_idle();
}

static struct unit_test_suite fastmem_handle_suite = {
	.suite_name = "fastmem handles",
	.unit_test_cases = {
		TEST_CASE(test_hnodev),
		TEST_CASE_ST(test_fm_setup, test_fm_teardown, test_hlookup_classes),
		TEST_CASE_ST(test_fm_setup, test_fm_teardown, test_hlookup_sockets),
		TEST_CASE_ST(test_fm_setup, test_fm_teardown, test_halloc_hfree),
		TEST_CASE_ST(test_fm_setup, test_fm_teardown, test_hbulk),
		TEST_CASE_ST(test_fm_setup, test_fm_teardown, test_hzero),
		TEST_CASE_ST(test_fm_setup, test_fm_teardown, test_hmix),
		TEST_CASE_ST(test_fm_setup, test_fm_teardown, test_hnonlcore),
		TEST_CASE_ST(test_fm_setup, test_fm_teardown, test_herrors),
		TEST_CASE_ST(test_fm_setup, test_fm_teardown, test_hnomem),
		TEST_CASE_ST(test_fm_setup, test_fm_teardown, test_hfree_null),
		TEST_CASE_ST(test_fm_setup, test_fm_teardown, test_cache_grow),
		TEST_CASE_ST(test_fm_setup, test_fm_teardown, test_cache_budget),
		TEST_CASES_END()
	}
};

static int
test_fastmem_handle(void)
{
	return unit_test_suite_runner(&fastmem_handle_suite);
}

REGISTER_FAST_TEST(fastmem_handle_autotest, true, true, test_fastmem_handle);
