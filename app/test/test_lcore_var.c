/* SPDX-License-Identifier: BSD-3-Clause
 * Copyright(c) 2026 The dpdk-lcoremem authors
 */

/*
 * Functional tests of the lcore variable API (<rte_lcore_var.h>): what DPDK documents, so
 * that they pass against DPDK's native lcore variables (DPDK 24.11 and later) as against
 * ours. What only our implementation promises (resident memory, concurrent allocation)
 * is tested in test_lcore_var_impl.c.
 *
 * Every variable allocated here stays allocated for the life of the process (there is no
 * free), so each case allocates its own variables and never relies on where another case
 * left the allocator.
 */

#include <errno.h>
#include <fcntl.h>
#include <inttypes.h>
#include <pthread.h>
#include <signal.h>
#include <stdalign.h>
#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <string.h>
#include <unistd.h>

#include <rte_common.h>
#include <rte_eal.h>
#include <rte_launch.h>
#include <rte_lcore.h>
#include <rte_lcore_var.h>

#include "test.h"

/* Bytes between the values of two consecutive lcore ids. */
#define SLICE ((uintptr_t)RTE_MAX_LCORE_VAR)

/* Bytes of the slices of one buffer. */
#define BUFFER_BYTES ((uintptr_t)RTE_MAX_LCORE * RTE_MAX_LCORE_VAR)

/* Whether two handles belong to the same slice (and so to the same buffer). */
static bool
same_slice(const void *a, const void *b)
{
	uintptr_t x = (uintptr_t)a, y = (uintptr_t)b;

	return x < y ? y - x < SLICE : x - y < SLICE;
}

/*
 * Allocation before rte_eal_init(): one variable through RTE_LCORE_VAR_INIT(), another by
 * a constructor that also writes a value and records that EAL was not yet initialised.
 */

static RTE_LCORE_VAR_HANDLE(int, ctor_int);
RTE_LCORE_VAR_INIT(ctor_int);

struct ctor_state {
	uint64_t magic;
	uint16_t small;
};

#define CTOR_MAGIC UINT64_C(0x6c636f7265766172)

static RTE_LCORE_VAR_HANDLE(struct ctor_state, ctor_state);
static bool ctor_ran;
static bool ctor_before_eal;

RTE_INIT(test_lcore_var_ctor)
{
	/* EAL sets both when it initialises: the lcore count, and lcore id 0 for main() */
	ctor_before_eal = rte_lcore_count() == 0 && rte_lcore_id() == LCORE_ID_ANY;
	RTE_LCORE_VAR_ALLOC(ctor_state);
	RTE_LCORE_VAR_LCORE(0, ctor_state)->magic = CTOR_MAGIC;
	ctor_ran = true;
}

static int
test_constructor(void)
{
	const struct ctor_state *s;
	unsigned int lcore_id;
	const int *v;

	TEST_ASSERT(ctor_ran, "the constructor did not run");
	TEST_ASSERT(ctor_before_eal, "the constructor ran after EAL initialisation");
	TEST_ASSERT_NOT_NULL(ctor_int, "RTE_LCORE_VAR_INIT did not allocate");
	TEST_ASSERT_NOT_NULL(ctor_state, "the constructor did not allocate");
	TEST_ASSERT((uintptr_t)ctor_state % alignof(struct ctor_state) == 0, "misaligned");

	RTE_LCORE_VAR_FOREACH(lcore_id, v, ctor_int)
		TEST_ASSERT_EQUAL(*v, 0, "lcore %u: constructor variable not zero", lcore_id);
	RTE_LCORE_VAR_FOREACH(lcore_id, s, ctor_state) {
		uint64_t expected = lcore_id == 0 ? CTOR_MAGIC : 0;

		TEST_ASSERT_EQUAL(s->magic, expected,
			"lcore %u: value written before rte_eal_init() not kept", lcore_id);
		TEST_ASSERT_EQUAL(s->small, 0, "lcore %u: not zero", lcore_id);
	}
	return TEST_SUCCESS;
}

/* Values start zeroed, for every lcore id, whatever the allocation macro. */

struct zero_state {
	uint64_t words[24];
	char text[40];
};

