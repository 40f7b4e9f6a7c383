"""Prometheus families for the declared-versus-observed judgement: alarms, expected
masters and priorities, and the hosts the priority files declare.

Split from ``prom_collector`` (the wire's view of the segment) because these come
from a different layer: the monitor's expectation and alarm lifecycle, attached to
the snapshot as typed values (``vrrptop.model.expectation``). Names and meanings are
documented in ``vrrptop.output.prometheus``.
"""

from __future__ import annotations

import ipaddress
from collections.abc import Iterator
from typing import get_args

from prometheus_client.metrics_core import GaugeMetricFamily, InfoMetricFamily, Metric

from vrrptop.model.events import Severity
from vrrptop.model.expectation import Alarm, InstanceKey
from vrrptop.model.snapshot import Snapshot

ALARM_LABELS = ("kind", "severity", "vrid", "family", "vlan", "name", "subject")
_KEY_LABELS = ("vrid", "family", "vlan")


def vlan_label(vlan: int | None) -> str:
    """The ``vlan`` label: the 802.1Q VLAN id, "" when untagged."""
    return "" if vlan is None else str(vlan)


def key_labels(key: InstanceKey | None) -> list[str]:
    """``vrid``, ``family``, ``vlan`` label values ("" for a segment-wide alarm)."""
    if key is None:
        return ["", "", ""]
    return [str(key.vrid), str(key.family), vlan_label(key.vlan)]


def bare_address(target: str) -> str:
    """The address in a ``target`` label: ``[2001:db8::53]:5353`` -> ``2001:db8::53``,
    ``198.51.100.11:5353`` -> ``198.51.100.11``, ``fe80::1%em1`` -> ``fe80::1``."""
    text = target
    if text.startswith("["):
        text = text[1:].partition("]")[0]
    elif text.count(":") == 1:
        text = text.partition(":")[0]
    text = text.partition("%")[0]
    try:
        return str(ipaddress.ip_address(text))
    except ValueError:
        return text


def probe_host_names(snap: Snapshot) -> dict[str, str]:
    """Address -> host name, from the declared hosts first, then named routers."""
    names: dict[str, str] = {}
    for declared in snap.declared_hosts:
        for address in declared.addresses:
            names.setdefault(bare_address(address), declared.name)
    for host in snap.hosts:
        if host.name:
            for address in host.addresses:
                names.setdefault(bare_address(address), host.name)
    return names


def _alarm_labels(alarm: Alarm) -> tuple[str, ...]:
    return (
        alarm.kind.value,
        alarm.severity,
        *key_labels(alarm.key),
        alarm.name or "",
        alarm.subject,
    )


def judgement_families(snap: Snapshot) -> Iterator[Metric]:
    """Every judgement family, present (possibly empty) in every scrape."""
    yield from _alarms(snap)
    yield from _expectations(snap)
    yield from _hosts(snap)


def _alarms(snap: Snapshot) -> Iterator[Metric]:
    raised = GaugeMetricFamily(
        "vrrptop_alarm", "1 while the alarm is raised (absent once cleared).", labels=ALARM_LABELS
    )
    since = GaugeMetricFamily(
        "vrrptop_alarm_since_timestamp_seconds",
        "When the raised alarm's condition was first seen.",
        labels=ALARM_LABELS,
    )
    counts = GaugeMetricFamily(
        "vrrptop_alarms", "Alarms raised now, by severity.", labels=("severity",)
    )
    by_severity: dict[str, int] = dict.fromkeys(get_args(Severity), 0)
    seen: set[tuple[str, ...]] = set()
    for alarm in snap.alarms:
        labels = _alarm_labels(alarm)
        if labels in seen:  # two alarms with the same labels: one series, not a bad scrape
            continue
        seen.add(labels)
        raised.add_metric(labels, 1.0)
        if alarm.since:
            since.add_metric(labels, alarm.since)
        by_severity[alarm.severity] = by_severity.get(alarm.severity, 0) + 1
    for severity, n in by_severity.items():
        counts.add_metric([severity], n)
    yield from (raised, since, counts)


def _expectations(snap: Snapshot) -> Iterator[Metric]:
    il = (*_KEY_LABELS, "name")
    expected = InfoMetricFamily(
        "vrrptop_instance_expected_master",
        "Host the priority files (and DNS health) predict as master.",
        labels=il,
    )
    settled = GaugeMetricFamily(
        "vrrptop_instance_settled",
        "1 when no recent change (file edit, master change) is still settling.",
        labels=il,
    )
    advertised = GaugeMetricFamily(
        "vrrptop_host_advertised_priority",
        "Priority the host last advertised for the instance.",
        labels=("host", *_KEY_LABELS),
    )
    for inst in snap.instances:
        exp = inst.expectation
        if exp is None:
            continue
        lv = [*key_labels(inst.key), inst.name or exp.name or ""]
        if exp.predicted_master is not None:
            expected.add_metric(lv, {"expected": exp.predicted_master})
        settled.add_metric(lv, float(exp.settled))
        for host in exp.hosts:
            if host.advertised_priority is not None:
                advertised.add_metric([host.name, *key_labels(inst.key)], host.advertised_priority)
    yield from (expected, settled, advertised)


def _hosts(snap: Snapshot) -> Iterator[Metric]:
    in_service = GaugeMetricFamily(
        "vrrptop_host_in_service",
        "1 when a priority file lists the host uncommented, 0 when taken out of service.",
        labels=("host",),
    )
    healthy = GaugeMetricFamily(
        "vrrptop_host_dns_healthy",
        "1 when the host's own DNS answers (absent when not probed).",
        labels=("host",),
    )
    expected = GaugeMetricFamily(
        "vrrptop_host_expected_priority",
        "Priority the host should advertise for the instance.",
        labels=("host", *_KEY_LABELS),
    )
    done: set[str] = set()
    for host in snap.declared_hosts:
        if host.name in done:
            continue
        done.add(host.name)
        in_service.add_metric([host.name], float(host.in_service))
        if host.healthy is not None:
            healthy.add_metric([host.name], float(host.healthy))
        for key, priority in dict(host.expected).items():
            expected.add_metric([host.name, *key_labels(key)], priority)
    yield from (in_service, healthy, expected)
