"""Tracker speed: apply() on the common case and snapshot() of 500 instances.

    python benchmarks/bench_model_tracker.py [--calls 1000000]

Prints apply() calls/s for (1) one master repeating the same advert (the fast path),
(2) 500 instances (250 VRIDs x IPv4/IPv6) each with a master repeating every second,
and the time of one snapshot() of those 500 instances (the UI asks 10x/s).
"""

from __future__ import annotations

import argparse
import sys
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))

from vrrptop.model.tracker import Tracker  # noqa: E402
from vrrptop.wire.records import Advert  # noqa: E402


def advert(vrid: int, src: str, family: int) -> Advert:
    """A clean VRRPv3 advert from ``src`` (documentation addresses only)."""
    return Advert(
        ts=0.0, src=src, dst="224.0.0.18", src_mac="02:00:00:00:00:01", family=family,  # type: ignore[arg-type]
        version=3, type=1, vrid=vrid, priority=100, interval_cs=100,
        addresses=("198.51.100.1",), auth_type=None, auth_data=b"", ttl=255, checksum=0,
        checksum_ok=True, checksum_variant="v3", vlan=None, problems=(),
    )  # fmt: skip


def main() -> None:
    """Run the three measurements and print them."""
    ap = argparse.ArgumentParser(description=__doc__)
    ap.add_argument("--calls", type=int, default=1_000_000)
    n = ap.parse_args().calls

    t = Tracker()
    a = advert(1, "198.51.100.2", 4)
    now = 0.0
    t.apply(a, now)
    start = time.perf_counter()
    for _ in range(n):
        now += 0.001
        t.apply(a, now)
    dt = time.perf_counter() - start
    print(f"same master repeating: {n / dt:12,.0f} apply()/s  ({dt / n * 1e9:.0f} ns/call)")

    t = Tracker()
    advs = [advert(v, f"198.51.100.{v}", 4) for v in range(1, 251)]
    advs += [advert(v, f"2001:db8::{v:x}", 6) for v in range(1, 251)]
    now = 0.0
    rounds = max(1, n // len(advs))
    start = time.perf_counter()
    for _ in range(rounds):
        for a in advs:
            now += 1.0 / len(advs)
            t.apply(a, now)
    dt = time.perf_counter() - start
    print(f"500 instances, 1 s:    {rounds * len(advs) / dt:12,.0f} apply()/s")

    reps = 50
    start = time.perf_counter()
    for _ in range(reps):
        for a in advs[:50]:  # 100 ms of traffic makes 50 instances dirty
            t.apply(a, now)
        t.snapshot(now)
    dt = (time.perf_counter() - start) / reps
    print(f"snapshot() of 500:     {dt * 1000:12.2f} ms (incl. 50 apply())")


if __name__ == "__main__":
    main()
