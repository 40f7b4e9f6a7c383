"""Pilot tests: a fake engine feeds hand-built snapshots; keys do what help says."""

from __future__ import annotations

import threading
from dataclasses import replace

import pytest
from textual.command import CommandPalette

from tests.ui.conftest import make_app
from tests.ui.helpers import header, log_lines, row_by_vrid, rows, settle, static_text, tick
from tests.ui.scenario import (
    SECRET,
    FakeEngine,
    FakeUpdate,
    after_failover,
    failover_events,
    file_status,
    steady,
    steady_events,
)
from vrrptop.model.events import Event
from vrrptop.model.snapshot import Counters
from vrrptop.ui.keys import KEY_HELP
from vrrptop.ui.screens.detail import DetailScreen
from vrrptop.ui.screens.help import HelpScreen
from vrrptop.ui.screens.main import MainScreen

WIDE = (160, 48)


async def test_engine_started_and_callback_registered(engine: FakeEngine) -> None:
    app = make_app(engine)
    async with app.run_test(size=WIDE):
        assert engine.started.is_set()
        assert engine.on_update is not None


async def test_failover_appears_in_table_and_log(engine: FakeEngine) -> None:
    app = make_app(engine)
    async with app.run_test(size=WIDE) as pilot:
        engine.emit(FakeUpdate(steady(), steady_events()))
        await settle(pilot, app)
        assert row_by_vrid(app, 210)[3] == "198.51.100.11 (recdns-cnh)"
        assert row_by_vrid(app, 210)[2] == "ok"
        assert "new master recdns-cnh" in "\n".join(log_lines(app))  # named as in the table

        engine.emit(FakeUpdate(after_failover(), failover_events()))
        await settle(pilot, app)
        row = row_by_vrid(app, 210)
        assert row[3] == "198.51.100.12 (recdns-rnb)" and row[4] == "200"
        assert "OTHER 02:00:00:00:00:11" in row  # the VIP is still claimed by the old MAC
        assert row_by_vrid(app, 210, "v6")[2] == "SILENT"
        log = log_lines(app)
        assert len(log) == 6  # 3 steady + 3 failover, in order, newest last
        assert "ERR" in log[3] and "master recdns-cnh silent" in log[3]
        assert "WARN" in log[4] and "new master recdns-rnb" in log[4] and "3.6s" in log[4]
        assert "frames 1313" in header(app) and "dropped 2" in header(app)


async def test_help_lists_every_key_and_closes(engine: FakeEngine) -> None:
    app = make_app(engine)
    async with app.run_test(size=WIDE) as pilot:
        await pilot.press("question_mark")
        assert isinstance(app.screen, HelpScreen)
        text = static_text(app, "#help-keys")
        for entry in KEY_HELP:
            assert entry.keys in text and entry.text in text
        await pilot.press("escape")
        assert isinstance(app.screen, MainScreen)


def test_bindings_match_the_help_table() -> None:
    app = make_app()
    bound = {b.id: b for b in app.BINDINGS}  # type: ignore[union-attr]
    for entry in KEY_HELP:
        if entry.bind:
            assert bound[entry.id].key == entry.key
            assert hasattr(app, f"action_{entry.action}")


async def test_sort_key_cycles_and_reorders(engine: FakeEngine) -> None:
    app = make_app(engine)
    async with app.run_test(size=WIDE) as pilot:
        engine.emit(FakeUpdate(after_failover()))
        await settle(pilot, app)
        assert [(r[0], r[1]) for r in rows(app)] == [("210", "v4"), ("210", "v6"), ("211", "v4")]
        await pilot.press("s")  # state: the silent instance first
        assert app.sort_key == "state"
        assert (rows(app)[0][0], rows(app)[0][1]) == ("210", "v6")
        assert "sort:state" in header(app)
        for _ in range(4):
            await pilot.press("s")
        assert app.sort_key == "vrid"


async def test_header_click_sorts(engine: FakeEngine) -> None:
    app = make_app(engine)
    async with app.run_test(size=WIDE) as pilot:
        engine.emit(FakeUpdate(after_failover()))
        await settle(pilot, app)
        table = app.screen.query_one("#instances")
        label_x = 2 + len(" VRID  Fam  ")  # inside the "State" header
        await pilot.click(table, offset=(label_x, 1))
        await pilot.pause()
        assert app.sort_key == "state"


