"""Replay step-through latency: how long `[` / `]` take to show every table as it
was at the previous/next event, on the bundled capture and on a big generated one.

    python benchmarks/bench_step.py [--adverts 1000000] [--steps 40] [--size 160x48]
        [--file PCAP] [--flap]

The console runs headless under Textual's Pilot over the real monitor and engine
(``--demo``, then ``-r FILE`` with the 255-VRID x 2-family segment of
``bench_offline.py``, generated into a temporary directory unless ``--file``
names one: ``--flap`` makes two routers per instance take turns of 5 s, staggered,
so failovers happen all along and the moments are thinned to their budget).
Once the replay has ended, ``[`` is pressed ``--steps`` times, then
``]`` as often; each press is timed until the app has handled it and drawn the
moment (Pilot waits for the screen to be idle). Prints the moments kept, the
replay's wall time and p50/p95/max step latency (goal: 1 s on the demo, a few
seconds on 1,000,000 adverts), with the machine's load.
"""

from __future__ import annotations

import argparse
import asyncio
import os
import statistics
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))
sys.path.insert(0, str(ROOT / "benchmarks"))

from bench_offline import templates, write_pcap  # noqa: E402

from vrrptop.cli import parse_args  # noqa: E402
from vrrptop.monitor import Monitor, load_configuration  # noqa: E402
from vrrptop.runner import demo_options, open_source  # noqa: E402
from vrrptop.ui.factory import build_app  # noqa: E402

#: Seconds each router of a flapping instance speaks before the other takes over
#: (longer than Master_Down_Interval, so each turn is a real failover).
TURN_S = 5.0


def write_flapping(path: Path, adverts: int) -> None:
    """``adverts`` frames at 25,500/s; the two routers of each instance take turns of
    ``TURN_S``, instance j's turns shifted by j/510 of a turn: failovers all along."""
    from scapy.utils import RawPcapWriter

    routers = templates(2)
    half = len(routers) // 2
    writer = RawPcapWriter(str(path), linktype=1)
    writer._write_header(None)
    start = ts = 1_700_000_000.0
    for i in range(adverts):
        j = i % half
        turn = int((ts - start) / TURN_S + j / half) % 2
        frame = routers[turn * half + j]
        sec = int(ts)
        writer.write_packet(bytes(frame), sec=sec, usec=int((ts - sec) * 1e6))
        ts += 1 / 25_500
    writer.close()


def _load() -> str:
    one, five, fifteen = os.getloadavg()
    return f"load {one:.2f} {five:.2f} {fifteen:.2f} ({os.cpu_count()} cpus)"


async def measure(argv: list[str], steps: int, size: tuple[int, int]) -> None:
    """Replay ``argv`` in the console, then time ``steps`` presses each way."""
    options = parse_args(argv)
    if options.demo:
        options = demo_options(options)
    monitor = Monitor(options, open_source(options), config=load_configuration(options))
    app = build_app(options, monitor.engine, monitor=monitor)
    start = time.perf_counter()
    try:
        async with app.run_test(size=size) as pilot:
            while not app.ended:
                await pilot.pause(0.1)
            replay = time.perf_counter() - start
            await pilot.pause(0.5)
            store = app.moments
            assert store is not None
            times: list[float] = []
            for key in ["left_square_bracket"] * steps + ["right_square_bracket"] * steps:
                t = time.perf_counter()
                await pilot.press(key)
                times.append(time.perf_counter() - t)
            times.sort()
            if not times:
                print(f"{' '.join(argv):40} replay {replay:5.1f} s  [{_load()}]", flush=True)
                return
            p95 = times[min(len(times) - 1, int(len(times) * 0.95))]
            print(
                f"{' '.join(argv):40} {len(store):5} moments kept ({store.dropped} dropped), "
                f"replay {replay:5.1f} s; step p50 {statistics.median(times) * 1000:6.1f} ms "
                f"p95 {p95 * 1000:6.1f} ms max {times[-1] * 1000:6.1f} ms  [{_load()}]",
                flush=True,
            )
    finally:
        monitor.stop()


def main() -> int:
    """Demo first, then the big file."""
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--adverts", type=int, default=1_000_000)
    parser.add_argument("--steps", type=int, default=40)
    parser.add_argument("--size", default="160x48")
    parser.add_argument("--file", type=Path, help="an existing capture instead of generating")
    parser.add_argument("--flap", action="store_true", help="failovers all along the file")
    args = parser.parse_args()
    w, h = (int(n) for n in args.size.split("x"))
    asyncio.run(measure(["--demo"], args.steps, (w, h)))
    with tempfile.TemporaryDirectory() as tmp:
        pcap = args.file
        if pcap is None:
            pcap = Path(tmp) / "segment.pcap"
            if args.flap:
                write_flapping(pcap, args.adverts)
            else:
                write_pcap(pcap, args.adverts, templates(1))
        asyncio.run(measure(["-r", str(pcap)], args.steps, (w, h)))
    return 0


if __name__ == "__main__":
    sys.exit(main())
