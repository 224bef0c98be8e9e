#!/bin/bash
# SPDX-License-Identifier: BSD-3-Clause
# Copyright(c) 2026 The dpdk-lcoremem authors
#
# A secondary process built against another fastmem layout than its primary is refused:
#     devtools/check-mp-layout.sh PRIMARY_DPDK_TEST SECONDARY_DPDK_TEST
# with dpdk-test of two builds whose RTE_FASTMEM_LAYOUT differs (release and
# -Dfastmem_debug=true). The primary runs fastmem_telemetry_server (fastmem initialized,
# waiting for its client); the secondary runs fastmem_mp_child_layout, which expects
# rte_fastmem_init() to fail with EPROTO and logs why. Needs hugepages (multi-process);
# exits 77 (skipped) without them, 0 when the secondary is refused, 1 otherwise.

set -u

primary=$1
secondary=$2
free=$(awk '/^HugePages_Free/ { print $2 }' /proc/meminfo)
if [ "${free:-0}" -lt 16 ]; then
	echo "no free hugepages: skipped"
	exit 77
fi
dir=$(mktemp -d)
prefix=mp-layout-$$
trap 'touch "$dir/go" "$dir/done"; wait; rm -rf "$dir"' EXIT
FASTMEM_TEL_DIR=$dir "$primary" --no-pci --no-telemetry --lcores=0-1 --file-prefix=$prefix \
	--log-level=lib.eal:warning fastmem_telemetry_server >"$dir/primary.log" 2>&1 &
for _ in $(seq 600); do
	[ -e "$dir/expected.json" ] && break
	sleep 0.1
done
if [ ! -e "$dir/expected.json" ]; then
	echo "the primary did not initialize fastmem:"
	tail -n 20 "$dir/primary.log"
	exit 1
fi
timeout 120 "$secondary" --no-pci --no-telemetry --proc-type=secondary --lcores=0-1 \
	--file-prefix=$prefix --log-level=lib.eal:warning fastmem_mp_child_layout \
	>"$dir/secondary.log" 2>&1
rc=$?
cat "$dir/secondary.log"
touch "$dir/go" "$dir/done"
wait
if [ $rc -ne 0 ] || ! grep -q "fastmem_mp_child_layout: ok" "$dir/secondary.log"; then
	echo "the secondary was not refused (exit status $rc)"
	exit 1
fi
echo "refused: a secondary of another layout than its primary's"
