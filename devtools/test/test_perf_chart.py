#!/usr/bin/env python3
# SPDX-License-Identifier: BSD-3-Clause
# Copyright(c) 2026 The dpdk-lcoremem authors
"""Tests of devtools/perf_chart.py on small CSV files written to a scratch folder.

    test_perf_chart.py CHART
"""

import os
import shutil
import subprocess
import sys
import tempfile
import unittest
import xml.etree.ElementTree as ET

CHART = None
SVG = '{http://www.w3.org/2000/svg}'
HEADER = 'section,lcores,size,pattern,allocator,value,unit,ratio_to_single\n'
MIB = 2**20

SPEED = ''.join(f'single,1,{size},pairs,{alloc},{cycles},cycles,1.0\n'
                for size in (64, 4096)
                for alloc, cycles in (('fastmem', 20), ('mempool', 30), ('rte_malloc', 90)))

# two workloads as fastmem_memory_perf_autotest writes them
MEMORY = ''.join(
    f'memory,1,{sizes},{pattern},{alloc},{mib * MIB},{unit},{ratio}\n'
    for sizes, pattern, rows in (
        ('200+320+1200+2500+5000', 'random-1/16', (
            ('live', 30, 'bytes', 0.166), ('fastmem', 256, 'bytes', 1.414),
            ('fastmem_classes', 194, 'bytes', 1.072), ('fastmem_slabs_emptied', 0, 'slabs', 0),
            ('mempool', 181, 'bytes', 1.0), ('mempool_nospread', 142, 'bytes', 0.785),
            ('rte_malloc', 53, 'bytes', 0.293))),
        ('2500+1200+700+200+136+56', 'heavy-tail', (
            ('live', 14, 'bytes', 0.1), ('fastmem', 256, 'bytes', 2.0),
            ('mempool', 128, 'bytes', 1.0), ('rte_malloc', 50, 'bytes', 0.39))))
    for alloc, mib, unit, ratio in rows)

# the conntrack example's rows (dpdk-conntrack --csv)
CONNTRACK = ''.join(f'conntrack,2,-,{pattern},{alloc},{value},{unit},\n'
                    for pattern, unit, rows in (
                        ('mpps_per_lcore', 'Mpps', (('fastmem', 3.1), ('mempool', 3.3))),
                        ('peak_memory', 'bytes', (('fastmem', 130 * MIB),
                                                  ('mempool', 200 * MIB))))
                    for alloc, value in rows)


def run_chart(csv_text, *args):
    """Write csv_text, run the chart on it; return (status, output, parsed SVG or None)."""
    top = tempfile.mkdtemp(prefix='perf-chart-test.')
    try:
        csv_path = os.path.join(top, 'perf.csv')
        with open(csv_path, 'w', encoding='utf-8') as f:
            f.write(csv_text)
        proc = subprocess.run([sys.executable, CHART, csv_path] + list(args),
                              capture_output=True, text=True, check=False, timeout=60)
        svg_path = os.path.join(top, 'perf.svg')
        svg = ET.parse(svg_path).getroot() if os.path.exists(svg_path) else None
        return proc.returncode, proc.stdout + proc.stderr, svg
    finally:
        shutil.rmtree(top, True)


def bar_titles(svg):
    """The tooltips of the bars."""
    return [r.findtext(SVG + 'title') for r in svg.iter(SVG + 'rect')
            if r.find(SVG + 'title') is not None]


def texts(svg):
    return [t.text for t in svg.iter(SVG + 'text')]


class PerfChart(unittest.TestCase):

    def test_speed_only(self):
        status, out, svg = run_chart(HEADER + SPEED)
        self.assertEqual(status, 0, out)
        self.assertEqual(len(bar_titles(svg)), 6)
        self.assertIn('pairs (1 lcore)', texts(svg))
        self.assertFalse(any('peak backing' in (t or '') for t in texts(svg)))

    def test_memory_only(self):
        status, out, svg = run_chart(HEADER + MEMORY)
        self.assertEqual(status, 0, out)
        bars = bar_titles(svg)
        # fastmem, mempool and rte_malloc per workload; the other rows are not bars
        self.assertEqual(len(bars), 6, bars)
        self.assertIn('fastmem, random-1/16, 200-5000 B: 256 MiB', bars)
        self.assertIn('rte_malloc, heavy-tail, 2500-56 B: 50 MiB', bars)
        lines = [el.findtext(SVG + 'title') for el in svg.iter(SVG + 'line')]
        self.assertIn('live, random-1/16, 200-5000 B: 30 MiB', lines)
        labels = texts(svg)
        self.assertIn('1.41x', labels)
        self.assertIn('2.00x', labels)
        self.assertIn('per-type mempools', labels)
        self.assertIn('fastmem_memory_perf: the memory each allocator holds', labels)

    def test_speed_and_memory(self):
        status, out, svg = run_chart(HEADER + SPEED + MEMORY)
        self.assertEqual(status, 0, out)
        self.assertEqual(len(bar_titles(svg)), 12)
        height = float(svg.get('height'))
        # the memory panel lies below the speed panel
        rects = [float(r.get('y')) for r in svg.iter(SVG + 'rect')
                 if (r.findtext(SVG + 'title') or '').startswith('mempool, heavy-tail')]
        self.assertEqual(len(rects), 1)
        self.assertGreater(rects[0], height / 2)

    def test_all_sections(self):
        status, out, svg = run_chart(HEADER + SPEED + CONNTRACK + MEMORY)
        self.assertEqual(status, 0, out)
        # speed 6, conntrack 2 x 2, memory 6
        self.assertEqual(len(bar_titles(svg)), 16)
        labels = texts(svg)
        self.assertIn('conntrack: Mpps per worker lcore (2 workers)', labels)
        self.assertIn('conntrack: peak memory held (2 workers)', labels)
        # the memory panel comes last, below the conntrack panels
        ct = [float(r.get('y')) for r in svg.iter(SVG + 'rect')
              if (r.findtext(SVG + 'title') or '').startswith('value, mempool')]
        mem = [float(r.get('y')) for r in svg.iter(SVG + 'rect')
               if (r.findtext(SVG + 'title') or '').startswith('mempool, heavy-tail')]
        self.assertTrue(ct and mem)
        self.assertGreater(min(mem), max(ct))

    def test_old_memory_rows(self):
        # the memory rows of earlier versions: one workload, other bar names
        old = ''.join(f'memory,1,64+200+700+1500,shifting,{a},{v},bytes,1.0\n'
                      for a, v in (('live', 57 * MIB), ('fastmem', 128 * MIB),
                                   ('fastmem_slabs', 96 * MIB), ('mempool', 364 * MIB)))
        status, out, svg = run_chart(HEADER + old)
        self.assertEqual(status, 0, out)
        self.assertEqual(len(bar_titles(svg)), 2)

    def test_not_a_perf_csv(self):
        status, out, svg = run_chart('a,b\n1,2\n')
        self.assertEqual(status, 1, out)
        self.assertIn('not a fastmem_perf CSV', out)
        self.assertIsNone(svg)
        status, out, svg = run_chart(HEADER + SPEED, '--section', 'all')
        self.assertEqual(status, 1, out)
        self.assertIn('no rows of section all', out)


def main():
    global CHART
    if len(sys.argv) != 2:
        print(__doc__, file=sys.stderr)
        return 2
    CHART = sys.argv[1]
    result = unittest.main(argv=[sys.argv[0], '-v'], exit=False).result
    return 0 if result.wasSuccessful() else 1


if __name__ == '__main__':
    sys.exit(main())
