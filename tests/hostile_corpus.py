"""A corpus of hostile capture files, generated: every lie a pcap can tell.

``corpus()`` yields (name, file bytes). It covers truncation at every byte offset
(classic, nanosecond big-endian, pcapng with a Simple Packet Block), lying record
lengths and snap lengths, lying IP lengths and VRRP address counts, IPv6
extension-header chains (0-40 headers, cut), Simple Packet Blocks in odd places,
timestamps that go backwards or are huge, nanosecond and big-endian files, and
stacked VLAN tags. ``tests/unit/test_hostile_corpus.py`` replays each through the
real replay path; ``python -m tests.hostile_corpus DIR`` writes them out.
"""

from __future__ import annotations

import struct
import sys
from collections.abc import Iterator
from pathlib import Path

from tests import pcapgen as g

T0 = 1_700_000_000.0
PASSWORD = b"s3cretpw"


def _base_frames() -> list[bytes]:
    return [
        g.advert4(vrid=1, priority=200, auth_type=1, auth=PASSWORD),
        g.advert6(vrid=2, ext=2),
        g.ether(g.ipv4(g.vrrp3(vrid=3)), vlans=[36]),
    ]


def truncations() -> Iterator[tuple[str, bytes]]:
    """Each small file cut at every offset."""
    frames = _base_frames()
    files = {
        "classic": g.pcap([(T0 + i, f) for i, f in enumerate(frames)]),
        "nano-be": g.pcap([(T0 + i, f) for i, f in enumerate(frames)], nano=True, big=True),
        "ng-spb": g.pcapng_shb()
        + g.pcapng_idb()
        + g.pcapng_epb(T0, frames[0])
        + g.pcapng_spb(frames[1])
        + g.pcapng_epb(T0 + 2, frames[2]),
    }
    for kind, data in files.items():
        for cut in range(len(data)):
            yield f"cut-{kind}-{cut}", data[:cut]


def lying_records() -> Iterator[tuple[str, bytes]]:
    """Record and snap lengths that do not match the bytes."""
    f = g.advert4()
    n = len(f)
    for caplen in (0, 1, n - 1, n + 1, n + 1000, 0x3FFFFFF, 0x4000001, 0xFFFFFFFF):
        yield f"caplen-{caplen}", g.pcap([], raw=[(int(T0), 0, caplen, n, f)])
    for wirelen in (0, 1, n - 1, 0xFFFFFFFF):
        yield f"wirelen-{wirelen}", g.pcap([], raw=[(int(T0), 0, n, wirelen, f)])
    for snaplen in (0, 1, 14, 34, 0xFFFFFFFF):
        yield f"snaplen-{snaplen}", g.pcap([(T0, f)], snaplen=snaplen)


def lying_packets() -> Iterator[tuple[str, bytes]]:
    """IP total lengths and VRRP address counts that lie, per auth type."""
    msg = g.vrrp2(auth_type=1, auth=PASSWORD)
    for total in (0, 19, 20, 27, 28, 40, 1500, 65535):
        frame = g.ether(g.ipv4(msg, total=total))
        yield f"iptotal-{total}", g.pcap([(T0, frame)])
    one = [bytes((198, 51, 100, 50))]
    for auth_type in (0, 1, 2, 7):
        # Auth type 0 carries no password (RFC 3768: the field is zero; tcpdump and
        # tshark read a short type-0 message by its count): its field is filler.
        auth = PASSWORD if auth_type else b"filler!!"
        for count in (0, 1, 2, 3, 4, 7, 255):
            frame = g.advert4(addresses=one, count=count, auth_type=auth_type, auth=auth)
            yield f"count-{auth_type}-{count}", g.pcap([(T0, frame)])
            short = g.ether(g.ipv4(bytes((0x21, 9, 100, count, auth_type, 1, 0, 0)) + one[0]))
            yield f"count-short-{auth_type}-{count}", g.pcap([(T0, short)])
    for count in (0, 2, 255):
        msg3 = bytes((0x31, 9, 100, count, 0, 100, 0, 0)) + bytes(4)
        yield f"v3count-{count}", g.pcap([(T0, g.ether(g.ipv4(msg3)))])


