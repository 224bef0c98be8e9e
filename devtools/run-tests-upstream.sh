# SPDX-License-Identifier: BSD-3-Clause
# Copyright(c) 2026 The dpdk-lcoremem authors
#
# The CI stage "upstream" of devtools/run-tests.sh, which sources this file: this project
# against upstream DPDK, from the source tarball of a DPDK release (DPDK v25.11 LTS,
# ../shared/deps/dpdk-25.11.tar.xz; LCOREMEM_DPDK_TARBALL names another). Three checks:
#   api      DPDK's own app/test/test_lcore_var.c and test_lcore_var_perf.c, built unchanged
#            against our <rte_lcore_var.h> and harness on the installed DPDK (22.11), with
#            -Werror: the meson suite 'upstream' of the normal build (-Dupstream_tests)
#   native   a minimal DPDK (its core libraries, no driver but those it cannot do without,
#            no application) built from the tarball and installed into a scratch prefix;
#            this project built out of tree against it, where lcore variables are DPDK's
#            own, and its fast tests run
#   in-tree  devtools/dpdk-add-fastmem.py --commit puts lib/fastmem, its tests and guide
#            into a second copy of the tarball's tree (a git work tree, so the change is
#            the three-patch series); that DPDK built with -Dwerror=true by gcc, then by
#            clang with -Dmax_lcores=1024 (where DPDK's build turns on -Wthread-safety), and
#            the fastmem autotests run through DPDK's own dpdk-test each time
# Without the tarball the stage says so and counts as one skip. The DPDK builds live in
# <prefix>-upstream/ (about 2 GiB); DPDK's meson runs under /usr/bin/python3 (pyelftools).

upstream_tarball=${LCOREMEM_DPDK_TARBALL:-$top/../shared/deps/dpdk-25.11.tar.xz}
# the DPDK configuration of the stage's builds: the fewest libraries and drivers DPDK allows
upstream_dpdk_opts=(-Ddisable_drivers='*/*' -Dplatform=generic -Dbuildtype=debugoptimized)

# upstream_extract DEST [MEMBERS...]: the tarball (or some of its files) into DEST, empty
upstream_extract()
{
	local dest=$1
	shift
	rm -rf "$dest"
	mkdir -p "$dest"
	tar -xJf "$upstream_tarball" -C "$dest" "$@"
}

# upstream_build_dpdk SRC BUILD LABEL [MESON OPTIONS...]: configure and build a DPDK tree,
# with its log in the results folder; the time it took is printed.
upstream_build_dpdk()
{
	local src=$1 build=$2 label=$3 log start rc
	shift 3
	log=$results/upstream-$label.log
	start=$(date +%s)
	say "upstream: DPDK $label build ($*)"
	rm -rf "$build"
	(cd "$src" && PATH=/usr/bin:$PATH meson setup "$build" "${upstream_dpdk_opts[@]}" "$@" &&
		PATH=/usr/bin:$PATH ninja -C "$build") >"$log" 2>&1
	rc=$?
	echo "upstream: DPDK $label build took $(($(date +%s) - start)) s"
	if [ $rc -ne 0 ]; then
		echo "upstream: DPDK $label build FAILED; the end of $log:"
		tail -n 40 "$log"
		record_step "upstream: DPDK $label build" FAIL "$log"
		return 1
	fi
	grep -E 'warning:' "$log" | head -n 20
	record_step "upstream: DPDK $label build" OK "$log"
}

# upstream_dpdk_tests BUILD LABEL: the fastmem autotests of DPDK's fast-tests suite, through
# DPDK's dpdk-test; their JSON log joins the summary.
upstream_dpdk_tests()
{
	local build=$1 label=$2 names logbase=run-tests-fastmem
	names=$(meson test -C "$build" --no-rebuild --list --suite fast-tests 2>/dev/null |
		sed -n 's/.* \(fastmem_[a-z0-9_]*\)$/\1/p')
	if [ -z "$names" ]; then
		echo "upstream: no fastmem test registered in $build"
		record_step "upstream: fastmem autotests in DPDK ($label)" FAIL
		return
	fi
	say "upstream: DPDK's dpdk-test ($label):" $names
	rm -f "$build/meson-logs/$logbase.json"
	# DPDK gives a fast test 10 s, sized for its own tests
	# shellcheck disable=SC2086 # one test name per word
	meson test -C "$build" --no-rebuild --logbase "$logbase" --timeout-multiplier 10 \
		--num-processes 1 --print-errorlogs $names </dev/null
	if [ -f "$build/meson-logs/$logbase.json" ]; then
		# kept with the results: the build folder may be removed for space
		cp "$build/meson-logs/$logbase.json" "$results/upstream-$label.json"
		test_logs+=("upstream-$label=$results/upstream-$label.json")
	else
		record_step "upstream: fastmem autotests in DPDK ($label)" ERROR
	fi
}

