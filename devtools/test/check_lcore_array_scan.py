#!/usr/bin/env python3
# SPDX-License-Identifier: BSD-3-Clause
# Copyright(c) 2026 The dpdk-lcoremem authors
"""Test driver of devtools/lcore_array_scan.py: runs the scanner on the fixtures the
build compiled (devtools/test/fixtures) and checks every finding, figure by figure, and
its exit status. Exits 0 when all checks pass, 1 otherwise.

Modes (one meson test each):
  shared     the fixtures as a shared library (default DWARF version, -g)
  archive    the fixtures as an ar archive of objects (DWARF 4, -g3 macro information),
             and a folder holding it
  enum       a fixture whose RTE_MAX_LCORE is an enumerator
  errors     inputs the scanner must refuse (exit status 2) or skip
  own-build  the project's own libraries and dpdk-test: no per-lcore array expected
"""

import argparse
import json
import os
import re
import shutil
import struct
import subprocess
import sys
import tempfile

sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
from check_common import check, finish  # noqa: E402  pylint: disable=wrong-import-position



def scan(args, *options):
    """Run the scanner; return (exit status, stdout, stderr)."""
    cmd = [sys.executable, args.scanner] + list(options)
    print('running: ' + ' '.join(cmd))
    proc = subprocess.run(cmd, capture_output=True, text=True, check=False, timeout=300)
    if proc.stderr:
        print(proc.stderr.rstrip())
    return proc.returncode, proc.stdout, proc.stderr


def scan_json(args, *options):
    """Run the scanner with --json; return (exit status, report)."""
    status, out, _ = scan(args, '--json', *options)
    try:
        report = json.loads(out)
    except json.JSONDecodeError:
        check(False, 'the --json output parses as JSON: {!r}'.format(out[:200]))
        report = {'files': [], 'skipped': [], 'errors': [], 'summary': {}}
    check(report.get('exit_status', status) == status,
          'the report\'s exit_status {} matches the exit status {}'.format(
              report.get('exit_status'), status))
    return status, report


def decl_line(args, source, pattern):
    """The line of a fixture source the first match of a pattern is on."""
    with open(os.path.join(args.sources, source), encoding='utf-8') as file:
        for number, line in enumerate(file, 1):
            if re.search(pattern, line):
                return number
    raise RuntimeError('{} not found in {}'.format(pattern, source))


def round_up(value, align):
    """value rounded up to a multiple of align."""
    return (value + align - 1) // align * align


def fixture_expectations(args):
    """name -> the finding the scanner must report for lcore_arrays.c, with N and the
    cache line size of the build."""
    n = args.max_lcore
    line = args.cache_line
    ptr = struct.calcsize('P')
    # (name, scope, function, storage, dimension, element type, size, data, guard,
    #  declaration pattern)
    table = [
        ('fx_stats', 'global', None, 'data', 'N', 'struct fx_stats',
         round_up(16, line), 16, 0, r'^struct fx_stats fx_stats\['),
        ('fx_counters', 'static', None, 'data', 'N+1', 'uint32_t', 4, 4, 0,
         r'^static uint32_t fx_counters\['),
        ('fx_guarded', 'static', None, 'data', 'N', 'fx_guarded_t',
         round_up(12 + line, line), 12, line, r'^static fx_guarded_t fx_guarded\['),
        ('fx_matrix', 'global', None, 'data', 'N', 'uint16_t[4]', 8, 8, 0,
         r'^uint16_t fx_matrix\['),
        ('fx_ptrs', 'global', None, 'data', 'N', 'void *', ptr, ptr, 0,
         r'^void \*fx_ptrs\['),
        ('fx_flags', 'global', None, 'data', 'N', 'const volatile struct fx_flags', 4, 2, 0,
         r'struct fx_flags fx_flags\['),
        ('fx_tls', 'static', None, 'tls', 'N', 'uint8_t', 1, 1, 0,
         r'^static __thread uint8_t fx_tls\['),
        ('fx_calls', 'function-static', 'fx_count_call', 'data', 'N', 'unsigned int', 4, 4,
         0, r'static unsigned int fx_calls\['),
        ('fx_dev_stats', 'member', None, 'member', 'N', 'uint64_t', 8, 8, 0,
         r'uint64_t fx_dev_stats\['),
        ('fx_alias', 'static', None, 'data', 'N', 'uint8_t', 1, 1, 0,
         r'^static uint8_t fx_alias\['),
        ('fx_header_alias', 'static', None, 'data', 'N', 'uint16_t', 2, 2, 0,
         r'^static uint16_t fx_header_alias\['),
        ('fx_heap_stats', 'heap', 'fx_heap_init', 'heap', 'N', 'struct fx_stats',
         round_up(16, line), 16, 0, r'^\tfx_heap_stats = calloc'),
    ]
    evidence = {'fx_alias': 'macro', 'fx_header_alias': 'macro'}
    expected = {}
    for name, scope, function, storage, dim, elem, size, data, guard, pattern in table:
        count = n if dim == 'N' else n + 1
        expected[name] = {
            'name': name, 'scope': scope, 'function': function, 'storage': storage,
            'optimized_out': False,
            'file': 'lcore_arrays.c', 'line': decl_line(args, 'lcore_arrays.c', pattern),
            'dimension': 'RTE_MAX_LCORE' if dim == 'N' else 'RTE_MAX_LCORE + 1',
            'count': count, 'element_type': elem, 'element_size': size,
            'element_data_bytes': data, 'element_guard_bytes': guard,
            'element_padding_bytes': size - data - guard,
            'element_unused_bytes': size - data,
            'total_bytes': size * count,
            'lcore_var_bytes_per_lcore': data, 'lcore_var_bytes': data * n,
            'evidence': evidence.get(name, 'source text'),
        }
        if scope == 'member':
            expected[name]['struct'] = 'fx_dev'
    return expected


