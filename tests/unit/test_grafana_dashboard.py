"""contrib/vrrptop-grafana.json: a well-formed dashboard whose every query names metrics
the exporter really exposes, in PromQL that promtool parses.

Two expositions: the collector fed a snapshot with alarms, expectations, declared
hosts and probes (every family has samples), and the real ``vrrptop --demo``
exporter scraped over loopback while it replays the bundled capture.
"""

from __future__ import annotations

import json
import re
import subprocess
import sys
import time
import urllib.request
from pathlib import Path
from typing import Any

import pytest
from prometheus_client.parser import text_string_to_metric_families

from tests.unit.prom_samples import full_exposition, parse
from tests.unit.test_prometheus_contrib import _tool

ROOT = Path(__file__).resolve().parents[2]
DASHBOARD = ROOT / "contrib" / "vrrptop-grafana.json"
METRIC = re.compile(r"\b(vrrptop_[a-z_]+)")
#: Grafana's variables, replaced by what a query would get.
VARIABLES = {
    "$__rate_interval": "1m",
    "$__interval": "15s",
    "$__range": "6h",
    "$instance": ".*",
    "$name": ".*",
}


def dashboard() -> dict[str, Any]:
    return json.loads(DASHBOARD.read_text())


def panels(dash: dict[str, Any]) -> list[dict[str, Any]]:
    out = []
    for p in dash["panels"]:
        out.append(p)
        out.extend(p.get("panels", []))  # collapsed rows keep theirs inside
    return out


def expressions(dash: dict[str, Any]) -> list[str]:
    exprs = [t["expr"] for p in panels(dash) for t in p.get("targets", [])]
    exprs += [a["expr"] for a in dash["annotations"]["list"] if "expr" in a]
    return exprs


def variable_queries(dash: dict[str, Any]) -> list[str]:
    return [v["definition"] for v in dash["templating"]["list"] if v["type"] == "query"]


def concrete(expr: str) -> str:
    for name, value in VARIABLES.items():
        expr = expr.replace(name, value)
    assert "$" not in expr, f"unknown variable in {expr}"
    return expr


def used_metrics(dash: dict[str, Any]) -> set[str]:
    text = " ".join(expressions(dash) + variable_queries(dash))
    return set(METRIC.findall(text))


def test_dashboard_is_well_formed() -> None:
    dash = dashboard()
    assert dash["uid"] == "vrrptop" and dash["title"]
    assert isinstance(dash["schemaVersion"], int)
    ids = [p["id"] for p in panels(dash)]
    assert len(ids) == len(set(ids)), "panel ids must be unique"
    names = {v["name"] for v in dash["templating"]["list"]}
    assert {"datasource", "instance", "name"} <= names
    for p in panels(dash):
        grid = p["gridPos"]
        assert grid["x"] + grid["w"] <= 24 and grid["h"] > 0, p["title"]
        if p["type"] == "row":
            continue
        assert p["datasource"]["uid"] == "${datasource}", p["title"]
        assert p["targets"], p["title"]
        refs = [t["refId"] for t in p["targets"]]
        assert len(refs) == len(set(refs)), p["title"]
        for t in p["targets"]:
            assert t["datasource"]["uid"] == "${datasource}"
    titles = " ".join(p["title"].lower() for p in panels(dash))
    for topic in ("alarms", "master over time", "dns", "expected vs advertised", "instances"):
        assert topic in titles, topic


def test_every_query_metric_is_in_the_collector_exposition() -> None:
    samples, _ = parse(full_exposition())
    exposed = {name for name, _ in samples}
    used = used_metrics(dashboard())
    assert {"vrrptop_alarm", "vrrptop_instance_expected_master_info"} <= used
    assert {"vrrptop_host_expected_priority", "vrrptop_host_advertised_priority"} <= used
    assert {"vrrptop_dns_ok", "vrrptop_instance_master_info"} <= used
    assert used <= exposed, sorted(used - exposed)


def test_every_query_parses_as_promql(tmp_path: Path) -> None:
    promtool = _tool("promtool", "PROMTOOL")
    rules = {
        "groups": [
            {
                "name": "dashboard",
                "rules": [
                    {"record": f"dashboard:query{i}", "expr": concrete(e)}
                    for i, e in enumerate(expressions(dashboard()))
                ],
            }
        ]
    }
    path = tmp_path / "dashboard-rules.yml"
    path.write_text(json.dumps(rules))  # JSON is YAML
    run = subprocess.run(
        [promtool, "check", "rules", "--lint=none", str(path)], capture_output=True, text=True
    )
    assert run.returncode == 0, run.stdout + run.stderr


def _scrape_demo(timeout: float = 60.0) -> str:
    """Start ``vrrptop --demo --no-ui --prometheus 127.0.0.1:0`` replaying at 10x and
    scrape it once it tracks all four instances, has seen a failover and raised an
    alarm; stop it (by its own pid)."""
    proc = subprocess.Popen(
        [sys.executable, "-m", "vrrptop", "--demo", "--speed", "10", "--no-ui"]
        + ["--prometheus", "127.0.0.1:0"],
        cwd=ROOT,
        stdout=subprocess.DEVNULL,
        stderr=subprocess.PIPE,
        text=True,
    )
    try:
        assert proc.stderr is not None
        url = None
        deadline = time.monotonic() + timeout
        while url is None and time.monotonic() < deadline:
            line = proc.stderr.readline()
            if not line:
                break
            found = re.search(r"\((http://\S+/metrics)\)", line)
            url = found.group(1) if found else None
        assert url, "vrrptop did not say where it serves metrics"
        while time.monotonic() < deadline:
            with urllib.request.urlopen(url, timeout=5) as r:
                text = r.read().decode()
            four = re.search(r"^vrrptop_instances 4\.0$", text, re.M)
            # after the first failover of the story (8.5 s in), while an alarm is
            # raised (the demo's static priority file disagrees with most of the story)
            moved = re.search(r"^vrrptop_instance_master_changes_total\{.*\} [1-9]", text, re.M)
            if four and moved and re.search(r"^vrrptop_alarm\{", text, re.M):
                return text
            time.sleep(0.2)
        raise AssertionError("the demo exporter never tracked the four instances")
    finally:
        proc.terminate()
        proc.wait(10)


def test_queries_find_series_in_the_real_demo_exporter() -> None:
    text = _scrape_demo()
    families = {f.name: f for f in text_string_to_metric_families(text)}
    with_samples = {s.name for f in families.values() for s in f.samples}
    declared = set(families) | with_samples
    used = used_metrics(dashboard())
    # DNS probes run only on a live capture: a replay has none of those families
    replayable = {m for m in used if not m.startswith("vrrptop_dns_")}
    assert replayable <= declared, sorted(replayable - declared)
    # every other query has series: the wire's, and the judgement of the demo's
    # configuration (expected masters and priorities, hosts, the alarms it raises)
    unprobed = replayable - {"vrrptop_host_dns_healthy"}
    assert unprobed <= with_samples, sorted(unprobed - with_samples)
    assert "vrrptop_alarm" in with_samples


@pytest.mark.parametrize("expr", expressions(dashboard()))
def test_queries_are_scoped_to_the_chosen_vrrptop(expr: str) -> None:
    """Every query follows the $instance selector, so one dashboard serves many segments."""
    assert 'instance=~"$instance"' in expr, expr
