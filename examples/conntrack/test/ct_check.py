#!/usr/bin/env python3
# SPDX-License-Identifier: BSD-3-Clause
# Copyright(c) 2026 The dpdk-lcoremem authors
"""Test dpdk-conntrack on a capture written by ct_pcapgen.py.

counts mode (default): runs the application on the capture whose PREFIX-expected.json
is given, through fastmem and then the per-type mempools, with --hold, and checks
  - every run's counts against the generator's: packets (in all and per worker),
    untrackable frames, IPv4 bytes, flows created, expired and left at the end,
    histories per size; no allocation failure, no mbuf shortage;
  - that frees crossed lcores (flows expired by another lcore than their owner);
  - the telemetry commands, queried over the telemetry socket while the application
    holds: /conntrack/stats, /conntrack/lcores, /conntrack/lcore,<id>,
    /conntrack/objects, and the parameters they refuse; and through DPDK's
    dpdk-telemetry.py when it is installed;
  - that SIGTERM then ends it with status 0, after its summary table.
errors mode (--errors): runs the application with every kind of bad input the guide's
error table lists, on a small capture made with the generator, and checks the exit
status and the message of each.
In both modes, a sanitizer report in the output is a failure.

    ct_check.py --app dpdk-conntrack --expected DIR/ct-expected.json --prefix P \
                [--cpus '(0-1)'] -- EAL...
    ct_check.py --errors --app dpdk-conntrack --generator ct_pcapgen.py --prefix P \
                [--cpus '(0-1)'] -- EAL...
The application gets the EAL arguments given, a file prefix, and --lcores with the main
lcore and two workers floating over CPUS.

Exit status: 0 when every check passed, 1 otherwise.
"""

import argparse
import json
import os
import shutil
import signal
import subprocess
import sys
import tempfile
import time

# the check collector and the telemetry socket client of fastmem's telemetry test
sys.path.insert(0, os.path.join(os.path.dirname(os.path.abspath(__file__)), os.pardir,
                                os.pardir, os.pardir, 'app', 'test'))
from telemetry_check import (SOCKET_NAME, TELEMETRY_CLIENT, Failures,  # noqa: E402
                             query_client_script, query_socket)

RUN_TIMEOUT = 240


def vdev(files):
    return 'net_pcap0,' + ','.join('rx_pcap=' + f for f in files)


def capture_files(expected_path, exp):
    folder = os.path.dirname(os.path.abspath(expected_path))
    return [os.path.join(folder, q['file']) for q in exp['queues']]


def sanitizer_report(text):
    return 'Sanitizer' in text or 'runtime error:' in text


def check_run(f, run, exp):
    name = run['allocator']
    for key in ('packets', 'not_ipv4', 'bad_ipv4', 'ip_bytes', 'created', 'expired', 'hist'):
        f.equal(run[key], exp[key], f'{name}: {key}')
    f.equal(run['flows_left'], exp['live_at_end'], f'{name}: flows left at the end')
    f.equal(run['alloc_failures'], 0, f'{name}: allocation failures')
    f.equal(run['port_nombuf'], 0, f'{name}: receives without an mbuf')
    f.equal(run['expired'], run['expired_inline'] + run['expired_peer'] +
            run['expired_late'] + run['expired_forced'], f'{name}: expiries add up')
    f.check(run['expired_peer'] > 0, f'{name}: no flow was expired by another lcore')
    f.equal(len(run['lcores']), len(exp['queues']), f'{name}: workers')
    for lc, q in zip(run['lcores'], exp['queues']):
        what = f'{name}: lcore {lc["lcore"]} ({q["file"]})'
        f.equal(lc['packets'], q['packets'], what + ' packets')
        f.equal(lc['port_packets'], q['packets'], what + ' packets the port counted')
        f.equal(lc['created'], q['created'], what + ' flows created')
    held = run['memory_peak']
    f.check(held['held'] > 0 and held['held'] == held['objects'] + held['meta'],
            f'{name}: memory held {held}')


