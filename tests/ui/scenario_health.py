"""Hand-built correlation and DNS health on top of ``scenario.after_failover``.

The file predicts recdns-rnb for testdns0 and recdns-sby for testdns1; the wire
shows recdns-cnh still master of testdns1 (a mismatch alarm), recdns-cnh's DNS
times out, and VIP 203.0.113.120 refuses. Fields are those of
``Correlation.to_json`` and ``TargetHealth`` (real probe types, not look-alikes).
"""

from __future__ import annotations

from dataclasses import replace
from typing import Any

from tests.ui.scenario import HOSTS, T0, after_failover
from vrrptop.model.snapshot import Snapshot
from vrrptop.probe.board import TargetHealth
from vrrptop.probe.types import ProbeResult, ProbeStatus, ProbeTarget

#: Expected priorities from the file: testdns0 counts lines up, testdns1 down.
EXPECTED = {
    210: {"recdns-cnh": 50, "recdns-rnb": 200, "recdns-sby": 150, "recdns-wcdc": 100},
    211: {"recdns-cnh": 50, "recdns-rnb": 150, "recdns-sby": 250, "recdns-wcdc": 100},
}
MISMATCH = {
    "kind": "master-mismatch",
    "severity": "error",
    "message": "testdns1 (VRID 211, IPv4): master is recdns-cnh but the file predicts recdns-sby",
    "host": "recdns-cnh",
    "address": "198.51.100.11",
}
MASTER_DNS = {
    "kind": "master-dns-failing",
    "severity": "error",
    "message": (
        "testdns1 (VRID 211, IPv4): master recdns-cnh fails its DNS check but is still master"
    ),
    "host": "recdns-cnh",
    "address": "198.51.100.11",
}
VIP_DNS = {
    "kind": "vip-dns-failing",
    "severity": "error",
    "message": "testdns1 (VRID 211, IPv4): VIP 203.0.113.120 does not answer DNS",
    "address": "203.0.113.120",
}


def target_health(
    address: str, role: str, results: list[tuple[ProbeStatus, float | None]], name: str | None
) -> TargetHealth:
    """A board entry whose history is ``results`` (status, latency), one every 2 s."""
    target = ProbeTarget(address, role, name)  # type: ignore[arg-type]
    history = tuple(
        ProbeResult(
            ts=T0 + 90 + 2 * i,
            target=target,
            ok=status == "ok",
            status=status,
            rcode="NOERROR" if status in ("ok", "wrong-answer") else None,
            latency_ms=latency,
            answer=None,
            detail=status,
        )
        for i, (status, latency) in enumerate(results)
    )
    fails = 0
    for r in reversed(history):
        if r.ok:
            break
        fails += 1
    return TargetHealth(
        target=target,
        last=history[-1] if history else None,
        consecutive_failures=fails,
        ok_since=None if fails else T0 + 90,
        failing_since=history[len(history) - fails].ts if fails else None,
        probes=len(history),
        failures=sum(not r.ok for r in history),
        history=history,
    )


def health() -> dict[str, Any]:
    """recdns-cnh times out after answering; the others answer; one VIP refuses."""
    out: dict[str, Any] = {}
    good = [("ok", 1.2), ("ok", 2.5), ("ok", 0.8), ("ok", 4.0), ("ok", 1.1)]
    for name, (v4, _v6, _mac) in HOSTS.items():
        if name == "recdns-cnh":
            results: list[tuple[ProbeStatus, float | None]] = [
                ("ok", 1.0),
                ("ok", 3.0),
                ("timeout", None),
                ("timeout", None),
            ]
        else:
            results = list(good)  # type: ignore[arg-type]
        out[v4] = target_health(v4, "host", results, name)
    out["203.0.113.119"] = target_health("203.0.113.119", "vip", list(good), None)  # type: ignore[arg-type]
    out["203.0.113.120"] = target_health(
        "203.0.113.120", "vip", [("ok", 1.0), ("refused", 0.3)], None
    )
    return out


def correlated_failover() -> Snapshot:
    """``after_failover`` as the monitor decorates it with a configuration."""
    snap = after_failover()
    views = []
    for view in snap.instances:
        extra: dict[str, Any] = {
            "expected_master": "recdns-rnb" if view.vrid == 210 else "recdns-sby",
            "observed_master_name": "recdns-rnb" if view.vrid == 210 else "recdns-cnh",
            "settled": True,
            "settle_remaining_s": 0.0,
            "expected_priorities": EXPECTED[view.vrid],
            "alarms": [],
        }
        if (view.vrid, view.family) == (210, 6):
            extra["observed_master_name"] = "recdns-cnh"
            extra["settled"] = False
            extra["settle_remaining_s"] = 2.6
        if (view.vrid, view.family) == (211, 4):
            extra["alarms"] = [MISMATCH, MASTER_DNS, VIP_DNS]
        name = "testdns0" if view.vrid == 210 else "testdns1"
        views.append(replace(view, name=name, extra=extra))
    return replace(snap, instances=tuple(views), health=health())
