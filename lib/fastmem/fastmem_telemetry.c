/* SPDX-License-Identifier: BSD-3-Clause
 * Copyright(c) 2026 The dpdk-lcoremem authors
 */

/*
 * Telemetry commands.
 *
 *   /fastmem/info           initialized or not, process type, classes; limit, backing and
 *                           trimmed bytes per socket; the attached processes, reclaims
 *   /fastmem/procs          a record per attached process: type, cache sets, cached bytes
 *   /fastmem/stats          struct rte_fastmem_stats, and the threads without an lcore id
 *   /fastmem/class,<size>   struct rte_fastmem_class_stats of one class
 *   /fastmem/lcore,<id>     struct rte_fastmem_lcore_stats of one lcore, class by class
 *   /fastmem/lcore_list     the lcore ids with statistics to show
 *
 * The callbacks run in EAL's telemetry thread, which has no lcore id: they only read,
 * through the public statistics functions (MT-safe from any thread). The per-socket
 * backing figures and the process records have no public getter, so they are read from
 * the shared state (under its locks) the way rte_fastmem_dump() reads them. Before
 * rte_fastmem_init() (and after rte_fastmem_deinit()) every command answers
 * {"initialized": 0, ...} instead of failing. A query in a secondary process that has
 * not attached does not attach it (fastmem_stats_attach_hold()).
 * Unlike the application's calls, a query may overlap rte_fastmem_init() or
 * rte_fastmem_deinit(): it holds the lifecycle lock those take (see TEL_LOCKED below).
 *
 * Replies keep to two levels of nesting (a dict whose values may be dicts or arrays of
 * numbers), the most DPDK 22.11's telemetry encodes.
 */

#include <errno.h>
#include <limits.h>
#include <stdbool.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>

#include <rte_common.h>
#include <rte_eal.h>
#include <rte_errno.h>
#include <rte_lcore.h>
#include <rte_telemetry.h>
#include <rte_version.h>

#include "fastmem_priv.h"

/* DPDK 23.03 renamed the unsigned telemetry values from u64 to uint. */
#if RTE_VERSION >= RTE_VERSION_NUM(23, 3, 0, 0)
#define TEL_UINT_VAL RTE_TEL_UINT_VAL
#define tel_add_dict_u64 rte_tel_data_add_dict_uint
#define tel_add_array_u64 rte_tel_data_add_array_uint
#else
#define TEL_UINT_VAL RTE_TEL_U64_VAL
#define tel_add_dict_u64 rte_tel_data_add_dict_u64
#define tel_add_array_u64 rte_tel_data_add_array_u64
#endif

/* Start the reply; say whether fastmem is initialized. */
static bool
tel_start(struct rte_tel_data *d)
{
	struct rte_fastmem_stats s;
	bool init = rte_fastmem_stats(&s) == 0;

	rte_tel_data_start_dict(d);
	rte_tel_data_add_dict_int(d, "initialized", init ? 1 : 0);
	return init;
}

/* Parse a decimal parameter, the whole of it; -1 when there is none or it is not one. */
static int
tel_param(const char *params, unsigned long *val)
{
	char *end;

	if (params == NULL || *params < '0' || *params > '9')
		return -1;
	errno = 0;
	*val = strtoul(params, &end, 10);
	if (errno != 0 || *end != '\0')
		return -1;
	return 0;
}

/* The per-socket figures of /fastmem/info. */
enum tel_socket_field {
	TEL_SOCKET_LIMIT,
	TEL_SOCKET_BACKING,
	TEL_SOCKET_TRIMMED,
};

/* Add a dict of per-socket values as a container; false when it cannot be had. */
static bool
tel_socket_dict(struct rte_tel_data *d, const char *name, struct fastmem_state *st,
		enum tel_socket_field field)
{
	unsigned int n = __atomic_load_n(&st->n_sockets, __ATOMIC_ACQUIRE);
	struct rte_tel_data *sd = rte_tel_data_alloc();
	unsigned int sidx;

