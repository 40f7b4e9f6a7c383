"""The local keepalived's alarms both ways: raised in a scenario, not in its control.

Snapshots come from the real Tracker and Judge (as in test_expect_alarms), the node's
state from the lab's keepalived 2.2.7 recordings of recdns-wcdc (IPv4 instances:
the wire here is IPv4 only).
"""

from __future__ import annotations

from dataclasses import dataclass, field, replace
from pathlib import Path

from vrrptop.config.model import InstanceConfig
from vrrptop.expect.judge import Judge
from vrrptop.keepalived.alarms import ERRORS_WINDOW_S, NodeAlarms
from vrrptop.keepalived.dumps import merge, parse_data, parse_json
from vrrptop.model.expectation import AlarmChange, AlarmKind
from vrrptop.model.node import NodeState, ScriptState
from vrrptop.model.snapshot import Snapshot
from vrrptop.model.tracker import Tracker
from vrrptop.priority import PriorityFile
from vrrptop.wire.records import Advert

DATA = Path(__file__).resolve().parents[1] / "data" / "keepalived" / "2.2.7"
PFILE = Path("priority.testdns")
SEED = PriorityFile.parse(b"recdns-cnh\n#recdns-rnb\nrecdns-sby\nrecdns-wcdc\n")
HOSTS = {f"recdns-{n}": (f"198.51.100.{i}",) for n, i in
         (("cnh", 11), ("rnb", 12), ("sby", 13), ("wcdc", 14))}  # fmt: skip
WCDC, SBY, CNH = "198.51.100.14", "198.51.100.13", "198.51.100.11"
VIPS = {210: "198.51.100.210", 211: "198.51.100.211"}
CONFIG = (
    InstanceConfig("testdns0", 210, (4,), PFILE, 0, vips=(VIPS[210],)),
    InstanceConfig("testdns1", 211, (4,), PFILE, 1, vips=(VIPS[211],)),
)


def recorded(scenario: str, ts: float) -> NodeState:
    data = parse_data((DATA / f"{scenario}.data").read_text())
    inst = merge(parse_json((DATA / f"{scenario}.json").read_text()), data.instances)
    v4 = tuple(i for i in inst if i.family == 4)
    return NodeState(ts=ts, pid=1, instances=v4, router_id=data.router_id,
                     addresses=data.addresses)  # fmt: skip


def advert(ts: float, src: str, priority: int, vrid: int) -> Advert:
    mac = f"02:76:6c:00:00:{int(src.rsplit('.', 1)[1]):02x}"
    return Advert(
        ts=ts, src=src, dst="224.0.0.18", src_mac=mac, family=4, version=2, type=1,
        vrid=vrid, priority=priority, interval_cs=100, addresses=(VIPS[vrid],), auth_type=0,
        auth_data=b"", ttl=255, checksum=0, checksum_ok=True, checksum_variant="v2",
        vlan=None, problems=(),
    )  # fmt: skip


@dataclass
class Run:
    """Tracker, judge and the node's alarms on one packet clock."""

    scenario: str = "seed"
    t: float = 1000.0
    changes: list[AlarmChange] = field(default_factory=list)

    def __post_init__(self) -> None:
        self.tracker = Tracker()
        self.judge = Judge(CONFIG)
        self.alarms = NodeAlarms("em1")
        self.node = recorded(self.scenario, self.t)
        self.snap: Snapshot | None = None

    def send(self, *adverts: tuple[str, int, int], seconds: int = 1) -> None:
        for _ in range(seconds):
            for src, prio, vrid in adverts:
                self.tracker.apply(advert(self.t, src, prio, vrid), self.t)
            self.look()
            self.t += 1.0

    def look(self) -> Snapshot:
        snap, _ = self.judge.judge(self.tracker.snapshot(self.t), {PFILE: SEED}, {},
                                   hosts=HOSTS)  # fmt: skip
        snap, changes = self.alarms.judge(snap, self.node)
        self.snap = snap
        self.changes.extend(changes)
        return snap

    def raised(self) -> set[tuple[str, str]]:
        return {(a.kind.value, a.subject) for a in self.look().alarms
                if a.kind.value.startswith("keepalived")}  # fmt: skip


