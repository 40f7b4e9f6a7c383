"""VRRPv2/v3 field decoding against packets built with scapy or by hand from the RFCs."""

from __future__ import annotations

import struct

from scapy.layers.inet import IP
from scapy.layers.inet6 import IPv6
from scapy.layers.l2 import Ether
from scapy.layers.vrrp import VRRP, VRRPv3
from test_wire_support import (
    GROUP4,
    SRC_MAC,
    eth_ip4,
    eth_ip6,
    fr,
    ph4,
    ref_checksum,
    v2_msg,
    v3_msg,
    with_checksum,
)

from vrrptop.wire.decode import clear_cache, decode_frame
from vrrptop.wire.records import Advert, Malformed


def decode(data: bytes, linktype: int = 1) -> object:
    clear_cache()
    return decode_frame(fr(data, linktype))


def test_v2_pass_auth_scapy() -> None:
    pkt = (
        Ether(src="00:00:5E:00:01:2A", dst="01:00:5e:00:00:12")
        / IP(src="198.51.100.7", dst=GROUP4, ttl=255, proto=112)
        / VRRP(
            vrid=210,
            priority=150,
            addrlist=["203.0.113.119", "203.0.113.120"],
            authtype=1,
            adv=3,
            auth1=int.from_bytes(b"XXXX", "big"),
            auth2=int.from_bytes(b"YYY\0", "big"),
        )
    )
    rec = decode(bytes(pkt))
    assert isinstance(rec, Advert)
    assert (rec.src, rec.dst, rec.src_mac, rec.family) == (
        "198.51.100.7",
        GROUP4,
        "00:00:5e:00:01:2a",
        4,
    )
    assert (rec.version, rec.type, rec.vrid, rec.priority) == (2, 1, 210, 150)
    assert rec.interval_cs == 300
    assert rec.addresses == ("203.0.113.119", "203.0.113.120")
    assert rec.auth_type == 1 and rec.auth_data == b"XXXXYYY\0"
    assert rec.ttl == 255 and rec.vlan is None
    assert rec.checksum == int.from_bytes(bytes(pkt)[34 + 6 : 34 + 8], "big")
    assert rec.checksum_ok and rec.checksum_variant == "v2"
    assert rec.problems == ()
    assert rec.frame == bytes(pkt)
    assert rec.ts == 1000.0


def test_v2_auth_none_by_hand() -> None:
    rec = decode(eth_ip4(v2_msg(vrid=43, prio=0, addrs=("203.0.113.150",), adv=10)))
    assert isinstance(rec, Advert)
    assert (rec.vrid, rec.priority, rec.auth_type, rec.interval_cs) == (43, 0, 0, 1000)
    assert rec.auth_data == b"\0" * 8 and rec.checksum_ok and rec.problems == ()


def test_v2_auth_ah_type_is_kept() -> None:
    rec = decode(eth_ip4(v2_msg(auth_type=2)))
    assert isinstance(rec, Advert) and rec.auth_type == 2 and rec.problems == ()


def test_v2_unknown_auth_type_is_a_problem() -> None:
    rec = decode(eth_ip4(v2_msg(auth_type=9)))
    assert isinstance(rec, Advert) and "unknown-auth-type" in rec.problems


def test_v2_behind_ip_ah_header() -> None:
    # RFC 2338 auth type 2: IPv4 proto 51, AH (next header 112, 4 words of data).
    ah = struct.pack("!BBHII", 112, 4, 0, 0x1234, 1) + b"\xaa" * 12
    rec = decode(eth_ip4(ah + v2_msg(auth_type=2), proto=51))
    assert isinstance(rec, Advert) and rec.auth_type == 2 and rec.checksum_ok


