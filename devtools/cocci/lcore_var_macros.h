/* SPDX-License-Identifier: BSD-3-Clause
 * Copyright(c) 2026 The dpdk-lcoremem authors
 */

/*
 * Parsing hints for spatch (its --macro-file): how DPDK's attribute and declaration
 * macros read to Coccinelle's C parser, which does not follow #include. Without them,
 * a struct member written with TAILQ_ENTRY() or a declaration carrying
 * __rte_cache_aligned fails to parse, and spatch silently skips the code around it.
 * Never compiled.
 */

/* attributes: kept as annotations, so that a rule may remove them */
#define __rte_cache_aligned MACROANNOTATION
#define __rte_cache_min_aligned MACROANNOTATION
#define __rte_aligned(a) MACROANNOTATION
#define __rte_packed MACROANNOTATION
#define __rte_unused MACROANNOTATION
#define __rte_used MACROANNOTATION
#define __rte_always_inline MACROANNOTATION
#define __rte_noinline MACROANNOTATION
#define __rte_hot MACROANNOTATION
#define __rte_cold MACROANNOTATION
#define __rte_experimental MACROANNOTATION
#define __rte_internal MACROANNOTATION
#define __rte_weak MACROANNOTATION
#define __rte_format_printf(a, b) MACROANNOTATION
#define __rte_malloc MACROANNOTATION
#define __rte_dealloc(a, b) MACROANNOTATION
#define __rte_alloc_size(...) MACROANNOTATION
#define __rte_alloc_align(a) MACROANNOTATION
#define __rte_warn_unused_result MACROANNOTATION
#define __rte_deprecated MACROANNOTATION
#define __rte_lockable MACROANNOTATION
#define __rte_guarded_by(...) MACROANNOTATION
#define __rte_no_thread_safety_analysis MACROANNOTATION
#define __rte_exclusive_locks_required(...) MACROANNOTATION
#define __rte_shared_locks_required(...) MACROANNOTATION

/* a cache guard member, from DPDK 23.03 on */
#define RTE_CACHE_GUARD char rte_cache_guard[64]

/* <sys/queue.h> and DPDK's TAILQ helpers used as member declarations */
#define TAILQ_ENTRY(type) struct { struct type *tqe_next; struct type **tqe_prev; }
#define TAILQ_HEAD(name, type) struct name { struct type *tqh_first; struct type **tqh_last; }
#define LIST_ENTRY(type) struct { struct type *le_next; struct type **le_prev; }
#define LIST_HEAD(name, type) struct name { struct type *lh_first; }
#define STAILQ_ENTRY(type) struct { struct type *stqe_next; }
#define STAILQ_HEAD(name, type) struct name { struct type *stqh_first; struct type **stqh_last; }
#define RTE_TAILQ_HEAD(name, type) TAILQ_HEAD(name, type)
#define RTE_TAILQ_ENTRY(type) TAILQ_ENTRY(type)

/* per-lcore TLS */
#define RTE_DEFINE_PER_LCORE(type, name) __thread type per_lcore_##name
#define RTE_DECLARE_PER_LCORE(type, name) extern __thread type per_lcore_##name
#define RTE_PER_LCORE(name) (per_lcore_##name)

/* iterators */
#define RTE_LCORE_FOREACH(i) for (;;)
#define RTE_LCORE_FOREACH_WORKER(i) for (;;)
#define RTE_LCORE_VAR_FOREACH(lcore_id, value, handle) for (;;)
#define TAILQ_FOREACH(var, head, field) for (;;)
#define TAILQ_FOREACH_SAFE(var, head, field, tvar) for (;;)
#define RTE_TAILQ_FOREACH(var, head, field) for (;;)
#define RTE_TAILQ_FOREACH_SAFE(var, head, field, tvar) for (;;)
#define LIST_FOREACH(var, head, field) for (;;)
#define STAILQ_FOREACH(var, head, field) for (;;)
