"""The status header's content, as pure data: (text, level) segments per line.

Kept free of textual so the wording (what "end of capture" or "paused" looks
like) is testable plainly; ``widgets/status.py`` only colours the segments.
"""

from __future__ import annotations

from dataclasses import dataclass, replace
from pathlib import PurePath

from vrrptop.capture.base import SourceStatus
from vrrptop.expect.wording import Segment
from vrrptop.model.snapshot import Counters
from vrrptop.ui.format import Level, fmt_seconds

_STATE_WORDS: dict[str, tuple[str, Level]] = {
    "starting": ("starting", "dim"),
    "running": ("running", "ok"),
    "lost": ("CAPTURE LOST", "bad"),
    "ended": ("END OF CAPTURE", "warn"),
    "error": ("CAPTURE ERROR", "bad"),
}


@dataclass(frozen=True, slots=True)
class HeaderInfo:
    """Everything the header shows; built by the app from its state."""

    source_name: str
    status: SourceStatus | None
    counters: Counters
    paused: bool
    ended: bool
    elapsed_s: float | None
    clock_text: str
    clock_label: str
    """"" for a live clock, "capture" when showing the replay's packet time."""
    sort_key: str
    filter_text: str
    show_names: bool
    collapsed_updates: int = 0
    error: str = ""
    """Why the engine stopped, when it failed (shown instead of "end of capture")."""
    notice: str = ""
    """Something secondary that stopped while monitoring goes on (``-w`` failed)."""
    moment: str = ""
    """Stepping through a replay: the capture time shown (``PAUSED at`` it)."""
    moment_of: str = ""
    """Which moment of how many, and what happened then (``3/39: ... (+2 more)``)."""


def capture_state(info: HeaderInfo) -> Segment:
    """The capture-state word; an engine failure wins, then "end of capture"."""
    if info.error:
        return ("ENGINE STOPPED", "bad")
    if info.ended:
        return _STATE_WORDS["ended"]
    state = info.status.state if info.status else "starting"
    return _STATE_WORDS.get(state, (state, "warn"))


#: A part of a header line with how dispensable it is: parts of the highest rank
#: are dropped first when the line does not fit the terminal; rank 0 always stays.
_Part = tuple[str, Level | None, int]
#: The rank of the source name: never dropped, shortened when nothing else is left.
_NAME = -1


def header_lines(info: HeaderInfo, width: int | None = None) -> tuple[list[Segment], list[Segment]]:
    """Two lines: source/state/elapsed/clock, then counters and view settings.

    With ``width``, each line is fitted to it: optional parts go first (the clock's
    label, the "vrrptop" title, the status message, the elapsed time, then the
    clock), then the source name is shortened, so the capture state and the
    counters are always on screen, even at 80 columns with a long file name.
    """
    word, level = capture_state(info)
    first: list[_Part] = [(" vrrptop", None, 4), (" ", None, 0), (info.source_name, None, _NAME)]
    first.append(("  ", None, 0))
    first.append((word, level, 0))
    if info.error:
        first.append((f" ({info.error})", "bad", 1))
    elif info.status and info.status.message and not info.ended:
        first.append((f" ({info.status.message})", "dim", 3))
    if info.notice:
        first.append((f"  {info.notice}", "bad", 0))
    if info.moment:
        first.append(("  ", None, 0))
        first.append((f"PAUSED at {info.moment} — ] next, [ prev, space live", "warn", 0))
        if info.moment_of:
            first.append((f" ({info.moment_of})", "dim", 3))
    elif info.paused:
        first.append(("  ", None, 0))
        first.append(("DISPLAY PAUSED", "warn", 0))
    first.append((f"  up {fmt_seconds(info.elapsed_s)}", None, 2))
    first.append((f"  {info.clock_text}", None, 1))
    if info.clock_label:
        first.append((f" {info.clock_label}", None, 5))

    c = info.counters
    dropped = max(c.dropped, info.status.dropped if info.status else 0)
    second: list[_Part] = [
        (f" frames {c.frames}", None, 0),
        (f"  adverts {c.adverts}", None, 0),
        (f"  malformed {c.malformed}", "warn" if c.malformed else None, 0),
        (f"  dropped {dropped}", "bad" if dropped else None, 0),
    ]
    if c.checksum_errors:
        second.append((f"  cksum-err {c.checksum_errors}", "warn", 0))
    second.append((f"  sort:{info.sort_key}", "dim", 1))
    if info.filter_text:
        second.append((f"  filter:{info.filter_text!r}", "warn", _NAME))
    if not info.show_names:
        second.append(("  numeric", "dim", 2))
    if width is None:
        return _segments(first), _segments(second)
    return _fit(first, width), _fit(second, width)


def _segments(parts: list[_Part]) -> list[Segment]:
    return [(text, level) for text, level, _ in parts]


def _length(parts: list[_Part]) -> int:
    return sum(len(text) for text, _, _ in parts)


def _fit(parts: list[_Part], width: int) -> list[Segment]:
    """``parts`` without the most dispensable ones until they fit ``width``; then
    the source name (rank ``_NAME``) loses its middle, and last the line is cut
    (the widget shows an ellipsis)."""
    parts = list(parts)
    rank = max(r for _, _, r in parts)
    while _length(parts) > width and rank > 0:
        parts = [p for p in parts if p[2] < rank]
        rank -= 1
    over = _length(parts) - width
    for i, (text, level, r) in enumerate(parts):
        if over > 0 and r == _NAME:
            parts[i] = (_middle_cut(text, max(4, len(text) - over)), level, r)
    return _segments(parts)


def _middle_cut(text: str, size: int) -> str:
    """``text`` in ``size`` characters, its middle replaced by ``…`` (a file name's
    start and its end, where dates and suffixes are, both stay readable)."""
    if len(text) <= size:
        return text
    head = (size - 1) // 2
    tail = size - 1 - head
    return text[:head] + "…" + (text[-tail:] if tail else "")


def short_source_name(name: str, *, demo: bool) -> str:
    """What the header calls the source: ``demo`` for the bundled demo, a file's
    base name (its directory says nothing in an incident), an interface as is."""
    if demo:
        return "demo"
    return PurePath(name).name or name


def header_stable(info: HeaderInfo) -> HeaderInfo:
    """What of the header must reach the screen at once: all but the clock, the
    elapsed time and the frame/advert counters, which tick and are refreshed on the
    console's slow tick (about once a second, like htop)."""
    return replace(
        info,
        elapsed_s=None,
        clock_text="",
        counters=replace(info.counters, frames=0, adverts=0),
        status=replace(info.status, received=0) if info.status else None,
    )
