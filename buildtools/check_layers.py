#!/usr/bin/env python3
# SPDX-License-Identifier: BSD-3-Clause
# Copyright(c) 2026 The dpdk-lcoremem authors
"""Check that the calls between the C files of a library go down its layers only.

The files are given top layer first; a function defined (without static) in one of them
may be called from a file above it, never from one below it. Calls inside a file are
free. Exits 0 when every call goes down, 1 with the calls that do not, 2 on bad input."""

import argparse
import os
import re
import sys

COMMENT = re.compile(r'/\*.*?\*/|//[^\n]*', re.S)
STRING = re.compile(r'"(?:\\.|[^"\\])*"|\'(?:\\.|[^\'\\])*\'')
# a definition: the name at the start of a line, its return type on the line before
DEFINITION = re.compile(r'^([A-Za-z_]\w*)\s*\(', re.M)


def code_of(path):
    """The file's text without comments and string literals, lines kept."""
    with open(path, encoding='utf-8') as src:
        text = src.read()
    blank = lambda m: re.sub(r'[^\n]', ' ', m.group(0))
    return STRING.sub(blank, COMMENT.sub(blank, text))


def definitions(code):
    """The non-static functions a file defines: {name: line}."""
    found = {}
    lines = code.split('\n')
    for match in DEFINITION.finditer(code):
        if match.group(1).isupper():
            continue  # a macro at the start of a line (RTE_EXPORT_..., RTE_INIT)
        line = code.count('\n', 0, match.start())
        rest = code[match.end():]
        # a prototype ends with ';' before any '{'
        brace, semi = rest.find('{'), rest.find(';')
        if brace < 0 or (0 <= semi < brace):
            continue
        before = ' '.join(lines[max(0, line - 3):line])
        if re.search(r'\bstatic\b', before.split(';')[-1].split('}')[-1]):
            continue
        found[match.group(1)] = line + 1
    return found


SELF_TEST = {
    'top.c': 'static int\nhelper(void)\n{\n\treturn bottom(1);\n}\n\nint\ntop(void)\n'
             '{\n\treturn helper(); /* bottom() in a comment */\n}\n',
    'bottom.c': 'int\nbottom(int x)\n{\n\treturn x;\n}\n\nint\nup(void)\n'
                '{\n\treturn top();\n}\n',
}


def self_test():
    """The checker on two files, one calling up: it must find exactly that call."""
    import subprocess
    import tempfile
    with tempfile.TemporaryDirectory() as tmp:
        paths = []
        for name, text in SELF_TEST.items():
            paths.append(os.path.join(tmp, name))
            with open(paths[-1], 'w', encoding='utf-8') as f:
                f.write(text)
        res = subprocess.run([sys.executable, __file__] + paths, capture_output=True,
                             text=True, check=False)
    # top.c's call of bottom() goes down, bottom.c's of top() up; comments do not count
    ok = (res.returncode == 1 and res.stdout.count('calls ') == 1 and
          'bottom.c:10: calls top()' in res.stdout)
    print(f'check_layers: self-test {"passed" if ok else "FAILED"}')
    if not ok:
        print(res.stdout)
    return 0 if ok else 1


def main():
    parser = argparse.ArgumentParser(description=__doc__.split('\n', 1)[0])
    parser.add_argument('files', nargs='*', help='the C files, top layer first')
    parser.add_argument('--self-test', action='store_true',
                        help='check the checker on two files of its own')
    args = parser.parse_args()
    if args.self_test:
        return self_test()
    if not args.files:
        parser.error('no file')
    codes = {}
    owner = {}
    for rank, path in enumerate(args.files):
        if not os.path.isfile(path):
            print(f'check_layers: {path}: no such file')
            return 2
        codes[path] = code_of(path)
        for name in definitions(codes[path]):
            if name in owner:
                print(f'check_layers: {name} defined in {owner[name][0]} and {path}')
                return 2
            owner[name] = (path, rank)
    calls = re.compile(r'\b(' + '|'.join(sorted(owner, key=len, reverse=True)) + r')\s*\(')
    errors = []
    edges = set()
    for rank, path in enumerate(args.files):
        code = codes[path]
        own = definitions(code)
        for match in calls.finditer(code):
            name = match.group(1)
            callee, callee_rank = owner[name]
            line = code.count('\n', 0, match.start()) + 1
            if callee == path or own.get(name) == line:
                continue
            edges.add((os.path.basename(path), os.path.basename(callee)))
            if callee_rank <= rank:
                errors.append(f'{path}:{line}: calls {name}() of {callee}, a layer '
                              f'{"above" if callee_rank < rank else "beside"} it')
    for error in errors:
        print(error)
    if errors:
        return 1
    print(f'check_layers: {len(args.files)} files, {len(owner)} functions, '
          f'{len(edges)} file-to-file call edges, all downward')
    return 0


if __name__ == '__main__':
    sys.exit(main())
