"""Replay a pcap or pcapng file (``-r FILE``) on the capture's own clock.

scapy's RawPcapReader opens the file, checks the magic and reads the header (pcap,
nanosecond pcap, pcapng, gzip). For classic pcap the records are then read from its
file object in large chunks with ``struct``: a record costs ~0.3 µs instead of the
~2 µs of a read call pair and a metadata tuple per packet, and replay speed is the
first thing an operator notices on a big capture. pcapng goes through scapy's reader.
"""

from __future__ import annotations

import os
import struct
import time
from collections.abc import Iterator
from pathlib import Path

from vrrptop.capture.base import SourceKind, SourceState, SourceStatus
from vrrptop.errors import VrrptopError
from vrrptop.wire.records import Frame


def _open_reader(path: Path):  # type: ignore[no-untyped-def]
    """Open ``path`` with scapy, turning every failure into a one-line VrrptopError."""
    try:
        from scapy.error import Scapy_Exception
        from scapy.utils import RawPcapReader
    except ImportError as exc:  # pragma: no cover - scapy is a hard dependency
        raise VrrptopError(f"scapy is not installed ({exc}): pip install scapy", 69) from exc
    if not path.exists():
        raise VrrptopError(f"cannot read {path}: no such file", 66)
    if path.is_dir():
        raise VrrptopError(f"cannot read {path}: it is a directory", 66)
    if not os.access(path, os.R_OK):
        raise VrrptopError(f"cannot read {path}: permission denied", 66)
    try:
        return RawPcapReader(str(path))
    except Scapy_Exception as exc:
        raise VrrptopError(f"cannot read {path}: not a pcap or pcapng capture ({exc})", 65) from exc
    except (OSError, EOFError) as exc:
        raise VrrptopError(f"cannot read {path}: {exc}", 66) from exc


class PcapFileSource:
    """Frames from a capture file, in file order, with their recorded timestamps.

    ``speed`` None replays as fast as possible; ``speed`` X sleeps so that X seconds of
    capture pass per second of wall time.
    """

    kind: SourceKind = "file"
    packet_clock: bool = True

    def __init__(self, path: Path, speed: float | None = None) -> None:
        self.path = Path(path)
        self.name = str(path)
        self.speed = speed
        self._reader = _open_reader(self.path)
        self._closed = False
        self._received = 0
        self._state: SourceState = "running"
        self._message = ""

    def _classic_records(self) -> Iterator[Frame]:
        """Frames of a classic pcap, read in chunks."""
        reader = self._reader
        linktype = reader.linktype
        divisor = 1e9 if getattr(reader, "nano", False) else 1e6
        header = struct.Struct(reader.endian + "IIII")
        unpack_from = header.unpack_from
        # libpcap cuts records to the header's snaplen even when a (broken or fuzzed)
        # file stores more; do the same so vrrptop sees what tcpdump sees.
        snaplen = getattr(reader, "snaplen", 0) or 0x40000
        fh = reader.f
        buf = b""
        pos = 0
        while True:
            chunk = fh.read(1 << 20)
            if not chunk:
                if pos < len(buf):
                    self._message = (
                        f"capture file truncated after frame {self._received}"
                        f" ({len(buf) - pos} stray bytes at the end)"
                    )
                return
            buf = buf[pos:] + chunk
            pos = 0
            end = len(buf)
            while pos + 16 <= end:
                sec, frac, caplen, wirelen = unpack_from(buf, pos)
                stop = pos + 16 + caplen
                if stop > end:
                    if caplen > 0x4000000:  # 64 MiB: no sane snaplen; the file is corrupt
                        self._message = (
                            f"capture file damaged after frame {self._received}"
                            f" (record length {caplen})"
                        )
                        return
                    break
                if self._closed:
                    return
                self._received += 1
                cut = stop if caplen <= snaplen else pos + 16 + snaplen
                yield Frame(sec + frac / divisor, linktype, buf[pos + 16 : cut], wirelen)
                pos = stop

    def _scapy_records(self) -> Iterator[Frame]:
        """Frames through scapy's reader (pcapng)."""
        reader = self._reader
        ng = not hasattr(reader, "linktype")
        default_linktype = getattr(reader, "linktype", 1)
        nano = getattr(reader, "nano", False)
        divisor = 1e9 if nano else 1e6
        for data, meta in reader:
            if self._closed:
                return
            self._received += 1
            if ng:
                ts = ((meta.tshigh << 32) | meta.tslow) / meta.tsresol
                yield Frame(ts, meta.linktype, data, meta.wirelen)
            else:
                yield Frame(meta.sec + meta.usec / divisor, default_linktype, data, meta.wirelen)

    def frames(self) -> Iterator[Frame | None]:
        """Yield every frame; a truncated or corrupt tail ends the replay with a note."""
        classic = hasattr(self._reader, "linktype") and hasattr(self._reader, "endian")
        records = self._classic_records() if classic else self._scapy_records()
        try:
            if self.speed:
                yield from self._paced(records, self.speed)
            else:
                yield from records
        except Exception as exc:  # noqa: BLE001 - a corrupt tail must not crash the replay
            self._message = f"capture file damaged after frame {self._received}: {exc}"
        finally:
            self._state = "ended"
            self._reader.close()

    @staticmethod
    def _paced(frames: Iterator[Frame], speed: float) -> Iterator[Frame]:
        """Sleep so that ``speed`` seconds of capture pass per second of wall time."""
        start_wall = -1.0
        start_ts = 0.0
        for frame in frames:
            if start_wall < 0:
                start_wall, start_ts = time.monotonic(), frame.ts
            delay = (frame.ts - start_ts) / speed - (time.monotonic() - start_wall)
            if delay > 0:
                time.sleep(delay)
            yield frame

    def close(self) -> None:
        """Stop the replay at the next frame."""
        self._closed = True

    def status(self) -> SourceStatus:
        """Frames read so far; a file never drops frames."""
        return SourceStatus(self.name, "file", self._state, self._received, 0, self._message)
