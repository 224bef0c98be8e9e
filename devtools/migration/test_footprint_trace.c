/* SPDX-License-Identifier: BSD-3-Clause
 * Copyright(c) 2026 The dpdk-lcoremem authors
 */

/*
 * Test of the footprint tracer (footprint_trace.c): accesses whose cache lines are known
 * in advance are traced, and the counts must be exact. Exit status 0 when every check
 * passes, 1 otherwise, 77 (skipped) where the tracer is not supported.
 */

#include <errno.h>
#include <stdint.h>
#include <stdio.h>
#include <string.h>
#include <sys/mman.h>

#include "footprint_trace.h"

#define LINE 64

static int failures;

static void
expect(const char *what, unsigned int got, unsigned int want)
{
	printf("%-52s %4u (expected %u)%s\n", what, got, want, got == want ? "" : "  FAIL");
	if (got != want)
		failures++;
}

/* the accesses are made through volatile pointers, so that none is optimised away */
static void
touch_lines(volatile uint64_t *base, const unsigned int *lines, unsigned int n, int write)
{
	unsigned int i;

	for (i = 0; i < n; i++) {
		if (write)
			base[lines[i] * (LINE / 8)] = i;
		else
			(void)base[lines[i] * (LINE / 8) + 3];
	}
}

int
main(void)
{
	static const unsigned int lines[] = { 0, 5, 5, 63, 64, 125 };
	struct footprint_region region;
	struct footprint_result res;
	uint8_t *area, *base;
	int ret;

	/* a region of 126 lines over two pages, which leave one line before and after it */
	area = mmap(NULL, 4 * 4096, PROT_READ | PROT_WRITE, MAP_PRIVATE | MAP_ANONYMOUS, -1, 0);
	if (area == MAP_FAILED) {
		perror("mmap");
		return 1;
	}
	base = area + 4096 + LINE;
	region.start = (uintptr_t)base;
	region.len = 126 * LINE;

	ret = footprint_trace_begin(&region, 1);
	if (ret == -ENOTSUP) {
		printf("footprint tracer not supported here: skipped\n");
		return 77;
	}
	if (ret < 0) {
		printf("footprint_trace_begin: %s\n", strerror(-ret));
		return 1;
	}
	touch_lines((volatile uint64_t *)base, lines, 6, 1);
	footprint_trace_end(&res);
	expect("writes to lines 0, 5, 5, 63, 64, 125: lines", res.lines, 5);
	expect("writes to lines 0, 5, 5, 63, 64, 125: accesses", res.accesses, 6);

	footprint_trace_begin(&region, 1);
	touch_lines((volatile uint64_t *)base, lines, 3, 0);
	footprint_trace_end(&res);
	expect("reads of lines 0, 5, 5: lines", res.lines, 2);

	/* neighbours on the same pages are not counted, though they fault */
	footprint_trace_begin(&region, 1);
	((volatile uint8_t *)base)[-1] = 1;
	((volatile uint8_t *)base)[126 * LINE] = 1;
	((volatile uint8_t *)base)[2 * LINE] = 1;
	footprint_trace_end(&res);
	expect("one access in, two next to the region: lines", res.lines, 1);
	expect("one access in, two next to the region: faults", res.faults, 3);

	/* a loop over 16 lines, 8 bytes apart within each */
	footprint_trace_begin(&region, 1);
	memset(base + 32 * LINE, 0xa5, 16 * LINE);
	footprint_trace_end(&res);
	expect("memset of 16 aligned lines: lines", res.lines, 16);

	/* the pages are accessible again */
	base[0] = 7;
	expect("pages writable after the trace", base[0], 7);

	ret = footprint_trace_end(&res);
	expect("footprint_trace_end without a trace: -EINVAL", (unsigned int)-ret, EINVAL);
	ret = footprint_trace_begin(&region, 0);
	expect("footprint_trace_begin of no region: -EINVAL", (unsigned int)-ret, EINVAL);

	munmap(area, 4 * 4096);
	printf("%s\n", failures ? "FAILED" : "all checks passed");
	return failures ? 1 : 0;
}
