// SPDX-License-Identifier: BSD-3-Clause
// Copyright(c) 2026 The dpdk-lcoremem authors
//
// Third pass of devtools/lcore_var_migrate.py: rewrites one per-lcore array, which the
// driver has found safe to convert, into an lcore variable of the same name (the
// allocation, when it goes into a function, is placed before, by lcore_var_alloc.cocci).
//
// Which array and how (spatch -D options, all given by the driver):
//   -D array | -D heap      T arr[RTE_MAX_LCORE], or T *arr allocated with
//                           RTE_MAX_LCORE elements
//   -D arr=NAME             its name
//   -D val=NAME             the value pointer of the loops it converts
//   -D declvars=X1,X2       loops whose body opens with "T *x = &arr[i];" for one of
//                           these x lend x to the loop as its value pointer
//   -D initmacro            define an RTE_LCORE_VAR_INIT() constructor beside the handle
//   -D linealign            start the values at a cache line, as the array elements did
//   -D zero -D lid=NAME     (heap) zero every value when the module is initialised
//                           again, as the calloc() did; NAME is that loop's lcore id
// Every loop over all lcore ids whose body uses arr[i], and does not change i, becomes
// an RTE_LCORE_VAR_FOREACH.
//
// Run with --macro-file lcore_var_macros.h.

virtual array
virtual heap
virtual initmacro
virtual zero
virtual linealign

@initialize:python@
declvars << virtual.declvars;
@@
DECLVARS = set(declvars.split(','))

// ---------------------------------------------------------------------------------
// Allocation and release of a heap array

@heapcheck depends on heap@
identifier virtual.arr;
expression list es;
identifier fn =~ "^(rte_(zmalloc|malloc|calloc)(_socket)?|malloc|calloc)$";
statement S;
@@
arr = fn(es);
(
- if (arr == NULL) S
|
- if (!arr) S
|
- if (NULL == arr) S
)

@heapalloc_zero depends on heap && zero && !linealign@
identifier virtual.arr;
identifier virtual.val;
identifier virtual.lid;
expression list es;
identifier fn =~ "^(rte_(zmalloc|calloc)(_socket)?|calloc)$";
iterator name RTE_LCORE_VAR_FOREACH;
@@
- arr = fn(es);
+ if (arr == NULL)
+ 	RTE_LCORE_VAR_ALLOC(arr);
+ else
+ 	RTE_LCORE_VAR_FOREACH(lid, val, arr)
+ 		memset(val, 0, sizeof(*val));

@heapalloc_zero_aligned depends on heap && zero && linealign@
identifier virtual.arr;
identifier virtual.val;
identifier virtual.lid;
expression list es;
identifier fn =~ "^(rte_(zmalloc|calloc)(_socket)?|calloc)$";
iterator name RTE_LCORE_VAR_FOREACH;
@@
- arr = fn(es);
+ if (arr == NULL)
+ 	RTE_LCORE_VAR_ALLOC_SIZE_ALIGN(arr, sizeof(*arr), RTE_CACHE_LINE_SIZE);
+ else
+ 	RTE_LCORE_VAR_FOREACH(lid, val, arr)
+ 		memset(val, 0, sizeof(*val));

@heapalloc depends on heap && !linealign@
identifier virtual.arr;
expression list es;
identifier fn =~ "^(rte_(zmalloc|malloc|calloc)(_socket)?|malloc|calloc)$";
@@
- arr = fn(es);
+ if (arr == NULL)
+ 	RTE_LCORE_VAR_ALLOC(arr);

@heapalloc_aligned depends on heap && linealign@
identifier virtual.arr;
expression list es;
identifier fn =~ "^(rte_(zmalloc|malloc|calloc)(_socket)?|malloc|calloc)$";
@@
- arr = fn(es);
+ if (arr == NULL)
+ 	RTE_LCORE_VAR_ALLOC_SIZE_ALIGN(arr, sizeof(*arr), RTE_CACHE_LINE_SIZE);

@heapfree depends on heap@
identifier virtual.arr;
identifier fn =~ "^(rte_free|free)$";
@@
(
- fn(arr);
|
- arr = NULL;
)

// ---------------------------------------------------------------------------------
// Loops over every lcore id

@loopmod@
identifier virtual.arr;
identifier i;
expression E;
position p;
@@
for@p (i = 0; \(i < RTE_MAX_LCORE\|i < RTE_DIM(arr)\); \(i++\|++i\))
{ <+... \(i = E\|i++\|++i\|i--\|--i\|i += E\|i -= E\|&i\) ...+> }

@loopdecl@
identifier virtual.arr;
identifier i;
type T;
identifier x : script:python() { x in DECLVARS };
position p != loopmod.p;
iterator name RTE_LCORE_VAR_FOREACH;
@@
- for@p (i = 0; \(i < RTE_MAX_LCORE\|i < RTE_DIM(arr)\); \(i++\|++i\))
+ RTE_LCORE_VAR_FOREACH(i, x, arr)
  {
- T *x = &arr[i];
  ...
  }

@loop@
identifier virtual.arr;
identifier virtual.val;
identifier i;
position p != loopmod.p;
iterator name RTE_LCORE_VAR_FOREACH;
@@
- for@p (i = 0; \(i < RTE_MAX_LCORE\|i < RTE_DIM(arr)\); \(i++\|++i\))
+ RTE_LCORE_VAR_FOREACH(i, val, arr)
  { <+... arr[i] ...+> }

