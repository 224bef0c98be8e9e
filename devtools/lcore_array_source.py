# SPDX-License-Identifier: BSD-3-Clause
# Copyright(c) 2026 The dpdk-lcoremem authors
"""Source text checks of devtools/lcore_array_scan.py.

The debug information gives an array's length, not how its declaration spelt it: an
array of RTE_MAX_LCORE_FREQS or RTE_MAX_MEMSEG_LISTS elements is as long as one of
RTE_MAX_LCORE elements when the values agree. The scanner reads the declaration in the
source file the DWARF names, at the line it names, and keeps the arrays whose outer
dimension says RTE_MAX_LCORE, directly or through macros (the DWARF macro information
of a -g3 build, and the #defines of the file itself). It also finds, in each source file,
the allocations that size a heap array by RTE_MAX_LCORE, which no DWARF entry describes.
"""

import os
import re

from lcore_var_csource import mask

IDENT = re.compile(r'[A-Za-z_]\w*')
ALLOCATORS = ('rte_zmalloc', 'rte_malloc', 'rte_calloc', 'rte_zmalloc_socket',
              'rte_malloc_socket', 'rte_calloc_socket', 'malloc', 'calloc')
ALLOCATION = re.compile(r'([A-Za-z_][\w.\->\[\]]*)\s*=\s*(?:\([^()]*\)\s*)?(' +
                        '|'.join(ALLOCATORS) + r')\s*\(')
DEFINE = re.compile(r'^[ \t]*#[ \t]*define[ \t]+([A-Za-z_]\w*)(?![(\w])[ \t]*(.*)$', re.M)
TARGET = 'RTE_MAX_LCORE'


class SourceFiles:
    """The source files a scan reads, each read once: their code (comments and strings
    blanked), and the object-like macros each defines."""

    def __init__(self):
        self.cache = {}
        self.units = {}

    def code(self, path):
        """The code of a file, or None when it cannot be read."""
        if path not in self.cache:
            try:
                with open(path, encoding='utf-8', errors='replace') as file:
                    self.cache[path] = mask(file.read())
            except OSError:
                self.cache[path] = None
        return self.cache[path]

    def defines(self, path):
        """name -> body of the object-like macros a file defines."""
        code = self.code(path)
        if code is None:
            return {}
        return {m.group(1): m.group(2).strip() for m in DEFINE.finditer(code)}

    def unit_defines(self, key, paths):
        """name -> bodies of the object-like macros the files of a compilation unit (its
        source and every header its line table names) define, cached under key."""
        if key not in self.units:
            macros = {}
            for path in paths:
                for name, body in self.defines(path).items():
                    macros.setdefault(name, []).append(body)
            self.units[key] = macros
        return self.units[key]


def bracket_text(code, start):
    """The text between the bracket at code[start] and the one that closes it."""
    depth = 0
    for i in range(start, len(code)):
        if code[i] == '[':
            depth += 1
        elif code[i] == ']':
            depth -= 1
            if depth == 0:
                return code[start + 1:i]
    return None


def dimension_text(files, path, line, name):
    """The outer dimension of the declaration of `name` that starts at a line of a file,
    as the source spells it, or None when the file or the declaration is not there."""
    code = files.code(path) if path else None
    if code is None or not line:
        return None
    starts = [0] + [m.end() for m in re.finditer('\n', code)]
    if line > len(starts):
        return None
    window = code[starts[line - 1]:starts[min(line + 5, len(starts) - 1)]]
    match = re.search(r'\b{}\s*\['.format(re.escape(name)), window)
    if match is None:
        return None
    return bracket_text(window, match.end() - 1)


def names_max_lcore(text, macros, depth=0):
    """How a dimension's text names RTE_MAX_LCORE: 'source text' when it says so,
    'macro' when one of its macros expands to it, None when it does not."""
    words = set(IDENT.findall(text))
    if TARGET in words:
        return 'source text'
    if depth >= 16:
        return None
    for word in words:
        bodies = macros.get(word)
        if bodies is None:
            continue
        for body in ([bodies] if isinstance(bodies, str) else bodies):
            if names_max_lcore(body, macros, depth + 1):
                return 'macro'
    return None


def heap_allocations(files, path, macros):
    """(line, last line, target, allocator, argument text) of each allocation in a file
    whose arguments name RTE_MAX_LCORE, directly or through a macro."""
    code = files.code(path)
    if code is None:
        return []
    found = []
    for match in ALLOCATION.finditer(code):
        open_paren = match.end() - 1
        depth, i = 0, open_paren
        while i < len(code):
            if code[i] == '(':
                depth += 1
            elif code[i] == ')':
                depth -= 1
                if depth == 0:
                    break
            i += 1
        args = ' '.join(code[open_paren + 1:i].split())
        if names_max_lcore(args, macros):
            line = code.count('\n', 0, match.start()) + 1
            found.append((line, code.count('\n', 0, i) + 1, match.group(1), match.group(2),
                          args))
    return found


def element_sizeof(args, allocator):
    """The operand of the sizeof() that gives the element size of a count x size
    allocation (sizeof(struct x), sizeof(*p)...), or None."""
    sizes = re.findall(r'sizeof\s*\(\s*([^()]*(?:\([^()]*\)[^()]*)*)\)', args)
    if allocator in ('rte_calloc', 'rte_calloc_socket', 'calloc') or len(sizes) == 1:
        return sizes[0].strip() if sizes else None
    return None


def build_config_near(paths):
    """The first rte_build_config.h in one of the folders given, or one of their parents
    (a DPDK build folder holds one at its top), or None."""
    seen = set()
    for start in paths:
        folder = os.path.abspath(start) if start else None
        while folder and folder not in seen:
            seen.add(folder)
            candidate = os.path.join(folder, 'rte_build_config.h')
            if os.path.isfile(candidate):
                return candidate
            parent = os.path.dirname(folder)
            if parent == folder:
                break
            folder = parent
    return None
