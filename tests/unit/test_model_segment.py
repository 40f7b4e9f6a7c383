"""Tracker beyond one election: mismatches, VIP holders, families, hosts, caps, reset."""

from __future__ import annotations

import json

import pytest

from tests.unit.test_model_tracker import MAC_A, MAC_B, VIP, A, B, adv, feed, kinds
from vrrptop.model.caps import MAX_SOURCES, MAX_VIP_HOLDERS
from vrrptop.model.tracker import Tracker
from vrrptop.wire.records import Carp, Garp, Malformed

V6_A = "fe80::a"
V6_B = "fe80::b"


def garp(address: str, mac: str, family: int = 4) -> Garp:
    kind = "arp-reply" if family == 4 else "na"
    return Garp(ts=0.0, address=address, mac=mac, family=family, kind=kind, src_mac=mac, vlan=None)  # type: ignore[arg-type]


def contend(t: Tracker, **other: object) -> list:
    """A is master; B (lower priority) advertises once with ``other`` fields changed."""
    return feed(t, [(0.0, adv(A, 200)), (1.0, adv(A, 200)), (1.5, adv(B, 100, **other))])


@pytest.mark.parametrize(
    ("field", "other", "b_value", "a_value"),
    [
        ("addresses", {"addresses": ("198.51.100.2",)}, ["198.51.100.2"], [VIP]),
        ("interval", {"interval_cs": 200}, 200, 100),
        ("version", {"version": 3, "auth_type": None, "auth_data": b""}, 3, 2),
        ("auth-type", {"auth_type": 1, "auth_data": b"secret12"}, 1, 0),
    ],
)
def test_mismatch_between_senders(
    field: str, other: dict, b_value: object, a_value: object
) -> None:
    t = Tracker()
    ev = contend(t, **other)
    mism = [e for e in ev if e.kind == "mismatch" and e.detail["field"] == field]
    assert len(mism) == 1
    assert mism[0].severity == "warning" and (mism[0].vrid, mism[0].family) == (7, 4)
    assert mism[0].detail["values"] == {A: a_value, B: b_value}
    assert t.snapshot(1.5).instances[0].state == "mismatch"
    # Repeats do not re-emit; once B ages out of the 60 s window the state clears.
    assert "mismatch" not in kinds(feed(t, [(2.0, adv(A, 200)), (2.5, adv(B, 100, **other))]))
    assert t.snapshot(70.0).instances[0].state != "mismatch"


def test_v3_checksum_variant_mismatch() -> None:
    """RFC 9568 errata: one v3 router without the pseudo-header drops the other's adverts."""
    t = Tracker()
    v3 = {"version": 3, "auth_type": None, "auth_data": b""}
    ev = feed(t, [(0.0, adv(A, 200, checksum_variant="v3", **v3))])
    ev += feed(t, [(1.0, adv(B, 100, checksum_variant="v3-as-v2", checksum=0x4321, **v3))])
    mism = [e for e in ev if e.kind == "mismatch"]
    assert [e.detail for e in mism] == [{"field": "checksum", "values": {A: "v3", B: "v3-as-v2"}}]
    # v2 next to v3 is reported as a version mismatch only.
    t2 = Tracker()
    ev = feed(t2, [(0.0, adv(A, 200)), (1.0, adv(B, 100, checksum_variant="v3", **v3))])
    assert [e.detail["field"] for e in ev if e.kind == "mismatch"] == ["version", "auth-type"]


def test_same_vips_in_another_order_is_no_mismatch() -> None:
    t = Tracker()
    two = ("198.51.100.1", "198.51.100.2")
    ev = feed(t, [(0.0, adv(A, 200, addresses=two)), (1.0, adv(B, 100, addresses=two[::-1]))])
    assert "mismatch" not in kinds(ev)


def test_auth_password_mismatch_never_reveals_the_secret() -> None:
    t = Tracker()
    feed(t, [(0.0, adv(A, 200, auth_type=1, auth_data=b"hunter22"))])
    ev = feed(t, [(1.0, adv(B, 100, auth_type=1, auth_data=b"s3cr3t!!"))])
    am = [e for e in ev if e.kind == "auth-mismatch"]
    assert len(am) == 1 and am[0].detail["sources"] == [A, B]
    text = json.dumps([e.to_json() for e in ev])
    assert "hunter22" not in text and "s3cr3t!!" not in text
    assert t.snapshot(1.0).instances[0].auth_mismatch is True
    # Same password on both: nothing.
    t2 = Tracker()
    ev = feed(t2, [(0.0, adv(A, 200, auth_type=1, auth_data=b"same1234"))])
    ev += feed(t2, [(1.0, adv(B, 100, auth_type=1, auth_data=b"same1234"))])
    assert "auth-mismatch" not in kinds(ev)


@pytest.mark.parametrize(
    ("mac", "is_master", "severity"),
    [
        (MAC_A, True, "info"),  # keepalived default: GARP from the master's real MAC
        (MAC_B, False, "warning"),  # somebody else claims the VIP
        ("00:00:5e:00:01:07", True, "info"),  # use_vmac: the VRID's virtual MAC
    ],
)
def test_vip_announced(mac: str, is_master: bool, severity: str) -> None:
    t = Tracker()
    feed(t, [(0.0, adv(A, 200))])
    ev = t.apply(garp(VIP, mac), 0.5)
    assert kinds(ev) == ["vip-announced"]
    assert ev[0].severity == severity and (ev[0].vrid, ev[0].family) == (7, 4)
    assert ev[0].detail == {
        "address": VIP,
        "mac": mac,
        "master_mac": MAC_A,
        "holder_is_master": is_master,
    }
    assert t.apply(garp(VIP, mac), 1.0) == []  # garp_master_repeat: not news
    holders = t.snapshot(1.0).instances[0].vip_holders
    assert [(h.address, h.mac, h.ts, h.holder_is_master) for h in holders] == [
        (VIP, mac, 1.0, is_master)
    ]


