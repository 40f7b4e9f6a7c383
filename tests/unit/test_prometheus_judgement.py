"""Alarms, expectations and declared hosts in the Prometheus exposition, scraped over
HTTP from a snapshot built of the real typed values (``model.expectation``)."""

from __future__ import annotations

import urllib.request
from collections.abc import Iterator
from dataclasses import replace

import pytest

from tests.unit.prom_samples import (
    HOST,
    NOW,
    VIP,
    Holder,
    Samples,
    Target,
    health,
    judged_snapshot,
    parse,
    result,
    value,
)
from vrrptop.model.expectation import AlarmKind
from vrrptop.output.prom_judgement import bare_address
from vrrptop.output.prometheus import Exporter, PrometheusMetrics, start_exporter


def scrape(exporter: Exporter) -> Samples:
    with urllib.request.urlopen(exporter.url.replace("[::]", "127.0.0.1"), timeout=5) as r:
        return parse(r.read().decode())[0]


def series(samples: Samples, metric: str) -> list[dict[str, str]]:
    return sorted(
        (dict(labels) for name, labels in samples if name == metric),
        key=lambda d: sorted(d.items()),
    )


@pytest.fixture
def holder() -> Holder:
    return Holder(judged_snapshot())


@pytest.fixture
def exporter(holder: Holder) -> Iterator[Exporter]:
    exp = start_exporter("127.0.0.1:0", holder)
    yield exp
    exp.stop()


def test_raised_alarms_are_series_with_every_label(exporter: Exporter) -> None:
    samples = scrape(exporter)
    alarms = series(samples, "vrrptop_alarm")
    assert {a["kind"] for a in alarms} == {
        "master-mismatch",
        "priority-mismatch",
        "vip-holder-not-master",
        "names-unresolved",
    }
    mismatch = next(a for a in alarms if a["kind"] == "master-mismatch")
    assert mismatch == {
        "kind": "master-mismatch",
        "severity": "error",
        "vrid": "210",
        "family": "4",
        "vlan": "",
        "name": "testdns0",
        "subject": "VRID 210 (IPv4)",
    }
    assert value(samples, "vrrptop_alarm", **mismatch) == 1
    assert value(samples, "vrrptop_alarm_since_timestamp_seconds", **mismatch) == NOW - 9
    # segment-wide: empty instance labels
    unresolved = next(a for a in alarms if a["kind"] == "names-unresolved")
    assert (unresolved["vrid"], unresolved["family"], unresolved["vlan"]) == ("", "", "")
    assert unresolved["severity"] == "warning" and unresolved["subject"] == "recdns-xyz"
    # an alarm without a since stamp has no since series
    holder_labels = next(a for a in alarms if a["kind"] == "vip-holder-not-master")
    key = ("vrrptop_alarm_since_timestamp_seconds", frozenset(holder_labels.items()))
    assert key not in samples
    assert value(samples, "vrrptop_alarms", severity="error") == 2
    assert value(samples, "vrrptop_alarms", severity="warning") == 2
    assert value(samples, "vrrptop_alarms", severity="info") == 0


def test_a_cleared_alarm_disappears_and_counts_drop(exporter: Exporter, holder: Holder) -> None:
    before = series(scrape(exporter), "vrrptop_alarm")
    assert any(a["kind"] == "master-mismatch" for a in before)
    snap = holder.snap
    holder.snap = replace(
        snap, alarms=tuple(a for a in snap.alarms if a.kind is not AlarmKind.MASTER_MISMATCH)
    )
    samples = scrape(exporter)
    after = series(samples, "vrrptop_alarm")
    assert [a for a in before if a["kind"] != "master-mismatch"] == after
    assert value(samples, "vrrptop_alarms", severity="error") == 1
    holder.snap = replace(snap, alarms=())
    samples = scrape(exporter)
    assert series(samples, "vrrptop_alarm") == []
    assert all(value(samples, "vrrptop_alarms", severity=s) == 0 for s in ("error", "warning"))


def test_expected_master_and_priorities(exporter: Exporter) -> None:
    samples = scrape(exporter)
    lab4 = {"vrid": "210", "family": "4", "vlan": "", "name": "testdns0"}
    lab6 = {**lab4, "family": "6"}
    info = series(samples, "vrrptop_instance_expected_master_info")
    assert info == [{**lab4, "expected": "recdns-wcdc"}, {**lab6, "expected": "recdns-wcdc"}]
    # the observed master is on the wire series; the two join on vrid/family/vlan/name
    masters = series(samples, "vrrptop_instance_master_info")
    assert {m["master"] for m in masters if m["vlan"] == "" and m["family"] == "4"} == {
        "198.51.100.12"
    }
    assert value(samples, "vrrptop_instance_settled", **lab4) == 1
    assert value(samples, "vrrptop_instance_settled", **lab6) == 0
    host = {"vrid": "210", "family": "4", "vlan": ""}
    assert value(samples, "vrrptop_host_expected_priority", host="recdns-wcdc", **host) == 250
    assert value(samples, "vrrptop_host_expected_priority", host="recdns-rnb", **host) == 50
    six = {**host, "family": "6"}
    assert value(samples, "vrrptop_host_expected_priority", host="recdns-wcdc", **six) == 250
    assert value(samples, "vrrptop_host_advertised_priority", host="recdns-wcdc", **host) == 50
    assert value(samples, "vrrptop_host_advertised_priority", host="recdns-sby", **host) == 200
    # recdns-cnh never advertised: expected, but no advertised series
    key = ("vrrptop_host_advertised_priority", frozenset({"host": "recdns-cnh", **host}.items()))
    assert key not in samples


