"""Build VRRP frames and pcap/pcapng files byte by byte, for hostile-input tests.

Plain ``struct``, no scapy: a test must be able to write exactly the lie it wants
(a count larger than the address list, a record length past the end, a timestamp
going backwards), which a packet library would "fix". Documentation addresses only.
"""

from __future__ import annotations

import struct
from collections.abc import Iterable, Sequence
from pathlib import Path

GROUP4 = bytes((224, 0, 0, 18))
GROUP6 = bytes.fromhex("ff020000000000000000000000000012")
SRC4 = bytes((198, 51, 100, 11))
SRC6 = bytes.fromhex("fe800000000000000000000000000011")
MAC_SRC = bytes.fromhex("020000000011")


def checksum(data: bytes) -> int:
    """The Internet checksum (RFC 1071)."""
    if len(data) % 2:
        data += b"\0"
    total = sum(struct.unpack(f"!{len(data) // 2}H", data))
    while total >> 16:
        total = (total & 0xFFFF) + (total >> 16)
    return ~total & 0xFFFF


def vrrp2(
    vrid: int = 10,
    priority: int = 100,
    addresses: Sequence[bytes] = (bytes((203, 0, 113, 10)),),
    count: int | None = None,
    auth_type: int = 0,
    auth: bytes = b"",
    interval_s: int = 1,
) -> bytes:
    """A VRRPv2 message; ``count`` may lie about ``addresses``."""
    n = len(addresses) if count is None else count
    head = bytes((0x21, vrid, priority, n, auth_type, interval_s, 0, 0))
    body = head + b"".join(addresses) + auth[:8].ljust(8, b"\0")
    cs = checksum(body)
    return body[:6] + struct.pack("!H", cs) + body[8:]


def vrrp3(
    vrid: int = 10,
    priority: int = 100,
    addresses: Sequence[bytes] = (bytes((203, 0, 113, 10)),),
    interval_cs: int = 100,
    src: bytes = SRC4,
    dst: bytes = GROUP4,
) -> bytes:
    """A VRRPv3 message with the pseudo-header checksum of ``src``/``dst``."""
    head = bytes((0x31, vrid, priority, len(addresses))) + struct.pack("!HH", interval_cs, 0)
    body = head + b"".join(addresses)
    if len(src) == 4:
        ph = src + dst + struct.pack("!BBH", 0, 112, len(body))
    else:
        ph = src + dst + struct.pack("!IxxxB", len(body), 112)
    cs = checksum(ph + body)
    return body[:6] + struct.pack("!H", cs) + body[8:]


def ipv4(payload: bytes, src: bytes = SRC4, dst: bytes = GROUP4, ttl: int = 255,
         proto: int = 112, flags_frag: int = 0, total: int | None = None) -> bytes:  # fmt: skip
    """An IPv4 header (checksum right) and ``payload``; ``total`` may lie."""
    length = 20 + len(payload) if total is None else total
    head = struct.pack("!BBHHHBBH4s4s", 0x45, 0, length, 1, flags_frag, ttl, proto, 0, src, dst)
    head = head[:10] + struct.pack("!H", checksum(head)) + head[12:]
    return head + payload


def ipv6(payload: bytes, src: bytes = SRC6, dst: bytes = GROUP6, nh: int = 112,
         hlim: int = 255, ext: int = 0) -> bytes:  # fmt: skip
    """An IPv6 header with ``ext`` hop-by-hop/destination option headers before ``nh``."""
    # Hop-by-hop first, then destination options (60); each is 8 bytes: next
    # header, length 0, a PadN option of 4 bytes.
    chain = b"".join(bytes((nh if i == ext - 1 else 60, 0, 1, 4, 0, 0, 0, 0)) for i in range(ext))
    first = 0 if ext else nh
    body = chain + payload
    head = struct.pack("!IHBB16s16s", 6 << 28, len(body), first, hlim, src, dst)
    return head + body


