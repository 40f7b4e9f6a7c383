"""Replay step-through over the real monitor and engine replaying the bundled
capture: `[` / `]` pause at an event and the tables show the segment as it was
then (not as it ended), the header says when; space follows the replay again."""

from __future__ import annotations

from collections.abc import AsyncIterator
from contextlib import asynccontextmanager
from datetime import UTC

from textual.pilot import Pilot

from tests.ui.helpers import header, replay_to_end, row_by_vrid, static_text
from vrrptop.cli import parse_args
from vrrptop.model.moments import Moment
from vrrptop.monitor import Monitor, load_configuration
from vrrptop.runner import demo_options, open_source
from vrrptop.ui.app import VrrptopApp
from vrrptop.ui.factory import build_app
from vrrptop.ui.format import fmt_clock
from vrrptop.ui.screens.timeline import TimelineScreen


@asynccontextmanager
async def demo_console() -> AsyncIterator[tuple[VrrptopApp, Pilot[int]]]:
    """``vrrptop --demo`` in a Pilot, once the replay has ended."""
    options = demo_options(parse_args(["--demo"]))
    monitor = Monitor(options, open_source(options), config=load_configuration(options))
    app = build_app(options, monitor.engine, tz=UTC, monitor=monitor)
    try:
        async with app.run_test(size=(120, 40)) as pilot:
            await replay_to_end(pilot, app)
            await pilot.pause(0.2)
            yield app, pilot
    finally:
        monitor.stop()


def _master(app: VrrptopApp, vrid: int) -> str:
    row = row_by_vrid(app, vrid)
    return next(cell for cell in row if cell.startswith("recdns-"))


def _first_takeover(moment: Moment) -> bool:
    """The story's first master change: testdns0 (210, IPv4) moves at 8.5 s."""
    return any(
        e.kind == "new-master" and e.vrid == 210 and e.family == 4 and e.detail.get("previous")
        for e in moment.events
    )


async def test_step_back_to_the_first_takeover_and_resume() -> None:
    async with demo_console() as (app, pilot):
        assert app.moments is not None and len(app.moments) > 20
        assert _master(app, 210) == "recdns-wcdc"  # where the story ends
        assert "PAUSED" not in header(app)
        first = app.moments.before(0)
        for _ in range(len(app.moments)):  # back to the capture's first event
            await pilot.press("left_square_bracket")
            if app.moment == first:
                break
        assert app.moment == first
        await pilot.press("left_square_bracket")  # before the first: stays there
        assert app.moment == first
        for _ in range(len(app.moments)):
            await pilot.press("right_square_bracket")
            assert app.moment is not None
            if _first_takeover(app.moment):
                break
        moment = app.moment
        assert moment is not None and _first_takeover(moment)
        # As it was then: recdns-cnh took testdns0 over (the file was reversed).
        assert _master(app, 210) == "recdns-cnh"
        when = fmt_clock(moment.ts, UTC, millis=True)
        assert f"PAUSED at {when}" in header(app)
        # The alarms of that moment (the reversed file's mismatches), not the end's.
        alarms = static_text(app, "#alarms")
        assert "mismatch" in alarms and "split brain" not in alarms.lower()
        # The next event, and back to the same moment.
        await pilot.press("right_square_bracket")
        later = app.moment
        assert later is not None and later.seq > moment.seq
        index = app.moments.position(moment.seq)[0]
        assert f"PAUSED at {fmt_clock(later.ts, UTC, millis=True)}" in header(app)
        # Which moment and what happened (dropped first when the header is short).
        what = f"{index + 1}/{len(app.moments)}: {later.events[0].message}"
        assert app.header_info().moment_of.startswith(what)
        await pilot.press("left_square_bracket")
        assert app.moment == moment and _master(app, 210) == "recdns-cnh"
        # One step earlier, testdns0 was still on recdns-wcdc.
        await pilot.press("left_square_bracket")
        assert _master(app, 210) == "recdns-wcdc"
        # Space: follow the replay again (its end).
        await pilot.press("space")
        assert app.moment is None and not app.paused
        assert _master(app, 210) == "recdns-wcdc"
        assert "PAUSED" not in header(app)
        assert app.shown_snapshot is app.live_snapshot
        assert static_text(app, "#alarms") != alarms


async def test_past_the_newest_follows_the_replay_and_the_timeline_steps_too() -> None:
    async with demo_console() as (app, pilot):
        assert app.moments is not None
        await pilot.press("left_square_bracket")
        newest = app.moment
        assert newest is not None and newest == app.moments.before(None)
        await pilot.press("right_square_bracket")
        assert app.moment is None and not app.paused
        await pilot.press("T")
        screen = app.screen
        assert isinstance(screen, TimelineScreen)
        await pilot.press("left", "left")
        assert app.moment is not None and app.moment.seq < newest.seq
        assert screen.query_one("#timeline-moment").display
        assert "PAUSED at" in header(app)
        await pilot.press("escape")
        # Back on the tables, still at that moment.
        assert app.moment is not None and "PAUSED at" in header(app)


async def test_live_has_no_moments_and_says_so() -> None:
    from tests.ui.conftest import make_app
    from tests.ui.helpers import settle
    from tests.ui.scenario import FakeEngine, FakeUpdate, after_failover

    engine = FakeEngine()
    app = make_app(engine)  # live on em1: the engine keeps no moments
    async with app.run_test(size=(100, 30)) as pilot:
        engine.emit(FakeUpdate(after_failover()))
        await settle(pilot, app)
        await pilot.press("left_square_bracket")
        assert app.moments is None and app.moment is None and not app.paused
        assert any("needs a replay" in n.message for n in app._notifications)
        assert "PAUSED" not in header(app)
