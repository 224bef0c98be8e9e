/* SPDX-License-Identifier: BSD-3-Clause
 * Copyright(c) 2026 The dpdk-lcoremem authors
 */

/*
 * Giving memory back: rte_fastmem_trim() and rte_fastmem_set_trim_threshold().
 *
 * fastmem_trim_autotest (runs without hugepages):
 *   errors        ENODEV before init, EINVAL for unknown sockets;
 *   burst         64 MiB of objects allocated and freed: backing memory and the memzones
 *                 go away only once every cache is flushed (the workers' too);
 *   live          a live object keeps its zone and only its zone; the limit counts what
 *                 is left; allocation grows again after a trim;
 *   reserve       memory of rte_fastmem_reserve() is kept;
 *   external      trim on an external heap, which can then be removed;
 *   threshold     automatic trim from the free path;
 *   concurrent    trims while workers allocate and free whole slabs.
 * Small zones are made by raising the socket's limit step by step: the socket grows by
 * what the limit allows (at most what it holds already, and 128 MiB), and an object of
 * the 1 MiB class takes a whole slab.
 *
 * fastmem_trim_huge_autotest (needs hugepages, EAL's dynamic memory mode): the hugepages
 * of a freed burst return to the system.
 */

#include <dirent.h>
#include <errno.h>
#include <inttypes.h>
#include <stdio.h>
#include <string.h>
#include <sys/mman.h>

#include <rte_common.h>
#include <rte_cycles.h>
#include <rte_eal.h>
#include <rte_errno.h>
#include <rte_launch.h>
#include <rte_lcore.h>
#include <rte_malloc.h>
#include <rte_memory.h>
#include <rte_memzone.h>
#include <rte_pause.h>

#include <rte_fastmem.h>

#include "test.h"
#include "test_fastmem.h"

#define MIB ((size_t)1 << 20)
#define SLAB (2 * MIB)
#define BIG (1 * MIB) /* the largest class: one object per slab */
#define MID (64u << 10) /* 31 objects per slab, in runs of half a slab */
#define BURST_BYTES (64 * MIB)
#define BURST_OBJ 4096
#define BURST_N ((unsigned int)(BURST_BYTES / BURST_OBJ))
#define BULK 256

/* ---- helpers ---- */

struct zone_walk {
	unsigned int n; /* fastmem backing memzones */
	size_t bytes; /* their length */
	const void *addr; /* when not NULL: set found if a zone holds it */
	bool found;
	size_t found_len; /* the length of that zone */
};

static void
zone_walk_cb(const struct rte_memzone *mz, void *arg)
{
	struct zone_walk *w = arg;

	/* backing zones are named fastmem_<slot>_<seq>; the state is fastmem_state */
	if (strncmp(mz->name, "fastmem_", 8) != 0 || strcmp(mz->name, "fastmem_state") == 0)
		return;
	w->n++;
	w->bytes += mz->len;
	if (w->addr != NULL && (uintptr_t)w->addr >= (uintptr_t)mz->addr &&
			(uintptr_t)w->addr < (uintptr_t)mz->addr + mz->len) {
		w->found = true;
		w->found_len = mz->len;
	}
}

static struct zone_walk
zones(const void *addr)
{
	struct zone_walk w = { .addr = addr };

	rte_memzone_walk(zone_walk_cb, &w);
	return w;
}

static uint64_t
backing(void)
{
	struct rte_fastmem_stats st;

	if (rte_fastmem_stats(&st) != 0)
		return UINT64_MAX;
	return st.bytes_backing;
}

static int
flush_worker(void *arg)
{
	RTE_SET_USED(arg);
	rte_fastmem_cache_flush();
	return 0;
}

/* Flush the caches of every lcore. */
static void
flush_all(void)
{
	rte_eal_mp_remote_launch(flush_worker, NULL, CALL_MAIN);
	rte_eal_mp_wait_lcore();
}

/* Allocate n 1 MiB objects on a socket with its limit raised by n slabs first, so that
 * the socket grows by exactly one zone of n slabs. */
static int
alloc_zone(void **objs, unsigned int n, int socket)
{
	size_t limit = (size_t)backing() + n * SLAB;
	unsigned int i;

	if (rte_fastmem_set_limit(socket, limit) != 0)
		return -1;
	for (i = 0; i < n; i++) {
		objs[i] = rte_fastmem_alloc_socket(BIG, 0, 0, socket);
		if (objs[i] == NULL)
			return -1;
	}
	return 0;
}

