"""Choosing probe targets from a snapshot and the configuration."""

from __future__ import annotations

import socket

from vrrptop.model.snapshot import Counters, GapStats, HostView, InstanceView, Snapshot
from vrrptop.probe import ProbeTarget
from vrrptop.probe.targets import scoped, targets_from_snapshot


def _instance(vrid: int, family: int, addresses: tuple[str, ...], name: str) -> InstanceView:
    return InstanceView(
        vrid=vrid,
        family=family,
        version=3,
        state="ok",
        master=None,
        master_mac=None,
        priority=None,
        interval_cs=100,
        addresses=addresses,
        auth_type=None,
        first_seen=0.0,
        last_seen=0.0,
        age_s=0.0,
        master_down_s=3.6,
        adverts=1,
        checksum_variant=None,
        checksum_errors=0,
        masters=(),
        sources=(),
        gaps=GapStats(),
        vip_holders=(),
        problems={},
        last_advert=None,
        name=name,
    )


def _host(addresses: tuple[str, ...], name: str | None) -> HostView:
    return HostView(addresses, ("02:00:00:00:00:01",), name, {}, {}, 0.0)


SNAP = Snapshot(
    ts=0.0,
    instances=(
        _instance(210, socket.AF_INET, ("198.51.100.210",), "testdns0"),
        _instance(210, socket.AF_INET6, ("fe80::210", "2001:db8::210"), "testdns0"),
    ),
    hosts=(
        _host(("198.51.100.1", "fe80::1"), "recdns-cnh"),
        _host(("198.51.100.210",), "owner"),  # an address owner: VIP == real address
    ),
    counters=Counters(),
)


def test_vips_and_hosts_with_link_local_scoped_to_the_interface() -> None:
    got = {t.address: (t.role, t.name) for t in targets_from_snapshot(SNAP, interface="em1")}
    assert got == {
        "198.51.100.210": ("vip", "testdns0"),
        "fe80::210%em1": ("vip", "testdns0"),
        "2001:db8::210": ("vip", "testdns0"),
        "198.51.100.1": ("host", "recdns-cnh"),
        "fe80::1%em1": ("host", "recdns-cnh"),
    }


def test_link_local_left_out_without_an_interface() -> None:
    got = [t.address for t in targets_from_snapshot(SNAP)]
    assert not any(a.startswith("fe80") for a in got)
    assert "2001:db8::210" in got


def test_extra_targets_are_added_and_can_promote_a_host_to_vip() -> None:
    extra = [
        ProbeTarget("198.51.100.1", "vip", "configured-vip"),
        ProbeTarget("203.0.113.5", "host", "recdns-sby"),
        ProbeTarget("not-an-address", "host"),
    ]
    got = {t.address: (t.role, t.name) for t in targets_from_snapshot(SNAP, extra=extra)}
    assert got["198.51.100.1"] == ("vip", "configured-vip")  # promoted, renamed
    assert got["203.0.113.5"] == ("host", "recdns-sby")
    assert "not-an-address" not in got


def test_scoped() -> None:
    assert scoped("fe80::1%eth0", None) == "fe80::1%eth0"
    assert scoped("fe80::1", "eth1") == "fe80::1%eth1"
    assert scoped("2001:db8::1", "eth1") == "2001:db8::1"
    assert scoped("198.51.100.1", "eth1") == "198.51.100.1"
    assert scoped("recdns-cnh", "eth1") is None


def test_spoofed_adverts_cannot_choose_unbounded_dns_targets(tmp_path) -> None:
    # A real instance first, then five spoofed adverts listing 200 "VIPs" each.
    from tests import pcapgen as g
    from vrrptop.capture.pcapfile import PcapFileSource
    from vrrptop.engine import Engine

    real = g.advert4(vrid=1, addresses=[bytes((198, 51, 100, 1))])
    records = [(1.0, real)]
    for n in range(5):
        vips = [bytes((203, 0, 113 - n % 2, i)) for i in range(200)]
        records.append((2.0 + n, g.advert4(vrid=100 + n, addresses=vips)))
    snap = Engine(PcapFileSource(g.write(tmp_path / "spoof.pcap", g.pcap(records)))).run()
    assert sum(len(i.addresses) for i in snap.instances) > 900  # the flood was seen
    configured = [ProbeTarget("203.0.113.250", "vip", "conf"), ProbeTarget("2001:db8::53", "host")]
    got = targets_from_snapshot(snap, extra=configured)
    addresses = {t.address for t in got}
    assert {"203.0.113.250", "2001:db8::53"} <= addresses  # configured: always
    assert "198.51.100.1" in addresses  # the earliest real instance is not displaced
    assert len(got) <= 32 + len(configured)  # MAX_DISCOVERED, documented in the README
