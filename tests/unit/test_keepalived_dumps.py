"""keepalived's own dumps, as recorded from the lab's keepalived 2.2.7 (recdns-wcdc,
``python -m tests.lab.record_node``), parsed into typed values.

Ground truth in the recordings: in the seed state wcdc is master of testdns0 (rank 4
of 4: ``named_check_testdns0_4`` good, +200 on base 50) and backup of testdns1 (rank 1:
+50, hearing recdns-cnh at 250); with its DNS stopped every script fails (50); with a
wrong auth_pass it counts authentication failures.
"""

from __future__ import annotations

from pathlib import Path

import pytest

from vrrptop.keepalived.dumps import DumpError, merge, parse_data, parse_json
from vrrptop.keepalived.stats import parse_stats
from vrrptop.model.node import LocalInstance

DATA = Path(__file__).resolve().parents[1] / "data" / "keepalived" / "2.2.7"
SCENARIOS = ("seed", "dns-stopped", "auth-mismatch")


def _text(scenario: str, kind: str) -> str:
    return (DATA / f"{scenario}.{kind}").read_text()


def _via_json(scenario: str) -> dict[str, LocalInstance]:
    inst = merge(parse_json(_text(scenario, "json")), parse_data(_text(scenario, "data")).instances)
    return {i.name: i for i in inst}


def _via_data(scenario: str) -> dict[str, LocalInstance]:
    data = parse_data(_text(scenario, "data")).instances
    inst = merge(None, data, parse_stats(_text(scenario, "stats")))
    return {i.name: i for i in inst}


def test_the_recordings_hold_no_password() -> None:
    for path in DATA.iterdir():
        text = path.read_text()
        assert "lab-pass" not in text and "wrong-pw" not in text, path
    assert "Password = ********" in _text("seed", "data")


def test_seed_master_and_backup_with_their_scripts() -> None:
    inst = _via_json("seed")
    assert list(inst) == ["testdns0", "testdns0_v6", "testdns1", "testdns1_v6"]
    master, backup = inst["testdns0"], inst["testdns1"]
    assert (master.state, master.vrid, master.family, master.version) == ("MASTER", 210, 4, 2)
    assert (master.base_priority, master.effective_priority) == (50, 250)
    assert master.master is None and master.master_priority is None
    assert [(s.name, s.ok, s.weight) for s in master.scripts] == [
        ("named_check_testdns0_1", False, 50),
        ("named_check_testdns0_2", False, 100),
        ("named_check_testdns0_3", False, 150),
        ("named_check_testdns0_4", True, 200),
    ]
    assert master.priority_text() == "250 (base 50 + named_check_testdns0_4 +200)"
    assert master.vips == ("198.51.100.210",) and master.src_ip == "198.51.100.14"
    assert (backup.state, backup.effective_priority) == ("BACKUP", 100)
    assert (backup.master, backup.master_priority) == ("198.51.100.11", 250)
    assert backup.summary().startswith(
        "BACKUP, prio 100 (base 50 + named_check_testdns1_1 +50), scripts 1 ok, 3 failed"
    )
    v6 = inst["testdns1_v6"]
    assert (v6.family, v6.version, v6.master) == (6, 3, "fe80::76:6cff:fe00:b")
    assert master.last_transition is not None and master.counter("advert_sent")


def test_dns_stopped_every_script_fails() -> None:
    for inst in _via_json("dns-stopped").values():
        assert inst.state == "BACKUP" and inst.effective_priority == 50
        assert len(inst.scripts_failed) == 4
        assert inst.priority_text() == "50 (base 50)"
        assert inst.scripts_text() == "4 failed"


def test_auth_mismatch_counts_authentication_failures() -> None:
    inst = _via_json("auth-mismatch")
    v4 = [i for i in inst.values() if i.family == 4]
    assert all((i.counter("auth_failure") or 0) > 0 for i in v4)
    assert all(i.counter("auth_failure") == 0 for i in inst.values() if i.family == 6)
    assert "auth failures" in v4[0].errors_text() and v4[0].errors > 0


@pytest.mark.parametrize("scenario", SCENARIOS)
def test_data_and_stats_give_what_json_and_data_give(scenario: str) -> None:
    """The fallback (no JSON dump in the build) reads the same node; the three
    recordings were taken at one moment, so only the advert counters may move."""
    a, b = _via_json(scenario), _via_data(scenario)
    assert list(a) == list(b)
    moving = {"advert_rcvd", "advert_sent"}
    for name in a:
        x, y = a[name], b[name]
        assert (x.state, x.vrid, x.family, x.version, x.interface) == (
            y.state, y.vrid, y.family, y.version, y.interface,
        )  # fmt: skip
        assert (x.base_priority, x.effective_priority, x.master) == (
            y.base_priority, y.effective_priority, y.master,
        )  # fmt: skip
        assert x.scripts == y.scripts and x.vips == y.vips
        assert x.last_transition == pytest.approx(y.last_transition, abs=1e-5)
        assert {k: v for k, v in x.counters if k not in moving} == {
            k: v for k, v in y.counters if k not in moving
        }


def test_data_dump_router_id_and_addresses() -> None:
    data = parse_data(_text("seed", "data"))
    assert data.router_id == "recdns-wcdc"
    assert data.addresses == ("198.51.100.14", "fe80::76:6cff:fe00:e")


def test_bad_dumps_are_one_line_errors_or_partial() -> None:
    with pytest.raises(DumpError, match="not JSON"):
        parse_json(_text("seed", "json")[:100])  # caught half-written
    with pytest.raises(DumpError, match="not a list"):
        parse_json('{"a": 1}')
    with pytest.raises(DumpError, match="no VRRP instance"):
        parse_data("------< Global definitions >------\n Router ID = x\n")
    text = _text("seed", "data")
    cut = text[: text.index(" VRRP Instance = testdns1\n")]  # cut mid-dump
    assert list(parse_data(cut).instances) == ["testdns0", "testdns0_v6"]
    assert parse_json('[{"data": {"iname": "x", "state": 42}}, 7]')["x"].state == "state 42"


def test_older_wording_still_reads() -> None:
    """keepalived 1.3/2.0 wording: ``Listening device``, ``Tracked scripts = N``,
    ``reverse`` weights, a script status word with INIT in it."""
    text = "\n".join(
        [
            "------< VRRP Topology >------",
            " VRRP Instance = VI_1",
            "   State = BACKUP",
            "   Master router = 203.0.113.5",
            "   Listening device = eth1",
            "   Virtual Router ID = 51",
            "   Priority = 100",
            "   Effective priority = 80",
            "   Tracked scripts = 1",
            "     chk_web weight -20 reverse",
            "   Virtual IP = 1",
            "     203.0.113.10/24 dev eth1 scope global",
            "------< VRRP Scripts >------",
            " VRRP Script = chk_web",
            "   Status = INIT/GOOD",
            "   Weight = -20",
        ]
    )
    inst = parse_data(text).instances["VI_1"]
    assert (inst.interface, inst.vrid, inst.master) == ("eth1", 51, "203.0.113.5")
    assert inst.vips == ("203.0.113.10",)
    assert [(s.name, s.ok, s.weight, s.reverse) for s in inst.scripts] == [
        ("chk_web", True, -20, True)
    ]
    assert inst.scripts[0].applied == 0  # a good script with a negative weight adds nothing
