#!/usr/bin/env python3
# SPDX-License-Identifier: BSD-3-Clause
# Copyright(c) 2026 The dpdk-lcoremem authors

"""Compile the C examples of the guides, so that they cannot rot.

    check-doc-examples.py [--list] [--keep DIR] [--header FILE]... GUIDES -- CC [CFLAGS...]

Every ``.. code-block:: c`` of the reStructuredText files under GUIDES is compiled with
CC -Wall -Wextra -Werror and the CFLAGS, against the project's headers as an application
sees them once installed: each --header FILE is copied into one include folder. The
conventions (doc/guides/contributing/documentation.rst):

- The C blocks of a guide form one translation unit, in the order of the text, so that a
  later block may use what an earlier one declared. Each unit starts with the includes of
  PRELUDE below; the examples need not repeat them.
- A comment ``.. example: NAME`` just before a block puts that block, and the blocks after
  it, in the unit NAME of the guide: for code shown twice, before and after a change.
- A comment ``.. fragment: REASON`` just before a block leaves that block out, for code
  that cannot compile on its own; the reason is required.

Compiler messages point at the lines of the .rst files. Exit status: 0 when every unit
compiles, 1 when one does not or no example was found, 2 on bad usage or a malformed
marker.
"""

import argparse
import os
import re
import shutil
import subprocess
import sys
import tempfile

# What every unit includes: the C library and DPDK headers the examples use, and the
# project's public headers.
PRELUDE = '''\
#include <errno.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <rte_branch_prediction.h>
#include <rte_common.h>
#include <rte_debug.h>
#include <rte_eal.h>
#include <rte_errno.h>
#include <rte_launch.h>
#include <rte_lcore.h>
#include <rte_malloc.h>
#include <rte_memory.h>
#include <rte_spinlock.h>

#include <rte_lcore_var.h>
#include <rte_fastmem.h>

/* the guides show code for DPDK 23.03 and later, which has cache guards */
#ifndef RTE_CACHE_GUARD
#define RTE_CACHE_GUARD char rte_cache_guard_[RTE_CACHE_LINE_SIZE] __rte_cache_aligned
#endif
'''

WARNINGS = ['-Wall', '-Wextra', '-Werror']

DIRECTIVE = re.compile(
    r'^(?P<indent>\s*)\.\.\s+(?:code-block|sourcecode|code)::\s*(?P<lang>\S*)\s*$')
MARKER = re.compile(r'^\s*\.\.\s+(?P<kind>example|fragment):(?P<arg>.*)$')
UNIT_NAME = re.compile(r'^[A-Za-z0-9_-]+$')


class MarkerError(Exception):
    """A malformed example or fragment comment."""


class Block:
    """One C code block: where it is, its text, and what the comment before it says."""

    def __init__(self, path, line, text, unit, fragment):
        self.path = path
        self.line = line            # line of the block's first line of code, from 1
        self.text = text
        self.unit = unit
        self.fragment = fragment    # the reason, or None when the block is compiled


def indent_of(line):
    """The number of leading blanks of LINE."""
    return len(line) - len(line.lstrip())


def block_body(lines, start, indent):
    """The code of the directive at lines[start]: (first line number, dedented text).

    The options (":name: value") and the blank line after them are skipped; the body is
    every following line indented deeper than the directive, with blank lines inside.
    """
    i = start + 1
    while i < len(lines) and lines[i].strip().startswith(':') and indent_of(lines[i]) > indent:
        i += 1
    body = []
    first = None
    while i < len(lines):
        line = lines[i]
        if line.strip() and indent_of(line) <= indent:
            break
        if line.strip() and first is None:
            first = i
        if first is not None:
            body.append(line)
        i += 1
    while body and not body[-1].strip():
        body.pop()
    if first is None:
        return start + 2, ''
    depth = min(indent_of(l) for l in body if l.strip())
    return first + 1, '\n'.join(l[depth:] for l in body) + '\n'


def marker_before(lines, start, path):
    """The marker comment on the last non-blank line before lines[start]: (kind, arg)."""
    i = start - 1
    while i >= 0 and not lines[i].strip():
        i -= 1
    if i < 0:
        return None, None
    match = MARKER.match(lines[i])
    if not match:
        return None, None
    kind, arg = match.group('kind'), match.group('arg').strip()
    where = f'{path}:{i + 1}'
    if kind == 'fragment' and not arg:
        raise MarkerError(f'{where}: ".. fragment:" needs a reason')
    if kind == 'example' and not UNIT_NAME.match(arg):
        raise MarkerError(f'{where}: ".. example:" needs a name of letters, digits, '
                          f'"_" and "-", not {arg!r}')
    return kind, arg