async def test_filter_by_vrid_address_and_name(engine: FakeEngine) -> None:
    app = make_app(engine)
    async with app.run_test(size=WIDE) as pilot:
        engine.emit(FakeUpdate(after_failover()))
        await settle(pilot, app)
        await pilot.press("slash")
        assert app.screen.query_one("#filter").has_focus
        await pilot.press(*"211")
        assert [r[0] for r in rows(app)] == ["211"]
        assert [r[0] for r in rows(app, "#hosts")] == [
            "recdns-cnh",
            "recdns-rnb",
            "recdns-sby",
            "recdns-wcdc",
        ]
        await pilot.press("backspace", "backspace", "backspace", *"wcdc")
        assert [r[0] for r in rows(app, "#hosts")] == ["recdns-wcdc"]
        await pilot.press("enter")  # keeps the filter, back to the table
        assert app.filter_text == "wcdc"
        assert "filter:'wcdc'" in header(app)
        await pilot.press("escape")  # clears it
        assert app.filter_text == ""
        assert len(rows(app)) == 3


async def test_pause_freezes_display_but_counts(engine: FakeEngine) -> None:
    app = make_app(engine)
    async with app.run_test(size=WIDE) as pilot:
        engine.emit(FakeUpdate(steady(), steady_events()))
        await settle(pilot, app)
        await pilot.press("space")
        assert app.paused and "DISPLAY PAUSED" in header(app)
        engine.emit(FakeUpdate(after_failover(), failover_events()))
        await settle(pilot, app)
        assert row_by_vrid(app, 210)[3].startswith("198.51.100.11")  # frozen
        assert len(log_lines(app)) == 3
        assert "frames 1313" in header(app)  # the counters keep going
        await pilot.press("space")
        assert not app.paused
        assert row_by_vrid(app, 210)[3].startswith("198.51.100.12")
        assert len(log_lines(app)) == 6  # nothing lost while paused


async def test_names_toggle(engine: FakeEngine) -> None:
    app = make_app(engine)
    async with app.run_test(size=WIDE) as pilot:
        engine.emit(FakeUpdate(steady()))
        await settle(pilot, app)
        await pilot.press("n")
        assert row_by_vrid(app, 210)[3] == "198.51.100.11"
        assert rows(app, "#hosts")[0][0] == "-"
        await pilot.press("n")
        assert row_by_vrid(app, 210)[3] == "198.51.100.11 (recdns-cnh)"


async def test_numeric_option_starts_without_names(engine: FakeEngine) -> None:
    app = make_app(engine, numeric=True)
    async with app.run_test(size=WIDE) as pilot:
        engine.emit(FakeUpdate(steady()))
        await settle(pilot, app)
        assert row_by_vrid(app, 210)[3] == "198.51.100.11"


async def test_enter_opens_details_with_history_escape_back(engine: FakeEngine) -> None:
    app = make_app(engine)
    async with app.run_test(size=WIDE) as pilot:
        engine.emit(FakeUpdate(after_failover(), failover_events()))
        await settle(pilot, app)
        await pilot.press("enter")
        assert isinstance(app.screen, DetailScreen) and app.screen.key == "210/4"
        hist = static_text(app, "#detail-history")
        assert "198.51.100.12" in hist and "198.51.100.11" in hist and "1m45s" in hist
        advert = static_text(app, "#detail-advert")
        assert "PASS" in advert or "masked" in advert
        everything = advert + static_text(app, "#detail-hex")
        assert SECRET.decode() not in everything.replace("\n", "")
        assert "max 3.6s" in static_text(app, "#detail-gaps")
        # the detail screen stays live
        later = replace(after_failover(), counters=Counters(frames=2000))
        engine.emit(FakeUpdate(later))
        await settle(pilot, app)
        assert "frames 2000" in header(app)
        await pilot.press("escape")
        assert isinstance(app.screen, MainScreen)


async def test_second_row_details_and_click(engine: FakeEngine) -> None:
    app = make_app(engine)
    async with app.run_test(size=WIDE) as pilot:
        engine.emit(FakeUpdate(after_failover()))
        await settle(pilot, app)
        await pilot.press("down")
        await pilot.press("enter")
        assert isinstance(app.screen, DetailScreen) and app.screen.key == "210/6"
        await pilot.press("escape")
        table = app.screen.query_one("#instances")
        await pilot.click(table, offset=(3, 4))  # third row: highlight
        await pilot.click(table, offset=(3, 4))  # click again: open
        await pilot.pause()
        assert isinstance(app.screen, DetailScreen) and app.screen.key == "211/4"


