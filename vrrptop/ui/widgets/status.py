"""The two-line status header."""

from __future__ import annotations

from rich.text import Text
from textual.widgets import Static

from vrrptop.ui.header import HeaderInfo, header_lines
from vrrptop.ui.widgets.palette import level_style


class StatusBar(Static):
    """Source, capture state, elapsed time, clock and counters."""

    def show(self, info: HeaderInfo) -> None:
        """Render ``info``."""
        first, second = header_lines(info)
        text = Text(no_wrap=True, overflow="ellipsis")
        for part, level in first:
            text.append(part, style=level_style(self.app, level))
        text.append("\n")
        for part, level in second:
            text.append(part, style=level_style(self.app, level))
        self.update(text)
