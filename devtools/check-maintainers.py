#!/usr/bin/python3
# SPDX-License-Identifier: BSD-3-Clause
# Copyright(c) 2026 The dpdk-lcoremem authors
"""Check that every file git tracks is listed by some F: line of MAINTAINERS, and
reports the F: lines that match no file.

F: patterns follow DPDK's MAINTAINERS: a trailing slash takes in a whole folder with its
subfolders; a wildcard matches files but not subfolders; anything else names one file.
Usage: check-maintainers.py [TOP]   (default: the folder above this script)
Exit status: 0 when every file is covered, 1 otherwise.
"""

import os
import re
import subprocess
import sys


def patterns(path):
    """The F: patterns of MAINTAINERS."""
    found = []
    with open(path, encoding='utf-8') as maintainers:
        for line in maintainers:
            if line.startswith('F:'):
                found.append(line[2:].strip())
    return found


def to_regex(pattern):
    """DPDK's F: pattern semantics as a regular expression over paths."""
    if pattern.endswith('/'):
        return re.compile(re.escape(pattern) + '.*')
    parts = [re.escape(p) for p in pattern.split('*')]
    return re.compile('[^/]*'.join(parts))


def main(args):
    top = args[0] if args else os.path.join(os.path.dirname(os.path.abspath(__file__)), '..')
    try:
        files = subprocess.run(['git', '-C', top, 'ls-files'], check=True,
                               capture_output=True, text=True).stdout.split('\n')
    except (OSError, subprocess.CalledProcessError) as err:
        print(f'check-maintainers: cannot list the files of {top}: {err}')
        return 1
    files = [f for f in files if f]
    pats = patterns(os.path.join(top, 'MAINTAINERS'))
    regexes = [(p, to_regex(p)) for p in pats]

    uncovered = [f for f in files if not any(r.fullmatch(f) for _, r in regexes)]
    unused = [p for p, r in regexes if not any(r.fullmatch(f) for f in files)]
    for f in uncovered:
        print(f'check-maintainers: {f} is in no MAINTAINERS section')
    for p in unused:
        print(f'check-maintainers: F: {p} matches no file')
    print(f'check-maintainers: {len(files)} files, {len(pats)} patterns, '
          f'{len(uncovered)} uncovered, {len(unused)} unused')
    # a pattern that matches nothing is only reported: it may name a file still to come
    return 1 if uncovered else 0


if __name__ == '__main__':
    sys.exit(main(sys.argv[1:]))
