/* SPDX-License-Identifier: BSD-3-Clause
 * Copyright(c) 2026 The dpdk-lcoremem authors
 */

#include <rte_lcore_var.h>

#include "test.h"

static RTE_LCORE_VAR_HANDLE(int, test_int);
RTE_LCORE_VAR_INIT(test_int);

static int
test_lcore_var(void)
{
	TEST_ASSERT_NOT_NULL(test_int, "handle not allocated");
	return TEST_SUCCESS;
}

REGISTER_FAST_TEST(lcore_var_autotest, NOHUGE_OK, ASAN_OK, test_lcore_var);
