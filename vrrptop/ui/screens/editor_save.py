"""Saving from the editor: confirm (diff + masters), write, conflicts, then what follows.

After a successful save: the monitor is told (``file_saved``), the main screen's
event log says which master to expect within the settle time (``SettleWatch``
checks it with each second), and ``--on-save`` runs in a worker thread.
"""

from __future__ import annotations

from typing import TYPE_CHECKING

from rich.text import Text

from vrrptop.errors import VrrptopError
from vrrptop.expect.settle import settle_time
from vrrptop.priority import (
    ConflictError,
    MasterChange,
    OnSaveResult,
    PriorityFile,
    SaveError,
    unified_diff,
)
from vrrptop.priority.store import LoadedFile
from vrrptop.ui.editor_rows import predictions
from vrrptop.ui.screens.editor_dialogs import ConflictDialog, SaveDialog
from vrrptop.ui.settle_watch import Expectation, SettleWatch
from vrrptop.ui.widgets.editor_pane import EditorPane

if TYPE_CHECKING:
    from vrrptop.ui.app import VrrptopApp
    from vrrptop.ui.screens.editor import EditorScreen

ON_SAVE_TIMEOUT_S = 30.0


def settle_watch(app: VrrptopApp) -> SettleWatch:
    """The app's settle watch (``app.settle``); created, with its 1 s check timer, on
    first use."""
    watch = app.settle
    if watch is None:
        watch = app.settle = SettleWatch()

        def tick() -> None:
            for outcome in watch.check(app.live_snapshot):
                log_line(app, outcome.message, "info" if outcome.ok else "warning")

        # An app timer, not the screen's: the check must go on after the editor closes.
        app.set_interval(1.0, tick, name="editor-settle")
    return watch


def log_line(app: VrrptopApp, message: str, severity: str = "info") -> None:
    """A line in the main screen's event log, with the event log's severity words."""
    if not app.main_screen.is_mounted:
        return
    app.main_screen.event_log.add_note(snapshot_now(app), message, severity)


def snapshot_now(app: VrrptopApp) -> float:
    """Now on the clock the monitor's correlation uses (snapshot time)."""
    snap = app.live_snapshot
    return snap.ts if snap is not None else app.clock()


def current_watch(app: VrrptopApp) -> SettleWatch | None:
    """The app's settle watch if a save started one."""
    return app.settle


