#!/bin/bash
# SPDX-License-Identifier: BSD-3-Clause
# Copyright(c) 2026 The dpdk-lcoremem authors
#
# Run every test of dpdk-lcoremem, the way CI does, and end with the line
#     N passed, N failed, N skipped
# Exit status: 0 when nothing failed, 1 otherwise.
#
# Stages:
#   setup    devtools/setup.sh: install missing Debian packages, reserve hugepages
#   checks   tree checks: every file has a MAINTAINERS entry
#   docs     the documentation, warnings as errors: the HTML guides (Sphinx) and the API
#            reference (Doxygen) with -Denable_docs=true and `ninja doc`, then the meson
#            suite 'doc': the guides' C examples compiled, the links and images of the HTML
#            checked, and the tests of those two checkers
#   normal   release build; `meson test --suite fast-tests` (the --no-huge runs, the hugepage
#            runs when the machine has hugepages, the build checks); then the stress suite,
#            if any stress test is registered, for a short bounded time
#   migrate  the lcore variable migration tool: meson test --suite migrate in the release
#            build (its fixtures rewritten by spatch and compared, the refusals, the
#            errors, the converted fixtures run against the originals, the footprint
#            tracer), then devtools/run-migration.sh --quick: Debian's DPDK 22.11 source
#            fetched, migrated, the migrated files compiled with -Werror (skipped, and
#            counted so, when the source cannot be fetched)
#   install  `meson install` of the libraries into a scratch prefix, then a small application
#            built against the installed pkg-config module libdpdk-lcoremem, and run; and
#            the conntrack example built from its installed sources with its Makefile, and
#            run on a small capture of its generator
#   debug    fastmem debug build (-Dfastmem_debug=true: allocation bitmaps, poisoning, the
#            inline fast path compiled out); the fast tests, fastmem_debug_autotest's death
#            tests of the debug checks among them; then, when the normal stage built the
#            release dpdk-test, devtools/check-mp-layout.sh both ways (a secondary of the other
#            layout is refused)
#   asan     AddressSanitizer + UndefinedBehaviorSanitizer build; the fast tests
#            (tests registered with asan false skip themselves), fastmem_debug_autotest's ASan death tests
#            among them
#   tsan     ThreadSanitizer build; the tests of the meson suite 'tsan' (none is fine)
#   fuzz     devtools/run-fuzz.sh: the fastmem libFuzzer target for LCOREMEM_FUZZ_SECONDS
#            (skipped, and counted as skipped, when clang or its fuzzer runtime is missing)
#   upstream this project against upstream DPDK's source tarball (devtools/run-tests-
#            upstream.sh): DPDK's lcore variable tests against ours; this project built
#            against that DPDK, with its native lcore variables; lib/fastmem put into that
#            DPDK's tree and built with -Dwerror=true by gcc and by clang (with
#            -Dmax_lcores=1024), its autotests run by DPDK's dpdk-test. Skipped (one skip)
#            without the tarball
# Every test result is read back from meson's JSON test logs and added up at the end.
#
# Environment:
#   LCOREMEM_BUILD_PREFIX  build folder prefix (default "build": build, build-asan, ...)
#   LCOREMEM_STAGES        stages to run (default "checks docs normal migrate install debug
#                          asan tsan fuzz upstream")
#   LCOREMEM_TEST_JOBS     tests run in parallel (default 2)
#   LCOREMEM_SKIP_SETUP    set to 1 to skip devtools/setup.sh
#   DPDK_TEST_STRESS_SECONDS  how long each stress test runs here (default 20)
#   LCOREMEM_FUZZ_SECONDS  how long the fuzz stage fuzzes (default 60)
#   LCOREMEM_DPDK_TARBALL  the DPDK source tarball of the upstream stage (default
#                          ../shared/deps/dpdk-25.11.tar.xz beside the source tree)
#   CI                     "true" under CI: no questions asked, more diagnostics printed

set -u -o pipefail

top=$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)
cd "$top" || exit 1

prefix=${LCOREMEM_BUILD_PREFIX:-build}
stages=${LCOREMEM_STAGES:-checks docs normal migrate install debug asan tsan fuzz upstream}
jobs=${LCOREMEM_TEST_JOBS:-2}
ci=${CI:-false}
python=/usr/bin/python3
export DPDK_TEST_STRESS_SECONDS=${DPDK_TEST_STRESS_SECONDS:-20}