def normalized(field, value):
    """A field's value as compared: source files by name, qualifiers in any order."""
    if field == 'file' and value:
        return os.path.basename(value)
    if field == 'element_type' and isinstance(value, str):
        words = value.split()
        quals = sorted(w for w in words if w in ('const', 'volatile'))
        return ' '.join(quals + [w for w in words if w not in ('const', 'volatile')])
    return value


def check_findings(findings, expected, where):
    """The findings are exactly the expected ones, every field equal."""
    got = {f['name']: f for f in findings}
    check(sorted(got) == sorted(expected), '{}: variables {} reported, expected {}'.format(
        where, sorted(got), sorted(expected)))
    check(len(findings) == len(got), '{}: no variable reported twice'.format(where))
    for name, want in expected.items():
        if name not in got:
            continue
        for field, value in want.items():
            have = normalized(field, got[name].get(field))
            check(have == normalized(field, value), '{}: {}.{} is {!r}, expected {!r}'.format(
                where, name, field, got[name].get(field), value))


def test_shared(args, inputs):
    """The fixtures as a shared library."""
    lib = inputs[0]
    expected = fixture_expectations(args)

    status, report = scan_json(args, lib)
    check(status == 1, 'exit status 1 when arrays are found (got {})'.format(status))
    check(len(report['files']) == 1, 'one file scanned')
    for entry in report['files']:
        check(entry['max_lcore'] == args.max_lcore,
              'RTE_MAX_LCORE {} found without --max-lcore (got {} from {})'.format(
                  args.max_lcore, entry['max_lcore'], entry['max_lcore_source']))
        check(entry['max_lcore_source'] != 'command line', 'source is not the command line')
        check_findings(entry['findings'], expected, 'shared library')
    total = sum(e['total_bytes'] for e in expected.values())
    check(report['summary'].get('total_bytes') == total,
          'summary total_bytes {} (got {})'.format(total, report['summary'].get('total_bytes')))

    status, report = scan_json(args, '--max-lcore', str(args.max_lcore), lib)
    check(status == 1, '--max-lcore N: exit status 1')
    for entry in report['files']:
        check(entry['max_lcore_source'] == 'command line', '--max-lcore is the source')
        check_findings(entry['findings'], expected, 'shared library, --max-lcore N')

    # with twice the value, only the array of 2 * RTE_MAX_LCORE elements qualifies
    status, report = scan_json(args, '--max-lcore', str(2 * args.max_lcore), lib)
    names = [f['name'] for e in report['files'] for f in e['findings']
             if f['scope'] != 'heap']
    check(status == 1 and names == ['fx_twice'],
          '--max-lcore 2N: only fx_twice (got {}, status {})'.format(names, status))

    status, out, _ = scan(args, '--relative-to', args.sources, lib)
    check(status == 1, 'text report: exit status 1')
    for name, want in expected.items():
        check(re.search(r'\b{}\b'.format(name), out) is not None,
              'text report names {}'.format(name))
        check('lcore_arrays.c:{}'.format(want['line']) in out,
              'text report shows lcore_arrays.c:{}'.format(want['line']))
    check('{} per-lcore array(s)'.format(len(expected)) in out, 'text report summary line')

    for pattern in ('fx_*', '*/lcore_arrays.c'):
        status, report = scan_json(args, '--exclude', pattern, lib)
        check(status == 0 and report['summary']['findings'] == 0,
              '--exclude {} leaves nothing (status {})'.format(pattern, status))

    # the array as long as RTE_MAX_LCORE that its declaration gives another limit
    status, report = scan_json(args, lib)
    excluded = [(x['name'], x['dimension_text']) for e in report['files']
                for x in e['excluded']]
    check(excluded == [('fx_same_length', 'FX_SAME_LENGTH')],
          'fx_same_length is listed as not per-lcore (got {})'.format(excluded))
    check(report['summary'].get('excluded') == 1 and report['summary'].get('members') == 1
          and report['summary'].get('heap') == 1, 'summary counts of excluded, members and '
          'heap arrays (got {})'.format(report['summary']))
    # without the sources: every array of the length, by length, and no heap array
    status, report = scan_json(args, '--no-source', lib)
    names = sorted(f['name'] for e in report['files'] for f in e['findings'])
    want = sorted([n for n in expected if n != 'fx_heap_stats'] + ['fx_same_length'])
    check(names == want, '--no-source: the arrays of the right length ({}; got {})'.format(
        want, names))
    check(all(f['evidence'] == 'length only' for e in report['files']
              for f in e['findings']), '--no-source: evidence "length only"')

    # RTE_MAX_LCORE from the build being scanned: an rte_build_config.h in a folder above
    # the file (the value of this build, so that the findings stay the same)
    with tempfile.TemporaryDirectory(prefix='lcore-array-scan-') as tmp:
        sub = os.path.join(tmp, 'lib')
        os.mkdir(sub)
        shutil.copy(lib, sub)
        with open(os.path.join(tmp, 'rte_build_config.h'), 'w', encoding='utf-8') as cfg:
            cfg.write('#define RTE_MAX_LCORE {}\n'.format(args.max_lcore))
        status, report = scan_json(args, os.path.join(sub, os.path.basename(lib)))
        for entry in report['files']:
            check(entry['max_lcore_source'].startswith('build folder: ') and
                  entry['max_lcore_source'].endswith('rte_build_config.h'),
                  'RTE_MAX_LCORE from the build folder (got {})'.format(
                      entry['max_lcore_source']))
            check_findings(entry['findings'], expected, 'shared library, build folder')
        with open(os.path.join(tmp, 'rte_build_config.h'), 'w', encoding='utf-8') as cfg:
            cfg.write('#define RTE_MAX_LCORE 64\n')
        status, report = scan_json(args, os.path.join(sub, os.path.basename(lib)))
        check(all(e['max_lcore'] == 64 for e in report['files']),
              'the build folder\'s RTE_MAX_LCORE wins over the installed DPDK\'s')