def check_telemetry(f, runtime_dir, result, exp):
    last = result['runs'][-1]
    lcores = [lc['lcore'] for lc in last['lcores']]
    cmds = ['/conntrack/stats', '/conntrack/lcores', '/conntrack/objects'] + \
        [f'/conntrack/lcore,{lc}' for lc in lcores] + \
        ['/conntrack/lcore', '/conntrack/lcore,x', '/conntrack/lcore,0']
    replies = query_socket(os.path.join(runtime_dir, SOCKET_NAME), cmds)
    got = {cmd: r.get(cmd.split(',')[0]) for cmd, r in zip(cmds, replies)}
    stats = got['/conntrack/stats']
    if f.check(isinstance(stats, dict), f'/conntrack/stats: {stats!r}'):
        f.equal(stats['allocator'], last['allocator'], '/conntrack/stats allocator')
        f.equal(stats['run'], len(result['runs']), '/conntrack/stats run')
        f.equal(stats['running'], 0, '/conntrack/stats running')
        f.equal(stats['workers'], len(lcores), '/conntrack/stats workers')
        for key, want in (('packets', exp['packets']), ('flows_created', exp['created']),
                          ('flows_expired', exp['expired']), ('ip_bytes', exp['ip_bytes']),
                          ('not_ipv4', exp['not_ipv4']), ('bad_ipv4', exp['bad_ipv4']),
                          ('flows_live', 0), ('alloc_failures', 0),
                          ('memory_peak', last['memory_peak']['held'])):
            f.equal(stats.get(key), want, f'/conntrack/stats {key}')
    f.equal(got['/conntrack/lcores'], lcores, '/conntrack/lcores')
    objects = got['/conntrack/objects']
    if f.check(isinstance(objects, dict), f'/conntrack/objects: {objects!r}'):
        f.equal(sorted(objects), sorted(result['object_sizes']), '/conntrack/objects types')
        for t, size in result['object_sizes'].items():
            o = objects.get(t, {})
            f.equal(o.get('size'), size, f'/conntrack/objects {t} size')
            f.equal(o.get('live'), 0, f'/conntrack/objects {t} live')
            f.equal(o.get('peak'), last['objects_peak'][t], f'/conntrack/objects {t} peak')
    for lc, q in zip(last['lcores'], exp['queues']):
        cmd = f'/conntrack/lcore,{lc["lcore"]}'
        r = got[cmd]
        if f.check(isinstance(r, dict), f'{cmd}: {r!r}'):
            f.equal(r['packets'], q['packets'], cmd + ' packets')
            f.equal(r['flows_created'], q['created'], cmd + ' flows_created')
            f.equal(r['expired_peer'], lc['expired_peer'], cmd + ' expired_peer')
            f.equal(sorted(r['live']), sorted(result['object_sizes']), cmd + ' live')
    for cmd in ('/conntrack/lcore', '/conntrack/lcore,x', '/conntrack/lcore,0'):
        f.equal(got[cmd], None, f'{cmd} (a bad parameter) answers')
    # DPDK's own client, as the guide tells users to query (Debian package dpdk)
    if os.path.exists(TELEMETRY_CLIENT):
        via = query_client_script(os.path.basename(runtime_dir), runtime_dir, cmds[:3])
        f.equal(via, replies[:3], f'{TELEMETRY_CLIENT} and the socket')


def wait_for(path, proc, timeout):
    end = time.monotonic() + timeout
    while time.monotonic() < end:
        if os.path.exists(path):
            # written at once by the application; give it the time to close it
            time.sleep(0.2)
            return True
        if proc.poll() is not None:
            return False
        time.sleep(0.1)
    return False


