/* SPDX-License-Identifier: BSD-3-Clause
 * Copyright(c) 2026 The dpdk-lcoremem authors
 */

/*
 * lcore_var_mp_autotest: lcore variables in a secondary process. Their values live in
 * process-local memory, not in EAL's shared memory, so a secondary process that uses the
 * same lcore ids as the primary has values of its own: zero when allocated, written by
 * its own lcores, never seen by the primary (unlike an [RTE_MAX_LCORE] array in a
 * memzone, which both would index with the same ids). Holds for DPDK's native lcore
 * variables as for ours.
 *
 * The primary writes a value per lcore, then starts a secondary (dpdk-test again, with
 * --proc-type=secondary, its own file prefix and its lcore ids), which runs
 * lcore_var_mp_child: the values it finds are zero, its worker lcores write their own,
 * a variable allocated at run time starts at zero too. Then the primary checks that its
 * values did not change. EAL's multi-process support needs hugepage files: the test is
 * skipped without hugepages.
 */

#include <inttypes.h>
#include <stdint.h>
#include <stdio.h>
#include <string.h>

#include <rte_common.h>
#include <rte_eal.h>
#include <rte_launch.h>
#include <rte_lcore.h>
#include <rte_lcore_var.h>

#include "test.h"

#define MP_PRIMARY UINT64_C(0x5052494d00000000) /* "PRIM": the primary's values + lcore */
#define MP_SECONDARY UINT64_C(0x5345434f00000000) /* "SECO": the secondary's */

struct mp_state {
	uint64_t value;
	uint64_t pad[7];
};

static RTE_LCORE_VAR_HANDLE(struct mp_state, mp_states);
RTE_LCORE_VAR_INIT(mp_states);

/* --- the secondary --- */

static int
mp_child_worker(void *arg __rte_unused)
{
	RTE_LCORE_VAR(mp_states)->value = MP_SECONDARY + rte_lcore_id();
	return 0;
}

static int
test_lcore_var_mp_child(void)
{
	RTE_LCORE_VAR_HANDLE(uint64_t, late);
	struct mp_state *s;
	unsigned int lcore_id, n = 0;
	uint64_t *v;

	TEST_ASSERT(rte_eal_process_type() == RTE_PROC_SECONDARY,
		"lcore_var_mp_child runs in a secondary process (lcore_var_mp_autotest starts it)");
	/* what the primary wrote is not here: the values are this process's own */
	RTE_LCORE_VAR_FOREACH(lcore_id, s, mp_states)
		TEST_ASSERT_EQUAL(s->value, 0, "lcore %u: 0x%" PRIx64 " before any write", lcore_id,
			s->value);
	RTE_LCORE_VAR(mp_states)->value = MP_SECONDARY + rte_lcore_id();
	TEST_ASSERT_SUCCESS(rte_eal_mp_remote_launch(mp_child_worker, NULL, SKIP_MAIN),
		"launch");
	rte_eal_mp_wait_lcore();
	RTE_LCORE_FOREACH(lcore_id) {
		s = RTE_LCORE_VAR_LCORE(lcore_id, mp_states);
		TEST_ASSERT_EQUAL(s->value, MP_SECONDARY + lcore_id, "lcore %u: 0x%" PRIx64,
			lcore_id, s->value);
		n++;
	}
	/* allocated at run time in a secondary: zero, like any lcore variable */
	RTE_LCORE_VAR_ALLOC(late);
	RTE_LCORE_VAR_FOREACH(lcore_id, v, late)
		TEST_ASSERT_EQUAL(*v, 0, "lcore %u: a new variable holds 0x%" PRIx64, lcore_id, *v);
	printf("lcore_var_mp_child: ok, %u lcores wrote their own values\n", n);
	return TEST_SUCCESS;
}

REGISTER_TEST_COMMAND(lcore_var_mp_child, test_lcore_var_mp_child);

/* --- the primary --- */

static int
test_lcore_var_mp(void)
{
	char out[4096], *argv[TEST_SECONDARY_ARGC];
	unsigned int lcore_id;
	int ret;

	if (rte_eal_process_type() != RTE_PROC_PRIMARY || !rte_eal_has_hugepages()) {
		printf("lcore_var_mp_autotest: needs a primary process with hugepages, skipped\n");
		return TEST_SKIPPED;
	}
	RTE_LCORE_FOREACH(lcore_id)
		RTE_LCORE_VAR_LCORE(lcore_id, mp_states)->value = MP_PRIMARY + lcore_id;

	/* the secondary: this process's file prefix and lcore ids */
	test_secondary_argv(argv, "lcore_var_mp_child");
	ret = test_run_self(argv, out, sizeof(out));
	printf("secondary (%s %s): exit status %d; its output ended with:\n%s\n", argv[2], argv[3],
		ret, out);
	TEST_ASSERT_EQUAL(ret, 0, "the secondary failed");
	TEST_ASSERT_NOT_NULL(strstr(out, "lcore_var_mp_child: ok"), "the secondary's checks did"
		" not run");
	/* the secondary's writes, to the same lcore ids, did not reach these values */
	RTE_LCORE_FOREACH(lcore_id)
		TEST_ASSERT_EQUAL(RTE_LCORE_VAR_LCORE(lcore_id, mp_states)->value,
			MP_PRIMARY + lcore_id, "lcore %u: 0x%" PRIx64 " after the secondary",
			lcore_id, RTE_LCORE_VAR_LCORE(lcore_id, mp_states)->value);
	return TEST_SUCCESS;
}

REGISTER_FAST_TEST(lcore_var_mp_autotest, false, true, test_lcore_var_mp);
