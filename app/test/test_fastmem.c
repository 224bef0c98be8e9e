/* SPDX-License-Identifier: BSD-3-Clause
 * Copyright(c) 2026 The dpdk-lcoremem authors
 */

/*
 * fastmem_autotest: the functional tests of the fastmem allocator, in suites:
 *   lifecycle      init/deinit without allocating memory;
 *   functional     every API and every size class, on the EAL's own heap;
 *   external heap  a heap made of memory the test maps itself, used as a second socket;
 *   error table    every documented misuse: its return value, rte_errno, and no leak;
 *   concurrency    many lcores and threads at once (test_fastmem_concurrent.c).
 * Everything runs without hugepages: in --no-huge mode the EAL gives fastmem
 * IOVA-contiguous memzones as well (see the lifecycle suite for what is checked).
 */

#include <errno.h>
#include <inttypes.h>
#include <pthread.h>
#include <stdio.h>
#include <string.h>
#include <sys/mman.h>

#include <rte_common.h>
#include <rte_eal.h>
#include <rte_errno.h>
#include <rte_launch.h>
#include <rte_lcore.h>
#include <rte_log.h>
#include <rte_malloc.h>
#include <rte_memory.h>
#include <rte_memzone.h>

#include <rte_fastmem.h>

#include "test.h"
#include "test_fastmem.h"

#define KIB ((size_t)1024)
#define MIB (KIB * KIB)
#define SLAB_SIZE (2 * MIB)
#define N_CLASSES_EXPECTED 120

/* ---- helpers ---- */

static void
count_memzone(const struct rte_memzone *mz, void *arg)
{
	RTE_SET_USED(mz);
	(*(unsigned int *)arg)++;
}

/* Number of memzones in the process. */
static unsigned int
memzone_count(void)
{
	unsigned int n = 0;

	rte_memzone_walk(count_memzone, &n);
	return n;
}

/* Bytes allocated from the EAL heap of a socket (fastmem's state and cache sets live
 * there); the same before init and after deinit, or something leaked. */
static size_t
heap_allocated(int socket)
{
	struct rte_malloc_socket_stats st;

	if (rte_malloc_get_socket_stats(socket, &st) != 0)
		return SIZE_MAX;
	return st.heap_allocsz_bytes;
}

int
test_fm_setup(void)
{
	int ret = rte_fastmem_init();

	if (ret != 0) {
		printf("rte_fastmem_init() failed: %d (%s)\n", ret, rte_strerror(-ret));
		return TEST_FAILED;
	}
	return TEST_SUCCESS;
}

void
test_fm_teardown(void)
{
	rte_fastmem_deinit();
}

size_t
test_fastmem_class(size_t size, size_t align)
{
	static size_t sizes[RTE_FASTMEM_MAX_CLASSES];
	static unsigned int n;
	size_t want;
	unsigned int i;

	if (n == 0)
		n = rte_fastmem_classes(sizes);
	if (align == 0)
		align = RTE_CACHE_LINE_SIZE;
	want = RTE_ALIGN_CEIL(RTE_MAX(size, (size_t)1), align);
	for (i = 0; i < n; i++)
		if (sizes[i] >= want)
			return sizes[i];
	return 0;
}

int
test_fastmem_check_idle(void)
{
	size_t sizes[RTE_FASTMEM_MAX_CLASSES];
	struct rte_fastmem_stats st;
	unsigned int n, i;

	TEST_ASSERT_SUCCESS(test_fastmem_check_accounting("idle", NULL), "accounting");
	TEST_ASSERT_SUCCESS(rte_fastmem_stats(&st), "rte_fastmem_stats failed");
	TEST_ASSERT_EQUAL(st.bytes_in_use, 0, "%" PRIu64 " bytes still in use", st.bytes_in_use);
	TEST_ASSERT_EQUAL(st.bytes_cached, 0, "%" PRIu64 " bytes still cached", st.bytes_cached);
	TEST_ASSERT_EQUAL(st.alloc_total, st.free_total, "alloc_total %" PRIu64
		" != free_total %" PRIu64, st.alloc_total, st.free_total);
	n = rte_fastmem_classes(sizes);
	for (i = 0; i < n; i++) {
		struct rte_fastmem_class_stats cs;

		TEST_ASSERT_SUCCESS(rte_fastmem_stats_class(sizes[i], &cs),
			"stats_class(%zu) failed", sizes[i]);
		TEST_ASSERT_EQUAL(cs.in_use, 0, "class %zu: %" PRIu64 " objects in use",
			sizes[i], cs.in_use);
		TEST_ASSERT(cs.slabs_partial == 0 && cs.slabs_full == 0,
			"class %zu: %" PRIu64 " partial and %" PRIu64 " full slabs left"
			" with nothing in use", sizes[i], cs.slabs_partial, cs.slabs_full);
	}
	return TEST_SUCCESS;
}

int
test_fastmem_check_accounting(const char *when, int64_t *gap)
{
#ifdef RTE_LIBRTE_FASTMEM_STATS
	size_t sizes[RTE_FASTMEM_MAX_CLASSES];
	uint64_t out[RTE_FASTMEM_MAX_CLASSES], held[RTE_FASTMEM_MAX_CLASSES];
	int64_t gap_objs = 0, gap_bytes = 0;
	uint64_t sum, cached_bytes = 0;
	struct rte_fastmem_stats st;
	unsigned int n, i, l;

	TEST_ASSERT_SUCCESS(rte_fastmem_stats(&st), "%s: rte_fastmem_stats", when);
	sum = st.bytes_in_use + st.bytes_cached + st.bytes_free + st.bytes_free_pages +
			st.bytes_overhead;
	n = rte_fastmem_classes(sizes);
	for (i = 0; i < n; i++) {
		struct rte_fastmem_lcore_class_stats lcs;
		struct rte_fastmem_class_stats cs;
		uint64_t cached;

		TEST_ASSERT_SUCCESS(rte_fastmem_stats_class(sizes[i], &cs), "%s: stats_class",
			when);
		TEST_ASSERT(cs.objs_free <= cs.objs_runs && cs.objs_runs * sizes[i] <=
			cs.bytes_runs, "%s: class %zu: %" PRIu64 " free of %" PRIu64 " objects in %"
			PRIu64 " B of runs", when, sizes[i], cs.objs_free, cs.objs_runs,
			cs.bytes_runs);
		cached = cs.xfer_cached;
		for (l = 0; l < RTE_MAX_LCORE; l++)
			if (rte_fastmem_stats_lcore_class(l, sizes[i], &lcs) == 0)
				cached += lcs.cached;
		cached_bytes += cached * sizes[i];
		out[i] = cs.objs_runs - cs.objs_free;
		held[i] = cs.in_use + cached;
		gap_objs += (int64_t)(held[i] - out[i]);
		gap_bytes += (int64_t)(held[i] - out[i]) * (int64_t)sizes[i];
	}
	TEST_ASSERT(cached_bytes <= st.bytes_cached, "%s: %" PRIu64 " B cached here, %" PRIu64
		" B in all", when, cached_bytes, st.bytes_cached);
	if (gap != NULL && cached_bytes == st.bytes_cached) {
		/* what the classes' gaps add up to, and nothing else: pages and backing exact */
		TEST_ASSERT_EQUAL((int64_t)(sum - st.bytes_backing), gap_bytes, "%s: in use,"
			" cached, free, free pages and overhead add up to %" PRIu64 " B, backing %"
			PRIu64 " B; the classes' gaps to %" PRId64 " B", when, sum,
			st.bytes_backing, gap_bytes);
		*gap = gap_objs;
		return TEST_SUCCESS;
	}
	TEST_ASSERT_EQUAL(sum, st.bytes_backing, "%s: in use %" PRIu64 " + cached %" PRIu64
		" + free %" PRIu64 " + free pages %" PRIu64 " + overhead %" PRIu64 " = %" PRIu64
		" B, backing %" PRIu64 " B", when, st.bytes_in_use, st.bytes_cached,
		st.bytes_free, st.bytes_free_pages, st.bytes_overhead, sum, st.bytes_backing);
	/* exact per class when no other process caches objects */
	for (i = 0; i < n; i++)
		TEST_ASSERT(cached_bytes < st.bytes_cached ? out[i] >= held[i] :
			out[i] == held[i], "%s: class %zu: %" PRIu64 " objects of the runs out,"
			" %" PRIu64 " in use or cached here", when, sizes[i], out[i], held[i]);
	if (gap != NULL)
		*gap = 0;
#else
	RTE_SET_USED(when);
	if (gap != NULL)
		*gap = 0;
#endif
	return TEST_SUCCESS;
}

int
test_fastmem_check_drained(void)
{
#ifdef RTE_LIBRTE_FASTMEM_STATS
	return test_fastmem_check_idle();
#else
	size_t sizes[RTE_FASTMEM_MAX_CLASSES];
	struct rte_fastmem_stats st;
	unsigned int n, i;

	TEST_ASSERT_SUCCESS(rte_fastmem_stats(&st), "rte_fastmem_stats");
	TEST_ASSERT_EQUAL(st.bytes_cached, 0, "%" PRIu64 " B still cached", st.bytes_cached);
	n = rte_fastmem_classes(sizes);
	for (i = 0; i < n; i++) {
		struct rte_fastmem_class_stats cs;

		TEST_ASSERT_SUCCESS(rte_fastmem_stats_class(sizes[i], &cs), "stats_class");
		TEST_ASSERT(cs.slabs_partial == 0 && cs.slabs_full == 0, "class %zu: %" PRIu64
			" partial and %" PRIu64 " full slabs with nothing in use", sizes[i],
			cs.slabs_partial, cs.slabs_full);
	}
	return TEST_SUCCESS;
#endif
}

/*
 * EAL hands a released lcore id to the next registering thread under its own lock, which
 * TSan cannot see (DPDK is not instrumented): the caches of the id, flushed by the
 * thread leaving, are then used by the next one with no happens-before TSan knows of.
 * Taking this mutex around register and unregister makes that hand-over visible; the
 * allocations and frees between them still run concurrently.
 */
static pthread_mutex_t thread_id_lock = PTHREAD_MUTEX_INITIALIZER;

int
test_fastmem_thread_register(void)
{
	int ret;

	pthread_mutex_lock(&thread_id_lock);
	ret = rte_thread_register();
	pthread_mutex_unlock(&thread_id_lock);
	return ret;
}

void
test_fastmem_thread_unregister(void)
{
	pthread_mutex_lock(&thread_id_lock);
	rte_thread_unregister();
	pthread_mutex_unlock(&thread_id_lock);
}

/* ---- log capture: every error must leave a log line at debug level ---- */

static char *log_buf;
static size_t log_len;
static FILE *log_stream;
static uint32_t log_saved_level;

static void
log_capture_start(void)
{
	log_stream = open_memstream(&log_buf, &log_len);
	if (log_stream == NULL)
		return;
	rte_openlog_stream(log_stream);
	log_saved_level = rte_log_get_global_level();
	rte_log_set_global_level(RTE_LOG_DEBUG);
	rte_log_set_level_pattern("lib.fastmem*", RTE_LOG_DEBUG);
}

/* Stop capturing; return whether anything was logged. */
static bool
log_capture_stop(void)
{
	bool logged;

	if (log_stream == NULL)
		return true; /* could not capture: do not fail for it */
	rte_openlog_stream(NULL);
	rte_log_set_global_level(log_saved_level);
	rte_log_set_level_pattern("lib.fastmem*", RTE_LOG_INFO);
	fclose(log_stream);
	log_stream = NULL;
	logged = log_len > 0;
	free(log_buf);
	log_buf = NULL;
	log_len = 0;
	return logged;
}

/* ---- lifecycle suite ---- */

static int
test_lifecycle_init_deinit(void)
{
	unsigned int mz_before = memzone_count();
	size_t heap_before = heap_allocated((int)rte_socket_id());
	struct rte_fastmem_stats st;
	int i;

	for (i = 0; i < 3; i++) {
		TEST_ASSERT_SUCCESS(rte_fastmem_init(), "init #%d failed", i);
		TEST_ASSERT_EQUAL(rte_fastmem_init(), -EBUSY, "second init not -EBUSY");
		TEST_ASSERT_SUCCESS(rte_fastmem_stats(&st), "stats failed");
		TEST_ASSERT_EQUAL(st.bytes_backing, 0, "init reserved %zu bytes",
			(size_t)st.bytes_backing);
		TEST_ASSERT_EQUAL(st.bytes_in_use, 0, "fresh allocator has bytes in use");
		TEST_ASSERT_EQUAL(st.n_classes, N_CLASSES_EXPECTED, "n_classes %u",
			(unsigned int)st.n_classes);
		rte_fastmem_deinit();
		TEST_ASSERT_EQUAL(memzone_count(), mz_before, "deinit left memzones");
		TEST_ASSERT_EQUAL(heap_allocated((int)rte_socket_id()), heap_before,
			"deinit left heap memory");
	}
	/* deinit of an allocator that is not initialized is harmless */
	rte_fastmem_deinit();
	rte_fastmem_deinit();
	return TEST_SUCCESS;
}

static int
test_lifecycle_classes(void)
{
	size_t sizes[RTE_FASTMEM_MAX_CLASSES + 1];
	unsigned int n, i;

	/* class information is static: available without init */
	TEST_ASSERT_EQUAL(rte_fastmem_max_size(), MIB, "max size %zu", rte_fastmem_max_size());
	n = rte_fastmem_classes(NULL);
	TEST_ASSERT_EQUAL(n, N_CLASSES_EXPECTED, "%u classes", n);
	memset(sizes, 0, sizeof(sizes));
	TEST_ASSERT_EQUAL(rte_fastmem_classes(sizes), n, "classes(sizes) != classes(NULL)");
	/* the multiples of 8 to 128, then eight per doubling, 1/8 of the power of two apart */
	for (i = 0; i < n; i++) {
		size_t want = i < 16 ? (size_t)(i + 1) * 8 :
			((size_t)128 << (i - 16) / 8) + ((size_t)16 << (i - 16) / 8) *
			((i - 16) % 8 + 1);

		TEST_ASSERT_EQUAL(sizes[i], want, "class %u is %zu, not %zu", i, sizes[i], want);
	}
	TEST_ASSERT_EQUAL(sizes[n - 1], MIB, "the last class is %zu", sizes[n - 1]);
	TEST_ASSERT_EQUAL(sizes[n], 0, "classes() wrote past its count");
	return TEST_SUCCESS;
}

/* ---- functional suite ---- */

static int
test_alloc_every_class(void)
{
	size_t sizes[RTE_FASTMEM_MAX_CLASSES + 1];
	unsigned int n, i;

	n = rte_fastmem_classes(sizes);
	for (i = 0; i < n; i++) {
		size_t lo = i == 0 ? 1 : sizes[i - 1] + 1, hi = sizes[i];
		size_t try[] = { lo, (lo + hi) / 2, hi };
		unsigned int k;

		for (k = 0; k < RTE_DIM(try); k++) {
			struct rte_fastmem_class_stats cs;
			uint8_t *p = rte_fastmem_alloc(try[k], 1, 0);
			uint8_t *q = rte_fastmem_alloc(try[k], 0, 0);

			TEST_ASSERT(p != NULL && q != NULL, "alloc(%zu) failed: %s", try[k],
				rte_strerror(rte_errno));
			/* align 1: the class of the size, aligned as its size allows */
			TEST_ASSERT_EQUAL(((uintptr_t)p & (test_fastmem_class_align(sizes[i]) - 1)),
				0, "alloc(%zu, 1) = %p is not aligned to %zu", try[k], p,
				test_fastmem_class_align(sizes[i]));
			/* align 0: a whole cache line at least */
			TEST_ASSERT_EQUAL((uintptr_t)q % RTE_CACHE_LINE_SIZE, 0,
				"alloc(%zu, 0) = %p is not cache-line aligned", try[k], q);
			memset(p, 0xa5, try[k]);
			memset(q, 0x5a, try[k]);
			TEST_ASSERT_SUCCESS(rte_fastmem_stats_class(sizes[i], &cs),
				"stats_class failed");
			TEST_ASSERT_EQUAL(cs.in_use, (test_fastmem_class(try[k], 0) == sizes[i] ?
					2u : 1u),
				"class %zu in_use %" PRIu64 " after alloc of %zu", sizes[i],
				cs.in_use, try[k]);
			TEST_ASSERT_EQUAL(rte_fastmem_virt2iova(p), rte_mem_virt2iova(p),
				"virt2iova");
			TEST_ASSERT(p[try[k] - 1] == 0xa5 && q[0] == 0x5a, "objects overlap");
			rte_fastmem_free(p);
			rte_fastmem_free(q);
		}
	}
	rte_fastmem_cache_flush();
	return test_fastmem_check_idle();
}

