"""The decoding entry point: one frame in, one record (or None) out, never an exception.

Masters repeat the same advert every interval, so decoded adverts are cached by the
bytes that determine them: the whole frame with the IPv4 identification and header
checksum masked out (keepalived increments the IP ID on every advert, and neither
field changes the decode). A hit costs a key, a dict lookup and one constructor
call instead of a full parse. The cache is bounded and simply cleared when full.

Each entry is a ``Template`` that every advert re-stamped from it carries
(``Advert.template``): adverts with the same template have the same fields but
``ts`` and ``frame``, which lets the tracker and the JSON writer replace a dozen
field comparisons per advert by one identity test.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import fields
from operator import attrgetter
from typing import Any, Final

from vrrptop.wire.arp import decode_arp
from vrrptop.wire.errors import DecodeError
from vrrptop.wire.ip import PROTO_VRRP, parse_ipv4, parse_ipv6
from vrrptop.wire.link import ETH_ARP, ETH_IPV4, VLAN_TPIDS, parse_link
from vrrptop.wire.nd import decode_na
from vrrptop.wire.records import Advert, Carp, Frame, Garp, Malformed, Neighbour
from vrrptop.wire.vrrp import decode_ip112

CACHE_MAX: Final = 16384
"""Distinct adverts cached. A segment's steady state is one entry per router and
instance (2,000 instances on a trunk with 8 routers each is 16,000): the cache is
cleared when full, so a segment with more distinct adverts than this decodes every
advert in full (measured by ``benchmarks/bench_scale.py``: 4,096 entries made
2,000 instances x 16 routers cost 74 µs an advert)."""
#: Larger frames are decoded but not cached: real adverts are well under this, and
#: it bounds the cache's memory (keys hold the frame) to about 32 MiB (real adverts
#: of 60-150 bytes: a few MiB).
CACHE_FRAME_MAX: Final = 2048


class Template:
    """One cache entry: an advert's constructor arguments before and after ``frame``
    (``ts`` excluded). Hashed and compared by identity, so a consumer's table keyed
    by templates costs one pointer hash, and a template made after a cache clear is
    never taken for an older one."""

    __slots__ = ("head", "tail")

    def __init__(self, head: tuple[Any, ...], tail: tuple[Any, ...]) -> None:
        self.head = head
        self.tail = tail


_cache: Final[dict[tuple[int, bytes] | bytes, Template]] = {}

# Re-stamping goes through the real constructor with positional arguments (twice as
# fast as dataclasses.replace); the field order is read from the contract, not assumed.
# Module constants are ``Final``: the compiled build (``vrrptop.native``) then reads
# them as C statics, not by a lookup in the module's dict on every frame.
_NAMES = [f.name for f in fields(Advert) if f.init]
_FRAME_AT: Final = _NAMES.index("frame")
assert _NAMES[0] == "ts"
_get_all: Final = attrgetter(*_NAMES)
_new_advert: Final[Callable[..., Advert]] = Advert  # positional re-stamp (mypy cannot count *args)
_VLAN_TAGS = frozenset(t.to_bytes(2, "big") for t in VLAN_TPIDS)
_IPV4_TYPE: Final = b"\x08\x00"
_IPV6_TYPE: Final = b"\x86\xdd"


def clear_cache() -> None:
    """Forget cached adverts (tests and benchmarks use it to measure cold decodes)."""
    _cache.clear()


def _ipv4_key(linktype: int, data: bytes, off: int) -> tuple[int, bytes] | bytes:
    """Key for an IPv4 frame: everything but the IP ID and header checksum."""
    if len(data) >= off + 20 and data[off] >> 4 == 4 and data[off + 9] == PROTO_VRRP:
        masked = data[: off + 4] + data[off + 6 : off + 10] + data[off + 12 :]
        # Ethernet (the common case) keys on bare bytes: no tuple to build and hash.
        return masked if linktype == 1 else (linktype, masked)
    return (linktype, data)


def cache_key(linktype: int, data: bytes) -> tuple[int, bytes] | bytes:
    """The cache key for a frame: frames with equal keys decode identically."""
    if linktype == 1:
        et = data[12:14]
        if et == _IPV4_TYPE:
            return _ipv4_key(1, data, 14)
        if et == _IPV6_TYPE:
            # Bare bytes, like a masked IPv4 key, from which 86dd at [12:14] tells it.
            return data
        off = 14
        while et in _VLAN_TAGS:
            et = data[off + 2 : off + 4]
            off += 4
        if et == _IPV4_TYPE:
            return _ipv4_key(1, data, off)
    elif linktype == 113:
        if data[14:16] == _IPV4_TYPE:
            return _ipv4_key(linktype, data, 16)
    elif linktype == 276:
        if data[0:2] == _IPV4_TYPE:
            return _ipv4_key(linktype, data, 20)
    elif linktype in (101, 228, 12, 14):
        return _ipv4_key(linktype, data, 0)
    elif linktype in (0, 108):
        return _ipv4_key(linktype, data, 4)
    return (linktype, data)


def _decode(ts: float, linktype: int, data: bytes) -> Advert | Carp | Garp | Neighbour | None:
    link = parse_link(linktype, data)
    if link is None:
        return None
    et = link.ethertype
    if et == ETH_ARP:
        return decode_arp(ts, data, link)
    ip = parse_ipv4(data, link.offset) if et == ETH_IPV4 else parse_ipv6(data, link.offset)
    if ip is None:
        return None
    if ip.proto == PROTO_VRRP:
        return decode_ip112(ts, data, ip, link, data)
    return decode_na(ts, data, ip, link)


def decode_frame(frame: Frame) -> Advert | Carp | Garp | Neighbour | Malformed | None:
    """Decode one captured frame.

    Returns an Advert (VRRP), Carp, Garp (gratuitous ARP / unsolicited NA), a
    Neighbour (unicast ARP reply / solicited NA: joins a host's addresses), a
    Malformed record for frames that are ours but undecodable, or None for any other
    traffic. Never raises.
    """
    try:
        data = frame.data
        if type(data) is not bytes:  # bytearray/memoryview from a careless source
            data = bytes(data)
        linktype = frame.linktype
        # Inlined cache_key for the common cases (untagged Ethernet: IPv4 proto 112, IPv6).
        key: tuple[int, bytes] | bytes
        if linktype == 1:
            et = data[12:14]
            if (
                et == _IPV4_TYPE
                and len(data) >= 34
                and data[23] == PROTO_VRRP
                and data[14] >> 4 == 4
            ):
                key = data[:18] + data[20:24] + data[26:]
            elif et == _IPV6_TYPE:
                key = data
            else:
                key = cache_key(linktype, data)
        else:
            key = cache_key(linktype, data)
        hit = _cache.get(key)
        if hit is not None:
            a = _new_advert(frame.ts, *hit.head, data, *hit.tail)
            a.template = hit
            return a
        try:
            rec = _decode(frame.ts, linktype, data)
        except DecodeError as e:
            return Malformed(ts=frame.ts, reason=e.reason, src=e.src, proto=e.proto, frame=data)
        if type(rec) is Advert and len(data) <= CACHE_FRAME_MAX:
            if len(_cache) >= CACHE_MAX:
                _cache.clear()
            values = _get_all(rec)
            rec.template = _cache[key] = Template(values[1:_FRAME_AT], values[_FRAME_AT + 1 :])
        return rec
    except Exception as e:  # last resort: a decoder bug must not kill the capture
        return Malformed(
            ts=getattr(frame, "ts", 0.0),
            reason=f"internal decoder error: {type(e).__name__}: {e}",
            proto="link",
            frame=getattr(frame, "data", b""),
        )
