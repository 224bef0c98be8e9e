# SPDX-License-Identifier: BSD-3-Clause
# Copyright(c) 2026 The dpdk-lcoremem authors
#
# Shell functions and settings shared by devtools/run-tests.sh and devtools/run-soak.sh,
# which source this file: how a build folder is configured and built, and how the sanitizer
# builds are configured and run. The caller sets $results (the folder for logs) and defines
# record_step NAME RESULT [LOGFILE], which notes a failed build.
# shellcheck shell=bash disable=SC2034,SC2154 # the callers use these settings and set $top

# The AddressSanitizer + UndefinedBehaviorSanitizer build, and the ThreadSanitizer build:
# their meson options.
# shellcheck disable=SC2054 # address,undefined is one meson value
asan_build_opts=(-Dbuildtype=debugoptimized -Db_sanitize=address,undefined -Db_lundef=false
	-Dc_args=-fno-omit-frame-pointer)
tsan_build_opts=(-Dbuildtype=debugoptimized -Db_sanitize=thread -Db_lundef=false
	-Dc_args=-fno-omit-frame-pointer)

# The run-time options of their programs: every report is fatal. Leaks are reported
# (detect_leaks is on by default); lsan.supp silences only leaks whose allocation stack lies
# inside Debian's uninstrumented DPDK libraries, our own libraries and tests are never
# suppressed. TSan has no suppressions: the tests make what DPDK synchronises out of its
# sight visible to it instead (see test_fastmem_concurrent.c); the soak adds
# ignore_noninstrumented_modules=1 (devtools/run-soak.sh says why). Append to these, after
# a ':', for more (log_path=..., for instance).
asan_options=abort_on_error=1:halt_on_error=1:print_summary=1:detect_leaks=1
lsan_options=suppressions=$top/devtools/lsan.supp:print_suppressions=0
ubsan_options=halt_on_error=1:abort_on_error=1:print_stacktrace=1:print_summary=1
tsan_options=halt_on_error=1:abort_on_error=1:second_deadlock_stack=1

say()
{
	echo
	echo "=== $*"
}

# configure_and_build BUILDDIR [MESON OPTIONS...]: meson setup (or reconfigure, so that
# configure-time probes such as the hugepage check see the machine as it is now) and ninja,
# of the targets named in $build_targets (default: everything), $build_jobs at a time
# (default: ninja's choice). The log goes to $results/build-<name of BUILDDIR>.log.
configure_and_build()
{
	local dir=$1 log targets=()
	shift
	read -r -a targets <<<"${build_targets:-}"
	log=$results/build-$(basename "$dir").log
	say "build $dir ($*)"
	if [ -f "$dir/build.ninja" ]; then
		meson setup --reconfigure "$dir" "$@" >"$log" 2>&1
	else
		rm -rf "$dir"
		meson setup "$dir" "$@" >"$log" 2>&1
	fi
	local rc=$?
	if [ $rc -eq 0 ]; then
		ninja -C "$dir" ${build_jobs:+-j "$build_jobs"} "${targets[@]}" >>"$log" 2>&1
		rc=$?
	fi
	if [ $rc -ne 0 ]; then
		echo "build of $dir FAILED; the end of $log:"
		tail -n 60 "$log"
		record_step "build $dir" FAIL "$log"
		return 1
	fi
	# the configuration summary
	sed -n '/^ *Configuration$/,/^$/p' "$log"
	return 0
}
