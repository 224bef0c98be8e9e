/* SPDX-License-Identifier: BSD-3-Clause
 * Copyright(c) 2026 The dpdk-lcoremem authors
 */

/*
 * fastmem_mp_autotest: fastmem in secondary processes. The primary starts real secondary
 * processes (dpdk-test again, with --proc-type=secondary, the primary's file prefix and
 * the primary's own lcore ids, so that the lcore ids overlap), which run the commands
 * fastmem_mp_child_*:
 *  - noinit: before the primary initializes fastmem, rte_fastmem_init() in a secondary
 *    fails with ENOENT, and so do the statistics calls that attach on first use;
 *  - xchg: objects cross both ways, allocated with rte_fastmem_alloc(), the bulk calls
 *    and a handle the primary looked up, and freed in the other process with each kind
 *    of free; meanwhile the lcores of both processes grow the same socket at once (the
 *    objects they get must be distinct, their contents intact); then the secondary
 *    detaches with objects in its caches, which must come back to the bins;
 *  - limits: the primary's limit holds in the secondary, the secondary's limit and
 *    reservation in the primary (and its trim keeps the reservation);
 *  - hold: attach and wait; RTE_FASTMEM_MAX_PROCS - 1 of them fill the process table with
 *    the primary, and then full: rte_fastmem_init() fails with ENOSPC;
 *  - burst: every lcore allocates and frees bursts of mixed sizes until killed; the
 *    primary kills it with SIGKILL at a random instant, then its trim takes back what the
 *    dead process's caches held: after each kill, nothing is cached any more once the
 *    primary flushed its own caches, the dead process's record is gone, and at most the
 *    bursts in flight (its application's objects) stay in use.
 * EAL's multi-process support needs hugepage files: the test is skipped without them.
 * FASTMEM_MP_KILLS sets the number of killed secondaries (default 100).
 */

#include <errno.h>
#include <fcntl.h>
#include <inttypes.h>
#include <limits.h>
#include <signal.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/socket.h>
#include <sys/un.h>
#include <sys/wait.h>
#include <time.h>
#include <unistd.h>

#include <rte_common.h>
#include <rte_cycles.h>
#include <rte_eal.h>
#include <rte_errno.h>
#include <rte_launch.h>
#include <rte_lcore.h>
#include <rte_memzone.h>

#include <rte_fastmem.h>

#include "test.h"
#include "test_fastmem.h"

#define MP_XCHG_MZ "fastmem_mp_xchg"
#define MP_OBJS 192 /* objects handed over each way */
#define MP_GROW_OBJS 48 /* objects of MP_GROW_SIZE each lcore of each process grows by */
#define MP_GROW_SIZE ((size_t)48 << 10)
#define MP_BURST 32 /* the largest burst of the burst child */
#define MP_KILLS 100
#define MP_WARM_ITERS 2000 /* bursts each lcore of the burst child runs before it is ready */
#define MP_CHILD_SECONDS 120 /* the burst child gives up after this long */
#define MP_LCORES 64 /* the most lcores the test runs with (the growth race's tables) */

/* What the processes exchange, in a memzone of the primary's. */
struct mp_xchg {
	rte_fastmem_handle_t handle; /* of MP_HANDLE_SIZE, looked up by the primary */
	uint32_t n_down; /* primary -> secondary */
	void *down[MP_OBJS];
	size_t down_size[MP_OBJS];
	uint32_t n_up; /* secondary -> primary */
	void *up[MP_OBJS];
	size_t up_size[MP_OBJS];
	/* growth race: both processes' lcores start when go is set */
	uint32_t go;
	uint32_t grow_retries; /* allocations of the race that failed and were retried */
	double hit_child[2]; /* the secondary's cache-hit costs (mp_hit_cost()) */
	/* by lcore index: the same lcores in both processes */
	void *grow_own[MP_LCORES][MP_GROW_OBJS]; /* the primary's */
	void *grow_child[MP_LCORES][MP_GROW_OBJS];
	uint32_t grow_child_n[MP_LCORES];
	/* burst child: its lcores, and how many are past the warm-up */
	uint32_t burst_lcores;
	uint32_t burst_warm;
	/* limits child: the limit the primary set, the one it sets, what it reserves */
	size_t limit;
	size_t limit_child;
	size_t reserve_child;
	/* hold children: how many attached; they detach and exit once release is set */
	uint32_t held;
	uint32_t release;
};

#define MP_HANDLE_SIZE 1000

static const size_t mp_sizes[] = { 8, 64, 200, 1000, 1500, 4096, 9000, 40000 };

/* The byte pattern of object i of a side (0: the primary's, 1: the secondary's). */
static uint8_t
mp_pattern(unsigned int side, unsigned int i)
{
	return (uint8_t)(0x5a ^ (side * 0x81) ^ i);
}

static void
mp_fill(void *obj, size_t size, uint8_t v)
{
	memset(obj, v, size);
}

static int
mp_check(const void *obj, size_t size, uint8_t v)
{
	const uint8_t *p = obj;
	size_t i;

	for (i = 0; i < size; i++)
		if (p[i] != v)
			return -1;
	return 0;
}

static struct mp_xchg *
mp_xchg_get(void)
{
	const struct rte_memzone *mz = rte_memzone_lookup(MP_XCHG_MZ);

	return mz != NULL ? mz->addr : NULL;
}

/* --- the secondaries --- */

/*
 * A secondary that rte_fastmem_init() must refuse with err; the statistics calls then
 * fail with ENODEV (they attach on first use, and the attach is refused as well).
 */
static int
mp_child_refused(int err, const char *name)
{
	struct rte_fastmem_stats s;
	int ret;

	ret = rte_fastmem_init();
	if (ret != -err || rte_errno != err) {
		printf("rte_fastmem_init() = %d, rte_errno %d, not -%d (%s)\n", ret, rte_errno,
			err, rte_strerror(err));
		return TEST_FAILED;
	}
	ret = rte_fastmem_stats(&s);
	if (ret != -ENODEV) {
		printf("rte_fastmem_stats() = %d, not -ENODEV\n", ret);
		return TEST_FAILED;
	}
	printf("%s: ok\n", name);
	return TEST_SUCCESS;
}

