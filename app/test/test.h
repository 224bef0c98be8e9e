/* SPDX-License-Identifier: BSD-3-Clause
 * Copyright(c) 2026 The dpdk-lcoremem authors
 */

#ifndef TEST_H
#define TEST_H

/*
 * The autotest framework of dpdk-test.
 *
 * Its names and shapes follow DPDK's own app/test, so that a test file written here
 * compiles unchanged in DPDK's tree: a test is a function returning TEST_SUCCESS,
 * TEST_SKIPPED or TEST_FAILED, registered by name with one of the REGISTER_*_TEST macros;
 * larger tests group cases into a struct unit_test_suite run by unit_test_suite_runner().
 *
 * app/test/meson.build reads the REGISTER_*_TEST lines of the sources to turn every test
 * into a `meson test` entry of the matching suite, so keep each registration on one line.
 */

#include <stdbool.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/queue.h>

#include <rte_common.h>
#include <rte_log.h>

/*
 * What tests written for a later DPDK use and DPDK 22.11 lacks, so that they build here
 * unchanged: RTE_CACHE_GUARD (DPDK 23.03), a member of empty cache lines that keeps the
 * hardware prefetcher from pulling the next structure's line in.
 */
#ifndef RTE_CACHE_GUARD
#define TEST_CACHE_GUARD_MEMBER(n) char test_cache_guard_ ## n[RTE_CACHE_LINE_SIZE] \
	__rte_cache_aligned
#define TEST_CACHE_GUARD_NAMED(n) TEST_CACHE_GUARD_MEMBER(n)
#define RTE_CACHE_GUARD TEST_CACHE_GUARD_NAMED(__COUNTER__)
#endif

/** Return value of a test or test case that passed. */
#define TEST_SUCCESS EXIT_SUCCESS
/** Return value of a test or test case that failed. */
#define TEST_FAILED -1
/** Return value of a test or test case that could not run here (the exit status automake uses). */
#define TEST_SKIPPED 77

/** Print a line of test output, prefixed with the source location. */
#define TEST_TRACE_FAILURE(file, line, func) \
	printf("Test assert %s line %d failed (%s): ", (file), (line), (func))

/**
 * Fail the test (return TEST_FAILED from the calling function) unless @p cond is true,
 * printing the printf-style message.
 */
#define TEST_ASSERT(cond, msg, ...) do { \
	if (!(cond)) { \
		TEST_TRACE_FAILURE(__FILE__, __LINE__, __func__); \
		printf(msg "\n", ##__VA_ARGS__); \
		return TEST_FAILED; \
	} \
} while (0)

/*
 * The comparisons below expand their arguments without parentheses, exactly as DPDK's own
 * (rte_test.h) do, so that a test that compiles here compiles in DPDK's tree too: write
 * TEST_ASSERT_EQUAL((x & mask), 0, ...) where an argument is an expression.
 */

/** Fail unless @p a == @p b. */
#define TEST_ASSERT_EQUAL(a, b, msg, ...) TEST_ASSERT(a == b, msg, ##__VA_ARGS__)

/** Fail if @p a == @p b. */
#define TEST_ASSERT_NOT_EQUAL(a, b, msg, ...) TEST_ASSERT(a != b, msg, ##__VA_ARGS__)

/** Fail unless @p val is 0 (a function's success). */
#define TEST_ASSERT_SUCCESS(val, msg, ...) TEST_ASSERT(val == 0, msg, ##__VA_ARGS__)

/** Fail if @p val is 0. */
#define TEST_ASSERT_FAIL(val, msg, ...) TEST_ASSERT(val != 0, msg, ##__VA_ARGS__)

/** Fail unless @p val is NULL. */
#define TEST_ASSERT_NULL(val, msg, ...) TEST_ASSERT(val == NULL, msg, ##__VA_ARGS__)

/** Fail if @p val is NULL. */
#define TEST_ASSERT_NOT_NULL(val, msg, ...) TEST_ASSERT(val != NULL, msg, ##__VA_ARGS__)

