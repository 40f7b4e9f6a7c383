"""Console responsiveness under a flood: key-press latency while the real engine
decodes and tracks a synthetic segment as fast as it can.

    python benchmarks/bench_ui_keys.py [--routers 100] [--presses 40] [--size 160x48]

The engine runs in its background thread on a ``SyntheticSource`` with no pacing
(every frame is an advert, typically well above 50,000 adverts/s); the app runs
headless under Textual's Pilot. Presses of ``s`` (cycle sort) come at random
0.2-0.6 s intervals; for each we time how long until the app's sort order changed
(the action ran). Prints the advert rate, redraw rate and p50/p95/max key latency
(goal: max < 200 ms).
"""

from __future__ import annotations

import argparse
import asyncio
import random
import statistics
import sys
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))

from vrrptop.capture.synthetic import SyntheticSource, default_segment  # noqa: E402
from vrrptop.engine import Engine  # noqa: E402
from vrrptop.options import Options  # noqa: E402
from vrrptop.ui.factory import build_app  # noqa: E402


async def measure(routers: int, presses: int, size: tuple[int, int]) -> None:
    """Run the flood and time the key presses."""
    source = SyntheticSource(default_segment(routers), rate=50_000.0)
    engine = Engine(source, options=Options())
    app = build_app(Options(), engine)
    latencies: list[float] = []
    rng = random.Random(42)
    async with app.run_test(size=size) as pilot:
        while app.shown_snapshot is None or len(app.shown_snapshot.instances) < 2 * routers:
            await asyncio.sleep(0.05)
        t0, frames0, renders0 = time.perf_counter(), source.status().received, app.render_count
        for _ in range(presses):
            before = app.sort_key
            start = time.perf_counter()
            # simulate_key delivers the key like a terminal would; Pilot.press would
            # also wait for the app to go idle, which a flood never lets it do.
            app.simulate_key("s")
            while app.sort_key == before:
                await asyncio.sleep(0.001)
            latencies.append(time.perf_counter() - start)
            # a person presses keys now and then, not in step with redraws
            await asyncio.sleep(rng.uniform(0.2, 0.6))
        elapsed = time.perf_counter() - t0
        frames = source.status().received - frames0
        renders = app.render_count - renders0
        app.simulate_key("q")
        await pilot.pause(0.2)
    engine.stop()
    engine.join(2)
    latencies.sort()
    p95 = latencies[int(0.95 * (len(latencies) - 1))]
    print(f"instances: {2 * routers}  terminal: {size[0]}x{size[1]}")
    print(f"adverts decoded+tracked: {frames / elapsed:,.0f}/s  redraws: {renders / elapsed:.1f}/s")
    print(
        f"key latency over {presses} presses: p50 {statistics.median(latencies) * 1000:.1f} ms"
        f"  p95 {p95 * 1000:.1f} ms  max {latencies[-1] * 1000:.1f} ms"
    )


def main() -> None:
    """Parse arguments and run."""
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--routers", type=int, default=100)
    parser.add_argument("--presses", type=int, default=40)
    parser.add_argument("--size", default="160x48")
    ns = parser.parse_args()
    width, height = (int(x) for x in ns.size.split("x"))
    asyncio.run(measure(ns.routers, ns.presses, (width, height)))


if __name__ == "__main__":
    main()
