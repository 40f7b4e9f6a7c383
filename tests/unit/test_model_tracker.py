"""Tracker state machine: elections, timers, resign, contention, split brain.

Records are built directly (no decoder); time is a fake clock passed to apply/tick.
Expected values come from the RFC timer formulas worked out by hand in comments.
"""

from __future__ import annotations

import json

import pytest

from vrrptop.model.events import Event
from vrrptop.model.tracker import Tracker
from vrrptop.wire.records import Advert

A = "198.51.100.10"
B = "198.51.100.20"
C = "198.51.100.30"
MAC_A = "02:00:00:00:00:0a"
MAC_B = "02:00:00:00:00:14"
MAC_C = "02:00:00:00:00:1e"
VIP = "198.51.100.1"
# v2, 1 s interval: MDI = 3 * 1 + (256 - prio) / 256  (RFC 3768 6.1)
MDI_200 = 3 + 56 / 256  # 3.21875
MDI_100 = 3 + 156 / 256  # 3.609375


def adv(src: str = A, prio: int = 200, ts: float = 0.0, **kw: object) -> Advert:
    """An IPv4 VRRPv2 advert for VRID 7 with overridable fields."""
    fields: dict[str, object] = dict(
        ts=ts,
        src=src,
        dst="224.0.0.18",
        src_mac={A: MAC_A, B: MAC_B, C: MAC_C}.get(src, "02:00:00:00:00:ff"),
        family=4,
        version=2,
        type=1,
        vrid=7,
        priority=prio,
        interval_cs=100,
        addresses=(VIP,),
        auth_type=0,
        auth_data=b"\0" * 8,
        ttl=255,
        checksum=0x1234,
        checksum_ok=True,
        checksum_variant="v2",
        vlan=None,
        problems=(),
    )
    fields.update(kw)
    return Advert(**fields)  # type: ignore[arg-type]


def kinds(events: list[Event]) -> list[str]:
    return [e.kind for e in events]


def feed(t: Tracker, items: list[tuple[float, Advert]]) -> list[Event]:
    """Apply (time, advert) pairs in order; return all events, checking JSON safety."""
    out: list[Event] = []
    for now, a in items:
        out.extend(t.apply(a, now))
    for e in out:
        json.dumps(e.to_json())
    return out


def beats(
    src: str, prio: int, start: float, n: int, step: float = 1.0
) -> list[tuple[float, Advert]]:
    return [(start + i * step, adv(src, prio)) for i in range(n)]


def test_initial_election() -> None:
    t = Tracker()
    ev = feed(t, beats(A, 200, 0.0, 3))
    assert kinds(ev) == ["new-master"]
    e = ev[0]
    assert (e.vrid, e.family, e.severity) == (7, 4, "info")
    assert e.detail["src"] == A and e.detail["previous"] is None
    assert e.detail["priority"] == 200 and e.detail["gap_s"] is None
    iv = t.snapshot(2.5).instances[0]
    assert (iv.master, iv.priority, iv.state, iv.adverts) == (A, 200, "ok", 3)
    assert iv.master_down_s == pytest.approx(MDI_200)
    assert iv.age_s == pytest.approx(0.5)
    assert [m.src for m in iv.masters] == [A] and iv.masters[0].until is None


def test_master_lost_exactly_after_master_down_interval() -> None:
    t = Tracker()
    feed(t, beats(A, 200, 0.0, 6))  # last advert at t=5
    deadline = 5.0 + MDI_200
    assert t.tick(deadline - 1e-3) == []
    assert t.snapshot(deadline - 1e-3).instances[0].state == "ok"
    ev = t.tick(deadline + 1e-3)
    assert kinds(ev) == ["master-lost"]
    assert ev[0].ts == pytest.approx(deadline) and ev[0].severity == "warning"
    assert ev[0].detail["src"] == A
    assert t.tick(deadline + 5) == []  # once only
    iv = t.snapshot(deadline + 5).instances[0]
    assert iv.state == "silent" and iv.masters[-1].until == pytest.approx(5.0)
    # A backup takes over 4 s after the last advert: failover with the outage gap.
    ev = feed(t, [(9.0, adv(B, 100)), (10.0, adv(B, 100))])
    assert kinds(ev) == ["new-master"]
    d = ev[0].detail
    assert (d["src"], d["previous"], d["priority"], d["reason"]) == (B, A, 100, "failover")
    assert d["gap_s"] == pytest.approx(4.0)
    iv = t.snapshot(10.0).instances[0]
    assert (iv.master, iv.state) == (B, "ok")
    assert [m.src for m in iv.masters] == [A, B]