def run_counts(f, args, work):
    with open(args.expected, encoding='utf-8') as fh:
        exp = json.load(fh)
    result_path = os.path.join(work, 'result.json')
    log_path = os.path.join(work, 'app.log')
    cmd = [args.app] + args.eal + [
        f'--file-prefix={args.prefix}', f'--lcores=(0-2)@{args.cpus}',
        '--vdev=' + vdev(capture_files(args.expected, exp)),
        '--', '--allocator=fastmem,mempool', f'--timeout={exp["timeout_us"] // 1000}',
        f'--ext-after={exp["ext_after"]}', f'--json={result_path}', '--hold']
    print('running: ' + ' '.join(cmd), flush=True)
    with open(log_path, 'w', encoding='utf-8') as log:
        proc = subprocess.Popen(cmd, stdout=log, stderr=subprocess.STDOUT)
    result = None
    try:
        if f.check(wait_for(result_path, proc, RUN_TIMEOUT),
                   f'no {result_path} within {RUN_TIMEOUT} s'):
            with open(result_path, encoding='utf-8') as fh:
                result = json.load(fh)
            f.equal([r['allocator'] for r in result['runs']], ['fastmem', 'mempool'], 'runs')
            for run in result['runs']:
                check_run(f, run, exp)
            check_telemetry(f, result['runtime_dir'], result, exp)
    finally:
        if proc.poll() is None:
            proc.send_signal(signal.SIGTERM)
        try:
            rc = proc.wait(timeout=60)
        except subprocess.TimeoutExpired:
            proc.kill()
            rc = proc.wait()
    with open(log_path, encoding='utf-8', errors='replace') as fh:
        out = fh.read()
    f.equal(rc, 0, 'exit status after SIGTERM')
    f.check('conntrack summary:' in out, 'no summary table in the output')
    f.check(not sanitizer_report(out), 'a sanitizer reported an error')
    if f.messages:
        print(out)
    else:
        print(out[out.find('conntrack summary:'):])
    if result and os.path.basename(result['runtime_dir']) == args.prefix:
        shutil.rmtree(result['runtime_dir'], ignore_errors=True)


# DPDK 25.11's EAL parses its arguments with the argparse library, which exits the process
# by itself, with its own message and status, on an argument it refuses
EAL_REFUSED = ('EAL initialization failed', 'ARGPARSE:')


def error_cases(files, cpus):
    """(name, EAL arguments to add, application arguments, message expected: one, or a
    tuple of those accepted). A case that gives -m replaces the -m of the EAL arguments."""
    lcores = f'--lcores=(0-2)@{cpus}'
    two = [lcores, '--vdev=' + vdev(files[:2])]
    return [
        ('unknown option', two, ['--bogus'], 'unknown option'),
        ('missing value', two, ['--timeout'], 'unknown option or missing value'),
        ('stray argument', two, ['extra'], "unexpected argument 'extra'"),
        ('unknown allocator', two, ['--allocator=slab'], '--allocator:'),
        ('allocator twice', two, ['--allocator=fastmem,fastmem'], '--allocator:'),
        ('empty allocator list', two, ['--allocator=,'], '--allocator:'),
        ('timeout zero', two, ['--timeout=0'], '--timeout:'),
        ('timeout not a number', two, ['--timeout=2s'], '--timeout:'),
        ('timeout too long', two, ['--timeout=86400001'], '--timeout:'),
        ('ext-after zero', two, ['--ext-after=0'], '--ext-after:'),
        ('buckets not a power of two', two, ['--buckets=1000'], '--buckets:'),
        ('buckets too many', two, ['--buckets=33554432'], '--buckets:'),
        ('pool-objs too few', two, ['--allocator=mempool', '--pool-objs=1,2,3'],
         '--pool-objs:'),
        ('pool-objs not numbers', two, ['--allocator=mempool', '--pool-objs=1,2,x,4'],
         '--pool-objs:'),
        ('mempool without sizes', two, ['--allocator=mempool'], 'a mempool run needs'),
        ('mempool before fastmem', two, ['--allocator=mempool,fastmem'],
         'a mempool run needs'),
        ('port not a number', two, ['--port=eth0'], '--port:'),
        ('no such port', two, ['--port=7'], 'no port 7'),
        ('no port at all', [lcores], [], 'no port 0'),
        ('capture file missing',
         [lcores, '--vdev=' + vdev([files[0], files[0] + '.missing'])], [], 'no port 0'),
        ('one worker', [f'--lcores=(0-1)@{cpus}', '--vdev=' + vdev(files[:1])], [],
         '1 worker lcores: at least two'),
        ('files for more workers', [lcores, '--vdev=' + vdev(files)], [],
         'reads 3 capture files for 2 workers'),
        ('no memory for the mbufs', two + ['-m', '8'], [],
         'cannot create the pool of'),
        ('no memory for the buckets', two + ['-m', '64'], ['--buckets=16777216'],
         'no memory for the 16777216 hash buckets of lcore'),
        ('fastmem-limit not a number', two, ['--fastmem-limit=lots'], '--fastmem-limit:'),
        ('fastmem-limit too large', two, ['--fastmem-limit=1048577'], '--fastmem-limit:'),
        ('no memory for fastmem', two, ['--fastmem-limit=0'], 'fastmem has no memory'),
        ('no memory for a mempool', two, ['--allocator=mempool',
                                          '--pool-objs=100000000,1,1,1'],
         'cannot create mempool ct_flow of'),
        ('mempool too large', two, ['--allocator=mempool', '--pool-objs=4294967295,1,1,1'],
         'flow objects is too large'),
        ('JSON not writable', two, ['--json=/nonexistent/dir/result.json'],
         'cannot write /nonexistent/dir/result.json'),
        ('CSV not writable', two, ['--csv=/nonexistent/dir/result.csv'],
         'cannot append to /nonexistent/dir/result.csv'),
        ('bad EAL argument', two + ['--no-such-eal-option'], [], EAL_REFUSED),
    ]


