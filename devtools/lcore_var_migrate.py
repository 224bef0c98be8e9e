#!/usr/bin/env python3
# SPDX-License-Identifier: BSD-3-Clause
# Copyright(c) 2026 The dpdk-lcoremem authors
"""Rewrite per-lcore arrays of C sources into lcore variables.

For each C file given, finds the arrays indexed by lcore id: file-scope or global
variables of RTE_MAX_LCORE elements (T name[RTE_MAX_LCORE], whatever alignment or cache
guards their elements carry), pointers to an array of RTE_MAX_LCORE elements allocated
once (name = rte_calloc(..., RTE_MAX_LCORE, sizeof(T), ...)), and struct members of
RTE_MAX_LCORE elements. Each one it can convert safely becomes an lcore variable of the
same name, following DPDK's lcore variable API:

  T name[RTE_MAX_LCORE]          ->  RTE_LCORE_VAR_HANDLE(T, name), allocated where the
                                     module is initialised, else by RTE_LCORE_VAR_INIT()
  name[rte_lcore_id()]           ->  *RTE_LCORE_VAR(name)
  name[i], &name[i], name[i].f   ->  *RTE_LCORE_VAR_LCORE(i, name), ..._LCORE(i, name),
                                     RTE_LCORE_VAR_LCORE(i, name)->f
  for (i = 0; i < RTE_MAX_LCORE; i++) ...name[i]...
                                 ->  RTE_LCORE_VAR_FOREACH(i, value, name) ...value...

What it cannot rewrite safely it leaves alone and reports, with file, line and reason:
static initializers, sizeof of the array, the array's address escaping, members of
structures (per-instance state, or shared memory that secondary processes read),
RTE_MAX_LCORE + 1 elements or an index that can be RTE_MAX_LCORE or LCORE_ID_ANY, global
arrays other files name, element types the handle macro cannot spell, and uses the
semantic patch cannot see (macro bodies).

The matching and rewriting are Coccinelle semantic patches (devtools/cocci/lcore_var_*.cocci,
run by spatch); this script drives them, decides, and writes the patch and the report.

Exit status: 0 when every per-lcore array found was converted (or none was found), 1 when
some were refused (the patch holds the others), 2 on an error.
"""

import argparse
import json
import os
import re
import subprocess
import sys
import tempfile

sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
import lcore_var_csource as csrc    # noqa: E402  pylint: disable=wrong-import-position

EXIT_OK = 0
EXIT_REFUSED = 1
EXIT_ERROR = 2

COCCI_DIR = os.path.join(os.path.dirname(os.path.abspath(__file__)), 'cocci')
MACROS = os.path.join(COCCI_DIR, 'lcore_var_macros.h')
ALLOCATORS = ('rte_zmalloc', 'rte_malloc', 'rte_calloc', 'rte_zmalloc_socket',
              'rte_malloc_socket', 'rte_calloc_socket', 'malloc', 'calloc')
MAX_COLUMNS = 100      # DPDK's coding style
ZEROING = ('rte_zmalloc', 'rte_calloc', 'rte_zmalloc_socket', 'rte_calloc_socket', 'calloc')


class MigrateError(Exception):
    """A failure that stops the run: spatch missing or failing, unreadable input."""


# ---------------------------------------------------------------------------------------
# spatch

def spatch(args, cocci, path, defines, out=None):
    """Run one semantic patch over one file; return its LCOREVAR records."""
    cmd = [args.spatch, '--very-quiet', '--no-show-diff', '--max-width', '100',
           '--macro-file', MACROS, '--sp-file', os.path.join(COCCI_DIR, cocci)]
    for key, value in defines:
        cmd += ['-D', key if value is None else '{}={}'.format(key, value)]
    if out is not None:
        cmd += ['-o', out]
    cmd.append(path)
    try:
        proc = subprocess.run(cmd, capture_output=True, text=True, check=False,
                              timeout=args.timeout)
    except FileNotFoundError as exc:
        raise MigrateError('{} not found: install Coccinelle (Debian: apt-get install '
                           'coccinelle)'.format(args.spatch)) from exc
    except subprocess.TimeoutExpired as exc:
        raise MigrateError('spatch timed out on {} ({})'.format(path, cocci)) from exc
    noise = re.compile(r'^warning: (line \d+: should \S+ be a metavariable\?|'
                       r'\S+: metavariable \S+ not used in the - or context code)$')
    errors = [l for l in proc.stderr.splitlines() if l.strip() and not noise.match(l)]
    if proc.returncode != 0 or any('error' in l.lower() for l in errors):
        raise MigrateError('spatch failed on {} ({}): {}'.format(
            path, cocci, '; '.join(errors[-5:]) or 'exit status {}'.format(proc.returncode)))
    records = []
    for line in proc.stdout.splitlines():
        if line.startswith('LCOREVAR '):
            rec = json.loads(line[len('LCOREVAR '):])
            # spatch also reads the local headers a file includes: keep the file's own
            if os.path.realpath(rec.get('file', path)) == os.path.realpath(path):
                records.append(rec)
    return records


def spatch_version(args):
    """The version line of spatch, or None when it is not installed."""
    try:
        proc = subprocess.run([args.spatch, '--version'], capture_output=True, text=True,
                              check=False, timeout=60)
    except (OSError, subprocess.SubprocessError):
        return None
    return proc.stdout.splitlines()[0] if proc.stdout else None


# ---------------------------------------------------------------------------------------
# Decisions

