"""Whole third-party captures: the kinds of records each must (and must not) produce."""

from __future__ import annotations

from collections import Counter

import pytest
from test_wire_support import capture, read_capture

from vrrptop.wire.decode import clear_cache, decode_frame
from vrrptop.wire.records import Advert, Garp, Malformed


def kinds(name: str) -> tuple[list[object], Counter[str]]:
    clear_cache()
    recs = [decode_frame(f) for f in read_capture(capture(name))]
    return recs, Counter(type(r).__name__ for r in recs)


@pytest.mark.parametrize(
    "name",
    [
        "tcpdump_HSRP_coup.pcap",
        "tcpdump_HSRP_election.pcap",
        "tcpdump_HSRP_failover.pcap",
        "ndpi_hsrp2_ipv6.pcapng",
    ],
)
def test_hsrp_is_not_ours(name: str) -> None:
    recs, count = kinds(name)
    assert count == Counter({"NoneType": len(recs)})


def test_malformed_dos_capture() -> None:
    recs, _ = kinds("packetlife_VRRP_Malformed_DoS.cap")
    assert len(recs) == 1
    rec = recs[0]
    assert isinstance(rec, Malformed)
    assert rec.reason == "truncated VRRP header (0 < 8 bytes)"
    assert rec.src == "192.1.2.9" and rec.proto == "vrrp" and rec.frame


@pytest.mark.parametrize(
    "name", ["tcpdump_vrrp-vrrp_print-oobr.pcap", "tcpdump_vrrp-vrrp_print-oobr-2.pcap"]
)
def test_fuzzed_captures_give_reasons(name: str) -> None:
    recs, count = kinds(name)
    assert count["Malformed"] >= 1
    assert set(count) <= {"Malformed", "Advert"}
    for rec in recs:
        if isinstance(rec, Malformed):
            assert len(rec.reason) > 10
        else:
            assert isinstance(rec, Advert) and not rec.checksum_ok and rec.problems


def test_networklessons_gratuitous_arp() -> None:
    recs, count = kinds("networklessons_vrrp-gratuitous-arp.pcapng")
    assert count == Counter({"Advert": 2, "Garp": 2})
    garps = [r for r in recs if isinstance(r, Garp)]
    for g in garps:
        assert (g.address, g.mac, g.kind, g.family) == (
            "192.168.1.3",
            "00:00:5e:00:01:01",
            "arp-reply",
            4,
        )
    a1, a4 = recs[0], recs[3]
    assert isinstance(a1, Advert) and isinstance(a4, Advert)
    assert (a1.src, a1.priority, a4.src, a4.priority) == ("192.168.1.2", 100, "192.168.1.1", 200)


def test_hsrp_gratuitous_arp_replies() -> None:
    recs, count = kinds("packetlife_gratuitous_arp_hsrp.cap")
    assert count == Counter({"Garp": 6})
    assert {(r.address, r.mac) for r in recs if isinstance(r, Garp)} == {
        ("10.0.0.6", "00:00:0c:07:ac:01")
    }


def test_failover_capture_sequence() -> None:
    recs, _ = kinds("packetlife_VRRP_failover.cap")
    srcs = [(r.src, r.priority) for r in recs if isinstance(r, Advert)]
    assert len(srcs) == 32
    assert srcs[:11] == [("192.168.0.10", 200)] * 11
    assert srcs[11:13] == [("192.168.0.30", 100), ("192.168.0.20", 100)]
    assert set(srcs[13:]) == {("192.168.0.30", 100)}


def test_pcapplusplus_v3_ipv6_with_ipv4_multicast_mac() -> None:
    recs, _ = kinds("pcapplusplus_VRRP-V3-IPv6.pcap")
    (rec,) = recs
    assert isinstance(rec, Advert)
    assert rec.addresses == ("fe80::254", "2001:db8::1", "2001:db8::2")
    assert rec.src_mac == "00:00:5e:00:01:01" and rec.problems == ()