def test_vip_announced_ipv6_virtual_mac_and_unknown_address() -> None:
    t = Tracker()
    feed(t, [(0.0, adv(V6_A, 200, family=6, version=3, addresses=("2001:db8::1",)))])
    ev = t.apply(garp("2001:db8::1", "00:00:5e:00:02:07", family=6), 1.0)
    assert kinds(ev) == ["vip-announced"] and ev[0].detail["holder_is_master"] is True
    assert ev[0].family == 6
    assert t.apply(garp("203.0.113.9", MAC_B), 1.0) == []  # not a VIP: remembered only
    assert t.snapshot(1.0).counters.garps == 2


def test_ipv4_and_ipv6_instances_with_the_same_vrid_are_separate() -> None:
    t = Tracker()
    v6 = {"family": 6, "version": 3, "addresses": ("2001:db8::1",), "auth_type": None}
    items = [(float(i), adv(A, 200)) for i in range(3)]
    items += [(i + 0.1, adv(V6_A, 150, src_mac=MAC_A, **v6)) for i in range(10)]
    items.sort(key=lambda x: x[0])
    ev = feed(t, items) + t.tick(9.2)
    # IPv4 master stops at t=2: lost at 2 + MDI; the IPv6 instance is untouched.
    assert [(e.kind, e.family) for e in ev] == [
        ("new-master", 4),
        ("new-master", 6),
        ("master-lost", 4),
    ]
    assert ev[2].ts == pytest.approx(2 + 3 + 56 / 256)
    snap = t.snapshot(9.2)
    states = {(i.vrid, i.family): (i.master, i.state) for i in snap.instances}
    assert states == {(7, 4): (A, "silent"), (7, 6): (V6_A, "ok")}
    # Same real MAC: one host with both addresses and both priorities.
    assert len(snap.hosts) == 1
    h = snap.hosts[0]
    assert h.addresses == (A, V6_A) and h.macs == (MAC_A,)
    assert h.priorities == {"7/4": 200, "7/6": 150}


def test_hosts_are_not_joined_by_a_shared_virtual_mac() -> None:
    t = Tracker()
    vmac = "00:00:5e:00:01:07"
    feed(t, [(0.0, adv(A, 200, src_mac=vmac)), (0.5, adv(B, 100, src_mac=vmac))])
    assert [h.addresses for h in t.snapshot(1.0).hosts] == [(A,), (B,)]


def test_source_cap_evicts_and_counts_but_keeps_the_master() -> None:
    t = Tracker()
    feed(t, [(0.0, adv(A, 250))])
    for i in range(MAX_SOURCES + 20):
        t.apply(adv(f"203.0.113.{i + 1}", 100), 1.0 + i * 0.001)
    snap = t.snapshot(2.0)
    iv = snap.instances[0]
    assert len(iv.sources) <= MAX_SOURCES
    assert A in {s.src for s in iv.sources} and iv.master == A
    assert snap.counters.evicted == MAX_SOURCES + 21 - len(iv.sources)


def test_vip_holder_cap() -> None:
    t = Tracker()
    n = MAX_VIP_HOLDERS + 100
    for i in range(n):
        t.apply(garp(f"203.0.{113 + i // 250}.{i % 250 + 1}", MAC_B), float(i))
    snap = t.snapshot(float(n))
    assert snap.counters.garps == n and snap.counters.evicted >= 100


def test_malformed_flood_is_counted_but_events_are_rate_limited() -> None:
    t = Tracker()
    ev = []
    for i in range(1000):  # 1000 frames over 2.5 s, two reasons
        reason = "truncated VRRP header (4 < 8 bytes)" if i % 2 else "bad version 15"
        ev += t.apply(Malformed(ts=0.0, reason=reason, src=A), i * 0.0025)
    assert kinds(ev) == ["malformed"] * len(ev)
    # One per reason per second: t in [0, 2.5) -> 3 windows x 2 reasons.
    assert len(ev) == 6
    snap = t.snapshot(3.0)
    assert snap.counters.malformed == 1000
    assert snap.malformed_reasons == {
        "truncated VRRP header (4 < 8 bytes)": 500,
        "bad version 15": 500,
    }


def test_carp_first_sighting_only() -> None:
    t = Tracker()
    c = Carp(0.0, "203.0.113.5", "224.0.0.18", None, 4, 2, 1, 5, 0, 1, 0, None)
    assert kinds(t.apply(c, 0.0)) == ["carp"]
    assert t.apply(c, 1.0) == []
    assert t.snapshot(1.0).counters.carp == 2


def test_engine_counters_and_reset() -> None:
    t = Tracker()
    feed(t, [(0.0, adv()), (1.0, adv())])
    t.apply(garp(VIP, MAC_A), 1.0)
    t.count_frame()
    t.count_frame(4)
    c = t.snapshot(1.0).counters
    assert (c.frames, c.adverts, c.garps, c.dropped) == (5, 2, 1, 0)
    t.reset()
    snap = t.snapshot(2.0)
    assert snap.instances == () and snap.hosts == () and snap.malformed_reasons == {}
    assert snap.counters == type(c)()
    # Nothing of the old state survives: the next advert is a first election again.
    ev = feed(t, [(3.0, adv(B, 100))])
    assert kinds(ev) == ["new-master"] and ev[0].detail["previous"] is None
