/* SPDX-License-Identifier: BSD-3-Clause
 * Copyright(c) 2026 The dpdk-lcoremem authors
 */

/*
 * lcore_footprint_autotest: how many distinct cache lines of a module's per-lcore state
 * one lcore touches per operation of the module, measured by footprint_trace.c.
 *
 * This file is not part of dpdk-lcoremem's own build: devtools/run-migration.sh compiles it
 * into the dpdk-test of the DPDK 22.11 it builds, once with the modules as they are and
 * once migrated to lcore variables. It only calls the modules' public API, so the same
 * code measures both. Where each module keeps its state comes from the environment,
 * LCORE_FOOTPRINT_STATE, which devtools/migration/footprint_layout.py writes from the
 * symbol table and debug information of that very dpdk-test:
 *
 *   module,variable,kind,address,element size,offset;...
 *
 * kind: "array" (the elements start at the address), "pointer" (the address holds a
 * pointer to the elements), "handle" (it holds an lcore variable handle), "member" (it
 * holds a pointer to a struct whose elements start at the offset). Address is the
 * symbol's link-time value; the load bias of the executable is added here.
 *
 * Output, one line per operation: FOOTPRINT {"module": ..., "op": ..., "lines": N, ...}
 */

#ifndef _GNU_SOURCE
#define _GNU_SOURCE
#endif
#include <errno.h>
#include <inttypes.h>
#include <link.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <rte_common.h>
#include <rte_ethdev.h>
#include <rte_lcore.h>
#include <rte_lcore_var.h>
#include <rte_mbuf.h>
#include <rte_power_pmd_mgmt.h>
#include <rte_random.h>
#include <rte_service.h>
#include <rte_service_component.h>
#include <rte_timer.h>
#include <rte_bus_vdev.h>

#include "test.h"
#include "footprint_trace.h"

#define FP_MAX_VARS 16
#define FP_MAX_REGIONS 1024

struct fp_var {
	char module[32];
	char name[48];
	char kind[16];
	uintptr_t address;
	size_t elem_size;
	size_t offset;
};

static struct fp_var fp_vars[FP_MAX_VARS];
static unsigned int fp_n_vars;
static struct footprint_region fp_regions[FP_MAX_REGIONS];

static int
fp_bias_cb(struct dl_phdr_info *info, size_t size __rte_unused, void *data)
{
	*(uintptr_t *)data = info->dlpi_addr;
	return 1;       /* the first object is the executable */
}

static int
fp_parse_state(void)
{
	const char *env = getenv("LCORE_FOOTPRINT_STATE");
	char *copy, *entry, *save = NULL;
	uintptr_t bias = 0;

	if (env == NULL) {
		printf("LCORE_FOOTPRINT_STATE is not set: nothing to measure\n");
		return -1;
	}
	dl_iterate_phdr(fp_bias_cb, &bias);
	copy = strdup(env);
	if (copy == NULL)
		return -1;
	for (entry = strtok_r(copy, ";", &save); entry != NULL && fp_n_vars < FP_MAX_VARS;
			entry = strtok_r(NULL, ";", &save)) {
		struct fp_var *v = &fp_vars[fp_n_vars];
		char address[32];

		if (sscanf(entry, "%31[^,],%47[^,],%15[^,],%31[^,],%zu,%zu", v->module, v->name,
				v->kind, address, &v->elem_size, &v->offset) != 6) {
			printf("bad LCORE_FOOTPRINT_STATE entry: %s\n", entry);
			free(copy);
			return -1;
		}
		v->address = bias + (uintptr_t)strtoull(address, NULL, 0);
		fp_n_vars++;
	}
	free(copy);
	return 0;
}

/* the regions of one module's state, every lcore id's element of every variable, added
 * to the first n of fp_regions; returns the new count */
static unsigned int
fp_module_regions(const char *module, unsigned int n)
{
	unsigned int i, lcore;

	for (i = 0; i < fp_n_vars; i++) {
		const struct fp_var *v = &fp_vars[i];
		uintptr_t base = v->address;

		if (strcmp(v->module, module) != 0)
			continue;
		if (strcmp(v->kind, "array") != 0)
			base = *(const uintptr_t *)v->address;
		if (base == 0)
			continue;
		if (strcmp(v->kind, "member") == 0)
			base += v->offset;
		if (strcmp(v->kind, "handle") == 0) {
			for (lcore = 0; lcore < RTE_MAX_LCORE && n < FP_MAX_REGIONS; lcore++) {
				fp_regions[n].start = base + (uintptr_t)lcore * RTE_MAX_LCORE_VAR;
				fp_regions[n].len = v->elem_size;
				n++;
			}
		} else if (n < FP_MAX_REGIONS) {
			fp_regions[n].start = base;
			fp_regions[n].len = v->elem_size * RTE_MAX_LCORE;
			n++;
		}
	}
	return n;
}