def test_v3_ipv4_with_pseudo_header() -> None:
    pkt = (
        Ether(src=SRC_MAC)
        / IP(src="198.51.100.2", dst=GROUP4, ttl=255, proto=112)
        / VRRPv3(vrid=44, priority=191, adv=1000, addrlist=["203.0.113.100", "203.0.113.200"])
    )
    rec = decode(bytes(pkt))
    assert isinstance(rec, Advert)
    assert (rec.version, rec.vrid, rec.priority, rec.interval_cs) == (3, 44, 191, 1000)
    assert rec.addresses == ("203.0.113.100", "203.0.113.200")
    assert rec.auth_type is None and rec.auth_data == b""
    assert rec.checksum_ok and rec.checksum_variant == "v3" and rec.problems == ()


def test_v3_ipv4_checksum_without_pseudo_header() -> None:
    msg = v3_msg("198.51.100.2", GROUP4, ("203.0.113.1",), pseudo=False)
    assert ref_checksum(msg) == 0  # the variant really is "no pseudo-header"
    assert ref_checksum(ph4("198.51.100.2", GROUP4, len(msg)) + msg) != 0
    rec = decode(eth_ip4(msg))
    assert isinstance(rec, Advert)
    assert rec.checksum_ok and rec.checksum_variant == "v3-as-v2" and rec.problems == ()


def test_v3_unicast_with_keepalived_old_unicast_checksum() -> None:
    """keepalived's old_unicast_checksum: the pseudo-header names the group, not the
    unicast peer the advert is sent to."""
    peer = "198.51.100.3"
    msg = v3_msg("198.51.100.2", GROUP4, ("203.0.113.1",))  # checksummed for the group
    assert ref_checksum(ph4("198.51.100.2", peer, len(msg)) + msg) != 0
    rec = decode(eth_ip4(msg, dst=peer))
    assert isinstance(rec, Advert)
    assert rec.checksum_ok and rec.checksum_variant == "v3-old-unicast"
    assert rec.problems == ("unicast-dst",)
    # The same bytes to the group are plain RFC 5798 v3.
    rec = decode(eth_ip4(msg))
    assert isinstance(rec, Advert) and rec.checksum_variant == "v3"


def test_v3_ipv6_scapy() -> None:
    pkt = (
        Ether(src=SRC_MAC)
        / IPv6(src="fe80::d6ca:6dff:fe66:cf60", dst="ff02::12", hlim=255, nh=112)
        / VRRPv3(
            vrid=45, priority=191, adv=4095, addrlist=["fe80::200:5eff:fe00:22d", "2001:db8::a"]
        )
    )
    rec = decode(bytes(pkt))
    assert isinstance(rec, Advert)
    assert (rec.family, rec.src, rec.dst) == (6, "fe80::d6ca:6dff:fe66:cf60", "ff02::12")
    assert rec.addresses == ("fe80::200:5eff:fe00:22d", "2001:db8::a")
    assert rec.interval_cs == 4095 and rec.ttl == 255
    assert rec.checksum_ok and rec.checksum_variant == "v3" and rec.problems == ()


def test_v3_ipv6_without_pseudo_header_is_bad() -> None:
    # The "as v2" variant is an IPv4-only quirk: over IPv6 it must be reported bad.
    msg = v3_msg("fe80::1", "ff02::12", ("2001:db8::1",), pseudo=False)
    rec = decode(eth_ip6(msg))
    assert isinstance(rec, Advert)
    assert not rec.checksum_ok and rec.checksum_variant is None
    assert "bad-checksum" in rec.problems


def test_bad_checksum_is_reported_not_hidden() -> None:
    msg = bytearray(v2_msg())
    msg[7] ^= 0x55
    rec = decode(eth_ip4(bytes(msg)))
    assert isinstance(rec, Advert)
    assert rec.checksum == (msg[6] << 8) | msg[7]
    assert not rec.checksum_ok and rec.checksum_variant is None
    assert rec.problems == ("bad-checksum",)


def test_ttl_not_255() -> None:
    rec = decode(eth_ip4(v2_msg(), ttl=64))
    assert isinstance(rec, Advert) and rec.ttl == 64 and rec.problems == ("ttl-not-255",)
    rec6 = decode(eth_ip6(v3_msg("fe80::1", "ff02::12", ("2001:db8::1",)), hlim=1))
    assert isinstance(rec6, Advert) and rec6.problems == ("ttl-not-255",)


