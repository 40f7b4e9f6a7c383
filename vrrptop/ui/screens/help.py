"""The `?` help screen: every key, generated from the bindings themselves."""

from __future__ import annotations

from rich.table import Table
from rich.text import Text
from textual.app import ComposeResult
from textual.binding import Binding
from textual.containers import VerticalScroll
from textual.screen import ModalScreen
from textual.widgets import Static

from vrrptop.ui.keys import EDITOR_KEY_HELP, KEY_HELP, TABLE_KEY_HELP, TIMELINE_KEY_HELP


def help_table() -> Table:
    """Key, action and what it does, one row per entry of ``KEY_HELP``."""
    table = Table(box=None, expand=False, show_header=True, header_style="bold")
    table.add_column("key", style="bold", no_wrap=True)
    table.add_column("does")
    for entry in KEY_HELP + TABLE_KEY_HELP:
        table.add_row(entry.keys, entry.text)
    table.add_row("", "")
    table.add_row("", Text("Priority-file editor (e)", style="bold"))
    for entry in EDITOR_KEY_HELP:
        table.add_row(entry.keys, entry.text)
    table.add_row("", "")
    table.add_row("", Text("Master timeline (T)", style="bold"))
    for entry in TIMELINE_KEY_HELP:
        table.add_row(entry.keys, entry.text)
    return table


class HelpScreen(ModalScreen[None]):
    """Keys and what they do; any of escape, q or ? closes it."""

    BINDINGS = [
        Binding("escape", "app.pop_screen", "Back", id="help.back"),
        Binding("q", "app.pop_screen", "Back", show=False, id="help.q"),
        Binding("question_mark,f1", "app.pop_screen", "Back", show=False, id="help.close"),
    ]

    def compose(self) -> ComposeResult:
        """A framed, scrollable table of keys."""
        with VerticalScroll(id="help-box") as box:
            box.border_title = "vrrptop keys"
            box.border_subtitle = "escape closes"
            yield Static(help_table(), id="help-keys")
            yield Static(
                Text(
                    "Mouse: click a row to select it, click again (or enter) for details; click a "
                    "column header to sort by it; "
                    "scroll any pane with the wheel.\n"
                    "States are words as well as colours: ok, SILENT, SPLIT BRAIN, MISMATCH, "
                    "CKSUM ERR, resigned. The age bar fills up to Master_Down_Interval.\n"
                    "With a configuration: Expected is the master the priority files predict "
                    "(≠ when the wire disagrees once settled, ~3s while settling), the state "
                    "gains +N ALARMS (listed in details and on the line above the events), and "
                    "hosts show advertised/expected priority (≠ when they differ). When probing: "
                    "DNS is ok, timeout, refused, wrong, NXDOMAIN/SERVFAIL, neterr or — (not "
                    "probed), with the last latency and a sparkline of recent probes (× failed).",
                    style="dim",
                ),
                id="help-notes",
            )
