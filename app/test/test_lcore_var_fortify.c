/* SPDX-License-Identifier: BSD-3-Clause
 * Copyright(c) 2026 The dpdk-lcoremem authors
 */

/*
 * Built with -D_FORTIFY_SOURCE=3 (app/test/meson.build): the fortified string functions
 * check writes against the size the compiler believes an object has. A handle is not an
 * object of the allocated size: the values of lcore ids >= 1 lie RTE_MAX_LCORE_VAR bytes
 * apart from it, and code reaches them by pointer arithmetic on the handle. An allocation
 * function that declared its size (alloc_size) would make every such write "overflow".
 */

#include <stdint.h>
#include <string.h>

#include <rte_common.h>
#include <rte_lcore.h>
#include <rte_lcore_var.h>

#include "test_lcore_var_impl.h"

int
test_lcore_var_fortified(void)
{
	const size_t size = 24;
	unsigned int lcore_id;
	char *h, *v;
	int ok = 1;

	h = rte_lcore_var_alloc(size, 0);
	for (lcore_id = 0; lcore_id < RTE_MAX_LCORE; lcore_id++) {
		/* the arithmetic keeps the pointer's provenance: the handle's allocation */
		v = h + (size_t)lcore_id * RTE_MAX_LCORE_VAR;
		memset(v, (int)(lcore_id & 0x7f) + 1, size);
	}
	for (lcore_id = 0; lcore_id < RTE_MAX_LCORE; lcore_id++) {
		char expected[24];

		memset(expected, (int)(lcore_id & 0x7f) + 1, sizeof(expected));
		v = h + (size_t)lcore_id * RTE_MAX_LCORE_VAR;
		ok &= memcmp(v, expected, size) == 0;
	}
	return ok ? 0 : -1;
}

int
test_lcore_var_fortify_level(void)
{
#ifdef _FORTIFY_SOURCE
	return _FORTIFY_SOURCE;
#else
	return 0;
#endif
}
