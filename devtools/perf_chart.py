#!/usr/bin/env python3
# SPDX-License-Identifier: BSD-3-Clause
# Copyright(c) 2026 The dpdk-lcoremem authors
"""Draw the CSV written by fastmem_perf_autotest (env FASTMEM_PERF_CSV) as an SVG chart.

One panel per pattern: grouped bars of TSC cycles per object (log scale) by object size,
one bar per allocator. The conntrack example's rows (section conntrack, from
dpdk-conntrack --csv) get panels of their own: packets per second per worker lcore, and
peak memory held, fastmem beside the per-type mempools. The memory test's rows
(fastmem_memory_perf_autotest), when the CSV has them, get a panel across the chart's
width, below the others: per workload, the peak backing of fastmem, the per-type mempools
and rte_malloc in MiB, fastmem's ratio to the mempools above its bar, and the peak of
live bytes as a line across the group. A CSV may hold any of these sections alone.
Standard library only.

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
# the bars of the memory panel, and their names in its legend
MEMORY_SERIES = ['fastmem', 'mempool', 'rte_malloc']
MEMORY_LABELS = {
    'fastmem': 'fastmem',
    'mempool': 'per-type mempools',
    'rte_malloc': 'rte_malloc',
}
PATTERNS = ['pairs', 'keep32', 'keep512', 'shuf512', 'bulk32', 'cross-lcore', 'mixed']
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
MEMORY_H = 320


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


def workload_label(group):
    """A memory group (pattern, sizes "a+b+c") as two lines: the pattern, and the first
    and last sizes (the order in which the types take turns)."""
    pattern, size = group
    sizes = size.split('+')
    if len(sizes) == 1:
        return [pattern, f'{sizes[0]} B']
    return [pattern, f'{sizes[0]}-{sizes[-1]} B']


def panel_bars(out, x0, y0, title, groups, series, values, unit, log, by_group=False,
               labeler=None, width=PANEL_W, height=PANEL_H, markers=None, notes=None,
               margin_b=MARGIN_B):
    """Grouped bars in the panel at (x0, y0). values[(group, series)] -> float.
    by_group: color the bars by group (one series) instead of by series.
    labeler(group) -> the group's label, a string or a list of lines (default: a size).
    markers[group] -> a value drawn as a line across the group; notes[(group, series)] ->
    a short text above the bar."""
    labeler = labeler or size_label
    markers = markers or {}
    notes = notes or {}
    w = width - MARGIN_L - MARGIN_R
    h = height - MARGIN_T - margin_b
    px, py = x0 + MARGIN_L, y0 + MARGIN_T
    vals = [v for v in list(values.values()) + list(markers.values()) if v > 0]
    out.append(f'<text x="{x0 + width / 2:.1f}" y="{y0 + 18}" text-anchor="middle" '
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
        label = labeler(g)
        lines = label if isinstance(label, list) else [label]
        name = ', '.join(lines)
        for si, s in enumerate(series):
            v = values.get((g, s))
            if v is None or v <= 0:
                continue
            y = ypos(v) if not log or v >= lo else base
            color = COLORS.get(g if by_group else s, '#999')
            out.append(f'<rect x="{gx + si * bw:.1f}" y="{y:.1f}" width="{bw - 1:.1f}" '
                       f'height="{max(base - y, 0.5):.1f}" fill="{color}">'
                       f'<title>{escape(s)}, {escape(name)}: {v:.4g} {escape(unit)}'
                       '</title></rect>')
            note = notes.get((g, s))
            if note:
                out.append(f'<text x="{gx + (si + 0.5) * bw:.1f}" y="{y - 3:.1f}" '
                           f'text-anchor="middle" font-size="9">{escape(note)}</text>')
        m = markers.get(g)
        if m is not None and m > 0:
            y = ypos(m)
            out.append(f'<line x1="{gx - gw * 0.05:.1f}" y1="{y:.1f}" '
                       f'x2="{gx + gw * 0.85:.1f}" y2="{y:.1f}" stroke="#000" '
                       f'stroke-width="2"><title>live, {escape(name)}: {m:.4g} '
                       f'{escape(unit)}</title></line>')
        for li, line in enumerate(lines):
            out.append(f'<text x="{px + gi * gw + gw / 2:.1f}" y="{base + 14 + 11 * li}" '
                       f'text-anchor="middle" font-size="9">'
                       f'{escape(line)}</text>')


def memory_panel(out, y0, width, rows):
    """The memory rows: per workload, a bar per allocator, the live bytes as a line."""
    groups = []
    for r in rows:
        g = (r['pattern'], r['size'])
        if g not in groups:
            groups.append(g)
    values, markers, notes = {}, {}, {}
    for r in rows:
        g = (r['pattern'], r['size'])
        if r.get('unit', 'bytes') != 'bytes':
            continue
        v = float(r['value']) / 2**20
        if r['allocator'] == 'live':
            markers[g] = v
        elif r['allocator'] in MEMORY_SERIES:
            values[(g, r['allocator'])] = v
            if r['allocator'] == 'fastmem' and r.get('ratio_to_single'):
                ratio = float(r['ratio_to_single'])
                if ratio > 0:
                    notes[(g, 'fastmem')] = f'{ratio:.2f}x'
    series = [s for s in MEMORY_SERIES if any(k[1] == s for k in values)]
    panel_bars(out, 0, y0, 'peak backing per workload (MiB; fastmem / per-type mempools '
               'above its bar; line: peak live bytes)', groups, series, values, 'MiB',
               False, labeler=workload_label, width=width, height=MEMORY_H,
               markers=markers, notes=notes, margin_b=MARGIN_B + 20)
    lx = MARGIN_L
    for s in series + ['live']:
        name = MEMORY_LABELS.get(s, s)
        if s == 'live':
            out.append(f'<line x1="{lx}" y1="{y0 + MEMORY_H - 6}" x2="{lx + 12}" '
                       f'y2="{y0 + MEMORY_H - 6}" stroke="#000" stroke-width="2"/>')
            name = 'peak live bytes'
        else:
            out.append(f'<rect x="{lx}" y="{y0 + MEMORY_H - 12}" width="12" height="12" '
                       f'fill="{COLORS[s]}"/>')
        out.append(f'<text x="{lx + 16}" y="{y0 + MEMORY_H - 2}">{escape(name)}</text>')
        lx += 28 + 7 * len(name)


def chart(rows, section, title):
    speed = [r for r in rows if r['section'] == section]
    memory = [r for r in rows if r['section'] == 'memory']
    conntrack = [r for r in rows if r['section'] == 'conntrack']
    ct_panels = [p for p in CONNTRACK_PANELS if any(r['pattern'] == p[0] for r in conntrack)]
    patterns = [p for p in PATTERNS if any(r['pattern'] == p for r in speed)]
    series = [a for a in ALLOCATORS if any(r['allocator'] == a for r in speed + conntrack)]
    panels = len(patterns) + len(ct_panels)
    if panels == 0 and not memory:
        return None
    rows_n = (panels + COLS - 1) // COLS
    legend_h = 40
    width = PANEL_W * COLS
    height = legend_h + PANEL_H * rows_n + (MEMORY_H if memory else 0)
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
        memory_panel(out, legend_h + PANEL_H * rows_n, width, memory)
    for j, (pattern, ptitle, unit, scale) in enumerate(ct_panels):
        i = len(patterns) + j
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
    if any(r['section'] == args.section for r in rows):
        title = ('fastmem_perf: TSC cycles per object (allocation + free), ' +
                 ('one lcore' if args.section == 'single' else 'all lcores') + ', log scale')
    else:
        title = 'fastmem_memory_perf: the memory each allocator holds'
    title = args.title or title
    svg = chart(rows, args.section, title)
    if svg is None:
        sys.exit(f'perf_chart: {args.csv}: no rows of section {args.section} or memory')
    out = args.output or (args.csv.rsplit('.', 1)[0] + '.svg')
    with open(out, 'w', encoding='utf-8') as f:
        f.write(svg)
    print(f'perf_chart: wrote {out}')
    return 0


if __name__ == '__main__':
    sys.exit(main())
