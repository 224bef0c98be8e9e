#!/usr/bin/env python3
# SPDX-License-Identifier: BSD-3-Clause
# Copyright(c) 2026 The dpdk-lcoremem authors
"""Put lib/fastmem, its autotests and its guide into a DPDK source tree, as a maintainer
applying the fastmem patch series would: the files are copied unchanged and registered
where DPDK lists its libraries, tests and documentation.

  lib/fastmem/                    copied as it is, and added to lib/meson.build
  app/test/<the in-tree tests>    those of fastmem_dpdk_test_sources in app/test/meson.build
                                  (the tests that need only what DPDK's own app/test
                                  offers), with the headers they include, and added to the
                                  source_file_deps of DPDK's app/test/meson.build
  doc/guides/prog_guide/fastmem_lib.rst and its figure
                                  added to the programmer's guide index; rte_fastmem.h
                                  added to the API index (doc/api)
  MAINTAINERS                     a "Fastmem - EXPERIMENTAL" entry

With --commit, in a git work tree, the change is committed as three patches (guide,
library, tests), the shape of the series on the mailing list. Running it twice changes
nothing the second time. Exit status 0 on success, 1 with a message otherwise."""

import argparse
import os
import re
import shutil
import subprocess
import sys

TOP = os.path.dirname(os.path.dirname(os.path.abspath(__file__)))

# DPDK libraries a test file needs, from the headers it includes (EAL is always there)
HEADER_LIBS = {
    'rte_fastmem.h': 'fastmem',
    'rte_mempool.h': 'mempool',
    'rte_ring.h': 'ring',
}


def fail(msg):
    sys.exit(f'dpdk-add-fastmem: {msg}')


def read(path):
    with open(path, encoding='utf-8') as f:
        return f.read()


def write(path, text):
    with open(path, 'w', encoding='utf-8') as f:
        f.write(text)


def dpdk_test_sources():
    """The in-tree test files, as app/test/meson.build lists them."""
    text = read(os.path.join(TOP, 'app', 'test', 'meson.build'))
    block = re.search(r'fastmem_dpdk_test_sources\s*=\s*files\((.*?)\)', text, re.S)
    if block is None:
        fail('app/test/meson.build has no fastmem_dpdk_test_sources = files(...)')
    return re.findall(r"'([\w.]+\.c)'", block.group(1))


def local_headers(path):
    """The "test_*.h" headers a test file includes, recursively."""
    found = []
    for name in re.findall(r'#include "(test_fastmem[\w]*\.h)"', read(path)):
        hdr = os.path.join(os.path.dirname(path), name)
        if name not in found:
            found.append(name)
            found += [h for h in local_headers(hdr) if h not in found]
    return found


def test_deps(path):
    """DPDK libraries a test needs: those of the headers it and its local headers use."""
    text = read(path)
    for hdr in local_headers(path):
        text += read(os.path.join(os.path.dirname(path), hdr))
    libs = {HEADER_LIBS[h] for h in re.findall(r'#include <(rte_\w+\.h)>', text)
            if h in HEADER_LIBS}
    return sorted(libs, key=lambda lib: (lib != 'fastmem', lib))


def insert_line(text, after_pattern, line, what):
    """Insert line after the first line matching after_pattern, once."""
    if line.strip() in (l.strip() for l in text.split('\n')):
        return text
    match = re.search(after_pattern, text, re.M)
    if match is None:
        fail(f'cannot find where to register {what}')
    end = text.index('\n', match.end()) + 1
    return text[:end] + line + '\n' + text[end:]


def copy_tree(src, dst):
    if os.path.exists(dst):
        shutil.rmtree(dst)
    shutil.copytree(src, dst, ignore=shutil.ignore_patterns('*~', '*.orig', '*.rej'))


def add_library(dpdk):
    copy_tree(os.path.join(TOP, 'lib', 'fastmem'), os.path.join(dpdk, 'lib', 'fastmem'))
    path = os.path.join(dpdk, 'lib', 'meson.build')
    text = read(path)
    # alphabetically among the libraries that only need the core ones
    text = insert_line(text, r"^\s*'efd',", "        'fastmem',", 'the library')
    write(path, text)
    return ['lib/fastmem', 'lib/meson.build']


def add_tests(dpdk):
    changed = []
    path = os.path.join(dpdk, 'app', 'test', 'meson.build')
    text = read(path)
    entries = []
    for name in dpdk_test_sources():
        src = os.path.join(TOP, 'app', 'test', name)
        for hdr in local_headers(src):
            shutil.copy(os.path.join(TOP, 'app', 'test', hdr),
                        os.path.join(dpdk, 'app', 'test', hdr))
            changed.append(f'app/test/{hdr}')
        shutil.copy(src, os.path.join(dpdk, 'app', 'test', name))
        changed.append(f'app/test/{name}')
        deps = ', '.join(f"'{d}'" for d in test_deps(src))
        entries.append(f"    '{name}': [{deps}],")
    # the source_file_deps dictionary is sorted by file name: before test_fbarray.c
    for entry in sorted(entries):
        if entry.strip() in text:
            continue
        match = re.search(r"^\s*'test_fbarray\.c':", text, re.M)
        if match is None:
            fail('cannot find test_fbarray.c in app/test/meson.build')
        start = text.rindex('\n', 0, match.start()) + 1
        text = text[:start] + entry + '\n' + text[start:]
    write(path, text)
    return sorted(set(changed)) + ['app/test/meson.build']