/* A NUMA socket id that EAL does not know, -1 if every id is in use. */
static int
unknown_numa_socket(void)
{
	int id;
	unsigned int i;

	for (id = RTE_MAX_NUMA_NODES - 1; id >= 0; id--) {
		for (i = 0; i < rte_socket_count(); i++)
			if (rte_socket_id_by_idx(i) == id)
				break;
		if (i == rte_socket_count())
			return id;
	}
	return -1;
}

/* ---- errors ---- */

static int
test_trim_errors(void)
{
	size_t rel = 12345;
	int socket = (int)rte_socket_id_by_idx(0);

	rte_errno = 0;
	TEST_ASSERT_EQUAL(rte_fastmem_trim(SOCKET_ID_ANY, &rel), -ENODEV, "trim before init");
	TEST_ASSERT_EQUAL(rte_errno, ENODEV, "rte_errno %d", rte_errno);
	TEST_ASSERT_EQUAL(rel, 12345, "released written on error");
	rte_errno = 0;
	TEST_ASSERT_EQUAL(rte_fastmem_set_trim_threshold(SOCKET_ID_ANY, 0), -ENODEV,
		"threshold before init");
	TEST_ASSERT_EQUAL(rte_errno, ENODEV, "rte_errno %d", rte_errno);

	TEST_ASSERT_SUCCESS(test_fm_setup(), "init");
	/* nothing to trim: 0 memzones, 0 bytes; released may be NULL */
	TEST_ASSERT_EQUAL(rte_fastmem_trim(SOCKET_ID_ANY, &rel), 0, "trim of nothing");
	TEST_ASSERT_EQUAL(rel, 0, "released %zu", rel);
	TEST_ASSERT_EQUAL(rte_fastmem_trim(socket, NULL), 0, "trim with NULL released");

	if (unknown_numa_socket() >= 0) {
		rte_errno = 0;
		TEST_ASSERT_EQUAL(rte_fastmem_trim(unknown_numa_socket(), &rel), -EINVAL,
			"trim of NUMA socket %d, unknown to EAL", unknown_numa_socket());
		TEST_ASSERT_EQUAL(rte_errno, EINVAL, "rte_errno %d", rte_errno);
	}
	rte_errno = 0;
	TEST_ASSERT_EQUAL(rte_fastmem_trim(-7, &rel), -EINVAL, "trim of socket -7");
	TEST_ASSERT_EQUAL(rte_errno, EINVAL, "rte_errno %d", rte_errno);
	TEST_ASSERT_EQUAL(rte_fastmem_trim(INT32_MAX, &rel), -EINVAL, "trim of a heap id");
	rte_errno = 0;
	TEST_ASSERT_EQUAL(rte_fastmem_set_trim_threshold(-7, 0), -EINVAL, "threshold -7");
	TEST_ASSERT_EQUAL(rte_errno, EINVAL, "rte_errno %d", rte_errno);
	TEST_ASSERT_SUCCESS(rte_fastmem_set_trim_threshold(socket, SIZE_MAX), "threshold off");
	TEST_ASSERT_SUCCESS(rte_fastmem_set_trim_threshold(SOCKET_ID_ANY, SIZE_MAX), "off");
	test_fm_teardown();

	rte_errno = 0;
	TEST_ASSERT_EQUAL(rte_fastmem_trim(socket, NULL), -ENODEV, "trim after deinit");
	TEST_ASSERT_EQUAL(rte_errno, ENODEV, "rte_errno %d", rte_errno);
	return TEST_SUCCESS;
}

/* ---- burst ---- */

#define WORKER_OBJS 64

static int
burst_worker(void *arg)
{
	void *objs[WORKER_OBJS];

	RTE_SET_USED(arg);
	/* allocated and freed: they stay in this lcore's cache */
	if (rte_fastmem_alloc_bulk(objs, WORKER_OBJS, BURST_OBJ, 0, 0) != 0)
		return -1;
	rte_fastmem_free_bulk(objs, WORKER_OBJS);
	return 0;
}

