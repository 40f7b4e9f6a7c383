"""Instance identity includes the 802.1Q VLAN: one VRID on two VLANs of a trunk.

The capture is generated here (scapy frames with 802.1Q tags, written as a pcap):
VRID 210 on VLAN 10 and on VLAN 20, each with its own master, the same VIP plan on
both (two VRFs), and each master's gratuitous ARPs. Two instances, two rows, no split
brain and no mismatch; the control puts two masters on the same VLAN and must give a
split brain.
"""

from __future__ import annotations

import json
import subprocess
import sys
from pathlib import Path

from prometheus_client import CollectorRegistry, generate_latest
from scapy.layers.inet import IP
from scapy.layers.l2 import ARP, Dot1Q, Ether
from scapy.layers.vrrp import VRRP
from scapy.utils import wrpcap

from vrrptop.capture.pcapfile import PcapFileSource
from vrrptop.model.events import Event
from vrrptop.model.tracker import Tracker
from vrrptop.output.prom_collector import SnapshotCollector
from vrrptop.wire.decode import decode_frame
from vrrptop.wire.records import Advert, Garp

ROOT = Path(__file__).resolve().parents[2]
VIP = "198.51.100.210"
T0 = 1_700_000_000.0


def advert(vlan: int, src: str, mac: str, prio: int) -> Ether:
    """A VRRPv2 advert for VRID 210 carrying VIP, tagged with ``vlan``."""
    return (
        Ether(src=mac, dst="01:00:5e:00:00:12")
        / Dot1Q(vlan=vlan)
        / IP(src=src, dst="224.0.0.18", ttl=255, proto=112)
        / VRRP(vrid=210, priority=prio, ipcount=1, addrlist=[VIP], adv=1)
    )


def garp(vlan: int, mac: str) -> Ether:
    """A gratuitous ARP for VIP from ``mac`` on ``vlan``."""
    return (
        Ether(src=mac, dst="ff:ff:ff:ff:ff:ff")
        / Dot1Q(vlan=vlan)
        / ARP(op=1, hwsrc=mac, psrc=VIP, hwdst="00:00:00:00:00:00", pdst=VIP)
    )


#: (VLAN, address, MAC, priority) of the routers advertising in each capture.
TRUNK = [
    (10, "198.51.100.11", "02:00:00:00:0a:0b", 150),
    (20, "198.51.100.21", "02:00:00:00:14:15", 200),
]
SAME_VLAN = [
    (10, "198.51.100.11", "02:00:00:00:0a:0b", 150),
    (10, "198.51.100.12", "02:00:00:00:0a:0c", 200),
]


def write_capture(path: Path, routers: list[tuple[int, str, str, int]], seconds: int = 10) -> Path:
    """Every router advertises once a second for ``seconds``; each sends one GARP first."""
    packets = []
    for vlan, _src, mac, _prio in routers:
        p = garp(vlan, mac)
        p.time = T0
        packets.append(p)
    for i in range(seconds):
        for j, (vlan, src, mac, prio) in enumerate(routers):
            p = advert(vlan, src, mac, prio)
            p.time = T0 + 0.1 + i + j * 0.01
            packets.append(p)
    wrpcap(str(path), packets)
    return path


def replay(path: Path) -> tuple[Tracker, list[Event], float]:
    """Decode and track every frame of ``path`` (real decoder, real tracker)."""
    tracker = Tracker()
    events: list[Event] = []
    now = T0
    source = PcapFileSource(path)
    for frame in source.frames():
        if frame is None:
            continue
        rec = decode_frame(frame)
        assert isinstance(rec, Advert | Garp), rec
        now = frame.ts
        events += tracker.apply(rec, now)
    source.close()
    return tracker, events, now


def test_one_vrid_on_two_vlans_is_two_instances_not_a_split_brain(tmp_path: Path) -> None:
    tracker, events, now = replay(write_capture(tmp_path / "trunk.pcap", TRUNK))
    snap = tracker.snapshot(now)
    assert [(i.vrid, i.family, i.vlan) for i in snap.instances] == [(210, 4, 10), (210, 4, 20)]
    vlan10, vlan20 = snap.instances
    assert (vlan10.master, vlan20.master) == ("198.51.100.11", "198.51.100.21")
    assert vlan10.state == vlan20.state == "ok"
    assert not vlan10.split_sources and not vlan10.mismatch
    assert [s.src for s in vlan10.sources] == ["198.51.100.11"]
    assert vlan20.key.label == "VRID 210 (IPv4, VLAN 20)"
    kinds = {e.kind for e in events}
    assert not kinds & {"split-brain", "mismatch", "contention", "auth-mismatch"}, kinds
    new = [e for e in events if e.kind == "new-master"]
    assert [(e.vlan, e.detail["src"]) for e in new] == [
        (10, "198.51.100.11"),
        (20, "198.51.100.21"),
    ]
    assert "VRID 210 (IPv4, VLAN 20)" in new[1].message
    assert new[1].to_json()["vlan"] == 20
    # Hosts: each master advertises in its own VLAN's instance, keyed "vrid/family@vlan".
    prios = {h.addresses: h.priorities for h in snap.hosts}
    assert prios == {("198.51.100.11",): {"210/4@10": 150}, ("198.51.100.21",): {"210/4@20": 200}}


