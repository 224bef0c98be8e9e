/* SPDX-License-Identifier: BSD-3-Clause
 * Copyright(c) 2026 The dpdk-lcoremem authors
 */

#ifndef TEST_LCORE_VAR_IMPL_H
#define TEST_LCORE_VAR_IMPL_H

/* test_lcore_var_fortify.c, built with -D_FORTIFY_SOURCE=3 */

/**
 * Write and read back a value of every lcore id of a new variable, through pointers
 * computed from the handle, with fortified memset() and memcmp().
 *
 * @return
 *   0 when every value held what was written; aborts ("buffer overflow detected") when
 *   the compiler took the handle for an object of the allocated size.
 */
int test_lcore_var_fortified(void);

/** The _FORTIFY_SOURCE level test_lcore_var_fortify.c was built with (0: none). */
int test_lcore_var_fortify_level(void);

#endif /* TEST_LCORE_VAR_IMPL_H */
