"""Wording of declared-versus-observed and DNS health cells (no textual)."""

from __future__ import annotations

import sys
from dataclasses import replace
from pathlib import Path

import pytest

sys.path.insert(0, str(Path(__file__).resolve().parents[2]))

from tests.ui.scenario import T0, after_failover, steady  # noqa: E402
from tests.ui.scenario_health import (  # noqa: E402
    MASTER_DNS,
    correlated_failover,
    health,
    target_health,
)
from vrrptop.model.expectation import AlarmKind  # noqa: E402
from vrrptop.ui import health_view as hv  # noqa: E402
from vrrptop.ui.health_detail import expectation_section  # noqa: E402
from vrrptop.ui.rows import (  # noqa: E402
    host_cells,
    host_columns,
    instance_cells,
    instance_columns,
    instance_key,
    instance_masters,
)


def _render(renderable: object, width: int = 160) -> str:
    from rich.console import Console

    console = Console(width=width, record=True, color_system=None)
    console.print(renderable)
    return console.export_text()


def _inst(snap, vrid: int, family: int = 4):  # type: ignore[no-untyped-def]
    return next(i for i in snap.instances if (i.vrid, i.family) == (vrid, family))


def test_expected_cell_agree_mismatch_settling_and_none() -> None:
    snap = correlated_failover()
    assert hv.expected_cell(_inst(snap, 210)) == ("recdns-rnb", None)
    assert hv.expected_cell(_inst(snap, 211)) == ("recdns-sby ≠", "bad")
    assert hv.expected_cell(_inst(snap, 210, 6)) == ("recdns-rnb ~3s", "dim")
    assert hv.expected_cell(steady().instances[0]) == ("-", "dim")


def test_state_cell_counts_alarms_in_words() -> None:
    snap = correlated_failover()
    assert hv.state_cell(_inst(snap, 210)) == ("ok", "ok")
    assert hv.state_cell(_inst(snap, 211)) == ("ok +3 ALARMS", "bad")
    warn = replace(MASTER_DNS, kind=AlarmKind.PRIORITY_MISMATCH, severity="warning")
    one = replace(_inst(snap, 211), alarms=(warn,))
    assert hv.state_cell(one) == ("ok +1 ALARM", "warn")
    silent = _inst(snap, 210, 6)
    assert hv.state_cell(silent) == ("SILENT", "bad")


def test_alarm_summary_groups_by_kind_errors_first() -> None:
    snap = correlated_failover()
    warn = replace(
        MASTER_DNS, kind=AlarmKind.PRIORITY_MISMATCH, severity="warning", subject="recdns-wcdc"
    )
    first = replace(_inst(snap, 210), alarms=(warn,))
    instances = [first, *snap.instances[1:]]
    text = "".join(t for t, _ in hv.alarm_summary(instances) or [])
    assert text == (
        " 4 ALARMS: master-mismatch testdns1, master-dns-failing recdns-cnh,"
        " vip-dns-failing 203.0.113.120, priority-mismatch recdns-wcdc"
    )


def test_alarm_summary_counts_a_subject_once_and_says_no_alarms() -> None:
    snap = correlated_failover()
    mism = _inst(snap, 211)
    twice = [mism, replace(mism, family=6)]  # same instance name in both families
    text = "".join(t for t, _ in hv.alarm_summary(twice) or [])
    assert text.startswith(" 3 ALARMS: master-mismatch testdns1,")
    assert hv.alarm_summary([_inst(snap, 210)]) == [(" no alarms", "ok")]
    assert hv.alarm_summary(steady().instances) is None  # no configuration: silent


@pytest.mark.parametrize(
    ("status", "rcode", "word"),
    [
        ("ok", "NOERROR", "ok"),
        ("timeout", None, "timeout"),
        ("refused", None, "refused"),
        ("wrong-answer", "NOERROR", "wrong"),
        ("network-error", None, "neterr"),
        ("rcode", "SERVFAIL", "SERVFAIL"),
    ],
)
def test_dns_cell_words(status: str, rcode: str | None, word: str) -> None:
    th = target_health("198.51.100.11", "host", [(status, 1.0)], "x")  # type: ignore[list-item]
    th = replace(th, last=replace(th.last, rcode=rcode))  # type: ignore[type-var]
    cell = hv.dns_cell(th)
    assert cell[0] == word
    assert cell[1] == ("ok" if status == "ok" else "bad")


def test_dns_cell_not_probed_and_latency() -> None:
    assert hv.dns_cell(None) == hv.NOT_PROBED
    ok = target_health("198.51.100.11", "host", [("ok", 1.25)], "x")
    assert hv.latency_cell(ok) == ("1.2ms", None)
    slow = target_health("198.51.100.11", "host", [("ok", 345.0)], "x")
    assert hv.latency_cell(slow) == ("345ms", None)
    failed = target_health("198.51.100.11", "host", [("timeout", None)], "x")
    assert hv.latency_cell(failed) == ("-", "bad")


def test_latency_spark_marks_failures_and_scales_over_answers() -> None:
    spark = hv.latency_spark([1.0, None, 8.0, 1.0, None], width=10)
    assert spark == "▁×█▁×"
    flat = hv.latency_spark([2.0] * 30, width=10)
    assert len(flat) == 10 and len(set(flat)) == 1 and hv.FAIL_MARK not in flat
    assert hv.latency_spark([None, None]) == "××"
    assert hv.latency_spark([]) == ""


