"""The event log: timestamped, severity word + colour, newest at the bottom."""

from __future__ import annotations

from collections.abc import Iterable
from datetime import tzinfo

from rich.text import Text
from textual.widgets import RichLog

from vrrptop.model.events import Event
from vrrptop.ui.format import fmt_clock, severity_word
from vrrptop.ui.widgets.palette import level_style

#: Lines kept in the log; older lines scroll away.
MAX_LINES = 2000


class EventLog(RichLog):
    """Scrollable log of tracker events; follows the bottom unless scrolled up."""

    def __init__(self, tz: tzinfo | None = None, **kwargs: object) -> None:
        super().__init__(max_lines=MAX_LINES, wrap=False, markup=False, **kwargs)  # type: ignore[arg-type]
        self._tz = tz
        self.lines_written = 0

    def add_events(self, events: Iterable[Event]) -> None:
        """Append ``events`` in order."""
        for event in events:
            word, level = severity_word(event.severity)
            line = Text(no_wrap=True)
            line.append(fmt_clock(event.ts, self._tz, millis=True), style="dim")
            line.append(" ")
            line.append(word, style=level_style(self.app, level))
            line.append(" ")
            where = f"{event.vrid}/v{event.family}" if event.vrid is not None else "-"
            line.append(f"{where:>7} ", style="bold")
            line.append(event.message)
            self.write(line)
            self.lines_written += 1

    def add_note(self, ts: float | None, message: str) -> None:
        """Append a line of the console's own (e.g. "counters cleared")."""
        line = Text(no_wrap=True)
        line.append(fmt_clock(ts, self._tz, millis=True), style="dim")
        line.append(" NOTE       - ", style="dim")
        line.append(message, style="italic")
        self.write(line)
        self.lines_written += 1
