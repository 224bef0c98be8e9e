#!/usr/bin/env python3
# SPDX-License-Identifier: BSD-3-Clause
# Copyright(c) 2026 The dpdk-lcoremem authors
"""Tests of ct_pcapgen.py: the files it writes are valid, sorted, reproducible and shaped
as asked, and the counts of its expected.json agree with a tracker of our own that reads
the files back (written apart from the generator's, from the rules of the guide).

    test_ct_pcapgen.py --generator examples/conntrack/ct_pcapgen.py
"""

import argparse
import filecmp
import json
import os
import shutil
import struct
import subprocess
import sys
import tempfile
import unittest

GENERATOR = None


def run_gen(out_dir, *extra):
    """Run the generator; its exit status and output."""
    proc = subprocess.run([sys.executable, GENERATOR, '--quiet', '--out-dir', out_dir] +
                          list(extra), stdout=subprocess.PIPE, stderr=subprocess.STDOUT,
                          text=True, check=False)
    return proc.returncode, proc.stdout


def read_pcap(path):
    """(timestamp in us, captured bytes, original length) of every record."""
    with open(path, 'rb') as f:
        data = f.read()
    magic, major, minor, _, _, snaplen, link = struct.unpack_from('<IHHiIII', data)
    assert (magic, major, minor, link) == (0xa1b2c3d4, 2, 4, 1), path
    records, off = [], 24
    while off < len(data):
        sec, usec, caplen, orig = struct.unpack_from('<IIII', data, off)
        off += 16
        assert usec < 1000000 and caplen <= orig and caplen <= snaplen
        records.append((sec * 1000000 + usec, data[off:off + caplen], orig))
        off += caplen
    return records


def classify(frame):
    """('flow', key, IPv4 length, is TCP), ('not_ipv4',) or ('bad_ipv4',)."""
    if struct.unpack_from('!H', frame, 12)[0] != 0x0800:
        return ('not_ipv4',)
    ip = frame[14:]
    if len(ip) < 20:
        return ('bad_ipv4',)
    ihl = (ip[0] & 0xf) * 4
    total, frag = struct.unpack_from('!HxxH', ip, 2)
    if ip[0] >> 4 != 4 or ihl < 20 or len(ip) < ihl or frag & 0x1fff:
        return ('bad_ipv4',)
    proto = ip[9]
    src, dst = ip[12:16], ip[16:20]
    sport, dport = struct.unpack_from('!HH', ip, ihl)
    a, b = (src, sport), (dst, dport)
    return ('flow', (min(a, b), max(a, b), proto), total, proto == 6)


def recount(files, timeout_us, ext_after, hist_records):
    """What the guide says dpdk-conntrack counts, from the files alone."""
    total = {'packets': 0, 'not_ipv4': 0, 'bad_ipv4': 0, 'ip_bytes': 0, 'created': 0,
             'expired': 0, 'live_at_end': 0, 'hist': [0, 0, 0]}
    thresholds = [ext_after, ext_after + hist_records[0], ext_after + hist_records[1]]
    queue_of, per_queue = {}, []
    for qi, path in enumerate(files):
        clock, flows, created = 0, {}, 0
        for ts, frame, _ in read_pcap(path):
            total['packets'] += 1
            kind = classify(frame)
            if kind[0] != 'flow':
                total[kind[0]] += 1
                continue
            _, key, ip_len, tcp = kind
            assert queue_of.setdefault(key, qi) == qi, 'a connection on two queues'
            total['ip_bytes'] += ip_len
            clock = max(clock, ts)
            if key in flows and clock - flows[key][0] > timeout_us:
                total['expired'] += 1
                del flows[key]
            if key not in flows:
                created += 1
                flows[key] = [ts, 0]
            flows[key][0] = max(flows[key][0], ts)
            flows[key][1] += 1
            if tcp and flows[key][1] in thresholds:
                total['hist'][thresholds.index(flows[key][1])] += 1
        for last, _ in flows.values():
            total['expired' if clock - last > timeout_us else 'live_at_end'] += 1
        total['created'] += created
        per_queue.append(created)
    return total, per_queue, len(queue_of)


