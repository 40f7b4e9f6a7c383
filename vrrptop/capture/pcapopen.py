"""Opening a capture file (``-r FILE``): which format it is, and a classic pcap's header.

The magic number says the format: classic pcap (microsecond ``a1b2c3d4`` or
nanosecond ``a1b23c4d``, in either byte order) or pcapng (``0a0d0d0a``), either of
them possibly gzip-compressed (as libpcap and scapy read them). A classic file's
24-byte header gives the byte order, the link type and the snaplen; its records are
read by ``capture.pcapfile`` and pcapng blocks by ``capture.pcapng``.

This used scapy's RawPcapReader, which needs nothing more than this from it: importing
scapy's reader cost 35 ms of the 0.5 s before the console's first frame, for 24
bytes. Every failure is a one-line ``VrrptopError`` with the exit code of its kind.
"""

from __future__ import annotations

import gzip
import os
import struct
from dataclasses import dataclass
from pathlib import Path
from typing import BinaryIO, cast

from vrrptop.errors import VrrptopError

_MAGICS = {
    b"\xd4\xc3\xb2\xa1": ("<", False),
    b"\xa1\xb2\xc3\xd4": (">", False),
    b"\x4d\x3c\xb2\xa1": ("<", True),
    b"\xa1\xb2\x3c\x4d": (">", True),
}
_PCAPNG = b"\x0a\x0d\x0d\x0a"
_GZIP = b"\x1f\x8b"


@dataclass
class ClassicPcap:
    """An open classic pcap, positioned at its first record."""

    f: BinaryIO
    linktype: int
    endian: str
    """``<`` or ``>``: the byte order of every header in the file."""
    nano: bool
    """Timestamps in nanoseconds (else microseconds)."""
    snaplen: int

    def close(self) -> None:
        """Close the file."""
        self.f.close()


@dataclass
class PcapngFile:
    """An open pcapng file, positioned at its start (``capture.pcapng`` reads it)."""

    f: BinaryIO

    def close(self) -> None:
        """Close the file."""
        self.f.close()


def open_capture(path: Path) -> ClassicPcap | PcapngFile:
    """Open ``path`` and read its format; a one-line VrrptopError for anything else."""
    if not path.exists():
        raise VrrptopError(f"cannot read {path}: no such file", 66)
    if path.is_dir():
        raise VrrptopError(f"cannot read {path}: it is a directory", 66)
    if not os.access(path, os.R_OK):
        raise VrrptopError(f"cannot read {path}: permission denied", 66)
    try:
        with open(path, "rb") as raw:
            compressed = raw.read(2) == _GZIP
        opened = gzip.open(path, "rb") if compressed else open(path, "rb")  # noqa: SIM115
        fh = cast(BinaryIO, opened)  # GzipFile reads as a binary file does
    except OSError as exc:
        raise VrrptopError(f"cannot read {path}: {exc}", 66) from exc
    try:
        head = fh.read(24)
        kind = _MAGICS.get(head[:4])
        if head[:4] == _PCAPNG:
            fh.seek(0)
            return PcapngFile(fh)
        if kind is None or len(head) < 24:
            if kind is not None:
                what = f"a pcap header cut short at {len(head)} bytes"
            elif len(head) < 4:
                what = f"{len(head)} bytes"
            else:
                what = f"magic 0x{head[:4].hex()}"
            raise VrrptopError(f"cannot read {path}: not a pcap or pcapng capture ({what})", 65)
        endian, nano = kind
        _major, _minor, _zone, _sigfigs, snaplen, linktype = struct.unpack(
            endian + "HHiIII", head[4:24]
        )
        # The top bits carry FCS information; libpcap's LT_LINKTYPE() masks them off.
        return ClassicPcap(fh, linktype & 0x03FFFFFF, endian, nano, snaplen)
    except VrrptopError:
        fh.close()
        raise
    except (OSError, EOFError) as exc:  # gzip.BadGzipFile is an OSError
        fh.close()
        raise VrrptopError(f"cannot read {path}: {exc}", 66) from exc
