/* SPDX-License-Identifier: BSD-3-Clause
 * Copyright(c) 2026 The dpdk-lcoremem authors
 */

/*
 * fastmem_debug_autotest: misuse that the checked builds must catch (death tests).
 *
 * Debug builds (-Dfastmem_debug=true, RTE_LIBRTE_FASTMEM_DEBUG): double free, free of a
 * never-allocated slot, interior pointer, pointer into a slab of another class, foreign
 * pointer, write after free (found on reuse), hfree with a handle of the wrong class: the
 * child panics and its output names the fault, the address, the class and the slab.
 * AddressSanitizer builds (-Db_sanitize=address): read after free, one-byte overflow past
 * the requested size, read of never-allocated slab space, double free: the child dies with
 * an AddressSanitizer report (the overflow and the never-allocated read only without
 * hugepages: with them, other processes may share the objects and only what sits in this
 * process's caches is poisoned). Cases for a check the build does not have are skipped
 * with a message; in a production build the test only checks that plain use still works.
 *
 * Each misuse runs in a forked child. The child shares EAL memory with the parent (with
 * hugepages, the slabs and bins themselves), so the parent allocates and frees, and the
 * child only does the misuse, which the checks catch before any shared state changes.
 */

#include <errno.h>
#include <fcntl.h>
#include <inttypes.h>
#include <signal.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include <rte_common.h>
#include <rte_eal.h>
#include <rte_lcore.h>
#include <rte_memory.h>

#include <rte_fastmem.h>

#include "test.h"
#include "test_fastmem.h"

#if TEST_ASAN
#define NO_ASAN __attribute__((no_sanitize_address))
#else
#define NO_ASAN
#endif

#define SLAB_SIZE RTE_FASTMEM_SLAB_SIZE
#define FM_PAGE_SIZE ((size_t)1 << RTE_FASTMEM_PAGE_SHIFT)

/* One misuse: what the child does, and what its output must name. */
struct misuse {
	const char *what;
	void (*child)(const struct misuse *m);
	void *obj; /* the object the misuse is about, allocated by the parent */
	void *obj2;
	size_t size; /* child_write_then_alloc: the size it allocates */
	rte_fastmem_handle_t h;
	const char *words[4]; /* each expected in the child's output; NULL-terminated */
};

static void
child_main(void *arg)
{
	const struct misuse *m = arg;

	m->child(m);
	/* reached only when the misuse went unnoticed: exit 0 */
}

/* Run the child; it must die (signal or non-zero exit) with every word in its output. */
static __rte_unused int
expect_death(struct misuse *m)
{
	static char out[65536];
	const char *line;
	unsigned int i;
	int ret;

	TEST_ASSERT_SUCCESS(test_run_in_child_output(child_main, m, out, sizeof(out), &ret),
		"%s: cannot run the child", m->what);

	TEST_ASSERT(ret != 0, "%s: not caught, the child carried on and exited normally",
		m->what);
	for (i = 0; i < RTE_DIM(m->words) && m->words[i] != NULL; i++)
		TEST_ASSERT_NOT_NULL(strstr(out, m->words[i]),
			"%s: the child's output does not name '%s':\n%s", m->what, m->words[i], out);
	printf("%s: caught (%s %d)\n", m->what, ret > 0 ? "signal" : "exit", ret);
	/* the report's line, for the log */
	line = strstr(out, m->words[0]);
	while (line != NULL && line > out && line[-1] != '\n')
		line--;
	if (line != NULL)
		printf("  %.*s\n", (int)strcspn(line, "\n"), line);
	return TEST_SUCCESS;
}

static char addr_buf[8][32];
static unsigned int addr_next;

/* An address as %p prints it, for the expected words. */
static __rte_unused const char *
addr_str(const void *p)
{
	char *b = addr_buf[addr_next++ % RTE_DIM(addr_buf)];

	snprintf(b, sizeof(addr_buf[0]), "%p", p);
	return b;
}

