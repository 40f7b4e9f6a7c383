"""The priority-file editor's test kit: the seed file, a fake monitor, the app
factory and Pilot helpers shared by ``test_ui_editor*`` and the editor snapshots.
"""

from __future__ import annotations

from datetime import UTC
from pathlib import Path
from typing import Any

from textual.pilot import Pilot
from textual.widgets import Static

from tests.ui.conftest import FROZEN
from tests.ui.conftest import SEED as SEED  # re-exported: the kit gives the seed
from tests.ui.helpers import render_text
from tests.ui.scenario import HOSTS, FakeEngine
from tests.ui.scenario_health import probed
from vrrptop.config.model import Config, InstanceConfig
from vrrptop.model.health import TargetHealth
from vrrptop.options import Options
from vrrptop.priority import store
from vrrptop.priority.store import LoadedFile
from vrrptop.ui.app import VrrptopApp
from vrrptop.ui.factory import build_app
from vrrptop.ui.screens.editor import EditorScreen
from vrrptop.ui.widgets.editor_pane import EditorPane

SIZE = (100, 30)


class FakeMonitor:
    """What the editor uses from ``vrrptop.monitor.Monitor``."""

    def __init__(
        self,
        paths: list[Path],
        instances: tuple[InstanceConfig, ...] | None = None,
        on_save: str | None = None,
    ) -> None:
        self.files: dict[Path, LoadedFile] = {p: store.load(p) for p in paths}
        if instances is None:
            instances = tuple(i for p in paths for i in seed_instances(p))[:2]
        self.config = Config(
            instances=instances,
            hosts={name: (v4,) for name, (v4, _v6, _mac) in HOSTS.items()},
            on_save=on_save,
        )
        self.saved: list[tuple[LoadedFile, float]] = []

    def file_saved(self, loaded: LoadedFile, now: float) -> None:
        """Record the notification."""
        self.saved.append((loaded, now))
        self.files[loaded.path] = loaded


def seed_instances(path: Path) -> tuple[InstanceConfig, InstanceConfig]:
    """testdns0 (NUM 0) and testdns1 (NUM 1) over ``path``, seed scheme."""
    return (
        InstanceConfig("testdns0", 210, (4,), path, direction=0),
        InstanceConfig("testdns1", 211, (4,), path, direction=1),
    )


def editor_app(
    monitor: FakeMonitor | None, engine: FakeEngine | None = None, **opts: Any
) -> VrrptopApp:
    """The real app with a fake engine and monitor."""
    options = Options(interface="em1", **opts)
    return build_app(options, engine or FakeEngine(), clock=lambda: FROZEN, tz=UTC, monitor=monitor)


async def open_editor(pilot: Pilot[int], app: VrrptopApp) -> EditorScreen:
    """Press ``e`` on the main screen."""
    await pilot.pause()
    await pilot.press("e")
    await pilot.pause()
    assert isinstance(app.screen, EditorScreen)
    return app.screen


def pane_of(screen: EditorScreen) -> EditorPane:
    """The active tab's pane."""
    pane = screen.pane
    assert pane is not None
    return pane


def table_rows(pane: EditorPane) -> list[list[str]]:
    """Plain text of every row of the lines table."""
    table = pane.table
    return [[str(c) for c in table.get_row_at(i)] for i in range(table.row_count)]


def text_of(pane: EditorPane, selector: str) -> str:
    """Plain text of a Static of the pane."""
    return render_text(pane.query_one(selector, Static).content)


def health(ok: dict[str, bool]) -> dict[str, TargetHealth]:
    """Snapshot health by address for the named hosts (answered, or timed out)."""
    return {HOSTS[name][0]: probed(HOSTS[name][0], value) for name, value in ok.items()}


ALL_OK = {name: True for name in HOSTS}


async def goto(pilot: Pilot[int], pane: EditorPane, index: int) -> None:
    """Put the cursor on line ``index + 1``."""
    pane.table.move_cursor(row=index)
    await pilot.pause()


# ----------------------------------------------------------------- display


async def wait_for(pilot: Pilot[int], predicate: Any, rounds: int = 100) -> None:
    for _ in range(rounds):
        if predicate():
            return
        await pilot.pause(0.05)
    assert predicate()
