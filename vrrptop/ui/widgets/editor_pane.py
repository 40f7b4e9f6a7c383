"""One priority file in the editor: its lines, predictions, state and messages.

The pane owns an ``EditSession`` (all editing rules live there) and only turns
key presses into session calls and the session's state into widgets.
"""

from __future__ import annotations

from collections.abc import Callable, Sequence
from pathlib import Path

from rich.text import Text
from textual.app import ComposeResult
from textual.containers import Vertical
from textual.css.query import NoMatches
from textual.widgets import DataTable, Static

from vrrptop.config.model import InstanceConfig
from vrrptop.errors import VrrptopError
from vrrptop.priority import EditSession, Prediction, PriorityFile
from vrrptop.ui.editor_rows import (
    Inputs,
    instance_label,
    line_cells,
    masters_text,
    predictions,
)

InputsProvider = Callable[[PriorityFile], Inputs]


class EditorPane(Vertical):
    """Lines of one file with the effective priorities and the predicted masters."""

    DEFAULT_CSS = """
    EditorPane { height: 1fr; }
    EditorPane > #ed-banner { height: auto; padding: 0 1; }
    EditorPane > DataTable { height: auto; max-height: 1fr; }
    EditorPane > #ed-masters { height: auto; padding: 0 1; }
    EditorPane > #ed-notes { height: auto; padding: 0 1; color: $warning; }
    EditorPane > #ed-message { height: auto; max-height: 8; padding: 0 1; }
    EditorPane.-readonly > #ed-banner { background: $warning 30%; }
    EditorPane.-ondisk > #ed-banner { background: $error 30%; }
    """

    def __init__(
        self,
        path: Path,
        session: EditSession | None,
        instances: Sequence[InstanceConfig],
        inputs: InputsProvider,
        *,
        error: str | None = None,
        **kwargs: object,
    ) -> None:
        super().__init__(**kwargs)  # type: ignore[arg-type]
        self.path = path
        self.session = session
        self.instances = list(instances)
        self._inputs = inputs
        self.error = error
        """Why the file could not be opened (the pane then shows only that)."""
        self.on_disk_changed = False
        self._shown: tuple[object, ...] | None = None
        self.preds: list[Prediction] = []

    # -------------------------------------------------------------- compose
    def compose(self) -> ComposeResult:
        """Banner, the lines table, masters, notes and the last message."""
        yield Static(id="ed-banner")
        table: DataTable[Text] = DataTable(id="ed-lines", cursor_type="row", zebra_stripes=False)
        table.add_column(Text("#"), key="line")
        table.add_column(Text("host"), key="host")
        table.add_column(Text("service"), key="service")
        for i, inst in enumerate(self.instances):
            table.add_column(Text(instance_label(inst)), key=f"inst{i}")
        table.add_column(Text("DNS"), key="dns")
        yield table
        yield Static(id="ed-masters")
        yield Static(id="ed-notes")
        yield Static(id="ed-message")

    def on_mount(self) -> None:
        """First render."""
        self.refresh_view()

    # ---------------------------------------------------------------- state
    @property
    def read_only_reason(self) -> str | None:
        """Why this file cannot be edited now (None: it can)."""
        if self.session is None:
            return self.error or "not loaded"
        return self.session.read_only_reason

    @property
    def dirty(self) -> bool:
        """Unsaved edits exist."""
        return self.session is not None and self.session.dirty

    @property
    def table(self) -> DataTable[Text]:
        """The lines table."""
        return self.query_one("#ed-lines", DataTable)

    @property
    def cursor(self) -> int:
        """0-based index of the highlighted line."""
        return self.table.cursor_row

    def tab_label(self) -> str:
        """File name, with ``*`` when modified and ``!`` when changed on disk."""
        mark = ("*" if self.dirty else "") + ("!" if self.on_disk_changed else "")
        return f"{self.path.name}{mark}"

    # --------------------------------------------------------------- render
    def refresh_view(self, *, force: bool = False) -> None:
        """Recompute predictions and redraw what changed."""
        try:
            banner = self.query_one("#ed-banner", Static)
        except NoMatches:  # not composed yet (or already gone)
            return
        if self.session is None:
            banner.update(Text(f"{self.path}: {self.error}", style="bold red"))
            return
        file = self.session.file
        inputs = self._inputs(file)
        self.preds = predictions(file, self.instances, inputs)
        cells = line_cells(file, self.instances, self.preds, inputs)
        signature = tuple(tuple(c.markup for c in row) for row in cells)
        table = self.table
        # Keyed by the table too: a re-composed pane has a fresh, empty table.
        if force or (id(table), signature) != self._shown:
            fresh = self._shown is None or self._shown[0] != id(table)
            self._shown = (id(table), signature)
            row = table.cursor_row
            if fresh:  # open on the first host line: the keys act on hosts, not comments
                first = file.neighbour(-1, +1)
                row = 0 if first is None else first
            table.clear()
            for index, row_cells in enumerate(cells):
                table.add_row(*row_cells, key=str(index))
            if cells:
                table.move_cursor(row=min(max(row, 0), len(cells) - 1))
        self.query_one("#ed-masters", Static).update(masters_text(self.instances, self.preds))
        notes = self.session.notes
        reasons = [r for p in self.preds for r in p.reasons]
        self.query_one("#ed-notes", Static).update(
            "\n".join(f"⚠ {n}" for n in dict.fromkeys([*notes, *reasons]))
        )
        self.query_one("#ed-notes", Static).display = bool(notes or reasons)
        banner.update(self._banner())
        self.set_class(self.read_only_reason is not None, "-readonly")
        self.set_class(self.on_disk_changed, "-ondisk")

    def _banner(self) -> Text:
        assert self.session is not None
        text = Text()
        text.append(str(self.path), style="bold")
        if self.dirty:
            text.append("  modified (ctrl+s saves)", style="bold yellow")
        else:
            text.append("  unmodified", style="green")
        if self.on_disk_changed:
            text.append("  CHANGED ON DISK (r reloads)", style="bold red")
        reason = self.read_only_reason
        if reason:
            text.append(f"  READ-ONLY: {reason}", style="bold")
        return text

    def show_message(self, message: str | Text, level: str = "info") -> None:
        """The outcome of the last action, under the table."""
        style = {"info": "", "ok": "green", "warning": "yellow", "error": "bold red"}[level]
        text = message if isinstance(message, Text) else Text(message, style=style)
        self.query_one("#ed-message", Static).update(text)

    @property
    def message(self) -> str:
        """The last message as plain text (tests)."""
        content = self.query_one("#ed-message", Static).content
        return content.plain if isinstance(content, Text) else str(content)

    # ---------------------------------------------------------------- edits
    def edit(self, op: Callable[[EditSession, int], PriorityFile], cursor_to: int | None) -> bool:
        """Apply ``op(session, cursor)``; a refused edit becomes a message, not a crash."""
        if self.session is None:
            return False
        try:
            op(self.session, self.cursor)
        except VrrptopError as err:
            self.show_message(str(err), "warning")
            return False
        self.refresh_view()
        if cursor_to is not None and self.table.row_count:
            self.table.move_cursor(row=min(cursor_to, self.table.row_count - 1))
        self.show_message("")
        return True

    def neighbour(self, delta: int) -> int | None:
        """Index of the host line a move in direction ``delta`` swaps with."""
        if self.session is None:
            return None
        return self.session.file.neighbour(self.cursor, delta)

    def current_line_text(self) -> str:
        """The highlighted line's text (for the delete confirmation)."""
        if self.session is None or not self.session.file.lines:
            return ""
        return self.session.file.lines[self.cursor].text
