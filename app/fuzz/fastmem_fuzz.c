/* SPDX-License-Identifier: BSD-3-Clause
 * Copyright(c) 2026 The dpdk-lcoremem authors
 */

/*
 * fastmem_fuzz: a libFuzzer target that turns its input into a sequence of fastmem calls
 * and checks each result against a shadow model (fastmem_fuzz_model.c). Built as the
 * libFuzzer target fastmem_fuzz (-Dfuzz=true, clang) and as the replay driver
 * fastmem_fuzz_replay (any compiler), which runs each file of the corpus once.
 *
 * EAL is initialised once (--no-huge -m 2048 --no-shconf, a file prefix of its own, lcores
 * 0 and 1 on one CPU), and fastmem once; the main lcore (0) makes the calls, except inside
 * on_worker (lcore 1) and on_thread (a thread without lcore id, started once and woken for
 * each on_thread: fastmem keeps no state for such threads). Every input ends with
 * automatic trimming off, all its objects freed, both lcore caches flushed, and a check
 * that every statistic agrees with the model and that no slab is left in a bin; then
 * fastmem_reset() brings fastmem back to the state init leaves (no backing memory, no
 * reservation, no limit, counters at 0), parking the zones for the next inputs (trims and
 * deinits park theirs too: fastmem_park_set()), so that
 * every input starts from the same state and its outcome does not depend on the inputs
 * run before it.
 *
 * Input encoding
 * --------------
 * A sequence of operations: an opcode byte, then the argument bytes of the operation.
 * Bytes read past the end of the input are 0; decoding stops at the end of the input or
 * after FZ_MAX_OPS operations. The opcode is the byte modulo 32:
 *
 *   0 alloc              size align flags
 *   1 alloc_socket       size align flags socket
 *   2 alloc_bulk         count size align flags
 *   3 alloc_bulk_socket  count size align flags socket
 *   4 free               index               (no live object: free(NULL))
 *   5 free_bulk          count index nulls
 *   6 realloc            index size align    (index 0xffff or no live object: NULL)
 *   7 cache_flush
 *   8 reserve            rsize socket
 *   9 set_limit          socket limit
 *  10 get_limit          socket
 *  11 stats              (every statistic against the model)
 *  12 stats_reset
 *  13 verify             count index         (contents of 1 + count % 16 objects)
 *  14 misuse             what size           (NULL outputs, bad class sizes, lcore ids...)
 *  15 virt2iova          index offset
 *  16 on_worker          nops                (the next 1 + nops % 16 operations on lcore 1)
 *  17 on_thread          nops                (... in a new thread without lcore id)
 *  18 reinit             key (key FZ_REINIT_KEY: deinit; every call fails with ENODEV;
 *                        init; init is EBUSY. Any other key: nothing)
 *  19 hlookup            size align socket   (the handle joins a table of 8)
 *  20 halloc             handle flags
 *  21 halloc_bulk        handle count flags
 *  22 hfree              index bad           (a handle of the object's class and socket)
 *  23 hfree_bulk         index count bad     (objects of index's class and socket)
 *  24-26 alloc; 28-30 free (the same as 0 and 4, to make them common)
 *  27 trim               socket released     (released & 1: ask for the bytes released)
 *  31 set_trim_threshold socket limit
 * Operations 16-18 are no-ops inside on_worker and on_thread.
 *
 * Arguments (one byte each unless said otherwise; v is the byte):
 *   size   0x00-0x3f: v; 0x40-0x7f: (v & 0x3f) << 8 | next byte;
 *          0x80-0xbf: k = (v & 0x3f) % 21, then 2^k, 2^k - 1 or 2^k + 1 for
 *          (v & 0x3f) / 21 = 0, 1, 2 (3: 1);
 *          0xc0-0xff by v & 7: 0, 1 MiB, 1 MiB + 1, 1 MiB - 1, SIZE_MAX, 2^63, 2^32,
 *          the next 3 bytes (little endian)
 *   align  0x00-0x5f: 0; 0x60-0xbf: 2^((v - 0x60) % 21); 0xc0-0xff: an invalid one by
 *          (v & 0x3f) % 12: 3, 6, 12, 48, 100, 2 MiB, 4 MiB, 2^40, 2^63, SIZE_MAX,
 *          1 MiB + 1, 1 MiB - 1
 *   flags  0x00-0x9f: 0; 0xa0-0xdf: RTE_FASTMEM_F_ZERO; 0xe0-0xfe: bit 1 + v - 0xe0
 *          (unknown); 0xff: all bits
 *   socket 0x00-0x7f: SOCKET_ID_ANY; 0x80-0xbf: known NUMA socket v % count;
 *          0xc0-0xff by v & 7: -2, INT_MIN, INT_MAX, RTE_MAX_NUMA_NODES - 1,
 *          RTE_MAX_NUMA_NODES, RTE_MAX_NUMA_NODES + 1, 1000, -100 (unknown unless EAL
 *          knows them)
 *   count  0x00-0xdf: v % 33; 0xe0-0xff: (v - 0xdf) * 16
 *   index  2 bytes, little endian, modulo the number of live objects (sorted by slab, a slab
 *          ranked when the model gets its first live object in it, then by address)
 *   nulls  bit i set: a NULL entry after the i-th object of the array
 *   rsize  by v & 3: 0: 1 + (v >> 2) bytes; 1: (1 + (v >> 2) % 8) * 2 MiB; 2: the same
 *          + 1 when v & 0x80, else - 1; 3 by (v >> 2) % 6: 0, SIZE_MAX, SIZE_MAX - 2 MiB,
 *          SIZE_MAX - 2 MiB + 1, 2^40, 64 MiB
 *   limit  by v & 7: 0: SIZE_MAX; 1-4: (1 + (v >> 3)) * 2 MiB; 5: the same + 12345;
 *          6: the backing memory B now, by (v >> 3) % 6: B, B - 1, B + 1, B + 2 MiB - 1,
 *          B + 2 MiB, B - 2 MiB; 7 by (v >> 3) % 6: 0, 1, 2 MiB - 1, SIZE_MAX - 1, 2^40,
 *          SIZE_MAX - 2 MiB
 *   offset 2 bytes, modulo the object's class size
 *   what   modulo 11: see op_misuse()
 *   handle 0x00-0xef: handle v % count of the table; 0xf0-0xff (or an empty table): 0,
 *          which is not a handle
 *   bad    0xf0-0xff: free with the handle 0 (nothing is freed: EINVAL)
 *
 * The live set is bounded (FZ_MAX_LIVE objects, FZ_MAX_LIVE_BYTES at class size): a call
 * that would allocate beyond it is skipped, a bulk count is clipped. A reservation that
 * the limit would allow beyond FZ_MAX_BACKING is skipped.
 *
 * FASTMEM_FUZZ_TRACE=1 in the environment prints every operation to stderr.
 */

#ifndef _GNU_SOURCE
#define _GNU_SOURCE /* sched_getaffinity() */
#endif
#include <errno.h>
#include <inttypes.h>
#include <limits.h>
#include <pthread.h>
#include <sched.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include <rte_common.h>
#include <rte_eal.h>
#include <rte_errno.h>
#include <rte_launch.h>
#include <rte_lcore.h>
#include <rte_memory.h>

#include <rte_fastmem.h>

#include "fastmem_fuzz.h"
/* fastmem_reset(): the fuzz target links the static library, whose internals it may call */
#include "fastmem_priv.h"

#define FZ_MAX_OPS 4096
/* The key byte that makes operation 18 a reinit. */
#define FZ_REINIT_KEY 0xd1
/* What the park (fastmem_park_set()) keeps of the zones that trims, deinits and
 * fastmem_reset() release, for growth to reuse: giving a memzone back costs a memset of it
 * in EAL, reusing a parked one nothing. Twice what an input may hold, as the zone sizes of
 * its growth and those of its reservations differ. */
#define FZ_PARK_MAX (2 * FZ_MAX_BACKING)
#define FZ_MAX_BULK 512
#define FZ_MAX_FREE_BULK 64
#define FZ_ERRNO_SENTINEL 0x7e7e /* no errno has this value */

/* Sets of errno values. */
#define FZ_E2BIG RTE_BIT32(0)
#define FZ_EINVAL RTE_BIT32(1)
#define FZ_ENOMEM RTE_BIT32(2)
#define FZ_ENODEV RTE_BIT32(3)
#define FZ_EBUSY RTE_BIT32(4)

struct fz_in {
	const uint8_t *p;
	size_t n;
	size_t off;
};

static bool fz_trace;
static FILE *fz_devnull;

