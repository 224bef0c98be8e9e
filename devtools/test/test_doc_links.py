#!/usr/bin/env python3
# SPDX-License-Identifier: BSD-3-Clause
# Copyright(c) 2026 The dpdk-lcoremem authors
"""Tests of devtools/check-doc-links.py on small HTML trees written to a scratch folder.

    test_doc_links.py CHECKER
"""

import os
import shutil
import subprocess
import sys
import tempfile
import unittest

CHECKER = None

GOOD_SVG = '<svg xmlns="http://www.w3.org/2000/svg" width="10" height="10"></svg>\n'


def run_checker(*dirs):
    """Run the checker on DIRS; return (exit status, output)."""
    proc = subprocess.run([sys.executable, CHECKER] + list(dirs), capture_output=True,
                          text=True, check=False, timeout=60)
    return proc.returncode, proc.stdout + proc.stderr


class CheckDocLinks(unittest.TestCase):

    def tree(self, files):
        """A scratch folder holding FILES (relative path: content)."""
        top = tempfile.mkdtemp(prefix='doc-links-test.')
        self.addCleanup(shutil.rmtree, top, True)
        for name, text in files.items():
            path = os.path.join(top, name)
            os.makedirs(os.path.dirname(path), exist_ok=True)
            with open(path, 'w', encoding='utf-8') as f:
                f.write(text)
        return top

    def test_good_tree(self):
        top = self.tree({
            'guides/index.html': '<a href="page.html#sec">x</a> <a href="#top">t</a>'
                                 '<a id="top"></a><a href="https://dpdk.org/">d</a>'
                                 '<a href="../api/index.html">api</a>'
                                 '<img src="_images/fig.svg"> <a href="sub/">s</a>',
            'guides/page.html': '<section id="sec"></section>',
            'guides/sub/index.html': '<p>sub</p>',
            'guides/_images/fig.svg': GOOD_SVG,
            'api/index.html': '<a href="../guides/index.html">guides</a>',
        })
        status, out = run_checker(os.path.join(top, 'guides'), os.path.join(top, 'api'))
        self.assertEqual(status, 0, out)
        self.assertIn('4 page(s), 1 SVG image(s) checked: 0 problem(s)', out)

    def test_missing_file(self):
        top = self.tree({'index.html': '<p>\n<a href="gone.html">x</a></p>'})
        status, out = run_checker(top)
        self.assertEqual(status, 1, out)
        self.assertIn("index.html:2: broken link 'gone.html'", out)

    def test_missing_anchor(self):
        top = self.tree({'index.html': '<a href="page.html#nowhere">x</a>',
                         'page.html': '<div id="somewhere"></div>'})
        status, out = run_checker(top)
        self.assertEqual(status, 1, out)
        self.assertIn('no anchor "nowhere"', out)

    def test_missing_image(self):
        top = self.tree({'index.html': '<img src="_images/fig.png">'})
        status, out = run_checker(top)
        self.assertEqual(status, 1, out)
        self.assertIn("broken link '_images/fig.png'", out)

    def test_broken_svg(self):
        top = self.tree({'index.html': '<img src="fig.svg">',
                         'fig.svg': '<svg xmlns="http://www.w3.org/2000/svg"><g></svg>'})
        status, out = run_checker(top)
        self.assertEqual(status, 1, out)
        self.assertIn('not a well-formed SVG image', out)

    def test_no_pages(self):
        top = self.tree({'readme.txt': 'no HTML here'})
        status, out = run_checker(top)
        self.assertEqual(status, 1, out)
        status, out = run_checker(os.path.join(top, 'missing'))
        self.assertEqual(status, 1, out)
        self.assertIn('no such folder', out)


def main():
    global CHECKER
    if len(sys.argv) != 2:
        print(__doc__, file=sys.stderr)
        return 2
    CHECKER = sys.argv[1]
    result = unittest.main(argv=[sys.argv[0], '-v'], exit=False).result
    return 0 if result.wasSuccessful() else 1


if __name__ == '__main__':
    sys.exit(main())
