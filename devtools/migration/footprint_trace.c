/* SPDX-License-Identifier: BSD-3-Clause
 * Copyright(c) 2026 The dpdk-lcoremem authors
 */

/*
 * Access tracer of the migration footprint harness; see footprint_trace.h.
 *
 * All the tracer's state lives in one page-aligned block that fills whole pages, so
 * that it never shares a page with a watched region: the signal handlers touch only that
 * block and their stack.
 */

#ifndef _GNU_SOURCE
#define _GNU_SOURCE
#endif
#include <errno.h>
#include <signal.h>
#include <stdint.h>
#include <string.h>
#include <sys/mman.h>
#include <sys/syscall.h>
#include <ucontext.h>
#include <unistd.h>

#include "footprint_trace.h"

#define TRACE_PAGE 4096u
#define TRACE_LINE 64u
#define TRACE_MAX_PAGES 2048u
#define TRACE_MAX_OPEN 16u
#define TRACE_MAX_REGIONS 1024u
#define TRACE_LINE_SLOTS 8192u      /* a power of two */
#define TRACE_FLAG_TF 0x100         /* x86 EFLAGS trap flag */

struct trace_state {
	volatile int active;
	pid_t tid;                          /* the tracing thread */
	unsigned int n_regions;
	struct footprint_region regions[TRACE_MAX_REGIONS];
	unsigned int n_pages;
	uintptr_t pages[TRACE_MAX_PAGES];   /* sorted */
	unsigned int n_open;
	uintptr_t open[TRACE_MAX_OPEN];     /* pages opened for the instruction stepped */
	unsigned int accesses;
	unsigned int faults;
	unsigned int lines;
	uintptr_t line_set[TRACE_LINE_SLOTS];   /* line number + 1; 0 is empty */
	int handlers_installed;
	struct sigaction old_segv;
	struct sigaction old_trap;
};

#define TRACE_BLOCK_SIZE \
	((sizeof(struct trace_state) + TRACE_PAGE - 1) / TRACE_PAGE * TRACE_PAGE)

static union {
	struct trace_state s;
	char fill[TRACE_BLOCK_SIZE];
} trace __attribute__((aligned(TRACE_PAGE)));

static int
page_index(uintptr_t page)
{
	unsigned int lo = 0, hi = trace.s.n_pages;

	while (lo < hi) {
		unsigned int mid = (lo + hi) / 2;

		if (trace.s.pages[mid] < page)
			lo = mid + 1;
		else
			hi = mid;
	}
	return lo < trace.s.n_pages && trace.s.pages[lo] == page ? (int)lo : -1;
}

static int
in_regions(uintptr_t addr)
{
	unsigned int i;

	for (i = 0; i < trace.s.n_regions; i++)
		if (addr - trace.s.regions[i].start < trace.s.regions[i].len)
			return 1;
	return 0;
}

static void
record_line(uintptr_t addr)
{
	uintptr_t key = addr / TRACE_LINE + 1;
	unsigned int slot = (unsigned int)(key * 0x9e3779b97f4a7c15ull >> 51) &
		(TRACE_LINE_SLOTS - 1);

	while (trace.s.line_set[slot] != 0) {
		if (trace.s.line_set[slot] == key)
			return;
		slot = (slot + 1) & (TRACE_LINE_SLOTS - 1);
	}
	if (trace.s.lines < TRACE_LINE_SLOTS - 1) {
		trace.s.line_set[slot] = key;
		trace.s.lines++;
	}
}

static void
on_segv(int sig, siginfo_t *info, void *context)
{
	ucontext_t *uc = context;
	uintptr_t addr = (uintptr_t)info->si_addr;
	uintptr_t page = addr & ~(uintptr_t)(TRACE_PAGE - 1);

	if (!trace.s.active || page_index(page) < 0 || trace.s.n_open >= TRACE_MAX_OPEN) {
		/* not ours: let the fault be what it is */
		sigaction(sig, &trace.s.old_segv, NULL);
		return;
	}
	trace.s.faults++;
	if ((pid_t)syscall(SYS_gettid) == trace.s.tid && in_regions(addr)) {
		trace.s.accesses++;
		record_line(addr);
	}
	mprotect((void *)page, TRACE_PAGE, PROT_READ | PROT_WRITE);
	trace.s.open[trace.s.n_open++] = page;
	uc->uc_mcontext.gregs[REG_EFL] |= TRACE_FLAG_TF;
}

