/* SPDX-License-Identifier: BSD-3-Clause
 * Copyright(c) 2026 The dpdk-lcoremem authors
 */

#ifndef FOOTPRINT_TRACE_H
#define FOOTPRINT_TRACE_H

/**
 * @file
 * Which cache lines of some memory regions the calling thread touches, read or write.
 *
 * The pages holding the regions are made inaccessible; every access to them faults, the
 * SIGSEGV handler records the faulting address (its first byte), opens the page and
 * single-steps the instruction (the x86 trap flag), and the SIGTRAP that follows closes
 * the page again. Accesses to the regions by the tracing thread are counted, by distinct
 * cache line; accesses to the rest of those pages, and by other threads, only run slower.
 *
 * Limits: x86-64 Linux only; one tracing thread at a time; an access is counted at the
 * line of its first byte (a naturally aligned access never spans two lines); the kernel
 * reading the regions on behalf of a system call gets EFAULT instead of a fault, so the
 * traced code must not pass them to system calls.
 */

#include <stddef.h>
#include <stdint.h>

/** A region to watch: [start, start + len). */
struct footprint_region {
	uintptr_t start;
	size_t len;
};

/** What one traced run saw. */
struct footprint_result {
	unsigned int lines;     /**< distinct cache lines of the regions touched */
	unsigned int accesses;  /**< accesses to the regions (faults counted) */
	unsigned int faults;    /**< all faults taken, on the regions' pages */
};

/**
 * Start watching regions: the calling thread's accesses to them are recorded until
 * footprint_trace_end(). Installs the signal handlers on first use.
 *
 * @return 0, or a negative errno: -EINVAL (no region, too many pages), -ENOTSUP (not
 *   x86-64 Linux), -EBUSY (already tracing), or what mprotect() or sigaction() said.
 */
int footprint_trace_begin(const struct footprint_region *regions, unsigned int n);

/**
 * Stop watching, make the pages accessible again, and give what was seen.
 *
 * @return 0, or -EINVAL when no trace was running.
 */
int footprint_trace_end(struct footprint_result *result);

#endif /* FOOTPRINT_TRACE_H */
