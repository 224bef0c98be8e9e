#!/bin/bash
# SPDX-License-Identifier: BSD-3-Clause
# Copyright(c) 2026 The dpdk-lcoremem authors
#
# Fuzz fastmem for a fixed time: build the libFuzzer target app/fuzz/fastmem_fuzz with clang,
# AddressSanitizer and UndefinedBehaviorSanitizer, and run it on a scratch copy of the
# committed corpus (app/fuzz/corpus/fastmem), which is left untouched. Inputs of up to
# 4 KiB are explored (-max_len=4096).
#
# Usage: devtools/run-fuzz.sh [--long] [--no-sanitizers] [SECONDS]   (default 60)
#   --long            a long run: SECONDS defaults to 8 hours, the run's corpus is kept
#                     (LCOREMEM_FUZZ_OUT, default build-fuzz-long/ in the tree) and reused
#                     by the next long run, so that runs add up; progress lines every 10 min
#   --no-sanitizers   build without ASan and UBSan (coverage only): faster, for long runs
#                     that look for model mismatches and crashes, not for memory errors
#
# Environment:
#   LCOREMEM_FUZZ_BUILD   build folder (default "build-fuzz", "build-fuzz-nosan" with
#                         --no-sanitizers)
#   LCOREMEM_FUZZ_OUT     where the run's corpus, log and crash files go (default: a new
#                         temporary folder, kept when something was found)
#   LCOREMEM_FUZZ_MERGE   set to 1 to merge what the run found into the committed corpus
#                         (libFuzzer -merge=1: only inputs that add coverage); for local use
#   LCOREMEM_FUZZ_ARGS    more libFuzzer options, e.g. "-max_len=8192"
# Prints the number of executions and executions per second. Exit status: 0 when the run
# found nothing, 1 when the target crashed (a model mismatch, a sanitizer report, a
# timeout), 2 when it could not be built or run.

set -u -o pipefail

top=$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)
cd "$top" || exit 2

long=0
sanitize="address,undefined"
seconds=
while [ $# -gt 0 ]; do
	case $1 in
	--long) long=1 ;;
	--no-sanitizers) sanitize=none ;;
	''|*[!0-9]*) echo "usage: $0 [--long] [--no-sanitizers] [SECONDS]" >&2; exit 2 ;;
	*) seconds=$1 ;;
	esac
	shift
done
if [ -z "$seconds" ]; then
	if [ $long = 1 ]; then seconds=28800; else seconds=60; fi
fi
if [ "$sanitize" = none ]; then
	dir=${LCOREMEM_FUZZ_BUILD:-build-fuzz-nosan}
else
	dir=${LCOREMEM_FUZZ_BUILD:-build-fuzz}
fi
corpus=$top/app/fuzz/corpus/fastmem

if ! command -v clang >/dev/null; then
	echo "run-fuzz: clang is missing (Debian: apt-get install clang libclang-rt-14-dev)" >&2
	exit 2
fi

# the libraries get coverage instrumentation too, so that libFuzzer sees inside fastmem:
# edges, not comparisons (traced in the target's decoder only: app/fuzz/meson.build)
options=(-Dfuzz=true -Dtests=false -Dbuildtype=debugoptimized -Db_lundef=false
	"-Db_sanitize=$sanitize"
	"-Dc_args=-fsanitize=fuzzer-no-link -fno-sanitize-coverage=trace-cmp")
if [ -f "$dir/build.ninja" ]; then
	meson configure "$dir" "${options[@]}" >/dev/null || exit 2
else
	rm -rf "$dir"
	CC=clang meson setup "${options[@]}" "$dir" >/dev/null || exit 2
fi
ninja -C "$dir" app/fuzz/fastmem_fuzz >/dev/null || { ninja -C "$dir" app/fuzz/fastmem_fuzz; exit 2; }

if [ $long = 1 ]; then
	out=${LCOREMEM_FUZZ_OUT:-$top/build-fuzz-long}
