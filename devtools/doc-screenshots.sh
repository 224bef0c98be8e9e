#!/bin/bash
# SPDX-License-Identifier: BSD-3-Clause
# Copyright(c) 2026 The dpdk-lcoremem authors
#
# Take screenshots of the built documentation, to look at it as a reader does:
#     bash devtools/doc-screenshots.sh [BUILDDIR [OUTDIR]]
# BUILDDIR is a build folder where "ninja doc" ran (default build); the PNG files go to
# OUTDIR (default BUILDDIR/doc/screenshots), one per guide page and per API page, named
# after the page: guides-prog_guide-fastmem_lib.png, api-rte__fastmem_8h.png, ...
#
# It needs Debian's chromium (apt-get install chromium), run headless; it is a tool for
# reviewing a documentation change, not a CI step (what a page looks like takes a reader).
#
# Environment:
#   DOC_SHOT_SIZE   window size, WIDTHxHEIGHT (default 1280x2400): the top of each page
#   DOC_SHOT_PAGES  shell pattern of the pages to take, relative to the html folders
#                   (default: every guide page but search and index; the API's main
#                   page and its header and structure pages)

set -u -o pipefail

builddir=${1:-build}
outdir=${2:-$builddir/doc/screenshots}
size=${DOC_SHOT_SIZE:-1280x2400}

die()
{
	echo "doc-screenshots: $*" >&2
	exit 1
}

find_chromium()
{
	local c
	for c in chromium chromium-browser; do
		if command -v "$c" >/dev/null; then
			command -v "$c"
			return 0
		fi
	done
	return 1
}

# shoot URL PNG: one screenshot, in a fresh profile that is removed afterwards
shoot()
{
	local profile rc
	profile=$(mktemp -d "${TMPDIR:-/tmp}/doc-screenshots.XXXXXX") || return 1
	timeout 60 "$chromium" --headless --no-sandbox --disable-gpu --disable-quic \
		--no-first-run --disable-background-networking --disable-component-update \
		--disable-sync --hide-scrollbars --user-data-dir="$profile" \
		--window-size="${size/x/,}" --screenshot="$2" "$1" >/dev/null 2>&1
	rc=$?
	rm -rf "$profile"
	return $rc
}

# wanted LABEL PAGE: whether to take PAGE (a path in the html folder of LABEL)
wanted()
{
	if [ -n "${DOC_SHOT_PAGES:-}" ]; then
		# shellcheck disable=SC2053 # a pattern, on purpose
		[[ $2 == $DOC_SHOT_PAGES ]]
		return
	fi
	case $1:$2 in
	guides:search.html | guides:genindex.html) return 1 ;;
	guides:*) return 0 ;;
	# the API's main page, and the pages of the headers and the structures
	api:index.html | api:*_8h.html | api:struct*.html) return 0 ;;
	esac
	return 1
}

# shoot_tree LABEL HTMLDIR: the wanted pages of one HTML folder
shoot_tree()
{
	local label=$1 html=$2 page name rc=0
	if [ ! -d "$html" ]; then
		echo "doc-screenshots: no $html (run ninja -C $builddir doc)" >&2
		return 1
	fi
	while IFS= read -r page; do
		wanted "$label" "$page" || continue
		name=$label-$(echo "${page%.html}" | tr '/' '-').png
		if shoot "file://$(realpath "$html/$page")" "$outdir/$name"; then
			echo "$outdir/$name"
		else
			echo "doc-screenshots: chromium failed on $html/$page" >&2
			rc=1
		fi
	done < <(cd "$html" && find . -name '*.html' -not -path './_*' | sed 's|^\./||' | sort)
	return $rc
}

chromium=$(find_chromium) || die "chromium is missing (Debian: apt-get install chromium)"
mkdir -p "$outdir" || die "cannot create $outdir"
failed=0
shoot_tree guides "$builddir/doc/guides/html" || failed=1
shoot_tree api "$builddir/doc/api/html" || failed=1
exit $failed
