#!/bin/bash
# SPDX-License-Identifier: BSD-3-Clause
# Copyright(c) 2026 The dpdk-lcoremem authors
#
# The main job: set the machine up, build, and run a short demonstration of what this
# project does, its performance tests:
#   lcore_var_perf_autotest  cycles per per-lcore state update with lcore variables versus
#                            per-lcore arrays and TLS, and the resident memory they cost
#   fastmem_perf_autotest    fastmem versus rte_mempool and rte_malloc (when built), the
#                            short version unless FASTMEM_PERF_QUICK=0
#   fastmem_memory_perf_autotest  the memory fastmem, per-type mempools and rte_malloc
#                            hold for four kinds of workload (oldest-first frees,
#                            random-victim falls, heavy-tailed lifetimes, one type at
#                            steady state), the short
#                            version unless FASTMEM_PERF_QUICK=0
# and then the conntrack example (examples/conntrack) on a capture of its generator, run
# through fastmem and through one mempool per object type: packets per second per worker
# lcore, flows, and peak memory held, side by side.
# The fastmem and conntrack figures also go to a CSV (FASTMEM_PERF_CSV, default
# <build>/fastmem-perf.csv) that devtools/perf_chart.py draws as an SVG chart beside it
# (speed and conntrack panels, and a memory panel with one group of bars per workload).
# A test that this build of dpdk-test does not register is left out with a note.
#
# Environment:
#   LCOREMEM_BUILD_PREFIX  build folder (default "build", shared with devtools/run-tests.sh)
#   LCOREMEM_PERF_TESTS    the perf tests to run, in order (default: the list above)
#   LCOREMEM_CONNTRACK     set to 0 to leave the conntrack example out
#   LCOREMEM_CONNTRACK_PACKETS, LCOREMEM_CONNTRACK_FLOWS
#                          the size of its capture (default 1000000 packets, 100000
#                          connections; the capture is kept in <build>/conntrack-main)
#   LCOREMEM_SKIP_SETUP    set to 1 to skip devtools/setup.sh
# Exit status: 0 when every test run passed.

set -u -o pipefail

top=$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)
cd "$top" || exit 1

dir=${LCOREMEM_BUILD_PREFIX:-build}
# Add new demonstrations here (or in LCOREMEM_PERF_TESTS): each is a dpdk-test test name.
perf_tests=${LCOREMEM_PERF_TESTS:-lcore_var_perf_autotest fastmem_perf_autotest \
	fastmem_memory_perf_autotest}
