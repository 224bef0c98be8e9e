/* SPDX-License-Identifier: BSD-3-Clause
 * Copyright(c) 2026 The dpdk-lcoremem authors
 */

/*
 * The public allocation entry points: the top layer.
 *
 * Argument checking, error reporting, socket resolution and fallback, zeroing, the
 * debug hooks at the user boundary; realloc, virt2iova, cache flush, and the handles
 * (lookup, and the out-of-line halves of the inline calls of rte_fastmem.h).
 * Owns: nothing but the class sizes it reports.
 * Locks: none of its own.
 * Calls: down to the socket table (lifecycle), the caches, the bins (ENOMEM retry, flush)
 * and the zones (IOVA).
 */

#include <errno.h>
#include <stdbool.h>
#include <string.h>

#include <rte_branch_prediction.h>
#include <rte_common.h>
#include <rte_errno.h>
#include <rte_lcore.h>

#include <eal_export.h>

#include "fastmem_debug.h"
#include "fastmem_priv.h"

#define FASTMEM_X_SIZE(size) size,
static const size_t fastmem_class_sizes[] = { RTE_FASTMEM_CLASS_TABLE(FASTMEM_X_SIZE) };

RTE_EXPORT_EXPERIMENTAL_SYMBOL(rte_fastmem_max_size, 26.03)
size_t
rte_fastmem_max_size(void)
{
	return RTE_FASTMEM_MAX_CLASS_SIZE;
}

RTE_EXPORT_EXPERIMENTAL_SYMBOL(rte_fastmem_classes, 26.03)
unsigned int
rte_fastmem_classes(size_t *sizes)
{
	if (sizes != NULL)
		memcpy(sizes, fastmem_class_sizes, sizeof(fastmem_class_sizes));
	return RTE_FASTMEM_NUM_CLASSES;
}

/* Set rte_errno, log, and hand back NULL. */
static void *
fail_null(int err, const char *what)
{
	FASTMEM_LOG(DEBUG, "%s: %s", what, strerror(err));
	rte_errno = err;
	return NULL;
}

static int
fail_int(int err, const char *what)
{
	FASTMEM_LOG(DEBUG, "%s: %s", what, strerror(err));
	rte_errno = err;
	return -err;
}

/* The class for (size, align, flags), or a negative errno. */
static int
class_for(size_t size, size_t align, unsigned int flags, const char **what)
{
	if (unlikely(size > RTE_FASTMEM_MAX_CLASS_SIZE)) {
		*what = "size above the maximum";
		return -E2BIG;
	}
	if (unlikely((align & (align - 1)) != 0)) {
		*what = "alignment not a power of two";
		return -EINVAL;
	} else if (unlikely(align > RTE_FASTMEM_MAX_CLASS_SIZE)) {
		*what = "alignment above the largest class";
		return -E2BIG;
	}
	if (unlikely((flags & ~RTE_FASTMEM_F_ZERO) != 0)) {
		*what = "unknown flags";
		return -EINVAL;
	}
	return (int)__rte_fastmem_class_for(size, align);
}

/* Count an allocation call that failed with ENOMEM, where the caller's stats live. */
static void
count_nomem(struct fastmem_state *st, unsigned int sidx, unsigned int cls)
{
	unsigned int lcore_id = rte_lcore_id();
	struct rte_fastmem_cache *c = NULL;

	if (lcore_id < RTE_MAX_LCORE)
		c = fastmem_cache_get(st, lcore_id, sidx, cls);
	if (c != NULL)
		FASTMEM_COUNT(&c->alloc_nomem, 1);
	else
		fastmem_bin_count_nomem(st, sidx, cls);
}

/*
 * Before failing with ENOMEM on a socket, the calling lcore returns what its own caches
 * of that socket hold, which may free slabs for the class wanted; true when there was
 * anything to return (worth a retry).
 */
static bool
flush_own(struct fastmem_state *st, unsigned int sidx)
{
	unsigned int lcore_id = rte_lcore_id();
	unsigned int n = 0;

	if (lcore_id < RTE_MAX_LCORE)
		n = fastmem_lcore_flush(st, lcore_id, sidx);
	/* and the socket's transfer caches, which count as cached too */
	n += fastmem_xfer_flush(st, sidx);
	return n > 0;
}

static void *
alloc_one_retry(struct fastmem_state *st, unsigned int sidx, unsigned int cls)
{
	void *obj = fastmem_alloc_one(st, sidx, cls);

	if (unlikely(obj == NULL) && flush_own(st, sidx))
		obj = fastmem_alloc_one(st, sidx, cls);
	return obj;
}

