"""The master timeline screen (``T``): lanes coloured per host with a legend, gaps,
the split row, zoom, at 80x24 and wide; fed the real snapshot of the bundled capture
(update the snapshot with ``--snapshot-update`` after an intended change)."""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import replace
from datetime import UTC

import pytest

from tests.ui.conftest import make_app
from tests.ui.helpers import settle, snapshot_feeder, static_text
from tests.ui.scenario import FakeEngine, FakeUpdate, file_status
from tests.unit.demo_replay import demo_run
from vrrptop.model.timeline import build_timeline, moments
from vrrptop.ui.screens.help import HelpScreen
from vrrptop.ui.screens.main import MainScreen
from vrrptop.ui.screens.timeline import MAX_LANES, TimelineScreen
from vrrptop.ui.timeline_view import TITLE_WIDTH

LANES = ("testdns0 210/IPv4", "testdns0 210/IPv6", "testdns1 211/IPv4", "testdns1 211/IPv6")


def _update() -> FakeUpdate:
    run = demo_run()
    return FakeUpdate(run.snapshot, run.events, file_status(ended=True), ended=True)


@pytest.mark.parametrize("size", [(80, 24), (160, 48)])
async def test_lanes_legend_and_gaps_fit_the_terminal(size: tuple[int, int]) -> None:
    engine = FakeEngine()
    app = make_app(engine)
    async with app.run_test(size=size) as pilot:
        engine.emit(_update())
        await settle(pilot, app)
        await pilot.press("T")
        await pilot.pause()
        screen = app.screen
        assert isinstance(screen, TimelineScreen)
        text = static_text(app, "#timeline-lanes")
        lines = text.rstrip("\n").splitlines()
        assert max(len(line.rstrip()) for line in lines) <= size[0] - 4
        titles = [line[:TITLE_WIDTH].strip() for line in lines if line.startswith("testdns")]
        assert tuple(titles) == LANES
        legend = "\n".join(lines[-3:])
        for host in ("recdns-wcdc", "recdns-cnh", "recdns-sby"):
            assert host in legend
        rows = {line[:TITLE_WIDTH].strip(): line[TITLE_WIDTH + 1 :] for line in lines}
        assert "░" in rows["testdns1 211/IPv4"]  # the kill -9: no master for 3.4 s
        assert sum(line.startswith("  split") for line in lines) == 2
        # Each band starts with its host's letter: A (wcdc) first in testdns0, B (cnh) in 1.
        assert rows["testdns0 210/IPv4"][0] == "A" and rows["testdns1 211/IPv4"][0] == "B"
        # Everything is visible without scrolling, even at 80x24.
        scroll = screen.query_one("#timeline-scroll")
        assert scroll.virtual_size.height <= scroll.size.height
        assert "whole history" in static_text(app, "#timeline-title")


async def test_zoom_keys_and_back() -> None:
    engine = FakeEngine()
    app = make_app(engine)
    async with app.run_test(size=(100, 30)) as pilot:
        engine.emit(_update())
        await settle(pilot, app)
        await pilot.press("T", "1")
        title = static_text(app, "#timeline-title")
        assert "last 1 min" in title and "one column = 0.8 s" in title
        await pilot.press("Z")
        assert "last 10 min" in static_text(app, "#timeline-title")
        await pilot.press("0")
        assert "whole history" in static_text(app, "#timeline-title")
        await pilot.press("z")
        assert "last 1 h" in static_text(app, "#timeline-title")
        # Zoomed to the last minute, the early lanes' history is off the left edge.
        await pilot.press("1")
        lane = next(
            line for line in static_text(app, "#timeline-lanes").splitlines()
            if line.startswith("testdns1 211/IPv4")
        )  # fmt: skip
        assert "C" in lane and "B" in lane  # the kill -9 takeover and the return
        await pilot.press("question_mark")
        assert isinstance(app.screen, HelpScreen)
        assert "Master timeline (T)" in static_text(app, "#help-keys")
        await pilot.press("escape", "escape")
        assert isinstance(app.screen, MainScreen)


async def test_redrawn_at_most_once_a_second_from_updates() -> None:
    engine = FakeEngine()
    app = make_app(engine)
    async with app.run_test(size=(100, 30)) as pilot:
        engine.emit(_update())
        await settle(pilot, app)
        await pilot.press("T")
        screen = app.screen
        assert isinstance(screen, TimelineScreen)
        before = screen.draws
        for _ in range(5):
            engine.emit(_update())
            await settle(pilot, app)
        assert screen.draws - before < 5  # updates come ~10/s; the lanes follow the tick
        assert app.tz is UTC


def test_timeline_snapshot_80x24(snap_compare: Callable[..., bool]) -> None:
    """The picture at 80x24 (review the SVG after an intended change)."""
    engine = FakeEngine()
    app = make_app(engine, read_file="lab-failover.pcap")
    feeder = snapshot_feeder(engine, [_update()], ("T",), tick_after=True)
    assert snap_compare(app, terminal_size=(80, 24), run_before=feeder)


