"""Pilot tests of the priority-file editor: save, conflicts, reload, read-only files,
leaving with unsaved edits, ``--on-save`` and the settle check (kit: ``editor_kit``)."""

from __future__ import annotations

import os
from dataclasses import replace
from pathlib import Path
from typing import Any

import pytest
from textual.binding import Binding
from textual.widgets import Static, Tab

from tests.ui.conftest import FROZEN
from tests.ui.editor_kit import (
    SEED,
    SIZE,
    FakeMonitor,
    editor_app,
    goto,
    open_editor,
    pane_of,
    seed_instances,
    table_rows,
    text_of,
    wait_for,
)
from tests.ui.helpers import log_lines, render_text
from tests.ui.scenario import FakeEngine, FakeUpdate, empty_snapshot, instance
from vrrptop.expect.settle import settle_time
from vrrptop.model.expectation import Expectation
from vrrptop.priority import SaveError
from vrrptop.priority.store import LoadedFile
from vrrptop.ui.format import severity_word
from vrrptop.ui.keys import EDITOR_KEY_HELP
from vrrptop.ui.screens.editor import EDIT_ACTIONS, EditorScreen
from vrrptop.ui.screens.editor_dialogs import (
    ConfirmDialog,
    ConflictDialog,
    SaveDialog,
)
from vrrptop.ui.screens.help import HelpScreen
from vrrptop.ui.screens.main import MainScreen

# -------------------------------------------------------------------- save


async def test_save_shows_diff_and_masters_then_writes_bytes(seed_file: Path) -> None:
    monitor = FakeMonitor([seed_file])
    app = editor_app(monitor)
    async with app.run_test(size=SIZE) as pilot:
        pane = pane_of(await open_editor(pilot, app))
        await goto(pilot, pane, 3)
        await pilot.press("K")  # recdns-wcdc above recdns-sby: testdns0 -> recdns-sby
        await pilot.press("ctrl+s")
        await pilot.pause()
        dialog = app.screen
        assert isinstance(dialog, SaveDialog)
        diff = render_text(dialog.query_one("#save-diff", Static).content)
        assert "-recdns-wcdc" in diff and "+recdns-wcdc" in diff
        masters = render_text(dialog.query_one("#save-masters", Static).content)
        t0 = next(line for line in masters.splitlines() if line.startswith("testdns0"))
        assert t0.split()[:4] == ["testdns0", "recdns-wcdc", "→", "recdns-sby"]
        assert "CHANGES" in t0
        t1 = next(line for line in masters.splitlines() if line.startswith("testdns1"))
        assert t1.split()[:5] == ["testdns1", "recdns-cnh", "→", "recdns-cnh", "same"]
        assert seed_file.read_bytes() == SEED  # nothing written before confirming
        await pilot.press("y")
        await pilot.pause()
        assert isinstance(app.screen, EditorScreen)
        assert seed_file.read_bytes() == b"recdns-cnh\n#recdns-rnb\nrecdns-wcdc\nrecdns-sby\n"
        assert Path(str(seed_file) + "~").read_bytes() == SEED
        assert not pane.dirty
        assert [loaded.path for loaded, _now in monitor.saved] == [seed_file]
        settle_s = settle_time(seed_instances(seed_file)[0])
        lines = "\n".join(log_lines(app))
        assert f"priority file saved: expect recdns-sby for testdns0 within {settle_s:.0f} s" in (
            lines
        )
        assert "expect recdns-cnh for testdns1" in lines


async def test_save_can_be_cancelled(seed_file: Path) -> None:
    app = editor_app(FakeMonitor([seed_file]))
    async with app.run_test(size=SIZE) as pilot:
        pane = pane_of(await open_editor(pilot, app))
        await pilot.press("x", "ctrl+s")
        await pilot.pause()
        assert isinstance(app.screen, SaveDialog)
        await pilot.press("escape")
        await pilot.pause()
        assert seed_file.read_bytes() == SEED
        assert pane.dirty


async def test_save_keeps_crlf_comments_and_missing_final_newline(tmp_path: Path) -> None:
    path = tmp_path / "priority.testdns"
    path.write_bytes(b"# ops: do not reorder on fridays\r\nrecdns-cnh\r\n#recdns-rnb\r\nrecdns-sby")
    app = editor_app(FakeMonitor([path]))
    async with app.run_test(size=SIZE) as pilot:
        pane = pane_of(await open_editor(pilot, app))
        await goto(pilot, pane, 2)
        await pilot.press("x", "ctrl+s")
        await pilot.pause()
        await pilot.press("y")
        await pilot.pause()
        assert path.read_bytes() == (
            b"# ops: do not reorder on fridays\r\nrecdns-cnh\r\nrecdns-rnb\r\nrecdns-sby"
        )


