"""Unsolicited ICMPv6 Neighbour Advertisements: the IPv6 gratuitous ARP (RFC 4861).

A new VRRPv3 master announces each IPv6 VIP with an unsolicited NA to ff02::1 with
the Override flag. An answer to a neighbour solicitation (Solicited flag) is a
``Neighbour``: it joins the target address to its MAC, and announces nothing.
"""

from __future__ import annotations

from vrrptop.wire.errors import DecodeError
from vrrptop.wire.ip import IpPacket, ntop
from vrrptop.wire.link import Link
from vrrptop.wire.records import Garp, Neighbour

ICMPV6_NA = 136
NA_LEN = 24  # type, code, checksum, flags+reserved, target address
ALL_NODES = bytes.fromhex("ff020000000000000000000000000001")
FLAG_SOLICITED = 0x40
FLAG_OVERRIDE = 0x20
OPT_TARGET_LLA = 2


def _target_lla(opts: bytes) -> str | None:
    """The 6-byte target link-layer address option, if present and well-formed."""
    i = 0
    while i + 2 <= len(opts):
        size = opts[i + 1] * 8
        if size == 0:
            return None  # RFC 4861: length 0 is invalid; stop rather than loop
        if opts[i] == OPT_TARGET_LLA and size >= 8 and i + 8 <= len(opts):
            return opts[i + 2 : i + 8].hex(":")
        i += size
    return None


def decode_na(ts: float, data: bytes, ip: IpPacket, link: Link) -> Garp | Neighbour | None:
    """A Garp(kind="na") for an unsolicited NA at ``ip.start``, a Neighbour for a
    solicited one; None otherwise."""
    start = ip.start
    if start >= len(data) or data[start] != ICMPV6_NA:
        return None
    msg = data[start : ip.end]
    if len(msg) < NA_LEN:
        raise DecodeError(
            f"truncated neighbour advertisement ({len(msg)} < {NA_LEN} bytes)",
            "nd",
            ntop(ip.src),
        )
    if msg[1] != 0:
        return None  # RFC 4861: code must be 0, receivers discard the rest
    flags = msg[4]
    unsolicited = ip.dst == ALL_NODES or (flags & FLAG_OVERRIDE and not flags & FLAG_SOLICITED)
    mac = _target_lla(msg[NA_LEN:]) or link.src_mac
    if mac is None:
        return None  # raw-IP capture without the option: no MAC to report
    if not unsolicited:
        return Neighbour(ts=ts, address=ntop(msg[8:24]), mac=mac, family=6, vlan=link.vlan)
    return Garp(
        ts=ts,
        address=ntop(msg[8:24]),
        mac=mac,
        family=6,
        kind="na",
        src_mac=link.src_mac,
        vlan=link.vlan,
    )
