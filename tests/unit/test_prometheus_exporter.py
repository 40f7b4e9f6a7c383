"""The Prometheus exporter, scraped over HTTP and parsed with prometheus_client's parser."""

from __future__ import annotations

import re
import socket
import urllib.request
from collections.abc import Iterator
from dataclasses import replace

import pytest

import vrrptop.output.prometheus as prom
from tests.unit.prom_samples import (
    HOST,
    MAC_B,
    NOW,
    ODD,
    VIP,
    A,
    B,
    Holder,
    Samples,
    full_exposition,
    health,
    inst_labels,
    instance,
    parse,
    result,
    snapshot,
    value,
)
from vrrptop.capture.base import SourceStatus
from vrrptop.errors import VrrptopError
from vrrptop.model.snapshot import MasterTerm, Snapshot
from vrrptop.output.prometheus import Exporter, PrometheusMetrics, start_exporter


def scrape(exporter: Exporter) -> tuple[Samples, dict[str, str]]:
    with urllib.request.urlopen(f"http://127.0.0.1:{exporter.port}/metrics", timeout=5) as r:
        assert r.status == 200
        assert r.headers["Content-Type"].startswith("text/plain")
        return parse(r.read().decode())


@pytest.fixture
def holder() -> Holder:
    return Holder(snapshot(instance(), frames=1000, adverts=900, malformed=4, dropped=7))


@pytest.fixture
def exporter(holder: Holder) -> Iterator[Exporter]:
    exp = start_exporter("127.0.0.1:0", holder)
    yield exp
    exp.stop()


def test_scrape_reports_the_snapshot_values(exporter: Exporter, holder: Holder) -> None:
    assert exporter.port > 0 and exporter.url == f"http://127.0.0.1:{exporter.port}/metrics"
    assert exporter.where == f"127.0.0.1 port {exporter.port}"
    inst = holder.snap.instances[0]
    lab = inst_labels(inst)
    samples, types = scrape(exporter)

    info = {**lab, "master": inst.master, "master_mac": inst.master_mac}
    assert types["vrrptop_instance_master_info"] == "gauge"  # info, in the text format
    assert value(samples, "vrrptop_instance_master_info", **info) == 1
    assert value(samples, "vrrptop_instance_priority", **lab) == inst.priority
    assert value(samples, "vrrptop_instance_advert_interval_seconds", **lab) == pytest.approx(
        inst.interval_cs / 100
    )
    assert value(samples, "vrrptop_instance_last_advert_age_seconds", **lab) == inst.age_s
    assert value(samples, "vrrptop_instance_master_down_interval_seconds", **lab) == 3.02
    assert value(samples, "vrrptop_instance_adverts_total", **lab) == inst.adverts
    assert types["vrrptop_instance_adverts"] == "counter"
    assert value(samples, "vrrptop_instance_master_changes_total", **lab) == 0
    assert value(samples, "vrrptop_instance_split_brain", **lab) == 0
    assert value(samples, "vrrptop_instance_mismatch", **lab) == 0
    assert value(samples, "vrrptop_instance_state", **lab, state="ok") == 1
    assert value(samples, "vrrptop_instance_state", **lab, state="silent") == 0
    assert value(samples, "vrrptop_instance_checksum_errors_total", **lab) == 2
    assert value(samples, "vrrptop_instance_problems_total", **lab, problem="ttl-not-255") == 3
    # every router of the instance, with its own priority and age
    for src in inst.sources:
        rl = {**lab, "router": src.src}
        assert value(samples, "vrrptop_router_priority", **rl) == src.priority
        age = value(samples, "vrrptop_router_last_advert_age_seconds", **rl)
        assert age == pytest.approx(NOW - src.last_seen)
    held = {h.address: h.holder_is_master for h in inst.vip_holders}
    for address, is_master in held.items():
        key = ("vrrptop_vip_held_by_master", frozenset({**lab, "address": address}.items()))
        if is_master is None:
            assert key not in samples
        else:
            assert samples[key] == float(is_master)
    # segment counters
    counters = holder.snap.counters
    for field in ("frames", "adverts", "malformed", "dropped", "checksum_errors", "evicted"):
        assert types[f"vrrptop_capture_{field}"] == "counter"
        assert value(samples, f"vrrptop_capture_{field}_total") == getattr(counters, field)
    assert value(samples, "vrrptop_capture_malformed_reasons_total", reason="short-header") == 4
    assert value(samples, "vrrptop_snapshot_timestamp_seconds") == NOW
    assert value(samples, "vrrptop_instances") == 1
    assert value(samples, "vrrptop_exporter_errors_total") == 0


