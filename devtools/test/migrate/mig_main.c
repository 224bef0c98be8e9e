/* SPDX-License-Identifier: BSD-3-Clause
 * Copyright(c) 2026 The dpdk-lcoremem authors
 */

/*
 * Runs the migration fixtures (mig_*.c, or their converted versions mig_*.expected.c,
 * whichever this program was linked with) and prints their results, which must not
 * depend on which.
 */

#include <stdio.h>

#include <rte_eal.h>

#include "mig_fixtures.h"

void
mig_print(const char *module, const char *what, unsigned long long value)
{
	printf("%s: %s: %llu\n", module, what, value);
}

int
main(int argc, char **argv)
{
	if (rte_eal_init(argc, argv) < 0) {
		fprintf(stderr, "mig_main: EAL init failed\n");
		return 1;
	}
	mig_static_run();
	mig_guard_run();
	mig_heap_run();
	mig_init_run();
	rte_eal_cleanup();
	return 0;
}