def ether(payload: bytes, ethertype: int = 0x0800, vlans: Iterable[int] = (),
          dst: bytes = bytes.fromhex("01005e000012")) -> bytes:  # fmt: skip
    """An Ethernet frame, with 802.1Q tags (outer first) for ``vlans``."""
    tags = b""
    vl = list(vlans)
    for i, vid in enumerate(vl):
        tpid = 0x88A8 if i == 0 and len(vl) > 1 else 0x8100
        tags += struct.pack("!HH", tpid, vid)
    return dst + MAC_SRC + tags + struct.pack("!H", ethertype) + payload


def advert4(vrid: int = 10, priority: int = 100, **kw: object) -> bytes:
    """A whole Ethernet + IPv4 + VRRPv2 frame."""
    return ether(ipv4(vrrp2(vrid, priority, **kw)))  # type: ignore[arg-type]


def advert6(vrid: int = 10, priority: int = 100, ext: int = 0) -> bytes:
    """A whole Ethernet + IPv6 + VRRPv3 frame (optionally behind extension headers)."""
    msg = vrrp3(vrid, priority, (bytes.fromhex("20010db8000000000000000000000010"),),
                src=SRC6, dst=GROUP6)  # fmt: skip
    return ether(ipv6(msg, ext=ext), 0x86DD, dst=bytes.fromhex("333300000012"))


Record = tuple[float, bytes]


def pcap(records: Iterable[Record], linktype: int = 1, *, nano: bool = False,
         big: bool = False, snaplen: int = 262144,
         raw: Iterable[tuple[int, int, int, int, bytes]] = ()) -> bytes:  # fmt: skip
    """A classic pcap; ``raw`` records give (sec, frac, caplen, wirelen, data) verbatim."""
    e = ">" if big else "<"
    magic = 0xA1B23C4D if nano else 0xA1B2C3D4
    out = [struct.pack(e + "IHHiIII", magic, 2, 4, 0, 0, snaplen, linktype)]
    scale = 10**9 if nano else 10**6
    for ts, data in records:
        sec = int(ts)
        frac = int(round((ts - sec) * scale))
        out.append(struct.pack(e + "IIII", sec, frac, len(data), len(data)) + data)
    for sec, frac, caplen, wirelen, data in raw:
        out.append(struct.pack(e + "IIII", sec, frac, caplen, wirelen) + data)
    return b"".join(out)


def _block(kind: int, body: bytes, e: str = "<") -> bytes:
    pad = b"\0" * (-len(body) % 4)
    total = 12 + len(body) + len(pad)
    return struct.pack(e + "II", kind, total) + body + pad + struct.pack(e + "I", total)


def pcapng_shb(big: bool = False) -> bytes:
    """A Section Header Block."""
    e = ">" if big else "<"
    return _block(0x0A0D0D0A, struct.pack(e + "IHHq", 0x1A2B3C4D, 1, 0, -1), e)


def pcapng_idb(linktype: int = 1, snaplen: int = 0, big: bool = False) -> bytes:
    """An Interface Description Block (microsecond timestamps)."""
    e = ">" if big else "<"
    return _block(1, struct.pack(e + "HHI", linktype, 0, snaplen), e)


def pcapng_epb(ts: float, data: bytes, iface: int = 0, big: bool = False) -> bytes:
    """An Enhanced Packet Block."""
    e = ">" if big else "<"
    t = int(round(ts * 1e6))
    head = struct.pack(e + "IIIII", iface, t >> 32, t & 0xFFFFFFFF, len(data), len(data))
    return _block(6, head + data + b"\0" * (-len(data) % 4), e)


def pcapng_spb(data: bytes, big: bool = False) -> bytes:
    """A Simple Packet Block (no timestamp, interface 0)."""
    e = ">" if big else "<"
    return _block(3, struct.pack(e + "I", len(data)) + data + b"\0" * (-len(data) % 4), e)


def write(path: Path, data: bytes) -> Path:
    """Write ``data`` to ``path`` and return the path."""
    path.write_bytes(data)
    return path