	if (sd == NULL)
		return false;
	rte_tel_data_start_dict(sd);
	for (sidx = 0; sidx < n; sidx++) {
		const struct fastmem_socket *s = st->sockets[sidx];
		char key[32];

		uint64_t v;

		snprintf(key, sizeof(key), "socket_%d", s->socket_id);
		switch (field) {
		case TEL_SOCKET_LIMIT:
			v = rte_fastmem_get_limit(s->socket_id);
			break;
		case TEL_SOCKET_BACKING:
			v = FASTMEM_LOAD(&s->backing);
			break;
		default:
			v = FASTMEM_LOAD(&s->trimmed);
			break;
		}
		tel_add_dict_u64(sd, key, v);
	}
	if (rte_tel_data_add_dict_container(d, name, sd, 0) != 0) {
		rte_tel_data_free(sd);
		return false;
	}
	return true;
}

/* The processes of /fastmem/info: "procs", the pids of the attached processes (the
 * primary first), and the counts of rte_fastmem_stats_procs(). */
static int
tel_procs(struct rte_tel_data *d, struct fastmem_state *st)
{
	struct rte_fastmem_proc_stats ps;
	struct rte_tel_data *pids;
	unsigned int p;

	if (rte_fastmem_stats_procs(&ps) != 0)
		return 0;
	tel_add_dict_u64(d, "procs_attached", ps.attached);
	tel_add_dict_u64(d, "procs_reclaimed", ps.reclaimed);
	tel_add_dict_u64(d, "objs_reclaimed", ps.objs_reclaimed);
	/* an int in 22.11's telemetry */
	rte_tel_data_add_dict_int(d, "objs_left", ps.objs_left > INT_MAX ? INT_MAX :
			ps.objs_left < INT_MIN ? INT_MIN : (int)ps.objs_left);
	pids = rte_tel_data_alloc();
	if (pids == NULL)
		return -ENOMEM;
	rte_tel_data_start_array(pids, TEL_UINT_VAL);
	rte_spinlock_lock(&st->stats_lock);
	for (p = 0; p < FASTMEM_MAX_PROCS; p++)
		if (st->procs[p].where == FASTMEM_PROC_ATTACHED)
			tel_add_array_u64(pids, (uint64_t)st->procs[p].pid);
	rte_spinlock_unlock(&st->stats_lock);
	if (rte_tel_data_add_dict_container(d, "procs", pids, 0) != 0) {
		rte_tel_data_free(pids);
		return -ENOMEM;
	}
	return 0;
}

static int
tel_info(const char *cmd __rte_unused, const char *params __rte_unused,
		struct rte_tel_data *d)
{
	size_t sizes[RTE_FASTMEM_MAX_CLASSES];
	struct rte_tel_data *cl;
	struct fastmem_state *st;
	unsigned int n, c;
	bool init;

	init = tel_start(d);
	n = rte_fastmem_classes(sizes);
	rte_tel_data_add_dict_string(d, "proc_type",
			rte_eal_process_type() == RTE_PROC_PRIMARY ? "primary" : "secondary");
	tel_add_dict_u64(d, "max_size", rte_fastmem_max_size());
	tel_add_dict_u64(d, "slab_size", RTE_FASTMEM_SLAB_SIZE);
	tel_add_dict_u64(d, "page_size", (uint64_t)1 << RTE_FASTMEM_PAGE_SHIFT);
	tel_add_dict_u64(d, "cache_bytes_max", RTE_FASTMEM_CACHE_BYTES_MAX);
	tel_add_dict_u64(d, "n_classes", n);
	cl = rte_tel_data_alloc();
	if (cl == NULL)
		return -ENOMEM;
	rte_tel_data_start_array(cl, TEL_UINT_VAL);
	for (c = 0; c < n; c++)
		tel_add_array_u64(cl, sizes[c]);
	if (rte_tel_data_add_dict_container(d, "classes", cl, 0) != 0) {
		rte_tel_data_free(cl);
		return -ENOMEM;
	}
	if (!init)
		return 0;

	st = fastmem_state();
	if (st == NULL) /* deinitialized before the lock was taken */
		return 0;
	/* SIZE_MAX means no limit */
	tel_add_dict_u64(d, "default_limit", rte_fastmem_get_limit(SOCKET_ID_ANY));
	tel_add_dict_u64(d, "cache_budget", rte_fastmem_get_cache_budget());
	if (!tel_socket_dict(d, "limit", st, TEL_SOCKET_LIMIT) ||
			!tel_socket_dict(d, "backing_bytes", st, TEL_SOCKET_BACKING) ||
			!tel_socket_dict(d, "trimmed_bytes", st, TEL_SOCKET_TRIMMED))
		return -ENOMEM;
	return tel_procs(d, st);
}