#define TRACE(...) do { \
	if (unlikely(fz_trace)) { \
		fprintf(stderr, "[%u%s] ", fz_op_no, fz_cur_ctx == FZ_CTX_MAIN ? "" : \
				fz_cur_ctx == FZ_CTX_WORKER ? " lcore 1" : " thread"); \
		fprintf(stderr, __VA_ARGS__); \
		fprintf(stderr, "\n"); \
	} \
} while (0)

static unsigned int
err_bit(int e)
{
	switch (e) {
	case E2BIG: return FZ_E2BIG;
	case EINVAL: return FZ_EINVAL;
	case ENOMEM: return FZ_ENOMEM;
	case ENODEV: return FZ_ENODEV;
	case EBUSY: return FZ_EBUSY;
	default: return 0;
	}
}

/* --- input --- */

static bool
in_end(const struct fz_in *in)
{
	return in->off >= in->n;
}

static uint8_t
in_u8(struct fz_in *in)
{
	return in->off < in->n ? in->p[in->off++] : 0;
}

static unsigned int
in_u16(struct fz_in *in)
{
	unsigned int lo = in_u8(in);

	return lo | (unsigned int)in_u8(in) << 8;
}

static size_t
in_size(struct fz_in *in)
{
	static const size_t special[] = {
		0, FZ_MAX_SIZE, FZ_MAX_SIZE + 1, FZ_MAX_SIZE - 1, SIZE_MAX,
		(size_t)1 << 63, (size_t)1 << 32,
	};
	uint8_t v = in_u8(in);
	unsigned int k;

	if (v < 0x40)
		return v;
	if (v < 0x80)
		return (size_t)(v & 0x3f) << 8 | in_u8(in);
	if (v < 0xc0) {
		k = (v & 0x3f) % 21;
		switch ((v & 0x3f) / 21) {
		case 0: return (size_t)1 << k;
		case 1: return ((size_t)1 << k) - 1;
		case 2: return ((size_t)1 << k) + 1;
		default: return 1;
		}
	}
	if ((v & 7) < RTE_DIM(special))
		return special[v & 7];
	k = in_u8(in);
	k |= (unsigned int)in_u8(in) << 8;
	return k | (size_t)in_u8(in) << 16;
}

static size_t
in_align(struct fz_in *in)
{
	static const size_t bad[] = {
		3, 6, 12, 48, 100, 2 * FZ_MIB, 4 * FZ_MIB, (size_t)1 << 40, (size_t)1 << 63,
		SIZE_MAX, FZ_MAX_SIZE + 1, FZ_MAX_SIZE - 1,
	};
	uint8_t v = in_u8(in);

	if (v < 0x60)
		return 0;
	if (v < 0xc0)
		return (size_t)1 << ((v - 0x60) % 21);
	return bad[(v & 0x3f) % RTE_DIM(bad)];
}

static unsigned int
in_flags(struct fz_in *in)
{
	uint8_t v = in_u8(in);

	if (v < 0xa0)
		return 0;
	if (v < 0xe0)
		return RTE_FASTMEM_F_ZERO;
	if (v == 0xff)
		return UINT32_MAX;
	return RTE_BIT32(1 + v - 0xe0);
}

static int
in_socket(struct fz_in *in)
{
	static const int bad[] = {
		-2, INT_MIN, INT_MAX, RTE_MAX_NUMA_NODES - 1, RTE_MAX_NUMA_NODES,
		RTE_MAX_NUMA_NODES + 1, 1000, -100,
	};
	uint8_t v = in_u8(in);

	if (v < 0x80)
		return SOCKET_ID_ANY;
	if (v < 0xc0)
		return fz.sockets[v % fz.n_sockets];
	return bad[v & 7];
}

static unsigned int
in_count(struct fz_in *in)
{
	uint8_t v = in_u8(in);

	return v < 0xe0 ? v % 33u : (v - 0xdfu) * 16;
}

static size_t
in_rsize(struct fz_in *in)
{
	static const size_t special[] = {
		0, SIZE_MAX, SIZE_MAX - FZ_SLAB, SIZE_MAX - FZ_SLAB + 1, (size_t)1 << 40,
		64 * FZ_MIB,
	};
	uint8_t v = in_u8(in);
	size_t slabs = 1 + (v >> 2) % 8;

	switch (v & 3) {
	case 0: return 1 + (v >> 2);
	case 1: return slabs * FZ_SLAB;
	case 2: return slabs * FZ_SLAB + ((v & 0x80) ? 1 : (size_t)-1);
	default: return special[(v >> 2) % RTE_DIM(special)];
	}
}

static size_t
in_limit(struct fz_in *in)
{
	uint8_t v = in_u8(in);
	size_t b, sel = (v >> 3) % 6;

	switch (v & 7) {
	case 0:
		return SIZE_MAX;
	case 1: case 2: case 3: case 4:
		return (1 + (size_t)(v >> 3)) * FZ_SLAB;
	case 5:
		return (1 + (size_t)(v >> 3)) * FZ_SLAB + 12345;
	case 6: {
		const size_t rel[] = { 0, (size_t)-1, 1, FZ_SLAB - 1, FZ_SLAB, -FZ_SLAB };

		b = fz_backing();
		if (sel == 1 || sel == 5)
			return b >= -rel[sel] ? b + rel[sel] : 0;
		return b + rel[sel];
	}
	default: {
		const size_t special[] = {
			0, 1, FZ_SLAB - 1, SIZE_MAX - 1, (size_t)1 << 40, SIZE_MAX - FZ_SLAB,
		};

		return special[sel];
	}
	}
}

/* --- helpers --- */

static bool
socket_valid(int socket_id)
{
	return socket_id == SOCKET_ID_ANY || fz_socket_index(socket_id) >= 0;
}

static int
socket_resolve(int socket_id)
{
	return socket_id == SOCKET_ID_ANY ? fz_local_socket() : socket_id;
}

/* The errors the documented table allows for these allocation arguments; 0: valid. */
static unsigned int
arg_errors(size_t size, size_t align, unsigned int flags, int socket_id)
{
	unsigned int e = 0;

	if (size > FZ_MAX_SIZE)
		e |= FZ_E2BIG;
	/* a power of two above the largest class is too big, as a size would be */
	if ((align & (align - 1)) != 0)
		e |= FZ_EINVAL;
	else if (align > FZ_MAX_SIZE)
		e |= FZ_E2BIG;
	if ((flags & ~RTE_FASTMEM_F_ZERO) != 0)
		e |= FZ_EINVAL;
	if (!socket_valid(socket_id))
		e |= FZ_EINVAL;
	return e;
}

/* How many of n objects of class cls fit in the bounds of the live set. */
static unsigned int
room_for(unsigned int n, unsigned int cls)
{
	size_t by_bytes = (FZ_MAX_LIVE_BYTES - fz.live_bytes) / fz_class_size(cls);

	n = RTE_MIN(n, FZ_MAX_LIVE - fz.n);
	return (unsigned int)RTE_MIN((size_t)n, by_bytes);
}

/* A call returning a pointer failed: it had to, with one of the errors in errs. */
static void
check_null(const void *p, unsigned int errs, const char *call)
{
	FZ_CHECK(p == NULL, "%s returned %p, expected an error (set 0x%x)", call, p, errs);
	FZ_CHECK((err_bit(rte_errno) & errs) != 0, "%s returned NULL with rte_errno %d (%s), "
			"expected error set 0x%x", call, rte_errno, rte_strerror(rte_errno), errs);
}

/* A call returning an int failed: it had to, with -e and rte_errno e, e in errs. */
static void
check_ret(int ret, unsigned int errs, const char *call)
{
	FZ_CHECK(ret < 0 && (err_bit(-ret) & errs) != 0, "%s returned %d, expected an error "
			"(set 0x%x)", call, ret, errs);
	FZ_CHECK(rte_errno == -ret, "%s returned %d but rte_errno is %d", call, ret, rte_errno);
}

/* A new object of a successful allocation: place, zero, record, fill. */
static void
take_new(void *p, size_t size, size_t align, unsigned int flags, unsigned int cls,
		int socket_id)
{
	struct fz_obj *o;

	fz_check_new(p, cls, align);
	if (flags & RTE_FASTMEM_F_ZERO)
		fz_check_zero(p, size);
	o = fz_add(p, size, cls, socket_id);
	fz_fill(o);
	fz.allocs[fz_cur_ctx][cls]++;
}

static void
free_idx(unsigned int idx)
{
	const struct fz_obj *o = &fz.objs[idx];

	fz_verify(o, o->size, "before free");
	fz.frees[fz_cur_ctx][o->cls]++;
	fz_remove(idx);
}

/* --- allocation --- */

