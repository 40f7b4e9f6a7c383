"""RSS over a simulated day at 1,000 adverts/s, replayed on a fast (packet) clock.

    python benchmarks/bench_memory.py [--hours 24] [--failovers-per-s 10] [--sample-min 15]
                                   [--no-event-buffer]

A full day at 1,000 adverts/s is 86.4 million frames: the fast path makes that about
5 minutes of one core here, so the default replays the whole day; a shorter
``--hours`` (run_all uses 3) extrapolates the second half's growth to 24 h. The
real ``Engine`` (decode + track, with the report's bounded event buffer as a sink,
as ``vrrptop --report`` has) runs in this process over a generated source on the
packet clock:

- 100 VRIDs x (IPv4 + IPv6) VRRPv3 instances advertising every 200 ms (1,000/s);
- two routers per instance; ``--failovers-per-s`` times a second (packet time) one
  instance fails over gracefully (the master sends priority 0, the other takes over,
  the new master sends a GARP/unsolicited-NA-like announcement for the IPv4 VIP), so
  master histories, events and VIP holders keep churning and fill their rings.

RSS (VmRSS) is sampled every ``--sample-min`` minutes of packet time. "Start" is after
the first simulated minute (imports done, every table populated). The growth per
hour over the second half of the run is extrapolated to the rest of the day. Goal:
end-of-day RSS within 10 MB of the start.
"""

from __future__ import annotations

import argparse
import os
import struct
import sys
import time
from collections.abc import Iterator
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))

from vrrptop.capture.base import SourceKind, SourceStatus  # noqa: E402
from vrrptop.capture.synthetic import RouterSpec, advert_frame  # noqa: E402
from vrrptop.engine import Engine  # noqa: E402
from vrrptop.options import Options  # noqa: E402
from vrrptop.output.build import EventLog  # noqa: E402
from vrrptop.wire.records import Frame  # noqa: E402

GOAL_MB = 10.0
RATE = 1000.0
ROUTERS = ("198.51.100.1", "198.51.100.2")
ROUTERS6 = ("fe80::a", "fe80::b")


def rss_kb() -> int:
    """This process's VmRSS in kB."""
    with open("/proc/self/status") as fh:
        for line in fh:
            if line.startswith("VmRSS:"):
                return int(line.split()[1])
    raise RuntimeError("no VmRSS")


def garp(address: str, router: int) -> bytes:
    """A gratuitous ARP for ``address`` from router ``router``'s MAC (RFC 5227)."""
    mac = bytes([2, 0, 0, 0, 0xAA, router])
    ip = bytes(int(x) for x in address.split("."))
    arp = struct.pack("!HHBBH6s4s6s4s", 1, 0x0800, 6, 4, 1, mac, ip, b"\0" * 6, ip)
    return b"\xff" * 6 + mac + b"\x08\x06" + arp


class DaySource:
    """Adverts at 1,000/s of packet time with rolling graceful failovers."""

    kind: SourceKind = "file"
    packet_clock = True
    live = False
    name = "simulated day"

    def __init__(self, seconds: float, failovers_per_s: float, on_sample, sample_s: float):  # type: ignore[no-untyped-def]
        self.seconds = seconds
        self.failover_every = int(RATE / failovers_per_s)
        self.on_sample = on_sample
        self.sample_every = int(sample_s * RATE)
        self.keys: list[tuple[int, int]] = []
        normal: list[list[bytes]] = []
        resign: list[list[bytes]] = []
        self.garps: list[bytes | None] = []
        for vrid in range(1, 101):
            for family in (4, 6):
                srcs = ROUTERS if family == 4 else ROUTERS6
                vip = f"203.0.113.{vrid}" if family == 4 else f"2001:db8:d::{vrid:x}"
                self.keys.append((vrid, family))
                normal.append([advert_frame(RouterSpec(vrid, family, 3, 150, 20, s, (vip,)))
                               for s in srcs])  # fmt: skip
                resign.append([advert_frame(RouterSpec(vrid, family, 3, 0, 20, s, (vip,)))
                               for s in srcs])  # fmt: skip
                self.garps.append(vip if family == 4 else None)  # type: ignore[arg-type]
        self.normal, self.resign = normal, resign
        self.received = 0
        self._closed = False

    def frames(self) -> Iterator[Frame | None]:
        """The day's frames, in packet-time order, 1 ms apart."""
        n = len(self.keys)
        master = [0] * n
        total = int(self.seconds * RATE)
        ts0 = 1_700_000_000.0
        failover = 0
        for i in range(total):
            if self._closed:
                return
            ts = ts0 + i / RATE
            k = i % n
            if i and i % self.failover_every == 0:
                j = failover % n
                failover += 1
                data = self.resign[j][master[j]]
                master[j] ^= 1
                yield Frame(ts, 1, data, len(data))
                vip = self.garps[j]
                if vip is not None:
                    g = garp(vip, master[j])  # type: ignore[arg-type]
                    yield Frame(ts, 1, g, len(g))
                self.received += 2
            data = self.normal[k][master[k]]
            self.received += 1
            yield Frame(ts, 1, data, len(data))
            if i % self.sample_every == 0:
                self.on_sample(i / RATE)
        self.on_sample(total / RATE)  # the last packet, before the final snapshot

    def close(self) -> None:
        """Stop early."""
        self._closed = True

    def status(self) -> SourceStatus:
        """Frames produced."""
        return SourceStatus(self.name, "file", "running", self.received)