static int
alloc_n_retry(struct fastmem_state *st, unsigned int sidx, unsigned int cls, void **objs,
		unsigned int n)
{
	int ret = fastmem_alloc_n(st, sidx, cls, objs, n);

	if (unlikely(ret < 0) && flush_own(st, sidx))
		ret = fastmem_alloc_n(st, sidx, cls, objs, n);
	return ret;
}

RTE_EXPORT_EXPERIMENTAL_SYMBOL(rte_fastmem_alloc_socket, 26.03)
void *
rte_fastmem_alloc_socket(size_t size, size_t align, unsigned int flags, int socket_id)
{
	struct fastmem_state *st = fastmem_state();
	const char *what = NULL;
	unsigned int i;
	int cls, sidx;
	void *obj;

	if (unlikely(st == NULL))
		return fail_null(ENODEV, "not initialized");
	cls = class_for(size, align, flags, &what);
	if (unlikely(cls < 0))
		return fail_null(-cls, what);
	sidx = fastmem_socket_lookup(st, socket_id);
	if (unlikely(sidx < 0))
		return fail_null(-sidx, "socket lookup");
	obj = alloc_one_retry(st, (unsigned int)sidx, (unsigned int)cls);
	if (unlikely(obj == NULL) && socket_id == SOCKET_ID_ANY) {
		/* the other NUMA sockets; slots below n_numa always exist */
		for (i = 0; i < st->n_numa && obj == NULL; i++)
			if (i != (unsigned int)sidx)
				obj = alloc_one_retry(st, i, (unsigned int)cls);
	}
	if (unlikely(obj == NULL)) {
		count_nomem(st, (unsigned int)sidx, (unsigned int)cls);
		return fail_null(ENOMEM, "no memory");
	}
	fastmem_dbg_alloc(obj, size);
	if (flags & RTE_FASTMEM_F_ZERO)
		memset(obj, 0, size);
	return obj;
}

RTE_EXPORT_EXPERIMENTAL_SYMBOL(__rte_fastmem_alloc, 26.03)
void *
__rte_fastmem_alloc(size_t size, size_t align, unsigned int flags)
{
	return rte_fastmem_alloc_socket(size, align, flags, SOCKET_ID_ANY);
}

RTE_EXPORT_EXPERIMENTAL_SYMBOL(rte_fastmem_alloc_bulk_socket, 26.03)
int
rte_fastmem_alloc_bulk_socket(void **ptrs, unsigned int n, size_t size, size_t align,
		unsigned int flags, int socket_id)
{
	struct fastmem_state *st = fastmem_state();
	const char *what = NULL;
	unsigned int i;
	int cls, sidx, ret;

	if (unlikely(st == NULL))
		return fail_int(ENODEV, "not initialized");
	cls = class_for(size, align, flags, &what);
	if (unlikely(cls < 0))
		return fail_int(-cls, what);
	if (n == 0)
		return 0;
	if (unlikely(ptrs == NULL))
		return fail_int(EINVAL, "NULL object array");
	sidx = fastmem_socket_lookup(st, socket_id);
	if (unlikely(sidx < 0))
		return fail_int(-sidx, "socket lookup");
	ret = alloc_n_retry(st, (unsigned int)sidx, (unsigned int)cls, ptrs, n);
	if (unlikely(ret < 0) && socket_id == SOCKET_ID_ANY) {
		for (i = 0; i < st->n_numa && ret < 0; i++)
			if (i != (unsigned int)sidx)
				ret = alloc_n_retry(st, i, (unsigned int)cls, ptrs, n);
	}
	if (unlikely(ret < 0)) {
		count_nomem(st, (unsigned int)sidx, (unsigned int)cls);
		return fail_int(ENOMEM, "no memory");
	}
	for (i = 0; i < n; i++)
		fastmem_dbg_alloc(ptrs[i], size);
	if (flags & RTE_FASTMEM_F_ZERO)
		for (i = 0; i < n; i++)
			memset(ptrs[i], 0, size);
	return 0;
}

RTE_EXPORT_EXPERIMENTAL_SYMBOL(__rte_fastmem_alloc_bulk, 26.03)
int
__rte_fastmem_alloc_bulk(void **ptrs, unsigned int n, size_t size, size_t align,
		unsigned int flags)
{
	return rte_fastmem_alloc_bulk_socket(ptrs, n, size, align, flags, SOCKET_ID_ANY);
}

