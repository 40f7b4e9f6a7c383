"""IPv4 and IPv6 headers: find the upper-layer message VRRP, CARP or NA lives in.

Only the protocols this tool reads are followed (112 VRRP/CARP, 58 ICMPv6, and 51 AH
when it wraps 112 as VRRPv2 auth type 2 does); everything else is "not ours" (None)
as early as possible, because most captured traffic is someone else's.
"""

from __future__ import annotations

import socket
from typing import Final, Literal, NamedTuple

from vrrptop.wire.errors import DecodeError

PROTO_AH = 51
PROTO_ICMPV6 = 58
PROTO_VRRP: Final = 112

# IPv6 extension headers we skip: hop-by-hop, routing, fragment, AH, dest options.
_EXT_HOP, _EXT_ROUTING, _EXT_FRAG, _EXT_AH, _EXT_DEST = 0, 43, 44, 51, 60
_EXT_HEADERS = frozenset({_EXT_HOP, _EXT_ROUTING, _EXT_FRAG, _EXT_AH, _EXT_DEST})
_MAX_EXT = 16  # a bound: a crafted chain of thousands of empty headers is not VRRP

_ntop_cache: dict[bytes, str] = {}
_NTOP_MAX = 8192


def ntop(raw: bytes) -> str:
    """Format a 4- or 16-byte address; cached because a segment has few addresses."""
    s = _ntop_cache.get(raw)
    if s is None:
        s = socket.inet_ntop(socket.AF_INET if len(raw) == 4 else socket.AF_INET6, raw)
        if len(_ntop_cache) >= _NTOP_MAX:
            _ntop_cache.clear()
        _ntop_cache[raw] = s
    return s


class IpPacket(NamedTuple):
    """The parts of an IP header the decoders need."""

    family: Literal[4, 6]
    proto: int
    """Upper-layer protocol after skipped extension headers / AH."""
    ttl: int
    """IPv4 TTL or IPv6 hop limit."""
    src: bytes
    dst: bytes
    start: int
    """Offset of the upper-layer message in the frame."""
    end: int
    """Where the IP header says the message ends (may be past the captured bytes)."""
    ah: bool
    """True when the message was found behind an IP Authentication Header."""


def parse_ipv4(data: bytes, off: int) -> IpPacket | None:
    """Parse the IPv4 header at ``off``; None unless it carries proto 112.

    Raises DecodeError for a proto-112 packet whose IP layer is unusable.
    """
    n = len(data)
    if n < off + 20:
        if n >= off + 10 and data[off + 9] == PROTO_VRRP:
            raise DecodeError(f"truncated IPv4 header ({n - off} < 20 bytes)", "ip")
        return None
    b0 = data[off]
    proto = data[off + 9]
    if b0 >> 4 != 4 or proto not in (PROTO_VRRP, PROTO_AH):
        return None
    ihl = (b0 & 0x0F) * 4
    total = (data[off + 2] << 8) | data[off + 3]
    flags_frag = (data[off + 6] << 8) | data[off + 7]
    frag = flags_frag & 0x1FFF
    more_fragments = flags_frag & 0x2000
    # Only follow AH far enough to see whether VRRP (auth type 2) is inside.
    if proto == PROTO_AH and (ihl < 20 or n < off + ihl + 2 or data[off + ihl] != PROTO_VRRP):
        return None
    src = data[off + 12 : off + 16]
    if ihl < 20:
        raise DecodeError(f"bad IPv4 header length {ihl} (expected >= 20)", "ip", ntop(src))
    if n < off + ihl:
        raise DecodeError(f"truncated IPv4 options ({n - off} < {ihl} bytes)", "ip", ntop(src))
    if total < ihl:
        raise DecodeError(f"IPv4 total length {total} < header length {ihl}", "ip", ntop(src))
    if frag:
        raise DecodeError(
            f"IPv4 fragment at offset {frag * 8} (VRRP is never fragmented)", "ip", ntop(src)
        )
    if more_fragments:
        # A first fragment holds the start of the message only: never a whole advert.
        raise DecodeError(
            "IPv4 first fragment, more to follow (VRRP is never fragmented)", "ip", ntop(src)
        )
    start = off + ihl
    ah = False
    if proto == PROTO_AH:
        ah_len = (data[start + 1] + 2) * 4
        start += ah_len
        proto = PROTO_VRRP
        ah = True
    dst = data[off + 16 : off + 20]
    return IpPacket(4, proto, data[off + 8], src, dst, start, off + total, ah)


def _chain_ends_in(data: bytes, start: int, nh: int, proto: int) -> bool:
    """Whether the extension-header chain from ``start`` ends in ``proto``."""
    n = len(data)
    while nh in _EXT_HEADERS:
        if n < start + 8:
            return False
        if nh == _EXT_FRAG:
            size = 8
        elif nh == _EXT_AH:
            size = (data[start + 1] + 2) * 4
        else:
            size = (data[start + 1] + 1) * 8
        nh = data[start]
        start += size
    return nh == proto


def parse_ipv6(data: bytes, off: int) -> IpPacket | None:
    """Parse the IPv6 header at ``off`` and skip extension headers.

    None unless the final protocol is 112 or ICMPv6; raises DecodeError for an
    unusable proto-112 packet.
    """
    n = len(data)
    if n < off + 40:
        if n >= off + 7 and data[off + 6] == PROTO_VRRP:
            raise DecodeError(f"truncated IPv6 header ({n - off} < 40 bytes)", "ip")
        return None
    if data[off] >> 4 != 6:
        return None
    nh = data[off + 6]
    plen = (data[off + 4] << 8) | data[off + 5]
    start = off + 40
    # Payload length 0 is a jumbogram (or a lie): fall back to the captured bytes.
    end = start + plen if plen else n
    ah = False
    hops = 0
    while nh in _EXT_HEADERS:
        hops += 1
        if n < start + 8:
            return None
        if hops > _MAX_EXT:
            # Beyond the bound nothing is decoded, but VRRP hidden behind a long
            # chain is said, not dropped silently (the walk is bounded by the
            # captured bytes: every header is at least 8 bytes).
            if _chain_ends_in(data, start, nh, PROTO_VRRP):
                raise DecodeError(
                    f"VRRP behind more than {_MAX_EXT} IPv6 extension headers: not decoded",
                    "ip",
                    ntop(data[off + 8 : off + 24]),
                )
            return None
        if nh == _EXT_FRAG:
            if ((data[start + 2] << 8) | data[start + 3]) >> 3:
                return None  # a later fragment: its upper-layer header is elsewhere
            if data[start + 3] & 1 and data[start] == PROTO_VRRP:
                raise DecodeError(
                    "IPv6 first fragment, more to follow (VRRP is never fragmented)",
                    "ip",
                    ntop(data[off + 8 : off + 24]),
                )
            size = 8
        elif nh == _EXT_AH:
            size = (data[start + 1] + 2) * 4
            ah = True
        else:
            size = (data[start + 1] + 1) * 8
        nh = data[start]
        start += size
    if nh not in (PROTO_VRRP, PROTO_ICMPV6):
        return None
    src = data[off + 8 : off + 24]
    dst = data[off + 24 : off + 40]
    return IpPacket(6, nh, data[off + 7], src, dst, start, end, ah)