static void
op_alloc(struct fz_in *in, bool with_socket)
{
	size_t size = in_size(in), align = in_align(in);
	unsigned int flags = in_flags(in), cls = 0, errs;
	int socket_id = with_socket ? in_socket(in) : SOCKET_ID_ANY;
	const char *call = with_socket ? "rte_fastmem_alloc_socket()" : "rte_fastmem_alloc()";
	void *p;

	errs = arg_errors(size, align, flags, socket_id);
	if (errs == 0) {
		cls = fz_class_of(size, align);
		if (room_for(1, cls) == 0)
			return;
	}
	rte_errno = FZ_ERRNO_SENTINEL;
	if (with_socket)
		p = rte_fastmem_alloc_socket(size, align, flags, socket_id);
	else
		p = rte_fastmem_alloc(size, align, flags);
	TRACE("%s(%zu, %zu, 0x%x, %d) = %p, rte_errno %d", call, size, align, flags,
			socket_id, p, p == NULL ? rte_errno : 0);
	if (errs != 0) {
		check_null(p, errs, call);
		return;
	}
	if (p == NULL) {
		FZ_CHECK(rte_errno == ENOMEM, "%s(%zu, %zu, 0x%x, %d) failed with rte_errno %d "
				"(%s)", call, size, align, flags, socket_id, rte_errno,
				rte_strerror(rte_errno));
		FZ_CHECK(fz_nomem_ok(socket_resolve(socket_id), cls, 1), "%s(%zu, %zu, 0x%x, "
				"%d): ENOMEM although the limit allows it", call, size, align,
				flags, socket_id);
		fz.nomem[fz_cur_ctx][cls]++;
		return;
	}
	take_new(p, size, align, flags, cls, socket_resolve(socket_id));
}

static void
op_alloc_bulk(struct fz_in *in, bool with_socket)
{
	static void *ptrs[FZ_MAX_BULK + 1];
	unsigned int n = in_count(in), flags, cls = 0, errs, i;
	size_t size = in_size(in), align = in_align(in);
	const char *call = with_socket ? "rte_fastmem_alloc_bulk_socket()" :
			"rte_fastmem_alloc_bulk()";
	int socket_id, ret;

	flags = in_flags(in);
	socket_id = with_socket ? in_socket(in) : SOCKET_ID_ANY;
	errs = arg_errors(size, align, flags, socket_id);
	if (errs == 0 && n > 0) {
		cls = fz_class_of(size, align);
		n = room_for(n, cls);
		if (n == 0)
			return;
	}
	for (i = 0; i <= n; i++)
		ptrs[i] = RTE_PTR_ADD(NULL, 0xdead0 + i);
	rte_errno = FZ_ERRNO_SENTINEL;
	if (with_socket)
		ret = rte_fastmem_alloc_bulk_socket(ptrs, n, size, align, flags, socket_id);
	else
		ret = rte_fastmem_alloc_bulk(ptrs, n, size, align, flags);
	TRACE("%s(%u, %zu, %zu, 0x%x, %d) = %d, rte_errno %d", call, n, size, align, flags,
			socket_id, ret, ret < 0 ? rte_errno : 0);
	FZ_CHECK(ptrs[n] == RTE_PTR_ADD(NULL, 0xdead0 + n), "%s wrote past %u entries",
			call, n);
	if (n == 0) {
		/* documented: n = 0 "succeeds and does nothing"; which of that and an argument
		 * error wins is not said, so both are accepted */
		if (ret != 0)
			check_ret(ret, errs, call);
		return;
	}
	if (errs != 0) {
		check_ret(ret, errs, call);
		return;
	}
	if (ret != 0) {
		check_ret(ret, FZ_ENOMEM, call);
		FZ_CHECK(fz_nomem_ok(socket_resolve(socket_id), cls, n), "%s(%u, %zu, %zu, 0x%x, "
				"%d): ENOMEM although the limit allows it", call, n, size, align,
				flags, socket_id);
		fz.nomem[fz_cur_ctx][cls]++;
		return;
	}
	for (i = 0; i < n; i++)
		take_new(ptrs[i], size, align, flags, cls, socket_resolve(socket_id));
}

/* --- free --- */

static void
op_free(struct fz_in *in)
{
	unsigned int idx = in_u16(in);
	void *p;

	if (fz.n == 0) {
		TRACE("rte_fastmem_free(NULL)");
		rte_fastmem_free(NULL);
		return;
	}
	idx %= fz.n;
	p = fz.objs[idx].ptr;
	TRACE("rte_fastmem_free(%p) class %zu B", p, fz_class_size(fz.objs[idx].cls));
	free_idx(idx);
	rte_fastmem_free(p);
}

static void
op_free_bulk(struct fz_in *in)
{
	void *arr[FZ_MAX_FREE_BULK + 8];
	unsigned int k = in_count(in), start = in_u16(in), len = 0, i;
	uint8_t nulls = in_u8(in);

	k = RTE_MIN(k, fz.n);
	k = RTE_MIN(k, (unsigned int)FZ_MAX_FREE_BULK);
	if (k == 0) {
		/* nothing live, or a count of 0: only NULL entries, or no array at all */
		for (i = 0; i < 8; i++)
			arr[i] = NULL;
		TRACE("rte_fastmem_free_bulk(NULLs, %u)", nulls % 9u);
		rte_fastmem_free_bulk(nulls & 1 ? NULL : arr, nulls & 1 ? 0 : nulls % 9u);
		return;
	}
	start %= fz.n;
	for (i = 0; i < k; i++) {
		arr[len++] = fz.objs[(start + i) % fz.n].ptr;
		if (i < 8 && (nulls & RTE_BIT32(i)))
			arr[len++] = NULL;
	}
	for (i = 0; i < len; i++) {
		int idx;

		if (arr[i] == NULL)
			continue;
		idx = fz_find(arr[i]);
		FZ_CHECK(idx >= 0, "model: lost object %p", arr[i]);
		free_idx((unsigned int)idx);
	}
	TRACE("rte_fastmem_free_bulk(%u entries, %u objects)", len, k);
	rte_fastmem_free_bulk(arr, len);
}

/* --- realloc --- */