static int
mp_child_noinit(void)
{
	return mp_child_refused(ENOENT, "fastmem_mp_child_noinit");
}
REGISTER_TEST_COMMAND(fastmem_mp_child_noinit, mp_child_noinit);

/*
 * A secondary of another fastmem layout than its primary's (devtools/check-mp-layout.sh
 * starts it from the debug build against a primary of the release build): refused.
 */
static int
mp_child_layout(void)
{
	return mp_child_refused(EPROTO, "fastmem_mp_child_layout");
}
REGISTER_TEST_COMMAND(fastmem_mp_child_layout, mp_child_layout);

/* Attach and stay attached until the primary says release; then detach. */
static int
mp_child_hold(void)
{
	struct mp_xchg *x = mp_xchg_get();
	/* past the primary's wait for every holder to attach (mp_test_full()) */
	uint64_t deadline = rte_get_timer_cycles() + 2 * MP_CHILD_SECONDS * rte_get_timer_hz();
	int ret;

	TEST_ASSERT_NOT_NULL(x, "no exchange area");
	ret = rte_fastmem_init();
	if (ret != 0) {
		printf("rte_fastmem_init() = %d\n", ret);
		return TEST_FAILED;
	}
	__atomic_fetch_add(&x->held, 1, __ATOMIC_RELEASE);
	while (!__atomic_load_n(&x->release, __ATOMIC_ACQUIRE)) {
		TEST_ASSERT(rte_get_timer_cycles() < deadline, "never released");
		rte_delay_us_sleep(1000);
	}
	rte_fastmem_deinit();
	printf("fastmem_mp_child_hold: ok\n");
	return TEST_SUCCESS;
}
REGISTER_TEST_COMMAND(fastmem_mp_child_hold, mp_child_hold);

/* The primary's limit holds here; this process's limit and reservation hold there. */
static int
mp_child_limits(void)
{
	struct mp_xchg *x = mp_xchg_get();
	int socket = (int)rte_lcore_to_socket_id(rte_get_main_lcore());
	size_t limit;

	TEST_ASSERT_NOT_NULL(x, "no exchange area");
	TEST_ASSERT_SUCCESS(rte_fastmem_init(), "attach");
	limit = rte_fastmem_get_limit(socket);
	TEST_ASSERT_EQUAL(limit, x->limit, "limit %zu, the primary set %zu", limit, x->limit);
	TEST_ASSERT_SUCCESS(rte_fastmem_reserve(x->reserve_child, socket), "reserve");
	TEST_ASSERT_SUCCESS(rte_fastmem_set_limit(socket, x->limit_child), "set limit");
	rte_fastmem_deinit();
	printf("fastmem_mp_child_limits: ok\n");
	return TEST_SUCCESS;
}
REGISTER_TEST_COMMAND(fastmem_mp_child_limits, mp_child_limits);

/* With every record of the process table taken: refused. */
static int
mp_child_full(void)
{
	return mp_child_refused(ENOSPC, "fastmem_mp_child_full");
}
REGISTER_TEST_COMMAND(fastmem_mp_child_full, mp_child_full);

/*
 * An object of the growth race. EAL's own allocations from two processes at once can
 * fail: a process's memory hotplug syncs with every other process and gives up after
 * EAL's multi-process timeout ("Could not send sync request to secondary process") when
 * the other is allocating too; fastmem's growth then fails with ENOMEM. Retried, and
 * counted.
 */
static void *
mp_grow_one(struct mp_xchg *x)
{
	unsigned int tries;
	void *p = NULL;

	for (tries = 0; tries < 100 && p == NULL; tries++) {
		p = rte_fastmem_alloc(MP_GROW_SIZE, 0, 0);
		if (p == NULL) {
			__atomic_fetch_add(&x->grow_retries, 1, __ATOMIC_RELAXED);
			rte_delay_us_sleep(100 * 1000);
		}
	}
	return p;
}

/*
 * Each lcore of each process grows the socket, all at once once go is set: its objects
 * hold its side's pattern and go to its process's table (the secondary counts its own).
 */
static int
mp_grow(void *arg)
{
	struct mp_xchg *x = arg;
	unsigned int l = (unsigned int)rte_lcore_index(rte_lcore_id()), i;
	unsigned int side = rte_eal_process_type() == RTE_PROC_PRIMARY ? 0 : 1;

	while (__atomic_load_n(&x->go, __ATOMIC_ACQUIRE) == 0)
		rte_pause();
	for (i = 0; i < MP_GROW_OBJS; i++) {
		void *p = mp_grow_one(x);

		if (p == NULL)
			break;
		mp_fill(p, MP_GROW_SIZE, mp_pattern(side, l));
		if (side == 0)
			x->grow_own[l][i] = p;
		else
			x->grow_child[l][i] = p;
	}
	if (side == 1)
		x->grow_child_n[l] = i;
	return i == MP_GROW_OBJS ? 0 : -1;
}

/*
 * The cost of the cache-hit paths in this process, cycles per alloc + free pair, the best
 * of 7 rounds: [0] rte_fastmem_alloc() + rte_fastmem_free() of 64 B, [1] halloc + hfree
 * with the primary's handle. Printed next to the other process's, never asserted.
 */
static void
mp_hit_cost(const struct mp_xchg *x, double cost[2])
{
	const unsigned int pairs = 100000;
	unsigned int r, i, k;

	for (k = 0; k < 2; k++) {
		cost[k] = 1e30;
		for (r = 0; r < 7; r++) {
			uint64_t t = rte_rdtsc();

			for (i = 0; i < pairs; i++) {
				void *p;

				if (k == 0) {
					p = rte_fastmem_alloc(64, 0, 0);
					rte_fastmem_free(p);
				} else {
					p = rte_fastmem_halloc(x->handle, 0);
					rte_fastmem_hfree(x->handle, p);
				}
			}
			cost[k] = RTE_MIN(cost[k], (double)(rte_rdtsc() - t) / pairs);
		}
	}
}

