#!/usr/bin/env python3
# SPDX-License-Identifier: BSD-3-Clause
# Copyright(c) 2026 The dpdk-lcoremem authors
"""The modules of the migration proof (devtools/run-migration.sh), and its result table.

  migration_report.py files                  the source files the tool is run on
  migration_report.py layout-args            footprint_layout.py's --var/--via options
  migration_report.py libraries BUILD        the static libraries to scan
  migration_report.py report RESULTS         the tables, from the results folder:
      migration.json (lcore_var_migrate.py), scan-{before,after}.json (lcore_array_scan.py),
      layout-{before,after}.json (footprint_layout.py), tests-{before,after}.json
      (run_autotests.py, whose lcore_footprint_autotest log holds the FOOTPRINT lines)
"""

import json
import os
import re
import sys

# name, source file, library, state (variables, or STRUCT.MEMBER[=POINTER]), autotests
MODULES = [
    ('random', 'lib/eal/common/rte_random.c', 'eal', ['rand_states'],
     ['rand_perf_autotest']),
    ('service', 'lib/eal/common/rte_service.c', 'eal', ['lcore_states'],
     ['service_autotest']),
    ('power', 'lib/power/rte_power_pmd_mgmt.c', 'power',
     ['lcore_cfgs', 'scale_freq_min', 'scale_freq_max'], ['lcore_footprint_autotest']),
    ('timer', 'lib/timer/rte_timer.c', 'timer',
     ['rte_timer_data.priv_timer=rte_timer_data_arr'],
     ['timer_autotest', 'timer_racecond_autotest', 'timer_secondary_autotest']),
    ('event/opdl', 'drivers/event/opdl/opdl_ring.c', 'event_opdl',
     ['opdl_stage.pending_disclaims'], ['event_opdl selftest']),
    ('crypto/scheduler', 'drivers/crypto/scheduler/scheduler_multicore.c',
     'crypto_scheduler',
     ['mc_scheduler_ctx.sched_enq_ring', 'mc_scheduler_ctx.sched_deq_ring'],
     ['cryptodev_scheduler_autotest']),
]


def load(results, name):
    """A JSON file of the results folder, or None."""
    path = os.path.join(results, name)
    if not os.path.exists(path):
        return None
    with open(path, encoding='utf-8') as file:
        return json.load(file)


def layout_args():
    """footprint_layout.py options for every module's state."""
    out = []
    for module, path, _, state, _ in MODULES:
        base = os.path.basename(path)
        for item in state:
            name, _, via = item.partition('=')
            out += ['--var', '{}:{}:{}'.format(module.replace('/', '_'), base, name)]
            if via:
                out += ['--via', '{}={}'.format(name, via)]
    return out


def libraries(build):
    """The static libraries of the modules, in a DPDK build folder."""
    out = []
    for _, path, lib, _, _ in MODULES:
        folder = 'drivers' if path.startswith('drivers/') else 'lib'
        archive = os.path.join(build, folder, 'librte_{}.a'.format(lib))
        if archive not in out:
            out.append(archive)
    return out


def footprints(tests):
    """module -> [(operation, lines)] from the footprint harness's log."""
    found = {}
    entry = next((t for t in (tests or {}).get('tests', [])
                  if t['name'] == 'lcore_footprint_autotest'), None)
    if entry is None or not entry.get('log') or not os.path.exists(entry['log']):
        return found
    with open(entry['log'], encoding='utf-8', errors='replace') as file:
        for line in file:
            if line.startswith('FOOTPRINT '):
                rec = json.loads(line[len('FOOTPRINT '):])
                found.setdefault(rec['module'], []).append((rec['op'], rec['lines']))
    return found


def test_cell(tests, names):
    """'passed/run' of a module's autotests in one run, with what was not run."""
    by_name = {t['name']: t for t in (tests or {}).get('tests', [])}
    run = [by_name[n] for n in names if n in by_name and by_name[n]['result'] != 'not run']
    passed = sum(1 for t in run if t['result'] == 'passed')
    cell = '{}/{}'.format(passed, len(run))
    missing = [n for n in names if n in by_name and by_name[n]['result'] == 'not run']
    if missing:
        cell += ' (+{} not run)'.format(len(missing))
    return cell


def state_bytes(layout, module):
    """Bytes of a module's per-lcore state in one build, and whether per instance."""
    entries = [v for v in (layout or {}).get('variables', [])
               if v['module'] == module.replace('/', '_')]
    return sum(v['bytes'] for v in entries), any(v.get('per_instance') for v in entries)


def scan_findings(scan, path):
    """Names the scanner reported in a source file."""
    names = set()
    for entry in (scan or {}).get('files', []):
        for f in entry['findings']:
            if f['file'] and f['file'].endswith(path):
                names.add(f['name'] if f['scope'] != 'member' else
                          '{}.{}'.format(f['struct'], f['name']))
    return names


def tool_arrays(migration, path):
    """The tool's report entries for a source file."""
    for entry in (migration or {}).get('files', []):
        if entry['file'].endswith(path):
            return entry['arrays']
    return []


def short_reason(array):
    """The first refusal of an array, shortened for the table."""
    reason = array['refusals'][0]['reason']
    for key, text in (('shared memory', 'in a memzone secondary processes map'),
                      ('per instance', 'member of a per-instance struct'),
                      ('static initializer', 'static initializer'),
                      ('sizeof', 'sizeof of the array')):
        if key in reason:
            return text
    return reason.split(':')[0]