async def test_conflict_refuses_and_keeps_the_other_change(
    seed_file: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    # The disk poll runs only when the test calls it, so its order against the
    # dialog is the test's, not the scheduler's.
    monkeypatch.setattr(EditorScreen, "POLL_S", 3600.0)
    app = editor_app(FakeMonitor([seed_file]))
    async with app.run_test(size=SIZE) as pilot:
        pane = pane_of(await open_editor(pilot, app))
        await pilot.press("x")
        theirs = b"recdns-cnh\nrecdns-rnb\nrecdns-sby\nrecdns-wcdc\n"
        seed_file.write_bytes(theirs)  # someone else, between load and save
        await pilot.press("ctrl+s")
        await pilot.pause()
        await pilot.press("y")
        await pilot.pause()
        dialog = app.screen
        assert isinstance(dialog, ConflictDialog)
        external = render_text(dialog.query_one("#conflict-diff", Static).content)
        assert "-#recdns-rnb" in external and "+recdns-rnb" in external
        await pilot.press("escape")
        await pilot.pause()
        assert seed_file.read_bytes() == theirs
        assert pane.dirty
        # The 1 Hz disk poll after the dialog must not talk over its answer (it did,
        # when the tick landed after the dialog closed: CI saw "changed on disk").
        editor = app.screen
        assert isinstance(editor, EditorScreen)
        editor.poll_disk()
        assert "NOT SAVED" in pane.message or "not saved" in pane.message
        # Second try: overwrite on purpose.
        await pilot.press("ctrl+s")
        await pilot.pause()
        await pilot.press("y")
        await pilot.pause()
        assert isinstance(app.screen, ConflictDialog)
        await pilot.press("o")
        await pilot.pause()
        assert seed_file.read_bytes() == b"#recdns-cnh\n#recdns-rnb\nrecdns-sby\nrecdns-wcdc\n"


async def test_conflict_reload_takes_the_disk_version(seed_file: Path) -> None:
    app = editor_app(FakeMonitor([seed_file]))
    async with app.run_test(size=SIZE) as pilot:
        pane = pane_of(await open_editor(pilot, app))
        await pilot.press("x")
        theirs = b"recdns-wcdc\nrecdns-sby\n"
        seed_file.write_bytes(theirs)
        await pilot.press("ctrl+s")
        await pilot.pause()
        await pilot.press("y")
        await pilot.pause()
        await pilot.press("r")
        await pilot.pause()
        assert pane.session is not None
        assert pane.session.file.render() == theirs
        assert [r[1] for r in table_rows(pane)] == ["recdns-wcdc", "recdns-sby"]
        assert seed_file.read_bytes() == theirs


async def test_save_error_is_shown_and_nothing_is_lost(
    seed_file: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    def disk_full(*_args: object, **_kwargs: object) -> LoadedFile:
        raise SaveError(f"cannot write {seed_file}: No space left on device", 28)

    monkeypatch.setattr("vrrptop.priority.session.save", disk_full)
    app = editor_app(FakeMonitor([seed_file]))
    async with app.run_test(size=SIZE) as pilot:
        pane = pane_of(await open_editor(pilot, app))
        await pilot.press("x", "ctrl+s")
        await pilot.pause()
        await pilot.press("y")
        await pilot.pause()
        assert "NOT SAVED" in pane.message and "No space left" in pane.message
        assert pane.dirty
        assert pane.session is not None
        assert pane.session.file.render().startswith(b"#recdns-cnh\n")
        assert seed_file.read_bytes() == SEED


# ------------------------------------------------------- disk, read-only, leave


async def test_changed_on_disk_is_shown_and_r_reloads(seed_file: Path) -> None:
    app = editor_app(FakeMonitor([seed_file]))
    async with app.run_test(size=SIZE) as pilot:
        screen = await open_editor(pilot, app)
        pane = pane_of(screen)
        assert "CHANGED ON DISK" not in text_of(pane, "#ed-banner")
        seed_file.write_bytes(b"recdns-sby\nrecdns-cnh\n")
        screen.poll_disk()  # what the 1 s timer does
        await pilot.pause()
        assert "CHANGED ON DISK" in text_of(pane, "#ed-banner")
        await pilot.press("r")
        await pilot.pause()
        assert [r[1] for r in table_rows(pane)] == ["recdns-sby", "recdns-cnh"]
        assert "CHANGED ON DISK" not in text_of(pane, "#ed-banner")


async def test_reload_with_edits_asks(seed_file: Path) -> None:
    app = editor_app(FakeMonitor([seed_file]))
    async with app.run_test(size=SIZE) as pilot:
        pane = pane_of(await open_editor(pilot, app))
        await pilot.press("x", "r")
        await pilot.pause()
        assert isinstance(app.screen, ConfirmDialog)
        await pilot.press("n")
        await pilot.pause()
        assert pane.dirty
        await pilot.press("r")
        await pilot.pause()
        await pilot.press("y")
        await pilot.pause()
        assert not pane.dirty
        assert pane.session is not None and pane.session.file.render() == SEED


async def test_read_only_mode_shows_the_file_and_refuses_edits(seed_file: Path) -> None:
    app = editor_app(FakeMonitor([seed_file]), read_only=True)
    async with app.run_test(size=SIZE) as pilot:
        pane = pane_of(await open_editor(pilot, app))
        assert "READ-ONLY: read-only mode (--read-only)" in text_of(pane, "#ed-banner")
        assert len(table_rows(pane)) == 4
        for key in ("x", "space", "K", "J", "d", "a", "ctrl+s"):
            await pilot.press(key)
            await pilot.pause()
            assert isinstance(app.screen, EditorScreen), key
            assert "editing disabled: read-only mode" in pane.message, key
        assert pane.session is not None and pane.session.file.render() == SEED
        assert seed_file.read_bytes() == SEED
        assert app.paused is False  # space did not fall through to the main screen's pause


async def test_escape_without_edits_leaves(seed_file: Path) -> None:
    app = editor_app(FakeMonitor([seed_file]))
    async with app.run_test(size=SIZE) as pilot:
        await open_editor(pilot, app)
        await pilot.press("escape")
        await pilot.pause()
        assert isinstance(app.screen, MainScreen)


async def test_escape_with_unsaved_edits_asks(seed_file: Path) -> None:
    app = editor_app(FakeMonitor([seed_file]))
    async with app.run_test(size=SIZE) as pilot:
        await open_editor(pilot, app)
        await pilot.press("x", "escape")
        await pilot.pause()
        assert isinstance(app.screen, ConfirmDialog)
        assert "Unsaved changes in priority.testdns" in render_text(
            app.screen.query_one(Static).content
        )
        await pilot.press("n")
        await pilot.pause()
        assert isinstance(app.screen, EditorScreen)
        await pilot.press("escape")
        await pilot.pause()
        await pilot.press("y")
        await pilot.pause()
        assert isinstance(app.screen, MainScreen)
        assert seed_file.read_bytes() == SEED


async def test_quit_with_unsaved_edits_asks(seed_file: Path) -> None:
    app = editor_app(FakeMonitor([seed_file]))
    async with app.run_test(size=SIZE) as pilot:
        await open_editor(pilot, app)
        await pilot.press("x", "q")
        await pilot.pause()
        assert isinstance(app.screen, ConfirmDialog)
        await pilot.press("n")
        await pilot.pause()
        assert isinstance(app.screen, EditorScreen)
        assert app.is_running


# ------------------------------------------------------ after the save


@pytest.mark.parametrize(
    ("command", "ok"), [("echo copied to wcdc", True), ("echo rsync: refused >&2; exit 3", False)]
)
async def test_on_save_runs_and_reports(seed_file: Path, command: str, ok: bool) -> None:
    app = editor_app(FakeMonitor([seed_file]), on_save=command)
    async with app.run_test(size=SIZE) as pilot:
        pane = pane_of(await open_editor(pilot, app))
        await pilot.press("x", "ctrl+s")
        await pilot.pause()
        await pilot.press("y")
        await wait_for(pilot, lambda: "on-save command" in "\n".join(log_lines(app)))
        assert seed_file.read_bytes().startswith(b"#recdns-cnh\n")  # the save stands
        lines = "\n".join(log_lines(app))
        if ok:
            assert "on-save command succeeded" in lines
            assert "copied to wcdc" in pane.message
        else:
            assert "on-save command exited with status 3" in lines
            assert "the local save stands" in lines
            assert "rsync: refused" in pane.message
            assert "saved locally" in pane.message


async def test_settle_check_reports_the_election(seed_file: Path) -> None:
    engine = FakeEngine()
    app = editor_app(FakeMonitor([seed_file]), engine)
    async with app.run_test(size=SIZE) as pilot:
        pane = pane_of(await open_editor(pilot, app))
        await goto(pilot, pane, 3)
        await pilot.press("K", "ctrl+s")
        await pilot.pause()
        await pilot.press("y")
        await pilot.pause()
        # testdns0 follows (recdns-sby); testdns1 is still on recdns-wcdc after the deadline.
        now = FROZEN + 2
        t0 = instance(210, 4, [("recdns-sby", 250, now - 1, None)], now, prios={"recdns-sby": 250})
        t0 = replace(
            t0, expectation=Expectation(t0.key, None, True, observed_master_name="recdns-sby")
        )
        engine.emit(FakeUpdate(replace(empty_snapshot(now), instances=(t0,))))
        await wait_for(pilot, lambda: "as predicted" in "\n".join(log_lines(app)))
        late = FROZEN + 60
        t1 = instance(
            211, 4, [("recdns-wcdc", 250, late - 1, None)], late, prios={"recdns-wcdc": 250}
        )
        t1 = replace(
            t1, expectation=Expectation(t1.key, None, True, observed_master_name="recdns-wcdc")
        )
        engine.emit(FakeUpdate(replace(empty_snapshot(late), instances=(t1,))))
        await wait_for(pilot, lambda: "observed recdns-wcdc" in "\n".join(log_lines(app)))
        lines = log_lines(app)
        assert any("testdns0: recdns-sby is master as predicted" in line for line in lines)
        flagged = next(line for line in lines if "observed recdns-wcdc" in line)
        assert "testdns1: expected recdns-cnh within" in flagged
        assert "NOTE" not in flagged  # a warning, not a note
        assert severity_word("warning")[0] in flagged


# ------------------------------------------------------------------- keys/help


def test_editor_bindings_match_the_key_table() -> None:
    bindings = [b for b in EditorScreen.BINDINGS if isinstance(b, Binding)]
    ids = {b.id for b in bindings if b.action != "refuse_edit"}
    assert ids == {k.id for k in EDITOR_KEY_HELP}
    # Each edit key has a hidden twin that says why it is refused on a read-only file.
    refused = {b.key for b in bindings if b.action == "refuse_edit"}
    assert refused == {k.key for k in EDITOR_KEY_HELP if k.action in EDIT_ACTIONS}
    assert not any(b.show for b in bindings if b.action == "refuse_edit")
    for entry in EDITOR_KEY_HELP:
        assert callable(getattr(EditorScreen, f"action_{entry.action}")), entry


async def test_help_lists_the_editor_keys(seed_file: Path) -> None:
    app = editor_app(FakeMonitor([seed_file]))
    async with app.run_test(size=(100, 60)) as pilot:
        await open_editor(pilot, app)
        await pilot.press("question_mark")
        await pilot.pause()
        assert isinstance(app.screen, HelpScreen)
        text = render_text(app.screen.query_one("#help-keys", Static).content)
        for entry in EDITOR_KEY_HELP:
            assert entry.text in text, entry


async def test_non_writable_file_is_shown_read_only(
    seed_file: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    # Tests run as root, for whom every file is writable: make the check say no.
    real_access = os.access

    def no_write(path: Any, mode: int, **kwargs: Any) -> bool:
        return False if mode & os.W_OK else real_access(path, mode, **kwargs)

    monkeypatch.setattr("vrrptop.priority.session.os.access", no_write)
    app = editor_app(FakeMonitor([seed_file]))
    async with app.run_test(size=SIZE) as pilot:
        pane = pane_of(await open_editor(pilot, app))
        banner = " ".join(text_of(pane, "#ed-banner").split())  # long tmp path wraps
        assert f"READ-ONLY: {seed_file} is not writable" in banner
        assert len(table_rows(pane)) == 4
        await pilot.press("x")
        await pilot.pause()
        assert "is not writable" in pane.message
        assert pane.session is not None and pane.session.file.render() == SEED


async def test_clock_tick_before_the_tabs_mount_does_not_crash(seed_file: Path) -> None:
    # Under load the one-second tick can land between the editor's compose and
    # TabbedContent mounting its tab labels: that tick must skip them, not end the app.
    app = editor_app(FakeMonitor([seed_file]))
    async with app.run_test(size=SIZE) as pilot:
        screen = await open_editor(pilot, app)
        await screen.query_one("#ed-tabs").query(Tab).remove()  # as before mounting
        screen.render_view()
        screen.poll_disk()
        app.tick_active_screen()  # what the clock tick calls
        await pilot.pause()
        assert app.is_running and isinstance(app.screen, EditorScreen)