static int
mp_child_xchg(void)
{
	struct rte_fastmem_proc_stats ps;
	void *bulk[MP_OBJS], *keep[64];
	unsigned int i, n_bulk = 0, lcore_id;
	struct mp_xchg *x;
	int ret;

	x = mp_xchg_get();
	TEST_ASSERT_NOT_NULL(x, "no exchange memzone");
	/* the statistics calls attach on first use */
	TEST_ASSERT_SUCCESS(rte_fastmem_stats_procs(&ps), "stats before init");
	TEST_ASSERT_EQUAL(ps.attached, 2u, "%u processes attached", ps.attached);
	TEST_ASSERT_EQUAL(rte_fastmem_init(), -EBUSY, "second init");

	/* the primary's objects: intact, freed here with every kind of free */
	for (i = 0; i < x->n_down; i++) {
		TEST_ASSERT_SUCCESS(mp_check(x->down[i], x->down_size[i], mp_pattern(0, i)),
			"object %u of the primary (%zu B) damaged", i, x->down_size[i]);
		switch (i % 3) {
		case 0:
			rte_fastmem_free(x->down[i]);
			break;
		case 1:
			bulk[n_bulk++] = x->down[i];
			break;
		default:
			/* allocated by the primary with its handle: valid here too */
			rte_fastmem_hfree(x->handle, x->down[i]);
		}
	}
	rte_fastmem_free_bulk(bulk, n_bulk);

	/* objects for the primary */
	for (i = 0; i < MP_OBJS; i++) {
		size_t size = i % 3 == 2 ? MP_HANDLE_SIZE : mp_sizes[i % RTE_DIM(mp_sizes)];

		if (i % 3 == 0)
			x->up[i] = rte_fastmem_alloc(size, 0, 0);
		else if (i % 3 == 1)
			TEST_ASSERT_SUCCESS(rte_fastmem_alloc_bulk(&x->up[i], 1, size, 0, 0),
				"alloc_bulk");
		else
			x->up[i] = rte_fastmem_halloc(x->handle, 0);
		TEST_ASSERT_NOT_NULL(x->up[i], "alloc %u", i);
		x->up_size[i] = size;
		mp_fill(x->up[i], size, mp_pattern(1, i));
	}
	x->n_up = MP_OBJS;

	/* growth, on every lcore of both processes at once */
	rte_eal_mp_remote_launch(mp_grow, x, CALL_MAIN);
	ret = 0;
	RTE_LCORE_FOREACH(lcore_id)
		if (lcore_id != rte_get_main_lcore() && rte_eal_wait_lcore(lcore_id) != 0)
			ret = -1;
	TEST_ASSERT_SUCCESS(ret, "a secondary lcore could not grow");
	mp_hit_cost(x, x->hit_child);

	/* objects in this process's caches when it detaches */
	TEST_ASSERT_SUCCESS(rte_fastmem_alloc_bulk(keep, RTE_DIM(keep), 256, 0, 0), "keep");
	rte_fastmem_free_bulk(keep, RTE_DIM(keep));
	rte_fastmem_deinit();
	/* attach again, cache objects, and exit without a deinit: the primary's next trim
	 * finds this process gone */
	TEST_ASSERT_SUCCESS(rte_fastmem_init(), "attach again");
	TEST_ASSERT_SUCCESS(rte_fastmem_alloc_bulk(keep, RTE_DIM(keep), 256, 0, 0), "keep");
	rte_fastmem_free_bulk(keep, RTE_DIM(keep));
	printf("fastmem_mp_child_xchg: ok\n");
	return TEST_SUCCESS;
}
REGISTER_TEST_COMMAND(fastmem_mp_child_xchg, mp_child_xchg);

static int
mp_burst_worker(void *arg)
{
	struct mp_xchg *x = arg;
	static const size_t sizes[] = { 64, 200, 1024, 4096 };
	uint64_t r = rte_rdtsc() * 0x9e3779b97f4a7c15ULL + rte_lcore_id();
	uint64_t end = rte_get_timer_cycles() + MP_CHILD_SECONDS * rte_get_timer_hz();
	void *objs[MP_BURST];
	unsigned long it;

	for (it = 0;; it++) {
		unsigned int n, i, mode;
		size_t size;

		r ^= r << 13;
		r ^= r >> 7;
		r ^= r << 17;
		n = 1 + (unsigned int)(r % MP_BURST);
		size = sizes[(r >> 8) % RTE_DIM(sizes)];
		mode = (unsigned int)((r >> 16) % 3);
		if (mode == 2)
			size = MP_HANDLE_SIZE;
		if (mode == 0) {
			if (rte_fastmem_alloc_bulk(objs, n, size, 0, 0) != 0)
				return -1;
		} else if (mode == 1) {
			for (i = 0; i < n; i++)
				if ((objs[i] = rte_fastmem_alloc(size, 0, 0)) == NULL)
					return -1;
		} else if (rte_fastmem_halloc_bulk(x->handle, objs, n, 0) != 0) {
			return -1;
		}
		for (i = 0; i < n; i++)
			memset(objs[i], (int)i, 16);
		if (mode == 0)
			rte_fastmem_free_bulk(objs, n);
		else if (mode == 1)
			for (i = 0; i < n; i++)
				rte_fastmem_free(objs[i]);
		else
			rte_fastmem_hfree_bulk(x->handle, objs, n);
		if (it == MP_WARM_ITERS)
			__atomic_fetch_add(&x->burst_warm, 1, __ATOMIC_RELEASE);
		if ((it & 1023) == 0 && rte_get_timer_cycles() > end)
			return -1;
	}
	return 0;
}

static int
mp_child_burst(void)
{
	struct mp_xchg *x = mp_xchg_get();

	if (x == NULL || rte_fastmem_init() != 0)
		return TEST_FAILED;
	__atomic_store_n(&x->burst_lcores, rte_lcore_count(), __ATOMIC_RELAXED);
	rte_eal_mp_remote_launch(mp_burst_worker, x, CALL_MAIN);
	rte_eal_mp_wait_lcore();
	printf("fastmem_mp_child_burst: was not killed\n");
	return TEST_FAILED;
}
REGISTER_TEST_COMMAND(fastmem_mp_child_burst, mp_child_burst);

/* --- the primary --- */

static char mp_log[PATH_MAX + 32];

