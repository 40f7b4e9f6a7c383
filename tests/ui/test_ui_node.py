"""The console shows the local keepalived (``Snapshot.node``): a bar on the main
screen, this host marked in the hosts table, a section in the details screen.

The node values are parsed from the lab's keepalived 2.2.7 recordings, so the words
are checked against what a real keepalived said.
"""

from __future__ import annotations

from dataclasses import replace
from pathlib import Path

from tests.ui.conftest import make_app
from tests.ui.helpers import render_text, rows, settle, static_text
from tests.ui.scenario import FakeEngine, FakeUpdate, steady
from vrrptop.keepalived.dumps import merge, parse_data, parse_json
from vrrptop.model.node import NodeState
from vrrptop.ui.node_view import bar_lines, node_section
from vrrptop.ui.screens.detail import DetailScreen

DATA = Path(__file__).resolve().parents[1] / "data" / "keepalived" / "2.2.7"
WIDE = (160, 48)


def node(scenario: str = "seed", addresses: tuple[str, ...] = ()) -> NodeState:
    data = parse_data((DATA / f"{scenario}.data").read_text())
    inst = merge(parse_json((DATA / f"{scenario}.json").read_text()), data.instances)
    return NodeState(ts=1.0, pid=4242, instances=inst, addresses=addresses or data.addresses)


def test_bar_says_state_priority_and_scripts() -> None:
    lines = bar_lines(node())
    assert lines[0] == (
        "this node: testdns0 MASTER, prio 250 (base 50 + named_check_testdns0_4 +200), "
        "scripts 1 ok, 3 failed",
        "ok",
    )
    assert lines[2][0].endswith("hears master 198.51.100.11")
    stopped = bar_lines(node("dns-stopped"))
    assert all(level == "warn" and "scripts 4 failed" in text for text, level in stopped)
    assert "errors: auth failures" in bar_lines(node("auth-mismatch"))[0][0]
    gone = bar_lines(NodeState(ts=1.0, pid=0, error="no keepalived pid file /run/k.pid"))
    assert gone == [("this node: keepalived not read: no keepalived pid file /run/k.pid", "warn")]
    assert bar_lines(None) == []


def test_details_section_lists_every_script() -> None:
    snap = steady()
    v4 = next(i for i in snap.instances if (i.vrid, i.family) == (211, 4))
    text = " ".join(render_text(node_section(node(), v4)).split())
    assert "state BACKUP" in text
    assert "priority 100 (base 50 + named_check_testdns1_1 +50)" in text
    assert "master heard 198.51.100.11 (prio 250)" in text
    assert "named_check_testdns1_1 ok weight +50" in text
    assert "named_check_testdns1_4 FAILED weight +200" in text
    other = replace(v4, vrid=99)
    assert "no instance of this virtual router" in render_text(node_section(node(), other))


async def test_main_screen_bar_and_this_host() -> None:
    engine = FakeEngine()
    app = make_app(engine)
    async with app.run_test(size=WIDE) as pilot:
        engine.emit(FakeUpdate(steady(), ()))
        await settle(pilot, app)
        assert not app.screen.query_one("#node").display  # no keepalived read: no bar
        host = steady().hosts[1]
        here = node(addresses=(host.addresses[0],))
        engine.emit(FakeUpdate(replace(steady(), node=here), ()))
        await settle(pilot, app)
        bar = static_text(app, "#node")
        assert "this node: testdns0 MASTER, prio 250" in bar
        names = [r[0] for r in rows(app, "#hosts")]
        assert names[1] == f"{host.name} (this host)"
        assert sum("(this host)" in n for n in names) == 1
        app.push_screen(DetailScreen("211/4"))
        await settle(pilot, app)
        assert "named_check_testdns1_1 ok" in " ".join(static_text(app, "#detail-node").split())
