#!/usr/bin/env python3
# SPDX-License-Identifier: BSD-3-Clause
# Copyright(c) 2026 The dpdk-lcoremem authors
"""Tests of devtools/check-doc-examples.py: small guides written to a scratch folder,
checked with the compiler and headers of the build.

    test_doc_examples.py CHECKER [--header FILE]... -- CC [CFLAGS...]

The arguments after CHECKER are those the build gives the checker itself.
"""

import os
import subprocess
import sys
import tempfile
import textwrap
import unittest

CHECKER = None
CHECKER_ARGS = []


def run_checker(guides, *extra):
    """Run the checker on the folder GUIDES; return (exit status, output)."""
    sep = CHECKER_ARGS.index('--')
    cmd = ([sys.executable, CHECKER, guides] + list(extra) + CHECKER_ARGS[:sep] +
           CHECKER_ARGS[sep:])
    proc = subprocess.run(cmd, capture_output=True, text=True, check=False, timeout=120)
    return proc.returncode, proc.stdout + proc.stderr


class CheckDocExamples(unittest.TestCase):

    def guides(self, **files):
        """A scratch guides folder holding FILES (name: reStructuredText)."""
        top = tempfile.mkdtemp(prefix='doc-examples-test.')
        self.addCleanup(lambda: subprocess.run(['rm', '-rf', top], check=False))
        for name, text in files.items():
            path = os.path.join(top, name.replace('__', '/') + '.rst')
            os.makedirs(os.path.dirname(path), exist_ok=True)
            with open(path, 'w', encoding='utf-8') as f:
                f.write(textwrap.dedent(text))
        return top

    def test_blocks_of_a_guide_form_one_unit(self):
        top = self.guides(guide='''\
            Title
            =====

            .. code-block:: c

               struct foo {
                       uint64_t n;
               };

            Later, in a list:

            #. An item.

               .. code-block:: c
                  :caption: with an option

                  uint64_t
                  foo_get(const struct foo *f)
                  {
                          return f->n;
                  }
            ''')
        status, out = run_checker(top)
        self.assertEqual(status, 0, out)
        self.assertIn('1 of 1 example(s) compiled', out)
        self.assertIn('(2 block(s), from line 6)', out)

    def test_example_marker_starts_a_unit(self):
        top = self.guides(guide='''\
            .. example: first
            .. code-block:: c

               int
               foo(void)
               {
                       return 1;
               }

            .. example: second

            .. code-block:: c

               int
               foo(void)
               {
                       return 2;
               }
            ''')
        status, out = run_checker(top)
        self.assertEqual(status, 0, out)
        self.assertIn('example "first"', out)
        self.assertIn('example "second"', out)

    def test_error_points_at_the_guide_line(self):
        top = self.guides(sub__broken='''\
            Text.

            .. code-block:: c

               int
               foo(void)
               {
                       return undeclared_name;
               }
            ''')
        status, out = run_checker(top)
        self.assertEqual(status, 1, out)
        self.assertIn('sub/broken.rst:8:', out)
        self.assertIn('0 of 1 example(s) compiled', out)

    def test_warnings_are_errors(self):
        top = self.guides(guide='''\
            .. code-block:: c

               void
               foo(void)
               {
                       int unused;
               }
            ''')
        status, out = run_checker(top)
        self.assertEqual(status, 1, out)
        self.assertIn('unused', out)

    def test_fragment_is_not_compiled(self):
        top = self.guides(guide='''\
            .. fragment: statements of some function
            .. code-block:: c

               obj = rte_fastmem_alloc(64, 0, 0);
               ...

            .. code-block:: c

               static const int answer = 42;
               const int *
               get(void)
               {
                       return &answer;
               }
            ''')
        status, out = run_checker(top)
        self.assertEqual(status, 0, out)
        self.assertIn('1 fragment(s) not compiled', out)
        status, out = run_checker(top, '--list')
        self.assertEqual(status, 0, out)
        self.assertIn('fragment guide.rst:4: statements of some function', out)

    def test_fragment_needs_a_reason(self):
        top = self.guides(guide='''\
            .. fragment:
            .. code-block:: c

               x = 1;
            ''')
        status, out = run_checker(top)
        self.assertEqual(status, 2, out)
        self.assertIn('guide.rst:1: ".. fragment:" needs a reason', out)

    def test_example_name_is_checked(self):
        top = self.guides(guide='''\
            .. example: two words
            .. code-block:: c

               int x;
            ''')
        status, out = run_checker(top)
        self.assertEqual(status, 2, out)

    def test_other_languages_are_ignored_and_nothing_is_an_error(self):
        top = self.guides(guide='''\
            .. code-block:: console

               $ ninja -C build doc

            .. code-block:: none

               not C

            How a guide shows a C example:

            .. code-block:: rst

               .. code-block:: c

                  this is shown, not compiled
            ''')
        status, out = run_checker(top)
        self.assertEqual(status, 1, out)
        self.assertIn('no compiled C example', out)


def main():
    global CHECKER, CHECKER_ARGS
    if len(sys.argv) < 3 or '--' not in sys.argv:
        print(__doc__, file=sys.stderr)
        return 2
    CHECKER, CHECKER_ARGS = sys.argv[1], sys.argv[2:]
    result = unittest.main(argv=[sys.argv[0], '-v'], exit=False).result
    return 0 if result.wasSuccessful() else 1


if __name__ == '__main__':
    sys.exit(main())
