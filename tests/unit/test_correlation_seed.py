"""Correlation: the seed cluster, declared (priority file + DNS) versus observed."""

from __future__ import annotations

from dataclasses import replace
from pathlib import Path
from typing import Any

import pytest

from tests.judging import correlate, verdict
from vrrptop.config.model import InstanceConfig
from vrrptop.expect.judge import Judge
from vrrptop.model.expectation import InstanceKey
from vrrptop.model.snapshot import (
    Counters,
    GapStats,
    HostView,
    InstanceView,
    Snapshot,
    SourceView,
)
from vrrptop.priority import PriorityFile

PFILE = Path("/etc/keepalived/priority.testdns")
FILES = {PFILE: PriorityFile.parse(b"recdns-cnh\n#recdns-rnb\nrecdns-sby\nrecdns-wcdc\n")}
HOSTS = {
    "recdns-cnh": ("198.51.100.1", "2001:db8::1"),
    "recdns-rnb": ("198.51.100.2",),
    "recdns-sby": ("198.51.100.3",),
    "recdns-wcdc": ("198.51.100.4",),
}
T0 = InstanceConfig("testdns0", 210, (4,), PFILE, 0, vips=("198.51.100.210",))
T1 = InstanceConfig("testdns1", 211, (4,), PFILE, 1, vips=("198.51.100.211",))
NOW = 1000.0


def view(vrid: int, master: str | None, priority: int | None, **kw: Any) -> InstanceView:
    """A hand-built instance view (what the tracker would show)."""
    src = (
        (SourceView(master, None, priority or 0, 100, (), 2, 0.0, NOW, 10, NOW),)
        if master and priority is not None
        else ()
    )
    fields: dict[str, Any] = dict(
        vrid=vrid,
        family=4,
        version=2,
        state="ok",
        master=master,
        master_mac=None,
        priority=priority,
        interval_cs=100,
        addresses=(f"198.51.100.{vrid}",),
        auth_type=1,
        first_seen=0.0,
        last_seen=NOW,
        age_s=0.2,
        master_down_s=3.8,
        adverts=10,
        checksum_variant="v2",
        checksum_errors=0,
        masters=(),
        sources=src,
        gaps=GapStats(),
        vip_holders=(),
        problems={},
        last_advert=None,
    )
    fields.update(kw)
    return InstanceView(**fields)


def snap(*views: InstanceView, hosts: tuple[HostView, ...] = ()) -> Snapshot:
    return Snapshot(NOW, tuple(views), hosts, Counters())


HEALTHY = {name: True for name in HOSTS}


def test_all_healthy_prediction_matches_observation() -> None:
    s = snap(view(210, "198.51.100.4", 250), view(211, "198.51.100.1", 250))
    out = correlate(s, [T0, T1], FILES, HEALTHY, NOW, hosts=HOSTS)
    c0, c1 = out[(210, 4)], out[(211, 4)]
    assert (c0.predicted_master, c0.observed_master_name, c0.agrees) == (
        "recdns-wcdc",
        "recdns-wcdc",
        True,
    )
    assert (c1.predicted_master, c1.observed_master_name) == ("recdns-cnh", "recdns-cnh")
    assert c0.alarms == () and c1.alarms == ()
    expected = {h.name: h.expected_priority for h in c0.hosts}
    assert expected == {"recdns-cnh": 100, "recdns-rnb": 50, "recdns-sby": 200, "recdns-wcdc": 250}
    wcdc = next(h for h in c0.hosts if h.name == "recdns-wcdc")
    assert wcdc.advertised_priority == 250 and wcdc.addresses == ("198.51.100.4",)


def test_master_dns_failing_then_mismatch_after_settling() -> None:
    health = {**HEALTHY, "recdns-wcdc": False}
    s = snap(view(210, "198.51.100.4", 250))
    # Just changed: keepalived moves the VIP within the settle time; no alarm yet.
    fresh = correlate(s, [T0], FILES, health, NOW, hosts=HOSTS, changed_at={(210, 4): NOW - 1})
    c = fresh[(210, 4)]
    assert c.predicted_master == "recdns-sby" and not c.settled
    # one script run + 4 adverts (Master_Down_Interval's bound) + 0.5 s of vrrptop's lag
    assert c.settle_remaining_s == pytest.approx(1.0 + 4.0 + 0.5 - 1)
    assert c.alarms == ()
    later = correlate(s, [T0], FILES, health, NOW, hosts=HOSTS, changed_at={(210, 4): NOW - 10})
    kinds = {a.kind for a in later[(210, 4)].alarms}
    assert kinds == {"master-dns-failing", "master-mismatch", "priority-mismatch"}
    assert later[(210, 4)].agrees is False
    dns = next(a for a in later[(210, 4)].alarms if a.kind == "master-dns-failing")
    assert "recdns-wcdc" in dns.message and dns.subject == "recdns-wcdc"