/* The debug and sanitizer hook of a free, for each object of an array (NULL skipped). */
static void
dbg_free_n(struct fastmem_state *st, void * const *ptrs, unsigned int n)
{
#ifdef FASTMEM_CHECKED
	unsigned int i;

	for (i = 0; i < n; i++)
		if (ptrs[i] != NULL)
			fastmem_dbg_free(st, ptrs[i]);
#else
	RTE_SET_USED(st);
	RTE_SET_USED(ptrs);
	RTE_SET_USED(n);
#endif
}

RTE_EXPORT_EXPERIMENTAL_SYMBOL(__rte_fastmem_free, 26.03)
void
__rte_fastmem_free(void *ptr)
{
	struct fastmem_state *st;

	if (ptr == NULL)
		return;
	st = fastmem_state();
	if (unlikely(st == NULL)) {
		fail_null(ENODEV, "not initialized");
		return;
	}
	fastmem_dbg_free(st, ptr);
	fastmem_free_n(st, &ptr, 1);
}

RTE_EXPORT_EXPERIMENTAL_SYMBOL(__rte_fastmem_free_bulk, 26.03)
void
__rte_fastmem_free_bulk(void **ptrs, unsigned int n)
{
	struct fastmem_state *st;

	if (n == 0 || ptrs == NULL)
		return;
	st = fastmem_state();
	if (unlikely(st == NULL)) {
		fail_null(ENODEV, "not initialized");
		return;
	}
	dbg_free_n(st, ptrs, n);
	fastmem_free_n(st, ptrs, n);
}

RTE_EXPORT_EXPERIMENTAL_SYMBOL(rte_fastmem_realloc, 26.03)
void *
rte_fastmem_realloc(void *ptr, size_t size, size_t align)
{
	struct fastmem_state *st;
	const struct fastmem_run *run;
	const char *what = NULL;
	unsigned int sidx;
	void *obj;
	int cls;

	if (ptr == NULL)
		return size == 0 ? NULL : rte_fastmem_alloc_socket(size, align, 0, SOCKET_ID_ANY);
	st = fastmem_state();
	if (unlikely(st == NULL))
		return fail_null(ENODEV, "not initialized");
	if (unlikely(fastmem_zone_owner(st, ptr) == 0))
		return fail_null(EINVAL, "not an object of fastmem");
	cls = class_for(size, align, 0, &what);
	if (unlikely(cls < 0))
		return fail_null(-cls, what);
	if (size == 0) {
		/* the object is freed and nothing takes its place */
		fastmem_dbg_free(st, ptr);
		fastmem_free_n(st, &ptr, 1);
		return NULL;
	}
	run = FASTMEM_RUN_OF(ptr);
	sidx = FASTMEM_SLAB_OF(ptr)->sidx;
	if ((unsigned int)cls == run->cls) {
		fastmem_dbg_resize(ptr, size);
		return ptr;
	}
	obj = alloc_one_retry(st, sidx, (unsigned int)cls);
	if (unlikely(obj == NULL)) {
		count_nomem(st, sidx, (unsigned int)cls);
		return fail_null(ENOMEM, "no memory");
	}
	fastmem_dbg_alloc(obj, size);
	fastmem_dbg_resize(ptr, run->obj_size); /* the copy reads the whole old object */
	memcpy(obj, ptr, RTE_MIN(size, (size_t)run->obj_size));
	fastmem_dbg_free(st, ptr);
	fastmem_free_n(st, &ptr, 1);
	return obj;
}

RTE_EXPORT_EXPERIMENTAL_SYMBOL(rte_fastmem_virt2iova, 26.03)
rte_iova_t
rte_fastmem_virt2iova(const void *ptr)
{
	struct fastmem_state *st;

	if (ptr == NULL)
		return RTE_BAD_IOVA;
	st = fastmem_state();
	if (unlikely(st == NULL)) {
		fail_null(ENODEV, "not initialized");
		return RTE_BAD_IOVA;
	}
	if (unlikely(fastmem_zone_owner(st, ptr) == 0)) {
		/* not fastmem's memory: no header to read, no IOVA to give */
		fail_null(EINVAL, "not in fastmem's memory");
		return RTE_BAD_IOVA;
	}
	return fastmem_zone_iova(ptr);
}

RTE_EXPORT_EXPERIMENTAL_SYMBOL(rte_fastmem_cache_flush, 26.03)
void
rte_fastmem_cache_flush(void)
{
	struct fastmem_state *st = fastmem_state();
	unsigned int lcore_id = rte_lcore_id();

	unsigned int sidx, n;

	if (st == NULL)
		return;
	/* the caches of processes that died, then the caller's own */
	fastmem_procs_reclaim(st);
	if (lcore_id < RTE_MAX_LCORE)
		fastmem_lcore_flush(st, lcore_id, FASTMEM_SIDX_NONE);
	/* the transfer caches of every socket, after the lcore's own caches went there */
	n = __atomic_load_n(&st->n_sockets, __ATOMIC_ACQUIRE);
	for (sidx = 0; sidx < n; sidx++)
		fastmem_xfer_flush(st, sidx);
}

