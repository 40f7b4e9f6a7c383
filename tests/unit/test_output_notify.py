"""--notify: real commands (small scripts recording their argv and environment),
fed real tracker events and alarm changes: which runs, with what (process control:
``test_output_notify_process``)."""

from __future__ import annotations

import time
from dataclasses import replace
from pathlib import Path

import pytest

from tests.unit.notify_kit import (
    CNH4,
    CNH6,
    SBY4,
    T0,
    WCDC4,
    WCDC6,
    master,
    named_snapshot,
    runs,
    wait_runs,
)
from tests.unit.prom_samples import KEY4, KEY6, alarm
from vrrptop.model.events import Event
from vrrptop.model.expectation import AlarmChange, AlarmKind, DeclaredHost, InstanceKey
from vrrptop.output.notify import Notifier
from vrrptop.output.notify_env import Names


def test_dual_stack_failover_is_one_run_with_keepalived_arguments(
    out: Path, recorder: Path, notifiers: list[Notifier]
) -> None:
    snap = named_snapshot()
    n = Notifier(str(recorder), snapshot=lambda: snap, coalesce_s=0.3)
    notifiers.append(n)
    now = time.time()  # live: event times are the wall clock
    n.event(master(now, 210, 4, WCDC4, CNH4, gap_s=0.2))
    n.event(master(now + 0.01, 210, 6, WCDC6, CNH6, gap_s=0.3))
    n.event(Event(now, "priority-change", "info", "x", 210, 4))  # not notified
    (run,) = wait_runs(out, 1)
    time.sleep(0.5)
    assert len(runs(out)) == 1, "one run for both families"
    assert run["argv"] == ["INSTANCE", "testdns0", "MASTER", "250"]
    env = run["env"]
    assert env["VRRPTOP_EVENT"] == "new-master" and env["VRRPTOP_STATE"] == "MASTER"
    assert (env["VRRPTOP_VRID"], env["VRRPTOP_FAMILY"], env["VRRPTOP_VLAN"]) == ("210", "4,6", "")
    assert env["VRRPTOP_OLD_MASTER"] == f"{WCDC4},{WCDC6}"
    assert env["VRRPTOP_NEW_MASTER"] == f"{CNH4},{CNH6}"
    assert env["VRRPTOP_OLD_MASTER_NAME"] == "recdns-wcdc"
    assert env["VRRPTOP_NEW_MASTER_NAME"] == "recdns-cnh"
    assert env["VRRPTOP_GAP_S"] == "0.300" and env["VRRPTOP_REASON"] == "preempt"
    assert env["VRRPTOP_CHANGES"] == "1" and env["VRRPTOP_DEAD"] == ""
    assert "recdns-wcdc -> recdns-cnh" in env["VRRPTOP_MESSAGE"]
    assert n.runs == 1 and n.failures == 0


def test_replayed_changes_coalesce_on_the_packet_clock(
    out: Path, recorder: Path, notifiers: list[Notifier]
) -> None:
    """A fast replay delivers 100 s of capture in milliseconds: runs follow the
    capture's clock, and a transient master inside the window is folded in."""
    n = Notifier(str(recorder), coalesce_s=2.0, hold_down_s=5.0)
    notifiers.append(n)
    n.event(master(T0, 210, 4, WCDC4, CNH4))
    n.event(master(T0 + 10.0, 211, 4, CNH4, SBY4, priority=200))  # the transient master
    n.event(master(T0 + 10.8, 211, 4, SBY4, WCDC4, priority=250))
    n.event(master(T0 + 20.0, 210, 4, CNH4, WCDC4, reason="failover"))
    n.close()
    got = runs(out)
    assert [(r["env"]["VRRPTOP_VRID"], r["env"]["VRRPTOP_CHANGES"]) for r in got] == [
        ("210", "1"),
        ("211", "2"),
        ("210", "1"),
    ]
    transient = got[1]["env"]
    assert transient["VRRPTOP_OLD_MASTER"] == CNH4 and transient["VRRPTOP_NEW_MASTER"] == WCDC4
    assert got[1]["argv"] == ["INSTANCE", "VRID211", "MASTER", "250"]  # no name known
    assert got[2]["env"]["VRRPTOP_REASON"] == "failover"


