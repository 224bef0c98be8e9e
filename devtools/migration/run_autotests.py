#!/usr/bin/env python3
# SPDX-License-Identifier: BSD-3-Clause
# Copyright(c) 2026 The dpdk-lcoremem authors
"""Run DPDK 22.11's own autotests of the migrated modules with one dpdk-test, and write
what each gave (devtools/run-migration.sh runs it before and after the migration).

Each test runs in its own process, with its own --file-prefix, without hugepages unless
it needs shared memory. A test passes when dpdk-test exits 0 and says "Test OK"; the
test cases DPDK's harness counts (Tests Passed, Failed, Skipped) are kept. The opdl
driver's selftest runs at probe time (--vdev=event_opdl0,self_test=1) and returns the
result of its last case only: it passes when the process exits 0, every case ran, and no
case logged a failure.
"""

import argparse
import json
import os
import re
import subprocess
import sys
import time

LCORES = '--lcores=(0-3)@(0,1)'
NOHUGE = ['--no-huge', '-m', '512']

# name, what it covers, EAL arguments, minimum CPUs, kind
TESTS = [
    ('rand_perf_autotest', 'rte_random.c', NOHUGE + ['-l', '0'], 1, 'autotest'),
    ('service_autotest', 'rte_service.c', NOHUGE + [LCORES], 2, 'autotest'),
    ('timer_autotest', 'rte_timer.c', NOHUGE + [LCORES], 2, 'autotest'),
    ('timer_racecond_autotest', 'rte_timer.c', NOHUGE + [LCORES], 2, 'autotest'),
    ('timer_secondary_autotest', 'rte_timer.c', ['-m', '64', '-l', '0-2'], 3, 'autotest'),
    ('cryptodev_scheduler_autotest', 'scheduler_multicore.c',
     ['--no-huge', '-m', '1024', LCORES, '--vdev=crypto_aesni_mb0',
      '--vdev=crypto_aesni_mb1'], 2, 'autotest'),
    ('event_opdl selftest', 'opdl_ring.c',
     NOHUGE + [LCORES, '--vdev=event_opdl0,self_test=1'], 2, 'opdl'),
    ('lcore_footprint_autotest', 'rte_power_pmd_mgmt.c (and the footprint)',
     NOHUGE + ['-l', '0-1'], 1, 'autotest'),
]
OPDL_CASES = ('Ordered Basic', 'Atomic Basic', 'QID  Basic', 'SINGLE LINK failure',
              'SINGLE LINK w stats')


def counts(log):
    """The test case counts of DPDK's unit test harness in a log."""
    found = {}
    for key in ('Passed', 'Failed', 'Skipped'):
        values = re.findall(r'Tests {}\s*:\s*(\d+)'.format(key), log)
        if values:
            found[key.lower()] = int(values[-1])
    return found


def run_one(args, name, eal, kind, env):
    """Run one test; return its result entry."""
    prefix = 'mig-{}-{}'.format(args.tag, re.sub(r'\W', '', name)[:24])
    cmd = [args.dpdk_test] + eal + ['--no-pci', '--file-prefix=' + prefix]
    run_env = dict(os.environ, **env)
    stdin = 'quit\n'
    if kind == 'autotest':
        run_env['DPDK_TEST'] = name
    start = time.monotonic()
    try:
        proc = subprocess.run(cmd, input=stdin, capture_output=True, text=True,
                              check=False, timeout=args.timeout, env=run_env)
        log, status = proc.stdout + proc.stderr, proc.returncode
    except subprocess.TimeoutExpired as exc:
        log = (exc.stdout or b'').decode(errors='replace') if isinstance(
            exc.stdout, bytes) else (exc.stdout or '')
        status = 'timeout'
    seconds = round(time.monotonic() - start, 1)
    with open(os.path.join(args.logs, prefix + '.log'), 'w', encoding='utf-8') as file:
        file.write(' '.join(cmd) + '\n\n' + log)
    entry = {'name': name, 'seconds': seconds, 'exit_status': status,
             'log': os.path.join(args.logs, prefix + '.log')}
    entry.update(counts(log))
    if kind == 'opdl':
        ran = all('Running {} test'.format(c) in log for c in OPDL_CASES)
        failed = [l for l in log.splitlines() if re.search(r'(?i)\bfail', l) and
                  'SINGLE LINK failure test' not in l]
        entry['result'] = 'passed' if status == 0 and ran and not failed else 'failed'
        entry['passed'] = len(OPDL_CASES) if entry['result'] == 'passed' else 0
    elif status == 0 and 'Test OK' in log:
        entry['result'] = 'passed'
    elif 'Test Skipped' in log and status in (0, 77):
        entry['result'] = 'skipped'
    else:
        entry['result'] = 'failed'
    return entry


def main():
    """Entry point."""
    parser = argparse.ArgumentParser(description=__doc__.split('\n', 1)[0])
    parser.add_argument('dpdk_test')
    parser.add_argument('--tag', required=True, help='before or after: names the logs')
    parser.add_argument('--logs', required=True, help='folder for the test logs')
    parser.add_argument('--json', required=True, help='write the results here')
    parser.add_argument('--footprint-env', help='file holding LCORE_FOOTPRINT_STATE')
    parser.add_argument('--timeout', type=int, default=600)
    args = parser.parse_args()
    os.makedirs(args.logs, exist_ok=True)
    env = {}
    if args.footprint_env:
        with open(args.footprint_env, encoding='utf-8') as file:
            env['LCORE_FOOTPRINT_STATE'] = file.read().strip()
    cpus = len(os.sched_getaffinity(0))
    results = []
    for name, covers, eal, min_cpus, kind in TESTS:
        if cpus < min_cpus:
            results.append({'name': name, 'covers': covers, 'result': 'not run',
                            'why': 'needs {} CPUs, this machine has {}'.format(min_cpus,
                                                                               cpus)})
        else:
            entry = run_one(args, name, eal, kind, env)
            entry['covers'] = covers
            results.append(entry)
        r = results[-1]
        print('{:32} {:8} {}'.format(name, r['result'], r.get('why') or
                                     '{}s, cases passed {} failed {} skipped {}'.format(
                                         r.get('seconds'), r.get('passed', '-'),
                                         r.get('failed', '-'), r.get('skipped', '-'))))
    with open(args.json, 'w', encoding='utf-8') as file:
        json.dump({'tag': args.tag, 'cpus': cpus, 'tests': results}, file, indent=2)
        file.write('\n')
    return 1 if any(r['result'] == 'failed' for r in results) else 0


if __name__ == '__main__':
    sys.exit(main())