/*
 * The class of every size from 1 B to the largest class at the alignments that matter:
 * the library's lookup (rte_fastmem_core.h, inline) against the reference of
 * test_fastmem_class(), the class a multiple of the alignment, and the waste bound of
 * rte_fastmem.h: at most 1/8 of the request from 128 B up at alignments up to 16 and from
 * 8 cache lines up at the default alignment; below, the request rounded up to the alignment (at
 * least 8) is a class.
 */
static int
test_alloc_class_waste(void)
{
	static const size_t aligns[] = { 1, 8, 16, 32, 0, 128, 4096 };
	double worst[RTE_DIM(aligns)] = { 0 };
	unsigned int a;
	size_t size;

	for (a = 0; a < RTE_DIM(aligns); a++) {
		size_t al = aligns[a] == 0 ? RTE_CACHE_LINE_SIZE : aligns[a];
		size_t from = al <= 16 ? 128 : al <= RTE_CACHE_LINE_SIZE ?
			8 * (size_t)RTE_CACHE_LINE_SIZE : SIZE_MAX;

		for (size = 1; size <= MIB; size++) {
			size_t want = test_fastmem_class(size, aligns[a]);
			size_t got = __rte_fastmem_class_size(__rte_fastmem_class_for(size,
					aligns[a]));

			if (got != want || want % al != 0)
				TEST_ASSERT(0, "size %zu align %zu: class %zu, reference %zu",
					size, aligns[a], got, want);
			if (size >= from) {
				if ((want - size) * 8 > size)
					TEST_ASSERT(0, "size %zu align %zu: class %zu wastes more "
						"than 1/8", size, aligns[a], want);
				worst[a] = RTE_MAX(worst[a], (double)(want - size) / size);
			} else if (want != RTE_ALIGN_CEIL(size, RTE_MAX(al, (size_t)8)) &&
					al <= RTE_CACHE_LINE_SIZE) {
				TEST_ASSERT(0, "size %zu align %zu: class %zu is not the size "
					"rounded up to the alignment", size, aligns[a], want);
			}
		}
	}
	for (a = 0; a < RTE_DIM(aligns); a++)
		if (worst[a] > 0)
			printf("alignment %zu: worst waste %.1f%% of the request\n", aligns[a],
				worst[a] * 100);
	return TEST_SUCCESS;
}

static int
test_alloc_alignment(void)
{
	size_t sizes[RTE_FASTMEM_MAX_CLASSES + 1];
	unsigned int n, i;
	size_t align;

	n = rte_fastmem_classes(sizes);
	/* every explicit power-of-two alignment up to the object's class size */
	for (i = 0; i < n; i++) {
		for (align = 1; align <= sizes[i]; align <<= 1) {
			void *p = rte_fastmem_alloc(sizes[i], align, 0);

			TEST_ASSERT_NOT_NULL(p, "alloc(%zu, %zu) failed: %s", sizes[i], align,
				rte_strerror(rte_errno));
			TEST_ASSERT_EQUAL(((uintptr_t)p & (align - 1)), 0,
				"alloc(%zu, %zu) = %p misaligned", sizes[i], align, p);
			/* an object has the alignment of its class, which is that of the
			 * request's class */
			TEST_ASSERT_EQUAL(test_fastmem_class(sizes[i], align) % align, 0,
				"class %zu for alignment %zu", test_fastmem_class(sizes[i], align),
				align);
			TEST_ASSERT_EQUAL(((uintptr_t)p & (test_fastmem_class_align(
				test_fastmem_class(sizes[i], align)) - 1)), 0,
				"object %p of class %zu not aligned as promised", p,
				test_fastmem_class(sizes[i], align));
			rte_fastmem_free(p);
		}
	}
	/* a small object with a big alignment */
	for (align = 16; align <= 64 * KIB; align <<= 1) {
		void *p = rte_fastmem_alloc(24, align, 0);

		TEST_ASSERT_NOT_NULL(p, "alloc(24, %zu) failed", align);
		TEST_ASSERT_EQUAL(((uintptr_t)p & (align - 1)), 0, "alloc(24, %zu) = %p",
			align, p);
		rte_fastmem_free(p);
	}
	rte_fastmem_cache_flush();
	return test_fastmem_check_idle();
}

static int
test_alloc_zero_flag(void)
{
	size_t sizes[] = { 8, 100, 4096, 70000, MIB };
	unsigned int i;

	for (i = 0; i < RTE_DIM(sizes); i++) {
		uint8_t *p = rte_fastmem_alloc(sizes[i], 0, 0), *q;
		size_t k;

		TEST_ASSERT_NOT_NULL(p, "alloc(%zu) failed", sizes[i]);
		memset(p, 0xee, sizes[i]);
		rte_fastmem_free(p);
		/* the cache is LIFO: this gets the dirty object back */
		q = rte_fastmem_alloc(sizes[i], 0, RTE_FASTMEM_F_ZERO);
		TEST_ASSERT_NOT_NULL(q, "alloc(%zu, F_ZERO) failed", sizes[i]);
		for (k = 0; k < sizes[i]; k++)
			TEST_ASSERT_EQUAL(q[k], 0, "F_ZERO object of %zu bytes: byte %zu is %#x",
				sizes[i], k, q[k]);
		rte_fastmem_free(q);
	}
	return TEST_SUCCESS;
}

static int
test_alloc_socket(void)
{
	void *p, *q;

	p = rte_fastmem_alloc_socket(64, 0, 0, (int)rte_socket_id());
	TEST_ASSERT_NOT_NULL(p, "alloc on own socket failed");
	q = rte_fastmem_alloc_socket(64, 0, 0, SOCKET_ID_ANY);
	TEST_ASSERT_NOT_NULL(q, "alloc on SOCKET_ID_ANY failed");
	TEST_ASSERT(rte_mem_virt2memseg_list(p) != NULL, "object is not in EAL memory");
	rte_fastmem_free(p);
	rte_fastmem_free(q);
	return TEST_SUCCESS;
}

static int
test_realloc(void)
{
	uint8_t *p, *q;
	size_t k;

	/* NULL allocates */
	p = rte_fastmem_realloc(NULL, 100, 0);
	TEST_ASSERT_NOT_NULL(p, "realloc(NULL, 100) failed");
	for (k = 0; k < 100; k++)
		p[k] = (uint8_t)k;
	/* growing keeps the content */
	q = rte_fastmem_realloc(p, 5000, 0);
	TEST_ASSERT_NOT_NULL(q, "realloc to 5000 failed");
	for (k = 0; k < 100; k++)
		TEST_ASSERT_EQUAL(q[k], (uint8_t)k, "grown object lost byte %zu", k);
	for (k = 0; k < 5000; k++)
		q[k] = (uint8_t)(k * 7);
	/* shrinking keeps the prefix */
	p = rte_fastmem_realloc(q, 300, 0);
	TEST_ASSERT_NOT_NULL(p, "realloc to 300 failed");
	for (k = 0; k < 300; k++)
		TEST_ASSERT_EQUAL(p[k], (uint8_t)(k * 7), "shrunk object lost byte %zu", k);
	/* a new alignment is honoured */
	q = rte_fastmem_realloc(p, 300, 4096);
	TEST_ASSERT_NOT_NULL(q, "realloc to align 4096 failed");
	TEST_ASSERT_EQUAL(((uintptr_t)q & 4095), 0, "realloc ignored the alignment");
	for (k = 0; k < 300; k++)
		TEST_ASSERT_EQUAL(q[k], (uint8_t)(k * 7), "realigned object lost byte %zu", k);
	/* a failure leaves the original valid and unchanged */
	rte_errno = 0;
	p = rte_fastmem_realloc(q, rte_fastmem_max_size() + 1, 0);
	TEST_ASSERT_NULL(p, "realloc above the maximum succeeded");
	TEST_ASSERT_EQUAL(rte_errno, E2BIG, "rte_errno %d", rte_errno);
	rte_errno = 0;
	p = rte_fastmem_realloc(q, 64, 3);
	TEST_ASSERT_NULL(p, "realloc with align 3 succeeded");
	TEST_ASSERT_EQUAL(rte_errno, EINVAL, "rte_errno %d", rte_errno);
	for (k = 0; k < 300; k++)
		TEST_ASSERT_EQUAL(q[k], (uint8_t)(k * 7), "failed realloc changed byte %zu", k);
	/* so does running out of memory: one slab, held by the object's own class */
	rte_fastmem_free(q);
	rte_fastmem_cache_flush();
	rte_fastmem_deinit();
	TEST_ASSERT_SUCCESS(rte_fastmem_init(), "init");
	TEST_ASSERT_SUCCESS(rte_fastmem_set_limit(SOCKET_ID_ANY, SLAB_SIZE), "set_limit");
	q = rte_fastmem_alloc(300, 0, 0);
	TEST_ASSERT_NOT_NULL(q, "alloc");
	memset(q, 0x77, 300);
	rte_errno = 0;
	p = rte_fastmem_realloc(q, 512 * KIB, 0);
	TEST_ASSERT_NULL(p, "realloc beyond the limit succeeded");
	TEST_ASSERT_EQUAL(rte_errno, ENOMEM, "rte_errno %d", rte_errno);
	for (k = 0; k < 300; k++)
		TEST_ASSERT_EQUAL(q[k], 0x77, "realloc without memory changed byte %zu", k);
	/* the same class: the object itself, whatever the limit */
	TEST_ASSERT_EQUAL(rte_fastmem_realloc(q, 310, 0), q, "realloc within the class moved");
	rte_fastmem_free(q);
	rte_fastmem_cache_flush();
	return test_fastmem_check_idle();
}

static int
test_virt2iova(void)
{
	size_t sizes[] = { 8, 64, 1000, 4096, 100000, MIB };
	void *objs[RTE_DIM(sizes)];
	unsigned int i;

	for (i = 0; i < RTE_DIM(sizes); i++) {
		rte_iova_t want, got;
		size_t off;

		objs[i] = rte_fastmem_alloc(sizes[i], 0, 0);
		TEST_ASSERT_NOT_NULL(objs[i], "alloc(%zu) failed", sizes[i]);
		for (off = 0; off < sizes[i]; off += sizes[i] > 4096 ? 4096 : sizes[i] - 1) {
			const char *p = (const char *)objs[i] + off;

			want = rte_mem_virt2iova(p);
			got = rte_fastmem_virt2iova(p);
			TEST_ASSERT_EQUAL(got, want, "virt2iova(%p) = %#" PRIx64 ", EAL says %#"
				PRIx64, p, (uint64_t)got, (uint64_t)want);
			if (sizes[i] == 8)
				break;
		}
	}
	for (i = 0; i < RTE_DIM(sizes); i++)
		rte_fastmem_free(objs[i]);
	return TEST_SUCCESS;
}

static int
test_bulk(void)
{
	void *ptrs[256];
	unsigned int i, j;

	TEST_ASSERT_SUCCESS(rte_fastmem_alloc_bulk(ptrs, RTE_DIM(ptrs), 200, 0, 0),
		"alloc_bulk failed: %s", rte_strerror(rte_errno));
	for (i = 0; i < RTE_DIM(ptrs); i++) {
		TEST_ASSERT_NOT_NULL(ptrs[i], "bulk slot %u NULL", i);
		memset(ptrs[i], (int)i, 200);
	}
	for (i = 0; i < RTE_DIM(ptrs); i++)
		for (j = 0; j < 200; j++)
			TEST_ASSERT_EQUAL(((uint8_t *)ptrs[i])[j], (uint8_t)i,
				"bulk objects overlap");
	rte_fastmem_free_bulk(ptrs, RTE_DIM(ptrs));

	TEST_ASSERT_SUCCESS(rte_fastmem_alloc_bulk_socket(ptrs, 64, 5000, 1024,
		RTE_FASTMEM_F_ZERO, (int)rte_socket_id()), "alloc_bulk_socket failed");
	for (i = 0; i < 64; i++) {
		TEST_ASSERT_EQUAL(((uintptr_t)ptrs[i] & 1023), 0, "bulk alignment");
		for (j = 0; j < 5000; j++)
			TEST_ASSERT_EQUAL(((uint8_t *)ptrs[i])[j], 0, "bulk F_ZERO");
	}
	rte_fastmem_free_bulk(ptrs, 64);
	rte_fastmem_cache_flush();
	return test_fastmem_check_idle();
}

static int
test_free_bulk_mixed(void)
{
	void *ptrs[72];
	unsigned int i;

	/* powers of two and just below, twice, from both ways of naming the local socket,
	 * shuffled */
	for (i = 0; i < RTE_DIM(ptrs); i++) {
		size_t size = (size_t)8 << (i % 18);
		int socket = i % 2 ? SOCKET_ID_ANY : (int)rte_socket_id();

		ptrs[i] = rte_fastmem_alloc_socket(size - (i % 3), 0, 0, socket);
		TEST_ASSERT_NOT_NULL(ptrs[i], "alloc(%zu) failed", size);
	}
	for (i = 0; i < RTE_DIM(ptrs); i++) {
		unsigned int j = (i * 37) % RTE_DIM(ptrs);
		void *t = ptrs[i];

		ptrs[i] = ptrs[j];
		ptrs[j] = t;
	}
	rte_fastmem_free_bulk(ptrs, RTE_DIM(ptrs));
	rte_fastmem_cache_flush();
	return test_fastmem_check_idle();
}

/*
 * The inline rte_fastmem_free_bulk() copies the pointers into the cache of the first one's
 * class before it knows they all belong there: arrays that span slabs of one class must be
 * taken, arrays with another class or a NULL in a later slab must leave that cache's
 * length alone and go out of line.
 */
static int
test_free_bulk_slabs(void)
{
	/* enough 4 KiB objects (511 a slab) to hold objects of at least two slabs */
	static void *objs[1100];
	void *ptrs[3];
	unsigned int i, other = 0;

	for (i = 0; i < RTE_DIM(objs); i++) {
		objs[i] = rte_fastmem_alloc(4096, 0, 0);
		TEST_ASSERT_NOT_NULL(objs[i], "alloc %u failed", i);
		if (other == 0 && RTE_PTR_ALIGN_FLOOR(objs[i], RTE_FASTMEM_SLAB_SIZE) !=
				RTE_PTR_ALIGN_FLOOR(objs[0], RTE_FASTMEM_SLAB_SIZE))
			other = i;
	}
	TEST_ASSERT(other != 0, "all objects in one slab");
	/* two slabs, one class */
	ptrs[0] = objs[0];
	ptrs[1] = objs[other];
	rte_fastmem_free_bulk(ptrs, 2);
	objs[0] = objs[other] = NULL;
	/* two slabs, the second of another class */
	ptrs[0] = objs[1];
	ptrs[1] = rte_fastmem_alloc(64, 0, 0);
	TEST_ASSERT_NOT_NULL(ptrs[1], "alloc(64) failed");
	rte_fastmem_free_bulk(ptrs, 2);
	objs[1] = NULL;
	/* a NULL after an object of another slab: both objects freed, the NULL skipped */
	ptrs[0] = objs[2];
	ptrs[1] = objs[other + 1];
	ptrs[2] = NULL;
	rte_fastmem_free_bulk(ptrs, 3);
	objs[2] = objs[other + 1] = NULL;
	for (i = 0; i < RTE_DIM(objs); i++)
		rte_fastmem_free(objs[i]);
	rte_fastmem_cache_flush();
	return test_fastmem_check_idle();
}