def singular(name):
    """'lcore_states' -> 'lcore_state'; names that are not plurals come back as None."""
    if name.endswith('ies') and len(name) > 4:
        return name[:-3] + 'y'
    if name.endswith(('sses', 'shes', 'ches', 'xes')) and len(name) > 5:
        return name[:-2]
    if name.endswith('s') and not name.endswith(('ss', 'us', 'is')) and len(name) > 3:
        return name[:-1]
    return None


class Candidate:
    """One per-lcore array of a file and what is decided about it."""

    def __init__(self, kind, name, line, type_name, dim):
        self.kind = kind            # 'array', 'heap' or 'member'
        self.name = name
        self.line = line
        self.type = type_name
        self.dim = dim
        self.struct = None          # for members
        self.scope = None           # 'static', 'global', 'function-static'
        self.refusals = []          # (line, reason)
        self.notes = []             # (line, text): what a reviewer should look at
        self.actions = []           # what the rewrite did
        self.defines = []           # spatch -D options of the rewrite
        self.uses = []
        self.element_tag = None     # the struct tag of the element type, when one
        self.element_clean = False  # whether its cache alignment and guards go
        self.line_aligned = False   # whether the elements started at cache lines

    def refuse(self, line, reason):
        """Record why the array is left as it is."""
        self.refusals.append((line, reason))

    def note(self, line, text):
        """Record a point for the reviewer."""
        self.notes.append((line, text))

    def status(self):
        """'converted', 'refused' or 'pending'."""
        if self.refusals:
            return 'refused'
        return 'converted' if self.actions else 'pending'

    def as_dict(self):
        """The JSON report entry."""
        return {
            'name': self.name, 'kind': self.kind, 'line': self.line, 'type': self.type,
            'dimension': self.dim, 'struct': self.struct, 'scope': self.scope,
            'status': self.status(),
            'refusals': [{'line': l, 'reason': r} for l, r in self.refusals],
            'notes': [{'line': l, 'text': t} for l, t in self.notes],
            'actions': self.actions,
        }