def test_hosts_in_service_and_health(exporter: Exporter) -> None:
    samples = scrape(exporter)
    assert value(samples, "vrrptop_host_in_service", host="recdns-wcdc") == 1
    assert value(samples, "vrrptop_host_in_service", host="recdns-rnb") == 0
    assert value(samples, "vrrptop_host_dns_healthy", host="recdns-rnb") == 0
    assert value(samples, "vrrptop_host_dns_healthy", host="recdns-sby") == 1
    # recdns-cnh was not probed: in service, health unknown
    assert value(samples, "vrrptop_host_in_service", host="recdns-cnh") == 1
    assert ("vrrptop_host_dns_healthy", frozenset({"host": "recdns-cnh"}.items())) not in samples


def test_instance_series_carry_the_vlan(exporter: Exporter) -> None:
    samples = scrape(exporter)
    untagged = {"vrid": "210", "family": "4", "vlan": "", "name": "testdns0"}
    trunk = {"vrid": "210", "family": "4", "vlan": "20", "name": "lab20"}
    assert value(samples, "vrrptop_instance_priority", **untagged) == 200
    assert value(samples, "vrrptop_instance_priority", **trunk) == 250
    assert value(samples, "vrrptop_instance_split_brain", **trunk) == 0
    routers = series(samples, "vrrptop_router_priority")
    assert {r["vlan"] for r in routers} == {"", "20"}


def test_host_probe_targets_are_named_after_the_declared_host(holder: Holder) -> None:
    """A host target probed without a name (it was found on the wire) is labelled with
    the declared host owning the address, so DNS series join vrrptop_host_in_service."""
    rnb = Target("198.51.100.14", "host")  # recdns-rnb, out of service, DNS failing
    scoped = Target("2001:db8::12", "host", port=5353)  # recdns-sby's IPv6
    board = {
        VIP.address: health(VIP, result(NOW, VIP, True, "ok", 1.0), 0),
        HOST.address: health(HOST, result(NOW, HOST, True, "ok", 2.0), 0),  # named: kept
        rnb.address: health(rnb, result(NOW, rnb, False, "timeout", None), 4),
        (scoped.address, 5353): health(scoped, result(NOW, scoped, True, "ok", 1.0), 0),
    }
    metrics = PrometheusMetrics(holder, get_probes=lambda: board)
    samples, _ = parse(metrics.render().decode())
    ok = {d["target"]: d["host"] for d in series(samples, "vrrptop_dns_ok")}
    assert ok == {
        VIP.address: "",  # a VIP is nobody's host
        HOST.address: "recdns-cnh",  # the probe's own name wins
        rnb.address: "recdns-rnb",
        "[2001:db8::12]:5353": "recdns-sby",
    }
    assert value(samples, "vrrptop_dns_ok", target=rnb.address, role="host", host="recdns-rnb") == 0


@pytest.mark.parametrize(
    ("label", "address"),
    [
        ("198.51.100.11", "198.51.100.11"),
        ("198.51.100.11:5353", "198.51.100.11"),
        ("[2001:db8::53]:5353", "2001:db8::53"),
        ("fe80::1%em1", "fe80::1"),
        ("[fe80::1%em1]:5353", "fe80::1"),
        ("2001:DB8::0:53", "2001:db8::53"),
    ],
)
def test_bare_address(label: str, address: str) -> None:
    assert bare_address(label) == address


def test_nothing_declared_gives_empty_families() -> None:
    """Without a configuration the families are present but empty (no stale series),
    and the severity counts are 0, so `vrrptop_alarms == 0` rules never see nothing."""
    snap = replace(judged_snapshot(), alarms=(), declared_hosts=())
    snap = replace(snap, instances=tuple(replace(i, expectation=None) for i in snap.instances))
    samples, types = parse(PrometheusMetrics(Holder(snap)).render().decode())
    for family in ("vrrptop_alarm", "vrrptop_host_in_service", "vrrptop_host_expected_priority"):
        assert family in types and series(samples, family) == []
    assert value(samples, "vrrptop_alarms", severity="error") == 0