#define PAGE_OF(p) ((uintptr_t)(p) >> RTE_FASTMEM_PAGE_SHIFT)

static bool
same_slab(const void *x, const void *y)
{
	return RTE_PTR_ALIGN_FLOOR(x, RTE_FASTMEM_SLAB_SIZE) ==
		RTE_PTR_ALIGN_FLOOR(y, RTE_FASTMEM_SLAB_SIZE);
}

/* The class the slab header of p's slab names for all its runs (no class: above the last). */
static unsigned int
slab_mono_cls(const void *p)
{
	const struct rte_fastmem_slab_id *mono = RTE_PTR_ADD(RTE_PTR_ALIGN_FLOOR(p,
			RTE_FASTMEM_SLAB_SIZE), RTE_FASTMEM_SLAB_MONO_OFF);

	return __atomic_load_n(&mono->cls, __ATOMIC_RELAXED);
}

/*
 * Objects of one slab on several pages: the inline rte_fastmem_free_bulk() takes them
 * without reading each page's id only when every run of the slab is of the first
 * object's class (RTE_FASTMEM_SLAB_MONO_OFF). An array with an object of another class
 * of the same slab must not land in the first one's cache: after the free, each class
 * hands back its own objects first (the caches are LIFO stacks).
 */
static int
test_free_bulk_one_slab(void)
{
	void *a[64], *b[64], *ptrs[3] = { NULL, NULL, NULL };
	unsigned int i, j, k, mixed;
	bool found;
	void *p, *q;

	rte_fastmem_cache_flush();
	for (i = 0; i < RTE_DIM(a); i++) {
		a[i] = rte_fastmem_alloc(4096, 0, 0);
		b[i] = rte_fastmem_alloc(64, 0, 0);
		TEST_ASSERT(a[i] != NULL && b[i] != NULL, "alloc %u failed", i);
	}
	/* two objects of 4 KiB on different pages of a slab that holds a 64 B one too */
	for (k = 0; k < RTE_DIM(b) && ptrs[2] == NULL; k++)
		for (i = 0; i < RTE_DIM(a) && ptrs[2] == NULL; i++)
			for (j = 0; j < RTE_DIM(a) && ptrs[2] == NULL; j++) {
				if (!same_slab(a[i], b[k]) || !same_slab(a[j], b[k]) ||
						PAGE_OF(a[i]) == PAGE_OF(a[j]))
					continue;
				ptrs[0] = a[i];
				ptrs[1] = a[j];
				ptrs[2] = b[k];
				a[i] = a[j] = b[k] = NULL;
			}
	found = ptrs[2] != NULL;
	mixed = found ? slab_mono_cls(ptrs[2]) : 0;
	p = q = NULL;
	if (found) {
		rte_fastmem_free_bulk(ptrs, 3);
		p = rte_fastmem_alloc(4096, 0, 0);
		q = rte_fastmem_alloc(64, 0, 0);
	}
	/* everything goes back before the verdict, so that a failure leaks nothing */
	rte_fastmem_free(p);
	rte_fastmem_free(q);
	for (i = 0; i < RTE_DIM(a); i++) {
		rte_fastmem_free(a[i]);
		rte_fastmem_free(b[i]);
	}
	rte_fastmem_cache_flush();
	TEST_ASSERT(found, "no slab with 4 KiB objects on two pages and a 64 B one");
	TEST_ASSERT(mixed >= RTE_FASTMEM_NUM_CLASSES,
		"a slab with runs of 64 B and 4 KiB names class %u for all its runs", mixed);
	TEST_ASSERT(p == ptrs[0] || p == ptrs[1], "4 KiB allocation got %p, not %p or %p", p,
		ptrs[0], ptrs[1]);
	TEST_ASSERT(q == ptrs[2], "64 B allocation got %p, not %p", q, ptrs[2]);
	return test_fastmem_check_idle();
}

/*
 * A slab whose runs are all of one class names it for the inline bulk free, and names it
 * again once it has gone back to the pool and serves one class anew: 64 KiB objects fill
 * whole slabs with runs of half a slab.
 */
static int
test_free_bulk_mono(void)
{
	static void *objs[96];
	unsigned int i, k, round, mono, named = 0, other = 0;
	bool ok = true;

	for (round = 0; round < 2 && ok; round++) {
		for (i = 0; i < RTE_DIM(objs); i++) {
			objs[i] = rte_fastmem_alloc(65536, 0, 0);
			ok &= objs[i] != NULL;
		}
		for (i = 0; i < RTE_DIM(objs) && ok; i++) {
			mono = slab_mono_cls(objs[i]);
			if (mono == __rte_fastmem_id_of(objs[i])->cls)
				named++;
			else if (mono < RTE_FASTMEM_NUM_CLASSES)
				other++;
		}
		/* 32 a call: the inline path frees each slab's objects with its class */
		for (i = 0; i < RTE_DIM(objs); i += 32)
			if (ok)
				rte_fastmem_free_bulk(&objs[i], 32);
			else
				for (k = i; k < i + 32; k++)
					rte_fastmem_free(objs[k]);
		rte_fastmem_cache_flush();
	}
	TEST_ASSERT(ok, "alloc of 64 KiB failed");
	TEST_ASSERT_EQUAL(other, 0, "%u objects in slabs that name another class", other);
	/* 96 objects of 64 KiB take at least 3 slabs a round, most of them of this class only */
	TEST_ASSERT(named >= RTE_DIM(objs), "only %u of %u objects in slabs naming their class",
		named, 2 * (unsigned int)RTE_DIM(objs));
	return test_fastmem_check_idle();
}

/*
 * The generic free's memo (struct rte_fastmem_lcore_caches): frees that alternate
 * between classes each go to their own class's cache, whichever the memo named before;
 * a deinit and init start the memo afresh, so that it never names a cache set of an
 * earlier init.
 */
static int
test_free_memo(void)
{
	static const size_t sizes[] = { 64, 1024, 72, 64 * KIB };
	void *first[RTE_DIM(sizes)];
	unsigned int round, i;
#ifndef __RTE_FASTMEM_CHECKED
	const struct rte_fastmem_lcore_caches *lc;
#endif

	for (round = 0; round < 2; round++) {
		/* one object per class, freed in turn: each is the top of its own cache */
		for (i = 0; i < RTE_DIM(sizes); i++) {
			first[i] = rte_fastmem_alloc(sizes[i], 0, 0);
			TEST_ASSERT_NOT_NULL(first[i], "alloc of %zu B failed", sizes[i]);
		}
#ifndef __RTE_FASTMEM_CHECKED
		/* the lcore is set up afresh by its first allocation since init */
		lc = RTE_LCORE_VAR(__rte_fastmem_lcore_caches);
		TEST_ASSERT(lc->used && lc->memo_cache->cap == 0 &&
				lc->memo_cache->cls >= RTE_FASTMEM_NUM_CLASSES,
			"round %u: memo not reset at the lcore's setup (class %u, capacity %u)",
			round, lc->memo_cache->cls, lc->memo_cache->cap);
#endif
		for (i = 0; i < 4 * RTE_DIM(sizes); i++) {
			unsigned int k = i % RTE_DIM(sizes);
			void *p;

			rte_fastmem_free(first[k]);
#ifndef __RTE_FASTMEM_CHECKED
			TEST_ASSERT(lc->memo_cache->cls == rte_fastmem_class_of(
					test_fastmem_class(sizes[k], 0)) &&
				lc->memo_cache->sidx == __rte_fastmem_id_of(first[k])->sidx,
				"memo names class %u after a free of %zu B", lc->memo_cache->cls,
				sizes[k]);
#endif
			/* the next allocation of another class must not get it */
			p = rte_fastmem_alloc(sizes[(k + 1) % RTE_DIM(sizes)], 0, 0);
			TEST_ASSERT_NOT_NULL(p, "alloc failed");
			TEST_ASSERT(p != first[k], "an object of %zu B served %zu B", sizes[k],
				sizes[(k + 1) % RTE_DIM(sizes)]);
			rte_fastmem_free(p);
			p = rte_fastmem_alloc(sizes[k], 0, 0);
			TEST_ASSERT(p == first[k], "the free of %p (%zu B) went to another cache: "
				"got %p", first[k], sizes[k], p);
		}
		for (i = 0; i < RTE_DIM(sizes); i++)
			rte_fastmem_free(first[i]);
		rte_fastmem_cache_flush();
		TEST_ASSERT_SUCCESS(test_fastmem_check_idle(), "round %u", round);
		if (round == 0) {
			rte_fastmem_deinit();
			TEST_ASSERT_SUCCESS(rte_fastmem_init(), "init again");
		}
	}
	return TEST_SUCCESS;
}

static int
test_cache_flush(void)
{
	struct rte_fastmem_class_stats before, cached, after;
	void *ptrs[32];
	unsigned int i;

	TEST_ASSERT_SUCCESS(rte_fastmem_stats_class(128, &before), "stats_class");
	for (i = 0; i < RTE_DIM(ptrs); i++) {
		ptrs[i] = rte_fastmem_alloc(128, 0, 0);
		TEST_ASSERT_NOT_NULL(ptrs[i], "alloc failed");
	}
	for (i = 0; i < RTE_DIM(ptrs); i++)
		rte_fastmem_free(ptrs[i]);
	/* the freed objects sit in this lcore's cache: their slab is still held */
	TEST_ASSERT_SUCCESS(rte_fastmem_stats_class(128, &cached), "stats_class");
	TEST_ASSERT_EQUAL(cached.in_use, 0, "freed objects counted in use");
	TEST_ASSERT(cached.slabs_partial + cached.slabs_full > 0,
		"no slab held while objects are cached");
	rte_fastmem_cache_flush();
	TEST_ASSERT_SUCCESS(rte_fastmem_stats_class(128, &after), "stats_class");
	TEST_ASSERT_EQUAL(after.slabs_partial + after.slabs_full, 0,
		"cache_flush left %" PRIu64 " slabs", (uint64_t)(after.slabs_partial +
		after.slabs_full));
	TEST_ASSERT(after.slab_releases > before.slab_releases, "no slab released");
	return test_fastmem_check_idle();
}

/*
 * Slabs move between classes: with the socket capped at a few slabs, class A takes them
 * all; once A's objects are freed, class B gets every one of them, with no new backing
 * memory.
 */
static int
test_slabs_move_between_classes(void)
{
	const size_t a_size = 4 * KIB, b_size = 64 * KIB;
	const unsigned int n_slabs = 4;
	int socket = (int)rte_socket_id();
	struct rte_fastmem_class_stats a0, a1, b0, b1;
	struct rte_fastmem_stats s0, s1;
	unsigned int n_a = 0, n_b = 0, max_a = n_slabs * (SLAB_SIZE / a_size), i;
	void **ptrs;
	int ret = TEST_FAILED;

	ptrs = calloc(max_a + 1, sizeof(*ptrs));
	TEST_ASSERT_NOT_NULL(ptrs, "calloc");
	TEST_ASSERT_SUCCESS(rte_fastmem_set_limit(socket, n_slabs * SLAB_SIZE), "set_limit");
	TEST_ASSERT_SUCCESS(rte_fastmem_stats_class(a_size, &a0), "stats_class");
	TEST_ASSERT_SUCCESS(rte_fastmem_stats_class(b_size, &b0), "stats_class");

	/* class A until the limit */
	while (n_a <= max_a && (ptrs[n_a] = rte_fastmem_alloc(a_size, 0, 0)) != NULL)
		n_a++;
	if (n_a > max_a || rte_errno != ENOMEM) {
		printf("class A: %u objects, then %s\n", n_a, rte_strerror(rte_errno));
		goto free_a;
	}
	if (rte_fastmem_stats_class(a_size, &a1) != 0 || rte_fastmem_stats(&s0) != 0)
		goto free_a;
	if (s0.bytes_backing != n_slabs * SLAB_SIZE || a1.bytes_runs != n_slabs * SLAB_SIZE ||
			n_a < n_slabs * ((SLAB_SIZE - RTE_FASTMEM_SLAB_HDR_SIZE) / a_size - 1)) {
		printf("class A: %u objects in %" PRIu64 " runs of %" PRIu64 " B, backing %"
			PRIu64 "\n", n_a, a1.slab_acquires - a0.slab_acquires, a1.bytes_runs,
			s0.bytes_backing);
		goto free_a;
	}
	for (i = 0; i < n_a; i++)
		rte_fastmem_free(ptrs[i]);
	n_a = 0;
	rte_fastmem_cache_flush();
	if (rte_fastmem_stats_class(a_size, &a1) != 0)
		goto out;
	if (a1.slab_releases - a0.slab_releases != a1.slab_acquires - a0.slab_acquires ||
			a1.slabs_partial != 0 || a1.slabs_full != 0 || a1.bytes_runs != 0) {
		printf("class A gave back %" PRIu64 " runs of %" PRIu64 "\n",
			a1.slab_releases - a0.slab_releases, a1.slab_acquires - a0.slab_acquires);
		goto out;
	}

	/* class B until the limit: it gets all of A's slabs */
	while (n_b <= max_a && (ptrs[n_b] = rte_fastmem_alloc(b_size, 0, 0)) != NULL)
		n_b++;
	if (rte_fastmem_stats_class(b_size, &b1) != 0 || rte_fastmem_stats(&s1) != 0)
		goto free_b;
	if (s1.bytes_backing != s0.bytes_backing || b1.bytes_runs != n_slabs * SLAB_SIZE ||
			n_b != n_slabs * (SLAB_SIZE / b_size - 1)) {
		printf("class B: %u objects in %" PRIu64 " runs of %" PRIu64 " B, backing %"
			PRIu64 " -> %" PRIu64 "\n", n_b, b1.slab_acquires - b0.slab_acquires,
			b1.bytes_runs, s0.bytes_backing, s1.bytes_backing);
		goto free_b;
	}
	ret = TEST_SUCCESS;
free_b:
	for (i = 0; i < n_b; i++)
		rte_fastmem_free(ptrs[i]);
free_a:
	for (i = 0; i < n_a; i++)
		rte_fastmem_free(ptrs[i]);
	rte_fastmem_cache_flush();
out:
	free(ptrs);
	if (ret == TEST_SUCCESS)
		ret = test_fastmem_check_idle();
	return ret;
}

/* The backing of a socket after n zones that EAL gave in full: 2 MiB, then an eighth of
 * the backing (rounded down to slabs, at least one) per zone. */
static uint64_t
expect_backing(unsigned int n)
{
	uint64_t b = 0;

	while (n-- > 0)
		b += RTE_MAX(RTE_ALIGN_FLOOR(b / 8, SLAB_SIZE), (uint64_t)SLAB_SIZE);
	return b;
}

/*
 * Backing memory grows with use: the first allocation takes a single 2 MiB zone, and each
 * later zone is an eighth of what the socket holds already (at least 2 MiB: 2 MiB up to
 * 32 MiB held, then 4, 4, 4, 4, 6 ... MiB), so the socket never holds more than an eighth
 * and a slab more than its runs need. Where EAL gives every size asked for (IOVA as VA:
 * any memory is IOVA-contiguous), the zones are exactly those, and their number grows
 * with the logarithm of the memory; in IOVA-as-PA mode with fragmented hugepages a zone may be
 * smaller. A trim gives all of it back.
 */