static void
op_realloc(struct fz_in *in)
{
	unsigned int idx = in_u16(in), cls, errs;
	size_t size = in_size(in), align = in_align(in), keep;
	struct fz_obj old, *o;
	void *q;
	int i;

	if (idx == 0xffff || fz.n == 0) {
		if (size == 0) {
			/* documented: nothing to free, nothing asked for */
			rte_errno = FZ_ERRNO_SENTINEL;
			q = rte_fastmem_realloc(NULL, 0, align);
			TRACE("rte_fastmem_realloc(NULL, 0, %zu) = %p", align, q);
			FZ_CHECK(q == NULL && rte_errno == FZ_ERRNO_SENTINEL,
					"rte_fastmem_realloc(NULL, 0) = %p, rte_errno %d", q,
					rte_errno);
			return;
		}
		/* documented: NULL allocates on the calling thread's socket */
		errs = arg_errors(size, align, 0, SOCKET_ID_ANY);
		cls = errs == 0 ? fz_class_of(size, align) : 0;
		if (errs == 0 && room_for(1, cls) == 0)
			return;
		rte_errno = FZ_ERRNO_SENTINEL;
		q = rte_fastmem_realloc(NULL, size, align);
		TRACE("rte_fastmem_realloc(NULL, %zu, %zu) = %p", size, align, q);
		if (errs != 0) {
			check_null(q, errs, "rte_fastmem_realloc(NULL)");
		} else if (q == NULL) {
			FZ_CHECK(rte_errno == ENOMEM, "rte_fastmem_realloc(NULL, %zu, %zu): "
					"rte_errno %d", size, align, rte_errno);
			FZ_CHECK(fz_nomem_ok(fz_local_socket(), cls, 1), "rte_fastmem_realloc("
					"NULL, %zu, %zu): ENOMEM although the limit allows it",
					size, align);
			fz.nomem[fz_cur_ctx][cls]++;
		} else {
			take_new(q, size, align, 0, cls, fz_local_socket());
		}
		return;
	}
	idx %= fz.n;
	old = fz.objs[idx];
	errs = arg_errors(size, align, 0, SOCKET_ID_ANY);
	cls = errs == 0 ? fz_class_of(size, align) : 0;
	if (errs == 0 && cls != old.cls && room_for(1, cls) == 0)
		return;
	fz_verify(&old, old.size, "before realloc");
	rte_errno = FZ_ERRNO_SENTINEL;
	q = rte_fastmem_realloc(old.ptr, size, align);
	TRACE("rte_fastmem_realloc(%p class %zu B, %zu, %zu) = %p", (void *)old.ptr,
			fz_class_size(old.cls), size, align, q);
	if (errs != 0) {
		check_null(q, errs, "rte_fastmem_realloc()");
		fz_verify(&old, old.size, "after a failed realloc");
		return;
	}
	if (size == 0) {
		/* documented: the object is freed, NULL returned, no error */
		FZ_CHECK(q == NULL && rte_errno == FZ_ERRNO_SENTINEL, "rte_fastmem_realloc(%p, 0)"
				" = %p, rte_errno %d", (void *)old.ptr, q, rte_errno);
		fz.frees[fz_cur_ctx][old.cls]++;
		fz_remove(idx);
		return;
	}
	keep = RTE_MIN(old.size, size);
	if (q == NULL) {
		FZ_CHECK(cls != old.cls, "rte_fastmem_realloc(%p, %zu, %zu) failed within its "
				"class (rte_errno %d)", (void *)old.ptr, size, align, rte_errno);
		FZ_CHECK(rte_errno == ENOMEM, "rte_fastmem_realloc(%p, %zu, %zu): rte_errno %d",
				(void *)old.ptr, size, align, rte_errno);
		FZ_CHECK(fz_nomem_ok(old.socket_id, cls, 1), "rte_fastmem_realloc(%p, %zu, %zu):"
				" ENOMEM although the limit allows it", (void *)old.ptr, size,
				align);
		fz.nomem[fz_cur_ctx][cls]++;
		fz_verify(&old, old.size, "after a failed realloc");
		return;
	}
	if (cls == old.cls) {
		FZ_CHECK(q == old.ptr, "rte_fastmem_realloc(%p, %zu, %zu) moved the object to %p "
				"within its class %zu B", (void *)old.ptr, size, align, q,
				fz_class_size(cls));
		fz_verify(&old, keep, "after realloc in place");
		o = &fz.objs[idx];
		o->size = size;
		fz_fill(o);
		return;
	}
	FZ_CHECK(q != old.ptr, "rte_fastmem_realloc(%p, %zu, %zu) kept the object of class "
			"%zu B for class %zu B", (void *)old.ptr, size, align,
			fz_class_size(old.cls), fz_class_size(cls));
	fz_check_new(q, cls, align);
	FZ_CHECK((uintptr_t)q + fz_class_size(cls) <= (uintptr_t)old.ptr ||
			(uintptr_t)old.ptr + fz_class_size(old.cls) <= (uintptr_t)q,
			"rte_fastmem_realloc(%p): the new object %p overlaps the old one",
			(void *)old.ptr, q);
	/* the old contents, up to the smaller of the two sizes, moved with the object */
	old.ptr = q;
	fz_verify(&old, keep, "after realloc to a new class");
	fz.frees[fz_cur_ctx][old.cls]++;
	fz_remove(idx);
	o = fz_add(q, size, cls, old.socket_id);
	fz.allocs[fz_cur_ctx][cls]++;
	fz_fill(o);
	i = fz_find(q);
	FZ_CHECK(i >= 0, "model: lost object %p", q);
}

/* --- caches, reservation, limits --- */

static void
op_cache_flush(void)
{
	struct rte_fastmem_lcore_stats l;
	unsigned int lcore_id = rte_lcore_id();

	TRACE("rte_fastmem_cache_flush()");
	rte_fastmem_cache_flush();
	if (lcore_id >= RTE_MAX_LCORE)
		return;
	FZ_CHECK(rte_fastmem_stats_lcore(lcore_id, &l) == 0, "rte_fastmem_stats_lcore()");
	FZ_CHECK(l.bytes_cached == 0, "lcore %u still caches %" PRIu64 " B after "
			"rte_fastmem_cache_flush()", lcore_id, l.bytes_cached);
}

static void
op_reserve(struct fz_in *in)
{
	size_t size = in_rsize(in), before, after, limit, rounded, need;
	int socket_id = in_socket(in), si, ret;
	bool over;

	if (size == 0 || !socket_valid(socket_id)) {
		rte_errno = FZ_ERRNO_SENTINEL;
		before = fz_backing();
		ret = rte_fastmem_reserve(size, socket_id);
		TRACE("rte_fastmem_reserve(%zu, %d) = %d", size, socket_id, ret);
		check_ret(ret, FZ_EINVAL, "rte_fastmem_reserve()");
		FZ_CHECK(fz_backing() == before, "a failed rte_fastmem_reserve() reserved memory");
		return;
	}
	si = fz_socket_index(socket_resolve(socket_id));
	before = fz_backing();
	limit = fz_limit_floor(fz.limits[si]);
	over = size > SIZE_MAX - (FZ_SLAB - 1);
	rounded = over ? SIZE_MAX : RTE_ALIGN_CEIL(size, FZ_SLAB);
	/* documented: the reservation reaches size in total; only what is missing is added */
	need = rounded > fz.reserved ? rounded - fz.reserved : 0;
	over = need > 0 && (over || before > limit || need > limit - before);
	if (!fz.strict && !over && rounded > FZ_MAX_BACKING)
		return;
	if (!over && before + need > FZ_MAX_BACKING)
		return; /* would eat EAL memory; fastmem never gives it back before deinit */
	rte_errno = FZ_ERRNO_SENTINEL;
	ret = rte_fastmem_reserve(size, socket_id);
	after = fz_backing();
	TRACE("rte_fastmem_reserve(%zu, %d) = %d: backing %zu -> %zu B", size, socket_id, ret,
			before, after);
	if (!fz.strict) {
		FZ_CHECK(ret == 0 || ret == -ENOMEM, "rte_fastmem_reserve() returned %d", ret);
		return;
	}
	if (over) {
		check_ret(ret, FZ_ENOMEM, "rte_fastmem_reserve() beyond the limit");
		FZ_CHECK(after == before, "rte_fastmem_reserve() beyond the limit reserved "
				"%zu B", after - before);
		return;
	}
	if (ret != 0) {
		check_ret(ret, FZ_ENOMEM, "rte_fastmem_reserve()");
		FZ_CHECK(!fz_eal_can_give_slab(socket_resolve(socket_id)),
				"rte_fastmem_reserve(%zu, %d) failed within the limit while EAL "
				"has memory", size, socket_id);
		return;
	}
	FZ_CHECK(after == before + need && (need == 0 || after <= limit),
			"rte_fastmem_reserve(%zu): backing went from %zu to %zu B (limit %zu B, "
			"%zu B reserved before)", size, before, after, limit, fz.reserved);
	fz.reserved = RTE_MAX(fz.reserved, rounded);
}

static void
op_set_limit(struct fz_in *in)
{
	int socket_id = in_socket(in), ret;
	size_t max = in_limit(in), backing = fz_backing();
	unsigned int i;

	rte_errno = FZ_ERRNO_SENTINEL;
	ret = rte_fastmem_set_limit(socket_id, max);
	TRACE("rte_fastmem_set_limit(%d, %zu) = %d (backing %zu B)", socket_id, max, ret,
			backing);
	if (!socket_valid(socket_id)) {
		check_ret(ret, FZ_EINVAL, "rte_fastmem_set_limit()");
		return;
	}
	/* documented: accepted even below the backing memory, which it only stops growing */
	FZ_CHECK(ret == 0, "rte_fastmem_set_limit(%d, %zu) returned %d (backing %zu B)",
			socket_id, max, ret, backing);
	FZ_CHECK(fz_backing() == backing, "rte_fastmem_set_limit() changed the backing memory");
	if (socket_id == SOCKET_ID_ANY) {
		for (i = 0; i < fz.n_sockets; i++) {
			fz.limits[i] = max;
			fz.limit_backing[i] = backing;
		}
		fz.default_limit = max;
	} else {
		fz.limits[fz_socket_index(socket_id)] = max;
		fz.limit_backing[fz_socket_index(socket_id)] = backing;
	}
}

static void
op_get_limit(struct fz_in *in)
{
	int socket_id = in_socket(in);
	size_t got;

	rte_errno = 0;
	got = rte_fastmem_get_limit(socket_id);
	TRACE("rte_fastmem_get_limit(%d) = %zu", socket_id, got);
	if (!socket_valid(socket_id)) {
		FZ_CHECK(got == 0 && rte_errno == EINVAL, "rte_fastmem_get_limit(%d) of an "
				"unknown socket: %zu, rte_errno %d", socket_id, got, rte_errno);
		return;
	}
	FZ_CHECK(rte_errno == 0, "rte_fastmem_get_limit(%d) set rte_errno %d", socket_id,
			rte_errno);
	if (socket_id == SOCKET_ID_ANY)
		FZ_CHECK(got == fz.default_limit, "rte_fastmem_get_limit(SOCKET_ID_ANY) = %zu, "
				"set %zu", got, fz.default_limit);
	else
		FZ_CHECK(got == fz.limits[fz_socket_index(socket_id)], "rte_fastmem_get_limit(%d)"
				" = %zu, set %zu", socket_id, got,
				fz.limits[fz_socket_index(socket_id)]);
}

