#!/usr/bin/python3
# SPDX-License-Identifier: BSD-3-Clause
# Copyright(c) 2026 The dpdk-lcoremem authors
"""Tests of devtools/soak-summary.py on results folders written to a scratch folder.
devtools/run-soak.sh runs them before it builds anything.

    test_soak_summary.py [unittest options]
"""

import importlib.util
import io
import os
import shutil
import tempfile
import unittest
from contextlib import redirect_stdout

HERE = os.path.dirname(os.path.abspath(__file__))
SPEC = importlib.util.spec_from_file_location(
    'soak_summary', os.path.join(HERE, '..', 'soak-summary.py'))
soak = importlib.util.module_from_spec(SPEC)
SPEC.loader.exec_module(soak)

TOTALS = ('stress: seconds=1800.4 seed=0x243f6a8885a308d3 threads=9 ops=123456789'
          ' allocs=50000000 frees=50000000 handovers=9876543 adopted=4000000 faults=600'
          ' nomem=4321 registrations=20000 unregistrations=20000 trims=10000'
          ' trimmed_bytes=3221225472 epochs=1800 exact=yes')
GOOD_LOG = ('EAL: some line\nRTE>>fastmem_stress_autotest\n'
            'epoch  0:   1000 ops, ...\n' + TOTALS + '\nTest OK\n')
ASAN_REPORT = ('=================================================================\n'
               '==1234==ERROR: AddressSanitizer: heap-use-after-free on address 0x1\n'
               '    #0 0x1 in f x.c:1\nSUMMARY: AddressSanitizer: heap-use-after-free\n')
UBSAN_REPORT = ('lib/fastmem/fastmem.c:10:5: runtime error: shift exponent 64 is too large\n'
                '    #0 0x1 in f lib/fastmem/fastmem.c:10\n')
UBSAN_SUMMARY = 'SUMMARY: UndefinedBehaviorSanitizer: undefined-behavior fastmem.c:10:5 in\n'
TSAN_REPORT = ('==================\nWARNING: ThreadSanitizer: data race (pid=1)\n'
               '  Write of size 8 at 0x1 by thread T1:\n==================\n'
               'ThreadSanitizer: reported 1 warnings\n')


class SoakSummary(unittest.TestCase):

    def results(self, runs):
        """A results folder: RUNS maps a sanitizer to {file name: content}."""
        top = tempfile.mkdtemp(prefix='soak-summary-test.')
        self.addCleanup(shutil.rmtree, top, True)
        for san, files in runs.items():
            os.makedirs(os.path.join(top, san))
            for name, text in files.items():
                with open(os.path.join(top, san, name), 'w', encoding='utf-8') as f:
                    f.write(text)
        return top

    def summary(self, runs, sans=None):
        top = self.results(runs)
        out = io.StringIO()
        with redirect_stdout(out):
            rc = soak.main(['soak-summary.py', top] + (sans or list(runs)))
        return rc, out.getvalue()

    @staticmethod
    def run_files(log=GOOD_LOG, status=0, build='ok', **extra):
        files = {'run.info': 'build=%s\nstatus=%d\nwall_seconds=1805\n' % (build, status),
                 'stress.log': log}
        files.update(extra)
        return files

    def test_parse_totals(self):
        totals = soak.parse_totals(GOOD_LOG)
        self.assertEqual(totals['ops'], '123456789')
        self.assertEqual(totals['handovers'], '9876543')
        self.assertEqual(totals['exact'], 'yes')
        self.assertIsNone(soak.parse_totals('no totals\nTest OK\n'))
        # the last line counts
        again = soak.parse_totals(TOTALS + '\n' + TOTALS.replace('exact=yes', 'exact=no'))
        self.assertEqual(again['exact'], 'no')

    def test_count_reports(self):
        self.assertEqual(soak.count_reports(GOOD_LOG), 0)
        self.assertEqual(soak.count_reports(ASAN_REPORT), 1)
        self.assertEqual(soak.count_reports(UBSAN_REPORT * 2), 2)
        self.assertEqual(soak.count_reports(TSAN_REPORT), 1)
        self.assertEqual(soak.count_reports('==1==ERROR: LeakSanitizer: detected leaks\n'), 1)
        # a report of a kind the pattern does not know still has its summary line
        self.assertEqual(soak.count_reports('==1==ERROR: SomethingNew\n'
                                            'SUMMARY: AddressSanitizer: new-kind x.c:1\n'), 1)

    def test_both_pass(self):
        rc, out = self.summary({'asan': self.run_files(), 'tsan': self.run_files()})
        self.assertEqual(rc, 0, out)
        self.assertIn('123,456,789', out)
        self.assertIn('30m00s', out)
        self.assertIn('10,000 (3072 MiB)', out)
        self.assertRegex(out, r'(?m)^sanitizer reports +0 +0$')
        self.assertRegex(out, r'(?m)^accounting exact +yes +yes$')
        self.assertTrue(out.rstrip().endswith('soak: OK'), out)

    def test_report_in_log(self):
        rc, out = self.summary({'asan': self.run_files(log=GOOD_LOG + UBSAN_REPORT)})
        self.assertEqual(rc, 1)
        self.assertIn('asan: FAILED (1 sanitizer reports)', out)

    def test_report_split(self):
        # UBSan under ASan: the report on stderr, its summary in the log_path file
        rc, out = self.summary({'asan': self.run_files(
            log=GOOD_LOG.replace('Test OK\n', UBSAN_REPORT), status=134,
            **{'sanitizer.77': UBSAN_SUMMARY})})
        self.assertEqual(rc, 1)
        self.assertIn('asan: FAILED (1 sanitizer reports)', out)

    def test_report_file(self):
        rc, out = self.summary({'tsan': self.run_files(**{'sanitizer.4242': TSAN_REPORT})})
        self.assertEqual(rc, 1)
        self.assertIn('sanitizer.4242', out)
        # a report file this parser does not understand still counts
        rc, out = self.summary({'tsan': self.run_files(**{'sanitizer.1': 'odd\n'})})
        self.assertEqual(rc, 1)
        self.assertIn('1 sanitizer reports', out)

    def test_failures(self):
        cases = {
            'not built': self.run_files(log='', build='failed', status=-1),
            'exit status 134': self.run_files(status=134),
            'no totals line': self.run_files(log='epoch 0: ...\nTest Failed\n'),
            'accounting not exact': self.run_files(
                log=GOOD_LOG.replace('exact=yes', 'exact=no').replace('Test OK',
                                                                      'Test Failed')),
            'no "Test OK"': self.run_files(log=GOOD_LOG.replace('Test OK', 'Test Skipped')),
        }
        for reason, files in cases.items():
            with self.subTest(reason=reason):
                rc, out = self.summary({'asan': files})
                self.assertEqual(rc, 1, out)
                self.assertIn('asan: FAILED (%s)' % reason, out)
                self.assertTrue(out.rstrip().endswith('soak: FAILED'))

    def test_missing_run(self):
        rc, out = self.summary({'asan': self.run_files()}, ['asan', 'tsan'])
        self.assertEqual(rc, 1)
        self.assertIn('tsan: FAILED (not run)', out)


if __name__ == '__main__':
    unittest.main()