def without_memory_size(cmd):
    """The command line without its EAL option -m and its value."""
    out = []
    it = iter(cmd)
    for arg in it:
        if arg == '-m':
            next(it, None)
        else:
            out.append(arg)
    return out


def run_errors(f, args, work):
    gen = [sys.executable, args.generator, '--quiet', '--out-dir', work, '--queues', '3',
           '--flows', '200', '--packets', '2000', '--seed', '3']
    subprocess.run(gen, check=True)
    files = [os.path.join(work, f'ct-q{i}.pcap') for i in range(3)]
    base = [args.app] + args.eal + [f'--file-prefix={args.prefix}']
    for name, eal, app_args, message in error_cases(files, args.cpus):
        cmd = (base if '-m' not in eal else without_memory_size(base)) + eal
        proc = subprocess.run(cmd + ['--'] + app_args, stdout=subprocess.PIPE,
                              stderr=subprocess.STDOUT, text=True, timeout=RUN_TIMEOUT,
                              check=False)
        messages = message if isinstance(message, tuple) else (message,)
        # the application's errors exit with 1; EAL's own exit may differ (EAL_REFUSED)
        ok = f.check(proc.returncode == 1 or (message is EAL_REFUSED and
                                               proc.returncode != 0 and
                                               EAL_REFUSED[1] in proc.stdout),
                     f'{name}: exit status {proc.returncode}, not 1')
        ok &= f.check(any(m in proc.stdout for m in messages),
                      f'{name}: none of {messages} in the output')
        ok &= f.check(not sanitizer_report(proc.stdout), f'{name}: sanitizer report')
        print(f'{"ok  " if ok else "FAIL"} {name}')
        if not ok:
            print(proc.stdout)
    proc = subprocess.run(base + [f'--lcores=(0-2)@{args.cpus}',
                                  '--vdev=' + vdev(files[:2]), '--', '--help'],
                          stdout=subprocess.PIPE, stderr=subprocess.STDOUT, text=True,
                          timeout=RUN_TIMEOUT, check=False)
    f.check(proc.returncode == 0 and 'Usage:' in proc.stdout and
            not sanitizer_report(proc.stdout), f'--help: status {proc.returncode}')


def main():
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument('--app', required=True, help='the dpdk-conntrack binary')
    ap.add_argument('--expected', help='PREFIX-expected.json of the capture (counts mode)')
    ap.add_argument('--errors', action='store_true', help='check the error cases')
    ap.add_argument('--generator', help='ct_pcapgen.py (errors mode)')
    ap.add_argument('--prefix', required=True, help='EAL --file-prefix')
    ap.add_argument('--cpus', default='(0-1)',
                    help='the CPUs the lcores float over, as --lcores writes them')
    ap.add_argument('eal', nargs='*', help='EAL arguments, after "--"')
    args = ap.parse_args()
    if not args.errors and args.expected is None:
        ap.error('--expected is needed, unless --errors')
    if args.errors and args.generator is None:
        ap.error('--errors needs --generator')
    f = Failures()
    work = tempfile.mkdtemp(prefix='ct-check-')
    try:
        (run_errors if args.errors else run_counts)(f, args, work)
    finally:
        shutil.rmtree(work, ignore_errors=True)
    if f.messages:
        print(f'{len(f.messages)} check(s) failed')
        return 1
    print('every check passed')
    return 0


if __name__ == '__main__':
    sys.exit(main())
