#!/bin/bash
# SPDX-License-Identifier: BSD-3-Clause
# Copyright(c) 2026 The dpdk-lcoremem authors
#
# The migration proof, end to end, on code nobody here wrote: Debian's DPDK 22.11 source.
#   1. fetch    apt-get source dpdk, through a private apt configuration (its own sources
#               file with a deb-src entry, its own state folder; the machine's apt sources
#               are left alone); kept for later runs
#   2. migrate  devtools/lcore_var_migrate.py on rte_random.c, rte_service.c,
#               rte_power_pmd_mgmt.c, rte_timer.c (refused: shared memory), event/opdl and
#               crypto/scheduler: the patch, the report
#   3. tree     a copy of the source cut down to the libraries and drivers the tests need,
#               with this project's lcore variables compiled into its EAL and a dpdk-test
#               of the modules' autotests and the footprint harness (devtools/migration)
#   4. before   build it (ninja -j LCOREMEM_MIG_JOBS), run the autotests, scan the build
#               with lcore_array_scan.py, measure the per-lcore state (bytes, cache lines
#               one lcore touches per operation)
#   5. after    apply the patch, build again, the same tests, scan, measurements
#   6. table    devtools/migration/migration_report.py: the result table
# With --quick (what CI runs), steps 1 to 3, then the migrated files alone are compiled,
# with -Werror, in a configured tree; nothing is run.
#
# Usage: devtools/run-migration.sh [--quick]
# Environment:
#   LCOREMEM_MIG_DIR     work folder (default ${TMPDIR:-/tmp}/lcoremem-migration): the source,
#                        the build, and results/ (patch, reports, logs, table.txt)
#   LCOREMEM_MIG_SRC     use this unpacked DPDK source tree instead of fetching one
#   LCOREMEM_MIG_MIRROR  Debian mirror for the source (default http://deb.debian.org/debian)
#   LCOREMEM_MIG_JOBS    ninja jobs (default 2)
# Exit status: 0 when every step passed, 1 when one failed, 3 when the source could not be
# fetched (no Debian mirror reachable).

set -u -o pipefail

top=$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)
python=/usr/bin/python3
quick=0
case ${1:-} in
--quick) quick=1 ;;
'') ;;
*) echo "usage: $0 [--quick]" >&2; exit 1 ;;
esac