def test_scrape_follows_snapshot_changes(exporter: Exporter, holder: Holder) -> None:
    first = holder.snap.instances[0]
    lab = inst_labels(first)
    scrape(exporter)
    # B takes over, then A and B both claim mastership: one change, split brain.
    terms = (
        replace(first.masters[0], until=NOW + 5),
        MasterTerm(src=B, since=NOW + 5, until=None, priority=200),
    )
    changed = replace(
        first,
        master=B,
        master_mac=MAC_B,
        priority=200,
        adverts=first.adverts + 10,
        masters=terms,
        state="split-brain",
    )
    holder.snap = replace(snapshot(changed, frames=2000), ts=NOW + 10)
    samples, _ = scrape(exporter)
    assert value(samples, "vrrptop_instance_master_info", **lab, master=B, master_mac=MAC_B) == 1
    masters = [dict(lv) for n, lv in samples if n == "vrrptop_instance_master_info"]
    assert [m["master"] for m in masters] == [B]  # the old master's series is gone
    assert value(samples, "vrrptop_instance_priority", **lab) == 200
    assert value(samples, "vrrptop_instance_adverts_total", **lab) == first.adverts + 10
    assert value(samples, "vrrptop_instance_master_changes_total", **lab) == 1
    assert value(samples, "vrrptop_instance_split_brain", **lab) == 1
    assert value(samples, "vrrptop_instance_state", **lab, state="split-brain") == 1
    assert value(samples, "vrrptop_instance_state", **lab, state="ok") == 0
    assert value(samples, "vrrptop_capture_frames_total") == 2000


def test_master_changes_stay_monotonic_when_history_ring_drops_terms() -> None:
    terms = [
        MasterTerm(src=A if i % 2 else B, since=NOW + i, until=None, priority=100)
        for i in range(10)
    ]
    holder = Holder(snapshot(instance(masters=tuple(terms[:4]))))
    metrics = PrometheusMetrics(holder)
    lab = inst_labels(holder.snap.instances[0])

    def changes() -> float:
        return value(
            parse(metrics.render().decode())[0], "vrrptop_instance_master_changes_total", **lab
        )

    assert changes() == 3  # four terms seen at once: three changes
    # the ring buffer (4 terms) dropped terms 0..3, which were already counted
    holder.snap = snapshot(instance(masters=tuple(terms[4:8])))
    assert changes() == 3 + 4  # terms 4..7 are new
    assert changes() == 7  # a scrape without news adds nothing
    holder.snap = snapshot(instance(masters=()))  # e.g. after a reset
    assert changes() == 7
    # after the reset: the same master resumes (not a change), then another takes over
    resumed = MasterTerm(src=terms[7].src, since=NOW + 20, until=None, priority=100)
    other = MasterTerm(src=A if resumed.src == B else B, since=NOW + 30, until=None, priority=1)
    holder.snap = snapshot(instance(masters=(resumed,)))
    assert changes() == 7
    holder.snap = snapshot(instance(masters=(resumed, other)))
    assert changes() == 8


def test_mismatch_shown_even_under_a_worse_state() -> None:
    inst = instance(state="split-brain", mismatch={"interval_cs": {A: 100, B: 200}})
    samples, _ = parse(PrometheusMetrics(Holder(snapshot(inst))).render().decode())
    assert value(samples, "vrrptop_instance_mismatch", **inst_labels(inst)) == 1
    assert value(samples, "vrrptop_instance_split_brain", **inst_labels(inst)) == 1


def test_mismatch_flag_and_unknown_master() -> None:
    inst = instance(state="mismatch", master=None, master_mac=None, priority=None)
    samples, _ = parse(PrometheusMetrics(Holder(snapshot(inst))).render().decode())
    lab = inst_labels(inst)
    assert value(samples, "vrrptop_instance_mismatch", **lab) == 1
    assert value(samples, "vrrptop_instance_split_brain", **lab) == 0
    assert not any(name == "vrrptop_instance_master_info" for name, _ in samples)
    assert not any(name == "vrrptop_instance_priority" for name, _ in samples)


def test_hostile_label_values_round_trip() -> None:
    name = 'evil"name\\with\nnewline'
    inst = instance(name=name)
    samples, _ = parse(PrometheusMetrics(Holder(snapshot(inst))).render().decode())
    assert value(samples, "vrrptop_instance_priority", **inst_labels(inst)) == inst.priority