stage_upstream()
{
	local scratch=$top/$prefix-upstream prefix_dir pc_dir lib_dir
	if [ ! -f "$upstream_tarball" ]; then
		echo "upstream: skipped: no DPDK source tarball at $upstream_tarball" \
			"(LCOREMEM_DPDK_TARBALL names one)"
		record_step "upstream stage (DPDK source tarball missing)" SKIP
		return
	fi
	mkdir -p "$scratch"
	echo "upstream: DPDK $(tar -xJOf "$upstream_tarball" VERSION 2>/dev/null) from" \
		"$upstream_tarball"

	# api: upstream's lcore variable tests against ours, in the normal build
	upstream_extract "$scratch/tests" app/test/test_lcore_var.c app/test/test_lcore_var_perf.c
	configure_and_build "$prefix" -Dbuildtype=release \
		-Dupstream_tests="$scratch/tests/app/test" &&
		run_suite "$prefix" upstream upstream-api

	# native: this project against an installed DPDK 25.11
	prefix_dir=$scratch/dpdk-prefix
	upstream_extract "$scratch/src"
	rm -rf "$prefix_dir"
	if upstream_build_dpdk "$scratch/src" "$scratch/build-plain" plain \
			-Denable_libs=ring -Ddisable_apps='*' -Dtests=false -Dbuildtype=plain \
			--prefix="$prefix_dir" &&
			PATH=/usr/bin:$PATH ninja -C "$scratch/build-plain" install \
			>>"$results/upstream-plain.log" 2>&1; then
		pc_dir=$(dirname "$(find "$prefix_dir" -name libdpdk.pc | head -n 1)")
		lib_dir=$(dirname "$pc_dir")
		PKG_CONFIG_PATH=$pc_dir configure_and_build "$prefix-upstream-native" \
			-Dbuildtype=debugoptimized &&
			LD_LIBRARY_PATH=$lib_dir run_suite "$prefix-upstream-native" fast-tests \
				upstream-native
	fi

	# in-tree: lib/fastmem in DPDK's tree, gcc and clang, warnings as errors
	upstream_extract "$scratch/src-fastmem"
	if ! (cd "$scratch/src-fastmem" && git init -q && git add -A &&
			git -c user.name=ci -c user.email=ci@invalid commit -q -m "DPDK release" &&
			"$python" "$top/devtools/dpdk-add-fastmem.py" --commit .) \
			>"$results/upstream-apply.log" 2>&1; then
		cat "$results/upstream-apply.log"
		record_step "upstream: dpdk-add-fastmem.py" FAIL "$results/upstream-apply.log"
		return
	fi
	cat "$results/upstream-apply.log"
	git -C "$scratch/src-fastmem" log --oneline -3
	record_step "upstream: dpdk-add-fastmem.py" OK "$results/upstream-apply.log"
	upstream_build_dpdk "$scratch/src-fastmem" "$scratch/build-gcc" gcc \
		-Denable_libs=fastmem -Denable_apps=test -Dtests=true -Dwerror=true &&
		upstream_dpdk_tests "$scratch/build-gcc" gcc
	rm -rf "$scratch/build-plain" "$scratch/build-gcc" # space for the next build
	CC=clang upstream_build_dpdk "$scratch/src-fastmem" "$scratch/build-clang" clang \
		-Denable_libs=fastmem -Denable_apps=test -Dtests=true -Dwerror=true \
		-Dmax_lcores=1024 &&
		upstream_dpdk_tests "$scratch/build-clang" clang-1024
}