def test_health_by_address_and_health_objects() -> None:
    class Summary:
        def __init__(self, ok: bool | None) -> None:
            self.ok = ok

    health = {"198.51.100.4": Summary(False), "198.51.100.3": Summary(True)}
    out = correlate(snap(view(210, "198.51.100.3", 200)), [T0], FILES, health, NOW, hosts=HOSTS)
    c = out[(210, 4)]
    assert c.predicted_master == "recdns-sby"
    # wcdc's address fails, so sby (rank 3, 200) should be master, and it is.
    assert c.alarms == ()
    assert {h.name: h.healthy for h in c.hosts}["recdns-wcdc"] is False


def test_vip_not_answering_dns() -> None:
    out = correlate(
        snap(view(210, "198.51.100.4", 250)),
        [T0],
        FILES,
        {**HEALTHY, "198.51.100.210": False},
        NOW,
        hosts=HOSTS,
    )
    (alarm,) = out[(210, 4)].alarms
    assert alarm.kind == "vip-dns-failing" and alarm.subject == "198.51.100.210"
    # An instance whose VIPs serve no DNS (no rank script, not declared) is not judged on it.
    plain = replace(T0, serves_dns=False)
    quiet = correlate(
        snap(view(210, "198.51.100.4", 250)), [plain], FILES,
        {**HEALTHY, "198.51.100.210": False}, NOW, hosts=HOSTS,
    )  # fmt: skip
    assert quiet[(210, 4)].alarms == ()


def test_silent_and_missing_instances_and_unknown_vrid() -> None:
    s = snap(view(210, "198.51.100.4", 250, state="silent"), view(77, "203.0.113.9", 100))
    out = correlate(s, [T0, T1], FILES, HEALTHY, NOW, hosts=HOSTS)
    assert [a.kind for a in out[(210, 4)].alarms] == ["instance-silent"]
    assert out[(210, 4)].observed_master is None
    assert "never been seen" in out[(211, 4)].alarms[0].message
    unknown = out[(77, 4)]
    assert not unknown.configured and unknown.alarms[0].kind == "unknown-vrid"
    # Not yet settled: no silence alarm for an instance that may simply not have spoken yet.
    early = correlate(s, [T1], FILES, HEALTHY, NOW, hosts=HOSTS, changed_at={(211, 4): NOW})
    assert early[(211, 4)].alarms == ()


def test_no_config_means_no_unknown_vrid_alarm() -> None:
    assert correlate(snap(view(77, "203.0.113.9", 100)), [], {}, {}, NOW) == {}


def test_injected_resolver_and_ptr_fallback() -> None:
    calls: list[str] = []

    def resolve(name: str) -> list[str]:
        calls.append(name)
        if name == "recdns-cnh":
            raise OSError("resolver down")
        return {"recdns-wcdc": ["198.51.100.4"]}.get(name, [])

    ptr = HostView(("198.51.100.3",), (), "recdns-sby.example.org", {}, {}, NOW)
    s = snap(view(210, "198.51.100.3", 200), hosts=(ptr,))
    out = correlate(s, [T0], FILES, {}, NOW, resolve=resolve)
    c = out[(210, 4)]
    assert c.observed_master_name == "recdns-sby"  # via the PTR short name
    assert c.predicted_master == "recdns-wcdc"
    assert sorted(set(calls)) == ["recdns-cnh", "recdns-rnb", "recdns-sby", "recdns-wcdc"]
    assert not any(":" in name or name[0].isdigit() for name in calls)


def test_tie_broken_by_highest_address_when_all_out_of_service() -> None:
    files = {PFILE: PriorityFile.parse("#recdns-cnh\n#recdns-sby\n")}
    out = correlate(snap(view(210, "198.51.100.3", 50)), [T0], files, {}, NOW, hosts=HOSTS)
    c = out[(210, 4)]
    assert c.predicted_master == "recdns-sby" and c.alarms == ()
    no_addr = correlate(snap(view(210, "198.51.100.3", 50)), [T0], files, {}, NOW)
    assert no_addr[(210, 4)].predicted_master is None
    assert no_addr[(210, 4)].tie == ("recdns-cnh", "recdns-sby")


def _judged(judge: Judge, s: Snapshot, health: dict[str, bool], now: float) -> InstanceView:
    judged, _ = judge.judge(replace(s, ts=now), FILES, health, hosts=HOSTS)
    return judged.instances[0]


def test_judge_tracks_changes_for_settling() -> None:
    s = snap(view(210, "198.51.100.4", 250))
    judge = Judge([T0])
    first = _judged(judge, s, HEALTHY, NOW)
    assert first.expectation is not None and not first.expectation.settled  # just started
    steady = _judged(judge, s, HEALTHY, NOW + 10)
    assert steady.expectation is not None and steady.expectation.settled
    assert steady.alarms == ()
    broken = {**HEALTHY, "recdns-wcdc": False}
    changed = _judged(judge, s, broken, NOW + 11)
    assert changed.expectation is not None and not changed.expectation.settled
    assert changed.alarms == ()  # keepalived may still move it
    later = _judged(judge, s, broken, NOW + 30)
    assert "master-mismatch" in {a.kind for a in later.alarms}
    judge.note_change(NOW + 31)
    after = _judged(judge, s, broken, NOW + 32)
    assert after.expectation is not None and not after.expectation.settled


