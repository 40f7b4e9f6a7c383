"""Pilot tests of the priority-file editor (``e``): every key, save, conflict, read-only.

The file is the seed's ``priority.testdns`` (recdns-cnh / #recdns-rnb / recdns-sby /
recdns-wcdc) in a temp dir; expected priorities and masters come from the seed's
text (250/200/150/100 and 50; testdns0 on recdns-wcdc, testdns1 on recdns-cnh).
"""

from __future__ import annotations

import os
from dataclasses import replace
from datetime import UTC
from pathlib import Path
from types import SimpleNamespace
from typing import Any

import pytest
from textual.binding import Binding
from textual.pilot import Pilot
from textual.widgets import Static, Tab, TabbedContent

from tests.ui.conftest import FROZEN
from tests.ui.helpers import log_lines, render_text, settle
from tests.ui.scenario import HOSTS, FakeEngine, FakeUpdate, empty_snapshot, instance
from vrrptop.config.model import Config, InstanceConfig
from vrrptop.expect.settle import settle_time
from vrrptop.model.expectation import Expectation
from vrrptop.options import Options
from vrrptop.priority import SaveError, store
from vrrptop.priority.store import LoadedFile
from vrrptop.ui.app import VrrptopApp
from vrrptop.ui.factory import build_app
from vrrptop.ui.keys import EDITOR_KEY_HELP
from vrrptop.ui.screens.editor import EDIT_ACTIONS, EditorScreen
from vrrptop.ui.screens.editor_dialogs import (
    AddHostDialog,
    ConfirmDialog,
    ConflictDialog,
    SaveDialog,
)
from vrrptop.ui.screens.help import HelpScreen
from vrrptop.ui.screens.main import MainScreen
from vrrptop.ui.widgets.editor_pane import EditorPane

SEED = b"recdns-cnh\n#recdns-rnb\nrecdns-sby\nrecdns-wcdc\n"
SIZE = (100, 30)


class FakeMonitor:
    """What the editor uses from ``vrrptop.monitor.Monitor``."""

    def __init__(
        self,
        paths: list[Path],
        instances: tuple[InstanceConfig, ...] | None = None,
        on_save: str | None = None,
    ) -> None:
        self.files: dict[Path, LoadedFile] = {p: store.load(p) for p in paths}
        if instances is None:
            instances = tuple(i for p in paths for i in seed_instances(p))[:2]
        self.config = Config(
            instances=instances,
            hosts={name: (v4,) for name, (v4, _v6, _mac) in HOSTS.items()},
            on_save=on_save,
        )
        self.saved: list[tuple[LoadedFile, float]] = []

    def file_saved(self, loaded: LoadedFile, now: float) -> None:
        """Record the notification."""
        self.saved.append((loaded, now))
        self.files[loaded.path] = loaded


def seed_instances(path: Path) -> tuple[InstanceConfig, InstanceConfig]:
    """testdns0 (NUM 0) and testdns1 (NUM 1) over ``path``, seed scheme."""
    return (
        InstanceConfig("testdns0", 210, (4,), path, direction=0),
        InstanceConfig("testdns1", 211, (4,), path, direction=1),
    )


@pytest.fixture
def seed_file(tmp_path: Path) -> Path:
    """The seed's priority.testdns."""
    path = tmp_path / "priority.testdns"
    path.write_bytes(SEED)
    return path


def editor_app(
    monitor: FakeMonitor | None, engine: FakeEngine | None = None, **opts: Any
) -> VrrptopApp:
    """The real app with a fake engine and monitor."""
    options = Options(interface="em1", **opts)
    return build_app(options, engine or FakeEngine(), clock=lambda: FROZEN, tz=UTC, monitor=monitor)


async def open_editor(pilot: Pilot[int], app: VrrptopApp) -> EditorScreen:
    """Press ``e`` on the main screen."""
    await pilot.pause()
    await pilot.press("e")
    await pilot.pause()
    assert isinstance(app.screen, EditorScreen)
    return app.screen


def pane_of(screen: EditorScreen) -> EditorPane:
    """The active tab's pane."""
    pane = screen.pane
    assert pane is not None
    return pane


def table_rows(pane: EditorPane) -> list[list[str]]:
    """Plain text of every row of the lines table."""
    table = pane.table
    return [[str(c) for c in table.get_row_at(i)] for i in range(table.row_count)]


def text_of(pane: EditorPane, selector: str) -> str:
    """Plain text of a Static of the pane."""
    return render_text(pane.query_one(selector, Static).content)


def health(ok: dict[str, bool]) -> dict[str, object]:
    """Snapshot health by address for the named hosts (objects with ``.ok``)."""
    return {HOSTS[name][0]: SimpleNamespace(ok=value) for name, value in ok.items()}


ALL_OK = {name: True for name in HOSTS}


async def goto(pilot: Pilot[int], pane: EditorPane, index: int) -> None:
    """Put the cursor on line ``index + 1``."""
    pane.table.move_cursor(row=index)
    await pilot.pause()


# ----------------------------------------------------------------- display


