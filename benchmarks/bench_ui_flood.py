"""Key responsiveness of the console under a 50,000 adverts/s flood.

    python benchmarks/bench_ui_flood.py [--rate 50000] [--presses 10] [--routers 100]

The real app (``vrrptop.ui.factory.build_app``) runs under ``App.run_test`` (120x40)
over the real ``Engine`` in its own thread, fed by ``SyntheticSource`` (ROUTERS VRIDs
x IPv4 VRRPv2 + IPv6 VRRPv3) paced to ``--rate`` frames per second of wall time. For
each press the clock starts when the key is sent (``pilot.press`` as a task) and
stops when its effect is visible in the app's state, polled every millisecond:

- ``s``: ``app.sort_key`` changed (the action re-renders the table synchronously);
- ``?``: the help screen is the active, mounted screen; ``escape``: back on main.

Reports median and max per key, p95 over all presses (goal: < 200 ms), and the rate
the engine actually sustained meanwhile (adverts counted / wall time).
``--contention 4 --rate 25500``: four routers take turns on every instance at one
segment's worst case (255 VRIDs x 10 ms), the issue's incident workload.
"""

from __future__ import annotations

import argparse
import asyncio
import os
import statistics
import sys
import time
from collections.abc import Callable, Iterator
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))

sys.path.insert(0, str(Path(__file__).resolve().parent))

from _benchutil import contention_specs  # noqa: E402

from vrrptop.capture.base import SourceKind, SourceStatus  # noqa: E402
from vrrptop.capture.synthetic import SyntheticSource, default_segment  # noqa: E402
from vrrptop.engine import Engine  # noqa: E402
from vrrptop.options import Options  # noqa: E402
from vrrptop.wire.records import Frame  # noqa: E402

GOAL_MS = 200.0


class PacedSource:
    """A SyntheticSource that yields at most ``rate`` frames per second of wall time."""

    kind: SourceKind = "synthetic"
    packet_clock = True
    live = False

    def __init__(self, rate: float, routers: int, contenders: int = 1) -> None:
        specs = contention_specs(default_segment(routers), contenders)
        self.inner = SyntheticSource(specs, rate=rate, start_ts=time.time())
        self.name = f"synthetic flood {rate:,.0f}/s"
        self.rate = rate
        self.batch = max(1, int(rate / 100))  # sleep at most every 10 ms of frames

    def frames(self) -> Iterator[Frame | None]:
        """Frames in batches of 10 ms worth, sleeping whenever ahead of the wall clock."""
        t0 = time.monotonic()
        for i, frame in enumerate(self.inner.frames()):
            if i % self.batch == 0:
                ahead = i / self.rate - (time.monotonic() - t0)
                if ahead > 0:
                    time.sleep(ahead)
            yield frame

    def close(self) -> None:
        """Stop the inner source."""
        self.inner.close()

    def status(self) -> SourceStatus:
        """The inner source's status, under our name."""
        st = self.inner.status()
        return SourceStatus(self.name, st.kind, st.state, st.received, st.dropped, st.message)


async def _latency(app, pilot, key: str, done: Callable[[], bool]) -> float:  # type: ignore[no-untyped-def]
    """Milliseconds from sending ``key`` until ``done()`` holds (polled every 1 ms)."""
    t0 = time.perf_counter()
    task = asyncio.create_task(pilot.press(key))
    while not done():
        if time.perf_counter() - t0 > 30:
            raise RuntimeError(f"{key!r} had no effect within 30 s")
        await asyncio.sleep(0.001)
    elapsed = (time.perf_counter() - t0) * 1000
    await task
    return elapsed


async def run(
    rate: float, presses: int, routers: int, warmup: float, contenders: int = 1
) -> dict[str, list[float]]:
    """Drive the app; returns latencies per key, prints the engine's achieved rate."""
    from vrrptop.ui.factory import build_app
    from vrrptop.ui.screens.help import HelpScreen
    from vrrptop.ui.screens.main import MainScreen

    source = PacedSource(rate, routers, contenders)
    engine = Engine(source, options=Options(no_probe=True))
    app = build_app(Options(no_probe=True), engine)
    out: dict[str, list[float]] = {"s": [], "?": [], "escape": []}
    async with app.run_test(size=(120, 40)) as pilot:
        await asyncio.sleep(warmup)  # the table fills, the flood is steady
        a0, t0 = engine.snapshot().counters.adverts, time.monotonic()
        renders0 = app.render_count
        for _ in range(presses):
            before = app.sort_key

            def sorted_again(b: str = before) -> bool:
                return app.sort_key != b

            out["s"].append(await _latency(app, pilot, "s", sorted_again))
            await asyncio.sleep(0.2)
            out["?"].append(
                await _latency(
                    app,
                    pilot,
                    "?",
                    lambda: isinstance(app.screen, HelpScreen) and app.screen.is_mounted,
                )  # fmt: skip
            )
            await asyncio.sleep(0.2)
            out["escape"].append(
                await _latency(app, pilot, "escape", lambda: isinstance(app.screen, MainScreen))
            )
            await asyncio.sleep(0.2)
        a1, t1 = engine.snapshot().counters.adverts, time.monotonic()
        renders = app.render_count - renders0
        print(f"engine sustained {(a1 - a0) / (t1 - t0):,.0f} adverts/s during the presses "
              f"(target {rate:,.0f}/s); {renders / (t1 - t0):.1f} redraws/s; "
              f"{len(engine.snapshot().instances)} instances")  # fmt: skip
        await pilot.press("q")
    engine.stop()
    engine.join(5)
    return out


def main() -> int:
    """Run and print the figures."""
    ap = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawTextHelpFormatter)
    ap.add_argument("--rate", type=float, default=50_000)
    ap.add_argument("--presses", type=int, default=10)
    ap.add_argument("--routers", type=int, default=100)
    ap.add_argument("--warmup", type=float, default=3.0)
    ap.add_argument("--contention", type=int, default=1, metavar="N",
                    help="routers taking turns on every instance (4: the incident)")  # fmt: skip
    args = ap.parse_args()
    one, five, fifteen = os.getloadavg()
    out = asyncio.run(run(args.rate, args.presses, args.routers, args.warmup, args.contention))
    every: list[float] = []
    for key, ms in out.items():
        every.extend(ms)
        print(f"key {key!r:9}: median {statistics.median(ms):6.1f} ms  max {max(ms):6.1f} ms  "
              f"({len(ms)} presses)")  # fmt: skip
    p95 = statistics.quantiles(every, n=20)[-1] if len(every) > 1 else every[0]
    shape = f"{args.contention} routers per instance" if args.contention > 1 else "healthy"
    print(f"key latency ({shape}, {args.rate:,.0f} adverts/s) p95 {p95:.1f} ms, max "
          f"{max(every):.1f} ms (goal p95 < {GOAL_MS:g} ms): "
          f"{'met' if p95 < GOAL_MS else 'NOT met'}; load at start {one:.2f} {five:.2f} "
          f"{fifteen:.2f} ({os.cpu_count()} cpus)")  # fmt: skip
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
