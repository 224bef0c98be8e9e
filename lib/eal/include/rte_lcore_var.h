/* SPDX-License-Identifier: BSD-3-Clause
 * Copyright(c) 2026 The dpdk-lcoremem authors
 */

#ifndef RTE_LCORE_VAR_H
#define RTE_LCORE_VAR_H

/**
 * @file
 * Lcore variables
 *
 * An lcore variable holds one value per lcore id: one for each EAL thread and each
 * registered non-EAL thread, present and future. It is the replacement for the
 * per-module array of @c RTE_MAX_LCORE cache-aligned, cache-guarded structures that
 * DPDK libraries and drivers have used for per-lcore state.
 *
 * Layout. Values live in large buffers, each holding one slice of
 * @c RTE_MAX_LCORE_VAR bytes per lcore id, slices placed one after the other:
 *
 * @code{.unparsed}
 *   buffer: | lcore 0 slice | lcore 1 slice | ... | lcore RTE_MAX_LCORE-1 slice |
 *   slice:  | var A | var B | var C | ...  (packed, each at its own alignment)  |
 * @endcode
 *
 * A variable occupies the same offset in every slice of one buffer, so the value of
 * lcore @c i is found at the handle (which points at lcore 0's value) plus
 * @c i * @c RTE_MAX_LCORE_VAR: one multiply-add, no table, no load. The values of
 * different variables belonging to one lcore id sit next to each other, which is what
 * makes cache-line padding and cache guards unnecessary: neighbouring data in a cache
 * line belongs to the same thread.
 *
 * Memory. Buffers are anonymous mappings that the kernel fills with zeros on first
 * touch. No slice is ever written by the allocator, so resident memory grows only for
 * the lcore ids whose values are actually used, not with @c RTE_MAX_LCORE.
 *
 * Life time. Variables are allocated for the life of the process; there is no free, and
 * the buffers stay mapped until the process is gone, so that a thread still running while
 * the process exits (returns from main() or calls exit()) never loses its values.
 * Allocation is possible from constructors, before rte_eal_init(), and from any thread
 * at any time (it is serialised internally). A value may be accessed from any thread,
 * but it is the application's job to synchronise access to a value shared by threads.
 * The value of an lcore id outlives the thread that had that id: a thread that is later
 * given the same id finds the value as the previous owner left it.
 *
 * Example:
 *
 * @code{.c}
 * struct foo_lcore_state {
 *         int a;
 *         long b;
 * };
 *
 * static RTE_LCORE_VAR_HANDLE(struct foo_lcore_state, lcore_states);
 *
 * RTE_LCORE_VAR_INIT(lcore_states);
 *
 * long
 * foo_get_a_plus_b(void)
 * {
 *         const struct foo_lcore_state *state = RTE_LCORE_VAR(lcore_states);
 *
 *         return state->a + state->b;
 * }
 * @endcode
 *
 * Threads without an lcore id. An unregistered non-EAL thread (one for which
 * rte_lcore_id() returns @c LCORE_ID_ANY) has no value of its own: RTE_LCORE_VAR()
 * called there would compute an address far outside every buffer, and dereferencing it
 * is undefined behaviour (a build with @c RTE_ENABLE_ASSERT catches it). Such a thread
 * may either register with rte_thread_register(), which gives it an lcore id and hence
 * values, or use RTE_LCORE_VAR_LCORE() with an lcore id whose value it may touch under
 * the module's own synchronisation. Code reachable from such threads typically tests
 * rte_lcore_id() against @c LCORE_ID_ANY and falls back to a shared, lock-protected
 * instance of its state.
 *
 * This header provides, on DPDK releases that lack it, the API that DPDK's EAL has had
 * since 24.11, with the same names and semantics.
 */

#include <stdalign.h>
#include <stddef.h>

#include <rte_common.h>
#include <rte_compat.h>
#include <rte_config.h>
#include <rte_debug.h>
#include <rte_lcore.h>

#include <rte_lcoremem_config.h>