def test_host_health_prefers_a_failing_address() -> None:
    snap = after_failover()
    cnh = next(h for h in snap.hosts if h.name == "recdns-cnh")
    board = health()
    v6 = cnh.addresses[1]
    board[v6] = target_health(v6, "host", [("ok", 1.0)], "recdns-cnh")
    assert hv.host_health(cnh, board).status == "timeout"
    assert hv.host_health(cnh, {}) is None


def test_priority_text_and_expected_priority_by_short_name() -> None:
    assert hv.priority_text(250, 250) == ("250/250", False)
    assert hv.priority_text(200, 250) == ("200≠250", True)
    assert hv.priority_text(200, None) == ("200", False)
    snap = correlated_failover()
    fqdn = replace(snap.hosts[1], name="recdns-rnb.example.net")
    assert hv.expected_priority(_inst(snap, 211), fqdn) == 150
    assert hv.expected_priority(None, fqdn) is None


def test_instance_columns_expected_only_when_correlated() -> None:
    ids = [c.id for c in instance_columns(80, correlated=False)]
    assert "expected" not in ids and "vips" in ids
    ids = [c.id for c in instance_columns(80, correlated=True)]
    assert ids.index("expected") == ids.index("master") + 1 and "vips" not in ids
    assert "vips" in [c.id for c in instance_columns(100, correlated=True)]
    snap = correlated_failover()
    cols = instance_columns(80, correlated=True)
    cells = instance_cells(_inst(snap, 211), cols, {}, show_names=True, wide=False)
    by_id = {c.id: cell[0] for c, cell in zip(cols, cells, strict=True)}
    assert by_id["state"] == "ok +3 ALARMS" and by_id["expected"] == "recdns-sby ≠"


def test_host_cells_dns_and_expected_priorities() -> None:
    snap = correlated_failover()
    keys = [instance_key(i) for i in snap.instances]
    views = {instance_key(i): i for i in snap.instances}
    masters = instance_masters(snap.instances)
    cnh = next(h for h in snap.hosts if h.name == "recdns-cnh")
    rnb = next(h for h in snap.hosts if h.name == "recdns-rnb")
    for width in (80, 160):
        cols = host_columns(keys, dns=True, width=width)
        args = {"show_names": True, "health": snap.health, "views": views, "width": width}
        cells = dict(
            zip(
                [c.id for c in cols],
                host_cells(cnh, keys, masters, snap.ts, **args),  # type: ignore[arg-type]
                strict=True,
            )
        )
        assert cells["dns"] == ("timeout", "bad") and cells["lat"] == ("-", "bad")
        assert cells["i211/4"] == ("250≠50 MASTER", "warn")
        assert ("spark" in cells) == (width >= 100) and ("macs" in cells) == (width >= 120)
        if width < 120:
            assert cells["addrs"][0] == "198.51.100.11 +1"
        else:
            assert cells["spark"][0] == "▁█××"
    args = {"show_names": True, "health": snap.health, "views": views}
    cells = host_cells(rnb, keys, masters, snap.ts, **args)  # type: ignore[arg-type]
    assert cells[1] == ("ok", "ok") and "200/200 MASTER" in [c[0] for c in cells]
    # without probing nor a prediction: the table is as before, compact when narrow
    plain = host_cells(rnb, keys, masters, T0 + 110, show_names=True)
    assert len(plain) == len(host_columns(keys)) and plain[1][0].startswith("198.51.100.12,")
    narrow = host_cells(rnb, keys, masters, T0 + 110, show_names=True, width=80)
    assert len(narrow) == len(host_columns(keys, width=80)) == len(plain) - 1
    assert narrow[1] == ("198.51.100.12 +1", None) and narrow[2][0] == "200 MASTER"


def test_expectation_section_lists_hosts_dns_and_alarms() -> None:
    snap = correlated_failover()
    text = _render(expectation_section(_inst(snap, 211), snap.hosts, snap.health))
    assert "expected master recdns-sby ≠   observed recdns-cnh" in text
    numeric = _render(expectation_section(_inst(snap, 211), snap.hosts, snap.health, False))
    head = numeric.splitlines()[1]  # `n`: both masters by address, like every column
    assert "observed 198.51.100.11" in head, head  # (sby's address is unknown here)
    assert "(settled)" in text
    lines = {line.split()[0]: line.split() for line in text.splitlines() if line.strip()}
    assert lines["recdns-cnh"][:5] == ["recdns-cnh", "50", "250", "≠", "timeout"]
    assert lines["recdns-sby"][:5] == ["recdns-sby", "250", "150", "≠", "ok"]
    assert "ERR  master-mismatch: testdns1 (VRID 211 (IPv4)): master is recdns-cnh" in text
    assert "vip-dns-failing" in text
    settling = _render(expectation_section(_inst(snap, 210, 6), snap.hosts, {}))
    assert "(settling, 3s left)" in settling and "\nnone" in settling
    assert "DNS not probed" in settling and "latency" not in settling  # no empty columns
    assert _render(expectation_section(steady().instances[0], (), {})).strip() == ""


def test_state_sort_puts_alarms_with_the_worst() -> None:
    from vrrptop.ui.format import sort_instances

    snap = correlated_failover()
    order = [(i.vrid, i.family) for i in sort_instances(snap.instances, "state")]
    # SILENT first, then the ok instance with alarms, then the calm ok one
    assert order == [(210, 6), (211, 4), (210, 4)]
    plain = [(i.vrid, i.family) for i in sort_instances(after_failover().instances, "state")]
    assert plain == [(210, 6), (210, 4), (211, 4)]
