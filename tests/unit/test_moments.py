"""A replay's moments: the engine keeps the snapshot right after each event, the
store stays within its budget by dropping every other older moment, and stepping
finds the neighbours of a moment whatever was dropped; the header says when."""

from __future__ import annotations

import sys
from collections.abc import Callable
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parents[2]))

from tests.unit.test_ui_fit import _info, _plain  # noqa: E402
from vrrptop.capture.synthetic import RouterSpec, SyntheticSource  # noqa: E402
from vrrptop.engine import Engine  # noqa: E402
from vrrptop.model.events import Event  # noqa: E402
from vrrptop.model.moments import MomentStore  # noqa: E402
from vrrptop.model.snapshot import Counters, Snapshot  # noqa: E402
from vrrptop.ui.header import header_lines  # noqa: E402


def _snap(ts: float) -> Snapshot:
    return Snapshot(ts=ts, instances=(), hosts=(), counters=Counters())


def _event(ts: float) -> Event:
    return Event(ts, "new-master", "info", f"master at {ts}")


def test_neighbours_and_positions() -> None:
    store = MomentStore()
    assert store.before(None) is None
    for t in range(5):
        store.add(_snap(float(t)), (_event(float(t)),))
    newest = store.before(None)
    assert newest is not None and newest.ts == 4.0 and newest.events[0].ts == 4.0
    two = store.before(3)
    assert two is not None and two.ts == 2.0
    first = store.before(0)
    assert first is not None and first.seq == 0  # nothing earlier: stays at the first
    after = store.after(2)
    assert after is not None and after.ts == 3.0
    assert store.after(4) is None  # past the newest
    assert store.position(2) == (3, 5)
    store.clear()
    assert len(store) == 0 and store.before(None) is None


def test_thinning_keeps_the_first_and_the_newest_within_budget() -> None:
    store = MomentStore(budget=10)
    for t in range(100):
        store.add(_snap(float(t)), (_event(float(t)),))
        assert len(store) <= 10
    assert store.dropped == 100 - len(store)
    first, newest = store.before(0), store.before(None)
    assert first is not None and first.ts == 0.0
    assert newest is not None and newest.ts == 99.0
    # What is kept is spread over the whole replay, and steps go over the gaps.
    kept = []
    moment = first
    while moment is not None:
        kept.append(moment.ts)
        moment = store.after(moment.seq)
    assert kept == sorted(kept) and len(kept) == len(store) >= 5
    gaps = {b - a for a, b in zip(kept[:-1], kept[1:-1], strict=False)}
    assert len(gaps) == 1 and kept[-2] + min(gaps) > 99  # evenly spread to the end


def test_the_engine_keeps_the_snapshot_right_after_each_event() -> None:
    # Two routers of VRID 1: the higher priority one stops after 30 adverts, so
    # the other becomes master later: two new-master events in time order.
    specs = [RouterSpec(vrid=1, family=4, version=2, priority=200, src="198.51.100.2")]
    engine = Engine(SyntheticSource(specs, rate=50, count=30))
    store = MomentStore()
    engine.record_moments(store)
    engine.run()
    first = store.before(0)
    assert first is not None
    assert [e.kind for e in first.events] == ["new-master"]
    (inst,) = first.snapshot.instances
    assert inst.master == "198.51.100.2"
    assert first.ts == first.events[0].ts  # dated by the frame that made the event


def test_a_live_engine_keeps_no_moments() -> None:
    source = SyntheticSource([RouterSpec(vrid=1, family=4, version=2)], rate=50, count=10)
    source.packet_clock = False
    engine = Engine(source)
    store = MomentStore()
    engine.record_moments(store)
    engine.run()
    assert len(store) == 0


def test_header_says_paused_at_the_moment_at_80_columns() -> None:
    info = _info(source_name="demo", moment="12:03:41.250", moment_of="3/81: VRID 210 moved")
    first, _ = header_lines(info, 80)
    line = _plain(first)
    assert "PAUSED at 12:03:41.250 — ] next, [ prev, space live" in line
    assert "DISPLAY PAUSED" not in line and len(line) <= 80
    wide = _plain(header_lines(info, 200)[0])
    assert "(3/81: VRID 210 moved)" in wide


def test_events_closer_than_the_gap_share_one_moment_built_only_when_due() -> None:
    store = MomentStore()
    built: list[float] = []

    def at(ts: float) -> Callable[[], Snapshot]:
        def build() -> Snapshot:
            built.append(ts)
            return _snap(ts)

        return build

    store.offer(10.0, [_event(10.0)], at(10.0))  # the first: a moment at once
    store.offer(10.01, [_event(10.01)], at(10.01))  # within GAP_S: held
    store.offer(10.02, [], at(10.02))
    store.offer(10.05, [_event(10.05)], at(10.05))
    assert built == [10.0] and len(store) == 1 and len(store.held) == 2
    store.offer(10.1 + 1e-6, [], at(10.1))  # GAP_S after the last moment
    assert built == [10.0, 10.1] and not store.held
    second = store.before(None)
    assert second is not None and [e.ts for e in second.events] == [10.01, 10.05]
    store.offer(20.0, [_event(20.0)], _snap(20.0))  # a snapshot given: used as is
    newest = store.before(None)
    assert newest is not None and newest.ts == 20.0 and len(store) == 3
    store.offer(20.01, [_event(20.01)], at(20.01))
    store.flush(_snap(25.0))  # the replay ended: the held events get the last picture
    last = store.before(None)
    assert last is not None and last.ts == 25.0 and not store.held


def test_a_long_history_weighs_unless_it_is_shared_with_the_previous_moment() -> None:
    from dataclasses import replace

    from tests.unit.demo_replay import demo_run
    from vrrptop.model.snapshot import MasterTerm

    view = demo_run().snapshot.instances[0]
    history = tuple(MasterTerm("198.51.100.2", float(t), float(t) + 1, 100) for t in range(640))
    long = replace(view, masters=history, splits=())
    snap = Snapshot(ts=1.0, instances=(long,), hosts=(), counters=Counters())
    store = MomentStore(budget=24)
    store.add(snap, ())
    store.add(replace(snap, ts=2.0), ())  # the same tuples: only the view itself
    assert store._costs == [1 + 1 + 10, 1 + 1]
    store.add(replace(snap, ts=3.0, instances=(replace(long, masters=history[1:]),)), ())
    assert len(store) < 3 and store.dropped  # a fresh long history: over the budget