def test_a_flapping_master_runs_once_per_hold_down(
    out: Path, recorder: Path, notifiers: list[Notifier]
) -> None:
    n = Notifier(str(recorder), coalesce_s=0.5, hold_down_s=30.0)
    notifiers.append(n)
    pair = [(WCDC4, CNH4), (CNH4, WCDC4)]
    for i in range(7):
        old, new = pair[i % 2]
        n.event(master(T0 + 3 * i, 210, 4, old, new))
    n.close()
    got = runs(out)
    assert len(got) == 2
    assert got[0]["env"]["VRRPTOP_CHANGES"] == "1"
    assert got[1]["env"]["VRRPTOP_CHANGES"] == "6"  # the rest, folded into the hold-down
    assert got[1]["env"]["VRRPTOP_OLD_MASTER"] == CNH4  # before the first folded change
    assert got[1]["env"]["VRRPTOP_NEW_MASTER"] == CNH4  # the master at the end


def test_first_sight_and_resumed_masters_are_not_changes(
    out: Path, recorder: Path, notifiers: list[Notifier]
) -> None:
    n = Notifier(str(recorder), coalesce_s=0.1)
    notifiers.append(n)
    n.event(master(T0, 210, 4, None, CNH4, reason="first"))
    n.event(master(T0 + 5, 210, 4, CNH4, CNH4, reason="resumed"))
    n.event(Event(T0 + 6, "split-brain", "error", "two masters", 210, 4))
    n.close()
    assert runs(out) == [] and n.runs == 0


@pytest.mark.parametrize(
    ("declared", "state"),
    [
        (DeclaredHost("recdns-wcdc", (WCDC4,), True, False), "DEAD"),  # its DNS failed
        (DeclaredHost("recdns-wcdc", (WCDC4,), False, False), "MASTER"),  # out of service
        (DeclaredHost("recdns-wcdc", (WCDC4,), True, True), "MASTER"),  # healthy: preempted
        (DeclaredHost("recdns-wcdc", (WCDC4,), True, None), "MASTER"),  # not probed
    ],
)
def test_dead_where_the_seed_notify_script_says_dead(
    out: Path, recorder: Path, notifiers: list[Notifier], declared: DeclaredHost, state: str
) -> None:
    snap = replace(named_snapshot(), declared_hosts=(declared,))
    n = Notifier(str(recorder), snapshot=lambda: snap)
    notifiers.append(n)
    n.event(master(T0, 210, 4, WCDC4, CNH4, priority=200))
    n.close()
    (run,) = runs(out)
    assert run["argv"] == ["INSTANCE", "testdns0", state, "200"]
    assert run["env"]["VRRPTOP_DEAD"] == (WCDC4 if state == "DEAD" else "")


def test_dead_from_a_raised_dns_alarm_without_a_snapshot(
    out: Path, recorder: Path, notifiers: list[Notifier]
) -> None:
    n = Notifier(str(recorder))
    notifiers.append(n)
    failing = replace(
        alarm(AlarmKind.MASTER_DNS_FAILING, KEY4, "recdns-wcdc"), evidence=(("address", WCDC4),)
    )
    n.alarm(AlarmChange("raised", failing, T0))
    n.event(master(T0 + 1, 210, 4, WCDC4, CNH4))
    n.alarm(AlarmChange("cleared", failing, T0 + 30))
    n.event(master(T0 + 60, 210, 4, CNH4, WCDC4))
    n.event(master(T0 + 90, 210, 4, WCDC4, CNH4))  # DNS fine now: a plain preempt
    n.close()
    states = [(r["argv"][2], r["env"]["VRRPTOP_EVENT"]) for r in runs(out)]
    assert states == [
        ("ALARM", "alarm"),
        ("DEAD", "new-master"),
        ("CLEARED", "alarm"),
        ("MASTER", "new-master"),
        ("MASTER", "new-master"),
    ]


def test_dead_from_a_host_dns_alarm_naming_the_old_master(
    out: Path, recorder: Path, notifiers: list[Notifier]
) -> None:
    """The judgement's DNS alarms name the host; the old master is an address that the
    configuration's [hosts] (here, no snapshot at all) joins to that name."""
    n = Notifier(str(recorder), names=Names({210: "testdns0"}, {"recdns-wcdc": (WCDC4, WCDC6)}))
    notifiers.append(n)
    failing = alarm(AlarmKind.HOST_DNS_FAILING, None, "recdns-wcdc")
    n.alarm(AlarmChange("raised", failing, T0))
    n.event(master(T0 + 1, 210, 4, WCDC4, CNH4, priority=200))
    n.event(master(T0 + 1.01, 210, 6, WCDC6, CNH6, priority=200))
    n.close()
    master_run = next(r for r in runs(out) if r["env"]["VRRPTOP_EVENT"] == "new-master")
    assert master_run["argv"] == ["INSTANCE", "testdns0", "DEAD", "200"]
    assert master_run["env"]["VRRPTOP_DEAD"] == f"{WCDC4},{WCDC6}"
    assert master_run["env"]["VRRPTOP_OLD_MASTER_NAME"] == "recdns-wcdc"
    assert "recdns-wcdc dropped out with failing DNS" in master_run["env"]["VRRPTOP_MESSAGE"]