else
	out=${LCOREMEM_FUZZ_OUT:-$(mktemp -d /tmp/fastmem-fuzz.XXXXXX)}
fi
mkdir -p "$out/corpus" "$out/crashes" || exit 2
cp "$corpus"/* "$out/corpus/" || exit 2
log=$out/fuzz.log

echo "run-fuzz: fastmem_fuzz (sanitizers: $sanitize) for $seconds s on $out/corpus" \
	"($(find "$out/corpus" -type f | wc -l) inputs)"
# UBSan reports are fatal; LeakSanitizer stays on: libFuzzer checks every input that
# allocates more than it frees
export UBSAN_OPTIONS=${UBSAN_OPTIONS:-halt_on_error=1:print_stacktrace=1}
export ASAN_OPTIONS=${ASAN_OPTIONS:-abort_on_error=0}
# shellcheck disable=SC2086 # LCOREMEM_FUZZ_ARGS is a list of options
"$dir/app/fuzz/fastmem_fuzz" -max_total_time="$seconds" -timeout=60 -rss_limit_mb=4096 \
	-max_len=4096 -print_final_stats=1 -artifact_prefix="$out/crashes/" \
	${LCOREMEM_FUZZ_ARGS:-} "$out/corpus" >"$log" 2>&1 &
pid=$!
if [ $long = 1 ]; then
	# a progress line every 10 minutes: the last status line libFuzzer printed
	while kill -0 $pid 2>/dev/null; do
		for _ in $(seq 600); do kill -0 $pid 2>/dev/null || break; sleep 1; done
		kill -0 $pid 2>/dev/null &&
			echo "run-fuzz: $(date -u +%H:%M:%S) $(grep -E '^#[0-9]+' "$log" | tail -n 1)"
	done
fi
wait $pid
rc=$?

execs=$(sed -n 's/^stat::number_of_executed_units: *//p' "$log")
rate=$(sed -n 's/^stat::average_exec_per_sec: *//p' "$log")
grep -E '^(fastmem_fuzz:|INFO: Seed|#[0-9]+ *DONE)' "$log"
echo "run-fuzz: ${execs:-?} executions in $seconds s (${rate:-?}/s), corpus $(find "$out/corpus" -type f | wc -l) inputs"
if [ $long = 1 ]; then
	# every long run adds a line; the total is what the runs in $out add up to
	echo "$(date -u +%Y-%m-%dT%H:%M:%SZ) $(git -C "$top" rev-parse --short HEAD) $sanitize" \
		"${execs:-0} executions ${rate:-0}/s rc=$rc" >>"$out/runs.txt"
	echo "run-fuzz: long runs in $out: $(awk '{ n += $4 } END { print n }' "$out/runs.txt")" \
		"executions in total (runs.txt)"
fi

if [ $rc -ne 0 ] || [ -n "$(ls "$out/crashes")" ]; then
	echo "run-fuzz: FAILED (exit status $rc); the end of the log ($log):"
	tail -n 60 "$log"
	for f in "$out"/crashes/*; do
		[ -e "$f" ] || continue
		echo "run-fuzz: reproducer $f; replay it with"
		echo "  FASTMEM_FUZZ_TRACE=1 $dir/app/fuzz/fastmem_fuzz $f"
	done
	exit 1
fi
if [ "${LCOREMEM_FUZZ_MERGE:-0}" = 1 ]; then
	"$dir/app/fuzz/fastmem_fuzz" -merge=1 "$corpus" "$out/corpus" >>"$log" 2>&1 || exit 2
	echo "run-fuzz: corpus merged: $(find "$corpus" -type f | wc -l) inputs in $corpus"
fi
[ -z "${LCOREMEM_FUZZ_OUT:-}" ] && [ $long = 0 ] && rm -rf "$out"
echo "run-fuzz: OK"
exit 0
