"""Idle cost of the console: CPU% at 200 adverts/s, time to first frame, peak RSS.

    python benchmarks/bench_idle.py [--seconds 20] [--warmup 5] [--probe] [--runs 3]

1. CPU: in a private namespace (``rb-idle-PID``), a sender replays a segment of
   100 VRIDs x (IPv4 VRRPv2 + IPv6 VRRPv3) at 1 s intervals (200 adverts/s) on a
   veth; ``vrrptop -i idle0`` runs in UI mode in a private tmux server (120x40).
   After a warm-up, vrrptop's CPU time (utime+stime of all threads, /proc/PID/stat)
   is measured over ``--seconds``. Goal: <= 3% of one core. ``--no-probe`` unless
   ``--probe`` (the VIPs are unreachable in the namespace anyway).
2. Time to first frame: ``vrrptop --demo`` started in tmux, timed until
   ``capture-pane`` shows the instances table with rows (polled every 20 ms).
   The package is byte-compiled first, as ``pip install`` and the .deb do: an
   editable checkout under ``PYTHONDONTWRITEBYTECODE`` would otherwise compile
   every module from source at each start (~0.1 s), which no installed copy does.
   Goal: < 0.5 s.
3. Peak RSS: VmHWM of both runs.
4. For comparison, the same traffic with ``--no-ui`` (capture + engine only).

Needs root for part 1 (namespaces); part 2 runs anywhere with tmux.
"""

from __future__ import annotations

import argparse
import os
import re
import shlex
import statistics
import subprocess
import sys
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent))

from _benchutil import (  # noqa: E402
    ROOT,
    cpu_seconds,
    load,
    start_sender,
    status_kb,
    veth_namespace,
)

GOAL_CPU = 3.0
GOAL_FIRST_FRAME = 0.5
ROW = re.compile(r"^\s*\d+\s+v[46]\s", re.MULTILINE)


class Tmux:
    """A private tmux server (``-L rb-idle-PID-N``); only it is ever killed."""

    def __init__(self, suffix: str) -> None:
        self.socket = f"rb-idle-{os.getpid()}-{suffix}"

    def run(self, *args: str) -> str:
        """A tmux command on our server."""
        p = subprocess.run(["tmux", "-L", self.socket, *args], capture_output=True, text=True)
        if p.returncode != 0:
            raise RuntimeError(f"tmux {args}: {p.stderr}")
        return p.stdout

    def start(self, command: list[str], cols: int = 120, rows: int = 40) -> None:
        """Start ``command`` in a fixed-size window."""
        # COLUMNS/LINES from the caller's environment would pin the app's size.
        cmd = "env -u COLUMNS -u LINES " + shlex.join(command) + "; sleep 600"
        self.run("new-session", "-d", "-s", "b", "-x", str(cols), "-y", str(rows),
                 "-c", str(ROOT), cmd)  # fmt: skip

    def screen(self) -> str:
        """The pane's text."""
        return self.run("capture-pane", "-p", "-t", "b")

    def pane_pid(self) -> int:
        """PID of the pane's first process (the shell)."""
        return int(self.run("display-message", "-p", "-t", "b", "#{pane_pid}").strip())

    def kill(self) -> None:
        """Kill our server only, and remove its socket file."""
        path = subprocess.run(
            ["tmux", "-L", self.socket, "display-message", "-p", "#{socket_path}"],
            capture_output=True,
            text=True,
        ).stdout.strip()
        subprocess.run(["tmux", "-L", self.socket, "kill-server"], capture_output=True)
        if path:
            Path(path).unlink(missing_ok=True)


def vrrptop_pid(root: int, limit: float = 15.0) -> int:
    """The descendant of ``root`` running ``-m vrrptop`` (found through /proc)."""
    deadline = time.monotonic() + limit
    while time.monotonic() < deadline:
        children: dict[int, list[int]] = {}
        for entry in os.listdir("/proc"):
            if not entry.isdigit():
                continue
            try:
                with open(f"/proc/{entry}/stat") as fh:
                    ppid = int(fh.read().rsplit(")", 1)[1].split()[1])
            except (OSError, IndexError, ValueError):
                continue
            children.setdefault(ppid, []).append(int(entry))
        todo = [root]
        while todo:
            pid = todo.pop()
            try:
                with open(f"/proc/{pid}/cmdline", "rb") as fh:
                    argv = fh.read().split(b"\0")
            except OSError:
                argv = []
            if b"-m" in argv and b"vrrptop" in argv and not argv[0].endswith(b"ip"):
                return pid
            todo.extend(children.get(pid, []))
        time.sleep(0.1)
    raise RuntimeError("vrrptop process not found under the tmux pane")


