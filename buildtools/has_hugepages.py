#!/usr/bin/env python3
# SPDX-License-Identifier: BSD-3-Clause
# Copyright(c) 2026 The dpdk-lcoremem authors
"""Print the number of free hugepages of the default size (0 when there are none or no
hugetlbfs is mounted), for meson to decide whether to register the hugepage test runs."""

import sys


def main():
    mounted = False
    try:
        with open('/proc/mounts', encoding='ascii') as mounts:
            mounted = any(line.split()[2] == 'hugetlbfs' for line in mounts)
    except OSError:
        pass
    free = 0
    try:
        with open('/proc/meminfo', encoding='ascii') as meminfo:
            for line in meminfo:
                if line.startswith('HugePages_Free:'):
                    free = int(line.split()[1])
    except OSError:
        pass
    print(free if mounted else 0)
    return 0


if __name__ == '__main__':
    sys.exit(main())
