"""Live capture under a flood: the highest advert rate with no frame lost.

    python benchmarks/bench_live.py [--rates 10000,25000,50000,75000,100000,150000]
                                    [--seconds 4] [--mode no-ui|json]

In a private namespace (``rb-live-PID``) with a veth pair, ``vrrptop -i live0``
(``--no-ui``: headless, counters from the end-of-run report; or ``--json`` written to
a file on /dev/shm, counters from the final snapshot line) runs while a paced sender
blasts adverts (100 VRIDs x IPv4 VRRPv2 + IPv6 VRRPv3, prebuilt with scapy, sent from
a raw AF_PACKET socket) on live1 for a few seconds per rate. After the sender stops,
vrrptop is given time to drain its queue (until its CPU use drops to idle), then gets
SIGTERM. A rate passes when vrrptop counted every frame sent and reported zero drops
(kernel socket drops + hand-over queue overflows), and live0 dropped nothing before
the socket. ``--contention 4``: four routers take turns on every instance (split
brain everywhere); ``--probe``: DNS probes stay on. Goals (probes on): >= 100,000
adverts/s healthy, >= 50,000 with contention.

Needs root. The machine's load average is printed with every figure.
"""

from __future__ import annotations

import argparse
import json
import os
import re
import signal
import subprocess
import sys
import tempfile
import time
from dataclasses import dataclass
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent))

from _benchutil import (  # noqa: E402
    ROOT,
    cpu_seconds,
    load,
    require_root,
    rx_dropped,
    sender_result,
    start_sender,
    veth_namespace,
)

GOAL = 50_000
"""Contention (4 routers taking turns on every instance), probes on."""
GOAL_HEALTHY = 100_000
"""One master per instance, probes on."""


@dataclass
class Trial:
    """One rate's outcome."""

    rate: float
    sent: int
    send_s: float
    send_errors: int
    frames: int
    adverts: int
    dropped: int
    rx_dropped: int
    cpu_s: float
    load: str

    @property
    def lossless(self) -> bool:
        """Every frame sent was counted; nothing dropped anywhere."""
        return self.frames == self.sent and self.dropped == 0 and self.rx_dropped == 0

    @property
    def achieved(self) -> float:
        """The rate the sender actually reached."""
        return self.sent / self.send_s if self.send_s else 0.0


def _wait_idle(pid: int, limit: float = 20.0) -> None:
    """Wait until ``pid`` uses < 5% CPU over 0.5 s (its queue is drained)."""
    deadline = time.monotonic() + limit
    prev = cpu_seconds(pid)
    while time.monotonic() < deadline:
        time.sleep(0.5)
        cur = cpu_seconds(pid)
        if cur - prev < 0.025:
            return
        prev = cur


def _counters(mode: str, stdout: str, jsonfile: Path) -> dict[str, int]:
    if mode == "json":
        last = ""
        with jsonfile.open() as fh:
            for line in fh:
                last = line
        snap = json.loads(last)
        assert snap["type"] == "snapshot", last[:200]
        return snap["counters"]
    m = re.search(r"frames (\d+)\s+adverts (\d+)\s+malformed (\d+)\s+dropped (\d+)", stdout)
    if m is None:
        raise RuntimeError(f"no counters in the report: {stdout[:500]!r}")
    return {"frames": int(m[1]), "adverts": int(m[2]), "dropped": int(m[4])}


