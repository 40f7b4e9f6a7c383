"""Regenerate the README screenshots (SVG) from the deterministic test scenario.

    python docs/make_screenshot.py

Writes docs/screenshot.svg (main screen after a failover) and
docs/screenshot-detail.svg (the failed-over instance's detail screen). The data is
tests/ui/scenario.py: documentation addresses, a frozen clock, UTC times.
"""

from __future__ import annotations

import asyncio
import sys
from datetime import UTC
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))

from tests.ui.scenario import (  # noqa: E402
    T0,
    FakeEngine,
    FakeUpdate,
    after_failover,
    failover_events,
    steady,
    steady_events,
)
from vrrptop.capture.base import SourceStatus  # noqa: E402
from vrrptop.options import Options  # noqa: E402
from vrrptop.ui.factory import build_app  # noqa: E402

SIZE = (150, 36)


async def main() -> None:
    """Feed the scenario, save the main and detail screens."""
    engine = FakeEngine()
    app = build_app(Options(interface="em1"), engine, clock=lambda: T0 + 110, tz=UTC)
    status = SourceStatus("em1", "live", "running", 1313)
    async with app.run_test(size=SIZE) as pilot:
        engine.emit(FakeUpdate(steady(), steady_events(), status))
        await pilot.pause(0.3)
        engine.emit(FakeUpdate(after_failover(), failover_events(), status))
        await pilot.pause(0.3)
        app.save_screenshot("screenshot.svg", str(ROOT / "docs"))
        await pilot.press("enter")
        await pilot.pause(0.3)
        app.save_screenshot("screenshot-detail.svg", str(ROOT / "docs"))
    print("wrote docs/screenshot.svg and docs/screenshot-detail.svg")


if __name__ == "__main__":
    asyncio.run(main())
