"""Issue 13, the editor's and the tables' remaining habits: the cursor starts on a
host, refused keys say why and are not advertised, a save on an ended replay says
it cannot settle, the conflict's diffs say what they compare, ``n`` reaches the
Expected column and toggling back restores the widths."""

from __future__ import annotations

from dataclasses import replace
from pathlib import Path

from textual.pilot import Pilot
from textual.widgets import Static

from tests.ui.conftest import FROZEN, make_app
from tests.ui.editor_kit import (
    SEED,
    SIZE,
    FakeMonitor,
    editor_app,
    goto,
    open_editor,
    pane_of,
    text_of,
)
from tests.ui.helpers import header, log_lines, render_text, rows, settle
from tests.ui.scenario import HOSTS, FakeEngine, FakeUpdate, empty_snapshot, failover_events
from tests.ui.scenario_health import correlated_failover
from vrrptop.ui.app import VrrptopApp
from vrrptop.ui.screens.editor import EDIT_ACTIONS, EditorScreen
from vrrptop.ui.screens.editor_dialogs import ConflictDialog

WIDE = (160, 48)


async def _until(pilot: Pilot[int], predicate: object, rounds: int = 100) -> None:
    """Wait for ``predicate()`` under load, a pause at a time."""
    for _ in range(rounds):
        if predicate():  # type: ignore[operator]
            return
        await pilot.pause(0.05)
    assert predicate()  # type: ignore[operator]


def _shown_actions(screen: EditorScreen) -> set[str]:
    """Actions the footer advertises now."""
    return {a.binding.action for a in screen.active_bindings.values() if a.binding.show}


async def test_editor_opens_on_the_first_host_and_a_move_on_a_comment_says_why(
    tmp_path: Path,
) -> None:
    path = tmp_path / "priority.testdns"
    data = b"# rotated by ops\n\nrecdns-cnh\nrecdns-sby\n"
    path.write_bytes(data)
    app = editor_app(FakeMonitor([path]))
    async with app.run_test(size=SIZE) as pilot:
        pane = pane_of(await open_editor(pilot, app))
        await _until(pilot, lambda: pane.table.row_count == 4)
        assert pane.cursor == 2  # recdns-cnh, not the comment
        await goto(pilot, pane, 0)
        await pilot.press("J")
        await _until(pilot, lambda: "nothing moved" in pane.message)
        assert "line 1 is a comment" in pane.message
        assert pane.session is not None and pane.session.file.render() == data


async def test_demo_says_why_it_is_read_only_and_hides_the_edit_keys(seed_file: Path) -> None:
    writable = editor_app(FakeMonitor([seed_file]))
    async with writable.run_test(size=SIZE) as pilot:
        screen = await open_editor(pilot, writable)
        assert {"save", "move_up", "toggle_service"} <= _shown_actions(screen)
    app = editor_app(FakeMonitor([seed_file]), demo=True)
    async with app.run_test(size=SIZE) as pilot:
        screen = await open_editor(pilot, app)
        pane = pane_of(screen)
        banner = " ".join(text_of(pane, "#ed-banner").split())
        assert "READ-ONLY: a bundled demo file" in banner
        assert "--read-only" not in banner
        assert not _shown_actions(screen) & EDIT_ACTIONS
        for key in ("x", "K", "ctrl+s"):
            await pilot.press(key)
            await _until(pilot, lambda: "editing disabled: a bundled demo file" in pane.message)
            assert isinstance(app.screen, EditorScreen), key
            pane.show_message("")
        assert seed_file.read_bytes() == SEED
        assert app.paused is False  # no key fell through to the main screen