SEED_WIRE = ((WCDC, 250, 210), (CNH, 250, 211))


def test_baseline_keepalived_agrees_with_wire_and_file() -> None:
    run = Run()
    run.send(*SEED_WIRE, seconds=20)
    assert run.raised() == set()
    assert not [c for c in run.changes if c.alarm.kind.value.startswith("keepalived")]


def test_master_that_another_node_outshouts() -> None:
    run = Run()
    run.send((SBY, 250, 210), (CNH, 250, 211), seconds=5)  # wcdc's adverts are not seen
    assert run.raised() == set()  # within the hold-down: could be a transition
    run.send((SBY, 250, 210), (CNH, 250, 211), seconds=6)
    (alarm,) = [a for a in run.snap.alarms if a.kind == AlarmKind.KEEPALIVED_WIRE_MISMATCH]
    assert alarm.subject == "testdns0" and alarm.severity == "error"
    assert "keepalived says MASTER for testdns0" in alarm.message
    assert alarm in next(i for i in run.snap.instances if i.vrid == 210).alarms


def test_master_while_another_advertises_too() -> None:
    """Split brain seen from the node (a peer it cannot hear, e.g. another auth_pass)."""
    run = Run()
    run.send((WCDC, 250, 210), (SBY, 200, 210), (CNH, 250, 211), seconds=12)
    (alarm,) = [a for a in run.snap.alarms if a.kind == AlarmKind.KEEPALIVED_WIRE_MISMATCH]
    assert alarm.message == (
        "keepalived says MASTER for testdns0 but 198.51.100.13 advertises as master too"
    )


def test_priority_keepalived_computed_differs_from_the_file() -> None:
    run = Run("dns-stopped")  # every named_check fails: 50, where the file says 250
    run.send((SBY, 200, 210), (CNH, 250, 211), seconds=20)
    raised = run.raised()
    assert ("keepalived-priority-mismatch", "testdns0") in raised
    (alarm,) = [a for a in run.snap.alarms if a.kind == AlarmKind.KEEPALIVED_PRIORITY_MISMATCH
                and a.subject == "testdns0"]  # fmt: skip
    assert "keepalived computed priority 50 (base 50)" in alarm.message
    assert "the priority file predicts 250" in alarm.message
    assert ("keepalived-wire-mismatch", "testdns0") not in raised  # BACKUP, another master


def test_rising_error_counters_then_quiet() -> None:
    run = Run()
    run.send(*SEED_WIRE, seconds=3)
    # The seed's states with the auth-mismatch recording's counters (auth failures).
    counters = {i.name: i.counters for i in recorded("auth-mismatch", run.t).instances}
    base = recorded("seed", run.t)
    run.node = replace(
        base, instances=tuple(replace(i, counters=counters[i.name]) for i in base.instances)
    )
    run.send(*SEED_WIRE, seconds=2)
    errors = [a for a in run.snap.alarms if a.kind == AlarmKind.KEEPALIVED_ERRORS]
    assert {a.subject for a in errors} == {"testdns0/auth_failure", "testdns1/auth_failure"}
    assert "a peer's auth_pass differs?" in errors[0].message
    run.send(*SEED_WIRE, seconds=int(ERRORS_WINDOW_S) + 6)  # no further rise
    assert run.raised() == set()
    assert any(c.state == "cleared" and c.alarm.kind == AlarmKind.KEEPALIVED_ERRORS
               for c in run.changes)  # fmt: skip


def test_fault_and_penalty_scripts_but_not_rank_scripts() -> None:
    run = Run()
    testdns0, testdns1 = run.node.instances
    penalty = ScriptState("chk_iface", False, -20, "BAD")
    run.node = replace(run.node, instances=(
        replace(testdns0, scripts=(*testdns0.scripts, penalty)),
        replace(testdns1, state="FAULT"),
    ))  # fmt: skip
    run.send(*SEED_WIRE, seconds=2)
    raised = run.raised()
    assert ("keepalived-script-failing", "testdns0/chk_iface") in raised
    assert ("keepalived-fault", "testdns1") in raised
    # the three failing rank scripts of each instance (weight > 0) are the design, not alarms
    assert not [s for k, s in raised if k == "keepalived-script-failing" and "named" in s]
