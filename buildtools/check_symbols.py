#!/usr/bin/env python3
# SPDX-License-Identifier: BSD-3-Clause
# Copyright(c) 2026 The dpdk-lcoremem authors
"""Check that a shared library exports exactly the functions and variables its version
map names, each under the version node the map puts it in (experimental symbols under
EXPERIMENTAL). With --static, also check in the objects of the static library that every
experimental function is defined in .text.experimental (marked __rte_experimental), and
that every function there is exported as experimental. Exits 0 when all agree, 1 with a
list of differences otherwise."""

import argparse
import io
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


def archive_members(path):
    """Yield (name, bytes) for the members of a System V / GNU ar archive."""
    with open(path, 'rb') as stream:
        data = stream.read()
    if not data.startswith(b'!<arch>\n'):
        sys.exit(f'{path}: not an ar archive')
    offset = 8
    while offset + 60 <= len(data):
        header = data[offset:offset + 60]
        name = header[:16].decode('ascii', 'replace').strip()
        size = int(header[48:58].decode('ascii').strip())
        body = data[offset + 60:offset + 60 + size]
        if name not in ('/', '//', '/SYM64/'):
            yield name, body
        offset += 60 + size + (size & 1)


def function_sections(path):
    """Return {function: section name} for the global functions the objects define."""
    result = {}
    for _, body in archive_members(path):
        if not body.startswith(b'\x7fELF'):
            continue
        elf = ELFFile(io.BytesIO(body))
        symtab = elf.get_section_by_name('.symtab')
        if symtab is None:
            continue
        for sym in symtab.iter_symbols():
            if (sym['st_info']['type'] != 'STT_FUNC' or
                    sym['st_info']['bind'] not in ('STB_GLOBAL', 'STB_WEAK') or
                    not isinstance(sym['st_shndx'], int)):
                continue
            result[sym.name] = elf.get_section(sym['st_shndx']).name
    return result


def check_experimental(static, wanted):
    """Errors of the __rte_experimental marking of the static library's functions."""
    errors = []
    sections = function_sections(static)
    for sym, section in sorted(sections.items()):
        is_exp = wanted.get(sym) == 'EXPERIMENTAL'
        if is_exp and section != '.text.experimental':
            errors.append(f'{sym}: exported as experimental but not marked '
                          f'__rte_experimental (in {section})')
        elif section == '.text.experimental' and not is_exp:
            errors.append(f'{sym}: marked __rte_experimental but not exported with '
                          'RTE_EXPORT_EXPERIMENTAL_SYMBOL()')
    return errors


def main():
    parser = argparse.ArgumentParser(description=__doc__.split('\n', 1)[0])
    parser.add_argument('library', help='the shared library')
    parser.add_argument('version_map', help='its version map')
    parser.add_argument('--static', help='the static library built from the same sources')
    args = parser.parse_args()
    library, version_map = args.library, args.version_map
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
    if args.static:
        errors += check_experimental(args.static, wanted)
    for error in errors:
        print(f'{library}: {error}')
    if errors:
        return 1
    print(f'{library}: {len(have)} exported symbols match {version_map}')
    return 0


if __name__ == '__main__':
    sys.exit(main())