static int
test_backing_grows(void)
{
	const size_t big = 64 * KIB;
	const unsigned int n = 32 * MIB / big;
	int socket = (int)rte_socket_id();
	struct rte_fastmem_class_stats small_cs, big_cs;
	unsigned int mz0, zones, i;
	struct rte_fastmem_stats st;
	uint64_t slabs;
	size_t released;
	void **ptrs, *p;
	int ret = TEST_FAILED;

	ptrs = calloc(n, sizeof(*ptrs));
	TEST_ASSERT_NOT_NULL(ptrs, "calloc");
	mz0 = memzone_count();
	p = rte_fastmem_alloc(64, 0, 0);
	if (p == NULL || rte_fastmem_stats(&st) != 0) {
		printf("first allocation: %s\n", rte_strerror(rte_errno));
		goto out;
	}
	if (st.bytes_backing != SLAB_SIZE || memzone_count() != mz0 + 1) {
		printf("first 64 B allocation: backing %" PRIu64 " B in %u memzones\n",
			st.bytes_backing, memzone_count() - mz0);
		goto free_small;
	}
	for (i = 0; i < n; i++) {
		ptrs[i] = rte_fastmem_alloc(big, 0, 0);
		if (ptrs[i] == NULL) {
			printf("allocation %u of %zu B: %s\n", i, big, rte_strerror(rte_errno));
			goto free_big;
		}
	}
	if (rte_fastmem_stats(&st) != 0 || rte_fastmem_stats_class(64, &small_cs) != 0 ||
			rte_fastmem_stats_class(big, &big_cs) != 0)
		goto free_big;
	/* the slabs that runs occupy, at least */
	slabs = (small_cs.bytes_runs + big_cs.bytes_runs + SLAB_SIZE - 1) / SLAB_SIZE;
	zones = memzone_count() - mz0;
	if (zones == 0 || st.bytes_backing > slabs * SLAB_SIZE * 9 / 8 + SLAB_SIZE ||
			st.bytes_backing < slabs * SLAB_SIZE ||
			(rte_eal_iova_mode() == RTE_IOVA_VA &&
			 st.bytes_backing != expect_backing(zones))) {
		printf("%u objects of %zu B: %" PRIu64 " slabs in use, backing %" PRIu64
			" B in %u zones\n", n, big, slabs, st.bytes_backing, zones);
		goto free_big;
	}
	ret = TEST_SUCCESS;
free_big:
	for (i = 0; i < n; i++)
		rte_fastmem_free(ptrs[i]);
free_small:
	rte_fastmem_free(p);
	rte_fastmem_cache_flush();
	released = 0;
	if (ret == TEST_SUCCESS && (rte_fastmem_trim(socket, &released) < 0 ||
			rte_fastmem_stats(&st) != 0 || st.bytes_backing != 0 ||
			memzone_count() != mz0)) {
		printf("after the trim (%zu B released): backing %" PRIu64 " B, %u memzones"
			" more than before\n", released, st.bytes_backing, memzone_count() - mz0);
		ret = TEST_FAILED;
	}
out:
	free(ptrs);
	if (ret == TEST_SUCCESS)
		ret = test_fastmem_check_idle();
	return ret;
}

static int
test_limit_and_reserve(void)
{
	int socket = (int)rte_socket_id();
	struct rte_fastmem_stats st;
	uint64_t backing;

	TEST_ASSERT_EQUAL(rte_fastmem_get_limit(socket), SIZE_MAX, "default limit");
	TEST_ASSERT_EQUAL(rte_fastmem_get_limit(SOCKET_ID_ANY), SIZE_MAX, "default ANY limit");
	TEST_ASSERT_SUCCESS(rte_fastmem_set_limit(socket, 64 * MIB), "set_limit");
	TEST_ASSERT_EQUAL(rte_fastmem_get_limit(socket), 64 * MIB, "get_limit");
	/* reported as set, applied rounded down to whole slabs (checked below) */
	TEST_ASSERT_SUCCESS(rte_fastmem_set_limit(socket, 5 * MIB), "set_limit");
	TEST_ASSERT_EQUAL(rte_fastmem_get_limit(socket), 5 * MIB, "get_limit");
	TEST_ASSERT_SUCCESS(rte_fastmem_set_limit(SOCKET_ID_ANY, 32 * MIB), "set_limit ANY");
	TEST_ASSERT_EQUAL(rte_fastmem_get_limit(socket), 32 * MIB, "ANY did not set socket");
	TEST_ASSERT_EQUAL(rte_fastmem_get_limit(SOCKET_ID_ANY), 32 * MIB, "get_limit ANY");
	TEST_ASSERT_SUCCESS(rte_fastmem_set_limit(SOCKET_ID_ANY, SIZE_MAX), "set_limit ANY");
	TEST_ASSERT_EQUAL(rte_fastmem_get_limit(socket), SIZE_MAX, "limit not reset by ANY");

	/* a limit of 5 MiB allows 2 slabs */
	TEST_ASSERT_SUCCESS(rte_fastmem_set_limit(socket, 5 * MIB), "set_limit");
	TEST_ASSERT_EQUAL(rte_fastmem_reserve(5 * MIB, socket), -ENOMEM, "reserve 3 slabs");
	TEST_ASSERT_SUCCESS(rte_fastmem_reserve(4 * MIB, socket), "reserve 2 slabs");
	/* 1 byte reserved in total is had already: nothing more is reserved */
	TEST_ASSERT_SUCCESS(rte_fastmem_reserve(1, socket), "reserve less than reserved");
	TEST_ASSERT_EQUAL(rte_fastmem_reserve(5 * MIB, socket), -ENOMEM, "reserve a third slab");
	TEST_ASSERT_SUCCESS(rte_fastmem_stats(&st), "stats");
	TEST_ASSERT_EQUAL(st.bytes_backing, 4 * MIB, "backing %" PRIu64, st.bytes_backing);
	rte_fastmem_deinit();
	TEST_ASSERT_SUCCESS(rte_fastmem_init(), "init");
	TEST_ASSERT_EQUAL(rte_fastmem_get_limit(socket), SIZE_MAX, "init resets limits");

	/* the reservation reaches the size asked for in total: only the difference is added */
	TEST_ASSERT_SUCCESS(rte_fastmem_stats(&st), "stats");
	TEST_ASSERT_EQUAL(st.bytes_backing, 0, "backing before the first reserve");
	TEST_ASSERT_SUCCESS(rte_fastmem_reserve(3 * MIB, socket), "reserve 3 MiB");
	TEST_ASSERT_SUCCESS(rte_fastmem_stats(&st), "stats");
	TEST_ASSERT_EQUAL(st.bytes_backing, 4 * MIB, "backing %" PRIu64, st.bytes_backing);
	TEST_ASSERT_SUCCESS(rte_fastmem_reserve(3 * MIB, socket), "reserve 3 MiB again");
	TEST_ASSERT_SUCCESS(rte_fastmem_reserve(4 * MIB, SOCKET_ID_ANY),
		"reserve 4 MiB on SOCKET_ID_ANY");
	TEST_ASSERT_SUCCESS(rte_fastmem_stats(&st), "stats");
	TEST_ASSERT_EQUAL(st.bytes_backing, 4 * MIB, "reserving what is reserved added memory:"
		" %" PRIu64, st.bytes_backing);
	TEST_ASSERT_SUCCESS(rte_fastmem_reserve(8 * MIB, socket), "reserve 8 MiB");
	TEST_ASSERT_SUCCESS(rte_fastmem_stats(&st), "stats");
	TEST_ASSERT_EQUAL(st.bytes_backing, 8 * MIB, "8 MiB reserved in total, backing %"
		PRIu64, st.bytes_backing);
	backing = st.bytes_backing;
	/* reserved memory serves allocations without growing */
	{
		void *p = rte_fastmem_alloc(MIB, 0, 0);

		TEST_ASSERT_NOT_NULL(p, "alloc");
		TEST_ASSERT_SUCCESS(rte_fastmem_stats(&st), "stats");
		TEST_ASSERT_EQUAL(st.bytes_backing, backing, "alloc grew reserved memory");
		rte_fastmem_free(p);
		rte_fastmem_cache_flush();
	}

	/* the limit caps growth: reserving beyond it fails and changes nothing */
	TEST_ASSERT_SUCCESS(rte_fastmem_set_limit(socket, backing + SLAB_SIZE), "set_limit");
	rte_errno = 0;
	TEST_ASSERT_EQUAL(rte_fastmem_reserve(backing + 2 * SLAB_SIZE, socket), -ENOMEM,
		"reserve beyond the limit");
	TEST_ASSERT_EQUAL(rte_errno, ENOMEM, "rte_errno %d", rte_errno);
	TEST_ASSERT_SUCCESS(rte_fastmem_stats(&st), "stats");
	TEST_ASSERT_EQUAL(st.bytes_backing, backing, "failed reserve changed the backing");
	TEST_ASSERT_SUCCESS(rte_fastmem_reserve(backing + SLAB_SIZE, socket),
		"reserve up to the limit");
	TEST_ASSERT_SUCCESS(rte_fastmem_stats(&st), "stats");
	TEST_ASSERT_EQUAL(st.bytes_backing, backing + SLAB_SIZE, "backing at the limit");
	TEST_ASSERT_EQUAL(rte_fastmem_reserve(backing + 2 * SLAB_SIZE, socket), -ENOMEM,
		"reserve above the limit");
	/* a limit below what the socket holds is accepted: it only stops growth */
	TEST_ASSERT_SUCCESS(rte_fastmem_set_limit(socket, backing), "limit below usage");
	TEST_ASSERT_EQUAL(rte_fastmem_get_limit(socket), backing, "limit not changed");
	TEST_ASSERT_SUCCESS(rte_fastmem_stats(&st), "stats");
	TEST_ASSERT_EQUAL(st.bytes_backing, backing + SLAB_SIZE, "a lower limit released memory");
	TEST_ASSERT_EQUAL(rte_fastmem_reserve(backing + 2 * SLAB_SIZE, socket), -ENOMEM,
		"reserve above a limit below usage");
	TEST_ASSERT_SUCCESS(rte_fastmem_set_limit(SOCKET_ID_ANY, SIZE_MAX), "unlimit");
	return test_fastmem_check_idle();
}

/* Bulk allocation is all-or-nothing: a bulk that fails at the limit takes nothing. */
/* Bulk allocation is all-or-nothing: a bulk that fails at the limit takes nothing. */
static int
test_bulk_all_or_nothing(void)
{
	const size_t size = 256 * KIB;
	int socket = (int)rte_socket_id();
	struct rte_fastmem_class_stats c0, c1;
	struct rte_fastmem_stats s0, s1;
	void *ptrs[64];
	unsigned int cap = 0, i;

	/* two slabs on the socket: 2 x (2 MiB / 256 KiB - 1) objects fit */
	TEST_ASSERT_SUCCESS(rte_fastmem_set_limit(socket, 2 * SLAB_SIZE), "set_limit");
	while (cap < RTE_DIM(ptrs) && (ptrs[cap] = rte_fastmem_alloc(size, 0, 0)) != NULL)
		cap++;
	TEST_ASSERT_EQUAL(cap, 2 * (SLAB_SIZE / size - 1), "%u objects fit under the limit", cap);
	TEST_ASSERT_EQUAL(rte_errno, ENOMEM, "rte_errno %d at the limit", rte_errno);
	rte_fastmem_free_bulk(ptrs, cap);

	/*
	 * Some of the objects are in this lcore's cache, the rest in the bin: both count.
	 * (The failing call may move objects between the two: the cache is not the
	 * application's.)
	 */
	for (i = 0; i < RTE_DIM(ptrs); i++)
		ptrs[i] = NULL;
	TEST_ASSERT_SUCCESS(rte_fastmem_stats(&s0), "stats");
	TEST_ASSERT_SUCCESS(rte_fastmem_stats_class(size, &c0), "stats_class");
	rte_errno = 0;
	TEST_ASSERT_EQUAL(rte_fastmem_alloc_bulk(ptrs, cap + 1, size, 0, 0), -ENOMEM,
		"bulk of %u with room for %u", cap + 1, cap);
	TEST_ASSERT_EQUAL(rte_errno, ENOMEM, "rte_errno %d", rte_errno);
	TEST_ASSERT_SUCCESS(rte_fastmem_stats(&s1), "stats");
	TEST_ASSERT_SUCCESS(rte_fastmem_stats_class(size, &c1), "stats_class");
	TEST_ASSERT_EQUAL(s1.bytes_in_use, s0.bytes_in_use, "failed bulk left objects in use");
	TEST_ASSERT_EQUAL(s1.alloc_total, s0.alloc_total, "failed bulk counted allocations");
	TEST_ASSERT_EQUAL(s1.alloc_nomem, s0.alloc_nomem + 1, "failed bulk not counted nomem");
	TEST_ASSERT_EQUAL(c1.in_use, c0.in_use, "failed bulk: class in_use");
	TEST_ASSERT_EQUAL(c1.alloc_nomem, c0.alloc_nomem + 1, "failed bulk: class nomem");
	TEST_ASSERT_EQUAL(s1.bytes_backing, 2 * SLAB_SIZE, "backing beyond the limit");

	/* nothing was consumed: all cap objects can still be had, in one bulk */
	TEST_ASSERT_SUCCESS(rte_fastmem_alloc_bulk(ptrs, cap, size, 0, 0),
		"bulk of %u after the failed one", cap);
	for (i = 0; i < cap; i++)
		memset(ptrs[i], 0x11, size);
	rte_fastmem_free_bulk(ptrs, cap);

	/* the same from a cold start: a bin-only failure (empty cache) takes nothing */
	rte_fastmem_cache_flush();
	TEST_ASSERT_EQUAL(rte_fastmem_alloc_bulk(ptrs, cap + 1, size, 0, 0), -ENOMEM,
		"cold bulk of %u", cap + 1);
	TEST_ASSERT_SUCCESS(rte_fastmem_alloc_bulk(ptrs, cap, size, 0, 0), "cold bulk of %u",
		cap);
	rte_fastmem_free_bulk(ptrs, cap);
	rte_fastmem_cache_flush();
	TEST_ASSERT_SUCCESS(rte_fastmem_set_limit(SOCKET_ID_ANY, SIZE_MAX), "unlimit");
	return test_fastmem_check_idle();
}

/* Per-lcore statistics of a worker, handed back with release/acquire. */
struct stats_worker_arg {
	unsigned int n;
	int result; /* 0 running, 1 ok, -1 failed */
};

static int
stats_worker(void *arg)
{
	struct stats_worker_arg *a = arg;
	void *ptrs[64];
	unsigned int i;
	int result = 1;

	for (i = 0; i < a->n; i++) {
		ptrs[i] = rte_fastmem_alloc(512, 0, 0);
		if (ptrs[i] == NULL)
			result = -1;
	}
	for (i = 0; i < a->n; i++)
		rte_fastmem_free(ptrs[i]);
	rte_fastmem_cache_flush();
	/* release: pairs with the acquire in test_stats() */
	__atomic_store_n(&a->result, result, __ATOMIC_RELEASE);
	return 0;
}