static int
check_zero(void *handle, size_t size)
{
	static const char zeros[RTE_CACHE_LINE_SIZE * 4];
	unsigned int lcore_id;
	char *value;

	RTE_VERIFY(size <= sizeof(zeros));
	RTE_LCORE_VAR_FOREACH(lcore_id, value, (char *)handle)
		TEST_ASSERT_BUFFERS_ARE_EQUAL(value, zeros, size,
			"lcore %u: value of %zu bytes not zeroed", lcore_id, size);
	return TEST_SUCCESS;
}

static int
test_zeroed(void)
{
	RTE_LCORE_VAR_HANDLE(struct zero_state, st);
	RTE_LCORE_VAR_HANDLE(uint32_t, words);
	RTE_LCORE_VAR_HANDLE(char, bytes);

	RTE_LCORE_VAR_ALLOC(st);
	RTE_LCORE_VAR_ALLOC_SIZE(words, 7 * sizeof(uint32_t));
	RTE_LCORE_VAR_ALLOC_SIZE_ALIGN(bytes, 61, 1);
	TEST_ASSERT_NOT_NULL(st, "NULL handle");
	TEST_ASSERT_NOT_NULL(words, "NULL handle");
	TEST_ASSERT_NOT_NULL(bytes, "NULL handle");

	if (check_zero(st, sizeof(*st)) != TEST_SUCCESS ||
			check_zero(words, 7 * sizeof(uint32_t)) != TEST_SUCCESS ||
			check_zero(bytes, 61) != TEST_SUCCESS)
		return TEST_FAILED;
	return TEST_SUCCESS;
}

/*
 * Concurrent writers: every lcore updates its own values of two neighbouring variables,
 * many times, at the same time as the others. A value written by the wrong lcore, or torn
 * by a neighbour, shows up in the final counts and tags.
 */

#define CONC_ITERATIONS 200000

struct conc_state {
	uint64_t count;
	uint32_t tag;
	uint8_t last;
};

static RTE_LCORE_VAR_HANDLE(struct conc_state, conc_state);
static RTE_LCORE_VAR_HANDLE(uint8_t, conc_byte);

static uint8_t
conc_pattern(unsigned int lcore_id, unsigned int i)
{
	return (uint8_t)(lcore_id * 31 + i);
}

static int
conc_worker(void *arg __rte_unused)
{
	unsigned int lcore_id = rte_lcore_id();
	unsigned int i;

	for (i = 0; i < CONC_ITERATIONS; i++) {
		struct conc_state *s = RTE_LCORE_VAR(conc_state);
		uint8_t *b = RTE_LCORE_VAR(conc_byte);

		if (s->count != i || (i > 0 && *b != conc_pattern(lcore_id, i - 1)))
			return -1;
		s->count = i + 1;
		s->tag = lcore_id;
		s->last = (uint8_t)i;
		*b = conc_pattern(lcore_id, i);
	}
	return 0;
}

static int
test_concurrent(void)
{
	const struct conc_state *s;
	unsigned int lcore_id, id;
	int ret;

	if (rte_lcore_count() < 2) {
		printf("needs at least 2 lcores\n");
		return TEST_SKIPPED;
	}
	RTE_LCORE_VAR_ALLOC(conc_state);
	RTE_LCORE_VAR_ALLOC(conc_byte);

	ret = rte_eal_mp_remote_launch(conc_worker, NULL, SKIP_MAIN);
	TEST_ASSERT_SUCCESS(ret, "cannot launch the workers");
	ret = conc_worker(NULL); /* the main lcore takes part too */
	RTE_LCORE_FOREACH_WORKER(lcore_id)
		TEST_ASSERT_SUCCESS(rte_eal_wait_lcore(lcore_id), "lcore %u saw a foreign write",
			lcore_id);
	TEST_ASSERT_SUCCESS(ret, "the main lcore saw a foreign write");

	RTE_LCORE_VAR_FOREACH(id, s, conc_state) {
		const uint8_t *b = RTE_LCORE_VAR_LCORE(id, conc_byte);

		if (rte_lcore_is_enabled(id)) {
			TEST_ASSERT_EQUAL(s->count, CONC_ITERATIONS, "lcore %u: count %" PRIu64,
				id, s->count);
			TEST_ASSERT_EQUAL(s->tag, id, "lcore %u: tag %u", id, s->tag);
			TEST_ASSERT_EQUAL(s->last, (uint8_t)(CONC_ITERATIONS - 1), "lcore %u", id);
			TEST_ASSERT_EQUAL(*b, conc_pattern(id, CONC_ITERATIONS - 1),
				"lcore %u: byte neighbour %u", id, *b);
		} else {
			TEST_ASSERT(s->count == 0 && s->tag == 0 && s->last == 0 && *b == 0,
				"lcore %u runs nothing, yet its value changed", id);
		}
	}
	return TEST_SUCCESS;
}