def extract(path, relpath):
    """The C blocks of one guide, with their units and fragment reasons."""
    with open(path, encoding='utf-8') as f:
        lines = f.read().split('\n')
    unit = os.path.splitext(os.path.basename(relpath))[0]
    blocks = []
    i = 0
    while i < len(lines):
        match = DIRECTIVE.match(lines[i])
        if not match:
            i += 1
            continue
        first, text = block_body(lines, i, len(match.group('indent')))
        if match.group('lang') == 'c':
            kind, arg = marker_before(lines, i, relpath)
            if kind == 'example':
                unit = arg
            blocks.append(Block(relpath, first, text, unit,
                                arg if kind == 'fragment' else None))
        # past the block: what it shows (an example of reStructuredText, say) is text
        i = first + max(text.count('\n'), 1) - 1
    return blocks


def find_guides(top):
    """The .rst files under TOP, in a stable order, as (path, path relative to TOP)."""
    found = []
    for root, dirs, files in os.walk(top):
        dirs[:] = sorted(d for d in dirs if not d.startswith(('.', '_')))
        for name in sorted(files):
            if name.endswith('.rst'):
                path = os.path.join(root, name)
                found.append((path, os.path.relpath(path, top)))
    return found


def units_of(blocks):
    """The compiled blocks grouped by (guide, unit), in order of first appearance."""
    units = {}
    for b in blocks:
        if b.fragment is None:
            units.setdefault((b.path, b.unit), []).append(b)
    return units


def unit_source(blocks, guides_label):
    """The C source of one unit: the prelude, then each block at its .rst line."""
    parts = [f'/* generated by check-doc-examples.py from {guides_label} */\n', PRELUDE]
    for b in blocks:
        name = os.path.join(guides_label, b.path).replace('\\', '\\\\').replace('"', '\\"')
        parts.append(f'#line {b.line} "{name}"\n{b.text}')
    return ''.join(parts)


def compile_unit(cc, source, workdir, label):
    """Compile one unit; return (success, compiler output)."""
    src = os.path.join(workdir, label + '.c')
    with open(src, 'w', encoding='utf-8') as f:
        f.write(source)
    cmd = cc + ['-c', src, '-o', os.path.join(workdir, label + '.o')]
    proc = subprocess.run(cmd, capture_output=True, text=True, check=False)
    out = (proc.stdout + proc.stderr).strip()
    if proc.returncode != 0:
        out = '$ ' + ' '.join(cmd) + '\n' + out
    return proc.returncode == 0, out


def parse_args(argv):
    if '--' not in argv:
        print('check-doc-examples: the compiler command follows "--"', file=sys.stderr)
        sys.exit(2)
    sep = argv.index('--')
    parser = argparse.ArgumentParser(description='Compile the C examples of the guides.')
    parser.add_argument('guides', help='folder of the .rst files (doc/guides)')
    parser.add_argument('--header', action='append', default=[],
                        help='a header the examples may include (repeatable)')
    parser.add_argument('--keep', metavar='DIR',
                        help='write the generated sources into DIR and keep them')
    parser.add_argument('--list', action='store_true',
                        help='list the units and fragments; compile nothing')
    args = parser.parse_args(argv[:sep])
    args.cc = argv[sep + 1:]
    if not args.cc and not args.list:
        parser.error('no compiler command after "--"')
    return args


def main(argv):
    args = parse_args(argv)
    label = os.path.relpath(args.guides)
    try:
        blocks = [b for path, rel in find_guides(args.guides) for b in extract(path, rel)]
    except MarkerError as err:
        print(f'check-doc-examples: {err}', file=sys.stderr)
        return 2
    units = units_of(blocks)
    fragments = [b for b in blocks if b.fragment is not None]
    if args.list:
        for (path, unit), unit_blocks in units.items():
            lines = ', '.join(str(b.line) for b in unit_blocks)
            print(f'unit     {path}:{unit}: lines {lines}')
        for b in fragments:
            print(f'fragment {b.path}:{b.line}: {b.fragment}')
        return 0
    if not units:
        print(f'check-doc-examples: no compiled C example under {args.guides}')
        return 1

    workdir = args.keep or tempfile.mkdtemp(prefix='doc-examples.')
    os.makedirs(workdir, exist_ok=True)
    incdir = os.path.join(workdir, 'include')
    os.makedirs(incdir, exist_ok=True)
    for h in args.header:
        shutil.copy(h, incdir)
    cc = args.cc + WARNINGS + ['-I' + incdir]
    failed = 0
    try:
        for (path, unit), unit_blocks in units.items():
            name = re.sub(r'[^A-Za-z0-9_]', '_', f'{path}_{unit}')
            ok, out = compile_unit(cc, unit_source(unit_blocks, label), workdir, name)
            print(f'{"ok  " if ok else "FAIL"}  {path}: example "{unit}" '
                  f'({len(unit_blocks)} block(s), from line {unit_blocks[0].line})')
            if out:
                print(out)
            failed += not ok
    finally:
        if not args.keep:
            shutil.rmtree(workdir, ignore_errors=True)
    print(f'{len(units) - failed} of {len(units)} example(s) compiled; '
          f'{len(fragments)} fragment(s) not compiled')
    return 1 if failed else 0


if __name__ == '__main__':
    sys.exit(main(sys.argv[1:]))