async def test_quit_stops_engine(engine: FakeEngine) -> None:
    app = make_app(engine)
    async with app.run_test(size=WIDE) as pilot:
        await pilot.press("q")
        await pilot.pause()
    assert engine.stopped >= 1
    assert app.return_code == 0


async def test_replay_end_stays_until_quit(engine: FakeEngine) -> None:
    app = make_app(engine)
    async with app.run_test(size=WIDE) as pilot:
        engine.emit(FakeUpdate(after_failover(), status=file_status(ended=True), ended=True))
        await settle(pilot, app)
        text = header(app)
        assert "END OF CAPTURE" in text
        assert "22:15:10 capture time" in text  # frozen at the last packet (T0+110)
        assert "up 1m50s" in text  # first seen T0 .. last packet T0+110
        await pilot.pause(0.3)
        assert app.is_running and "END OF CAPTURE" in header(app)


async def test_engine_failure_is_shown(engine: FakeEngine) -> None:
    app = make_app(engine)
    async with app.run_test(size=WIDE) as pilot:
        engine.error = OSError("interface em1 went away")  # type: ignore[attr-defined]
        engine.emit(FakeUpdate(steady(), ended=True))
        await settle(pilot, app)
        text = header(app)
        assert "ENGINE STOPPED" in text and "interface em1 went away" in text


async def test_command_palette_runs_actions(engine: FakeEngine) -> None:
    app = make_app(engine)
    async with app.run_test(size=WIDE) as pilot:
        await pilot.press("ctrl+p")
        assert isinstance(app.screen, CommandPalette)
        await pilot.press(*"Sort")
        await pilot.pause(0.3)
        await pilot.press("enter")
        await pilot.pause(0.1)
        assert app.sort_key == "state"


async def test_theme_toggle(engine: FakeEngine) -> None:
    app = make_app(engine)
    async with app.run_test(size=WIDE) as pilot:
        dark = app.current_theme.dark
        await pilot.press("t")
        assert app.current_theme.dark is not dark


async def test_flood_collapses_and_loses_no_event(engine: FakeEngine) -> None:
    """10,000 updates from another thread: few redraws, the last counters, every event."""
    app = make_app(engine)
    base = steady()
    async with app.run_test(size=WIDE) as pilot:

        def flood() -> None:
            for i in range(1, 10_001):
                events: tuple[Event, ...] = ()
                if i % 100 == 0:
                    events = (Event(base.ts, "priority-change", "info", f"flood {i}", 210, 4),)
                snap = replace(base, counters=Counters(frames=i, adverts=i))
                engine.emit(FakeUpdate(snap, events))

        thread = threading.Thread(target=flood)
        thread.start()
        while thread.is_alive():
            await pilot.pause(0.05)
        thread.join()
        await settle(pilot, app)
        await tick(pilot, app)  # counters tick at the slow refresh
        assert app.updates_seen == 10_000
        assert "frames 10000" in header(app)
        assert app.render_count < 1000  # collapsed, not one redraw per update
        flood_lines = [line for line in log_lines(app) if "flood" in line]
        assert len(flood_lines) == 100
        assert flood_lines[-1].endswith("flood 10000")


@pytest.mark.parametrize("size", [(80, 24), (160, 48)])
async def test_readable_at_both_sizes(engine: FakeEngine, size: tuple[int, int]) -> None:
    app = make_app(engine)
    async with app.run_test(size=size) as pilot:
        engine.emit(FakeUpdate(after_failover(), failover_events()))
        await settle(pilot, app)
        assert len(rows(app)) == 3
        assert app.screen.query_one("#instances").region.height >= 5
        assert app.screen.query_one("#events").region.height >= 4
        state_col = [r[2] for r in rows(app)]
        assert "SILENT" in state_col  # the word, not only a colour


async def test_no_color_env(engine: FakeEngine, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("NO_COLOR", "1")
    app = make_app(engine)
    assert app.no_color
    async with app.run_test(size=WIDE) as pilot:
        engine.emit(FakeUpdate(after_failover()))
        await settle(pilot, app)
        assert row_by_vrid(app, 210, "v6")[2] == "SILENT"