static int
test_trim_burst(void)
{
	void **objs = malloc(BURST_N * sizeof(*objs));
	uint64_t b_burst, b_cached;
	struct zone_walk z0, z1, z2, z3;
	unsigned int i, worker;
	size_t rel;
	int ret;

	TEST_ASSERT_NOT_NULL(objs, "malloc");
	z0 = zones(NULL);
	TEST_ASSERT(backing() == 0 && z0.n == 0, "backing memory before the burst");
	for (i = 0; i < BURST_N; i += BULK) {
		ret = rte_fastmem_alloc_bulk(objs + i, BULK, BURST_OBJ, 0, 0);
		if (ret != 0)
			free(objs);
		TEST_ASSERT_SUCCESS(ret, "burst alloc at %u", i);
		memset(objs[i], 0x5a, BURST_OBJ);
	}
	ret = 0;
	RTE_LCORE_FOREACH_WORKER(worker)
		rte_eal_remote_launch(burst_worker, NULL, worker);
	RTE_LCORE_FOREACH_WORKER(worker)
		ret |= rte_eal_wait_lcore(worker);
	b_burst = backing();
	z1 = zones(NULL);
	printf("burst: %u objects of %u B: backing %" PRIu64 " B in %u memzones (%zu B)\n",
		BURST_N, BURST_OBJ, b_burst, z1.n, z1.bytes);
	rte_fastmem_free_bulk(objs, BURST_N);
	free(objs);
	TEST_ASSERT_SUCCESS(ret, "worker burst");
	TEST_ASSERT(b_burst >= BURST_BYTES && z1.n > 0, "burst did not grow the socket");
	TEST_ASSERT(z1.bytes >= b_burst, "memzones smaller than backing");

	/* the main lcore's and the workers' caches still hold objects: their slabs stay */
	rte_fastmem_cache_flush();
	ret = rte_fastmem_trim(SOCKET_ID_ANY, &rel);
	TEST_ASSERT(ret >= 0, "trim: %d", ret);
	b_cached = backing();
	z2 = zones(NULL);
	printf("trim with workers' caches: %d memzones, %zu B released; backing %" PRIu64
		" B\n", ret, rel, b_cached);
	TEST_ASSERT_EQUAL(b_cached, b_burst - rel, "backing %" PRIu64 " != %" PRIu64 " - %zu",
		b_cached, b_burst, rel);
	if (rte_lcore_count() > 1)
		TEST_ASSERT(b_cached > 0 && z2.n > 0, "zones with cached objects were released");
	TEST_ASSERT_EQUAL(z2.n, z1.n - (unsigned int)ret, "memzones %u, %u, %d", z1.n, z2.n,
		ret);

	/* everything back: all of it goes */
	flush_all();
	ret = rte_fastmem_trim(SOCKET_ID_ANY, &rel);
	z3 = zones(NULL);
	printf("trim after flushing every lcore: %d memzones, %zu B released; backing %"
		PRIu64 " B, %u memzones left\n", ret, rel, backing(), z3.n);
	TEST_ASSERT_EQUAL(rel, b_cached, "released %zu of %" PRIu64, rel, b_cached);
	TEST_ASSERT_EQUAL(backing(), 0, "backing left");
	TEST_ASSERT_EQUAL(z3.n, 0, "%u memzones left", z3.n);
	TEST_ASSERT_EQUAL(ret, (int)z2.n, "%d memzones released of %u", ret, z2.n);
	TEST_ASSERT_EQUAL(rte_fastmem_trim(SOCKET_ID_ANY, &rel), 0, "second trim");
	TEST_ASSERT_EQUAL(rel, 0, "second trim released %zu", rel);

	/* and it grows again */
	objs = rte_fastmem_alloc(BURST_OBJ, 0, 0);
	TEST_ASSERT_NOT_NULL(objs, "alloc after trim");
	memset(objs, 1, BURST_OBJ);
	TEST_ASSERT(backing() > 0 && zones(objs).found, "no zone after growing again");
	rte_fastmem_free(objs);
	return TEST_SUCCESS;
}

/* ---- live objects, limits ---- */

/*
 * Zone sizes depend on what EAL can give IOVA-contiguous (with hugepages in IOVA-PA mode,
 * a 4 MiB zone may come as two of 2 MiB), so the expectations are taken from the
 * memzones themselves.
 */