/** Fail unless the first @p len bytes of @p a and @p b are equal. */
#define TEST_ASSERT_BUFFERS_ARE_EQUAL(a, b, len, msg, ...) \
	TEST_ASSERT(memcmp((a), (b), (len)) == 0, msg, ##__VA_ARGS__)

/** One case of a unit test suite. */
struct unit_test_case {
	int (*setup)(void);        /**< run before the case; non-zero skips or fails it */
	void (*teardown)(void);    /**< run after the case, when setup succeeded */
	int (*testcase)(void);     /**< the case, or NULL when testcase_with_data is used */
	int (*testcase_with_data)(const void *data); /**< the case, taking @c data */
	const char *name;          /**< printed in the results */
	const void *data;          /**< passed to testcase_with_data */
	uint8_t enabled;           /**< 0 to list the case as skipped without running it */
};

/** A case running @p testcase with no setup or teardown. */
#define TEST_CASE(testcase) { NULL, NULL, testcase, NULL, #testcase, NULL, 1 }

/** A case with its own printed name. */
#define TEST_CASE_NAMED(name, testcase) { NULL, NULL, testcase, NULL, name, NULL, 1 }

/** A case with setup and teardown. */
#define TEST_CASE_ST(setup, teardown, testcase) \
	{ setup, teardown, testcase, NULL, #testcase, NULL, 1 }

/** A case with setup and teardown and its own printed name. */
#define TEST_CASE_NAMED_ST(name, setup, teardown, testcase) \
	{ setup, teardown, testcase, NULL, name, NULL, 1 }

/** A case taking a data argument. */
#define TEST_CASE_WITH_DATA(setup, teardown, testcase, data) \
	{ setup, teardown, NULL, testcase, #testcase, data, 1 }

/** A case taking a data argument, with its own printed name. */
#define TEST_CASE_NAMED_WITH_DATA(name, setup, teardown, testcase, data) \
	{ setup, teardown, NULL, testcase, name, data, 1 }

/** A case listed but not run. */
#define TEST_CASE_DISABLED(testcase) { NULL, NULL, testcase, NULL, #testcase, NULL, 0 }

/** The entry that ends the case array of a suite. */
#define TEST_CASES_END() { NULL, NULL, NULL, NULL, NULL, NULL, 0 }

/** A suite of test cases, optionally with sub-suites. */
struct unit_test_suite {
	const char *suite_name;     /**< printed in the results */
	int (*setup)(void);         /**< run once before the cases; non-zero skips or fails all */
	void (*teardown)(void);     /**< run once after the cases, when setup succeeded */
	unsigned int total;         /**< filled in by the runner: cases seen */
	unsigned int executed;      /**< filled in by the runner: cases run */
	unsigned int succeeded;     /**< filled in by the runner: cases passed */
	unsigned int skipped;       /**< filled in by the runner: cases skipped */
	unsigned int failed;        /**< filled in by the runner: cases failed */
	unsigned int unsupported;   /**< filled in by the runner: cases reported unsupported */
	struct unit_test_suite **unit_test_suites; /**< NULL-terminated sub-suites, or NULL */
	struct unit_test_case unit_test_cases[];   /**< cases, ended by TEST_CASES_END() */
};

/**
 * Run a suite (its sub-suites, then its cases), printing each case's result and a summary.
 *
 * @return
 *   TEST_SUCCESS when no case failed and at least one passed, TEST_SKIPPED when every
 *   case was skipped, TEST_FAILED otherwise.
 */
int unit_test_suite_runner(struct unit_test_suite *suite);

/** The type of a registered test function. */
typedef int (cmd_func_t)(void);

/** A test registered by name. */
struct test_command {
	TAILQ_ENTRY(test_command) next;
	const char *command;   /**< the test's name, as given on the command line */
	cmd_func_t *callback;  /**< the test */
	bool nohuge_ok;        /**< false: skipped when EAL runs without hugepages */
	bool asan_ok;          /**< false: skipped in AddressSanitizer builds */
};

/** Add a test to the registry (done by the REGISTER_*_TEST constructors). */
void add_test_command(struct test_command *t);

/** 1 when the tests are built with AddressSanitizer, else 0. */
#if defined(__SANITIZE_ADDRESS__)
#define TEST_ASAN 1
#elif defined(__has_feature)
#if __has_feature(address_sanitizer)
#define TEST_ASAN 1
#endif
#endif
#ifndef TEST_ASAN
#define TEST_ASAN 0
#endif

#define REGISTER_TEST_COMMAND_FLAGS(cmd, func, nohuge, asan) \
	static struct test_command test_struct_##cmd = { \
		.command = RTE_STR(cmd), \
		.callback = func, \
		.nohuge_ok = nohuge, \
		.asan_ok = asan, \
	}; \
	RTE_INIT(test_register_##cmd) \
	{ \
		add_test_command(&test_struct_##cmd); \
	}

/** Register a test that belongs to no meson suite (run by name only). */
#define REGISTER_TEST_COMMAND(cmd, func) REGISTER_TEST_COMMAND_FLAGS(cmd, func, true, true)

/**
 * Register a test of the fast-tests suite, run by CI on every change. @p no_huge and
 * @p asan are the literals true or false, as in DPDK's app/test: whether the test can run
 * with --no-huge, and under AddressSanitizer.
 */
#define REGISTER_FAST_TEST(cmd, no_huge, asan, func) \
	REGISTER_TEST_COMMAND_FLAGS(cmd, func, no_huge, asan)

/** Register a benchmark of the perf-tests suite; it prints figures and asserts no time. */
#define REGISTER_PERF_TEST(cmd, func) REGISTER_TEST_COMMAND(cmd, func)

/** Register a long-running test of the stress-tests suite. */
#define REGISTER_STRESS_TEST(cmd, func) REGISTER_TEST_COMMAND(cmd, func)

/**
 * Run @p func in a forked child and report how the child ended, for tests of behaviour
 * that aborts the process (death tests).
 *
 * @return
 *   The signal that killed the child, 0 when the child exited with status 0, -1 when it
 *   exited with another status or could not be started.
 */
int test_run_in_child(void (*func)(void *arg), void *arg);

/**
 * Run @p func in a forked child as test_run_in_child() does, with the child's stdout and
 * stderr sent to a pipe, and collect what it wrote.
 *
 * @param out
 *   Receives the child's output, at most @p size - 1 bytes, NUL-terminated.
 * @param size
 *   Size of @p out; at least 1.
 * @param ended
 *   Receives what test_run_in_child() returns: how the child ended.
 * @return
 *   0, or -1 when the pipe could not be made (the child was not run).
 */
int test_run_in_child_output(void (*func)(void *arg), void *arg, char *out, size_t size,
		int *ended);

/**
 * Run dpdk-test again in a child process: /proc/self/exe with @p argv (argv[0] first, then
 * the EAL arguments and the test names, NULL-terminated), its stdout and stderr collected
 * while it runs. For tests of whole-process behaviour (exit with threads running, several
 * processes), which a fork() of an initialised EAL cannot give.
 *
 * @param argv
 *   The child's arguments, NULL-terminated.
 * @param out
 *   Receives the end of the child's output (the last @p size - 1 bytes), NUL-terminated;
 *   may be NULL (the output is then discarded).
 * @param size
 *   Size of @p out.
 * @return
 *   The child's exit status (0-255), 128 + the signal number when a signal ended it, -1
 *   when it could not be started.
 */
int test_run_self(char *const argv[], char *out, size_t size);

/**
 * Remove the EAL runtime folder of a child run with --file-prefix=@p prefix (and
 * --no-shconf, so that it holds no file of a live process), which the child left behind.
 *
 * @param prefix
 *   The child's file prefix.
 */
void test_remove_runtime_dir(const char *prefix);

/**
 * The CPUs the EAL lcores of this process run on, as an EAL cpuset for --lcores: "(a-b)"
 * for the first @p max_cpus of them that are consecutive (at least the first one).
 *
 * @param buf
 *   Receives the string.
 * @param size
 *   Size of @p buf.
 */
void test_cpuset(char *buf, size_t size, unsigned int max_cpus);

/** Entries test_secondary_argv() fills, the terminating NULL included. */
#define TEST_SECONDARY_ARGC 9

/**
 * The command line of a secondary process of this one for test_run_self() or execv():
 * dpdk-test with --proc-type=secondary, this process's file prefix (its runtime folder's
 * name), its lcore ids on at most two of its CPUs (so that the ids are the same in both),
 * --no-pci, --no-telemetry, EAL's logs at error level, and the test command @p cmd.
 * EAL's multi-process support needs hugepage files.
 *
 * @param argv
 *   Receives the arguments, NULL-terminated: TEST_SECONDARY_ARGC entries. The strings
 *   stay valid until the next call.
 * @param cmd
 *   The test command the secondary runs.
 */
void test_secondary_argv(char **argv, const char *cmd);

/**
 * @return
 *   The resident memory of the process in bytes (/proc/self/statm), or -1 when it cannot
 *   be read.
 */
long test_rss_bytes(void);

#endif /* TEST_H */
