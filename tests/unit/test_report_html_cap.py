"""The HTML report stays small on a huge segment: past a budget the timeline's
bands, gaps and marks are merged (nothing dropped silently: the merged counts add
up, and the report says it thinned), the history and events list their newest."""

from __future__ import annotations

import sys
from dataclasses import replace
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parents[2]))

from tests.unit.demo_replay import demo_run  # noqa: E402
from vrrptop.model.caps import MAX_HISTORY, MAX_INSTANCES  # noqa: E402
from vrrptop.model.events import Event  # noqa: E402
from vrrptop.model.snapshot import MasterTerm, Snapshot  # noqa: E402
from vrrptop.model.timeline import build_timeline  # noqa: E402
from vrrptop.model.timeline_thin import BUDGET, elements, thin_timeline  # noqa: E402
from vrrptop.output.report_html import EVENT_ROWS, HISTORY_ROWS, MAX_BYTES, render_html  # noqa: E402

T0 = 1_700_000_000.0


def _huge(instances: int = MAX_INSTANCES, terms: int = MAX_HISTORY) -> Snapshot:
    """``instances`` instances whose two routers took turns ``terms`` times, each
    term ending in a resign then a 0.2 s gap: the tracker's caps, all full."""
    template = demo_run().snapshot.instances[0]
    views = []
    for n in range(instances):
        masters = []
        for k in range(terms):
            since = T0 + k * 10.0 + n * 0.001
            last = k == terms - 1
            masters.append(
                MasterTerm(
                    f"198.51.100.{10 + k % 2}",
                    since,
                    None if last else since + 9.8,
                    100 + k % 2,
                    None,
                    None if last else "resigned",
                )
            )
        views.append(
            replace(
                template,
                vrid=1 + n % 255,
                vlan=n // 255 or None,
                family=4,
                name=None,
                first_seen=T0,
                masters=tuple(masters),
                splits=(),
                alarms=(),
            )
        )
    end = T0 + terms * 10.0
    return replace(
        demo_run().snapshot,
        ts=end,
        instances=tuple(views),
        alarms=(),
        alarm_history=(),
        saves=(),
    )


def test_thinning_keeps_the_budget_and_accounts_for_every_term() -> None:
    snap = _huge(300, MAX_HISTORY)
    tl = build_timeline(snap)
    before = sum(elements(lane) for lane in tl.lanes)
    assert before > 5 * BUDGET
    thin, thinning = thin_timeline(tl)
    assert thinning.thinned and thinning.before == before and thinning.lanes == 300
    assert thinning.after == sum(elements(lane) for lane in thin.lanes) <= BUDGET
    for old, new in zip(tl.lanes, thin.lanes, strict=True):
        # Every term is in exactly one band; the lane still spans the same time.
        assert sum(max(1, b.merged) for b in new.masters) == len(old.masters)
        assert sum(max(1, g.merged) for g in new.gaps) == len(old.gaps)
        assert new.masters[0].since == old.masters[0].since
        assert new.masters[-1].until == old.masters[-1].until and new.masters[-1].running
        assert all("more here" in m.text for m in new.markers)
    # Under the budget nothing changes.
    small = build_timeline(_huge(4, 20))
    same, none = thin_timeline(small)
    assert same is small and not none.thinned


def test_a_report_of_the_trackers_caps_stays_under_the_cap_and_says_it_thinned() -> None:
    snap = _huge()
    events = [Event(T0 + i, "new-master", "info", f"event {i}") for i in range(3 * EVENT_ROWS)]
    html = render_html(snap, events, "huge.pcap")
    size = len(html.encode())
    assert size < MAX_BYTES, size
    assert "Thinned to keep this file small" in html
    assert html.count('class="band"') <= BUDGET
    assert f"The newest {HISTORY_ROWS} terms" in html
    assert f"The newest {EVENT_ROWS} events; {2 * EVENT_ROWS} older" in html
    assert f"event {3 * EVENT_ROWS - 1}<" in html and "event 0<" not in html


def test_the_demo_report_is_not_thinned() -> None:
    run = demo_run()
    html = render_html(run.snapshot, run.events, "demo", run.alarms)
    assert "Thinned" not in html and "older ones are not listed" not in html