/* Start a secondary running cmd, its output in mp_log; returns its pid or -1. */
static pid_t
mp_spawn(const char *cmd)
{
	char *argv[TEST_SECONDARY_ARGC];
	pid_t pid;
	int fd;

	/* this process's file prefix and lcore ids */
	test_secondary_argv(argv, cmd);
	fflush(stdout);
	fflush(stderr);
	pid = fork();
	if (pid != 0)
		return pid;
	fd = open(mp_log, O_WRONLY | O_CREAT | O_TRUNC | O_CLOEXEC, 0644);
	if (fd >= 0) {
		dup2(fd, STDOUT_FILENO);
		dup2(fd, STDERR_FILENO);
	}
	execv("/proc/self/exe", argv);
	_exit(127);
}

/* Wait for a secondary; its exit status, 128 + the signal that ended it, or -1. */
static int
mp_wait(pid_t pid)
{
	int status;

	while (waitpid(pid, &status, 0) < 0)
		if (errno != EINTR)
			return -1;
	if (WIFSIGNALED(status))
		return 128 + WTERMSIG(status);
	return WIFEXITED(status) ? WEXITSTATUS(status) : -1;
}


/* The end of the last secondary's output, NUL-terminated, in buf. */
static void
mp_log_tail(char *buf, size_t size)
{
	ssize_t n = 0;
	off_t end;
	int fd = open(mp_log, O_RDONLY);

	buf[0] = '\0';
	if (fd < 0)
		return;
	end = lseek(fd, 0, SEEK_END);
	if (lseek(fd, end > (off_t)size - 1 ? end - (off_t)size + 1 : 0, SEEK_SET) >= 0)
		n = read(fd, buf, size - 1);
	close(fd);
	buf[RTE_MAX(n, (ssize_t)0)] = '\0';
}

/* Print the end of the last secondary's output. */
static void
mp_show_log(void)
{
	char buf[4096];

	mp_log_tail(buf, sizeof(buf));
	printf("the secondary's output ended with:\n%s\n", buf);
}

/*
 * Whether the last secondary ended because EAL could not start it: with AddressSanitizer,
 * the shadow memory and allocator of a new process may take part of the address range
 * the primary's memory is at ("Cannot reserve ... bytes at [address]"), so that its EAL
 * cannot map it. Such a secondary is started again (counted in mp_eal_retries).
 */
static unsigned int mp_eal_retries;

static bool
mp_eal_failed(void)
{
	char buf[4096];

	mp_log_tail(buf, sizeof(buf));
	if (strstr(buf, "cannot initialise EAL") == NULL)
		return false;
	mp_eal_retries++;
	return mp_eal_retries < 100;
}

static int
mp_run(const char *cmd, const char *ok)
{
	char buf[4096];
	int ret;

	do
		ret = mp_wait(mp_spawn(cmd));
	while (ret != 0 && mp_eal_failed());
	mp_log_tail(buf, sizeof(buf));
	if (ret != 0 || strstr(buf, ok) == NULL) {
		printf("%s: exit status %d; its output ended with:\n%s\n", cmd, ret, buf);
		return -1;
	}
	return 0;
}

static int
mp_flush_worker(void *arg __rte_unused)
{
	rte_fastmem_cache_flush();
	return 0;
}

/* Every lcore of this process empties its caches (and the transfer caches). */
static void
mp_flush_all(void)
{
	rte_eal_mp_remote_launch(mp_flush_worker, NULL, CALL_MAIN);
	rte_eal_mp_wait_lcore();
}

static int
ptr_cmp(const void *a, const void *b)
{
	uintptr_t x = *(const uintptr_t *)a, y = *(const uintptr_t *)b;

	return x < y ? -1 : x > y;
}

