"""An operator's hands in an incident (issue 13): nothing hidden, nothing destroyed,
htop/vim/less/tcpdump habits. Pilot tests on the real app over a fake engine."""

from __future__ import annotations

from dataclasses import replace

from textual.command import CommandPalette
from textual.widgets import DataTable

from tests.ui.conftest import make_app
from tests.ui.helpers import header, log_lines, rows, settle
from tests.ui.scenario import (
    T0,
    FakeEngine,
    FakeUpdate,
    after_failover,
    failover_events,
    steady,
    steady_events,
)
from vrrptop.model.events import Event
from vrrptop.model.snapshot import Counters
from vrrptop.ui.commands import COMMANDS
from vrrptop.ui.screens.editor_dialogs import ConfirmDialog
from vrrptop.ui.screens.help import HelpScreen
from vrrptop.ui.widgets.eventlog import EventLog

WIDE = (160, 48)


def _log(app) -> EventLog:  # type: ignore[no-untyped-def]
    return app.main_screen.query_one("#events", EventLog)


def _long_events(n: int) -> tuple[Event, ...]:
    words = " ".join(f"word{i}" for i in range(30))
    return tuple(
        Event(T0 + i, "new-master", "info", f"event {i}: {words}", 210, 4) for i in range(n)
    )


async def test_event_log_rewraps_on_resize_and_follows_newest(engine: FakeEngine) -> None:
    app = make_app(engine)
    async with app.run_test(size=(80, 30)) as pilot:
        engine.emit(FakeUpdate(steady(), _long_events(40)))
        await settle(pilot, app)
        log = _log(app)
        narrow = len(log.lines)
        assert narrow > 40  # long lines wrapped at 80 columns
        assert log.scroll_y == log.max_scroll_y > 0  # following the newest
        await pilot.resize_terminal(200, 30)
        await settle(pilot, app)
        await pilot.pause(0.2)
        wide = len(log.lines)
        assert wide < narrow, (wide, narrow)  # re-wrapped at the new width
        assert all(strip.cell_length <= log.size.width for strip in log.lines)
        assert log.scroll_y == log.max_scroll_y  # still on the newest line
        # Scrolled up, the operator stays where they read, new lines or not.
        log.scroll_home(animate=False)
        await pilot.pause()
        log.release_anchor()
        engine.emit(FakeUpdate(steady(), _long_events(3)))
        await settle(pilot, app)
        await pilot.pause(0.2)
        assert log.scroll_y == 0 and not log.following
        log.scroll_end(animate=False)
        await pilot.pause(0.2)
        assert log.following


async def test_filter_reaches_hosts_columns_and_events(engine: FakeEngine) -> None:
    app = make_app(engine)
    async with app.run_test(size=WIDE) as pilot:
        engine.emit(FakeUpdate(steady(), steady_events()))
        await settle(pilot, app)
        assert len(log_lines(app)) == 3
        await pilot.press("slash", *"211", "enter")
        await settle(pilot, app)
        hosts = app.screen.query_one("#hosts", DataTable)
        labels = [str(c.label) for c in hosts.columns.values()]
        assert [lbl for lbl in labels if lbl[:1].isdigit()] == ["211 v4"], labels
        shown = log_lines(app)
        assert len(shown) == 1 and "211/v4" in shown[0]
        await pilot.press("escape")
        await settle(pilot, app)
        assert len(log_lines(app)) == 3  # nothing was lost, only hidden


async def test_events_name_hosts_as_the_tables_do(engine: FakeEngine) -> None:
    app = make_app(engine)
    async with app.run_test(size=WIDE) as pilot:
        engine.emit(FakeUpdate(after_failover(), failover_events()))
        await settle(pilot, app)
        text = "\n".join(log_lines(app))
        assert "new master recdns-rnb prio 200 (was recdns-cnh)" in text
        await pilot.press("n")
        await settle(pilot, app)
        text = "\n".join(log_lines(app))
        assert "new master 198.51.100.12 prio 200 (was 198.51.100.11)" in text


async def test_clear_asks_and_keeps_the_evidence(engine: FakeEngine) -> None:
    app = make_app(engine)
    async with app.run_test(size=WIDE) as pilot:
        engine.emit(FakeUpdate(after_failover(), failover_events()))
        await settle(pilot, app)
        before = log_lines(app)
        await pilot.press("c")
        assert isinstance(app.screen, ConfirmDialog)
        await pilot.press("n")  # no: nothing changes
        await settle(pilot, app)
        assert log_lines(app) == before and "frames 1313" in header(app)
        await pilot.press("c")
        await pilot.press("y")
        await settle(pilot, app)
        assert engine.resets == 0  # the tracker keeps its history
        assert len(rows(app)) == 3  # and the tables their rows
        log = log_lines(app)
        assert log[:-1] == before
        assert "counters restarted" in log[-1] and "frames 1313" in log[-1]
        assert "frames 0" in header(app) and "dropped 0" in header(app)
        later = replace(after_failover(), counters=Counters(frames=1400, adverts=1390))
        engine.emit(FakeUpdate(later))
        await settle(pilot, app)
        app.tick_active_screen()
        await pilot.pause()
        assert "frames 87" in header(app)  # counted from the mark


