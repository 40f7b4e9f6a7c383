"""Scale curve of the per-advert path: cost per advert and memory, by segment shape.

    python benchmarks/bench_scale.py [--instances 10,255,2000] [--sources 1,2,4,16]
                                     [--adverts 200000]

For every (instances, sources per instance) pair, frames are generated in memory:
IPv4 VRRPv2 instances, VRIDs 1-250 on as many 802.1Q VLANs as it takes (2,000
instances: 8 VLANs x 250 VRIDs, identity is VLAN + VRID + family), each advertised
by ``sources`` routers taking turns (router j: its own address, MAC and priority - j;
more than one source is contention, split brain everywhere), every router once a
second of packet time, so no source expires and the tracker sees a steady segment.
Then ``--adverts`` frames go through what a capture's frames go through,
``decode_frame`` and ``Tracker.apply`` (no pcap reading, no output), after a
warm-up of ``WARMUP_S`` seconds. Prints µs per advert (goal: flat across sources: the contention
checks run when an answer can change, not per repeat) and the tracker's memory
(tracemalloc, after the warm-up) per instance (1 source) and per extra source.
Nothing is written to disk.
"""

from __future__ import annotations

import argparse
import gc
import os
import struct
import sys
import time
import tracemalloc
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent))

from _benchutil import ROOT, contention_frames  # noqa: E402

sys.path.insert(0, str(ROOT))

from vrrptop.capture.synthetic import RouterSpec  # noqa: E402
from vrrptop.model.tracker import Tracker  # noqa: E402
from vrrptop.wire import decode  # noqa: E402
from vrrptop.wire.records import Frame  # noqa: E402

WARMUP_S = 4
"""Seconds of packet time before the clock starts: a source's first three adverts
of a run take the full path (``model.repeats``), so a shorter warm-up would time
the start of the run on big segments (2,000 x 4 sources: 8,000 adverts a second)."""


def frames(instances: int, sources: int) -> list[bytes]:
    """One second of the segment: every router of every instance once, in turn."""
    specs = [
        RouterSpec(v % 250 + 1, 4, 2, 100 + (v % 250 + 1) % 100, 100) for v in range(instances)
    ]
    out = []
    for k, frame in enumerate(contention_frames(specs, sources)):
        if instances > 250:  # tagged: VLAN ids 10, 11, ... (instance k % instances)
            frame[12:12] = struct.pack("!HH", 0x8100, 10 + (k % instances) // 250)
        out.append(bytes(frame))
    return out


def run(instances: int, sources: int, adverts: int) -> tuple[float, int]:
    """(µs per advert, tracker bytes after warm-up) for one shape."""
    second = frames(instances, sources)
    n = len(second)
    step = 1.0 / n
    decode._cache.clear()
    gc.collect()
    tracemalloc.start()
    before = tracemalloc.get_traced_memory()[0]
    tracker = Tracker()
    ts = 1_700_000_000.0
    for data in second * WARMUP_S:  # warm-up (see WARMUP_S)
        tracker.apply(decode.decode_frame(Frame(ts, 1, data, len(data))), ts)  # type: ignore[arg-type]
        ts += step
    gc.collect()
    memory = tracemalloc.get_traced_memory()[0] - before
    tracemalloc.stop()
    work = [Frame(0.0, 1, d, len(d)) for d in second]
    decode_frame, apply = decode.decode_frame, tracker.apply
    start = time.perf_counter()
    for k in range(adverts):
        f = work[k % n]
        ts += step
        rec = decode_frame(Frame(ts, 1, f.data, f.wirelen))
        apply(rec, ts)  # type: ignore[arg-type]
    elapsed = time.perf_counter() - start
    return elapsed / adverts * 1e6, memory


def main() -> int:
    """Print the curve."""
    ap = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawTextHelpFormatter)
    ap.add_argument("--instances", default="10,255,2000")
    ap.add_argument("--sources", default="1,2,4,16")
    ap.add_argument("--adverts", type=int, default=200_000)
    args = ap.parse_args()
    counts = [int(x) for x in args.instances.split(",")]
    sources = [int(x) for x in args.sources.split(",")]
    one, five, fifteen = os.getloadavg()
    print(f"decode_frame + Tracker.apply, {args.adverts:,} adverts per shape; "
          f"load {one:.2f} {five:.2f} {fifteen:.2f} ({os.cpu_count()} cpus)")  # fmt: skip
    print(f"{'instances':>9} " + " ".join(f"{s:>3} src µs/adv" for s in sources)
          + "  worst/1-src  memory/instance  memory/extra source")  # fmt: skip
    for count in counts:
        costs, mems = [], []
        for s in sources:
            us, mem = run(count, s, args.adverts)
            costs.append(us)
            mems.append(mem)
        per_instance = mems[0] / count
        extra = (
            (mems[-1] - mems[0]) / (count * (sources[-1] - sources[0]))
            if len(sources) > 1 and sources[-1] > sources[0]
            else 0.0
        )
        print(f"{count:9d} " + " ".join(f"{us:14.2f}" for us in costs)
              + f"  {max(costs) / costs[0]:10.2f}x  {per_instance / 1024:11.1f} KiB"
              f"  {extra / 1024:15.1f} KiB")  # fmt: skip
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
