#!/usr/bin/python3
# SPDX-License-Identifier: BSD-3-Clause
# Copyright(c) 2026 The dpdk-lcoremem authors
"""Add up the results of every test run by devtools/run-tests.sh.

Each argument is LABEL=FILE, FILE being a JSON-lines test log as `meson test` writes it
(meson-logs/<logbase>.json: one object per test with "name", "result", "stdout", ...), or
one that run-tests.sh wrote itself in the same shape for the steps that are not meson tests
(builds, the install test), which may name their own log in "log". Results count as:
    passed:  OK, EXPECTEDFAIL
    failed:  FAIL, TIMEOUT, ERROR, UNEXPECTEDPASS (and anything unknown)
    skipped: SKIP
Prints one line per log, the failed tests with the tail of their output, and last the line
"N passed, N failed, N skipped". Exits 1 when anything failed or nothing passed.
"""

import json
import os
import re
import sys

PASSED = {'OK', 'EXPECTEDFAIL'}
SKIPPED = {'SKIP'}
TAIL_LINES = 40
# lines of a failed test's output worth showing wherever they are: assertions, failed
# cases, sanitizer reports (but not "Tests Failed : 0" summaries)
NOTABLE = re.compile(r'(?i)(fail|error|assert|sanitizer|panic|abort|leak|timed? ?out)')
NOT_NOTABLE = re.compile(r':\s*0\s*$|Test Suite')
NOTABLE_LINES = 30


def read_log(path):
    """The test records of one JSON-lines log; a missing log holds none."""
    records = []
    try:
        with open(path, encoding='utf-8', errors='replace') as log:
            for line in log:
                line = line.strip()
                if not line:
                    continue
                try:
                    records.append(json.loads(line))
                except json.JSONDecodeError:
                    records.append({'name': f'(unreadable line in {path})',
                                    'result': 'ERROR', 'stdout': line[:500]})
    except FileNotFoundError:
        pass
    return records


def tail(text, lines=TAIL_LINES):
    """The last lines of a test's output."""
    if not text:
        return '    (no output)'
    kept = text.rstrip('\n').split('\n')[-lines:]
    return '\n'.join('    | ' + line for line in kept)


def notable(text, lines=NOTABLE_LINES):
    """The first lines of a test's output that look like the reason it failed."""
    found = [line for line in (text or '').split('\n')
             if NOTABLE.search(line) and not NOT_NOTABLE.search(line)]
    return '\n'.join('    ! ' + line for line in found[:lines])


def main(args):
    totals = {'passed': 0, 'failed': 0, 'skipped': 0}
    failures = []
    print('Test results by build:')
    for arg in args:
        label, _, path = arg.partition('=')
        counts = {'passed': 0, 'failed': 0, 'skipped': 0}
        records = read_log(path)
        for rec in records:
            result = rec.get('result', 'ERROR')
            if result in PASSED:
                counts['passed'] += 1
            elif result in SKIPPED:
                counts['skipped'] += 1
            else:
                counts['failed'] += 1
                failures.append((label, path, rec))
        for key, value in counts.items():
            totals[key] += value
        print(f'  {label:<24} {counts["passed"]:4d} passed, {counts["failed"]:4d} failed, '
              f'{counts["skipped"]:4d} skipped   ({path})')

    if failures:
        print()
        print('Failed tests:')
        for label, path, rec in failures:
            name = rec.get('name', '?')
            status = rec.get('returncode')
            status = '' if status is None else f' (exit status {status})'
            log = rec.get('log') or path
            if log.endswith('.json') and os.path.exists(log[:-5] + '.txt'):
                log = log[:-5] + '.txt'     # meson's readable log beside the JSON one
            print(f'--- [{label}] {name}: {rec.get("result")}{status}, log: {log}')
            if rec.get('command'):
                print('    command: ' + ' '.join(str(c) for c in rec['command']))
            output = rec.get('stdout') or ''
            if rec.get('stderr'):
                output += '\n' + rec['stderr']
            marks = notable(output)
            if marks:
                print('    lines that look like the cause:')
                print(marks)
            print(f'    last {TAIL_LINES} lines of output:')
            print(tail(output))
        print()

    print(f'{totals["passed"]} passed, {totals["failed"]} failed, {totals["skipped"]} skipped')
    if totals['failed'] > 0 or totals['passed'] == 0:
        return 1
    return 0


if __name__ == '__main__':
    sys.exit(main(sys.argv[1:]))
