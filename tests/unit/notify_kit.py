"""--notify tests' kit: a recording command, the notifiers to close, events and
snapshots as the tracker and judge make them."""

from __future__ import annotations

import json
import sys
import time
from dataclasses import replace
from pathlib import Path
from typing import Any

from tests.unit.prom_samples import instance, snapshot
from vrrptop.model.events import Event
from vrrptop.model.expectation import DeclaredHost

WCDC4, CNH4, SBY4 = "198.51.100.13", "198.51.100.11", "198.51.100.14"
WCDC6, CNH6 = "fe80::13", "fe80::11"
T0 = 1_700_000_000.0  # a replayed capture's clock: far behind the wall clock

RECORDER = """\
import json, os, sys
with open(os.environ["NOTIFY_OUT"], "a") as f:
    env = {k: v for k, v in os.environ.items() if k.startswith("VRRPTOP_")}
    f.write(json.dumps({"argv": sys.argv[1:], "env": env}) + "\\n")
"""


def script(tmp_path: Path, name: str, body: str) -> Path:
    path = tmp_path / name
    path.write_text(f"#!{sys.executable}\n{body}")
    path.chmod(0o755)
    return path


def runs(out: Path) -> list[dict[str, Any]]:
    if not out.exists():
        return []
    return [json.loads(line) for line in out.read_text().splitlines()]


def wait_runs(out: Path, n: int, timeout: float = 10.0) -> list[dict[str, Any]]:
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        got = runs(out)
        if len(got) >= n:
            return got
        time.sleep(0.02)
    raise AssertionError(f"expected {n} runs, got {runs(out)}")


def master(ts: float, vrid: int, family: int, old: str | None, new: str, **kw: Any) -> Event:
    detail = {"src": new, "previous": old, "priority": kw.pop("priority", 250)}
    detail |= {"gap_s": kw.pop("gap_s", 0.4), "reason": kw.pop("reason", "preempt"), **kw}
    return Event(ts, "new-master", "info", f"{new} took over", vrid, family, detail)


def named_snapshot(**changes: Any) -> Any:
    declared = (
        DeclaredHost("recdns-wcdc", (WCDC4, WCDC6), True, True),
        DeclaredHost("recdns-cnh", (CNH4, CNH6), True, True),
        DeclaredHost("recdns-sby", (SBY4,), True, True),
    )
    snap = replace(snapshot(instance(vrid=210, name="testdns0")), declared_hosts=declared)
    return replace(snap, **changes)
