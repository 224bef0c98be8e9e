/* SPDX-License-Identifier: BSD-3-Clause
 * Copyright(c) 2026 The dpdk-lcoremem authors
 */

#ifndef CT_WORKER_H
#define CT_WORKER_H

/*
 * The worker lcores. Every EAL worker lcore is a conntrack worker: it receives from
 * its own queue of the port, owns a flow table, and expires the flows of the next
 * worker's table (the last worker expires the first one's).
 */

#include <stdbool.h>
#include <stdint.h>

#include <rte_lcore_var.h>

#include <rte_fastmem.h>

#include "ct_config.h"
#include "ct_flow.h"
#include "ct_stats.h"

/* The state of a worker lcore. */
struct ct_worker {
	unsigned int index; /* 0 to workers - 1, in lcore id order */
	unsigned int peer_lcore; /* the worker whose table this one expires */
	uint16_t port_id;
	uint16_t queue_id;
	bool input_ends; /* an empty receive is the end of the input */
	unsigned int ext_after;
	uint32_t running; /* 1 from launch until the worker's loop ends */
	rte_fastmem_handle_t handles[CT_OBJ_NUM]; /* for allocations on its socket */
	struct ct_table table; /* its flows */
};

/* Each worker lcore's state and counters (lcore variables). */
extern RTE_LCORE_VAR_HANDLE(struct ct_worker, ct_workers);
extern RTE_LCORE_VAR_HANDLE(struct ct_lcore_stats, ct_stats);

/* Set by SIGINT and SIGTERM: workers end their input, the application stops. */
extern volatile int ct_quit;

/* The number of worker lcores. */
unsigned int ct_worker_count(void);

/* Set up every worker's state and table for @cfg and the port. 0, or -1 (printed). */
int ct_workers_init(const struct ct_config *cfg, bool input_ends);

/* Free the workers' tables (empty). */
void ct_workers_fini(void);

/*
 * Prepare a run on the current allocator: empty tables, counters to zero, fastmem
 * handles looked up. 0, or -1 (printed).
 */
int ct_workers_reset(void);

/* The worker loop, for rte_eal_remote_launch(). */
int ct_worker_main(void *arg);

/* Whether any worker is still in its loop. */
bool ct_workers_running(void);

/* Free every flow left in the tables once the workers are done; the number freed. */
uint64_t ct_workers_flush(void);

/* Sum of the tables' per-type peaks and, when @live is not NULL, current counts. */
void ct_workers_objects(uint64_t peak[CT_OBJ_NUM], uint64_t live[CT_OBJ_NUM]);

#endif /* CT_WORKER_H */
