#!/usr/bin/env python3
# SPDX-License-Identifier: BSD-3-Clause
# Copyright(c) 2026 The dpdk-lcoremem authors
"""Write a library's GNU ld version script from the export annotations of its sources.

Each exported symbol is announced where it is defined, the way DPDK's own tree does it
since 25.07 (eal_export.h):
    RTE_EXPORT_EXPERIMENTAL_SYMBOL(name, version)   experimental API (EXPERIMENTAL node)
    RTE_EXPORT_INTERNAL_SYMBOL(name)                 internal API (INTERNAL node)
    RTE_EXPORT_SYMBOL(name)                          stable API (DPDK_<abi> node)
In a DPDK tree, DPDK's build reads the same lines; out of tree, this script makes the map
that the shared library is linked with, and every other symbol stays local."""

import argparse
import re
import sys

ANNOTATION = re.compile(r'^\s*RTE_EXPORT_(EXPERIMENTAL_|INTERNAL_)?SYMBOL\s*\(\s*(\w+)\s*'
                        r'(?:,\s*([\w.]+)\s*)?\)', re.MULTILINE)


def collect(paths):
    """Return {node kind: {symbol: version or None}} from the annotated sources."""
    found = {'stable': {}, 'experimental': {}, 'internal': {}}
    for path in paths:
        with open(path, encoding='utf-8') as src:
            text = src.read()
        for kind, name, version in ANNOTATION.findall(text):
            kind = {'': 'stable', 'EXPERIMENTAL_': 'experimental',
                    'INTERNAL_': 'internal'}[kind]
            for other, symbols in found.items():
                if name in symbols and other != kind:
                    sys.exit(f'{path}: {name} is exported both as {other} and {kind}')
            found[kind][name] = version or None
    return found


def node(name, symbols, comment_versions, local, parent=None):
    """One node of the version script."""
    lines = [f'{name} {{', '\tglobal:', '']
    last = None
    for sym in sorted(symbols, key=lambda s: (symbols[s] or '', s)):
        version = symbols[sym]
        if comment_versions and version and version != last:
            if last is not None:
                lines.append('')
            lines.append(f'\t# added in {version}')
            last = version
        lines.append(f'\t{sym};')
    if local:
        lines += ['', '\tlocal: *;']
    lines.append(f'}}{" " + parent if parent else ""};')
    return lines


def main():
    parser = argparse.ArgumentParser(description=__doc__.split('\n', 1)[0])
    parser.add_argument('--abi', required=True, help='ABI version of the stable node')
    parser.add_argument('--output', required=True, help='the version script to write')
    parser.add_argument('sources', nargs='+', help='C sources of the library')
    args = parser.parse_args()
    found = collect(args.sources)
    if not any(found.values()):
        sys.exit('no RTE_EXPORT_*SYMBOL() annotation in ' + ' '.join(args.sources))
    stable_node = f'DPDK_{args.abi}'
    # the first node written carries "local: *", so that nothing else is exported
    lines = []
    if found['stable']:
        lines += node(stable_node, found['stable'], False, True) + ['']
    if found['experimental']:
        lines += node('EXPERIMENTAL', found['experimental'], True, not lines) + ['']
    if found['internal']:
        lines += node('INTERNAL', found['internal'], False, not lines) + ['']
    with open(args.output, 'w', encoding='utf-8') as out:
        out.write('\n'.join(lines))
    return 0


if __name__ == '__main__':
    sys.exit(main())
