"""The fast internet checksum against the slow reference loop and scapy."""

from __future__ import annotations

import random

from hypothesis import given
from hypothesis import strategies as st
from scapy.layers.inet import IP, in4_chksum
from scapy.layers.inet6 import IPv6, in6_chksum
from test_wire_support import ph4, ph6, ref_checksum

from vrrptop.wire import checksum as ck


@given(st.binary(max_size=300))
def test_checksum_equals_reference(data: bytes) -> None:
    assert ck.checksum(data) == ref_checksum(data)


@given(st.binary(min_size=8, max_size=300).filter(any))
def test_verify_accepts_exactly_the_right_checksum(data: bytes) -> None:
    zeroed = data[:6] + b"\0\0" + data[8:]
    good = ref_checksum(zeroed)
    assert ck.verify(zeroed[:6] + good.to_bytes(2, "big") + zeroed[8:])
    bad = (good + 1) & 0xFFFF
    # 0x0000 and 0xffff are the same one's-complement value: skip that alias.
    if {good, bad} != {0, 0xFFFF}:
        assert not ck.verify(zeroed[:6] + bad.to_bytes(2, "big") + zeroed[8:])


def test_pseudo_headers_match_hand_layout() -> None:
    import socket

    s4, d4 = socket.inet_aton("198.51.100.1"), socket.inet_aton("224.0.0.18")
    assert ck.pseudo_header_v4(s4, d4, 112, 16) == ph4("198.51.100.1", "224.0.0.18", 16)
    s6 = socket.inet_pton(socket.AF_INET6, "fe80::1")
    d6 = socket.inet_pton(socket.AF_INET6, "ff02::12")
    assert ck.pseudo_header_v6(s6, d6, 112, 40) == ph6("fe80::1", "ff02::12", 40)


def test_verify_with_pseudo_header_matches_scapy() -> None:
    rng = random.Random(3)
    for n in (8, 9, 16, 40, 41):
        body = bytes(rng.randrange(256) for _ in range(n))
        body = body[:6] + b"\0\0" + body[8:]
        c4 = in4_chksum(112, IP(src="198.51.100.1", dst="224.0.0.18"), body)
        msg4 = body[:6] + c4.to_bytes(2, "big") + body[8:]
        assert ck.verify(msg4, ph4("198.51.100.1", "224.0.0.18", n))
        c6 = in6_chksum(112, IPv6(src="fe80::1", dst="ff02::12"), body)
        msg6 = body[:6] + c6.to_bytes(2, "big") + body[8:]
        assert ck.verify(msg6, ph6("fe80::1", "ff02::12", n))
        assert not ck.verify(msg6, ph6("fe80::2", "ff02::12", n))
