"""Typed records the decoders produce; every consumer works on these.

Records are hashable and treated as immutable, so that identical adverts (a master
repeats the same bytes every interval) can be decoded once and re-stamped. They are
not ``frozen`` dataclasses on purpose: a frozen slots dataclass with twenty fields
costs ~3 µs to construct (every field goes through ``object.__setattr__``), a plain
one ~0.4 µs, and one is built per captured frame. Never assign to a record's fields.

The two records built per frame, ``Frame`` and ``Advert``, write their ``__init__``
out (``init=False``) rather than let ``dataclasses`` generate it: the same code in
pure Python, but the compiled build (``vrrptop.native``) can compile only what is in
the source, and a generated ``__init__`` stays interpreted there: a quarter of a
compiled advert's cost. ``tests/unit/test_wire_records_init.py`` holds each written
``__init__`` to its fields (names, order, defaults).
"""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any, Literal

#: Checksum variants a VRRP advert can match.
#: "v2": RFC 3768, message only.  "v3": RFC 5798 with the IPv4/IPv6 pseudo-header.
#: "v3-as-v2": VRRPv3 over IPv4 computed without the pseudo-header (RFC 9568 errata,
#: Cisco, keepalived ``v3_checksum_as_v2``).
#: "v3-old-unicast": keepalived's ``old_unicast_checksum``: a unicast VRRPv3/IPv4
#: advert whose pseudo-header carries the group 224.0.0.18 instead of the peer.
ChecksumVariant = Literal["v2", "v3", "v3-as-v2", "v3-old-unicast"]


@dataclass(slots=True, unsafe_hash=True, init=False)
class Frame:
    """One captured link-layer frame, before decoding."""

    ts: float
    """Capture time, seconds since the epoch."""
    linktype: int
    """pcap LINKTYPE_* value (1 Ethernet, 101/228/229 raw IP, 113 SLL, 276 SLL2)."""
    data: bytes
    """The captured bytes (possibly shorter than the wire length)."""
    wirelen: int = -1
    """Original length on the wire; -1 when unknown (same as ``len(data)``)."""

    def __init__(self, ts: float, linktype: int, data: bytes, wirelen: int = -1) -> None:
        self.ts = ts
        self.linktype = linktype
        self.data = data
        self.wirelen = wirelen


