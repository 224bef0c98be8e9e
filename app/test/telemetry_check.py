#!/usr/bin/env python3
# SPDX-License-Identifier: BSD-3-Clause
# Copyright(c) 2026 The dpdk-lcoremem authors
"""Test fastmem's telemetry commands against a live process.

Starts DPDK_TEST (dpdk-test) with the given EAL arguments, --file-prefix=PREFIX and the test
fastmem_telemetry_server (app/test/test_fastmem_telemetry.c), which allocates a known set
of objects and writes what the statistics functions return to expected.json. Then queries
the process's telemetry socket, through Debian's dpdk-telemetry.py client when it is
installed and always directly over the socket, and checks every reply against
expected.json and against the objects the server allocated. Finally lets the server call
rte_fastmem_deinit() and checks that every command then says fastmem is not initialized.

Exit status: 0 when every check passed, 1 otherwise.
"""

import argparse
import json
import os
import shutil
import socket
import subprocess
import sys
import tempfile
import time

SOCKET_NAME = 'dpdk_telemetry.v2'
TELEMETRY_CLIENT = '/usr/bin/dpdk-telemetry.py'
SERVER_TEST = 'fastmem_telemetry_server'

# What the server allocates (test_fastmem_telemetry.c): (size, allocated, freed) per thread.
MAIN_BATCHES = [(64, 100, 30), (4096, 10, 0), (1 << 20, 2, 1)]
WORKER_BATCHES = [(256, 50, 10), (64, 20, 0)]
SHARED_BATCHES = [(32, 7, 2)]

FASTMEM_COMMANDS = ['/fastmem/info', '/fastmem/procs', '/fastmem/stats', '/fastmem/class',
                    '/fastmem/lcore', '/fastmem/lcore_list']

# Commands shown in the transcript (--transcript), filled in with the lcore ids.
TRANSCRIPT = ['/fastmem/info', '/fastmem/procs', '/fastmem/stats', '/fastmem/class,64',
              '/fastmem/lcore_list', '/fastmem/lcore,{worker}', '/eal/lcore_var']


class Failures:
    """Collects failed checks, so that one run reports all of them."""

    def __init__(self):
        self.messages = []

    def check(self, cond, msg):
        if not cond:
            self.messages.append(msg)
            print('FAIL: ' + msg)
        return cond

    def equal(self, got, want, what):
        return self.check(got == want, f'{what}: got {got!r}, want {want!r}')


class SocketClient:
    """The telemetry protocol, v2: a SEQPACKET socket, one command per message."""

    def __init__(self, path):
        self.sock = socket.socket(socket.AF_UNIX, socket.SOCK_SEQPACKET)
        self.sock.settimeout(10)
        self.sock.connect(path)
        self.hello = json.loads(self.sock.recv(1024).decode())
        self.max_len = self.hello['max_output_len']

    def query(self, cmd):
        self.sock.send(cmd.encode())
        return json.loads(self.sock.recv(self.max_len).decode())

    def close(self):
        self.sock.close()


def query_socket(path, cmds):
    """Send the commands over one connection; the replies, in order."""
    client = SocketClient(path)
    try:
        return [client.query(c) for c in cmds]
    finally:
        client.close()


def query_client_script(prefix, runtime_dir, cmds):
    """Send the commands through dpdk-telemetry.py, which prints one JSON line per command
    when its input is not a terminal."""
    env = dict(os.environ)
    # dpdk-telemetry.py looks for $RUNTIME_DIRECTORY/dpdk/<prefix>/dpdk_telemetry.v2
    env['RUNTIME_DIRECTORY'] = os.path.dirname(os.path.dirname(runtime_dir))
    res = subprocess.run([sys.executable, TELEMETRY_CLIENT, '-f', prefix],
                         input='\n'.join(cmds) + '\nquit\n', capture_output=True, text=True,
                         env=env, timeout=30, check=False)
    lines = [line for line in res.stdout.splitlines() if line.startswith('{')]
    if res.returncode != 0 or len(lines) != len(cmds):
        raise RuntimeError(f'{TELEMETRY_CLIENT} exited {res.returncode} with {len(lines)} '
                           f'replies for {len(cmds)} commands:\n{res.stdout}{res.stderr}')
    return [json.loads(line) for line in lines]


