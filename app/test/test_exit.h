/* SPDX-License-Identifier: BSD-3-Clause
 * Copyright(c) 2026 The dpdk-lcoremem authors
 */

#ifndef TEST_EXIT_H
#define TEST_EXIT_H

/*
 * Exit with threads running: a process that returns from main() or calls exit() while its
 * worker lcores still run must exit cleanly, whatever those workers are doing. The tests
 * run a child dpdk-test that starts busy workers and exits under them, many times over, in
 * each of EAL's memory modes.
 */

/**
 * Run the test command @p child (which must call exit(0) itself once its workers are
 * busy) in @p runs child processes for each memory mode: the default (dynamic memory),
 * --in-memory and --legacy-mem, with hugepages when this process has them, else with
 * --no-huge. Every child must exit with status 0.
 *
 * @return
 *   TEST_SUCCESS or TEST_FAILED (the failing child's output is printed).
 */
int test_exit_runs(const char *child, unsigned int runs);

/**
 * In a child: wait until @p n workers have called test_exit_worker_started(), let them run
 * a little longer (a pseudo-random 0 to 2 ms), then call exit(0) under them.
 */
void test_exit_under_workers(unsigned int n);

/** In a worker of a child: say that this worker now runs its busy loop. */
void test_exit_worker_started(void);

#endif /* TEST_EXIT_H */
