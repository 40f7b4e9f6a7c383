"""Redraw on change: between two ticks only urgent changes reach the screen; ages,
clock and counters wait for the 1 s tick (the idle-cost fix of issue 7)."""

from __future__ import annotations

import time
from dataclasses import replace

from tests.ui.conftest import make_app
from tests.ui.helpers import header, row_by_vrid, settle, tick
from tests.ui.scenario import FakeEngine, FakeUpdate, steady
from vrrptop.model.snapshot import Snapshot
from vrrptop.ui.widgets.tables import InstancesTable

WIDE = (160, 48)
AGE = 5  # column of Age/Down


def _with_210(snap: Snapshot, **changes: object) -> Snapshot:
    insts = tuple(
        replace(i, **changes) if (i.vrid, i.family) == (210, 4) else i for i in snap.instances
    )
    return replace(snap, instances=insts)


async def test_age_waits_for_the_tick_state_does_not(engine: FakeEngine) -> None:
    app = make_app(engine)
    base = steady()
    async with app.run_test(size=WIDE) as pilot:
        engine.emit(FakeUpdate(base))
        await settle(pilot, app)
        shown_age = row_by_vrid(app, 210)[AGE]
        table = app.main_screen.query_one("#instances", InstancesTable)

        # An update right after a tick, differing only in an age and the counters.
        app._last_tick = time.monotonic()
        older = _with_210(base, age_s=0.9)  # still on time (ok colour)
        older = replace(older, counters=replace(base.counters, frames=4242, adverts=4242))
        sent = table.cells_sent
        engine.emit(FakeUpdate(older))
        await settle(pilot, app)
        assert row_by_vrid(app, 210)[AGE] == shown_age
        assert "frames 4242" not in header(app)
        assert table.cells_sent == sent  # nothing repainted

        await tick(pilot, app)
        assert row_by_vrid(app, 210)[AGE] != shown_age and "0.9s" in row_by_vrid(app, 210)[AGE]
        assert "frames 4242" in header(app)

        # A state change right after a tick shows at once.
        app._last_tick = time.monotonic()
        engine.emit(FakeUpdate(_with_210(older, state="silent")))
        await settle(pilot, app)
        assert row_by_vrid(app, 210)[2] == "SILENT"


async def test_age_turning_late_changes_colour_at_once(engine: FakeEngine) -> None:
    app = make_app(engine)
    base = steady()
    async with app.run_test(size=WIDE) as pilot:
        engine.emit(FakeUpdate(base))
        await settle(pilot, app)
        inst = next(i for i in base.instances if (i.vrid, i.family) == (210, 4))
        app._last_tick = time.monotonic()
        engine.emit(FakeUpdate(_with_210(base, age_s=inst.master_down_s + 1)))
        await settle(pilot, app)
        assert row_by_vrid(app, 210)[AGE].endswith("EXPIRED")
