"""A save made from the editor is a P on the timeline's lanes of the instances the
file ranks, over the real monitor and engine replaying the bundled capture."""

from __future__ import annotations

import shutil
from datetime import UTC
from pathlib import Path

from tests.ui.editor_kit import pane_of
from tests.ui.helpers import replay_to_end, static_text
from tests.ui.test_ui_timeline import _marker_row
from vrrptop.capture.pcapfile import PcapFileSource
from vrrptop.config.model import Config, InstanceConfig
from vrrptop.monitor import Monitor
from vrrptop.options import Options
from vrrptop.runner import demo_path
from vrrptop.ui.factory import build_app
from vrrptop.ui.screens.editor import EditorScreen
from vrrptop.ui.screens.main import MainScreen
from vrrptop.ui.screens.timeline import TimelineScreen


async def test_an_editor_save_is_marked_on_the_file_s_lanes(tmp_path: Path) -> None:
    path = tmp_path / "priority.testdns"
    shutil.copyfile(demo_path().parent / "priority.testdns", path)
    other = tmp_path / "priority.other"
    shutil.copyfile(path, other)
    config = Config(
        instances=(
            InstanceConfig("testdns0", 210, (4, 6), path, direction=0),
            InstanceConfig("testdns1", 211, (4, 6), other, direction=1),
        )
    )
    options = Options(read_file=demo_path())
    monitor = Monitor(options, PcapFileSource(demo_path()), config=config)
    app = build_app(options, monitor.engine, tz=UTC, monitor=monitor)
    try:
        async with app.run_test(size=(120, 40)) as pilot:
            await replay_to_end(pilot, app)
            await pilot.press("T")
            lanes = static_text(app, "#timeline-lanes")
            assert "P" not in _marker_row(lanes, "testdns0 210/IPv4")
            assert "priority file saved" not in lanes
            await pilot.press("escape", "e")
            await pilot.pause()
            screen = app.screen
            assert isinstance(screen, EditorScreen)
            pane = pane_of(screen)
            assert pane.path == path  # the first tab: priority.testdns
            pane.table.move_cursor(row=3)
            await pilot.press("K", "ctrl+s")
            await pilot.pause()
            await pilot.press("y")
            await pilot.pause(0.3)
            assert path.read_bytes() != other.read_bytes()  # saved
            await pilot.press("escape")
            await pilot.pause()
            assert isinstance(app.screen, MainScreen)
            await pilot.press("T")
            await pilot.pause()
            assert isinstance(app.screen, TimelineScreen)
            lanes = static_text(app, "#timeline-lanes")
            for lane in ("testdns0 210/IPv4", "testdns0 210/IPv6"):
                assert _marker_row(lanes, lane).rstrip().endswith("P"), lane  # saved now
            assert "P" not in _marker_row(lanes, "testdns1 211/IPv4")  # another file
            assert "P priority file saved" in lanes
    finally:
        monitor.stop()
