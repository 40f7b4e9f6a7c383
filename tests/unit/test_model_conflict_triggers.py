"""The checks over all sources run when their answer can change, not on every advert.

Contention (every router advertising as master) is exactly when the operator needs
the tool, so a repeat from a contending router must not cost O(routers). These tests
count the calls of ``check_split``/``check_mismatch`` (a structural property, not a
timing) and check that what they decide still happens at the right advert.
"""

from __future__ import annotations

from collections import Counter

import pytest

from tests.unit.test_model_tracker import adv
from vrrptop import native
from vrrptop.model import instance as instance_mod
from vrrptop.model.events import Event
from vrrptop.model.tracker import Tracker

ROUTERS = ["198.51.100.10", "198.51.100.20", "198.51.100.30", "198.51.100.40"]


@pytest.fixture
def calls(monkeypatch: pytest.MonkeyPatch) -> Counter[str]:
    """Count the calls of the two checks made by ``Instance``."""
    if instance_mod.__name__ in native.compiled():
        pytest.skip("counts calls by patching a module; compiled modules bind their calls")
    seen: Counter[str] = Counter()
    for name in ("check_split", "check_mismatch"):
        real = getattr(instance_mod, name)

        def counted(*args: object, _real: object = real, _name: str = name) -> None:
            seen[_name] += 1
            _real(*args)  # type: ignore[operator]

        monkeypatch.setattr(instance_mod, name, counted)
    return seen


def contend(t: Tracker, routers: list[str], rounds: int, start: float = 0.0) -> list[Event]:
    """Every router advertises once a second, in turn (priorities 200, 190, ...)."""
    events: list[Event] = []
    for r in range(rounds):
        for j, src in enumerate(routers):
            now = start + r + j * 0.01
            events += t.apply(adv(src, 200 - 10 * j, ts=now), now)
    return events


@pytest.mark.parametrize("n", [2, 4, 16])
def test_contending_repeats_do_not_run_the_checks(calls: Counter[str], n: int) -> None:
    routers = [f"198.51.100.{10 + i}" for i in range(n)]
    t = Tracker()
    events = contend(t, routers, 5)
    assert [e.kind for e in events].count("split-brain") == 1
    settled = calls.copy()
    events = contend(t, routers, 200, start=5.0)
    assert events == []
    assert calls == settled  # 200 x n adverts, not one check
    (inst,) = t.snapshot(205.0).instances
    assert inst.state == "split-brain" and len(inst.split_sources) == n


def test_a_changed_field_is_checked_at_its_advert(calls: Counter[str]) -> None:
    t = Tracker()
    contend(t, ROUTERS, 5)
    before = calls["check_mismatch"]
    now = 5.5
    ev = t.apply(adv(ROUTERS[2], 180, ts=now, interval_cs=200), now)
    assert calls["check_mismatch"] == before + 1
    assert [(e.kind, e.detail.get("field")) for e in ev] == [("mismatch", "interval")]


def test_a_source_expiring_ends_the_split_brain_on_its_timer() -> None:
    t = Tracker()
    contend(t, ROUTERS[:2], 5)  # A (200) and B (190) both advertise: split brain
    assert t.snapshot(4.5).instances[0].state == "split-brain"
    # Only A goes on; B's Master_Down_Interval (v2, prio 190: 3 + 66/256 s) runs out.
    events: list[Event] = []
    for r in range(5, 12):
        events += t.apply(adv(ROUTERS[0], 200, ts=float(r)), float(r))
    (inst,) = t.snapshot(11.0).instances
    assert inst.state == "ok" and inst.split_sources == ()
    assert not any(e.kind == "split-brain" for e in events)
    # B comes back: a new run, checked at once, and a new split brain after 3 adverts.
    events = contend(t, ROUTERS[:2], 4, start=12.0)
    assert [e.kind for e in events].count("split-brain") == 1


def test_a_new_source_is_checked_at_its_first_advert(calls: Counter[str]) -> None:
    t = Tracker()
    contend(t, ROUTERS[:3], 5)
    before = calls["check_split"]
    t.apply(adv(ROUTERS[3], 150, ts=5.0), 5.0)
    assert calls["check_split"] == before + 1


def test_a_new_run_checks_split_brain_but_not_mismatch(calls: Counter[str]) -> None:
    t = Tracker()
    contend(t, ROUTERS[:2], 5)  # settled: split brain, no mismatch
    split, mismatch = calls["check_split"], calls["check_mismatch"]
    # B is silent past its Master_Down_Interval, then comes back unchanged: its first
    # adverts of the new run can form a split-brain pair, but no field changed.
    for r in range(5, 12):
        t.apply(adv(ROUTERS[0], 200, ts=float(r)), float(r))
    contend(t, ROUTERS[:2], 4, start=12.0)
    assert calls["check_split"] > split
    assert calls["check_mismatch"] == mismatch


def slow_master_returns(b_interval_cs: int, b_last: float) -> list[Event]:
    """A (30 s adverts, Master_Down_Interval 90 s) is master; B (lower priority)
    advertises until ``b_last``, then stops. A misses two adverts (silent 0-70 s,
    still live), so it leaves the 60 s mismatch window and its advert at 70 s, alone
    on the instance again, comes back into it. Returns the events from 60 s on."""
    t = Tracker()
    t.apply(adv(ROUTERS[0], 200, ts=0.0, interval_cs=3000), 0.0)
    now = 0.5
    while now <= b_last:
        t.apply(adv(ROUTERS[1], 100, ts=now, interval_cs=b_interval_cs), now)
        now += 1.0
    events = t.tick(60.0)  # A leaves the window: any mismatch with B clears
    events += t.apply(adv(ROUTERS[0], 200, ts=70.0, interval_cs=3000), 70.0)
    events += t.tick(80.0)
    return events


def test_a_slow_master_back_in_the_window_is_compared_at_its_advert() -> None:
    events = slow_master_returns(b_interval_cs=100, b_last=50.5)  # B still in the window
    assert [(e.ts, e.kind, e.detail.get("field")) for e in events if e.kind == "mismatch"] == [
        (70.0, "mismatch", "interval")
    ]


def test_a_slow_master_back_in_the_window_alone_raises_nothing() -> None:
    # Controls: B agrees (same interval), or B left the window before A came back.
    assert not [e for e in slow_master_returns(3000, 50.5) if e.kind == "mismatch"]
    assert not [e for e in slow_master_returns(100, 5.5) if e.kind == "mismatch"]