/* Objects cross both ways, growth races, the secondary detaches. */
static int
mp_test_xchg(struct mp_xchg *x)
{
	static void *all[2 * MP_LCORES * MP_GROW_OBJS];
	struct rte_fastmem_proc_stats ps;
	struct rte_fastmem_stats s;
	unsigned int i, l, n_all = 0;
	void *bulk[MP_OBJS];
	double hit[2];
	unsigned int n_bulk = 0;
	pid_t pid;
	int ret = 0;

	for (i = 0; i < MP_OBJS; i++) {
		size_t size = i % 3 == 2 ? MP_HANDLE_SIZE : mp_sizes[i % RTE_DIM(mp_sizes)];

		x->down[i] = i % 3 == 2 ? rte_fastmem_halloc(x->handle, 0) :
				rte_fastmem_alloc(size, 0, 0);
		TEST_ASSERT_NOT_NULL(x->down[i], "alloc %u", i);
		x->down_size[i] = size;
		mp_fill(x->down[i], size, mp_pattern(0, i));
	}
	x->n_down = MP_OBJS;

	/* the primary's workers grow with the secondary's lcores */
	rte_eal_mp_remote_launch(mp_grow, x, SKIP_MAIN);
	for (;;) {
		pid = mp_spawn("fastmem_mp_child_xchg");
		TEST_ASSERT(pid > 0, "cannot start the secondary");
		/* go once the secondary's objects are there (it launches its growth then) */
		while (__atomic_load_n(&x->n_up, __ATOMIC_ACQUIRE) == 0 &&
				(ret = waitpid(pid, NULL, WNOHANG)) == 0)
			rte_delay_us_sleep(100);
		if (__atomic_load_n(&x->n_up, __ATOMIC_ACQUIRE) != 0 || ret != pid ||
				!mp_eal_failed())
			break;
	}
	__atomic_store_n(&x->go, 1, __ATOMIC_RELEASE);
	ret = mp_grow(x);
	RTE_LCORE_FOREACH_WORKER(l)
		if (rte_eal_wait_lcore(l) != 0)
			ret = -1;
	TEST_ASSERT_SUCCESS(ret, "a primary lcore could not grow");
	ret = __atomic_load_n(&x->n_up, __ATOMIC_ACQUIRE) != 0 ? mp_wait(pid) : -1;
	if (ret != 0)
		mp_show_log();
	TEST_ASSERT_EQUAL(ret, 0, "the secondary failed");

	/* the cache-hit paths cost the same in both processes */
	mp_hit_cost(x, hit);
	printf("cache hits, cycles per alloc + free pair, best of 7 rounds: 64 B generic:"
		" primary %.1f, secondary %.1f (%.2fx); 1000 B handle: primary %.1f, secondary"
		" %.1f (%.2fx)\n", hit[0], x->hit_child[0], x->hit_child[0] / hit[0], hit[1],
		x->hit_child[1], x->hit_child[1] / hit[1]);

	/* it detached (its caches came back), attached again and exited without a deinit:
	 * its record stays until a trim finds it gone and takes back what it cached */
	TEST_ASSERT_SUCCESS(rte_fastmem_stats_procs(&ps), "procs");
	TEST_ASSERT_EQUAL(ps.attached, 2u, "%u processes attached after the exit",
		ps.attached);
	TEST_ASSERT(rte_fastmem_trim(SOCKET_ID_ANY, NULL) >= 0, "trim");
	TEST_ASSERT_SUCCESS(rte_fastmem_stats_procs(&ps), "procs");
	TEST_ASSERT_EQUAL(ps.attached, 1u, "%u processes attached after the trim",
		ps.attached);
	TEST_ASSERT_EQUAL(ps.reclaimed, 1u, "%" PRIu64 " processes reclaimed", ps.reclaimed);
	TEST_ASSERT(ps.objs_reclaimed >= 64, "%" PRIu64 " objects reclaimed",
		ps.objs_reclaimed);
	mp_flush_all();
	TEST_ASSERT_SUCCESS(rte_fastmem_stats(&s), "stats");
	TEST_ASSERT_EQUAL(s.bytes_cached, 0u, "%" PRIu64 " B cached after the detach and a"
		" flush", s.bytes_cached);
	TEST_ASSERT_SUCCESS(test_fastmem_check_accounting("after the exit", NULL), "accounting");

	/* the secondary's objects, freed here with every kind of free */
	TEST_ASSERT_EQUAL(x->n_up, MP_OBJS, "objects from the secondary");
	for (i = 0; i < x->n_up; i++) {
		TEST_ASSERT_SUCCESS(mp_check(x->up[i], x->up_size[i], mp_pattern(1, i)),
			"object %u of the secondary (%zu B) damaged", i, x->up_size[i]);
		if (i % 3 == 0)
			rte_fastmem_free(x->up[i]);
		else if (i % 3 == 1)
			bulk[n_bulk++] = x->up[i];
		else
			rte_fastmem_hfree(x->handle, x->up[i]);
	}
	rte_fastmem_free_bulk(bulk, n_bulk);

	/* the growth race: every object distinct, every content intact */
	for (l = 0; l < rte_lcore_count(); l++) {
		for (i = 0; i < MP_GROW_OBJS; i++) {
			TEST_ASSERT_SUCCESS(mp_check(x->grow_own[l][i], MP_GROW_SIZE,
				mp_pattern(0, l)), "primary lcore index %u: object %u damaged", l, i);
			all[n_all++] = x->grow_own[l][i];
		}
		TEST_ASSERT_EQUAL(x->grow_child_n[l], MP_GROW_OBJS, "secondary lcore index %u grew"
			" %u objects", l, x->grow_child_n[l]);
		for (i = 0; i < MP_GROW_OBJS; i++) {
			TEST_ASSERT_SUCCESS(mp_check(x->grow_child[l][i], MP_GROW_SIZE,
				mp_pattern(1, l)), "secondary lcore index %u: object %u damaged", l, i);
			/* the zone map knows the zones the secondary grew */
			TEST_ASSERT(rte_fastmem_virt2iova(x->grow_child[l][i]) != RTE_BAD_IOVA,
				"no IOVA for an object of a zone the secondary grew");
			all[n_all++] = x->grow_child[l][i];
		}
	}
	/* and tells fastmem's memory from the exchange area's, a memzone of EAL's */
	TEST_ASSERT_EQUAL(rte_fastmem_virt2iova(x), RTE_BAD_IOVA, "IOVA of a foreign pointer");
	TEST_ASSERT_EQUAL(rte_errno, EINVAL, "rte_errno %d for a foreign pointer", rte_errno);
	qsort(all, n_all, sizeof(all[0]), ptr_cmp);
	for (i = 1; i < n_all; i++)
		TEST_ASSERT((uintptr_t)all[i] - (uintptr_t)all[i - 1] >= MP_GROW_SIZE,
			"objects %p and %p overlap", all[i - 1], all[i]);
	rte_fastmem_free_bulk(all, n_all);
	mp_flush_all();
	TEST_ASSERT_SUCCESS(rte_fastmem_stats(&s), "stats");
	TEST_ASSERT_EQUAL(s.bytes_in_use, 0u, "%" PRIu64 " B in use at the end", s.bytes_in_use);
	TEST_ASSERT_EQUAL(s.bytes_cached, 0u, "%" PRIu64 " B cached at the end", s.bytes_cached);
	TEST_ASSERT_SUCCESS(test_fastmem_check_accounting("after the exchange", NULL),
		"accounting");
	printf("xchg: %u objects to the secondary and %u back (alloc, bulk, handle), %u objects"
		" of %zu B grown by both at once (%u allocations retried after EAL failed);"
		" %" PRIu64 " B of backing\n", MP_OBJS, MP_OBJS, n_all, MP_GROW_SIZE,
		x->grow_retries, s.bytes_backing);
	return TEST_SUCCESS;
}

/*
 * The reply of this process's telemetry socket to cmd, NUL-terminated in buf (at least
 * 16 KiB, telemetry's largest reply); -1 when there is no socket (--no-telemetry).
 */
static int
mp_tel_query(const char *cmd, char *buf, size_t size)
{
	struct sockaddr_un sun = { .sun_family = AF_UNIX };
	ssize_t n;
	int fd;

	if ((size_t)snprintf(sun.sun_path, sizeof(sun.sun_path), "%s/dpdk_telemetry.v2",
			rte_eal_get_runtime_dir()) >= sizeof(sun.sun_path))
		return -1;
	fd = socket(AF_UNIX, SOCK_SEQPACKET | SOCK_CLOEXEC, 0);
	if (fd < 0)
		return -1;
	if (connect(fd, (struct sockaddr *)&sun, sizeof(sun)) < 0 ||
			read(fd, buf, size - 1) <= 0 || /* the greeting */
			write(fd, cmd, strlen(cmd)) < 0 || (n = read(fd, buf, size - 1)) <= 0) {
		close(fd);
		return -1;
	}
	close(fd);
	buf[n] = '\0';
	return 0;
}

