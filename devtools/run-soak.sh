#!/bin/bash
# SPDX-License-Identifier: BSD-3-Clause
# Copyright(c) 2026 The dpdk-lcoremem authors
#
# The soak: fastmem_stress_autotest (app/test/test_fastmem_stress.c) for a long time under
# AddressSanitizer + UndefinedBehaviorSanitizer, then under ThreadSanitizer, with more lcores
# than CPUs: worker lcores and non-EAL threads that register and unregister lcore ids (churn)
# pass objects to one another while the main lcore trims; one epoch in four squeezes the
# memory limit under load, another lets zones fall free for the trims. Every sanitizer
# report is fatal and kept. It ends with a table per sanitizer: duration, operations,
# hand-overs, faults injected, churn, trims, epochs, sanitizer reports, and whether the
# final accounting was exact. Local only, not in CI.
#
# Usage: devtools/run-soak.sh [OPTIONS]
#   --minutes N        how long the stress test runs under each sanitizer (default 30)
#   --seconds N        the same, in seconds
#   --only asan|tsan   one sanitizer (default: both, one after the other)
#   --prefix P         build folders P-asan and P-tsan (default build-soak)
#   --results DIR      logs and the summary (default P-results)
#   --lcores LIST      EAL --lcores (default '(0-7)@(0-1)', '(0-7)@0' with one CPU)
#   --mem MB           EAL memory, --no-huge -m MB (default 1024)
#   --huge             hugepages instead of --no-huge (taken on demand, unlinked)
#   --seed N           FASTMEM_STRESS_SEED, the base seed of the threads' choices
#                      (default: the test's own)
#   -h, --help
# On a machine shared with others, run it as "nice -n 10 bash devtools/run-soak.sh".
#
# The builds are those of devtools/run-tests.sh's asan and tsan stages (devtools/
# build-common.sh), in their own folders, dpdk-test only. Results, under DIR/asan and
# DIR/tsan: stress.log (dpdk-test's output), sanitizer.<pid> (the reports, if any),
# run.info; DIR/summary.txt holds the table (devtools/soak-summary.py).
# Exit status: 0 when every run passed, 1 when one failed, 2 for a usage error.

set -u -o pipefail

top=$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)
cd "$top" || exit 2
python=/usr/bin/python3

usage()
{
	sed -n '/^# Usage:/,/^#   -h/s/^# \{0,1\}//p' "$0"
}

seconds=1800
sanitizers="asan tsan"
prefix=build-soak
results=
lcores=
mem=1024
huge=false
seed=

# need_value OPTION VALUE: exit 2 when the option has no value
need_value()
{
	if [ -z "$2" ]; then
		echo "run-soak: $1 takes a value" >&2
		exit 2
	fi
}

while [ $# -gt 0 ]; do
	case $1 in
	--minutes | --seconds)
		case ${2:-} in
		'' | *[!0-9]*) echo "run-soak: $1 takes a number" >&2; exit 2 ;;
		esac
		# base 10, also with leading zeros
		if [ "$1" = --minutes ]; then
			seconds=$((10#$2 * 60))
		else
			seconds=$((10#$2))
		fi
		shift ;;
	--only | --prefix | --results | --lcores | --mem | --seed)
		need_value "$1" "${2:-}"
		case $1 in
		--only) sanitizers=$2 ;;
		--prefix) prefix=$2 ;;
		--results) results=$2 ;;
		--lcores) lcores=$2 ;;
		--mem) mem=$2 ;;
		--seed) seed=$2 ;;
		esac
		shift ;;
	--huge) huge=true ;;
	-h | --help) usage; exit 0 ;;
	*) echo "run-soak: unknown option '$1'" >&2; usage >&2; exit 2 ;;
	esac
	shift
done
case $seconds in
'' | *[!0-9]* | 0) echo "run-soak: the duration must be a positive integer" >&2; exit 2 ;;
esac
case $sanitizers in
asan | tsan | "asan tsan") ;;
*) echo "run-soak: --only takes asan or tsan" >&2; exit 2 ;;
esac
case $mem in
'' | *[!0-9]*) echo "run-soak: --mem takes megabytes" >&2; exit 2 ;;
esac
if [ -z "$lcores" ]; then
	lcores='(0-7)@(0-1)'
	[ "$(nproc)" -lt 2 ] && lcores='(0-7)@0'