def reply_of(reply, cmd):
    """The value of a reply: {"<command>": value}."""
    return reply.get(cmd.split(',')[0])


def sum_batches(batches):
    """(objects allocated, objects freed, bytes in use, in use per class) of batches."""
    allocs = frees = in_use = 0
    per_class = {}
    for size, n_alloc, n_free in batches:
        allocs += n_alloc
        frees += n_free
        in_use += (n_alloc - n_free) * size
        per_class[size] = per_class.get(size, 0) + n_alloc - n_free
    return allocs, frees, in_use, per_class


def check_initialized(f, exp, replies):
    """Phase 1: every reply against expected.json and the known allocations."""
    main = exp['main_lcore']
    worker = exp['worker_lcore']
    sock_key = f'socket_{exp["socket_id"]}'

    cmd_list = replies['/']
    for cmd in FASTMEM_COMMANDS:
        f.check(cmd in cmd_list, f'"/" does not list {cmd}')
    help_text = replies['/help,/fastmem/class'].get('/fastmem/class', '')
    f.check('class_size' in help_text, f'help of /fastmem/class: {help_text!r}')

    info = replies['/fastmem/info']
    f.equal(info.get('initialized'), 1, 'info.initialized')
    f.equal(info.get('max_size'), exp['max_size'], 'info.max_size')
    f.equal(info.get('classes'), exp['classes'], 'info.classes')
    f.equal(info.get('n_classes'), len(exp['classes']), 'info.n_classes')
    f.equal(info.get('limit', {}).get(sock_key), exp['limit'], f'info.limit.{sock_key}')
    f.equal(info.get('default_limit'), exp['default_limit'], 'info.default_limit')
    f.equal(info.get('cache_budget'), exp['cache_budget'], 'info.cache_budget')
    backing = info.get('backing_bytes', {})
    f.equal(sum(backing.values()), exp['stats']['bytes_backing'],
            'sum of info.backing_bytes')
    f.check(backing.get(sock_key, 0) > 0, f'no backing memory on {sock_key}: {backing}')
    f.check(backing.get(sock_key, 0) <= exp['limit'], 'backing memory above the limit')
    trimmed = info.get('trimmed_bytes', {})
    f.check(isinstance(trimmed.get(sock_key), int) and trimmed[sock_key] >= 0,
            f'info.trimmed_bytes.{sock_key}: {trimmed}')
    # one process, the server, a primary: attached alone, nothing reclaimed
    f.equal(info.get('proc_type'), 'primary', 'info.proc_type')
    f.equal(info.get('procs_attached'), 1, 'info.procs_attached')
    f.equal(info.get('procs'), [exp['pid']], 'info.procs')
    for key in ['procs_reclaimed', 'objs_reclaimed', 'objs_left']:
        f.equal(info.get(key), 0, f'info.{key}')
    procs = replies['/fastmem/procs']
    me = procs.get(str(exp['pid']), {})
    f.equal(sorted(k for k in procs if k != 'initialized'), [str(exp['pid'])],
            f'/fastmem/procs: {procs}')
    f.equal(me.get('type'), 'primary', '/fastmem/procs type')
    f.check(me.get('cache_sets', 0) >= 2, f'/fastmem/procs cache sets: {me}')
    f.equal(me.get('bytes_cached'), exp['stats']['bytes_cached'] - exp['xfer_bytes'],
            '/fastmem/procs bytes_cached vs stats.bytes_cached less the transfer caches')

    stats = replies['/fastmem/stats']
    for key, val in exp['stats'].items():
        f.equal(stats.get(key), val, f'stats.{key}')
    f.equal(stats.get('no_lcore_id'), exp['no_lcore_id'], 'stats.no_lcore_id')
    # where the backing memory is, each part from its own layer
    parts = ['bytes_in_use', 'bytes_cached', 'bytes_free', 'bytes_free_pages', 'bytes_overhead']
    f.equal(sum(stats.get(k, 0) for k in parts), stats.get('bytes_backing'),
            'stats: ' + ' + '.join(parts) + ' vs bytes_backing')

    # the same figures, from what the server allocated rather than what it reported
    allocs, frees, in_use, per_class = sum_batches(MAIN_BATCHES + WORKER_BATCHES +
                                                   SHARED_BATCHES)
    f.equal(stats.get('alloc_total'), allocs, 'stats.alloc_total vs the allocations')
    f.equal(stats.get('free_total'), frees, 'stats.free_total vs the frees')
    f.equal(stats.get('bytes_in_use'), in_use, 'stats.bytes_in_use vs the objects held')
    sh_allocs, sh_frees, _, _ = sum_batches(SHARED_BATCHES)
    f.equal(stats.get('no_lcore_id', {}).get('alloc_cache_misses'), sh_allocs,
            'stats.no_lcore_id.alloc_cache_misses vs the allocations')
    f.equal(stats.get('no_lcore_id', {}).get('free_cache_misses'), sh_frees,
            'stats.no_lcore_id.free_cache_misses vs the frees')

    for size in exp['classes']:
        got = replies[f'/fastmem/class,{size}']
        f.equal(got.get('initialized'), 1, f'class {size}: initialized')
        for key, val in exp['class'][str(size)].items():
            f.equal(got.get(key), val, f'class {size}: {key}')
        f.equal(got.get('in_use'), per_class.get(size, 0), f'class {size}: in_use vs objects')

    for lcore, batches in ((main, MAIN_BATCHES), (worker, WORKER_BATCHES)):
        got = replies[f'/fastmem/lcore,{lcore}']
        want = exp['lcore'][str(lcore)]
        f.equal(got.get('lcore_id'), lcore, f'lcore {lcore}: lcore_id')
        f.equal(got.get('role'), 'eal', f'lcore {lcore}: role')
        for key, val in want.items():
            if key != 'classes':
                f.equal(got.get(key), val, f'lcore {lcore}: {key}')
        got_classes = {k[len('class_'):]: v for k, v in got.items() if k.startswith('class_')}
        f.equal(got_classes, want['classes'], f'lcore {lcore}: per-class statistics')
        l_allocs, l_frees, _, _ = sum_batches(batches)
        f.equal(got.get('alloc_cache_hits', 0) + got.get('alloc_cache_misses', 0), l_allocs,
                f'lcore {lcore}: allocations')
        f.equal(got.get('free_cache_hits', 0) + got.get('free_cache_misses', 0), l_frees,
                f'lcore {lcore}: frees')

    f.equal(replies['/fastmem/lcore_list'].get('lcores'), sorted({main, worker}),
            'lcore_list.lcores')
    check_lcore_var(f, exp, replies['/eal/lcore_var'])


