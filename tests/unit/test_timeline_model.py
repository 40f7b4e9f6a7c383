"""The timeline model: the tracker's histories (how each term ended, split-brain
periods) and the lanes, bands, gaps and markers built from a snapshot alone.

Adverts are fed to a real ``Tracker`` on a fake clock (as test_model_tracker does).
"""

from __future__ import annotations

import json

import pytest

from tests.unit.test_model_tracker import A, B, C, adv, beats, feed
from vrrptop.model.caps import MAX_HISTORY
from vrrptop.model.expectation import Alarm, AlarmChange, AlarmKind, InstanceKey
from vrrptop.model.snapshot import HostView
from vrrptop.model.timeline import build_timeline, moments, state_at
from vrrptop.model.timeline_grid import Fill, grid, lane_cells
from vrrptop.model.tracker import Tracker


def _story() -> Tracker:
    """A master 0-10, resigns; B 10.2-20; B killed (last advert 20); C from 24;
    A and C split brain from 30 to 36; A stays."""
    t = Tracker()
    items = beats(A, 200, 0.0, 10) + [(10.0, adv(A, 0))]
    items += beats(B, 150, 10.2, 10)  # last advert at 19.2
    items += beats(C, 100, 24.0, 20)  # 24 .. 43
    items += beats(A, 200, 30.0, 7)  # 30 .. 36: A is back but C does not yield
    items.sort(key=lambda x: x[0])
    feed(t, items)
    t.tick(50.0)
    return t


def test_terms_say_how_they_ended_and_splits_are_kept() -> None:
    t = _story()
    iv = t.snapshot(50.0).instances[0]
    ends = [(m.src, m.ended) for m in iv.masters]
    assert ends[:3] == [(A, "resigned"), (B, "lost"), (C, "preempted")]
    assert iv.masters[1].until == pytest.approx(19.2)  # the killed master's last advert
    assert len(iv.splits) == 1
    split = iv.splits[0]
    assert split.sources == (A, C)
    assert split.since == pytest.approx(30.0)  # the overlap began with A's first advert
    assert split.until == pytest.approx(36.0)  # A's last advert, not the timer's expiry


def test_lanes_bands_gaps_and_markers() -> None:
    t = _story()
    snap = t.snapshot(50.0)
    tl = build_timeline(snap)
    assert len(tl.lanes) == 1
    lane = tl.lanes[0]
    assert lane.title == "VRID 7/IPv4"
    assert [(b.src, b.overlap) for b in lane.bands][:3] == [(A, False), (B, False), (C, False)]
    gaps = [(round(g.since, 1), round(g.until, 1), g.cause) for g in lane.gaps]
    assert gaps[:2] == [(10.0, 10.2, "resigned"), (19.2, 24.0, "lost")]
    # The split brain is an overlapping band of the router that was not the master.
    (overlap,) = lane.overlaps
    master_then = next(b for b in lane.masters if b.since <= 31 <= b.until)
    assert {overlap.src, master_then.src} == {A, C}
    assert (overlap.since, overlap.until) == pytest.approx((30.0, 36.0))
    kinds = [(m.kind, round(m.ts, 1)) for m in lane.markers]
    assert ("resign", 10.0) in kinds and ("master-lost", 19.2) in kinds
    assert ("split-brain", 30.0) in kinds
    assert tl.hosts[:3] == (A, B, C)  # no names known: addresses, in order of mastership


