"""Link layers and IPv6 extension headers around a known advert (built with scapy)."""

from __future__ import annotations

import struct

import pytest
from scapy.layers.inet import IP
from scapy.layers.inet6 import (
    IPv6,
    IPv6ExtHdrDestOpt,
    IPv6ExtHdrFragment,
    IPv6ExtHdrHopByHop,
    IPv6ExtHdrRouting,
)
from scapy.layers.l2 import CookedLinux, CookedLinuxV2, Dot1AD, Dot1Q, Ether
from scapy.layers.vrrp import VRRP, VRRPv3
from test_wire_support import GROUP4, GROUP6, fr, v3_msg

from vrrptop.wire.decode import clear_cache, decode_frame
from vrrptop.wire.records import Advert

MAC = "02:00:5e:10:20:30"


def ip4_advert() -> IP:
    return IP(src="198.51.100.4", dst=GROUP4, ttl=255, proto=112) / VRRP(
        vrid=210, priority=99, addrlist=["203.0.113.8"]
    )


def ip6_advert() -> IPv6:
    return IPv6(src="fe80::4", dst=GROUP6, hlim=255, nh=112) / VRRPv3(
        vrid=211, priority=98, addrlist=["2001:db8::8"]
    )


def decode(data: bytes, linktype: int) -> Advert:
    clear_cache()
    rec = decode_frame(fr(data, linktype))
    assert isinstance(rec, Advert), rec
    return rec


def check4(rec: Advert, mac: str | None, vlan: int | None) -> None:
    assert (rec.src, rec.vrid, rec.priority, rec.addresses) == (
        "198.51.100.4",
        210,
        99,
        ("203.0.113.8",),
    )
    assert (rec.src_mac, rec.vlan) == (mac, vlan)
    assert rec.checksum_ok and rec.problems == ()


def check6(rec: Advert, mac: str | None, vlan: int | None) -> None:
    assert (rec.src, rec.vrid, rec.priority, rec.addresses) == (
        "fe80::4",
        211,
        98,
        ("2001:db8::8",),
    )
    assert (rec.src_mac, rec.vlan) == (mac, vlan)
    assert rec.checksum_ok and rec.problems == ()


def test_vlan_8021q() -> None:
    rec = decode(bytes(Ether(src=MAC) / Dot1Q(vlan=36, prio=6) / ip4_advert()), 1)
    check4(rec, MAC, 36)


def test_qinq_reports_innermost_vlan() -> None:
    pkt = Ether(src=MAC) / Dot1AD(vlan=100) / Dot1Q(vlan=210) / ip6_advert()
    check6(decode(bytes(pkt), 1), MAC, 210)


def test_triple_tags_and_priority_tag() -> None:
    pkt = Ether(src=MAC) / Dot1AD(vlan=5) / Dot1Q(vlan=6) / Dot1Q(vlan=0) / ip4_advert()
    # VID 0 is priority-only: the innermost real VLAN is 6.
    check4(decode(bytes(pkt), 1), MAC, 6)


def test_llc_snap_ethernet() -> None:
    ip = bytes(ip4_advert())
    data = bytes.fromhex("01005e000012") + bytes.fromhex(MAC.replace(":", ""))
    data += struct.pack("!H", 8 + len(ip)) + bytes.fromhex("aaaa03000000") + b"\x08\x00" + ip
    check4(decode(data, 1), MAC, None)


def test_linux_sll() -> None:
    pkt = (
        CookedLinux(
            pkttype=2,
            lladdrtype=1,
            lladdrlen=6,
            src=bytes.fromhex("020102030405") + b"\0\0",
            proto=0x0800,
        )
        / ip4_advert()
    )
    check4(decode(bytes(pkt), 113), "02:01:02:03:04:05", None)


def test_linux_sll_vlan() -> None:
    pkt = (
        CookedLinux(
            pkttype=2,
            lladdrtype=1,
            lladdrlen=6,
            src=bytes.fromhex("020102030405") + b"\0\0",
            proto=0x8100,
        )
        / Dot1Q(vlan=12)
        / ip6_advert()
    )
    check6(decode(bytes(pkt), 113), "02:01:02:03:04:05", 12)


def test_linux_sll2() -> None:
    pkt = (
        CookedLinuxV2(
            proto=0x86DD,
            ifindex=3,
            lladdrtype=1,
            pkttype=2,
            lladdrlen=6,
            src=bytes.fromhex("0a0b0c0d0e0f") + b"\0\0",
        )
        / ip6_advert()
    )
    data = bytes(pkt)
    assert len(data) == 20 + 40 + 24
    check6(decode(data, 276), "0a:0b:0c:0d:0e:0f", None)


def test_sll_non_ethernet_hardware_has_no_mac() -> None:
    pkt = CookedLinux(pkttype=0, lladdrtype=772, lladdrlen=0, proto=0x0800) / ip4_advert()
    check4(decode(bytes(pkt), 113), None, None)


@pytest.mark.parametrize("linktype", [101, 228, 12, 14])
def test_raw_ipv4(linktype: int) -> None:
    check4(decode(bytes(ip4_advert()), linktype), None, None)


@pytest.mark.parametrize("linktype", [101, 229, 12, 14])
def test_raw_ipv6(linktype: int) -> None:
    check6(decode(bytes(ip6_advert()), linktype), None, None)


def test_bsd_null_and_loop() -> None:
    check4(decode(struct.pack("<I", 2) + bytes(ip4_advert()), 0), None, None)
    check6(decode(struct.pack("!I", 24) + bytes(ip6_advert()), 108), None, None)


def test_frame_relay_nlpid_and_cisco() -> None:
    ip = bytes(ip4_advert())
    check4(decode(b"\x18\x41\x03\xcc" + ip, 107), None, None)  # RFC 2427 NLPID IPv4
    check6(decode(b"\x18\x41\x03\x8e" + bytes(ip6_advert()), 107), None, None)
    check4(decode(b"\x18\x41\x08\x00" + ip, 107), None, None)  # Cisco ethertype


def test_ipv6_extension_headers_skipped() -> None:
    # scapy only lays out VRRPv3 directly under IPv6: build the message by hand.
    vrrp = v3_msg("fe80::4", GROUP6, ("2001:db8::8",), vrid=211, prio=98)
    pkt = (
        IPv6(src="fe80::4", dst=GROUP6, hlim=255)
        / IPv6ExtHdrHopByHop()
        / IPv6ExtHdrDestOpt()
        / IPv6ExtHdrRouting(addresses=[])
        / IPv6ExtHdrFragment(offset=0, m=0, nh=112)
        / vrrp
    )
    data = bytes(Ether(src=MAC) / pkt)
    assert data[14 + 6] == 0  # hop-by-hop first: really chained
    rec = decode(data, 1)
    assert (rec.vrid, rec.addresses) == (211, ("2001:db8::8",))
    assert rec.checksum_ok


def test_ipv6_later_fragment_is_not_decoded() -> None:
    pkt = IPv6(src="fe80::4", dst=GROUP6) / IPv6ExtHdrFragment(offset=3, nh=112) / (b"\x31" * 24)
    clear_cache()
    assert decode_frame(fr(bytes(Ether() / pkt), 1)) is None


def test_unsupported_linktype_is_none() -> None:
    clear_cache()
    assert decode_frame(fr(bytes(ip4_advert()), 105)) is None  # 802.11