static int
test_stats(void)
{
	struct rte_fastmem_lcore_class_stats lc;
	struct rte_fastmem_lcore_stats ls;
	struct rte_fastmem_class_stats cs;
	struct rte_fastmem_stats st;
	struct stats_worker_arg warg = { .n = 40 };
	unsigned int worker, main_lcore = rte_lcore_id();
	void *ptrs[30], *p;
	unsigned int i;

	rte_fastmem_cache_flush();
	rte_fastmem_stats_reset();
	TEST_ASSERT_SUCCESS(rte_fastmem_stats(&st), "stats");
	TEST_ASSERT(st.alloc_total == 0 && st.free_total == 0 && st.alloc_nomem == 0,
		"counters not reset");

	for (i = 0; i < RTE_DIM(ptrs); i++) {
		ptrs[i] = rte_fastmem_alloc(i < 10 ? 64 : 1000, 0, 0);
		TEST_ASSERT_NOT_NULL(ptrs[i], "alloc");
	}
	TEST_ASSERT_SUCCESS(rte_fastmem_stats(&st), "stats");
	TEST_ASSERT_EQUAL(st.alloc_total, RTE_DIM(ptrs), "alloc_total %" PRIu64,
		st.alloc_total);
	TEST_ASSERT_EQUAL(st.bytes_in_use, 10 * 64 + 20 * 1024, "bytes_in_use %zu",
		(size_t)st.bytes_in_use);
	TEST_ASSERT_SUCCESS(rte_fastmem_stats_class(1024, &cs), "stats_class");
	TEST_ASSERT_EQUAL(cs.class_size, 1024, "class_size");
	TEST_ASSERT_EQUAL(cs.in_use, 20, "class 1024 in_use %" PRIu64, (uint64_t)cs.in_use);
	TEST_ASSERT_EQUAL(cs.alloc_cache_hits + cs.alloc_cache_misses, 20,
		"class 1024 hits + misses");
	TEST_ASSERT_SUCCESS(rte_fastmem_stats_lcore(main_lcore, &ls), "stats_lcore");
	TEST_ASSERT_EQUAL(ls.alloc_cache_hits + ls.alloc_cache_misses, RTE_DIM(ptrs),
		"lcore allocations");
	TEST_ASSERT_SUCCESS(rte_fastmem_stats_lcore_class(main_lcore, 64, &lc),
		"stats_lcore_class");
	TEST_ASSERT_EQUAL(lc.alloc_cache_hits + lc.alloc_cache_misses, 10,
		"lcore class 64 hits + misses");

	for (i = 0; i < RTE_DIM(ptrs); i++)
		rte_fastmem_free(ptrs[i]);
	TEST_ASSERT_SUCCESS(rte_fastmem_stats(&st), "stats");
	TEST_ASSERT_EQUAL(st.free_total, RTE_DIM(ptrs), "free_total");
	TEST_ASSERT_EQUAL(st.bytes_in_use, 0, "bytes_in_use after free");
	TEST_ASSERT_SUCCESS(rte_fastmem_stats_lcore(main_lcore, &ls), "stats_lcore");
	TEST_ASSERT_EQUAL(ls.free_cache_hits + ls.free_cache_misses, RTE_DIM(ptrs),
		"lcore frees");

	/* another lcore's counters */
	worker = rte_get_next_lcore(-1, 1, 0);
	if (worker < RTE_MAX_LCORE) {
		TEST_ASSERT_SUCCESS(rte_eal_remote_launch(stats_worker, &warg, worker), "launch");
		rte_eal_wait_lcore(worker);
		TEST_ASSERT_EQUAL(__atomic_load_n(&warg.result, __ATOMIC_ACQUIRE), 1,
			"worker failed");
		TEST_ASSERT_SUCCESS(rte_fastmem_stats_lcore(worker, &ls), "stats_lcore");
		TEST_ASSERT_EQUAL(ls.alloc_cache_hits + ls.alloc_cache_misses, warg.n,
			"worker allocations");
		TEST_ASSERT_EQUAL(ls.free_cache_hits + ls.free_cache_misses, warg.n,
			"worker frees");
		TEST_ASSERT_EQUAL(ls.bytes_cached, 0, "worker flushed, bytes cached");
		TEST_ASSERT_SUCCESS(rte_fastmem_stats_lcore_class(worker, 512, &lc), "lc");
		TEST_ASSERT_EQUAL(lc.free_cache_hits + lc.free_cache_misses, warg.n,
			"worker class 512 frees");
		TEST_ASSERT_SUCCESS(rte_fastmem_stats(&st), "stats");
		TEST_ASSERT_EQUAL(st.alloc_total, RTE_DIM(ptrs) + warg.n, "global alloc_total");
	}

	/* reset: event counters go to zero, gauges stay */
	p = rte_fastmem_alloc(1000, 0, 0);
	TEST_ASSERT_NOT_NULL(p, "alloc");
	rte_fastmem_stats_reset();
	TEST_ASSERT_SUCCESS(rte_fastmem_stats(&st), "stats");
	TEST_ASSERT(st.alloc_total == 0 && st.free_total == 0, "global counters not reset");
	TEST_ASSERT_EQUAL(st.bytes_in_use, 1024, "reset changed bytes_in_use");
	rte_fastmem_free(p);
	TEST_ASSERT_SUCCESS(rte_fastmem_stats(&st), "stats");
	TEST_ASSERT(st.alloc_total == 0 && st.free_total == 1, "counting after the reset");
	TEST_ASSERT_SUCCESS(rte_fastmem_stats_lcore(main_lcore, &ls), "stats_lcore");
	TEST_ASSERT(ls.alloc_cache_hits + ls.alloc_cache_misses == 0 &&
		ls.free_cache_hits + ls.free_cache_misses == 1, "lcore stats not reset");
	TEST_ASSERT_SUCCESS(rte_fastmem_stats_class(1024, &cs), "stats_class");
	TEST_ASSERT(cs.alloc_cache_hits == 0 && cs.alloc_cache_misses == 0,
		"class stats not reset");
	TEST_ASSERT_EQUAL(cs.free_cache_hits + cs.free_cache_misses, 1, "class frees");
	rte_fastmem_cache_flush();
	TEST_ASSERT_SUCCESS(rte_fastmem_stats(&st), "stats");
	TEST_ASSERT_EQUAL(st.bytes_cached, 0, "bytes cached after flush");
	/* a reset with nothing live makes the totals agree again */
	rte_fastmem_stats_reset();
	return test_fastmem_check_idle();
}

static int
test_dump(void)
{
	char *buf = NULL;
	size_t len = 0;
	FILE *f;
	void *p;

	p = rte_fastmem_alloc(300, 0, 0);
	TEST_ASSERT_NOT_NULL(p, "alloc");
	f = open_memstream(&buf, &len);
	TEST_ASSERT_NOT_NULL(f, "open_memstream");
	rte_fastmem_dump(f);
	fclose(f);
	rte_fastmem_free(p);
	TEST_ASSERT(len > 0, "dump wrote nothing");
	TEST_ASSERT(strstr(buf, "320") != NULL, "dump does not show the 320 B class:\n%s", buf);
	TEST_ASSERT(strstr(buf, "trimmed 0 B") != NULL, "dump does not show trimmed bytes:\n%s",
		buf);
	free(buf);
	return TEST_SUCCESS;
}

/* ---- external heap suite ---- */

#define EXT_HEAP_NAME "fm_test_ext"
/* room for a slab of each class used here, in zones that grow from one slab: each zone's
 * memzone takes up to 2 MiB more of the heap for its alignment */
#define EXT_LEN (48 * MIB)
#define EXT_PAGE_SZ ((size_t)4096)
#define EXT_IOVA_BASE UINT64_C(0x5500000000)

static void *ext_va;
static void *ext_map;
static size_t ext_map_len;
static int ext_socket = -1;

static int
ext_heap_create(void)
{
	unsigned int n_pages = EXT_LEN / EXT_PAGE_SZ, i;
	rte_iova_t *iovas;
	uintptr_t start;

	ext_map_len = EXT_LEN + SLAB_SIZE;
	ext_map = mmap(NULL, ext_map_len, PROT_READ | PROT_WRITE,
		MAP_PRIVATE | MAP_ANONYMOUS, -1, 0);
	if (ext_map == MAP_FAILED) {
		ext_map = NULL;
		return -1;
	}
	start = RTE_ALIGN_CEIL((uintptr_t)ext_map, SLAB_SIZE);
	ext_va = (void *)start;
	iovas = malloc(n_pages * sizeof(*iovas));
	if (iovas == NULL)
		return -1;
	/* made-up IOVAs, contiguous, unrelated to the virtual addresses */
	for (i = 0; i < n_pages; i++)
		iovas[i] = EXT_IOVA_BASE + (rte_iova_t)i * EXT_PAGE_SZ;
	if (rte_malloc_heap_create(EXT_HEAP_NAME) != 0 ||
			rte_malloc_heap_memory_add(EXT_HEAP_NAME, ext_va, EXT_LEN, iovas,
				n_pages, EXT_PAGE_SZ) != 0) {
		printf("cannot set up the external heap: %s\n", rte_strerror(rte_errno));
		free(iovas);
		return -1;
	}
	free(iovas);
	ext_socket = rte_malloc_heap_get_socket(EXT_HEAP_NAME);
	return ext_socket < 0 ? -1 : 0;
}

/* Remove the heap; fails if anything (a fastmem memzone) still lives on it. */
static int
ext_heap_destroy(void)
{
	int ret = 0;

	if (ext_socket >= 0) {
		if (rte_malloc_heap_memory_remove(EXT_HEAP_NAME, ext_va, EXT_LEN) != 0) {
			printf("cannot remove the external memory: %s\n",
				rte_strerror(rte_errno));
			ret = -1;
		} else if (rte_malloc_heap_destroy(EXT_HEAP_NAME) != 0) {
			printf("cannot destroy the external heap: %s\n", rte_strerror(rte_errno));
			ret = -1;
		}
	}
	if (ret == 0 && ext_map != NULL) {
		munmap(ext_map, ext_map_len);
		ext_map = NULL;
	}
	ext_socket = -1;
	return ret;
}

static bool
in_ext(const void *p, size_t len)
{
	return (uintptr_t)p >= (uintptr_t)ext_va &&
		(uintptr_t)p + len <= (uintptr_t)ext_va + EXT_LEN;
}

static int
ext_setup(void)
{
	if (ext_heap_create() != 0) {
		ext_heap_destroy();
		return TEST_FAILED;
	}
	if (test_fm_setup() != TEST_SUCCESS) {
		ext_heap_destroy();
		return TEST_FAILED;
	}
	return TEST_SUCCESS;
}

static void
ext_teardown(void)
{
	rte_fastmem_deinit();
	ext_heap_destroy();
}

static int
test_ext_alloc(void)
{
	size_t sizes[] = { 8, 64, 1000, 4096, 100000, MIB };
	void *objs[RTE_DIM(sizes)];
	void *bulk[16], *local;
	unsigned int i;

	TEST_ASSERT(rte_malloc_heap_socket_is_external(ext_socket) == 1, "not external");
	for (i = 0; i < RTE_DIM(sizes); i++) {
		rte_iova_t iova;

		objs[i] = rte_fastmem_alloc_socket(sizes[i], 0, 0, ext_socket);
		TEST_ASSERT_NOT_NULL(objs[i], "alloc(%zu) on the external heap failed: %s",
			sizes[i], rte_strerror(rte_errno));
		TEST_ASSERT(in_ext(objs[i], sizes[i]), "object %p not in the external memory",
			objs[i]);
		memset(objs[i], 0x3c, sizes[i]);
		iova = rte_fastmem_virt2iova(objs[i]);
		TEST_ASSERT_EQUAL(iova, EXT_IOVA_BASE + ((uintptr_t)objs[i] - (uintptr_t)ext_va),
			"virt2iova(%p) = %#" PRIx64 ", not the IOVA given", objs[i],
			(uint64_t)iova);
		/* the memseg of the external memory says the same (rte_mem_virt2iova() does
		 * not: in IOVA-as-VA mode it returns the virtual address for any memory) */
		{
			struct rte_memseg_list *msl = rte_mem_virt2memseg_list(objs[i]);
			struct rte_memseg *ms = msl != NULL ?
				rte_mem_virt2memseg(objs[i], msl) : NULL;

			TEST_ASSERT(msl != NULL && msl->external && ms != NULL, "no memseg");
			TEST_ASSERT_EQUAL(iova, ms->iova + RTE_PTR_DIFF(objs[i], ms->addr),
				"memseg IOVA disagrees");
		}
	}
	/* bulk on the external heap, freed together with local objects */
	TEST_ASSERT_SUCCESS(rte_fastmem_alloc_bulk_socket(bulk, RTE_DIM(bulk), 200, 0, 0,
		ext_socket), "alloc_bulk_socket on the external heap");
	for (i = 0; i < RTE_DIM(bulk); i++)
		TEST_ASSERT(in_ext(bulk[i], 200), "bulk object not external");
	local = rte_fastmem_alloc(200, 0, 0);
	TEST_ASSERT_NOT_NULL(local, "local alloc");
	TEST_ASSERT(!in_ext(local, 200), "default socket allocation went external");
	rte_fastmem_free(local);
	rte_fastmem_free_bulk(bulk, RTE_DIM(bulk));
	rte_fastmem_free_bulk(objs, RTE_DIM(objs));
	/* the heap has its own limit */
	TEST_ASSERT_EQUAL(rte_fastmem_get_limit(ext_socket), SIZE_MAX, "ext default limit");
	rte_fastmem_cache_flush();
	return test_fastmem_check_idle();
}

/* Handed back from the worker with release/acquire. */
struct ext_worker_arg {
	int socket;
	unsigned int n_live;
	void *live[32];
	int result; /* 0 running, 1 ok, -1 failed */
};

static int
ext_worker(void *arg)
{
	struct ext_worker_arg *a = arg;
	void *tmp[64];
	unsigned int i, c;
	int result = 1;

	if ((int)rte_socket_id() == a->socket)
		result = -1;
	/* caches for the external socket, created by an lcore of another socket */
	for (c = 0; c < 6 && result == 1; c++) {
		size_t size = (size_t)16 << (2 * c);

		for (i = 0; i < RTE_DIM(tmp); i++) {
			tmp[i] = rte_fastmem_alloc_socket(size, 0, 0, a->socket);
			if (tmp[i] == NULL || !in_ext(tmp[i], size)) {
				result = -1;
				break;
			}
		}
		/* keep one live, the rest go back into this lcore's cache */
		if (result == 1) {
			a->live[a->n_live++] = tmp[0];
			rte_fastmem_free_bulk(&tmp[1], RTE_DIM(tmp) - 1);
		} else {
			rte_fastmem_free_bulk(tmp, i);
		}
		/* and a cache for the local socket too */
		tmp[0] = rte_fastmem_alloc(size, 0, 0);
		if (tmp[0] == NULL)
			result = -1;
		else
			a->live[a->n_live++] = tmp[0];
	}
	/* release: pairs with the acquire in test_ext_cross_socket_deinit() */
	__atomic_store_n(&a->result, result, __ATOMIC_RELEASE);
	return 0;
}

/*
 * Review defect 1: a cache serving the external socket, created by an lcore of socket 0,
 * with live objects and cached objects on both sockets, then deinit. Teardown must not
 * touch memory it has already released (run under ASan), and must release everything:
 * the external memory can then be removed from its heap and the heap destroyed.
 */