async def test_step_through_the_changes_with_brackets() -> None:
    engine = FakeEngine()
    app = make_app(engine)
    async with app.run_test(size=(120, 40)) as pilot:
        engine.emit(_update())
        await settle(pilot, app)
        await pilot.press("T")
        screen = app.screen
        assert isinstance(screen, TimelineScreen)
        assert not screen.query_one("#timeline-moment").display  # following the newest
        snap = demo_run().snapshot
        tl = build_timeline(snap, snap.alarm_history)
        stops = moments(tl)
        await pilot.press("left_square_bracket")
        assert screen.cursor == stops[-1]
        seen: dict[str, str] = {}
        for _ in range(len(stops)):
            text = static_text(app, "#timeline-moment")
            lines = {line[:TITLE_WIDTH].strip(): line for line in text.splitlines()}
            if "fell silent" in lines.get("testdns1 211/IPv4", ""):
                seen["lost"] = lines["testdns1 211/IPv4"]
            if "also master" in lines.get("testdns0 210/IPv4", ""):
                seen["split"] = lines["testdns0 210/IPv4"]
            if screen.cursor == stops[0]:
                break
            await pilot.press("left_square_bracket")
        assert screen.cursor == stops[0]
        # The kill -9: at that moment testdns1 had no master; the split: two masters.
        assert "no master" in seen["lost"]
        assert "recdns-wcdc" in seen["split"] and "+ recdns-sby also master" in seen["split"]
        await pilot.press("right_square_bracket")
        assert screen.cursor == stops[1]
        screen.cursor = stops[-1]
        await pilot.press("right_square_bracket")  # past the last: follow the newest
        assert screen.cursor is None and not screen.query_one("#timeline-moment").display


async def test_the_main_screens_filter_and_a_cap_choose_the_lanes() -> None:
    engine = FakeEngine()
    app = make_app(engine)
    run = demo_run()
    many = tuple(
        replace(i, vrid=n + 1, vlan=None) for n, i in enumerate(run.snapshot.instances * 30)
    )
    async with app.run_test(size=(120, 40)) as pilot:
        engine.emit(FakeUpdate(run.snapshot, run.events, file_status(ended=True), ended=True))
        await settle(pilot, app)
        app.set_filter("testdns1")
        await pilot.press("T")
        lanes = static_text(app, "#timeline-lanes")
        assert "testdns1 211/IPv4" in lanes and "testdns0" not in lanes
        assert "2 of 2 instances drawn (filter 'testdns1')" in static_text(app, "#timeline-more")
        await pilot.press("escape")
        app.set_filter("")
        engine.emit(FakeUpdate(replace(run.snapshot, instances=many), ()))
        await settle(pilot, app)
        await pilot.press("T")
        assert f"{MAX_LANES} of 120 instances drawn" in static_text(app, "#timeline-more")


def _marker_row(text: str, title: str) -> str:
    """The marker row under lane ``title`` (after its split row, if any)."""
    lines = text.splitlines()
    i = next(n for n, line in enumerate(lines) if line.startswith(title))
    for line in lines[i + 1 :]:
        if line.startswith(" " * (TITLE_WIDTH + 1)) and line.strip():
            return line[TITLE_WIDTH + 1 :]
        if not line.startswith("  split"):
            break
    return ""


async def _drawn_markers(update: FakeUpdate) -> tuple[str, float, float]:
    """The 210/IPv4 marker row drawn from ``update``, and the axis' start and end."""
    engine = FakeEngine()
    app = make_app(engine)
    async with app.run_test(size=(120, 40)) as pilot:
        engine.emit(update)
        await settle(pilot, app)
        await pilot.press("T")
        screen = app.screen
        assert isinstance(screen, TimelineScreen) and screen._timeline is not None
        tl = screen._timeline
        return _marker_row(static_text(app, "#timeline-lanes"), LANES[0]), tl.start, tl.end


async def test_alarms_raised_in_the_past_are_marked_from_the_alarm_history() -> None:
    run = demo_run()
    history = run.snapshot.alarm_history
    # testdns0's master-mismatch (the reversed file, 16.8 s in) was raised and cleared
    # long before the end: it is in the alarm model's history, not among the active.
    past = [
        c
        for c in history
        if c.alarm.kind.value == "master-mismatch" and c.alarm.key == run.snapshot.instances[0].key
    ]
    assert {c.state for c in past} == {"raised", "cleared"}
    assert all(a.kind.value != "master-mismatch" for a in run.snapshot.alarms)
    row, start, end = await _drawn_markers(_update())
    width = len(row)
    first_quarter = row[: width // 4]
    assert "!" in first_quarter and "?" in first_quarter  # 8.9 s and 16.8 s of 135 s
    assert "!" in row[row.index("S") :]  # the split brain's alarm, raised and cleared
    # Without the history only the alarms active at the end are marked: nothing early.
    bare = replace(run.snapshot, alarm_history=())
    row, _start, _end = await _drawn_markers(
        FakeUpdate(bare, run.events, file_status(ended=True), ended=True)
    )
    assert "!" not in row and "?" not in row  # none of testdns0's is still raised
    assert "R" in row and "S" in row  # the history's own markers stay
    assert end - start > 100