async def test_editor_shows_lines_priorities_dns_and_masters(seed_file: Path) -> None:
    engine = FakeEngine()
    app = editor_app(FakeMonitor([seed_file]), engine)
    async with app.run_test(size=SIZE) as pilot:
        engine.emit(FakeUpdate(replace(empty_snapshot(FROZEN), health=health(ALL_OK))))
        await settle(pilot, app)
        pane = pane_of(await open_editor(pilot, app))
        assert table_rows(pane) == [
            ["1", "recdns-cnh", "in", "100", "250 master", "ok"],
            ["2", "#recdns-rnb", "OUT", "50", "50", "ok"],
            ["3", "recdns-sby", "in", "200", "150", "ok"],
            ["4", "recdns-wcdc", "in", "250 master", "100", "ok"],
        ]
        masters = text_of(pane, "#ed-masters")
        assert "testdns0 → recdns-wcdc" in masters
        assert "testdns1 → recdns-cnh" in masters
        # recdns-wcdc's DNS fails: it drops to the base priority, testdns0 moves to sby.
        bad = {**ALL_OK, "recdns-wcdc": False}
        engine.emit(FakeUpdate(replace(empty_snapshot(FROZEN + 1), health=health(bad))))
        await settle(pilot, app)
        assert table_rows(pane)[3] == ["4", "recdns-wcdc", "in", "50", "50", "FAIL"]
        assert table_rows(pane)[2][3] == "200 master"
        assert "testdns0 → recdns-sby" in text_of(pane, "#ed-masters")


async def test_comments_are_shown_dimmed_and_kept(tmp_path: Path) -> None:
    path = tmp_path / "priority.testdns"
    data = b"# rotated by ops\nrecdns-cnh\n\nrecdns-sby\n"
    path.write_bytes(data)
    app = editor_app(FakeMonitor([path]))
    async with app.run_test(size=SIZE) as pilot:
        pane = pane_of(await open_editor(pilot, app))
        rows = table_rows(pane)
        assert rows[0][:2] == ["1", "# rotated by ops"]
        assert rows[2][:2] == ["3", "(blank line)"]
        comment = pane.table.get_row_at(0)[1]
        assert "dim" in str(comment.style)
        await goto(pilot, pane, 3)
        await pilot.press("K")  # recdns-sby jumps over the blank line, not the comment
        await pilot.pause()
        assert pane.session is not None
        assert pane.session.file.render() == b"# rotated by ops\nrecdns-sby\n\nrecdns-cnh\n"


async def test_no_priority_file_says_how_to_give_one() -> None:
    app = editor_app(None)
    async with app.run_test(size=SIZE) as pilot:
        screen = await open_editor(pilot, app)
        text = render_text(screen.query_one("#ed-none", Static).content)
        assert "--priority-file" in text
        assert "priority_file" in text
        await pilot.press("escape")
        await pilot.pause()
        assert isinstance(app.screen, MainScreen)


async def test_several_files_are_tabs(tmp_path: Path, seed_file: Path) -> None:
    other = tmp_path / "priority.recdns"
    other.write_bytes(b"recdns-sby\nrecdns-wcdc\n")
    app = editor_app(FakeMonitor([seed_file, other]))
    async with app.run_test(size=SIZE) as pilot:
        screen = await open_editor(pilot, app)
        assert [p.path for p in screen.panes] == [seed_file, other]
        tabs = screen.query_one("#ed-tabs", TabbedContent)
        tabs.active = "ed-tab-1"
        await pilot.pause()
        pane = pane_of(screen)
        assert pane.path == other
        await pilot.press("x")
        await pilot.pause()
        assert pane.session is not None
        assert pane.session.file.render() == b"#recdns-sby\nrecdns-wcdc\n"
        assert screen.panes[0].dirty is False
        assert "priority.recdns*" in str(tabs.get_tab("ed-tab-1").label)


# -------------------------------------------------------------------- keys


@pytest.mark.parametrize(("up", "down"), [("K", "J"), ("shift+up", "shift+down")])
async def test_move_keys(seed_file: Path, up: str, down: str) -> None:
    app = editor_app(FakeMonitor([seed_file]))
    async with app.run_test(size=SIZE) as pilot:
        pane = pane_of(await open_editor(pilot, app))
        assert pane.session is not None
        await goto(pilot, pane, 3)
        await pilot.press(up)
        await pilot.pause()
        assert pane.session.file.render() == b"recdns-cnh\n#recdns-rnb\nrecdns-wcdc\nrecdns-sby\n"
        assert pane.cursor == 2  # the cursor follows the host
        # testdns0 ranks later lines higher: recdns-sby is now on the last line.
        assert "testdns0 → recdns-sby" in text_of(pane, "#ed-masters")
        await pilot.press(down)
        await pilot.pause()
        assert pane.session.file.render() == SEED
        await pilot.press(down)  # already last: a message, no change
        await pilot.pause()
        assert pane.session.file.render() == SEED
        assert "already last" in pane.message


