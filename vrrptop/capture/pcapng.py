"""pcapng blocks read with ``struct``, every block type a capture can hold.

scapy's reader stopped at the first Simple Packet Block (one frame of 51 read, and
a message quoting Python internals). Here each block is framed by its own length:
Section Header (byte order, resets the interfaces), Interface Description (link
type, snap length, ``if_tsresol``, ``if_tsoffset``), Enhanced, Simple and the
obsolete Packet blocks give frames; every other block is skipped. A Simple Packet
Block has no timestamp: it gets the previous frame's time.

A damaged block ends the read with ``BlockError`` saying where; the frames before
it have been yielded.
"""

from __future__ import annotations

import struct
from collections.abc import Iterator
from dataclasses import dataclass
from typing import BinaryIO

from vrrptop.wire.records import Frame

SHB = 0x0A0D0D0A
IDB = 1
OPB = 2
SPB = 3
EPB = 6
BYTE_ORDER_MAGIC = 0x1A2B3C4D
MAX_BLOCK = 64 << 20
"""No sane block is larger (the longest frame is 256 KiB); larger means damage."""


class BlockError(Exception):
    """The file is damaged at a block boundary (the message says how, in one line)."""


@dataclass(slots=True)
class _Interface:
    linktype: int
    snaplen: int
    resolution: float = 1e-6
    offset: int = 0


def _options(body: bytes, start: int, e: str) -> dict[int, bytes]:
    """Option code -> value, for the options of a block body from ``start``."""
    out: dict[int, bytes] = {}
    pos = start
    while pos + 4 <= len(body):
        code, length = struct.unpack_from(e + "HH", body, pos)
        if code == 0:
            break
        value = body[pos + 4 : pos + 4 + length]
        out.setdefault(code, value)
        pos += 4 + length + (-length % 4)
    return out


def _resolution(value: bytes) -> float:
    if not value:
        return 1e-6
    b = value[0]
    exponent = b & 0x7F
    if exponent > 30:  # 2^-31 s or 10^-31 s: no clock; a damaged option
        return 1e-6
    return 2.0**-exponent if b & 0x80 else 10.0**-exponent


def read_blocks(fh: BinaryIO, start: bytes = b"") -> Iterator[Frame]:
    """Frames of a pcapng stream (``start``: bytes already read from its head)."""
    e = "<"
    interfaces: list[_Interface] = []
    last_ts = 0.0
    buffered = start
    index = 0

    def read(n: int) -> bytes:
        nonlocal buffered
        if buffered:
            data, buffered = buffered[:n], buffered[n:]
            if len(data) < n:
                data += fh.read(n - len(data))
            return data
        return fh.read(n)

    while True:
        head = read(8)
        if not head:
            return
        index += 1
        if len(head) < 8:
            raise BlockError(f"block {index} cut after {len(head)} bytes")
        kind = struct.unpack_from(e + "I", head)[0]
        if kind == SHB:
            peek = read(4)
            if len(peek) < 4:
                raise BlockError(f"section header (block {index}) cut")
            if struct.unpack("<I", peek)[0] == BYTE_ORDER_MAGIC:
                e = "<"
            elif struct.unpack(">I", peek)[0] == BYTE_ORDER_MAGIC:
                e = ">"
            else:
                raise BlockError(f"section header (block {index}) with an unknown byte order")
            total = struct.unpack_from(e + "I", head, 4)[0]
            if total < 28 or total % 4 or total > MAX_BLOCK:
                raise BlockError(f"section header (block {index}) of impossible length {total}")
            rest = read(total - 12)
            if len(rest) < total - 12:
                raise BlockError(f"section header (block {index}) cut")
            interfaces = []
            continue
        total = struct.unpack_from(e + "I", head, 4)[0]
        if total < 12 or total % 4 or total > MAX_BLOCK:
            raise BlockError(f"block {index} (type {kind:#x}) of impossible length {total}")
        body = read(total - 8)
        if len(body) < total - 8:
            raise BlockError(f"block {index} (type {kind:#x}) cut by the end of the file")
        if struct.unpack_from(e + "I", body, len(body) - 4)[0] != total:
            raise BlockError(f"block {index} (type {kind:#x}): trailing length does not match")
        body = body[:-4]
        if kind == IDB:
            if len(body) < 8:
                raise BlockError(f"interface block {index} too short")
            linktype, _reserved, snaplen = struct.unpack_from(e + "HHI", body)
            opts = _options(body, 8, e)
            iface = _Interface(linktype, snaplen or 0x40000, _resolution(opts.get(9, b"")))
            if len(opts.get(14, b"")) == 8:
                iface.offset = struct.unpack(e + "q", opts[14])[0]
            interfaces.append(iface)
            continue
        if kind in (EPB, OPB):
            if len(body) < 20:
                raise BlockError(f"packet block {index} too short")
            if kind == EPB:
                iface_id, hi, lo, caplen, wirelen = struct.unpack_from(e + "IIIII", body)
            else:
                iface_id, _drops, hi, lo, caplen, wirelen = struct.unpack_from(e + "HHIIII", body)
            if iface_id >= len(interfaces):
                raise BlockError(f"packet block {index} names interface {iface_id}, not described")
            iface = interfaces[iface_id]
            if caplen > len(body) - 20:
                raise BlockError(f"packet block {index}: captured length {caplen} past its block")
            data = body[20 : 20 + min(caplen, iface.snaplen)]
            last_ts = ((hi << 32) | lo) * iface.resolution + iface.offset
            yield Frame(last_ts, iface.linktype, data, wirelen)
            continue
        if kind == SPB:
            if not interfaces:
                raise BlockError(f"simple packet block {index} before any interface block")
            if len(body) < 4:
                raise BlockError(f"simple packet block {index} too short")
            iface = interfaces[0]
            wirelen = struct.unpack_from(e + "I", body)[0]
            caplen = min(wirelen, len(body) - 4, iface.snaplen)
            yield Frame(last_ts, iface.linktype, body[4 : 4 + caplen], wirelen)
            continue
        # Name resolution, statistics, custom, decryption secrets...: not frames.