export FASTMEM_PERF_QUICK=${FASTMEM_PERF_QUICK:-1}
case $dir in
/*) export FASTMEM_PERF_CSV=${FASTMEM_PERF_CSV:-$dir/fastmem-perf.csv} ;;
*) export FASTMEM_PERF_CSV=${FASTMEM_PERF_CSV:-$top/$dir/fastmem-perf.csv} ;;
esac

say()
{
	echo
	echo "=== $*"
}

if [ "${LCOREMEM_SKIP_SETUP:-0}" != 1 ]; then
	say "setup: devtools/setup.sh"
	bash "$top/devtools/setup.sh" </dev/null || exit 1
fi

say "build $dir"
if [ -f "$dir/build.ninja" ]; then
	meson setup --reconfigure "$dir" -Dbuildtype=release || exit 1
else
	rm -rf "$dir"
	meson setup "$dir" -Dbuildtype=release || exit 1
fi
ninja -C "$dir" || exit 1

dpdk_test=$dir/app/test/dpdk-test
# EAL arguments: two lcores on the first two CPUs, with hugepages when the machine has some
# free, in --no-huge mode otherwise.
eal_args=(--no-pci --log-level=lib.eal:warning -l "0-$(($(nproc) > 1 ? 1 : 0))")
if [ "$(/usr/bin/python3 "$top/buildtools/has_hugepages.py")" != 0 ]; then
	memory="hugepages"
else
	memory="no hugepages"
	eal_args+=(--no-huge -m 1024)
fi

registered=$("$dpdk_test" "${eal_args[@]}" --file-prefix=lcoremem-main-list 2>/dev/null |
	sed -n 's/^  *\([a-z0-9_]*\)$/\1/p')

failed=0
ran=0
rm -f "$FASTMEM_PERF_CSV"
for t in $perf_tests; do
	if ! grep -qx "$t" <<<"$registered"; then
		say "$t: not registered in this build, left out"
		continue
	fi
	say "$t (EAL: ${eal_args[*]}; $memory)"
	"$dpdk_test" "${eal_args[@]}" --file-prefix="lcoremem-main-$t" "$t" </dev/null
	rc=$?
	ran=$((ran + 1))
	if [ $rc -ne 0 ] && [ $rc -ne 77 ]; then
		echo "$t: FAILED (exit status $rc)"
		failed=$((failed + 1))
	fi
done

# conntrack_demo: generate the capture (once for a given size) and run the example on it
# through both allocators; its figures are appended to the CSV.
conntrack_demo()
{
	local app=$dir/examples/conntrack/dpdk-conntrack out=$dir/conntrack-main
	local packets=${LCOREMEM_CONNTRACK_PACKETS:-1000000}
	local flows=${LCOREMEM_CONNTRACK_FLOWS:-100000} lcores cap
	local ct_eal=(--no-pci --log-level=lib.eal:warning --log-level=lib.telemetry:error)

	# the main lcore and two workers: one CPU each when there are three, else the workers
	# get a CPU each and the main lcore, which mostly sleeps, floats over them
	case $(nproc) in
	1) lcores='(0-2)@0' ;;
	2) lcores='0@(0-1),1@0,2@1' ;;
	*) lcores='0@0,1@1,2@2' ;;
	esac
	# with hugepages, EAL unlinks their files once mapped: what DPDK never frees (the
	# mbuf dynamic field memzone) would otherwise keep a hugepage after the run
	if [ "$memory" = hugepages ]; then
		ct_eal+=(--huge-unlink)
	else
		ct_eal+=(--no-huge -m 1024)
	fi
	ct_eal+=("--lcores=$lcores" --file-prefix=lcoremem-main-conntrack)
	say "conntrack: $packets packets, $flows connections (EAL: ${ct_eal[*]}; $memory)"
	cap=$out/ct-$packets-$flows
	if [ ! -f "$cap-expected.json" ]; then
		/usr/bin/python3 "$top/examples/conntrack/ct_pcapgen.py" --out-dir "$out" \
			--prefix "ct-$packets-$flows" --packets "$packets" --flows "$flows" ||
			return 1
	fi
	"$app" "${ct_eal[@]}" "--vdev=net_pcap0,rx_pcap=$cap-q0.pcap,rx_pcap=$cap-q1.pcap" \
		-- --allocator=fastmem,mempool --json="$out/result.json" \
		--csv="$FASTMEM_PERF_CSV" </dev/null
}

if [ "${LCOREMEM_CONNTRACK:-1}" = 0 ]; then
	:
elif [ ! -x "$dir/examples/conntrack/dpdk-conntrack" ]; then
	say "conntrack: not built (meson option examples), left out"
else
	ran=$((ran + 1))
	if ! conntrack_demo; then
		echo "conntrack: FAILED"
		failed=$((failed + 1))
	fi
fi

if [ -s "$FASTMEM_PERF_CSV" ]; then
	say "chart of $FASTMEM_PERF_CSV: devtools/perf_chart.py"
	/usr/bin/python3 "$top/devtools/perf_chart.py" "$FASTMEM_PERF_CSV" \
		-o "${FASTMEM_PERF_CSV%.csv}.svg" || failed=$((failed + 1))
fi

say "main job done: $ran demonstration(s) run, $failed failed"
[ $failed -eq 0 ] && [ $ran -gt 0 ]
