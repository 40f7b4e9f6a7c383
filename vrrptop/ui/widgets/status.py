"""The two-line status header."""

from __future__ import annotations

from rich.text import Text
from textual.widgets import Static

from vrrptop.expect.wording import Segment
from vrrptop.ui.header import HeaderInfo, header_lines, header_stable
from vrrptop.ui.widgets.levels import level_style


class StatusBar(Static):
    """Source, capture state, elapsed time, clock and counters."""

    _shown: tuple[HeaderInfo, list[Segment], list[Segment]] | None = None

    def restyle(self) -> None:
        """Re-send the next header even if unchanged (a theme changes its colours)."""
        self._shown = None

    def on_resize(self) -> None:
        """Each line is fitted to the width (``header_lines``): refit the last header."""
        if self._shown is not None:
            self.show(self._shown[0])

    def show(self, info: HeaderInfo, *, tick: bool = True) -> None:
        """Render ``info``; with ``tick`` False, a change in only the clock, elapsed
        time or frame counters waits for the next tick. An unchanged header is not
        re-sent (each update repaints the widget)."""
        first, second = header_lines(info, self.size.width or self.app.size.width)
        shown = self._shown
        if shown is not None:
            if (first, second) == (shown[1], shown[2]):
                return
            if not tick and header_stable(info) == header_stable(shown[0]):
                return
        self._shown = (info, first, second)
        text = Text(no_wrap=True, overflow="ellipsis")
        for part, level in first:
            text.append(part, style=level_style(self.app, level))
        text.append("\n")
        for part, level in second:
            text.append(part, style=level_style(self.app, level))
        # Its height is fixed (2 lines, see the .tcss): no layout pass, which would
        # recompute the whole screen once a second for a ticking clock.
        self.update(text, layout=False)