/* --- statistics --- */

static void
op_stats_reset(void)
{
	TRACE("rte_fastmem_stats_reset()");
	rte_fastmem_stats_reset();
	fz_check_reset(false);
	fz_rebase_last();
	fz_check_stats(false);
}

/* --- handles --- */

#define FZ_BAD_HANDLE ((rte_fastmem_handle_t)0) /* documented: a wrong tag */

static struct fz_handle *
handle_add(rte_fastmem_handle_t h, size_t size, unsigned int cls, int socket_id)
{
	struct fz_handle *fh = &fz.handles[fz.next_handle];

	fz.next_handle = (fz.next_handle + 1) % FZ_MAX_HANDLES;
	if (fz.n_handles < FZ_MAX_HANDLES)
		fz.n_handles++;
	fh->h = h;
	fh->size = size;
	fh->cls = cls;
	fh->socket_id = socket_id;
	return fh;
}

/* A handle of the table, or NULL for the bad handle (byte 0xf0 and up, or none yet). */
static const struct fz_handle *
in_handle(struct fz_in *in)
{
	uint8_t v = in_u8(in);

	if (v >= 0xf0 || fz.n_handles == 0)
		return NULL;
	return &fz.handles[v % fz.n_handles];
}

/* A handle of class cls and socket socket_id: from the table, or looked up. */
static rte_fastmem_handle_t
handle_for(unsigned int cls, int socket_id)
{
	size_t cs = fz_class_size(cls);
	rte_fastmem_handle_t h;
	unsigned int i;
	int ret;

	for (i = 0; i < fz.n_handles; i++)
		if (fz.handles[i].cls == cls && fz.handles[i].socket_id == socket_id)
			return fz.handles[i].h;
	ret = rte_fastmem_hlookup(cs, fz_class_align(cls), socket_id, &h);
	FZ_CHECK(ret == 0, "rte_fastmem_hlookup(%zu, %zu, %d) = %d", cs, fz_class_align(cls),
			socket_id, ret);
	handle_add(h, cs, cls, socket_id);
	return h;
}

static void
op_hlookup(struct fz_in *in)
{
	size_t size = in_size(in), align = in_align(in);
	int socket_id = in_socket(in), ret;
	unsigned int errs = arg_errors(size, align, 0, socket_id);
	rte_fastmem_handle_t h = FZ_BAD_HANDLE;

	rte_errno = FZ_ERRNO_SENTINEL;
	ret = rte_fastmem_hlookup(size, align, socket_id, &h);
	TRACE("rte_fastmem_hlookup(%zu, %zu, %d) = %d, handle 0x%x", size, align, socket_id,
			ret, h);
	if (errs != 0) {
		check_ret(ret, errs, "rte_fastmem_hlookup()");
		return;
	}
	FZ_CHECK(ret == 0, "rte_fastmem_hlookup(%zu, %zu, %d) = %d", size, align, socket_id,
			ret);
	FZ_CHECK(h != FZ_BAD_HANDLE, "rte_fastmem_hlookup() gave the handle 0");
	handle_add(h, size, fz_class_of(size, align), socket_resolve(socket_id));
}

static void
take_new_h(void *p, const struct fz_handle *fh, unsigned int flags)
{
	struct fz_obj *o;

	fz_check_new(p, fh->cls, 0);
	/* documented: halloc's RTE_FASTMEM_F_ZERO zeroes the whole object */
	if (flags & RTE_FASTMEM_F_ZERO)
		fz_check_zero(p, fz_class_size(fh->cls));
	o = fz_add(p, fh->size, fh->cls, fh->socket_id);
	fz_fill(o);
	fz.allocs[fz_cur_ctx][fh->cls]++;
}

static void
op_halloc(struct fz_in *in, bool bulk)
{
	static void *ptrs[FZ_MAX_BULK + 1];
	const struct fz_handle *fh = in_handle(in);
	unsigned int n = bulk ? in_count(in) : 1, flags = in_flags(in), errs = 0, i;
	rte_fastmem_handle_t h = fh != NULL ? fh->h : FZ_BAD_HANDLE;
	const char *call = bulk ? "rte_fastmem_halloc_bulk()" : "rte_fastmem_halloc()";
	int ret;
	void *p;

	if (fh == NULL || (flags & ~RTE_FASTMEM_F_ZERO) != 0)
		errs = FZ_EINVAL;
	if (errs == 0) {
		n = bulk ? room_for(n, fh->cls) : room_for(1, fh->cls);
		if (n == 0 && (!bulk || room_for(1, fh->cls) == 0))
			return;
	}
	rte_errno = FZ_ERRNO_SENTINEL;
	if (bulk) {
		ptrs[n] = RTE_PTR_ADD(NULL, 0xdead0);
		ret = rte_fastmem_halloc_bulk(h, ptrs, n, flags);
		p = NULL;
		FZ_CHECK(ptrs[n] == RTE_PTR_ADD(NULL, 0xdead0), "%s wrote past %u entries",
				call, n);
	} else {
		p = rte_fastmem_halloc(h, flags);
		ret = p != NULL ? 0 : -rte_errno;
	}
	TRACE("%s(0x%x class %zu B, %u, 0x%x) = %d %p", call, h,
			fh != NULL ? fz_class_size(fh->cls) : 0, n, flags, ret, p);
	if (errs != 0) {
		if (bulk)
			check_ret(ret, errs, call);
		else
			check_null(p, errs, call);
		return;
	}
	if (ret != 0) {
		FZ_CHECK(ret == -ENOMEM && rte_errno == ENOMEM, "%s: %d, rte_errno %d", call,
				ret, rte_errno);
		FZ_CHECK(n > 0, "%s of 0 objects failed", call);
		/* documented: no other socket is tried */
		FZ_CHECK(fz_nomem_ok(fh->socket_id, fh->cls, n), "%s(%u): ENOMEM although the "
				"limit allows it", call, n);
		fz.nomem[fz_cur_ctx][fh->cls]++;
		return;
	}
	if (!bulk) {
		take_new_h(p, fh, flags);
		return;
	}
	for (i = 0; i < n; i++)
		take_new_h(ptrs[i], fh, flags);
}

static void
op_hfree(struct fz_in *in, bool bulk)
{
	void *arr[FZ_MAX_FREE_BULK];
	unsigned int idx = in_u16(in), k = bulk ? in_count(in) : 1, len = 0, i;
	bool bad = in_u8(in) >= 0xf0;
	const struct fz_obj *o;
	rte_fastmem_handle_t h;

	if (fz.n == 0)
		return;
	idx %= fz.n;
	o = &fz.objs[idx];
	h = bad ? FZ_BAD_HANDLE : handle_for(o->cls, o->socket_id);
	/* objects of the same class and socket, from idx on */
	for (i = 0; i < fz.n && len < RTE_MIN(k, (unsigned int)FZ_MAX_FREE_BULK); i++) {
		const struct fz_obj *x = &fz.objs[(idx + i) % fz.n];

		if (x->cls == o->cls && x->socket_id == o->socket_id)
			arr[len++] = x->ptr;
	}
	if (len == 0)
		return; /* a count of 0 */
	rte_errno = FZ_ERRNO_SENTINEL;
	TRACE("rte_fastmem_hfree%s(0x%x, %u objects of class %zu B)", bulk ? "_bulk" : "", h,
			len, fz_class_size(o->cls));
	if (bad) {
		/* documented: nothing is freed, rte_errno EINVAL */
		if (bulk)
			rte_fastmem_hfree_bulk(h, arr, len);
		else
			rte_fastmem_hfree(h, arr[0]);
		FZ_CHECK(rte_errno == EINVAL, "rte_fastmem_hfree() with a bad handle: rte_errno "
				"%d", rte_errno);
		return;
	}
	for (i = 0; i < len; i++) {
		int j = fz_find(arr[i]);

		FZ_CHECK(j >= 0, "model: lost object %p", arr[i]);
		free_idx((unsigned int)j);
	}
	if (bulk)
		rte_fastmem_hfree_bulk(h, arr, len);
	else
		rte_fastmem_hfree(h, arr[0]);
}

/* --- giving memory back --- */

