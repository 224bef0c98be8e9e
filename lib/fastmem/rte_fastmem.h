/* SPDX-License-Identifier: BSD-3-Clause
 * Copyright(c) 2026 The dpdk-lcoremem authors
 */

#ifndef RTE_FASTMEM_H
#define RTE_FASTMEM_H

/**
 * @file
 * fastmem: a small-object allocator for DPDK
 *
 * @warning
 * @b EXPERIMENTAL: all functions in this file may change without prior notice.
 *
 * fastmem serves objects of any size from 1 B to rte_fastmem_max_size() (1 MiB) at
 * mempool-like speed, grows on demand and returns memory that can be used for DMA. It is
 * meant to replace the one-mempool-per-object-type pattern: a single allocator whose
 * memory moves between object sizes as demand shifts.
 *
 * Layers, in the order an allocation is satisfied:
 *  -# a per-lcore cache: a bounded stack of free objects per (lcore, socket, size class),
 *     no lock and no atomic read-modify-write;
 *  -# a bin per (socket, size class), under a spinlock, holding the runs that serve the
 *     class: whole 32 KiB pages of a slab (a 2 MiB, 2 MiB-aligned piece of backing
 *     memory), objects taken from the fullest run first;
 *  -# per socket, the free pages of its slabs: a run is cut from them when its class
 *     needs one, and its pages become free again, for any class, as soon as all its
 *     objects are free, so that memory moves between classes page by page; a slab with
 *     every page free is in the socket's pool of free slabs;
 *  -# backing memory: IOVA-contiguous memzones within the socket's limit, the first of
 *     one slab and each next one an eighth of what the socket holds already (at least one
 *     slab, at most 128 MiB); smaller ones, down to a single slab, when EAL cannot provide
 *     that.
 *
 * Runs: a run of objects @c t bytes apart (the class size, see IOVA below) takes the
 * fewest pages that hold at least 4 objects (16 from 8 KiB) with at most 1/16 of the run
 * left over at its end (one page for every class up to 3 KiB and most below 8 KiB, 32
 * pages of 16 objects for 64 KiB), and the whole slab from 128 KiB. Its first page is at
 * a multiple of the objects' alignment when that is above a page. A slab starts with a header of
 * RTE_FASTMEM_SLAB_HDR_SIZE (4544) bytes, the page table: the run at page 0 has its first
 * object at the first multiple of the class alignment after it, the others at the start
 * of their first page.
 *
 * Size classes (120, from 8 B to 1 MiB, listed by rte_fastmem_classes()): the multiples of
 * 8 B up to 128 B, then eight per doubling, 1/8 of the power of two below them apart:
 * 144, 160 ... 256, 288, 320 ... 512, 576, 640 ... 1024, 1152 ... 2048 ... 1 MiB. A request
 * of size @c s with alignment @c a (0: @c RTE_CACHE_LINE_SIZE) is served from the smallest
 * class at least @c s rounded up to a multiple of @c a (a size of 0 counts as 1). So the
 * class of a request wastes at most 1/8 of the request, from 128 B up for alignments up
 * to 8 or 16, and from 8 cache lines up (512 B with 64 B lines) at the default alignment;
 * below that, classes are the multiples of the alignment (8, 16 ... at alignment 16; 64,
 * 128, 192 ... with 0 and 64 B lines).
 *
 * Alignment: an object of a class of size @c c is aligned to the largest power of two that
 * divides @c c (a 192 B object to 64 B, a 4 KiB object to 4 KiB), which is at least the
 * alignment asked for: the class of a request is a multiple of its alignment. With the
 * default alignment, objects from distinct calls never share a cache line; pass a smaller
 * alignment (1 to 32) to get objects packed at 8, 16 or 32 B. The largest alignment
 * honoured is 1 MiB; a larger one fails with @c E2BIG. IOVA: an object is IOVA-contiguous
 * when its memory is, and in memory that is not, it spans no page boundary when it is at
 * most a page: in 2 MiB (or larger) pages a slab is within a page; in smaller pages that
 * are not IOVA-contiguous (an external heap's, or EAL's in IOVA-as-PA mode) the objects of
 * classes that do not divide the page are laid out at a power-of-two stride instead of
 * their class size. An object larger than such a page spans pages, each of whose
 * addresses rte_fastmem_virt2iova() translates.
 *
 * Sockets: a socket id names a malloc heap, not only a NUMA node: the NUMA sockets EAL
 * knows, and external heaps created with rte_malloc_heap_create() and filled with
 * rte_malloc_heap_memory_add(), whose socket id comes from rte_malloc_heap_get_socket().
 * @c SOCKET_ID_ANY means the calling thread's socket (the first NUMA socket for threads
 * without one); when that socket has no memory left, an allocation with
 * @c SOCKET_ID_ANY tries the other NUMA sockets (never external heaps).
 *
 * Threads: after rte_fastmem_init(), every allocation and free function may be called
 * from any thread: EAL lcores, registered non-EAL threads (rte_thread_register()) and
 * unregistered threads. Threads with an lcore id use their private caches; threads
 * without one bypass the caches and take the bin lock on every call (they are counted
 * apart, see rte_fastmem_stats_shared()). An object may be freed by any thread, not only
 * the one that allocated it. When a registered non-EAL thread gives up its lcore id
 * (rte_thread_unregister()), the objects its caches held return to the bins, and the
 * id's next holder starts afresh, with caches on its own socket (the counters of the
 * id's caches stay in the totals, in no lcore's figures). An lcore whose thread moved
 * to another socket takes that socket as its own at its next call naming
 * @c SOCKET_ID_ANY that reaches the library (a cache miss, for allocations): until
 * then its inline paths keep serving the old socket's cache.
 *
 * Errors: functions returning a pointer return NULL and set rte_errno; functions
 * returning int return a negative errno value and set rte_errno to its absolute value.
 * Every error is also logged at debug level. Invalid input never crashes the process,
 * with one exception that no allocator can check cheaply: passing a pointer that did
 * not come from fastmem, or that was already freed, to a free function is undefined.
 *  - @c ENODEV: fastmem is not initialized (call before rte_fastmem_init() or after
 *    rte_fastmem_deinit()), also when EAL is not: every call but rte_fastmem_init()
 *    before rte_eal_init().
 *  - @c E_RTE_NO_CONFIG: rte_fastmem_init() before rte_eal_init().
 *  - @c E2BIG: size or alignment above rte_fastmem_max_size().
 *  - @c EINVAL: alignment not a power of two, unknown flags, unknown socket or heap, NULL
 *    output pointer, a size that is not a class size (statistics).
 *  - @c ENOMEM: no backing memory can be had within the socket's limit; also, at the
 *    first use of an external heap, no EAL memory for its bookkeeping (its bins, about
 *    38 KiB).
 *  - @c EBUSY: rte_fastmem_init() when already initialized.
 *  - @c ENOENT: rte_fastmem_init() in a secondary process whose primary has not
 *    initialized fastmem (see "Multi-process" below).
 *  - @c ENOSPC: rte_fastmem_init() in a secondary process when RTE_FASTMEM_MAX_PROCS
 *    processes are attached already (the errno of open() when the process table's lock
 *    file, in EAL's runtime directory, cannot be opened).
 *  - @c EPROTO: rte_fastmem_init() in an application compiled against the headers of a
 *    fastmem with another layout (RTE_FASTMEM_LAYOUT_VERSION) or another debug setting
 *    than the library it runs with; in a secondary process, also a library whose layout
 *    differs from the primary's.
 *
 * Memory limit: each socket has a limit on its backing memory (unlimited by default),
 * see rte_fastmem_set_limit(). With the limit reached, an allocation fails with
 * @c ENOMEM only when no run and no free pages of the socket can serve it: every run is
 * assigned to a class and holds at least one object that is in use or sitting in some
 * lcore cache. A run whose objects all became free gives its pages back while its bin
 * lock is still held, so no page is ever invisible to allocators ("in transit"). As a
 * consequence, an allocation of class size @c c on socket @c s cannot fail for lack of
 * memory (provided EAL can supply backing memory up to the limit) as long as
 * @code{.unparsed}
 *   used(s) + cached(s) + frag(s) + 2 MiB <= limit(s)
 * @endcode
 * where used(s) is the bytes (counted at class size) of objects of socket s held by the
 * application; cached(s) the bytes in the caches of socket s of the lcores other than the
 * caller, and in the transfer caches of socket s that those lcores drained into after
 * the caller emptied them (before failing, an allocation on an lcore returns everything
 * its own caches of socket s hold to the bins, empties the socket's transfer caches into
 * their runs, and tries once more): at most the sum over the classes of capacity x class
 * size x (number of other lcores + 2), as each lcore cache holds at most
 * RTE_FASTMEM_CACHE_BYTES_MAX bytes, and each transfer cache (one per socket and class)
 * twice that (capacities are reported in
 * rte_fastmem_lcore_class_stats::cache_capacity); and frag(s) the free bytes in runs of
 * socket s of classes other than @c c, plus the per-run overhead (the bytes a run leaves
 * at its end, and the slab header), and, for a class whose runs take more than one page,
 * the free pages of the slabs that hold runs of other classes (which may be too few in a
 * row for its run). A run holds (its bytes - the offset of its first object) / class
 * size objects (1 of 1 MiB, 3 of 512 KiB at page 0, 16 of 64 KiB, 157 of 208 B). When the
 * limit is not a multiple of 2 MiB, it is rounded down to one.
 *
 * Lifetime: pages are recycled between classes; backing memory goes back to EAL only
 * when asked for, a whole memzone at a time, with rte_fastmem_trim() (or automatically,
 * see rte_fastmem_set_trim_threshold()), and all of it at rte_fastmem_deinit().
 *
 * Multi-process: the shared state (bins, slab pools, backing memory, the zone map, the
 * locks) is in EAL memory, which every process maps at the same address. In a secondary
 * process, rte_fastmem_init() attaches to the state the primary set up (the statistics
 * calls attach on first use); the process then allocates and frees with the same API,
 * with lockless lcore caches of its own: they hang off fastmem's lcore variable, which
 * is process-local, so a secondary may use the same lcore ids as the primary or as other
 * secondaries. An object allocated in any process may be freed in any other, one at a
 * time, in bulk or with a handle; a handle (rte_fastmem_hlookup()) is valid in every
 * process attached to the same state. Growth, reservations, limits and trims act on the
 * shared state under its locks, whichever process calls them. rte_fastmem_deinit() in a
 * secondary detaches: the objects the process's caches hold go back to the bins and the
 * shared state stays; in the primary it releases everything, and a secondary still
 * attached must not call fastmem afterwards (its caches are freed; a warning is logged
 * for each). A process that ends without rte_fastmem_deinit(), or is killed, keeps its
 * record until the next rte_fastmem_trim() or rte_fastmem_cache_flush() of any process,
 * which takes back what its caches held (rte_fastmem_stats_procs() counts it); objects
 * it held as the application are lost with it. A process killed while it holds one of
 * fastmem's spinlocks (an allocation or free that missed its cache, a growth, a trim, a
 * statistics call or telemetry query, the first use of a cache) leaves that lock taken:
 * the next process that needs it waits forever, as with EAL's own heap lock. A process
 * is known dead when the kernel has released its lock on its record in a lock file of
 * EAL's runtime directory. Statistics of the whole allocator cover every process; those of an
 * lcore are the calling process's.
 */

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <string.h>