static int
test_trim_live(void)
{
	int socket = (int)rte_socket_id_by_idx(0);
	void *a[2], *b[2], *c[2], *d[5];
	size_t rel, keep;
	int ret;

	TEST_ASSERT_SUCCESS(alloc_zone(a, 2, socket), "zone a");
	TEST_ASSERT_SUCCESS(alloc_zone(b, 2, socket), "zone b");
	TEST_ASSERT_SUCCESS(alloc_zone(c, 2, socket), "zone c");
	TEST_ASSERT_EQUAL(backing(), 6 * SLAB, "backing %" PRIu64, backing());
	TEST_ASSERT(zones(NULL).n >= 3 && zones(NULL).bytes == 6 * SLAB, "%u zones of %zu B",
		zones(NULL).n, zones(NULL).bytes);

	/* keep b[0] only */
	rte_fastmem_free(a[0]);
	rte_fastmem_free(a[1]);
	rte_fastmem_free(c[0]);
	rte_fastmem_free(c[1]);
	rte_fastmem_free(b[1]);
	rte_fastmem_cache_flush();
	keep = zones(b[0]).found_len;
	TEST_ASSERT(keep == SLAB || keep == 2 * SLAB, "zone of b[0]: %zu B", keep);
	ret = rte_fastmem_trim(socket, &rel);
	TEST_ASSERT(ret >= 2, "%d zones released", ret);
	TEST_ASSERT_EQUAL(rel, 6 * SLAB - keep, "released %zu", rel);
	TEST_ASSERT_EQUAL(backing(), keep, "backing %" PRIu64, backing());
	TEST_ASSERT(zones(NULL).n == 1 && zones(b[0]).found, "the live object's zone went");
	memset(b[0], 0x11, BIG); /* still ours */

	/* the limit counts what is left: 6 slabs, one of which b[0] holds, then ENOMEM */
	TEST_ASSERT_SUCCESS(rte_fastmem_set_limit(socket, 6 * SLAB), "limit");
	TEST_ASSERT_SUCCESS(rte_fastmem_alloc_bulk_socket(d, 5, BIG, 0, 0, socket),
		"allocation after trim");
	TEST_ASSERT_EQUAL(backing(), 6 * SLAB, "backing %" PRIu64, backing());
	TEST_ASSERT_NULL(rte_fastmem_alloc_socket(BIG, 0, 0, socket), "beyond the limit");
	TEST_ASSERT_EQUAL(rte_errno, ENOMEM, "rte_errno %d", rte_errno);
	/* a limit below what the socket holds stops growth and releases nothing */
	TEST_ASSERT_SUCCESS(rte_fastmem_set_limit(socket, 2 * SLAB), "limit below");
	TEST_ASSERT_EQUAL(backing(), 6 * SLAB, "backing %" PRIu64, backing());
	rte_fastmem_free_bulk(d, 5);
	rte_fastmem_cache_flush();
	TEST_ASSERT(rte_fastmem_trim(socket, &rel) >= 1, "trim of the regrown zones");
	TEST_ASSERT_EQUAL(rel, 6 * SLAB - keep, "released %zu", rel);
	TEST_ASSERT_EQUAL(backing(), keep, "backing %" PRIu64, backing());

	rte_fastmem_free(b[0]);
	rte_fastmem_cache_flush();
	TEST_ASSERT_EQUAL(rte_fastmem_trim(socket, &rel), 1, "last zone");
	TEST_ASSERT_EQUAL(rel, keep, "released %zu", rel);
	TEST_ASSERT_EQUAL(backing(), 0, "backing %" PRIu64, backing());
	TEST_ASSERT_EQUAL(zones(NULL).n, 0, "%u zones", zones(NULL).n);
	return TEST_SUCCESS;
}

/* ---- reserved memory ---- */

static int
test_trim_reserve(void)
{
	int socket = (int)rte_socket_id_by_idx(0);
	void *objs[5];
	size_t rel;

	TEST_ASSERT_SUCCESS(rte_fastmem_reserve(3 * SLAB, socket), "reserve");
	TEST_ASSERT_EQUAL(rte_fastmem_trim(socket, &rel), 0, "trim of reserved memory");
	TEST_ASSERT_EQUAL(backing(), 3 * SLAB, "backing %" PRIu64, backing());

	/* 5 slabs: 3 reserved, 2 grown */
	TEST_ASSERT_SUCCESS(rte_fastmem_set_limit(socket, 5 * SLAB), "limit");
	TEST_ASSERT_SUCCESS(rte_fastmem_alloc_bulk_socket(objs, 5, BIG, 0, 0, socket), "alloc");
	TEST_ASSERT_EQUAL(backing(), 5 * SLAB, "backing %" PRIu64, backing());
	rte_fastmem_free_bulk(objs, 5);
	rte_fastmem_cache_flush();
	/* the 2 grown slabs go (newest zones first), the 3 reserved ones stay */
	TEST_ASSERT(rte_fastmem_trim(SOCKET_ID_ANY, &rel) >= 1, "trim");
	TEST_ASSERT_EQUAL(rel, 2 * SLAB, "released %zu", rel);
	TEST_ASSERT_EQUAL(backing(), 3 * SLAB, "backing %" PRIu64, backing());

	/* a reservation already had adds nothing; a larger one adds what is missing, and
	 * none is trimmed */
	TEST_ASSERT_SUCCESS(rte_fastmem_reserve(3 * SLAB, socket), "same reserve again");
	TEST_ASSERT_EQUAL(backing(), 3 * SLAB, "backing %" PRIu64, backing());
	TEST_ASSERT_SUCCESS(rte_fastmem_reserve(3 * SLAB + 1, socket), "larger reserve");
	TEST_ASSERT_EQUAL(rte_fastmem_trim(SOCKET_ID_ANY, &rel), 0, "trim");
	TEST_ASSERT_EQUAL(backing(), 4 * SLAB, "backing %" PRIu64, backing());
	/* automatic trim does not touch it either */
	TEST_ASSERT_SUCCESS(rte_fastmem_set_trim_threshold(socket, 0), "threshold");
	TEST_ASSERT_EQUAL(backing(), 4 * SLAB, "backing %" PRIu64, backing());
	return TEST_SUCCESS;
}