class Generator(unittest.TestCase):

    def setUp(self):
        self.dir = tempfile.mkdtemp(prefix='ct-pcapgen-test-')

    def tearDown(self):
        shutil.rmtree(self.dir, ignore_errors=True)

    def gen(self, name, *extra):
        out = os.path.join(self.dir, name)
        rc, text = run_gen(out, *extra)
        self.assertEqual(rc, 0, text)
        with open(os.path.join(out, 'ct-expected.json'), encoding='utf-8') as f:
            exp = json.load(f)
        return out, exp, [os.path.join(out, q['file']) for q in exp['queues']]

    def test_counts_agree_with_the_files(self):
        _, exp, files = self.gen('a', '--queues', '3', '--flows', '500', '--packets',
                                 '8000', '--duration', '20', '--timeout-ms', '1000',
                                 '--junk', '0.01', '--seed', '7')
        got, per_queue, n_keys = recount(files, exp['timeout_us'], exp['ext_after'],
                                         exp['hist_records'])
        for key, value in got.items():
            self.assertEqual(exp[key], value, key)
        self.assertEqual(n_keys, 500)
        self.assertEqual([q['created'] for q in exp['queues']], per_queue)
        self.assertEqual(exp['packets'], 8000)
        self.assertEqual(exp['not_ipv4'] + exp['bad_ipv4'], 80)
        self.assertGreater(exp['bad_ipv4'], exp['not_ipv4'])  # two bad kinds, one not IPv4
        self.assertEqual(exp['created'], exp['expired'] + exp['live_at_end'])
        for path in files:
            times = [r[0] for r in read_pcap(path)]
            self.assertEqual(times, sorted(times), path)

    def test_same_seed_same_files(self):
        a, _, fa = self.gen('a', '--flows', '300', '--packets', '3000', '--seed', '5')
        b, _, fb = self.gen('b', '--flows', '300', '--packets', '3000', '--seed', '5')
        c, _, fc = self.gen('c', '--flows', '300', '--packets', '3000', '--seed', '6')
        for x, y in zip(fa, fb):
            self.assertTrue(filecmp.cmp(x, y, shallow=False), x)
        self.assertFalse(all(filecmp.cmp(x, y, shallow=False) for x, y in zip(fa, fc)))

    def sizes(self, *extra):
        """Packets of each connection (the files hold no junk)."""
        _, _, files = self.gen('s', '--junk', '0', *extra)
        count = {}
        for path in files:
            for _, frame, _ in read_pcap(path):
                key = classify(frame)[1]
                count[key] = count.get(key, 0) + 1
        shutil.rmtree(os.path.join(self.dir, 's'))
        return sorted(count.values())

    def test_flow_sizes(self):
        self.assertEqual(self.sizes('--flows', '100', '--packets', '1000', '--flow-size',
                                    'fixed'), [10] * 100)
        heavy = self.sizes('--flows', '1000', '--packets', '20000')
        light = self.sizes('--flows', '1000', '--packets', '20000', '--flow-size', 'exp')
        self.assertEqual(sum(heavy), 20000)
        self.assertEqual(len(heavy), 1000)
        # heavy-tailed: most connections are small, a few carry much of the traffic
        self.assertGreater(heavy[-1], 5 * light[-1])
        self.assertLess(heavy[len(heavy) // 2], 20)
        self.assertLessEqual(heavy[-1], 20000 // 20)

    def test_lifetimes(self):
        _, exp, files = self.gen('l', '--flows', '200', '--packets', '1000', '--flow-size',
                                 'fixed', '--lifetime', 'fixed', '--lifetime-mean', '3',
                                 '--junk', '0', '--timeout-ms', '100000')
        span = {}
        for path in files:
            for ts, frame, _ in read_pcap(path):
                key = classify(frame)[1]
                lo, hi = span.get(key, (ts, ts))
                span[key] = (min(lo, ts), max(hi, ts))
        self.assertEqual({hi - lo for lo, hi in span.values()}, {3000000})
        # no gap reaches the timeout: one flow per connection, all live at the end
        self.assertEqual(exp['created'], 200)

    def test_idle_gaps_make_new_flows(self):
        _, exp, files = self.gen('g', '--flows', '100', '--packets', '500', '--flow-size',
                                 'fixed', '--lifetime', 'fixed', '--lifetime-mean', '50',
                                 '--timeout-ms', '1000', '--junk', '0')
        got, _, _ = recount(files, exp['timeout_us'], exp['ext_after'], exp['hist_records'])
        self.assertGreater(exp['created'], 200)
        self.assertEqual(exp['created'], got['created'])

    def test_bad_arguments(self):
        out = os.path.join(self.dir, 'bad')
        rc, text = run_gen(out, '--flows', '100', '--packets', '50')
        self.assertEqual(rc, 1)
        self.assertIn('cannot make 100 flows', text)
        for bad in (['--flow-size', 'pareto:1'], ['--lifetime', 'zipf'], ['--junk', '2'],
                    ['--queues', '0'], ['--flow-size', 'fixed:3'], ['--duration', '0']):
            rc, text = run_gen(out, *bad)
            self.assertEqual(rc, 2, bad)
            self.assertIn('error', text)


def main():
    global GENERATOR
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument('--generator', required=True, help='ct_pcapgen.py')
    args, rest = ap.parse_known_args()
    GENERATOR = os.path.abspath(args.generator)
    unittest.main(argv=[sys.argv[0]] + rest, verbosity=2)


if __name__ == '__main__':
    main()
