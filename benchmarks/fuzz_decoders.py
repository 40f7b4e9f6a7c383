#!/usr/bin/env python3
"""Fuzz vrrptop.wire.decode.decode_frame: mutated real adverts and random bytes.

    python benchmarks/fuzz_decoders.py [--frames 1000000] [--seed N]
    python benchmarks/fuzz_decoders.py --speed      # decode_frame calls/s only

Seeds are the VRRP/ARP/HSRP frames of tests/data plus hand-built VRRPv2/v3, CARP,
gratuitous ARP and NA frames re-wrapped in every supported link type. Each fuzzed
frame is a seed with a few bytes changed, cut short, extended, or pure random bytes.
Prints how many records of each kind came out, the malformed reasons, and frames/s.
Exits 1 if any exception escapes decode_frame or if its last-resort "internal decoder
error" record shows up (that means a decoder bug was caught, not avoided).
"""

from __future__ import annotations

import argparse
import random
import re
import struct
import sys
import time
from collections import Counter
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))

from scapy.utils import RawPcapNgReader, RawPcapReader  # noqa: E402

from vrrptop.wire.decode import clear_cache, decode_frame  # noqa: E402
from vrrptop.wire.records import Frame, Malformed  # noqa: E402

DATA = ROOT / "tests" / "data"
LINKTYPES = [0, 1, 12, 14, 101, 107, 108, 113, 228, 229, 276]


def _read(path: Path) -> list[tuple[int, bytes]]:
    with open(path, "rb") as f:
        ng = f.read(4) == b"\x0a\x0d\x0d\x0a"
    if ng:
        return [(m.linktype, d) for d, m in RawPcapNgReader(str(path))]  # type: ignore[attr-defined]
    reader = RawPcapReader(str(path))
    return [(reader.linktype, d) for d, _ in reader]


def _cksum(data: bytes) -> int:
    if len(data) % 2:
        data += b"\0"
    s = sum(struct.unpack(f"!{len(data) // 2}H", data))
    while s >> 16:
        s = (s & 0xFFFF) + (s >> 16)
    return ~s & 0xFFFF


def _ip4(payload: bytes, proto: int = 112, dst: bytes = bytes([224, 0, 0, 18])) -> bytes:
    hdr = struct.pack(
        "!BBHHHBBH4s4s",
        0x45,
        0xC0,
        20 + len(payload),
        1,
        0,
        255,
        proto,
        0,
        bytes([198, 51, 100, 2]),
        dst,
    )
    return hdr + payload


def _ip6(
    payload: bytes, nh: int = 112, dst: bytes = bytes.fromhex("ff02" + "00" * 13 + "12")
) -> bytes:
    src = bytes.fromhex("fe80" + "00" * 13 + "01")
    return struct.pack("!IHBB16s16s", 0x60000000, len(payload), nh, 255, src, dst) + payload


def _synthetic_ip_packets() -> list[tuple[int, bytes]]:
    """(ethertype, network packet) for each kind of record the decoder produces."""
    v2 = bytearray(
        struct.pack("!BBBBBBH4s8s", 0x21, 9, 100, 1, 1, 1, 0, bytes([203, 0, 113, 1]), b"password")
    )
    v2[6:8] = struct.pack("!H", _cksum(bytes(v2)))
    v3 = bytearray(struct.pack("!BBBBHH4s", 0x31, 10, 200, 1, 100, 0, bytes([203, 0, 113, 2])))
    v3[6:8] = struct.pack("!H", _cksum(bytes(v3)))  # the "v3-as-v2" variant
    v3_6 = struct.pack(
        "!BBBBHH16s", 0x31, 11, 50, 1, 100, 0, bytes.fromhex("20010db8" + "00" * 11 + "01")
    )
    carp = struct.pack("!BBBBBBHQ20s", 0x21, 5, 0, 7, 0, 1, 0, 42, b"\x11" * 20)
    arp = struct.pack(
        "!HHBBH6s4s6s4s",
        1,
        0x0800,
        6,
        4,
        2,
        b"\x00\x00\x5e\x00\x01\x09",
        bytes([203, 0, 113, 1]),
        b"\xff" * 6,
        bytes([203, 0, 113, 1]),
    )
    na = struct.pack("!BBHB3x16s", 136, 0, 0, 0x20, bytes.fromhex("20010db8" + "00" * 11 + "01"))
    na += b"\x02\x01\x00\x00\x5e\x00\x02\x0b"
    return [
        (0x0800, _ip4(bytes(v2))),
        (0x0800, _ip4(bytes(v2) + b"\xaa" * 20)),
        (0x0800, _ip4(bytes(v3))),
        (0x86DD, _ip6(v3_6)),
        (0x0800, _ip4(carp)),
        (0x0806, arp),
        (0x86DD, _ip6(na, nh=58, dst=bytes.fromhex("ff02" + "00" * 13 + "01"))),
    ]


def _wrap(linktype: int, etype: int, pkt: bytes) -> bytes | None:
    """Put a network packet inside ``linktype``'s header (None if it cannot carry it)."""
    mac = b"\x00\x00\x5e\x00\x01\x09"
    et = struct.pack("!H", etype)
    if linktype == 1:
        return b"\x01\x00\x5e\x00\x00\x12" + mac + b"\x81\x00\x00\x24" + et + pkt
    if linktype == 113:
        return struct.pack("!HHH8s", 2, 1, 6, mac + b"\0\0") + et + pkt
    if linktype == 276:
        return et + b"\0\0" + struct.pack("!IHBB8s", 2, 1, 2, 6, mac + b"\0\0") + pkt
    if etype == 0x0806:
        return None
    if linktype in (0, 108):
        return struct.pack("<I", 2 if etype == 0x0800 else 24) + pkt
    if linktype == 107:
        return b"\x18\x41\x03" + (b"\xcc" if etype == 0x0800 else b"\x8e") + pkt
    if linktype == 228 and etype != 0x0800 or linktype == 229 and etype != 0x86DD:
        return None
    return pkt