@pytest.mark.parametrize("key", ["space", "x"])
async def test_toggle_service(seed_file: Path, key: str) -> None:
    app = editor_app(FakeMonitor([seed_file]))
    async with app.run_test(size=SIZE) as pilot:
        pane = pane_of(await open_editor(pilot, app))
        assert pane.session is not None
        await pilot.press(key)  # line 1, recdns-cnh, out of service
        await pilot.pause()
        assert pane.session.file.render() == b"#recdns-cnh\n#recdns-rnb\nrecdns-sby\nrecdns-wcdc\n"
        assert table_rows(pane)[0][:3] == ["1", "#recdns-cnh", "OUT"]
        # testdns1 (earlier line higher) loses its master: recdns-sby has rank 2 -> 150.
        assert "testdns1 → recdns-sby" in text_of(pane, "#ed-masters")
        await goto(pilot, pane, 1)
        await pilot.press(key)  # put recdns-rnb back, on its own line
        await pilot.pause()
        assert pane.session.file.render() == b"#recdns-cnh\nrecdns-rnb\nrecdns-sby\nrecdns-wcdc\n"


async def test_add_host_is_validated(seed_file: Path) -> None:
    app = editor_app(FakeMonitor([seed_file]))
    async with app.run_test(size=SIZE) as pilot:
        pane = pane_of(await open_editor(pilot, app))
        assert pane.session is not None
        await goto(pilot, pane, 1)
        await pilot.press("a")
        await pilot.pause()
        assert isinstance(app.screen, AddHostDialog)
        await pilot.press(*"bad_name", "enter")
        await pilot.pause()
        assert isinstance(app.screen, AddHostDialog)  # refused, still asking
        assert "not a valid host name" in render_text(
            app.screen.query_one("#host-error", Static).content
        )
        await pilot.press("escape")
        await pilot.pause()
        assert pane.session.file.render() == SEED
        await pilot.press("a")
        await pilot.pause()
        await pilot.press(*"recdns-new", "enter")
        await pilot.pause()
        assert isinstance(app.screen, EditorScreen)
        assert pane.session.file.render() == (
            b"recdns-cnh\n#recdns-rnb\nrecdns-new\nrecdns-sby\nrecdns-wcdc\n"
        )
        assert pane.cursor == 2


async def test_delete_asks_first(seed_file: Path) -> None:
    app = editor_app(FakeMonitor([seed_file]))
    async with app.run_test(size=SIZE) as pilot:
        pane = pane_of(await open_editor(pilot, app))
        assert pane.session is not None
        await goto(pilot, pane, 1)
        await pilot.press("d")
        await pilot.pause()
        assert isinstance(app.screen, ConfirmDialog)
        assert "#recdns-rnb" in render_text(app.screen.query_one(Static).content)
        await pilot.press("n")
        await pilot.pause()
        assert pane.session.file.render() == SEED
        await pilot.press("d")
        await pilot.pause()
        await pilot.press("y")
        await pilot.pause()
        assert pane.session.file.render() == b"recdns-cnh\nrecdns-sby\nrecdns-wcdc\n"


async def test_undo_redo(seed_file: Path) -> None:
    app = editor_app(FakeMonitor([seed_file]))
    async with app.run_test(size=SIZE) as pilot:
        pane = pane_of(await open_editor(pilot, app))
        assert pane.session is not None
        await pilot.press("x")
        await goto(pilot, pane, 3)
        await pilot.press("K")
        await pilot.pause()
        edited = pane.session.file.render()
        await pilot.press("u", "u")
        await pilot.pause()
        assert pane.session.file.render() == SEED
        assert not pane.dirty
        await pilot.press("ctrl+r", "ctrl+r")
        await pilot.pause()
        assert pane.session.file.render() == edited
        assert pane.dirty


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


async def test_conflict_refuses_and_keeps_the_other_change(seed_file: Path) -> None:
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


async def _wait_for(pilot: Pilot[int], predicate: Any, rounds: int = 100) -> None:
    for _ in range(rounds):
        if predicate():
            return
        await pilot.pause(0.05)
    assert predicate()


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
        await _wait_for(pilot, lambda: "on-save command" in "\n".join(log_lines(app)))
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
        await _wait_for(pilot, lambda: "as predicted" in "\n".join(log_lines(app)))
        late = FROZEN + 60
        t1 = instance(
            211, 4, [("recdns-wcdc", 250, late - 1, None)], late, prios={"recdns-wcdc": 250}
        )
        t1 = replace(
            t1, expectation=Expectation(t1.key, None, True, observed_master_name="recdns-wcdc")
        )
        engine.emit(FakeUpdate(replace(empty_snapshot(late), instances=(t1,))))
        await _wait_for(pilot, lambda: "observed recdns-wcdc" in "\n".join(log_lines(app)))
        lines = log_lines(app)
        assert any("testdns0: recdns-sby is master as predicted" in line for line in lines)
        flagged = next(line for line in lines if "observed recdns-wcdc" in line)
        assert "testdns1: expected recdns-cnh within" in flagged
        assert "NOTE" not in flagged  # a warning, not a note


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
        app.render_header()  # what the clock tick calls
        await pilot.pause()
        assert app.is_running and isinstance(app.screen, EditorScreen)