def test_judge_attaches_typed_expectation_without_mutating() -> None:
    v = view(210, "198.51.100.4", 250)
    s = snap(v)
    judge = Judge([T0])
    health = {**HEALTHY, "recdns-wcdc": False}
    _judged(judge, s, health, NOW - 20)
    v2 = _judged(judge, s, health, NOW)
    assert v.expectation is None and v2.name == "testdns0"
    assert v2.expectation is not None and v2.expectation.predicted_master == "recdns-sby"
    kinds = {a.kind for a in v2.alarms}
    assert kinds == {"master-dns-failing", "master-mismatch", "priority-mismatch"}
    assert v2.expectation.priority_of("recdns-wcdc") == 50


def test_instance_without_priority_file() -> None:
    bare = InstanceConfig("other", 5, (4,), None)
    out = correlate(snap(view(5, "203.0.113.1", 100)), [bare], FILES, {}, NOW)
    c = out[(5, 4)]
    assert c.predicted_master is None and c.alarms == () and "no priority file" in c.reasons[0]


def test_probe_board_keys_and_non_blocking_resolver() -> None:
    """Health keyed like HealthBoard.snapshot() ((address, port) -> .ok objects) and a
    resolver that returns None for names it has not resolved yet."""

    class TargetHealth:
        def __init__(self, ok: bool | None) -> None:
            self.ok = ok

    board = {("198.51.100.4", 53): TargetHealth(False), ("198.51.100.210", 53): TargetHealth(True)}
    known = {"recdns-wcdc": ("198.51.100.4",), "recdns-sby": ("198.51.100.3",)}
    out = correlate(
        snap(view(210, "198.51.100.4", 250)), [T0], FILES, board, NOW, resolve=known.get
    )
    c = out[(210, 4)]
    assert c.predicted_master == "recdns-sby"
    assert {a.kind for a in c.alarms} == {
        "master-dns-failing",
        "master-mismatch",
        "priority-mismatch",
    }
    cnh = next(h for h in c.hosts if h.name == "recdns-cnh")
    assert cnh.addresses == () and cnh.healthy is None


def test_recent_master_change_gets_the_settle_grace() -> None:
    from vrrptop.model.snapshot import MasterTerm

    term = MasterTerm("198.51.100.3", NOW - 1.0, None, 200)
    s = snap(view(210, "198.51.100.3", 200, masters=(term,)))
    c = correlate(s, [T0], FILES, HEALTHY, NOW, hosts=HOSTS)[(210, 4)]
    assert not c.settled and c.alarms == ()  # sby just took over: maybe a reboot
    later = correlate(s, [T0], FILES, HEALTHY, NOW + 10, hosts=HOSTS)[(210, 4)]
    assert [a.kind for a in later.alarms] == ["master-mismatch"]
    assert dict(later.alarms[0].evidence)["observed"] == "recdns-sby"


def test_no_known_addresses_is_a_note_not_an_alarm() -> None:
    found = verdict(snap(view(210, "198.51.100.3", 200)), [T0], FILES, {}, NOW)
    c = found.expectations[InstanceKey(210, 4)]
    assert c.predicted_master == "recdns-wcdc" and c.observed_master_name is None
    assert c.alarms == () and any("198.51.100.3 is not joined" in r for r in c.reasons)
    assert c.agrees is None  # the observed master cannot be named
    # ... and it is said, never silently: which names, and which checks are off.
    unresolved = [a for a in found.segment if a.kind == "names-unresolved"]
    assert unresolved and "recdns-wcdc" in unresolved[0].message
    assert "master and priority checks" in unresolved[0].message


def test_ipv6_link_local_master_is_named_through_its_host_mac_join() -> None:
    """keepalived's IPv6 instances advertise from link-local addresses: the tracker
    joins them to the router's IPv4 address by MAC, and that address names it."""
    t0v6 = replace(T0, families=(6,))
    ll = "fe80::76:6cff:fe00:4"
    wcdc = HostView(("198.51.100.4", ll), ("02:76:6c:00:00:04",), None, {}, {}, NOW)
    s = snap(view(210, ll, 250, family=6), hosts=(wcdc,))
    corr = correlate(s, [t0v6], FILES, HEALTHY, NOW, hosts=HOSTS)[(210, 6)]
    assert corr.observed_master_name == "recdns-wcdc"
    assert corr.predicted_master == "recdns-wcdc"
    assert not [a for a in corr.alarms if a.kind == "master-mismatch"]