/*
 * Alignment: every power of two from 1 to the cache line, and 0 for
 * alignof(max_align_t), each allocated right after a one-byte variable that leaves the
 * allocator misaligned. Where both land in the same slice, the aligned one must follow at
 * the first suitably aligned address: alignment costs no more padding than it needs.
 */
static int
check_alignment(size_t align)
{
	size_t expected = align == 0 ? alignof(max_align_t) : align;
	size_t size = expected * 2 + 1;
	char *before, *handle, *value;
	unsigned int lcore_id;

	before = rte_lcore_var_alloc(1, 1);
	handle = rte_lcore_var_alloc(size, align);
	TEST_ASSERT_NOT_NULL(handle, "align %zu: NULL handle", align);
	if (same_slice(before, handle))
		TEST_ASSERT_EQUAL((uintptr_t)handle,
			RTE_ALIGN_CEIL((uintptr_t)before + 1, expected),
			"align %zu: %p does not follow %p at the first aligned byte", align,
			handle, before);
	RTE_LCORE_VAR_FOREACH(lcore_id, value, handle) {
		TEST_ASSERT((uintptr_t)value % expected == 0,
			"align %zu: lcore %u value %p misaligned", align, lcore_id, value);
		if (lcore_id < 4 || lcore_id == RTE_MAX_LCORE - 1) {
			memset(value, 0xc3, size);
			TEST_ASSERT_EQUAL(*RTE_LCORE_VAR_LCORE(lcore_id, before), 0,
				"align %zu: writing the value overwrote its neighbour", align);
		}
	}
	return TEST_SUCCESS;
}

struct align64_state {
	alignas(64) uint8_t b;
};

static int
test_alignment(void)
{
	RTE_LCORE_VAR_HANDLE(struct align64_state, typed);
	RTE_LCORE_VAR_HANDLE(uint8_t, pad);
	RTE_LCORE_VAR_HANDLE(long double, dflt);
	size_t align;

	for (align = 1; align <= RTE_CACHE_LINE_SIZE; align *= 2)
		if (check_alignment(align) != TEST_SUCCESS)
			return TEST_FAILED;
	if (check_alignment(0) != TEST_SUCCESS)
		return TEST_FAILED;

	/* the macros take the alignment from the type, or default to max_align_t */
	RTE_LCORE_VAR_ALLOC(pad);
	RTE_LCORE_VAR_ALLOC(typed);
	TEST_ASSERT((uintptr_t)typed % 64 == 0, "RTE_LCORE_VAR_ALLOC ignores the type's alignment");
	RTE_LCORE_VAR_ALLOC(pad);
	RTE_LCORE_VAR_ALLOC_SIZE(dflt, 1);
	TEST_ASSERT((uintptr_t)dflt % alignof(max_align_t) == 0,
		"RTE_LCORE_VAR_ALLOC_SIZE is not aligned for max_align_t");
	return TEST_SUCCESS;
}

/*
 * A struct and an array variable, each fenced by neighbours allocated just before and
 * after it. Filling the struct and the array of every lcore id must leave the fences of
 * every lcore id untouched, and each lcore id's value must hold what was written to it.
 */

struct fenced_state {
	uint32_t a;
	uint64_t b;
	char name[13];
};

#define FENCED_ARRAY_LEN 37
#define FENCE_PATTERN UINT64_C(0xfeedfacecafebeef)

