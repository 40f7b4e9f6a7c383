"""Link layers: find the network-layer packet inside a captured frame.

Supports Ethernet (with 802.1Q / 802.1ad tags, stacked, and LLC/SNAP), Linux cooked
captures SLL (113) and SLL2 (276), raw IP (101, 228, 229 and the BSD DLT_RAW values
12 and 14), BSD loopback NULL (0) / LOOP (108) and Frame Relay (107). Anything else,
or a frame too short to hold its link header, is "not ours" (None): a link header
says nothing about whether VRRP is inside.
"""

from __future__ import annotations

from typing import NamedTuple

ETH_IPV4 = 0x0800
ETH_IPV6 = 0x86DD
ETH_ARP = 0x0806

LINKTYPE_NULL = 0
LINKTYPE_ETHERNET = 1
LINKTYPE_RAW_BSD12 = 12
LINKTYPE_RAW_BSD14 = 14
LINKTYPE_RAW = 101
LINKTYPE_FRELAY = 107
LINKTYPE_LOOP = 108
LINKTYPE_LINUX_SLL = 113
LINKTYPE_IPV4 = 228
LINKTYPE_IPV6 = 229
LINKTYPE_LINUX_SLL2 = 276

#: Link types this package decodes; the capture layer can warn about others.
SUPPORTED_LINKTYPES = frozenset(
    {
        LINKTYPE_NULL,
        LINKTYPE_ETHERNET,
        LINKTYPE_RAW_BSD12,
        LINKTYPE_RAW_BSD14,
        LINKTYPE_RAW,
        LINKTYPE_FRELAY,
        LINKTYPE_LOOP,
        LINKTYPE_LINUX_SLL,
        LINKTYPE_IPV4,
        LINKTYPE_IPV6,
        LINKTYPE_LINUX_SLL2,
    }
)

#: 802.1Q, 802.1ad and the pre-standard QinQ tag protocol identifiers.
VLAN_TPIDS = frozenset({0x8100, 0x88A8, 0x9100, 0x9200})

_RAW_TYPES = frozenset({LINKTYPE_RAW, LINKTYPE_RAW_BSD12, LINKTYPE_RAW_BSD14})
_SNAP_HDR = b"\xaa\xaa\x03\x00\x00\x00"
_ARPHRD_ETHER = 1
# SLL packet types 1 (broadcast) and 2 (multicast) went to a group address.
_SLL_GROUP = (1, 2)


class Link(NamedTuple):
    """Where the network packet starts and what the link layer said about it."""

    ethertype: int
    """0x0800 IPv4, 0x86dd IPv6, 0x0806 ARP (raw IP types: from the version nibble)."""
    offset: int
    """Byte offset of the network header in the frame."""
    src_mac: str | None
    """Sender MAC, lower-case colon form; None when the link has none."""
    vlan: int | None
    """Innermost VLAN ID (the one the routers are configured on); None if untagged."""
    group: bool | None
    """True when the link destination was broadcast/multicast; None if unknown."""


def _ip_by_version(data: bytes, off: int) -> int | None:
    if len(data) <= off:
        return None
    v = data[off] >> 4
    return ETH_IPV4 if v == 4 else ETH_IPV6 if v == 6 else None


def _after_ethertype(
    data: bytes, off: int, etype: int, src_mac: str | None, group: bool | None
) -> Link | None:
    """Skip VLAN tags (any depth) starting at an ethertype read before ``off``."""
    vlan: int | None = None
    n = len(data)
    while etype in VLAN_TPIDS:
        if n < off + 4:
            return None
        vid = ((data[off] << 8) | data[off + 1]) & 0x0FFF
        # VID 0 is a priority-only tag: the frame belongs to the untagged LAN.
        if vid:
            vlan = vid
        etype = (data[off + 2] << 8) | data[off + 3]
        off += 4
    if etype < 0x0600:
        # 802.3 length field: only LLC/SNAP with OUI 0 carries an ethertype.
        if data[off : off + 6] != _SNAP_HDR or n < off + 8:
            return None
        etype = (data[off + 6] << 8) | data[off + 7]
        off += 8
    if etype not in (ETH_IPV4, ETH_IPV6, ETH_ARP):
        return None
    return Link(etype, off, src_mac, vlan, group)


