// SPDX-License-Identifier: BSD-3-Clause
// Copyright(c) 2026 The dpdk-lcoremem authors
//
// First pass of devtools/lcore_var_migrate.py over one C file: lists what the migration
// to lcore variables is about, without changing anything. Each finding is one line
// "LCOREVAR {json}" on standard output:
//   decl     a variable declared with RTE_MAX_LCORE (or RTE_MAX_LCORE + 1) elements
//   member   a struct member declared so
//   alloc    a pointer assigned from an allocator (per_lcore: its arguments name
//            RTE_MAX_LCORE)
//   mzaddr   a pointer assigned the address of a memzone (shared memory)
//   free     a pointer of some struct type given to rte_free() or free()
//   func     a function definition (constructors are named RTE_INIT or RTE_INIT_PRIO)
// Run with --macro-file lcore_var_macros.h.

@initialize:python@
@@
import json


def emit(kind, pos, **fields):
    """One finding, at the position of its first token."""
    fields.update(kind=kind, line=int(pos[0].line), column=int(pos[0].column),
                  function=pos[0].current_element, file=pos[0].file)
    print('LCOREVAR ' + json.dumps(fields, sort_keys=True))

@decl@
type T;
identifier a;
position p;
@@
(
 T a@p[RTE_MAX_LCORE];
|
 T a@p[RTE_MAX_LCORE] = ...;
)

@script:python@
a << decl.a;
t << decl.T;
p << decl.p;
@@
emit('decl', p, name=a, type=t, dim='RTE_MAX_LCORE')

@decl1@
type T;
identifier a;
position p;
@@
(
 T a@p[RTE_MAX_LCORE + 1];
|
 T a@p[RTE_MAX_LCORE + 1] = ...;
)

@script:python@
a << decl1.a;
t << decl1.T;
p << decl1.p;
@@
emit('decl', p, name=a, type=t, dim='RTE_MAX_LCORE + 1')

@member@
identifier s, fld;
type T;
position p;
@@
struct s { ... T fld@p[RTE_MAX_LCORE]; ... };

@script:python@
s << member.s;
f << member.fld;
t << member.T;
p << member.p;
@@
emit('member', p, struct=s, name=f, type=t, dim='RTE_MAX_LCORE')

@member1@
identifier s, fld;
type T;
position p;
@@
struct s { ... T fld@p[RTE_MAX_LCORE + 1]; ... };

@script:python@
s << member1.s;
f << member1.fld;
t << member1.T;
p << member1.p;
@@
emit('member', p, struct=s, name=f, type=t, dim='RTE_MAX_LCORE + 1')

@alloc@
type T;
T *E;
identifier fn =~ "^(rte_(zmalloc|malloc|calloc)(_socket)?|malloc|calloc)$";
expression list es;
position p;
@@
E@p = fn(es)

@script:python@
e << alloc.E;
t << alloc.T;
fn << alloc.fn;
es << alloc.es;
p << alloc.p;
@@
emit('alloc', p, target=e, type=t, allocator=fn, args=str(es),
     per_lcore='RTE_MAX_LCORE' in str(es))

@mzaddr@
type T;
T *E;
expression M;
position p;
@@
E@p = M->addr

@script:python@
e << mzaddr.E;
t << mzaddr.T;
m << mzaddr.M;
p << mzaddr.p;
@@
emit('mzaddr', p, target=e, type=t, memzone=m)

@freed@
type T;
T *E;
identifier fn =~ "^(rte_free|free)$";
position p;
@@
fn@p(E)

@script:python@
e << freed.E;
t << freed.T;
p << freed.p;
@@
emit('free', p, target=e, type=t)

@func@
identifier f;
position p;
@@
f@p(...) { ... }

@script:python@
f << func.f;
p << func.p;
@@
emit('func', p, name=f)