class FileMigration:
    """The analysis and rewrite of one C file."""

    def __init__(self, args, path, rel):
        self.args = args
        self.path = path
        self.rel = rel
        with open(path, encoding='utf-8', errors='surrogateescape') as file:
            self.original = file.read()
        self.src = csrc.Source(self.original)
        self.candidates = []
        self.ignored = []           # (line, name, why): arrays of RTE_MAX_LCORE that are
                                    # not per-lcore state (automatic arrays)
        self.records = []
        self.new_text = self.original
        self.file_notes = []

    # -- analysis --------------------------------------------------------------------

    def find(self):
        """First pass: the arrays, members, allocations and functions of the file."""
        self.records = spatch(self.args, 'lcore_var_find.cocci', self.path, [])
        for rec in self.records:
            if rec['kind'] == 'func':
                self.src.add_function(rec['name'], rec['line'], rec['column'])
        seen = set()
        for rec in self.records:
            key = (rec['kind'], rec.get('name'), rec['line'])
            if key in seen:
                continue
            seen.add(key)
            if rec['kind'] == 'decl':
                self._add_decl(rec)
            elif rec['kind'] == 'member':
                cand = Candidate('member', rec['name'], rec['line'], rec['type'], rec['dim'])
                cand.struct = rec['struct']
                self.candidates.append(cand)
            elif rec['kind'] == 'alloc' and rec['per_lcore']:
                self._add_alloc(rec)
        self._unparsed_declarations()
        self.candidates.sort(key=lambda c: (c.line, c.name))

    def _add_decl(self, rec):
        """A variable declared with RTE_MAX_LCORE elements."""
        func = self.src.function_at(rec['line'])
        line_text = self.src.code[self.src.line_starts[rec['line'] - 1]:
                                  self.src.offset(rec['line'], rec['column'])]
        is_static = re.search(r'\bstatic\b', line_text) is not None
        if func is not None and not is_static:
            self.ignored.append((rec['line'], rec['name'],
                                 'automatic array in {}()'.format(func[0])))
            return
        if any(c.name == rec['name'] and c.kind == 'array' for c in self.candidates):
            # T name[RTE_MAX_LCORE][N] matches twice: keep the element type with [N]
            old = next(c for c in self.candidates if c.name == rec['name'])
            if '[' in rec['type']:
                old.type = rec['type']
            return
        cand = Candidate('array', rec['name'], rec['line'], rec['type'], rec['dim'])
        if func is not None:
            cand.scope = 'function-static'
        elif re.search(r'\bextern\b', line_text):
            return
        else:
            cand.scope = 'static' if is_static else 'global'
        self.candidates.append(cand)

    def _add_alloc(self, rec):
        """A pointer given RTE_MAX_LCORE elements by an allocator."""
        target = rec['target'].replace(' ', '')
        if re.fullmatch(r'[A-Za-z_]\w*', target):
            if any(c.name == target for c in self.candidates):
                return
            cand = Candidate('heap', target, rec['line'], rec['type'], 'RTE_MAX_LCORE')
            cand.alloc = rec
            self.candidates.append(cand)
        else:
            cand = Candidate('heap', target, rec['line'], rec['type'], 'RTE_MAX_LCORE')
            cand.scope = 'member'
            cand.refuse(rec['line'], 'heap array of RTE_MAX_LCORE elements kept in {}, a '
                        'member of a per-instance structure: an lcore variable is never '
                        'freed, so it cannot live and die with the instance'.format(target))
            self.candidates.append(cand)

    def _unparsed_declarations(self):
        """Declarations of RTE_MAX_LCORE elements at file scope or in a struct that the
        semantic patch did not recognise (a declarator it cannot parse): reported, never
        rewritten."""
        known = {c.line for c in self.candidates} | {i[0] for i in self.ignored}
        for match in re.finditer(r'\b([A-Za-z_]\w*)\s*(\)\s*)?\[\s*RTE_MAX_LCORE\s*'
                                 r'(\+\s*1\s*)?\]', self.src.code):
            line = self.src.line_of(match.start())
            if line in known or self.src.function_at(line) is not None:
                continue
            before = self.src.code[self.src.line_starts[line - 1]:match.start()]
            if not re.search(r'[A-Za-z_*(]', before) or re.search(r'[=;]\s*$', before):
                continue        # an expression, not a declarator
            if self.src.in_macro_definition(line):
                continue
            cand = Candidate('array', match.group(1), line, '?',
                             'RTE_MAX_LCORE + 1' if match.group(3) else 'RTE_MAX_LCORE')
            cand.refuse(line, 'declaration the semantic patch could not parse (a function '
                        'pointer or other complex declarator): rewrite it by hand, or give '
                        'the element a typedef first')
            self.candidates.append(cand)
            known.add(line)

    def analyse(self, seed):
        """Second pass: the uses of each candidate, and the decisions."""
        for cand in self.candidates:
            if seed is not None and not seed.confirms(self.rel, cand):
                cand.note(cand.line, 'not in the lcore_array_scan report given with --seed '
                          '(compiled out of that build?): left alone')
                cand.refuse(cand.line, 'not confirmed by the scan (--seed)')
                continue
            if cand.refusals:
                continue
            if cand.kind == 'member':
                self._refuse_member(cand)
                continue
            cand.uses = spatch(self.args, 'lcore_var_uses.cocci', self.path,
                               [('arr', cand.name)])
            self._check_declaration(cand)
            self._check_uses(cand)
            if cand.kind == 'heap':
                self._check_heap(cand)
            self._check_text(cand)
            if not cand.refusals:
                self._plan(cand)

    def _refuse_member(self, cand):
        """Why a member array stays: shared memory, or per-instance state."""
        tag = cand.struct
        mz = [r for r in self.records if r['kind'] == 'mzaddr' and
              r['type'] == 'struct ' + tag]
        allocs = [r for r in self.records if r['kind'] == 'alloc' and
                  r['type'] == 'struct ' + tag]
        frees = [r for r in self.records if r['kind'] == 'free' and
                 r['type'] == 'struct ' + tag]
        if mz:
            rec = mz[0]
            cand.refuse(cand.line, 'member of struct {}, which lives in shared memory: {} '
                        'points into a memzone (line {}), which secondary processes map; '
                        'lcore variables are private to each process'.format(
                            tag, rec['target'].replace(' ', ''), rec['line']))
        elif allocs or frees:
            where = ', '.join('{} line {}'.format(
                'allocated' if r['kind'] == 'alloc' else 'freed', r['line'])
                for r in (allocs + frees)[:4])
            cand.refuse(cand.line, 'member of struct {}, allocated and freed per instance '
                        '({}): an lcore variable is never freed, so per-instance state '
                        'cannot become one'.format(tag, where))
        else:
            cand.refuse(cand.line, 'member of struct {}: an lcore variable is a variable of '
                        'its own; move the array out of the structure first if it is '
                        'per-module state'.format(tag))

    def _check_declaration(self, cand):
        """What the declaration itself rules out."""
        if cand.dim != 'RTE_MAX_LCORE':
            cand.refuse(cand.line, 'RTE_MAX_LCORE + 1 elements: the last one serves threads '
                        'without an lcore id, and an lcore variable has no value for them; '
                        'give those threads a separate, shared instance by hand')
        if cand.scope == 'function-static':
            cand.refuse(cand.line, 'function-static array: an lcore variable handle is '
                        'allocated at file scope; move the array out of the function first')
        if '[' in cand.type or '(' in cand.type:
            cand.refuse(cand.line, 'element type {} is an array or function type, which '
                        'RTE_LCORE_VAR_HANDLE() cannot spell: wrap it in a struct or give '
                        'it a typedef first'.format(cand.type))
        for rec in cand.uses:
            if rec['kind'] == 'init':
                cand.refuse(rec['line'], 'static initializer: lcore variable values start '
                            'zeroed and cannot be initialised statically')
            elif rec['kind'] == 'extern':
                cand.refuse(rec['line'], 'extern declaration in this file')

    def _check_uses(self, cand):
        """What the uses rule out; notes for the reviewer."""
        uses = cand.uses
        by_kind = {}
        for rec in uses:
            by_kind.setdefault(rec['kind'], []).append(rec)
        for rec in by_kind.get('sizeof', []):
            cand.refuse(rec['line'], 'sizeof of the array (in {}()): its size is no '
                        'longer RTE_MAX_LCORE elements of contiguous memory'.format(
                            rec['function']))
        for rec in by_kind.get('addr', []):
            cand.refuse(rec['line'], 'the address of the whole array escapes (&{} in '
                        '{}())'.format(cand.name, rec['function']))
        for rec in by_kind.get('limit', []):
            cand.refuse(rec['line'], 'indexed by RTE_MAX_LCORE or LCORE_ID_ANY{} in {}(): '
                        'a caller without an lcore id reaches an element an lcore variable '
                        'does not have'.format(
                            ' (through {})'.format(rec['via']) if rec.get('via') else '',
                            rec['function']))
        accounted = set()
        for kind in ('index', 'sizeof', 'dim', 'addr'):
            accounted |= {(r['line'], r['column']) for r in by_kind.get(kind, [])}
        if cand.kind == 'heap':
            for kind in ('assign', 'null', 'freed'):
                accounted |= {(r['line'], r['column']) for r in by_kind.get(kind, [])}
        for rec in by_kind.get('use', []):
            if (rec['line'], rec['column']) not in accounted:
                cand.refuse(rec['line'], 'the array\'s address escapes: {} itself is used '
                            'as a value in {}() (passed to a function or macro, assigned, '
                            'compared), not indexed'.format(cand.name, rec['function']))
        seen = set()
        for rec in by_kind.get('unguarded', []):
            if rec['line'] in seen:
                continue
            seen.add(rec['line'])
            cand.note(rec['line'], 'indexed by the calling thread\'s lcore id ({}) with no '
                      'LCORE_ID_ANY check before, in {}(): as with the array, a thread '
                      'without an lcore id must not get here'.format(rec['via'],
                                                                      rec['function']))

    def _check_heap(self, cand):
        """A pointer to a heap array: one allocation, frees, NULL tests, nothing else."""
        decls = [r for r in cand.uses if r['kind'] == 'pointer' and
                 self.src.function_at(r['line']) is None]
        if not decls:
            cand.refuse(cand.line, '{} is not a pointer variable declared at file scope '
                        'in this file'.format(cand.name))
            return
        cand.decl_line = decls[0]['line']
        decl_text = self.src.code[self.src.line_starts[cand.decl_line - 1]:
                                  self.src.offset(cand.decl_line, decls[0]['column'])]
        cand.scope = 'static' if re.search(r'\bstatic\b', decl_text) else 'global'
        allocs, others = [], []
        for rec in cand.uses:
            if rec['kind'] != 'assign':
                continue
            value = rec['value'].replace(' ', '')
            if value.split('(')[0] in ALLOCATORS:
                allocs.append(rec)
            elif value not in ('NULL', '((void*)0)'):
                others.append(rec)
        for rec in others:
            cand.refuse(rec['line'], '{} is assigned something other than its allocation '
                        '({}) in {}()'.format(cand.name, rec['value'], rec['function']))
        if len(allocs) != 1:
            cand.refuse(cand.line, '{} is allocated in {} places; the rewrite handles one '
                        'allocation'.format(cand.name, len(allocs)))
            return
        alloc = cand.alloc
        args = [a.strip() for a in split_args(alloc['args'])]
        elem_size = self._element_size_arg(alloc['allocator'], args)
        sizes = ('sizeof({})'.format(cand.type), 'sizeof(*{})'.format(cand.name),
                 'sizeof({}[0])'.format(cand.name))
        if elem_size is None or elem_size.replace(' ', '') not in \
                [s.replace(' ', '') for s in sizes]:
            cand.refuse(alloc['line'], 'the allocation ({}) does not read as RTE_MAX_LCORE '
                        'elements of {}'.format(alloc['allocator'], cand.type))
        cand.zeroing = alloc['allocator'] in ZEROING
        cand.freed = [r for r in cand.uses if r['kind'] == 'freed']

    @staticmethod
    def _element_size_arg(allocator, args):
        """The element size argument of a count x size allocation, or None."""
        if allocator in ('rte_calloc', 'rte_calloc_socket') and len(args) >= 3:
            return args[2] if args[1].replace(' ', '') == 'RTE_MAX_LCORE' else None
        if allocator == 'calloc' and len(args) == 2:
            return args[1] if args[0].replace(' ', '') == 'RTE_MAX_LCORE' else None
        index = 0 if allocator == 'malloc' else 1
        if len(args) <= index:
            return None
        size = args[index].replace(' ', '')
        for pattern in (r'RTE_MAX_LCORE\*(.+)', r'(.+)\*RTE_MAX_LCORE'):
            match = re.fullmatch(pattern, size)
            if match:
                return match.group(1)
        return None

    def _check_text(self, cand):
        """Every appearance of the name in the code must be one the semantic patch saw."""
        seen = {(r['line'], r['column']) for r in cand.uses}
        seen.add((cand.line, None))
        decl_lines = {cand.line, getattr(cand, 'decl_line', cand.line)}
        for line, column in self.src.occurrences(cand.name):
            if (line, column) in seen or line in decl_lines:
                continue
            if self.src.in_macro_definition(line):
                why = 'inside a macro definition'
            else:
                why = 'in code the C parser of spatch skipped (conditional compilation or ' \
                      'an unknown macro)'
            cand.refuse(line, 'used {}, where the semantic patch cannot rewrite it'.format(why))
        for line, fragment in self.src.pasted_fragments():
            if cand.name.startswith(fragment) or cand.name.endswith(fragment):
                cand.refuse(line, 'a macro builds names by token pasting ({}##): it may name '
                            '{} where no search finds it'.format(fragment, cand.name)
                            if cand.name.startswith(fragment) else
                            'a macro builds names by token pasting (##{}): it may name {} '
                            'where no search finds it'.format(fragment, cand.name))
                break
        if cand.scope == 'global' and self.args.root:
            others = extern_declarations(self.args.root, self.path, cand.name)
            for other, line in others[:1]:
                cand.refuse(cand.line, 'global, declared extern in {}:{}: other files may '
                            'index it; convert it by hand together with its users'.format(
                                other, line))
            if not others:
                cand.note(cand.line, 'global, but no other file of the tree declares it: '
                          'the handle keeps its linkage; consider making it static')

    # -- planning ----------------------------------------------------------------------

    def _plan(self, cand):
        """The spatch options of the rewrite: names of the loop variables, and where the
        allocation goes."""
        loops = [r for r in cand.uses if r['kind'] == 'loop']
        modified = {r['line'] for r in loops if r['modified']}
        for line in sorted(modified):
            cand.note(line, 'loop over every lcore id left as a for loop: its body changes '
                      'the index')
        loops = [r for r in loops if r['line'] not in modified]
        # a loop whose body opens with "T *x = &arr[i];" lends x to the FOREACH, when x
        # means nothing else in the function (decided per name: spatch sees names)
        decl_ok, decl_bad = set(), set()
        for rec in loops:
            if not rec.get('decl'):
                continue
            func = self.src.function_at(rec['line'])
            start, end = self.src.loop_extent(rec['line'])
            outside = self.src.identifiers(func[2], start) | \
                self.src.identifiers(end, func[3])
            if rec['decl'] in outside or rec['decl_type'].replace(' ', '') != \
                    cand.type.replace(' ', ''):
                decl_bad.add(rec['decl'])
            else:
                decl_ok.add(rec['decl'])
        decl_ok -= decl_bad
        decl_lines = {r['line'] for r in loops if r.get('decl') in decl_ok}
        plain_funcs = {self.src.function_at(r['line']) for r in loops
                       if r['line'] not in decl_lines}
        plain_funcs.discard(None)
        zero = cand.kind == 'heap' and cand.zeroing and bool(cand.freed)
        lid = 'lcore_id'
        if zero:
            func = self.src.function_at(cand.alloc['line'])
            used = self.src.identifiers(func[2], func[3]) if func else set()
            lid = next(o for o in ('lcore_id', 'lcore', 'lid', cand.name + '_lcore',
                                   cand.name + '_lcore_id') if o not in used)
            if func is not None:
                plain_funcs.add(func)
        val = self._value_name(cand, plain_funcs)
        self._element_plan(cand)
        defines = [('array' if cand.kind == 'array' else 'heap', None), ('arr', cand.name),
                   ('val', val), ('declvars', ','.join(sorted(decl_ok)) or '-'),
                   ('lid', lid)]
        cand.alloc_defines = self._allocation(cand)
        if cand.line_aligned:
            defines.append(('linealign', None))
            if cand.alloc_defines:
                cand.alloc_defines.append(('linealign', None))
        if ('initmacro', None) in cand.alloc_defines:
            defines.append(('initmacro', None))
            cand.alloc_defines = []
        if zero:
            defines.append(('zero', None))
            cand.actions.append('values zeroed when the module is initialised again '
                                '({} gave zeroed memory each time)'.format(
                                    cand.alloc['allocator']))
        cand.defines = defines

    def _value_name(self, cand, funcs):
        """A name for the FOREACH value pointer that no function concerned uses and that
        names nothing at file scope."""
        used = set()
        for func in funcs:
            used |= self.src.identifiers(func[2], func[3])
        file_scope = set()
        last = 0
        for func in sorted(self.src.functions, key=lambda f: f[2]):
            file_scope |= self.src.identifiers(last, self.src.line_starts[func[1] - 1])
            last = func[3]
        file_scope |= self.src.identifiers(last, len(self.src.code))
        options = csrc.pointer_names(self.src.code, cand.type)
        tag = cand.type.split()[-1]
        if cand.type.startswith(('struct ', 'union ')):
            options.append(tag.split('_')[-1])
        options += [n for n in (singular(cand.name),) if n]
        options += ['value', cand.name + '_value', cand.name + '_v']
        for option in options:
            if option not in used and option not in file_scope and \
                    option not in csrc.C_KEYWORDS and option != cand.name:
                return option
        return cand.name + '_value'

    def _allocation(self, cand):
        """Where the variable gets allocated; spatch options."""
        if cand.kind == 'heap':
            cand.actions.append('allocated where {} was ({}(), line {}), once'.format(
                cand.alloc['allocator'], cand.alloc['function'], cand.alloc['line']))
            if cand.freed:
                cand.actions.append('{} removed: an lcore variable is never freed'.format(
                    ', '.join('{}() line {}'.format(r['call'], r['line'])
                              for r in cand.freed)))
            return []
        user = self.args.init.get(cand.name)
        if user:
            func = next((f for f in self.src.functions if f[0] == user or
                         self.src.constructor_name(f) == user), None)
            if func is None:
                cand.refuse(cand.line, '--init {}={}: no function {} in this file'.format(
                    cand.name, user, user))
                return []
            cand.actions.append('allocated on the first call of {}() (--init)'.format(user))
            return [('lazy', None), ('initline', str(func[1]))]
        use_funcs = set()
        for rec in cand.uses:
            func = self.src.function_at(rec['line'])
            if func is not None:
                use_funcs.add(func[0] if func[0] not in ('RTE_INIT', 'RTE_INIT_PRIO')
                              else self.src.constructor_name(func))
        ctors = []
        for func in self.src.functions:
            name = self.src.constructor_name(func)
            if name is None:
                continue
            if self._reaches(func, use_funcs):
                ctors.append((func, name))
        if len(ctors) == 1:
            func, name = ctors[0]
            cand.actions.append('allocated at the start of constructor {}(), line {}, '
                                'which uses it'.format(name, func[1]))
            return [('ctor', None), ('initline', str(func[1]))]
        if len(ctors) > 1:
            cand.refuse(cand.line, 'several constructors use it ({}): their order is not '
                        'known; allocate it by hand'.format(', '.join(n for _, n in ctors)))
            return []
        cand.actions.append('allocated by RTE_LCORE_VAR_INIT({}): no module init function '
                            'is known (name one with --init {}=FUNCTION)'.format(cand.name,
                                                                                 cand.name))
        cand.note(cand.line, 'allocated by a constructor of default priority: code that '
                  'uses it from another constructor must allocate it first')
        return [('initmacro', None)]

    def _reaches(self, func, targets):
        """Whether a function, or one it calls in this file, uses one of the targets."""
        by_name = {}
        for f in self.src.functions:
            by_name.setdefault(self.src.constructor_name(f) or f[0], f)
        todo, done = [func], set()
        while todo:
            f = todo.pop()
            name = self.src.constructor_name(f) or f[0]
            if name in done:
                continue
            done.add(name)
            if name in targets:
                return True
            todo += [by_name[c] for c in self.src.callees(f) if c in by_name]
        return False

    # -- rewriting ---------------------------------------------------------------------

    def rewrite(self, workdir):
        """Third pass: rewrite each convertible candidate, then tidy up.

        Each array takes two spatch runs: the allocation goes into its function first,
        then the rest is rewritten. Both change lines, so the plan of each array is made
        again on the text the runs before it left (the report keeps the original lines)."""
        work = os.path.join(workdir, os.path.basename(self.path))
        with open(work, 'w', encoding='utf-8', errors='surrogateescape') as file:
            file.write(self.original)
        converted = []
        # last declared first: allocations placed at the start of one function then come
        # out in the order of the declarations
        for cand in reversed(self.candidates):
            if cand.refusals or not cand.defines:
                continue
            before = read(work)
            if converted:
                self._replan(cand, work, before)
            if cand.alloc_defines:
                spatch(self.args, 'lcore_var_alloc.cocci', work,
                       [('arr', cand.name)] + cand.alloc_defines, out=work)
                if read(work) == before:
                    self._undo(work, before, cand, cand.line, 'the allocation could not be '
                               'placed in its function')
                    continue
            spatch(self.args, 'lcore_var_rewrite.cocci', work, cand.defines, out=work)
            after = read(work)
            problem = leftover(after, cand)
            if problem:
                self._undo(work, before, cand, problem[0], 'the rewrite left {} '
                           'unconverted; convert it by hand'.format(problem[1]))
                continue
            pattern = r'RTE_LCORE_VAR_FOREACH\s*\([^;{{]*,\s*{}\s*\)'.format(
                re.escape(cand.name))
            loops = len(re.findall(pattern, csrc.mask(after))) - \
                len(re.findall(pattern, csrc.mask(before)))
            if cand.defines and ('zero', None) in cand.defines:
                loops -= 1
            if loops:
                cand.actions.insert(0, '{} loop(s) over every lcore id -> '
                                    'RTE_LCORE_VAR_FOREACH'.format(loops))
            cand.actions.insert(0, '{} -> {}RTE_LCORE_VAR_HANDLE({}, {})'.format(
                'T {}[RTE_MAX_LCORE]'.format(cand.name) if cand.kind == 'array' else
                'T *{}'.format(cand.name), 'static ' if cand.scope == 'static' else '',
                cand.type, cand.name))
            converted.append(cand)
        text = read(work)
        if converted:
            text = self._tidy(text, converted)
        self.new_text = text

    @staticmethod
    def _undo(work, before, cand, line, reason):
        """Put the text back as it was before a candidate's rewrite, and refuse it."""
        with open(work, 'w', encoding='utf-8', errors='surrogateescape') as file:
            file.write(before)
        cand.actions = []
        cand.refuse(line, reason)

    def _replan(self, cand, work, text):
        """Plan a candidate again on the text the earlier rewrites left."""
        saved = (self.src, self.records, cand.uses, cand.notes, cand.actions)
        self.src = csrc.Source(text)
        self.records = spatch(self.args, 'lcore_var_find.cocci', work, [])
        for rec in self.records:
            if rec['kind'] == 'func':
                self.src.add_function(rec['name'], rec['line'], rec['column'])
        cand.uses = spatch(self.args, 'lcore_var_uses.cocci', work, [('arr', cand.name)])
        if cand.kind == 'heap':
            allocs = [r for r in self.records if r['kind'] == 'alloc' and
                      r['target'].replace(' ', '') == cand.name]
            cand.alloc = allocs[0] if allocs else cand.alloc
        cand.notes, cand.actions = [], []
        self._plan(cand)
        # the report keeps the notes and lines of the original file
        self.src, self.records = saved[0], saved[1]
        cand.notes, cand.actions = saved[3], saved[4]

    def _element_plan(self, cand):
        """Whether the rewrite also drops the cache alignment and guards of the element
        type: only a struct defined in this file, with no object of its type other than
        the per-lcore arrays being converted. Sets cand.element_tag, cand.element_clean
        and cand.line_aligned (the elements started at cache lines)."""
        cand.element_tag, cand.element_clean, cand.line_aligned = None, False, False
        tag = cand.type.split()[1] if cand.type.startswith('struct ') else \
            csrc.typedef_struct(self.src, cand.type)
        if tag is None:
            return
        cand.element_tag = tag
        where = csrc.struct_definition(self.src, tag)
        if where is None:
            cand.note(cand.line, 'element type {} is defined in another file: its cache '
                      'alignment and guards, if any, are left to you'.format(cand.type))
            return
        aligned = csrc.CACHE_ALIGN_ATTRS.search(self.src.code[where[1]:where[2]]) is not None
        allowed = {c.line for c in self.candidates if not c.refusals and
                   c.type == cand.type}
        allowed.add(cand.line)
        allowed.add(getattr(cand, 'decl_line', cand.line))
        others = csrc.other_struct_uses(self.src, tag, allowed)
        if others:
            cand.note(others[0], 'struct {} also types other objects (line {}): its cache '
                      'alignment is kept'.format(tag, others[0]))
            return
        cand.element_clean = True
        cand.line_aligned = aligned

    def _tidy(self, text, converted):
        """What follows the rewrite: element types, includes, spacing."""
        text = text.replace('RTE_LCORE_VAR_FOREACH (', 'RTE_LCORE_VAR_FOREACH(')
        text = csrc.restore_indentation(self.original, text)
        text = csrc.tidy_allocations(text)
        text = csrc.separate_declarations(self.original, text)
        done = set()
        for cand in converted:
            tag = cand.element_tag
            if not cand.element_clean or tag in done:
                continue
            done.add(tag)
            src = csrc.Source(text)
            used = set(csrc.IDENT.findall(src.code[csrc.struct_definition(src, tag)[1]:]))
            text, removed = csrc.drop_cache_alignment(text, tag, used)
            if removed:
                cand.actions.append('struct {}: {} removed; {}'.format(
                    tag, ', '.join(removed),
                    'the values still start at a cache line, so that an operation touches '
                    'the lines it did, and the padding is free for other variables'
                    if cand.line_aligned else 'values of different lcores never share a '
                    'cache line'))
        text, _ = csrc.add_include(text, 'rte_lcore_var.h')
        if 'memset(' in text and not re.search(r'#\s*include\s*<string\.h>', text):
            text, _ = csrc.add_include(text, 'string.h')
        old_long = {l.strip() for l in self.original.splitlines()
                    if len(l.expandtabs(8)) > MAX_COLUMNS}
        for number, line in enumerate(text.splitlines(), 1):
            if len(line.expandtabs(8)) > MAX_COLUMNS and line.strip() not in old_long:
                owner = next((c for c in converted if re.search(
                    r'\b{}\b'.format(re.escape(c.name)), line)), converted[0])
                owner.note(number, 'line {} of the result is {} columns long; DPDK '
                           'allows {}'.format(number, len(line.expandtabs(8)), MAX_COLUMNS))
        return text

    # -- results -----------------------------------------------------------------------

    def patch(self):
        """The unified diff of the file, empty when nothing changed."""
        if self.new_text == self.original:
            return ''
        return csrc.unified_diff(self.original, self.new_text, self.rel)

    def as_dict(self):
        """The JSON report entry of the file."""
        return {
            'file': self.rel,
            'arrays': [c.as_dict() for c in self.candidates],
            'ignored': [{'line': l, 'name': n, 'why': w} for l, n, w in self.ignored],
        }


