#!/usr/bin/env python3
# SPDX-License-Identifier: BSD-3-Clause
# Copyright(c) 2026 The dpdk-lcoremem authors
"""Turn a scratch copy of a DPDK source tree into the minimal DPDK that the migration
proof builds (devtools/run-migration.sh):

  * only the libraries it names are built (lib/meson.build's list is cut down: DPDK 22.11
    cannot disable most libraries by option);
  * this project's lcore variables are compiled into its EAL (rte_lcore_var.h,
    eal_common_lcore_var.c, the exported symbol, and the rte_lcoremem_config.h and
    eal_export.h they need);
  * its dpdk-test is built from the test sources it names only, plus the footprint
    harness of devtools/migration.

It edits the copy it is given, never this project, and prints what it did.
"""

import argparse
import os
import re
import shutil
import sys


def edit(path, func):
    """Rewrite a file through func(text) -> text; fail when nothing changes."""
    with open(path, encoding='utf-8') as file:
        old = file.read()
    new = func(old)
    if new == old:
        raise SystemExit('prepare_dpdk_tree: {}: nothing to change (not the tree '
                         'expected?)'.format(path))
    with open(path, 'w', encoding='utf-8') as file:
        file.write(new)


def quoted_list(names, indent):
    """A meson list body, one quoted name a line."""
    return ''.join('{}\'{}\',\n'.format(indent, n) for n in names)


def cut_libraries(tree, libs):
    """Keep only the given libraries in lib/meson.build (in DPDK's order)."""
    def cut(text):
        match = re.search(r'^libraries = \[\n(.*?)^\]', text, re.S | re.M)
        if not match:
            return text
        known = re.findall(r"'(\w+)'", match.group(1))
        missing = [l for l in libs if l not in known]
        if missing:
            raise SystemExit('prepare_dpdk_tree: unknown libraries: ' + ', '.join(missing))
        kept = [l for l in known if l in libs]
        return text[:match.start(1)] + quoted_list(kept, '        ') + text[match.end(1):]
    edit(os.path.join(tree, 'lib', 'meson.build'), cut)
    print('libraries: ' + ' '.join(libs))


def add_lcore_var(tree, project, max_lcore_var):
    """Compile this project's lcore variables into EAL."""
    eal = os.path.join(tree, 'lib', 'eal')
    shutil.copy(os.path.join(project, 'lib', 'eal', 'include', 'rte_lcore_var.h'),
                os.path.join(eal, 'include'))
    shutil.copy(os.path.join(project, 'lib', 'eal', 'common', 'eal_common_lcore_var.c'),
                os.path.join(eal, 'common'))
    # the symbol export annotations of the source: DPDK 22.11 has no eal_export.h (it
    # exports through version.map, below), this project's empty-expansion one serves
    export = os.path.join(project, 'lib', 'eal', 'common', 'eal_export.h')
    if os.path.exists(export) and not os.path.exists(os.path.join(eal, 'common',
                                                                  'eal_export.h')):
        shutil.copy(export, os.path.join(eal, 'common'))
    with open(os.path.join(eal, 'include', 'rte_lcoremem_config.h'), 'w',
              encoding='utf-8') as file:
        file.write('/* written by dpdk-lcoremem devtools/migration/prepare_dpdk_tree.py */\n'
                   '#ifndef RTE_LCOREMEM_CONFIG_H\n#define RTE_LCOREMEM_CONFIG_H\n'
                   '#define RTE_MAX_LCORE_VAR {}\n'
                   '#define RTE_LCOREMEM_NATIVE_LCORE_VAR 0\n'
                   '#endif\n'.format(max_lcore_var))
    edit(os.path.join(eal, 'include', 'meson.build'), lambda t: t.replace(
        "headers += files(\n", "headers += files(\n        'rte_lcore_var.h',\n"
        "        'rte_lcoremem_config.h',\n", 1))
    edit(os.path.join(eal, 'common', 'meson.build'), lambda t: t.replace(
        "sources += files(\n", "sources += files(\n        'eal_common_lcore_var.c',\n", 1))
    edit(os.path.join(eal, 'version.map'), lambda t: t.replace(
        "EXPERIMENTAL {\n\tglobal:\n",
        "EXPERIMENTAL {\n\tglobal:\n\n\t# dpdk-lcoremem's lcore variables\n"
        "\trte_lcore_var_alloc;\n", 1))
    print('EAL: lcore variables of {} (RTE_MAX_LCORE_VAR {})'.format(project, max_lcore_var))


def cut_tests(tree, sources, extra):
    """Build dpdk-test from the given test sources and the extra files: the list meson
    has gathered (some of it conditionally) is replaced just before the executable."""
    test = os.path.join(tree, 'app', 'test')
    for path in extra:
        shutil.copy(path, test)
    for source in sources:
        if not os.path.isfile(os.path.join(test, source)):
            raise SystemExit('prepare_dpdk_tree: no app/test/' + source)
    names = sources + [os.path.basename(p) for p in extra if p.endswith('.c')]

    def cut(text):
        return text.replace("dpdk_test = executable('dpdk-test',",
                            "# dpdk-lcoremem migration proof: these tests only\n"
                            "test_sources = files(\n" + quoted_list(names, '        ') +
                            ")\n\ndpdk_test = executable('dpdk-test',", 1)
    edit(os.path.join(test, 'meson.build'), cut)
    print('dpdk-test: ' + ' '.join(names))


def main():
    """Entry point."""
    parser = argparse.ArgumentParser(description=__doc__.split('\n', 1)[0])
    parser.add_argument('tree', help='the scratch DPDK source tree to edit')
    parser.add_argument('--project', required=True, help='this project\'s top folder')
    parser.add_argument('--libs', required=True, help='comma-separated libraries to keep')
    parser.add_argument('--tests', required=True, help='comma-separated app/test sources')
    parser.add_argument('--extra', action='append', default=[],
                        help='a file to add to app/test (a .c file is compiled in)')
    parser.add_argument('--max-lcore-var', type=int, default=131072)
    args = parser.parse_args()
    cut_libraries(args.tree, args.libs.split(','))
    add_lcore_var(args.tree, args.project, args.max_lcore_var)
    cut_tests(args.tree, args.tests.split(','), args.extra)
    return 0


if __name__ == '__main__':
    sys.exit(main())