/* ---- external heap ---- */

#define EXT_NAME "fm_trim_ext"
#define EXT_LEN (16 * MIB)
#define EXT_PG ((size_t)4096)

static int
test_trim_external(void)
{
	size_t map_len = EXT_LEN + SLAB, rel;
	unsigned int n_pages = EXT_LEN / EXT_PG, i;
	void *map, *va, *objs[2];
	rte_iova_t *iovas;
	int ext, ret;

	map = mmap(NULL, map_len, PROT_READ | PROT_WRITE, MAP_PRIVATE | MAP_ANONYMOUS, -1, 0);
	TEST_ASSERT(map != MAP_FAILED, "mmap");
	va = RTE_PTR_ALIGN_CEIL(map, SLAB);
	iovas = malloc(n_pages * sizeof(*iovas));
	TEST_ASSERT_NOT_NULL(iovas, "malloc");
	for (i = 0; i < n_pages; i++)
		iovas[i] = UINT64_C(0x7700000000) + (rte_iova_t)i * EXT_PG;
	ret = rte_malloc_heap_create(EXT_NAME);
	if (ret == 0)
		ret = rte_malloc_heap_memory_add(EXT_NAME, va, EXT_LEN, iovas, n_pages, EXT_PG);
	free(iovas);
	TEST_ASSERT_SUCCESS(ret, "external heap: %s", rte_strerror(rte_errno));
	ext = rte_malloc_heap_get_socket(EXT_NAME);
	TEST_ASSERT(ext >= 0, "heap socket");

	ret = alloc_zone(objs, 2, ext);
	TEST_ASSERT_SUCCESS(ret, "alloc on the external heap");
	TEST_ASSERT(zones(objs[0]).found && (uintptr_t)objs[0] >= (uintptr_t)va &&
		(uintptr_t)objs[0] < (uintptr_t)va + EXT_LEN, "object not on the external heap");
	/* the heap cannot go while fastmem holds a zone on it */
	TEST_ASSERT_FAIL(rte_malloc_heap_memory_remove(EXT_NAME, va, EXT_LEN), "heap in use");
	rte_fastmem_free(objs[0]);
	rte_fastmem_free(objs[1]);
	rte_fastmem_cache_flush();
	/* trimming the other sockets leaves it be */
	TEST_ASSERT_EQUAL(rte_fastmem_trim((int)rte_socket_id_by_idx(0), &rel), 0,
		"trim of socket 0");
	TEST_ASSERT_EQUAL(backing(), 2 * SLAB, "backing %" PRIu64, backing());
	TEST_ASSERT(rte_fastmem_trim(ext, &rel) >= 1, "trim of the external heap");
	TEST_ASSERT_EQUAL(rel, 2 * SLAB, "released %zu", rel);
	TEST_ASSERT_EQUAL(backing(), 0, "backing %" PRIu64, backing());
	/* the memory is the heap's again: it can be removed, with fastmem still running */
	TEST_ASSERT_SUCCESS(rte_malloc_heap_memory_remove(EXT_NAME, va, EXT_LEN),
		"remove the external memory: %s", rte_strerror(rte_errno));
	TEST_ASSERT_SUCCESS(rte_malloc_heap_destroy(EXT_NAME), "destroy the heap");
	munmap(map, map_len);
	return TEST_SUCCESS;
}

/* ---- automatic trim ---- */