fi
results=$(realpath -m "${results:-$prefix-results}")

# the summary's parser first: a soak of an hour must not end in a broken table
if ! "$python" "$top/devtools/test/test_soak_summary.py" >/dev/null 2>&1; then
	"$python" "$top/devtools/test/test_soak_summary.py"
	echo "run-soak: the tests of devtools/soak-summary.py failed" >&2
	exit 2
fi

mkdir -p "$results" || exit 2
steps=$results/steps.log
: >"$steps"

# record_step NAME RESULT [LOGFILE], for configure_and_build
record_step()
{
	echo "$2 $1${3:+ (log $3)}" >>"$steps"
}

# shellcheck source=devtools/build-common.sh
. "$top/devtools/build-common.sh"

# soak SANITIZER: build dpdk-test with SANITIZER and run the stress test under it.
soak()
{
	local san=$1 dir=$prefix-$1 out=$results/$1 info opts env log start rc
	# no multi-process channel (--no-shconf): one process, and no IPC thread that TSan
	# sees leave from inside EAL (below)
	local eal=(--no-pci --log-level=lib.eal:warning "--lcores=$lcores" --no-shconf
		"--file-prefix=$(basename "$prefix")-$san-$$")

	info=$out/run.info
	rm -rf "$out"
	mkdir -p "$out"
	# every report goes to a file of its own, sanitizer.<pid>, beside the log
	log=:log_path=$out/sanitizer
	case $san in
	asan)
		opts=("${asan_build_opts[@]}")
		env=("ASAN_OPTIONS=$asan_options$log" "LSAN_OPTIONS=$lsan_options"
			"UBSAN_OPTIONS=$ubsan_options$log") ;;
	tsan)
		# The EAL heap hands rte_free()d memory to the next rte_malloc() under a lock
		# TSan cannot see (Debian's DPDK is not instrumented), and EAL clears that
		# memory itself: ignore_noninstrumented_modules stops TSan from judging what
		# EAL does through its interceptors (memset, memcpy), while every access of our
		# libraries and tests is still checked.
		opts=("${tsan_build_opts[@]}")
		env=("TSAN_OPTIONS=$tsan_options:ignore_noninstrumented_modules=1$log") ;;
	esac
	if [ "$huge" = true ]; then
		eal+=(--huge-unlink)
	else
		eal+=(--no-huge -m "$mem")
	fi
	env+=("FASTMEM_STRESS_SECONDS=$seconds" ${seed:+"FASTMEM_STRESS_SEED=$seed"})

	if ! build_targets=app/test/dpdk-test build_jobs=2 configure_and_build "$dir" \
			"${opts[@]}"; then
		echo "build=failed" >"$info"
		return 1
	fi
	{
		echo "build=ok"
		# the run, quoted for a shell, to repeat it by hand
		echo "command=$(printf '%q ' env "${env[@]}" "$dir/app/test/dpdk-test" \
			"${eal[@]}" fastmem_stress_autotest)"
	} >"$info"
	say "$san: fastmem_stress_autotest for $seconds s, from $(date +%H:%M:%S)" \
		"(progress: tail -f $out/stress.log)"
	start=$(date +%s)
	# a run that hangs past its time (plus the test's own 120 s park timeout, and a
	# sanitizer's slow exit) is stopped with SIGABRT; no core files
	(
		ulimit -c 0
		exec env "${env[@]}" timeout --signal=ABRT --kill-after=60 $((seconds + 600)) \
			"$dir/app/test/dpdk-test" "${eal[@]}" fastmem_stress_autotest
	) </dev/null >"$out/stress.log" 2>&1
	rc=$?
	{
		echo "status=$rc"
		echo "wall_seconds=$(($(date +%s) - start))"
	} >>"$info"
	grep -E '^(stress: |Test )' "$out/stress.log"
	return 0
}

say "soak: $sanitizers, $seconds s each, lcores $lcores," \
	"$([ "$huge" = true ] && echo hugepages || echo "--no-huge -m $mem"), results in $results"
# shellcheck disable=SC2086 # one argument per sanitizer
for san in $sanitizers; do
	soak "$san"
done

say "soak summary"
# shellcheck disable=SC2086 # one argument per sanitizer
"$python" "$top/devtools/soak-summary.py" "$results" $sanitizers | tee "$results/summary.txt"
exit "${PIPESTATUS[0]}"
