#!/usr/bin/env python3
# SPDX-License-Identifier: BSD-3-Clause
# Copyright(c) 2026 The dpdk-lcoremem authors
"""Test driver of devtools/lcore_var_migrate.py. Exits 0 when all checks pass, 1 when one
fails, 77 (skipped) when Coccinelle's spatch is not installed.

Modes (one meson test each):
  rewrite      every converted fixture (devtools/test/migrate/mig_*.c) is rewritten
               exactly into its mig_*.expected.c, and the patch applies
  refused      every refusal that mig_refused.c announces ("expect: NAME refused here:
               TEXT" on the line before) is reported at that line, and nothing else of
               that file is converted
  errors       bad input: exit status 2 and a message; --seed restricts the candidates
  equivalence  the fixture program built with the originals and the one built with the
               converted files print the same results (needs no spatch)
"""

import argparse
import json
import os
import re
import shutil
import subprocess
import sys
import tempfile

sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
from check_common import check, finish  # noqa: E402  pylint: disable=wrong-import-position

SKIP = 77

# the options each converted fixture is rewritten with
FIXTURES = {
    'mig_static.c': [],
    'mig_guard.c': [],
    'mig_heap.c': [],
    'mig_init.c': ['--init', 'mig_cfgs=mig_init_setup', '--init', 'mig_ptrs=mig_init_setup'],
}




def run_tool(args, workdir, *options):
    """Run the migration tool in workdir; return (status, report text, JSON report)."""
    report = os.path.join(workdir, 'report.txt')
    jreport = os.path.join(workdir, 'report.json')
    for path in (report, jreport):
        if os.path.exists(path):
            os.remove(path)
    cmd = [sys.executable, args.tool, '--root', workdir, '--report', report,
           '--json', jreport] + list(options)
    print('running: ' + ' '.join(cmd))
    proc = subprocess.run(cmd, cwd=workdir, capture_output=True, text=True, check=False,
                          timeout=900)
    if proc.stderr.strip():
        print(proc.stderr.rstrip())
    text = ''
    if os.path.exists(report):
        with open(report, encoding='utf-8') as file:
            text = file.read()
        print(text.rstrip())
    data = None
    if os.path.exists(jreport):
        with open(jreport, encoding='utf-8') as file:
            data = json.load(file)
    return proc.returncode, text, data, proc.stderr


def copy_fixtures(args, workdir):
    """The fixture sources, in a scratch folder."""
    for name in os.listdir(args.fixtures):
        if name.endswith(('.c', '.h')) and '.expected.' not in name:
            shutil.copy(os.path.join(args.fixtures, name), workdir)


def test_rewrite(args):
    """Each converted fixture becomes its expected file, exactly."""
    for name, options in FIXTURES.items():
        with tempfile.TemporaryDirectory(prefix='lcore-var-migrate-') as tmp:
            copy_fixtures(args, tmp)
            patch = os.path.join(tmp, 'out.patch')
            status, _, data, _ = run_tool(args, tmp, '--patch', patch, *options, name)
            check(status == 0, '{}: exit status 0 (got {})'.format(name, status))
            arrays = [a for f in (data or {}).get('files', []) for a in f['arrays']]
            check(arrays and all(a['status'] == 'converted' for a in arrays),
                  '{}: every array converted ({})'.format(
                      name, [(a['name'], a['status']) for a in arrays]))
            expected = os.path.join(args.fixtures, name.replace('.c', '.expected.c'))
            # the patch applies to the original and gives the expected file
            proc = subprocess.run(['patch', '-p1', '-s', '-d', tmp, '-i', patch],
                                  capture_output=True, text=True, check=False)
            check(proc.returncode == 0, '{}: the patch applies ({})'.format(
                name, proc.stdout + proc.stderr))
            with open(os.path.join(tmp, name), encoding='utf-8') as file:
                got = file.read()
            with open(expected, encoding='utf-8') as file:
                want = file.read()
            if not check(got == want, '{}: the result is {}'.format(
                    name, os.path.basename(expected))):
                subprocess.run(['diff', '-u', expected, os.path.join(tmp, name)],
                               check=False)
            # --in-place gives the same text
            shutil.copy(os.path.join(args.fixtures, name), os.path.join(tmp, name))
            run_tool(args, tmp, '--in-place', '--patch', os.devnull, *options, name)
            with open(os.path.join(tmp, name), encoding='utf-8') as file:
                check(file.read() == want, '{}: --in-place writes the same'.format(name))


def expectations(path):
    """(name, line, text) of the 'expect: NAME refused here: TEXT' annotations: the line is
    the first line after the comment that is not a comment itself."""
    with open(path, encoding='utf-8') as file:
        lines = file.read().splitlines()
    found = []
    for index, line in enumerate(lines):
        match = re.search(r'expect: (\S+) refused here: (.*?)\s*\*/', line)
        if not match:
            continue
        target = index + 1
        while target < len(lines) and lines[target].strip().startswith('/*'):
            target += 1
        found.append((match.group(1), target + 1, match.group(2)))
    return found


