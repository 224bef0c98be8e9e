/* SPDX-License-Identifier: BSD-3-Clause
 * Copyright(c) 2026 The dpdk-lcoremem authors
 */

/*
 * A user of mig_refused.c's global per-lcore array, through an extern declaration: the
 * reason the tool refuses to convert that array in mig_refused.c alone.
 */

#include <stdint.h>

#include <rte_config.h>

extern uint32_t mig_shared[RTE_MAX_LCORE];

uint32_t mig_shared_first(void);

uint32_t
mig_shared_first(void)
{
	return mig_shared[0];
}
