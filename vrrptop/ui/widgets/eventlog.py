"""The event log: timestamped, severity word + colour, newest at the bottom.

RichLog renders a line once, at the width it had then; after a resize the old
lines stayed wrapped at the old width, and a filter or the names toggle could not
reach lines already written. So the log keeps its entries (not their renders)
and writes them again when the width, the filter or the names change, following
the newest line unless the operator scrolled up to read older ones.
"""

from __future__ import annotations

import re
from collections import deque
from collections.abc import Iterable, Mapping
from dataclasses import dataclass
from datetime import tzinfo
from typing import Self

from rich.text import Text
from textual.events import Resize
from textual.widgets import RichLog

from vrrptop.model.events import Event
from vrrptop.ui.format import fmt_clock, severity_word
from vrrptop.ui.widgets.levels import level_style

#: Lines kept in the log; older lines scroll away.
MAX_LINES = 2000


@dataclass(frozen=True, slots=True)
class _Entry:
    ts: float | None
    event: Event | None
    """None for a note of the console's own (always shown, never filtered)."""
    note: str = ""
    severity: str = "info"
    """A note's severity: "info" reads NOTE; "warning"/"error" read as events do."""


class EventLog(RichLog):
    """Scrollable log of tracker events; follows the bottom unless scrolled up.

    Long messages wrap (an operator must be able to read all of it at 80 columns)
    and re-wrap when the terminal is resized; ``entries`` keeps each entry's plain
    text as shown, one per event, for tests and tools.
    """

    def __init__(self, tz: tzinfo | None = None, **kwargs: object) -> None:
        super().__init__(max_lines=MAX_LINES, wrap=True, markup=False, **kwargs)  # type: ignore[arg-type]
        self._tz = tz
        self.lines_written = 0
        self._items: deque[_Entry] = deque(maxlen=MAX_LINES)
        self.entries: deque[str] = deque(maxlen=MAX_LINES)
        self._width = 0
        self._query = ""
        self._names: Mapping[str, str] = {}
        self._names_re: re.Pattern[str] | None = None

    # -- what is shown ------------------------------------------------------------
    def set_view(self, query: str, names: Mapping[str, str]) -> None:
        """Show only events matching the filter ``query`` (as the tables do: a VRID
        exactly, else any text), naming hosts by ``names`` (address -> name; empty
        shows addresses). Rewrites the log only when either changed."""
        query = query.strip().lower()
        if query == self._query and names == self._names:
            return
        self._query, self._names = query, dict(names)
        addresses = sorted(self._names, key=len, reverse=True)
        self._names_re = (
            re.compile(
                r"(?<![\w:.])(" + "|".join(re.escape(a) for a in addresses) + r")(?![\w:]|\.\d)"
            )
            if addresses
            else None
        )
        self._rewrite()

    def _matches(self, entry: _Entry, text: str) -> bool:
        q = self._query
        if not q or entry.event is None:
            return True
        if q.isdigit():
            return entry.event.vrid == int(q)
        return q in text.lower()

    def _message(self, event: Event) -> str:
        if self._names_re is None:
            return event.message
        return self._names_re.sub(lambda m: self._names[m.group(1)], event.message)

    def _entry_text(self, entry: _Entry) -> Text:
        line = Text()
        line.append(fmt_clock(entry.ts, self._tz, millis=True), style="dim")
        event = entry.event
        if event is None and entry.severity == "info":
            line.append(" NOTE       - ", style="dim")
            line.append(entry.note, style="italic")
            return line
        if event is None:
            word, level = severity_word(entry.severity)
            line.append(" ")
            line.append(word, style=level_style(self.app, level))
            line.append(f" {'-':>7} ", style="bold")
            line.append(entry.note)
            return line
        word, level = severity_word(event.severity)
        line.append(" ")
        line.append(word, style=level_style(self.app, level))
        line.append(" ")
        where = f"{event.vrid}/v{event.family}" if event.vrid is not None else "-"
        line.append(f"{where:>7} ", style="bold")
        line.append(self._message(event))
        return line

    def _show(self, entry: _Entry) -> None:
        line = self._entry_text(entry)
        if self._matches(entry, line.plain):
            # Never RichLog's own scroll_end: it would pull an operator reading
            # older lines back down. The anchor follows (see on_mount).
            self.write(line, scroll_end=False)
            self.entries.append(line.plain)

    @property
    def following(self) -> bool:
        """True while the view follows the newest line (not scrolled up)."""
        return self.is_anchored and not self._anchor_released

    def _rewrite(self) -> None:
        """Write every kept entry again (new width, filter or names)."""
        top = self.scroll_y
        following = self.following
        super().clear()
        self.entries.clear()
        for entry in self._items:
            self._show(entry)
        if not following:
            self.scroll_to(y=top, animate=False, immediate=False)

    # -- following the newest line ------------------------------------------------
    def on_mount(self) -> None:
        """Anchored: the view stays on the newest line as lines come, until the
        operator scrolls up; scrolling back to the bottom follows again."""
        self.anchor()

    def on_resize(self, event: Resize) -> None:
        """Re-wrap every line at the new width (RichLog renders once)."""
        width = event.size.width
        if width and self._width and width != self._width:
            self._width = width
            self._rewrite()
        elif width:
            self._width = width

    # -- adding -------------------------------------------------------------------
    def _add(self, entry: _Entry) -> None:
        self._items.append(entry)
        self._show(entry)
        self.lines_written += 1

    def clear(self) -> Self:
        """Empty the log."""
        self._items.clear()
        self.entries.clear()
        return super().clear()

    def add_events(self, events: Iterable[Event]) -> None:
        """Append ``events`` in order."""
        for event in events:
            self._add(_Entry(event.ts, event))

    def add_note(self, ts: float | None, message: str, severity: str = "info") -> None:
        """Append a line of the console's own (e.g. "counters cleared"; a warning such
        as "the election did not settle" carries its severity word)."""
        self._add(_Entry(ts, None, message, severity))
