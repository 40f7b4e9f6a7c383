"""Replay a pcap or pcapng file (``-r FILE``) on the capture's own clock.

``capture/pcapopen.py`` opens the file, checks the magic and reads the header (pcap,
nanosecond pcap, pcapng, gzip). For classic pcap the records are then read from its
file object in large chunks with ``struct``: a record costs ~0.3 µs instead of the
~2 µs of a read call pair and a metadata tuple per packet, and replay speed is the
first thing an operator notices on a big capture. pcapng is read block by block by
``capture/pcapng.py`` (scapy's reader, used before, stopped at a Simple Packet Block).

Replay time never runs backwards: a record stamped earlier than the one before it
(or with a microsecond field of a million or more) gets the previous record's time
and is counted, so a hostile or merged file cannot invent master-lost/resumed
events or negative durations. A link type vrrptop cannot decode is said once.
"""

from __future__ import annotations

import contextlib
import struct
import time
from collections.abc import Iterator
from pathlib import Path

from vrrptop.capture.base import SourceKind, SourceState, SourceStatus
from vrrptop.capture.pcapng import BlockError, read_blocks
from vrrptop.capture.pcapopen import ClassicPcap, open_capture
from vrrptop.wire.link import SUPPORTED_LINKTYPES
from vrrptop.wire.records import Frame


class PcapFileSource:
    """Frames from a capture file, in file order, with their recorded timestamps.

    ``speed`` None replays as fast as possible; ``speed`` X sleeps so that X seconds of
    capture pass per second of wall time.
    """

    kind: SourceKind = "file"
    packet_clock: bool = True
    live: bool = False

    def __init__(self, path: Path, speed: float | None = None) -> None:
        self.path = Path(path)
        self.name = str(path)
        self.speed = speed
        self._reader = open_capture(self.path)
        self._closed = False
        self._received = 0
        self._state: SourceState = "running"
        self._message = ""
        self._reader_closed = False
        self._backwards = 0
        """Records whose timestamp went backwards or was invalid (clamped)."""
        self._unknown_links: set[int] = set()

    def _classic_records(self, reader: ClassicPcap) -> Iterator[Frame]:
        """Frames of a classic pcap, read in chunks."""
        linktype = reader.linktype
        if linktype not in SUPPORTED_LINKTYPES:
            self._unknown_links.add(linktype)
        nano = reader.nano
        divisor = 1e9 if nano else 1e6
        frac_max = 1_000_000_000 if nano else 1_000_000
        last = float("-inf")
        header = struct.Struct(reader.endian + "IIII")
        unpack_from = header.unpack_from
        # libpcap cuts records to the header's snaplen even when a (broken or fuzzed)
        # file stores more; do the same so vrrptop sees what tcpdump sees.
        snaplen = reader.snaplen or 0x40000
        fh = reader.f
        buf = b""
        pos = 0
        # the record header's fields, typed so that the compiled build does this
        # arithmetic on machine ints
        sec: int
        frac: int
        caplen: int
        wirelen: int
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
                ts = sec + frac / divisor
                if ts < last or frac >= frac_max:
                    self._backwards += 1
                    ts = last if last > float("-inf") else float(sec)
                last = ts
                yield Frame(ts, linktype, buf[pos + 16 : cut], wirelen)
                pos = stop

    def _pcapng_records(self) -> Iterator[Frame]:
        """Frames of a pcapng file, block by block, time clamped to run forwards."""
        last = float("-inf")
        for frame in read_blocks(self._reader.f):
            if self._closed:
                return
            self._received += 1
            if frame.linktype not in SUPPORTED_LINKTYPES:
                self._unknown_links.add(frame.linktype)
            if frame.ts < last:
                self._backwards += 1
                frame = Frame(last, frame.linktype, frame.data, frame.wirelen)
            last = frame.ts
            yield frame

    def frames(self) -> Iterator[Frame | None]:
        """Yield every frame; a truncated or corrupt tail ends the replay with a note."""
        reader = self._reader
        if isinstance(reader, ClassicPcap):
            records = self._classic_records(reader)
        else:
            records = self._pcapng_records()
        try:
            if self.speed:
                yield from self._paced(records, self.speed)
            else:
                yield from records
        except BlockError as exc:
            self._message = f"capture file damaged after frame {self._received}: {exc}"
        except Exception as exc:  # noqa: BLE001 - a corrupt tail must not crash the replay
            self._message = (
                f"capture file damaged after frame {self._received} ({type(exc).__name__}: {exc})"
            )
        finally:
            self._state = "ended"
            self._close_reader()

    def _close_reader(self) -> None:
        """Close the file once (closing a gzip one twice raises)."""
        if not self._reader_closed:
            self._reader_closed = True
            with contextlib.suppress(Exception):
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

    def position(self) -> tuple[int, int]:
        """Bytes of the file read so far and its size (for a progress bar; safe to
        call from another thread, approximate for compressed files)."""
        try:
            total = self.path.stat().st_size
            read = int(self._reader.f.tell())
        except (OSError, ValueError, AttributeError):
            return (0, 0)
        return (min(read, total), total)

    def close(self) -> None:
        """Stop the replay at the next frame."""
        self._closed = True

    def status(self) -> SourceStatus:
        """Frames read so far; a file never drops frames."""
        notes = [self._message] if self._message else []
        if self._backwards:
            notes.append(
                f"{self._backwards} records with a timestamp going backwards or invalid"
                " (given the previous record's time)"
            )
        for linktype in sorted(self._unknown_links):
            notes.append(f"link type {linktype} is not one vrrptop decodes: no adverts from it")
        return SourceStatus(self.name, "file", self._state, self._received, 0, "; ".join(notes))
