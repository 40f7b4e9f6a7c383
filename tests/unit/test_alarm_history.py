"""The alarm lifecycle keeps its latest transitions (raised and cleared), bounded,
and the judgement puts them on every snapshot: the timeline marks alarms that were
raised and cleared before the picture was taken."""

from __future__ import annotations

import sys
from pathlib import Path

import pytest

sys.path.insert(0, str(Path(__file__).resolve().parents[2]))

from tests.unit.demo_replay import demo_run  # noqa: E402
from vrrptop.expect import lifecycle  # noqa: E402
from vrrptop.expect.lifecycle import AlarmBook  # noqa: E402
from vrrptop.model.expectation import Alarm, AlarmKind, InstanceKey  # noqa: E402
from vrrptop.model.timeline import build_timeline  # noqa: E402

KEY = InstanceKey(210, 4)


def _alarm(subject: str = "testdns0") -> Alarm:
    return Alarm(AlarmKind.SPLIT_BRAIN, "split brain", subject, KEY, severity="error")


def test_raised_and_cleared_are_kept_in_order_and_bounded(monkeypatch: pytest.MonkeyPatch) -> None:
    book = AlarmBook()
    assert book.history == ()
    book.update([_alarm()], 10.0)
    book.update([], 11.0)
    book.update([], 13.0)  # gone for clear_after: cleared
    assert [(c.state, c.ts) for c in book.history] == [("raised", 10.0), ("cleared", 13.0)]
    same = book.history
    book.update([], 14.0)
    assert book.history is same  # no transition: the same tuple, shared by snapshots
    book.reset()
    assert book.history == ()
    monkeypatch.setattr(lifecycle, "HISTORY", 4)
    small = AlarmBook()
    for n in range(5):
        small.update([_alarm(f"s{i}") for i in range(n + 1)], float(n))  # none clears
    assert [c.alarm.subject for c in small.history] == ["s1", "s2", "s3", "s4"]


def test_the_demo_snapshot_carries_the_alarms_raised_and_cleared_before_its_end() -> None:
    run = demo_run()
    snap = run.snapshot
    assert [c.ts for c in snap.alarm_history] == sorted(c.ts for c in run.alarms)
    assert len(snap.alarm_history) == len(run.alarms) > len(snap.alarms)
    # The timeline built from the snapshot alone marks every raise, not only the active.
    lane = next(lane for lane in build_timeline(snap, snap.alarm_history).lanes if lane.key == KEY)
    raised = {round(c.alarm.since, 3) for c in run.alarms if c.alarm.key == KEY}
    marked = {round(m.ts, 3) for m in lane.markers if m.kind == "alarm"}
    assert raised <= marked and len(raised) > 2
    alone = next(lane for lane in build_timeline(snap).lanes if lane.key == KEY)
    assert {round(m.ts, 3) for m in alone.markers if m.kind == "alarm"} < raised