/* The number after "key": in a telemetry reply, or UINT64_MAX. */
static uint64_t
mp_tel_u64(const char *reply, const char *key)
{
	char pat[64];
	const char *p;

	snprintf(pat, sizeof(pat), "\"%s\":", key);
	p = strstr(reply, pat);
	return p != NULL ? strtoull(p + strlen(pat), NULL, 10) : UINT64_MAX;
}

/* How many times needle is in haystack. */
static unsigned int
mp_count(const char *haystack, const char *needle)
{
	unsigned int n = 0;

	for (; (haystack = strstr(haystack, needle)) != NULL; haystack += strlen(needle))
		n++;
	return n;
}

/*
 * With the table full: the primary's telemetry lists every process, and its totals are
 * the statistics calls'.
 */
static int
mp_check_telemetry(const pid_t *pids, unsigned int n)
{
	static char buf[32768];
	struct rte_fastmem_stats s;
	char pid[32];
	unsigned int i;

	static char list[4096];
	const char *procs, *end;

	snprintf(buf, sizeof(buf), "%s/dpdk_telemetry.v2", rte_eal_get_runtime_dir());
	if (access(buf, F_OK) != 0 && errno == ENOENT) {
		printf("no telemetry socket (--no-telemetry): telemetry not checked\n");
		return TEST_SKIPPED;
	}
	TEST_ASSERT_SUCCESS(mp_tel_query("/fastmem/info", buf, sizeof(buf)), "/fastmem/info");
	TEST_ASSERT_EQUAL(mp_tel_u64(buf, "procs_attached"), n + 1, "/fastmem/info: %s", buf);
	TEST_ASSERT(strstr(buf, "\"proc_type\":\"primary\"") != NULL, "/fastmem/info: %s",
		buf);
	/* the pids, in the array "procs":[p0,p1,...], searched for as ",pid," in
	 * ",p0,p1,...," */
	procs = strstr(buf, "\"procs\":[");
	TEST_ASSERT_NOT_NULL(procs, "/fastmem/info: %s", buf);
	procs += strlen("\"procs\":[");
	end = strchr(procs, ']');
	TEST_ASSERT(end != NULL && (size_t)(end - procs) + 3 <= sizeof(list),
		"/fastmem/info: %s", buf);
	snprintf(list, sizeof(list), ",%.*s,", (int)(end - procs), procs);
	for (i = 0; i < n; i++) {
		snprintf(pid, sizeof(pid), ",%d,", (int)pids[i]);
		TEST_ASSERT(strstr(list, pid) != NULL, "/fastmem/info lists no process %s", pid);
	}
	TEST_ASSERT_SUCCESS(mp_tel_query("/fastmem/procs", buf, sizeof(buf)), "/fastmem/procs");
	TEST_ASSERT_EQUAL(mp_count(buf, "\"type\":\"secondary\""), n,
		"/fastmem/procs: %s", buf);
	TEST_ASSERT_EQUAL(mp_count(buf, "\"type\":\"primary\""), 1u, "/fastmem/procs: %s",
		buf);
	TEST_ASSERT_SUCCESS(mp_tel_query("/fastmem/stats", buf, sizeof(buf)), "/fastmem/stats");
	TEST_ASSERT_SUCCESS(rte_fastmem_stats(&s), "stats");
	TEST_ASSERT(mp_tel_u64(buf, "bytes_backing") == s.bytes_backing &&
		mp_tel_u64(buf, "bytes_in_use") == s.bytes_in_use &&
		mp_tel_u64(buf, "bytes_cached") == s.bytes_cached &&
		mp_tel_u64(buf, "alloc_total") == s.alloc_total &&
		mp_tel_u64(buf, "free_total") == s.free_total &&
		mp_tel_u64(buf, "bytes_free") == s.bytes_free,
		"/fastmem/stats %s, rte_fastmem_stats(): backing %" PRIu64 ", in use %" PRIu64
		", cached %" PRIu64 ", allocs %" PRIu64 ", frees %" PRIu64, buf,
		s.bytes_backing, s.bytes_in_use, s.bytes_cached, s.alloc_total, s.free_total);
	return TEST_SUCCESS;
}

/*
 * RTE_FASTMEM_MAX_PROCS - 1 secondaries attached with the primary: one more is refused
 * with ENOSPC; once they detached, one record is left.
 */