/* Add the hit, miss and ENOMEM counters that every statistics struct has, from *(s). */
#define TEL_COUNTERS(d, s) do { \
	tel_add_dict_u64(d, "alloc_cache_hits", (s)->alloc_cache_hits); \
	tel_add_dict_u64(d, "alloc_cache_misses", (s)->alloc_cache_misses); \
	tel_add_dict_u64(d, "free_cache_hits", (s)->free_cache_hits); \
	tel_add_dict_u64(d, "free_cache_misses", (s)->free_cache_misses); \
	tel_add_dict_u64(d, "alloc_nomem", (s)->alloc_nomem); \
} while (0)

/* Add the counters common to struct rte_fastmem_lcore_stats and the shared path. */
static void
tel_lcore_fields(struct rte_tel_data *d, const struct rte_fastmem_lcore_stats *ls)
{
	TEL_COUNTERS(d, ls);
	tel_add_dict_u64(d, "bytes_cached", ls->bytes_cached);
}

static int
tel_stats(const char *cmd __rte_unused, const char *params __rte_unused,
		struct rte_tel_data *d)
{
	struct rte_fastmem_lcore_stats sh;
	struct rte_fastmem_stats s;
	struct rte_tel_data *shd;

	if (!tel_start(d) || rte_fastmem_stats(&s) != 0)
		return 0;
	tel_add_dict_u64(d, "bytes_backing", s.bytes_backing);
	tel_add_dict_u64(d, "bytes_in_use", s.bytes_in_use);
	tel_add_dict_u64(d, "bytes_cached", s.bytes_cached);
	tel_add_dict_u64(d, "alloc_total", s.alloc_total);
	tel_add_dict_u64(d, "free_total", s.free_total);
	tel_add_dict_u64(d, "alloc_nomem", s.alloc_nomem);
	tel_add_dict_u64(d, "n_classes", s.n_classes);
	tel_add_dict_u64(d, "bytes_free", s.bytes_free);
	tel_add_dict_u64(d, "bytes_free_pages", s.bytes_free_pages);
	tel_add_dict_u64(d, "bytes_overhead", s.bytes_overhead);

	if (rte_fastmem_stats_shared(&sh) != 0)
		return 0;
	shd = rte_tel_data_alloc();
	if (shd == NULL)
		return -ENOMEM;
	rte_tel_data_start_dict(shd);
	tel_lcore_fields(shd, &sh);
	if (rte_tel_data_add_dict_container(d, "no_lcore_id", shd, 0) != 0) {
		rte_tel_data_free(shd);
		return -ENOMEM;
	}
	return 0;
}

/* Whether class_size is one of the class sizes. */
static bool
tel_is_class(unsigned long class_size)
{
	size_t sizes[RTE_FASTMEM_MAX_CLASSES];
	unsigned int n = rte_fastmem_classes(sizes), c;

	for (c = 0; c < n; c++)
		if (sizes[c] == class_size)
			return true;
	return false;
}

static int
tel_class(const char *cmd __rte_unused, const char *params, struct rte_tel_data *d)
{
	struct rte_fastmem_lcore_class_stats lcs;
	struct rte_fastmem_class_stats cs;
	unsigned long class_size;
	uint64_t cached = 0;
	unsigned int l;

	if (tel_param(params, &class_size) != 0 || !tel_is_class(class_size))
		return -EINVAL;
	if (!tel_start(d) || rte_fastmem_stats_class(class_size, &cs) != 0)
		return 0;
	for (l = 0; l < RTE_MAX_LCORE; l++)
		if (rte_fastmem_stats_lcore_class(l, class_size, &lcs) == 0)
			cached += lcs.cached;
	tel_add_dict_u64(d, "class_size", cs.class_size);
	tel_add_dict_u64(d, "in_use", cs.in_use);
	tel_add_dict_u64(d, "cached", cached);
	TEL_COUNTERS(d, &cs);
	tel_add_dict_u64(d, "slab_acquires", cs.slab_acquires);
	tel_add_dict_u64(d, "slab_releases", cs.slab_releases);
	tel_add_dict_u64(d, "slabs_partial", cs.slabs_partial);
	tel_add_dict_u64(d, "slabs_full", cs.slabs_full);
	tel_add_dict_u64(d, "bytes_runs", cs.bytes_runs);
	tel_add_dict_u64(d, "objs_runs", cs.objs_runs);
	tel_add_dict_u64(d, "objs_free", cs.objs_free);
	return 0;
}

