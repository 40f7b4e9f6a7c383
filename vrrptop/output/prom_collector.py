"""The scrape-time collector behind ``vrrptop.output.prometheus``.

It reads the latest ``Snapshot`` (and probe summaries) through callables on every
scrape and turns them into metric families; the metric names and meanings are
documented in ``vrrptop.output.prometheus``.
"""

from __future__ import annotations

import dataclasses
import logging
import threading
from collections.abc import Callable, Iterable, Iterator, Mapping, Sequence
from typing import Any, get_args

from prometheus_client.metrics_core import (
    CounterMetricFamily,
    GaugeMetricFamily,
    InfoMetricFamily,
    Metric,
)

from vrrptop.capture.base import SourceState, SourceStatus
from vrrptop.model.expectation import InstanceKey
from vrrptop.model.health import ProbeTarget, TargetHealth
from vrrptop.model.snapshot import InstanceState, InstanceView, Snapshot
from vrrptop.output.prom_judgement import (
    bare_address,
    judgement_families,
    probe_host_names,
    vlan_label,
)
from vrrptop.output.prom_node import node_metrics

log = logging.getLogger(__name__)

Probes = Mapping[tuple[str, int], TargetHealth]
"""What the exporter reads of the probes: the probe board's summaries by target."""

_INSTANCE_LABELS = ("vrid", "family", "vlan", "name")

COUNTER_DOCS = {
    "frames": "Frames captured.",
    "adverts": "VRRP adverts decoded.",
    "malformed": "Frames that could not be decoded.",
    "dropped": "Frames lost by the kernel or the hand-over queue.",
    "carp": "CARP adverts seen (IP protocol 112, not VRRP).",
    "garps": "Gratuitous ARPs and unsolicited neighbour adverts seen.",
    "checksum_errors": "VRRP adverts with a bad checksum.",
    "evicted": "Table entries evicted because a cap was reached (floods).",
}


def _gauge(name: str, doc: str, labels: Sequence[str]) -> GaugeMetricFamily:
    return GaugeMetricFamily(name, doc, labels=labels)


def _counter(name: str, doc: str, labels: Sequence[str]) -> CounterMetricFamily:
    return CounterMetricFamily(name, doc, labels=labels)


def _mismatch(inst: InstanceView) -> bool:
    # The state word shows only the worst problem (split brain hides a mismatch);
    # the tracker also lists current mismatches in ``extra``.
    return inst.state == "mismatch" or bool(inst.mismatch) or inst.auth_mismatch


def _family(inst: InstanceView) -> str:
    return str(inst.family)


def _labels(inst: InstanceView) -> list[str]:
    return [str(inst.vrid), _family(inst), vlan_label(inst.vlan), inst.name or ""]


@dataclasses.dataclass(slots=True)
class _Seen:
    newest: float
    """``since`` of the newest master term already counted."""
    src: str
    """Its master's address."""
    changes: int


class _MasterChanges:
    """Counts changes of master address across scrapes.

    The snapshot's history is a bounded ring buffer that a reset empties, so counting
    its length would not give a counter; instead each scrape counts the terms newer
    than the last one seen whose master differs from the term before. A master that
    resumes after going silent starts a new term but is not a change.
    """

    def __init__(self) -> None:
        self._lock = threading.Lock()
        self._seen: dict[InstanceKey, _Seen] = {}

    def update(self, instances: Iterable[InstanceView]) -> dict[InstanceKey, int]:
        """Fold in the current histories and return the counts per instance."""
        with self._lock:
            seen: dict[InstanceKey, _Seen] = {}
            for inst in instances:
                key = inst.key
                state = self._seen.get(key)
                for term in inst.masters:
                    if state is None:  # the first master ever seen is not a change
                        state = _Seen(term.since, term.src, 0)
                    elif term.since > state.newest:
                        state.changes += term.src != state.src
                        state.newest, state.src = term.since, term.src
                if state is not None:
                    seen[key] = state
            self._seen = seen  # instances that vanished are forgotten: bounded memory
            return {key: state.changes for key, state in seen.items()}


