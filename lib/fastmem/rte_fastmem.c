/* SPDX-License-Identifier: BSD-3-Clause
 * Copyright(c) 2026 The dpdk-lcoremem authors
 */

/*
 * The public allocation entry points: argument checking, error reporting, socket
 * fallback, zeroing; the work is done in fastmem_cache.c and fastmem_slab.c.
 */

#include <errno.h>
#include <stdbool.h>
#include <string.h>

#include <rte_branch_prediction.h>
#include <rte_common.h>
#include <rte_errno.h>
#include <rte_lcore.h>

#include "fastmem_priv.h"

#define FASTMEM_X_SIZE(size, cap) size,
static const size_t fastmem_class_sizes[] = { RTE_FASTMEM_CLASS_TABLE(FASTMEM_X_SIZE) };

size_t
rte_fastmem_max_size(void)
{
	return RTE_FASTMEM_MAX_CLASS_SIZE;
}

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
	if (align == 0) {
		align = RTE_CACHE_LINE_SIZE;
	} else if (unlikely((align & (align - 1)) != 0 || align > RTE_FASTMEM_MAX_CLASS_SIZE)) {
		*what = "alignment not a power of two up to 1 MiB";
		return -EINVAL;
	}
	if (unlikely((flags & ~RTE_FASTMEM_F_ZERO) != 0)) {
		*what = "unknown flags";
		return -EINVAL;
	}
	return (int)rte_fastmem_class_of(RTE_MAX(size, align));
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

	if (lcore_id >= RTE_MAX_LCORE)
		return false;
	return fastmem_lcore_flush(st, lcore_id, sidx) > 0;
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
		return fail_null(EINVAL, "unknown socket");
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
	if (flags & RTE_FASTMEM_F_ZERO)
		memset(obj, 0, size);
	return obj;
}

void *
rte_fastmem_alloc(size_t size, size_t align, unsigned int flags)
{
	return rte_fastmem_alloc_socket(size, align, flags, SOCKET_ID_ANY);
}

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
		return fail_int(EINVAL, "unknown socket");
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
	if (flags & RTE_FASTMEM_F_ZERO)
		for (i = 0; i < n; i++)
			memset(ptrs[i], 0, size);
	return 0;
}

int
rte_fastmem_alloc_bulk(void **ptrs, unsigned int n, size_t size, size_t align,
		unsigned int flags)
{
	return rte_fastmem_alloc_bulk_socket(ptrs, n, size, align, flags, SOCKET_ID_ANY);
}

void
rte_fastmem_free(void *ptr)
{
	struct fastmem_state *st;

	if (ptr == NULL)
		return;
	st = fastmem_state();
	if (unlikely(st == NULL)) {
		fail_null(ENODEV, "not initialized");
		return;
	}
	fastmem_free_n(st, &ptr, 1);
}

void
rte_fastmem_free_bulk(void **ptrs, unsigned int n)
{
	struct fastmem_state *st;

	if (n == 0 || ptrs == NULL)
		return;
	st = fastmem_state();
	if (unlikely(st == NULL)) {
		fail_null(ENODEV, "not initialized");
		return;
	}
	fastmem_free_n(st, ptrs, n);
}

void *
rte_fastmem_realloc(void *ptr, size_t size, size_t align)
{
	struct fastmem_state *st;
	const struct fastmem_slab *slab;
	const char *what = NULL;
	void *obj;
	int cls;

	if (ptr == NULL)
		return rte_fastmem_alloc_socket(size, align, 0, SOCKET_ID_ANY);
	st = fastmem_state();
	if (unlikely(st == NULL))
		return fail_null(ENODEV, "not initialized");
	cls = class_for(size, align, 0, &what);
	if (unlikely(cls < 0))
		return fail_null(-cls, what);
	slab = FASTMEM_SLAB_OF(ptr);
	if ((unsigned int)cls == slab->cls)
		return ptr;
	obj = alloc_one_retry(st, slab->sidx, (unsigned int)cls);
	if (unlikely(obj == NULL)) {
		count_nomem(st, slab->sidx, (unsigned int)cls);
		return fail_null(ENOMEM, "no memory");
	}
	memcpy(obj, ptr, RTE_MIN(size, (size_t)slab->obj_size));
	fastmem_free_n(st, &ptr, 1);
	return obj;
}

rte_iova_t
rte_fastmem_virt2iova(const void *ptr)
{
	const struct fastmem_slab *slab;

	if (ptr == NULL)
		return RTE_BAD_IOVA;
	if (unlikely(fastmem_state() == NULL)) {
		fail_null(ENODEV, "not initialized");
		return RTE_BAD_IOVA;
	}
	slab = FASTMEM_SLAB_OF(ptr);
	if (unlikely(slab->iova_slow))
		return fastmem_iova_slow(ptr);
	if (slab->iova == RTE_BAD_IOVA)
		return RTE_BAD_IOVA;
	return slab->iova + RTE_PTR_DIFF(ptr, slab);
}

void
rte_fastmem_cache_flush(void)
{
	struct fastmem_state *st = fastmem_state();
	unsigned int lcore_id = rte_lcore_id();

	if (st == NULL || lcore_id >= RTE_MAX_LCORE)
		return;
	fastmem_lcore_flush(st, lcore_id, FASTMEM_SIDX_NONE);
}
