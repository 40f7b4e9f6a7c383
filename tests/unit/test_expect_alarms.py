"""Every alarm both ways: a scenario where it must be raised, a control where it must not.

Snapshots come from the real Tracker fed advert and GARP records on a packet clock;
the Judge (``vrrptop.expect.judge``) runs on them as the monitor runs it.
"""

from __future__ import annotations

from dataclasses import dataclass, field, replace
from pathlib import Path

from vrrptop.config.model import InstanceConfig
from vrrptop.expect.judge import Judge
from vrrptop.model.expectation import AlarmChange
from vrrptop.model.snapshot import Snapshot
from vrrptop.model.tracker import Tracker
from vrrptop.priority import PriorityFile
from vrrptop.wire.records import Advert, Garp

PFILE = Path("priority.testdns")
SEED = PriorityFile.parse(b"recdns-cnh\n#recdns-rnb\nrecdns-sby\nrecdns-wcdc\n")
HOSTS = {
    "recdns-cnh": ("198.51.100.11",),
    "recdns-rnb": ("198.51.100.12",),
    "recdns-sby": ("198.51.100.13",),
    "recdns-wcdc": ("198.51.100.14",),
}
MAC = {a[0]: f"02:76:6c:00:00:{int(a[0].rsplit('.', 1)[1]):02x}" for a in HOSTS.values()}
WCDC, SBY, CNH = "198.51.100.14", "198.51.100.13", "198.51.100.11"
VIP = "198.51.100.210"
T0 = InstanceConfig("testdns0", 210, (4,), PFILE, 0, vips=(VIP,))
T1 = InstanceConfig("testdns1", 211, (4,), PFILE, 1, vips=("198.51.100.211",))


def advert(ts: float, src: str, priority: int, vrid: int = 210) -> Advert:
    return Advert(
        ts=ts, src=src, dst="224.0.0.18", src_mac=MAC[src], family=4, version=2, type=1,
        vrid=vrid, priority=priority, interval_cs=100,
        addresses=(VIP,) if vrid == 210 else ("198.51.100.211",), auth_type=0,
        auth_data=b"", ttl=255, checksum=0, checksum_ok=True, checksum_variant="v2",
        vlan=None, problems=(),
    )  # fmt: skip


@dataclass
class Run:
    """A tracker and a judge on one packet clock."""

    instances: tuple[InstanceConfig, ...] = (T0,)
    files: dict[Path, PriorityFile] = field(default_factory=lambda: {PFILE: SEED})
    health: dict[str, object] = field(default_factory=dict)
    hosts: dict[str, tuple[str, ...]] = field(default_factory=lambda: dict(HOSTS))
    probing: bool = False
    distributes: bool = False
    t: float = 1000.0
    changes: list[AlarmChange] = field(default_factory=list)

    def __post_init__(self) -> None:
        self.tracker = Tracker()
        self.judge = Judge(self.instances, probing=self.probing, distributes=self.distributes)
        self.snap: Snapshot | None = None

    def send(self, *adverts: tuple[str, int] | tuple[str, int, int], seconds: float = 1.0) -> None:
        """Each source in ``adverts`` advertises once a second for ``seconds``."""
        steps = max(1, round(seconds))
        for _ in range(steps):
            for item in adverts:
                src, prio, *rest = item
                self.tracker.apply(advert(self.t, src, prio, *rest), self.t)
            self.look()
            self.t += 1.0

    def garp(self, mac: str, address: str = VIP) -> None:
        self.tracker.apply(Garp(self.t, address, mac, 4, "arp-request", mac, None), self.t)

    def wait(self, seconds: float) -> None:
        end = self.t + seconds
        while self.t < end:
            self.t += 0.5
            self.tracker.tick(self.t)
            self.look()

    def look(self) -> Snapshot:
        snap, changes = self.judge.judge(
            self.tracker.snapshot(self.t), self.files, self.health, hosts=self.hosts
        )
        self.snap = snap
        self.changes.extend(changes)
        return snap

    def raised(self) -> set[tuple[str, int | None]]:
        snap = self.look()
        return {(a.kind.value, a.key.vrid if a.key else None) for a in snap.alarms}

    def ever(self, kind: str) -> bool:
        return any(c.state == "raised" and c.alarm.kind == kind for c in self.changes)


