#!/bin/bash
# SPDX-License-Identifier: BSD-3-Clause
# Copyright(c) 2026 The dpdk-lcoremem authors
#
# Instructions per object of fastmem's data path, counted by valgrind's callgrind, for one
# build or two side by side. Instruction counts do not depend on the machine's load or
# clock, so two builds (before and after a change) compare on any machine, shared or not.
#
# For every allocator, pattern and size, it runs fastmem_profile (app/test/
# test_fastmem_profile.c) of BUILD's dpdk-test under callgrind, collecting only inside
# perf_run_<allocator>_<pattern>(), the function that holds the timed work, and divides
# the instructions counted there by the objects the test says went through it (warm-up
# included). One allocation and one free make an object.
#
# Usage: devtools/count-instructions.sh [OPTIONS] BUILD [BUILD2]
#   --allocators "A ..."  fastmem, handle, mempool, rte_malloc, libc (default
#                         "fastmem handle mempool")
#   --patterns "P ..."    pairs, keep32, keep512, shuf512, bulk32, mixed (default
#                         "pairs keep32 keep512 shuf512 bulk32 mixed"; mixed not with
#                         handle)
#   --sizes "S ..."       object sizes in bytes (default "64 1024 16384"; mixed has its own)
#   --objects N           objects per run after the warm-up (default 65536)
#   -h, --help
# With BUILD2, a last column gives BUILD2's count over BUILD's. Runs use --no-huge -m 256
# on lcore 0. Exit status: 0, 1 when a run failed, 2 for a usage error.

set -u -o pipefail

usage()
{
	sed -n '/^# Usage:/,/^#   -h/s/^# \{0,1\}//p' "$0"
}

allocators="fastmem handle mempool"
patterns="pairs keep32 keep512 shuf512 bulk32 mixed"
sizes="64 1024 16384"
objects=65536
builds=()

while [ $# -gt 0 ]; do
	case $1 in
	--allocators | --patterns | --sizes | --objects)
		if [ -z "${2:-}" ]; then
			echo "count-instructions: $1 takes a value" >&2
			exit 2
		fi
		case $1 in
		--allocators) allocators=$2 ;;
		--patterns) patterns=$2 ;;
		--sizes) sizes=$2 ;;
		--objects) objects=$2 ;;
		esac
		shift ;;
	-h | --help) usage; exit 0 ;;
	-*) echo "count-instructions: unknown option '$1'" >&2; usage >&2; exit 2 ;;
	*) builds+=("$1") ;;
	esac
	shift
done
if [ ${#builds[@]} -lt 1 ] || [ ${#builds[@]} -gt 2 ]; then
	usage >&2
	exit 2
fi
case $objects in
'' | *[!0-9]* | 0) echo "count-instructions: --objects takes a positive number" >&2; exit 2 ;;
esac
if ! command -v valgrind >/dev/null; then
	echo "count-instructions: valgrind is needed (apt-get install valgrind)" >&2
	exit 2
fi
for b in "${builds[@]}"; do
	if [ ! -x "$b/app/test/dpdk-test" ]; then
		echo "count-instructions: no $b/app/test/dpdk-test" >&2
		exit 2
	fi
done

scratch=$(mktemp -d)
trap 'rm -rf "$scratch"' EXIT

# failed BUILD ALLOC PATTERN SIZE LOG: print "failed", and the end of the run's log on stderr
failed()
{
	echo failed
	{
		echo "count-instructions: $1: $2 $3 $4 failed; the end of its output:"
		tail -n 15 "$5"
	} >&2
}

# count BUILD ALLOC PATTERN SIZE: print the instructions per object, or "failed"
count()
{
	local build=$1 alloc=$2 pattern=$3 size=$4 fn out log ir objs
	fn=perf_run_${alloc}_${pattern}
	out=$scratch/cg.out
	log=$scratch/cg.log
	rm -f "$out"
	if ! FASTMEM_PROFILE_ALLOC=$alloc FASTMEM_PROFILE_PATTERN=$pattern \
		FASTMEM_PROFILE_SIZE=$size FASTMEM_PROFILE_OBJECTS=$objects \
		valgrind --tool=callgrind --toggle-collect="$fn" --callgrind-out-file="$out" \
		"$build/app/test/dpdk-test" --no-pci -l 0 --no-huge -m 256 --no-shconf \
		--file-prefix="count-insn-$$" --log-level=lib.eal:error fastmem_profile \
		>"$log" 2>&1; then
		failed "$build" "$alloc" "$pattern" "$size" "$log"
		return
	fi
	ir=$(sed -n 's/^summary: *\([0-9]*\).*/\1/p' "$out")
	objs=$(sed -n "s/^objects through $fn, warm-up included: \([0-9]*\)$/\1/p" "$log")
	if [ -z "$ir" ] || [ "$ir" -eq 0 ] || [ -z "$objs" ] || [ "$objs" -eq 0 ]; then
		failed "$build" "$alloc" "$pattern" "$size" "$log"
		return
	fi
	awk -v ir="$ir" -v n="$objs" 'BEGIN { printf "%.1f", ir / n }'
}

rc=0
printf '%-8s %-8s %6s' allocator pattern size
for b in "${builds[@]}"; do
	printf ' %14s' "$(basename "$b")"
done
[ ${#builds[@]} -eq 2 ] && printf ' %8s' ratio
printf '\n'
for alloc in $allocators; do
	for pattern in $patterns; do
		s_list=$sizes
		[ "$pattern" = mixed ] && s_list=-
		# a handle has one size: fastmem_profile refuses mixed sizes with handles
		[ "$pattern" = mixed ] && [ "$alloc" = handle ] && continue
		for size in $s_list; do
			vals=()
			for b in "${builds[@]}"; do
				v=$(count "$b" "$alloc" "$pattern" "${size/-/64}")
				[ "$v" = failed ] && rc=1
				vals+=("$v")
			done
			printf '%-8s %-8s %6s' "$alloc" "$pattern" "$size"
			for v in "${vals[@]}"; do
				printf ' %14s' "$v"
			done
			if [ ${#vals[@]} -eq 2 ]; then
				awk -v a="${vals[0]}" -v b="${vals[1]}" \
					'BEGIN { if (a + 0 > 0 && b + 0 > 0)
						printf " %7.3fx", b / a;
						 else printf " %8s", "-" }'
			fi
			printf '\n'
		done
	done
done
echo "instructions per object (allocation + free) inside" \
	"perf_run_<allocator>_<pattern>(), callgrind, $objects objects after the warm-up"
exit $rc
