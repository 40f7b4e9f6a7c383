"""Hosts joined by every wire evidence: the MAC a link-local EUI-64 address embeds
and an address's own ARP reply / solicited NA (``Neighbour``), never a VIP's.

The lab's shapes: an IPv6-only master (nopreempt's start-up race left wcdc IPv6
master and IPv4 master of nothing) and ``use_vmac`` (every advert from the virtual
MAC); vrrptop's own DNS probes of the hosts provoke the ARP replies."""

from __future__ import annotations

from dataclasses import replace

from test_expect_alarms import advert

from vrrptop.model.tracker import Tracker
from vrrptop.model.views import eui64_mac
from vrrptop.wire.records import Neighbour

WCDC_MAC = "02:76:6c:00:00:0e"
WCDC_LL = "fe80::76:6cff:fe00:e"


def v6(ts: float, src: str, mac: str, vrid: int = 210) -> object:
    return replace(
        advert(ts, "198.51.100.14", 250, vrid), src=src, dst="ff02::12", family=6,
        version=3, src_mac=mac, addresses=("2001:db8:100::210",), auth_type=None,
        checksum_variant="v3",
    )  # fmt: skip


def hosts(tracker: Tracker) -> list[tuple[str, ...]]:
    return [h.addresses for h in tracker.snapshot(10.0).hosts]


def test_eui64_mac() -> None:
    assert eui64_mac(WCDC_LL) == WCDC_MAC
    assert eui64_mac("fe80::76:6cff:fe00:b%em1") == "02:76:6c:00:00:0b"
    assert eui64_mac("fe80::1") is None  # not EUI-64 (stable-privacy, manual)
    assert eui64_mac("198.51.100.14") is None


def test_ipv6_only_master_joined_by_its_arp_reply() -> None:
    t = Tracker()
    t.apply(v6(1.0, WCDC_LL, WCDC_MAC), 1.0)  # type: ignore[arg-type]
    assert hosts(t) == [(WCDC_LL,)]  # nothing names it yet
    t.apply(Neighbour(2.0, "198.51.100.14", WCDC_MAC, 4, None), 2.0)
    assert hosts(t) == [("198.51.100.14", WCDC_LL)]


def test_use_vmac_joined_by_eui64_and_arp_reply() -> None:
    t = Tracker()
    vmac4, vmac6 = "00:00:5e:00:01:d2", "00:00:5e:00:02:d2"
    t.apply(replace(advert(1.0, "198.51.100.14", 250), src_mac=vmac4), 1.0)
    t.apply(v6(1.0, WCDC_LL, vmac6), 1.0)  # type: ignore[arg-type]
    assert sorted(hosts(t)) == [("198.51.100.14",), (WCDC_LL,)]  # the vmac joins nothing
    t.apply(Neighbour(2.0, "198.51.100.14", WCDC_MAC, 4, None), 2.0)
    assert hosts(t) == [("198.51.100.14", WCDC_LL)]


def test_control_a_vip_answer_joins_no_host() -> None:
    # vrrptop probes the VIPs too: the holder answers for the VIP, which moves.
    t = Tracker()
    t.apply(v6(1.0, WCDC_LL, WCDC_MAC), 1.0)  # type: ignore[arg-type]
    t.apply(Neighbour(2.0, "2001:db8:100::210", WCDC_MAC, 6, None), 2.0)
    assert hosts(t) == [(WCDC_LL,)]


def test_control_a_neighbour_alone_is_no_host() -> None:
    t = Tracker()
    t.apply(advert(1.0, "198.51.100.13", 200), 1.0)
    t.apply(Neighbour(2.0, "198.51.100.99", "02:00:00:00:00:99", 4, None), 2.0)
    assert hosts(t) == [("198.51.100.13",)]