static void
op_trim(struct fz_in *in)
{
	int socket_id = in_socket(in), ret;
	bool with_released = in_u8(in) & 1;
	size_t released = 12345, before = fz_backing(), after;

	rte_errno = FZ_ERRNO_SENTINEL;
	ret = rte_fastmem_trim(socket_id, with_released ? &released : NULL);
	after = fz_backing();
	TRACE("rte_fastmem_trim(%d) = %d, released %zu: backing %zu -> %zu B", socket_id, ret,
			with_released ? released : 0, before, after);
	if (!socket_valid(socket_id)) {
		check_ret(ret, FZ_EINVAL, "rte_fastmem_trim()");
		FZ_CHECK(after == before, "a failed rte_fastmem_trim() released memory");
		return;
	}
	FZ_CHECK(ret >= 0, "rte_fastmem_trim(%d) = %d", socket_id, ret);
	FZ_CHECK(after <= before, "rte_fastmem_trim() grew the backing memory");
	if (with_released) {
		FZ_CHECK(released % FZ_SLAB == 0 && (ret == 0) == (released == 0),
				"rte_fastmem_trim() = %d, released %zu B", ret, released);
		if (fz.strict)
			FZ_CHECK(before - after == released, "rte_fastmem_trim() released %zu B,"
					" backing went from %zu to %zu B", released, before, after);
	}
	/* documented: never below what was reserved */
	if (fz.strict)
		FZ_CHECK(after >= RTE_MIN(before, fz.reserved), "rte_fastmem_trim() left %zu B "
				"of backing memory, %zu B were reserved", after, fz.reserved);
}

static void
op_set_trim_threshold(struct fz_in *in)
{
	int socket_id = in_socket(in), ret;
	size_t bytes = in_limit(in), before = fz_backing(), after;

	rte_errno = FZ_ERRNO_SENTINEL;
	ret = rte_fastmem_set_trim_threshold(socket_id, bytes);
	after = fz_backing();
	TRACE("rte_fastmem_set_trim_threshold(%d, %zu) = %d: backing %zu -> %zu B", socket_id,
			bytes, ret, before, after);
	if (!socket_valid(socket_id)) {
		check_ret(ret, FZ_EINVAL, "rte_fastmem_set_trim_threshold()");
		return;
	}
	FZ_CHECK(ret == 0, "rte_fastmem_set_trim_threshold(%d, %zu) = %d", socket_id, bytes,
			ret);
	FZ_CHECK(after <= before, "rte_fastmem_set_trim_threshold() grew the backing memory");
	if (fz.strict)
		FZ_CHECK(after >= RTE_MIN(before, fz.reserved), "automatic trim left %zu B of "
				"backing memory, %zu B were reserved", after, fz.reserved);
}

/* --- contents, addresses, misuse --- */

static void
op_verify(struct fz_in *in)
{
	unsigned int k = 1 + in_u8(in) % 16u, start = in_u16(in), i;

	if (fz.n == 0)
		return;
	k = RTE_MIN(k, fz.n);
	for (i = 0; i < k; i++)
		fz_verify(&fz.objs[(start + i) % fz.n], fz.objs[(start + i) % fz.n].size,
				"verify");
}

static void
op_virt2iova(struct fz_in *in)
{
	unsigned int idx = in_u16(in), off = in_u16(in);
	const struct rte_memseg *ms;
	rte_iova_t got, want;
	const struct fz_obj *o;
	uint8_t *p;

	if (fz.n == 0) {
		FZ_CHECK(rte_fastmem_virt2iova(NULL) == RTE_BAD_IOVA, "virt2iova(NULL)");
		return;
	}
	o = &fz.objs[idx % fz.n];
	p = o->ptr + off % fz_class_size(o->cls);
	got = rte_fastmem_virt2iova(p);
	TRACE("rte_fastmem_virt2iova(%p) = 0x%" PRIx64, (void *)p, got);
	ms = rte_mem_virt2memseg(p, NULL);
	FZ_CHECK(ms != NULL, "object %p is not in EAL memory", (void *)p);
	want = ms->iova == RTE_BAD_IOVA ? RTE_BAD_IOVA :
			ms->iova + (rte_iova_t)RTE_PTR_DIFF(p, ms->addr);
	FZ_CHECK(got == want, "rte_fastmem_virt2iova(%p) = 0x%" PRIx64 ", EAL says 0x%" PRIx64,
			(void *)p, got, want);
}

static void
op_misuse(struct fz_in *in)
{
	static const size_t bad_class[] = { 0, 1, 7, 9, 20, 100, 2 * FZ_MIB, SIZE_MAX };
	unsigned int what = in_u8(in) % 11u;
	size_t size = in_size(in), sizes[RTE_FASTMEM_MAX_CLASSES], bc;
	struct rte_fastmem_lcore_class_stats lcs;
	struct rte_fastmem_class_stats cs;
	struct rte_fastmem_lcore_stats ls;
	unsigned int n, i;
	int ret;

	bc = bad_class[size % RTE_DIM(bad_class)];
	rte_errno = FZ_ERRNO_SENTINEL;
	TRACE("misuse %u (%zu)", what, size);
	switch (what) {
	case 0:
		rte_fastmem_free(NULL);
		rte_fastmem_free_bulk(NULL, 0);
		break;
	case 1:
		/* NULL array: fine with n = 0, EINVAL with n > 0 */
		ret = rte_fastmem_alloc_bulk(NULL, 0, 64, 0, 0);
		FZ_CHECK(ret == 0, "rte_fastmem_alloc_bulk(NULL, 0) = %d", ret);
		ret = rte_fastmem_alloc_bulk_socket(NULL, 1 + size % 4, 64, 0, 0, SOCKET_ID_ANY);
		check_ret(ret, FZ_EINVAL, "rte_fastmem_alloc_bulk_socket(NULL, n > 0)");
		break;
	case 2:
		check_ret(rte_fastmem_stats(NULL), FZ_EINVAL, "rte_fastmem_stats(NULL)");
		check_ret(rte_fastmem_stats_class(64, NULL), FZ_EINVAL,
				"rte_fastmem_stats_class(NULL)");
		check_ret(rte_fastmem_stats_lcore(0, NULL), FZ_EINVAL,
				"rte_fastmem_stats_lcore(NULL)");
		check_ret(rte_fastmem_stats_lcore_class(0, 64, NULL), FZ_EINVAL,
				"rte_fastmem_stats_lcore_class(NULL)");
		check_ret(rte_fastmem_stats_shared(NULL), FZ_EINVAL,
				"rte_fastmem_stats_shared(NULL)");
		check_ret(rte_fastmem_stats_shared_class(64, NULL), FZ_EINVAL,
				"rte_fastmem_stats_shared_class(NULL)");
		break;
	case 3:
		check_ret(rte_fastmem_stats_class(bc, &cs), FZ_EINVAL,
				"rte_fastmem_stats_class(not a class size)");
		check_ret(rte_fastmem_stats_lcore_class(0, bc, &lcs), FZ_EINVAL,
				"rte_fastmem_stats_lcore_class(not a class size)");
		check_ret(rte_fastmem_stats_shared_class(bc, &lcs), FZ_EINVAL,
				"rte_fastmem_stats_shared_class(not a class size)");
		break;
	case 4:
		check_ret(rte_fastmem_stats_lcore(RTE_MAX_LCORE + (unsigned int)size % 3, &ls),
				FZ_EINVAL, "rte_fastmem_stats_lcore(bad lcore)");
		check_ret(rte_fastmem_stats_lcore(UINT32_MAX, &ls), FZ_EINVAL,
				"rte_fastmem_stats_lcore(UINT32_MAX)");
		check_ret(rte_fastmem_stats_lcore_class(RTE_MAX_LCORE, 64, &lcs), FZ_EINVAL,
				"rte_fastmem_stats_lcore_class(bad lcore)");
		break;
	case 5:
		if (fz_cur_ctx != FZ_CTX_MAIN)
			break; /* init is not MT-safe with the other functions */
		check_ret(rte_fastmem_init(), FZ_EBUSY, "rte_fastmem_init() when initialized");
		break;
	case 6:
		FZ_CHECK(rte_fastmem_virt2iova(NULL) == RTE_BAD_IOVA, "virt2iova(NULL)");
		break;
	case 7:
		n = rte_fastmem_classes(NULL);
		FZ_CHECK(n == FZ_NCLS, "rte_fastmem_classes() = %u", n);
		FZ_CHECK(rte_fastmem_classes(sizes) == n, "rte_fastmem_classes(sizes)");
		for (i = 0; i < n; i++)
			FZ_CHECK(sizes[i] == fz_class_size(i), "class %u is %zu B", i, sizes[i]);
		FZ_CHECK(rte_fastmem_max_size() == FZ_MAX_SIZE, "rte_fastmem_max_size()");
		break;
	case 8:
		rte_fastmem_dump(fz_devnull);
		break;
	case 9:
		check_ret(rte_fastmem_hlookup(64, 0, SOCKET_ID_ANY, NULL), FZ_EINVAL,
				"rte_fastmem_hlookup(NULL)");
		break;
	default:
		/* free_bulk of NULL entries only */
		sizes[0] = 0;
		rte_fastmem_free_bulk((void **)sizes, 1);
		break;
	}
}