def check_lcore_var(f, exp, lv):
    """/eal/lcore_var: ours (DPDK before 24.11) or absent (native lcore variables)."""
    if exp['lcore_var_native']:
        f.equal(lv, None, '/eal/lcore_var with native lcore variables')
        return
    if not f.check(isinstance(lv, dict), f'/eal/lcore_var: {lv!r}'):
        return
    # fastmem allocates one variable, on top of whatever else the process has
    f.check(lv.get('num_vars', 0) >= 1, f'lcore_var.num_vars: {lv}')
    f.check(lv.get('num_buffers', 0) >= 1, f'lcore_var.num_buffers: {lv}')
    f.check(lv.get('bytes_allocated', 0) >= lv.get('num_vars', 0),
            f'lcore_var.bytes_allocated: {lv}')
    f.check(lv.get('bytes_allocated', 0) <= lv.get('num_buffers', 0) * exp['max_lcore_var'],
            f'lcore_var.bytes_allocated above what the buffers hold: {lv}')
    f.equal(lv.get('slice_size'), exp['max_lcore_var'], 'lcore_var.slice_size')
    f.equal(lv.get('max_lcore'), exp['max_lcore'], 'lcore_var.max_lcore')
    f.equal(lv.get('buffer_size'), exp['max_lcore'] * exp['max_lcore_var'],
            'lcore_var.buffer_size')
    f.check(0 <= lv.get('slice_bytes_free', -1) <= exp['max_lcore_var'],
            f'lcore_var.slice_bytes_free: {lv}')


