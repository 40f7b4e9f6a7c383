"""--json and --report carry the local keepalived's view (``Snapshot.node``)."""

from __future__ import annotations

import io
import json
from pathlib import Path

from rich.console import Console

from vrrptop.keepalived.dumps import merge, parse_data, parse_json
from vrrptop.model.node import NodeState
from vrrptop.model.snapshot import Counters, Snapshot
from vrrptop.output.jsonl import JsonLinesWriter, snapshot_json
from vrrptop.output.report import print_report

DATA = Path(__file__).resolve().parents[1] / "data" / "keepalived" / "2.2.7"


def node(scenario: str = "seed") -> NodeState:
    data = parse_data((DATA / f"{scenario}.data").read_text())
    inst = merge(parse_json((DATA / f"{scenario}.json").read_text()), data.instances)
    return NodeState(
        ts=7.0,
        pid=4242,
        instances=inst,
        router_id=data.router_id,
        config_files=("/etc/keepalived/keepalived.conf",),
        findings=("keepalived runs instance x (VRID 9) that vrrptop did not find",),
    )


def test_keepalived_lines_one_per_changed_instance() -> None:
    out = io.StringIO()
    writer = JsonLinesWriter(out)
    state = node()
    writer.keepalived(state, state.instances[2:3])
    (line,) = [json.loads(x) for x in out.getvalue().splitlines()]
    assert line["type"] == "keepalived" and line["instance"] == "testdns1"
    assert (line["state"], line["base_priority"], line["effective_priority"]) == ("BACKUP", 50, 100)
    assert line["master"] == "198.51.100.11" and line["pid"] == 4242
    assert line["scripts"][0] == {
        "name": "named_check_testdns1_1", "status": "ok", "weight": 50, "reverse": False,
        "keepalived_status": "GOOD",
    }  # fmt: skip
    assert line["counters"]["auth_failure"] == 0
    out.truncate(0)
    out.seek(0)
    writer.keepalived(NodeState(ts=8.0, pid=0, error="no keepalived pid file /x"), ())
    assert json.loads(out.getvalue()) == {
        "type": "keepalived", "ts": 8.0, "pid": 0, "error": "no keepalived pid file /x"
    }  # fmt: skip


def test_snapshot_carries_the_last_read() -> None:
    snap = Snapshot(10.0, (), (), Counters(), node=node())
    obj = snapshot_json(snap)["keepalived"]
    assert obj["pid"] == 4242 and obj["router_id"] == "recdns-wcdc"
    assert [i["instance"] for i in obj["instances"]][:2] == ["testdns0", "testdns0_v6"]
    assert obj["findings"] and obj["config_files"] == ["/etc/keepalived/keepalived.conf"]
    assert "lab-pass" not in json.dumps(obj)
    assert snapshot_json(Snapshot(10.0, (), (), Counters()))["keepalived"] is None


def test_report_has_a_this_node_part_readable_at_80_columns() -> None:
    buf = io.StringIO()
    console = Console(file=buf, width=80, color_system=None)
    print_report(Snapshot(10.0, (), (), Counters(), node=node("auth-mismatch")), [], console)
    text = buf.getvalue()
    assert "This node (keepalived pid 4242, router_id recdns-wcdc)" in text
    assert "errors auth failures" in text
    assert "keepalived runs instance x" in text
    part = text[text.index("This node") :]
    assert max(len(line) for line in part.splitlines()) <= 80


def test_prometheus_families_for_the_node() -> None:
    from prometheus_client.parser import text_string_to_metric_families

    from vrrptop.output.prometheus import PrometheusMetrics

    snap = Snapshot(10.0, (), (), Counters(), node=node("auth-mismatch"))
    text = PrometheusMetrics(lambda: snap).render().decode()
    samples = {
        (s.name, tuple(sorted(s.labels.items()))): s.value
        for fam in text_string_to_metric_families(text)
        for s in fam.samples
    }

    def value(name: str, **labels: str) -> float:
        return samples[(name, tuple(sorted(labels.items())))]

    assert value("vrrptop_keepalived_up") == 1
    # With a wrong auth_pass wcdc no longer hears cnh: it is MASTER of testdns1 too.
    assert value("vrrptop_keepalived_state", instance="testdns1", vrid="211", family="4",
                 state="MASTER") == 1  # fmt: skip
    assert value("vrrptop_keepalived_effective_priority", instance="testdns1", vrid="211",
                 family="4") == 100  # fmt: skip
    assert value("vrrptop_keepalived_script_ok", instance="testdns1",
                 script="named_check_testdns1_1") == 1  # fmt: skip
    assert value("vrrptop_keepalived_errors_total", instance="testdns0", counter="auth_failure") > 0
    empty = PrometheusMetrics(lambda: Snapshot(10.0, (), (), Counters())).render().decode()
    assert "vrrptop_keepalived" not in empty
