"""Pure helpers of the editor: DNS health by host name, instances per file, settling."""

from __future__ import annotations

import os
from dataclasses import replace
from pathlib import Path

import pytest

from tests.ui.scenario import HOSTS, T0, empty_snapshot, hosts, instance
from tests.ui.scenario_health import probed
from vrrptop.config.hostmap import HostMap
from vrrptop.config.model import InstanceConfig
from vrrptop.model.snapshot import Snapshot
from vrrptop.ui.editor_rows import gather_inputs, instances_for
from vrrptop.ui.settle_watch import Expectation, SettleWatch


def test_health_by_name_from_config_addresses_or_ptr_names() -> None:
    v4 = {name: addrs[0] for name, addrs in HOSTS.items()}
    snap = replace(
        empty_snapshot(T0),
        health={
            v4["recdns-cnh"]: probed(v4["recdns-cnh"], True),
            v4["recdns-sby"]: probed(v4["recdns-sby"], False),
            # recdns-wcdc: only its IPv6 address is probed, and it answers.
            HOSTS["recdns-wcdc"][1]: probed(HOSTS["recdns-wcdc"][1], True),
        },
        # The tracker learnt the names by PTR (fully qualified): no config needed.
        hosts=tuple(replace(h, name=f"{h.name}.example.org") for h in hosts(T0, {})),
    )
    names = ["recdns-cnh", "recdns-rnb", "recdns-sby", "recdns-wcdc", "recdns-new"]
    inputs = gather_inputs(names, snap, HostMap())
    assert inputs.health == {
        "recdns-cnh": True,
        "recdns-rnb": None,
        "recdns-sby": False,
        "recdns-wcdc": True,
        "recdns-new": None,
    }
    assert inputs.facts.primary("recdns-sby", 4) == v4["recdns-sby"]
    assert inputs.facts.primary("recdns-sby", 6) == HOSTS["recdns-sby"][1]


def test_configured_hosts_are_used_without_a_snapshot_name() -> None:
    snap = replace(empty_snapshot(T0), health={"203.0.113.7": probed("203.0.113.7", False)})
    inputs = gather_inputs(["recdns-x"], snap, HostMap({"recdns-x": ["203.0.113.7"]}))
    assert inputs.health == {"recdns-x": False}
    assert gather_inputs(["recdns-x"], None, HostMap()).health == {"recdns-x": None}


def test_instances_for_matches_the_same_file_by_any_spelling(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    path = tmp_path / "priority.testdns"
    path.write_text("recdns-cnh\n")
    link = tmp_path / "link"
    os.symlink(path, link)
    monkeypatch.chdir(tmp_path)
    a = InstanceConfig("testdns0", 210, priority_file=path)
    b = InstanceConfig("testdns1", 211, priority_file=Path("priority.testdns"), direction=1)
    c = InstanceConfig("recdns0", 212, priority_file=tmp_path / "priority.recdns")
    d = InstanceConfig("nofile", 213)
    assert instances_for(link, [a, b, c, d]) == [a, b]


def test_settle_watch_follows_or_flags() -> None:
    watch = SettleWatch()
    watch.expect(Expectation("testdns0", 210, (4,), "recdns-sby", T0, T0 + 5))
    watch.expect(Expectation("testdns1", 211, (4,), "recdns-cnh", T0, T0 + 5))
    # A newer save replaces the older expectation of the same instance.
    watch.expect(Expectation("testdns1", 211, (4,), "recdns-cnh", T0 + 1, T0 + 6))
    assert [e.saved_at for e, _left in watch.remaining(T0 + 2)] == [T0, T0 + 1]
    assert [left for _e, left in watch.remaining(T0 + 2)] == [3.0, 4.0]

    def snap_at(ts: float, masters: dict[int, str]) -> Snapshot:
        views = tuple(
            instance(vrid, 4, [(name, 250, ts - 1, None)], ts, prios={name: 250})
            for vrid, name in masters.items()
        )
        # Names from the tracker's PTR view (no correlation in extra).
        return replace(empty_snapshot(ts), instances=views, hosts=hosts(ts, {}))

    early = watch.check(snap_at(T0 + 2, {210: "recdns-wcdc", 211: "recdns-wcdc"}))
    assert early == []  # not yet, still within the settle time
    out = watch.check(snap_at(T0 + 3, {210: "recdns-sby", 211: "recdns-wcdc"}))
    assert [(o.ok, o.message.split(":")[0]) for o in out] == [(True, "testdns0")]
    out = watch.check(snap_at(T0 + 6, {211: "recdns-wcdc"}))
    assert len(out) == 1 and not out[0].ok
    assert "expected recdns-cnh" in out[0].message and "observed recdns-wcdc" in out[0].message
    assert watch.pending == []
