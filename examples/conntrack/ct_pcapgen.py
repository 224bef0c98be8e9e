#!/usr/bin/env python3
# SPDX-License-Identifier: BSD-3-Clause
# Copyright(c) 2026 The dpdk-lcoremem authors
"""Write capture files for dpdk-conntrack: connections with chosen count, size and
lifetime distributions (heavy-tailed by default), one pcap file per receive queue.

Each connection (a TCP or UDP 5-tuple, both directions) goes to one queue, chosen by a
hash of its 5-tuple as a NIC's symmetric RSS would. Its packets are spread over its
lifetime; the files are sorted by time. A small share of frames are not trackable
(ARP, truncated IPv4 headers, IPv4 fragments past the first). Frames are captured
headers only (Ethernet, IPv4, TCP or UDP); the record's original length and the IPv4
total length say how long the packet was.

Beside the files, PREFIX-expected.json gives what dpdk-conntrack must count for them
with the same idle timeout and history threshold: packets, flows created (a connection
idle for longer than the timeout starts a new flow), expired and live at the end,
histories per size. The same seed and arguments give the same files.

    ct_pcapgen.py --out-dir DIR [--prefix ct] [--queues 2] [--flows 20000]
                  [--packets 200000] [--duration 60] [--flow-size pareto:1.2]
                  [--lifetime pareto:1.5] [--lifetime-mean 4] [--seed 1] ...

Standard library only.
"""

import argparse
import array
import json
import os
import random
import struct
import sys
import zlib