/* --- handles --- */

/* The (socket slot, class) of a handle, after checking it completely: 0 or -EINVAL. */
static int
handle_decode(struct fastmem_state *st, rte_fastmem_handle_t h, unsigned int *sidx,
		unsigned int *cls)
{
	unsigned int c = (h >> RTE_FASTMEM_HANDLE_CLS_SHIFT) & RTE_FASTMEM_HANDLE_CLS_MASK;
	unsigned int s = (h >> RTE_FASTMEM_HANDLE_SIDX_SHIFT) & RTE_FASTMEM_HANDLE_SIDX_MASK;
	unsigned int off = (h >> RTE_FASTMEM_HANDLE_OFF_SHIFT) & RTE_FASTMEM_HANDLE_OFF_MASK;

	if ((h >> RTE_FASTMEM_HANDLE_TAG_SHIFT) != RTE_FASTMEM_HANDLE_TAG ||
			c >= FASTMEM_NUM_CLASSES ||
			s >= __atomic_load_n(&st->n_sockets, __ATOMIC_ACQUIRE) ||
			(size_t)off * RTE_CACHE_LINE_SIZE != fastmem_layout.cache_off[c])
		return -EINVAL;
	*sidx = s;
	*cls = c;
	return 0;
}

RTE_EXPORT_EXPERIMENTAL_SYMBOL(rte_fastmem_hlookup, 26.03)
int
rte_fastmem_hlookup(size_t size, size_t align, int socket_id, rte_fastmem_handle_t *h)
{
	struct fastmem_state *st = fastmem_state();
	const char *what = NULL;
	int cls, sidx;

	if (unlikely(st == NULL))
		return fail_int(ENODEV, "not initialized");
	if (unlikely(h == NULL))
		return fail_int(EINVAL, "NULL handle pointer");
	cls = class_for(size, align, 0, &what);
	if (unlikely(cls < 0))
		return fail_int(-cls, what);
	sidx = fastmem_socket_lookup(st, socket_id);
	if (unlikely(sidx < 0))
		return fail_int(-sidx, "socket lookup");
	*h = (RTE_FASTMEM_HANDLE_TAG << RTE_FASTMEM_HANDLE_TAG_SHIFT) |
		(uint32_t)(fastmem_layout.cache_off[cls] / RTE_CACHE_LINE_SIZE) <<
			RTE_FASTMEM_HANDLE_OFF_SHIFT |
		(uint32_t)sidx << RTE_FASTMEM_HANDLE_SIDX_SHIFT |
		(uint32_t)cls << RTE_FASTMEM_HANDLE_CLS_SHIFT;
	return 0;
}

/* Common checks of the allocation slow paths; NULL with *err set on failure. */
static struct fastmem_state *
halloc_begin(rte_fastmem_handle_t h, unsigned int flags, unsigned int *sidx,
		unsigned int *cls, int *err, const char **what)
{
	struct fastmem_state *st = fastmem_state();

	if (unlikely(st == NULL)) {
		*err = ENODEV;
		*what = "not initialized";
		return NULL;
	}
	if (unlikely((flags & ~RTE_FASTMEM_F_ZERO) != 0)) {
		*err = EINVAL;
		*what = "unknown flags";
		return NULL;
	}
	if (unlikely(handle_decode(st, h, sidx, cls) < 0)) {
		*err = EINVAL;
		*what = "bad handle";
		return NULL;
	}
	return st;
}

RTE_EXPORT_EXPERIMENTAL_SYMBOL(__rte_fastmem_halloc, 26.03)
void *
__rte_fastmem_halloc(rte_fastmem_handle_t h, unsigned int flags)
{
	unsigned int sidx, cls;
	const char *what;
	struct fastmem_state *st;
	void *obj;
	int err;

	st = halloc_begin(h, flags, &sidx, &cls, &err, &what);
	if (unlikely(st == NULL))
		return fail_null(err, what);
	obj = alloc_one_retry(st, sidx, cls);
	if (unlikely(obj == NULL)) {
		count_nomem(st, sidx, cls);
		return fail_null(ENOMEM, "no memory");
	}
	fastmem_dbg_alloc(obj, fastmem_class_size(cls));
	if (flags & RTE_FASTMEM_F_ZERO)
		memset(obj, 0, fastmem_class_size(cls));
	return obj;
}