def seeds() -> list[tuple[int, bytes]]:
    """Real frames from tests/data plus synthetic ones in every link type."""
    out: list[tuple[int, bytes]] = []
    for path in sorted(DATA.glob("*.pcap")) + sorted(DATA.glob("*.pcapng")):
        out.extend(_read(path))
    for etype, pkt in _synthetic_ip_packets():
        for lt in LINKTYPES:
            data = _wrap(lt, etype, pkt)
            if data is not None:
                out.append((lt, data))
    return out


def mutate(rng: random.Random, lt: int, data: bytes) -> tuple[int, bytes]:
    """One fuzzed frame derived from a seed."""
    r = rng.random()
    if r < 0.08:
        return rng.choice(LINKTYPES + [105, 9999]), rng.randbytes(rng.randrange(0, 120))
    buf = bytearray(data)
    if r < 0.6 and buf:
        for _ in range(rng.randrange(1, 5)):
            i = rng.randrange(len(buf))
            buf[i] = rng.choice((0, 0xFF, rng.randrange(256), buf[i] ^ (1 << rng.randrange(8))))
    elif r < 0.8:
        buf = buf[: rng.randrange(0, len(buf) + 1)]
    elif r < 0.9:
        buf += rng.randbytes(rng.randrange(1, 40))
    else:
        i = rng.randrange(len(buf) + 1)
        buf[i : i + rng.randrange(0, 8)] = rng.randbytes(rng.randrange(0, 8))
    if rng.random() < 0.05:
        lt = rng.choice(LINKTYPES)
    return lt, bytes(buf)


def _rate(frames: list[Frame], rounds: int = 3) -> float:
    """Best decodes per CPU second over a few rounds (CPU time: the host may be busy)."""
    best = 0.0
    for _ in range(rounds):
        clear_cache()
        t = time.process_time()
        for f in frames:
            decode_frame(f)
        best = max(best, len(frames) / max(time.process_time() - t, 1e-9))
    return best


def speed(n: int) -> None:
    """Print decode_frame calls/s on a repeated advert (cache hits) and on unique ones."""
    lt, data = _read(DATA / "tcpdump_vrrp.pcap")[0]
    rep = _rate([Frame(float(i), lt, data) for i in range(n)])
    # keepalived-style: the IPv4 ID changes on every advert; must still hit the cache.
    ids = []
    for i in range(n):
        b = bytearray(data)
        b[18:20] = struct.pack("!H", i & 0xFFFF)
        ids.append(Frame(float(i), lt, bytes(b)))
    rep_id = _rate(ids)
    # Unique: vary the IP source and priority so no two frames share a cache key.
    uniq = []
    for i in range(n):
        b = bytearray(data)
        b[28:30] = struct.pack("!H", i & 0xFFFF)  # IPv4 source, low half
        b[27] = (i >> 16) & 0xFF
        b[36] = i & 0xFF  # VRRP priority
        uniq.append(Frame(float(i), lt, bytes(b)))
    uni = _rate(uniq)
    print(f"repeated advert (cache hit):       {rep:,.0f} decodes/s ({1e6 / rep:.2f} us each)")
    print(f"repeated, IP ID changing (hit):    {rep_id:,.0f} decodes/s ({1e6 / rep_id:.2f} us)")
    print(f"unique adverts (miss, new source): {uni:,.0f} decodes/s ({1e6 / uni:.2f} us each)")


def main(argv: list[str] | None = None) -> int:
    """Run the fuzzer; 0 when nothing escaped, 1 otherwise."""
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--frames", type=int, default=1_000_000)
    ap.add_argument("--seed", type=int, default=1)
    ap.add_argument("--speed", action="store_true", help="measure decode speed and exit")
    args = ap.parse_args(argv)
    if args.speed:
        speed(min(args.frames, 200_000))
        return 0
    rng = random.Random(args.seed)
    pool = seeds()
    kinds: Counter[str] = Counter()
    reasons: Counter[str] = Counter()
    escaped: list[str] = []
    internal: list[str] = []
    start = time.perf_counter()
    for n in range(args.frames):
        lt, data = mutate(rng, *rng.choice(pool))
        try:
            rec = decode_frame(Frame(float(n), lt, data))
        except BaseException as e:  # noqa: BLE001 - counting is the point
            escaped.append(f"{type(e).__name__}: {e} linktype={lt} data={data.hex()}")
            continue
        kinds[type(rec).__name__] += 1
        if isinstance(rec, Malformed):
            if rec.reason.startswith("internal decoder error"):
                internal.append(f"{rec.reason} linktype={lt} data={data.hex()}")
            reasons[f"{rec.proto}: {re.sub(r'[0-9]+', 'N', rec.reason)}"] += 1
        if n % 50_000 == 0:
            clear_cache()  # keep cold decodes in the mix
    elapsed = time.perf_counter() - start
    print(
        f"{args.frames} frames from {len(pool)} seeds in {elapsed:.1f} s: "
        f"{args.frames / elapsed:,.0f} frames/s (mutation included)"
    )
    for kind, count in kinds.most_common():
        print(f"  {kind:10} {count}")
    print("malformed reasons:")
    for reason, count in reasons.most_common():
        print(f"  {count:8}  {reason}")
    for line in (escaped + internal)[:20]:
        print("FAIL", line)
    print(f"escaped exceptions: {len(escaped)}, internal decoder errors: {len(internal)}")
    return 1 if escaped or internal else 0


if __name__ == "__main__":
    sys.exit(main())
