#!/bin/bash
# SPDX-License-Identifier: BSD-3-Clause
# Copyright(c) 2026 The dpdk-lcoremem authors
#
# Cycles per object of two builds of dpdk-test, measured in one interleaved run: each
# round runs fastmem_perf_autotest (short version) of both builds, one after the other,
# in an order that alternates from round to round, so that both see the same machine
# conditions. Then, for every figure (section, lcores, size, pattern, allocator), it
# prints the median and the spread (lowest to highest) of each build over the rounds, the
# ratio of the medians (BUILD2 over BUILD1), and whether the difference is beyond the
# spread (the larger of the two ranges): "slower" or "faster" when it is, "=" when not.
#
# Usage: devtools/compare-builds.sh [OPTIONS] BUILD1 BUILD2
#   --rounds N        rounds (default 7)
#   --sizes LIST      FASTMEM_PERF_SIZES for the runs (default "64,4096,65536")
#   --allocators RE   only rows of allocators matching this regular expression
#                     (default "fastmem|handle|mempool")
#   --out DIR         keep the CSV files of every run there (default: a temporary folder)
#   -h, --help
# EAL arguments: -l 0-(CPUs - 1) --no-pci, with hugepages when the machine has free ones,
# otherwise --no-huge -m 1024; each run under a file prefix of its own.
# Exit status: 0, 1 when a run failed, 2 for a usage error.

set -u -o pipefail

rounds=7
sizes=64,4096,65536
allocs='fastmem|handle|mempool'
out=

usage()
{
	sed -n '/^# Usage/,/^# Exit/p' "$0" | sed 's/^# \{0,1\}//'
}

while [ $# -gt 0 ]; do
	case $1 in
	--rounds) rounds=$2; shift 2 ;;
	--sizes) sizes=$2; shift 2 ;;
	--allocators) allocs=$2; shift 2 ;;
	--out) out=$2; shift 2 ;;
	-h|--help) usage; exit 0 ;;
	-*) echo "compare-builds: unknown option $1" >&2; usage >&2; exit 2 ;;
	*) break ;;
	esac
done
if [ $# -ne 2 ]; then
	usage >&2
	exit 2
fi
builds=("$1" "$2")
for b in "${builds[@]}"; do
	if [ ! -x "$b/app/test/dpdk-test" ]; then
		echo "compare-builds: $b/app/test/dpdk-test not found" >&2
		exit 2
	fi
done
if [ -z "$out" ]; then
	out=$(mktemp -d)
	trap 'rm -rf "$out"' EXIT
fi
mkdir -p "$out" || exit 1

ncpus=$(nproc)
eal=(-l "0-$((ncpus - 1))" --no-pci --log-level=lib.eal:error)
free=$(awk '/HugePages_Free/ { print $2 }' /proc/meminfo)
if [ "${free:-0}" -lt 256 ]; then
	eal+=(--no-huge -m 1024)
fi

for ((r = 0; r < rounds; r++)); do
	for k in 0 1; do
		i=$(((r + k) % 2))
		csv="$out/b$i-r$r.csv"
		if ! FASTMEM_PERF_QUICK=1 FASTMEM_PERF_SIZES="$sizes" FASTMEM_PERF_CSV="$csv" \
				"${builds[$i]}/app/test/dpdk-test" "${eal[@]}" \
				--file-prefix="compare-$$-$i" fastmem_perf_autotest \
				> "$out/b$i-r$r.log" 2>&1; then
			echo "compare-builds: ${builds[$i]}: round $r failed; the end of its output:" >&2
			tail -20 "$out/b$i-r$r.log" >&2
			exit 1
		fi
	done
done

python3 - "$out" "$rounds" "$allocs" "${builds[0]}" "${builds[1]}" <<'EOF'
import csv
import re
import statistics
import sys

out, rounds, allocs, b1, b2 = sys.argv[1], int(sys.argv[2]), re.compile(sys.argv[3]), \
    sys.argv[4], sys.argv[5]
vals = {}
order = []
for b in (0, 1):
    for r in range(rounds):
        with open(f'{out}/b{b}-r{r}.csv') as f:
            for row in csv.DictReader(f):
                if not allocs.fullmatch(row['allocator']):
                    continue
                v = float(row['value'])
                if v < 0:
                    continue
                key = (row['section'], row['lcores'], row['size'], row['pattern'],
                       row['allocator'])
                if key not in vals:
                    vals[key] = ([], [])
                    order.append(key)
                vals[key][b].append(v)
print(f'cycles per object, {rounds} interleaved rounds: 1 = {b1}, 2 = {b2}')
print(f'{"section":8} {"lcores":>6} {"size":>6} {"pattern":10} {"allocator":10} '
      f'{"median 1":>9} {"range 1":>13} {"median 2":>9} {"range 2":>13} {"2/1":>7}  verdict')
for key in order:
    a, b = vals[key]
    if not a or not b:
        continue
    ma, mb = statistics.median(a), statistics.median(b)
    spread = max(max(a) - min(a), max(b) - min(b))
    verdict = '=' if abs(mb - ma) <= spread else ('slower' if mb > ma else 'faster')
    print(f'{key[0]:8} {key[1]:>6} {key[2]:>6} {key[3]:10} {key[4]:10} {ma:9.2f} '
          f'{min(a):6.2f}-{max(a):<6.2f} {mb:9.2f} {min(b):6.2f}-{max(b):<6.2f} '
          f'{mb / ma:6.3f}x  {verdict}')
EOF
