"""Floods through the real decoder into the Tracker: the caps in ``model.caps`` hold.

Frames are built independently of the decoder (by hand from the RFCs with ``struct``,
or with scapy), at flood scale: 50,000 junk proto-112 frames, GARPs/NAs for thousands
of addresses, adverts from thousands of sources and (VRID, family) keys, thousands of
master changes.  Memory is checked with tracemalloc: the second half of a flood must
not grow the heap like the first half did.
"""

from __future__ import annotations

import random
import socket
import struct
import tracemalloc
from collections import defaultdict
from collections.abc import Callable, Iterable
from dataclasses import replace

import pytest

from vrrptop.model.caps import (
    MAX_HISTORY,
    MAX_INSTANCES,
    MAX_MALFORMED_REASONS,
    MAX_SOURCES,
    MAX_VIP_HOLDERS,
)
from vrrptop.model.events import Event
from vrrptop.model.stats import RECENT_GAPS
from vrrptop.model.tracker import MALFORMED_EVENT_EVERY_S, Tracker
from vrrptop.wire import ip
from vrrptop.wire.decode import CACHE_MAX, decode_frame
from vrrptop.wire.records import Advert, Carp, Frame, Malformed

ETHERNET = 1
T0 = 1_700_000_000.0
MAC = bytes.fromhex("020000000002")


def _ip_checksum(header: bytes) -> int:
    total = sum(struct.unpack(f"!{len(header) // 2}H", header))
    while total >> 16:
        total = (total & 0xFFFF) + (total >> 16)
    return ~total & 0xFFFF


def ipv4_frame(src: str, dst: str, proto: int, payload: bytes, ttl: int = 255) -> bytes:
    """Ethernet + a 20-byte IPv4 header (RFC 791, correct checksum) + ``payload``."""
    hdr = struct.pack(
        "!BBHHHBBH4s4s", 0x45, 0, 20 + len(payload), 1, 0, ttl, proto, 0,
        socket.inet_aton(src), socket.inet_aton(dst),
    )  # fmt: skip
    hdr = hdr[:10] + struct.pack("!H", _ip_checksum(hdr)) + hdr[12:]
    eth = bytes.fromhex("01005e000012") + MAC + b"\x08\x00"
    return eth + hdr + payload


def vrrp2_advert(src: str, vrid: int, priority: int, vip: str) -> bytes:
    """A VRRPv2 advert (RFC 3768 section 5.1), no auth, checksum over the message."""
    msg = struct.pack("!BBBBBBH", 0x21, vrid, priority, 1, 0, 1, 0) + socket.inet_aton(vip)
    msg += b"\0" * 8
    msg = msg[:6] + struct.pack("!H", _ip_checksum(msg)) + msg[8:]
    return ipv4_frame(src, "224.0.0.18", 112, msg)


def garp_frame(address: str) -> bytes:
    """A gratuitous ARP request (RFC 826/5227): sender and target are ``address``."""
    ip = socket.inet_aton(address)
    arp = struct.pack("!HHBBH6s4s6s4s", 1, 0x0800, 6, 4, 1, MAC, ip, b"\0" * 6, ip)
    return b"\xff" * 6 + MAC + b"\x08\x06" + arp


def feed(
    tracker: Tracker, frames: Iterable[tuple[float, bytes]], on_event: Callable[[Event], None]
) -> dict[type, int]:
    """Decode and apply every frame as the engine does; returns record counts by type."""
    counts: dict[type, int] = defaultdict(int)
    for ts, data in frames:
        tracker.count_frame()
        rec = decode_frame(Frame(ts, ETHERNET, data, len(data)))
        counts[type(rec)] += 1
        if rec is not None:
            for ev in tracker.apply(rec, ts):
                on_event(ev)
    return counts


def heap_growth(step: Callable[[int], None], halves: int = 2) -> list[int]:
    """Run ``step(i)`` for each half under tracemalloc; the heap growth of each half."""
    tracemalloc.start()
    try:
        growth = []
        for i in range(halves):
            before = tracemalloc.get_traced_memory()[0]
            step(i)
            growth.append(tracemalloc.get_traced_memory()[0] - before)
        return growth
    finally:
        tracemalloc.stop()


# -- junk on IP protocol 112 -------------------------------------------------------------