def test_archive(args, inputs):
    """The fixtures as an archive of objects with DWARF 4 and macro information."""
    archive = inputs[0]
    expected = fixture_expectations(args)

    status, report = scan_json(args, archive)
    check(status == 1, 'archive: exit status 1 (got {})'.format(status))
    paths = [e['path'] for e in report['files']]
    check(len(paths) == 2, 'archive: two members scanned (got {})'.format(paths))
    for entry in report['files']:
        check(entry['path'].startswith(archive + '('), 'member path {}'.format(entry['path']))
        check(entry['max_lcore_source'] == 'DWARF macro' and
              entry['max_lcore'] == args.max_lcore,
              'archive: RTE_MAX_LCORE {} from the macro information (got {} from {})'.format(
                  args.max_lcore, entry['max_lcore'], entry['max_lcore_source']))
        if entry['path'].endswith('lcore_arrays.c.o)'):
            check_findings(entry['findings'], expected, entry['path'])
        else:
            check(entry['path'].endswith('fx_user.c.o)') and not entry['findings'],
                  'the extern declaration in fx_user.c is not reported')

    # a folder: loose objects and a regular (not thin) archive of them found once each,
    # links and other files ignored
    members = [e['path'][len(archive) + 1:-1] for e in report['files']]
    ar_tool = shutil.which('ar')
    with tempfile.TemporaryDirectory(prefix='lcore-array-scan-') as tmp:
        objs = os.path.join(tmp, 'objs')
        sub = os.path.join(tmp, 'sub')
        os.mkdir(objs)
        os.mkdir(sub)
        copies = []
        for member in members:
            copies.append(os.path.join(objs, os.path.basename(member)))
            shutil.copy(os.path.join(os.path.dirname(archive), member), copies[-1])
        os.symlink(copies[0], os.path.join(sub, 'link.o'))
        with open(os.path.join(tmp, 'README.txt'), 'w', encoding='utf-8') as text:
            text.write('not an ELF file\n')
        want = sorted(copies)
        if ar_tool:
            regular = os.path.join(sub, 'libfx.a')
            subprocess.run([ar_tool, 'rc', regular] + copies, check=True)
            want += sorted('{}({})'.format(regular, os.path.basename(c)) for c in copies)
        else:
            print('note: no ar tool; regular archives not tested')
        status, report = scan_json(args, tmp)
        paths = sorted(e['path'] for e in report['files'])
        check(status == 1 and paths == sorted(want),
              'folder scan: {} (got {}, status {})'.format(sorted(want), paths, status))
        # a struct member is reported once per scan: with the first copy of the object
        first = True
        for entry in report['files']:
            if 'lcore_arrays.c.o' in entry['path']:
                want = expected if first else {k: v for k, v in expected.items()
                                               if v['scope'] != 'member'}
                check_findings(entry['findings'], want, entry['path'])
                first = False
            else:
                check(not entry['findings'], '{}: nothing reported'.format(entry['path']))