static int
test_trim_threshold(void)
{
	int socket = (int)rte_socket_id_by_idx(0);
	void *a[2], *b[2], *mid[64];
	unsigned int i, n;
	uint64_t before;
	size_t released;

	/* 4 MiB free stays */
	TEST_ASSERT_SUCCESS(rte_fastmem_set_trim_threshold(SOCKET_ID_ANY, 2 * SLAB), "set");
	TEST_ASSERT_SUCCESS(alloc_zone(a, 2, socket), "zone a");
	TEST_ASSERT_SUCCESS(alloc_zone(b, 2, socket), "zone b");
	rte_fastmem_free(a[0]);
	rte_fastmem_free(a[1]);
	rte_fastmem_cache_flush();
	TEST_ASSERT_EQUAL(backing(), 4 * SLAB, "a trimmed below the threshold: %" PRIu64,
		backing());
	rte_fastmem_free(b[0]);
	rte_fastmem_free(b[1]);
	rte_fastmem_cache_flush();
	/* 8 MiB free: one zone goes on the free of the slab that made it exceed 4 MiB */
	TEST_ASSERT_EQUAL(backing(), 2 * SLAB, "backing %" PRIu64, backing());
	TEST_ASSERT_EQUAL(zones(NULL).bytes, 2 * SLAB, "%zu B of zones", zones(NULL).bytes);

	/* a lower threshold applies at once */
	TEST_ASSERT_SUCCESS(rte_fastmem_set_trim_threshold(socket, 0), "set 0");
	TEST_ASSERT_EQUAL(backing(), 0, "backing %" PRIu64, backing());

	/* 0: every zone goes as soon as it is free; the objects' cache is flushed by hand */
	TEST_ASSERT_SUCCESS(alloc_zone(a, 2, socket), "zone a again");
	TEST_ASSERT_SUCCESS(alloc_zone(b, 2, socket), "zone b again");
	rte_fastmem_free(a[0]);
	rte_fastmem_free(a[1]);
	rte_fastmem_cache_flush();
	TEST_ASSERT_EQUAL(backing(), 2 * SLAB, "backing %" PRIu64, backing());
	TEST_ASSERT(zones(b[0]).found, "zone b went");
	rte_fastmem_free(b[0]);
	rte_fastmem_free(b[1]);
	rte_fastmem_cache_flush();
	TEST_ASSERT_EQUAL(backing(), 0, "backing %" PRIu64, backing());

	/*
	 * An explicit trim counts the zone that its shrink of the caller's caches frees: a
	 * zone of 64 KiB objects, then one more in a second zone. All but 15 of the first
	 * go back to the runs (a flush); the 15 and the second zone's object, freed last,
	 * stay in the lcore cache, grown to 16 by the frees; the shrink to one object keeps
	 * the newest, so it completes the first zone and the trim releases it.
	 */
	TEST_ASSERT_SUCCESS(rte_fastmem_set_limit(socket, SLAB), "limit 1 slab");
	for (n = 0; n < RTE_DIM(mid); n++) {
		mid[n] = rte_fastmem_alloc_socket(MID, 0, 0, socket);
		if (mid[n] == NULL)
			break;
	}
	TEST_ASSERT(n > 15 && n < RTE_DIM(mid), "%u objects of %u B in a slab", n, MID);
	TEST_ASSERT_SUCCESS(rte_fastmem_set_limit(socket, 2 * SLAB), "limit 2 slabs");
	a[0] = rte_fastmem_alloc_socket(MID, 0, 0, socket);
	TEST_ASSERT_NOT_NULL(a[0], "alloc in the second zone");
	for (i = 0; i < n; i++) {
		rte_fastmem_free(mid[i]);
		if (i + 15 == n - 1)
			rte_fastmem_cache_flush();
	}
	rte_fastmem_free(a[0]);
	before = backing();
	TEST_ASSERT(rte_fastmem_trim(socket, &released) >= 0, "trim");
	TEST_ASSERT_EQUAL(released, before - backing(), "trim released %zu B, backing %" PRIu64
		" -> %" PRIu64, released, before, backing());
	TEST_ASSERT_EQUAL(released, SLAB, "trim released %zu B", released);
	rte_fastmem_cache_flush();
	TEST_ASSERT_EQUAL(backing(), 0, "backing %" PRIu64, backing());
	TEST_ASSERT_SUCCESS(rte_fastmem_set_limit(socket, SIZE_MAX), "no limit");

	/* off again: nothing goes by itself */
	TEST_ASSERT_SUCCESS(rte_fastmem_set_trim_threshold(SOCKET_ID_ANY, SIZE_MAX), "off");
	TEST_ASSERT_SUCCESS(alloc_zone(a, 2, socket), "zone a, off");
	rte_fastmem_free(a[0]);
	rte_fastmem_free(a[1]);
	rte_fastmem_cache_flush();
	TEST_ASSERT_EQUAL(backing(), 2 * SLAB, "backing %" PRIu64, backing());
	return TEST_SUCCESS;
}

/* ---- concurrency ---- */