static int
mp_test_full(struct mp_xchg *x)
{
	static pid_t pids[RTE_FASTMEM_MAX_PROCS];
	unsigned int i, n = RTE_FASTMEM_MAX_PROCS - 1, restarts = 0;
	uint64_t deadline = rte_get_timer_cycles() + MP_CHILD_SECONDS * rte_get_timer_hz();
	struct rte_fastmem_proc_stats ps, ps0;
	char log[sizeof(mp_log)];
	int ret = TEST_SUCCESS, status, tel = TEST_SKIPPED;

	TEST_ASSERT_SUCCESS(rte_fastmem_stats_procs(&ps0), "procs");
	TEST_ASSERT_EQUAL(ps0.attached, 1u, "%u processes attached", ps0.attached);
	__atomic_store_n(&x->held, 0, __ATOMIC_RELAXED);
	__atomic_store_n(&x->release, 0, __ATOMIC_RELAXED);
	/* their output, which they write at once, apart from the other secondaries' */
	memcpy(log, mp_log, sizeof(log));
	snprintf(mp_log, sizeof(mp_log), "%s/fastmem_mp_hold.log", rte_eal_get_runtime_dir());
	for (i = 0; i < n; i++)
		pids[i] = mp_spawn("fastmem_mp_child_hold");
	/* every one attached; one that ended first (EAL could not start it) starts again */
	while (__atomic_load_n(&x->held, __ATOMIC_ACQUIRE) < n) {
		for (i = 0; i < n; i++) {
			if (pids[i] <= 0 || waitpid(pids[i], &status, WNOHANG) != pids[i])
				continue;
			if (++restarts > n) {
				pids[i] = 0;
				continue;
			}
			pids[i] = mp_spawn("fastmem_mp_child_hold");
		}
		if (restarts > n || rte_get_timer_cycles() > deadline) {
			printf("%u of %u secondaries attached, %u restarts\n",
				__atomic_load_n(&x->held, __ATOMIC_ACQUIRE), n, restarts);
			ret = TEST_FAILED;
			break;
		}
		rte_delay_us_sleep(10000);
	}
	memcpy(mp_log, log, sizeof(log));
	/* no return before the release: the holders poll the exchange area */
	if (ret == TEST_SUCCESS) {
		if (rte_fastmem_stats_procs(&ps) != 0) {
			printf("rte_fastmem_stats_procs() failed\n");
			ret = TEST_FAILED;
		} else if (ps.attached != RTE_FASTMEM_MAX_PROCS) {
			printf("%u processes attached, not %u\n", ps.attached,
				RTE_FASTMEM_MAX_PROCS);
			ret = TEST_FAILED;
		} else if (mp_run("fastmem_mp_child_full", "fastmem_mp_child_full: ok") != 0) {
			ret = TEST_FAILED;
		} else {
			tel = mp_check_telemetry(pids, n);
			if (tel == TEST_FAILED)
				ret = TEST_FAILED;
		}
	}
	__atomic_store_n(&x->release, 1, __ATOMIC_RELEASE);
	for (i = 0; i < n; i++)
		if (pids[i] > 0 && mp_wait(pids[i]) != 0 && ret == TEST_SUCCESS) {
			printf("a holding secondary failed\n");
			ret = TEST_FAILED;
		}
	TEST_ASSERT_SUCCESS(ret, "process table full");
	/* they detached: their records are free, none was reclaimed */
	TEST_ASSERT_SUCCESS(rte_fastmem_stats_procs(&ps), "procs");
	TEST_ASSERT_EQUAL(ps.attached, 1u, "%u processes attached after the detaches",
		ps.attached);
	TEST_ASSERT_EQUAL(ps.reclaimed, ps0.reclaimed, "%" PRIu64 " reclaimed",
		ps.reclaimed - ps0.reclaimed);
	printf("full: %u secondaries attached with the primary, one more refused with ENOSPC"
		" (%u started again after EAL could not start them); telemetry %s\n", n,
		restarts, tel == TEST_SUCCESS ? "lists all 128 processes, its totals are"
		" rte_fastmem_stats()'s" : "not checked (no socket)");
	return TEST_SUCCESS;
}

/*
 * Limits and reservations are the shared state's: a secondary sees the primary's limit,
 * and the primary the limit and the reservation the secondary set, which its trim keeps.
 */
static int
mp_test_limits(struct mp_xchg *x)
{
	int socket = (int)rte_lcore_to_socket_id(rte_get_main_lcore());
	struct rte_fastmem_stats s;
	size_t limit;

	x->limit = (size_t)1 << 30;
	x->limit_child = (size_t)768 << 20;
	x->reserve_child = (size_t)8 << 20;
	TEST_ASSERT_SUCCESS(rte_fastmem_set_limit(socket, x->limit), "set limit");
	TEST_ASSERT_SUCCESS(mp_run("fastmem_mp_child_limits", "fastmem_mp_child_limits: ok"),
		"the secondary's limits");
	limit = rte_fastmem_get_limit(socket);
	TEST_ASSERT_EQUAL(limit, x->limit_child, "limit %zu, the secondary set %zu", limit,
		x->limit_child);
	TEST_ASSERT(rte_fastmem_trim(socket, NULL) >= 0, "trim");
	TEST_ASSERT_SUCCESS(rte_fastmem_stats(&s), "stats");
	TEST_ASSERT(s.bytes_backing >= x->reserve_child, "%" PRIu64 " B of backing after the"
		" trim, the secondary reserved %zu B", s.bytes_backing, x->reserve_child);
	TEST_ASSERT_SUCCESS(rte_fastmem_set_limit(socket, SIZE_MAX), "no limit");
	printf("limits: the secondary saw the primary's limit; the primary its limit and its"
		" %zu B reservation, kept by a trim\n", x->reserve_child);
	return TEST_SUCCESS;
}