static int
test_fenced(void)
{
	RTE_LCORE_VAR_HANDLE(uint64_t, fence0);
	RTE_LCORE_VAR_HANDLE(struct fenced_state, st);
	RTE_LCORE_VAR_HANDLE(uint64_t, fence1);
	RTE_LCORE_VAR_HANDLE(uint16_t, arr);
	RTE_LCORE_VAR_HANDLE(uint8_t, fence2);
	struct fenced_state *s;
	unsigned int lcore_id, i;
	uint16_t *a;
	uint64_t *f;

	RTE_LCORE_VAR_ALLOC(fence0);
	RTE_LCORE_VAR_ALLOC(st);
	RTE_LCORE_VAR_ALLOC(fence1);
	RTE_LCORE_VAR_ALLOC_SIZE_ALIGN(arr, FENCED_ARRAY_LEN * sizeof(uint16_t),
		alignof(uint16_t));
	RTE_LCORE_VAR_ALLOC(fence2);

	RTE_LCORE_VAR_FOREACH(lcore_id, f, fence0) {
		*f = FENCE_PATTERN;
		*RTE_LCORE_VAR_LCORE(lcore_id, fence1) = FENCE_PATTERN;
		*RTE_LCORE_VAR_LCORE(lcore_id, fence2) = 0x5a;
	}

	/* fill the whole of every value, padding included, then the fields */
	RTE_LCORE_VAR_FOREACH(lcore_id, s, st) {
		memset(s, 0xff, sizeof(*s));
		s->a = lcore_id;
		s->b = ~(uint64_t)lcore_id;
		snprintf(s->name, sizeof(s->name), "lcore-%u", lcore_id);
		a = RTE_LCORE_VAR_LCORE(lcore_id, arr);
		for (i = 0; i < FENCED_ARRAY_LEN; i++)
			a[i] = (uint16_t)(lcore_id * 1000 + i);
	}

	RTE_LCORE_VAR_FOREACH(lcore_id, s, st) {
		char name[sizeof(s->name)];

		TEST_ASSERT_EQUAL(*RTE_LCORE_VAR_LCORE(lcore_id, fence0), FENCE_PATTERN,
			"lcore %u: fence before the struct overwritten", lcore_id);
		TEST_ASSERT_EQUAL(*RTE_LCORE_VAR_LCORE(lcore_id, fence1), FENCE_PATTERN,
			"lcore %u: fence between struct and array overwritten", lcore_id);
		TEST_ASSERT_EQUAL(*RTE_LCORE_VAR_LCORE(lcore_id, fence2), 0x5a,
			"lcore %u: fence after the array overwritten", lcore_id);

		snprintf(name, sizeof(name), "lcore-%u", lcore_id);
		TEST_ASSERT(s->a == lcore_id && s->b == ~(uint64_t)lcore_id &&
			strcmp(s->name, name) == 0, "lcore %u: struct value corrupted", lcore_id);
		a = RTE_LCORE_VAR_LCORE(lcore_id, arr);
		for (i = 0; i < FENCED_ARRAY_LEN; i++)
			TEST_ASSERT_EQUAL(a[i], (uint16_t)(lcore_id * 1000 + i),
				"lcore %u: array element %u corrupted", lcore_id, i);
	}
	return TEST_SUCCESS;
}

/*
 * Enough variables to fill several buffers: 1 KiB variables, one slice's worth three
 * times over and more. Each gets a distinct value for a few lcore ids; all are read back.
 */

#define SPAN_VAR_SIZE 1024
#define SPAN_NUM_VARS (3 * RTE_MAX_LCORE_VAR / SPAN_VAR_SIZE + 1)

static void *span_handles[SPAN_NUM_VARS];