typedef void (*fp_op_t)(void *arg);

static int
fp_trace_op(const char *label, const char *op_name, unsigned int n, fp_op_t op, void *arg);

static int
fp_measure(const char *module, const char *op_name, fp_op_t op, void *arg)
{
	unsigned int n;

	op(arg);        /* first call untraced: lazy initialisation is not the operation */
	n = fp_module_regions(module, 0);
	if (n == 0) {
		printf("no state known for module %s\n", module);
		return -1;
	}
	return fp_trace_op(module, op_name, n, op, arg);
}

/* the state of several modules at once */
static int
fp_measure_modules(const char *const *modules, unsigned int n_modules, const char *op_name,
		fp_op_t op)
{
	unsigned int i, n = 0;

	op(NULL);
	for (i = 0; i < n_modules; i++)
		n = fp_module_regions(modules[i], n);
	if (n == 0)
		return -1;
	return fp_trace_op("all converted", op_name, n, op, NULL);
}

static int
fp_trace_op(const char *label, const char *op_name, unsigned int n, fp_op_t op, void *arg)
{
	struct footprint_result res;
	int ret;

	ret = footprint_trace_begin(fp_regions, n);
	if (ret < 0) {
		printf("footprint_trace_begin: %s\n", strerror(-ret));
		return -1;
	}
	op(arg);
	footprint_trace_end(&res);
	printf("FOOTPRINT {\"module\": \"%s\", \"op\": \"%s\", \"lines\": %u, "
		"\"accesses\": %u, \"faults\": %u, \"regions\": %u}\n",
		label, op_name, res.lines, res.accesses, res.faults, n);
	return 0;
}

static volatile uint64_t fp_sink;

static void
op_rand(void *arg __rte_unused)
{
	fp_sink += rte_rand();
}

static void
op_rand_max(void *arg __rte_unused)
{
	fp_sink += rte_rand_max(1000);
}

static void
op_srand(void *arg __rte_unused)
{
	rte_srand(42);
}

static int32_t
fp_service_cb(void *arg __rte_unused)
{
	return 0;
}

static uint32_t fp_service_id;

static void
op_service_iter(void *arg __rte_unused)
{
	rte_service_run_iter_on_app_lcore(fp_service_id, 1);
}

static void
op_service_count(void *arg __rte_unused)
{
	fp_sink += rte_service_lcore_count();
}

static int
service_setup(void)
{
	struct rte_service_spec spec;

	memset(&spec, 0, sizeof(spec));
	snprintf(spec.name, sizeof(spec.name), "lcore_footprint");
	spec.callback = fp_service_cb;
	spec.socket_id = SOCKET_ID_ANY;
	if (rte_service_component_register(&spec, &fp_service_id) < 0) {
		printf("cannot register a service\n");
		return -1;
	}
	rte_service_component_runstate_set(fp_service_id, 1);
	rte_service_runstate_set(fp_service_id, 1);
	rte_service_set_stats_enable(fp_service_id, 1);
	return 0;
}

static void
service_teardown(void)
{
	rte_service_runstate_set(fp_service_id, 0);
	rte_service_component_runstate_set(fp_service_id, 0);
	rte_service_component_unregister(fp_service_id);
}

static void
op_timer_manage(void *arg __rte_unused)
{
	rte_timer_manage();
}

static struct {
	int ready;
	uint16_t port;
	struct rte_mempool *mp;
	struct rte_mbuf *pkts[32];
	uint16_t n;
} fp_port;

static void
op_rx_burst(void *arg __rte_unused)
{
	if (fp_port.n > 0)
		rte_pktmbuf_free_bulk(fp_port.pkts, fp_port.n);
	fp_port.n = rte_eth_rx_burst(fp_port.port, 0, fp_port.pkts, RTE_DIM(fp_port.pkts));
}

static void
op_freq_get(void *arg __rte_unused)
{
	fp_sink += rte_power_pmd_mgmt_get_scaling_freq_min(rte_lcore_id());
}

/* one operation of each converted module, one after the other */
static void
op_all(void *arg __rte_unused)
{
	op_rand(NULL);
	op_service_iter(NULL);
	op_rx_burst(NULL);
	op_freq_get(NULL);
}

/*
 * The power library's per-lcore settings, through its API: what its per-lcore arrays
 * (lcore variables once migrated) hold must read back as set.
 */
