"""Hand-built correlation and DNS health on top of ``scenario.after_failover``.

The file predicts recdns-rnb for testdns0 and recdns-sby for testdns1; the wire
shows recdns-cnh still master of testdns1 (a mismatch alarm), recdns-cnh's DNS
times out, and VIP 203.0.113.120 refuses. Fields are those of
``vrrptop.model.expectation`` and ``TargetHealth`` (real probe types, not look-alikes).
"""

from __future__ import annotations

from dataclasses import replace
from typing import Any

from tests.ui.scenario import HOSTS, T0, after_failover
from vrrptop.model.expectation import (
    Alarm,
    AlarmKind,
    Expectation,
    HostExpectation,
    InstanceKey,
)
from vrrptop.model.snapshot import InstanceView, Snapshot
from vrrptop.probe.board import TargetHealth
from vrrptop.probe.types import ProbeResult, ProbeStatus, ProbeTarget

#: Expected priorities from the file: testdns0 counts lines up, testdns1 down.
EXPECTED = {
    210: {"recdns-cnh": 50, "recdns-rnb": 200, "recdns-sby": 150, "recdns-wcdc": 100},
    211: {"recdns-cnh": 50, "recdns-rnb": 150, "recdns-sby": 250, "recdns-wcdc": 100},
}
KEY = InstanceKey(211, 4)
MISMATCH = Alarm(
    AlarmKind.MASTER_MISMATCH,
    "testdns1 (VRID 211 (IPv4)): master is recdns-cnh but the file predicts recdns-sby",
    "testdns1 (VRID 211 (IPv4))",
    KEY,
    "testdns1",
    "error",
)
MASTER_DNS = Alarm(
    AlarmKind.MASTER_DNS_FAILING,
    "testdns1 (VRID 211 (IPv4)): master recdns-cnh fails its DNS check but is still master",
    "recdns-cnh",
    KEY,
    "testdns1",
    "error",
)
VIP_DNS = Alarm(
    AlarmKind.VIP_DNS_FAILING,
    "testdns1 (VRID 211 (IPv4)): VIP 203.0.113.120 does not answer DNS",
    "203.0.113.120",
    KEY,
    "testdns1",
    "error",
)


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


def probed(address: str, ok: bool) -> TargetHealth:
    """A host address probed once: it answered (``ok``) or timed out."""
    return target_health(address, "host", [("ok", 1.0) if ok else ("timeout", None)], None)


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


def expectation(
    view: InstanceView, predicted: str, observed: str, settle: float = 0.0
) -> Expectation:
    """A typed expectation for ``view`` with the file's priorities of ``EXPECTED``."""
    hosts = tuple(
        HostExpectation(n, (), None, True, None, None, p, None, "rank")
        for n, p in EXPECTED[view.vrid].items()
    )
    return Expectation(
        view.key, "testdns0" if view.vrid == 210 else "testdns1", True, hosts, predicted,
        observed_master=view.master, observed_master_name=observed, settled=settle == 0.0,
        settle_remaining_s=settle, serves_dns=True,
    )  # fmt: skip


def correlated_failover() -> Snapshot:
    """``after_failover`` as the monitor enriches it with a configuration."""
    snap = after_failover()
    views = []
    for view in snap.instances:
        predicted = "recdns-rnb" if view.vrid == 210 else "recdns-sby"
        observed = "recdns-rnb" if view.vrid == 210 else "recdns-cnh"
        settle = 0.0
        if (view.vrid, view.family) == (210, 6):
            observed, settle = "recdns-cnh", 2.6
        alarms = (MISMATCH, MASTER_DNS, VIP_DNS) if (view.vrid, view.family) == (211, 4) else ()
        exp = expectation(view, predicted, observed, settle)
        views.append(replace(view, name=exp.name, expectation=exp, alarms=alarms))
    return replace(
        snap, instances=tuple(views), health=health(), alarms=(MISMATCH, MASTER_DNS, VIP_DNS)
    )
