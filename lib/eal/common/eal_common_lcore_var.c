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
 * what is left of the slice opens a new buffer. Variables are never freed and buffers are
 * never unmapped: the process may exit (return from main(), exit()) while worker threads
 * still use their values, and the destructors that run then must not take the values from
 * under them. The kernel reclaims the mappings with the process. The allocator itself
 * never calls malloc().
 *
 * The allocator's statistics are published through telemetry as /eal/lcore_var.
 */

#include <errno.h>
#include <inttypes.h>
#include <stdalign.h>
#include <stddef.h>
#include <stdint.h>
#include <string.h>
#include <sys/mman.h>
#include <unistd.h>

#include <rte_common.h>
#include <rte_debug.h>
#include <rte_log.h>
#include <rte_spinlock.h>
#include <rte_telemetry.h>
#include <rte_version.h>

#include <rte_lcore_var.h>

#include <eal_export.h>

/* Bytes of the slices of one buffer: a slice per lcore id. */
#define LCORE_VAR_BUFFER_SIZE ((size_t)RTE_MAX_LCORE * RTE_MAX_LCORE_VAR)

/*
 * The allocator state. Every field is protected by lv.lock. rte_spinlock_t needs no
 * initialisation call, so the allocator works from constructors that run before this
 * file's own constructors and before rte_eal_init().
 */
static struct {
	rte_spinlock_t lock;
	/** The buffer variables are carved from (lcore 0's slice); NULL before the first
	 * allocation. Older buffers are not remembered: nothing ever unmaps them. */
	void *base;
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
 * Under LeakSanitizer, pointers to heap memory kept in lcore variable values keep that
 * memory reachable (as they would if the buffers came from the heap): the mappings are
 * registered as root regions, for the life of the process, like the buffers themselves.
 */
#if defined(__SANITIZE_ADDRESS__)
#define LCORE_VAR_LSAN 1
#elif defined(__has_feature)
#if __has_feature(address_sanitizer) || __has_feature(leak_sanitizer)
#define LCORE_VAR_LSAN 1
#endif
#endif

#ifdef LCORE_VAR_LSAN
#include <sanitizer/lsan_interface.h>
#define lcore_var_lsan_register(p, n) __lsan_register_root_region((p), (n))
#else
#define lcore_var_lsan_register(p, n) RTE_SET_USED(p)
#endif

/* Called with lv.lock held. */
static void
buffer_open(void)
{
	void *base;

	base = mmap(NULL, LCORE_VAR_BUFFER_SIZE, PROT_READ | PROT_WRITE,
			MAP_PRIVATE | MAP_ANONYMOUS | MAP_NORESERVE, -1, 0);
	if (base == MAP_FAILED)
		rte_panic("lcore variables: cannot map a %zu-byte buffer: %s\n",
			LCORE_VAR_BUFFER_SIZE, strerror(errno));
#ifdef MADV_NOHUGEPAGE
	/*
	 * Where transparent huge pages are on for every mapping, one touched value would make
	 * a whole huge page resident (at the default RTE_MAX_LCORE_VAR, the slices of 16
	 * lcore ids); keep the buffer in small pages, so that resident memory stays
	 * proportional to the lcore ids in use. Failure is harmless.
	 */
	(void)madvise(base, LCORE_VAR_BUFFER_SIZE, MADV_NOHUGEPAGE);
#endif
	lcore_var_lsan_register(base, LCORE_VAR_BUFFER_SIZE);

	lv.base = base;
	lv.offset = 0;
	lv.num_buffers++;
}

RTE_EXPORT_EXPERIMENTAL_SYMBOL(rte_lcore_var_alloc, 24.11)
void *
rte_lcore_var_alloc(size_t size, size_t align)
{
	void *handle;
	size_t offset;

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
	if (lv.base == NULL || offset + size > RTE_MAX_LCORE_VAR) {
		buffer_open();
		offset = RTE_ALIGN_CEIL(lv.offset, align);
	}
	handle = RTE_PTR_ADD(lv.base, offset);
	lv.offset = offset + size;
	lv.num_vars++;
	lv.bytes_allocated += size;

	rte_spinlock_unlock(&lv.lock);

	return handle;
}

/* DPDK 23.03 renamed the unsigned telemetry values from u64 to uint. */
#if RTE_VERSION >= RTE_VERSION_NUM(23, 3, 0, 0)
#define lcore_var_tel_add_u64 rte_tel_data_add_dict_uint
#else
#define lcore_var_tel_add_u64 rte_tel_data_add_dict_u64
#endif

/*
 * /eal/lcore_var: what the allocator has handed out. Runs in the telemetry thread; the
 * counters are read under the allocator lock, so they are a consistent snapshot.
 */
static int
lcore_var_telemetry(const char *cmd __rte_unused, const char *params __rte_unused,
		struct rte_tel_data *d)
{
	unsigned int num_vars, num_buffers;
	size_t bytes, offset;

	rte_spinlock_lock(&lv.lock);
	num_vars = lv.num_vars;
	num_buffers = lv.num_buffers;
	bytes = lv.bytes_allocated;
	offset = lv.base != NULL ? lv.offset : 0;
	rte_spinlock_unlock(&lv.lock);

	rte_tel_data_start_dict(d);
	lcore_var_tel_add_u64(d, "num_vars", num_vars);
	lcore_var_tel_add_u64(d, "bytes_allocated", bytes);
	lcore_var_tel_add_u64(d, "num_buffers", num_buffers);
	/* what a new variable can still get from the current buffer before opening one */
	lcore_var_tel_add_u64(d, "slice_bytes_free",
			num_buffers > 0 ? RTE_MAX_LCORE_VAR - offset : 0);
	lcore_var_tel_add_u64(d, "slice_size", RTE_MAX_LCORE_VAR);
	lcore_var_tel_add_u64(d, "max_lcore", RTE_MAX_LCORE);
	lcore_var_tel_add_u64(d, "buffer_size", LCORE_VAR_BUFFER_SIZE);
	return 0;
}

RTE_INIT(lcore_var_telemetry_init)
{
	rte_telemetry_register_cmd("/eal/lcore_var", lcore_var_telemetry,
			"Returns lcore variable usage: variables, bytes, buffers. "
			"Takes no parameters");
}
