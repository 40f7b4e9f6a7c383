"""Pilot tests: correlation (expected master, alarms) and DNS health on screen."""

from __future__ import annotations

from dataclasses import replace

from tests.ui.conftest import make_app
from tests.ui.helpers import row_by_vrid, rows, settle, static_text
from tests.ui.scenario import FakeEngine, FakeUpdate, after_failover, failover_events
from tests.ui.scenario_health import correlated_failover
from vrrptop.ui.screens.detail import DetailScreen
from vrrptop.ui.widgets.alarms import AlarmBar

NARROW = (80, 24)
WIDE = (160, 48)


def _alarm_line(app: object) -> str:
    bar = app.screen.query_one("#alarms", AlarmBar)  # type: ignore[attr-defined]
    return str(bar.content) if bar.display else ""


async def test_mismatch_shows_in_table_summary_and_detail(engine: FakeEngine) -> None:
    app = make_app(engine)
    async with app.run_test(size=WIDE) as pilot:
        engine.emit(FakeUpdate(correlated_failover(), failover_events()))
        await settle(pilot, app)
        header = [str(c.label) for c in app.screen.query_one("#instances").columns.values()]  # type: ignore[attr-defined]
        assert "Expected" in header
        row = row_by_vrid(app, 211)
        assert row[2] == "ok +3 ALARMS"
        assert row[header.index("Expected")] == "recdns-sby ≠"
        assert row_by_vrid(app, 210)[header.index("Expected")] == "recdns-rnb"
        line = _alarm_line(app)
        assert line.startswith(" 3 ALARMS: master-mismatch testdns1")
        assert "vip-dns-failing 203.0.113.120" in line

        table = app.screen.query_one("#instances")
        table.move_cursor(row=[r[0] for r in rows(app)].index("211"))  # type: ignore[attr-defined]
        await pilot.press("enter")
        await pilot.pause()
        assert isinstance(app.screen, DetailScreen)
        text = static_text(app, "#detail-expect")
        assert "expected master recdns-sby ≠   observed recdns-cnh" in text
        assert "master-mismatch: testdns1 (VRID 211 (IPv4))" in text
        assert "timeout" in text  # recdns-cnh's DNS next to its expected priority


async def test_dns_failing_shows_in_hosts_table_at_80(engine: FakeEngine) -> None:
    app = make_app(engine)
    async with app.run_test(size=NARROW) as pilot:
        engine.emit(FakeUpdate(correlated_failover(), failover_events()))
        await settle(pilot, app)
        hosts = app.screen.query_one("#hosts")
        labels = [str(c.label) for c in hosts.columns.values()]  # type: ignore[attr-defined]
        # Every VRID keeps its column at 80: the named hosts' addresses give way
        # (`n` shows them), both families share a cell.
        assert labels == ["Host", "DNS", "Lat", "210 v4│v6", "211 v4"], labels
        by_name = {r[0]: r for r in rows(app, "#hosts")}
        assert by_name["recdns-cnh"][1] == "timeout" and by_name["recdns-cnh"][2] == "-"
        assert by_name["recdns-rnb"][1] == "ok"
        assert by_name["recdns-rnb"][3].startswith("200/200 MASTER │ ")
        await pilot.press("n")
        await settle(pilot, app)
        labels = [str(c.label) for c in hosts.columns.values()]  # type: ignore[attr-defined]
        assert "Addresses" in labels and "MAC" not in labels
        inst = [str(c.label) for c in app.screen.query_one("#instances").columns.values()]  # type: ignore[attr-defined]
        assert "Expected" in inst and "VIPs" not in inst


async def test_no_configuration_no_new_columns(engine: FakeEngine) -> None:
    app = make_app(engine)
    async with app.run_test(size=WIDE) as pilot:
        engine.emit(FakeUpdate(after_failover(), failover_events()))
        await settle(pilot, app)
        inst = [str(c.label) for c in app.screen.query_one("#instances").columns.values()]  # type: ignore[attr-defined]
        hosts = [str(c.label) for c in app.screen.query_one("#hosts").columns.values()]  # type: ignore[attr-defined]
        assert "Expected" not in inst and "DNS" not in hosts
        assert _alarm_line(app) == ""
        assert not app.screen.query_one("#alarms", AlarmBar).display


async def test_alarm_line_follows_the_snapshots(engine: FakeEngine) -> None:
    """The line is repainted only on change, but every change reaches it: alarms
    cleared -> "no alarms"; alarms back -> counted again; theme change keeps it."""
    app = make_app(engine)
    async with app.run_test(size=NARROW) as pilot:
        snap = correlated_failover()
        engine.emit(FakeUpdate(snap))
        await settle(pilot, app)
        assert _alarm_line(app).startswith(" 3 ALARMS:")
        calm = replace(
            snap,
            instances=tuple(replace(i, alarms=()) for i in snap.instances),
            alarms=(),
        )
        engine.emit(FakeUpdate(calm))
        await settle(pilot, app)
        assert _alarm_line(app) == " no alarms"
        assert row_by_vrid(app, 211)[2] == "ok"
        engine.emit(FakeUpdate(snap))
        await settle(pilot, app)
        assert _alarm_line(app).startswith(" 3 ALARMS:")
        await pilot.press("t")
        await settle(pilot, app)
        assert _alarm_line(app).startswith(" 3 ALARMS:")
