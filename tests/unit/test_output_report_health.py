"""--report gains Expected/Alarms columns, an alarms table and a DNS health table
when the snapshot carries a correlation and probe results."""

from __future__ import annotations

import sys
from pathlib import Path

from rich.console import Console

sys.path.insert(0, str(Path(__file__).resolve().parents[2]))

from tests.ui.scenario import after_failover, failover_events  # noqa: E402
from tests.ui.scenario_health import correlated_failover  # noqa: E402
from vrrptop.output.report import print_report  # noqa: E402


def _report(snap: object) -> str:
    console = Console(width=220, record=True, color_system=None)
    print_report(snap, failover_events(), console=console, source="failover.pcap")  # type: ignore[arg-type]
    return console.export_text()


def _row(text: str, *words: str) -> str:
    return next(line for line in text.splitlines() if all(w in line for w in words))


def test_report_shows_expected_alarms_and_dns() -> None:
    text = _report(correlated_failover())
    assert "Declared versus observed" in text
    row = _row(text, "│ 211  │", "IPv4", "testdns1")
    assert "recdns-sby ≠" in row
    assert "ok +3 ALARMS" in row
    assert "recdns-rnb ~3s" in _row(text, "│ 210  │", "IPv6", "testdns0 ")
    assert "recdns-rnb " in _row(text, "│ 210  │", "IPv4", "testdns0 ")
    assert "Alarms (3)" in text
    assert "master is recdns-cnh but the file predicts recdns-sby" in text
    assert "DNS health" in text
    cnh = _row(text, "198.51.100.11 ", "│ host ")
    assert "recdns-cnh" in cnh and "timeout" in cnh and "2/4" in cnh
    vip = _row(text, "203.0.113.120 ", "│ vip ")
    assert "refused" in vip and "0.3ms" in vip


def test_report_without_configuration_is_unchanged() -> None:
    text = _report(after_failover())
    assert "Declared versus observed" not in text
    assert "DNS health" not in text and "Alarms (" not in text