def test_unicast_destination() -> None:
    rec = decode(eth_ip4(v2_msg(), dst="198.51.100.9"))
    assert isinstance(rec, Advert) and rec.dst == "198.51.100.9"
    assert rec.problems == ("unicast-dst",)
    msg = v3_msg("2001:db8::1", "2001:db8::2", ("2001:db8::10",))
    rec6 = decode(eth_ip6(msg, src="2001:db8::1", dst="2001:db8::2"))
    assert isinstance(rec6, Advert) and rec6.checksum_ok
    assert rec6.problems == ("unicast-dst", "src-not-link-local")


def test_other_multicast_group() -> None:
    rec = decode(eth_ip4(v2_msg(), dst="224.0.0.5"))
    assert isinstance(rec, Advert) and rec.problems == ("wrong-group",)


def test_trailing_bytes_hmac_trailer_still_accepted() -> None:
    msg = v2_msg(auth_type=1, auth=b"pass\0\0\0\0")
    # A trailer after the RFC message; the checksum covers only the message.
    rec = decode(eth_ip4(msg + b"\x01" * 20))
    assert isinstance(rec, Advert)
    assert rec.auth_data == b"pass\0\0\0\0" and rec.addresses == ("203.0.113.1",)
    assert rec.checksum_ok and rec.problems == ("trailing-bytes",)
    # Checksum over message + trailer is accepted too.
    whole = with_checksum(msg + b"\x02" * 20)
    rec2 = decode(eth_ip4(whole))
    assert isinstance(rec2, Advert) and rec2.checksum_ok and rec2.problems == ("trailing-bytes",)


def test_ethernet_padding_is_not_trailing() -> None:
    # 20-byte v2 message in a 60-byte frame: padding after the IP packet is ignored.
    data = eth_ip4(v2_msg(auth=b""))
    rec = decode(data + b"\x00" * (60 - len(data)))
    assert isinstance(rec, Advert) and rec.problems == ("auth-missing",) and rec.checksum_ok


def test_auth_missing_v2() -> None:
    rec = decode(eth_ip4(v2_msg(addrs=("203.0.113.1", "203.0.113.2"), auth=b"")))
    assert isinstance(rec, Advert)
    assert rec.addresses == ("203.0.113.1", "203.0.113.2")
    assert rec.auth_data == b"" and rec.checksum_ok and rec.problems == ("auth-missing",)


def test_v2_with_auth_on_but_no_room_for_the_count_is_malformed() -> None:
    # 16 bytes, count 2, auth type 1: two addresses and no password, or no address
    # and an 8-byte password? With auth on, VRRPv2 carries the field: the count lies.
    msg = v2_msg(addrs=("203.0.113.1", "203.0.113.2"), auth=b"", auth_type=1)
    rec = decode(eth_ip4(msg))
    assert isinstance(rec, Malformed) and "address count 2" in rec.reason
    # Too short to hold any auth field: the one address fits, auth is missing.
    rec = decode(eth_ip4(v2_msg(addrs=("203.0.113.1",), auth=b"", auth_type=1)))
    assert isinstance(rec, Advert) and rec.problems == ("auth-missing",)


def test_count_mismatch() -> None:
    # Count says 3 but the message holds 1 address and no auth data.
    msg = v2_msg(addrs=("203.0.113.1",), count=3, auth=b"")
    rec = decode(eth_ip4(msg))
    assert isinstance(rec, Advert)
    assert rec.addresses == ("203.0.113.1",)
    assert "count-mismatch" in rec.problems and rec.checksum_ok


