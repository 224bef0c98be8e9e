#!/usr/bin/env python3
# SPDX-License-Identifier: BSD-3-Clause
# Copyright(c) 2026 The dpdk-lcoremem authors
"""Draw the CSV written by fastmem_perf_autotest (env FASTMEM_PERF_CSV) as an SVG chart.

One panel per pattern: grouped bars of TSC cycles per object (log scale) by object size,
one bar per allocator. The memory test's rows, when the CSV has them, get a panel of
their own (peak memory in MiB), and so do the conntrack example's (section conntrack,
from dpdk-conntrack --csv): packets per second per worker lcore, and peak memory held,
fastmem beside the per-type mempools. Standard library only.

    devtools/perf_chart.py fastmem-perf.csv -o fastmem-perf.svg [--section single|all]
"""

import argparse
import csv
import math
import sys
from xml.sax.saxutils import escape

ALLOCATORS = ['fastmem', 'handle', 'mempool', 'rte_malloc', 'libc']
COLORS = {
    'fastmem': '#1f77b4',
    'handle': '#17becf',
    'mempool': '#ff7f0e',
    'rte_malloc': '#d62728',
    'libc': '#2ca02c',
    'fastmem_slabs': '#aec7e8',
    'live': '#7f7f7f',
    'mempool_nospread': '#ffbb78',
}
# short names for the bars of the memory panel
MEMORY_LABELS = {
    'fastmem_slabs': 'fm slabs',
    'mempool': 'mempools',
    'mempool_nospread': 'no-spread',
}
PATTERNS = ['pairs', 'keep32', 'keep512', 'bulk32', 'cross-lcore', 'mixed']
# the conntrack example's panels: (pattern, title, unit, scale of the value)
CONNTRACK_PANELS = [
    ('mpps_per_lcore', 'conntrack: Mpps per worker lcore', 'Mpps', 1.0),
    ('peak_memory', 'conntrack: peak memory held', 'MiB', 1.0 / 2**20),
]

PANEL_W = 460
PANEL_H = 260
MARGIN_L = 56
MARGIN_R = 12
MARGIN_T = 30
MARGIN_B = 40
COLS = 2


def size_key(size):
    """Numeric sizes in order; ranges ("16-2048") after them."""
    try:
        return (0, int(size))
    except ValueError:
        return (1, size)


def size_label(size):
    try:
        n = int(size)
    except ValueError:
        return size + ' B'
    if n >= 1024 and n % 1024 == 0:
        return f'{n // 1024} KiB'
    return f'{n} B'


def read_rows(path):
    with open(path, newline='', encoding='utf-8') as f:
        return list(csv.DictReader(f))


def panel_bars(out, x0, y0, title, groups, series, values, unit, log, by_group=False,
               labeler=size_label):
    """Grouped bars in the panel at (x0, y0). values[(group, series)] -> float.
    by_group: color the bars by group (one series) instead of by series."""
    w = PANEL_W - MARGIN_L - MARGIN_R
    h = PANEL_H - MARGIN_T - MARGIN_B
    px, py = x0 + MARGIN_L, y0 + MARGIN_T
    vals = [v for v in values.values() if v > 0]
    out.append(f'<text x="{x0 + PANEL_W / 2:.1f}" y="{y0 + 18}" text-anchor="middle" '
               f'font-weight="bold">{escape(title)}</text>')
    if not vals:
        out.append(f'<text x="{px + w / 2:.1f}" y="{py + h / 2:.1f}" '
                   'text-anchor="middle">no data</text>')
        return
    if log:
        lo = 10 ** math.floor(math.log10(min(vals)))
        hi = 10 ** math.ceil(math.log10(max(vals)))
        if hi <= lo:
            hi = lo * 10

        def ypos(v):
            return py + h - h * (math.log10(v) - math.log10(lo)) / (
                math.log10(hi) - math.log10(lo))
        ticks = []
        t = lo
        while t <= hi * 1.0001:
            ticks.append(t)
            t *= 10
    else:
        lo, hi = 0.0, max(vals) * 1.1
        step = 10 ** math.floor(math.log10(hi))
        if hi / step < 3:
            step /= 2

        def ypos(v):
            return py + h - h * (v - lo) / (hi - lo)
        ticks = [i * step for i in range(int(hi / step) + 1)]
    # axes and grid
    for t in ticks:
        y = ypos(t)
        label = f'{t:g}'
        out.append(f'<line x1="{px}" y1="{y:.1f}" x2="{px + w}" y2="{y:.1f}" '
                   'stroke="#ddd"/>')
        out.append(f'<text x="{px - 4}" y="{y + 4:.1f}" text-anchor="end" '
                   f'font-size="10">{label}</text>')
    out.append(f'<line x1="{px}" y1="{py}" x2="{px}" y2="{py + h}" stroke="#444"/>')
    out.append(f'<line x1="{px}" y1="{py + h}" x2="{px + w}" y2="{py + h}" '
               'stroke="#444"/>')
    out.append(f'<text x="{x0 + 12}" y="{py + h / 2:.1f}" font-size="10" '
               f'text-anchor="middle" transform="rotate(-90 {x0 + 12} {py + h / 2:.1f})">'
               f'{escape(unit)}</text>')
    gw = w / len(groups)
    bw = gw * 0.8 / max(len(series), 1)
    base = py + h
    for gi, g in enumerate(groups):
        gx = px + gi * gw + gw * 0.1
        for si, s in enumerate(series):
            v = values.get((g, s))
            if v is None or v <= 0:
                continue
            y = ypos(v) if not log or v >= lo else base
            color = COLORS.get(g if by_group else s, '#999')
            out.append(f'<rect x="{gx + si * bw:.1f}" y="{y:.1f}" width="{bw - 1:.1f}" '
                       f'height="{max(base - y, 0.5):.1f}" fill="{color}">'
                       f'<title>{escape(s)}, {escape(labeler(g))}: {v:.4g} {escape(unit)}'
                       '</title></rect>')
        out.append(f'<text x="{px + gi * gw + gw / 2:.1f}" y="{base + 14}" '
                   f'text-anchor="middle" font-size="10">{escape(labeler(g))}</text>')