/* The last page of obj's slab that no run holds (its id names no class), or NULL. */
static __rte_unused void *
free_page_of(void *obj)
{
	void *slab = RTE_PTR_ALIGN_FLOOR(obj, SLAB_SIZE);
	unsigned int pg;

	for (pg = RTE_FASTMEM_SLAB_PAGES; pg-- > 0; ) {
		void *page = RTE_PTR_ADD(slab, (size_t)pg * FM_PAGE_SIZE);

		if (__rte_fastmem_id_of(page)->cls >= RTE_FASTMEM_NUM_CLASSES)
			return page;
	}
	return NULL;
}

/* Plain use crosses every checked path without a false alarm, in every build. */
static int
test_clean_use(void)
{
	static void *objs[1200];
	rte_fastmem_handle_t h;
	unsigned int i, round;
	uint8_t *p;

	for (round = 0; round < 3; round++) {
		for (i = 0; i < RTE_DIM(objs); i++) {
			size_t size = 1 + (i * 37) % 3000;

			objs[i] = rte_fastmem_alloc(size, i % 3 == 0 ? 8 : 0,
				i % 5 == 0 ? RTE_FASTMEM_F_ZERO : 0);
			TEST_ASSERT_NOT_NULL(objs[i], "alloc %zu B", size);
			memset(objs[i], (int)i, size);
		}
		for (i = 0; i < RTE_DIM(objs); i += 2)
			rte_fastmem_free(objs[i]);
		for (i = 1; i < RTE_DIM(objs); i += 4) {
			objs[i] = rte_fastmem_realloc(objs[i], 5000, 0);
			TEST_ASSERT_NOT_NULL(objs[i], "realloc");
			memset(objs[i], 0x11, 5000);
		}
		for (i = 1; i < RTE_DIM(objs); i += 2)
			rte_fastmem_free(objs[i]);
		TEST_ASSERT_SUCCESS(rte_fastmem_alloc_bulk(objs, 600, 100, 0, RTE_FASTMEM_F_ZERO),
			"alloc_bulk");
		for (i = 0; i < 600; i++)
			TEST_ASSERT(((uint8_t *)objs[i])[99] == 0, "zeroed");
		rte_fastmem_free_bulk(objs, 600);
	}
	TEST_ASSERT_SUCCESS(rte_fastmem_hlookup(200, 0, SOCKET_ID_ANY, &h), "hlookup");
	TEST_ASSERT_SUCCESS(rte_fastmem_halloc_bulk(h, objs, 700, 0), "halloc_bulk");
	for (i = 0; i < 700; i++)
		memset(objs[i], 0x22, 256); /* a handle's objects are usable to the class size */
	rte_fastmem_hfree_bulk(h, objs, 700);
	p = rte_fastmem_halloc(h, RTE_FASTMEM_F_ZERO);
	TEST_ASSERT_NOT_NULL(p, "halloc");
	TEST_ASSERT(p[255] == 0, "halloc zeroed");
	rte_fastmem_hfree(h, p);
	p = rte_fastmem_alloc(0, 0, 0);
	TEST_ASSERT_NOT_NULL(p, "alloc of 0 B");
	rte_fastmem_free(p);
	rte_fastmem_cache_flush();
	return TEST_SUCCESS;
}

#ifdef RTE_LIBRTE_FASTMEM_DEBUG

static void
child_free(const struct misuse *m)
{
	rte_fastmem_free(m->obj);
}

static void
child_write_then_alloc(const struct misuse *m)
{
	volatile uint8_t *b = m->obj;
	void *again;

	b[20] = 0x5a;
	/* the parent freed obj last: the top of this lcore's cache */
	again = rte_fastmem_alloc(m->size, 0, 0);
	printf("write after free not caught: alloc gave %p\n", again);
}

static void
child_hfree(const struct misuse *m)
{
	rte_fastmem_hfree(m->h, m->obj);
}

/* Freed objects are checked in the parent with the checks off for the test's own reads. */
static NO_ASAN uint8_t
peek(const void *p)
{
	return *(const volatile uint8_t *)p;
}

static NO_ASAN void
poke(void *p, uint8_t v)
{
	*(volatile uint8_t *)p = v;
}

/* Classes whose runs keep their free objects in a free list (64 B) and in a bitmap. */
static const size_t misuse_sizes[] = { 64, 1024, 16384 };