def add_docs(dpdk):
    guide = os.path.join(dpdk, 'doc', 'guides', 'prog_guide')
    text = read(os.path.join(TOP, 'doc', 'guides', 'prog_guide', 'fastmem_lib.rst'))
    # the fuzzing guide stays with this project
    text = text.replace(':doc:`fastmem_fuzzing`', 'in the fastmem project')
    write(os.path.join(guide, 'fastmem_lib.rst'), text)
    os.makedirs(os.path.join(guide, 'img'), exist_ok=True)
    shutil.copy(os.path.join(TOP, 'doc', 'guides', 'prog_guide', 'img', 'fastmem_layers.svg'),
                os.path.join(guide, 'img', 'fastmem_layers.svg'))
    path = os.path.join(guide, 'index.rst')
    write(path, insert_line(read(path), r'^\s+mempool_lib$', '    fastmem_lib',
                            'the guide'))
    path = os.path.join(dpdk, 'doc', 'api', 'doxy-api-index.md')
    write(path, insert_line(read(path), r'^\s*\[mempool\]\(@ref rte_mempool\.h\),$',
                            '  [fastmem](@ref rte_fastmem.h),', 'the API index entry'))
    path = os.path.join(dpdk, 'doc', 'api', 'doxy-api.conf.in')
    write(path, insert_line(read(path), r'^\s*@TOPDIR@/lib/eventdev \\$',
                            '                          @TOPDIR@/lib/fastmem \\',
                            'the API input folder'))
    return ['doc/guides/prog_guide/fastmem_lib.rst',
            'doc/guides/prog_guide/img/fastmem_layers.svg',
            'doc/guides/prog_guide/index.rst', 'doc/api/doxy-api-index.md',
            'doc/api/doxy-api.conf.in']


def add_maintainers(dpdk):
    path = os.path.join(dpdk, 'MAINTAINERS')
    text = read(path)
    entry = ('Fastmem - EXPERIMENTAL\n'
             'F: lib/fastmem/\n'
             'F: app/test/test_fastmem*\n'
             'F: doc/guides/prog_guide/fastmem_lib.rst\n'
             'F: doc/guides/prog_guide/img/fastmem*\n\n')
    if 'F: lib/fastmem/' not in text:
        match = re.search(r'^Stack\nF: lib/stack/\n', text, re.M)
        if match is None:
            fail('cannot find the Stack entry of MAINTAINERS')
        text = text[:match.start()] + entry + text[match.start():]
        write(path, text)
    return ['MAINTAINERS']


def git(dpdk, *args):
    return subprocess.run(['git', '-C', dpdk] + list(args), check=False,
                          capture_output=True, text=True)


def commit(dpdk, paths, subject, body):
    git(dpdk, 'add', '--', *paths)
    if git(dpdk, 'diff', '--cached', '--quiet').returncode == 0:
        return False
    res = git(dpdk, '-c', 'user.name=dpdk-add-fastmem', '-c',
              'user.email=dpdk-add-fastmem@invalid', 'commit', '-q', '-m', subject,
              '-m', body)
    if res.returncode != 0:
        fail(f'git commit failed: {res.stderr.strip()}')
    return True


def main():
    parser = argparse.ArgumentParser(description=__doc__.split('\n', 1)[0])
    parser.add_argument('dpdk', help='the DPDK source tree to add fastmem to')
    parser.add_argument('--commit', action='store_true',
                        help='commit the change as three patches (a git work tree)')
    args = parser.parse_args()
    dpdk = os.path.abspath(args.dpdk)
    if not (os.path.isfile(os.path.join(dpdk, 'VERSION')) and
            os.path.isfile(os.path.join(dpdk, 'lib', 'eal', 'include', 'rte_eal.h'))):
        fail(f'{dpdk} is not a DPDK source tree')
    if args.commit and git(dpdk, 'rev-parse', '--git-dir').returncode != 0:
        fail(f'--commit: {dpdk} is not a git work tree')
    version = read(os.path.join(dpdk, 'VERSION')).strip()
    steps = [
        (add_docs, 'doc: add fastmem programming guide',
         'The design, the API and the limits of the fastmem allocator.'),
        (lambda d: add_library(d) + add_maintainers(d), 'fastmem: add small-object allocator',
         'A general-purpose allocator for objects of up to 1 MiB, with per-lcore caches in\n'
         'lcore variables, backed by memzones.'),
        (add_tests, 'test/fastmem: add fastmem autotests',
         'Functional, concurrency, trim, stress and performance tests.'),
    ]
    for step, subject, body in steps:
        paths = step(dpdk)
        if args.commit:
            done = commit(dpdk, paths, subject, body)
            print(f'{"committed" if done else "unchanged"}: {subject}')
        else:
            print(f'applied: {subject} ({len(paths)} paths)')
    print(f'dpdk-add-fastmem: fastmem is in DPDK {version} at {dpdk}')
    return 0


if __name__ == '__main__':
    sys.exit(main())