#ifdef __cplusplus
extern "C" {
#endif

#ifndef __rte_alloc_align
/* DPDK before 24.11 lacks this attribute macro */
#if defined(RTE_TOOLCHAIN_GCC) || defined(RTE_TOOLCHAIN_CLANG)
#define __rte_alloc_align(argno) __attribute__((alloc_align(argno)))
#else
#define __rte_alloc_align(argno)
#endif
#endif

/**
 * The type of an lcore variable handle for values of type @p type.
 *
 * A handle is a pointer to the value of lcore id 0; it is not meant to be dereferenced
 * directly. Use it in declarations where the handle itself is not being declared, such
 * as struct fields: `RTE_LCORE_VAR_HANDLE_TYPE(struct foo) handle;`.
 *
 * @param type
 *   The type of each per-lcore value.
 */
#define RTE_LCORE_VAR_HANDLE_TYPE(type) type *

/**
 * Declare (define) an lcore variable handle.
 *
 * A handle declared with static storage duration is NULL until the variable is
 * allocated; an allocated handle is never NULL, so NULL can mean "not yet allocated".
 *
 * @param type
 *   The type of each per-lcore value.
 * @param name
 *   The name of the handle.
 */
#define RTE_LCORE_VAR_HANDLE(type, name) RTE_LCORE_VAR_HANDLE_TYPE(type) name

/**
 * Allocate space for an lcore variable of explicit size and alignment, and assign it to
 * the handle.
 *
 * @param handle
 *   The handle (an lvalue) to assign.
 * @param size
 *   The size of each value, in bytes; at most @c RTE_MAX_LCORE_VAR.
 * @param align
 *   The alignment of each value: a power of two up to @c RTE_CACHE_LINE_SIZE, or 0 for
 *   alignof(max_align_t).
 */
#define RTE_LCORE_VAR_ALLOC_SIZE_ALIGN(handle, size, align) \
	((handle) = rte_lcore_var_alloc((size), (align)))

/**
 * Allocate space for an lcore variable of explicit size, aligned for any standard type,
 * and assign it to the handle.
 *
 * @param handle
 *   The handle (an lvalue) to assign.
 * @param size
 *   The size of each value, in bytes; at most @c RTE_MAX_LCORE_VAR.
 */
#define RTE_LCORE_VAR_ALLOC_SIZE(handle, size) RTE_LCORE_VAR_ALLOC_SIZE_ALIGN(handle, size, 0)

/**
 * Allocate space for an lcore variable whose size and alignment are those of the type
 * the handle points to, and assign it to the handle.
 *
 * @param handle
 *   The handle (an lvalue) to assign.
 */
#define RTE_LCORE_VAR_ALLOC(handle) \
	RTE_LCORE_VAR_ALLOC_SIZE_ALIGN(handle, sizeof(*(handle)), alignof(typeof(*(handle))))

/**
 * Define a constructor that allocates an lcore variable of explicit size and alignment
 * at program (or shared library) start, before main() and rte_eal_init().
 *
 * @param name
 *   The handle, an identifier with file scope.
 * @param size
 *   The size of each value, in bytes.
 * @param align
 *   The alignment of each value, or 0 for alignof(max_align_t).
 */
#define RTE_LCORE_VAR_INIT_SIZE_ALIGN(name, size, align) \
	RTE_INIT(__rte_lcore_var_ctor_ ## name) \
	{ \
		RTE_LCORE_VAR_ALLOC_SIZE_ALIGN(name, size, align); \
	}

/**
 * Define a constructor that allocates an lcore variable of explicit size, aligned for
 * any standard type, at program (or shared library) start.
 *
 * @param name
 *   The handle, an identifier with file scope.
 * @param size
 *   The size of each value, in bytes.
 */
#define RTE_LCORE_VAR_INIT_SIZE(name, size) RTE_LCORE_VAR_INIT_SIZE_ALIGN(name, size, 0)

/**
 * Define a constructor that allocates an lcore variable sized and aligned for the type
 * the handle points to, at program (or shared library) start.
 *
 * @param name
 *   The handle, an identifier with file scope.
 */
#define RTE_LCORE_VAR_INIT(name) \
	RTE_INIT(__rte_lcore_var_ctor_ ## name) \
	{ \
		RTE_LCORE_VAR_ALLOC(name); \
	}

/**
 * Get a pointer to the value of a given lcore id.
 *
 * May be called from any thread, for any lcore id; synchronising with the thread that
 * owns @p lcore_id is the caller's business.
 *
 * @param lcore_id
 *   The lcore id. It need not be valid: for an id at or above @c RTE_MAX_LCORE
 *   (@c LCORE_ID_ANY, say) the result is computed all the same, but it points to no
 *   value and must not be dereferenced.
 * @param handle
 *   The lcore variable handle; not NULL (checked by @c RTE_ASSERT).
 * @return
 *   A pointer to the value of @p lcore_id.
 */
static inline void *
rte_lcore_var_lcore(unsigned int lcore_id, void *handle)
{
	RTE_ASSERT(handle != NULL);
	return RTE_PTR_ADD(handle, (size_t)lcore_id * RTE_MAX_LCORE_VAR);
}

/**
 * Get a pointer, of the handle's type, to the value of a given lcore id.
 *
 * @param lcore_id
 *   The lcore id; as for rte_lcore_var_lcore(), an invalid one gives a pointer that must
 *   not be dereferenced.
 * @param handle
 *   The lcore variable handle.
 */
#define RTE_LCORE_VAR_LCORE(lcore_id, handle) \
	((typeof(handle))rte_lcore_var_lcore((lcore_id), (handle)))

/**
 * Get a pointer, of the handle's type, to the calling thread's value.
 *
 * The calling thread must have an lcore id: an EAL thread, or a non-EAL thread
 * registered with rte_thread_register(). In a thread where rte_lcore_id() is
 * @c LCORE_ID_ANY the result is not a valid pointer (see the file description).
 *
 * @param handle
 *   The lcore variable handle.
 */
#define RTE_LCORE_VAR(handle) RTE_LCORE_VAR_LCORE(rte_lcore_id(), handle)

/**
 * Iterate over the values of every lcore id, from 0 to @c RTE_MAX_LCORE - 1, whether an
 * lcore with that id runs or not.
 *
 * Both loop variables belong to the caller, who declares them before the loop. When the
 * loop runs to its end, @p lcore_id holds @c RTE_MAX_LCORE and @p value a pointer one
 * slice past the last value, which must not be dereferenced.
 *
 * @code{.c}
 * unsigned int lcore_id;
 * struct foo_lcore_state *state;
 *
 * RTE_LCORE_VAR_FOREACH(lcore_id, state, lcore_states)
 *         state->a = 0;
 * @endcode
 *
 * @param lcore_id
 *   An unsigned int lvalue, declared by the caller, set to the lcore id of each
 *   iteration.
 * @param value
 *   A pointer lvalue of the handle's type, declared by the caller, set to the value of
 *   @p lcore_id in each iteration.
 * @param handle
 *   The lcore variable handle.
 */
#define RTE_LCORE_VAR_FOREACH(lcore_id, value, handle) \
	for ((value) = RTE_LCORE_VAR_LCORE(0, handle), (lcore_id) = 0; \
			(lcore_id) < RTE_MAX_LCORE; \
			(lcore_id)++, (value) = RTE_LCORE_VAR_LCORE(lcore_id, handle))

/**
 * @warning
 * @b EXPERIMENTAL: this API may change without prior notice.
 *
 * Allocate space for an lcore variable.
 *
 * Reserves @p size bytes, aligned to @p align, in the slice of every lcore id, and
 * returns a handle to them. The values are zero-filled. The space is never freed: it
 * stays mapped for the life of the process, so that threads still running while the
 * process exits keep valid values.
 *
 * Usually called through RTE_LCORE_VAR_ALLOC(), RTE_LCORE_VAR_INIT() and the related
 * macros, rather than directly.
 *
 * The handle is an opaque identifier: it points to the value of lcore id 0, and the
 * values of other lcore ids lie beyond the @p size bytes there, which is why this
 * function carries no @c alloc_size attribute.
 *
 * Thread safety: may be called from any thread, at any time, including from
 * constructors before rte_eal_init(); concurrent calls are serialised.
 *
 * Invalid arguments are programming errors: the process is aborted with a message
 * naming the argument, as DPDK's EAL does.
 *
 * @param size
 *   The size of each value, in bytes: at most @c RTE_MAX_LCORE_VAR. A size of 0 gives a
 *   valid handle to values of no bytes.
 * @param align
 *   The alignment of each value: a power of two no larger than @c RTE_CACHE_LINE_SIZE,
 *   or 0 for alignof(max_align_t).
 * @return
 *   The handle: a pointer to the value of lcore id 0. Never NULL.
 */
__rte_experimental
void *
rte_lcore_var_alloc(size_t size, size_t align)
	__rte_alloc_align(2);

#ifdef __cplusplus
}
#endif

#endif /* RTE_LCORE_VAR_H */