@dataclass(slots=True, unsafe_hash=True, init=False)
class Advert:
    """A decoded VRRP advertisement (v2 or v3, IPv4 or IPv6)."""

    ts: float
    src: str
    """Source IP address: identifies the router (not the MAC)."""
    dst: str
    src_mac: str | None
    """Source MAC, lower-case colon form; None on raw-IP link types."""
    family: Literal[4, 6]
    version: int
    type: int
    vrid: int
    priority: int
    interval_cs: int
    """Advertisement interval in centiseconds (v2 seconds are multiplied by 100)."""
    addresses: tuple[str, ...]
    auth_type: int | None
    """v2 auth type (0 none, 1 simple text, 2 IP AH); None for v3."""
    auth_data: bytes = field(repr=False)
    """v2 auth data as on the wire (8 bytes, or fewer if the message is short).
    Secret: render only through ``vrrptop.wire.auth.mask``/``show``."""
    ttl: int
    checksum: int
    checksum_ok: bool
    checksum_variant: ChecksumVariant | None
    """Which variant matched; None when none did (``checksum_ok`` is False)."""
    vlan: int | None
    problems: tuple[str, ...]
    """Protocol problems, short kebab-case words: "ttl-not-255", "unicast-dst",
    "count-mismatch", "trailing-bytes", "auth-missing", "bad-checksum", ..."""
    frame: bytes = field(default=b"", repr=False)
    """Raw frame bytes (for the detail screen's hex view); may be empty."""
    auth_offset: int = -1
    """Where ``auth_data`` starts in ``frame`` (-1: unknown or no auth field), so
    every hex dump can mask exactly those bytes (``vrrptop.wire.auth.secret_span``)."""
    template: Any = field(default=None, init=False, compare=False, hash=False, repr=False)
    """The decode cache's entry this advert was re-stamped from (None: decoded in
    full, or built elsewhere). Every advert sharing one template has the same fields
    but ``ts`` and ``frame``, so consumers may replace field comparisons by one
    identity test (``model.repeats``, ``output.jsonl``). Not a constructor argument,
    so ``dataclasses.replace`` (which may change fields) always drops it. Typed
    ``Any``, not ``object``: mypyc's dataclass support fails at import on ``object``
    (``KeyError: 'object'``)."""

    def __init__(
        self,
        ts: float,
        src: str,
        dst: str,
        src_mac: str | None,
        family: Literal[4, 6],
        version: int,
        type: int,
        vrid: int,
        priority: int,
        interval_cs: int,
        addresses: tuple[str, ...],
        auth_type: int | None,
        auth_data: bytes,
        ttl: int,
        checksum: int,
        checksum_ok: bool,
        checksum_variant: ChecksumVariant | None,
        vlan: int | None,
        problems: tuple[str, ...],
        frame: bytes = b"",
        auth_offset: int = -1,
    ) -> None:
        self.ts = ts
        self.src = src
        self.dst = dst
        self.src_mac = src_mac
        self.family = family
        self.version = version
        self.type = type
        self.vrid = vrid
        self.priority = priority
        self.interval_cs = interval_cs
        self.addresses = addresses
        self.auth_type = auth_type
        self.auth_data = auth_data
        self.ttl = ttl
        self.checksum = checksum
        self.checksum_ok = checksum_ok
        self.checksum_variant = checksum_variant
        self.vlan = vlan
        self.problems = problems
        self.frame = frame
        self.auth_offset = auth_offset
        self.template = None


@dataclass(slots=True, unsafe_hash=True)
class Carp:
    """A CARP advertisement (OpenBSD/FreeBSD): IP proto 112 but not VRRP."""

    ts: float
    src: str
    dst: str
    src_mac: str | None
    family: Literal[4, 6]
    version: int
    type: int
    vhid: int
    advskew: int
    advbase: int
    counter: int
    vlan: int | None


@dataclass(slots=True, unsafe_hash=True)
class Garp:
    """An address announcement: gratuitous ARP or unsolicited ICMPv6 NA.

    "address X announced by MAC M": tells who holds X on the switch.
    """

    ts: float
    address: str
    mac: str
    """The MAC claimed for ``address`` (ARP sender hw / NA target link-layer option,
    else the frame's source MAC)."""
    family: Literal[4, 6]
    kind: Literal["arp-request", "arp-reply", "na"]
    src_mac: str | None
    vlan: int | None


@dataclass(slots=True, unsafe_hash=True)
class Neighbour:
    """A neighbour's own answer: a unicast ARP reply or a solicited ICMPv6 NA.

    "address X is at MAC M", told to one asker (typically vrrptop's own DNS probes
    resolving a host). It joins a router's addresses by its real MAC -- the IPv4
    address of a host whose only adverts come from a link-local address, or from
    the virtual MAC with ``use_vmac`` -- and is never VIP-holder evidence: it says
    what one asker's cache holds, not what the switch and every client learnt.
    """

    ts: float
    address: str
    mac: str
    family: Literal[4, 6]
    vlan: int | None


@dataclass(slots=True, unsafe_hash=True)
class Malformed:
    """A frame that looked like ours (proto 112, ARP, NA) but could not be decoded."""

    ts: float
    reason: str
    """Short human reason, e.g. "truncated VRRP header (4 < 8 bytes)"."""
    src: str | None = None
    proto: str = "vrrp"
    """What it claimed to be: "vrrp", "arp", "nd", "link", "ip"."""
    frame: bytes = b""


Record = Advert | Carp | Garp | Neighbour | Malformed
"""Anything ``decode_frame`` returns (it returns None for frames that are not ours)."""