static int
test_several_buffers(void)
{
	const unsigned int ids[] = { 0, 1, RTE_MAX_LCORE / 2, RTE_MAX_LCORE - 1 };
	unsigned int i, j, buffers = 1;

	for (i = 0; i < SPAN_NUM_VARS; i++) {
		span_handles[i] = rte_lcore_var_alloc(SPAN_VAR_SIZE, 8);
		TEST_ASSERT_NOT_NULL(span_handles[i], "NULL handle");
		if (i > 0 && !same_slice(span_handles[i - 1], span_handles[i]))
			buffers++;
	}
	TEST_ASSERT(buffers >= 4, "%u variables of %u bytes took only %u buffers",
		SPAN_NUM_VARS, SPAN_VAR_SIZE, buffers);

	for (i = 0; i < SPAN_NUM_VARS; i++)
		for (j = 0; j < RTE_DIM(ids); j++) {
			uint64_t *v = rte_lcore_var_lcore(ids[j], span_handles[i]);

			TEST_ASSERT_EQUAL(v[0], 0, "variable %u lcore %u not zeroed", i, ids[j]);
			v[0] = (uint64_t)i << 32 | ids[j];
			v[SPAN_VAR_SIZE / sizeof(*v) - 1] = ~v[0];
		}
	for (i = 0; i < SPAN_NUM_VARS; i++)
		for (j = 0; j < RTE_DIM(ids); j++) {
			uint64_t *v = rte_lcore_var_lcore(ids[j], span_handles[i]);
			uint64_t expected = (uint64_t)i << 32 | ids[j];

			TEST_ASSERT(v[0] == expected &&
				v[SPAN_VAR_SIZE / sizeof(*v) - 1] == ~expected,
				"variable %u (buffer at %p) lcore %u: value lost", i,
				span_handles[i], ids[j]);
		}
	/* and the values of different buffers never overlap */
	for (i = 1; i < SPAN_NUM_VARS; i++)
		if (!same_slice(span_handles[i - 1], span_handles[i])) {
			uintptr_t x = (uintptr_t)span_handles[i - 1];
			uintptr_t y = (uintptr_t)span_handles[i];

			TEST_ASSERT(x < y ? y - x >= BUFFER_BYTES : x - y >= BUFFER_BYTES,
				"buffers at %p and %p overlap", span_handles[i - 1],
				span_handles[i]);
		}
	return TEST_SUCCESS;
}

/*
 * The largest variable, RTE_MAX_LCORE_VAR bytes: it fills a whole slice of its buffer,
 * including that of the last lcore id. Small neighbours allocated before and after it
 * stay untouched.
 */
static int
test_max_size(void)
{
	const unsigned int ids[] = { 0, 1, RTE_MAX_LCORE - 1 };
	RTE_LCORE_VAR_HANDLE(uint32_t, before);
	RTE_LCORE_VAR_HANDLE(uint32_t, after);
	uint8_t *big, *v;
	unsigned int i;
	size_t k;

	RTE_LCORE_VAR_ALLOC(before);
	big = rte_lcore_var_alloc(RTE_MAX_LCORE_VAR, RTE_CACHE_LINE_SIZE);
	RTE_LCORE_VAR_ALLOC(after);
	TEST_ASSERT_NOT_NULL(big, "NULL handle");
	TEST_ASSERT(!same_slice(before, big) && !same_slice(big, after),
		"a variable shares a slice with one of RTE_MAX_LCORE_VAR bytes");

	for (i = 0; i < RTE_DIM(ids); i++) {
		v = RTE_LCORE_VAR_LCORE(ids[i], big);
		for (k = 0; k < RTE_MAX_LCORE_VAR; k += 512)
			TEST_ASSERT_EQUAL(v[k], 0, "lcore %u byte %zu not zero", ids[i], k);
		TEST_ASSERT_EQUAL(v[RTE_MAX_LCORE_VAR - 1], 0, "last byte not zero");
		memset(v, (int)(0x10 + i), RTE_MAX_LCORE_VAR);
	}
	for (i = 0; i < RTE_DIM(ids); i++) {
		v = RTE_LCORE_VAR_LCORE(ids[i], big);
		TEST_ASSERT(v[0] == 0x10 + i && v[RTE_MAX_LCORE_VAR - 1] == 0x10 + i,
			"lcore %u: value of RTE_MAX_LCORE_VAR bytes overwritten", ids[i]);
		TEST_ASSERT(*RTE_LCORE_VAR_LCORE(ids[i], before) == 0 &&
			*RTE_LCORE_VAR_LCORE(ids[i], after) == 0,
			"lcore %u: a neighbour was overwritten", ids[i]);
	}
	/* the lcore ids in between are still untouched */
	TEST_ASSERT_EQUAL(RTE_LCORE_VAR_LCORE(2, big)[0], 0, "lcore 2 value changed");
	return TEST_SUCCESS;
}

/*
 * The loop variables may be any lvalues (struct members here), loops nest with variables
 * of their own, and a loop left early keeps the id it stopped at.
 */