results=$top/$prefix-results
rm -rf "$results"
mkdir -p "$results"
# results of the steps that are not meson tests, in meson's JSON-lines test log shape
extra_log=$results/steps.json
: >"$extra_log"
# LABEL=FILE pairs for devtools/test-summary.py
test_logs=()
# "stage seconds" lines for the timing table
timings=()

# record_step NAME RESULT [LOGFILE]: add a non-meson step to the results, with the tail of
# its log as its output.
record_step()
{
	"$python" - "$extra_log" "$1" "$2" "${3:-}" <<'EOF'
import json, sys
path, name, result, logfile = sys.argv[1:5]
out = ''
if logfile:
    try:
        with open(logfile, encoding='utf-8', errors='replace') as f:
            out = ''.join(f.readlines()[-60:])
    except OSError:
        pass
with open(path, 'a', encoding='utf-8') as f:
    f.write(json.dumps({'name': name, 'result': result, 'stdout': out,
                        'log': logfile}) + '\n')
EOF
}

# timed STAGE CMD...: run a stage function and note how long it took.
timed()
{
	local stage=$1 start end
	shift
	start=$(date +%s)
	"$@"
	end=$(date +%s)
	timings+=("$stage $((end - start))")
}

# say, configure_and_build, the sanitizer builds' options
# shellcheck source=devtools/build-common.sh
. "$top/devtools/build-common.sh"

# run_suite BUILDDIR SUITE LABEL [MESON TEST OPTIONS...]: run one meson test suite, keeping
# its JSON log under its own name so that several suites of one build do not overwrite
# each other's results.
run_suite()
{
	local dir=$1 suite=$2 label=$3 logbase
	shift 3
	logbase=run-tests-$suite
	rm -f "$dir/meson-logs/$logbase.json" "$dir/meson-logs/$logbase.txt"
	say "meson test -C $dir --suite $suite $*"
	meson test -C "$dir" --no-rebuild --suite "$suite" --logbase "$logbase" \
		--num-processes "$jobs" --print-errorlogs "$@" </dev/null
	local rc=$?
	if [ -f "$dir/meson-logs/$logbase.json" ]; then
		test_logs+=("$label=$dir/meson-logs/$logbase.json")
	elif [ $rc -ne 0 ]; then
		record_step "meson test $dir $suite" ERROR
	else
		echo "(no test in suite $suite)"
	fi
}

stage_checks()
{
	local log=$results/check-maintainers.log
	say "checks: MAINTAINERS"
	if ! git -C "$top" rev-parse --git-dir >/dev/null 2>&1; then
		echo "not a git checkout: MAINTAINERS coverage not checked"
		return
	fi
	if "$python" "$top/devtools/check-maintainers.py" "$top" >"$log" 2>&1; then
		tail -n 1 "$log"
		record_step "MAINTAINERS covers every file" OK "$log"
	else
		cat "$log"
		record_step "MAINTAINERS covers every file" FAIL "$log"
	fi
}

stage_normal()
{
	local dir=$prefix
	configure_and_build "$dir" -Dbuildtype=release || return
	run_suite "$dir" fast-tests normal
	# the stress suite for a short, bounded time (each stress test honours
	# DPDK_TEST_STRESS_SECONDS); none registered yet is fine
	run_suite "$dir" stress-tests stress
}

# The documentation: only the doc targets are built (they need no library), and the tests of
# the suite 'doc' need none either.
stage_docs()
{
	local dir=$prefix-docs
	build_targets=doc configure_and_build "$dir" -Dbuildtype=release -Denable_docs=true ||
		return
	run_suite "$dir" doc docs
}

