"""The one interface every frame source implements."""

from __future__ import annotations

from collections.abc import Iterator
from dataclasses import dataclass
from typing import Literal, Protocol

from vrrptop.wire.records import Frame

SourceKind = Literal["live", "file", "synthetic"]
SourceState = Literal["starting", "running", "lost", "ended", "error"]


@dataclass(frozen=True, slots=True)
class SourceStatus:
    """What a source reports about itself (shown in the UI header and the report)."""

    name: str
    """Interface name or file path."""
    kind: SourceKind
    state: SourceState
    received: int = 0
    """Frames handed to the engine."""
    dropped: int = 0
    """Frames lost: kernel drops plus hand-over queue overflows. Never silent."""
    message: str = ""
    """Why the state is what it is, e.g. "interface em1 disappeared, retrying"."""
    heard_until: float | None = None
    """Capture time up to which every frame has been read off the socket (a live
    source; None: no such bound). A starved capture thread leaves frames in the
    kernel's buffer: the engine's timers must not run past this, or a router whose
    adverts are merely unread would be judged silent."""


class FrameSource(Protocol):
    """A source of frames.

    ``frames()`` blocks and yields frames in order; a live source yields ``None``
    when nothing arrived for a short while so that timers can fire between packets.
    ``packet_clock`` is True when time should follow packet timestamps (replay).
    ``live`` is True when the frames come from this host's network as they happen:
    only then are its addresses ours to probe and name (PTR), the local keepalived
    read, every captured frame written by ``-w``, output line-buffered and
    "listening on" said. Behaviour asks ``live``, never ``kind`` (which is a label).
    """

    name: str
    kind: SourceKind
    packet_clock: bool
    live: bool

    def frames(self) -> Iterator[Frame | None]:
        """Yield frames until the source ends or ``close()`` is called."""
        ...

    def close(self) -> None:
        """Stop producing frames; safe to call from another thread, twice."""
        ...

    def status(self) -> SourceStatus:
        """Current status and counters; safe to call from another thread."""
        ...