def steady(run: Run) -> Run:
    run.send((WCDC, 250), seconds=10)  # wcdc master of testdns0, as the seed predicts
    return run


# -- baseline -------------------------------------------------------------------------


def test_baseline_raises_nothing() -> None:
    run = steady(Run())
    assert run.raised() == set()
    assert run.changes == []


# -- split brain ----------------------------------------------------------------------


def test_split_brain_is_an_alarm_raised_and_cleared_once() -> None:
    run = steady(Run())
    run.send((WCDC, 250), (SBY, 200), seconds=6)
    assert ("split-brain", 210) in run.raised()
    run.send((WCDC, 250), seconds=10)
    assert ("split-brain", 210) not in run.raised()
    states = [(c.state, c.alarm.kind.value) for c in run.changes if c.alarm.kind == "split-brain"]
    assert states == [("raised", "split-brain"), ("cleared", "split-brain")]


def test_control_a_preemption_is_not_split_brain() -> None:
    run = Run()
    run.send((SBY, 200), seconds=10)
    run.send((WCDC, 250), (SBY, 200), seconds=1)  # wcdc preempts: sby sends one more
    run.send((WCDC, 250), seconds=8)
    assert not run.ever("split-brain")
    assert run.raised() == set()


# -- the VIP's holder -----------------------------------------------------------------


def test_vip_announced_by_the_loser_after_a_split_heals() -> None:
    run = steady(Run())
    run.garp(MAC[WCDC])
    run.send((WCDC, 250), (SBY, 200), seconds=5)
    run.garp(MAC[SBY])  # sby announces during the split: the last word is the loser's
    run.send((WCDC, 250), seconds=8)
    assert ("vip-holder-not-master", 210) in run.raised()
    alarm = next(a for a in run.look().alarms if a.kind == "vip-holder-not-master")
    assert alarm.subject == VIP and MAC[SBY] in alarm.message


def test_control_the_master_announcing_its_vip() -> None:
    run = steady(Run())
    run.garp(MAC[WCDC])
    run.send((WCDC, 250), seconds=8)
    assert run.raised() == set()


def test_control_garp_grace_right_after_a_master_change() -> None:
    run = steady(Run())
    run.garp(MAC[WCDC])
    run.send((SBY, 255), seconds=1)  # sby preempts; its GARP is still on its way
    assert not run.ever("vip-holder-not-master")


# -- silence --------------------------------------------------------------------------


def test_configured_instance_never_seen_has_a_row_and_an_alarm() -> None:
    unicast = replace(T1, unicast=True)
    run = Run(instances=(T0, unicast))
    run.send((WCDC, 250), seconds=3)
    # vrrptop just started: an instance that has not spoken yet is not silent yet.
    assert ("instance-silent", 211) not in run.raised()
    snap = run.look()
    row = next(v for v in snap.instances if v.vrid == 211)
    assert row.state == "unseen" and row.name == "testdns1"
    run.send((WCDC, 250), seconds=6)
    assert ("instance-silent", 211) in run.raised()
    alarm = next(a for a in run.look().alarms if a.kind == "instance-silent")
    assert "unicast_peer" in alarm.message


def test_a_failover_gap_is_not_silence_but_a_dead_segment_is() -> None:
    run = steady(Run())
    run.wait(3.4)  # the tracker calls the master lost
    run.send((SBY, 200), seconds=8)  # sby takes over (kill -9 of wcdc)
    assert not run.ever("instance-silent")
    assert run.raised() == set()  # and wcdc, gone, is not expected back
    run.wait(8)
    assert ("instance-silent", 210) in run.raised()


# -- prediction: what keepalived really does ------------------------------------------


def test_stopped_master_is_not_expected_back() -> None:
    run = steady(Run())
    run.send((WCDC, 0), seconds=1)  # graceful stop: priority 0
    run.send((SBY, 200), seconds=10)
    assert run.raised() == set()
    exp = next(v for v in run.look().instances if v.vrid == 210).expectation
    assert exp is not None and exp.predicted_master == "recdns-sby"
    assert any("recdns-wcdc cannot win" in r for r in exp.reasons)