def trial(ns: str, rate: float, seconds: float, mode: str, contenders: int, probe: bool) -> Trial:
    """Run vrrptop and the sender at ``rate`` once."""
    jsonfile = Path(tempfile.mktemp(prefix="rb-live-", suffix=".jsonl", dir="/dev/shm"))
    out_flag = ["--json"] if mode == "json" else ["--no-ui"]
    stdout = jsonfile.open("w") if mode == "json" else subprocess.PIPE
    vt = subprocess.Popen(
        ["ip", "netns", "exec", ns, sys.executable, "-m", "vrrptop", "-i", "live0", *out_flag,
         *([] if probe else ["--no-probe"])],
        cwd=ROOT,
        stdout=stdout,
        stderr=subprocess.PIPE,
        text=True,
    )  # fmt: skip
    try:
        line = vt.stderr.readline()  # type: ignore[union-attr]
        if "listening on" not in line:
            raise RuntimeError(f"vrrptop did not start: {line}{vt.stderr.read()}")  # type: ignore[union-attr]
        rx0 = rx_dropped(ns, "live0")
        sender = start_sender(ns, "live1", rate, seconds, contenders=contenders)
        cpu0 = cpu_seconds(vt.pid)
        the_load = load()
        sent, send_s, errors = sender_result(sender)
        _wait_idle(vt.pid)
        cpu1 = cpu_seconds(vt.pid)
        rx1 = rx_dropped(ns, "live0")
        vt.send_signal(signal.SIGTERM)
        out, err = vt.communicate(timeout=30)
        if vt.returncode != 0:
            raise RuntimeError(f"vrrptop exited {vt.returncode}: {err}")
        c = _counters(mode, out or "", jsonfile)
    finally:
        if vt.poll() is None:
            vt.kill()
            vt.wait()
        if mode == "json":
            stdout.close()  # type: ignore[union-attr]
        jsonfile.unlink(missing_ok=True)
    return Trial(rate, sent, send_s, errors, c["frames"], c["adverts"], c["dropped"],
                 rx1 - rx0, cpu1 - cpu0, the_load)  # fmt: skip


def main() -> int:
    """Run the rates in order and print one line each, then the verdict."""
    ap = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawTextHelpFormatter)
    ap.add_argument("--rates", default="10000,25000,50000,75000,100000,150000")
    ap.add_argument("--seconds", type=float, default=4.0)
    ap.add_argument("--mode", choices=("no-ui", "json"), default="no-ui")
    ap.add_argument(
        "--contention",
        type=int,
        default=1,
        metavar="N",
        help="routers taking turns on every instance (1: healthy; 4: the incident)",
    )
    ap.add_argument(
        "--probe",
        action="store_true",
        help="leave DNS probes on (the VIPs do not answer in the namespace)",
    )
    args = ap.parse_args()
    require_root()
    rates = [float(r) for r in args.rates.split(",")]
    best = 0.0
    failures = 0
    goal = GOAL if args.contention > 1 else GOAL_HEALTHY
    shape = f"{args.contention} routers per instance" if args.contention > 1 else "healthy"
    probes = "probes on" if args.probe else "--no-probe"
    print(f"vrrptop -i live0 --{args.mode}, {probes}; {shape}; sender: raw socket, "
          f"{args.seconds:g}s/rate")  # fmt: skip
    print(f"{'target/s':>9} {'sent/s':>9} {'sent':>8} {'counted':>8} {'dropped':>7} "
          f"{'rx_drop':>7} {'us/frm':>6}  result  load")  # fmt: skip
    with veth_namespace("live", "live0", "live1") as ns:
        for rate in rates:
            t = trial(ns, rate, args.seconds, args.mode, args.contention, args.probe)
            us = 1e6 * t.cpu_s / t.sent if t.sent else 0.0
            verdict = "ok" if t.lossless else "LOSS"
            print(f"{rate:9,.0f} {t.achieved:9,.0f} {t.sent:8d} {t.frames:8d} {t.dropped:7d} "
                  f"{t.rx_dropped:7d} {us:6.1f}  {verdict:6}  {t.load}", flush=True)  # fmt: skip
            if t.send_errors:
                print(f"          ({t.send_errors} send errors: the sender hit ENOBUFS)")
            if t.lossless:
                # Pacing ends a hair short of the target (whole frames per ms slot).
                best = max(best, rate if t.achieved >= 0.97 * rate else t.achieved)
            else:
                failures += 1
                if failures >= 2:
                    break
    print(f"highest lossless rate ({shape}, {probes}): {best:,.0f} adverts/s "
          f"(goal >= {goal:,}): {'met' if best >= goal else 'NOT met'}")  # fmt: skip
    print("us/frm = vrrptop's CPU time (all threads) from the first frame to the drained queue,")
    print("         per frame sent")
    return 0


if __name__ == "__main__":
    os.environ.setdefault("PYTHONDONTWRITEBYTECODE", "1")
    raise SystemExit(main())