# The migration tool's tests, in the release build, and the bounded run on real code.
stage_migrate()
{
	local dir=$prefix log=$results/migration-quick.log rc
	if [ ! -f "$dir/build.ninja" ]; then
		configure_and_build "$dir" -Dbuildtype=release || return
	else
		ninja -C "$dir" >>"$results/build-$(basename "$dir").log" 2>&1
	fi
	run_suite "$dir" migrate migrate
	say "migrate: devtools/run-migration.sh --quick"
	LCOREMEM_MIG_DIR=${TMPDIR:-/tmp}/lcoremem-migration-$(basename "$prefix") \
		bash "$top/devtools/run-migration.sh" --quick </dev/null >"$log" 2>&1
	rc=$?
	sed -n '/^=== steps/,$p' "$log"
	case $rc in
	0) record_step "migration of DPDK 22.11 (quick)" OK "$log" ;;
	3) echo "Debian's DPDK source could not be fetched: the real-code run is skipped"
	   record_step "migration of DPDK 22.11 (quick)" SKIP "$log" ;;
	*) tail -n 40 "$log"
	   record_step "migration of DPDK 22.11 (quick)" FAIL "$log" ;;
	esac
}

# The install test: what a user does with a release. Its build folder has no tests, only the
# libraries, and installs into a prefix inside it.
stage_install()
{
	local dir=$prefix-install dest log pc_dir app=$results/install-app
	dest=$top/$dir/prefix
	log=$results/install-test.log
	: >"$log"
	say "install test: meson install into $dest, then an application built with pkg-config"
	configure_and_build "$dir" -Dbuildtype=release -Dtests=false --prefix="$dest" ||
		{ record_step "install test" FAIL "$log"; return; }
	rm -rf "$dest"
	if ! meson install -C "$dir" >>"$log" 2>&1; then
		tail -n 40 "$log"
		record_step "install test" FAIL "$log"
		return
	fi
	pc_dir=$(dirname "$(find "$dest" -name libdpdk-lcoremem.pc | head -n 1)")
	if [ ! -f "$pc_dir/libdpdk-lcoremem.pc" ]; then
		echo "no libdpdk-lcoremem.pc was installed under $dest" | tee -a "$log"
		record_step "install test" FAIL "$log"
		return
	fi
	echo "installed files:" >>"$log"
	(cd "$dest" && find . -type f -o -type l | sort) >>"$log"
	mkdir -p "$app"
	cat >"$app/app.c" <<'EOF'
/* A user of the installed dpdk-lcoremem: lcore variables, and fastmem when installed. */
#include <stdio.h>
#include <stdlib.h>

#include <rte_eal.h>
#include <rte_lcore.h>
#include <rte_lcore_var.h>
#if __has_include(<rte_fastmem.h>)
#include <rte_fastmem.h>
#define HAVE_FASTMEM 1
#endif

struct counter {
	unsigned long count;
};

static RTE_LCORE_VAR_HANDLE(struct counter, counters);

RTE_LCORE_VAR_INIT(counters);

int
main(int argc, char **argv)
{
	struct counter *c;
	unsigned int lcore_id;
	unsigned long sum = 0;

	if (rte_eal_init(argc, argv) < 0) {
		fprintf(stderr, "install test: EAL init failed\n");
		return 1;
	}
	RTE_LCORE_VAR(counters)->count += 42;
	/* the caller declares the loop variables, as with upstream's macro */
	RTE_LCORE_VAR_FOREACH(lcore_id, c, counters)
		sum += c->count;
	if (sum != 42) {
		fprintf(stderr, "install test: lcore variable sum %lu, not 42\n", sum);
		return 1;
	}
#ifdef HAVE_FASTMEM
	{
		void *p;

		if (rte_fastmem_init() < 0) {
			fprintf(stderr, "install test: rte_fastmem_init failed\n");
			return 1;
		}
		p = rte_fastmem_alloc(100, 0, RTE_FASTMEM_F_ZERO);
		if (p == NULL) {
			fprintf(stderr, "install test: rte_fastmem_alloc failed\n");
			return 1;
		}
		rte_fastmem_free(p);
		rte_fastmem_deinit();
		printf("install test: fastmem allocated and freed an object\n");
	}
#endif
	printf("install test: lcore variables OK\n");
	rte_eal_cleanup();
	return 0;
}
EOF
	# shellcheck disable=SC2046 # pkg-config's flags are meant to be split into words
	(
		set -x
		export PKG_CONFIG_PATH=$pc_dir${PKG_CONFIG_PATH:+:$PKG_CONFIG_PATH}
		pkg-config --modversion libdpdk-lcoremem &&
		# the README's recipe for a prefix outside the loader's paths: an rpath
		cc -Wall -Wextra -Werror -o "$app/app" "$app/app.c" \
			$(pkg-config --cflags libdpdk-lcoremem) \
			$(pkg-config --libs libdpdk-lcoremem) \
			-Wl,-rpath,"$(pkg-config --variable=libdir libdpdk-lcoremem)" &&
		"$app/app" --no-pci --no-huge -m 256 -l 0 --log-level=lib.eal:warning \
			--file-prefix=lcoremem-install-test &&
		# the application found our libraries in the scratch prefix, each of them
		# (librte_fastmem needs librte_eal_ext) without LD_LIBRARY_PATH
		ldd "$app/app" | grep -E 'librte_(eal_ext|fastmem)' | grep -F "$dest" &&
		! ldd "$app/app" | grep -E 'librte_(eal_ext|fastmem)' | grep -q 'not found'
	) >>"$log" 2>&1
	local rc=$?
	if [ $rc -eq 0 ]; then
		sed -n 's/^\(install test: .*\)/\1/p' "$log"
		echo "install test: OK"
		record_step "install test" OK "$log"
	else
		echo "install test: FAILED; the end of $log:"
		tail -n 40 "$log"
		record_step "install test" FAIL "$log"
	fi
	install_example "$dest" "$pc_dir"
}