async def test_ctrl_c_and_f10_quit(engine: FakeEngine) -> None:
    for key in ("ctrl+c", "f10"):
        app = make_app(FakeEngine())
        async with app.run_test(size=WIDE) as pilot:
            await pilot.press(key)
            await pilot.pause()
            assert app.return_code == 0, key
            assert not app.is_running or app._exit_renderables is not None


async def test_f1_opens_help_that_lists_table_keys(engine: FakeEngine) -> None:
    app = make_app(engine)
    async with app.run_test(size=WIDE) as pilot:
        await pilot.press("f1")
        assert isinstance(app.screen, HelpScreen)
        await pilot.press("f1")
        assert not isinstance(app.screen, HelpScreen)


async def test_vim_keys_and_home_end_move_the_cursor(engine: FakeEngine) -> None:
    app = make_app(engine)
    async with app.run_test(size=WIDE) as pilot:
        engine.emit(FakeUpdate(steady()))
        await settle(pilot, app)
        table = app.screen.query_one("#instances", DataTable)
        assert table.cursor_row == 0
        await pilot.press("j")
        assert table.cursor_row == 1
        await pilot.press("k")
        assert table.cursor_row == 0
        await pilot.press("G")
        assert table.cursor_row == table.row_count - 1
        await pilot.press("g")
        assert table.cursor_row == 0
        await pilot.press("end")
        assert table.cursor_row == table.row_count - 1
        await pilot.press("home")
        assert table.cursor_row == 0


async def test_reverse_sort_and_marker(engine: FakeEngine) -> None:
    app = make_app(engine)
    async with app.run_test(size=WIDE) as pilot:
        engine.emit(FakeUpdate(steady()))
        await settle(pilot, app)
        table = app.screen.query_one("#instances", DataTable)

        def labels() -> list[str]:
            return [str(c.label) for c in table.columns.values()]

        assert "VRID ▲" in labels()
        order = [(r[0], r[1]) for r in rows(app)]
        await pilot.press("I")
        await settle(pilot, app)
        assert "VRID ▼" in labels() and "sort:vrid ▼" in header(app)
        assert [(r[0], r[1]) for r in rows(app)] == order[::-1]
        await pilot.press("greater_than_sign")
        await settle(pilot, app)
        assert app.sort_key == "state" and any(lbl.startswith("State ▼") for lbl in labels())
        await pilot.press("less_than_sign", "less_than_sign")
        assert app.sort_key == "priority"


async def test_palette_lists_each_action_once(engine: FakeEngine) -> None:
    titles = [title.split(" (")[0] for title, _, _ in COMMANDS]
    assert len(titles) == len(set(titles))
    app = make_app(engine)
    async with app.run_test(size=WIDE) as pilot:
        await pilot.press("ctrl+p")
        assert isinstance(app.screen, CommandPalette)
        await pilot.pause(0.5)
        from textual.command import CommandList

        options = app.screen.query_one(CommandList)
        shown = [str(options.get_option_at_index(i).prompt) for i in range(options.option_count)]
        first_words = [s.split(" (")[0].split("\n")[0] for s in shown]
        assert len(first_words) == len(set(first_words)), shown
        for textual_own in ("Keys", "Maximize", "Screenshot"):
            assert not any(w.startswith(textual_own) for w in first_words), shown


async def test_details_do_not_truncate_at_120_columns(engine: FakeEngine) -> None:
    from tests.ui.scenario import file_status
    from tests.ui.scenario_health import correlated_failover

    for size, two_columns in (((120, 40), False), ((160, 48), True)):
        app = make_app(FakeEngine())
        async with app.run_test(size=size) as pilot:
            app.engine.emit(  # type: ignore[attr-defined]
                FakeUpdate(correlated_failover(), failover_events(), file_status(True), True)
            )
            await settle(pilot, app)
            await pilot.press("enter")
            await pilot.pause(0.3)
            assert app.screen.has_class("-wide") is two_columns
            svg = app.export_screenshot().replace("&#160;", " ")
            for word in ("recdns-wcdc", "expected", "advertised", "latency", "last seen"):
                assert word in svg, (size, word)