static int
test_foreach_lvalues(uint64_t *h)
{
	struct {
		unsigned int id;
		uint64_t *value;
	} outer, inner;
	unsigned int pairs = 0;

	RTE_LCORE_VAR_FOREACH(outer.id, outer.value, h) {
		if (outer.id >= 3)
			break;
		RTE_LCORE_VAR_FOREACH(inner.id, inner.value, h) {
			if (inner.id >= 3)
				break;
			TEST_ASSERT(*outer.value == outer.id + 1 && *inner.value == inner.id + 1,
				"lcore ids %u and %u: wrong values", outer.id, inner.id);
			pairs++;
		}
		TEST_ASSERT_EQUAL(inner.id, 3, "the inner loop stopped at %u", inner.id);
	}
	TEST_ASSERT_EQUAL(outer.id, 3, "the outer loop stopped at %u", outer.id);
	TEST_ASSERT_EQUAL(pairs, 9, "%u pairs visited", pairs);
	return TEST_SUCCESS;
}

/* RTE_LCORE_VAR_FOREACH visits every lcore id, in order, with that id's value. */
static int
test_foreach(void)
{
	RTE_LCORE_VAR_HANDLE(uint64_t, h);
	unsigned int lcore_id, expected = 0;
	uint64_t *v;

	RTE_LCORE_VAR_ALLOC(h);
	RTE_LCORE_VAR_FOREACH(lcore_id, v, h) {
		TEST_ASSERT_EQUAL(lcore_id, expected, "visited %u where %u was due",
			lcore_id, expected);
		TEST_ASSERT(v == RTE_LCORE_VAR_LCORE(lcore_id, h) &&
			(uintptr_t)v == (uintptr_t)h + lcore_id * SLICE,
			"lcore %u: wrong value pointer %p", lcore_id, v);
		*v = lcore_id + 1;
		expected++;
	}
	TEST_ASSERT_EQUAL(expected, RTE_MAX_LCORE, "visited %u lcore ids, not %u", expected,
		RTE_MAX_LCORE);
	/* the loop variables are the caller's, and keep the value the loop ended with */
	TEST_ASSERT_EQUAL(lcore_id, RTE_MAX_LCORE, "lcore_id is %u after the loop", lcore_id);
	TEST_ASSERT((uintptr_t)v == (uintptr_t)h + RTE_MAX_LCORE * SLICE,
		"value is %p after the loop", v);

	TEST_ASSERT(RTE_LCORE_VAR(h) == RTE_LCORE_VAR_LCORE(rte_lcore_id(), h),
		"RTE_LCORE_VAR() does not give the calling lcore's value");
	TEST_ASSERT_EQUAL(*RTE_LCORE_VAR(h), rte_lcore_id() + 1, "wrong value");

	expected = 0;
	RTE_LCORE_VAR_FOREACH(lcore_id, v, h) {
		TEST_ASSERT_EQUAL(*v, lcore_id + 1, "lcore %u: wrong value", lcore_id);
		expected++;
	}
	TEST_ASSERT_EQUAL(expected, RTE_MAX_LCORE, "the second walk stopped early");
	return test_foreach_lvalues(h);
}

/*
 * Packing: consecutive variables sit next to each other, separated by no more than the
 * padding their alignment calls for. A buffer change in the middle of the sequence is
 * allowed once (the sequence is then tried again in the fresh buffer).
 */
static int
try_packed(void)
{
	uint8_t *a = rte_lcore_var_alloc(1, 1);
	uint8_t *b = rte_lcore_var_alloc(1, 1);
	uint16_t *c = rte_lcore_var_alloc(2, 2);
	uint64_t *d = rte_lcore_var_alloc(8, 8);
	char *e = rte_lcore_var_alloc(3, 1);
	char *f = rte_lcore_var_alloc(5, 1);

	if (!same_slice(a, f))
		return TEST_SKIPPED;
	TEST_ASSERT((uintptr_t)b == (uintptr_t)a + 1, "1-byte variables %p, %p not adjacent",
		a, b);
	TEST_ASSERT((uintptr_t)c == RTE_ALIGN_CEIL((uintptr_t)b + 1, 2),
		"2-byte variable %p after %p: padded beyond its alignment", c, b);
	TEST_ASSERT((uintptr_t)d == RTE_ALIGN_CEIL((uintptr_t)c + 2, 8),
		"8-byte variable %p after %p: padded beyond its alignment", d, c);
	TEST_ASSERT((uintptr_t)e == (uintptr_t)d + 8, "%p does not follow %p", e, d);
	TEST_ASSERT((uintptr_t)f == (uintptr_t)e + 3, "%p does not follow %p", f, e);

	/* and the packing holds for every lcore id's slice */
	TEST_ASSERT((uintptr_t)RTE_LCORE_VAR_LCORE(RTE_MAX_LCORE - 1, b) ==
		(uintptr_t)RTE_LCORE_VAR_LCORE(RTE_MAX_LCORE - 1, a) + 1,
		"values not adjacent in the last lcore id's slice");
	return TEST_SUCCESS;
}