def test_host_names_and_alarm_markers() -> None:
    t = Tracker()
    feed(t, beats(A, 200, 0.0, 5))
    snap = t.snapshot(5.0)
    named = HostView((A,), ("02:00:00:00:00:0a",), "ns-a", {}, {}, 5.0)
    key = InstanceKey(7, 4)
    alarm = Alarm(AlarmKind.MASTER_MISMATCH, "not the expected master", "x", key,
                  severity="error", since=2.0)  # fmt: skip
    old = Alarm(AlarmKind.INSTANCE_SILENT, "was silent", "x", key, severity="error", since=1.0)
    segment = Alarm(AlarmKind.NAMES_UNRESOLVED, "names", "n", None, since=3.0)
    from dataclasses import replace

    snap = replace(snap, hosts=(named,), alarms=(alarm, segment))
    changes = [AlarmChange("raised", old, 1.0), AlarmChange("cleared", old, 1.5),
               AlarmChange("raised", alarm, 2.0)]  # fmt: skip
    tl = build_timeline(snap, changes)
    lane = tl.lanes[0]
    assert lane.bands[0].host == "ns-a" and tl.hosts == ("ns-a",)
    alarms = [(m.ts, m.text) for m in lane.markers if m.kind == "alarm"]
    # Once each (the current alarm is in both the stream and the snapshot).
    assert alarms == [(1.0, "instance-silent: was silent"),
                      (2.0, "master-mismatch: not the expected master")]  # fmt: skip
    assert [m.text for m in tl.markers] == ["names-unresolved: names"]


def test_a_rolled_over_ring_is_marked_truncated() -> None:
    t = Tracker()
    items = []
    for i in range(MAX_HISTORY + 10):  # alternate masters by preemption
        src, prio = (A, 200 + i % 2) if i % 2 else (B, 200 + i % 2)
        items += [(i * 2.0 + k, adv(src, prio + i)) for k in range(2)]
    feed(t, items)
    lane = build_timeline(t.snapshot(items[-1][0])).lanes[0]
    assert len(lane.masters) == MAX_HISTORY and lane.truncated
    assert not build_timeline(_story().snapshot(50.0)).lanes[0].truncated


def test_grid_keeps_short_terms_and_gaps_visible() -> None:
    tl = build_timeline(_story().snapshot(50.0))
    lane = tl.lanes[0]
    # 10 columns of 5 s: the 0.2 s resign gap and every host still show.
    cells = lane_cells(lane, tl.start, tl.end, 10)
    assert Fill.GAP in cells.masters
    assert {A, B, C} <= set(cells.masters)
    assert any(cells.overlaps) and any(m is not None for m in cells.markers)
    # Finer: the 4.8 s silence after the kill spans several 1 s columns.
    fine = lane_cells(lane, tl.start, tl.end, 50)
    assert fine.masters[20:24] == (Fill.GAP,) * 4
    g = grid(tl, 50, span_s=10.0)  # zoom: the last 10 s
    assert g.start == pytest.approx(tl.end - 10.0) and g.step == pytest.approx(0.2)
    assert json.dumps([str(c) for c in g.lanes[0].masters])  # plain values


def test_grid_before_first_seen_is_unseen() -> None:
    t = Tracker()
    feed(t, beats(A, 200, 10.0, 5))
    tl = build_timeline(t.snapshot(14.0))
    g = grid(tl, 8, span_s=8.0)  # 6 .. 14: 6 .. 10 unseen
    assert g.lanes[0].masters[:4] == (Fill.UNSEEN,) * 4
    assert g.lanes[0].masters[5:] == (A,) * 3


def test_moments_and_state_at() -> None:
    tl = build_timeline(_story().snapshot(50.0))
    stops = moments(tl)
    assert list(stops) == sorted(stops) and stops[0] == tl.start
    (lane,) = state_at(tl, 10.1)  # inside the resign's gap
    assert lane.master is None and lane.gap is not None and lane.gap.cause == "resigned"
    (lane,) = state_at(tl, 33.0)  # the split brain: A master, C also
    assert lane.master is not None and lane.master.src == A
    assert [b.src for b in lane.also] == [C]
    (lane,) = state_at(tl, 19.2)  # the killed master's last advert: the lost marker
    assert lane.master is None and [m.kind for m in lane.markers] == ["master-lost"]


def test_a_capture_of_one_advert_still_draws_its_master() -> None:
    t = Tracker()
    feed(t, [(5.0, adv(A, 200))])
    tl = build_timeline(t.snapshot(5.0))
    assert tl.start == tl.end == 5.0
    assert grid(tl, 10).lanes[0].masters[0] == A