work=${LCOREMEM_MIG_DIR:-${TMPDIR:-/tmp}/lcoremem-migration}
mirror=${LCOREMEM_MIG_MIRROR:-http://deb.debian.org/debian}
jobs=${LCOREMEM_MIG_JOBS:-2}
results=$work/results
tree=$work/dpdk
build=$work/build
mig=$top/devtools/migration
report=$mig/migration_report.py
failed=0

# the DPDK build: the libraries and drivers the autotests of the modules need, and the
# test app only
libs=kvargs,telemetry,eal,ring,rcu,mempool,mbuf,net,meter,ethdev,pci,cmdline,hash,timer
libs=$libs,lpm,cryptodev,eventdev,power,stack,security,reorder
drivers=bus/pci,bus/vdev,mempool/ring,mempool/stack,mempool/bucket,event/opdl
drivers=$drivers,crypto/ipsec_mb,crypto/scheduler,net/null
tests=commands.c,packet_burst_generator.c,test.c,test_debug.c,test_mp_secondary.c
tests=$tests,test_pmd_perf.c,test_service_cores.c,test_timer.c,test_timer_racecond.c
tests=$tests,test_timer_secondary.c,test_rand_perf.c,test_mempool.c,test_cryptodev.c
tests=$tests,test_cryptodev_blockcipher.c,test_cryptodev_security_ipsec.c
tests=$tests,test_cryptodev_security_pdcp.c

say()
{
	echo
	echo "=== $*"
}

# step NAME CMD...: run a step, note its time and result
step()
{
	local name=$1 start rc
	shift
	start=$(date +%s)
	"$@"
	rc=$?
	printf '%-28s %s  %4ss\n' "$name" "$([ $rc -eq 0 ] && echo ok || echo FAILED)" \
		$(($(date +%s) - start)) >>"$results/steps.txt"
	[ $rc -eq 0 ] || failed=1
	return $rc
}

fetch()
{
	local apt=$work/apt suite
	if [ -n "${LCOREMEM_MIG_SRC:-}" ]; then
		echo "source: $LCOREMEM_MIG_SRC (LCOREMEM_MIG_SRC)"
		src=$LCOREMEM_MIG_SRC
		return 0
	fi
	src=$(find "$work/source" -maxdepth 1 -type d -name 'dpdk-22.11*' 2>/dev/null | head -n 1)
	if [ -n "$src" ]; then
		echo "source: $src (fetched before)"
		return 0
	fi
	if ! command -v dpkg-source >/dev/null; then
		echo "apt-get source needs dpkg-source (Debian: apt-get install dpkg-dev)"
		return 1
	fi
	suite=$(. /etc/os-release 2>/dev/null && echo "${VERSION_CODENAME:-bookworm}")
	mkdir -p "$apt/lists/partial" "$apt/cache/archives/partial" "$work/source"
	echo "deb-src $mirror ${suite:-bookworm} main" >"$apt/sources.list"
	local opts=(-o "Dir::Etc::SourceList=$apt/sources.list" -o Dir::Etc::SourceParts=/dev/null
		-o "Dir::State::Lists=$apt/lists" -o "Dir::Cache=$apt/cache"
		-o APT::Sandbox::User=root -q)
	say "fetch: apt-get source dpdk ($mirror ${suite:-bookworm}, private apt state in $apt)"
	apt-get "${opts[@]}" update >"$results/apt.log" 2>&1 &&
		(cd "$work/source" && apt-get "${opts[@]}" source dpdk) >>"$results/apt.log" 2>&1
	local rc=$?
	tail -n 3 "$results/apt.log"
	src=$(find "$work/source" -maxdepth 1 -type d -name 'dpdk-22.11*' | head -n 1)
	[ $rc -eq 0 ] && [ -n "$src" ]
}

migrate()
{
	local files
	read -r -a files <<<"$("$python" "$report" files)"
	say "migrate: devtools/lcore_var_migrate.py ${files[*]}"
	(cd "$src" && "$python" "$top/devtools/lcore_var_migrate.py" --root . \
		--patch "$results/migration.patch" --report "$results/migration-report.txt" \
		--json "$results/migration.json" "${files[@]}")
	local rc=$?
	cat "$results/migration-report.txt"
	# refusals are expected (timer, drivers); only errors fail the step
	[ $rc -le 1 ]
}

prepare()
{
	say "tree: $tree, from $src"
	rm -rf "$tree" "$build"
	cp -a "$src" "$tree" &&
		"$python" "$mig/prepare_dpdk_tree.py" "$tree" --project "$top" --libs "$libs" \
			--tests "$tests" --extra "$mig/footprint_trace.h" \
			--extra "$mig/footprint_trace.c" --extra "$mig/test_lcore_footprint.c" &&
		(cd "$tree" && PATH=/usr/bin:$PATH meson setup "$build" \
			-Dbuildtype=debugoptimized -Ddefault_library=static -Dplatform=generic \
			-Denable_apps=test -Denable_drivers="$drivers" -Ddisable_libs= \
			-Dtests=true "$@") >"$results/meson-setup.log" 2>&1 ||
		{ tail -n 30 "$results/meson-setup.log"; return 1; }
}

build_dpdk()
{
	say "build ($1): ninja -j$jobs -C $build"
	ninja -j"$jobs" -C "$build" >"$results/build-$1.log" 2>&1 ||
		{ tail -n 40 "$results/build-$1.log"; return 1; }
	tail -n 1 "$results/build-$1.log"
}

apply_patch()
{
	say "apply the migration patch"
	patch -p1 -d "$tree" -i "$results/migration.patch"
}

# the migrated files alone, with -Werror (the --quick check)
compile_migrated()
{
	local objs
	objs=$(cd "$build" && ninja -t targets all | sed -n \
		-e 's/^\(lib\/librte_eal\.a\.p\/eal_common_rte_random\.c\.o\):.*/\1/p' \
		-e 's/^\(lib\/librte_eal\.a\.p\/eal_common_rte_service\.c\.o\):.*/\1/p' \
		-e 's/^\(lib\/librte_eal\.a\.p\/eal_common_eal_common_lcore_var\.c\.o\):.*/\1/p' \
		-e 's/^\(lib\/librte_power\.a\.p\/power_rte_power_pmd_mgmt\.c\.o\):.*/\1/p')
	say "compile the migrated files: $objs"
	# shellcheck disable=SC2086 # one target a word
	ninja -j"$jobs" -C "$build" $objs >"$results/build-quick.log" 2>&1 ||
		{ tail -n 40 "$results/build-quick.log"; return 1; }
	echo "$(echo "$objs" | wc -w) objects compiled with -Werror"
}

measure()
{
	local tag=$1 converted=""
	local max_lcore
	max_lcore=$(sed -n 's/^#define RTE_MAX_LCORE \([0-9]*\).*/\1/p' "$build/rte_build_config.h")
	[ "$tag" = after ] && converted=$("$python" - "$results/migration.json" <<'EOF'
import json, sys
report = json.load(open(sys.argv[1]))
print(','.join(a['name'] for f in report['files'] for a in f['arrays']
               if a['status'] == 'converted'))
EOF
)
	say "layout ($tag): the per-lcore state in the build's debug information"
	# shellcheck disable=SC2046 # the options are words
	"$python" "$mig/footprint_layout.py" "$build/app/test/dpdk-test" \
		--max-lcore "$max_lcore" --converted "$converted" \
		--json "$results/layout-$tag.json" --env "$results/footprint-env-$tag.txt" \
		$("$python" "$report" layout-args)
}

autotests()
{
	local tag=$1
	say "DPDK's autotests ($tag)"
	"$python" "$mig/run_autotests.py" "$build/app/test/dpdk-test" --tag "$tag" \
		--logs "$results/logs-$tag" --json "$results/tests-$tag.json" \
		--footprint-env "$results/footprint-env-$tag.txt"
}

scan()
{
	local tag=$1
	say "scan ($tag): devtools/lcore_array_scan.py"
	# shellcheck disable=SC2046 # the archives are words
	"$python" "$top/devtools/lcore_array_scan.py" -q --json --relative-to "$tree" \
		$("$python" "$report" libraries "$build") >"$results/scan-$tag.json"
	[ $? -le 1 ]
}

mkdir -p "$results"
: >"$results/steps.txt"
start=$(date +%s)
step fetch fetch || { cat "$results/steps.txt"; exit 3; }
cat "$src/VERSION" >"$results/dpdk-version.txt" 2>/dev/null
step migrate migrate || { cat "$results/steps.txt"; exit 1; }
if [ $quick = 1 ]; then
	step "tree and meson setup" prepare -Dwerror=true &&
		step "apply the patch" apply_patch &&
		step "compile migrated files" compile_migrated
else
	step "tree and meson setup" prepare &&
		step "build before" build_dpdk before &&
		step "layout before" measure before &&
		step "autotests before" autotests before
	step "scan before" scan before
	step "apply the patch" apply_patch &&
		step "build after" build_dpdk after &&
		step "layout after" measure after &&
		step "autotests after" autotests after
	step "scan after" scan after
	say "table"
	"$python" "$report" report "$results" | tee "$results/table.txt"
fi
say "steps (results in $results)"
cat "$results/steps.txt"
echo "total $(($(date +%s) - start))s"
exit $failed