def split_args(text):
    """Split an argument list at its top-level commas."""
    args, depth, cur = [], 0, ''
    for c in text:
        if c in '([{':
            depth += 1
        elif c in ')]}':
            depth -= 1
        if c == ',' and depth == 0:
            args.append(cur)
            cur = ''
        else:
            cur += c
    if cur.strip():
        args.append(cur)
    return args


def read(path):
    """A file's text."""
    with open(path, encoding='utf-8', errors='surrogateescape') as file:
        return file.read()


def leftover(text, cand):
    """(line, what) of a use of the array the rewrite did not convert, or None."""
    src = csrc.Source(text)
    patterns = [(r'\b{}\s*\['.format(re.escape(cand.name)), 'an index'),
                (r'\bsizeof\s*\(?\s*{}\b\s*\)?'.format(re.escape(cand.name)), 'a sizeof'),
                (r'\b(rte_)?free\s*\(\s*{}\s*\)'.format(re.escape(cand.name)), 'a free')]
    if cand.kind == 'heap':
        patterns.append((r'\b{}\s*=\s*(?!=)'.format(re.escape(cand.name)), 'an assignment'))
    for pattern, what in patterns:
        match = re.search(pattern, src.code)
        if match:
            return src.line_of(match.start()), '{} (line {})'.format(
                what, src.line_of(match.start()))
    if not re.search(r'RTE_LCORE_VAR_HANDLE\([^;]*\b{}\)'.format(re.escape(cand.name)),
                     src.code):
        return cand.line, 'the declaration'
    return None


