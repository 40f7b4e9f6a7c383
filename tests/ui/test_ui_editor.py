"""Pilot tests of the priority-file editor (``e``): what it shows and every edit key.

The file is the seed's ``priority.testdns`` (recdns-cnh / #recdns-rnb / recdns-sby /
recdns-wcdc) in a temp dir (``tests.ui.editor_kit``); expected priorities and masters
come from the seed's text (250/200/150/100 and 50; testdns0 on recdns-wcdc, testdns1
on recdns-cnh). Saving, conflicts and leaving: ``test_ui_editor_save``.
"""

from __future__ import annotations

from dataclasses import replace
from pathlib import Path

import pytest
from textual.widgets import Static, TabbedContent

from tests.ui.conftest import FROZEN
from tests.ui.editor_kit import (
    ALL_OK,
    SEED,
    SIZE,
    FakeMonitor,
    editor_app,
    goto,
    health,
    open_editor,
    pane_of,
    table_rows,
    text_of,
)
from tests.ui.helpers import render_text, settle
from tests.ui.scenario import FakeEngine, FakeUpdate, empty_snapshot
from vrrptop.ui.screens.editor import EditorScreen
from vrrptop.ui.screens.editor_dialogs import (
    AddHostDialog,
    ConfirmDialog,
)
from vrrptop.ui.screens.main import MainScreen


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