def test_master_lost_fires_inside_apply_without_tick() -> None:
    t = Tracker()
    feed(t, beats(A, 200, 0.0, 2))  # last at t=1
    ev = feed(t, [(10.0, adv(B, 100))])
    assert kinds(ev) == ["master-lost", "new-master"]
    assert ev[0].ts == pytest.approx(1.0 + MDI_200)


def test_master_lost_not_fired_while_adverts_keep_coming() -> None:
    t = Tracker()
    ev = feed(t, beats(A, 200, 0.0, 50, step=3.2))  # just under MDI_200 each time
    assert kinds(ev) == ["new-master"]


def test_preemption_is_new_master_not_split_brain() -> None:
    t = Tracker()
    items = beats(A, 100, 0.0, 6)  # A master until t=5
    items.append((5.5, adv(B, 200)))  # B preempts
    items.append((6.0, adv(A, 100)))  # A's trailing advert, sent before it saw B
    items += beats(B, 200, 6.5, 10)
    ev = feed(t, items)
    assert kinds(ev) == ["new-master", "new-master"]
    d = ev[1].detail
    assert (d["src"], d["previous"], d["reason"]) == (B, A, "preempt")
    assert d["gap_s"] == pytest.approx(0.5)
    assert t.snapshot(15.0).instances[0].state == "ok"


@pytest.mark.parametrize(
    ("first", "second", "winner"),
    [
        # As strings "198.51.100.9" > "198.51.100.10": the numeric rule must win.
        ("198.51.100.9", "198.51.100.10", "198.51.100.10"),
        ("198.51.100.10", "198.51.100.9", "198.51.100.10"),
    ],
)
def test_equal_priority_tie_break_by_higher_ip(first: str, second: str, winner: str) -> None:
    t = Tracker()
    ev = feed(t, [(0.0, adv(first, 100)), (1.0, adv(first, 100)), (1.5, adv(second, 100))])
    assert t.snapshot(1.5).instances[0].master == winner
    if winner == second:
        assert kinds(ev) == ["new-master", "new-master"]
    else:
        assert kinds(ev) == ["new-master", "contention"]
        assert ev[1].detail == {"src": second, "priority": 100, "master": first}


def test_resign_then_backup_takes_over() -> None:
    t = Tracker()
    items = beats(A, 200, 0.0, 4)
    items.append((3.5, adv(A, 0)))
    ev = feed(t, items)
    assert kinds(ev) == ["new-master", "resign"]
    assert ev[1].severity == "warning" and ev[1].detail["src"] == A
    assert t.snapshot(3.6).instances[0].state == "resigned"
    assert t.tick(100.0) == []  # a resigned master is not "lost"
    # The backup waits only Skew_Time (156/256 s) after a priority-0 advert.
    ev = feed(t, [(4.1, adv(B, 100))])
    assert kinds(ev) == ["new-master"]
    d = ev[0].detail
    assert (d["previous"], d["reason"]) == (A, "resign")
    assert d["gap_s"] == pytest.approx(0.6)
    assert t.snapshot(4.1).instances[0].state == "ok"


def test_silent_master_resuming_starts_a_new_term() -> None:
    t = Tracker()
    feed(t, beats(A, 200, 0.0, 2))
    ev = feed(t, [(10.0, adv(A, 200))])
    assert kinds(ev) == ["master-lost", "new-master"]
    assert ev[1].detail["reason"] == "resumed" and ev[1].detail["previous"] == A
    assert ev[1].detail["gap_s"] == pytest.approx(9.0)
    assert len(t.snapshot(10.0).instances[0].masters) == 2


def test_election_collision_is_contention_not_split_brain() -> None:
    """Two equal backups time out together; the lower IP sends one advert and yields."""
    t = Tracker()
    items = beats(A, 200, 0.0, 3)  # A dies after t=2
    items += [(5.8, adv(C, 100)), (5.81, adv(B, 100))]
    items += beats(C, 100, 6.8, 10)
    ev = feed(t, items)
    assert kinds(ev) == ["new-master", "master-lost", "new-master", "contention"]
    assert ev[2].detail["src"] == C and ev[3].detail["src"] == B
    assert "split-brain" not in kinds(ev + t.tick(30.0))