RTE_EXPORT_EXPERIMENTAL_SYMBOL(__rte_fastmem_halloc_bulk, 26.03)
int
__rte_fastmem_halloc_bulk(rte_fastmem_handle_t h, void **ptrs, unsigned int n,
		unsigned int flags)
{
	unsigned int sidx, cls, i;
	const char *what;
	struct fastmem_state *st;
	int err;

	st = halloc_begin(h, flags, &sidx, &cls, &err, &what);
	if (unlikely(st == NULL))
		return fail_int(err, what);
	if (n == 0)
		return 0;
	if (unlikely(ptrs == NULL))
		return fail_int(EINVAL, "NULL object array");
	if (unlikely(alloc_n_retry(st, sidx, cls, ptrs, n) < 0)) {
		count_nomem(st, sidx, cls);
		return fail_int(ENOMEM, "no memory");
	}
	for (i = 0; i < n; i++)
		fastmem_dbg_alloc(ptrs[i], fastmem_class_size(cls));
	if (flags & RTE_FASTMEM_F_ZERO)
		for (i = 0; i < n; i++)
			memset(ptrs[i], 0, fastmem_class_size(cls));
	return 0;
}

/* Common checks of the free slow paths; NULL (rte_errno set) when nothing is to be freed.
 * The objects themselves are freed by what their slab says, not by the handle. */
static struct fastmem_state *
hfree_begin(rte_fastmem_handle_t h)
{
	struct fastmem_state *st = fastmem_state();
	unsigned int sidx, cls;

	if (unlikely(st == NULL))
		return fail_null(ENODEV, "not initialized");
	if (unlikely(handle_decode(st, h, &sidx, &cls) < 0))
		return fail_null(EINVAL, "bad handle");
	return st;
}

RTE_EXPORT_EXPERIMENTAL_SYMBOL(__rte_fastmem_hfree, 26.03)
void
__rte_fastmem_hfree(rte_fastmem_handle_t h, void *ptr)
{
	struct fastmem_state *st = hfree_begin(h);

	if (likely(st != NULL) && ptr != NULL) {
		fastmem_dbg_free(st, ptr);
		fastmem_free_n(st, &ptr, 1);
	}
}

RTE_EXPORT_EXPERIMENTAL_SYMBOL(__rte_fastmem_hfree_bulk, 26.03)
void
__rte_fastmem_hfree_bulk(rte_fastmem_handle_t h, void * const *ptrs, unsigned int n)
{
	struct fastmem_state *st = hfree_begin(h);

	if (likely(st != NULL) && ptrs != NULL && n > 0) {
		dbg_free_n(st, ptrs, n);
		fastmem_free_n(st, ptrs, n);
	}
}

RTE_EXPORT_EXPERIMENTAL_SYMBOL(__rte_fastmem_hcheck, 26.03)
void
__rte_fastmem_hcheck(rte_fastmem_handle_t h, void * const *ptrs, unsigned int n)
{
	struct fastmem_state *st = fastmem_state();
	unsigned int sidx, cls, i;

	/* not a handle: the free fails with ENODEV or EINVAL, as in production builds */
	if (st == NULL || handle_decode(st, h, &sidx, &cls) < 0)
		return;
	if (n > 0 && ptrs == NULL)
		rte_panic("fastmem: hfree_bulk of %u objects from a NULL array\n", n);
	for (i = 0; i < n; i++) {
		const struct rte_fastmem_slab_id *id;

		if (ptrs[i] == NULL)
			continue; /* freeing NULL does nothing */
		id = __rte_fastmem_id_of(ptrs[i]);
		if (id->cls != cls || id->sidx != sidx)
			rte_panic("fastmem: hfree of %p, an object of class %zu B, socket slot %u,"
				" with a handle of class %zu B, socket slot %u\n", ptrs[i],
				id->cls < FASTMEM_NUM_CLASSES ?
				fastmem_class_size(id->cls) : (size_t)0,
				id->sidx, fastmem_class_size(cls), sidx);
	}
}

RTE_EXPORT_INTERNAL_SYMBOL(rte_fastmem_test_local_socket)
int
rte_fastmem_test_local_socket(int socket_id)
{
	struct fastmem_state *st = fastmem_state();
	int sidx;

	if (st == NULL)
		return fail_int(ENODEV, "not initialized");
	if (socket_id == SOCKET_ID_ANY) {
		RTE_PER_LCORE(fastmem_test_slot) = 0;
		return 0;
	}
	sidx = fastmem_socket_lookup(st, socket_id);
	if (sidx < 0)
		return fail_int(-sidx, "socket lookup");
	RTE_PER_LCORE(fastmem_test_slot) = (uint32_t)sidx + 1;
	return 0;
}
