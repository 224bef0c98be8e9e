#!/usr/bin/python3
# SPDX-License-Identifier: BSD-3-Clause
# Copyright(c) 2026 The dpdk-lcoremem authors
"""The summary table of a soak (devtools/run-soak.sh).

    soak-summary.py RESULTS SANITIZER...

RESULTS/SANITIZER/ is one sanitizer's run, as run-soak.sh leaves it:
    run.info     key=value lines: build (ok, failed), status (the exit status of dpdk-test),
                 wall_seconds, command
    stress.log   dpdk-test's output; fastmem_stress_autotest ends it with its totals, one
                 line "stress: key=value ..." (ops, handovers, faults, nomem, registrations,
                 unregistrations, trims, trimmed_bytes, epochs, exact, seconds, seed, ...)
    sanitizer.*  the sanitizer's reports (its log_path), if any
A run passes when it was built, dpdk-test exited with 0 and said "Test OK", its totals line
is there with exact=yes, and no sanitizer report was written, in the log or beside it.
Prints the table and a last line "soak: OK" or "soak: FAILED"; exits 1 when a run failed.
"""

import os
import re
import sys

TOTALS_PREFIX = 'stress: '
# the first line of each report: ASan, LSan, TSan, UBSan, and a sanitizer's own failure
REPORT = re.compile(r'ERROR: (?:Address|Leak|Memory)Sanitizer'
                    r'|WARNING: ThreadSanitizer:'
                    r'|: runtime error: '
                    r'|Sanitizer CHECK failed'
                    r'|ThreadSanitizer: (?:CHECK failed|FATAL)')
# and the last one (print_summary)
SUMMARY = re.compile(r'^SUMMARY: \w*Sanitizer')


def parse_totals(text):
    """The key=value pairs of the last totals line of TEXT, or None without one."""
    totals = None
    for line in text.splitlines():
        if line.startswith(TOTALS_PREFIX):
            totals = dict(field.split('=', 1) for field in line[len(TOTALS_PREFIX):].split()
                          if '=' in field)
    return totals


def count_reports(text):
    """The number of sanitizer reports in TEXT: their first lines, or their summary lines
    where there are more of those (a report whose first line this pattern does not know)."""
    lines = text.splitlines()
    return max(sum(1 for line in lines if REPORT.search(line)),
               sum(1 for line in lines if SUMMARY.search(line)))


def read_text(path):
    try:
        with open(path, encoding='utf-8', errors='replace') as f:
            return f.read()
    except OSError:
        return ''


def read_info(text):
    info = {}
    for line in text.splitlines():
        if '=' in line:
            key, value = line.split('=', 1)
            info[key.strip()] = value.strip()
    return info


def read_run(folder):
    """One sanitizer's run: its info, totals, report count and the reports' files."""
    log = read_text(os.path.join(folder, 'stress.log'))
    report_files = sorted(name for name in os.listdir(folder)
                          if name.startswith('sanitizer')) if os.path.isdir(folder) else []
    # one report may be split between the two (UBSan under ASan writes its first lines
    # to stderr and its summary to log_path): count them together
    reports = count_reports('\n'.join([log] + [read_text(os.path.join(folder, name))
                                               for name in report_files]))
    if report_files:
        # whatever a sanitizer wrote is at least one report
        reports = max(1, reports)
    return {
        'info': read_info(read_text(os.path.join(folder, 'run.info'))),
        'totals': parse_totals(log),
        'test_ok': 'Test OK' in log.splitlines(),
        'reports': reports,
        'report_files': [os.path.join(folder, name) for name in report_files],
    }


def verdict(run):
    """(True, 'OK') for a run that passed, else (False, the first reason it did not)."""
    info, totals = run['info'], run['totals']
    if info.get('build') != 'ok':
        return False, 'not built' if info else 'not run'
    if run['reports'] > 0:
        return False, '%d sanitizer reports' % run['reports']
    if info.get('status') != '0':
        return False, 'exit status %s' % info.get('status', '?')
    if totals is None:
        return False, 'no totals line'
    if totals.get('exact') != 'yes':
        return False, 'accounting not exact'
    if not run['test_ok']:
        return False, 'no "Test OK"'
    return True, 'OK'


def number(totals, key):
    value = totals.get(key, '')
    return '{:,}'.format(int(value)) if value.isdigit() else '?'


def duration(run):
    seconds = run['totals'].get('seconds') if run['totals'] else None
    if seconds is None:
        seconds = run['info'].get('wall_seconds')
    try:
        seconds = int(float(seconds))
    except (TypeError, ValueError):
        return '-'
    return '%dm%02ds' % (seconds // 60, seconds % 60)


def trims(totals):
    released = totals.get('trimmed_bytes', '')
    mib = ' (%d MiB)' % (int(released) >> 20) if released.isdigit() else ''
    return number(totals, 'trims') + mib


ROWS = [
    ('duration', duration),
    ('operations', lambda r: number(r['totals'], 'ops')),
    ('hand-overs', lambda r: number(r['totals'], 'handovers')),
    ('limit squeezes', lambda r: number(r['totals'], 'faults')),
    ('ENOMEM seen', lambda r: number(r['totals'], 'nomem')),
    ('lcore registrations', lambda r: number(r['totals'], 'registrations')),
    ('lcore unregistrations', lambda r: number(r['totals'], 'unregistrations')),
    ('trims (released)', lambda r: trims(r['totals'])),
    ('epochs checked', lambda r: number(r['totals'], 'epochs')),
    ('sanitizer reports', lambda r: str(r['reports'])),
    ('accounting exact', lambda r: r['totals'].get('exact', '?')),
    ('result', lambda r: verdict(r)[1]),
]


def format_table(runs):
    """RUNS: (sanitizer, run) pairs. A row per figure, a column per sanitizer."""
    width = max(len(name) for name, _ in ROWS)
    cells = []
    for _, run in runs:
        column = []
        for name, cell in ROWS:
            if run['totals'] is None and name not in ('duration', 'sanitizer reports',
                                                       'result'):
                column.append('-')
            else:
                column.append(cell(run))
        cells.append(column)
    widths = [max([len(san)] + [len(c) for c in column])
              for (san, _), column in zip(runs, cells)]
    lines = ['  '.join([' ' * width] + [san.rjust(w) for (san, _), w in zip(runs, widths)])]
    for i, (name, _) in enumerate(ROWS):
        lines.append('  '.join([name.ljust(width)] +
                               [column[i].rjust(w) for column, w in zip(cells, widths)]))
    return '\n'.join(line.rstrip() for line in lines)


def main(argv):
    if len(argv) < 3:
        print(__doc__.strip(), file=sys.stderr)
        return 2
    results = argv[1]
    runs = [(san, read_run(os.path.join(results, san))) for san in argv[2:]]
    print(format_table(runs))
    ok = True
    for san, run in runs:
        passed, reason = verdict(run)
        ok = ok and passed
        if passed:
            continue
        print('%s: FAILED (%s); log %s' % (san, reason,
                                           os.path.join(results, san, 'stress.log')))
        for path in run['report_files']:
            print('  sanitizer report: %s' % path)
    print('soak: OK' if ok else 'soak: FAILED')
    return 0 if ok else 1


if __name__ == '__main__':
    sys.exit(main(sys.argv))