def junk_frames(n: int, rate: float, seed: int) -> list[tuple[float, bytes]]:
    """``n`` proto-112 frames with random payloads (0..80 bytes) at ``rate`` frames/s.

    A third get a VRRP-looking first byte (version 2/3, type 1) so the decoder goes
    deeper than the version check; every frame is distinct (random source addresses).
    """
    rnd = random.Random(seed)
    out = []
    for i in range(n):
        payload = bytearray(rnd.randbytes(rnd.randrange(0, 81)))
        if payload and i % 3 == 0:
            payload[0] = rnd.choice((0x21, 0x31))
        src = f"198.51.100.{rnd.randrange(1, 255)}"
        out.append((T0 + i / rate, ipv4_frame(src, "224.0.0.18", 112, bytes(payload))))
    return out


def test_junk_flood_counts_every_malformed_frame_and_rate_limits_events() -> None:
    n, rate = 50_000, 25_000.0  # two seconds of packet time
    frames = junk_frames(n, rate, seed=112)
    tracker = Tracker()
    events: list[Event] = []
    counts = feed(tracker, frames, events.append)
    snap = tracker.snapshot(frames[-1][0])
    c = snap.counters
    assert c.frames == n
    assert counts.get(type(None), 0) == 0  # proto 112 to 224.0.0.18 is always ours
    assert counts[Malformed] > n // 2  # random bytes are mostly not VRRP
    assert set(counts) <= {Malformed, Advert, Carp}
    assert c.malformed == counts[Malformed]
    assert c.adverts == counts[Advert]
    assert c.carp == counts[Carp]
    reasons = snap.malformed_reasons
    assert sum(reasons.values()) == c.malformed
    assert len(reasons) <= MAX_MALFORMED_REASONS + 1  # + "other"
    assert len(snap.instances) <= MAX_INSTANCES
    # Events: at most one per reason per second of packet time.
    malformed_events = [e for e in events if e.kind == "malformed"]
    span = frames[-1][0] - frames[0][0]
    per_reason = int(span / MALFORMED_EVENT_EVERY_S) + 1
    assert 0 < len(malformed_events) <= len(reasons) * per_reason
    last: dict[str, float] = {}
    for e in malformed_events:
        r = e.detail["reason"]
        assert e.ts - last.get(r, float("-inf")) >= MALFORMED_EVENT_EVERY_S
        last[r] = e.ts
    # Junk that parses as VRRP (bad checksum) is tracked, within the caps.
    assert all(len(i.sources) <= MAX_SOURCES for i in snap.instances)
    assert c.checksum_errors == c.adverts


def test_malformed_reasons_beyond_the_cap_count_as_other() -> None:
    tracker = Tracker()
    n = 1000
    events = []
    for i in range(n):
        events += tracker.apply(Malformed(T0, f"reason {i}", "198.51.100.1"), T0)
    snap = tracker.snapshot(T0)
    reasons = snap.malformed_reasons
    assert len(reasons) == MAX_MALFORMED_REASONS + 1
    assert reasons["other"] == n - MAX_MALFORMED_REASONS
    assert sum(reasons.values()) == snap.counters.malformed == n
    assert len(events) == MAX_MALFORMED_REASONS + 1  # one per distinct reason in 1 s


# -- GARP / unsolicited NA floods ------------------------------------------------------------


def na_frames(addresses: list[str]) -> list[bytes]:
    """Unsolicited NAs (RFC 4861 7.2.6) for ``addresses``, built with scapy."""
    from scapy.layers.inet6 import ICMPv6ND_NA, ICMPv6NDOptDstLLAddr, IPv6
    from scapy.layers.l2 import Ether

    mac = "02:00:00:00:00:02"
    return [
        bytes(
            Ether(src=mac, dst="33:33:00:00:00:01")
            / IPv6(src="fe80::2", dst="ff02::1", hlim=255)
            / ICMPv6ND_NA(tgt=a, R=0, S=0, O=1)
            / ICMPv6NDOptDstLLAddr(lladdr=mac)
        )
        for a in addresses
    ]


