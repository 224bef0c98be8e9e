/* SPDX-License-Identifier: BSD-3-Clause
 * Copyright(c) 2026 The dpdk-lcoremem authors
 */

/*
 * Reading the workers' counters, and the telemetry commands:
 *
 *   /conntrack/stats        the run: allocator, totals, flows, memory held
 *   /conntrack/lcores       the worker lcore ids
 *   /conntrack/lcore,<id>   one worker's counters and the objects its table holds
 *   /conntrack/objects      each object type: size, objects held now and at peak
 *
 * The callbacks run in EAL's telemetry thread. Counters and table counts live in lcore
 * variables, which are never freed: they are read with relaxed loads at any time. The
 * memory figures are those of the main lcore's last sample (ct_snapshot_set()).
 */

#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <rte_common.h>
#include <rte_lcore.h>
#include <rte_spinlock.h>
#include <rte_telemetry.h>
#include <rte_version.h>

#include "ct_stats.h"
#include "ct_worker.h"

/* DPDK 23.03 renamed the unsigned telemetry values from u64 to uint. */
#if RTE_VERSION >= RTE_VERSION_NUM(23, 3, 0, 0)
#define tel_add_u64 rte_tel_data_add_dict_uint
#else
#define tel_add_u64 rte_tel_data_add_dict_u64
#endif

static rte_spinlock_t snapshot_lock = RTE_SPINLOCK_INITIALIZER;
static struct ct_snapshot snapshot;

void
ct_stats_read(unsigned int lcore_id, struct ct_lcore_stats *out)
{
	const uint64_t *src = (const uint64_t *)RTE_LCORE_VAR_LCORE(lcore_id, ct_stats);
	uint64_t *dst = (uint64_t *)out;
	unsigned int i;

	for (i = 0; i < CT_STATS_WORDS; i++)
		dst[i] = __atomic_load_n(&src[i], __ATOMIC_RELAXED);
}

void
ct_stats_sum(struct ct_lcore_stats *out)
{
	struct ct_lcore_stats s;
	const uint64_t *src = (const uint64_t *)&s;
	uint64_t *dst = (uint64_t *)out;
	unsigned int lcore_id, i;
	uint64_t start = UINT64_MAX, end = 0;

	memset(out, 0, sizeof(*out));
	RTE_LCORE_FOREACH_WORKER(lcore_id) {
		ct_stats_read(lcore_id, &s);
		for (i = 0; i < CT_STATS_WORDS; i++)
			dst[i] += src[i];
		start = RTE_MIN(start, s.tsc_start);
		end = RTE_MAX(end, s.tsc_end);
	}
	out->tsc_start = start == UINT64_MAX ? 0 : start;
	out->tsc_end = end;
}

void
ct_snapshot_set(const struct ct_snapshot *s)
{
	rte_spinlock_lock(&snapshot_lock);
	snapshot = *s;
	rte_spinlock_unlock(&snapshot_lock);
}

static void
snapshot_get(struct ct_snapshot *s)
{
	rte_spinlock_lock(&snapshot_lock);
	*s = snapshot;
	rte_spinlock_unlock(&snapshot_lock);
}

/* The counters every reply about packets and flows has. */
static void
tel_counters(struct rte_tel_data *d, const struct ct_lcore_stats *s)
{
	tel_add_u64(d, "packets", s->packets);
	tel_add_u64(d, "ip_bytes", s->ip_bytes);
	tel_add_u64(d, "not_ipv4", s->not_ipv4);
	tel_add_u64(d, "bad_ipv4", s->bad_ipv4);
	tel_add_u64(d, "flows_created", s->created);
	tel_add_u64(d, "flows_expired", ct_stats_expired(s));
	tel_add_u64(d, "alloc_failures", s->alloc_failures);
}

static int
tel_stats(const char *cmd __rte_unused, const char *params __rte_unused,
		struct rte_tel_data *d)
{
	uint64_t peak[CT_OBJ_NUM], live[CT_OBJ_NUM];
	struct ct_lcore_stats s;
	struct ct_snapshot snap;

	snapshot_get(&snap);
	ct_stats_sum(&s);
	ct_workers_objects(peak, live);
	rte_tel_data_start_dict(d);
	rte_tel_data_add_dict_string(d, "allocator", ct_alloc_name(snap.allocator));
	tel_add_u64(d, "run", snap.run);
	tel_add_u64(d, "running", snap.running);
	tel_add_u64(d, "workers", ct_worker_count());
	tel_counters(d, &s);
	tel_add_u64(d, "flows_live", live[CT_OBJ_FLOW]);
	tel_add_u64(d, "memory_held", snap.mem.held);
	tel_add_u64(d, "memory_objects", snap.mem.objects);
	tel_add_u64(d, "memory_meta", snap.mem.meta);
	tel_add_u64(d, "memory_peak", snap.peak.held);
	return 0;
}