def report(results):
    """The tables."""
    migration = load(results, 'migration.json')
    scans = {t: load(results, 'scan-{}.json'.format(t)) for t in ('before', 'after')}
    layouts = {t: load(results, 'layout-{}.json'.format(t)) for t in ('before', 'after')}
    tests = {t: load(results, 'tests-{}.json'.format(t)) for t in ('before', 'after')}
    prints = {t: footprints(tests[t]) for t in ('before', 'after')}
    out = []
    rows = [('module', 'found', 'converted', 'refused', 'autotests passed',
             'bytes', 'lines/op')]
    reasons = []
    for module, path, _, _, names in MODULES:
        arrays = tool_arrays(migration, path)
        converted = [a for a in arrays if a['status'] == 'converted']
        refused = [a for a in arrays if a['status'] == 'refused']
        for a in refused:
            reasons.append('  {} {}: {}'.format(module, a['name'].split('->')[-1],
                                                short_reason(a)))
        before, per_instance = state_bytes(layouts['before'], module)
        after, _ = state_bytes(layouts['after'], module)
        if not converted:
            after = before
        size = '{} -> {}{}'.format(before, after, ' /inst.' if per_instance else '')
        key = module.replace('/', '_')
        ops = prints['before'].get(key, [])
        after_ops = dict(prints['after'].get(key, []))
        lines = ', '.join('{} -> {}'.format(n, after_ops.get(op, '?')) for op, n in ops[:2])
        rows.append((module, str(len(arrays)), str(len(converted)), str(len(refused)),
                     '{} -> {}'.format(test_cell(tests['before'], names),
                                       test_cell(tests['after'], names)),
                     size, lines or '-'))
    version = '22.11'
    if os.path.exists(os.path.join(results, 'dpdk-version.txt')):
        with open(os.path.join(results, 'dpdk-version.txt'), encoding='utf-8') as file:
            version = file.read().strip() or version
    out.append('Migration of DPDK {} (Debian\'s source) to lcore variables'.format(version))
    out.append('')
    out.extend(table(rows))
    out.append('')
    out.append('found, converted, refused: per-lcore arrays; autotests passed: before -> after '
               'the migration; bytes: of the')
    out.append('per-lcore state, RTE_MAX_LCORE values (/inst.: per device or ring); lines/op: '
               'distinct cache lines of that state')
    out.append('one lcore touches in one call of the first operations listed below.')
    if reasons:
        out.append('')
        out.append('Refused:')
        out.extend(reasons)
    out.append('')
    out.append('Cache lines of per-lcore state one lcore touches, per operation:')
    op_rows = [('module', 'operation', 'before', 'after')]
    for key in sorted(set(prints['before']) | set(prints['after'])):
        after = dict(prints['after'].get(key, []))
        for op, lines in prints['before'].get(key, []):
            op_rows.append((key, op, str(lines), str(after.get(op, '?'))))
    out.extend(table(op_rows))
    out.append('')
    out.append('lcore_array_scan.py on the build, per file of the run (before, and after the '
               'migration):')
    scan_rows = [('file', 'found before', 'as the tool', 'left after')]
    for _, path, _, _, _ in MODULES:
        found = scan_findings(scans['before'], path)
        tool = {(a['name'] if a['kind'] != 'member' else
                 '{}.{}'.format(a['struct'], a['name'])).split('->')[-1]
                for a in tool_arrays(migration, path)}
        after = scan_findings(scans['after'], path)
        scan_rows.append((os.path.basename(path), ', '.join(sorted(found)) or '-',
                          'yes' if found == tool else 'NO: ' + ', '.join(sorted(tool)),
                          ', '.join(sorted(after)) or '-'))
    out.extend(table(scan_rows))
    others = {}
    for entry in (scans['before'] or {}).get('files', []):
        lib = re.sub(r'\(.*', '', os.path.basename(entry['path']))
        for f in entry['findings']:
            if not any(f['file'] and f['file'].endswith(p) for _, p, _, _, _ in MODULES):
                others.setdefault(lib, []).append('{}{} ({})'.format(
                    f['struct'] + '.' if f['struct'] else '', f['name'],
                    os.path.basename(f['file'] or '?')))
        for x in entry['excluded']:
            others.setdefault(lib + ', as long but not per-lcore', []).append(
                '{}{}[{}]'.format(x['struct'] + '.' if x['struct'] else '', x['name'],
                                  x['dimension_text']))
    if others:
        out.append('')
        out.append('Also found by the scanner in those libraries (not part of the run):')
        for lib in sorted(others):
            out.append('  {}:'.format(lib))
            out.extend(wrap(', '.join(others[lib]), '      '))
    return '\n'.join(out) + '\n'


def wrap(text, indent, width=96):
    """Lines of at most width columns."""
    lines, cur = [], indent
    for word in text.split(' '):
        if len(cur) + len(word) > width and cur.strip():
            lines.append(cur.rstrip())
            cur = indent
        cur += word + ' '
    if cur.strip():
        lines.append(cur.rstrip())
    return lines


def table(rows):
    """Rows as a text table."""
    widths = [max(len(r[i]) for r in rows) for i in range(len(rows[0]))]
    lines = []
    for n, row in enumerate(rows):
        lines.append('  '.join(c.ljust(widths[i]) for i, c in enumerate(row)).rstrip())
        if n == 0:
            lines.append('  '.join('-' * w for w in widths))
    return lines


def main():
    """Entry point."""
    if len(sys.argv) < 2:
        sys.stderr.write(__doc__)
        return 2
    what = sys.argv[1]
    if what == 'files':
        print(' '.join(p for _, p, _, _, _ in MODULES))
    elif what == 'layout-args':
        print(' '.join(layout_args()))
    elif what == 'libraries' and len(sys.argv) == 3:
        print(' '.join(libraries(sys.argv[2])))
    elif what == 'report' and len(sys.argv) == 3:
        sys.stdout.write(report(sys.argv[2]))
    else:
        sys.stderr.write(__doc__)
        return 2
    return 0


if __name__ == '__main__':
    sys.exit(main())
