"""The editor's modal dialogs: confirm, add host, save (diff + masters), conflict."""

from __future__ import annotations

from collections.abc import Sequence

from rich.table import Table
from rich.text import Text
from textual.app import ComposeResult
from textual.binding import Binding
from textual.containers import Horizontal, Vertical, VerticalScroll
from textual.screen import ModalScreen
from textual.validation import ValidationResult, Validator
from textual.widgets import Button, Input, Static

from vrrptop.priority import MasterChange, hostname_problem

_CSS = """
{name} {{ align: center middle; }}
{name} > Vertical {{
    width: 90%; max-width: 100; height: auto; max-height: 90%;
    border: thick $accent; background: $surface; padding: 0 1;
}}
{name} VerticalScroll {{ height: auto; max-height: 16; }}
{name} Horizontal {{ height: auto; align-horizontal: right; }}
{name} Button {{ margin: 0 1; min-width: 10; }}
{name} .dialog-error {{ color: $error; height: auto; }}
"""


def diff_text(lines: Sequence[str]) -> Text:
    """A unified diff, coloured: removed red, added green, hunks cyan."""
    text = Text(no_wrap=True)
    for line in lines:
        if line.startswith(("---", "+++")):
            style = "bold"
        elif line.startswith("@@"):
            style = "cyan"
        elif line.startswith("-"):
            style = "red"
        elif line.startswith("+"):
            style = "green"
        else:
            style = "dim"
        text.append(line + "\n", style=style)
    text.rstrip()
    return text


def masters_table(changes: Sequence[MasterChange]) -> Table:
    """Predicted master of every instance before and after the edit."""
    table = Table(box=None, show_header=True, header_style="bold", pad_edge=False)
    table.add_column("instance")
    table.add_column("master now")
    table.add_column("")
    table.add_column("after saving")
    table.add_column("")
    for change in changes:
        after_style = "bold yellow" if change.changed else "green"
        table.add_row(
            change.instance,
            change.before or "none",
            "→",
            Text(change.after or "none", style=after_style),
            Text("CHANGES", style="bold yellow") if change.changed else Text("same", style="dim"),
        )
    return table


class ConfirmDialog(ModalScreen[bool]):
    """A yes/no question (y/enter: yes, n/escape: no)."""

    DEFAULT_CSS = _CSS.format(name="ConfirmDialog")
    BINDINGS = [
        Binding("y", "answer(True)", "Yes", id="confirm.yes"),
        Binding("n,escape", "answer(False)", "No", id="confirm.no"),
    ]

    def __init__(self, question: str | Text, yes: str = "Yes", no: str = "No") -> None:
        super().__init__()
        self.question = question
        self.labels = (yes, no)

    def compose(self) -> ComposeResult:
        """Question and two buttons."""
        with Vertical():
            yield Static(self.question, id="confirm-question")
            with Horizontal():
                yield Button(self.labels[0], variant="warning", id="yes")
                yield Button(self.labels[1], id="no")

    def on_mount(self) -> None:
        """Focus "no": enter must not do the dangerous thing by accident."""
        self.query_one("#no", Button).focus()

    def on_button_pressed(self, event: Button.Pressed) -> None:
        """A button answers."""
        self.dismiss(event.button.id == "yes")

    def action_answer(self, yes: bool) -> None:
        """A key answers."""
        self.dismiss(yes)


class _HostName(Validator):
    def validate(self, value: str) -> ValidationResult:
        problem = hostname_problem(value.strip())
        return self.failure(problem) if problem else self.success()