def test_enum(args, inputs):
    """RTE_MAX_LCORE from an enumerator of the DWARF."""
    lib = inputs[0]
    status, report = scan_json(args, lib)
    check(status == 1, 'enum: exit status 1 (got {})'.format(status))
    for entry in report['files']:
        check(entry['max_lcore'] == 16 and entry['max_lcore_source'] == 'DWARF enumerator',
              'enum: RTE_MAX_LCORE 16 from the enumerator (got {} from {})'.format(
                  entry['max_lcore'], entry['max_lcore_source']))
        expected = {
            'fx_enum_array': {'scope': 'global', 'dimension': 'RTE_MAX_LCORE', 'count': 16,
                              'element_type': 'uint32_t', 'element_size': 4,
                              'total_bytes': 64, 'lcore_var_bytes': 64,
                              'file': 'enum_limit.c',
                              'line': decl_line(args, 'enum_limit.c', r'fx_enum_array\[')},
            'fx_enum_plus': {'scope': 'static', 'dimension': 'RTE_MAX_LCORE + 1',
                             'count': 17, 'element_type': 'char', 'element_size': 1,
                             'total_bytes': 17, 'lcore_var_bytes': 16,
                             'file': 'enum_limit.c',
                             'line': decl_line(args, 'enum_limit.c', r'fx_enum_plus\[')},
        }
        check_findings(entry['findings'], expected, 'enum')

    # with --max-lcore 128, fx_enum_other[128] has the length, but its declaration says
    # 128, not RTE_MAX_LCORE: listed apart, not reported
    status, report = scan_json(args, '--max-lcore', '128', lib)
    names = [f['name'] for e in report['files'] for f in e['findings']]
    others = [x['name'] for e in report['files'] for x in e['excluded']]
    check(status == 0 and names == [] and others == ['fx_enum_other'],
          '--max-lcore overrides the enumerator; fx_enum_other[128] is not per-lcore '
          '(got {} and {}, status {})'.format(names, others, status))
    status, report = scan_json(args, '--max-lcore', '128', '--no-source', lib)
    names = [f['name'] for e in report['files'] for f in e['findings']]
    check(status == 1 and names == ['fx_enum_other'],
          '--no-source: fx_enum_other reported by its length (got {})'.format(names))


