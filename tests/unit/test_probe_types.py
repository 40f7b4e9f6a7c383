"""Probe values: --query parsing, configuration from options, JSON lines, the board."""

from __future__ import annotations

import json

import pytest

from vrrptop.config.model import DnsConfig
from vrrptop.errors import VrrptopError
from vrrptop.options import Options
from vrrptop.probe import (
    HealthBoard,
    ProbeConfig,
    ProbeQuery,
    ProbeResult,
    ProbeTarget,
    parse_query,
)


def test_parse_query_name_and_type() -> None:
    assert parse_query("cam.ac.uk/TXT") == ProbeQuery("cam.ac.uk", "TXT")
    assert parse_query("cam.ac.uk/txt") == ProbeQuery("cam.ac.uk", "TXT")
    assert parse_query("example.org") == ProbeQuery("example.org", "A")
    assert str(parse_query("example.org/AAAA")) == "example.org/AAAA"


@pytest.mark.parametrize("bad", ["", "/TXT", "cam.ac.uk/NOSUCHTYPE", "a..b/A"])
def test_parse_query_rejects_bad_input_with_a_usage_error(bad: str) -> None:
    with pytest.raises(VrrptopError) as info:
        parse_query(bad)
    assert info.value.exit_code == 2


def test_config_from_options_precedence() -> None:
    # --query wins, then the configuration file's, then the seed's cam.ac.uk/TXT
    seeded = ProbeConfig.from_options(Options())
    assert seeded.query == ProbeQuery("cam.ac.uk", "TXT")
    assert (seeded.interval, seeded.timeout, seeded.expect) == (2.0, 1.0, None)
    from_file = ProbeConfig.from_options(Options(), dns=DnsConfig(query="example.org/A"))
    assert from_file.query == ProbeQuery("example.org", "A")
    opts = Options(query="x.example/AAAA", expect="hello", probe_interval=5, probe_timeout=0.5)
    cli = ProbeConfig.from_options(opts, dns=DnsConfig(query="example.org/A"))
    assert cli.query == ProbeQuery("x.example", "AAAA")
    assert (cli.expect, cli.interval, cli.timeout) == ("hello", 5, 0.5)


def test_config_file_dns_table_fills_what_the_command_line_left_out() -> None:
    dns = DnsConfig(query="example.net/TXT", expect="ok", interval=10.0, timeout=3.0)
    merged = ProbeConfig.from_options(Options(), dns=dns)
    assert merged.query == ProbeQuery("example.net", "TXT")
    assert (merged.expect, merged.interval, merged.timeout) == ("ok", 10.0, 3.0)
    opts = Options(query="x.example/A", expect="", probe_interval=1.0, probe_timeout=0.5)
    cli = ProbeConfig.from_options(opts, dns=dns)
    assert cli.query == ProbeQuery("x.example", "A")
    assert (cli.expect, cli.interval, cli.timeout) == ("", 1.0, 0.5)


@pytest.mark.parametrize("kw", [{"interval": 0}, {"timeout": -1}, {"max_concurrency": 0}])
def test_config_rejects_nonsense(kw: dict[str, float]) -> None:
    with pytest.raises(VrrptopError):
        ProbeConfig(**kw)  # type: ignore[arg-type]


def _result(ok: bool, ts: float, latency: float | None = 1.5, **kw: object) -> ProbeResult:
    target = kw.pop("target", ProbeTarget("198.51.100.210", "vip", "testdns0"))
    status = "ok" if ok else "timeout"
    return ProbeResult(
        ts=ts,
        target=target,  # type: ignore[arg-type]
        ok=ok,
        status=status,
        rcode="NOERROR" if ok else None,
        latency_ms=latency if ok else None,
        answer="test" if ok else None,
        detail="d",
    )


def test_to_json_shape() -> None:
    line = _result(True, 1700000000.25, 3.14159).to_json()
    assert json.loads(json.dumps(line)) == {
        "type": "probe",
        "ts": 1700000000.25,
        "target": "198.51.100.210",
        "role": "vip",
        "ok": True,
        "status": "ok",
        "rcode": "NOERROR",
        "latency_ms": 3.142,
        "name": "testdns0",
    }
    failed = _result(False, 5.0, target=ProbeTarget("2001:db8::53", "host", None, 5353))
    line = failed.to_json()
    assert line["ok"] is False and line["rcode"] is None and line["latency_ms"] is None
    assert line["port"] == 5353 and line["detail"] == "d" and "name" not in line


def test_board_consecutive_failures_ok_since_and_history_bound() -> None:
    board = HealthBoard(history=4)
    target = ProbeTarget("198.51.100.210", "vip")
    board.set_targets([target])
    assert board.get("198.51.100.210") is not None
    assert board.standing(target.key) is None
    for ts, ok in [(1, True), (2, True), (3, False), (4, False), (5, False), (6, True)]:
        health = board.record(_result(ok, ts))
        if ts == 2:
            assert health.ok_since == 1
        if ts == 5:
            assert health.consecutive_failures == 3 and health.failing_since == 3
            assert board.standing(target.key) is False
    assert health.ok_since == 6 and health.consecutive_failures == 0
    assert health.probes == 6 and health.failures == 3
    assert [r.ts for r in health.history] == [3, 4, 5, 6]
    assert health.latencies == (None, None, None, 1.5)
    assert board.standing(target.key) is True


def test_board_set_targets_keeps_known_and_forgets_removed() -> None:
    board = HealthBoard()
    a = ProbeTarget("198.51.100.1", "host")
    b = ProbeTarget("198.51.100.2", "host")
    board.set_targets([a, b])
    board.record(_result(True, 1, target=a))
    board.set_targets([ProbeTarget("198.51.100.1", "vip", "renamed")])
    snap = board.snapshot()
    assert list(snap) == [("198.51.100.1", 53)]
    assert snap[a.key].probes == 1 and snap[a.key].target.name == "renamed"
