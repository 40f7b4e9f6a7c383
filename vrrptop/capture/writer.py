"""``-w FILE``: keep the frames vrrptop looked at, as a pcap any tool can open.

Writing the file is secondary to watching the segment. A write error (a full disk,
a removed USB stick) never reaches the engine: the writer cuts the file back to the
last complete record, closes it so what was written stays a valid pcap, records
one line in ``error`` and ignores every later frame. The engine reports that line
once and keeps monitoring.

The file holds VRRPv2 passwords in clear and vrrptop usually runs as root, so it is
created mode 0600 and never through a symbolic link (``O_NOFOLLOW``): a link planted
where the operator points ``-w`` must not make root overwrite the link's target.
"""

from __future__ import annotations

import contextlib
import errno
import os
import stat
import struct
from pathlib import Path

from vrrptop.errors import VrrptopError
from vrrptop.wire.records import Frame

PCAP_MAGIC = 0xA1B2C3D4
SNAPLEN = 262144
FILE_MODE = 0o600
#: Buffered bytes before a write to disk (frames also reach disk on every ``flush``).
BUFFER = 64 * 1024
_HEADER = struct.Struct("=IHHiIII")
_RECORD = struct.Struct("=IIII")


def _open(path: Path) -> int:
    """Open ``path`` for writing: no symlink, a regular file or a device, mode 0600."""
    flags = os.O_WRONLY | os.O_CREAT | os.O_TRUNC | os.O_NOFOLLOW | getattr(os, "O_CLOEXEC", 0)
    try:
        # O_NONBLOCK: opening a FIFO nobody reads must not hang vrrptop.
        fd = os.open(path, flags | os.O_NONBLOCK, FILE_MODE)
    except OSError as exc:
        if exc.errno == errno.ELOOP:
            raise VrrptopError(
                f"cannot write {path}: it is a symbolic link (give the real path)", 73
            ) from None
        if exc.errno == errno.ENXIO:
            raise VrrptopError(f"cannot write {path}: a FIFO nobody reads", 73) from None
        raise VrrptopError(f"cannot write {path}: {exc.strerror}", 73) from None
    st = os.fstat(fd)
    if not (stat.S_ISREG(st.st_mode) or stat.S_ISCHR(st.st_mode) or stat.S_ISFIFO(st.st_mode)):
        os.close(fd)
        raise VrrptopError(f"cannot write {path}: not a regular file", 73)
    os.set_blocking(fd, True)
    return fd


class PcapWriter:
    """Append frames to a classic pcap file; the link type is the first frame's.

    Frames of another link type (possible when replaying a multi-interface pcapng)
    cannot be stored in one classic pcap: they are skipped and counted.
    """

    def __init__(self, path: Path) -> None:
        self.path = Path(path)
        self.skipped = 0
        self.written = 0
        self.error = ""
        """Why writing stopped (one line), or "" while it works."""
        self._fd: int | None = _open(self.path)  # a bad path fails before capture
        self._linktype: int | None = None
        self._buf = bytearray()
        self._committed = 0
        """Bytes on disk after the last complete flush: always a record boundary."""
        self._regular = stat.S_ISREG(os.fstat(self._fd).st_mode)
        if self._regular:
            # The header goes to disk now, so even a disk that fills up on the first
            # frame leaves a valid (empty) pcap; the first frame's link type is
            # patched in place (no new block needed).
            try:
                os.write(self._fd, _HEADER.pack(PCAP_MAGIC, 2, 4, 0, 0, SNAPLEN, 1))
            except OSError as exc:
                os.close(self._fd)
                raise VrrptopError(f"cannot write {self.path}: {exc.strerror}", 73) from None
            self._committed = _HEADER.size

    @property
    def failed(self) -> bool:
        """True once a write error stopped the writer."""
        return bool(self.error)

    def write(self, frame: Frame) -> None:
        """Queue one frame (writing the header on the first); never raises OSError."""
        if self._fd is None:
            return
        if self._linktype is None:
            self._start(frame.linktype)
            if self._fd is None:
                return
        elif frame.linktype != self._linktype:
            self.skipped += 1
            return
        sec = int(frame.ts)
        usec = int(round((frame.ts - sec) * 1e6))
        if usec >= 1_000_000:
            sec, usec = sec + 1, usec - 1_000_000
        data = frame.data[:SNAPLEN]
        wirelen = frame.wirelen if frame.wirelen >= 0 else len(frame.data)
        self._buf += _RECORD.pack(sec & 0xFFFFFFFF, usec, len(data), wirelen & 0xFFFFFFFF)
        self._buf += data
        self.written += 1
        if len(self._buf) >= BUFFER:
            self.flush()

    def _start(self, linktype: int) -> None:
        self._linktype = linktype
        if not self._regular:
            self._buf += _HEADER.pack(PCAP_MAGIC, 2, 4, 0, 0, SNAPLEN, linktype)
        elif linktype != 1:
            assert self._fd is not None
            try:
                os.pwrite(self._fd, struct.pack("=I", linktype), _HEADER.size - 4)
            except OSError as exc:
                self._fail(exc)

    def flush(self) -> None:
        """Push buffered frames to disk; on an error, stop writing (see ``error``)."""
        if self._fd is None or not self._buf:
            return
        data = bytes(self._buf)
        done = 0
        try:
            while done < len(data):
                done += os.write(self._fd, data[done:])
        except OSError as exc:
            self._fail(exc)
            return
        self._committed += done
        self._buf.clear()

    def _fail(self, exc: OSError) -> None:
        fd, self._fd = self._fd, None
        self._buf.clear()
        self.error = f"stopped writing {self.path}: {exc.strerror or exc}"
        if fd is None:
            return
        if self._regular:
            # A record cut by the full disk would make readers stop with an error:
            # cut the file back to the last complete record (truncating needs no space).
            with contextlib.suppress(OSError):
                os.ftruncate(fd, self._committed)
        with contextlib.suppress(OSError):
            os.close(fd)

    def close(self) -> None:
        """Flush and close; an empty capture still gets a valid pcap header."""
        if self._fd is None:
            return
        if self._linktype is None:
            self._start(1)
        self.flush()
        if self._fd is not None:
            fd, self._fd = self._fd, None
            with contextlib.suppress(OSError):
                os.close(fd)
