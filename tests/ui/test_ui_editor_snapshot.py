"""Snapshot tests of the priority-file editor at 80x24: the file with its priorities,
DNS health and predicted masters, and the save confirmation (diff + masters).

Update after an intended change with ``pytest tests/ui/test_ui_editor_snapshot.py
--snapshot-update`` and review the SVGs.
"""

from __future__ import annotations

import shutil
from collections.abc import Callable, Iterator
from dataclasses import replace
from pathlib import Path

import pytest
from textual.pilot import Pilot

from tests.ui.conftest import FROZEN
from tests.ui.editor_kit import ALL_OK, SEED, FakeMonitor, editor_app, health
from tests.ui.helpers import settle
from tests.ui.scenario import FakeEngine, FakeUpdate, empty_snapshot

SNAPSHOT_DIR = Path("/tmp/vrrptop-test-editor-snapshot")


@pytest.fixture
def snapshot_file() -> Iterator[Path]:
    """The seed file at a path that is the same on every run (it is on screen)."""
    SNAPSHOT_DIR.mkdir(exist_ok=True)
    path = SNAPSHOT_DIR / "priority.testdns"
    path.write_bytes(SEED)
    yield path
    shutil.rmtree(SNAPSHOT_DIR, ignore_errors=True)


KEYS = {"editor": ("e",), "save": ("e", "down", "down", "down", "K", "ctrl+s")}


@pytest.mark.parametrize("screen", list(KEYS))
def test_editor_snapshot(
    snap_compare: Callable[..., bool], snapshot_file: Path, screen: str
) -> None:
    # A fixed absolute path, so no temp dir name appears on screen.
    path = snapshot_file
    engine = FakeEngine()
    app = editor_app(FakeMonitor([path]), engine)
    bad = {**ALL_OK, "recdns-rnb": False}

    async def run_before(pilot: Pilot[int]) -> None:
        engine.emit(FakeUpdate(replace(empty_snapshot(FROZEN), health=health(bad))))
        await settle(pilot, pilot.app)  # type: ignore[arg-type]
        await pilot.press(*KEYS[screen])
        await pilot.pause()

    assert snap_compare(app, terminal_size=(80, 24), run_before=run_before)