def test_garp_flood_for_thousands_of_addresses_is_capped_and_counted() -> None:
    v4 = [f"{net}.{h}" for net in ("198.51.100", "203.0.113") for h in range(1, 255)]
    v6 = [f"2001:db8:6::{i:x}" for i in range(1, 4001)]
    frames = [garp_frame(a) for a in v4] + na_frames(v6)
    tracker = Tracker()
    # A master whose VIP is the last address announced: its holder must survive.
    vip = v6[-1]
    from scapy.layers.inet6 import IPv6
    from scapy.layers.l2 import Ether
    from scapy.layers.vrrp import VRRPv3

    advert = bytes(
        Ether(src="02:00:00:00:00:03", dst="33:33:00:00:00:12")
        / IPv6(src="fe80::3", dst="ff02::12", hlim=255)
        / VRRPv3(vrid=7, priority=200, ipcount=1, addrlist=[vip], adv=100)
    )
    feed(tracker, [(T0, advert)], lambda e: None)
    events: list[Event] = []
    stamped = [(T0 + 0.001 * (i + 1), f) for i, f in enumerate(frames)]
    half = len(stamped) // 2

    def step(h: int) -> None:
        feed(tracker, stamped[:half] if h == 0 else stamped[half:], events.append)
        # The decoder's own bounded cache of address strings (8192) is not the
        # tracker's: empty it so only the tracker's growth is measured.
        ip._ntop_cache.clear()

    growth = heap_growth(step)
    now = stamped[-1][0]
    snap = tracker.snapshot(now)
    distinct = len(v4) + len(v6)
    assert snap.counters.garps == distinct
    assert snap.counters.malformed == 0
    holders = tracker._holders  # white box: the table the cap is about
    assert len(holders) <= MAX_VIP_HOLDERS
    # Every address was inserted once: each is either still held or was evicted.
    assert snap.counters.evicted == distinct - len(holders)
    assert snap.counters.evicted >= distinct - MAX_VIP_HOLDERS
    # Least recently seen go first: the newest announcements are all still there.
    assert all((a, None) in holders for a in v6[-MAX_VIP_HOLDERS // 2 :])  # (address, VLAN)
    assert (v4[0], None) not in holders
    (inst,) = snap.instances
    assert [h.address for h in inst.vip_holders] == [vip]
    # Only the VIP is news (the master, silent since, is reported lost: not our point).
    assert [e.detail["address"] for e in events if e.kind == "vip-announced"] == [vip]
    assert growth[1] < 64 * 1024, growth  # table full: churn, not growth


# -- many sources, many instances, long histories --------------------------------------------


def test_thousands_of_sources_for_one_vrid_keep_the_master() -> None:
    tracker = Tracker()
    master = "198.51.100.254"
    frames = [(T0, vrrp2_advert(master, 9, 255, "203.0.113.9"))]
    # Backups (lower priority) from every documentation IPv4 address, each once.
    srcs = [f"{net}.{h}" for net in ("198.51.100", "203.0.113") for h in range(1, 254)]
    for i, src in enumerate(srcs):
        ts = T0 + 0.01 * (i + 1)
        frames.append((ts, vrrp2_advert(src, 9, 100, "203.0.113.9")))
        if i % 50 == 0:  # the master keeps advertising (it must never be evicted)
            frames.append((ts + 0.001, vrrp2_advert(master, 9, 255, "203.0.113.9")))
    feed(tracker, frames, lambda e: None)
    # Beyond the address plan above: distinct sources as records (same bytes otherwise).
    base = decode_frame(Frame(T0, ETHERNET, frames[1][1], len(frames[1][1])))
    assert type(base) is Advert
    now = frames[-1][0]
    extra = 4000

    def more(half: int) -> None:
        nonlocal now
        for i in range(half * extra // 2, (half + 1) * extra // 2):
            now += 0.01
            tracker.apply(replace(base, src=f"2001:db8:5::{i:x}", ts=now), now)
            if i % 50 == 0:
                tracker.apply(replace(base, src=master, priority=255, ts=now), now)

    # The table is full: fresh sources replace old ones, the heap stays flat.
    growth = heap_growth(more)
    snap = tracker.snapshot(now)
    (inst,) = snap.instances
    assert len(inst.sources) <= MAX_SOURCES
    assert inst.master == master
    assert master in {s.src for s in inst.sources}
    distinct = 1 + len(srcs) + extra
    assert snap.counters.evicted == distinct - len(inst.sources)
    assert len(inst.gaps.recent) <= RECENT_GAPS
    assert max(growth) < 256 * 1024, growth


def test_every_vrid_and_family_on_the_wire_fits_without_eviction() -> None:
    from scapy.layers.inet6 import IPv6
    from scapy.layers.l2 import Ether
    from scapy.layers.vrrp import VRRPv3

    frames = []
    for vrid in range(1, 256):
        frames.append((T0, vrrp2_advert("198.51.100.1", vrid, 100, f"203.0.113.{vrid}")))
        frames.append((T0, bytes(
            Ether(src="02:00:00:00:00:04", dst="33:33:00:00:00:12")
            / IPv6(src="fe80::4", dst="ff02::12", hlim=255)
            / VRRPv3(vrid=vrid, priority=100, ipcount=1, addrlist=[f"2001:db8::{vrid:x}"])
        )))  # fmt: skip
    tracker = Tracker()
    feed(tracker, frames * 4, lambda e: None)
    snap = tracker.snapshot(T0)
    assert len(snap.instances) == 510 <= MAX_INSTANCES
    assert snap.counters.evicted == 0
    assert snap.counters.adverts == 4 * 510


def test_instance_table_cap_under_thousands_of_keys() -> None:
    """Keys beyond the wire's 510 (records only) exercise the instance cap at scale."""
    data = vrrp2_advert("198.51.100.1", 1, 100, "203.0.113.1")
    base = decode_frame(Frame(T0, ETHERNET, data, len(data)))
    assert type(base) is Advert
    tracker = Tracker()
    n = 5000

    def step(h: int) -> None:
        for v in range(h * n // 2, (h + 1) * n // 2):
            tracker.apply(replace(base, vrid=v, ts=T0 + v * 0.001), T0 + v * 0.001)

    growth = heap_growth(step)
    snap = tracker.snapshot(T0 + n * 0.001)
    assert len(snap.instances) <= MAX_INSTANCES
    assert snap.counters.evicted == n - len(snap.instances)
    # The most recent keys survive.
    assert {i.vrid for i in snap.instances} >= set(range(n - MAX_INSTANCES // 2, n))
    assert growth[1] < growth[0], growth


@pytest.mark.parametrize("terms", [MAX_HISTORY + 1, 5000])
def test_long_master_history_is_a_ring_of_the_newest_terms(terms: int) -> None:
    """Two routers taking turns (the master resigns, the other takes over) ``terms`` times."""
    a = vrrp2_advert("198.51.100.1", 33, 100, "203.0.113.33")
    base = decode_frame(Frame(T0, ETHERNET, a, len(a)))
    assert type(base) is Advert
    srcs = ("198.51.100.1", "198.51.100.2")
    tracker = Tracker()
    now = T0
    for i in range(terms):
        now += 1.0
        tracker.apply(replace(base, src=srcs[i % 2], ts=now), now)
        now += 0.5
        tracker.apply(replace(base, src=srcs[i % 2], priority=0, ts=now), now)  # resign
    snap = tracker.snapshot(now)
    (inst,) = snap.instances
    assert len(inst.masters) == min(terms, MAX_HISTORY)
    # The newest terms, oldest first, alternating, ending with the last router.
    assert inst.masters[-1].src == srcs[(terms - 1) % 2]
    assert all(x.src != y.src for x, y in zip(inst.masters, inst.masters[1:], strict=False))
    assert [t.since for t in inst.masters] == sorted(t.since for t in inst.masters)
    assert inst.masters[-1].since == pytest.approx(now - 0.5)
    assert inst.masters[0].since == pytest.approx(T0 + 1.5 * (terms - len(inst.masters)) + 1.0)


def test_decoder_cache_stays_bounded_under_distinct_adverts() -> None:
    """Every advert distinct (source addresses): the advert cache never outgrows its cap."""
    from vrrptop.wire import decode

    decode.clear_cache()
    srcs = [f"{net}.{h}" for net in ("198.51.100", "203.0.113") for h in range(1, 255)]
    tracker = Tracker()
    frames = [
        (T0 + i * 0.0001, vrrp2_advert(s, vrid, 100, "203.0.113.77"))
        for vrid in range(1, 41)
        for i, s in enumerate(srcs)
    ]
    assert len(frames) > CACHE_MAX
    feed(tracker, frames, lambda e: None)
    assert len(decode._cache) <= CACHE_MAX
    assert tracker.snapshot(frames[-1][0]).counters.adverts == len(frames)


def test_a_trunk_of_2000_instances_is_tracked_without_evictions_or_false_masters() -> None:
    """8 VLANs x 250 VRIDs, one master each, for 5 s: one new master per instance and
    nothing evicted. At a cap of 1,024 instances, the oldest were evicted and made
    anew at their next advert: a false new-master event every few milliseconds."""
    data = vrrp2_advert("198.51.100.1", 1, 100, "203.0.113.1")
    base = decode_frame(Frame(T0, ETHERNET, data, len(data)))
    assert type(base) is Advert
    keys = [(vlan, vrid) for vlan in range(10, 18) for vrid in range(1, 251)]
    assert len(keys) == 2000
    tracker = Tracker()
    events: list[Event] = []
    now = T0
    for _ in range(5):
        for vlan, vrid in keys:
            now += 1.0 / len(keys)
            events += tracker.apply(replace(base, vrid=vrid, vlan=vlan, ts=now), now)
    snap = tracker.snapshot(now)
    assert len(snap.instances) == 2000 and snap.counters.evicted == 0
    assert sum(e.kind == "new-master" for e in events) == 2000