class AddHostDialog(ModalScreen[str | None]):
    """Ask for a host name (validated); enter adds, escape cancels."""

    DEFAULT_CSS = _CSS.format(name="AddHostDialog")
    BINDINGS = [Binding("escape", "cancel", "Cancel", id="addhost.cancel")]

    def __init__(self, where: str) -> None:
        super().__init__()
        self.where = where

    def compose(self) -> ComposeResult:
        """Prompt, input and the validation message."""
        with Vertical():
            yield Static(f"Add a host {self.where} (its short name, as `hostname --short`):")
            yield Input(placeholder="host name", validators=[_HostName()], id="host-name")
            yield Static("", classes="dialog-error", id="host-error")

    def on_mount(self) -> None:
        """Type straight away."""
        self.query_one(Input).focus()

    def on_input_changed(self, event: Input.Changed) -> None:
        """Say what is wrong as the operator types."""
        result = event.validation_result
        error = "" if result is None or result.is_valid or not event.value else result.failures[0]
        self.query_one("#host-error", Static).update(str(getattr(error, "description", error)))

    def on_input_submitted(self, event: Input.Submitted) -> None:
        """Enter: add when valid, else keep asking."""
        name = event.value.strip()
        problem = hostname_problem(name)
        if problem:
            self.query_one("#host-error", Static).update(problem)
            return
        self.dismiss(name)

    def action_cancel(self) -> None:
        """Escape: add nothing."""
        self.dismiss(None)


class SaveDialog(ModalScreen[bool]):
    """The diff and the masters before/after; ctrl+s or y saves, escape or n cancels."""

    DEFAULT_CSS = _CSS.format(name="SaveDialog")
    BINDINGS = [
        Binding("ctrl+s,y", "answer(True)", "Save", id="save.yes"),
        Binding("n,escape", "answer(False)", "Cancel", id="save.no"),
    ]

    def __init__(self, path: str, diff: Sequence[str], changes: Sequence[MasterChange]) -> None:
        super().__init__()
        self.path = path
        self.diff = list(diff)
        self.changes = list(changes)

    def compose(self) -> ComposeResult:
        """Title, diff, masters table, buttons."""
        with Vertical():
            yield Static(Text(f"Save {self.path}?", style="bold"))
            with VerticalScroll():
                yield Static(diff_text(self.diff), id="save-diff")
            if self.changes:
                yield Static(masters_table(self.changes), id="save-masters")
            else:
                yield Static("no configured instance uses this file", id="save-masters")
            with Horizontal():
                yield Button("Save", variant="primary", id="yes")
                yield Button("Cancel", id="no")

    def on_mount(self) -> None:
        """Focus Save: the operator pressed ctrl+s on purpose."""
        self.query_one("#yes", Button).focus()

    def on_button_pressed(self, event: Button.Pressed) -> None:
        """A button answers."""
        self.dismiss(event.button.id == "yes")

    def action_answer(self, yes: bool) -> None:
        """A key answers."""
        self.dismiss(yes)


class ConflictDialog(ModalScreen[str]):
    """The file changed on disk: reload (drop my edits), overwrite, or cancel."""

    DEFAULT_CSS = _CSS.format(name="ConflictDialog")
    BINDINGS = [
        Binding("r", "choose('reload')", "Reload", id="conflict.reload"),
        Binding("o", "choose('overwrite')", "Overwrite", id="conflict.overwrite"),
        Binding("escape,c", "choose('cancel')", "Cancel", id="conflict.cancel"),
    ]

    def __init__(self, path: str, external: Sequence[str], mine: Sequence[str] = ()) -> None:
        super().__init__()
        self.path = path
        self.external = list(external)
        self.mine = list(mine)

    def compose(self) -> ComposeResult:
        """What changed on disk, and three choices."""
        with Vertical():
            yield Static(
                Text(
                    f"{self.path} changed on disk since it was loaded: NOT saved.\n"
                    "Someone else's change (as loaded → now on disk):",
                    style="bold red",
                )
            )
            with VerticalScroll():
                yield Static(diff_text(self.external), id="conflict-diff")
                if self.mine:
                    yield Static(Text("Your edit (as loaded → your edit):", style="bold"))
                    yield Static(diff_text(self.mine), id="conflict-mine")
            yield Static(
                "r: reload from disk (your edits are dropped)   o: overwrite their change   "
                "escape: cancel (keep editing)"
            )
            with Horizontal():
                yield Button("Reload", id="reload")
                yield Button("Overwrite", variant="error", id="overwrite")
                yield Button("Cancel", variant="primary", id="cancel")

    def on_mount(self) -> None:
        """Focus Cancel: the safe choice."""
        self.query_one("#cancel", Button).focus()

    def on_button_pressed(self, event: Button.Pressed) -> None:
        """A button chooses."""
        self.dismiss(str(event.button.id))

    def action_choose(self, choice: str) -> None:
        """A key chooses."""
        self.dismiss(choice)
