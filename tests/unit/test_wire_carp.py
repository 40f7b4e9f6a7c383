"""CARP shares IP proto 112 and 224.0.0.18 with VRRP: it must come out as Carp, never Advert."""

from __future__ import annotations

import struct

from scapy.layers.inet import IP
from scapy.layers.inet6 import IPv6
from scapy.layers.l2 import Ether
from test_wire_support import GROUP4, GROUP6, fr, v2_msg, with_checksum

from vrrptop.wire.decode import clear_cache, decode_frame
from vrrptop.wire.records import Advert, Carp, Malformed


def carp_bytes(vhid: int = 5, advskew: int = 100, advbase: int = 1, counter: int = 0) -> bytes:
    """struct carp_header from OpenBSD netinet/ip_carp.h, by hand.

    (scapy.contrib.carp would do, but importing it rebinds IP proto 112 to CARP for
    the whole test session, which would change what other tests' scapy builds mean.)
    """
    hdr = struct.pack("!BBBBBBHQ", 0x21, vhid, advskew, 7, 0, advbase, 0, counter)
    hdr += bytes.fromhex("deadbeef") + b"\x11" * 16  # 20-byte SHA1 HMAC
    return with_checksum(hdr)


def test_carp_ipv4() -> None:
    msg = carp_bytes(vhid=5, advskew=100, advbase=2, counter=(7 << 32) | 9)
    assert len(msg) == 36 and msg[0] == 0x21  # same first byte as VRRPv2
    data = bytes(
        Ether(src="00:00:5e:00:01:05")
        / IP(src="198.51.100.3", dst=GROUP4, ttl=255, proto=112)
        / msg
    )
    clear_cache()
    rec = decode_frame(fr(data))
    assert isinstance(rec, Carp)
    assert (rec.src, rec.dst, rec.src_mac, rec.family) == (
        "198.51.100.3",
        GROUP4,
        "00:00:5e:00:01:05",
        4,
    )
    assert (rec.version, rec.type, rec.vhid, rec.advskew, rec.advbase) == (2, 1, 5, 100, 2)
    assert rec.counter == (7 << 32) | 9 and rec.vlan is None


def test_carp_ipv6() -> None:
    data = bytes(Ether() / IPv6(src="fe80::3", dst=GROUP6, hlim=255, nh=112) / carp_bytes(vhid=9))
    clear_cache()
    rec = decode_frame(fr(data))
    assert isinstance(rec, Carp) and rec.family == 6 and rec.vhid == 9


def test_vrrp_v2_with_seven_addresses_is_still_vrrp() -> None:
    addrs = tuple(f"203.0.113.{i}" for i in range(1, 8))
    data = bytes(
        Ether() / IP(src="198.51.100.3", dst=GROUP4, ttl=255, proto=112) / v2_msg(addrs=addrs)
    )
    clear_cache()
    rec = decode_frame(fr(data))
    assert isinstance(rec, Advert) and rec.addresses == addrs and rec.problems == ()


def test_vrrp_v2_36_bytes_with_five_addresses_is_vrrp() -> None:
    # Same length as CARP; byte 3 (count) is 5, not CARP's authlen 7.
    addrs = tuple(f"203.0.113.{i}" for i in range(1, 6))
    msg = v2_msg(addrs=addrs)
    assert len(msg) == 36
    clear_cache()
    rec = decode_frame(
        fr(bytes(Ether() / IP(src="198.51.100.3", dst=GROUP4, ttl=255, proto=112) / msg))
    )
    assert isinstance(rec, Advert) and len(rec.addresses) == 5


def test_truncated_carp_is_malformed() -> None:
    data = bytes(Ether() / IP(src="198.51.100.3", dst=GROUP4, ttl=255, proto=112) / carp_bytes())
    clear_cache()
    rec = decode_frame(fr(data[:-10]))
    assert isinstance(rec, Malformed) and rec.proto == "carp"
    assert rec.reason == "CARP advert cut by capture (26 of 36 bytes)"


def test_carp_hmac_bytes_do_not_matter() -> None:
    a = bytearray(carp_bytes())
    a[20:36] = struct.pack("!4I", 1, 2, 3, 4)
    clear_cache()
    rec = decode_frame(
        fr(bytes(Ether() / IP(src="198.51.100.3", dst=GROUP4, proto=112) / bytes(a)))
    )
    assert isinstance(rec, Carp)