static const char *
tel_role(unsigned int lcore_id)
{
	switch (rte_eal_lcore_role(lcore_id)) {
	case ROLE_RTE:
		return "eal";
	case ROLE_SERVICE:
		return "service";
	case ROLE_NON_EAL:
		return "non_eal";
	default:
		return "off";
	}
}

/* The per-class part of /fastmem/lcore: a dict for each class the lcore has used. */
static int
tel_lcore_classes(struct rte_tel_data *d, unsigned int lcore_id)
{
	size_t sizes[RTE_FASTMEM_MAX_CLASSES];
	unsigned int n = rte_fastmem_classes(sizes), c;

	for (c = 0; c < n; c++) {
		struct rte_fastmem_lcore_class_stats s;
		struct rte_tel_data *cd;
		char key[32];

		if (rte_fastmem_stats_lcore_class(lcore_id, sizes[c], &s) != 0)
			return 0;
		if (s.alloc_cache_hits + s.alloc_cache_misses + s.free_cache_hits +
				s.free_cache_misses + s.alloc_nomem + s.cached == 0)
			continue;
		cd = rte_tel_data_alloc();
		if (cd == NULL)
			return -ENOMEM;
		rte_tel_data_start_dict(cd);
		TEL_COUNTERS(cd, &s);
		tel_add_dict_u64(cd, "cached", s.cached);
		tel_add_dict_u64(cd, "cache_capacity", s.cache_capacity);
		snprintf(key, sizeof(key), "class_%zu", sizes[c]);
		if (rte_tel_data_add_dict_container(d, key, cd, 0) != 0) {
			rte_tel_data_free(cd);
			return -ENOMEM;
		}
	}
	return 0;
}

static int
tel_lcore(const char *cmd __rte_unused, const char *params, struct rte_tel_data *d)
{
	struct rte_fastmem_lcore_stats ls;
	unsigned long lcore_id;

	if (tel_param(params, &lcore_id) != 0 || lcore_id >= RTE_MAX_LCORE)
		return -EINVAL;
	if (!tel_start(d))
		return 0;
	tel_add_dict_u64(d, "lcore_id", lcore_id);
	rte_tel_data_add_dict_string(d, "role", tel_role(lcore_id));
	if (rte_fastmem_stats_lcore(lcore_id, &ls) != 0)
		return 0;
	tel_lcore_fields(d, &ls);
	return tel_lcore_classes(d, lcore_id);
}

static int
tel_lcore_list(const char *cmd __rte_unused, const char *params __rte_unused,
		struct rte_tel_data *d)
{
	struct rte_tel_data *ids;
	unsigned int l;

	if (!tel_start(d))
		return 0;
	ids = rte_tel_data_alloc();
	if (ids == NULL)
		return -ENOMEM;
	rte_tel_data_start_array(ids, TEL_UINT_VAL);
	for (l = 0; l < RTE_MAX_LCORE; l++) {
		struct rte_fastmem_lcore_stats s;

		if (rte_fastmem_stats_lcore(l, &s) != 0)
			break;
		if (s.alloc_cache_hits + s.alloc_cache_misses + s.free_cache_hits +
				s.free_cache_misses + s.alloc_nomem + s.bytes_cached > 0)
			tel_add_array_u64(ids, l);
	}
	if (rte_tel_data_add_dict_container(d, "lcores", ids, 0) != 0) {
		rte_tel_data_free(ids);
		return -ENOMEM;
	}
	return 0;
}

/*
 * Queries arrive on EAL's telemetry thread at any time, also while the application runs
 * rte_fastmem_init() or rte_fastmem_deinit() (which the public statistics functions need
 * not tolerate): each query holds the lifecycle lock, so the state it reads stays.
 */