def test_a_garp_is_matched_to_the_instance_on_its_own_vlan(tmp_path: Path) -> None:
    tracker, _, now = replay(write_capture(tmp_path / "trunk.pcap", TRUNK))
    # Each VLAN's holder of the VIP is its own master (one table would show the last GARP).
    vlan10, vlan20 = tracker.snapshot(now).instances
    assert [(h.mac, h.holder_is_master) for h in vlan10.vip_holders] == [
        ("02:00:00:00:0a:0b", True)
    ]
    assert [(h.mac, h.holder_is_master) for h in vlan20.vip_holders] == [
        ("02:00:00:00:14:15", True)
    ]
    # VLAN 20's master repeating its GARP on VLAN 20 is not news on either VLAN.
    assert tracker.apply(Garp(now, VIP, "02:00:00:00:14:15", 4, "arp-request", None, 20), now) == []
    # VLAN 10's router announcing the address on VLAN 20 is foreign there, and only there.
    ev = tracker.apply(Garp(now, VIP, "02:00:00:00:0a:0b", 4, "arp-request", None, 20), now)
    assert [(e.kind, e.vlan, e.severity) for e in ev] == [("vip-announced", 20, "warning")]
    assert "VRID 210 (IPv4, VLAN 20)" in ev[0].message
    vlan10, vlan20 = tracker.snapshot(now).instances
    assert vlan10.vip_holders[0].holder_is_master is True
    assert vlan20.vip_holders[0].holder_is_master is False


def test_control_two_masters_on_the_same_vlan_are_a_split_brain(tmp_path: Path) -> None:
    tracker, events, now = replay(write_capture(tmp_path / "same.pcap", SAME_VLAN))
    (inst,) = tracker.snapshot(now).instances
    assert inst.vlan == 10 and inst.state == "split-brain"
    assert inst.split_sources == ("198.51.100.11", "198.51.100.12")
    (split,) = [e for e in events if e.kind == "split-brain"]
    assert split.vlan == 10 and "VRID 210 (IPv4, VLAN 10)" in split.message


def test_prometheus_instance_series_carry_the_vlan(tmp_path: Path) -> None:
    tracker, _, now = replay(write_capture(tmp_path / "trunk.pcap", TRUNK))
    registry = CollectorRegistry()
    registry.register(SnapshotCollector(lambda: tracker.snapshot(now)))
    text = generate_latest(registry).decode()
    assert 'vrrptop_instance_priority{family="4",name="",vlan="10",vrid="210"} 150.0' in text
    assert 'vrrptop_instance_priority{family="4",name="",vlan="20",vrid="210"} 200.0' in text


def test_replay_of_a_trunk_capture_end_to_end(tmp_path: Path) -> None:
    """``vrrptop -r FILE --json``: two instance items with their VLAN, no split brain."""
    pcap = write_capture(tmp_path / "trunk.pcap", TRUNK)
    r = subprocess.run(
        [sys.executable, "-m", "vrrptop", "-r", str(pcap), "--json"],
        cwd=ROOT,
        capture_output=True,
        text=True,
        timeout=60,
    )
    assert r.returncode == 0, r.stderr
    lines = [json.loads(x) for x in r.stdout.splitlines()]
    events = [x for x in lines if x["type"] == "event"]
    assert all("vlan" in e for e in events)
    assert {e["kind"] for e in events} == {"new-master"}
    assert sorted(e["vlan"] for e in events) == [10, 20]
    adverts = [x for x in lines if x["type"] == "advert"]
    assert {a["vlan"] for a in adverts} == {10, 20} and len(adverts) == 20
    snap = lines[-1]
    assert snap["type"] == "snapshot"
    got = [(i["vrid"], i["vlan"], i["master"], i["state"]) for i in snap["instances"]]
    assert got == [(210, 10, "198.51.100.11", "ok"), (210, 20, "198.51.100.21", "ok")]
    assert {k for h in snap["hosts"] for k in h["priorities"]} == {"210/4@10", "210/4@20"}