#include <rte_branch_prediction.h>
#include <rte_common.h>
#include <rte_compat.h>
#include <rte_lcore.h>
#include <rte_memory.h>

#include "rte_fastmem_core.h"

#ifdef __cplusplus
extern "C" {
#endif

/** Allocation flag: fill the object's first @c size bytes with zeros. */
#define RTE_FASTMEM_F_ZERO RTE_BIT32(0)

/** The largest number of size classes any build has; an array of this many entries
 * can always receive the output of rte_fastmem_classes(). */
#define RTE_FASTMEM_MAX_CLASSES 128

/** The size of a slab, and the alignment of backing memory, in bytes. */
#define RTE_FASTMEM_SLAB_SIZE ((size_t)2 << 20)

/**
 * The most bytes of objects a single lcore cache (one lcore, socket and class) holds; a
 * class's cache holds at most 1024 objects or as many as fit this, whichever is fewer;
 * its capacity adapts within that (rte_fastmem_set_cache_budget()). Each socket keeps at
 * most twice this per class in its transfer caches.
 */
#define RTE_FASTMEM_CACHE_BYTES_MAX ((size_t)1 << 20)

/**
 * The default cache budget (rte_fastmem_set_cache_budget()): 4 MiB per lcore and socket.
 */
#define RTE_FASTMEM_CACHE_BUDGET_DEFAULT ((size_t)4 << 20)

/** The most processes (the primary and its secondaries) attached to fastmem at once. */
#define RTE_FASTMEM_MAX_PROCS 128

/**
 * @internal
 * Out-of-line rte_fastmem_init(), the function the library exports: layout is the
 * RTE_FASTMEM_LAYOUT the caller was compiled with (the layout version, and whether the
 * debug checks were on). Called only by rte_fastmem_init(). Not API.
 */
__rte_experimental
int
__rte_fastmem_init(uint32_t layout);

/**
 * Initialize fastmem.
 *
 * Sets up the bins and slab pools of every socket in EAL memory. Reserves no backing
 * memory (see rte_fastmem_reserve()). Limits are reset to unlimited.
 *
 * Thread safety: not MT-safe with any other fastmem function. Call it once, after
 * rte_eal_init(), from any thread (usually the main lcore).
 *
 * The inline functions of this header, compiled into the caller, depend on the layout of
 * the caches and slabs (RTE_FASTMEM_LAYOUT_VERSION); rte_fastmem_init() is inline too, so
 * that it hands the library the version the caller was compiled with.
 *
 * @return
 *   - 0: success.
 *   - -E_RTE_NO_CONFIG: called before rte_eal_init() (EAL has no configuration yet).
 *   - -EBUSY: already initialized.
 *   - -ENOENT: in a secondary process, the primary has not initialized fastmem.
 *   - -ENOSPC: in a secondary process, RTE_FASTMEM_MAX_PROCS processes are attached.
 *   - -ENOMEM: EAL memory for the shared state could not be had.
 *   - -EPROTO: the caller was compiled against fastmem headers of another layout
 *     (RTE_FASTMEM_LAYOUT_VERSION), or with the debug checks on where the library has
 *     them off or the other way round, than this library: rebuild it against the headers
 *     installed with the library. Logged at error level.
 */
__rte_experimental
static inline int
rte_fastmem_init(void)
{
	return __rte_fastmem_init(RTE_FASTMEM_LAYOUT);
}

/**
 * Release everything fastmem holds.
 *
 * Empties every lcore cache, releases every memzone of backing memory (on every socket
 * and external heap) and the shared state, in an order that does not depend on which
 * lcore used which socket. Objects still allocated become invalid: their memory is
 * returned to EAL, and freeing them afterwards is a no-op (fastmem is not initialized).
 * After this call, rte_fastmem_init() may be called again. A no-op when fastmem is not
 * initialized.
 *
 * In a secondary process it detaches instead: the objects the process's caches hold go
 * back to the bins, its caches are freed, and the shared state, its backing memory and
 * the objects allocated stay (they remain valid in the other processes, and in this one
 * after rte_fastmem_init() attaches again). In the primary, secondaries still attached
 * must not call fastmem afterwards.
 *
 * Thread safety: not MT-safe with any other fastmem function of the calling process; no
 * other thread of it may be using fastmem, nor may it hold objects it will touch
 * afterwards.
 */
__rte_experimental
void
rte_fastmem_deinit(void);

/**
 * Reserve backing memory up front.
 *
 * Makes sure that the socket has at least @p size bytes (rounded up to whole slabs) of
 * reserved backing memory in total: memory reserved up front and put in the socket's
 * free-slab pool, so that later allocations do not pay for memzone reservation, and that
 * rte_fastmem_trim() never releases. When the socket already has that much reserved, the
 * call does nothing; otherwise it reserves the difference. Calling it twice with the same
 * size thus reserves once; a larger size later reserves what is missing.
 *
 * Thread safety: MT-safe. May be called from any thread.
 *
 * @param size
 *   Bytes the socket's reservation must reach; not 0.
 * @param socket_id
 *   Socket id or external heap socket id, or @c SOCKET_ID_ANY for the calling thread's
 *   socket.
 * @return
 *   - 0: success (also when the socket already had @p size bytes reserved).
 *   - -EINVAL: @p size is 0, or @p socket_id is unknown.
 *   - -ENOMEM: the missing bytes would take the socket's backing memory above its limit
 *     (nothing is reserved), or EAL ran out of memory (what was reserved before that
 *     stays in the pool, counts as reserved and against the limit).
 *   - -ENODEV: fastmem is not initialized.
 */
__rte_experimental
int
rte_fastmem_reserve(size_t size, int socket_id);

/**
 * Set a socket's limit on backing memory.
 *
 * The limit bounds growth: a socket whose backing memory would exceed it reserves no more
 * memzones. A limit below what the socket already holds is accepted: nothing is released
 * (see rte_fastmem_trim() for that), the socket just stops growing until its backing
 * memory is below the limit again.
 *
 * Thread safety: MT-safe. May be called from any thread.
 *
 * @param socket_id
 *   Socket id or external heap socket id, or @c SOCKET_ID_ANY for every socket, including
 *   external heaps first used later.
 * @param max_bytes
 *   The most bytes of backing memory the socket may reserve, rounded down to whole slabs;
 *   @c SIZE_MAX (the default) for no limit.
 * @return
 *   - 0: success.
 *   - -EINVAL: @p socket_id is unknown.
 *   - -ENODEV: fastmem is not initialized.
 */
__rte_experimental
int
rte_fastmem_set_limit(int socket_id, size_t max_bytes);

/**
 * Get a socket's limit on backing memory.
 *
 * Thread safety: MT-safe. May be called from any thread.
 *
 * @param socket_id
 *   Socket id or external heap socket id; @c SOCKET_ID_ANY returns the limit that
 *   sockets not yet used will get (the last one set with @c SOCKET_ID_ANY).
 * @return
 *   The limit in bytes as set (@c SIZE_MAX for none). On error, 0 with rte_errno set to
 *   @c EINVAL (unknown socket) or @c ENODEV (not initialized); since 0 is also a valid
 *   limit, clear rte_errno before the call to tell the two apart.
 */
__rte_experimental
size_t
rte_fastmem_get_limit(int socket_id);

/**
 * Give free backing memory back to EAL.
 *
 * Releases, with rte_memzone_free(), every memzone of backing memory of the socket whose
 * slabs have every page free (all in the free-slab pool), i.e. hold no object, neither in
 * use nor in any lcore cache. In EAL's dynamic memory mode (no @c --legacy-mem, and memory not
 * preallocated with @c -m or @c --socket-mem), the hugepages of those memzones return to
 * the system. The socket's backing memory (rte_fastmem_stats::bytes_backing) drops by the
 * bytes released, which become available again under the socket's limit; later
 * allocations grow the socket again as needed.
 *
 * What stays:
 *  - a memzone with at least one page in a run of a size class, even if only one object
 *    of it is in use or sitting in an lcore cache or a transfer cache. Objects in caches
 *    keep their runs: to get everything back, make every lcore that used fastmem call
 *    rte_fastmem_cache_flush() first (e.g. with rte_eal_mp_remote_launch());
 *  - the bytes asked for with rte_fastmem_reserve(): the socket keeps at least that much
 *    backing memory, so that a trim never undoes a reservation made to keep memzone
 *    reservation off the data path. Only rte_fastmem_deinit() releases reserved memory.
 *    Since memzones are released whole, the socket may keep somewhat more than that.
 *
 * Memzones are looked at newest first.
 *
 * Cost: takes the socket's grow lock (as growth does), and for each memzone the lock of
 * the free-slab pool, held for the time it takes to unlink the memzone's slabs (at most 64).
 * The calling lcore's caches first go back to their starting capacity
 * (rte_fastmem_set_cache_budget()), what they hold beyond it returning to the runs;
 * it touches no other lcore's cache, so it never blocks an allocation or free served by
 * a cache;
 * it takes each bin lock of the socket once, briefly, to free the transfer cache (EAL
 * heap memory) of the bins left without runs; their next drain allocates it again.
 * Allocations that need a slab from the pool wait for the pool lock; allocations that
 * need to grow the socket wait for the grow lock, which is held while EAL frees the
 * memzones (this takes a system call per hugepage). A memzone being released cannot hand
 * out a slab: its slabs leave the pool, under the pool lock, before it is freed.
 *
 * Thread safety: MT-safe. May be called from any thread, concurrently with allocations,
 * frees and other trims; not with rte_fastmem_deinit().
 *
 * @param socket_id
 *   Socket id or external heap socket id, or @c SOCKET_ID_ANY for every socket and
 *   external heap fastmem has used.
 * @param released
 *   When not NULL, receives the number of bytes released (0 when none).
 * @return
 *   - >= 0: the number of memzones released.
 *   - -EINVAL: @p socket_id is unknown.
 *   - -ENODEV: fastmem is not initialized.
 */
__rte_experimental
int
rte_fastmem_trim(int socket_id, size_t *released);

/**
 * Trim automatically when free backing memory exceeds a threshold.
 *
 * Off by default. When set, a free that gives the pages of a run back (the slow path of a
 * free: never a free served by an lcore cache) checks whether the socket's free-slab
 * pool holds more than @p bytes, and if so releases whole free memzones, as
 * rte_fastmem_trim() does, as long as the pool keeps at least @p bytes. The thread doing
 * that free pays for the release (a system call per hugepage); it does not wait for the
 * socket's grow lock: when another thread is growing or trimming the socket, nothing is
 * released. The threshold is applied once when set, too.
 *
 * Thread safety: MT-safe. May be called from any thread.
 *
 * @param socket_id
 *   Socket id or external heap socket id, or @c SOCKET_ID_ANY for every socket, including
 *   external heaps first used later.
 * @param bytes
 *   Bytes of free backing memory the socket keeps; @c SIZE_MAX (the default) turns
 *   automatic trimming off; 0 releases every free memzone as soon as it is free (which
 *   makes bursts pay for memzone reservation again and again).
 * @return
 *   - 0: success.
 *   - -EINVAL: @p socket_id is unknown.
 *   - -ENODEV: fastmem is not initialized.
 */
__rte_experimental
int
rte_fastmem_set_trim_threshold(int socket_id, size_t bytes);

/**
 * The largest object size fastmem serves.
 *
 * Thread safety: MT-safe; may be called at any time, initialized or not.
 *
 * @return
 *   The size of the largest class: 1 MiB.
 */
__rte_experimental
size_t
rte_fastmem_max_size(void);

/**
 * Set the cache budget: how many bytes of capacity the caches of one lcore and one socket
 * may gain by growing, in all classes together.
 *
 * A cache starts at 1/16 of its largest capacity (1024 objects, or as many as fit
 * @c RTE_FASTMEM_CACHE_BYTES_MAX; at least one object). Each miss (an allocation from an
 * empty cache, a free into a full one) doubles its capacity, up to the largest, while the
 * caches of its lcore and socket stay within the budget; when the budget refuses a
 * growth, the caches of that lcore and socket that have not missed since the last such
 * refusal are halved first (their oldest objects go back to the bins). rte_fastmem_cache_flush()
 * and rte_fastmem_trim() return the calling lcore's caches to their starting capacity.
 * So the bytes an lcore keeps in its caches of a socket are at most the starting
 * capacities (about 15 MiB in all classes, most of it one object in each class above
 * 64 KiB) plus the budget; a budget lowered below what caches have grown by already
 * bounds their growth from then on, and they come down as they idle when the budget
 * refuses a growth, or at their lcore's next flush or trim. The budget is per lcore and
 * socket: an lcore that uses several sockets (external heaps included) has one per
 * socket. The
 * default is @c RTE_FASTMEM_CACHE_BUDGET_DEFAULT (4 MiB); 0 keeps every cache at its
 * starting capacity; @c SIZE_MAX lets every cache grow to its largest (about 88 MiB in
 * all classes). rte_fastmem_lcore_class_stats::cache_capacity shows the capacities.
 *
 * Thread safety: MT-safe. Each lcore applies a new budget at its next growth.
 *
 * @param bytes
 *   The budget in bytes, per lcore and socket.
 * @return
 *   0, or -ENODEV (not initialized), also in rte_errno.
 */
__rte_experimental
int
rte_fastmem_set_cache_budget(size_t bytes);

/**
 * Get the cache budget (rte_fastmem_set_cache_budget()).
 *
 * Thread safety: MT-safe.
 *
 * @return
 *   The budget in bytes, or 0 with rte_errno @c ENODEV when not initialized.
 */
__rte_experimental
size_t
rte_fastmem_get_cache_budget(void);

/**
 * List the size classes.
 *
 * Thread safety: MT-safe; may be called at any time, initialized or not.
 *
 * @param sizes
 *   When not NULL, an array of at least @c RTE_FASTMEM_MAX_CLASSES entries (or of the
 *   count an earlier call returned) that receives the class sizes in bytes, in
 *   increasing order.
 * @return
 *   The number of size classes (120).
 */
__rte_experimental
unsigned int
rte_fastmem_classes(size_t *sizes);

/**
 * Allocate an object on the calling thread's socket.
 *
 * Same as rte_fastmem_alloc_socket() with @c SOCKET_ID_ANY.
 *
 * @param size
 *   Object size in bytes, at most rte_fastmem_max_size(). 0 returns a unique object of
 *   the smallest class the alignment allows, which must be freed like any other.
 * @param align
 *   Alignment: 0 for @c RTE_CACHE_LINE_SIZE, or a power of two up to
 *   rte_fastmem_max_size() (larger: @c E2BIG).
 * @param flags
 *   0 or @c RTE_FASTMEM_F_ZERO.
 * @return
 *   The object, or NULL with rte_errno set to @c E2BIG, @c EINVAL, @c ENOMEM or
 *   @c ENODEV.
 */
__rte_experimental
static inline void *
rte_fastmem_alloc(size_t size, size_t align, unsigned int flags);

/**
 * Allocate an object on a given socket.
 *
 * Thread safety: MT-safe. May be called from any thread: lcores use their cache (no lock
 * on a cache hit), threads without an lcore id take the bin lock.
 *
 * @param size
 *   Object size in bytes, at most rte_fastmem_max_size(); 0 as in rte_fastmem_alloc().
 * @param align
 *   Alignment, as in rte_fastmem_alloc().
 * @param flags
 *   0 or @c RTE_FASTMEM_F_ZERO.
 * @param socket_id
 *   Socket id, external heap socket id, or @c SOCKET_ID_ANY (the calling thread's socket,
 *   then the other NUMA sockets).
 * @return
 *   The object, or NULL with rte_errno set: @c E2BIG (size or alignment too large),
 *   @c EINVAL (alignment not a power of two, flags, socket), @c ENOMEM (no memory within
 *   the limit), @c ENODEV (not initialized).
 */
__rte_experimental
void *
rte_fastmem_alloc_socket(size_t size, size_t align, unsigned int flags, int socket_id);

/**
 * Allocate @p n objects of one size on the calling thread's socket, all or nothing.
 *
 * Same as rte_fastmem_alloc_bulk_socket() with @c SOCKET_ID_ANY.
 *
 * @param ptrs
 *   Array of at least @p n entries receiving the objects.
 * @param n
 *   Number of objects; 0 succeeds and does nothing, once the other arguments are found
 *   valid (a bad size, alignment, flag or socket still fails).
 * @param size
 *   Object size, as in rte_fastmem_alloc().
 * @param align
 *   Alignment, as in rte_fastmem_alloc().
 * @param flags
 *   0 or @c RTE_FASTMEM_F_ZERO.
 * @return
 *   0 on success, or a negative errno value (see rte_fastmem_alloc_bulk_socket()).
 */
__rte_experimental
static inline int
rte_fastmem_alloc_bulk(void **ptrs, unsigned int n, size_t size, size_t align,
		unsigned int flags);

/**
 * Allocate @p n objects of one size on a given socket, all or nothing.
 *
 * Either all @p n objects are allocated, or none is and @p ptrs is left with
 * unspecified contents.
 *
 * Thread safety: MT-safe, as rte_fastmem_alloc_socket().
 *
 * @param ptrs
 *   Array of at least @p n entries receiving the objects; may be NULL when @p n is 0.
 * @param n
 *   Number of objects; 0 succeeds and does nothing, once the other arguments are found
 *   valid (a bad size, alignment, flag or socket still fails).
 * @param size
 *   Object size, as in rte_fastmem_alloc().
 * @param align
 *   Alignment, as in rte_fastmem_alloc().
 * @param flags
 *   0 or @c RTE_FASTMEM_F_ZERO.
 * @param socket_id
 *   As in rte_fastmem_alloc_socket().
 * @return
 *   - 0: success.
 *   - -E2BIG, -EINVAL, -ENOMEM, -ENODEV: as in rte_fastmem_alloc_socket(); -EINVAL also
 *     for a NULL @p ptrs with @p n > 0.
 */
__rte_experimental
int
rte_fastmem_alloc_bulk_socket(void **ptrs, unsigned int n, size_t size, size_t align,
		unsigned int flags, int socket_id);

/**
 * Free an object.
 *
 * Thread safety: MT-safe. Any thread may free any object, whichever thread allocated it.
 *
 * @param ptr
 *   An object from fastmem, or NULL (always a no-op, rte_errno untouched). A non-NULL
 *   @p ptr when fastmem is not initialized is a no-op with rte_errno set to @c ENODEV.
 */
__rte_experimental
static inline void
rte_fastmem_free(void *ptr);

/**
 * Free @p n objects.
 *
 * The objects may be of different sizes and sockets; NULL entries are skipped.
 *
 * Thread safety: MT-safe, as rte_fastmem_free().
 *
 * @param ptrs
 *   Array of @p n objects, or NULL (a no-op, whatever @p n).
 * @param n
 *   Number of entries; 0 is a no-op.
 */
__rte_experimental
static inline void
rte_fastmem_free_bulk(void **ptrs, unsigned int n);

/**
 * Resize an object.
 *
 * When @p size and @p align map to the object's current size class, returns @p ptr
 * unchanged. Otherwise (larger or smaller class) allocates a new object on the socket
 * of @p ptr, copies the old object's contents (up to the smaller of the old class size
 * and @p size), frees @p ptr and returns the new object. Contents beyond the old object
 * are not initialized. A @p size of 0 frees @p ptr and returns NULL (rte_errno is left
 * alone: it is no error), so rte_fastmem_realloc(NULL, 0, align) does nothing.
 *
 * Thread safety: MT-safe, as rte_fastmem_alloc_socket().
 *
 * @param ptr
 *   An object from fastmem, or NULL to allocate on the calling thread's socket.
 * @param size
 *   New size, at most rte_fastmem_max_size(); 0 to free @p ptr.
 * @param align
 *   Alignment, as in rte_fastmem_alloc().
 * @return
 *   The object; NULL when @p size is 0; or NULL with rte_errno set as in
 *   rte_fastmem_alloc_socket(), or to @c EINVAL when @p ptr is not in fastmem's backing
 *   memory (found in O(1), nothing read at @p ptr), @p ptr then left untouched.
 */
__rte_experimental
void *
rte_fastmem_realloc(void *ptr, size_t size, size_t align);

/**
 * Translate an object address to an IO address, in O(1).
 *
 * Thread safety: MT-safe.
 *
 * Any address is accepted: one outside fastmem's backing memory (malloc()ed, rte_malloc()ed,
 * static or stack memory, a wild pointer) is told apart in O(1), without reading the
 * memory it points to, and gets @c RTE_BAD_IOVA with rte_errno @c EINVAL.
 *
 * @param ptr
 *   Any address; for an IO address, one inside an object from fastmem.
 * @return
 *   The IO address, as rte_mem_virt2iova() would give it for EAL memory, and as the user
 *   supplied to rte_malloc_heap_memory_add() for external heaps; @c RTE_BAD_IOVA when
 *   the memory has no IO address, for NULL, for an address outside fastmem's backing
 *   memory (rte_errno @c EINVAL), or when fastmem is not initialized (@c ENODEV).
 */
__rte_experimental
rte_iova_t
rte_fastmem_virt2iova(const void *ptr);

/**
 * Return the objects in the calling lcore's caches (every socket, every class) to the
 * bins, and then the objects in the bins' transfer caches (where lcore caches drain, every
 * socket) to their runs, so that fully free runs give their pages back. The
 * calling lcore's caches go back to their starting capacity (rte_fastmem_set_cache_budget()).
 *
 * Thread safety: MT-safe; acts on the calling thread's caches and the shared transfer
 * caches. A thread without an lcore id has no cache: it empties the transfer caches only.
 */
__rte_experimental
void
rte_fastmem_cache_flush(void);

/**
 * @name Handles
 *
 * A handle pre-resolves the size class and the socket of an allocation, once, with
 * rte_fastmem_hlookup(); rte_fastmem_halloc() and rte_fastmem_hfree() then skip the size
 * and socket arithmetic, and a free with a handle does not read the page table of the
 * object's slab. Their cache-hit path is inline (rte_fastmem_pvt.h): with the calling lcore's
 * cache of the handle's class holding an object (halloc) or having room (hfree), it is a
 * handful of instructions, with no function call, no lock and no atomic
 * read-modify-write. Everything else (threads without an lcore id, an empty or full
 * cache, the first use of a cache, any error) calls an out-of-line slow path.
 *
 * A handle is a 32-bit value naming (class, socket slot) with a tag; it may be copied
 * freely and shared between threads, and stays valid until rte_fastmem_deinit(). Look
 * handles up again after a new rte_fastmem_init().
 *
 * Objects allocated with a handle are ordinary fastmem objects: rte_fastmem_free() and
 * the other functions accept them. Conversely, rte_fastmem_hfree() accepts an object
 * from any allocation function, provided it is of the handle's class and socket, i.e.
 * allocated with a size and alignment that rte_fastmem_hlookup() maps to the same handle,
 * on the handle's socket.
 *
 * Error table of the handle calls (functions returning a pointer set rte_errno and
 * return NULL; functions returning int return the negative value and set rte_errno; the
 * free functions set rte_errno and do nothing):
 *  - @c ENODEV: fastmem not initialized (every call).
 *  - @c EINVAL: rte_fastmem_hlookup(): NULL @p h, alignment not a power of two, unknown
 *    socket. halloc/hfree calls: a value that is not a handle, detected
 *    on every path when its tag bits are wrong (0, or most random values) or when it
 *    names a socket or class that does not exist. Allocation calls: unknown flags.
 *  - @c E2BIG: rte_fastmem_hlookup() with a size or an alignment above
 *    rte_fastmem_max_size().
 *  - @c ENOMEM: halloc calls, no memory within the limit of the handle's socket (no other
 *    socket is tried, even for a handle looked up with @c SOCKET_ID_ANY).
 *
 * Undefined, not checked on the inline path in production builds (so that it costs
 * nothing), caught with a panic naming the fault in builds with
 * @c RTE_LIBRTE_FASTMEM_DEBUG (meson option @c fastmem_debug):
 *  - rte_fastmem_hfree() or rte_fastmem_hfree_bulk() of an object of another class or
 *    socket than the handle's (NULL is not an object: freeing it does nothing).
 * A value with a valid tag that rte_fastmem_hlookup() did not return is undefined on the
 * inline path of production builds; the debug build, which has no inline path, gives
 * @c EINVAL for it, as for any value that is not a handle, on every path.
 *
 * Also undefined: a NULL @p ptrs array with @p n > 0 in the bulk calls.
 * @{
 */

/** A pre-resolved (size class, socket) for rte_fastmem_halloc() and friends. */
typedef uint32_t rte_fastmem_handle_t;

/**
 * Resolve a size, an alignment and a socket into a handle.
 *
 * The handle serves objects of the class rte_fastmem_alloc_socket() would use for
 * (@p size, @p align, @p socket_id). @c SOCKET_ID_ANY binds the socket of the calling
 * thread (as rte_fastmem_alloc() would use it) at the time of this call.
 *
 * Thread safety: MT-safe. May be called from any thread.
 *
 * @param size
 *   Object size in bytes, at most rte_fastmem_max_size(); 0 as in rte_fastmem_alloc().
 * @param align
 *   Alignment: 0 for @c RTE_CACHE_LINE_SIZE, or a power of two up to
 *   rte_fastmem_max_size().
 * @param socket_id
 *   Socket id, external heap socket id, or @c SOCKET_ID_ANY.
 * @param h
 *   Receives the handle.
 * @return
 *   - 0: success.
 *   - -E2BIG: @p size or @p align above rte_fastmem_max_size().
 *   - -EINVAL: alignment not a power of two, unknown socket, NULL @p h.
 *   - -ENODEV: fastmem is not initialized.
 */
__rte_experimental
int
rte_fastmem_hlookup(size_t size, size_t align, int socket_id, rte_fastmem_handle_t *h);

/**
 * Allocate an object with a handle.
 *
 * Thread safety: MT-safe, as rte_fastmem_alloc_socket(). On an lcore whose cache of the
 * handle's class and socket holds an object, inline and lock-free.
 *
 * @param h
 *   A handle from rte_fastmem_hlookup().
 * @param flags
 *   0, or @c RTE_FASTMEM_F_ZERO to zero the whole object (its class size, at least the
 *   size given to rte_fastmem_hlookup()).
 * @return
 *   The object, or NULL with rte_errno set to @c EINVAL (bad handle, unknown flags),
 *   @c ENOMEM or @c ENODEV.
 */
__rte_experimental
static inline void *
rte_fastmem_halloc(rte_fastmem_handle_t h, unsigned int flags);

/**
 * Allocate @p n objects with a handle, all or nothing.
 *
 * Either all @p n objects are allocated, or none is and @p ptrs is left with unspecified
 * contents.
 *
 * Thread safety: MT-safe, as rte_fastmem_halloc(); inline when the cache holds @p n
 * objects.
 *
 * @param h
 *   A handle from rte_fastmem_hlookup().
 * @param ptrs
 *   Array of at least @p n entries receiving the objects.
 * @param n
 *   Number of objects; 0 succeeds and does nothing (a bad handle still fails).
 * @param flags
 *   0 or @c RTE_FASTMEM_F_ZERO, as in rte_fastmem_halloc().
 * @return
 *   0, or -EINVAL (bad handle, unknown flags), -ENOMEM or -ENODEV.
 */
__rte_experimental
static inline int
rte_fastmem_halloc_bulk(rte_fastmem_handle_t h, void **ptrs, unsigned int n,
		unsigned int flags);

/**
 * Free an object with a handle.
 *
 * Thread safety: MT-safe: any thread may free any object. On an lcore whose cache of the
 * handle's class and socket has room, inline and lock-free.
 *
 * @param h
 *   A handle from rte_fastmem_hlookup(), of the object's class and socket.
 * @param ptr
 *   The object, or NULL (a no-op). A bad handle or fastmem not initialized: nothing is
 *   freed, rte_errno is set to @c EINVAL or @c ENODEV.
 */
__rte_experimental
static inline void
rte_fastmem_hfree(rte_fastmem_handle_t h, void *ptr);

/**
 * Free @p n objects with a handle.
 *
 * Thread safety: MT-safe, as rte_fastmem_hfree(); inline when the cache has room for
 * @p n objects.
 *
 * @param h
 *   A handle from rte_fastmem_hlookup(), of the objects' class and socket.
 * @param ptrs
 *   Array of @p n objects; NULL entries are skipped.
 * @param n
 *   Number of objects; 0 is a no-op.
 */
__rte_experimental
static inline void
rte_fastmem_hfree_bulk(rte_fastmem_handle_t h, void **ptrs, unsigned int n);

/** @} */

/*
 * Statistics and the fast path: the inline cache-hit path updates only the cache-hit
 * counters, with a relaxed load and store (no atomic read-modify-write). Built with the
 * meson option fastmem_stats=false (RTE_LIBRTE_FASTMEM_STATS undefined), it does not:
 * alloc_cache_hits and free_cache_hits then read 0, and the figures computed from them
 * (in_use, bytes_in_use, alloc_total, free_total) count the slow path only and are not
 * meaningful. Misses, ENOMEM counts, slab counts and the cached and backing bytes stay.
 */

/** Statistics of the whole allocator. */
struct rte_fastmem_stats {
	uint64_t bytes_backing; /**< backing memory reserved from EAL, all sockets */
	uint64_t bytes_in_use; /**< bytes (at class size) of objects held by the application */
	/** bytes (at class size) of objects in lcore caches and in the bins' transfer caches */
	uint64_t bytes_cached;
	uint64_t alloc_total; /**< objects allocated */
	uint64_t free_total; /**< objects freed */
	uint64_t alloc_nomem; /**< allocations (calls) failed with ENOMEM */
	unsigned int n_classes; /**< number of size classes */
	/**
	 * bytes (at class size) of the free objects of the runs: neither held by the
	 * application nor cached, now
	 */
	uint64_t bytes_free;
	/**
	 * bytes of the pages in no run: free slabs and the free pages of the others (a
	 * free first page with its slab's header), now
	 */
	uint64_t bytes_free_pages;
	/**
	 * bytes of the runs that no object's room covers, now: before a run's first object
	 * (the slab header, alignment) and after its last. While no thread allocates or
	 * frees, bytes_in_use + bytes_cached + bytes_free + bytes_free_pages +
	 * bytes_overhead == bytes_backing, each term counted by another layer; but a
	 * process killed in the middle of a cache hit leaves that call's objects counted
	 * in use and free, or in neither (see the guide's multi-process section), and so
	 * do frees of objects not allocated (undefined).
	 */
	uint64_t bytes_overhead;
};

/** Statistics of one size class, over all sockets. */
struct rte_fastmem_class_stats {
	size_t class_size; /**< the class size in bytes */
	uint64_t in_use; /**< objects held by the application */
	uint64_t alloc_cache_hits; /**< objects allocated from an lcore cache */
	uint64_t alloc_cache_misses; /**< objects allocated through the bin (refill or no cache) */
	uint64_t free_cache_hits; /**< objects freed into an lcore cache */
	uint64_t free_cache_misses; /**< objects freed through the bin (drain or no cache) */
	uint64_t alloc_nomem; /**< allocations (calls) failed with ENOMEM */
	/** runs (pages of a slab serving the class) cut from the slabs' free pages */
	uint64_t slab_acquires;
	uint64_t slab_releases; /**< runs whose pages became free again */
	uint64_t slabs_partial; /**< runs with free objects, now */
	uint64_t slabs_full; /**< runs with no free object, now */
	/** free objects in the bins' transfer caches (between the lcore caches and the
	 * runs), now; counted in rte_fastmem_stats::bytes_cached, in no lcore's stats */
	uint64_t xfer_cached;
	/** bytes of the runs serving the class, now: the backing memory the class holds */
	uint64_t bytes_runs;
	/** objects the runs serving the class have room for, now */
	uint64_t objs_runs;
	/**
	 * free objects of those runs, now: objs_runs - objs_free objects are held by the
	 * application or cached
	 */
	uint64_t objs_free;
};

/**
 * Statistics of one lcore (all classes and sockets), or of the threads without an lcore
 * id (rte_fastmem_stats_shared()).
 */
struct rte_fastmem_lcore_stats {
	uint64_t alloc_cache_hits; /**< objects allocated from the lcore's caches */
	uint64_t alloc_cache_misses; /**< objects allocated through a bin */
	uint64_t free_cache_hits; /**< objects freed into the lcore's caches */
	uint64_t free_cache_misses; /**< objects freed through a bin */
	uint64_t alloc_nomem; /**< allocations (calls) failed with ENOMEM */
	uint64_t bytes_cached; /**< bytes (at class size) in the lcore's caches, now */
};

/** Statistics of one lcore and size class (all sockets), or of the shared path. */
struct rte_fastmem_lcore_class_stats {
	size_t class_size; /**< the class size in bytes */
	uint64_t alloc_cache_hits; /**< objects allocated from the cache */
	uint64_t alloc_cache_misses; /**< objects allocated through the bin */
	uint64_t free_cache_hits; /**< objects freed into the cache */
	uint64_t free_cache_misses; /**< objects freed through the bin */
	uint64_t alloc_nomem; /**< allocations (calls) failed with ENOMEM */
	uint64_t cached; /**< objects in the caches, now */
	unsigned int cache_capacity; /**< the objects the lcore's cache of this class holds
				       *   at most now (it adapts: rte_fastmem_set_cache_budget();
				       *   the largest over the lcore's sockets; 0 before use) */
};

/**
 * Get the statistics of the whole allocator.
 *
 * Counters are read with relaxed atomic loads while other threads update them: each is
 * exact, but they are not a snapshot of one instant.
 *
 * Thread safety: MT-safe. May be called from any thread.
 *
 * @param stats
 *   Receives the statistics.
 * @return
 *   0, -EINVAL (NULL @p stats) or -ENODEV (not initialized).
 */
__rte_experimental
int
rte_fastmem_stats(struct rte_fastmem_stats *stats);

/**
 * Get the statistics of one size class, over all sockets.
 *
 * Thread safety: MT-safe. May be called from any thread.
 *
 * @param class_size
 *   A class size, as listed by rte_fastmem_classes().
 * @param stats
 *   Receives the statistics.
 * @return
 *   0, -EINVAL (not a class size, or NULL @p stats) or -ENODEV (not initialized).
 */
__rte_experimental
int
rte_fastmem_stats_class(size_t class_size, struct rte_fastmem_class_stats *stats);

/**
 * Get the statistics of one lcore's caches, over all classes and sockets.
 *
 * Thread safety: MT-safe. May be called from any thread, for any lcore.
 *
 * @param lcore_id
 *   An lcore id below @c RTE_MAX_LCORE.
 * @param stats
 *   Receives the statistics.
 * @return
 *   0, -EINVAL (bad lcore id, NULL @p stats) or -ENODEV (not initialized).
 */
__rte_experimental
int
rte_fastmem_stats_lcore(unsigned int lcore_id, struct rte_fastmem_lcore_stats *stats);

/**
 * Get the statistics of one lcore's caches of one size class, over all sockets.
 *
 * Thread safety: MT-safe. May be called from any thread, for any lcore.
 *
 * @param lcore_id
 *   An lcore id below @c RTE_MAX_LCORE.
 * @param class_size
 *   A class size, as listed by rte_fastmem_classes().
 * @param stats
 *   Receives the statistics.
 * @return
 *   0, -EINVAL (bad lcore id or class size, NULL @p stats) or -ENODEV (not initialized).
 */
__rte_experimental
int
rte_fastmem_stats_lcore_class(unsigned int lcore_id, size_t class_size,
		struct rte_fastmem_lcore_class_stats *stats);

/**
 * Get the statistics of the calls made by threads without an lcore id (which have no
 * cache: all their allocations and frees count as cache misses).
 *
 * Thread safety: MT-safe. May be called from any thread.
 *
 * @param stats
 *   Receives the statistics.
 * @return
 *   0, -EINVAL (NULL @p stats) or -ENODEV (not initialized).
 */
__rte_experimental
int
rte_fastmem_stats_shared(struct rte_fastmem_lcore_stats *stats);

/** The processes attached to fastmem (rte_fastmem_stats_procs()). */
struct rte_fastmem_proc_stats {
	unsigned int attached; /**< processes attached now, the primary included */
	/** processes found gone (killed, or ended without rte_fastmem_deinit()) whose
	 * caches were taken back, since rte_fastmem_init() in the primary; a gone process
	 * counts as attached until then */
	uint64_t reclaimed;
	/** objects those caches held, given back to the bins */
	uint64_t objs_reclaimed;
	/** what the lcores of those processes allocated minus what they freed: the objects
	 * they left in use (lost with them, unless another process frees them), counted in
	 * rte_fastmem_stats::alloc_total - free_total; an object a process frees that
	 * another allocated counts against the process that frees it */
	int64_t objs_left;
};

/**
 * Get the counts of the processes attached to fastmem, from any of them.
 *
 * Thread safety: MT-safe. May be called from any thread.
 *
 * @param stats
 *   Receives the counts.
 * @return
 *   0, -EINVAL (NULL @p stats) or -ENODEV (not initialized).
 */
__rte_experimental
int
rte_fastmem_stats_procs(struct rte_fastmem_proc_stats *stats);

/**
 * Get the statistics of one size class for the threads without an lcore id.
 *
 * Thread safety: MT-safe. May be called from any thread.
 *
 * @param class_size
 *   A class size, as listed by rte_fastmem_classes().
 * @param stats
 *   Receives the statistics.
 * @return
 *   0, -EINVAL (not a class size, NULL @p stats) or -ENODEV (not initialized).
 */
__rte_experimental
int
rte_fastmem_stats_shared_class(size_t class_size, struct rte_fastmem_lcore_class_stats *stats);

/**
 * Reset the event counters (allocations, frees, cache hits and misses, ENOMEM, slab
 * acquires and releases) to zero. Gauges (bytes and objects in use or cached, slab
 * counts) are not affected. Counters are not written by the reset: it records a baseline
 * that later reads subtract, so it never races with the threads updating them.
 *
 * Thread safety: MT-safe. May be called from any thread.
 */
__rte_experimental
void
rte_fastmem_stats_reset(void);

/**
 * Print the state and statistics of the allocator in human-readable form: sockets,
 * limits and backing memory, each class in use, each lcore with a cache in use.
 *
 * Thread safety: MT-safe. May be called from any thread.
 *
 * @param f
 *   The output stream (stdout when NULL).
 */
__rte_experimental
void
rte_fastmem_dump(FILE *f);

/**
 * @internal
 * Test facility: make @p socket_id stand for the calling thread's socket, as if the
 * thread ran on it (on a one-node machine, an external heap stands for another node).
 * For this thread, @c SOCKET_ID_ANY then names that socket, and the thread's lcore, if
 * it has one, takes that socket as its own from its next call that names
 * @c SOCKET_ID_ANY and reaches the library: what happens when a thread moves to another
 * socket, or a thread of another socket gets a released lcore id. @c SOCKET_ID_ANY
 * undoes it. Valid until rte_fastmem_deinit() (undo it before). Not API.
 *
 * @param socket_id
 *   A NUMA socket id or an external heap's socket id, or @c SOCKET_ID_ANY.
 * @return
 *   0, or -ENODEV (not initialized) or -EINVAL (unknown socket), also in rte_errno.
 */
__rte_internal
int
rte_fastmem_test_local_socket(int socket_id);

#ifdef __cplusplus
}
#endif

/* the inline fast paths of the functions above */
#include "rte_fastmem_pvt.h"

#endif /* RTE_FASTMEM_H */