static int
test_debug_double_free(void)
{
	struct misuse m = { .what = "double free", .child = child_free };
	char cls[32];
	unsigned int i;

	for (i = 0; i < RTE_DIM(misuse_sizes); i++) {
		m.obj = rte_fastmem_alloc(misuse_sizes[i], 0, 0);
		TEST_ASSERT_NOT_NULL(m.obj, "alloc %zu B", misuse_sizes[i]);
		rte_fastmem_free(m.obj);
		snprintf(cls, sizeof(cls), "class %zu B", misuse_sizes[i]);
		m.words[0] = "double free";
		m.words[1] = addr_str(m.obj);
		m.words[2] = cls;
		m.words[3] = addr_str(RTE_PTR_ALIGN_FLOOR(m.obj, SLAB_SIZE));
		TEST_ASSERT_SUCCESS(expect_death(&m), "double free of %zu B", misuse_sizes[i]);
	}
	return TEST_SUCCESS;
}

static int
test_debug_never_allocated(void)
{
	struct misuse m = { .what = "free of a never-allocated slot", .child = child_free };
	void *obj = rte_fastmem_alloc(64, 0, 0);

	TEST_ASSERT_NOT_NULL(obj, "alloc");
	/* the last slot of the object's run (its page): far past what one refill took */
	m.obj = RTE_PTR_ADD(RTE_PTR_ALIGN_FLOOR(obj, FM_PAGE_SIZE), FM_PAGE_SIZE - 64);
	m.words[0] = "never-allocated";
	m.words[1] = addr_str(m.obj);
	m.words[2] = "class 64 B";
	m.words[3] = "slab";
	TEST_ASSERT_SUCCESS(expect_death(&m), "death");
	rte_fastmem_free(obj);
	return TEST_SUCCESS;
}

/* A free in a page of the slab that no run holds. */
static int
test_debug_free_page(void)
{
	struct misuse m = { .what = "free in a free page", .child = child_free };
	void *obj = rte_fastmem_alloc(64, 0, 0);
	void *page;

	TEST_ASSERT_NOT_NULL(obj, "alloc");
	page = free_page_of(obj);
	if (page == NULL) {
		rte_fastmem_free(obj);
		TEST_ASSERT(false, "the slab of a 64 B object has no free page");
	}
	m.obj = RTE_PTR_ADD(page, 64);
	m.words[0] = "free page";
	m.words[1] = addr_str(m.obj);
	m.words[2] = "holds no object";
	m.words[3] = addr_str(RTE_PTR_ALIGN_FLOOR(obj, SLAB_SIZE));
	TEST_ASSERT_SUCCESS(expect_death(&m), "death");
	rte_fastmem_free(obj);
	return TEST_SUCCESS;
}

static int
test_debug_interior(void)
{
	struct misuse m = { .what = "free of an interior pointer", .child = child_free };
	void *obj = rte_fastmem_alloc(64, 0, 0);

	TEST_ASSERT_NOT_NULL(obj, "alloc");
	m.obj = RTE_PTR_ADD(obj, 8);
	m.words[0] = "interior pointer";
	m.words[1] = addr_str(m.obj);
	m.words[2] = "8 B into a 64 B slot";
	m.words[3] = "slab";
	TEST_ASSERT_SUCCESS(expect_death(&m), "death");
	rte_fastmem_free(obj);
	return TEST_SUCCESS;
}

static int
test_debug_other_class(void)
{
	struct misuse m = { .what = "free of a 64 B-looking pointer into a 256 B slab",
		.child = child_free };
	void *obj = rte_fastmem_alloc(256, 0, 0);

	TEST_ASSERT_NOT_NULL(obj, "alloc");
	/* a valid offset for a 64 B object, not for the slab's class */
	m.obj = RTE_PTR_ADD(obj, 64);
	m.words[0] = "interior pointer";
	m.words[1] = addr_str(m.obj);
	m.words[2] = "class 256 B";
	m.words[3] = addr_str(RTE_PTR_ALIGN_FLOOR(obj, SLAB_SIZE));
	TEST_ASSERT_SUCCESS(expect_death(&m), "death");
	rte_fastmem_free(obj);
	return TEST_SUCCESS;
}

