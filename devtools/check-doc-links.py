#!/usr/bin/env python3
# SPDX-License-Identifier: BSD-3-Clause
# Copyright(c) 2026 The dpdk-lcoremem authors

"""Check the links and images of built HTML documentation.

    check-doc-links.py HTMLDIR...

For every page under each HTMLDIR: every relative link (href) and image or script (src)
names a file that exists, and a link to an anchor (page.html#name) names an anchor of that
page; every SVG image is well-formed XML, since a browser shows a broken one as nothing.
Links with a scheme (https:, mailto:) are not followed. The guides link to the API
reference and back (../../api/html/...), so both folders are checked together.

Exit status: 0 when nothing is broken, 1 otherwise (each problem printed on its own line),
2 on bad usage.
"""

import html.parser
import os
import sys
import urllib.parse
import xml.etree.ElementTree as ET

LINK_ATTRS = {'href', 'src'}


class Page(html.parser.HTMLParser):
    """The links and anchors of one HTML page."""

    def __init__(self):
        super().__init__(convert_charrefs=True)
        self.links = []         # (line, attribute value)
        self.anchors = set()

    def handle_starttag(self, tag, attrs):
        for name, value in attrs:
            if value is None:
                continue
            if name in ('id', 'name') and (name == 'id' or tag == 'a'):
                self.anchors.add(value)
            elif name in LINK_ATTRS and tag != 'base':
                self.links.append((self.getpos()[0], value))


def parse(path, cache):
    """The parsed page at PATH, parsed once."""
    if path not in cache:
        page = Page()
        with open(path, encoding='utf-8', errors='replace') as f:
            page.feed(f.read())
        cache[path] = page
    return cache[path]


def local_target(page_path, link):
    """(file, anchor) that a relative LINK of the page at PAGE_PATH names, or None."""
    parts = urllib.parse.urlsplit(link)
    if parts.scheme or parts.netloc or link.startswith(('//', 'javascript:', 'data:')):
        return None
    if not parts.path:
        return page_path, parts.fragment      # an anchor of the page itself
    target = os.path.normpath(os.path.join(os.path.dirname(page_path),
                                           urllib.parse.unquote(parts.path)))
    return target, parts.fragment


def check_svg(path):
    """None when the SVG file at PATH is well-formed, else the parser's message."""
    try:
        ET.parse(path)
    except ET.ParseError as err:
        return str(err)
    return None


def check_page(path, cache, svgs):
    """The problems of one page, as printable lines."""
    problems = []
    page = parse(path, cache)
    for line, link in page.links:
        target = local_target(path, link)
        if target is None:
            continue
        file, anchor = target
        if os.path.isdir(file):
            file = os.path.join(file, 'index.html')
        if not os.path.isfile(file):
            problems.append(f'{path}:{line}: broken link {link!r}: no {file}')
            continue
        if file.endswith('.svg'):
            svgs.add(file)
        if anchor and file.endswith('.html') and anchor not in parse(file, cache).anchors:
            problems.append(f'{path}:{line}: broken link {link!r}: no anchor "{anchor}" '
                            f'in {file}')
    return problems


def main(argv):
    if not argv:
        print(__doc__, file=sys.stderr)
        return 2
    cache = {}
    svgs = set()
    problems = []
    pages = 0
    for top in argv:
        if not os.path.isdir(top):
            problems.append(f'{top}: no such folder (is the documentation built?)')
            continue
        for root, dirs, files in os.walk(top):
            dirs.sort()
            for name in sorted(files):
                if name.endswith('.html'):
                    pages += 1
                    problems += check_page(os.path.join(root, name), cache, svgs)
    for svg in sorted(svgs):
        err = check_svg(svg)
        if err:
            problems.append(f'{svg}: not a well-formed SVG image: {err}')
    for p in problems:
        print(p)
    print(f'{pages} page(s), {len(svgs)} SVG image(s) checked: '
          f'{len(problems)} problem(s)')
    return 1 if problems or pages == 0 else 0


if __name__ == '__main__':
    sys.exit(main(sys.argv[1:]))
