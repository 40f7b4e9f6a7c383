"""One line above the event log counting the correlation's alarms by kind."""

from __future__ import annotations

from collections.abc import Sequence

from rich.text import Text
from textual.widgets import Static

from vrrptop.expect.wording import Segment
from vrrptop.model.expectation import Alarm
from vrrptop.model.snapshot import InstanceView
from vrrptop.ui.health_view import alarm_summary
from vrrptop.ui.widgets.levels import level_style


class AlarmBar(Static):
    """``2 ALARMS: master-mismatch testdns1, vip-dns-failing 198.51.100.211``.

    Hidden when nothing is correlated (no configuration declares what should be
    master); repainted only when its words change, not at every engine update.
    """

    DEFAULT_CSS = """
    AlarmBar {
        height: 1;
        background: $boost;
    }
    """

    def __init__(self, **kwargs: object) -> None:
        super().__init__("", **kwargs)  # type: ignore[arg-type]
        self._shown: list[Segment] | None = None
        self.display = False

    def show(self, instances: Sequence[InstanceView], segment: Sequence[Alarm] = ()) -> None:
        """Summarise the alarms of ``instances`` (all of them, not the filtered rows:
        a filter must not hide an alarm) and the segment-wide ones."""
        segments = alarm_summary(instances, segment)
        if segments == self._shown:
            return
        self._shown = segments
        self.display = segments is not None
        text = Text(no_wrap=True, overflow="ellipsis")
        for part, level in segments or ():
            text.append(part, style=level_style(self.app, level))
        self.update(text)

    def restyle(self) -> None:
        """After a theme change the same words need other colours."""
        self._shown = None