static void
on_trap(int sig, siginfo_t *info, void *context)
{
	ucontext_t *uc = context;
	unsigned int i;

	(void)info;
	if (!(uc->uc_mcontext.gregs[REG_EFL] & TRACE_FLAG_TF) || trace.s.n_open == 0) {
		if (trace.s.old_trap.sa_flags & SA_SIGINFO) {
			if (trace.s.old_trap.sa_sigaction != NULL)
				trace.s.old_trap.sa_sigaction(sig, info, context);
		} else if (trace.s.old_trap.sa_handler != SIG_IGN &&
				trace.s.old_trap.sa_handler != SIG_DFL) {
			trace.s.old_trap.sa_handler(sig);
		}
		return;
	}
	for (i = 0; i < trace.s.n_open; i++)
		if (trace.s.active)
			mprotect((void *)trace.s.open[i], TRACE_PAGE, PROT_NONE);
	trace.s.n_open = 0;
	uc->uc_mcontext.gregs[REG_EFL] &= ~TRACE_FLAG_TF;
}

static int
install_handlers(void)
{
	struct sigaction sa;

	if (trace.s.handlers_installed)
		return 0;
	memset(&sa, 0, sizeof(sa));
	sa.sa_sigaction = on_segv;
	sa.sa_flags = SA_SIGINFO | SA_NODEFER;
	sigemptyset(&sa.sa_mask);
	if (sigaction(SIGSEGV, &sa, &trace.s.old_segv) < 0)
		return -errno;
	sa.sa_sigaction = on_trap;
	if (sigaction(SIGTRAP, &sa, &trace.s.old_trap) < 0)
		return -errno;
	trace.s.handlers_installed = 1;
	return 0;
}

static void
add_page(uintptr_t page)
{
	unsigned int i = trace.s.n_pages;

	if (page_index(page) >= 0)
		return;
	while (i > 0 && trace.s.pages[i - 1] > page) {
		trace.s.pages[i] = trace.s.pages[i - 1];
		i--;
	}
	trace.s.pages[i] = page;
	trace.s.n_pages++;
}

int
footprint_trace_begin(const struct footprint_region *regions, unsigned int n)
{
#if defined(__x86_64__) && defined(__linux__)
	unsigned int i, pages = 0;
	int ret;

	if (trace.s.active)
		return -EBUSY;
	if (n == 0 || n > TRACE_MAX_REGIONS)
		return -EINVAL;
	for (i = 0; i < n; i++)
		pages += (unsigned int)((regions[i].len + 2 * TRACE_PAGE - 1) / TRACE_PAGE);
	if (pages > TRACE_MAX_PAGES)
		return -EINVAL;
	ret = install_handlers();
	if (ret < 0)
		return ret;
	memset(trace.s.line_set, 0, sizeof(trace.s.line_set));
	trace.s.lines = trace.s.accesses = trace.s.faults = 0;
	trace.s.n_pages = trace.s.n_open = 0;
	trace.s.n_regions = n;
	for (i = 0; i < n; i++) {
		uintptr_t p = regions[i].start & ~(uintptr_t)(TRACE_PAGE - 1);

		trace.s.regions[i] = regions[i];
		for (; p < regions[i].start + regions[i].len; p += TRACE_PAGE)
			add_page(p);
	}
	trace.s.tid = (pid_t)syscall(SYS_gettid);
	trace.s.active = 1;
	for (i = 0; i < trace.s.n_pages; i++) {
		if (mprotect((void *)trace.s.pages[i], TRACE_PAGE, PROT_NONE) < 0) {
			ret = -errno;
			trace.s.n_pages = i;
			footprint_trace_end(NULL);
			return ret;
		}
	}
	return 0;
#else
	(void)regions;
	(void)n;
	return -ENOTSUP;
#endif
}

int
footprint_trace_end(struct footprint_result *result)
{
	unsigned int i;

	if (!trace.s.active)
		return -EINVAL;
	trace.s.active = 0;
	for (i = 0; i < trace.s.n_pages; i++)
		mprotect((void *)trace.s.pages[i], TRACE_PAGE, PROT_READ | PROT_WRITE);
	if (result != NULL) {
		result->lines = trace.s.lines;
		result->accesses = trace.s.accesses;
		result->faults = trace.s.faults;
	}
	return 0;
}