async def test_save_on_an_ended_replay_says_it_cannot_settle(seed_file: Path) -> None:
    engine = FakeEngine()
    app = editor_app(FakeMonitor([seed_file]), engine)
    async with app.run_test(size=SIZE) as pilot:
        engine.emit(FakeUpdate(empty_snapshot(FROZEN), ended=True))
        await _until(pilot, lambda: app.ended)
        screen = await open_editor(pilot, app)
        pane = pane_of(screen)
        await goto(pilot, pane, 3)
        await pilot.press("K", "ctrl+s")
        await pilot.pause()
        await pilot.press("y")
        await _until(
            pilot, lambda: "settling" in render_text(screen.query_one("#ed-title", Static).content)
        )
        title = render_text(screen.query_one("#ed-title", Static).content)
        assert "cannot settle, the replay ended (clock stopped)" in title
        assert any("the replay has ended" in line for line in log_lines(app))


async def test_conflict_diffs_say_what_they_compare(seed_file: Path) -> None:
    app = editor_app(FakeMonitor([seed_file]))
    async with app.run_test(size=SIZE) as pilot:
        await open_editor(pilot, app)
        await pilot.press("x")
        seed_file.write_bytes(b"recdns-cnh\nrecdns-rnb\nrecdns-sby\nrecdns-wcdc\n")
        await pilot.press("ctrl+s")
        await pilot.pause()
        await pilot.press("y")
        await _until(pilot, lambda: isinstance(app.screen, ConflictDialog))
        dialog = app.screen
        external = render_text(dialog.query_one("#conflict-diff", Static).content)
        mine = render_text(dialog.query_one("#conflict-mine", Static).content)
        assert "--- priority.testdns (as loaded)" in external
        assert "+++ priority.testdns (now on disk)" in external
        assert "--- priority.testdns (as loaded)" in mine
        assert "+++ priority.testdns (your edit)" in mine
        assert "+#recdns-cnh" in mine


def _named_expectations() -> object:
    """``correlated_failover`` with the expected hosts' addresses known."""
    snap = correlated_failover()
    views = []
    for view in snap.instances:
        exp = view.expectation
        assert exp is not None
        hosts = tuple(replace(h, addresses=(HOSTS[h.name][0],)) for h in exp.hosts)
        views.append(replace(view, expectation=replace(exp, hosts=hosts)))
    return replace(snap, instances=tuple(views))


def _widths(app: VrrptopApp, table_id: str) -> list[int]:
    table = app.screen.query_one(table_id)
    return [c.width for c in table.columns.values()]  # type: ignore[attr-defined]


async def test_n_reaches_expected_and_toggling_back_restores_widths(engine: FakeEngine) -> None:
    app = make_app(engine)
    async with app.run_test(size=WIDE) as pilot:
        engine.emit(FakeUpdate(_named_expectations(), failover_events()))  # type: ignore[arg-type]
        await settle(pilot, app)
        table = app.screen.query_one("#instances")
        header = [str(c.label) for c in table.columns.values()]  # type: ignore[attr-defined]
        col = header.index("Expected")
        named = {(r[0], r[1]): r[col] for r in rows(app)}
        assert named[("210", "v4")] == "recdns-rnb"
        before = {t: _widths(app, t) for t in ("#instances", "#hosts")}
        await pilot.press("n")
        await _until(pilot, lambda: rows(app)[0][col] != named[(rows(app)[0][0], rows(app)[0][1])])
        numbers = {(r[0], r[1]): r[col] for r in rows(app)}
        assert numbers[("210", "v4")] == HOSTS["recdns-rnb"][0]
        assert numbers[("211", "v4")] == HOSTS["recdns-sby"][0] + " ≠"
        await pilot.press("n")
        await _until(pilot, lambda: {(r[0], r[1]): r[col] for r in rows(app)} == named)
        assert {t: _widths(app, t) for t in ("#instances", "#hosts")} == before


async def test_editor_keeps_the_capture_header_in_sight(seed_file: Path) -> None:
    engine = FakeEngine()
    app = editor_app(FakeMonitor([seed_file]), engine)
    async with app.run_test(size=(80, 24)) as pilot:
        engine.emit(FakeUpdate(empty_snapshot(FROZEN), ended=True))
        await _until(pilot, lambda: app.ended)
        await open_editor(pilot, app)
        await _until(pilot, lambda: "END OF CAPTURE" in header(app))
        assert "frames" in header(app)
