"""The status header's content, as pure data: (text, level) segments per line.

Kept free of textual so the wording (what "end of capture" or "paused" looks
like) is testable plainly; ``widgets/status.py`` only colours the segments.
"""

from __future__ import annotations

from dataclasses import dataclass, replace

from vrrptop.capture.base import SourceStatus
from vrrptop.model.snapshot import Counters
from vrrptop.ui.format import Level, fmt_seconds

Segment = tuple[str, Level | None]

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


def capture_state(info: HeaderInfo) -> Segment:
    """The capture-state word; an engine failure wins, then "end of capture"."""
    if info.error:
        return ("ENGINE STOPPED", "bad")
    if info.ended:
        return _STATE_WORDS["ended"]
    state = info.status.state if info.status else "starting"
    return _STATE_WORDS.get(state, (state, "warn"))


def header_lines(info: HeaderInfo) -> tuple[list[Segment], list[Segment]]:
    """Two lines: source/state/elapsed/clock, then counters and view settings."""
    word, level = capture_state(info)
    first: list[Segment] = [(" vrrptop ", None), (info.source_name, None), ("  ", None)]
    first.append((word, level))
    if info.error:
        first.append((f" ({info.error})", "bad"))
    elif info.status and info.status.message and not info.ended:
        first.append((f" ({info.status.message})", "dim"))
    if info.notice:
        first.append((f"  {info.notice}", "bad"))
    if info.paused:
        first.append(("  ", None))
        first.append(("DISPLAY PAUSED", "warn"))
    first.append((f"  up {fmt_seconds(info.elapsed_s)}", None))
    label = f" {info.clock_label}" if info.clock_label else ""
    first.append((f"  {info.clock_text}{label}", None))

    c = info.counters
    dropped = max(c.dropped, info.status.dropped if info.status else 0)
    second: list[Segment] = [
        (f" frames {c.frames}", None),
        (f"  adverts {c.adverts}", None),
        (f"  malformed {c.malformed}", "warn" if c.malformed else None),
        (f"  dropped {dropped}", "bad" if dropped else None),
    ]
    if c.checksum_errors:
        second.append((f"  cksum-err {c.checksum_errors}", "warn"))
    second.append((f"  sort:{info.sort_key}", "dim"))
    if info.filter_text:
        second.append((f"  filter:{info.filter_text!r}", "warn"))
    if not info.show_names:
        second.append(("  numeric", "dim"))
    return first, second


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
