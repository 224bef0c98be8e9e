#!/bin/bash
# SPDX-License-Identifier: BSD-3-Clause
# Copyright(c) 2026 The dpdk-lcoremem authors
#
# Prepare a Debian 12 (or Ubuntu) machine to build and test dpdk-lcoremem:
#   1. install the Debian packages the build, the tests and the sanitizer builds need,
#      only those that are missing (run as root; otherwise print the sudo command);
#   2. when running as root, reserve 2 MiB hugepages and mount hugetlbfs, if the machine
#      lets us. Nothing fails if it does not: every fast test also runs with --no-huge.
#
# Environment:
#   LCOREMEM_HUGEPAGES   number of 2 MiB hugepages to reserve (default 512; 0 = leave alone)
#   LCOREMEM_NO_INSTALL  set to 1 to only report missing packages, never install
#
# Exit status: 0 when everything needed is installed, 1 when packages are missing and could
# not be installed.

set -u -o pipefail

# What the build (meson, DPDK, pyelftools for the symbol check), the install test
# (pkg-config), the documentation (Sphinx with the Read the Docs theme for the guides,
# Doxygen for the API reference: the CI stage "docs"), the sanitizer/fuzzer builds
# (clang and its runtime) and the migration stage need: devtools/lcore_var_migrate.py
# runs Coccinelle's spatch and its tests apply patches with patch;
# devtools/run-migration.sh fetches Debian's DPDK source with apt-get source, which
# unpacks it with dpkg-source (dpkg-dev). Chromium, for devtools/doc-screenshots.sh,
# is a tool for reviewing documentation, not for CI: install it by hand (apt-get
# install chromium).
packages=(
	dpdk
	dpdk-dev
	libdpdk-dev
	libnuma-dev
	meson
	ninja-build
	pkg-config
	python3
	python3-pyelftools
	gcc
	libc6-dev
	git
	python3-sphinx
	python3-sphinx-rtd-theme
	doxygen
	# DPDK's net_pcap driver, which the conntrack example and its tests receive capture
	# files through (Debian 12's name, after DPDK 22.11's ABI 23; libdpdk-dev pulls it in)
	librte-net-pcap23
	coccinelle
	patch
	dpkg-dev
)
# Wanted for the clang/libFuzzer builds, for the crypto scheduler autotest of the full
# migration proof (the AESNI-MB crypto driver), and for devtools/count-instructions.sh
# (valgrind's callgrind); their absence is only a warning.
optional_packages=(
	clang
	libclang-rt-14-dev
	libipsec-mb-dev
	valgrind
)

log()
{
	echo "setup: $*"
}

is_installed()
{
	dpkg-query -W -f='${Status}' "$1" 2>/dev/null | grep -q 'install ok installed'
}

install_packages()
{
	local missing=() optional=() p

	if ! command -v dpkg-query >/dev/null 2>&1; then
		log "not a Debian-based system: install by hand the equivalents of: ${packages[*]}"
		return 0
	fi
	for p in "${packages[@]}"; do
		is_installed "$p" || missing+=("$p")
	done
	for p in "${optional_packages[@]}"; do
		is_installed "$p" || optional+=("$p")
	done
	if [ ${#missing[@]} -eq 0 ] && [ ${#optional[@]} -eq 0 ]; then
		log "all required Debian packages are installed"
		return 0
	fi
	if [ ${#missing[@]} -eq 0 ] && { [ "$(id -u)" -ne 0 ] ||
			[ "${LCOREMEM_NO_INSTALL:-0}" = 1 ]; }; then
		log "optional packages missing (clang/libFuzzer, migration proof, callgrind):" \
			"${optional[*]}"
		return 0
	fi
	log "missing Debian packages: ${missing[*]} ${optional[*]}"

	if [ "$(id -u)" -ne 0 ] || [ "${LCOREMEM_NO_INSTALL:-0}" = 1 ]; then
		log "install them with:"
		log "  sudo apt-get update && sudo apt-get install -y ${missing[*]} ${optional[*]}"
		return 1
	fi

	export DEBIAN_FRONTEND=noninteractive
	local apt=(apt-get -q -y -o DPkg::Lock::Timeout=600 -o Dpkg::Use-Pty=0)
	log "running apt-get update"
	"${apt[@]}" update </dev/null || log "apt-get update failed; trying the install anyway"
	if [ ${#missing[@]} -eq 0 ]; then
		"${apt[@]}" install --no-install-recommends "${optional[@]}" </dev/null ||
			log "optional packages not installed (clang, migration proof," \
				"callgrind): ${optional[*]}"
		return 0
	fi
	log "running apt-get install ${missing[*]}"
	if ! "${apt[@]}" install --no-install-recommends "${missing[@]}" </dev/null; then
		# one more try, in case a mirror or the package lists were stale
		log "apt-get install failed; updating the package lists and trying once more"
		"${apt[@]}" update </dev/null
		"${apt[@]}" install --no-install-recommends "${missing[@]}" </dev/null || {
			log "could not install: ${missing[*]}"
			return 1
		}
	fi
	for p in "${missing[@]}"; do
		if ! is_installed "$p"; then
			log "package $p is still not installed"
			return 1
		fi
	done
	if [ ${#optional[@]} -gt 0 ]; then
		"${apt[@]}" install --no-install-recommends "${optional[@]}" </dev/null ||
			log "optional packages not installed (clang, migration proof," \
				"callgrind): ${optional[*]}"
	fi
	log "installed: ${missing[*]} ${optional[*]}"
	return 0
}

hugetlbfs_mounted()
{
	awk '$3 == "hugetlbfs" { found = 1 } END { exit !found }' /proc/mounts 2>/dev/null
}

setup_hugepages()
{
	local want=${LCOREMEM_HUGEPAGES:-512} have

	if [ "$want" = 0 ]; then
		log "hugepages: left as they are (LCOREMEM_HUGEPAGES=0)"
		return 0
	fi
	have=$(cat /proc/sys/vm/nr_hugepages 2>/dev/null || echo 0)
	if [ "$(id -u)" -ne 0 ]; then
		if [ "$have" -lt "$want" ] || ! hugetlbfs_mounted; then
			log "hugepages: not root, so not configured; the tests run with --no-huge."
			log "  to run them with hugepages too:"
			log "  echo $want | sudo tee /proc/sys/vm/nr_hugepages"
			log "  sudo mkdir -p /dev/hugepages"
			log "  sudo mount -t hugetlbfs nodev /dev/hugepages"
		fi
		return 0
	fi

	if [ "$have" -lt "$want" ]; then
		if (echo "$want" >/proc/sys/vm/nr_hugepages) 2>/dev/null; then
			have=$(cat /proc/sys/vm/nr_hugepages 2>/dev/null || echo 0)
			log "hugepages: reserved $have of $want requested 2 MiB pages"
		else
			log "hugepages: this machine does not let us reserve any (fine: --no-huge)"
		fi
	fi
	if ! hugetlbfs_mounted; then
		if mkdir -p /dev/hugepages 2>/dev/null &&
				mount -t hugetlbfs nodev /dev/hugepages 2>/dev/null; then
			log "hugepages: mounted hugetlbfs at /dev/hugepages"
		else
			log "hugepages: could not mount hugetlbfs (fine: --no-huge)"
		fi
	fi
	log "hugepages: $(awk '/^HugePages_(Total|Free):/ { printf "%s %s  ", $1, $2 }' \
		/proc/meminfo)"
	return 0
}

rc=0
install_packages || rc=1
setup_hugepages
exit $rc