static int
test_debug_foreign(void)
{
	struct misuse m = { .what = "free of a malloc()ed pointer", .child = child_free };
	uint64_t on_stack[4];
	int ret;

	m.obj = malloc(64);
	TEST_ASSERT_NOT_NULL(m.obj, "malloc");
	m.words[0] = "foreign pointer";
	m.words[1] = addr_str(m.obj);
	m.words[2] = "no memory zone of fastmem";
	ret = expect_death(&m);
	free(m.obj);
	TEST_ASSERT_SUCCESS(ret, "malloc()ed pointer");

	m.what = "free of a stack address";
	m.obj = on_stack;
	m.words[1] = addr_str(m.obj);
	return expect_death(&m);
}

static int
test_debug_write_after_free(void)
{
	struct misuse m = { .what = "write after free, found on reuse",
		.child = child_write_then_alloc };
	uint8_t saved;
	char cls[32];
	unsigned int i;

	for (i = 0; i < RTE_DIM(misuse_sizes); i++) {
		m.size = misuse_sizes[i];
		m.obj = rte_fastmem_alloc(m.size, 0, 0);
		TEST_ASSERT_NOT_NULL(m.obj, "alloc %zu B", m.size);
		rte_fastmem_free(m.obj);
		saved = peek(RTE_PTR_ADD(m.obj, 20));
		snprintf(cls, sizeof(cls), "class %zu B", m.size);
		m.words[0] = "write after free";
		m.words[1] = addr_str(m.obj);
		m.words[2] = cls;
		m.words[3] = "byte 20 is 0x5a";
		TEST_ASSERT_SUCCESS(expect_death(&m), "write after free of %zu B", m.size);
		/* with hugepages the child wrote into the parent's object too */
		poke(RTE_PTR_ADD(m.obj, 20), saved);
	}
	return TEST_SUCCESS;
}

static int
test_debug_hfree_wrong_class(void)
{
	struct misuse m = { .what = "hfree with a handle of another class",
		.child = child_hfree };
	rte_fastmem_handle_t h64;

	TEST_ASSERT_SUCCESS(rte_fastmem_hlookup(64, 0, SOCKET_ID_ANY, &h64), "hlookup 64");
	TEST_ASSERT_SUCCESS(rte_fastmem_hlookup(128, 0, SOCKET_ID_ANY, &m.h), "hlookup 128");
	m.obj = rte_fastmem_halloc(h64, 0);
	TEST_ASSERT_NOT_NULL(m.obj, "halloc");
	m.words[0] = "hfree of";
	m.words[1] = addr_str(m.obj);
	m.words[2] = "with a handle of class 128 B";
	TEST_ASSERT_SUCCESS(expect_death(&m), "death");
	rte_fastmem_hfree(h64, m.obj);
	return TEST_SUCCESS;
}

#else /* !RTE_LIBRTE_FASTMEM_DEBUG */

static int
skip_debug(void)
{
	printf("fastmem built without -Dfastmem_debug=true: misuse is not checked, skipped\n");
	return TEST_SKIPPED;
}

#define test_debug_double_free skip_debug
#define test_debug_never_allocated skip_debug
#define test_debug_free_page skip_debug
#define test_debug_interior skip_debug
#define test_debug_other_class skip_debug
#define test_debug_foreign skip_debug
#define test_debug_write_after_free skip_debug
#define test_debug_hfree_wrong_class skip_debug

#endif /* RTE_LIBRTE_FASTMEM_DEBUG */

#if TEST_ASAN

/*
 * With hugepages, other processes may share fastmem's objects, and ASan's shadow memory
 * is per process: only what sits in this process's caches is poisoned (fastmem_debug.h),
 * so overflows within a class and reads of never-allocated space go unseen. The --no-huge
 * run checks them.
 */
static int
asan_shared_skip(const char *what)
{
	if (!rte_eal_has_hugepages())
		return 0;
	printf("%s: not poisoned where processes may share fastmem (hugepages), skipped\n",
		what);
	return TEST_SKIPPED;
}

static void
child_read(const struct misuse *m)
{
	printf("read 0x%02x\n", *(const volatile uint8_t *)m->obj);
}

