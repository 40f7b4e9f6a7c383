"""The event log: timestamped, severity word + colour, newest at the bottom."""

from __future__ import annotations

from collections import deque
from collections.abc import Iterable
from datetime import tzinfo
from typing import Self

from rich.text import Text
from textual.widgets import RichLog

from vrrptop.model.events import Event
from vrrptop.ui.format import fmt_clock, severity_word
from vrrptop.ui.widgets.palette import level_style

#: Lines kept in the log; older lines scroll away.
MAX_LINES = 2000


class EventLog(RichLog):
    """Scrollable log of tracker events; follows the bottom unless scrolled up.

    Long messages wrap (an operator must be able to read all of it at 80 columns);
    ``entries`` keeps each entry's plain text, one per event, for tests and tools.
    """

    def __init__(self, tz: tzinfo | None = None, **kwargs: object) -> None:
        super().__init__(max_lines=MAX_LINES, wrap=True, markup=False, **kwargs)  # type: ignore[arg-type]
        self._tz = tz
        self.lines_written = 0
        self.entries: deque[str] = deque(maxlen=MAX_LINES)

    def _add(self, line: Text) -> None:
        self.write(line)
        self.entries.append(line.plain)
        self.lines_written += 1

    def clear(self) -> Self:
        """Empty the log (the `c` key)."""
        self.entries.clear()
        return super().clear()

    def add_events(self, events: Iterable[Event]) -> None:
        """Append ``events`` in order."""
        for event in events:
            word, level = severity_word(event.severity)
            line = Text()
            line.append(fmt_clock(event.ts, self._tz, millis=True), style="dim")
            line.append(" ")
            line.append(word, style=level_style(self.app, level))
            line.append(" ")
            where = f"{event.vrid}/v{event.family}" if event.vrid is not None else "-"
            line.append(f"{where:>7} ", style="bold")
            line.append(event.message)
            self._add(line)

    def add_note(self, ts: float | None, message: str) -> None:
        """Append a line of the console's own (e.g. "counters cleared")."""
        line = Text()
        line.append(fmt_clock(ts, self._tz, millis=True), style="dim")
        line.append(" NOTE       - ", style="dim")
        line.append(message, style="italic")
        self._add(line)