#define CONC_WORKERS 3
#define CONC_ROUNDS 400
#define CONC_HOLD 2
/* the socket's limit: the workers need at most CONC_WORKERS * CONC_HOLD slabs at once,
 * plus one for the ENOMEM bound; small zones keep the growth cheap with hugepages */
#define CONC_LIMIT ((CONC_WORKERS * CONC_HOLD + 1) * SLAB)

static uint32_t conc_go; /* set by main: release store; workers read acquire */
static uint32_t conc_done; /* workers finished: release add; main reads acquire */
static uint32_t conc_bad; /* objects found clobbered */
static uint32_t conc_nomem; /* allocations failed */

static int
conc_worker(void *arg)
{
	uint64_t tag = ((uint64_t)rte_lcore_id() << 32);
	void *objs[CONC_HOLD];
	unsigned int r, i;

	RTE_SET_USED(arg);
	while (!__atomic_load_n(&conc_go, __ATOMIC_ACQUIRE))
		rte_pause();
	for (r = 0; r < CONC_ROUNDS; r++) {
		for (i = 0; i < CONC_HOLD; i++) {
			uint64_t *o = rte_fastmem_alloc(BIG, 0, 0);

			objs[i] = o;
			if (o == NULL) {
				__atomic_fetch_add(&conc_nomem, 1, __ATOMIC_RELAXED);
				break;
			}
			/* first and last word of the slab's only object */
			o[0] = tag | (r * CONC_HOLD + i);
			o[BIG / 8 - 1] = tag | (r * CONC_HOLD + i);
		}
		while (i-- > 0) {
			uint64_t want = tag | (r * CONC_HOLD + i);
			uint64_t *o = objs[i];

			if (o[0] != want || o[BIG / 8 - 1] != want)
				__atomic_fetch_add(&conc_bad, 1, __ATOMIC_RELAXED);
			rte_fastmem_free(o);
		}
		/* the slabs go back to the pool, where the trims find them */
		rte_fastmem_cache_flush();
		rte_delay_us_block(10);
	}
	__atomic_fetch_add(&conc_done, 1, __ATOMIC_RELEASE);
	return 0;
}

static int
test_trim_concurrent(void)
{
	unsigned int worker, n_workers = 0, trims = 0, zones_released = 0;
	size_t rel, total = 0;
	int ret = 0;

	TEST_ASSERT_SUCCESS(rte_fastmem_set_limit(SOCKET_ID_ANY, CONC_LIMIT), "limit");
	RTE_LCORE_FOREACH_WORKER(worker) {
		if (n_workers == CONC_WORKERS)
			break;
		rte_eal_remote_launch(conc_worker, NULL, worker);
		n_workers++;
	}
	if (n_workers == 0) {
		printf("no worker lcore\n");
		return TEST_SKIPPED;
	}
	__atomic_store_n(&conc_go, 1, __ATOMIC_RELEASE);
	/* trim, trim, trim, while the workers grow the socket again and again */
	while (__atomic_load_n(&conc_done, __ATOMIC_ACQUIRE) < n_workers) {
		ret = rte_fastmem_trim(SOCKET_ID_ANY, &rel);
		if (ret < 0)
			break;
		zones_released += (unsigned int)ret;
		total += rel;
		trims++;
	}
	rte_eal_mp_wait_lcore();
	printf("%u trims during %u workers' churn released %u zones, %zu B\n", trims,
		n_workers, zones_released, total);
	TEST_ASSERT(ret >= 0, "trim failed: %d", ret);
	TEST_ASSERT_EQUAL(__atomic_load_n(&conc_bad, __ATOMIC_RELAXED), 0,
		"objects clobbered: a slab was handed out twice");
	TEST_ASSERT_EQUAL(__atomic_load_n(&conc_nomem, __ATOMIC_RELAXED), 0,
		"ENOMEM within the bound of rte_fastmem.h");
	flush_all();
	TEST_ASSERT(rte_fastmem_trim(SOCKET_ID_ANY, NULL) >= 0, "final trim");
	TEST_ASSERT_EQUAL(backing(), 0, "backing %" PRIu64 " left", backing());
	TEST_ASSERT_EQUAL(zones(NULL).n, 0, "zones left");
	return TEST_SUCCESS;
}

