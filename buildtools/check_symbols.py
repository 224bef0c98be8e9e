#!/usr/bin/env python3
# SPDX-License-Identifier: BSD-3-Clause
# Copyright(c) 2026 The dpdk-lcoremem authors
"""Check that a shared library exports exactly the functions and variables its version
map names, each under the version node the map puts it in (experimental symbols under
EXPERIMENTAL). Exits 0 when they agree, 1 with a list of differences otherwise."""

import re
import sys

from elftools.elf.elffile import ELFFile
from elftools.elf.gnuversions import GNUVerSymSection


def parse_map(path):
    """Return {symbol: node} for the global symbols of a GNU ld version script."""
    symbols = {}
    node = None
    scope = None
    with open(path, encoding='utf-8') as vmap:
        for raw in vmap:
            line = raw.split('#', 1)[0].strip()
            if not line:
                continue
            opening = re.match(r'^(\w+)\s*\{$', line)
            if opening:
                node, scope = opening.group(1), 'global'
                continue
            if line.startswith('}'):
                node = None
                continue
            if line in ('global:', 'local:'):
                scope = line[:-1]
                continue
            if line.startswith('local:'):
                scope = 'local'
                continue
            if node and scope == 'global':
                symbols[line.rstrip(';').strip()] = node
    return symbols


def exported(path):
    """Return {symbol: version} for the symbols a shared library defines and exports."""
    result = {}
    with open(path, 'rb') as stream:
        elf = ELFFile(stream)
        dynsym = elf.get_section_by_name('.dynsym')
        versym = next((s for s in elf.iter_sections() if isinstance(s, GNUVerSymSection)),
                      None)
        verdef = elf.get_section_by_name('.gnu.version_d')
        names = {}
        if verdef is not None:
            for entry, aux in verdef.iter_versions():
                first = next(iter(aux))
                names[entry['vd_ndx']] = first.name
        for index, sym in enumerate(dynsym.iter_symbols()):
            if sym['st_shndx'] in ('SHN_UNDEF', 'SHN_ABS') or not sym.name:
                continue
            if sym['st_info']['bind'] not in ('STB_GLOBAL', 'STB_WEAK'):
                continue
            if sym['st_info']['type'] not in ('STT_FUNC', 'STT_OBJECT', 'STT_TLS'):
                continue
            version = None
            if versym is not None:
                ndx = versym.get_symbol(index)['ndx']
                if isinstance(ndx, int):
                    version = names.get(ndx & 0x7fff)
            result[sym.name] = version
    return result


def main():
    if len(sys.argv) != 3:
        sys.exit(f'usage: {sys.argv[0]} <shared library> <version map>')
    library, version_map = sys.argv[1:]
    wanted = parse_map(version_map)
    have = exported(library)
    errors = []
    for sym, node in sorted(wanted.items()):
        if sym not in have:
            errors.append(f'{sym}: in {version_map} ({node}) but not exported')
        elif have[sym] != node:
            errors.append(f'{sym}: exported under {have[sym]}, the map says {node}')
    for sym in sorted(set(have) - set(wanted)):
        errors.append(f'{sym}: exported but missing from {version_map}')
    for error in errors:
        print(f'{library}: {error}')
    if errors:
        return 1
    print(f'{library}: {len(have)} exported symbols match {version_map}')
    return 0


if __name__ == '__main__':
    sys.exit(main())
