/* SPDX-License-Identifier: BSD-3-Clause
 * Copyright(c) 2026 The dpdk-lcoremem authors
 */

#ifndef FASTMEM_FUZZ_H
#define FASTMEM_FUZZ_H

/*
 * The fastmem fuzz target: the shadow model (fastmem_fuzz_model.c) and the input decoder
 * (fastmem_fuzz.c). The input encoding is described at the top of fastmem_fuzz.c.
 */

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include <rte_common.h>

#include <rte_fastmem.h>

#define FZ_KIB ((size_t)1024)
#define FZ_MIB (FZ_KIB * FZ_KIB)
#define FZ_SLAB RTE_FASTMEM_SLAB_SIZE
#define FZ_SLAB_HDR RTE_FASTMEM_SLAB_HDR_SIZE /* documented: the slab header's bytes */
#define FZ_RUN_PAGE ((size_t)32 * FZ_KIB) /* documented: the page of runs */
#define FZ_PAGES (FZ_SLAB / FZ_RUN_PAGE)
#define FZ_NCLS 120 /* documented number of size classes */
#define FZ_MIN_CLASS ((size_t)8)
#define FZ_MAX_SIZE ((size_t)1 << 20)

/* Bounds that keep one input cheap and EAL memory (-m 2048) far from exhausted. */
#define FZ_MAX_LIVE 4096 /* live objects */
#define FZ_MAX_LIVE_BYTES (8 * FZ_MIB) /* live objects, counted at class size */
#define FZ_MAX_BACKING (64 * FZ_MIB) /* the most backing memory a reservation may reach */

/* Who makes the calls: the main lcore (0), the worker lcore (1) or a thread that has
 * no lcore id. */
enum fz_ctx {
	FZ_CTX_MAIN,
	FZ_CTX_WORKER,
	FZ_CTX_THREAD,
	FZ_N_CTX
};

#define FZ_WORKER_LCORE 1

/* A live object of the model. */
struct fz_obj {
	uint8_t *ptr;
	uint64_t key; /* its place in the live set (fastmem_fuzz_model.c) */
	size_t size; /* requested size: the bytes the pattern covers */
	uint32_t cls; /* class index */
	uint32_t id; /* pattern seed */
	int socket_id; /* the socket it was asked for, SOCKET_ID_ANY resolved */
};

/* Every statistic fastmem reports that the model checks. */
struct fz_snap {
	struct rte_fastmem_stats all;
	struct rte_fastmem_class_stats cls[FZ_NCLS];
	/* lcore 0, lcore 1, threads without lcore id (shared) */
	struct rte_fastmem_lcore_stats lc[FZ_N_CTX];
	struct rte_fastmem_lcore_class_stats lcc[FZ_N_CTX][FZ_NCLS];
};

#define FZ_MAX_HANDLES 8

/* A handle the model looked up. */
struct fz_handle {
	rte_fastmem_handle_t h;
	size_t size; /* the size looked up: the bytes the pattern of its objects covers */
	uint32_t cls;
	int socket_id; /* SOCKET_ID_ANY resolved */
};

/* The shadow model. */
struct fz_model {
	/* live objects, sorted by key (slab rank, then address): an interval set over
	 * [ptr, ptr + class size) */
	struct fz_obj objs[FZ_MAX_LIVE];
	unsigned int n;
	size_t live_bytes; /* sum of class sizes */
	uint32_t live_cls[FZ_NCLS];
	uint32_t next_id;

	/* events since the baseline, per calling context and class */
	uint64_t allocs[FZ_N_CTX][FZ_NCLS];
	uint64_t frees[FZ_N_CTX][FZ_NCLS];
	uint64_t nomem[FZ_N_CTX][FZ_NCLS];
	struct fz_snap base;

	bool initialized;
	bool strict; /* exactly one socket: ENOMEM and limits are checked exactly */
	unsigned int n_sockets;
	int sockets[RTE_MAX_NUMA_NODES]; /* known NUMA socket ids */
	size_t limits[RTE_MAX_NUMA_NODES]; /* as set, per known socket */
	/* backing memory when the limit was set: a limit below it only stops growth */
	size_t limit_backing[RTE_MAX_NUMA_NODES];
	size_t default_limit;
	bool worker_used; /* lcore 1 made calls in this input */
	size_t reserved; /* bytes reserved with rte_fastmem_reserve() since init */
	struct fz_handle handles[FZ_MAX_HANDLES]; /* handles of this init, oldest replaced */
	unsigned int n_handles;
	unsigned int next_handle;
};

/*
 * The outcome of the input being run, as a digest: the opcodes, the number and bytes of
 * live objects after each operation (what succeeded and failed), and where each new
 * object lies in its slab (not its address: the same input must give the same digest
 * whatever ran before it, fastmem_fuzz_replay --order-check checks that). Errors are the
 * model's to check; rte_errno after a success is left out, as it is unspecified.
 */
extern uint64_t fz_digest;

static inline void
fz_digest_add(uint64_t v)
{
	/* FNV-1a over the value's 8 bytes */
	unsigned int i;

	for (i = 0; i < 8; i++) {
		fz_digest ^= (v >> (8 * i)) & 0xff;
		fz_digest *= UINT64_C(0x100000001b3);
	}
}

#define FZ_DIGEST_SEED UINT64_C(0xcbf29ce484222325)

extern struct fz_model fz;
extern enum fz_ctx fz_cur_ctx;
extern unsigned int fz_op_no;

/* Report a model mismatch and abort(). */
__rte_noreturn __rte_format_printf(1, 2)
void fz_fail(const char *fmt, ...);

#define FZ_CHECK(cond, ...) do { \
	if (unlikely(!(cond))) \
		fz_fail(__VA_ARGS__); \
} while (0)

size_t fz_class_size(unsigned int cls);
size_t fz_class_align(unsigned int cls);
unsigned int fz_class_of(size_t size, size_t align);
unsigned int fz_run_pages(unsigned int cls);
unsigned int fz_run_min(unsigned int cls);
unsigned int fz_run_max(unsigned int cls);
size_t fz_limit_floor(size_t limit);

int fz_socket_index(int socket_id);
int fz_local_socket(void);

void fz_fill(const struct fz_obj *o);
void fz_verify(const struct fz_obj *o, size_t len, const char *when);
void fz_check_zero(const void *p, size_t size);

void fz_check_new(void *p, unsigned int cls, size_t align);
struct fz_obj *fz_add(void *p, size_t size, unsigned int cls, int socket_id);
int fz_find(const void *p);
void fz_remove(unsigned int idx);
void fz_forget_all(void);

void fz_rebase_last(void);
void fz_check_stats(bool leak_check);
void fz_check_reset(bool full);
void fz_untouch_all(void);
bool fz_nomem_ok(int socket_id, unsigned int cls, unsigned int n);
bool fz_eal_can_give_slab(int socket_id);
size_t fz_backing(void);

/* The libFuzzer entry points, also called by the replay driver. */
int LLVMFuzzerInitialize(int *argc, char ***argv);
int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

#endif /* FASTMEM_FUZZ_H */
