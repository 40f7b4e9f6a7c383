"""``-w FILE``: keep the frames vrrptop looked at, as a pcap any tool can open."""

from __future__ import annotations

from pathlib import Path
from typing import Any

from vrrptop.errors import VrrptopError
from vrrptop.wire.records import Frame


class PcapWriter:
    """Append frames to a classic pcap file; the link type is the first frame's.

    Frames of another link type (possible when replaying a multi-interface pcapng)
    cannot be stored in one classic pcap: they are skipped and counted.
    """

    def __init__(self, path: Path) -> None:
        self.path = Path(path)
        self.skipped = 0
        self.written = 0
        self._writer: Any = None  # scapy's RawPcapWriter once the first frame arrives
        self._linktype: int | None = None
        try:
            # Create it now so a bad path fails before capture starts.
            self.path.open("wb").close()
        except OSError as exc:
            raise VrrptopError(f"cannot write {self.path}: {exc.strerror}", 73) from None

    def write(self, frame: Frame) -> None:
        """Write one frame (opening the file on the first)."""
        if self._writer is None:
            from scapy.utils import RawPcapWriter

            self._linktype = frame.linktype
            self._writer = RawPcapWriter(str(self.path), linktype=frame.linktype, sync=False)
            self._writer._write_header(None)
        elif frame.linktype != self._linktype:
            self.skipped += 1
            return
        sec = int(frame.ts)
        usec = int(round((frame.ts - sec) * 1e6))
        if usec >= 1_000_000:
            sec, usec = sec + 1, usec - 1_000_000
        wirelen = frame.wirelen if frame.wirelen >= 0 else len(frame.data)
        self._writer.write_packet(frame.data, sec=sec, usec=usec, wirelen=wirelen)
        self.written += 1

    def flush(self) -> None:
        """Push buffered frames to disk."""
        if self._writer is not None:
            self._writer.flush()

    def close(self) -> None:
        """Flush and close; an empty capture still gets a valid pcap header."""
        if self._writer is None:
            from scapy.utils import RawPcapWriter

            w = RawPcapWriter(str(self.path), linktype=1)
            w._write_header(None)
            w.close()
            return
        self._writer.close()
        self._writer = None
