/* SPDX-License-Identifier: BSD-3-Clause
 * Copyright(c) 2026 The dpdk-lcoremem authors
 */

/*
 * Lcore variable allocator.
 *
 * Values are carved from buffers of RTE_MAX_LCORE slices of RTE_MAX_LCORE_VAR bytes each.
 * A buffer is an anonymous private mapping: the kernel supplies zeroed pages on first
 * touch and this file never writes to a slice, so a buffer costs resident memory only for
 * the pages of the lcore ids that use their values. (Upstream DPDK allocates buffers with
 * aligned_alloc() and memset()s them, which makes every lcore id's slice resident.)
 *
 * Allocation is a bump of the offset into the current buffer; a variable that does not fit
 * what is left of the slice opens a new buffer. Variables are never freed; the buffers are
 * unmapped by a destructor at process exit.
 */

#include <errno.h>
#include <inttypes.h>
#include <stdalign.h>
#include <stddef.h>
#include <stdint.h>
#include <string.h>
#include <sys/mman.h>

#include <rte_common.h>
#include <rte_debug.h>
#include <rte_log.h>
#include <rte_spinlock.h>

#include <rte_lcore_var.h>

/* Bytes of one buffer: a slice per lcore id. */
#define LCORE_VAR_BUFFER_SIZE ((size_t)RTE_MAX_LCORE * RTE_MAX_LCORE_VAR)

/* One mapped buffer, kept on a list so that it can be unmapped at exit. */
struct lcore_var_buffer {
	struct lcore_var_buffer *next; /**< older buffer, or NULL */
	void *base; /**< start of the mapping; lcore 0's slice */
};

/*
 * The allocator state. Every field is protected by lv_lock. rte_spinlock_t needs no
 * initialisation call, so the allocator works from constructors that run before this
 * file's own constructors and before rte_eal_init().
 */
static struct {
	rte_spinlock_t lock;
	/** The buffer variables are carved from; NULL before the first allocation. */
	struct lcore_var_buffer *current;
	/** Bytes of each slice of the current buffer handed out: the next free offset. */
	size_t offset;
	/** Statistics, for diagnostics. */
	unsigned int num_vars;
	unsigned int num_buffers;
	size_t bytes_allocated;
} lv = {
	.lock = RTE_SPINLOCK_INITIALIZER,
};

/*
 * The first buffer's list node lives here rather than in the heap, so that nothing
 * allocated before main() shows up to leak checkers; later ones are carved from the
 * buffer they describe (the first bytes of lcore 0's slice are never handed out).
 */
static struct lcore_var_buffer first_buffer;

static void *
buffer_map(void)
{
	void *base = mmap(NULL, LCORE_VAR_BUFFER_SIZE, PROT_READ | PROT_WRITE,
			MAP_PRIVATE | MAP_ANONYMOUS | MAP_NORESERVE, -1, 0);

	if (base == MAP_FAILED)
		rte_panic("lcore variables: cannot map a %zu-byte buffer: %s\n",
			LCORE_VAR_BUFFER_SIZE, strerror(errno));
	return base;
}

/* Called with lv.lock held. */
static void
buffer_open(void)
{
	struct lcore_var_buffer *buf;
	void *base = buffer_map();

	if (lv.current == NULL) {
		buf = &first_buffer;
		lv.offset = 0;
	} else {
		/* the node is the first thing in the new buffer's lcore 0 slice */
		buf = base;
		lv.offset = sizeof(*buf);
	}
	buf->base = base;
	buf->next = lv.current;
	lv.current = buf;
	lv.num_buffers++;
}

void *
rte_lcore_var_alloc(size_t size, size_t align)
{
	void *handle;
	size_t offset;

	if (size == 0)
		rte_panic("rte_lcore_var_alloc: size must be at least 1 byte\n");
	if (size > RTE_MAX_LCORE_VAR)
		rte_panic("rte_lcore_var_alloc: size %zu exceeds RTE_MAX_LCORE_VAR (%u)\n",
			size, (unsigned int)RTE_MAX_LCORE_VAR);
	if (align == 0)
		align = alignof(max_align_t);
	if (!rte_is_power_of_2(align) || align > RTE_CACHE_LINE_SIZE)
		rte_panic("rte_lcore_var_alloc: align %zu is not a power of two up to %u\n",
			align, (unsigned int)RTE_CACHE_LINE_SIZE);

	rte_spinlock_lock(&lv.lock);

	offset = RTE_ALIGN_CEIL(lv.offset, align);
	if (lv.current == NULL || offset + size > RTE_MAX_LCORE_VAR) {
		buffer_open();
		offset = RTE_ALIGN_CEIL(lv.offset, align);
	}
	handle = RTE_PTR_ADD(lv.current->base, offset);
	lv.offset = offset + size;
	lv.num_vars++;
	lv.bytes_allocated += size;

	rte_spinlock_unlock(&lv.lock);

	return handle;
}

/*
 * Unmap the buffers once every other destructor has had its chance to use its lcore
 * variables: destructors of low priority run last.
 */
RTE_FINI_PRIO(lcore_var_release, LOG)
{
	struct lcore_var_buffer *buf, *next;

	rte_spinlock_lock(&lv.lock);
	for (buf = lv.current; buf != NULL; buf = next) {
		next = buf->next; /* read before the unmap, which may free the node */
		munmap(buf->base, LCORE_VAR_BUFFER_SIZE);
	}
	lv.current = NULL;
	lv.offset = 0;
	rte_spinlock_unlock(&lv.lock);
}
