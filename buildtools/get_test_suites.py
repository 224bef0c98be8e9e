#!/usr/bin/env python3
# SPDX-License-Identifier: BSD-3-Clause
# Copyright(c) 2026 The dpdk-lcoremem authors
"""Read test sources for REGISTER_<SUITE>_TEST(name, ...) lines and print, one line per
suite, "<suite>-tests=<name>[:<flag>...],...", for app/test/meson.build to register
every test with meson."""

import re
import sys

REGISTER = re.compile(r'^\s*REGISTER_(FAST|PERF|STRESS)_TEST\s*\(\s*(\w+)\s*,(.*)\)\s*;?\s*$')


def main(paths):
    suites = {}
    for path in paths:
        with open(path, encoding='utf-8') as src:
            for line in src:
                match = REGISTER.match(line)
                if not match:
                    continue
                kind, name, rest = match.groups()
                entry = name
                if kind == 'FAST':
                    flags = [f.strip() for f in rest.split(',')]
                    if len(flags) != 3 or any(f not in ('true', 'false') for f in flags[:2]):
                        sys.exit(f'{path}: REGISTER_FAST_TEST({name}, ...) wants '
                                 'no_huge (true|false), asan (true|false), func')
                    entry = ':'.join([name] + flags[:2])
                suites.setdefault(kind.lower() + '-tests', []).append(entry)
    for suite, tests in sorted(suites.items()):
        print(f'{suite}={",".join(tests)}')
    return 0


if __name__ == '__main__':
    sys.exit(main(sys.argv[1:]))