def test_nopreempt_keeps_the_master_control_without_it_mismatches() -> None:
    reversed_file = {
        PFILE: PriorityFile.parse(b"recdns-wcdc\n#recdns-rnb\nrecdns-sby\nrecdns-cnh\n")
    }
    quiet = Run(instances=(replace(T0, nopreempt=True),), files=reversed_file)
    quiet.send((WCDC, 100), seconds=12)
    assert quiet.raised() == set()
    loud = Run(files=reversed_file)
    loud.send((WCDC, 100), seconds=12)
    assert ("master-mismatch", 210) in loud.raised()


def test_comment_line_shifts_ranks_as_the_seed_script_does() -> None:
    # A comment on top: testdns1 (5 - line) gives cnh on line 2 rank 3, 200, not 250.
    commented = {PFILE: PriorityFile.parse(b"# top\nrecdns-cnh\n#recdns-rnb\nrecdns-sby\n")}
    run = Run(instances=(T1,), files=commented)
    run.send((CNH, 200, 211), seconds=12)
    assert run.raised() == set()
    exp = next(v for v in run.look().instances if v.vrid == 211).expectation
    assert exp is not None and exp.priority_of("recdns-cnh") == 200


# -- DNS ------------------------------------------------------------------------------


def test_host_dns_failing_only_for_hosts_in_service() -> None:
    run = steady(Run(probing=True, health={"198.51.100.13": False, "198.51.100.12": False}))
    run.send((WCDC, 250), seconds=8)
    raised = run.raised()
    subjects = {a.subject for a in run.look().alarms if a.kind == "host-dns-failing"}
    assert ("host-dns-failing", None) in raised
    assert subjects == {"recdns-sby"}  # rnb is commented out: information, not an alarm


def test_vip_dns_failing_needs_a_dns_instance() -> None:
    run = steady(Run(probing=True, health={VIP: False}))
    run.send((WCDC, 250), seconds=8)
    assert ("vip-dns-failing", 210) in run.raised()
    plain = steady(
        Run(instances=(replace(T0, serves_dns=False),), probing=True, health={VIP: False})
    )
    plain.send((WCDC, 250), seconds=8)
    assert plain.raised() == set()


# -- names ----------------------------------------------------------------------------


def test_names_that_do_not_resolve_are_said_not_guessed() -> None:
    run = steady(Run(hosts={}))
    run.send((WCDC, 250), seconds=6)
    assert ("names-unresolved", None) in run.raised()
    assert not run.ever("master-mismatch")
    snap = run.look()
    assert any("recdns-wcdc" in w and "not resolved" in w for w in snap.warnings)


def test_control_resolved_names_raise_no_warning() -> None:
    run = steady(Run())
    run.send((WCDC, 250), seconds=6)
    assert run.look().warnings == ()


# -- saves ----------------------------------------------------------------------------


def _save_reversed(run: Run) -> None:
    new = PriorityFile.parse(b"recdns-wcdc\n#recdns-rnb\nrecdns-sby\nrecdns-cnh\n")
    assert run.snap is not None
    run.judge.note_save(PFILE, run.t, run.snap)
    run.files = {PFILE: new}


def test_save_not_distributed_when_nothing_moves() -> None:
    run = steady(Run())
    _save_reversed(run)
    run.send((WCDC, 250), seconds=10)  # the others read their own copies: nothing moves
    raised = run.raised()
    assert ("save-not-distributed", 210) in raised and ("master-mismatch", 210) in raised


def test_control_save_followed_by_the_cluster() -> None:
    run = steady(Run())
    _save_reversed(run)
    run.send((WCDC, 100), (CNH, 250), seconds=1)
    run.send((CNH, 250), seconds=10)
    assert run.raised() == set()
    assert not run.ever("save-not-distributed")


def test_control_save_with_on_save_gives_no_hint() -> None:
    run = steady(Run(distributes=True))
    _save_reversed(run)
    run.send((WCDC, 250), seconds=10)
    assert ("save-not-distributed", 210) not in run.raised()


def test_a_picture_dated_zero_starts_no_hold_down() -> None:
    # The engine's first picture before any frame is dated 0: judging it would start
    # names-unresolved's 5 s hold at the epoch and raise it at the first real picture.
    run = Run(hosts={})
    snap, changes = run.judge.judge(run.tracker.snapshot(0.0), run.files, {}, hosts={})
    assert changes == [] and snap.alarms == ()
    run.send((WCDC, 250), seconds=2)
    assert not run.ever("names-unresolved")  # held, not raised at once
    run.send((WCDC, 250), seconds=5)
    assert run.ever("names-unresolved")
