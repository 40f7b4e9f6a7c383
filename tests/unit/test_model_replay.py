"""Replay third-party captures through the decoder and the tracker (skips without them).

The expected story comes from ../shared/captures/SOURCES.md (an independent decode),
not from our own output.
"""

from __future__ import annotations

from contextlib import closing
from pathlib import Path

import pytest

from vrrptop.model.events import Event
from vrrptop.model.tracker import Tracker
from vrrptop.wire.records import Frame

CAPTURES = Path(__file__).resolve().parents[2] / "../shared/captures"
decode = pytest.importorskip("vrrptop.wire.decode")


def replay(name: str) -> tuple[Tracker, list[Event], float]:
    """Feed every frame of a pcap to a fresh tracker at its capture time."""
    path = CAPTURES / name
    if not path.exists():
        pytest.skip(f"{path} not available")
    from scapy.utils import RawPcapReader

    t = Tracker()
    events: list[Event] = []
    ts = 0.0
    with closing(RawPcapReader(str(path))) as reader:  # scapy 2.5 (Debian 12) has no __enter__
        for data, meta in reader:
            ts = meta.sec + meta.usec / 1e6
            t.count_frame()
            rec = decode.decode_frame(Frame(ts, reader.linktype, data))
            if rec is not None:
                events += t.apply(rec, ts)
    return t, events, ts


def test_packetlife_failover_story() -> None:
    t, ev, end = replay("packetlife_VRRP_failover.cap")
    story = [(e.kind, e.detail.get("src")) for e in ev]
    assert story == [
        ("new-master", "192.168.0.10"),
        ("master-lost", "192.168.0.10"),
        ("new-master", "192.168.0.30"),
        ("contention", "192.168.0.20"),  # both backups claimed master; .30 has the higher IP
    ]
    first, lost, takeover, contention = ev
    assert first.detail["priority"] == 200
    # Lost exactly one Master_Down_Interval (3 + 56/256 s) after .10's last advert.
    assert lost.ts - lost.detail["last_seen"] == pytest.approx(3 + 56 / 256)
    assert takeover.detail["previous"] == "192.168.0.10"
    assert takeover.detail["priority"] == 100 and takeover.detail["reason"] == "failover"
    assert takeover.detail["gap_s"] == pytest.approx(3.6, abs=0.1)
    assert contention.detail["master"] == "192.168.0.30"
    snap = t.snapshot(end)
    iv = snap.instances[0]
    assert (iv.vrid, iv.family, iv.master, iv.priority, iv.state) == (
        1,
        4,
        "192.168.0.30",
        100,
        "ok",
    )
    assert [m.src for m in iv.masters] == ["192.168.0.10", "192.168.0.30"]
    assert iv.addresses == ("192.168.0.1",) and iv.gaps.count == 19
    assert iv.gaps.avg == pytest.approx(1.0, abs=0.02)
    assert {s.src: s.adverts for s in iv.sources} == {
        "192.168.0.10": 11,
        "192.168.0.30": 20,
        "192.168.0.20": 1,
    }
    # All three share the virtual MAC 00:00:5e:00:01:01: still three hosts.
    assert len(snap.hosts) == 3
    assert (snap.counters.frames, snap.counters.adverts) == (32, 32)


def test_packetlife_preempt_story() -> None:
    _, ev, _ = replay("packetlife_VRRP_preempt.cap")
    assert [(e.kind, e.detail.get("src"), e.detail.get("reason")) for e in ev] == [
        ("new-master", "192.168.0.30", "first"),
        ("new-master", "192.168.0.10", "preempt"),
    ]


def test_tcpdump_vrrp_master_sequence() -> None:
    t, ev, end = replay("tcpdump_vrrp.pcap")
    assert {e.kind for e in ev} == {"new-master"}
    ipv4 = [f"10.0.0.{n}" for n in range(91, 98)]
    ipv6 = [
        "fe80::d6ca:6dff:fe66:cf60",
        "fe80::d6ca:6dff:fe72:b1da",
        "fe80::d6ca:6dff:fe66:cf65",
        "fe80::d6ca:6dff:fe65:d45c",
        "fe80::d6ca:6dff:fe65:d46b",
        "fe80::d6ca:6dff:fe72:b1e4",
        "fe80::20c:42ff:fe5e:c2dc",
    ]
    snap = t.snapshot(end)
    assert [(i.vrid, i.family) for i in snap.instances] == [
        (42, 4),
        (43, 4),
        (44, 4),
        (45, 6),
        (46, 6),
    ]
    for iv in snap.instances:
        expected = ipv4 if iv.family == 4 else ipv6
        assert [m.src for m in iv.masters] == expected
        assert [m.priority for m in iv.masters] == list(range(191, 198))
        seq = [e.detail["src"] for e in ev if (e.vrid, e.family) == (iv.vrid, iv.family)]
        assert seq == expected
        assert iv.state == "ok" and iv.interval_cs == 1000