@inner@
identifier virtual.arr;
identifier i, v;
identifier fld;
iterator name RTE_LCORE_VAR_FOREACH;
@@
RTE_LCORE_VAR_FOREACH(i, v, arr)
{
<...
(
- &arr[i]
+ v
|
- arr[i].fld
+ v->fld
|
- arr[i]++
+ (*v)++
|
- arr[i]--
+ (*v)--
|
- arr[i]
+ *v
)
...>
}

// ---------------------------------------------------------------------------------
// The other accesses

@self@
identifier virtual.arr;
identifier fld;
@@
(
- &arr[rte_lcore_id()]
+ RTE_LCORE_VAR(arr)
|
- arr[rte_lcore_id()].fld
+ RTE_LCORE_VAR(arr)->fld
|
- arr[rte_lcore_id()]++
+ (*RTE_LCORE_VAR(arr))++
|
- arr[rte_lcore_id()]--
+ (*RTE_LCORE_VAR(arr))--
|
- arr[rte_lcore_id()]
+ *RTE_LCORE_VAR(arr)
)

@elemsize@
identifier virtual.arr;
expression E;
@@
- sizeof(arr[E])
+ sizeof(*arr)

@other@
identifier virtual.arr;
expression E;
identifier fld;
@@
(
- &arr[E]
+ RTE_LCORE_VAR_LCORE(E, arr)
|
- arr[E].fld
+ RTE_LCORE_VAR_LCORE(E, arr)->fld
|
- arr[E]++
+ (*RTE_LCORE_VAR_LCORE(E, arr))++
|
- arr[E]--
+ (*RTE_LCORE_VAR_LCORE(E, arr))--
|
- arr[E]
+ *RTE_LCORE_VAR_LCORE(E, arr)
)

@dim@
identifier virtual.arr;
@@
- RTE_DIM(arr)
+ RTE_MAX_LCORE

// ---------------------------------------------------------------------------------
// The declaration becomes a handle

@decl depends on array@
identifier virtual.arr;
type T;
declarer name RTE_LCORE_VAR_HANDLE, RTE_LCORE_VAR_INIT;
attribute name __rte_cache_aligned;
@@
(
- static T arr[RTE_MAX_LCORE] __rte_cache_aligned;
+ static RTE_LCORE_VAR_HANDLE(T, arr);
|
- static T arr[RTE_MAX_LCORE];
+ static RTE_LCORE_VAR_HANDLE(T, arr);
|
- T arr[RTE_MAX_LCORE] __rte_cache_aligned;
+ RTE_LCORE_VAR_HANDLE(T, arr);
|
- T arr[RTE_MAX_LCORE];
+ RTE_LCORE_VAR_HANDLE(T, arr);
)

@initm depends on decl && initmacro && !linealign@
identifier virtual.arr;
type decl.T;
declarer name RTE_LCORE_VAR_HANDLE, RTE_LCORE_VAR_INIT;
@@
RTE_LCORE_VAR_HANDLE(T, arr);
+ RTE_LCORE_VAR_INIT(arr);

@initm_aligned depends on decl && initmacro && linealign@
identifier virtual.arr;
type decl.T;
declarer name RTE_LCORE_VAR_HANDLE, RTE_LCORE_VAR_INIT_SIZE_ALIGN;
@@
RTE_LCORE_VAR_HANDLE(T, arr);
+ RTE_LCORE_VAR_INIT_SIZE_ALIGN(arr, sizeof(*arr), RTE_CACHE_LINE_SIZE);

@hdecl depends on heap@
identifier virtual.arr;
type T;
declarer name RTE_LCORE_VAR_HANDLE;
@@
(
- static T *arr;
+ static RTE_LCORE_VAR_HANDLE(T, arr);
|
- T *arr;
+ RTE_LCORE_VAR_HANDLE(T, arr);
)

// ---------------------------------------------------------------------------------
// Declarations of the loop variables the converted loops use

@foreach@
identifier virtual.arr;
identifier i, v;
statement S;
iterator name RTE_LCORE_VAR_FOREACH;
@@
RTE_LCORE_VAR_FOREACH(i, v, arr) S

@valdecl depends on decl@
identifier virtual.arr;
identifier foreach.v;
identifier f;
expression I;
statement S;
type decl.T;
iterator name RTE_LCORE_VAR_FOREACH;
@@
f(...) {
+ T *v;
<+...
RTE_LCORE_VAR_FOREACH(I, v, arr) S
...+>
}

@hvaldecl depends on hdecl@
identifier virtual.arr;
identifier foreach.v;
identifier f;
expression I;
statement S;
type hdecl.T;
iterator name RTE_LCORE_VAR_FOREACH;
@@
f(...) {
+ T *v;
<+...
RTE_LCORE_VAR_FOREACH(I, v, arr) S
...+>
}

@liddecl depends on heap && zero@
identifier virtual.arr;
identifier virtual.lid;
identifier f;
identifier v;
statement S;
iterator name RTE_LCORE_VAR_FOREACH;
@@
f(...) {
+ unsigned int lid;
<+...
RTE_LCORE_VAR_FOREACH(lid, v, arr) S
...+>
}