def extern_declarations(root, path, name):
    """(file, line) of the extern declarations of a global in the other C sources and
    headers under root (hidden folders, such as quilt's .pc, left out)."""
    try:
        proc = subprocess.run(['grep', '-rnwI', '--include=*.c', '--include=*.h',
                               '--exclude-dir=.*', name, root], capture_output=True,
                              text=True, check=False, timeout=300)
    except (OSError, subprocess.SubprocessError):
        return []
    found = []
    here = os.path.realpath(path)
    for line in proc.stdout.splitlines():
        parts = line.split(':', 2)
        if len(parts) < 3 or os.path.realpath(parts[0]) == here:
            continue
        code = csrc.mask(parts[2])
        if re.search(r'\bextern\b[^;(]*\b{}\b'.format(re.escape(name)), code):
            found.append((os.path.relpath(parts[0], root), int(parts[1])))
    return found


class Seed:
    """The findings of lcore_array_scan.py --json, which restrict the candidates."""

    def __init__(self, path):
        with open(path, encoding='utf-8') as file:
            report = json.load(file)
        self.names = set()
        for entry in report.get('files', []):
            for f in entry.get('findings', []):
                self.names.add((os.path.basename(f.get('file') or ''), f['name']))

    def confirms(self, rel, cand):
        """Whether the scan found this array (by file name and variable name)."""
        base = os.path.basename(rel)
        name = cand.name.split('->')[-1].split('.')[-1]
        return (base, name) in self.names