def check_errors(f, exp, replies):
    """Bad parameters: the command fails, which the client sees as null."""
    for cmd in error_commands(exp):
        f.check(cmd in replies and replies[cmd] is None,
                f'{cmd}: want null, got {replies.get(cmd)!r}')


def error_commands(exp):
    return ['/fastmem/class', '/fastmem/class,7', '/fastmem/class,abc',
            '/fastmem/class,64x', f'/fastmem/class,{2 * exp["max_size"]}',
            '/fastmem/lcore', '/fastmem/lcore,-1', f'/fastmem/lcore,{exp["max_lcore"]}',
            '/fastmem/lcore,1.5']


def check_deinit(f, exp, replies):
    """Phase 2: after rte_fastmem_deinit(), every command answers, saying so."""
    info = replies['/fastmem/info']
    f.equal(info.get('initialized'), 0, 'after deinit: info.initialized')
    f.equal(info.get('classes'), exp['classes'], 'after deinit: info.classes')
    f.check('backing_bytes' not in info, f'after deinit: info has backing bytes: {info}')
    for cmd in ['/fastmem/stats', '/fastmem/class,64', f'/fastmem/lcore,{exp["main_lcore"]}',
                '/fastmem/lcore_list']:
        got = replies[cmd]
        f.equal(got.get('initialized'), 0, f'after deinit: {cmd}')
        f.check(len(got) <= 3, f'after deinit: {cmd} has statistics: {got}')
    check_errors(f, exp, replies)
    if not exp['lcore_var_native']:
        f.check(isinstance(replies['/eal/lcore_var'], dict), 'after deinit: /eal/lcore_var')


def run_queries(f, args, exp, cmds):
    """Query over the socket, and through dpdk-telemetry.py when installed; the replies
    (command -> value) after checking that both clients got the same."""
    path = os.path.join(exp['runtime_dir'], SOCKET_NAME)
    direct = query_socket(path, cmds)
    if args.client != 'socket' and os.path.exists(TELEMETRY_CLIENT):
        via_script = query_client_script(args.prefix, exp['runtime_dir'], cmds)
        f.equal(via_script, direct, f'{TELEMETRY_CLIENT} and the socket disagree')
    elif args.client == 'script':
        f.check(False, f'{TELEMETRY_CLIENT} is not installed')
    return {cmd: reply_of(reply, cmd) for cmd, reply in zip(cmds, direct)}, direct


def write_transcript(args, exp, cmds, raw):
    """The session as dpdk-telemetry.py shows it interactively."""
    with open(args.transcript, 'w', encoding='utf-8') as out:
        out.write(f'# {TELEMETRY_CLIENT} -f {args.prefix}\n')
        for cmd, reply in zip(cmds, raw):
            out.write(f'--> {cmd}\n{json.dumps(reply, indent=2)}\n')
    print(f'transcript written to {args.transcript} (pid {exp["pid"]})')


def wait_file(proc, path, timeout):
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        if os.path.exists(path):
            return True
        if proc.poll() is not None:
            return False
        time.sleep(0.02)
    return False


def touch(path):
    with open(path, 'w', encoding='utf-8'):
        pass


