# SPDX-License-Identifier: BSD-3-Clause
# Copyright(c) 2026 The dpdk-lcoremem authors
"""What the test drivers of devtools/ share: checks that record their failures, and the
closing line and exit status."""

FAILURES = []


def check(condition, what):
    """Record a failed check, with what was expected."""
    if not condition:
        FAILURES.append(what)
        print('FAIL: ' + what)
    return condition


def finish():
    """Print the outcome; return the exit status, 0 when every check passed."""
    if FAILURES:
        print('{} check(s) failed'.format(len(FAILURES)))
        return 1
    print('all checks passed')
    return 0
