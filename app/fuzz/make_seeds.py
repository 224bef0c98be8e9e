#!/usr/bin/python3
# SPDX-License-Identifier: BSD-3-Clause
# Copyright(c) 2026 The dpdk-lcoremem authors
"""Write the handcrafted seed inputs of the fastmem fuzz target (corpus/fastmem/seed-*).

The encoding is described at the top of fastmem_fuzz.c. Usage: make_seeds.py [FOLDER]
"""

import os
import sys

MIB = 1 << 20
ANY = 0x00          # socket: SOCKET_ID_ANY
SOCK0 = 0x80        # socket: the first known NUMA socket
ZERO = 0xa0         # flags: RTE_FASTMEM_F_ZERO


def size(n):
    """Bytes encoding a size: exact for 0..16383 and powers of two up to 1 MiB."""
    if n < 0x40:
        return [n]
    if n < 0x4000:
        return [0x40 | n >> 8, n & 0xff]
    k = n.bit_length() - 1
    if n == 1 << k and k <= 20:
        return [0x80 + k]
    if n < 1 << 24:
        return [0xc7, n & 0xff, n >> 8 & 0xff, n >> 16]
    raise ValueError(n)


def special_size(i):
    """0, 1 MiB, 1 MiB + 1, 1 MiB - 1, SIZE_MAX, 2^63, 2^32."""
    return [0xc0 + i]


def align(a):
    if a == 0:
        return [0]
    return [0x60 + a.bit_length() - 1]


def bad_align(i):
    return [0xc0 + i]