def run(f, args, workdir, proc, server):
    """Both phases, against the server process proc; what expected.json says goes into
    server."""
    try:
        if not f.check(wait_file(proc, os.path.join(workdir, 'expected.json'), args.timeout),
                       'the server wrote no expected.json'):
            return
        with open(os.path.join(workdir, 'expected.json'), encoding='utf-8') as ef:
            exp = json.load(ef)
        server.update(exp)
        main, worker = exp['main_lcore'], exp['worker_lcore']

        cmds = (['/', '/help,/fastmem/class', '/fastmem/info', '/fastmem/procs', '/fastmem/stats',
                 '/fastmem/lcore_list', f'/fastmem/lcore,{main}', f'/fastmem/lcore,{worker}',
                 '/eal/lcore_var'] +
                [f'/fastmem/class,{size}' for size in exp['classes']] + error_commands(exp))
        replies, raw = run_queries(f, args, exp, cmds)
        check_initialized(f, exp, replies)
        check_errors(f, exp, replies)
        if args.transcript:
            shown = [c.format(worker=worker) for c in TRANSCRIPT]
            write_transcript(args, exp, shown, [raw[cmds.index(c)] for c in shown])

        touch(os.path.join(workdir, 'go'))
        if f.check(wait_file(proc, os.path.join(workdir, 'deinit'), args.timeout),
                   'the server did not reach deinit'):
            cmds = (['/fastmem/info', '/fastmem/stats', '/fastmem/class,64',
                     f'/fastmem/lcore,{main}', '/fastmem/lcore_list', '/eal/lcore_var'] +
                    error_commands(exp))
            replies, _ = run_queries(f, args, exp, cmds)
            check_deinit(f, exp, replies)
    finally:
        # let the server finish, whatever happened here
        touch(os.path.join(workdir, 'go'))
        touch(os.path.join(workdir, 'done'))


def main():
    parser = argparse.ArgumentParser(description=__doc__.split('\n')[0])
    parser.add_argument('--prefix', default='fastmem_telemetry',
                        help='EAL --file-prefix of the server, to which the process id of '
                        'this script is appended, so that concurrent runs never share it')
    parser.add_argument('--timeout', type=int, default=60,
                        help='seconds to wait for each step of the server')
    parser.add_argument('--client', choices=['auto', 'socket', 'script'], default='auto',
                        help='also query through dpdk-telemetry.py: when installed (auto), '
                        'never (socket), or fail without it (script)')
    parser.add_argument('--transcript', help='write a sample session to this file')
    parser.add_argument('dpdk_test', help='the dpdk-test executable')
    parser.add_argument('eal_args', nargs=argparse.REMAINDER,
                        help='EAL arguments (no --file-prefix, no --no-telemetry)')
    args = parser.parse_args()
    args.prefix = f'{args.prefix}-{os.getpid()}'

    f = Failures()
    workdir = tempfile.mkdtemp(prefix='fastmem-tel-')
    try:
        log_path = os.path.join(workdir, 'server.log')
        env = dict(os.environ, FASTMEM_TEL_DIR=workdir, FASTMEM_TEL_TIMEOUT=str(args.timeout))
        cmdline = ([args.dpdk_test] + args.eal_args +
                   [f'--file-prefix={args.prefix}', SERVER_TEST])
        print('starting: ' + ' '.join(cmdline))
        with open(log_path, 'w', encoding='utf-8') as log:
            proc = subprocess.Popen(cmdline, stdout=log, stderr=subprocess.STDOUT, env=env)
        server = {}
        try:
            run(f, args, workdir, proc, server)
        except (OSError, RuntimeError, ValueError, KeyError, TypeError,
                subprocess.SubprocessError) as err:
            f.check(False, f'{type(err).__name__}: {err}')
        try:
            rc = proc.wait(timeout=args.timeout)
        except subprocess.TimeoutExpired:
            proc.kill()
            rc = proc.wait()
        f.equal(rc, 0, 'server exit status')
        # EAL leaves its runtime directory behind; this one belongs to this run alone
        runtime_dir = server.get('runtime_dir', '')
        if os.path.basename(runtime_dir) == args.prefix:
            shutil.rmtree(runtime_dir, ignore_errors=True)
        if f.messages:
            with open(log_path, encoding='utf-8') as log:
                print('--- server output ---\n' + log.read())
            print(f'{len(f.messages)} check(s) failed')
            return 1
        print('all telemetry checks passed')
        return 0
    finally:
        shutil.rmtree(workdir, ignore_errors=True)


if __name__ == '__main__':
    sys.exit(main())