# ---------------------------------------------------------------------------------------
# Reports

def text_report(files, spatch_line):
    """The human-readable report."""
    out = ['lcore variable migration ({})'.format(spatch_line), '']
    totals = {'found': 0, 'converted': 0, 'refused': 0}
    for fm in files:
        out.append(fm.rel)
        if not fm.candidates:
            out.append('  no per-lcore array')
        for cand in fm.candidates:
            totals['found'] += 1
            status = cand.status()
            totals['converted' if status == 'converted' else 'refused'] += 1
            inner = ''
            elem = cand.type
            if '[' in elem:
                elem, _, inner = elem.partition('[')
                inner = '[' + inner.replace(' ', '')
            what = {'array': '{} {}[{}]{}'.format(elem.strip(), cand.name, cand.dim, inner),
                    'heap': '{} *{} ({} elements)'.format(cand.type, cand.name, cand.dim),
                    'member': 'struct {} {{ {} {}[{}]; }}'.format(cand.struct, cand.type,
                                                                 cand.name, cand.dim)}
            out.append('  {}:{}: {}: {}'.format(fm.rel, cand.line, status.upper(),
                                               what[cand.kind]))
            for action in cand.actions:
                out.append('      done: ' + action)
            for line, reason in cand.refusals:
                out.append('      {}:{}: refused: {}'.format(fm.rel, line, reason))
            for line, text in cand.notes:
                out.append('      {}:{}: review: {}'.format(fm.rel, line, text))
        for line, name, why in fm.ignored:
            out.append('  {}:{}: not per-lcore state: {} ({})'.format(fm.rel, line, name, why))
        out.append('')
    out.append('{found} per-lcore array(s) found: {converted} converted, {refused} '
               'refused'.format(**totals))
    return '\n'.join(out) + '\n', totals


