"""Proof on the bundled capture: the timeline tells the story it was recorded from.

Two independent checks: the drawn timeline (one column per advert interval) against
the tracker's own master history, and the timeline's bands against keepalived's
notify log recorded beside the capture (``vrrptop/demo/story.txt``), each within one
advert interval (1 s): reorder, comment-out, DNS stop, graceful stop, kill -9, split
brain and heal.
"""

from __future__ import annotations

import pytest

from tests.unit.demo_replay import demo_run, notify_log
from vrrptop.model.timeline import Lane, build_timeline
from vrrptop.model.timeline_grid import Fill, lane_cells

INTERVAL = 1.0  # every instance of the lab advertises each second


def _lanes() -> dict[str, Lane]:
    run = demo_run()
    tl = build_timeline(run.snapshot, run.alarms)
    suffix = {4: "", 6: "_v6"}
    return {f"{lane.name}{suffix[lane.key.family]}": lane for lane in tl.lanes}


def _rel(ts: float) -> float:
    return ts - demo_run().first_packet


def test_drawn_columns_follow_the_trackers_master_history() -> None:
    run = demo_run()
    tl = build_timeline(run.snapshot, run.alarms)
    width = int((tl.end - tl.start) / INTERVAL)  # a column per advert interval
    by_key = {i.key: i for i in run.snapshot.instances}
    names = {a: h.name for h in run.snapshot.hosts if h.name for a in h.addresses}
    for lane in tl.lanes:
        cells = lane_cells(lane, tl.start, tl.end, width)
        step = (tl.end - tl.start) / width
        for term in by_key[lane.key].masters:
            until = tl.end if term.until is None else term.until
            first = int((term.since - tl.start) / step)
            last = min(width - 1, int((until - tl.start) / step))
            inner = cells.masters[first + 1 : last]  # one column of slack at each edge
            assert set(inner) <= {names[term.src]}, (lane.title, term)
        # Every column between two terms is a gap, and only there.
        for gap in lane.gaps:
            col = int(((gap.since + gap.until) / 2 - tl.start) / step)
            assert cells.masters[col] is Fill.GAP


def test_bands_match_keepalived_notify_log_within_one_interval() -> None:
    lanes = _lanes()
    masters: dict[str, list[tuple[float, str]]] = {}
    for t, host, inst, state in notify_log():
        if state == "MASTER":
            masters.setdefault(inst, []).append((t, host))
    assert set(masters) == set(lanes)
    for inst, truth in masters.items():
        bands = sorted(lanes[inst].bands, key=lambda b: b.since)
        got = [(_rel(b.since), b.host) for b in bands]
        assert [h for _, h in got] == [h for _, h in truth], inst
        for (ts, _), (want, _) in zip(got, truth, strict=True):
            assert ts == pytest.approx(want, abs=INTERVAL), inst
        # Each master band ends where the next begins (or with the notify STOP).
        for band, nxt in zip(lanes[inst].masters, lanes[inst].masters[1:], strict=False):
            assert nxt.since - band.until <= 4 * INTERVAL  # the kill's Master_Down_Interval


def test_the_story_is_visible() -> None:
    lanes = _lanes()
    for inst in ("testdns0", "testdns0_v6"):
        lane = lanes[inst]
        # Graceful stop at 80.5 s: resign marker, a short gap, recdns-sby takes over.
        (resign,) = [m for m in lane.markers if m.kind == "resign"]
        assert _rel(resign.ts) == pytest.approx(80.5, abs=INTERVAL)
        (gap,) = [g for g in lane.gaps if g.cause == "resigned"]
        assert gap.until - gap.since < INTERVAL
        # Split brain 120.5 s -> heal 130.5 s: recdns-sby's overlapping band.
        (split,) = lane.overlaps
        assert split.host == "recdns-sby"
        assert _rel(split.since) == pytest.approx(122.9, abs=INTERVAL)
        assert _rel(split.until) == pytest.approx(130.5, abs=INTERVAL)
        under = [b for b in lane.masters if b.since <= split.since and b.until >= split.until]
        assert [b.host for b in under] == ["recdns-wcdc"]
        assert any(m.kind == "split-brain" for m in lane.markers)
        # Comment-out at 32.5 s: recdns-sby at 200 until recdns-wcdc is back (44.5 s).
        sby = [b for b in lane.masters if b.host == "recdns-sby"]
        assert sby[0].priority == 200 and _rel(sby[0].since) == pytest.approx(35.1, abs=1)
    for inst in ("testdns1", "testdns1_v6"):
        lane = lanes[inst]
        # kill -9 at 100.5 s: master lost, ~3.4 s with no master, recdns-sby until 110.5 s.
        (lost,) = [m for m in lane.markers if m.kind == "master-lost"]
        assert _rel(lost.ts) == pytest.approx(100.5, abs=INTERVAL)
        (gap,) = [g for g in lane.gaps if g.cause == "lost"]
        assert 3.0 <= gap.until - gap.since <= 4.0
        assert not lane.overlaps
        # DNS stop at 56.5 s: recdns-sby at 150 (third in line) until 68.5 s.
        sby = [b for b in lane.masters if b.host == "recdns-sby" and b.priority == 150]
        assert _rel(sby[0].since) == pytest.approx(59.4, abs=INTERVAL)
        # The reorder at 8.5 s: an intermediate master recdns-sby for under a second.
        short = lane.masters[1]
        assert short.host == "recdns-sby" and short.until - short.since < INTERVAL