static int
test_ext_cross_socket_deinit(void)
{
	static struct ext_worker_arg warg;
	struct rte_malloc_socket_stats hs;
	unsigned int worker, mz_before;
	size_t heap_before, k;
	uint8_t *big;
	void *main_obj;

	worker = rte_get_next_lcore(-1, 1, 0);
	if (worker >= RTE_MAX_LCORE) {
		printf("needs a worker lcore\n");
		return TEST_SKIPPED;
	}
	rte_fastmem_deinit();
	mz_before = memzone_count();
	heap_before = heap_allocated(0);
	TEST_ASSERT_SUCCESS(rte_fastmem_init(), "init");

	memset(&warg, 0, sizeof(warg));
	warg.socket = ext_socket;
	TEST_ASSERT_EQUAL(rte_lcore_to_socket_id(worker), 0, "worker not on socket 0");
	TEST_ASSERT_SUCCESS(rte_eal_remote_launch(ext_worker, &warg, worker), "launch");
	rte_eal_wait_lcore(worker);
	TEST_ASSERT_EQUAL(__atomic_load_n(&warg.result, __ATOMIC_ACQUIRE), 1,
		"worker allocation failed");
	/* the main lcore too, the other way round: local first, then external */
	main_obj = rte_fastmem_alloc(4096, 0, 0);
	TEST_ASSERT_NOT_NULL(main_obj, "alloc");
	rte_fastmem_free(main_obj);
	main_obj = rte_fastmem_alloc_socket(4096, 0, 0, ext_socket);
	TEST_ASSERT_NOT_NULL(main_obj, "alloc on the external heap");

	/* deinit with live and cached objects on both heaps */
	rte_fastmem_deinit();
	TEST_ASSERT_EQUAL(memzone_count(), mz_before, "deinit left %u memzones",
		memzone_count() - mz_before);
	TEST_ASSERT_EQUAL(heap_allocated(0), heap_before, "deinit left heap memory (%zu B)",
		heap_allocated(0) - heap_before);
	TEST_ASSERT_EQUAL(heap_allocated(ext_socket), 0, "deinit left external memory");
	/*
	 * No write after free: EAL clears memory when it is freed and trusts it to stay
	 * clear (rte_zmalloc() does not clear it again), so anything deinit wrote into its
	 * zones after freeing them shows up as non-zero bytes here. (ASan cannot see into
	 * EAL heap memory: it does not come from malloc.)
	 */
	TEST_ASSERT_SUCCESS(rte_malloc_get_socket_stats(ext_socket, &hs), "heap stats");
	big = rte_malloc_socket(NULL, hs.greatest_free_size - RTE_CACHE_LINE_SIZE * 4, 0,
		ext_socket);
	TEST_ASSERT_NOT_NULL(big, "cannot allocate the freed external memory");
	for (k = 0; k < hs.greatest_free_size - RTE_CACHE_LINE_SIZE * 4; k++)
		if (big[k] != 0)
			break;
	rte_free(big);
	TEST_ASSERT_EQUAL(k, hs.greatest_free_size - RTE_CACHE_LINE_SIZE * 4,
		"freed external memory written at offset %zu", k);
	TEST_ASSERT_SUCCESS(ext_heap_destroy(), "external heap still in use after deinit");

	/* the allocator works again afterwards, on a new external heap too */
	TEST_ASSERT_SUCCESS(ext_heap_create(), "re-create the external heap");
	TEST_ASSERT_SUCCESS(rte_fastmem_init(), "init after deinit");
	main_obj = rte_fastmem_alloc_socket(100, 0, 0, ext_socket);
	TEST_ASSERT_NOT_NULL(main_obj, "alloc after re-init");
	TEST_ASSERT(in_ext(main_obj, 100), "not external after re-init");
	rte_fastmem_free(main_obj);
	return TEST_SUCCESS;
}

/*
 * Lcore id reuse: a registered thread uses fastmem and gives up its lcore id; a thread
 * "on another socket" (the external heap standing for one, rte_fastmem_test_local_socket())
 * gets the same id. Its lcore takes its socket as its own, its inline cache hits serve
 * that socket (the objects come from the external heap even once the thread's calls to
 * the library would take the node's socket again), its lcore's statistics start afresh,
 * and the totals count both threads exactly.
 */
#define REUSE_OBJS 100

#define REUSE_WARM 50

struct reuse_arg {
	int socket; /* SOCKET_ID_ANY, or the socket the thread presents itself on */
	int result; /* 1: ran, 0: could not register, -1: failed */
	unsigned int lcore_id;
	unsigned int warm_ext; /* objects of the warm-up from the external heap */
	unsigned int in_ext; /* objects of the pairs from the external heap */
	struct rte_fastmem_lcore_stats ls; /* the lcore's statistics at the end */
};

static void *
reuse_thread(void *arg)
{
	struct reuse_arg *a = arg;
	void *warm[REUSE_WARM];
	unsigned int i;

	if (test_fastmem_thread_register() != 0) {
		a->result = 0;
		return NULL;
	}
	a->lcore_id = rte_lcore_id();
	a->result = 1;
	if (a->socket != SOCKET_ID_ANY && rte_fastmem_test_local_socket(a->socket) != 0)
		a->result = -1;
	/* a warm-up on the thread's socket fills the lcore's cache there */
	for (i = 0; i < REUSE_WARM && a->result == 1; i++) {
		warm[i] = rte_fastmem_alloc(200, 0, 0);
		if (warm[i] == NULL) {
			a->result = -1;
			break;
		}
		a->warm_ext += in_ext(warm[i], 200);
	}
	rte_fastmem_free_bulk(warm, i);
	/*
	 * Back to the node's socket for any call that reaches the library: the pairs that
	 * follow come from the lcore's own socket's cache only if they are inline hits (a
	 * miss would take the node's socket and make it the lcore's own)
	 */
	rte_fastmem_test_local_socket(SOCKET_ID_ANY);
	for (i = 0; i < REUSE_OBJS && a->result == 1; i++) {
		void *p = rte_fastmem_alloc(200, 0, 0);

		if (p == NULL) {
			a->result = -1;
			break;
		}
		a->in_ext += in_ext(p, 200);
		rte_fastmem_free(p);
	}
	if (rte_fastmem_stats_lcore(a->lcore_id, &a->ls) != 0)
		a->result = -1;
	test_fastmem_thread_unregister();
	return NULL;
}

static int
run_reuse_thread(struct reuse_arg *a, int socket)
{
	pthread_t t;

	memset(a, 0, sizeof(*a));
	a->socket = socket;
	if (pthread_create(&t, NULL, reuse_thread, a) != 0)
		return -1;
	pthread_join(t, NULL);
	return 0;
}

static int
test_ext_lcore_reuse(void)
{
	struct reuse_arg a, b;
	struct rte_fastmem_stats s0, s1, s2;

	TEST_ASSERT_SUCCESS(rte_fastmem_stats(&s0), "stats");
	TEST_ASSERT_SUCCESS(run_reuse_thread(&a, SOCKET_ID_ANY), "thread");
	if (a.result == 0) {
		printf("no lcore id left for a registered thread\n");
		return TEST_SKIPPED;
	}
	TEST_ASSERT_EQUAL(a.result, 1, "first thread failed");
	TEST_ASSERT(a.in_ext == 0 && a.warm_ext == 0, "first thread: %u objects on the "
		"external heap", a.in_ext + a.warm_ext);
	TEST_ASSERT_SUCCESS(rte_fastmem_stats(&s1), "stats");

	TEST_ASSERT_SUCCESS(run_reuse_thread(&b, ext_socket), "thread");
	TEST_ASSERT_EQUAL(b.result, 1, "second thread failed");
	TEST_ASSERT_EQUAL(b.lcore_id, a.lcore_id, "lcore id %u not reused (%u)", a.lcore_id,
		b.lcore_id);
	/* the lcore follows its new thread to that thread's socket */
	TEST_ASSERT_EQUAL(b.warm_ext, REUSE_WARM, "second thread: %u of %u objects on the "
		"external heap", b.warm_ext, REUSE_WARM);
#ifndef __RTE_FASTMEM_CHECKED
	/* and its inline hits serve that socket (checked builds have no inline path) */
	TEST_ASSERT_EQUAL(b.in_ext, REUSE_OBJS, "second thread: %u of %u inline hits on the "
		"external heap", b.in_ext, REUSE_OBJS);
#endif
	TEST_ASSERT_SUCCESS(rte_fastmem_stats(&s2), "stats");
#ifdef RTE_LIBRTE_FASTMEM_STATS
	/* each thread's lcore counts its own calls only, and hits from the second call on */
	/* each thread's lcore counts its own calls only */
	TEST_ASSERT_EQUAL(a.ls.alloc_cache_hits + a.ls.alloc_cache_misses,
		REUSE_WARM + REUSE_OBJS, "first thread: %" PRIu64 " allocations",
		a.ls.alloc_cache_hits + a.ls.alloc_cache_misses);
	TEST_ASSERT_EQUAL(b.ls.alloc_cache_hits + b.ls.alloc_cache_misses,
		REUSE_WARM + REUSE_OBJS, "second thread: %" PRIu64 " allocations: the lcore's "
		"statistics did not start afresh", b.ls.alloc_cache_hits +
		b.ls.alloc_cache_misses);
	TEST_ASSERT(b.ls.alloc_cache_hits >= REUSE_OBJS, "second thread: %" PRIu64
		" cache hits", b.ls.alloc_cache_hits);
	/* and the totals keep what the first thread's lcore counted */
	TEST_ASSERT_EQUAL(s1.alloc_total - s0.alloc_total, REUSE_WARM + REUSE_OBJS,
		"totals after one");
	TEST_ASSERT_EQUAL(s2.alloc_total - s0.alloc_total, 2 * (REUSE_WARM + REUSE_OBJS),
		"totals after two");
	TEST_ASSERT_EQUAL(s2.free_total - s0.free_total, 2 * (REUSE_WARM + REUSE_OBJS),
		"frees after two");
#endif
	RTE_SET_USED(s1);
	RTE_SET_USED(s2);
	TEST_ASSERT_EQUAL(rte_fastmem_test_local_socket(12345), -EINVAL, "unknown socket");
	rte_fastmem_cache_flush();
	return test_fastmem_check_drained();
}

/*
 * An external heap whose pages are not IOVA-contiguous with each other: fastmem's zones
 * on it are not IOVA-contiguous, rte_fastmem_virt2iova() gives the IOVAs supplied, and no
 * object of a class that does not divide the page spans two of its pages (each object's
 * bytes have contiguous IOVAs).
 */
#define EXT2_NAME "fm_test_ext2"
#define EXT2_LEN (8 * MIB)
#define EXT2_IOVA_BASE UINT64_C(0x6600000000)

/* The IOVA supplied for an address of the heap: pages swapped in pairs. */
static rte_iova_t
ext2_iova(const void *va, const void *p)
{
	size_t off = RTE_PTR_DIFF(p, va);

	return EXT2_IOVA_BASE + (rte_iova_t)((off / EXT_PAGE_SZ) ^ 1) * EXT_PAGE_SZ +
		off % EXT_PAGE_SZ;
}

static int
test_ext_noncontig_pages(void)
{
	size_t map_len = EXT2_LEN + SLAB_SIZE, sizes[] = { 200, 576, 1200, 2500 };
	unsigned int n_pages = EXT2_LEN / EXT_PAGE_SZ, i, k;
	void *map, *va, *objs[64];
	rte_iova_t *iovas;
	int sock, ret;

	/* without hugepages, EAL judges the contiguity of external memory by the process's
	 * page map, not by the IOVAs supplied: it would call the zones contiguous */
	if (!rte_eal_has_hugepages()) {
		printf("needs hugepages: EAL cannot tell the heap is not IOVA-contiguous\n");
		return TEST_SKIPPED;
	}
	map = mmap(NULL, map_len, PROT_READ | PROT_WRITE, MAP_PRIVATE | MAP_ANONYMOUS, -1, 0);
	TEST_ASSERT(map != MAP_FAILED, "mmap");
	va = RTE_PTR_ALIGN_CEIL(map, SLAB_SIZE);
	iovas = malloc(n_pages * sizeof(*iovas));
	TEST_ASSERT_NOT_NULL(iovas, "malloc");
	/* pages swapped in pairs: every page boundary is an IOVA discontinuity */
	for (i = 0; i < n_pages; i++)
		iovas[i] = EXT2_IOVA_BASE + (rte_iova_t)(i ^ 1) * EXT_PAGE_SZ;
	ret = rte_malloc_heap_create(EXT2_NAME);
	if (ret == 0)
		ret = rte_malloc_heap_memory_add(EXT2_NAME, va, EXT2_LEN, iovas, n_pages,
			EXT_PAGE_SZ);
	free(iovas);
	TEST_ASSERT_SUCCESS(ret, "external heap: %s", rte_strerror(rte_errno));
	sock = rte_malloc_heap_get_socket(EXT2_NAME);
	TEST_ASSERT(sock >= 0, "heap socket");

	for (k = 0; k < RTE_DIM(sizes); k++) {
		for (i = 0; i < RTE_DIM(objs); i++) {
			const uint8_t *o;

			objs[i] = rte_fastmem_alloc_socket(sizes[k], 0, 0, sock);
			TEST_ASSERT_NOT_NULL(objs[i], "alloc(%zu) on the external heap: %s",
				sizes[k], rte_strerror(rte_errno));
			o = objs[i];
			TEST_ASSERT((uintptr_t)o >= (uintptr_t)va &&
				(uintptr_t)o + sizes[k] <= (uintptr_t)va + EXT2_LEN,
				"object %p not on the heap", o);
			TEST_ASSERT_EQUAL(rte_fastmem_virt2iova(o), ext2_iova(va, o),
				"virt2iova(%p) %#" PRIx64 ", supplied %#" PRIx64, o,
				(uint64_t)rte_fastmem_virt2iova(o), (uint64_t)ext2_iova(va, o));
			TEST_ASSERT_EQUAL(rte_fastmem_virt2iova(o + sizes[k] - 1),
				rte_fastmem_virt2iova(o) + sizes[k] - 1,
				"object %p of %zu B spans pages that are not IOVA-contiguous", o,
				sizes[k]);
			TEST_ASSERT_EQUAL((uintptr_t)o / EXT_PAGE_SZ,
				((uintptr_t)o + sizes[k] - 1) / EXT_PAGE_SZ,
				"object %p of %zu B spans two pages", o, sizes[k]);
		}
		rte_fastmem_free_bulk(objs, RTE_DIM(objs));
	}
	rte_fastmem_cache_flush();
	TEST_ASSERT(rte_fastmem_trim(sock, NULL) >= 0, "trim");
	TEST_ASSERT_SUCCESS(rte_malloc_heap_memory_remove(EXT2_NAME, va, EXT2_LEN),
		"heap still in use");
	TEST_ASSERT_SUCCESS(rte_malloc_heap_destroy(EXT2_NAME), "heap destroy");
	munmap(map, map_len);
	return test_fastmem_check_idle();
}

/* ---- error table suite ---- */

