"""The priority-file editor (``e``): one tab per file, edits, save with confirmation.

All editing rules are in ``vrrptop.priority`` (``EditSession``); this screen maps
keys to session calls, asks before anything destructive, and after a save tells
the monitor, runs ``--on-save`` in a worker thread and logs the expected election
on the main screen (``ui.settle_watch`` checks it happened).
"""

from __future__ import annotations

from collections.abc import Callable, Sequence
from pathlib import Path
from typing import TYPE_CHECKING, ClassVar, cast

from rich.text import Text
from textual.app import ComposeResult
from textual.binding import Binding, BindingType
from textual.css.query import NoMatches
from textual.screen import Screen
from textual.widgets import Footer, Static, TabbedContent, TabPane

from vrrptop.config.model import InstanceConfig
from vrrptop.errors import VrrptopError
from vrrptop.priority import (
    EditSession,
    PriorityFile,
)
from vrrptop.ui.editor_rows import (
    Inputs,
    gather_inputs,
    host_map,
    instances_for,
)
from vrrptop.ui.engine_api import MonitorLike
from vrrptop.ui.keys import EDITOR_KEY_HELP
from vrrptop.ui.screens.editor_dialogs import (
    AddHostDialog,
    ConfirmDialog,
)
from vrrptop.ui.screens.editor_save import SaveFlow, current_watch, snapshot_now
from vrrptop.ui.widgets.editor_pane import EditorPane
from vrrptop.ui.widgets.status import StatusBar

if TYPE_CHECKING:
    from vrrptop.ui.app import VrrptopApp

NO_FILE_HELP = (
    "No priority file to edit.\n\n"
    "Give one with --priority-file PATH (repeatable), or declare it in the configuration\n"
    "(priority_files = [...] or [instances.NAME] priority_file = PATH in /etc/vrrptop.toml),\n"
    "or let vrrptop read keepalived.conf (--keepalived-conf), whose named_check scripts\n"
    "name /etc/keepalived/priority.TYPE.\n\n"
    "escape goes back."
)
_SHORT = {"editor.up": "K", "editor.down": "J"}
#: Keys that change the file: hidden from the footer when the file cannot be
#: edited, and then answered by ``refuse_edit`` (which says why) instead.
EDIT_ACTIONS = frozenset(
    ("move_up", "move_down", "toggle_service", "undo", "redo", "add", "delete", "save")
)
DEMO_READ_ONLY = "a bundled demo file (--demo never writes it)"


