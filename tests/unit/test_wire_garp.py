"""Gratuitous ARP and unsolicited neighbour advertisements, built with scapy."""

from __future__ import annotations

from scapy.layers.inet6 import ICMPv6ND_NA, ICMPv6NDOptDstLLAddr, IPv6
from scapy.layers.l2 import ARP, Dot1Q, Ether
from test_wire_support import fr

from vrrptop.wire.decode import clear_cache, decode_frame
from vrrptop.wire.records import Garp, Malformed, Neighbour

VMAC = "00:00:5e:00:01:d2"
HOST = "02:aa:bb:cc:dd:ee"


def decode(data: bytes) -> object:
    clear_cache()
    return decode_frame(fr(data))


def test_garp_request() -> None:
    pkt = Ether(src=HOST, dst="ff:ff:ff:ff:ff:ff") / ARP(
        op=1, hwsrc=VMAC, psrc="203.0.113.119", hwdst="00:00:00:00:00:00", pdst="203.0.113.119"
    )
    rec = decode(bytes(pkt))
    assert rec == Garp(
        ts=1000.0,
        address="203.0.113.119",
        mac=VMAC,
        family=4,
        kind="arp-request",
        src_mac=HOST,
        vlan=None,
    )


def test_garp_reply_to_broadcast_with_vlan() -> None:
    pkt = (
        Ether(src=VMAC, dst="ff:ff:ff:ff:ff:ff")
        / Dot1Q(vlan=8)
        / ARP(op=2, hwsrc=VMAC, psrc="203.0.113.3", hwdst="ff:ff:ff:ff:ff:ff", pdst="203.0.113.3")
    )
    rec = decode(bytes(pkt))
    assert isinstance(rec, Garp)
    assert (rec.address, rec.mac, rec.kind, rec.vlan) == ("203.0.113.3", VMAC, "arp-reply", 8)


def test_unsolicited_reply_to_broadcast_mac() -> None:
    # Different target IP, but sent to everyone: an "is-at" announcement.
    pkt = Ether(src=VMAC, dst="ff:ff:ff:ff:ff:ff") / ARP(
        op=2, hwsrc=VMAC, psrc="203.0.113.3", hwdst="ff:ff:ff:ff:ff:ff", pdst="203.0.113.99"
    )
    rec = decode(bytes(pkt))
    assert isinstance(rec, Garp) and rec.kind == "arp-reply"


def test_ordinary_arp_is_not_an_announcement() -> None:
    who_has = Ether(src=HOST, dst="ff:ff:ff:ff:ff:ff") / ARP(
        op=1, hwsrc=HOST, psrc="203.0.113.10", pdst="203.0.113.1"
    )
    assert decode(bytes(who_has)) is None
    # A unicast reply answers one asker: a Neighbour (joins hosts), never a Garp.
    unicast_reply = Ether(src=VMAC, dst=HOST) / ARP(
        op=2, hwsrc=VMAC, psrc="203.0.113.1", hwdst=HOST, pdst="203.0.113.10"
    )
    assert decode(bytes(unicast_reply)) == Neighbour(1000.0, "203.0.113.1", VMAC, 4, None)
    probe = Ether(src=HOST, dst="ff:ff:ff:ff:ff:ff") / ARP(
        op=1, hwsrc=HOST, psrc="0.0.0.0", pdst="203.0.113.10"
    )
    assert decode(bytes(probe)) is None


def test_truncated_arp_is_malformed() -> None:
    data = bytes(Ether(src=HOST) / ARP(op=1, psrc="203.0.113.1", pdst="203.0.113.1"))
    rec = decode(data[: 14 + 20])
    assert isinstance(rec, Malformed) and rec.proto == "arp"
    assert rec.reason == "truncated ARP (20 < 28 bytes)"


def na(dst: str, solicited: int, override: int, lla: str | None) -> bytes:
    pkt = Ether(src=HOST, dst="33:33:00:00:00:01") / IPv6(src="fe80::5", dst=dst, hlim=255)
    pkt = pkt / ICMPv6ND_NA(R=0, S=solicited, O=override, tgt="2001:db8::fff0")
    if lla is not None:
        pkt = pkt / ICMPv6NDOptDstLLAddr(lladdr=lla)
    return bytes(pkt)


def test_unsolicited_na_to_all_nodes_with_lla_option() -> None:
    rec = decode(na("ff02::1", 0, 1, VMAC))
    assert rec == Garp(
        ts=1000.0,
        address="2001:db8::fff0",
        mac=VMAC,
        family=6,
        kind="na",
        src_mac=HOST,
        vlan=None,
    )


def test_unsolicited_na_without_option_uses_source_mac() -> None:
    rec = decode(na("ff02::1", 0, 0, None))
    assert isinstance(rec, Garp) and rec.mac == HOST


def test_override_not_solicited_unicast_na_is_an_announcement() -> None:
    rec = decode(na("fe80::9", 0, 1, VMAC))
    assert isinstance(rec, Garp) and rec.address == "2001:db8::fff0"


def test_solicited_na_is_a_neighbour_not_an_announcement() -> None:
    answer = Neighbour(1000.0, "2001:db8::fff0", VMAC, 6, None)
    assert decode(na("fe80::9", 1, 1, VMAC)) == answer
    assert decode(na("fe80::9", 0, 0, VMAC)) == answer


def test_truncated_na_is_malformed() -> None:
    data = na("ff02::1", 0, 1, None)
    rec = decode(data[:-4])
    assert isinstance(rec, Malformed) and rec.proto == "nd" and rec.src == "fe80::5"