/* --- other threads --- */

struct fz_sub {
	struct fz_in *in;
	unsigned int nops;
};

static void run_ops(struct fz_in *in, unsigned int max_ops);

static int
worker_main(void *arg)
{
	struct fz_sub *sub = arg;

	run_ops(sub->in, sub->nops);
	return 0;
}

/* The thread without lcore id: runs thread_sub when woken, forever. */
static pthread_mutex_t thread_mtx = PTHREAD_MUTEX_INITIALIZER;
static pthread_cond_t thread_cv = PTHREAD_COND_INITIALIZER;
static struct fz_sub *thread_sub; /* under thread_mtx: the work, NULL once done */
static bool thread_started;

static void *
thread_main(void *arg __rte_unused)
{
	pthread_mutex_lock(&thread_mtx);
	for (;;) {
		while (thread_sub == NULL)
			pthread_cond_wait(&thread_cv, &thread_mtx);
		run_ops(thread_sub->in, thread_sub->nops);
		thread_sub = NULL;
		pthread_cond_broadcast(&thread_cv);
	}
	return NULL;
}

/* Wait for lcore 1, which shares the main lcore's CPU: yield it instead of spinning. */
static void
worker_wait(void)
{
	while (rte_eal_get_lcore_state(FZ_WORKER_LCORE) == RUNNING)
		sched_yield();
	rte_eal_wait_lcore(FZ_WORKER_LCORE);
}

static int
worker_flush(void *arg __rte_unused)
{
	rte_fastmem_cache_flush();
	return 0;
}

static void
op_on_worker(struct fz_in *in)
{
	struct fz_sub sub = { .in = in, .nops = 1 + in_u8(in) % 16u };

	if (fz_cur_ctx != FZ_CTX_MAIN)
		return;
	fz.worker_used = true;
	fz_cur_ctx = FZ_CTX_WORKER;
	FZ_CHECK(rte_eal_remote_launch(worker_main, &sub, FZ_WORKER_LCORE) == 0,
			"cannot launch on lcore %u", FZ_WORKER_LCORE);
	worker_wait();
	fz_cur_ctx = FZ_CTX_MAIN;
}

static void
op_on_thread(struct fz_in *in)
{
	struct fz_sub sub = { .in = in, .nops = 1 + in_u8(in) % 16u };
	pthread_t t;

	if (fz_cur_ctx != FZ_CTX_MAIN)
		return;
	if (!thread_started) {
		FZ_CHECK(pthread_create(&t, NULL, thread_main, NULL) == 0, "pthread_create()");
		FZ_CHECK(pthread_detach(t) == 0, "pthread_detach()");
		thread_started = true;
	}
	fz_cur_ctx = FZ_CTX_THREAD;
	pthread_mutex_lock(&thread_mtx);
	thread_sub = &sub;
	pthread_cond_broadcast(&thread_cv);
	while (thread_sub != NULL)
		pthread_cond_wait(&thread_cv, &thread_mtx);
	pthread_mutex_unlock(&thread_mtx);
	fz_cur_ctx = FZ_CTX_MAIN;
}

/* --- lifecycle --- */

/* fastmem was just initialized (full) or reset: the model starts over. */
static void
model_init_done(bool full)
{
	unsigned int i;
	size_t l;

	fz.initialized = true;
	fz_forget_all();
	fz.reserved = 0;
	fz.n_handles = 0;
	fz.next_handle = 0;
	for (i = 0; i < fz.n_sockets; i++) {
		fz.limits[i] = SIZE_MAX;
		fz.limit_backing[i] = 0;
	}
	fz.default_limit = SIZE_MAX;
	FZ_CHECK(fz_backing() == 0, "fastmem holds backing memory right after init");
	rte_errno = 0;
	l = rte_fastmem_get_limit(SOCKET_ID_ANY);
	FZ_CHECK(l == SIZE_MAX && rte_errno == 0, "default limit after init: %zu", l);
	for (i = 0; i < fz.n_sockets; i++) {
		l = rte_fastmem_get_limit(fz.sockets[i]);
		FZ_CHECK(l == SIZE_MAX, "limit of socket %d after init: %zu", fz.sockets[i], l);
	}
	fz_check_reset(full); /* a fresh state counts nothing */
	fz_untouch_all();
	fz_rebase_last();
}

/* Every function of fastmem, deinitialized: ENODEV or a no-op. */
static void
check_uninitialized(void *const *stale, unsigned int n_stale, unsigned int n_handles,
		rte_fastmem_handle_t old_h)
{
	rte_fastmem_handle_t h;
	struct rte_fastmem_lcore_class_stats lcs;
	struct rte_fastmem_class_stats cs;
	struct rte_fastmem_lcore_stats ls;
	struct rte_fastmem_stats s;
	void *ptrs[2];
	unsigned int i;
	size_t l;

	rte_errno = FZ_ERRNO_SENTINEL;
	check_null(rte_fastmem_alloc(64, 0, 0), FZ_ENODEV, "rte_fastmem_alloc()");
	check_null(rte_fastmem_alloc_socket(64, 0, 0, fz.sockets[0]), FZ_ENODEV,
			"rte_fastmem_alloc_socket()");
	check_null(rte_fastmem_realloc(NULL, 64, 0), FZ_ENODEV, "rte_fastmem_realloc(NULL)");
	check_ret(rte_fastmem_alloc_bulk(ptrs, 2, 64, 0, 0), FZ_ENODEV,
			"rte_fastmem_alloc_bulk()");
	check_ret(rte_fastmem_alloc_bulk_socket(ptrs, 1, 8, 8, 0, SOCKET_ID_ANY), FZ_ENODEV,
			"rte_fastmem_alloc_bulk_socket()");
	for (i = 0; i < n_stale; i++) {
		rte_errno = 0;
		rte_fastmem_free(stale[i]);
		FZ_CHECK(rte_errno == ENODEV, "rte_fastmem_free() of an object after deinit: "
				"rte_errno %d", rte_errno);
		FZ_CHECK(rte_fastmem_virt2iova(stale[i]) == RTE_BAD_IOVA,
				"rte_fastmem_virt2iova() after deinit");
	}
	rte_fastmem_free_bulk((void **)(uintptr_t)stale, n_stale);
	check_ret(rte_fastmem_reserve(FZ_SLAB, SOCKET_ID_ANY), FZ_ENODEV,
			"rte_fastmem_reserve()");
	check_ret(rte_fastmem_trim(SOCKET_ID_ANY, NULL), FZ_ENODEV, "rte_fastmem_trim()");
	check_ret(rte_fastmem_set_trim_threshold(SOCKET_ID_ANY, 0), FZ_ENODEV,
			"rte_fastmem_set_trim_threshold()");
	check_ret(rte_fastmem_hlookup(64, 0, SOCKET_ID_ANY, &h), FZ_ENODEV,
			"rte_fastmem_hlookup()");
	if (n_handles > 0) {
		rte_errno = 0;
		check_null(rte_fastmem_halloc(old_h, 0), FZ_ENODEV, "rte_fastmem_halloc()");
		check_ret(rte_fastmem_halloc_bulk(old_h, ptrs, 2, 0), FZ_ENODEV,
				"rte_fastmem_halloc_bulk()");
	}
	check_ret(rte_fastmem_set_limit(SOCKET_ID_ANY, 4 * FZ_SLAB), FZ_ENODEV,
			"rte_fastmem_set_limit()");
	rte_errno = 0;
	l = rte_fastmem_get_limit(SOCKET_ID_ANY);
	FZ_CHECK(l == 0 && rte_errno == ENODEV, "rte_fastmem_get_limit() after deinit: %zu, "
			"rte_errno %d", l, rte_errno);
	check_ret(rte_fastmem_stats(&s), FZ_ENODEV, "rte_fastmem_stats()");
	check_ret(rte_fastmem_stats_class(64, &cs), FZ_ENODEV, "rte_fastmem_stats_class()");
	check_ret(rte_fastmem_stats_lcore(0, &ls), FZ_ENODEV, "rte_fastmem_stats_lcore()");
	check_ret(rte_fastmem_stats_lcore_class(0, 64, &lcs), FZ_ENODEV,
			"rte_fastmem_stats_lcore_class()");
	check_ret(rte_fastmem_stats_shared(&ls), FZ_ENODEV, "rte_fastmem_stats_shared()");
	check_ret(rte_fastmem_stats_shared_class(64, &lcs), FZ_ENODEV,
			"rte_fastmem_stats_shared_class()");
	rte_fastmem_cache_flush();
	rte_fastmem_stats_reset();
	rte_fastmem_dump(fz_devnull);
	rte_fastmem_deinit();
	FZ_CHECK(rte_fastmem_max_size() == FZ_MAX_SIZE && rte_fastmem_classes(NULL) == FZ_NCLS,
			"rte_fastmem_max_size() or rte_fastmem_classes() when not initialized");
}