def main() -> int:
    """Replay, sample RSS, print the curve and the verdict."""
    ap = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawTextHelpFormatter)
    ap.add_argument("--hours", type=float, default=24.0)
    ap.add_argument("--failovers-per-s", type=float, default=10.0)
    ap.add_argument("--sample-min", type=float, default=15.0)
    ap.add_argument(
        "--no-event-buffer",
        action="store_true",
        help="no sink: leave out the report's 10,000-event buffer (tracker alone)",
    )
    args = ap.parse_args()
    one, five, fifteen = os.getloadavg()
    samples: list[tuple[float, int]] = []
    wall0 = time.monotonic()

    def sample(packet_s: float) -> None:
        samples.append((packet_s, rss_kb()))
        if packet_s:
            print(f"  {packet_s / 3600:5.2f} h packet time: RSS {samples[-1][1] / 1024:7.1f} MiB"
                  f"  ({time.monotonic() - wall0:5.0f} s wall)", flush=True)  # fmt: skip

    before = rss_kb()
    source = DaySource(args.hours * 3600, args.failovers_per_s, sample, args.sample_min * 60)
    start_mark: list[int] = []
    # "Start" = after the first simulated minute: sample it explicitly.
    first_minute = int(60 * RATE)
    inner = source.frames

    def frames() -> Iterator[Frame | None]:
        for i, f in enumerate(inner()):
            if i == first_minute:
                start_mark.append(rss_kb())
            yield f

    source.frames = frames  # type: ignore[method-assign]
    log = EventLog()
    engine = Engine(source, options=Options(), sinks=[] if args.no_event_buffer else [log])
    snap = engine.run()
    wall = time.monotonic() - wall0
    after_snapshot = rss_kb()
    start = start_mark[0] if start_mark else before
    end = samples[-1][1]  # at the last packet, before the final snapshot is built
    c = snap.counters
    terms = sum(len(i.masters) for i in snap.instances)
    print(f"replayed {args.hours:g} h of packet time: {c.frames:,} frames ({c.adverts:,} adverts, "
          f"{c.garps:,} GARPs) in {wall:.0f} s wall ({c.frames / wall:,.0f} frames/s); "
          f"{len(snap.instances)} instances, {terms} master terms kept, "
          f"{len(log.events)} events buffered, evicted {c.evicted}")  # fmt: skip
    print(f"RSS: {before / 1024:.1f} MiB before, {start / 1024:.1f} MiB after 1 simulated minute "
          f"(start), {end / 1024:.1f} MiB at {args.hours:g} h (end): "
          f"{(end - start) / 1024:+.1f} MiB; {after_snapshot / 1024:.1f} MiB once the final "
          f"snapshot (every view, every kept term) is built")  # fmt: skip
    half = [s for s in samples if s[0] >= args.hours * 3600 / 2]
    if len(half) >= 2:
        lo, hi = min(r for _, r in half), max(r for _, r in half)
        print(f"second half of the run: RSS between {lo / 1024:.1f} and {hi / 1024:.1f} MiB")
    if len(half) >= 2 and args.hours < 24:
        (t0, r0), (t1, r1) = half[0], half[-1]
        slope = (r1 - r0) / ((t1 - t0) / 3600) if t1 > t0 else 0.0
        day = end + slope * (24 - args.hours)
        print(f"second-half growth {slope / 1024:+.2f} MiB/h -> extrapolated day-end RSS "
              f"{day / 1024:.1f} MiB ({(day - start) / 1024:+.1f} MiB from start)")  # fmt: skip
        grown = (day - start) / 1024
        if slope > 100:  # kB/h
            print("note: RSS still rising in the second half (bounded rings still filling?):"
                  " a linear extrapolation overstates; run longer (--hours 24)")  # fmt: skip
    else:
        grown = (end - start) / 1024
    print(f"goal: within {GOAL_MB:g} MB of the start: {'met' if grown <= GOAL_MB else 'NOT met'} "
          f"({grown:+.1f} MiB); load at start {one:.2f} {five:.2f} {fifteen:.2f} "
          f"({os.cpu_count()} cpus)")  # fmt: skip
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