def idle_cpu(seconds: float, warmup: float, probe: bool) -> tuple[float, int, int, str]:
    """CPU% over ``seconds`` at 200 adverts/s; (cpu%, rows on screen, VmHWM kB, load)."""
    with veth_namespace("idle", "idle0", "idle1") as ns:
        tmux = Tmux("cpu")
        sender = None
        try:
            cmd = ["ip", "netns", "exec", ns, sys.executable, "-m", "vrrptop", "-i", "idle0"]
            if not probe:
                cmd.append("--no-probe")
            tmux.start(cmd)
            pid = vrrptop_pid(tmux.pane_pid())
            sender = start_sender(ns, "idle1", 200.0, warmup + seconds + 5, routers=100)
            time.sleep(warmup)
            c0, t0 = cpu_seconds(pid), time.monotonic()
            the_load = load()
            time.sleep(seconds)
            c1, t1 = cpu_seconds(pid), time.monotonic()
            rows = len(ROW.findall(tmux.screen()))
            hwm = status_kb(pid, "VmHWM")
            return 100 * (c1 - c0) / (t1 - t0), rows, hwm, the_load
        finally:
            if sender is not None and sender.poll() is None:
                sender.kill()
                sender.wait()
            tmux.kill()


def headless_cpu(seconds: float, warmup: float) -> tuple[float, str]:
    """The same traffic with ``vrrptop -i idle0 --no-ui``: the engine's share alone."""
    with veth_namespace("idlh", "idle0", "idle1") as ns:
        vt = subprocess.Popen(
            ["ip", "netns", "exec", ns, sys.executable, "-m", "vrrptop", "-i", "idle0", "--no-ui",
             "--no-probe"],
            cwd=ROOT,
            stdout=subprocess.DEVNULL,
            stderr=subprocess.PIPE,
            text=True,
        )  # fmt: skip
        sender = None
        try:
            vt.stderr.readline()  # type: ignore[union-attr]  # "listening on"
            sender = start_sender(ns, "idle1", 200.0, warmup + seconds + 5, routers=100)
            time.sleep(warmup)
            c0, t0 = cpu_seconds(vt.pid), time.monotonic()
            the_load = load()
            time.sleep(seconds)
            c1, t1 = cpu_seconds(vt.pid), time.monotonic()
            return 100 * (c1 - c0) / (t1 - t0), the_load
        finally:
            for proc in (sender, vt):
                if proc is not None and proc.poll() is None:
                    proc.kill()
                    proc.wait()


def first_frame(run: int) -> tuple[float, int]:
    """Seconds from starting ``vrrptop --demo`` until the table has rows; VmHWM kB."""
    tmux = Tmux(f"ttff{run}")
    try:
        t0 = time.monotonic()
        tmux.start([sys.executable, "-m", "vrrptop", "--demo", "--no-probe"])
        while True:
            text = tmux.screen()
            if "Virtual routers" in text and ROW.search(text):
                elapsed = time.monotonic() - t0
                break
            if time.monotonic() - t0 > 60:
                raise RuntimeError(f"no table after 60 s:\n{text}")
            time.sleep(0.02)
        pid = vrrptop_pid(tmux.pane_pid())
        time.sleep(2.0)  # the replay finishes; then the peak is the run's peak
        return elapsed, status_kb(pid, "VmHWM")
    finally:
        tmux.kill()


def main() -> int:
    """Run both parts and print the figures."""
    ap = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawTextHelpFormatter)
    ap.add_argument("--seconds", type=float, default=20.0)
    ap.add_argument("--warmup", type=float, default=5.0)
    ap.add_argument("--runs", type=int, default=3, help="time-to-first-frame runs")
    ap.add_argument("--probe", action="store_true", help="leave DNS probes on")
    args = ap.parse_args()
    if os.geteuid() == 0:
        cpu, rows, hwm, the_load = idle_cpu(args.seconds, args.warmup, args.probe)
        verdict = "met" if cpu <= GOAL_CPU else "NOT met"
        print(f"UI idle CPU at 200 adverts/s: {cpu:.2f}% of one core over {args.seconds:g}s "
              f"(goal <= {GOAL_CPU:g}%: {verdict}); {rows} rows on a 120x40 screen; "
              f"peak RSS {hwm / 1024:.1f} MiB; {the_load}")  # fmt: skip
        cpu, the_load = headless_cpu(args.seconds, args.warmup)
        print(f"same traffic, --no-ui (engine only): {cpu:.2f}% of one core; {the_load}")
    else:
        print("UI idle CPU: skipped (needs root for the namespace)")
    times, hwms = [], []
    subprocess.run([sys.executable, "-m", "compileall", "-q", str(ROOT / "vrrptop")],
                   check=True, stdout=subprocess.DEVNULL)  # fmt: skip
    the_load = load()
    for run in range(args.runs):
        t, hwm = first_frame(run)
        times.append(t)
        hwms.append(hwm)
    median = statistics.median(times)
    verdict = "met" if median < GOAL_FIRST_FRAME else "NOT met"
    print(f"time to first frame (--demo, table with rows in tmux): median "
          f"{median:.2f}s, min {min(times):.2f}s, max {max(times):.2f}s "
          f"over {args.runs} runs (goal < {GOAL_FIRST_FRAME:g}s: {verdict}); "
          f"peak RSS {max(hwms) / 1024:.1f} MiB; {the_load}")  # fmt: skip
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
