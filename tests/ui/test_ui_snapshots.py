"""Snapshot tests (pytest-textual-snapshot) of the main, detail and help screens at
80x24 and 160x48, from deterministic data, a frozen clock and UTC times.

Update after an intended change with ``pytest tests/ui/test_ui_snapshots.py
--snapshot-update`` and review the SVGs (the HTML report shows the diff).
"""

from __future__ import annotations

from collections.abc import Callable

import pytest
from textual.pilot import Pilot

from tests.ui.conftest import make_app
from tests.ui.helpers import snapshot_feeder
from tests.ui.scenario import (
    FakeEngine,
    FakeUpdate,
    after_failover,
    failover_events,
    file_status,
    steady,
    steady_events,
)

SIZES = {"80x24": (80, 24), "160x48": (160, 48)}
KEYS = {"main": (), "detail": ("enter",), "help": ("question_mark",)}


def _feeder(engine: FakeEngine, keys: tuple[str, ...]) -> Callable[[Pilot[int]], object]:
    # Ages, clock and counters of an update right after another one wait for the
    # console's 1 s tick: run it, so the picture does not depend on timing.
    updates = [
        FakeUpdate(steady(), steady_events(), status=file_status()),
        FakeUpdate(after_failover(), failover_events(), status=file_status(True), ended=True),
    ]
    return snapshot_feeder(engine, updates, keys, tick_after=True)


@pytest.mark.parametrize("size", list(SIZES))
@pytest.mark.parametrize("screen", list(KEYS))
def test_screen_snapshot(snap_compare: Callable[..., bool], screen: str, size: str) -> None:
    engine = FakeEngine()
    app = make_app(engine, read_file="failover.pcap")
    assert snap_compare(app, terminal_size=SIZES[size], run_before=_feeder(engine, KEYS[screen]))