def chart(rows, section, title):
    speed = [r for r in rows if r['section'] == section]
    memory = [r for r in rows if r['section'] == 'memory']
    conntrack = [r for r in rows if r['section'] == 'conntrack']
    ct_panels = [p for p in CONNTRACK_PANELS if any(r['pattern'] == p[0] for r in conntrack)]
    patterns = [p for p in PATTERNS if any(r['pattern'] == p for r in speed)]
    series = [a for a in ALLOCATORS if any(r['allocator'] == a for r in speed + conntrack)]
    panels = len(patterns) + (1 if memory else 0) + len(ct_panels)
    if panels == 0:
        return None
    rows_n = (panels + COLS - 1) // COLS
    legend_h = 40
    width = PANEL_W * COLS
    height = legend_h + PANEL_H * rows_n
    out = [f'<svg xmlns="http://www.w3.org/2000/svg" width="{width}" height="{height}" '
           f'viewBox="0 0 {width} {height}" font-family="sans-serif" font-size="12">',
           f'<rect width="{width}" height="{height}" fill="white"/>',
           f'<text x="{width / 2}" y="16" text-anchor="middle" font-size="14" '
           f'font-weight="bold">{escape(title)}</text>']
    lx = 20
    for s in series:
        out.append(f'<rect x="{lx}" y="24" width="12" height="12" fill="{COLORS[s]}"/>')
        out.append(f'<text x="{lx + 16}" y="34">{escape(s)}</text>')
        lx += 24 + 8 * len(s)
    for i, p in enumerate(patterns):
        prow = [r for r in speed if r['pattern'] == p]
        groups = sorted({r['size'] for r in prow}, key=size_key)
        values = {(r['size'], r['allocator']): float(r['value']) for r in prow}
        present = [s for s in series if any(r['allocator'] == s for r in prow)]
        lcores = sorted({r['lcores'] for r in prow})
        sub = f'{p} ({"/".join(lcores)} lcore{"s" if lcores != ["1"] else ""})'
        panel_bars(out, (i % COLS) * PANEL_W, legend_h + (i // COLS) * PANEL_H, sub, groups,
                   present, values, 'TSC cycles per object', True)
    if memory:
        i = len(patterns)
        names = [r['allocator'] for r in memory]
        values = {(r['allocator'], 'peak'): float(r['value']) / 2**20 for r in memory}
        panel_bars(out, (i % COLS) * PANEL_W, legend_h + (i // COLS) * PANEL_H,
                   'peak memory, shifting workload (4 types)', names, ['peak'], values,
                   'MiB', False, by_group=True, labeler=lambda n: MEMORY_LABELS.get(n, n))
    for j, (pattern, ptitle, unit, scale) in enumerate(ct_panels):
        i = len(patterns) + (1 if memory else 0) + j
        prow = [r for r in conntrack if r['pattern'] == pattern]
        names = [a for a in ALLOCATORS if any(r['allocator'] == a for r in prow)]
        values = {(r['allocator'], 'value'): float(r['value']) * scale for r in prow}
        lcores = sorted({r['lcores'] for r in prow})
        panel_bars(out, (i % COLS) * PANEL_W, legend_h + (i // COLS) * PANEL_H,
                   f'{ptitle} ({"/".join(lcores)} workers)', names, ['value'], values, unit,
                   False, by_group=True, labeler=lambda n: n)
    out.append('</svg>')
    return '\n'.join(out) + '\n'


def main():
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument('csv', help='CSV written by fastmem_perf_autotest (FASTMEM_PERF_CSV)')
    ap.add_argument('-o', '--output', help='SVG file to write (default: CSV name + .svg)')
    ap.add_argument('--section', default='single', choices=['single', 'all'],
                    help='one lcore (default) or all lcores at once')
    ap.add_argument('--title', default=None, help='chart title')
    args = ap.parse_args()
    try:
        rows = read_rows(args.csv)
    except OSError as e:
        sys.exit(f'perf_chart: {e}')
    needed = {'section', 'lcores', 'size', 'pattern', 'allocator', 'value'}
    if not rows or not needed <= set(rows[0]):
        sys.exit(f'perf_chart: {args.csv}: not a fastmem_perf CSV')
    title = args.title or ('fastmem_perf: TSC cycles per object (allocation + free), ' +
                           ('one lcore' if args.section == 'single' else 'all lcores') +
                           ', log scale')
    svg = chart(rows, args.section, title)
    if svg is None:
        sys.exit(f'perf_chart: {args.csv}: no rows of section {args.section}')
    out = args.output or (args.csv.rsplit('.', 1)[0] + '.svg')
    with open(out, 'w', encoding='utf-8') as f:
        f.write(svg)
    print(f'perf_chart: wrote {out}')
    return 0


if __name__ == '__main__':
    sys.exit(main())
