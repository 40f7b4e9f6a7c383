"""Snapshot tests of the console with a configuration's expectation and DNS health
(hand-built: ``scenario_health``), main and detail screens at 80x24 and 160x48.

Update after an intended change with ``pytest tests/ui/test_ui_health_snapshot.py
--snapshot-update`` and review the SVGs.
"""

from __future__ import annotations

from collections.abc import Callable

import pytest
from textual.pilot import Pilot

from tests.ui.conftest import make_app
from tests.ui.helpers import snapshot_feeder
from tests.ui.scenario import FakeEngine, FakeUpdate, failover_events, file_status
from tests.ui.scenario_health import correlated_failover

SIZES = {"80x24": (80, 24), "160x48": (160, 48)}
#: The detail screen of testdns1 (VRID 211, the third row), where the alarms are.
KEYS = {"main": (), "detail": ("down", "down", "enter")}


def _feeder(engine: FakeEngine, keys: tuple[str, ...]) -> Callable[[Pilot[int]], object]:
    update = FakeUpdate(correlated_failover(), failover_events(), file_status(True), True)
    return snapshot_feeder(engine, [update], keys)


@pytest.mark.parametrize("size", list(SIZES))
@pytest.mark.parametrize("screen", list(KEYS))
def test_health_snapshot(snap_compare: Callable[..., bool], screen: str, size: str) -> None:
    engine = FakeEngine()
    app = make_app(engine, read_file="failover.pcap")
    assert snap_compare(app, terminal_size=SIZES[size], run_before=_feeder(engine, KEYS[screen]))
