/* SPDX-License-Identifier: BSD-3-Clause
 * Copyright(c) 2026 The dpdk-lcoremem authors
 */

#ifndef TEST_FASTMEM_H
#define TEST_FASTMEM_H

/* Helpers shared by the fastmem test files, defined in test_fastmem.c. */

#include <stdint.h>

#include "test.h"

/** The concurrency suite, also run on its own as fastmem_concurrent_autotest. */
extern struct unit_test_suite fastmem_concurrent_suite;

/**
 * Check that fastmem holds no live object and no object in any cache: the global and
 * per-class statistics say nothing is in use and every slab is back in the free pool.
 * Prints what is wrong; returns TEST_SUCCESS or TEST_FAILED.
 */
int test_fastmem_check_idle(void);

/**
 * test_fastmem_check_idle() where fastmem keeps in-use counts (RTE_LIBRTE_FASTMEM_STATS).
 * Built without them, only what is kept: nothing cached, every slab back in the pool.
 * Returns TEST_SUCCESS or TEST_FAILED.
 */
int test_fastmem_check_drained(void);

/**
 * Check where the backing memory is, each part counted by its own layer: in use + cached
 * + free in runs + free pages + overhead == backing (rte_fastmem_stats()), and per class,
 * the runs' room less their free objects == in use + cached, the cached objects being
 * the transfer caches' and this process's lcore caches' (when other processes cache
 * objects of a class, only their sum is checked). To call while no thread allocates or
 * frees; with RTE_LIBRTE_FASTMEM_STATS (the in-use counts), else it checks nothing.
 * With gap not NULL and nothing cached by other processes, the classes may be off: *gap
 * receives the objects counted in use or cached less those the runs have out, summed
 * over the classes (what processes killed between the two stores of a cache hit leave,
 * the guide's "What survives a crash"), and the bytes must be off by exactly as much.
 * Prints what is wrong, with when; returns TEST_SUCCESS or TEST_FAILED.
 */
int test_fastmem_check_accounting(const char *when, int64_t *gap);

/**
 * rte_thread_register() and rte_thread_unregister() of a non-EAL thread, taken under one
 * mutex, so that ThreadSanitizer sees what EAL's own (uninstrumented) lock orders: the
 * unregistration of an lcore id before its next registration by another thread.
 * test_fastmem_thread_register() returns what rte_thread_register() returns.
 */
int test_fastmem_thread_register(void);
void test_fastmem_thread_unregister(void);

/**
 * Test case setup: rte_fastmem_init(), printing why it failed.
 * Returns TEST_SUCCESS or TEST_FAILED.
 */
int test_fm_setup(void);

/** Test case teardown: rte_fastmem_deinit(). */
void test_fm_teardown(void);

/**
 * The class size that serves a request, computed from rte_fastmem_classes() as
 * rte_fastmem.h states it (a reference, independent of the library's lookup): the
 * smallest class at least max(size, 1) rounded up to a multiple of align (0: a cache
 * line). 0 when no class is that large.
 */
size_t test_fastmem_class(size_t size, size_t align);

/** The alignment rte_fastmem.h promises objects of a class: the largest power of two
 * dividing its size. */
static inline size_t
test_fastmem_class_align(size_t class_size)
{
	return class_size & -class_size;
}

#endif /* TEST_FASTMEM_H */
