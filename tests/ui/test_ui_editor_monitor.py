"""The editor over the real ``Monitor`` and engine replaying the bundled lab capture:
the files and instances come from the monitor, a save reaches ``monitor.files``."""

from __future__ import annotations

import shutil
from datetime import UTC
from pathlib import Path

from tests.ui.editor_kit import pane_of, table_rows
from tests.ui.helpers import log_lines, replay_to_end
from vrrptop.capture.pcapfile import PcapFileSource
from vrrptop.config.model import Config, InstanceConfig
from vrrptop.monitor import Monitor
from vrrptop.options import Options
from vrrptop.runner import demo_path
from vrrptop.ui.factory import build_app
from vrrptop.ui.screens.editor import EditorScreen


async def test_editor_over_the_real_monitor(tmp_path: Path) -> None:
    path = tmp_path / "priority.testdns"
    shutil.copyfile(demo_path().parent / "priority.testdns", path)
    config = Config(
        instances=(
            InstanceConfig("testdns0", 210, (4, 6), path, direction=0),
            InstanceConfig("testdns1", 211, (4, 6), path, direction=1),
        )
    )
    options = Options(read_file=demo_path())
    monitor = Monitor(options, PcapFileSource(demo_path()), config=config)
    app = build_app(options, monitor.engine, tz=UTC, monitor=monitor)
    try:
        async with app.run_test(size=(100, 30)) as pilot:
            await replay_to_end(pilot, app)
            await pilot.press("e")
            await pilot.pause()
            screen = app.screen
            assert isinstance(screen, EditorScreen)
            pane = pane_of(screen)
            # The seed: testdns0 on recdns-wcdc, testdns1 on recdns-cnh.
            assert [r[3] for r in table_rows(pane)] == ["100", "50", "200", "250 master"]
            pane.table.move_cursor(row=3)
            await pilot.press("K", "ctrl+s")
            await pilot.pause()
            await pilot.press("y")
            await pilot.pause()
            expected = b"recdns-cnh\n#recdns-rnb\nrecdns-wcdc\nrecdns-sby\n"
            assert path.read_bytes() == expected
            assert monitor.files[path].file.render() == expected
            assert any("expect recdns-sby for testdns0" in line for line in log_lines(app))
    finally:
        monitor.stop()
