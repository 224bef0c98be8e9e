// SPDX-License-Identifier: BSD-3-Clause
// Copyright(c) 2026 The dpdk-lcoremem authors
//
// Second pass of devtools/lcore_var_migrate.py: every use of one per-lcore array (or
// of one pointer to a heap array of RTE_MAX_LCORE elements), named by -D arr=NAME, so
// that the driver can decide whether the rewrite is safe. Each use is one line
// "LCOREVAR {json}" on standard output, at the position of the array's name:
//   use        any occurrence of the name in an expression (what the others refine)
//   index      arr[E]; self is true when E is rte_lcore_id()
//   sizeof     sizeof(arr)
//   dim        RTE_DIM(arr)
//   addr       &arr
//   limit      arr[RTE_MAX_LCORE] or arr[LCORE_ID_ANY], directly or through a variable
//              set to one of them on some path
//   unguarded  arr[i] where i comes from rte_lcore_id() and is not compared with
//              LCORE_ID_ANY or RTE_MAX_LCORE on some path before
//   loop       a for loop over every lcore id whose body uses arr[i]; modified is true
//              when the body changes i; decl names x when the body opens with
//              "T *x = &arr[i];"
//   assign     arr = E (heap pointers), with E
//   null       a test of the pointer against NULL
//   freed      rte_free(arr) or free(arr)
//   init       a definition of the array with an initializer
//   extern     an extern declaration
//   pointer    a declaration "T *arr;"
// Run with --macro-file lcore_var_macros.h and -D arr=NAME.

@initialize:python@
@@
import json


def emit(kind, pos, **fields):
    """One use, at the position of the array's name."""
    for p in pos:
        entry = dict(fields, kind=kind, line=int(p.line), column=int(p.column),
                     function=p.current_element, file=p.file)
        print('LCOREVAR ' + json.dumps(entry, sort_keys=True))

@use@
identifier virtual.arr;
position p;
@@
arr@p

@script:python@
p << use.p;
@@
emit('use', p)

@index@
identifier virtual.arr;
expression E;
position p;
@@
arr@p[E]

@script:python@
p << index.p;
e << index.E;
@@
emit('index', p, index=e, self=e.replace(' ', '') == 'rte_lcore_id()')

@size@
identifier virtual.arr;
position p;
@@
(
sizeof(arr@p)
|
sizeof arr@p
)

@script:python@
p << size.p;
@@
emit('sizeof', p)

@dim@
identifier virtual.arr;
position p;
@@
RTE_DIM(arr@p)

@script:python@
p << dim.p;
@@
emit('dim', p)

@addr@
identifier virtual.arr;
position p;
@@
\(&arr@p\)

@script:python@
p << addr.p;
@@
emit('addr', p)

@limit@
identifier virtual.arr;
position p;
@@
arr@p[\(RTE_MAX_LCORE\|LCORE_ID_ANY\)]

@script:python@
p << limit.p;
@@
emit('limit', p)

@limitflow exists@
identifier virtual.arr;
identifier i;
expression E, E1;
type T;
position p;
@@
(
i = \(RTE_MAX_LCORE\|LCORE_ID_ANY\);
|
i = E ? \(RTE_MAX_LCORE\|LCORE_ID_ANY\) : E1;
|
i = E ? E1 : \(RTE_MAX_LCORE\|LCORE_ID_ANY\);
|
T i = \(RTE_MAX_LCORE\|LCORE_ID_ANY\);
)
... when != i = E
arr@p[i]

@script:python@
p << limitflow.p;
i << limitflow.i;
@@
emit('limit', p, via=i)

@unguarded exists@
identifier virtual.arr;
identifier i;
expression E;
type T;
position p;
@@
(
i = rte_lcore_id();
|
T i = rte_lcore_id();
)
... when != i == LCORE_ID_ANY
    when != i != LCORE_ID_ANY
    when != i < RTE_MAX_LCORE
    when != i >= RTE_MAX_LCORE
    when != i = E
arr@p[i]

@script:python@
p << unguarded.p;
i << unguarded.i;
@@
emit('unguarded', p, via=i)

@unguarded_direct@
identifier virtual.arr;
position p;
@@
arr@p[rte_lcore_id()]

@script:python@
p << unguarded_direct.p;
@@
emit('unguarded', p, via='rte_lcore_id()')

@loopmod@
identifier virtual.arr;
identifier i;
expression E;
position pl;
@@
for@pl (i = 0; \(i < RTE_MAX_LCORE\|i < RTE_DIM(arr)\); \(i++\|++i\))
{ <+... \(i = E\|i++\|++i\|i--\|--i\|i += E\|i -= E\|&i\) ...+> }

@loop@
identifier virtual.arr;
identifier i;
position pl, p;
@@
for@pl (i = 0; \(i < RTE_MAX_LCORE\|i < RTE_DIM(arr)\); \(i++\|++i\))
{ <+... arr@p[i] ...+> }

@script:python@
pl << loop.pl;
i << loop.i;
@@
emit('loop', pl, index=i, modified=False, decl=None)

@script:python@
pl << loopmod.pl;
i << loopmod.i;
@@
emit('loop', pl, index=i, modified=True, decl=None)

@loopdecl@
identifier virtual.arr;
identifier i, x;
type T;
position pl;
@@
for@pl (i = 0; \(i < RTE_MAX_LCORE\|i < RTE_DIM(arr)\); \(i++\|++i\))
{
T *x = &arr[i];
...
}

@script:python@
pl << loopdecl.pl;
i << loopdecl.i;
x << loopdecl.x;
t << loopdecl.T;
@@
emit('loop', pl, index=i, modified=False, decl=x, decl_type=t)

@assign@
identifier virtual.arr;
expression E;
position p;
@@
arr@p = E

@script:python@
p << assign.p;
e << assign.E;
@@
emit('assign', p, value=e)

@null@
identifier virtual.arr;
position p;
@@
(
arr@p == NULL
|
arr@p != NULL
|
NULL == arr@p
|
NULL != arr@p
|
!arr@p
)

@script:python@
p << null.p;
@@
emit('null', p)

@nullif@
identifier virtual.arr;
position p;
statement S1, S2;
@@
(
if (arr@p) S1 else S2
|
if (arr@p) S1
)

@script:python@
p << nullif.p;
@@
emit('null', p)

@freed@
identifier virtual.arr;
identifier fn =~ "^(rte_free|free)$";
position p;
@@
fn(arr@p)

@script:python@
p << freed.p;
fn << freed.fn;
@@
emit('freed', p, call=fn)

@init@
identifier virtual.arr;
type T;
position p;
@@
(
T arr@p[RTE_MAX_LCORE] = ...;
|
T arr@p[RTE_MAX_LCORE + 1] = ...;
)

@script:python@
p << init.p;
@@
emit('init', p)

@ext@
identifier virtual.arr;
type T;
position p;
@@
(
extern T arr@p[RTE_MAX_LCORE];
|
extern T arr@p[RTE_MAX_LCORE + 1];
|
extern T *arr@p;
)

@script:python@
p << ext.p;
@@
emit('extern', p)

@pointer@
identifier virtual.arr;
type T;
position p;
@@
T *arr@p;

@script:python@
p << pointer.p;
t << pointer.T;
@@
emit('pointer', p, type=t)