class EditorScreen(Screen[None]):
    """Priority files in tabs: lines, priorities per instance, predicted masters."""

    # Footer order: save first (it must be visible at 80 columns), short key names.
    BINDINGS: ClassVar[list[BindingType]] = [
        *(
            Binding(k.key, k.action, k.label, id=k.id, show=k.show, key_display=_SHORT.get(k.id))
            for k in sorted(EDITOR_KEY_HELP, key=lambda k: k.id != "editor.save")
        ),
        *(
            Binding(k.key, "refuse_edit", k.label, id=f"{k.id}.refused", show=False)
            for k in EDITOR_KEY_HELP
            if k.action in EDIT_ACTIONS
        ),
    ]
    DEFAULT_CSS = """
    EditorScreen #ed-title { height: 1; padding: 0 1; background: $panel; }
    EditorScreen #ed-none { padding: 1 2; }
    EditorScreen TabbedContent { height: 1fr; }
    EditorScreen TabPane { padding: 0; }
    """
    POLL_S = 1.0
    """How often the files are checked for changes made by others."""

    def __init__(self, monitor: MonitorLike | None = None) -> None:
        super().__init__()
        self.monitor = monitor
        self.panes: list[EditorPane] = []
        self._reason_shown: str | None = None

    # ------------------------------------------------------------------ setup
    @property
    def vapp(self) -> VrrptopApp:
        """The app, typed."""
        return cast("VrrptopApp", self.app)

    def _paths(self) -> list[Path]:
        if self.monitor is not None:
            return list(self.monitor.files)
        return list(dict.fromkeys(Path(p) for p in self.vapp.options.priority_files))

    def _instances(self) -> Sequence[InstanceConfig]:
        return self.monitor.config.instances if self.monitor is not None else ()

    def _open(self, path: Path) -> EditorPane:
        options = self.vapp.options
        config = self.monitor.config if self.monitor is not None else None
        on_save = options.on_save or (config.on_save if config is not None else None)
        backup_dir = config.backup_dir if config is not None else None
        instances = instances_for(path, self._instances())
        read_only: bool | str = options.read_only
        if options.demo:
            read_only = DEMO_READ_ONLY
        try:
            session: EditSession | None = EditSession.open(
                path, read_only=read_only, backup_dir=backup_dir, on_save=on_save
            )
            error = None
        except VrrptopError as err:
            session, error = None, str(err)
        return EditorPane(path, session, instances, self.inputs, error=error)

    def inputs(self, file: PriorityFile) -> Inputs:
        """DNS health and addresses of ``file``'s hosts from the latest snapshot."""
        return gather_inputs(file.hosts(), self.vapp.live_snapshot, host_map(self.monitor))

    def compose(self) -> ComposeResult:
        """The status header (capture state, counters), title, one tab per file (or
        how to give one), footer."""
        yield StatusBar(id="status")
        yield Static(id="ed-title")
        paths = self._paths()
        if not paths:
            yield Static(NO_FILE_HELP, id="ed-none")
        else:
            self.panes = [self._open(p) for p in paths]
            with TabbedContent(id="ed-tabs"):
                for i, pane in enumerate(self.panes):
                    with TabPane(pane.tab_label(), id=f"ed-tab-{i}"):
                        yield pane
        yield Footer()

    def on_mount(self) -> None:
        """Focus the first file's lines; watch the files."""
        self.set_interval(self.POLL_S, self.poll_disk, name="editor-poll")
        if self.panes:
            self.panes[0].table.focus()
        self.render_view()

    def on_tabbed_content_tab_activated(self, _event: TabbedContent.TabActivated) -> None:
        """Keys go to the lines of the tab just shown (its file may be read-only)."""
        pane = self.pane
        if pane is not None:
            pane.table.focus()
        self.refresh_bindings()

    def check_action(self, action: str, parameters: tuple[object, ...]) -> bool | None:
        """Edit keys exist only where the file can be edited, else ``refuse_edit``
        answers them: the footer then advertises no key that would be refused."""
        if action in EDIT_ACTIONS:
            return self.read_only_reason() is None
        if action == "refuse_edit":
            return self.read_only_reason() is not None
        return True

    def read_only_reason(self) -> str | None:
        """Why the active file cannot be edited (None: it can, or there is none)."""
        try:
            pane = self.pane
        except NoMatches:  # the tabs are not composed yet
            return None
        return pane.read_only_reason if pane is not None else None

    # ----------------------------------------------------------------- render
    @property
    def pane(self) -> EditorPane | None:
        """The pane of the active tab."""
        if not self.panes:
            return None
        if len(self.panes) == 1:
            return self.panes[0]
        active = self.query_one("#ed-tabs", TabbedContent).active
        index = int(active.rsplit("-", 1)[1]) if active else 0
        return self.panes[index]

    def render_view(self) -> None:
        """Refresh predictions (the app calls this on new snapshots and each second)."""
        try:
            title = self.query_one("#ed-title", Static)
        except NoMatches:  # not composed yet (or already gone)
            return
        bar = next(self.query("#status").results(StatusBar), None)
        if bar is not None:  # the capture goes on while editing: keep it in sight
            bar.show(self.vapp.header_info())
        for pane in self.panes:
            pane.refresh_view()
        self.refresh_tabs()
        title.update(self._title())
        reason = self.read_only_reason()
        if reason != self._reason_shown:  # e.g. the file was made read-only meanwhile
            self._reason_shown = reason
            self.refresh_bindings()

    def _title(self) -> Text:
        text = Text("Priority files", style="bold")
        text.append("  (? help, escape back)", style="dim")
        watch = current_watch(self.vapp)
        if watch is not None:
            stopped = self.vapp.ended  # a replay at its end: no time passes any more
            for exp, left in watch.remaining(snapshot_now(self.vapp)):
                when = (
                    "cannot settle, the replay ended (clock stopped)"
                    if stopped
                    else f"{left:.0f} s"
                )
                text.append(f"   settling {exp.instance} → {exp.expected}: {when}", "yellow")
        return text

    def refresh_tabs(self) -> None:
        """Tab labels follow each file's state (``*`` modified, ``!`` changed on disk)."""
        if not self.panes:
            return
        # TabbedContent mounts its tabs a frame after compose: a tick that lands in
        # between finds none yet, and the next tick labels them.
        try:
            tabs = self.query_one("#ed-tabs", TabbedContent)
        except NoMatches:
            return
        for i, pane in enumerate(self.panes):
            try:
                tab = tabs.get_tab(f"ed-tab-{i}")
            except NoMatches:
                continue
            if str(tab.label) != pane.tab_label():
                tab.label = pane.tab_label()

    def poll_disk(self) -> None:
        """Show "changed on disk" live (someone else edited the file)."""
        for pane in self.panes:
            if pane.session is None:
                continue
            changed = pane.session.changed_on_disk()
            if changed != pane.on_disk_changed:
                pane.on_disk_changed = changed
                pane.refresh_view()
                if changed:
                    pane.show_message(
                        f"{pane.path} changed on disk: r reloads it"
                        + (" (dropping your edits)" if pane.dirty else ""),
                        "warning",
                    )
        self.refresh_tabs()
        try:
            self.query_one("#ed-title", Static).update(self._title())
        except NoMatches:  # not composed yet (or already gone)
            return

    # ---------------------------------------------------------------- actions
    def _editable(self) -> EditorPane | None:
        """The active pane when it can be edited; else say why and return None."""
        pane = self.pane
        if pane is None:
            return None
        reason = pane.read_only_reason
        if reason:
            pane.show_message(f"editing disabled: {reason}", "warning")
            return None
        return pane

    def action_refuse_edit(self) -> None:
        """An edit key on a file that cannot be edited: say why."""
        self._editable()

    def _edit(
        self, pane: EditorPane, op: Callable[[EditSession, int], PriorityFile], cursor: int | None
    ) -> None:
        pane.edit(op, cursor)
        self.refresh_tabs()  # the tab's "*" follows at once

    def action_move_up(self) -> None:
        """Move the highlighted host above the previous host line."""
        if pane := self._editable():
            self._edit(pane, lambda s, i: s.move_up(i), pane.neighbour(-1))

    def action_move_down(self) -> None:
        """Move the highlighted host below the next host line."""
        if pane := self._editable():
            self._edit(pane, lambda s, i: s.move_down(i), pane.neighbour(+1))

    def action_toggle_service(self) -> None:
        """Comment/uncomment the highlighted host (it keeps its line)."""
        if pane := self._editable():
            self._edit(pane, lambda s, i: s.toggle(i), None)

    def action_undo(self) -> None:
        """Undo one edit."""
        if pane := self._editable():
            self._edit(pane, lambda s, _i: s.undo(), None)

    def action_redo(self) -> None:
        """Redo one undone edit."""
        if pane := self._editable():
            self._edit(pane, lambda s, _i: s.redo(), None)

    def action_add(self) -> None:
        """Ask for a host name and insert it below the cursor."""
        pane = self._editable()
        if pane is None:
            return
        index = pane.cursor + 1 if pane.table.row_count else 0

        def done(name: str | None) -> None:
            if name:
                self._edit(pane, lambda s, _i: s.add_host(name, index), index)

        self.app.push_screen(AddHostDialog(f"after line {index}"), done)

    def action_delete(self) -> None:
        """Delete the highlighted line after confirmation."""
        pane = self._editable()
        if pane is None or not pane.table.row_count:
            return
        index = pane.cursor
        question = Text(f"Delete line {index + 1}: {pane.current_line_text()!r}?")

        def done(yes: bool | None) -> None:
            if yes:
                self._edit(pane, lambda s, _i: s.delete(index), index)

        self.app.push_screen(ConfirmDialog(question, yes="Delete", no="Keep"), done)

    def action_reload(self) -> None:
        """Re-read the file from disk (asks first when there are edits)."""
        pane = self.pane
        if pane is None or pane.session is None:
            return
        if not pane.dirty:
            self.reload_pane(pane)
            return

        def done(yes: bool | None) -> None:
            if yes:
                self.reload_pane(pane)

        question = f"Reload {pane.path} from disk and drop your unsaved edits?"
        self.app.push_screen(ConfirmDialog(question, yes="Reload", no="Keep editing"), done)

    def reload_pane(self, pane: EditorPane) -> None:
        """Re-read ``pane``'s file from disk (edits dropped); errors become a message."""
        assert pane.session is not None
        try:
            pane.session.reload()
        except VrrptopError as err:
            pane.show_message(f"cannot reload: {err}", "error")
            return
        pane.on_disk_changed = False
        pane.refresh_view(force=True)
        pane.show_message(f"reloaded {pane.path} from disk", "ok")
        self.refresh_tabs()

    def action_leave(self) -> None:
        """Back to the main screen; asks when edits are unsaved."""
        dirty = [p for p in self.panes if p.dirty]
        if not dirty:
            self.app.pop_screen()
            return
        names = ", ".join(p.path.name for p in dirty)

        def done(yes: bool | None) -> None:
            if yes:
                self.app.pop_screen()

        question = f"Unsaved changes in {names}. Leave the editor and DISCARD them?"
        self.app.push_screen(ConfirmDialog(question, yes="Discard", no="Stay"), done)

    async def action_quit(self) -> None:
        """Quit vrrptop; asks first when edits are unsaved (q must not lose them)."""
        dirty = [p for p in self.panes if p.dirty]
        if not dirty:
            await self.vapp.action_quit()
            return

        async def done(yes: bool | None) -> None:
            if yes:
                await self.vapp.action_quit()

        names = ", ".join(p.path.name for p in dirty)
        question = f"Unsaved changes in {names}. Quit vrrptop and DISCARD them?"
        self.app.push_screen(ConfirmDialog(question, yes="Quit", no="Stay"), done)

    # ------------------------------------------------------------------- save
    def action_save(self) -> None:
        """Show the diff and the masters before/after; save on confirmation."""
        if pane := self._editable():
            SaveFlow(self).start(pane)