def count(n):
    if n <= 32:
        return [n]
    assert n % 16 == 0 and 16 <= n <= 512
    return [0xdf + n // 16]


def u16(v):
    return [v & 0xff, v >> 8]


def alloc(n, a=0, flags=0):
    return [0] + size(n) + align(a) + [flags]


def alloc_socket(n, a=0, flags=0, sock=SOCK0):
    return [1] + size(n) + align(a) + [flags, sock]


def bulk(cnt, n, a=0, flags=0):
    return [2] + count(cnt) + size(n) + align(a) + [flags]


def bulk_socket(cnt, n, a=0, flags=0, sock=SOCK0):
    return [3] + count(cnt) + size(n) + align(a) + [flags, sock]


def free(i=0):
    return [4] + u16(i)


def free_bulk(cnt, start=0, nulls=0):
    return [5] + count(cnt) + u16(start) + [nulls]


def realloc(i, n, a=0):
    return [6] + u16(i) + size(n) + align(a)


FLUSH = [7]
STATS = [11]
RESET = [12]
REINIT = [18]


def reserve(r, sock=ANY):
    return [8, r, sock]


def set_limit(lim, sock=ANY):
    return [9, sock, lim]


def limit_slabs(n):
    """limit byte for n * 2 MiB (1 <= n <= 32)."""
    return (n - 1) << 3 | 1


def get_limit(sock=ANY):
    return [10, sock]


def verify(cnt=15, start=0):
    return [13, cnt, *u16(start)]


def misuse(what, arg=0):
    return [14, what, arg]


def virt2iova(i, off):
    return [15] + u16(i) + u16(off)


def on_worker(nops):
    return [16, nops - 1]


def on_thread(nops):
    return [17, nops - 1]


def hlookup(n, a=0, sock=ANY):
    return [19] + size(n) + align(a) + [sock]


def halloc(hsel=0, flags=0):
    return [20, hsel, flags]


def halloc_bulk(cnt, hsel=0, flags=0):
    return [21, hsel] + count(cnt) + [flags]


def hfree(i=0, bad=False):
    return [22] + u16(i) + [0xff if bad else 0]


def hfree_bulk(cnt, i=0, bad=False):
    return [23] + u16(i) + count(cnt) + [0xff if bad else 0]


def trim(sock=ANY, released=True):
    return [27, sock, 1 if released else 0]


def trim_threshold(lim, sock=ANY):
    return [31, sock, lim]


def seeds():
    s = {}
    s['basic'] = sum([alloc(n) for n in (0, 1, 8, 63, 64, 100, 4096, 65536, MIB)], []) + \
        STATS + [x for i in range(5) for x in free(i * 3)] + verify() + STATS
    s['aligned'] = sum([alloc(n, a) for n, a in ((1, 1), (1, 8), (3, 16), (5, 32), (8, 4096),
                                                   (100, 1 << 16), (1, MIB), (MIB, MIB))], []) + \
        STATS + free_bulk(8)
    # zeroing is only seen on reused (dirty) memory: fill, free, allocate again
    s['zero'] = bulk(32, 200) + free_bulk(32) + bulk(32, 200, 0, ZERO) + free_bulk(32) + \
        alloc(4000) + free(0) + alloc(4000, 0, ZERO) + free(0) + alloc(MIB) + free(0) + \
        alloc(MIB, 0, ZERO) + free(0) + alloc_socket(300) + free(0) + \
        alloc_socket(300, 0, ZERO) + alloc(0, 0, ZERO) + hlookup(5000) + halloc(0) + \
        hfree(0) + halloc(0, ZERO) + verify() + STATS
    s['invalid'] = [0] + special_size(2) + [0, 0] + [0] + special_size(4) + [0, 0] + \
        sum([[0] + size(64) + bad_align(i) + [0] for i in range(12)], []) + \
        [0] + size(64) + [0, 0xe0] + [0] + size(64) + [0, 0xff] + \
        sum([[1] + size(64) + [0, 0, 0xc0 + i] for i in range(8)], []) + \
        [2, 4] + special_size(2) + [0, 0] + [2, 0] + special_size(4) + [0, 0] + \
        [3, 4] + size(64) + [0, 0, 0xc3] + alloc(64) + realloc(0, 2 * MIB) + \
        [6, 0, 0] + size(64) + bad_align(0) + STATS
    s['bulk'] = bulk(32, 8) + bulk(512, 8) + bulk(16, MIB // 4) + bulk(3, MIB) + \
        bulk_socket(256, 64) + STATS + free_bulk(32, 0, 0x55) + free_bulk(32, 7, 0xff) + \
        bulk(0, 64) + free_bulk(0) + STATS
    s['realloc'] = alloc(8) + realloc(0, 100) + realloc(0, 4096) + realloc(0, 16) + \
        realloc(0, 20) + realloc(0, 64, 0) + realloc(0, 64, 8) + realloc(0, MIB) + \
        realloc(0, 1) + [6, 0xff, 0xff] + size(300) + align(0) + realloc(1, 5000, 4096) + \
        verify() + STATS
    s['limit'] = set_limit(limit_slabs(2)) + get_limit() + get_limit(SOCK0) + \
        alloc(MIB) + alloc(MIB) + alloc(MIB) + STATS + free(0) + alloc(MIB) + \
        bulk(4, 4096) + alloc(MIB // 2) + set_limit(limit_slabs(1)) + \
        set_limit(6 | 0 << 3) + set_limit(6 | 1 << 3) + set_limit(6 | 2 << 3) + \
        reserve(1) + reserve(3 | 1 << 2) + set_limit(0) + get_limit() + STATS
    s['reserve'] = reserve(0 | 4 << 2) + reserve(1 | 1 << 2) + reserve(2 | 1 << 2) + \
        reserve(2 | 0x80) + reserve(3) + reserve(3 | 1 << 2, SOCK0) + reserve(3 | 2 << 2) + \
        reserve(3 | 3 << 2) + reserve(3 | 4 << 2) + reserve(1, 0xc0) + reserve(1, 0xc4) + \
        set_limit(6 | 0 << 3) + reserve(1) + set_limit(6 | 4 << 3) + reserve(1) + \
        reserve(1) + STATS
    s['worker'] = on_worker(4) + bulk(32, 64) + alloc(5000) + alloc(MIB) + FLUSH + \
        free_bulk(20) + on_worker(2) + free(0) + STATS + on_thread(4) + alloc(64) + \
        bulk(8, 128) + free(3) + STATS + free_bulk(32) + FLUSH + STATS
    s['cached_enomem'] = set_limit(limit_slabs(3)) + on_worker(3) + bulk(256, 1024) + \
        free_bulk(32) + free_bulk(32) + bulk(3, MIB) + alloc(MIB) + alloc(MIB) + \
        on_thread(3) + alloc(MIB) + bulk(64, 1024) + STATS + FLUSH + alloc(MIB) + STATS
    s['thread_limit'] = set_limit(limit_slabs(1)) + on_thread(8) + alloc(MIB) + \
        alloc(MIB) + bulk(16, 4096) + bulk(512, 4096) + free(0) + alloc(MIB) + STATS + \
        realloc(0, 8)
    s['reinit'] = bulk(16, 100) + alloc(MIB) + on_worker(1) + alloc(64) + REINIT + STATS + \
        alloc(64) + set_limit(limit_slabs(4)) + REINIT + get_limit() + STATS
    s['stats_reset'] = bulk(20, 32) + RESET + free_bulk(10) + STATS + on_thread(2) + \
        alloc(8) + free(0) + RESET + STATS + set_limit(limit_slabs(1)) + \
        bulk(2, MIB) + RESET + STATS
    s['misuse'] = sum([misuse(w, a) for w in range(10) for a in (0, 1, 5)], []) + STATS
    s['virt2iova'] = alloc(64) + alloc(MIB) + bulk(4, 100000) + \
        sum([virt2iova(i, off) for i in range(6) for off in (0, 1, 4095, 65535)], [])
    s['fragment'] = set_limit(limit_slabs(4)) + bulk(512, 8) + bulk(512, 8) + \
        free_bulk(32, 0, 0) + free_bulk(32, 100) + bulk(16, MIB // 8) + bulk(3, MIB) + \
        alloc(MIB) + STATS + free_bulk(64, 3) + alloc(MIB) + bulk(32, 64 * 1024) + STATS
    s['handles'] = hlookup(64) + hlookup(1000, 0, SOCK0) + hlookup(MIB) + halloc(0) + \
        halloc(1, ZERO) + halloc_bulk(32, 0) + halloc_bulk(512, 1, ZERO) + halloc(2) + \
        halloc(0xff) + halloc(0, 0xe0) + hfree(0) + hfree(3, True) + hfree_bulk(32, 5) + \
        [19] + special_size(2) + [0, 0] + [19] + size(8) + bad_align(3) + [0] + \
        hlookup(8, 0, 0xc4) + misuse(9) + STATS + set_limit(limit_slabs(2)) + \
        halloc(2) + halloc(2) + halloc(2) + alloc(100) + hfree_bulk(16, 0) + STATS
    s['trim'] = reserve(1 | 1 << 2) + bulk(3, MIB) + bulk(96, 4096) + free_bulk(64) + \
        trim() + FLUSH + trim(SOCK0) + trim(0xc0) + free_bulk(64) + FLUSH + trim() + \
        trim_threshold(7) + bulk(3, MIB) + free_bulk(3) + FLUSH + STATS + \
        trim_threshold(1 | 3 << 3) + trim_threshold(0, 0xc2) + trim(ANY, False) + STATS
    return s


def main(args):
    folder = args[0] if args else os.path.join(os.path.dirname(os.path.abspath(__file__)),
                                               'corpus', 'fastmem')
    os.makedirs(folder, exist_ok=True)
    for name, data in sorted(seeds().items()):
        with open(os.path.join(folder, 'seed-' + name), 'wb') as f:
            f.write(bytes(data))


if __name__ == '__main__':
    main(sys.argv[1:])