def _ethernet(data: bytes) -> Link | None:
    if len(data) < 14:
        return None
    etype = (data[12] << 8) | data[13]
    return _after_ethertype(data, 14, etype, data[6:12].hex(":"), bool(data[0] & 1))


def _sll(data: bytes) -> Link | None:
    # pkttype(2) hatype(2) halen(2) addr(8) protocol(2)
    if len(data) < 16:
        return None
    pkttype = (data[0] << 8) | data[1]
    hatype = (data[2] << 8) | data[3]
    halen = (data[4] << 8) | data[5]
    mac = data[6:12].hex(":") if hatype == _ARPHRD_ETHER and halen == 6 else None
    etype = (data[14] << 8) | data[15]
    return _after_ethertype(data, 16, etype, mac, pkttype in _SLL_GROUP)


def _sll2(data: bytes) -> Link | None:
    # protocol(2) reserved(2) ifindex(4) hatype(2) pkttype(1) halen(1) addr(8)
    if len(data) < 20:
        return None
    etype = (data[0] << 8) | data[1]
    hatype = (data[8] << 8) | data[9]
    mac = data[12:18].hex(":") if hatype == _ARPHRD_ETHER and data[11] == 6 else None
    return _after_ethertype(data, 20, etype, mac, data[10] in _SLL_GROUP)


def _frelay(data: bytes) -> Link | None:
    # Q.922 address: 2 to 4 bytes, the last one has the EA bit (0x01) set.
    off = 0
    n = len(data)
    while off < 4 and off < n and not data[off] & 1:
        off += 1
    if off == 0 or off >= 4 or n < off + 3:
        return None
    off += 1
    if data[off] != 0x03:
        # Cisco encapsulation: an ethertype follows the address.
        etype = (data[off] << 8) | data[off + 1]
        return _after_ethertype(data, off + 2, etype, None, None)
    off += 1
    if data[off] == 0x00:  # optional padding before the NLPID
        off += 1
    if off >= n:
        return None
    nlpid = data[off]
    if nlpid == 0xCC:
        return Link(ETH_IPV4, off + 1, None, None, None)
    if nlpid == 0x8E:
        return Link(ETH_IPV6, off + 1, None, None, None)
    if nlpid == 0x80 and n >= off + 6:  # SNAP: OUI(3) then ethertype
        etype = (data[off + 4] << 8) | data[off + 5]
        return _after_ethertype(data, off + 6, etype, None, None)
    return None


def parse_link(linktype: int, data: bytes) -> Link | None:
    """Locate the IPv4/IPv6/ARP packet in ``data``; None if there is none to decode."""
    if linktype == LINKTYPE_ETHERNET:
        return _ethernet(data)
    if linktype == LINKTYPE_LINUX_SLL:
        return _sll(data)
    if linktype == LINKTYPE_LINUX_SLL2:
        return _sll2(data)
    if linktype in _RAW_TYPES:
        et = _ip_by_version(data, 0)
        return None if et is None else Link(et, 0, None, None, None)
    if linktype == LINKTYPE_IPV4:
        return Link(ETH_IPV4, 0, None, None, None)
    if linktype == LINKTYPE_IPV6:
        return Link(ETH_IPV6, 0, None, None, None)
    if linktype in (LINKTYPE_NULL, LINKTYPE_LOOP):
        # The 4-byte address family is host- or network-ordered and its IPv6 value
        # differs between BSDs: the IP version nibble is simpler and as reliable.
        et = _ip_by_version(data, 4)
        return None if et is None else Link(et, 4, None, None, None)
    if linktype == LINKTYPE_FRELAY:
        return _frelay(data)
    return None
