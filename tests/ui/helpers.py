"""Reading what the console shows, for Pilot tests."""

from __future__ import annotations

from collections.abc import Awaitable, Callable, Sequence
from typing import Protocol

from rich.console import Console
from textual.pilot import Pilot
from textual.widgets import DataTable, Static

from vrrptop.ui.app import VrrptopApp
from vrrptop.ui.widgets.eventlog import EventLog
from vrrptop.ui.widgets.status import StatusBar


class FakeEngineLike(Protocol):
    """What the snapshot feeder needs of a test engine."""

    def emit(self, update: object) -> None:
        """Deliver one update as the engine thread would."""


async def settle(pilot: Pilot[int], app: VrrptopApp) -> None:
    """Let pending updates reach the screen (past the ~10/s refresh limit)."""
    for _ in range(50):
        await pilot.pause()
        if not app.inbox.pending and app._render_timer is None:
            break
        await pilot.pause(0.05)
    await pilot.pause()


async def tick(pilot: Pilot[int], app: VrrptopApp) -> None:
    """Run the console's slow refresh now (clock, counters, ages) instead of waiting
    up to ``TICK_S`` for it."""
    app.tick_active_screen()
    await pilot.pause()


async def replay_to_end(pilot: Pilot[int], app: VrrptopApp, polls: int = 400) -> None:
    """Wait for a real replay (a Monitor's engine over a capture) to end; the replay
    runs as fast as it can, so this is seconds on the demo even under load."""
    for _ in range(polls):
        await pilot.pause(0.05)
        if app.ended:
            break
    assert app.ended


def rows(app: VrrptopApp, table_id: str = "#instances") -> list[list[str]]:
    """Plain text of every row of a table on the current screen."""
    table = app.screen.query_one(table_id, DataTable)
    return [[str(c) for c in table.get_row_at(i)] for i in range(table.row_count)]


def row_by_vrid(app: VrrptopApp, vrid: int, fam: str = "v4") -> list[str]:
    """The instances row of (vrid, family)."""
    for row in rows(app):
        if row[0] == str(vrid) and row[1] == fam:
            return row
    raise AssertionError(f"no row {vrid}/{fam} in {rows(app)}")


def log_lines(app: VrrptopApp) -> list[str]:
    """The event log's entries as plain text, one per event (main screen)."""
    log = app.main_screen.query_one("#events", EventLog)
    return list(log.entries)


def header(app: VrrptopApp) -> str:
    """The header of the current screen as plain text."""
    bar = app.screen.query_one("#status", StatusBar)
    return render_text(bar.content)


def render_text(renderable: object, width: int = 160) -> str:
    """Any Rich renderable as plain text."""
    console = Console(width=width, record=True, color_system=None)
    console.print(renderable)
    return console.export_text()


def static_text(app: VrrptopApp, selector: str) -> str:
    """Plain text of a Static on the current screen."""
    return render_text(app.screen.query_one(selector, Static).content)


def snapshot_feeder(
    engine: FakeEngineLike,
    updates: Sequence[object],
    keys: tuple[str, ...] = (),
    *,
    tick_after: bool = False,
) -> Callable[[Pilot[int]], Awaitable[None]]:
    """A ``run_before`` for ``snap_compare``: emit each update and let it reach the
    screen, optionally run the 1 s tick (so ages do not depend on timing), then
    press ``keys``."""

    async def run_before(pilot: Pilot[int]) -> None:
        app = pilot.app
        for update in updates:
            engine.emit(update)
            await settle(pilot, app)  # type: ignore[arg-type]
        if tick_after:
            await tick(pilot, app)  # type: ignore[arg-type]
        if keys:
            await pilot.press(*keys)
        await pilot.pause()

    return run_before