static void
op_reinit(struct fz_in *in)
{
	void *stale[8];
	unsigned int n_stale = RTE_MIN(fz.n, 8u), i;
	int ret;

	/* a deinit and an init cost more than any other operation: kept rare */
	if (in_u8(in) != FZ_REINIT_KEY || fz_cur_ctx != FZ_CTX_MAIN)
		return;
	rte_fastmem_handle_t old_h = fz.n_handles > 0 ? fz.handles[0].h : FZ_BAD_HANDLE;
	unsigned int n_handles = fz.n_handles;

	for (i = 0; i < n_stale; i++)
		stale[i] = fz.objs[i].ptr;
	TRACE("rte_fastmem_deinit() with %u objects live", fz.n);
	rte_fastmem_deinit();
	fz.initialized = false;
	fz_forget_all();
	check_uninitialized(stale, n_stale, n_handles, old_h);
	ret = rte_fastmem_init();
	FZ_CHECK(ret == 0, "rte_fastmem_init() after deinit: %d", ret);
	rte_errno = 0;
	check_ret(rte_fastmem_init(), FZ_EBUSY, "rte_fastmem_init() twice");
	model_init_done(true);
}

/* --- the decoder --- */

static void
run_ops(struct fz_in *in, unsigned int max_ops)
{
	unsigned int i;

	for (i = 0; i < max_ops && !in_end(in); i++) {
		uint8_t op = in_u8(in) % 32;

		fz_op_no++;
		fz_digest_add(op);
		switch (op) {
		case 0: case 24: case 25: case 26:
			op_alloc(in, false);
			break;
		case 1:
			op_alloc(in, true);
			break;
		case 2:
			op_alloc_bulk(in, false);
			break;
		case 3:
			op_alloc_bulk(in, true);
			break;
		case 4: case 28: case 29: case 30:
			op_free(in);
			break;
		case 5:
			op_free_bulk(in);
			break;
		case 6:
			op_realloc(in);
			break;
		case 7:
			op_cache_flush();
			break;
		case 8:
			op_reserve(in);
			break;
		case 9:
			op_set_limit(in);
			break;
		case 10:
			op_get_limit(in);
			break;
		case 11:
			TRACE("stats");
			fz_check_stats(false);
			break;
		case 12:
			op_stats_reset();
			break;
		case 13:
			op_verify(in);
			break;
		case 14:
			op_misuse(in);
			break;
		case 15:
			op_virt2iova(in);
			break;
		case 16:
			op_on_worker(in);
			break;
		case 17:
			op_on_thread(in);
			break;
		case 18:
			op_reinit(in);
			break;
		case 19:
			op_hlookup(in);
			break;
		case 20:
			op_halloc(in, false);
			break;
		case 21:
			op_halloc(in, true);
			break;
		case 22:
			op_hfree(in, false);
			break;
		case 23:
			op_hfree(in, true);
			break;
		case 27:
			op_trim(in);
			break;
		case 31:
			op_set_trim_threshold(in);
			break;
		default:
			/* opcodes for new calls go here, replacing duplicates of alloc/free */
			break;
		}
		fz_digest_add((uint64_t)fz.n << 32 ^ fz.live_bytes);
	}
}

/*
 * End of an input: turn automatic trimming off, free everything, flush both lcores'
 * caches, check every statistic
 * against the model (nothing is held), then reset fastmem to the state init leaves:
 * fastmem_reset() fails when anything is still out, and what it leaves is checked as an
 * init's is. The memzones stay in the park for the next input's growth, so an input costs
 * no memzone reservation and no release.
 */
static void
end_input(void)
{
	void *arr[FZ_MAX_FREE_BULK];
	unsigned int i, k;
	int ret;

	fz_op_no++;
	/* the zones the input grew go to fastmem_reset(), not to an automatic trim */
	FZ_CHECK(rte_fastmem_set_trim_threshold(SOCKET_ID_ANY, SIZE_MAX) == 0,
			"cannot turn automatic trimming off");
	while (fz.n > 0) {
		k = RTE_MIN(fz.n, (unsigned int)FZ_MAX_FREE_BULK);
		for (i = 0; i < k; i++)
			arr[i] = fz.objs[fz.n - k + i].ptr;
		for (i = 0; i < k; i++)
			free_idx(fz.n - 1);
		rte_fastmem_free_bulk(arr, k);
	}
	rte_fastmem_cache_flush();
	if (fz.worker_used) {
		FZ_CHECK(rte_eal_remote_launch(worker_flush, NULL, FZ_WORKER_LCORE) == 0,
				"cannot launch on lcore %u", FZ_WORKER_LCORE);
		worker_wait();
		fz.worker_used = false;
	}
	fz_check_stats(true);
	ret = fastmem_reset();
	FZ_CHECK(ret == 0, "fastmem_reset() = %d: the input left something behind", ret);
	model_init_done(false);
}

int
LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	struct fz_in in = { .p = data, .n = size, .off = 0 };

	fz_op_no = 0;
	fz_digest = FZ_DIGEST_SEED;
	fz_cur_ctx = FZ_CTX_MAIN;
	run_ops(&in, FZ_MAX_OPS);
	end_input();
	return 0;
}

/* --- set-up --- */

static unsigned int
first_cpu(void)
{
	cpu_set_t set;
	unsigned int c;

	if (sched_getaffinity(0, sizeof(set), &set) == 0)
		for (c = 0; c < CPU_SETSIZE; c++)
			if (CPU_ISSET(c, &set))
				return c;
	return 0;
}

int
LLVMFuzzerInitialize(int *argc __rte_unused, char ***argv __rte_unused)
{
	char lcores[64], prefix[64];
	char *eal_args[] = {
		(char *)(uintptr_t)"fastmem_fuzz", (char *)(uintptr_t)"--no-huge",
		(char *)(uintptr_t)"-m", (char *)(uintptr_t)"2048",
		(char *)(uintptr_t)"--no-pci", (char *)(uintptr_t)"--no-shconf", prefix,
		(char *)(uintptr_t)"--no-telemetry",
		(char *)(uintptr_t)"--log-level=lib.eal:error", lcores, NULL,
	};
	const char *trace = getenv("FASTMEM_FUZZ_TRACE");
	unsigned int i, cpu = first_cpu();
	int ret;

	fz_trace = trace != NULL && strcmp(trace, "0") != 0;
	snprintf(lcores, sizeof(lcores), "--lcores=0@%u,%u@%u", cpu, FZ_WORKER_LCORE, cpu);
	/* a prefix of its own: several fuzzers (libFuzzer -jobs) and tests run at once */
	snprintf(prefix, sizeof(prefix), "--file-prefix=fastmem_fuzz_%d", (int)getpid());
	ret = rte_eal_init((int)RTE_DIM(eal_args) - 1, eal_args);
	if (ret < 0) {
		fprintf(stderr, "fastmem_fuzz: rte_eal_init() failed: %s\n",
				rte_strerror(rte_errno));
		exit(1);
	}
	if (!rte_lcore_is_enabled(FZ_WORKER_LCORE) || rte_lcore_id() != 0) {
		fprintf(stderr, "fastmem_fuzz: needs lcores 0 (main) and %u\n", FZ_WORKER_LCORE);
		exit(1);
	}
	fz_devnull = fopen("/dev/null", "w");
	for (i = 0; i < rte_socket_count() && fz.n_sockets < RTE_MAX_NUMA_NODES; i++) {
		int s = rte_socket_id_by_idx(i);

		if (s >= 0 && s < RTE_MAX_NUMA_NODES)
			fz.sockets[fz.n_sockets++] = s;
	}
	if (fz.n_sockets == 0)
		fz.sockets[fz.n_sockets++] = 0;
	/* with one socket, everything fastmem holds is on it: limits and ENOMEM are exact */
	fz.strict = fz.n_sockets == 1;
	fastmem_park_set(FZ_PARK_MAX);
	ret = rte_fastmem_init();
	if (ret < 0) {
		fprintf(stderr, "fastmem_fuzz: rte_fastmem_init() failed: %d\n", ret);
		exit(1);
	}
	model_init_done(true);
	printf("fastmem_fuzz: EAL up, %u socket(s), IOVA as %s, %s checks\n", fz.n_sockets,
			rte_eal_iova_mode() == RTE_IOVA_VA ? "VA" : "PA",
			fz.strict ? "exact" : "multi-socket (lenient ENOMEM and EBUSY)");
	return 0;
}
