"""Run every benchmark in sequence and print a short summary of the figures.

    python benchmarks/run_all.py [--only NAME[,NAME...]] [--skip NAME[,NAME...]]

Each benchmark runs as its own process (``python benchmarks/<name>.py ARGS``) with
its full output shown as it goes; the summary at the end repeats each one's headline
lines (goals, ratios, rates) with its exit status and wall time. Benchmarks that need
root (network namespaces) are skipped when not root; missing scripts are skipped.
The machine's load average is printed before each benchmark: these figures depend on
what else runs.
"""

from __future__ import annotations

import argparse
import os
import re
import subprocess
import sys
import time
from dataclasses import dataclass, field
from pathlib import Path

HERE = Path(__file__).resolve().parent

#: (script, arguments for this run, needs root). Long defaults are cut down here.
BENCHMARKS: list[tuple[str, list[str], bool]] = [
    ("bench_offline.py", ["--compiled"], False),  # pure and compiled, side by side
    ("fuzz_decoders.py", ["--frames", "100000"], False),
    ("bench_model_tracker.py", [], False),
    ("bench_scale.py", [], False),
    ("bench_probes.py", [], False),
    ("bench_live.py", ["--probe", "--rates", "50000,100000,150000"], True),
    ("bench_live.py", ["--probe", "--contention", "4", "--rates", "25000,50000,75000"], True),
    ("bench_idle.py", [], True),
    ("bench_memory.py", ["--hours", "3"], False),
    ("bench_ui_flood.py", [], False),
    ("bench_ui_flood.py", ["--contention", "4", "--rate", "25500"], False),
    ("bench_ui_keys.py", [], False),
    ("bench_step.py", [], False),
]

#: Lines worth repeating in the summary.
HEADLINE = re.compile(
    r"goal|ratio|highest|worst|time to first|RSS|extrapolated|adverts/s|frames/s|lag|"
    r"calls/s|per call|escaped|failed|error|apply\(\)/s|snapshot\(\)|latency|step p50|"
    r"^\s*\d+\s+[\d.]+\s+[\d.]+",
    re.IGNORECASE,
)

#: Progress lines that match HEADLINE but are not results (bench_memory's samples).
PROGRESS = re.compile(r"^\s+[\d.]+ h packet time")


@dataclass
class Result:
    """One benchmark's outcome."""

    name: str
    status: str
    seconds: float = 0.0
    load: str = ""
    headlines: list[str] = field(default_factory=list)
    args: list[str] = field(default_factory=list)


def _load() -> str:
    one, five, fifteen = os.getloadavg()
    return f"load {one:.2f} {five:.2f} {fifteen:.2f}"


def run_one(script: str, args: list[str], needs_root: bool) -> Result:
    """Run one benchmark, echoing its output; keep its headline lines."""
    path = HERE / script
    if not path.exists():
        return Result(script, "skipped (not present)")
    if needs_root and os.geteuid() != 0:
        return Result(script, "skipped (needs root)")
    cmd = [sys.executable, str(path), *args]
    load = _load()
    print(f"\n=== {' '.join(['python', f'benchmarks/{script}', *args])}   ({load})", flush=True)
    t0 = time.monotonic()
    proc = subprocess.Popen(cmd, stdout=subprocess.PIPE, stderr=subprocess.STDOUT, text=True)
    lines = []
    for line in proc.stdout:  # type: ignore[union-attr]
        print(line, end="", flush=True)
        lines.append(line.rstrip("\n"))
    rc = proc.wait()
    seconds = time.monotonic() - t0
    heads = [ln.strip() for ln in lines if HEADLINE.search(ln) and not PROGRESS.match(ln)][-6:]
    status = "ok" if rc == 0 else f"FAILED (exit {rc})"
    return Result(script, status, seconds, load, heads, args)


def main() -> int:
    """Run them all (or the chosen ones) and summarise; exit 1 if any failed."""
    ap = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawTextHelpFormatter)
    ap.add_argument("--only", default="", help="comma-separated script names (no .py needed)")
    ap.add_argument("--skip", default="", help="comma-separated script names to leave out")
    args = ap.parse_args()

    def names(text: str) -> set[str]:
        return {n if n.endswith(".py") else n + ".py" for n in text.split(",") if n}

    only, skip = names(args.only), names(args.skip)
    results = []
    t0 = time.monotonic()
    for script, bargs, root in BENCHMARKS:
        if (only and script not in only) or script in skip:
            continue
        results.append(run_one(script, bargs, root))
    print(f"\n=== summary ({time.monotonic() - t0:.0f} s, {os.cpu_count()} cpus)")
    for r in results:
        timing = f"{r.seconds:5.0f}s  {r.load}" if r.seconds else ""
        print(f"{r.name:24} {r.status:22} {timing}  {' '.join(r.args)}")
        for h in r.headlines:
            print(f"    {h}")
    return 0 if all(not r.status.startswith("FAILED") for r in results) else 1


if __name__ == "__main__":
    raise SystemExit(main())