static int
test_packed(void)
{
	int ret = try_packed();

	if (ret == TEST_SKIPPED)
		ret = try_packed();
	TEST_ASSERT_NOT_EQUAL(ret, TEST_SKIPPED, "two sequences crossed buffer boundaries");
	return ret;
}

/*
 * A registered non-EAL thread: before registering it has no lcore id; registered, it has
 * its own values; once unregistered, the values it wrote remain, readable by id.
 */

struct nonEAL_state {
	uint64_t magic;
	unsigned int writer;
};

struct nonEAL_result {
	unsigned int id_before;
	int register_ret;
	unsigned int lcore_id;
	bool was_zero;
	struct nonEAL_state *value;
	unsigned int id_after;
};

#define NONEAL_MAGIC UINT64_C(0x6e6f6e2d45414c21)

static RTE_LCORE_VAR_HANDLE(struct nonEAL_state, nonEAL_state);

static void *
nonEAL_thread(void *arg)
{
	struct nonEAL_result *res = arg;
	struct nonEAL_state *s;

	res->id_before = rte_lcore_id();
	res->register_ret = rte_thread_register();
	if (res->register_ret != 0)
		return NULL;
	res->lcore_id = rte_lcore_id();
	s = RTE_LCORE_VAR(nonEAL_state);
	res->was_zero = s->magic == 0 && s->writer == 0;
	s->magic = NONEAL_MAGIC;
	s->writer = res->lcore_id;
	res->value = s;
	rte_thread_unregister();
	res->id_after = rte_lcore_id();
	return NULL;
}

static int
test_non_eal_thread(void)
{
	struct nonEAL_result res = { 0 };
	const struct nonEAL_state *s;
	pthread_t thread;
	int ret;

	RTE_LCORE_VAR_ALLOC(nonEAL_state);
	ret = pthread_create(&thread, NULL, nonEAL_thread, &res);
	TEST_ASSERT_SUCCESS(ret, "cannot create a thread: %s", strerror(ret));
	TEST_ASSERT_SUCCESS(pthread_join(thread, NULL), "cannot join the thread");

	TEST_ASSERT_EQUAL(res.id_before, LCORE_ID_ANY,
		"an unregistered thread has lcore id %u", res.id_before);
	TEST_ASSERT_SUCCESS(res.register_ret, "rte_thread_register() failed");
	TEST_ASSERT(res.lcore_id < RTE_MAX_LCORE, "registered thread has lcore id %u",
		res.lcore_id);
	TEST_ASSERT(!rte_lcore_is_enabled(res.lcore_id),
		"the thread was given an EAL lcore's id %u", res.lcore_id);
	TEST_ASSERT(res.was_zero, "the thread's value did not start zeroed");
	TEST_ASSERT_EQUAL(res.id_after, LCORE_ID_ANY, "unregistering kept the lcore id");

	s = RTE_LCORE_VAR_LCORE(res.lcore_id, nonEAL_state);
	TEST_ASSERT(res.value == s, "RTE_LCORE_VAR() in the thread gave %p, not %p",
		res.value, s);
	TEST_ASSERT(s->magic == NONEAL_MAGIC && s->writer == res.lcore_id,
		"the value outlived the thread's registration wrongly");
	return TEST_SUCCESS;
}

/*
 * Size 0 is valid: the handle is not NULL, and a variable allocated after it is usable as
 * usual (it may share the zero-size variable's address).
 */