# install_example PREFIX PKGCONFIG_DIR: build the installed sources of the conntrack
# example with their Makefile, as a user of the installation would, and run the binary on
# a small capture of the installed generator.
install_example()
{
	local dest=$1 pc_dir=$2 src ex=$results/install-example log=$results/install-example.log
	local cpus='(0-1)' libdir cap=$ex/capture/ct

	[ "$(nproc)" -lt 2 ] && cpus=0
	src=$(find "$dest" -type d -path '*/examples/conntrack' | head -n 1)
	if [ -z "$src" ]; then
		echo "no examples/conntrack was installed under $dest" | tee "$log"
		record_step "install test: conntrack example" FAIL "$log"
		return
	fi
	rm -rf "$ex"
	cp -r "$src" "$ex"
	(
		set -x
		export PKG_CONFIG_PATH=$pc_dir${PKG_CONFIG_PATH:+:$PKG_CONFIG_PATH}
		libdir=$(pkg-config --variable=libdir libdpdk-lcoremem)
		make -C "$ex" O="$ex/build" &&
		"$python" "$ex/ct_pcapgen.py" --out-dir "$ex/capture" --flows 200 \
			--packets 2000 &&
		LD_LIBRARY_PATH=$libdir "$ex/build/dpdk-conntrack" --no-pci --no-huge -m 256 \
			"--lcores=(0-2)@$cpus" --log-level=lib.eal:warning \
			--file-prefix=lcoremem-install-conntrack \
			"--vdev=net_pcap0,rx_pcap=$cap-q0.pcap,rx_pcap=$cap-q1.pcap" \
			-- --allocator=fastmem,mempool
	) >"$log" 2>&1
	if [ $? -eq 0 ] && grep -q '^conntrack summary:' "$log"; then
		echo "install test: the conntrack example builds from its installed sources: OK"
		record_step "install test: conntrack example" OK "$log"
	else
		echo "install test: conntrack example FAILED; the end of $log:"
		tail -n 40 "$log"
		record_step "install test: conntrack example" FAIL "$log"
	fi
}

# fastmem's debug checks: the fast tests must pass with every check on (no false alarm),
# and fastmem_debug_autotest checks that misuse is caught.
stage_debug()
{
	local dir=$prefix-debug
	configure_and_build "$dir" -Dbuildtype=debugoptimized -Dfastmem_debug=true || return
	run_suite "$dir" fast-tests debug --timeout-multiplier 2
	# a secondary of the other layout (debug checks or not) is refused, both ways
	if [ -x "$prefix/app/test/dpdk-test" ]; then
		mp_layout_step "$prefix" "$dir"
		mp_layout_step "$dir" "$prefix"
	fi
}

# mp_layout_step PRIMARY_BUILD SECONDARY_BUILD: devtools/check-mp-layout.sh as a step.
mp_layout_step()
{
	local name="secondary of another fastmem layout refused ($1 primary, $2 secondary)"
	local log=$results/mp-layout-$(basename "$2").log

	bash devtools/check-mp-layout.sh "$1/app/test/dpdk-test" "$2/app/test/dpdk-test" \
		>"$log" 2>&1
	case $? in
	0) record_step "$name" OK "$log" ;;
	77) record_step "$name" SKIP "$log" ;;
	*) record_step "$name" FAIL "$log" ;;
	esac
}

