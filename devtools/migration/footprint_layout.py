#!/usr/bin/env python3
# SPDX-License-Identifier: BSD-3-Clause
# Copyright(c) 2026 The dpdk-lcoremem authors
"""Where each module keeps its per-lcore state in a dpdk-test, and how many bytes it
takes: read from the executable's own debug information (devtools/run-migration.sh).

For each variable asked for (MODULE:FILE:VARIABLE, or MODULE:FILE:STRUCT.MEMBER for a
member array), finds its DWARF entry in the compilation unit of FILE and says:
  * how it is reached: an array at its address, a pointer to a heap array, an lcore
    variable handle (the variables --converted names), or a pointer to a struct holding
    the array (--via POINTER for a member);
  * the size of one element (one lcore's value), and of the whole state:
    RTE_MAX_LCORE elements (plus any extra element the array has).
Writes a JSON document and, with --env, the LCORE_FOOTPRINT_STATE value the footprint
harness (test_lcore_footprint.c) reads.
"""

import argparse
import json
import os
import sys

sys.path.insert(0, os.path.join(os.path.dirname(os.path.abspath(__file__)), '..'))
# the scanner's type helpers (and its fixes to pyelftools 0.29)
import lcore_array_scan as scan     # noqa: E402  pylint: disable=wrong-import-position
from elftools.elf.elffile import ELFFile  # noqa: E402  pylint: disable=wrong-import-position


def cu_name(cu):
    """The source file name of a compilation unit."""
    top = cu.get_top_DIE()
    return scan.to_str(top.attributes['DW_AT_name'].value) \
        if 'DW_AT_name' in top.attributes else ''


def die_name(die):
    """A DIE's DW_AT_name, or None."""
    return scan.to_str(die.attributes['DW_AT_name'].value) \
        if 'DW_AT_name' in die.attributes else None


def describe(types, die, max_lcore, converted):
    """kind, element size and total bytes of a variable DIE's per-lcore state."""
    var_type = types.target(die)
    stripped = types.strip(var_type)
    name = die_name(die)
    if stripped.tag == 'DW_TAG_array_type':
        dims = types.dims(stripped)
        elem = types.size(types.target(stripped))
        for inner in dims[1:]:
            elem *= inner
        return 'array', elem, elem * dims[0]
    if stripped.tag == 'DW_TAG_pointer_type':
        elem = types.size(types.target(stripped))
        kind = 'handle' if name in converted else 'pointer'
        return kind, elem, elem * max_lcore
    raise SystemExit('footprint_layout: {} is neither an array nor a pointer'.format(name))


def location(die):
    """The link-time address of a static variable, from DW_OP_addr."""
    attr = die.attributes.get('DW_AT_location')
    if attr is None or not isinstance(attr.value, list) or attr.value[0] != scan.DW_OP_ADDR:
        return None
    return int.from_bytes(bytes(attr.value[1:9]), 'little')


def find(dwarf, wanted):
    """The DIEs of the wanted (file, name) pairs: variables, and struct types."""
    found = {}
    files = {f for f, _ in wanted}
    for cu in dwarf.iter_CUs():
        base = os.path.basename(cu_name(cu))
        if base not in files:
            continue
        for die in cu.iter_DIEs():
            name = die_name(die)
            if name is None:
                continue
            key = (base, name)
            if key in wanted and key not in found:
                if die.tag == 'DW_TAG_variable' and 'DW_AT_declaration' not in die.attributes:
                    found[key] = die
                elif die.tag == 'DW_TAG_structure_type' and \
                        'DW_AT_declaration' not in die.attributes:
                    found[key] = die
    return found


def member(types, struct_die, name):
    """(offset, element size, total bytes) of an array member of a struct DIE."""
    for child in struct_die.iter_children():
        if child.tag == 'DW_TAG_member' and die_name(child) == name:
            offset = child.attributes['DW_AT_data_member_location'].value
            array = types.strip(types.target(child))
            elem = types.size(types.target(array))
            return offset, elem, types.size(array)
    raise SystemExit('footprint_layout: no member {}'.format(name))


def main():
    """Entry point."""
    parser = argparse.ArgumentParser(description=__doc__.split('\n', 1)[0])
    parser.add_argument('elf', help='the dpdk-test executable')
    parser.add_argument('--var', action='append', default=[], metavar='MODULE:FILE:NAME',
                        help='a per-lcore variable, or STRUCT.MEMBER for a member array')
    parser.add_argument('--via', action='append', default=[],
                        metavar='STRUCT.MEMBER=POINTER',
                        help='the static pointer through which a member array is reached')
    parser.add_argument('--converted', default='', help='comma-separated names that are '
                        'lcore variables in this build')
    parser.add_argument('--max-lcore', type=int, required=True)
    parser.add_argument('--json', required=True, help='write the layout here')
    parser.add_argument('--env', help='write the LCORE_FOOTPRINT_STATE value here')
    args = parser.parse_args()

    converted = set(filter(None, args.converted.split(',')))
    vias = dict(v.split('=', 1) for v in args.via)
    specs = []
    wanted = set()
    for spec in args.var:
        module, file, name = spec.split(':')
        specs.append((module, file, name))
        if '.' in name:
            struct, _ = name.split('.', 1)
            wanted.add((file, struct))
            if name in vias:
                wanted.add((file, vias[name]))
        else:
            wanted.add((file, name))
    with open(args.elf, 'rb') as stream:
        elf = ELFFile(stream)
        dwarf = elf.get_dwarf_info()
        types = scan.TypeInfo()
        dies = find(dwarf, wanted)
        layout, env = [], []
        for module, file, name in specs:
            entry = {'module': module, 'file': file, 'name': name}
            if '.' in name:
                struct, field = name.split('.', 1)
                if (file, struct) not in dies:
                    raise SystemExit('footprint_layout: struct {} not found in {}'.format(
                        struct, file))
                offset, elem, total = member(types, dies[(file, struct)], field)
                entry.update(kind='member', element_bytes=elem, bytes=total,
                             offset=offset, per_instance=True)
                pointer = vias.get(name)
                if pointer and (file, pointer) in dies:
                    addr = location(dies[(file, pointer)])
                    env.append('{},{},member,{:#x},{},{}'.format(module, name, addr, elem,
                                                                 offset))
                    entry['per_instance'] = False
            else:
                if (file, name) not in dies:
                    raise SystemExit('footprint_layout: variable {} not found in {}'.format(
                        name, file))
                die = dies[(file, name)]
                kind, elem, total = describe(types, die, args.max_lcore, converted)
                addr = location(die)
                entry.update(kind=kind, element_bytes=elem, bytes=total, address=addr)
                env.append('{},{},{},{:#x},{},0'.format(module, name, kind, addr, elem))
            layout.append(entry)
    with open(args.json, 'w', encoding='utf-8') as file:
        json.dump({'max_lcore': args.max_lcore, 'variables': layout}, file, indent=2)
        file.write('\n')
    if args.env:
        with open(args.env, 'w', encoding='utf-8') as file:
            file.write(';'.join(env) + '\n')
    for entry in layout:
        print('{module:8} {name:40} {kind:7} {element_bytes:6} B x lcore  {bytes:7} B'.format(
            **entry))
    return 0


if __name__ == '__main__':
    sys.exit(main())