static void
child_write(const struct misuse *m)
{
	*(volatile uint8_t *)m->obj = 1;
}

static void
child_asan_free(const struct misuse *m)
{
	rte_fastmem_free(m->obj);
}

static int
test_asan_read_after_free(void)
{
	struct misuse m = { .what = "ASan: read after free", .child = child_read };

	m.obj = rte_fastmem_alloc(64, 0, 0);
	TEST_ASSERT_NOT_NULL(m.obj, "alloc");
	rte_fastmem_free(m.obj);
	m.words[0] = "AddressSanitizer";
	return expect_death(&m);
}

static int
test_asan_overflow(void)
{
	struct misuse m = { .what = "ASan: one byte past 10 B (class 16 B)", .child = child_write };
	void *obj;
	int ret;

	if (asan_shared_skip(m.what) != 0)
		return TEST_SKIPPED;
	obj = rte_fastmem_alloc(10, 8, 0);
	TEST_ASSERT_NOT_NULL(obj, "alloc");
	m.obj = RTE_PTR_ADD(obj, 10);
	m.words[0] = "AddressSanitizer";
	ret = expect_death(&m);
	rte_fastmem_free(obj);
	return ret;
}

static int
test_asan_never_used(void)
{
	struct misuse m = { .what = "ASan: read of never-allocated slab space",
		.child = child_read };
	void *obj;
	int ret;

	if (asan_shared_skip(m.what) != 0)
		return TEST_SKIPPED;
	obj = rte_fastmem_alloc(64, 0, 0);
	TEST_ASSERT_NOT_NULL(obj, "alloc");
	/* the last slot of a free page of the slab */
	m.obj = free_page_of(obj);
	if (m.obj == NULL) {
		rte_fastmem_free(obj);
		TEST_ASSERT(false, "the slab of a 64 B object has no free page");
	}
	m.obj = RTE_PTR_ADD(m.obj, FM_PAGE_SIZE - 64);
	m.words[0] = "AddressSanitizer";
	ret = expect_death(&m);
	rte_fastmem_free(obj);
	return ret;
}

static int
test_asan_double_free(void)
{
	struct misuse m = { .what = "ASan: double free", .child = child_asan_free };

	m.obj = rte_fastmem_alloc(64, 0, 0);
	TEST_ASSERT_NOT_NULL(m.obj, "alloc");
	rte_fastmem_free(m.obj);
#ifdef RTE_LIBRTE_FASTMEM_DEBUG
	m.words[0] = "double free"; /* the debug check comes first */
#else
	m.words[0] = "AddressSanitizer";
#endif
	return expect_death(&m);
}

#else /* !TEST_ASAN */

static int
skip_asan(void)
{
	printf("not built with AddressSanitizer (-Db_sanitize=address): skipped\n");
	return TEST_SKIPPED;
}

#define test_asan_read_after_free skip_asan
#define test_asan_overflow skip_asan
#define test_asan_never_used skip_asan
#define test_asan_double_free skip_asan

#endif /* TEST_ASAN */

static struct unit_test_suite fastmem_debug_suite = {
	.suite_name = "fastmem checked builds",
	.setup = test_fm_setup,
	.teardown = test_fm_teardown,
	.unit_test_cases = {
		TEST_CASE(test_clean_use),
		TEST_CASE(test_debug_double_free),
		TEST_CASE(test_debug_never_allocated),
		TEST_CASE(test_debug_free_page),
		TEST_CASE(test_debug_interior),
		TEST_CASE(test_debug_other_class),
		TEST_CASE(test_debug_foreign),
		TEST_CASE(test_debug_write_after_free),
		TEST_CASE(test_debug_hfree_wrong_class),
		TEST_CASE(test_asan_read_after_free),
		TEST_CASE(test_asan_overflow),
		TEST_CASE(test_asan_never_used),
		TEST_CASE(test_asan_double_free),
		TEST_CASE(test_clean_use),
		TEST_CASES_END()
	}
};

static int
test_fastmem_debug(void)
{
	return unit_test_suite_runner(&fastmem_debug_suite);
}

REGISTER_FAST_TEST(fastmem_debug_autotest, true, true, test_fastmem_debug);