def extension_chains() -> Iterator[tuple[str, bytes]]:
    """IPv6 extension-header chains, whole and cut."""
    for ext in (0, 1, 2, 8, 15, 16, 17, 18, 40):
        frame = g.advert6(ext=ext)
        yield f"ext-{ext}", g.pcap([(T0, frame)])
        yield f"ext-{ext}-cut", g.pcap([(T0, frame[: 14 + 40 + 8 * ext - 3])])
    # A header claiming to be huge.
    frame = bytearray(g.advert6(ext=1))
    frame[14 + 40 + 1] = 255
    yield "ext-huge", g.pcap([(T0, bytes(frame))])


def simple_packet_blocks() -> Iterator[tuple[str, bytes]]:
    """SPBs alone, before any interface, lying about their length."""
    f = g.advert4()
    yield "spb-only", g.pcapng_shb() + g.pcapng_idb() + g.pcapng_spb(f) * 5
    yield "spb-before-idb", g.pcapng_shb() + g.pcapng_spb(f) + g.pcapng_idb()
    body = struct.pack("<I", 0xFFFFFFFF) + f + b"\0" * (-len(f) % 4)
    yield "spb-lying-len", g.pcapng_shb() + g.pcapng_idb() + g._block(3, body)
    yield "spb-big-endian", g.pcapng_shb(True) + g.pcapng_idb(big=True) + g.pcapng_spb(f, True)
    bad_iface = g.pcapng_epb(T0, f, iface=7)
    yield "epb-unknown-iface", g.pcapng_shb() + g.pcapng_idb() + bad_iface
    for total in (0, 4, 13, 0x7FFFFFFF):
        yield f"ng-blocklen-{total}", g.pcapng_shb() + struct.pack("<II", 6, total) + b"\0" * 16
    opt = struct.pack("<HHB3x", 9, 1, 0xFF) + struct.pack("<HH", 0, 0)  # tsresol 2^-127
    idb = g._block(1, struct.pack("<HHI", 1, 0, 0) + opt)
    yield "ng-tsresol-ff", g.pcapng_shb() + idb + g.pcapng_epb(T0, f)


def timestamps() -> Iterator[tuple[str, bytes]]:
    """Backwards, huge and invalid timestamps, in every byte order and precision."""
    f = g.advert4(vrid=1, priority=200)
    steps = [(T0 + i - (4295.0 if i % 7 == 3 else 0.0), f) for i in range(40)]
    for nano in (False, True):
        for big in (False, True):
            yield f"back-{nano}-{big}", g.pcap(steps, nano=nano, big=big)
    raw = [(0xFFFFFFFF, 999_999, len(f), len(f), f), (0, 0, len(f), len(f), f),
           (int(T0), 0xFFFFFFFF, len(f), len(f), f)]  # fmt: skip
    yield "ts-huge", g.pcap([], raw=raw)
    yield "ts-huge-nano", g.pcap([], raw=raw, nano=True)
    ng = [g.pcapng_shb(), g.pcapng_idb()]
    ng += [g.pcapng_epb(ts, data) for ts, data in steps]
    ng.append(g.pcapng_epb(2.0**63 / 1e6, f))
    yield "ng-back-huge", b"".join(ng)


def vlans() -> Iterator[tuple[str, bytes]]:
    """Stacked 802.1Q / 802.1ad tags, whole and cut after a tag."""
    for depth in range(1, 7):
        frame = g.ether(g.ipv4(g.vrrp2()), vlans=list(range(10, 10 + depth)))
        yield f"vlan-{depth}", g.pcap([(T0, frame)])
        yield f"vlan-{depth}-cut", g.pcap([(T0, frame[: 14 + 4 * depth])])


def corpus() -> Iterator[tuple[str, bytes]]:
    """Every hostile file, named."""
    for gen in (truncations, lying_records, lying_packets, extension_chains,
                simple_packet_blocks, timestamps, vlans):  # fmt: skip
        yield from gen()


def main(argv: list[str]) -> int:
    """Write the corpus to a directory (to feed it to other tools)."""
    out = Path(argv[0] if argv else "hostile-corpus")
    out.mkdir(parents=True, exist_ok=True)
    n = 0
    for name, data in corpus():
        (out / f"{name}.pcap").write_bytes(data)
        n += 1
    print(f"{n} files in {out}")
    return 0


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
