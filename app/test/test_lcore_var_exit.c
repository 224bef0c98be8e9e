/* SPDX-License-Identifier: BSD-3-Clause
 * Copyright(c) 2026 The dpdk-lcoremem authors
 */

/*
 * lcore_var_exit_autotest: a process exits (exit(), as a return from main() does) while
 * its worker lcores read and write lcore variables. The values must stay valid until the
 * process is gone: nothing may unmap or free them in the destructors that exit() runs.
 * Holds for DPDK's native lcore variables as for ours.
 */

#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>
#include <unistd.h>

#include <rte_common.h>
#include <rte_eal.h>
#include <rte_launch.h>
#include <rte_lcore.h>
#include <rte_lcore_var.h>
#include <rte_pause.h>

#include "test.h"
#include "test_exit.h"

/* runs per memory mode; DPDK_TEST_EXIT_RUNS overrides */
#define EXIT_RUNS 10

static unsigned int exit_started;

void
test_exit_worker_started(void)
{
	__atomic_fetch_add(&exit_started, 1, __ATOMIC_RELEASE);
}

void
test_exit_under_workers(unsigned int n)
{
	struct timespec ts = { 0, 0 };

	while (__atomic_load_n(&exit_started, __ATOMIC_ACQUIRE) < n)
		rte_pause();
	ts.tv_nsec = (long)((unsigned int)getpid() * 2654435761u % 2000000u);
	nanosleep(&ts, NULL);
	exit(0);
}

int
test_exit_runs(const char *child, unsigned int runs)
{
	static const char *const modes[] = { NULL, "--in-memory", "--legacy-mem" };
	const char *env = getenv("DPDK_TEST_EXIT_RUNS");
	bool huge = rte_eal_has_hugepages();
	char name[48], prefix[64], lcores[64], cpus[32], out[2048];
	unsigned int m, r, done = 0;

	if (env != NULL && atoi(env) > 0)
		runs = (unsigned int)atoi(env);
	test_cpuset(cpus, sizeof(cpus), 2);
	snprintf(lcores, sizeof(lcores), "--lcores=(0-5)@%s", cpus);
	for (m = 0; m < RTE_DIM(modes); m++) {
		/* --no-huge is legacy memory already, which --in-memory does not go with */
		if (!huge && modes[m] != NULL && strcmp(modes[m], "--in-memory") == 0) {
			printf("%s: --in-memory needs hugepages, not run\n", child);
			continue;
		}
		for (r = 0; r < runs; r++) {
			char *argv[16];
			int argc = 0, ret;

			snprintf(name, sizeof(name), "exit-%d-%u-%u", (int)getpid(), m, r);
			snprintf(prefix, sizeof(prefix), "--file-prefix=%s", name);
			argv[argc++] = (char *)(uintptr_t)"dpdk-test";
			argv[argc++] = (char *)(uintptr_t)"--no-pci";
			argv[argc++] = (char *)(uintptr_t)"--no-telemetry";
			argv[argc++] = (char *)(uintptr_t)"--log-level=lib.eal:error";
			argv[argc++] = lcores;
			argv[argc++] = prefix;
			/* no shared files left behind by a process that never cleans up (in-memory
			 * mode has none; DPDK 25.11 refuses --huge-unlink with it) */
			argv[argc++] = (char *)(uintptr_t)"--no-shconf";
			if (huge) {
				if (modes[m] == NULL || strcmp(modes[m], "--in-memory") != 0)
					argv[argc++] = (char *)(uintptr_t)"--huge-unlink";
			} else {
				argv[argc++] = (char *)(uintptr_t)"--no-huge";
				argv[argc++] = (char *)(uintptr_t)"-m";
				argv[argc++] = (char *)(uintptr_t)"256";
			}
			if (modes[m] != NULL)
				argv[argc++] = (char *)(uintptr_t)modes[m];
			argv[argc++] = (char *)(uintptr_t)child;
			argv[argc] = NULL;
			ret = test_run_self(argv, out, sizeof(out));
			test_remove_runtime_dir(name);
			if (ret != 0) {
				printf("%s %s run %u: exit status %d; its output ended with:\n%s\n",
					child, modes[m] != NULL ? modes[m] : "(dynamic memory)", r,
					ret, out);
				return TEST_FAILED;
			}
			done++;
		}
		printf("%s, %s, %s: %u of %u runs exited cleanly\n", child,
			huge ? "hugepages" : "--no-huge",
			modes[m] != NULL ? modes[m] : "dynamic memory", runs, runs);
	}
	return done > 0 ? TEST_SUCCESS : TEST_FAILED;
}

/* --- the lcore variable child --- */

struct exit_state {
	uint64_t count;
	uint64_t mix;
};

static RTE_LCORE_VAR_HANDLE(struct exit_state, exit_states);
RTE_LCORE_VAR_INIT(exit_states);

static int
exit_lcore_var_worker(void *arg __rte_unused)
{
	RTE_LCORE_VAR_HANDLE(uint64_t, scratch);

	RTE_LCORE_VAR_ALLOC(scratch); /* allocation from a worker, too */
	test_exit_worker_started();
	for (;;) {
		struct exit_state *s = RTE_LCORE_VAR(exit_states), *v;
		unsigned int lcore_id;
		uint64_t sum = 0;

		s->count++;
		*RTE_LCORE_VAR(scratch) += s->count;
		RTE_LCORE_VAR_FOREACH(lcore_id, v, exit_states)
			sum += __atomic_load_n(&v->count, __ATOMIC_RELAXED);
		s->mix ^= sum;
	}
	return 0;
}

static int
lcore_var_exit_child(void)
{
	if (rte_eal_mp_remote_launch(exit_lcore_var_worker, NULL, SKIP_MAIN) != 0)
		return TEST_FAILED;
	test_exit_under_workers(rte_lcore_count() - 1);
	return TEST_FAILED; /* not reached */
}

static int
test_lcore_var_exit(void)
{
	return test_exit_runs("lcore_var_exit_child", EXIT_RUNS);
}

REGISTER_TEST_COMMAND(lcore_var_exit_child, lcore_var_exit_child);
REGISTER_FAST_TEST(lcore_var_exit_autotest, true, true, test_lcore_var_exit);