def test_alarm_raised_and_cleared_on_both_families_is_one_run_each(
    out: Path, recorder: Path, notifiers: list[Notifier]
) -> None:
    n = Notifier(str(recorder))
    notifiers.append(n)
    a4 = replace(
        alarm(AlarmKind.SPLIT_BRAIN, KEY4, KEY4.label, name="testdns0", since=T0),
        evidence=(("sources", f"{WCDC4} {SBY4}"),),
    )
    a6 = alarm(AlarmKind.SPLIT_BRAIN, KEY6, KEY6.label, name="testdns0", since=T0 + 0.1)
    other = alarm(AlarmKind.SPLIT_BRAIN, InstanceKey(210, 4, 20), "VRID 210 (IPv4, VLAN 20)")
    segment = alarm(AlarmKind.NAMES_UNRESOLVED, None, "recdns-xyz")
    for change in (
        AlarmChange("raised", a4, T0),
        AlarmChange("raised", a6, T0 + 0.2),
        AlarmChange("raised", other, T0 + 0.3),  # another VLAN: another router
        AlarmChange("raised", segment, T0 + 0.4),
        AlarmChange("cleared", a4, T0 + 10),
        AlarmChange("cleared", a6, T0 + 10.1),
    ):
        n.alarm(change)
    n.close()
    got = runs(out)
    assert [r["argv"] for r in got] == [
        ["INSTANCE", "testdns0", "ALARM", "0"],
        ["INSTANCE", "VRID210", "ALARM", "0"],
        ["INSTANCE", "recdns-xyz", "ALARM", "0"],
        ["INSTANCE", "testdns0", "CLEARED", "0"],
    ]
    env = got[0]["env"]
    assert env["VRRPTOP_ALARM_KIND"] == "split-brain"
    assert env["VRRPTOP_ALARM_SEVERITY"] == "error"
    assert env["VRRPTOP_ALARM_STATE"] == "raised"
    assert env["VRRPTOP_FAMILY"] == "4,6" and env["VRRPTOP_VLAN"] == ""
    assert env["VRRPTOP_SUBJECT"] == "VRID 210 (IPv4),VRID 210 (IPv6)"
    assert env["VRRPTOP_SINCE"] == f"{T0:.3f}"
    assert env["VRRPTOP_EVIDENCE"] == f"sources={WCDC4} {SBY4}"
    assert got[1]["env"]["VRRPTOP_VLAN"] == "20"
    seg = got[2]["env"]
    assert (seg["VRRPTOP_VRID"], seg["VRRPTOP_FAMILY"], seg["VRRPTOP_VLAN"]) == ("", "", "")
    assert got[3]["env"]["VRRPTOP_ALARM_STATE"] == "cleared"


def test_packet_text_never_reaches_a_shell(
    tmp_path: Path, out: Path, recorder: Path, notifiers: list[Notifier]
) -> None:
    canary = tmp_path / "pwned"
    hostile = f"$(touch {canary}); `touch {canary}` | x\n\x00\x1b[2J"
    # the configured command is split once (shlex): quoted words stay one argument
    n = Notifier(f"{recorder} --to 'ops team'")
    notifiers.append(n)
    bad = replace(alarm(AlarmKind.MASTER_MISMATCH, KEY4, hostile), message=hostile)
    n.alarm(AlarmChange("raised", replace(bad, name=hostile), T0))
    n.close()
    (run,) = runs(out)
    assert not canary.exists()
    cleaned = hostile.replace("\n", "?").replace("\x00", "?").replace("\x1b", "?")
    assert run["argv"] == ["--to", "ops team", "INSTANCE", cleaned, "ALARM", "0"]
    assert run["env"]["VRRPTOP_MESSAGE"] == cleaned
