"""Property tests: any sequence of records keeps the tracker consistent and bounded."""

from __future__ import annotations

import json
from typing import get_args

from hypothesis import given, settings
from hypothesis import strategies as st

from tests.unit.test_model_tracker import adv
from vrrptop.model import tracker as tracker_mod
from vrrptop.model.caps import MAX_HISTORY, MAX_SOURCES
from vrrptop.model.events import EventKind
from vrrptop.model.snapshot import InstanceState
from vrrptop.model.tracker import Tracker
from vrrptop.wire.records import Garp, Malformed

SRCS = ["198.51.100.1", "198.51.100.2", "198.51.100.10", "203.0.113.7"]

adverts = st.builds(
    lambda src, prio, vrid, ivl, vip, ok, auth: adv(
        src,
        prio,
        vrid=vrid,
        interval_cs=ivl,
        addresses=(vip,),
        checksum_ok=ok,
        auth_type=1,
        auth_data=auth,
    ),
    st.sampled_from(SRCS),
    st.sampled_from([0, 50, 100, 100, 200, 255]),
    st.sampled_from([1, 2]),
    st.sampled_from([100, 100, 200]),
    st.sampled_from(["198.51.100.100", "198.51.100.101"]),
    st.booleans(),
    st.sampled_from([b"aaaaaaaa", b"bbbbbbbb"]),
)
others = st.one_of(
    st.builds(
        lambda a, m: Garp(0.0, a, m, 4, "arp-reply", m, None),
        st.sampled_from(["198.51.100.100", "203.0.113.50"]),
        st.sampled_from(["02:00:00:00:00:0a", "00:00:5e:00:01:01"]),
    ),
    st.builds(lambda r: Malformed(0.0, r), st.sampled_from(["short", "bad version"])),
    st.none(),  # a tick
)
steps = st.lists(st.tuples(st.floats(0.0, 6.0), st.one_of(adverts, adverts, others)), max_size=80)


@settings(max_examples=200, deadline=None)
@given(steps)
def test_any_sequence_keeps_the_tracker_consistent(seq: list) -> None:
    t = Tracker()
    now = 1000.0
    events = []
    for dt, rec in seq:
        now += dt
        events += t.tick(now) if rec is None else t.apply(rec, now)
    events += t.tick(now + 100.0)
    for e in events:
        assert e.kind in get_args(EventKind) and e.severity in ("info", "warning", "error")
        assert e.ts <= now + 100.0
        json.dumps(e.to_json())
        assert "aaaaaaaa" not in e.message and "bbbbbbbb" not in e.message
    snap = t.snapshot(now + 100.0)
    for iv in snap.instances:
        assert iv.state in get_args(InstanceState)
        assert len(iv.sources) <= MAX_SOURCES and len(iv.masters) <= MAX_HISTORY
        if iv.master is not None:
            assert iv.master in {s.src for s in iv.sources}
            assert iv.masters[-1].src == iv.master
        mine = [e for e in events if (e.vrid, e.family) == (iv.vrid, iv.family)]
        n_new = sum(e.kind == "new-master" for e in mine)
        assert n_new == len(iv.masters)  # one term per new-master
        assert sum(e.kind == "master-lost" for e in mine) <= n_new
        for a, b in zip(iv.masters, iv.masters[1:], strict=False):
            assert a.until is not None and a.since <= a.until <= b.since
    json.dumps(snap.malformed_reasons)


def test_instance_cap_evicts_least_recent_and_counts(monkeypatch) -> None:  # type: ignore[no-untyped-def]
    monkeypatch.setattr(tracker_mod, "MAX_INSTANCES", 16)
    t = Tracker()
    for vrid in range(1, 41):
        t.apply(adv(vrid=vrid), float(vrid))
    snap = t.snapshot(50.0)
    assert len(snap.instances) <= 16
    assert snap.counters.evicted == 40 - len(snap.instances)
    assert max(i.vrid for i in snap.instances) == 40  # the newest survive
    # An evicted instance comes back as a fresh one.
    ev = [e for e in t.apply(adv(vrid=1), 51.0) if e.vrid == 1]
    assert [e.kind for e in ev] == ["new-master"] and ev[0].detail["previous"] is None
