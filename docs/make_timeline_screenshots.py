"""Regenerate the README's timeline pictures from the bundled demo capture.

    python docs/make_timeline_screenshots.py

Writes docs/screenshot-timeline.svg (the console's ``T`` screen, UTC times) and,
when Debian's ``chromium`` is installed, docs/report-html.png (the top of
``vrrptop --demo --report-html``, rendered headless).
"""

from __future__ import annotations

import asyncio
import shutil
import subprocess
import sys
import tempfile
from datetime import UTC
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))

from tests.ui.scenario import FakeEngine, FakeUpdate, file_status  # noqa: E402
from tests.unit.demo_replay import demo_run  # noqa: E402
from vrrptop.options import Options  # noqa: E402
from vrrptop.ui.factory import build_app  # noqa: E402

SIZE = (100, 26)


async def console() -> None:
    """The timeline screen after the whole demo."""
    run = demo_run()
    engine = FakeEngine()
    options = Options(read_file=Path("lab-failover.pcap"))
    app = build_app(options, engine, clock=lambda: run.snapshot.ts, tz=UTC)
    async with app.run_test(size=SIZE) as pilot:
        engine.emit(FakeUpdate(run.snapshot, run.events, file_status(True), ended=True))
        await pilot.pause(0.3)
        await pilot.press("T")
        await pilot.pause(0.3)
        app.save_screenshot("screenshot-timeline.svg", str(ROOT / "docs"))
    print("wrote docs/screenshot-timeline.svg")


def html() -> None:
    """The HTML report's top, in a real browser."""
    if shutil.which("chromium") is None:
        print("chromium is not installed: docs/report-html.png not rewritten")
        return
    with tempfile.TemporaryDirectory() as tmp:
        page = Path(tmp) / "report.html"
        subprocess.run([sys.executable, "-m", "vrrptop", "--demo", "--report-html", str(page)],
                       cwd=ROOT, check=True)  # fmt: skip
        subprocess.run(
            ["chromium", "--headless", "--no-sandbox", "--disable-gpu", "--hide-scrollbars",
             f"--user-data-dir={tmp}/profile", f"--screenshot={ROOT / 'docs' / 'report-html.png'}",
             "--window-size=1180,740", page.as_uri()],
            check=True, capture_output=True,
        )  # fmt: skip
    print("wrote docs/report-html.png")


if __name__ == "__main__":
    asyncio.run(console())
    html()