def parse_args(argv):
    """The command line."""
    parser = argparse.ArgumentParser(
        prog='lcore_var_migrate.py',
        description='Rewrite the per-lcore [RTE_MAX_LCORE] arrays of C files into lcore '
        'variables, with Coccinelle; write a patch and a report of what was converted and '
        'what was refused, and why.',
        epilog='Exit status: 0 everything found was converted, 1 some arrays were refused, '
        '2 error.')
    parser.add_argument('files', nargs='+', metavar='FILE', help='C source files')
    parser.add_argument('--root', help='the source tree: paths in the patch and report are '
                        'relative to it, and its other files are searched for uses of '
                        'global arrays (default: the current folder)')
    parser.add_argument('--patch', metavar='FILE', help='write the patch here (default: '
                        'standard output)')
    parser.add_argument('--report', metavar='FILE', help='write the text report here '
                        '(default: standard error)')
    parser.add_argument('--json', metavar='FILE', help='also write the report as JSON')
    parser.add_argument('--in-place', action='store_true', help='rewrite the files')
    parser.add_argument('--seed', metavar='SCAN_JSON', help='lcore_array_scan.py --json '
                        'output: consider only the arrays it found')
    parser.add_argument('--init', action='append', default=[], metavar='NAME=FUNCTION',
                        help='allocate array NAME on the first call of FUNCTION, the '
                        'module\'s init function (may be repeated)')
    parser.add_argument('--spatch', default=os.environ.get('SPATCH', 'spatch'),
                        help='the spatch program (default: spatch, or $SPATCH)')
    parser.add_argument('--timeout', type=int, default=600, help='seconds per spatch run')
    args = parser.parse_args(argv)
    inits = {}
    for item in args.init:
        name, sep, func = item.partition('=')
        if not sep or not name or not func:
            parser.error('--init takes NAME=FUNCTION, not {!r}'.format(item))
        inits[name] = func
    args.init = inits
    args.root = os.path.abspath(args.root or os.getcwd())
    return args