def test_refused(args):
    """Every refusal is reported where and as the fixture says."""
    name = 'mig_refused.c'
    with tempfile.TemporaryDirectory(prefix='lcore-var-migrate-') as tmp:
        copy_fixtures(args, tmp)
        patch = os.path.join(tmp, 'out.patch')
        status, text, data, _ = run_tool(args, tmp, '--patch', patch, name)
        check(status == 1, 'refusals: exit status 1 (got {})'.format(status))
        arrays = {a['name']: a for f in (data or {}).get('files', []) for a in f['arrays']}
        wanted = expectations(os.path.join(args.fixtures, name))
        check(len(wanted) >= 20, 'the fixture announces its refusals ({})'.format(
            len(wanted)))
        for array, line, reason in wanted:
            entry = arrays.get(array)
            if not check(entry is not None, '{} is reported'.format(array)):
                continue
            check(entry['status'] == 'refused', '{} is refused'.format(array))
            check(any(r['line'] == line and reason in r['reason'] for r in entry['refusals']),
                  '{}: refused at line {} saying "{}" (got {})'.format(
                      array, line, reason, entry['refusals']))
            check('{}:{}: refused: '.format(name, line) in text,
                  '{}: the text report gives file:line for line {}'.format(array, line))
        named = {a for a, _, _ in wanted}
        check(set(arrays) == named, 'exactly the announced arrays are reported (extra: {}, '
              'missing: {})'.format(sorted(set(arrays) - named), sorted(named - set(arrays))))
        with open(patch, encoding='utf-8') as file:
            check(file.read() == '', 'nothing of mig_refused.c is rewritten')


def test_errors(args):
    """Bad input is refused with exit status 2 and a message."""
    with tempfile.TemporaryDirectory(prefix='lcore-var-migrate-') as tmp:
        copy_fixtures(args, tmp)
        cases = [
            (('missing.c',), 'no such file'),
            (('--init', 'mig_stats', 'mig_static.c'), 'NAME=FUNCTION'),
            (('--spatch', os.path.join(tmp, 'no-spatch'), 'mig_static.c'), 'not found'),
            (('--seed', os.path.join(tmp, 'missing.json'), 'mig_static.c'), '--seed'),
            (('--no-such-option', 'mig_static.c'), 'unrecognized arguments'),
        ]
        for options, message in cases:
            status, _, _, err = run_tool(args, tmp, '--patch', os.devnull, *options)
            check(status == 2, '{}: exit status 2 (got {})'.format(' '.join(options), status))
            check(message in err, '{}: says "{}"'.format(' '.join(options), message))

        # a function named by --init that does not exist: that array is refused
        status, _, data, _ = run_tool(args, tmp, '--patch', os.devnull, '--init',
                                      'mig_stats=no_such_function', 'mig_static.c')
        arrays = [a for f in (data or {}).get('files', []) for a in f['arrays']]
        check(status == 1 and arrays and arrays[0]['status'] == 'refused' and
              'no function no_such_function' in arrays[0]['refusals'][0]['reason'],
              '--init with an unknown function refuses the array (status {})'.format(status))

        # --seed: only the arrays the scanner found are rewritten
        seed = os.path.join(tmp, 'scan.json')
        with open(seed, 'w', encoding='utf-8') as file:
            json.dump({'files': [{'findings': [{'file': 'mig_guard.c',
                                                'name': 'mig_hits'}]}]}, file)
        status, _, data, _ = run_tool(args, tmp, '--patch', os.devnull, '--seed', seed,
                                      'mig_guard.c')
        arrays = {a['name']: a['status'] for f in (data or {}).get('files', [])
                  for a in f['arrays']}
        check(arrays == {'mig_limits': 'refused', 'mig_hits': 'converted',
                         'mig_misses': 'refused'},
              '--seed converts only what the scan found (got {})'.format(arrays))

        # a file with no per-lcore array: exit status 0, no patch
        plain = os.path.join(tmp, 'plain.c')
        with open(plain, 'w', encoding='utf-8') as file:
            file.write('int plain_counter;\n')
        status, text, _, _ = run_tool(args, tmp, '--patch', os.devnull, 'plain.c')
        check(status == 0 and 'no per-lcore array' in text,
              'a file without arrays: exit status 0 (got {})'.format(status))


def test_equivalence(args):
    """The original and the converted fixtures behave the same."""
    outputs = []
    for exe, prefix in ((args.before, 'before'), (args.after, 'after')):
        cmd = [exe] + args.eal + ['--file-prefix=lcoremem-migfx-{}-{}'.format(
            prefix, os.getpid())]
        print('running: ' + ' '.join(cmd))
        proc = subprocess.run(cmd, capture_output=True, text=True, check=False, timeout=300)
        print(proc.stdout.rstrip())
        if proc.returncode != 0:
            print(proc.stderr.rstrip())
        check(proc.returncode == 0, '{}: exit status 0 (got {})'.format(prefix,
                                                                       proc.returncode))
        outputs.append(proc.stdout)
    check(outputs[0] == outputs[1], 'the converted fixtures print what the originals print')
    check(outputs[0].count('\n') >= 10, 'the fixtures printed their results')


def main():
    """Entry point."""
    parser = argparse.ArgumentParser(description=__doc__.split('\n', 1)[0])
    parser.add_argument('--mode', required=True,
                        choices=('rewrite', 'refused', 'errors', 'equivalence'))
    parser.add_argument('--tool', help='devtools/lcore_var_migrate.py')
    parser.add_argument('--fixtures', help='devtools/test/migrate')
    parser.add_argument('--before', help='the fixture program built from the originals')
    parser.add_argument('--after', help='the fixture program built from the converted ones')
    parser.add_argument('eal', nargs='*', help='EAL options of the fixture programs')
    args = parser.parse_args()
    if args.mode != 'equivalence':
        if shutil.which(os.environ.get('SPATCH', 'spatch')) is None:
            print('spatch (Coccinelle) is not installed: skipped')
            return SKIP
        if shutil.which('patch') is None:
            print('patch is not installed: skipped')
            return SKIP
    {'rewrite': test_rewrite, 'refused': test_refused, 'errors': test_errors,
     'equivalence': test_equivalence}[args.mode](args)
    return finish()


if __name__ == '__main__':
    sys.exit(main())