#define TEL_LOCKED(fn) \
static int \
fn ## _locked(const char *cmd, const char *params, struct rte_tel_data *d) \
{ \
	int ret; \
	rte_spinlock_lock(&fastmem_lifecycle); \
	fastmem_stats_attach_hold(true); \
	ret = fn(cmd, params, d); \
	fastmem_stats_attach_hold(false); \
	rte_spinlock_unlock(&fastmem_lifecycle); \
	return ret; \
}

/* /fastmem/procs: per attached process, keyed by pid, its record in the shared state. */
static int
tel_procs_cmd(const char *cmd __rte_unused, const char *params __rte_unused,
		struct rte_tel_data *d)
{
	struct fastmem_state *st;
	unsigned int p;

	if (!tel_start(d))
		return 0;
	st = fastmem_state();
	if (st == NULL)
		return 0;
	rte_spinlock_lock(&st->stats_lock);
	for (p = 0; p < FASTMEM_MAX_PROCS; p++) {
		const struct fastmem_proc *pr = &st->procs[p];
		const struct fastmem_cset *cs;
		uint64_t sets = 0, cached = 0;
		struct rte_tel_data *r;
		char key[16];
		unsigned int c;

		if (pr->where != FASTMEM_PROC_ATTACHED)
			continue;
		for (cs = pr->csets; cs != NULL; cs = cs->next_proc) {
			if (!cs->live)
				continue;
			sets++;
			for (c = 0; c < FASTMEM_NUM_CLASSES; c++)
				cached += (uint64_t)FASTMEM_LOAD(&fastmem_cset_cache(
					(struct fastmem_cset *)(uintptr_t)cs, c)->len) *
					fastmem_class_size(c);
		}
		r = rte_tel_data_alloc();
		if (r == NULL)
			break;
		rte_tel_data_start_dict(r);
		rte_tel_data_add_dict_string(r, "type",
				pr->type == RTE_PROC_PRIMARY ? "primary" : "secondary");
		tel_add_dict_u64(r, "slot", p);
		tel_add_dict_u64(r, "cache_sets", sets);
		tel_add_dict_u64(r, "bytes_cached", cached);
		snprintf(key, sizeof(key), "%d", (int)pr->pid);
		if (rte_tel_data_add_dict_container(d, key, r, 0) != 0) {
			rte_tel_data_free(r);
			break;
		}
	}
	rte_spinlock_unlock(&st->stats_lock);
	return 0;
}

TEL_LOCKED(tel_info)
TEL_LOCKED(tel_procs_cmd)
TEL_LOCKED(tel_stats)
TEL_LOCKED(tel_class)
TEL_LOCKED(tel_lcore)
TEL_LOCKED(tel_lcore_list)

/* Register a command; a failure (a help text of RTE_TEL_MAX_STRING_LEN, 128 B, or more,
 * say) is logged, not silent. */
static void
tel_register(const char *cmd, telemetry_cb fn, const char *help)
{
	int ret = rte_telemetry_register_cmd(cmd, fn, help);

	if (ret != 0)
		FASTMEM_LOG(ERR, "cannot register telemetry command %s: %s", cmd,
			rte_strerror(-ret));
}

RTE_INIT(fastmem_telemetry_init)
{
	tel_register("/fastmem/info", tel_info_locked,
			"Returns fastmem's size classes, per-socket limits, backing and trimmed "
			"bytes, attached processes. Takes no parameters");
	tel_register("/fastmem/procs", tel_procs_cmd_locked,
			"Returns a record per process attached to fastmem, keyed by pid. "
			"Takes no parameters");
	tel_register("/fastmem/stats", tel_stats_locked,
			"Returns fastmem's global statistics. Takes no parameters");
	tel_register("/fastmem/class", tel_class_locked,
			"Returns the statistics of one fastmem size class. "
			"Parameters: int class_size");
	tel_register("/fastmem/lcore", tel_lcore_locked,
			"Returns the fastmem statistics of one lcore, class by class. "
			"Parameters: int lcore_id");
	tel_register("/fastmem/lcore_list", tel_lcore_list_locked,
			"Returns the lcore ids with fastmem statistics. Takes no parameters");
}
