/* SPDX-License-Identifier: BSD-3-Clause
 * Copyright(c) 2026 The dpdk-lcoremem authors
 */

/* unit_test_suite_runner(): runs a suite's sub-suites and cases and prints the results. */

#include <errno.h>
#include <stdio.h>

#include "test.h"

static const char *
result_name(int ret)
{
	switch (ret) {
	case TEST_SUCCESS:
		return "succeeded";
	case TEST_SKIPPED:
		return "skipped";
	case -ENOTSUP:
		return "unsupported";
	default:
		return "failed";
	}
}

static void
count_case(struct unit_test_suite *suite, int ret)
{
	suite->total++;
	switch (ret) {
	case TEST_SUCCESS:
		suite->executed++;
		suite->succeeded++;
		break;
	case TEST_SKIPPED:
		suite->skipped++;
		break;
	case -ENOTSUP:
		suite->unsupported++;
		break;
	default:
		suite->executed++;
		suite->failed++;
		break;
	}
}

static int
run_case(const struct unit_test_case *tc)
{
	int ret;

	if (!tc->enabled)
		return TEST_SKIPPED;
	if (tc->setup != NULL) {
		ret = tc->setup();
		if (ret != TEST_SUCCESS)
			return ret == TEST_SKIPPED || ret == -ENOTSUP ? ret : TEST_FAILED;
	}
	if (tc->testcase != NULL)
		ret = tc->testcase();
	else
		ret = tc->testcase_with_data(tc->data);
	if (tc->teardown != NULL)
		tc->teardown();
	return ret;
}

static void
add_counts(struct unit_test_suite *to, const struct unit_test_suite *from)
{
	to->total += from->total;
	to->executed += from->executed;
	to->succeeded += from->succeeded;
	to->skipped += from->skipped;
	to->failed += from->failed;
	to->unsupported += from->unsupported;
}

static void
run_suite(struct unit_test_suite *suite, unsigned int depth)
{
	const struct unit_test_case *tc;
	int setup_ret = TEST_SUCCESS;
	unsigned int i;

	suite->total = suite->executed = suite->succeeded = 0;
	suite->skipped = suite->failed = suite->unsupported = 0;

	printf(" %*s+ ------------------------------------------------------- +\n", depth * 2, "");
	printf(" %*s+ Test Suite : %s\n", depth * 2, "",
		suite->suite_name != NULL ? suite->suite_name : "(unnamed)");
	fflush(stdout);

	if (suite->setup != NULL) {
		setup_ret = suite->setup();
		if (setup_ret != TEST_SUCCESS)
			printf(" %*s+ Suite setup %s: every case of the suite is %s\n", depth * 2, "",
				setup_ret == TEST_SKIPPED ? "skipped" : "failed",
				setup_ret == TEST_SKIPPED ? "skipped" : "failed");
	}

	if (suite->unit_test_suites != NULL) {
		for (i = 0; suite->unit_test_suites[i] != NULL; i++) {
			struct unit_test_suite *sub = suite->unit_test_suites[i];

			if (setup_ret == TEST_SUCCESS) {
				run_suite(sub, depth + 1);
				add_counts(suite, sub);
			}
		}
	}

	for (tc = suite->unit_test_cases; tc->testcase != NULL || tc->testcase_with_data != NULL;
			tc++) {
		int ret;

		if (setup_ret == TEST_SUCCESS) {
			ret = run_case(tc);
		} else {
			ret = setup_ret == TEST_SKIPPED ? TEST_SKIPPED : TEST_FAILED;
		}
		count_case(suite, ret);
		printf(" %*s+ TestCase [%2u] : %s %s\n", depth * 2, "", suite->total - 1,
			tc->name != NULL ? tc->name : "(unnamed)", result_name(ret));
		fflush(stdout);
	}

	if (suite->teardown != NULL && setup_ret == TEST_SUCCESS)
		suite->teardown();

	printf(" %*s+ ------------------------------------------------------- +\n", depth * 2, "");
	printf(" %*s+ Test Suite Summary : %s\n", depth * 2, "",
		suite->suite_name != NULL ? suite->suite_name : "(unnamed)");
	printf(" %*s+ Tests Total :       %2u\n", depth * 2, "", suite->total);
	printf(" %*s+ Tests Skipped :     %2u\n", depth * 2, "", suite->skipped);
	printf(" %*s+ Tests Executed :    %2u\n", depth * 2, "", suite->executed);
	printf(" %*s+ Tests Unsupported:  %2u\n", depth * 2, "", suite->unsupported);
	printf(" %*s+ Tests Passed :      %2u\n", depth * 2, "", suite->succeeded);
	printf(" %*s+ Tests Failed :      %2u\n", depth * 2, "", suite->failed);
	printf(" %*s+ ------------------------------------------------------- +\n", depth * 2, "");
	fflush(stdout);
}

int
unit_test_suite_runner(struct unit_test_suite *suite)
{
	run_suite(suite, 0);

	if (suite->failed > 0)
		return TEST_FAILED;
	if (suite->succeeded == 0)
		return TEST_SKIPPED;
	return TEST_SUCCESS;
}
