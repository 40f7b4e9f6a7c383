"""Replay a pcap or pcapng file (``-r FILE``) on the capture's own clock.

Frames are read with scapy's RawPcapReader (bytes + metadata, no dissection), which
keeps the per-packet cost to reading a record header.
"""

from __future__ import annotations

import os
import time
from collections.abc import Iterator
from pathlib import Path

from vrrptop.capture.base import SourceStatus
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

    kind = "file"
    packet_clock = True

    def __init__(self, path: Path, speed: float | None = None) -> None:
        self.path = Path(path)
        self.name = str(path)
        self.speed = speed
        self._reader = _open_reader(self.path)
        self._closed = False
        self._received = 0
        self._state = "running"
        self._message = ""

    def frames(self) -> Iterator[Frame | None]:
        """Yield every frame; a truncated or corrupt tail ends the replay with a note."""
        reader = self._reader
        ng = not hasattr(reader, "linktype")
        default_linktype = getattr(reader, "linktype", 1)
        nano = getattr(reader, "nano", False)
        divisor = 1e9 if nano else 1e6
        start_wall = start_ts = None
        try:
            for data, meta in reader:
                if self._closed:
                    break
                if ng:
                    ts = ((meta.tshigh << 32) | meta.tslow) / meta.tsresol
                    linktype = meta.linktype
                else:
                    ts = meta.sec + meta.usec / divisor
                    linktype = default_linktype
                if self.speed:
                    if start_wall is None:
                        start_wall, start_ts = time.monotonic(), ts
                    delay = (ts - start_ts) / self.speed - (time.monotonic() - start_wall)
                    if delay > 0:
                        time.sleep(delay)
                self._received += 1
                yield Frame(ts, linktype, data, meta.wirelen)
        except Exception as exc:  # noqa: BLE001 - a corrupt tail must not crash the replay
            self._message = f"capture file damaged after frame {self._received}: {exc}"
        finally:
            self._state = "ended"
            self._reader.close()

    def close(self) -> None:
        """Stop the replay at the next frame."""
        self._closed = True

    def status(self) -> SourceStatus:
        """Frames read so far; a file never drops frames."""
        return SourceStatus(self.name, "file", self._state, self._received, 0, self._message)  # type: ignore[arg-type]