def test_lying_count_never_turns_the_password_into_addresses() -> None:
    # Count 3, one address and the password: the 20 bytes are exactly what three
    # addresses without auth would take, so the old decoder read the password as
    # "108.101.97.107", "109.101.49.50".
    msg = v2_msg(addrs=("198.51.100.50",), count=3, auth=b"leakme12", auth_type=1)
    rec = decode(eth_ip4(msg))
    assert isinstance(rec, Malformed), rec
    assert "leakme" not in rec.reason and "108.101" not in rec.reason


def test_unknown_type() -> None:
    rec = decode(eth_ip4(v2_msg(first=0x22)))
    assert isinstance(rec, Advert) and rec.type == 2 and rec.problems == ("unknown-type",)


def test_v2_over_ipv6() -> None:
    import socket

    body = struct.pack("!BBBBBBH", 0x21, 1, 100, 1, 0, 1, 0)
    body += socket.inet_pton(socket.AF_INET6, "2001:db8::1") + b"\0" * 8
    rec = decode(eth_ip6(with_checksum(body)))
    assert isinstance(rec, Advert) and rec.addresses == ("2001:db8::1",)
    assert rec.problems == ("v2-over-ipv6",)


def test_unknown_version_is_malformed() -> None:
    rec = decode(eth_ip4(v2_msg(first=0x41)))
    assert isinstance(rec, Malformed)
    assert rec.reason == "unknown VRRP version 4 (expected 2 or 3)"
    assert rec.src == "198.51.100.2" and rec.proto == "vrrp"


def test_truncated_header_is_malformed() -> None:
    rec = decode(eth_ip4(v2_msg()[:5]))
    assert isinstance(rec, Malformed) and rec.reason == "truncated VRRP header (5 < 8 bytes)"


def test_address_list_cut_by_capture_is_malformed() -> None:
    # The IP length says 3 addresses are there, the snaplen cut the frame after 1.
    data = eth_ip4(v2_msg(addrs=("203.0.113.1", "203.0.113.2", "203.0.113.3")))
    rec = decode(data[: 14 + 20 + 8 + 5])
    assert isinstance(rec, Malformed)
    assert rec.reason == "address list cut by capture (3 addresses need 20 bytes, 13 captured)"


def test_auth_cut_by_capture_is_flagged() -> None:
    data = eth_ip4(v2_msg(auth_type=1, auth=b"abcdefgh"))
    rec = decode(data[:-3])
    assert isinstance(rec, Advert) and rec.auth_data == b"abcde"
    assert not rec.checksum_ok and rec.problems == ("truncated-capture",)


def test_ipv4_options_are_skipped() -> None:
    data = eth_ip4(v2_msg(vrid=77), options=b"\x94\x04\x00\x00")  # router alert
    assert data[14] == 0x46
    rec = decode(data)
    assert isinstance(rec, Advert) and rec.vrid == 77 and rec.problems == ()


def test_ipv4_fragment_is_malformed() -> None:
    rec = decode(eth_ip4(v2_msg(), frag=2))
    assert isinstance(rec, Malformed) and "fragment" in rec.reason and rec.proto == "ip"


def test_not_ours_is_none() -> None:
    from scapy.layers.inet import UDP

    udp = bytes(Ether() / IP(src="198.51.100.1", dst="198.51.100.2") / UDP(dport=53) / b"x")
    assert decode(udp) is None
    assert decode(b"") is None
    assert decode(b"\x00" * 13) is None


def test_every_problem_word_is_documented() -> None:
    from vrrptop.wire.vrrp import PROBLEMS

    msg = bytearray(v2_msg(vrid=0, addrs=(), adv=0, auth_type=5, first=0x23, auth=b""))
    rec = decode(eth_ip4(bytes(msg) + b"\x00" * 3, ttl=1, dst="198.51.100.99"))
    assert isinstance(rec, Advert)
    assert set(rec.problems) == {
        "ttl-not-255",
        "unicast-dst",
        "auth-missing",  # 11 bytes: 3 of the 8 auth bytes
        "unknown-auth-type",
        "unknown-type",
        "vrid-0",
        "no-addresses",
        "zero-interval",
    }
    assert set(rec.problems) <= set(PROBLEMS)