stage_asan()
{
	local dir=$prefix-asan
	configure_and_build "$dir" "${asan_build_opts[@]}" || return
	ASAN_OPTIONS=$asan_options LSAN_OPTIONS=$lsan_options UBSAN_OPTIONS=$ubsan_options \
		run_suite "$dir" fast-tests asan --timeout-multiplier 3
}

stage_tsan()
{
	local dir=$prefix-tsan
	configure_and_build "$dir" "${tsan_build_opts[@]}" || return
	TSAN_OPTIONS=$tsan_options run_suite "$dir" tsan tsan --timeout-multiplier 5
}

stage_fuzz()
{
	local log=$results/fuzz.log rc
	say "fuzz: devtools/run-fuzz.sh ${LCOREMEM_FUZZ_SECONDS:-60}"
	if ! command -v clang >/dev/null ||
			! ls /usr/lib/llvm-*/lib/clang/*/lib/linux/libclang_rt.fuzzer-x86_64.a \
			>/dev/null 2>&1; then
		echo "clang or libFuzzer (libclang-rt-14-dev) missing: fuzzing skipped"
		record_step "fastmem fuzzing" SKIP
		return
	fi
	LCOREMEM_FUZZ_BUILD=$prefix-fuzz bash "$top/devtools/run-fuzz.sh" \
		"${LCOREMEM_FUZZ_SECONDS:-60}" </dev/null >"$log" 2>&1
	rc=$?
	tail -n 5 "$log"
	case $rc in
	0) record_step "fastmem fuzzing" OK "$log" ;;
	*) record_step "fastmem fuzzing" FAIL "$log" ;;
	esac
}

# stage_upstream
# shellcheck source=devtools/run-tests-upstream.sh
. "$top/devtools/run-tests-upstream.sh"

stage_setup()
{
	if [ "${LCOREMEM_SKIP_SETUP:-0}" = 1 ]; then
		echo "setup skipped (LCOREMEM_SKIP_SETUP=1)"
		return 0
	fi
	say "setup: devtools/setup.sh"
	if ! bash "$top/devtools/setup.sh" </dev/null; then
		echo "setup failed: the packages above are needed"
		return 1
	fi
}

start=$(date +%s)
if [ "$ci" = true ]; then
	say "environment"
	echo "kernel $(uname -r), $(nproc) CPUs, $(awk '/MemTotal/ { print $2 " kB" }' \
		/proc/meminfo) memory; running as uid $(id -u)"
	git -C "$top" log -1 --format='commit %H %s' 2>/dev/null || true
fi

timed setup stage_setup
if [ ! -x "$python" ]; then
	# nothing below works without it; say so in the summary line's form
	echo "$python is missing: install python3"
	echo "0 passed, 1 failed, 0 skipped"
	exit 1
fi
if ! command -v meson >/dev/null || ! pkg-config --exists libdpdk 2>/dev/null; then
	echo "meson or DPDK's development files are missing: nothing can be built"
	record_step "setup" FAIL
	stages=""
fi
if [ "$ci" = true ]; then
	echo "gcc: $(gcc --version | head -n 1); meson $(meson --version 2>/dev/null);" \
		"DPDK $(pkg-config --modversion libdpdk 2>/dev/null)"
	grep -E '^HugePages_(Total|Free)' /proc/meminfo
fi

for stage in $stages; do
	case $stage in
	checks | docs | normal | migrate | install | debug | asan | tsan | fuzz | upstream)
		timed "$stage" "stage_$stage" ;;
	*) echo "unknown stage '$stage' in LCOREMEM_STAGES"; record_step "stage $stage" ERROR ;;
	esac
done

say "timing"
for t in "${timings[@]}"; do
	printf '  %-10s %5ss\n' "${t% *}" "${t#* }"
done
printf '  %-10s %5ss\n' total $(($(date +%s) - start))

say "summary (logs under $results and <build>/meson-logs)"
"$python" "$top/devtools/test-summary.py" "checks+install=$extra_log" "${test_logs[@]}"