class SnapshotCollector:
    """Turns the latest snapshot (and probe summaries) into metric families."""

    def __init__(
        self,
        get_snapshot: Callable[[], Snapshot],
        get_probes: Callable[[], Probes] | None = None,
        get_status: Callable[[], SourceStatus] | None = None,
    ) -> None:
        self._get_snapshot = get_snapshot
        self._get_probes = get_probes
        self._get_status = get_status
        self._changes = _MasterChanges()
        self._errors = 0
        self._lock = threading.Lock()

    def collect(self) -> Iterator[Metric]:
        """Called by the registry on every scrape (possibly from several threads)."""
        snap = self._read(self._get_snapshot, "snapshot")
        status = self._read(self._get_status, "capture status")
        probes = self._read(self._get_probes, "probe results")
        yield CounterMetricFamily(
            "vrrptop_exporter_errors",
            "Scrapes where the snapshot, status or probes could not be read.",
            value=self._errors,
        )
        if snap is not None:
            yield from self._instances(snap)
            yield from self._segment(snap)
            yield from judgement_families(snap)
            yield from node_metrics(snap.node)
        if status is not None:
            yield from self._status(status)
        if probes is not None:
            yield from self._probes(probes, snap)

    def _read(self, getter: Callable[[], Any] | None, what: str) -> Any:
        """Call a getter; on failure log it, count it and return None."""
        if getter is None:
            return None
        try:
            return getter()
        except Exception:  # a scrape must not take the exporter down
            with self._lock:
                self._errors += 1
                first = self._errors == 1
            # Prometheus scrapes every few seconds: one traceback, then debug lines.
            if first or log.isEnabledFor(logging.DEBUG):
                log.exception("prometheus: cannot read the %s", what)
            return None

    def _instances(self, snap: Snapshot) -> Iterator[Metric]:
        il = _INSTANCE_LABELS
        master = InfoMetricFamily(
            "vrrptop_instance_master", "Current master of the instance.", labels=il
        )
        prio = _gauge("vrrptop_instance_priority", "Priority advertised by the master.", il)
        interval = _gauge("vrrptop_instance_advert_interval_seconds", "Advert interval.", il)
        down = _gauge("vrrptop_instance_master_down_interval_seconds", "3 x interval + skew.", il)
        age = _gauge("vrrptop_instance_last_advert_age_seconds", "Since master's advert.", il)
        last = _gauge("vrrptop_instance_last_advert_timestamp_seconds", "Last advert.", il)
        adverts = _counter("vrrptop_instance_adverts", "Adverts seen.", il)
        changes = _counter("vrrptop_instance_master_changes", "Master changes seen.", il)
        split = _gauge("vrrptop_instance_split_brain", "1 while in split brain.", il)
        mismatch = _gauge("vrrptop_instance_mismatch", "1 while routers disagree.", il)
        state = _gauge("vrrptop_instance_state", "1 for the current state.", (*il, "state"))
        cksum = _counter("vrrptop_instance_checksum_errors", "Bad checksums.", il)
        problems = _counter("vrrptop_instance_problems", "Protocol problems.", (*il, "problem"))
        rprio = _gauge("vrrptop_router_priority", "Router's last priority.", (*il, "router"))
        rage = _gauge(
            "vrrptop_router_last_advert_age_seconds", "Since router's advert.", (*il, "router")
        )
        vip = _gauge(
            "vrrptop_vip_held_by_master", "VIP last announced by master.", (*il, "address")
        )
        counts = self._changes.update(snap.instances)
        for inst in snap.instances:
            lv = _labels(inst)
            if inst.master is not None:
                master.add_metric(lv, {"master": inst.master, "master_mac": inst.master_mac or ""})
            if inst.priority is not None:
                prio.add_metric(lv, inst.priority)
            interval.add_metric(lv, inst.interval_cs / 100)
            down.add_metric(lv, inst.master_down_s)
            age.add_metric(lv, inst.age_s)
            last.add_metric(lv, inst.last_seen)
            adverts.add_metric(lv, inst.adverts)
            changes.add_metric(lv, counts.get(inst.key, 0))
            split.add_metric(lv, float(inst.state == "split-brain"))
            mismatch.add_metric(lv, float(_mismatch(inst)))
            for name in get_args(InstanceState):
                state.add_metric([*lv, name], float(inst.state == name))
            cksum.add_metric(lv, inst.checksum_errors)
            for word, n in sorted(inst.problems.items()):
                problems.add_metric([*lv, word], n)
            for src in inst.sources:
                rprio.add_metric([*lv, src.src], src.priority)
                rage.add_metric([*lv, src.src], max(snap.ts - src.last_seen, 0.0))
            for holder in inst.vip_holders:
                if holder.holder_is_master is not None:
                    vip.add_metric([*lv, holder.address], float(holder.holder_is_master))
        yield from (master, prio, interval, down, age, last, adverts, changes, split, mismatch)
        yield from (state, cksum, problems, rprio, rage, vip)

    def _segment(self, snap: Snapshot) -> Iterator[Metric]:
        for f in dataclasses.fields(snap.counters):
            doc = COUNTER_DOCS.get(f.name, f"Counter {f.name}.")
            value = getattr(snap.counters, f.name)
            yield CounterMetricFamily(f"vrrptop_capture_{f.name}", doc, value=value)
        reasons = _counter(
            "vrrptop_capture_malformed_reasons", "Malformed frames by reason.", ("reason",)
        )
        for reason, n in sorted(snap.malformed_reasons.items()):
            reasons.add_metric([reason], n)
        yield reasons
        yield GaugeMetricFamily(
            "vrrptop_snapshot_timestamp_seconds", "Time of this snapshot.", value=snap.ts
        )
        count = len(snap.instances)
        yield GaugeMetricFamily("vrrptop_instances", "Instances tracked.", value=count)

    def _status(self, status: SourceStatus) -> Iterator[Metric]:
        fam = _gauge("vrrptop_capture_state", "1 for the capture's state.", ("source", "state"))
        for name in get_args(SourceState):
            fam.add_metric([status.name, name], float(status.state == name))
        yield fam

    def _probes(self, probes: Probes, snap: Snapshot | None) -> Iterator[Metric]:
        # ``host`` names the server a host target belongs to, so that these series
        # join ``vrrptop_host_in_service{host}``: the probe's own name when it has one,
        # else the declared (priority-file) host or the named router with that address.
        names = probe_host_names(snap) if snap is not None else {}
        lb = ("target", "role", "host")
        ok = _gauge("vrrptop_dns_ok", "1 when the last probe succeeded.", lb)
        lat = _gauge("vrrptop_dns_last_latency_seconds", "Last probe's latency.", lb)
        fails = _gauge("vrrptop_dns_consecutive_failures", "Failed probes in a row.", lb)
        for target, summary in sorted(latest_probes(probes).items()):
            view = probe_view(summary)
            host = view.host
            if not host and view.role == "host":
                host = names.get(bare_address(target), "")
            lv = [target, view.role, host]
            if view.ok is not None:  # None: not probed yet
                ok.add_metric(lv, float(view.ok))
            if view.latency_ms is not None:
                lat.add_metric(lv, view.latency_ms / 1000)
            if view.consecutive_failures is not None:
                fails.add_metric(lv, view.consecutive_failures)
        yield from (ok, lat, fails)


@dataclasses.dataclass(frozen=True, slots=True)
class ProbeView:
    """The few fields the exporter needs from a probe result or summary."""

    role: str
    host: str
    ok: bool | None
    latency_ms: float | None
    consecutive_failures: int | None


def probe_view(health: TargetHealth) -> ProbeView:
    """The exporter's fields of one target's health summary."""
    last = health.last
    return ProbeView(
        role=health.target.role,
        host=health.target.name or "",
        ok=health.ok,
        latency_ms=None if last is None else last.latency_ms,
        consecutive_failures=health.consecutive_failures,
    )


def target_label(target: ProbeTarget) -> str:
    """The ``target`` label: an address, or ``ADDR:PORT``/``[ADDR]:PORT`` off port 53."""
    address, port = target.address, target.port
    if port == 53:
        return address
    return f"[{address}]:{port}" if ":" in address else f"{address}:{port}"


def latest_probes(probes: Probes) -> dict[str, TargetHealth]:
    """``{target label: health}`` of the probe board's summaries."""
    return {target_label(h.target): h for h in probes.values()}