def main(argv=None):
    """Entry point; returns the exit status."""
    try:
        args = parse_args(argv)
    except SystemExit as exc:
        return EXIT_ERROR if exc.code else EXIT_OK
    version = spatch_version(args)
    if version is None:
        sys.stderr.write('lcore_var_migrate: error: {} not found: install Coccinelle '
                         '(Debian: apt-get install coccinelle)\n'.format(args.spatch))
        return EXIT_ERROR
    try:
        seed = Seed(args.seed) if args.seed else None
    except (OSError, ValueError, KeyError) as exc:
        sys.stderr.write('lcore_var_migrate: error: --seed {}: {}\n'.format(args.seed, exc))
        return EXIT_ERROR
    files = []
    try:
        with tempfile.TemporaryDirectory(prefix='lcore-var-migrate-') as workdir:
            for path in args.files:
                if not os.path.isfile(path):
                    raise MigrateError('{}: no such file'.format(path))
                rel = os.path.relpath(os.path.abspath(path), args.root)
                fm = FileMigration(args, path, rel)
                fm.find()
                fm.analyse(seed)
                fm.rewrite(workdir)
                files.append(fm)
    except (MigrateError, OSError, UnicodeError) as exc:
        sys.stderr.write('lcore_var_migrate: error: {}\n'.format(exc))
        return EXIT_ERROR
    patch = ''.join(fm.patch() for fm in files)
    report, totals = text_report(files, version)
    if args.patch:
        with open(args.patch, 'w', encoding='utf-8') as file:
            file.write(patch)
    else:
        sys.stdout.write(patch)
    if args.report:
        with open(args.report, 'w', encoding='utf-8') as file:
            file.write(report)
    else:
        sys.stderr.write(report)
    if args.json:
        with open(args.json, 'w', encoding='utf-8') as file:
            json.dump({'tool': 'lcore_var_migrate', 'format_version': 1,
                       'spatch': version, 'files': [fm.as_dict() for fm in files],
                       'summary': totals}, file, indent=2)
            file.write('\n')
    if args.in_place:
        for fm in files:
            if fm.new_text != fm.original:
                with open(fm.path, 'w', encoding='utf-8', errors='surrogateescape') as file:
                    file.write(fm.new_text)
    return EXIT_REFUSED if totals['refused'] else EXIT_OK


if __name__ == '__main__':
    sys.exit(main())