/* Secondaries killed in the middle of bursts; the next trim takes their caches back. */
static int
mp_test_kills(struct mp_xchg *x, unsigned int kills)
{
	struct rte_fastmem_proc_stats ps, ps0;
	struct rte_fastmem_stats s = { 0 };
	uint64_t in_use = 0, in_flight = 0, reclaimed_objs, split_objs = 0;
	unsigned int split_kills = 0;
	int64_t gap = 0, gap0 = 0;
	unsigned int k, child_lcores = rte_lcore_count();
	uint64_t r = rte_rdtsc() | 1;

	TEST_ASSERT_SUCCESS(rte_fastmem_stats_procs(&ps0), "procs");
	for (k = 0; k < kills; k++) {
		uint64_t deadline = rte_get_timer_cycles() + 60 * rte_get_timer_hz();
		pid_t pid;
		int ret = 0;

		__atomic_store_n(&x->burst_warm, 0, __ATOMIC_RELAXED);
		__atomic_store_n(&x->burst_lcores, 0, __ATOMIC_RELAXED);
		pid = mp_spawn("fastmem_mp_child_burst");
		TEST_ASSERT(pid > 0, "cannot start secondary %u", k);
		/* every lcore of it past its warm-up, then a random instant */
		while (__atomic_load_n(&x->burst_lcores, __ATOMIC_RELAXED) == 0 ||
				__atomic_load_n(&x->burst_warm, __ATOMIC_ACQUIRE) <
				__atomic_load_n(&x->burst_lcores, __ATOMIC_RELAXED)) {
			ret = waitpid(pid, NULL, WNOHANG);
			if (ret == pid && __atomic_load_n(&x->burst_lcores, __ATOMIC_RELAXED) == 0 &&
					mp_eal_failed())
				break; /* EAL could not start it: again */
			if (ret != 0 || rte_get_timer_cycles() > deadline) {
				kill(pid, SIGKILL);
				mp_wait(pid);
				mp_show_log();
				TEST_ASSERT(false, "secondary %u ended or hung before its bursts", k);
			}
			rte_delay_us_sleep(200);
		}
		if (ret == pid) {
			k--;
			continue;
		}
		r ^= r << 13;
		r ^= r >> 7;
		r ^= r << 17;
		rte_delay_us_sleep((unsigned int)(r % 20000));
		kill(pid, SIGKILL);
		ret = mp_wait(pid);
		TEST_ASSERT_EQUAL(ret, 128 + SIGKILL, "secondary %u: exit status %d", k, ret);

		/* the next trim takes back its caches */
		TEST_ASSERT(rte_fastmem_trim(SOCKET_ID_ANY, NULL) >= 0, "trim");
		TEST_ASSERT_SUCCESS(rte_fastmem_stats_procs(&ps), "procs");
		TEST_ASSERT_EQUAL(ps.attached, 1u, "after kill %u: %u processes attached", k,
			ps.attached);
		TEST_ASSERT_EQUAL(ps.reclaimed, ps0.reclaimed + k + 1, "after kill %u: %" PRIu64
			" processes reclaimed", k, ps.reclaimed - ps0.reclaimed);
		/* nothing is cached any more, but what the primary's lcores cache */
		mp_flush_all();
		TEST_ASSERT_SUCCESS(rte_fastmem_stats(&s), "stats");
		TEST_ASSERT_EQUAL(s.bytes_cached, 0u, "after kill %u: %" PRIu64 " B cached", k,
			s.bytes_cached);
		/* in use: the objects its lcores had in their hands, at most a burst each */
		TEST_ASSERT(s.bytes_in_use >= in_use, "after kill %u: in use went down", k);
		TEST_ASSERT(s.bytes_in_use - in_use <= (uint64_t)child_lcores * MP_BURST * 4096,
			"after kill %u: %" PRIu64 " B more in use", k, s.bytes_in_use - in_use);
		TEST_ASSERT(s.alloc_total - s.free_total - in_flight <=
			(uint64_t)child_lcores * MP_BURST, "after kill %u: %" PRIu64
			" objects more in use", k, s.alloc_total - s.free_total - in_flight);
		/* exact: what is in use is what the dead processes' lcores took and did not
		 * give back (the primary holds nothing) */
		TEST_ASSERT_EQUAL((int64_t)(s.alloc_total - s.free_total),
			ps.objs_left - ps0.objs_left, "after kill %u: %" PRIu64 " objects in use,"
			" the dead left %" PRId64, k, s.alloc_total - s.free_total,
			ps.objs_left - ps0.objs_left);
		/* and where the backing is: in use + cached + free = backing, per class too,
		 * but for the objects of a cache hit the kill fell in the middle of (between
		 * its store of the cache's length and that of its counter): at most a burst
		 * per lcore */
		TEST_ASSERT_SUCCESS(test_fastmem_check_accounting("after a kill", &gap),
			"after kill %u: accounting", k);
		TEST_ASSERT(RTE_MAX(gap - gap0, gap0 - gap) <= (int64_t)child_lcores * MP_BURST,
			"after kill %u: %" PRId64 " objects miscounted", k, gap - gap0);
		if (gap != gap0) {
			split_kills++;
			split_objs += (uint64_t)RTE_MAX(gap - gap0, gap0 - gap);
		}
		gap0 = gap;
		in_use = s.bytes_in_use;
		in_flight = s.alloc_total - s.free_total;
	}
	TEST_ASSERT_SUCCESS(rte_fastmem_stats_procs(&ps), "procs");
	reclaimed_objs = ps.objs_reclaimed - ps0.objs_reclaimed;
	printf("kills: %u secondaries of %u lcores killed in the middle of bursts, %" PRIu64
		" objects taken back from their caches, %" PRId64 " objects (%" PRIu64 " B) left"
		" in use by them; %" PRIu64 " B of backing; %u secondaries started again after"
		" EAL could not start them; in use + cached + free = backing after every kill,"
		" but for %u kills in the middle of a cache hit (%" PRIu64 " objects of those"
		" hits miscounted)\n", kills, child_lcores, reclaimed_objs,
		ps.objs_left - ps0.objs_left, in_use, s.bytes_backing, mp_eal_retries,
		split_kills, split_objs);
	TEST_ASSERT(kills == 0 || reclaimed_objs > 0, "no object was taken back");
	return TEST_SUCCESS;
}

static int
test_fastmem_mp(void)
{
	const struct rte_memzone *mz;
	unsigned int kills = MP_KILLS;
	struct mp_xchg *x;
	const char *env;
	int ret;

	if (rte_eal_process_type() != RTE_PROC_PRIMARY || !rte_eal_has_hugepages()) {
		printf("fastmem_mp_autotest: needs a primary process with hugepages, skipped\n");
		return TEST_SKIPPED;
	}
	if (rte_lcore_count() > MP_LCORES) {
		printf("fastmem_mp_autotest: more than %u lcores, skipped\n", MP_LCORES);
		return TEST_SKIPPED;
	}
	env = getenv("FASTMEM_MP_KILLS");
	if (env != NULL)
		kills = (unsigned int)strtoul(env, NULL, 10);

	snprintf(mp_log, sizeof(mp_log), "%s/fastmem_mp_child.log", rte_eal_get_runtime_dir());

	/* before the primary initializes fastmem, a secondary has nothing to attach to */
	TEST_ASSERT_SUCCESS(mp_run("fastmem_mp_child_noinit", "fastmem_mp_child_noinit: ok"),
		"secondary before init");

	mz = rte_memzone_reserve(MP_XCHG_MZ, sizeof(*x), SOCKET_ID_ANY, 0);
	TEST_ASSERT_NOT_NULL(mz, "no memory for the exchange area");
	x = mz->addr;
	memset(x, 0, sizeof(*x));
	ret = test_fm_setup();
	if (ret != TEST_SUCCESS)
		goto out;
	ret = rte_fastmem_hlookup(MP_HANDLE_SIZE, 0, SOCKET_ID_ANY, &x->handle);
	if (ret != 0) {
		printf("hlookup: %d\n", ret);
		ret = TEST_FAILED;
		goto out_fm;
	}
	ret = mp_test_xchg(x);
	if (ret == TEST_SUCCESS)
		ret = mp_test_full(x);
	if (ret == TEST_SUCCESS)
		ret = mp_test_limits(x);
	if (ret == TEST_SUCCESS)
		ret = mp_test_kills(x, kills);
out_fm:
	test_fm_teardown();
out:
	rte_memzone_free(mz);
	return ret;
}

REGISTER_FAST_TEST(fastmem_mp_autotest, false, true, test_fastmem_mp);
