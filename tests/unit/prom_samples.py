"""Values the Prometheus tests scrape: instances, snapshots (with alarms, expectations
and declared hosts), probe look-alikes, and an exposition with every family present
(shared by the exporter, judgement, contrib and dashboard tests)."""

from __future__ import annotations

from dataclasses import replace
from typing import Any

from prometheus_client.parser import text_string_to_metric_families

from vrrptop.capture.base import SourceStatus
from vrrptop.model.expectation import (
    SEVERITY,
    Alarm,
    AlarmKind,
    DeclaredHost,
    Expectation,
    HostExpectation,
    InstanceKey,
)
from vrrptop.model.health import ProbeResult, ProbeStatus, ProbeTarget, TargetHealth
from vrrptop.model.snapshot import (
    Counters,
    GapStats,
    InstanceView,
    MasterTerm,
    Snapshot,
    SourceView,
    VipHolder,
)
from vrrptop.output.prometheus import PrometheusMetrics

NOW = 1_700_000_000.0
A, B = "198.51.100.11", "198.51.100.12"
MAC_A, MAC_B = "02:00:00:00:00:0a", "02:00:00:00:00:0b"


def source(src: str, mac: str, priority: int, last_seen: float) -> SourceView:
    return SourceView(
        src=src,
        src_mac=mac,
        priority=priority,
        interval_cs=100,
        addresses=("198.51.100.119",),
        version=2,
        first_seen=NOW - 100,
        last_seen=last_seen,
        adverts=10,
        last_master=None,
    )


def instance(**changes: Any) -> InstanceView:
    base = InstanceView(
        vrid=210,
        family=4,
        version=2,
        state="ok",
        master=A,
        master_mac=MAC_A,
        priority=250,
        interval_cs=100,
        addresses=("198.51.100.119",),
        auth_type=1,
        first_seen=NOW - 100,
        last_seen=NOW - 0.4,
        age_s=0.4,
        master_down_s=3.02,
        adverts=97,
        checksum_variant="v2",
        checksum_errors=2,
        masters=(MasterTerm(src=A, since=NOW - 100, until=None, priority=250),),
        sources=(source(A, MAC_A, 250, NOW - 0.4), source(B, MAC_B, 200, NOW - 1.5)),
        gaps=GapStats(),
        vip_holders=(
            VipHolder(address="198.51.100.119", mac=MAC_A, ts=NOW - 90, holder_is_master=True),
            VipHolder(address="198.51.100.120", mac=MAC_B, ts=NOW - 80, holder_is_master=False),
            VipHolder(address="198.51.100.121", mac=MAC_B, ts=NOW - 70, holder_is_master=None),
        ),
        problems={"ttl-not-255": 3},
        last_advert=None,
        name="testdns0",
    )
    return replace(base, **changes)


def snapshot(*instances: InstanceView, **counters: int) -> Snapshot:
    return Snapshot(
        ts=NOW,
        instances=instances,
        hosts=(),
        counters=Counters(**counters),
        malformed_reasons={"short-header": 4},
    )


class Holder:
    """What the engine offers: the latest snapshot, replaced wholesale."""

    def __init__(self, snap: Snapshot) -> None:
        self.snap = snap

    def __call__(self) -> Snapshot:
        return self.snap


Samples = dict[tuple[str, frozenset[tuple[str, str]]], float]


def parse(text: str) -> tuple[Samples, dict[str, str]]:
    """Samples keyed by (sample name, labels) and family name -> type."""
    samples: Samples = {}
    types: dict[str, str] = {}
    for fam in text_string_to_metric_families(text):
        types[fam.name] = fam.type
        for s in fam.samples:
            samples[(s.name, frozenset(s.labels.items()))] = s.value
    return samples, types


def value(samples: Samples, metric: str, /, **labels: str) -> float:
    return samples[(metric, frozenset(labels.items()))]


def inst_labels(inst: InstanceView) -> dict[str, str]:
    vlan = "" if inst.vlan is None else str(inst.vlan)
    return {
        "vrid": str(inst.vrid),
        "family": str(inst.family),
        "vlan": vlan,
        "name": inst.name or "",
    }


Target = ProbeTarget


def result(
    ts: float, target: ProbeTarget, ok: bool, status: ProbeStatus, latency_ms: float | None
) -> ProbeResult:
    """A real probe result with the fields the exporter reads."""
    return ProbeResult(ts, target, ok, status, "NOERROR" if ok else None, latency_ms, None, status)