def test_split_brain_detected_once_and_cleared() -> None:
    t = Tracker()
    items = beats(A, 100, 0.0, 8)
    items += beats(B, 100, 2.5, 6)  # B interleaves from t=2.5 to 7.5
    items.sort(key=lambda x: x[0])
    ev = feed(t, items)
    splits = [e for e in ev if e.kind == "split-brain"]
    assert len(splits) == 1
    assert splits[0].severity == "error" and splits[0].detail == {"sources": [A, B]}
    # Both sent 3 adverts since B appeared at 2.5: A at 3, 4, 5 -> detected at t=5.
    assert splits[0].ts == pytest.approx(5.0)
    assert t.snapshot(7.6).instances[0].state == "split-brain"
    # B stops at 7.5; A continues. Once B's MDI has passed, the split clears.
    ev = feed(t, beats(A, 100, 8.0, 6))
    assert "split-brain" not in kinds(ev)
    assert t.snapshot(13.0).instances[0].state == "ok"
    # A new episode is reported again.
    items = beats(A, 100, 14.0, 6) + beats(B, 100, 14.5, 6)
    items.sort(key=lambda x: x[0])
    assert kinds(feed(t, items)).count("split-brain") == 1


def test_priority_change_of_the_master() -> None:
    t = Tracker()
    ev = feed(t, beats(A, 250, 0.0, 3) + beats(A, 50, 3.0, 3))
    assert kinds(ev) == ["new-master", "priority-change"]
    assert ev[1].detail == {"src": A, "old": 250, "new": 50}
    iv = t.snapshot(5.0).instances[0]
    assert iv.priority == 50
    # The master's own timer follows its new priority: 3 + 206/256.
    assert iv.master_down_s == pytest.approx(3 + 206 / 256)
    # A backup at 200 now outranks the weakened master and preempts it.
    ev = feed(t, [(5.3, adv(B, 200)), (5.9, adv(A, 50))] + beats(B, 200, 6.3, 4))
    assert kinds(ev) == ["new-master"]
    assert (ev[0].detail["src"], ev[0].detail["previous"]) == (B, A)
    assert ev[0].detail["reason"] == "preempt"


def test_gap_statistics_of_the_master() -> None:
    t = Tracker()
    feed(t, [(0.0, adv()), (1.0, adv()), (2.2, adv()), (3.0, adv())])
    g = t.snapshot(3.0).instances[0].gaps
    assert g.count == 3
    assert g.min == pytest.approx(0.8) and g.max == pytest.approx(1.2)
    assert g.avg == pytest.approx(1.0)
    assert g.jitter == pytest.approx((0.0 + 0.2 + 0.2) / 3)
    assert g.recent == pytest.approx((1.0, 1.2, 0.8))


def test_sources_and_hosts_track_priorities_and_last_master() -> None:
    t = Tracker()
    feed(t, beats(A, 200, 0.0, 3) + [(3.0, adv(B, 100))])
    snap = t.snapshot(3.0)
    srcs = {s.src: s for s in snap.instances[0].sources}
    assert srcs[A].adverts == 3 and srcs[A].last_master == 2.0
    assert srcs[B].adverts == 1 and srcs[B].last_master is None
    hosts = {h.addresses: h for h in snap.hosts}
    assert hosts[(A,)].priorities == {"7/4": 200} and hosts[(A,)].last_master == {"7/4": 2.0}
    assert hosts[(B,)].last_master == {}


def test_checksum_errors_are_counted_and_rate_limited() -> None:
    t = Tracker()
    items = [(float(i), adv(checksum_ok=False, checksum_variant=None)) for i in range(12)]
    ev = feed(t, items)
    assert kinds(ev) == ["new-master", "checksum-error", "checksum-error"]  # t=0 and t=10
    snap = t.snapshot(11.0)
    assert snap.counters.checksum_errors == 12
    iv = snap.instances[0]
    assert iv.checksum_errors == 12 and iv.state == "checksum-errors"
    assert iv.problems["bad-checksum"] == 12


def test_advert_problems_are_counted_per_instance() -> None:
    t = Tracker()
    feed(t, [(float(i), adv(problems=("ttl-not-255",), ttl=64)) for i in range(4)])
    assert t.snapshot(3.0).instances[0].problems["ttl-not-255"] == 4