# What dpdk-conntrack does, which the expected counts follow (ct_config.h, ct_alloc.h).
DEFAULT_TIMEOUT_MS = 2000
DEFAULT_EXT_AFTER = 2
# records a history holds at each of its sizes: (bytes - 16 B header) / 16 B
HIST_RECORDS = [(256 - 16) // 16, (1024 - 16) // 16, (4096 - 16) // 16]

# 2026-01-01 00:00:00 UTC: where the capture's clock starts
DEFAULT_START = 1767225600

PCAP_MAGIC = 0xa1b2c3d4
LINKTYPE_ETHERNET = 1
ETH_IPV4 = 0x0800
ETH_ARP = 0x0806
PROTO_TCP = 6
PROTO_UDP = 17
TCP_FIN, TCP_SYN, TCP_PSH, TCP_ACK = 0x01, 0x02, 0x08, 0x10

# IPv4 total lengths of packets with payload, and how often each comes
TCP_LENGTHS = ([40, 52, 576, 1500], [30, 20, 10, 40])
UDP_LENGTHS = ([60, 120, 512, 1400], [30, 30, 20, 20])
SERVER_PORTS = [80, 443, 443, 53, 123, 8080, 22, 25]

MAC_CLIENT = bytes.fromhex('020000000001')
MAC_SERVER = bytes.fromhex('020000000002')

# Kinds of frames that dpdk-conntrack does not track.
JUNK_ARP, JUNK_SHORT, JUNK_FRAGMENT = range(3)


class Dist:
    """A positive distribution named NAME[:PARAM], scaled to a given mean."""

    NAMES = ('pareto', 'lognormal', 'exp', 'fixed')

    def __init__(self, spec):
        self.spec = spec
        name, _, param = spec.partition(':')
        if name not in self.NAMES:
            raise ValueError(f'{spec!r}: not one of {", ".join(self.NAMES)}')
        self.name = name
        defaults = {'pareto': 1.2, 'lognormal': 1.0, 'exp': 0.0, 'fixed': 0.0}
        try:
            self.param = float(param) if param else defaults[name]
        except ValueError:
            raise ValueError(f'{spec!r}: {param!r} is not a number') from None
        if name == 'pareto' and self.param <= 1.0:
            raise ValueError(f'{spec!r}: the shape must be above 1 (a finite mean)')
        if name == 'lognormal' and self.param <= 0.0:
            raise ValueError(f'{spec!r}: sigma must be above 0')
        if name in ('exp', 'fixed') and param:
            raise ValueError(f'{spec!r}: {name} takes no parameter')

    def __str__(self):
        return self.spec

    def sample(self, rng, mean):
        if self.name == 'pareto':
            a = self.param
            # x_min * U^(-1/a) has mean x_min * a / (a - 1)
            return mean * (a - 1) / a * rng.paretovariate(a)
        if self.name == 'lognormal':
            s = self.param
            return mean * rng.lognormvariate(-s * s / 2, s)
        if self.name == 'exp':
            return rng.expovariate(1.0 / mean) if mean > 0 else 0.0
        return mean


def flow_sizes(rng, dist, n_flows, n_packets):
    """Packets per flow, at least 1 each, summing to n_packets exactly."""
    mean = n_packets / n_flows
    cap = max(1.0, n_packets / 20)  # no flow has more than 5% of the packets
    raw = [min(max(dist.sample(rng, mean), 1.0), cap) for _ in range(n_flows)]
    scale = n_packets / sum(raw)
    sizes = [max(1, min(int(round(r * scale)), int(cap))) for r in raw]
    diff = n_packets - sum(sizes)
    while diff != 0:
        i = rng.randrange(n_flows)
        if diff > 0 and sizes[i] < cap:
            sizes[i] += 1
            diff -= 1
        elif diff < 0 and sizes[i] > 1:
            sizes[i] -= 1
            diff += 1
    return sizes


def normalized_key(src, dst, sport, dport, proto):
    """The 5-tuple with the lower (address, port) first, as dpdk-conntrack orders it."""
    if (src << 16 | sport) > (dst << 16 | dport):
        src, dst, sport, dport = dst, src, dport, sport
    return struct.pack('!IIHHB', src, dst, sport, dport, proto)


class Flow:
    __slots__ = ('client', 'server', 'sport', 'dport', 'proto', 'queue', 'isn')

    def __init__(self, client, server, sport, dport, proto, queues, isn):
        self.client, self.server = client, server
        self.sport, self.dport, self.proto = sport, dport, proto
        key = normalized_key(client, server, sport, dport, proto)
        self.queue = zlib.crc32(key) % queues
        self.isn = isn


def make_flows(rng, n_flows, tcp_share, queues):
    flows, seen = [], set()
    while len(flows) < n_flows:
        client = (10 << 24) | rng.randrange(1, 1 << 24)
        server = (192 << 24) | (168 << 16) | rng.randrange(1, 1 << 16)
        sport = rng.randrange(1024, 65536)
        dport = rng.choice(SERVER_PORTS)
        proto = PROTO_TCP if rng.random() < tcp_share else PROTO_UDP
        key = normalized_key(client, server, sport, dport, proto)
        if key in seen:
            continue
        seen.add(key)
        flows.append(Flow(client, server, sport, dport, proto, queues,
                          (rng.getrandbits(32), rng.getrandbits(32))))
    return flows


class Queue:
    """The packets of one queue, in compact arrays: a packet is (time, flow, attrs)."""

    def __init__(self):
        self.ts = array.array('q')
        self.flow = array.array('l')  # flow index, or -1 - junk kind
        self.attr = array.array('L')  # direction, IPv4 length, TCP flags, packed

    def add(self, ts, flow, attr):
        self.ts.append(ts)
        self.flow.append(flow)
        self.attr.append(attr)

    def order(self):
        """Packet indexes by time, ties in the order they were added."""
        return sorted(range(len(self.ts)), key=self.ts.__getitem__)


def pack_attr(direction, ip_len, flags):
    return direction | ip_len << 1 | flags << 17


def unpack_attr(attr):
    return attr & 1, (attr >> 1) & 0xffff, attr >> 17


def tcp_flags(i, n, direction):
    if i == 0:
        return TCP_SYN
    if i == 1 and direction == 1:
        return TCP_SYN | TCP_ACK
    if i == n - 1:
        return TCP_FIN | TCP_ACK
    return TCP_PSH | TCP_ACK if i % 3 == 0 else TCP_ACK


def add_flow_packets(rng, q, fi, flow, n, lifetime, start):
    """The n packets of flow fi over [start, start + lifetime] (microseconds)."""
    times = [start]
    if n >= 2:
        times += sorted(start + rng.randrange(lifetime + 1) for _ in range(n - 2))
        times.append(start + lifetime)
    lengths, weights = TCP_LENGTHS if flow.proto == PROTO_TCP else UDP_LENGTHS
    for i, ts in enumerate(times):
        direction = 0 if i == 0 else rng.getrandbits(1)
        ip_len = rng.choices(lengths, weights)[0]
        flags = tcp_flags(i, n, direction) if flow.proto == PROTO_TCP else 0
        q.add(ts, fi, pack_attr(direction, ip_len, flags))


def ipv4_header(src, dst, total_len, proto, frag=0):
    hdr = struct.pack('!BBHHHBBH4s4s', 0x45, 0, total_len, 0, frag, 64, proto, 0,
                      src.to_bytes(4, 'big'), dst.to_bytes(4, 'big'))
    words = sum(struct.unpack('!10H', hdr))
    words = (words & 0xffff) + (words >> 16)
    words = (words & 0xffff) + (words >> 16)
    return hdr[:10] + struct.pack('!H', ~words & 0xffff) + hdr[12:]


def flow_frame(flow, direction, ip_len, flags, seq, ack):
    """The captured bytes of a packet of the flow: headers only."""
    if direction == 0:
        macs = MAC_SERVER + MAC_CLIENT
        src, dst, sport, dport = flow.client, flow.server, flow.sport, flow.dport
    else:
        macs = MAC_CLIENT + MAC_SERVER
        src, dst, sport, dport = flow.server, flow.client, flow.dport, flow.sport
    eth = macs + struct.pack('!H', ETH_IPV4)
    if flow.proto == PROTO_TCP:
        l4 = struct.pack('!HHIIBBHHH', sport, dport, seq & 0xffffffff, ack & 0xffffffff,
                         5 << 4, flags, 65535, 0, 0)
    else:
        l4 = struct.pack('!HHHH', sport, dport, ip_len - 20, 0)
    return eth + ipv4_header(src, dst, ip_len, flow.proto) + l4


def junk_frame(kind, rng):
    eth = MAC_SERVER + MAC_CLIENT
    if kind == JUNK_ARP:
        return eth + struct.pack('!H', ETH_ARP) + bytes(28)
    src, dst = (10 << 24) | rng.randrange(1, 1 << 24), (192 << 24) | (168 << 16) | 1
    if kind == JUNK_SHORT:
        # an IPv4 header cut after 12 bytes
        return eth + struct.pack('!H', ETH_IPV4) + ipv4_header(src, dst, 40, PROTO_TCP)[:12]
    # a fragment at offset 1480: no ports
    return (eth + struct.pack('!H', ETH_IPV4) +
            ipv4_header(src, dst, 520, PROTO_UDP, frag=1480 // 8) + bytes(8))


class Expect:
    """What dpdk-conntrack counts on one queue, worked out packet by packet."""

    def __init__(self, timeout_us, ext_after):
        self.timeout_us, self.ext_after = timeout_us, ext_after
        self.clock = 0
        self.last = {}  # flow index -> its last packet's time
        self.count = {}  # flow index -> packets of its current incarnation
        self.c = {'packets': 0, 'tracked': 0, 'not_ipv4': 0, 'bad_ipv4': 0, 'ip_bytes': 0,
                  'created': 0, 'expired': 0, 'live_at_end': 0,
                  'hist': [0] * len(HIST_RECORDS)}
        # the packet count at which a TCP flow's history reaches each size
        self.hist_at = [ext_after]
        for records in HIST_RECORDS[:-1]:
            self.hist_at.append(ext_after + records)

    def junk(self, kind):
        self.c['packets'] += 1
        self.c['not_ipv4' if kind == JUNK_ARP else 'bad_ipv4'] += 1

    def packet(self, fi, ts, ip_len, tcp):
        c = self.c
        c['packets'] += 1
        c['tracked'] += 1
        c['ip_bytes'] += ip_len
        self.clock = max(self.clock, ts)
        last = self.last.get(fi)
        if last is not None and self.clock > last + self.timeout_us:
            c['expired'] += 1
            last = None
        if last is None:
            c['created'] += 1
            self.count[fi] = 0
            last = ts
        self.last[fi] = max(last, ts)
        n = self.count[fi] = self.count[fi] + 1
        if tcp and n in self.hist_at:
            c['hist'][self.hist_at.index(n)] += 1

    def finish(self):
        for last in self.last.values():
            key = 'expired' if self.clock > last + self.timeout_us else 'live_at_end'
            self.c[key] += 1
        self.c['last_us'] = self.clock
        return self.c


def write_queue(path, q, flows, expect, rng):
    """Write the queue's packets in time order, counting what the tracker will."""
    seq = {}
    with open(path, 'wb', buffering=1 << 20) as f:
        f.write(struct.pack('<IHHiIII', PCAP_MAGIC, 2, 4, 0, 0, 65535, LINKTYPE_ETHERNET))
        for i in q.order():
            ts, fi = q.ts[i], q.flow[i]
            if fi < 0:
                kind = -1 - fi
                frame = junk_frame(kind, rng)
                orig = len(frame)
                expect.junk(kind)
            else:
                flow = flows[fi]
                direction, ip_len, flags = unpack_attr(q.attr[i])
                s = seq.setdefault(fi, list(flow.isn))
                frame = flow_frame(flow, direction, ip_len, flags, s[direction],
                                   s[1 - direction])
                if flow.proto == PROTO_TCP:
                    s[direction] += max(ip_len - 40, 1)
                orig = 14 + ip_len
                expect.packet(fi, ts, ip_len, flow.proto == PROTO_TCP)
            f.write(struct.pack('<IIII', ts // 1000000, ts % 1000000, len(frame), orig))
            f.write(frame)
    return expect.finish()


def generate(args):
    rng = random.Random(args.seed)
    n_junk = int(round(args.packets * args.junk))
    n_tracked = args.packets - n_junk
    if n_tracked < args.flows:
        raise ValueError(f'{args.packets} packets ({n_junk} untrackable) cannot make '
                         f'{args.flows} flows of at least one packet')
    duration_us = int(args.duration * 1e6)
    start_us = args.start_time * 1000000
    flows = make_flows(rng, args.flows, args.tcp_share, args.queues)
    sizes = flow_sizes(rng, args.flow_size, args.flows, n_tracked)
    queues = [Queue() for _ in range(args.queues)]
    for fi, flow in enumerate(flows):
        n = sizes[fi]
        life = 0 if n == 1 else min(args.lifetime.sample(rng, args.lifetime_mean),
                                    args.duration)
        life_us = int(life * 1e6)
        start = start_us + rng.randrange(duration_us - life_us + 1)
        add_flow_packets(rng, queues[flow.queue], fi, flow, n, life_us, start)
    for j in range(n_junk):
        q = queues[rng.randrange(args.queues)]
        q.add(start_us + rng.randrange(duration_us + 1), -1 - j % 3, 0)

    os.makedirs(args.out_dir, exist_ok=True)
    timeout_us = args.timeout_ms * 1000
    result = {'packets': 0, 'tracked': 0, 'not_ipv4': 0, 'bad_ipv4': 0, 'ip_bytes': 0,
              'created': 0, 'expired': 0, 'live_at_end': 0, 'hist': [0] * len(HIST_RECORDS)}
    per_queue = []
    for qi, q in enumerate(queues):
        name = f'{args.prefix}-q{qi}.pcap'
        counts = write_queue(os.path.join(args.out_dir, name), q, flows,
                             Expect(timeout_us, args.ext_after), rng)
        per_queue.append(dict(counts, file=name))
        for k in result:
            if k == 'hist':
                result[k] = [a + b for a, b in zip(result[k], counts[k])]
            else:
                result[k] += counts[k]
    result.update({
        'flows': args.flows,
        'queues': per_queue,
        'timeout_us': timeout_us,
        'ext_after': args.ext_after,
        'hist_records': HIST_RECORDS,
        'arguments': {k: str(v) if isinstance(v, Dist) else v
                      for k, v in sorted(vars(args).items())},
    })
    with open(os.path.join(args.out_dir, f'{args.prefix}-expected.json'), 'w',
              encoding='utf-8') as f:
        json.dump(result, f, indent=1, sort_keys=True)
        f.write('\n')
    return result


def positive_int(s):
    v = int(s)
    if v < 1:
        raise argparse.ArgumentTypeError(f'{s} is not a positive number')
    return v


def share(s):
    v = float(s)
    if not 0.0 <= v <= 1.0:
        raise argparse.ArgumentTypeError(f'{s} is not between 0 and 1')
    return v


def dist(s):
    try:
        return Dist(s)
    except ValueError as e:
        raise argparse.ArgumentTypeError(str(e)) from None


def positive_float(s):
    v = float(s)
    if v <= 0:
        raise argparse.ArgumentTypeError(f'{s} is not above 0')
    return v


def parse_args(argv):
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument('--out-dir', required=True, help='folder to write the files to')
    ap.add_argument('--prefix', default='ct', help='file name prefix (default ct)')
    ap.add_argument('--queues', type=positive_int, default=2,
                    help='receive queues: one file each (default 2)')
    ap.add_argument('--flows', type=positive_int, default=20000,
                    help='connections (default 20000)')
    ap.add_argument('--packets', type=positive_int, default=200000,
                    help='packets in all (default 200000)')
    ap.add_argument('--duration', type=positive_float, default=60.0,
                    help='seconds of capture time (default 60)')
    ap.add_argument('--flow-size', type=dist, default=Dist('pareto:1.2'),
                    help='packets per connection: pareto[:SHAPE], lognormal[:SIGMA], exp '
                    'or fixed, with the mean packets / flows (default pareto:1.2)')
    ap.add_argument('--lifetime', type=dist, default=Dist('pareto:1.5'),
                    help='connection lifetime, same forms (default pareto:1.5)')
    ap.add_argument('--lifetime-mean', type=positive_float, default=4.0,
                    help='mean lifetime in seconds, before clipping to the duration '
                    '(default 4)')
    ap.add_argument('--tcp-share', type=share, default=0.7,
                    help='share of TCP connections, the rest UDP (default 0.7)')
    ap.add_argument('--junk', type=share, default=0.001,
                    help='share of frames that cannot be tracked (default 0.001)')
    ap.add_argument('--timeout-ms', type=positive_int, default=DEFAULT_TIMEOUT_MS,
                    help=f'the idle timeout dpdk-conntrack runs with (default '
                    f'{DEFAULT_TIMEOUT_MS})')
    ap.add_argument('--ext-after', type=positive_int, default=DEFAULT_EXT_AFTER,
                    help=f'dpdk-conntrack\'s --ext-after (default {DEFAULT_EXT_AFTER})')
    ap.add_argument('--start-time', type=int, default=DEFAULT_START,
                    help='capture start, seconds since the epoch (default 2026-01-01)')
    ap.add_argument('--seed', type=int, default=1, help='random seed (default 1)')
    ap.add_argument('-q', '--quiet', action='store_true', help='print nothing')
    return ap.parse_args(argv)


def main(argv=None):
    args = parse_args(argv)
    try:
        result = generate(args)
    except (ValueError, OSError) as e:
        print(f'ct_pcapgen: error: {e}', file=sys.stderr)
        return 1
    if not args.quiet:
        print(f'ct_pcapgen: {result["packets"]} packets in {args.queues} files under '
              f'{args.out_dir}: {result["created"]} flows created, {result["expired"]} '
              f'expired, {result["live_at_end"]} live at the end '
              f'(idle timeout {args.timeout_ms} ms)')
    return 0


if __name__ == '__main__':
    sys.exit(main())
