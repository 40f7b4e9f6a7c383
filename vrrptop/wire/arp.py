"""Gratuitous ARP: who claims an IPv4 address on the segment (RFC 5227 / 826).

A VRRP master (and keepalived, which by default moves VIPs without a virtual MAC)
announces each VIP with gratuitous ARP; seeing them tells which MAC the switches
learn for a VIP. A unicast reply (typically to vrrptop's own probe of a host) is
a ``Neighbour``: it joins that host's address to its MAC, and is no announcement.
Who-has requests are not ours.
"""

from __future__ import annotations

from typing import Literal

from vrrptop.wire.errors import DecodeError
from vrrptop.wire.ip import ntop
from vrrptop.wire.link import Link
from vrrptop.wire.records import Garp, Neighbour

ARP_LEN = 28  # Ethernet/IPv4 ARP: 8-byte header + 6+4+6+4
_ETH_IPV4_HDR = b"\x00\x01\x08\x00\x06\x04"
_ZERO_IP = b"\x00\x00\x00\x00"
_BROADCAST = b"\xff" * 6
OP_REQUEST = 1
OP_REPLY = 2


def decode_arp(ts: float, data: bytes, link: Link) -> Garp | Neighbour | None:
    """A Garp for a gratuitous request/reply at ``link.offset``, a Neighbour for
    another reply, else None.

    Gratuitous means sender IP == target IP (request or reply), or a reply sent to
    a group address / to the broadcast hardware address (an unsolicited "is-at").
    ARP probes (sender IP 0.0.0.0) announce nothing and are ignored.
    """
    off = link.offset
    arp = data[off : off + ARP_LEN]
    if len(arp) < 8:
        raise DecodeError(f"truncated ARP header ({len(arp)} < 8 bytes)", "arp")
    if arp[:6] != _ETH_IPV4_HDR:
        return None  # not Ethernet/IPv4 ARP
    if len(arp) < ARP_LEN:
        raise DecodeError(f"truncated ARP ({len(arp)} < {ARP_LEN} bytes)", "arp")
    op = (arp[6] << 8) | arp[7]
    sha = arp[8:14]
    spa = arp[14:18]
    tha = arp[18:24]
    tpa = arp[24:28]
    if spa == _ZERO_IP:
        return None
    kind: Literal["arp-request", "arp-reply"]
    if op == OP_REQUEST:
        if spa != tpa:
            return None
        kind = "arp-request"
    elif op == OP_REPLY:
        if spa != tpa and not link.group and tha != _BROADCAST:
            return Neighbour(ts=ts, address=ntop(spa), mac=sha.hex(":"), family=4, vlan=link.vlan)
        kind = "arp-reply"
    else:
        return None
    return Garp(
        ts=ts,
        address=ntop(spa),
        mac=sha.hex(":"),
        family=4,
        kind=kind,
        src_mac=link.src_mac,
        vlan=link.vlan,
    )