static struct unit_test_suite fastmem_trim_suite = {
	.suite_name = "fastmem trim",
	.unit_test_cases = {
		TEST_CASE(test_trim_errors),
		TEST_CASE_ST(test_fm_setup, test_fm_teardown, test_trim_burst),
		TEST_CASE_ST(test_fm_setup, test_fm_teardown, test_trim_live),
		TEST_CASE_ST(test_fm_setup, test_fm_teardown, test_trim_reserve),
		TEST_CASE_ST(test_fm_setup, test_fm_teardown, test_trim_external),
		TEST_CASE_ST(test_fm_setup, test_fm_teardown, test_trim_threshold),
		TEST_CASE_ST(test_fm_setup, test_fm_teardown, test_trim_concurrent),
		TEST_CASES_END()
	}
};

static int
test_fastmem_trim(void)
{
	return unit_test_suite_runner(&fastmem_trim_suite);
}

/* ---- hugepages ---- */

#define HP_FREE "/sys/kernel/mm/hugepages/hugepages-2048kB/free_hugepages"

static long
hp_free(void)
{
	FILE *f = fopen(HP_FREE, "r");
	long n = -1;

	if (f == NULL)
		return -1;
	if (fscanf(f, "%ld", &n) != 1)
		n = -1;
	fclose(f);
	return n;
}

/* kB of hugetlb memory mapped by this process (/proc/self/smaps). */
static long
hp_mapped_kb(void)
{
	FILE *f = fopen("/proc/self/smaps", "r");
	char line[256];
	long kb, total = 0;

	if (f == NULL)
		return -1;
	while (fgets(line, sizeof(line), f) != NULL)
		if (sscanf(line, "Private_Hugetlb: %ld kB", &kb) == 1 ||
				sscanf(line, "Shared_Hugetlb: %ld kB", &kb) == 1)
			total += kb;
	fclose(f);
	return total;
}

static int
test_fastmem_trim_huge(void)
{
	void **objs;
	long f0, f1, f2, m0, m1, m2;
	uint64_t b1, b2;
	unsigned int i;
	size_t rel;
	int ret;

	if (hp_free() < 0) {
		printf("no 2 MiB hugepages here\n");
		return TEST_SKIPPED;
	}
	if (rte_eal_has_hugepages() == 0) {
		printf("EAL runs without hugepages\n");
		return TEST_SKIPPED;
	}
	objs = malloc(BURST_N * sizeof(*objs));
	TEST_ASSERT_NOT_NULL(objs, "malloc");
	if (test_fm_setup() != TEST_SUCCESS) {
		free(objs);
		return TEST_FAILED;
	}
	f0 = hp_free();
	m0 = hp_mapped_kb();
	ret = 0;
	for (i = 0; i < BURST_N && ret == 0; i += BULK)
		ret = rte_fastmem_alloc_bulk(objs + i, BULK, BURST_OBJ, 0, 0);
	f1 = hp_free();
	m1 = hp_mapped_kb();
	b1 = backing();
	if (ret == 0)
		rte_fastmem_free_bulk(objs, BURST_N);
	free(objs);
	flush_all();
	rte_fastmem_trim(SOCKET_ID_ANY, &rel);
	b2 = backing();
	f2 = hp_free();
	m2 = hp_mapped_kb();
	rte_fastmem_deinit();
	printf("burst of %zu MiB: backing %" PRIu64 " -> %" PRIu64 " B (%zu B released)\n",
		BURST_BYTES / MIB, b1, b2, rel);
	printf("free hugepages: %ld before, %ld after the burst, %ld after trim\n", f0, f1, f2);
	printf("hugetlb mapped by this process: %ld kB, %ld kB, %ld kB\n", m0, m1, m2);
	TEST_ASSERT_SUCCESS(ret, "burst allocation");
	TEST_ASSERT(b1 >= BURST_BYTES && b2 == 0 && rel == b1, "backing not released");
	/* this process: every hugepage of the burst is unmapped */
	TEST_ASSERT(m1 - m0 >= (long)(BURST_BYTES >> 10), "the burst mapped no hugepages: "
		"EAL in legacy memory mode, or memory preallocated with -m?");
	TEST_ASSERT(m2 <= m0, "%ld kB of hugepages still mapped", m2 - m0);
	/* the system: the pages are free again (unless another process took or gave pages
	 * back meanwhile, which the comparison with our own mappings shows) */
	if (f0 - f1 == (m1 - m0) / 2048) {
		TEST_ASSERT(f2 >= f0, "free hugepages %ld after trim, %ld before", f2, f0);
	} else {
		printf("other processes changed the free hugepages meanwhile: "
			"checked this process's mappings only\n");
	}
	return TEST_SUCCESS;
}

REGISTER_FAST_TEST(fastmem_trim_autotest, true, true, test_fastmem_trim);
REGISTER_FAST_TEST(fastmem_trim_huge_autotest, false, true, test_fastmem_trim_huge);
