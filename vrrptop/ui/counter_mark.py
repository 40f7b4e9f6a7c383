"""The console's ``c``: counters counted from a mark, the evidence kept.

In an incident the event log, the master history and the tables are evidence, so
``c`` never clears them: the header's counters restart from a mark instead, and a
note in the log records what they were. Pure (no textual), so the arithmetic is
testable plainly.
"""

from __future__ import annotations

from dataclasses import fields, replace

from vrrptop.capture.base import SourceStatus
from vrrptop.model.snapshot import Counters

QUESTION = (
    "Restart the counters (frames, adverts, malformed, dropped) from now?\n"
    "The event log, the master history and the tables are kept; a mark in the "
    "log records the counts so far."
)


class CounterMark:
    """Where the counters were at the last ``c`` (none: count from the start)."""

    def __init__(self) -> None:
        self._mark: tuple[Counters, int] | None = None

    def apply(
        self, counters: Counters, status: SourceStatus | None
    ) -> tuple[Counters, SourceStatus | None]:
        """``counters`` (and the capture's drops) counted from the mark."""
        if self._mark is None:
            return counters, status
        mark, dropped = self._mark
        since = Counters(
            **{
                f.name: max(0, getattr(counters, f.name) - getattr(mark, f.name))
                for f in fields(Counters)
            }
        )
        if status is not None:
            status = replace(status, dropped=max(0, status.dropped - dropped))
        return since, status

    def set(self, counters: Counters, status: SourceStatus | None) -> str:
        """Mark here; returns the log note that keeps the counts so far."""
        shown, shown_status = self.apply(counters, status)
        dropped = max(shown.dropped, shown_status.dropped if shown_status else 0)
        self._mark = (counters, status.dropped if status else 0)
        return (
            f"── counters restarted here; until now: frames {shown.frames}, adverts "
            f"{shown.adverts}, malformed {shown.malformed}, dropped {dropped} ──"
        )
