"""The node bar: what the local keepalived says of itself, above the alarms."""

from __future__ import annotations

from rich.text import Text
from textual.widgets import Static

from vrrptop.model.node import NodeState
from vrrptop.ui.node_view import bar_lines
from vrrptop.ui.widgets.levels import level_style


class NodeBar(Static):
    """``this node: testdns1 BACKUP, prio 100 (base 50 + named_check_testdns1_1 +50)...``

    Hidden when keepalived's state is not read (not its node, not root, off);
    repainted only when its words change.
    """

    DEFAULT_CSS = """
    NodeBar {
        height: auto;
        max-height: 4;
        background: $boost;
    }
    """

    def __init__(self, **kwargs: object) -> None:
        super().__init__("", **kwargs)  # type: ignore[arg-type]
        self._shown: list[tuple[str, str | None]] | None = None
        self.display = False

    def show(self, node: NodeState | None) -> None:
        """Show ``node`` (None: hide)."""
        lines = bar_lines(node)
        if lines == self._shown:
            return
        self._shown = list(lines)
        self.display = bool(lines)
        text = Text(no_wrap=True, overflow="ellipsis")
        for i, (words, level) in enumerate(lines):
            text.append(("\n" if i else "") + words, style=level_style(self.app, level))
        self.update(text)

    def restyle(self) -> None:
        """After a theme change the same words need other colours."""
        self._shown = None