/* Run a call that must fail; check its return value, rte_errno and its log line. */
#define EXPECT_ERROR(call, cmp, err) do { \
	bool ok_, logged_; \
	rte_errno = 0; \
	log_capture_start(); \
	ok_ = ((call) cmp); \
	logged_ = log_capture_stop(); \
	TEST_ASSERT(ok_, "%s: wrong return value", #call); \
	TEST_ASSERT_EQUAL(rte_errno, (err), "%s: rte_errno %d (%s), expected %d", #call, \
		rte_errno, rte_strerror(rte_errno), (err)); \
	TEST_ASSERT(logged_, "%s: no log line", #call); \
} while (0)

struct err_snapshot {
	struct rte_fastmem_stats st;
	unsigned int memzones;
};

static int
err_snap(struct err_snapshot *s)
{
	s->memzones = memzone_count();
	return rte_fastmem_stats(&s->st);
}

/* nothing allocated, nothing reserved, no counter moved except alloc_nomem */
static int
err_unchanged(const struct err_snapshot *a)
{
	struct err_snapshot b;

	TEST_ASSERT_SUCCESS(err_snap(&b), "stats");
	TEST_ASSERT_EQUAL(b.memzones, a->memzones, "memzones changed");
	TEST_ASSERT_EQUAL(b.st.bytes_backing, a->st.bytes_backing, "backing changed");
	TEST_ASSERT_EQUAL(b.st.bytes_in_use, a->st.bytes_in_use, "bytes in use changed");
	TEST_ASSERT_EQUAL(b.st.alloc_total, a->st.alloc_total, "alloc_total changed");
	TEST_ASSERT_EQUAL(b.st.free_total, a->st.free_total, "free_total changed");
	return TEST_SUCCESS;
}

static int
test_err_alloc_zero(void)
{
	struct rte_fastmem_class_stats cs;
	void *p, *q, *r;

	/* as malloc may: a unique object that must be freed, of the smallest class allowed */
	p = rte_fastmem_alloc(0, 0, 0);
	q = rte_fastmem_alloc(0, 0, 0);
	r = rte_fastmem_alloc(0, 1, 0);
	TEST_ASSERT(p != NULL && q != NULL && r != NULL, "alloc(0) returned NULL");
	TEST_ASSERT(p != q, "alloc(0) twice gave the same object");
	TEST_ASSERT_EQUAL((uintptr_t)p % RTE_CACHE_LINE_SIZE, 0, "alloc(0, 0) alignment");
	TEST_ASSERT_SUCCESS(rte_fastmem_stats_class(RTE_CACHE_LINE_SIZE, &cs), "stats_class");
	TEST_ASSERT_EQUAL(cs.in_use, 2, "alloc(0, 0) not in the cache-line class");
	TEST_ASSERT_SUCCESS(rte_fastmem_stats_class(8, &cs), "stats_class");
	TEST_ASSERT_EQUAL(cs.in_use, 1, "alloc(0, 1) not in the 8 B class");
	rte_fastmem_free(p);
	rte_fastmem_free(q);
	/* realloc to 0 frees the object and returns NULL, without an error */
	rte_errno = 0;
	p = rte_fastmem_realloc(r, 0, 1);
	TEST_ASSERT_NULL(p, "realloc(p, 0) returned %p", p);
	TEST_ASSERT_EQUAL(rte_errno, 0, "realloc(p, 0) set rte_errno %d", rte_errno);
	TEST_ASSERT_SUCCESS(rte_fastmem_stats_class(8, &cs), "stats_class");
	TEST_ASSERT_EQUAL(cs.in_use, 0, "realloc(p, 0) did not free p");
	/* and of NULL does nothing */
	TEST_ASSERT_NULL(rte_fastmem_realloc(NULL, 0, 0), "realloc(NULL, 0) allocated");
	TEST_ASSERT_EQUAL(rte_errno, 0, "realloc(NULL, 0) set rte_errno %d", rte_errno);
	rte_fastmem_cache_flush();
	return test_fastmem_check_idle();
}

static int
test_err_too_big(void)
{
	size_t max = rte_fastmem_max_size();
	struct err_snapshot s;
	void *ptrs[4];

	TEST_ASSERT_SUCCESS(err_snap(&s), "stats");
	EXPECT_ERROR(rte_fastmem_alloc(max + 1, 0, 0), == NULL, E2BIG);
	EXPECT_ERROR(rte_fastmem_alloc(SIZE_MAX, 0, 0), == NULL, E2BIG);
	EXPECT_ERROR(rte_fastmem_alloc_socket(max * 2, 0, 0, 0), == NULL, E2BIG);
	EXPECT_ERROR(rte_fastmem_alloc_bulk(ptrs, 4, max + 1, 0, 0), == -E2BIG, E2BIG);
	return err_unchanged(&s);
}

static int
test_err_align_not_pow2(void)
{
	struct err_snapshot s;
	void *ptrs[4];

	TEST_ASSERT_SUCCESS(err_snap(&s), "stats");
	EXPECT_ERROR(rte_fastmem_alloc(64, 3, 0), == NULL, EINVAL);
	EXPECT_ERROR(rte_fastmem_alloc(64, 48, 0), == NULL, EINVAL);
	EXPECT_ERROR(rte_fastmem_alloc_socket(64, 96, 0, 0), == NULL, EINVAL);
	EXPECT_ERROR(rte_fastmem_alloc_bulk(ptrs, 4, 64, 24, 0), == -EINVAL, EINVAL);
	return err_unchanged(&s);
}

static int
test_err_align_too_big(void)
{
	struct err_snapshot s;
	void *ptrs[4], *p;

	/* 1 MiB is the largest alignment honoured */
	p = rte_fastmem_alloc(64, MIB, 0);
	TEST_ASSERT_NOT_NULL(p, "alloc(64, 1 MiB) failed");
	TEST_ASSERT_EQUAL(((uintptr_t)p & (MIB - 1)), 0, "alloc(64, 1 MiB) = %p", p);
	rte_fastmem_free(p);
	rte_fastmem_cache_flush();

	/* larger is too big, as a size would be */
	TEST_ASSERT_SUCCESS(err_snap(&s), "stats");
	EXPECT_ERROR(rte_fastmem_alloc(64, 2 * MIB, 0), == NULL, E2BIG);
	EXPECT_ERROR(rte_fastmem_alloc(64, (size_t)1 << 40, 0), == NULL, E2BIG);
	EXPECT_ERROR(rte_fastmem_alloc_socket(64, 2 * MIB, 0, SOCKET_ID_ANY), == NULL, E2BIG);
	EXPECT_ERROR(rte_fastmem_alloc_bulk(ptrs, 4, 64, 4 * MIB, 0), == -E2BIG, E2BIG);
	EXPECT_ERROR(rte_fastmem_realloc(NULL, 64, 2 * MIB), == NULL, E2BIG);
	/* and a bad alignment that is also too large is not a power of two first */
	EXPECT_ERROR(rte_fastmem_alloc(64, 3 * MIB, 0), == NULL, EINVAL);
	return err_unchanged(&s);
}

static bool
socket_exists(int socket)
{
	unsigned int i;

	if (rte_malloc_heap_socket_is_external(socket) == 1)
		return true;
	for (i = 0; i < rte_socket_count(); i++)
		if (rte_socket_id_by_idx(i) == socket)
			return true;
	return false;
}

static int
test_err_bad_socket(void)
{
	/* -1 is SOCKET_ID_ANY; INT32_MAX / 2 + 1000 is no heap this process created */
	int bad[] = { -5, -2, INT32_MIN, 1, 7, RTE_MAX_NUMA_NODES - 1, RTE_MAX_NUMA_NODES, 1000,
		INT32_MAX / 2 + 1000, INT32_MAX };
	struct err_snapshot s;
	void *ptrs[4];
	unsigned int i;

	TEST_ASSERT_SUCCESS(err_snap(&s), "stats");
	for (i = 0; i < RTE_DIM(bad); i++) {
		if (socket_exists(bad[i]))
			continue;
		EXPECT_ERROR(rte_fastmem_alloc_socket(64, 0, 0, bad[i]), == NULL, EINVAL);
		EXPECT_ERROR(rte_fastmem_alloc_bulk_socket(ptrs, 4, 64, 0, 0, bad[i]), == -EINVAL,
			EINVAL);
		EXPECT_ERROR(rte_fastmem_reserve(SLAB_SIZE, bad[i]), == -EINVAL, EINVAL);
		EXPECT_ERROR(rte_fastmem_set_limit(bad[i], 4 * MIB), == -EINVAL, EINVAL);
		EXPECT_ERROR(rte_fastmem_get_limit(bad[i]), == 0, EINVAL);
	}
	return err_unchanged(&s);
}

static int
test_err_before_init(void)
{
	struct rte_fastmem_lcore_class_stats lc;
	struct rte_fastmem_class_stats cs;
	struct rte_fastmem_lcore_stats ls;
	struct rte_fastmem_stats st;
	unsigned int mz_before;
	void *ptrs[4], *p, *stale = NULL;
	char *buf = NULL;
	size_t len = 0;
	FILE *f;
	int round;

	rte_fastmem_deinit();
	mz_before = memzone_count();
	/* round 0: after the suite's deinit; round 1: after an init, use and deinit */
	for (round = 0; round < 2; round++) {
		if (round == 1) {
			TEST_ASSERT_SUCCESS(rte_fastmem_init(), "init");
			p = rte_fastmem_alloc(64, 0, 0);
			TEST_ASSERT_NOT_NULL(p, "alloc");
			rte_fastmem_free(p);
			stale = rte_fastmem_alloc(64, 0, 0);
			TEST_ASSERT_NOT_NULL(stale, "alloc");
			rte_fastmem_deinit();
		}
		EXPECT_ERROR(rte_fastmem_alloc(64, 0, 0), == NULL, ENODEV);
		EXPECT_ERROR(rte_fastmem_alloc_socket(64, 0, 0, 0), == NULL, ENODEV);
		EXPECT_ERROR(rte_fastmem_alloc_bulk(ptrs, 4, 64, 0, 0), == -ENODEV, ENODEV);
		EXPECT_ERROR(rte_fastmem_alloc_bulk_socket(ptrs, 4, 64, 0, 0, 0), == -ENODEV,
			ENODEV);
		EXPECT_ERROR(rte_fastmem_realloc(NULL, 64, 0), == NULL, ENODEV);
		EXPECT_ERROR(rte_fastmem_reserve(SLAB_SIZE, 0), == -ENODEV, ENODEV);
		EXPECT_ERROR(rte_fastmem_set_limit(0, SLAB_SIZE), == -ENODEV, ENODEV);
		EXPECT_ERROR(rte_fastmem_get_limit(0), == 0, ENODEV);
		EXPECT_ERROR(rte_fastmem_set_cache_budget(0), == -ENODEV, ENODEV);
		EXPECT_ERROR(rte_fastmem_get_cache_budget(), == 0, ENODEV);
		EXPECT_ERROR(rte_fastmem_test_local_socket(SOCKET_ID_ANY), == -ENODEV, ENODEV);
		EXPECT_ERROR(rte_fastmem_stats(&st), == -ENODEV, ENODEV);
		EXPECT_ERROR(rte_fastmem_stats_class(64, &cs), == -ENODEV, ENODEV);
		EXPECT_ERROR(rte_fastmem_stats_lcore(rte_lcore_id(), &ls), == -ENODEV, ENODEV);
		EXPECT_ERROR(rte_fastmem_stats_lcore_class(rte_lcore_id(), 64, &lc), == -ENODEV,
			ENODEV);
		EXPECT_ERROR(rte_fastmem_stats_shared(&ls), == -ENODEV, ENODEV);
		EXPECT_ERROR(rte_fastmem_stats_shared_class(64, &lc), == -ENODEV, ENODEV);
		/* an object of the previous life: freeing it is a documented no-op */
		if (stale != NULL) {
			rte_errno = 0;
			rte_fastmem_free(stale);
			TEST_ASSERT_EQUAL(rte_errno, ENODEV, "free after deinit: rte_errno %d",
				rte_errno);
		}
		/* harmless ones */
		TEST_ASSERT_EQUAL(rte_fastmem_virt2iova(&round), RTE_BAD_IOVA, "virt2iova");
		rte_fastmem_free(NULL);
		rte_fastmem_free_bulk(NULL, 0);
		rte_fastmem_cache_flush();
		rte_fastmem_stats_reset();
		f = open_memstream(&buf, &len);
		TEST_ASSERT_NOT_NULL(f, "open_memstream");
		rte_fastmem_dump(f);
		fclose(f);
		free(buf);
		buf = NULL;
		TEST_ASSERT_EQUAL(rte_fastmem_max_size(), MIB, "max_size without init");
		TEST_ASSERT_EQUAL(rte_fastmem_classes(NULL), N_CLASSES_EXPECTED, "classes");
		TEST_ASSERT_EQUAL(memzone_count(), mz_before, "memory reserved without init");
	}
	TEST_ASSERT_SUCCESS(rte_fastmem_init(), "init");
	return test_fastmem_check_idle();
}

static int
test_err_init_twice(void)
{
	struct err_snapshot s;

	TEST_ASSERT_SUCCESS(err_snap(&s), "stats");
	EXPECT_ERROR(rte_fastmem_init(), == -EBUSY, EBUSY);
	return err_unchanged(&s);
}

/*
 * An application compiled against another layout, or with the other debug setting, is
 * refused, before anything is reserved and whether or not fastmem is initialized; the
 * right layout then initializes.
 */
static int
test_err_init_layout(void)
{
	unsigned int mz_before;

	EXPECT_ERROR(__rte_fastmem_init(RTE_FASTMEM_LAYOUT_VERSION + 1), == -EPROTO, EPROTO);
	rte_fastmem_deinit();
	mz_before = memzone_count();
	EXPECT_ERROR(__rte_fastmem_init(RTE_FASTMEM_LAYOUT_VERSION + 1), == -EPROTO, EPROTO);
	EXPECT_ERROR(__rte_fastmem_init(0), == -EPROTO, EPROTO);
	EXPECT_ERROR(__rte_fastmem_init(UINT32_MAX), == -EPROTO, EPROTO);
	EXPECT_ERROR(__rte_fastmem_init(RTE_FASTMEM_LAYOUT ^ RTE_FASTMEM_LAYOUT_DEBUG), == -EPROTO,
		EPROTO);
	TEST_ASSERT_EQUAL(memzone_count(), mz_before, "memory reserved by a refused init");
	TEST_ASSERT_NULL(rte_fastmem_alloc(64, 0, 0), "initialized by a refused init");
	TEST_ASSERT_EQUAL(rte_errno, ENODEV, "alloc after a refused init: rte_errno %d",
		rte_errno);
	TEST_ASSERT_SUCCESS(__rte_fastmem_init(RTE_FASTMEM_LAYOUT), "init");
	return test_fastmem_check_idle();
}

static int
test_err_deinit_live(void)
{
	unsigned int mz_before, i;
	void *ptrs[100];

	rte_fastmem_deinit();
	mz_before = memzone_count();
	TEST_ASSERT_SUCCESS(rte_fastmem_init(), "init");
	for (i = 0; i < RTE_DIM(ptrs); i++) {
		ptrs[i] = rte_fastmem_alloc((size_t)8 << (i % 18), 0, 0);
		TEST_ASSERT_NOT_NULL(ptrs[i], "alloc");
	}
	/* documented: deinit releases all backing memory, live objects or not */
	rte_fastmem_deinit();
	TEST_ASSERT_EQUAL(memzone_count(), mz_before, "deinit with live objects left memory");
	TEST_ASSERT_SUCCESS(rte_fastmem_init(), "init");
	return test_fastmem_check_idle();
}

static int
test_err_free_null(void)
{
	struct err_snapshot s;
	void *nulls[3] = { NULL, NULL, NULL };

	TEST_ASSERT_SUCCESS(err_snap(&s), "stats");
	rte_fastmem_free(NULL);
	rte_fastmem_free_bulk(nulls, RTE_DIM(nulls));
	rte_fastmem_free_bulk(NULL, RTE_DIM(nulls)); /* a NULL array, on every path */
	return err_unchanged(&s);
}

static int
test_err_bulk_zero(void)
{
	struct err_snapshot s;
	void *ptrs[1] = { (void *)(uintptr_t)0x1 };

	TEST_ASSERT_SUCCESS(err_snap(&s), "stats");
	/* defined as a successful no-op */
	TEST_ASSERT_SUCCESS(rte_fastmem_alloc_bulk(ptrs, 0, 64, 0, 0), "bulk n=0");
	TEST_ASSERT_EQUAL(ptrs[0], (void *)(uintptr_t)0x1, "bulk n=0 wrote a pointer");
	rte_fastmem_free_bulk(ptrs, 0);
	rte_fastmem_free_bulk(NULL, 0);
	return err_unchanged(&s);
}

static int
test_err_reserve(void)
{
	int socket = (int)rte_socket_id();
	struct err_snapshot s;

	TEST_ASSERT_SUCCESS(err_snap(&s), "stats");
	EXPECT_ERROR(rte_fastmem_reserve(0, socket), == -EINVAL, EINVAL);
	EXPECT_ERROR(rte_fastmem_reserve(0, SOCKET_ID_ANY), == -EINVAL, EINVAL);
	TEST_ASSERT_SUCCESS(rte_fastmem_set_limit(socket, 2 * SLAB_SIZE), "set_limit");
	EXPECT_ERROR(rte_fastmem_reserve(3 * SLAB_SIZE, socket), == -ENOMEM, ENOMEM);
	EXPECT_ERROR(rte_fastmem_reserve(2 * SLAB_SIZE + 1, socket), == -ENOMEM, ENOMEM);
	EXPECT_ERROR(rte_fastmem_reserve(SIZE_MAX, socket), == -ENOMEM, ENOMEM);
	EXPECT_ERROR(rte_fastmem_reserve(SIZE_MAX - SLAB_SIZE + 2, SOCKET_ID_ANY), == -ENOMEM,
		ENOMEM);
	TEST_ASSERT_SUCCESS(err_unchanged(&s), "failed reserves changed something");
	TEST_ASSERT_SUCCESS(rte_fastmem_set_limit(socket, SIZE_MAX), "unlimit");
	return test_fastmem_check_idle();
}

/*
 * A limit below what the socket holds is accepted (as in the RFC): nothing is released,
 * and the socket no longer grows. Objects it has keep serving allocations.
 */
static int
test_limit_below_usage(void)
{
	int socket = (int)rte_socket_id();
	struct rte_fastmem_stats st;
	uint64_t backing;
	void *p, *q;

	TEST_ASSERT_SUCCESS(rte_fastmem_reserve(2 * SLAB_SIZE, socket), "reserve");
	p = rte_fastmem_alloc(1000, 0, 0);
	TEST_ASSERT_NOT_NULL(p, "alloc");
	TEST_ASSERT_SUCCESS(rte_fastmem_stats(&st), "stats");
	backing = st.bytes_backing;
	TEST_ASSERT(backing >= 2 * SLAB_SIZE, "no backing");
	TEST_ASSERT_SUCCESS(rte_fastmem_set_limit(socket, backing - SLAB_SIZE), "below usage");
	TEST_ASSERT_EQUAL(rte_fastmem_get_limit(socket), backing - SLAB_SIZE, "limit not set");
	TEST_ASSERT_SUCCESS(rte_fastmem_set_limit(socket, 0), "limit 0");
	TEST_ASSERT_SUCCESS(rte_fastmem_set_limit(SOCKET_ID_ANY, SLAB_SIZE), "ANY below usage");
	TEST_ASSERT_EQUAL(rte_fastmem_get_limit(socket), SLAB_SIZE, "ANY did not set it");
	TEST_ASSERT_SUCCESS(rte_fastmem_stats(&st), "stats");
	TEST_ASSERT_EQUAL(st.bytes_backing, backing, "a lower limit released memory");
	/* the free slab of the reservation still serves another class */
	q = rte_fastmem_alloc(512 * KIB, 0, 0);
	TEST_ASSERT_NOT_NULL(q, "alloc from the slabs the socket holds");
	/* a class needing a free slab more cannot grow the socket */
	EXPECT_ERROR(rte_fastmem_alloc(MIB, 0, 0), == NULL, ENOMEM);
	rte_fastmem_free(p);
	rte_fastmem_free(q);
	TEST_ASSERT_SUCCESS(rte_fastmem_set_limit(SOCKET_ID_ANY, SIZE_MAX), "unlimit");
	rte_fastmem_cache_flush();
	return test_fastmem_check_idle();
}

/*
 * Pointers that fastmem never handed out: virt2iova gives RTE_BAD_IOVA and realloc fails
 * with EINVAL, without a crash and without touching the memory. Readable ones are left as
 * they were; unmapped ones would crash on any access.
 */
static char foreign_static[4096];

static int
test_err_foreign(void)
{
	const struct rte_memzone *mz;
	char stack[256];
	char *heap = malloc(4096);
	char *rte = rte_malloc("fm_foreign", 4096, 0);
	struct err_snapshot s;
	unsigned int i;
	void *obj;

	TEST_ASSERT(heap != NULL && rte != NULL, "no memory for the foreign objects");
	mz = rte_memzone_reserve("fm_foreign_mz", 4 * SLAB_SIZE, SOCKET_ID_ANY, 0);
	TEST_ASSERT_NOT_NULL(mz, "rte_memzone_reserve");
	obj = rte_fastmem_alloc(100, 0, 0);
	TEST_ASSERT_NOT_NULL(obj, "alloc");
	memset(heap, 0x11, 4096);
	memset(rte, 0x22, 4096);
	memset(foreign_static, 0x33, sizeof(foreign_static));
	memset(stack, 0x44, sizeof(stack));
	{
		void *readable[] = { heap, heap + 100, rte, rte + 4000, foreign_static,
			foreign_static + 1, stack, mz->addr, RTE_PTR_ADD(mz->addr, SLAB_SIZE),
			(void *)&test_err_foreign };
		void *unmapped[] = { (void *)(uintptr_t)1, (void *)(uintptr_t)4096,
			(void *)(uintptr_t)0xdead0000000ull, (void *)(uintptr_t)0x7ffffffff000ull,
			(void *)(uintptr_t)0x800000000000ull, (void *)(uintptr_t)0xffff800000000000ull,
			(void *)UINTPTR_MAX };

		TEST_ASSERT_SUCCESS(err_snap(&s), "stats");
		for (i = 0; i < RTE_DIM(readable); i++) {
			EXPECT_ERROR(rte_fastmem_virt2iova(readable[i]), == RTE_BAD_IOVA, EINVAL);
			EXPECT_ERROR(rte_fastmem_realloc(readable[i], 64, 0), == NULL, EINVAL);
			EXPECT_ERROR(rte_fastmem_realloc(readable[i], 0, 0), == NULL, EINVAL);
		}
		for (i = 0; i < RTE_DIM(unmapped); i++) {
			EXPECT_ERROR(rte_fastmem_virt2iova(unmapped[i]), == RTE_BAD_IOVA, EINVAL);
			EXPECT_ERROR(rte_fastmem_realloc(unmapped[i], 64, 0), == NULL, EINVAL);
		}
		TEST_ASSERT_SUCCESS(err_unchanged(&s), "a foreign pointer changed fastmem");
	}
	for (i = 0; i < 4096; i++)
		TEST_ASSERT(heap[i] == 0x11 && rte[i] == 0x22 && foreign_static[i] == 0x33,
			"foreign memory written at byte %u", i);
	for (i = 0; i < sizeof(stack); i++)
		TEST_ASSERT_EQUAL(stack[i], 0x44, "stack memory written");
	/* fastmem's own memory keeps its IOVA, inside an object or not */
	TEST_ASSERT_EQUAL(rte_fastmem_virt2iova(obj), rte_mem_virt2iova(obj), "virt2iova");
	TEST_ASSERT_EQUAL(rte_fastmem_virt2iova(RTE_PTR_ADD(obj, 99)),
		rte_mem_virt2iova(RTE_PTR_ADD(obj, 99)), "virt2iova inside");
	rte_fastmem_free(obj);
	rte_memzone_free(mz);
	rte_free(rte);
	free(heap);
	rte_fastmem_cache_flush();
	return test_fastmem_check_idle();
}

static int
test_err_bad_flags(void)
{
	struct err_snapshot s;
	void *ptrs[4];

	TEST_ASSERT_SUCCESS(err_snap(&s), "stats");
	EXPECT_ERROR(rte_fastmem_alloc(64, 0, RTE_BIT32(5)), == NULL, EINVAL);
	EXPECT_ERROR(rte_fastmem_alloc_socket(64, 0, ~0u, 0), == NULL, EINVAL);
	EXPECT_ERROR(rte_fastmem_alloc_bulk(ptrs, 4, 64, 0, RTE_BIT32(31)), == -EINVAL, EINVAL);
	return err_unchanged(&s);
}

static int
test_err_bad_args(void)
{
	struct rte_fastmem_lcore_class_stats lc;
	struct rte_fastmem_class_stats cs;
	struct rte_fastmem_lcore_stats ls;
	struct err_snapshot s;

	TEST_ASSERT_SUCCESS(err_snap(&s), "stats");
	EXPECT_ERROR(rte_fastmem_alloc_bulk(NULL, 4, 64, 0, 0), == -EINVAL, EINVAL);
	EXPECT_ERROR(rte_fastmem_alloc_bulk_socket(NULL, 1, 64, 0, 0, 0), == -EINVAL, EINVAL);
	EXPECT_ERROR(rte_fastmem_stats(NULL), == -EINVAL, EINVAL);
	EXPECT_ERROR(rte_fastmem_stats_class(64, NULL), == -EINVAL, EINVAL);
	EXPECT_ERROR(rte_fastmem_stats_class(100, &cs), == -EINVAL, EINVAL);
	EXPECT_ERROR(rte_fastmem_stats_class(0, &cs), == -EINVAL, EINVAL);
	EXPECT_ERROR(rte_fastmem_stats_class(2 * MIB, &cs), == -EINVAL, EINVAL);
	EXPECT_ERROR(rte_fastmem_stats_lcore(RTE_MAX_LCORE, &ls), == -EINVAL, EINVAL);
	EXPECT_ERROR(rte_fastmem_stats_lcore(0, NULL), == -EINVAL, EINVAL);
	EXPECT_ERROR(rte_fastmem_stats_lcore_class(RTE_MAX_LCORE, 64, &lc), == -EINVAL, EINVAL);
	EXPECT_ERROR(rte_fastmem_stats_lcore_class(0, 65, &lc), == -EINVAL, EINVAL);
	EXPECT_ERROR(rte_fastmem_stats_lcore_class(0, 64, NULL), == -EINVAL, EINVAL);
	EXPECT_ERROR(rte_fastmem_stats_shared(NULL), == -EINVAL, EINVAL);
	EXPECT_ERROR(rte_fastmem_stats_shared_class(3, &lc), == -EINVAL, EINVAL);
	EXPECT_ERROR(rte_fastmem_stats_shared_class(64, NULL), == -EINVAL, EINVAL);
	/* addresses that are not fastmem's translate to nothing */
	TEST_ASSERT_EQUAL(rte_fastmem_virt2iova(NULL), RTE_BAD_IOVA, "virt2iova(NULL)");
	return err_unchanged(&s);
}

/* ---- the suites ---- */

static struct unit_test_suite lifecycle_suite = {
	.suite_name = "fastmem lifecycle",
	.unit_test_cases = {
		TEST_CASE(test_lifecycle_classes),
		TEST_CASE(test_lifecycle_init_deinit),
		TEST_CASES_END()
	}
};

static struct unit_test_suite functional_suite = {
	.suite_name = "fastmem functional",
	.unit_test_cases = {
		TEST_CASE_ST(test_fm_setup, test_fm_teardown, test_alloc_every_class),
		TEST_CASE_ST(test_fm_setup, test_fm_teardown, test_alloc_alignment),
		TEST_CASE(test_alloc_class_waste),
		TEST_CASE_ST(test_fm_setup, test_fm_teardown, test_alloc_zero_flag),
		TEST_CASE_ST(test_fm_setup, test_fm_teardown, test_alloc_socket),
		TEST_CASE_ST(test_fm_setup, test_fm_teardown, test_realloc),
		TEST_CASE_ST(test_fm_setup, test_fm_teardown, test_virt2iova),
		TEST_CASE_ST(test_fm_setup, test_fm_teardown, test_bulk),
		TEST_CASE_ST(test_fm_setup, test_fm_teardown, test_free_bulk_mixed),
		TEST_CASE_ST(test_fm_setup, test_fm_teardown, test_free_bulk_slabs),
		TEST_CASE_ST(test_fm_setup, test_fm_teardown, test_free_bulk_one_slab),
		TEST_CASE_ST(test_fm_setup, test_fm_teardown, test_free_bulk_mono),
		TEST_CASE_ST(test_fm_setup, test_fm_teardown, test_free_memo),
		TEST_CASE_ST(test_fm_setup, test_fm_teardown, test_cache_flush),
		TEST_CASE_ST(test_fm_setup, test_fm_teardown, test_slabs_move_between_classes),
		TEST_CASE_ST(test_fm_setup, test_fm_teardown, test_backing_grows),
		TEST_CASE_ST(test_fm_setup, test_fm_teardown, test_limit_and_reserve),
		TEST_CASE_ST(test_fm_setup, test_fm_teardown, test_bulk_all_or_nothing),
		TEST_CASE_ST(test_fm_setup, test_fm_teardown, test_stats),
		TEST_CASE_ST(test_fm_setup, test_fm_teardown, test_dump),
		TEST_CASES_END()
	}
};

static struct unit_test_suite ext_heap_suite = {
	.suite_name = "fastmem external heap",
	.unit_test_cases = {
		TEST_CASE_ST(ext_setup, ext_teardown, test_ext_alloc),
		TEST_CASE_ST(ext_setup, ext_teardown, test_ext_cross_socket_deinit),
		TEST_CASE_ST(ext_setup, ext_teardown, test_ext_lcore_reuse),
		TEST_CASE_ST(ext_setup, ext_teardown, test_ext_noncontig_pages),
		TEST_CASES_END()
	}
};

static struct unit_test_suite error_suite = {
	.suite_name = "fastmem error table",
	.unit_test_cases = {
		TEST_CASE_ST(test_fm_setup, test_fm_teardown, test_err_alloc_zero),
		TEST_CASE_ST(test_fm_setup, test_fm_teardown, test_err_too_big),
		TEST_CASE_ST(test_fm_setup, test_fm_teardown, test_err_align_not_pow2),
		TEST_CASE_ST(test_fm_setup, test_fm_teardown, test_err_align_too_big),
		TEST_CASE_ST(test_fm_setup, test_fm_teardown, test_err_bad_socket),
		TEST_CASE_ST(test_fm_setup, test_fm_teardown, test_err_before_init),
		TEST_CASE_ST(test_fm_setup, test_fm_teardown, test_err_init_twice),
		TEST_CASE_ST(test_fm_setup, test_fm_teardown, test_err_init_layout),
		TEST_CASE_ST(test_fm_setup, test_fm_teardown, test_err_deinit_live),
		TEST_CASE_ST(test_fm_setup, test_fm_teardown, test_err_free_null),
		TEST_CASE_ST(test_fm_setup, test_fm_teardown, test_err_bulk_zero),
		TEST_CASE_ST(test_fm_setup, test_fm_teardown, test_err_reserve),
		TEST_CASE_ST(test_fm_setup, test_fm_teardown, test_limit_below_usage),
		TEST_CASE_ST(test_fm_setup, test_fm_teardown, test_err_bad_flags),
		TEST_CASE_ST(test_fm_setup, test_fm_teardown, test_err_bad_args),
		TEST_CASE_ST(test_fm_setup, test_fm_teardown, test_err_foreign),
		TEST_CASES_END()
	}
};

static struct unit_test_suite fastmem_suite = {
	.suite_name = "fastmem",
	.unit_test_suites = (struct unit_test_suite *[]){
		&lifecycle_suite,
		&functional_suite,
		&ext_heap_suite,
		&error_suite,
		&fastmem_concurrent_suite,
		NULL
	},
	.unit_test_cases = {
		TEST_CASES_END()
	}
};

static int
test_fastmem(void)
{
	return unit_test_suite_runner(&fastmem_suite);
}

REGISTER_FAST_TEST(fastmem_autotest, true, true, test_fastmem);
