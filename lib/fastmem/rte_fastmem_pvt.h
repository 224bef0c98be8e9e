/* SPDX-License-Identifier: BSD-3-Clause
 * Copyright(c) 2026 The dpdk-lcoremem authors
 */

#ifndef RTE_FASTMEM_PVT_H
#define RTE_FASTMEM_PVT_H

/**
 * @file
 * fastmem: the inline fast paths of rte_fastmem.h
 *
 * @internal
 * Not an API: included by rte_fastmem.h, which declares and documents every function
 * defined here; applications include rte_fastmem.h. The allocation and free calls, generic
 * and with handles, take an object from the calling lcore's cache or put one into it
 * inline; everything else (threads without an lcore id, an empty or full cache, the first
 * use of a cache, any error) goes to the out-of-line functions declared here, which are
 * exported but not API either. What these functions read of the cache layout is in
 * rte_fastmem_core.h.
 *
 * A push stores the object, then the length with release order (a plain store on x86),
 * so that the compiler never sinks the object's store below it: another process that
 * takes back this process's caches after its death reads no stale slot below len.
 */

#ifndef RTE_FASTMEM_H
#error "do not include rte_fastmem_pvt.h directly: include rte_fastmem.h"
#endif

#ifdef __cplusplus
extern "C" {
#endif

/** @internal Out-of-line rte_fastmem_halloc(): every case. Not API. */
__rte_experimental
void *
__rte_fastmem_halloc(rte_fastmem_handle_t h, unsigned int flags);

/** @internal Out-of-line rte_fastmem_halloc_bulk(): every case. Not API. */
__rte_experimental
int
__rte_fastmem_halloc_bulk(rte_fastmem_handle_t h, void **ptrs, unsigned int n,
		unsigned int flags);

/** @internal Out-of-line rte_fastmem_hfree(): every case. Not API. */
__rte_experimental
void
__rte_fastmem_hfree(rte_fastmem_handle_t h, void *ptr);

/** @internal Out-of-line rte_fastmem_hfree_bulk(): every case. Not API. */
__rte_experimental
void
__rte_fastmem_hfree_bulk(rte_fastmem_handle_t h, void * const *ptrs, unsigned int n);

/**
 * @internal
 * Debug check of a free with a handle: panics when an object is not of the handle's
 * class and socket, or the array is NULL with @p n > 0 (NULL objects are skipped). Called
 * by the inline free paths in builds with RTE_LIBRTE_FASTMEM_DEBUG only. Does nothing when
 * fastmem is not initialized or @p h is not a handle (the free then fails with ENODEV or
 * EINVAL). Not API.
 */
__rte_experimental
void
__rte_fastmem_hcheck(rte_fastmem_handle_t h, void * const *ptrs, unsigned int n);

/**
 * @internal
 * The calling lcore's cache named by a handle, or NULL when the caller must take the
 * slow path: no lcore id, a wrong tag, or no cache set yet for the socket.
 */
static inline struct rte_fastmem_cache *
__rte_fastmem_hcache(rte_fastmem_handle_t h)
{
	unsigned int lcore_id = rte_lcore_id();
	const struct rte_fastmem_lcore_caches *lc;
	struct rte_fastmem_cache *c;
	struct fastmem_cset *cs;
	uint32_t off;

#ifdef __RTE_FASTMEM_CHECKED
	return NULL; /* every object goes through the checks, out of line */
#endif
	if (unlikely(lcore_id >= RTE_MAX_LCORE ||
			(h >> RTE_FASTMEM_HANDLE_TAG_SHIFT) != RTE_FASTMEM_HANDLE_TAG))
		return NULL;
	lc = RTE_LCORE_VAR_LCORE(lcore_id, __rte_fastmem_lcore_caches);
	cs = lc->cset[(h >> RTE_FASTMEM_HANDLE_SIDX_SHIFT) & RTE_FASTMEM_HANDLE_SIDX_MASK];
	if (unlikely(cs == NULL))
		return NULL;
	off = (h >> RTE_FASTMEM_HANDLE_OFF_SHIFT) & RTE_FASTMEM_HANDLE_OFF_MASK;
	c = (struct rte_fastmem_cache *)RTE_PTR_ADD(cs, (size_t)off * RTE_CACHE_LINE_SIZE);
	/* a class field that disagrees with the cache (a forged handle) fails out of line;
	 * the compare reads the line the caller reads len from anyway */
	if (unlikely(c->cls != (h & RTE_FASTMEM_HANDLE_CLS_MASK)))
		return NULL;
	return c;
}

/** @internal The class size of a handle's objects. */
static inline size_t
__rte_fastmem_hsize(rte_fastmem_handle_t h)
{
	return __rte_fastmem_class_size(h & RTE_FASTMEM_HANDLE_CLS_MASK);
}

/**
 * @internal
 * The cache-hit half of the bulk allocations: take the @p n objects on top of a cache
 * that holds at least that many, with one copy of the pointers, and zero the first
 * @p zero_size bytes of each (none when 0).
 */
static inline void
__rte_fastmem_cache_take(struct rte_fastmem_cache *c, void **ptrs, unsigned int n,
		size_t zero_size)
{
	uint32_t len = c->len - n;
	unsigned int i;

	memcpy(ptrs, &c->objs[len], (size_t)n * sizeof(void *));
	__atomic_store_n(&c->len, len, __ATOMIC_RELAXED);
	__RTE_FASTMEM_HIT_ADD(c->alloc_hits, n);
	if (zero_size != 0)
		for (i = 0; i < n; i++)
			memset(ptrs[i], 0, zero_size);
}

/* rte_fastmem_halloc(), declared and documented in rte_fastmem.h */
__rte_experimental
static inline void *
rte_fastmem_halloc(rte_fastmem_handle_t h, unsigned int flags)
{
	struct rte_fastmem_cache *c = __rte_fastmem_hcache(h);
	uint32_t len;
	void *obj;

	if (unlikely(c == NULL || (flags & ~RTE_FASTMEM_F_ZERO) != 0))
		return __rte_fastmem_halloc(h, flags);
	len = c->len;
	if (unlikely(len == 0))
		return __rte_fastmem_halloc(h, flags);
	obj = c->objs[len - 1];
	__atomic_store_n(&c->len, len - 1, __ATOMIC_RELAXED);
	__RTE_FASTMEM_HIT_ADD(c->alloc_hits, 1);
	if (flags & RTE_FASTMEM_F_ZERO)
		memset(obj, 0, __rte_fastmem_hsize(h));
	return obj;
}

/* rte_fastmem_halloc_bulk(), declared and documented in rte_fastmem.h */
__rte_experimental
static inline int
rte_fastmem_halloc_bulk(rte_fastmem_handle_t h, void **ptrs, unsigned int n,
		unsigned int flags)
{
	struct rte_fastmem_cache *c = __rte_fastmem_hcache(h);

	if (unlikely(c == NULL || (flags & ~RTE_FASTMEM_F_ZERO) != 0 || n > c->len ||
			ptrs == NULL))
		return __rte_fastmem_halloc_bulk(h, ptrs, n, flags);
	__rte_fastmem_cache_take(c, ptrs, n,
			(flags & RTE_FASTMEM_F_ZERO) ? __rte_fastmem_hsize(h) : 0);
	return 0;
}

/* rte_fastmem_hfree(), declared and documented in rte_fastmem.h */
__rte_experimental
static inline void
rte_fastmem_hfree(rte_fastmem_handle_t h, void *ptr)
{
	struct rte_fastmem_cache *c;
	uint32_t len;

	if (unlikely(ptr == NULL))
		return;
#ifdef RTE_LIBRTE_FASTMEM_DEBUG
	__rte_fastmem_hcheck(h, &ptr, 1);
#endif
	c = __rte_fastmem_hcache(h);
	if (unlikely(c == NULL))
		goto slow;
	len = c->len;
	if (unlikely(len >= c->cap))
		goto slow;
	c->objs[len] = ptr;
	__atomic_store_n(&c->len, len + 1, __ATOMIC_RELEASE);
	__RTE_FASTMEM_HIT_ADD(c->free_hits, 1);
	return;
slow:
	__rte_fastmem_hfree(h, ptr);
}

/**
 * @internal
 * Copy @p n pointers from @p src to @p dst; true when any of them is NULL. One pass,
 * branch-free (vectorizes).
 */
static inline bool
__rte_fastmem_copy_any_null(void **__rte_restrict dst, void * const *__rte_restrict src,
		unsigned int n)
{
	unsigned int i, null = 0;

	for (i = 0; i < n; i++) {
		dst[i] = src[i];
		null |= src[i] == NULL;
	}
	return null != 0;
}

/* rte_fastmem_hfree_bulk(), declared and documented in rte_fastmem.h */
__rte_experimental
static inline void
rte_fastmem_hfree_bulk(rte_fastmem_handle_t h, void **ptrs, unsigned int n)
{
	struct rte_fastmem_cache *c;
	uint32_t len;

#ifdef RTE_LIBRTE_FASTMEM_DEBUG
	__rte_fastmem_hcheck(h, ptrs, n);
#endif
	c = __rte_fastmem_hcache(h);
	if (unlikely(c == NULL))
		goto slow;
	len = c->len;
	/* a NULL array (with n == 0) must not reach the copy; NULL entries go out of line,
	 * where they are skipped: the length is committed only once none was seen */
	if (unlikely(n > c->cap - len || ptrs == NULL ||
			__rte_fastmem_copy_any_null(&c->objs[len], ptrs, n)))
		goto slow;
	__atomic_store_n(&c->len, len + n, __ATOMIC_RELEASE);
	__RTE_FASTMEM_HIT_ADD(c->free_hits, n);
	return;
slow:
	__rte_fastmem_hfree_bulk(h, ptrs, n);
}

/** @internal Out-of-line rte_fastmem_alloc(): every case. Not API. */
__rte_experimental
void *
__rte_fastmem_alloc(size_t size, size_t align, unsigned int flags);

/** @internal Out-of-line rte_fastmem_free(): every case. Not API. */
__rte_experimental
void
__rte_fastmem_free(void *ptr);

/** @internal Out-of-line rte_fastmem_alloc_bulk(): every case. Not API. */
__rte_experimental
int
__rte_fastmem_alloc_bulk(void **ptrs, unsigned int n, size_t size, size_t align,
		unsigned int flags);

/** @internal Out-of-line rte_fastmem_free_bulk(): every case. Not API. */
__rte_experimental
void
__rte_fastmem_free_bulk(void **ptrs, unsigned int n);

/**
 * @internal
 * The calling lcore's cache of its own socket for (size, align, flags), or NULL when the
 * caller must take the slow path (bad arguments included).
 */
static inline struct rte_fastmem_cache *
__rte_fastmem_acache(size_t size, size_t align, unsigned int flags)
{
	unsigned int lcore_id = rte_lcore_id();
	const struct rte_fastmem_lcore_caches *lc;
	struct rte_fastmem_cache *c;
	struct fastmem_cset *cs;
	unsigned int cls;

#ifdef __RTE_FASTMEM_CHECKED
	return NULL; /* every object goes through the checks, out of line */
#endif
	/* size - 1 wraps for 0, which takes the slow path with the sizes that are too large */
	if (unlikely(lcore_id >= RTE_MAX_LCORE || size - 1 >= RTE_FASTMEM_MAX_CLASS_SIZE ||
			(align & (align - 1)) != 0 || align > RTE_FASTMEM_MAX_CLASS_SIZE ||
			(flags & ~RTE_FASTMEM_F_ZERO) != 0))
		return NULL;
	cls = __rte_fastmem_class_for_m1(size - 1, align);
	lc = RTE_LCORE_VAR_LCORE(lcore_id, __rte_fastmem_lcore_caches);
	cs = lc->cset[lc->own_sidx & (RTE_FASTMEM_SOCKET_SLOTS - 1)];
	if (unlikely(cs == NULL))
		return NULL;
	c = (struct rte_fastmem_cache *)RTE_PTR_ADD(cs, __rte_fastmem_cache_off[cls]);
	/* a cache in a set, never NULL: this lets the caller's NULL test fold away */
	if (c == NULL)
		__builtin_unreachable();
	return c;
}

/**
 * @internal
 * Free one object into the calling lcore's cache: 0, or -1 when the caller must take the
 * slow path. @p lc: the caller's lcore variable value, with @c used set; its memo is
 * updated.
 */
static inline int
__rte_fastmem_free_hit(struct rte_fastmem_lcore_caches *lc, void *ptr)
{
	struct rte_fastmem_slab_id id = *__rte_fastmem_id_of(ptr);
	struct rte_fastmem_cache *c = lc->memo_cache;
	struct fastmem_cset *cs;
	uint32_t len, id32, memo32;

	/*
	 * The memo (struct rte_fastmem_lcore_caches) gives the cache without the loads of
	 * the cache set and offset that depend on the page id, when the id is the class
	 * and socket of the memo's cache (next to its length); a branch, not a select, so
	 * that the length below does not wait for the id either: the processor goes on
	 * with its prediction and checks it when the slab header's line arrives, and the
	 * free of a pointer just allocated does not wait on the chain of loads from it.
	 */
	memcpy(&id32, &id, sizeof(id32));
	memcpy(&memo32, &c->cls, sizeof(memo32));
	if (id32 != memo32) {
		cs = lc->cset[id.sidx & (RTE_FASTMEM_SOCKET_SLOTS - 1)];
		if (unlikely(cs == NULL))
			return -1;
		c = (struct rte_fastmem_cache *)RTE_PTR_ADD(cs,
			__rte_fastmem_cache_off[id.cls & (RTE_FASTMEM_CLASS_SLOTS - 1)]);
		lc->memo_cache = c;
	}
	len = c->len;
	if (unlikely(len >= c->cap))
		return -1;
	c->objs[len] = ptr;
	__atomic_store_n(&c->len, len + 1, __ATOMIC_RELEASE);
	__RTE_FASTMEM_HIT_ADD(c->free_hits, 1);
	return 0;
}

/**
 * @internal
 * The calling lcore's lcore variable value when it may free into its caches (it has an
 * lcore id and has used fastmem since init, so that slab headers may be read), else NULL.
 */
static inline struct rte_fastmem_lcore_caches *
__rte_fastmem_free_lcore(void)
{
	unsigned int lcore_id = rte_lcore_id();
	struct rte_fastmem_lcore_caches *lc;

#ifdef __RTE_FASTMEM_CHECKED
	return NULL; /* every object goes through the checks, out of line */
#endif
	if (unlikely(lcore_id >= RTE_MAX_LCORE))
		return NULL;
	lc = RTE_LCORE_VAR_LCORE(lcore_id, __rte_fastmem_lcore_caches);
	/* not initialized (or deinitialized): no slab header may be read */
	if (unlikely(lc->used == 0))
		return NULL;
	return lc;
}

/*
 * rte_fastmem_alloc(), rte_fastmem_alloc_bulk(), rte_fastmem_free() and
 * rte_fastmem_free_bulk(), declared and documented in rte_fastmem.h. The allocation
 * computes the class from the size and alignment (constants fold away); the free finds
 * class and socket in the slab header.
 */
__rte_experimental
static inline void *
rte_fastmem_alloc(size_t size, size_t align, unsigned int flags)
{
	struct rte_fastmem_cache *c = __rte_fastmem_acache(size, align, flags);
	uint32_t len;
	void *obj;

	if (unlikely(c == NULL))
		return __rte_fastmem_alloc(size, align, flags);
	len = c->len;
	if (unlikely(len == 0))
		return __rte_fastmem_alloc(size, align, flags);
	obj = c->objs[len - 1];
	__atomic_store_n(&c->len, len - 1, __ATOMIC_RELAXED);
	__RTE_FASTMEM_HIT_ADD(c->alloc_hits, 1);
	if (flags & RTE_FASTMEM_F_ZERO)
		memset(obj, 0, size);
	return obj;
}

__rte_experimental
static inline int
rte_fastmem_alloc_bulk(void **ptrs, unsigned int n, size_t size, size_t align,
		unsigned int flags)
{
	struct rte_fastmem_cache *c = __rte_fastmem_acache(size, align, flags);

	if (unlikely(c == NULL || n > c->len || n == 0 || ptrs == NULL))
		return __rte_fastmem_alloc_bulk(ptrs, n, size, align, flags);
	__rte_fastmem_cache_take(c, ptrs, n, (flags & RTE_FASTMEM_F_ZERO) ? size : 0);
	return 0;
}

__rte_experimental
static inline void
rte_fastmem_free(void *ptr)
{
	struct rte_fastmem_lcore_caches *lc;

	if (unlikely(ptr == NULL))
		return;
	lc = __rte_fastmem_free_lcore();
	if (unlikely(lc == NULL || __rte_fastmem_free_hit(lc, ptr) < 0))
		__rte_fastmem_free(ptr);
}

/**
 * @internal
 * Copy @p n pointers (n >= 1) from @p src to @p dst and return the OR of every source
 * pointer XOR the first: below the page size (RTE_FASTMEM_PAGE_SHIFT) when all share the
 * first's page.
 * One pass, branch-free (vectorizes).
 */
static inline uintptr_t
__rte_fastmem_copy_page_diff(void **__rte_restrict dst, void * const *__rte_restrict src,
		unsigned int n)
{
	uintptr_t first = (uintptr_t)src[0], diff = 0;
	unsigned int i;

	for (i = 0; i < n; i++) {
		dst[i] = src[i];
		diff |= (uintptr_t)src[i] ^ first;
	}
	return diff;
}

__rte_experimental
static inline void
rte_fastmem_free_bulk(void **ptrs, unsigned int n)
{
	const struct rte_fastmem_lcore_caches *lc = __rte_fastmem_free_lcore();
	const struct rte_fastmem_slab_id *id;
	struct rte_fastmem_cache *c;
	struct fastmem_cset *cs;
	unsigned int i;
	uintptr_t diff;
	uint32_t len;

	/*
	 * Inline only the common case: no NULL entry, every object of one class and socket
	 * (one header load for objects of one page; one more for objects of one slab whose
	 * runs are all of one class; else one per page change), and room for all of them in
	 * the cache. The pointers are copied above the top of the cache
	 * of the first object's class while checking that they share its page, in one pass;
	 * the length is updated only once they all belong there. Anything else goes out of
	 * line, which handles mixed classes run by run.
	 */
	if (unlikely(lc == NULL || n == 0 || ptrs == NULL || ptrs[0] == NULL))
		goto slow;
	id = __rte_fastmem_id_of(ptrs[0]);
	cs = lc->cset[id->sidx & (RTE_FASTMEM_SOCKET_SLOTS - 1)];
	if (unlikely(cs == NULL))
		goto slow;
	c = (struct rte_fastmem_cache *)RTE_PTR_ADD(cs,
			__rte_fastmem_cache_off[id->cls & (RTE_FASTMEM_CLASS_SLOTS - 1)]);
	len = c->len;
	if (unlikely(n > c->cap - len))
		goto slow;
	diff = __rte_fastmem_copy_page_diff(&c->objs[len], ptrs, n);
	if (unlikely(diff >= ((size_t)1 << RTE_FASTMEM_PAGE_SHIFT))) {
		/* several pages: each must be of the first one's class and socket. In one
		 * slab whose runs are all of that class (its sidx is the slab's), they are;
		 * else an id is read where the page changes */
		uintptr_t prev = (uintptr_t)ptrs[0] >> RTE_FASTMEM_PAGE_SHIFT;
		const struct rte_fastmem_slab_id *mono = (const struct rte_fastmem_slab_id *)
			RTE_PTR_ADD(RTE_PTR_ALIGN_FLOOR(ptrs[0], RTE_FASTMEM_SLAB_SIZE),
					RTE_FASTMEM_SLAB_MONO_OFF);

		if (diff < RTE_FASTMEM_SLAB_SIZE &&
				__atomic_load_n(&mono->cls, __ATOMIC_RELAXED) == id->cls)
			goto hit;

		for (i = 1; i < n; i++) {
			uintptr_t page = (uintptr_t)ptrs[i] >> RTE_FASTMEM_PAGE_SHIFT;
			const struct rte_fastmem_slab_id *s;

			if (likely(page == prev))
				continue;
			s = __rte_fastmem_id_of(ptrs[i]);
			if (unlikely(ptrs[i] == NULL || s->cls != id->cls ||
					s->sidx != id->sidx))
				goto slow;
			prev = page;
		}
	}
hit:
	__atomic_store_n(&c->len, len + n, __ATOMIC_RELEASE);
	__RTE_FASTMEM_HIT_ADD(c->free_hits, n);
	return;
slow:
	__rte_fastmem_free_bulk(ptrs, n);
}

#ifdef __cplusplus
}
#endif

#endif /* RTE_FASTMEM_PVT_H */