static int
power_check_settings(void)
{
	unsigned int lcore = rte_lcore_id();

	TEST_ASSERT_SUCCESS(rte_power_pmd_mgmt_set_scaling_freq_max(lcore, 2000000),
			"cannot set the maximum frequency");
	TEST_ASSERT_SUCCESS(rte_power_pmd_mgmt_set_scaling_freq_min(lcore, 1000000),
			"cannot set the minimum frequency");
	TEST_ASSERT_EQUAL(rte_power_pmd_mgmt_get_scaling_freq_max(lcore), 2000000,
			"maximum frequency not read back");
	TEST_ASSERT_EQUAL(rte_power_pmd_mgmt_get_scaling_freq_min(lcore), 1000000,
			"minimum frequency not read back");
	TEST_ASSERT_FAIL(rte_power_pmd_mgmt_set_scaling_freq_min(lcore, 3000000),
			"a minimum above the maximum is accepted");
	TEST_ASSERT_FAIL(rte_power_pmd_mgmt_set_scaling_freq_max(RTE_MAX_LCORE, 1),
			"an invalid lcore id is accepted");
	TEST_ASSERT_EQUAL(rte_power_pmd_mgmt_get_scaling_freq_min(lcore + 1), 0,
			"another lcore's minimum is not the default");
	return 0;
}

static int
power_setup(void)
{
	static const struct rte_eth_conf conf;

	if (rte_vdev_init("net_null_footprint", NULL) < 0 ||
			rte_eth_dev_get_port_by_name("net_null_footprint", &fp_port.port) < 0) {
		printf("no net_null port\n");
		return -1;
	}
	fp_port.mp = rte_pktmbuf_pool_create("lcore_footprint", 1024, 0, 0,
			RTE_MBUF_DEFAULT_BUF_SIZE, rte_socket_id());
	TEST_ASSERT_NOT_NULL(fp_port.mp, "cannot create a mbuf pool");
	TEST_ASSERT_SUCCESS(rte_eth_dev_configure(fp_port.port, 1, 1, &conf),
			"cannot configure the port");
	TEST_ASSERT_SUCCESS(rte_eth_rx_queue_setup(fp_port.port, 0, 64, rte_socket_id(),
			NULL, fp_port.mp), "cannot set up an rx queue");
	TEST_ASSERT_SUCCESS(rte_eth_tx_queue_setup(fp_port.port, 0, 64, rte_socket_id(),
			NULL), "cannot set up a tx queue");
	TEST_ASSERT_SUCCESS(rte_power_ethdev_pmgmt_queue_enable(rte_lcore_id(),
			fp_port.port, 0, RTE_POWER_MGMT_TYPE_PAUSE),
			"cannot enable power management on the queue");
	TEST_ASSERT_FAIL(rte_power_ethdev_pmgmt_queue_enable(rte_lcore_id(),
			fp_port.port, 0, RTE_POWER_MGMT_TYPE_PAUSE),
			"power management enabled twice on one queue");
	TEST_ASSERT_SUCCESS(rte_eth_dev_start(fp_port.port), "cannot start the port");
	fp_port.ready = 1;
	op_rx_burst(NULL);
	TEST_ASSERT(fp_port.n > 0, "no packet from net_null through the callback");
	return 0;
}

static void
power_teardown(void)
{
	if (fp_port.n > 0)
		rte_pktmbuf_free_bulk(fp_port.pkts, fp_port.n);
	fp_port.n = 0;
	if (fp_port.ready) {
		rte_eth_dev_stop(fp_port.port);
		rte_power_ethdev_pmgmt_queue_disable(rte_lcore_id(), fp_port.port, 0);
		rte_eth_dev_close(fp_port.port);
	}
	rte_vdev_uninit("net_null_footprint");
	rte_mempool_free(fp_port.mp);
}

static int
test_lcore_footprint(void)
{
	static const char *const all[] = { "random", "service", "power" };
	int ret = 0;

	if (fp_parse_state() < 0)
		return TEST_SKIPPED;
	if (power_check_settings() < 0 || service_setup() < 0)
		return TEST_FAILED;
	if (power_setup() < 0) {
		power_teardown();
		service_teardown();
		return TEST_FAILED;
	}
	ret |= fp_measure("random", "rte_rand()", op_rand, NULL);
	ret |= fp_measure("random", "rte_rand_max()", op_rand_max, NULL);
	ret |= fp_measure("random", "rte_srand()", op_srand, NULL);
	ret |= fp_measure("service", "rte_service_run_iter_on_app_lcore()", op_service_iter,
			NULL);
	ret |= fp_measure("service", "rte_service_lcore_count()", op_service_count, NULL);
	ret |= fp_measure("power", "rte_eth_rx_burst() with the PAUSE callback", op_rx_burst,
			NULL);
	ret |= fp_measure("power", "rte_power_pmd_mgmt_get_scaling_freq_min()", op_freq_get,
			NULL);
	ret |= fp_measure("timer", "rte_timer_manage()", op_timer_manage, NULL);
	ret |= fp_measure_modules(all, RTE_DIM(all), "one operation of each", op_all);
	power_teardown();
	service_teardown();
	return ret == 0 ? TEST_SUCCESS : TEST_FAILED;
}

REGISTER_TEST_COMMAND(lcore_footprint_autotest, test_lcore_footprint);