class SaveFlow:
    """The save dialogs and their aftermath for one editor screen."""

    def __init__(self, screen: EditorScreen) -> None:
        self.screen = screen

    def master_changes(self, pane: EditorPane) -> list[MasterChange]:
        """Predicted master of each instance with the file on disk and as edited."""
        assert pane.session is not None
        old, new = pane.session.history.saved, pane.session.file
        before = predictions(old, pane.instances, self.screen.inputs(old))
        after = predictions(new, pane.instances, self.screen.inputs(new))
        return [
            MasterChange(inst.name, b.master, a.master)
            for inst, b, a in zip(pane.instances, before, after, strict=True)
        ]

    def start(self, pane: EditorPane) -> None:
        """Show the diff and the masters before/after; save on confirmation."""
        if pane.session is None:
            return
        if not pane.dirty:
            pane.show_message("nothing to save: no edits since the file was loaded", "info")
            return
        changes = self.master_changes(pane)

        def done(yes: bool | None) -> None:
            if yes:
                self.save(pane, changes)
            else:
                pane.show_message("not saved (cancelled)", "info")

        self.screen.app.push_screen(SaveDialog(str(pane.path), pane.session.diff(), changes), done)

    def save(self, pane: EditorPane, changes: list[MasterChange], *, force: bool = False) -> None:
        """Write the file; a conflict asks what to do, an error says why."""
        session = pane.session
        assert session is not None
        try:
            loaded = session.save(force=force)
        except ConflictError as err:
            self._conflict(pane, changes, err)
            return
        except (SaveError, VrrptopError) as err:
            pane.show_message(f"NOT SAVED: {err}. Your edits are kept.", "error")
            self.screen.app.notify(str(err), title="not saved", severity="error", timeout=10)
            return
        self._after_save(pane, loaded, changes)

    def _conflict(self, pane: EditorPane, changes: list[MasterChange], err: ConflictError) -> None:
        assert pane.session is not None
        # The dialog says the file changed on disk: mark it so the next disk poll does
        # not announce it again over the dialog's answer ("not saved ...").
        pane.on_disk_changed = pane.session.changed_on_disk()
        pane.refresh_view()
        loaded = pane.session.loaded
        try:
            theirs = PriorityFile.parse(err.on_disk) if err.on_disk is not None else None
        except VrrptopError:
            theirs = None
        if theirs is None:
            external = ["(the file is gone or no longer text)"]
        else:
            external = unified_diff(
                loaded.file, theirs, pane.path.name, ("as loaded", "now on disk")
            )
        pane.show_message(f"NOT SAVED: {err}", "error")

        def done(choice: str | None) -> None:
            if choice == "reload":
                self.screen.reload_pane(pane)
            elif choice == "overwrite":
                self.save(pane, changes, force=True)
            else:
                pane.show_message("not saved: the file changed on disk (r reloads it)", "warning")

        self.screen.app.push_screen(
            ConflictDialog(str(pane.path), external, pane.session.diff()), done
        )

    def _after_save(
        self, pane: EditorPane, loaded: LoadedFile, changes: list[MasterChange]
    ) -> None:
        app = self.screen.vapp
        now = snapshot_now(app)
        if self.screen.monitor is not None:
            self.screen.monitor.file_saved(loaded, now)
        pane.on_disk_changed = False
        pane.refresh_view(force=True)
        self.screen.refresh_tabs()
        backup = f" (previous version: {loaded.backup})" if loaded.backup else ""
        pane.show_message(f"saved {pane.path}{backup}", "ok")
        if not changes:
            log_line(app, f"priority file saved: {pane.path}")
        watch = settle_watch(app) if changes else None
        stopped = " (it cannot settle here: the replay has ended, its clock is stopped)"
        for inst, change in zip(pane.instances, changes, strict=True):
            settle = settle_time(inst)
            log_line(
                app,
                f"priority file saved: expect {change.after or 'no master'} for {inst.name} "
                f"within {settle:.0f} s" + (stopped if app.ended else ""),
            )
            assert watch is not None
            watch.expect(
                Expectation(inst.name, inst.vrid, inst.families, change.after, now, now + settle)
            )
        if changes:
            # A toast that lasts as long as the settle time: visible on the main screen too.
            longest = max(settle_time(inst) for inst in pane.instances)
            app.notify(
                "\n".join(f"{c.instance} → {c.after or 'no master'}" for c in changes),
                title=f"election expected within {longest:.0f} s",
                timeout=longest,
            )
        self._run_on_save(pane)

    def _run_on_save(self, pane: EditorPane) -> None:
        session = pane.session
        if session is None or not session.on_save:
            return
        app = self.screen.vapp
        pane.show_message(f"saved; running on-save command: {session.on_save}", "info")

        def work() -> None:
            result = session.run_on_save(ON_SAVE_TIMEOUT_S)
            if result is not None:
                app.call_from_thread(self._on_save_done, pane, result)

        # The app's worker, so the command's outcome is reported even if the editor closed.
        app.run_worker(work, thread=True, group="on-save", name="on-save")

    def _on_save_done(self, pane: EditorPane, result: OnSaveResult) -> None:
        app = self.screen.vapp
        out = (result.stdout + result.stderr).strip().splitlines()[-5:]
        if result.ok:
            log_line(app, result.summary())
        else:
            log_line(app, f"{result.summary()} (the local save stands)", "error")
            app.notify(result.summary(), title="on-save FAILED", severity="error", timeout=15)
        if pane.is_mounted:
            text = Text(result.summary(), style="green" if result.ok else "bold white on red")
            if not result.ok:
                text.append("  (the file is saved locally)")
            for line in out:
                text.append("\n  " + line, style="dim")
            pane.show_message(text)