static int
tel_lcores(const char *cmd __rte_unused, const char *params __rte_unused,
		struct rte_tel_data *d)
{
	unsigned int lcore_id;

	rte_tel_data_start_array(d, RTE_TEL_INT_VAL);
	RTE_LCORE_FOREACH_WORKER(lcore_id)
		rte_tel_data_add_array_int(d, (int)lcore_id);
	return 0;
}

/* A new dictionary, for tel_add_child(); NULL when there is no memory. */
static struct rte_tel_data *
tel_child(void)
{
	struct rte_tel_data *c = rte_tel_data_alloc();

	if (c != NULL)
		rte_tel_data_start_dict(c);
	return c;
}

/* Add the dictionary @c to @d as @name (freeing it on failure). 0 or -ENOMEM. */
static int
tel_add_child(struct rte_tel_data *d, const char *name, struct rte_tel_data *c)
{
	if (c == NULL || rte_tel_data_add_dict_container(d, name, c, 0) != 0) {
		rte_tel_data_free(c);
		return -ENOMEM;
	}
	return 0;
}

/* A dictionary of one count per object type, added to @d as @name. */
static int
tel_per_type(struct rte_tel_data *d, const char *name, const uint32_t *counts)
{
	struct rte_tel_data *c = tel_child();
	unsigned int t;

	for (t = 0; c != NULL && t < CT_OBJ_NUM; t++)
		tel_add_u64(c, ct_obj_name(t), __atomic_load_n(&counts[t], __ATOMIC_RELAXED));
	return tel_add_child(d, name, c);
}

static int
tel_lcore(const char *cmd __rte_unused, const char *params, struct rte_tel_data *d)
{
	const struct ct_worker *w;
	struct ct_lcore_stats s;
	unsigned long id;
	char *end;

	if (params == NULL || *params < '0' || *params > '9')
		return -EINVAL;
	id = strtoul(params, &end, 10);
	if (*end != '\0' || id >= RTE_MAX_LCORE || id == rte_get_main_lcore() ||
			!rte_lcore_is_enabled((unsigned int)id))
		return -EINVAL;
	w = RTE_LCORE_VAR_LCORE((unsigned int)id, ct_workers);
	ct_stats_read((unsigned int)id, &s);
	rte_tel_data_start_dict(d);
	tel_add_u64(d, "queue", w->queue_id);
	tel_add_u64(d, "expires_lcore", w->peer_lcore);
	tel_counters(d, &s);
	tel_add_u64(d, "expired_inline", s.expired_inline);
	tel_add_u64(d, "expired_peer", s.expired_peer);
	tel_add_u64(d, "expired_late", s.expired_late);
	tel_add_u64(d, "expired_forced", s.expired_forced);
	tel_add_u64(d, "late_sweeps", s.late_sweeps);
	tel_add_u64(d, "proc_cycles", s.proc_cycles);
	if (tel_per_type(d, "live", w->table.live) < 0 ||
			tel_per_type(d, "peak", w->table.peak) < 0)
		return -ENOMEM;
	return 0;
}

static int
tel_objects(const char *cmd __rte_unused, const char *params __rte_unused,
		struct rte_tel_data *d)
{
	uint64_t peak[CT_OBJ_NUM], live[CT_OBJ_NUM];
	unsigned int t;

	ct_workers_objects(peak, live);
	rte_tel_data_start_dict(d);
	for (t = 0; t < CT_OBJ_NUM; t++) {
		struct rte_tel_data *c = tel_child();

		if (c != NULL) {
			tel_add_u64(c, "size", ct_obj_size(t));
			tel_add_u64(c, "live", live[t]);
			tel_add_u64(c, "peak", peak[t]);
		}
		if (tel_add_child(d, ct_obj_name(t), c) < 0)
			return -ENOMEM;
	}
	return 0;
}

int
ct_telemetry_register(void)
{
	static const struct {
		const char *cmd;
		telemetry_cb fn;
		const char *help;
	} cmds[] = {
		{ "/conntrack/stats", tel_stats,
			"The run: allocator, packets, flows, memory held. No parameters" },
		{ "/conntrack/lcores", tel_lcores, "The worker lcore ids. No parameters" },
		{ "/conntrack/lcore", tel_lcore,
			"One worker's counters and objects held. Parameters: int lcore_id" },
		{ "/conntrack/objects", tel_objects,
			"Each object type: size, objects held now and at peak. No parameters" },
	};
	unsigned int i;
	int ret;

	for (i = 0; i < RTE_DIM(cmds); i++) {
		ret = rte_telemetry_register_cmd(cmds[i].cmd, cmds[i].fn, cmds[i].help);
		if (ret < 0) {
			printf("conntrack: error: telemetry command %s: %s\n", cmds[i].cmd,
					strerror(-ret));
			return ret;
		}
	}
	return 0;
}