def test_errors(args, inputs):
    """Inputs the scanner must refuse or skip."""
    nodebug, enum = inputs[0], inputs[1]
    source = os.path.join(args.sources, 'enum_limit.c')
    with tempfile.TemporaryDirectory(prefix='lcore-array-scan-') as tmp:
        truncated = os.path.join(tmp, 'truncated.so')
        with open(enum, 'rb') as whole, open(truncated, 'wb') as part:
            part.write(b'\x7fELF' + whole.read()[4:64])
        cases = [
            ((os.path.join(tmp, 'missing.o'),), 2, 'a missing file'),
            ((source,), 2, 'a file that is not ELF'),
            ((truncated,), 2, 'a truncated ELF file'),
            ((nodebug,), 2, 'only files without debug information'),
            (('--max-lcore', '0', enum), 2, 'a bad --max-lcore'),
            (('--no-such-option', enum), 2, 'an unknown option'),
            ((nodebug, enum), 1, 'a file without debug information next to one with it'),
            ((tmp,), 2, 'a folder holding nothing to scan'),
        ]
        for options, want, what in cases:
            if options == (tmp,):
                os.remove(truncated)
            status, _, err = scan(args, *options)
            check(status == want, '{}: exit status {} (got {})'.format(what, want, status))
            if want == 2 and what != 'an unknown option' and what != 'a bad --max-lcore':
                check('error' in err, '{}: an error message'.format(what))

    status, report = scan_json(args, nodebug, enum)
    check([s['reason'] for s in report['skipped']] == ['no debug information'],
          'the file without debug information is listed as skipped')


# per-lcore arrays the project's tests keep on purpose: the array baseline the lcore
# variable benchmark compares against
DELIBERATE_ARRAYS = ('*/app/test/test_lcore_var_perf.c',)


def test_own_build(args, inputs):
    """The project's own libraries and dpdk-test hold no per-lcore array, but for the
    deliberate one of its tests."""
    paths = [p for p in inputs if os.path.exists(p)]
    for missing in sorted(set(inputs) - set(paths)):
        print('note: {} is not built; not scanned'.format(missing))
    if not paths:
        print('nothing to scan')
        return
    excludes = [opt for pattern in DELIBERATE_ARRAYS for opt in ('--exclude', pattern)]
    status, report = scan_json(args, '-q', *(excludes + paths))
    findings = [(e['path'], f['name'], f['file'], f['line'])
                for e in report['files'] for f in e['findings']]
    check(not findings, 'no per-lcore array in the project\'s own code (found {})'.format(
        findings))
    if args.expect_debug:
        check(status == 0, 'own build: exit status 0 (got {})'.format(status))
        check(report['summary'].get('files_scanned', 0) > 0,
              'own build: files with debug information were scanned')
    else:
        check(status == 0 or
              (status == 2 and all('no input with debug information' in e
                                   for e in report['errors'])),
              'own build without debug information: exit status 0, or 2 saying there is no '
              'debug information (got {}: {})'.format(status, report['errors']))
    print('own build: {} file(s) scanned, {} skipped, {} finding(s)'.format(
        report['summary'].get('files_scanned'), report['summary'].get('files_skipped'),
        len(findings)))


def main():
    """Entry point."""
    parser = argparse.ArgumentParser(description=__doc__.split('\n', 1)[0])
    parser.add_argument('--scanner', required=True)
    parser.add_argument('--max-lcore', type=int, required=True,
                        help='RTE_MAX_LCORE the fixtures were built with')
    parser.add_argument('--cache-line', type=int, required=True,
                        help='RTE_CACHE_LINE_SIZE the fixtures were built with')
    parser.add_argument('--sources', required=True, help='the fixture sources')
    parser.add_argument('--mode', required=True,
                        choices=('shared', 'archive', 'enum', 'errors', 'own-build'))
    parser.add_argument('--expect-debug', action=argparse.BooleanOptionalAction,
                        default=False)
    parser.add_argument('inputs', nargs='+')
    args = parser.parse_args()
    {'shared': test_shared, 'archive': test_archive, 'enum': test_enum,
     'errors': test_errors, 'own-build': test_own_build}[args.mode](args, args.inputs)
    return finish()


if __name__ == '__main__':
    sys.exit(main())