def health(target: ProbeTarget, last: ProbeResult | None, fails: int) -> TargetHealth:
    """A real health summary (the probe board's) ending in ``last``."""
    history = () if last is None else (last,)
    ok_since = last.ts if last is not None and last.ok else None
    failing = last.ts if last is not None and not last.ok else None
    return TargetHealth(target, last, fails, ok_since, failing, len(history), fails, history)


VIP = Target("198.51.100.119", "vip")
HOST = Target("198.51.100.11", "host", "recdns-cnh")
ODD = Target("2001:db8::53", "host", port=5353)


def alarm(kind: AlarmKind, key: InstanceKey | None, subject: str, **kw: Any) -> Alarm:
    """A real alarm, with the severity its kind has."""
    return Alarm(kind, f"{kind.value} on {subject}", subject, key, severity=SEVERITY[kind], **kw)


KEY4 = InstanceKey(210, 4)
KEY6 = InstanceKey(210, 6)
TRUNK = InstanceKey(210, 4, 20)
"""The same VRID on VLAN 20 of a trunk: another router, not a split brain."""


def host_expectation(name: str, address: str, expected: int, advertised: int | None) -> Any:
    return HostExpectation(
        name=name,
        addresses=(address,),
        line=1,
        in_service=True,
        healthy=True,
        rank=expected // 50 - 1,
        expected_priority=expected,
        advertised_priority=advertised,
        reason="rank from the priority file",
    )


def judged_snapshot() -> Snapshot:
    """The seed's testdns0 as the monitor judges it: recdns-sby (198.51.100.12) is
    master although the file predicts recdns-wcdc; recdns-rnb is commented out and its
    DNS fails; a names-unresolved warning is segment-wide; VLAN 20 has its own 210."""
    mismatch = alarm(AlarmKind.MASTER_MISMATCH, KEY4, KEY4.label, name="testdns0", since=NOW - 9)
    prio = alarm(AlarmKind.PRIORITY_MISMATCH, KEY4, "recdns-wcdc", name="testdns0")
    holder = alarm(AlarmKind.VIP_HOLDER_NOT_MASTER, KEY4, "198.51.100.119", name="testdns0")
    unresolved = alarm(AlarmKind.NAMES_UNRESOLVED, None, "recdns-xyz", since=NOW - 60)
    exp = Expectation(
        key=KEY4,
        name="testdns0",
        configured=True,
        hosts=(
            host_expectation("recdns-wcdc", "198.51.100.11", 250, 50),
            host_expectation("recdns-sby", B, 200, 200),
            host_expectation("recdns-cnh", "198.51.100.13", 150, None),
        ),
        predicted_master="recdns-wcdc",
        observed_master=B,
        observed_master_name="recdns-sby",
        settled=True,
        alarms=(mismatch, prio),
    )
    v4 = instance(master=B, master_mac=MAC_B, priority=200, expectation=exp,
                  alarms=(mismatch, prio, holder))  # fmt: skip
    v6 = instance(family=6, master="fe80::12", addresses=("2001:db8::119",), vip_holders=(),
                  expectation=replace(exp, key=KEY6, alarms=(), settled=False))  # fmt: skip
    trunk = instance(vlan=20, name="lab20")
    declared = (
        DeclaredHost("recdns-wcdc", ("198.51.100.11",), True, True, ((KEY4, 250), (KEY6, 250))),
        DeclaredHost("recdns-sby", (B, "2001:db8::12"), True, True, ((KEY4, 200),)),
        DeclaredHost("recdns-rnb", ("198.51.100.14",), False, False, ((KEY4, 50),)),
        DeclaredHost("recdns-cnh", ("198.51.100.13",), True, None, ((KEY4, 150),)),
    )
    return replace(
        snapshot(v4, v6, trunk),
        alarms=(mismatch, prio, holder, unresolved),
        declared_hosts=declared,
        warnings=("recdns-xyz does not resolve: master-mismatch is off for testdns1",),
    )


def full_exposition() -> str:
    """An exposition with every metric family present (used by the contrib tests too)."""
    metrics = PrometheusMetrics(
        Holder(judged_snapshot()),
        get_probes=lambda: {VIP.address: health(VIP, result(NOW, VIP, True, "ok", 1.0), 0)},
        get_status=lambda: SourceStatus(name="em1", kind="live", state="running"),
    )
    metrics.observe_probe(result(NOW, VIP, True, "ok", 1.0))
    return metrics.render().decode()
