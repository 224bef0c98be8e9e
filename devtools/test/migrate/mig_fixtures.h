/* SPDX-License-Identifier: BSD-3-Clause
 * Copyright(c) 2026 The dpdk-lcoremem authors
 */

/*
 * Fixtures of devtools/lcore_var_migrate.py: small modules that keep per-lcore state in
 * [RTE_MAX_LCORE] arrays, one per pattern the tool converts (mig_*.c), their converted
 * versions as the tool writes them (mig_*.expected.c), and the patterns it refuses
 * (mig_refused*.c). mig_main.c runs the modules; the build links it once with the
 * originals and once with the converted versions, and the test compares the outputs.
 */

#ifndef MIG_FIXTURES_H
#define MIG_FIXTURES_H

#include <rte_common.h>
#include <rte_config.h>

/* DPDK 23.03 and later have it; the fixtures build on 22.11 too */
#ifndef RTE_CACHE_GUARD
#define RTE_CACHE_GUARD char mig_cache_guard[RTE_CACHE_LINE_SIZE]
#endif

void mig_static_run(void);
void mig_guard_run(void);
void mig_heap_run(void);
void mig_init_run(void);

/* print a line of results, the same way in every fixture */
void mig_print(const char *module, const char *what, unsigned long long value);

#endif /* MIG_FIXTURES_H */