def test_probe_summaries_and_histogram() -> None:
    board = {
        VIP.address: health(VIP, result(NOW, VIP, False, "timeout", None), 3),
        (HOST.address, 53): health(HOST, result(NOW, HOST, True, "ok", 4.0), 0),
        (ODD.address, ODD.port): health(ODD, None, 0),
    }
    metrics = PrometheusMetrics(Holder(snapshot()), get_probes=lambda: board)
    for probe in (
        result(NOW, HOST, True, "ok", 4.0),
        result(NOW, HOST, True, "ok", 30.0),
        result(NOW, VIP, False, "timeout", None),
    ):
        metrics.observe_probe(probe)
    samples, types = parse(metrics.render().decode())
    vip = {"target": VIP.address, "role": "vip", "host": ""}
    host = {"target": HOST.address, "role": "host", "host": "recdns-cnh"}
    assert value(samples, "vrrptop_dns_ok", **vip) == 0
    assert value(samples, "vrrptop_dns_ok", **host) == 1
    assert value(samples, "vrrptop_dns_consecutive_failures", **vip) == 3
    assert value(samples, "vrrptop_dns_last_latency_seconds", **host) == pytest.approx(0.004)
    assert ("vrrptop_dns_last_latency_seconds", frozenset(vip.items())) not in samples
    odd = {"target": f"[{ODD.address}]:5353", "role": "host", "host": ""}
    assert ("vrrptop_dns_ok", frozenset(odd.items())) not in samples  # never probed
    assert value(samples, "vrrptop_dns_consecutive_failures", **odd) == 0

    assert types["vrrptop_dns_latency_seconds"] == "histogram"
    t = {"target": HOST.address}
    assert value(samples, "vrrptop_dns_latency_seconds_count", **t) == 2
    assert value(samples, "vrrptop_dns_latency_seconds_sum", **t) == pytest.approx(0.034)
    assert value(samples, "vrrptop_dns_latency_seconds_bucket", **t, le="0.005") == 1
    assert value(samples, "vrrptop_dns_latency_seconds_bucket", **t, le="0.05") == 2
    assert value(samples, "vrrptop_dns_probes_total", target=HOST.address, status="ok") == 2
    assert value(samples, "vrrptop_dns_probes_total", target=VIP.address, status="timeout") == 1


def test_capture_state_and_broken_getters() -> None:
    def broken() -> Snapshot:
        raise RuntimeError("engine gone")

    status = SourceStatus(name="em1", kind="live", state="lost")
    metrics = PrometheusMetrics(broken, get_status=lambda: status)
    samples, _ = parse(metrics.render().decode())
    assert value(samples, "vrrptop_capture_state", source="em1", state="lost") == 1
    assert value(samples, "vrrptop_capture_state", source="em1", state="running") == 0
    assert value(samples, "vrrptop_exporter_errors_total") == 1
    samples, _ = parse(metrics.render().decode())
    assert value(samples, "vrrptop_exporter_errors_total") == 2
    assert not any(name.startswith("vrrptop_instance") for name, _ in samples)


def test_every_exposed_metric_is_documented() -> None:
    _, types = parse(full_exposition())
    doc = prom.__doc__ or ""
    documented = set(re.findall(r"``(vrrptop_\w+)", doc))
    # "..._adverts_total" shorthand in the docstring stands for vrrptop_capture_*
    documented |= {f"vrrptop_capture_{w}" for w in re.findall(r"``\.\.\._(\w+)_total``", doc)}
    for family, kind in types.items():
        if family.endswith("_created"):  # prometheus_client's creation-time companions
            continue
        exposed = family + ("_total" if kind == "counter" else "")
        assert exposed in documented or family in documented, family


def test_stop_closes_the_port(holder: Holder) -> None:
    exp = start_exporter("127.0.0.1:0", holder)
    port = exp.port
    exp.stop()
    exp.stop()  # idempotent
    with pytest.raises(OSError), socket.create_connection(("127.0.0.1", port), timeout=2):
        pass


def test_default_binds_all_addresses(holder: Holder) -> None:
    exp = start_exporter("0", holder)
    try:
        assert exp.host in ("::", "0.0.0.0")
        assert exp.where == f"port {exp.port} on all addresses"
        loop = "::1" if exp.host == "::" else "127.0.0.1"
        with socket.create_connection((loop, exp.port), timeout=2):
            pass
    finally:
        exp.stop()


def test_port_in_use_is_a_clear_error(exporter: Exporter, holder: Holder) -> None:
    with pytest.raises(VrrptopError, match=r"--prometheus 127\.0\.0\.1:\d+: cannot listen") as e:
        start_exporter(f"127.0.0.1:{exporter.port}", holder)
    assert e.value.exit_code == 69