static int
test_size_zero(void)
{
	RTE_LCORE_VAR_HANDLE(uint32_t, after);
	void *empty = rte_lcore_var_alloc(0, 0);
	void *empty_aligned = rte_lcore_var_alloc(0, RTE_CACHE_LINE_SIZE);
	unsigned int lcore_id;
	uint32_t *v;

	TEST_ASSERT_NOT_NULL(empty, "NULL handle for size 0");
	TEST_ASSERT_NOT_NULL(empty_aligned, "NULL handle for size 0, cache-line aligned");
	TEST_ASSERT((uintptr_t)empty_aligned % RTE_CACHE_LINE_SIZE == 0, "misaligned");
	RTE_LCORE_VAR_ALLOC(after);
	RTE_LCORE_VAR_FOREACH(lcore_id, v, after) {
		TEST_ASSERT_EQUAL(*v, 0, "lcore %u: not zero", lcore_id);
		*v = lcore_id;
	}
	RTE_LCORE_VAR_FOREACH(lcore_id, v, after)
		TEST_ASSERT_EQUAL(*v, lcore_id, "lcore %u: value lost", lcore_id);
	return TEST_SUCCESS;
}

/*
 * An lcore id need not be valid: rte_lcore_var_lcore() of LCORE_ID_ANY or of
 * RTE_MAX_LCORE gives a pointer (not to be dereferenced) instead of failing.
 */
static int
test_invalid_lcore_id(void)
{
	RTE_LCORE_VAR_HANDLE(uint64_t, h);
	volatile unsigned int any = LCORE_ID_ANY, max = RTE_MAX_LCORE;
	void *p_any, *p_max;

	RTE_LCORE_VAR_ALLOC(h);
	p_any = rte_lcore_var_lcore(any, h);
	p_max = RTE_LCORE_VAR_LCORE(max, h);
	TEST_ASSERT(p_max != (void *)h && p_any != (void *)h,
		"an invalid lcore id gave lcore 0's value");
	return TEST_SUCCESS;
}

/*
 * Death tests: an invalid size or alignment aborts the process with a message naming the
 * argument. The allocation runs in a forked child whose output comes back through a pipe.
 */

struct death_case {
	const char *what;
	size_t size;
	size_t align;
	const char *word;   /* expected in the message */
};

static void
death_child(void *arg)
{
	const struct death_case *dc = arg;
	volatile size_t size = dc->size, align = dc->align;

	rte_lcore_var_alloc(size, align);
	/* reached only when the allocator accepted the arguments */
}

static int
run_death_case(struct death_case *dc)
{
	char out[8192];
	int sig;

	TEST_ASSERT_SUCCESS(test_run_in_child_output(death_child, dc, out, sizeof(out), &sig),
		"%s: cannot run the child", dc->what);

	TEST_ASSERT_EQUAL(sig, SIGABRT, "%s: the child ended with %d, not SIGABRT", dc->what,
		sig);
	TEST_ASSERT_NOT_NULL(strstr(out, dc->word), "%s: the message does not name '%s': %s",
		dc->what, dc->word, out);
	printf("%s: aborted as expected\n", dc->what);
	return TEST_SUCCESS;
}

static int
test_invalid_args(void)
{
	struct death_case cases[] = {
		{ "size RTE_MAX_LCORE_VAR + 1", RTE_MAX_LCORE_VAR + 1, 0, "size" },
		{ "align 3", 8, 3, "align" },
		{ "align 2 * RTE_CACHE_LINE_SIZE", 8, 2 * RTE_CACHE_LINE_SIZE, "align" },
	};
	unsigned int i;

	for (i = 0; i < RTE_DIM(cases); i++)
		if (run_death_case(&cases[i]) != TEST_SUCCESS)
			return TEST_FAILED;
	return TEST_SUCCESS;
}

static struct unit_test_suite lcore_var_testsuite = {
	.suite_name = "lcore variable autotest",
	.unit_test_cases = {
		TEST_CASE(test_constructor),
		TEST_CASE(test_zeroed),
		TEST_CASE(test_concurrent),
		TEST_CASE(test_alignment),
		TEST_CASE(test_fenced),
		TEST_CASE(test_several_buffers),
		TEST_CASE(test_max_size),
		TEST_CASE(test_foreach),
		TEST_CASE(test_packed),
		TEST_CASE(test_non_eal_thread),
		TEST_CASE(test_invalid_args),
		TEST_CASE(test_size_zero),
		TEST_CASE(test_invalid_lcore_id),
		TEST_CASES_END()
	},
};

static int
test_lcore_var(void)
{
	return unit_test_suite_runner(&lcore_var_testsuite);
}

REGISTER_FAST_TEST(lcore_var_autotest, true, true, test_lcore_var);
