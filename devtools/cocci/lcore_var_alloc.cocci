// SPDX-License-Identifier: BSD-3-Clause
// Copyright(c) 2026 The dpdk-lcoremem authors
//
// Part of the third pass of devtools/lcore_var_migrate.py: puts the allocation of an
// lcore variable at the start of the function that initialises its module, before the
// rest of the rewrite (lcore_var_rewrite.cocci) changes that function.
//   -D arr=NAME       the variable
//   -D initline=L     the line of the function's name
//   -D ctor           a constructor: allocate unconditionally
//   -D lazy           any function: allocate on its first call
//   -D linealign      start the values at a cache line, as the array elements did
// Run with --macro-file lcore_var_macros.h.

virtual ctor
virtual lazy
virtual linealign

@initialize:python@
initline << virtual.initline;
@@
INITLINE = initline

@ctoralloc depends on ctor && !linealign@
identifier virtual.arr;
identifier f;
position p : script:python() { p[0].line == INITLINE };
statement S, S1;
@@
f@p(...) {
... when != S1
+ RTE_LCORE_VAR_ALLOC(arr);
S
...
}


@ctoralloc_aligned depends on ctor && linealign@
identifier virtual.arr;
identifier f;
position p : script:python() { p[0].line == INITLINE };
statement S, S1;
@@
f@p(...) {
... when != S1
+ RTE_LCORE_VAR_ALLOC_SIZE_ALIGN(arr, sizeof(*arr), RTE_CACHE_LINE_SIZE);
S
...
}


@lazyalloc depends on lazy && !linealign@
identifier virtual.arr;
identifier f;
position p : script:python() { p[0].line == INITLINE };
statement S, S1;
@@
f@p(...) {
... when != S1
+ if (arr == NULL)
+ 	RTE_LCORE_VAR_ALLOC(arr);
S
...
}

@lazyalloc_aligned depends on lazy && linealign@
identifier virtual.arr;
identifier f;
position p : script:python() { p[0].line == INITLINE };
statement S, S1;
@@
f@p(...) {
... when != S1
+ if (arr == NULL)
+ 	RTE_LCORE_VAR_ALLOC_SIZE_ALIGN(arr, sizeof(*arr), RTE_CACHE_LINE_SIZE);
S
...
}

