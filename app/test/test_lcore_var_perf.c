/* SPDX-License-Identifier: BSD-3-Clause
 * Copyright(c) 2026 The dpdk-lcoremem authors
 */

#include "test.h"

static int
test_lcore_var_perf(void)
{
	return TEST_SUCCESS;
}

REGISTER_PERF_TEST(lcore_var_perf_autotest, test_lcore_var_perf);
