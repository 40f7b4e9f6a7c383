"""Priority-file saves on the timelines: the judgement records each save with the
instances the file ranks, the snapshot carries them, and the text art, the HTML
report's SVG and the console mark them with P on those lanes only."""

from __future__ import annotations

import sys
from dataclasses import replace
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parents[2]))

from tests.unit.demo_replay import demo_run  # noqa: E402
from vrrptop.config.model import InstanceConfig  # noqa: E402
from vrrptop.expect.judge import Judge  # noqa: E402
from vrrptop.model.expectation import InstanceKey, PrioritySave  # noqa: E402
from vrrptop.model.snapshot import Counters, Snapshot  # noqa: E402
from vrrptop.model.timeline import build_timeline  # noqa: E402
from vrrptop.output.report_svg import lane_svg, legend_html  # noqa: E402
from vrrptop.output.report_timeline import timeline_art  # noqa: E402
from vrrptop.ui.timeline_view import lanes_text  # noqa: E402

V4, V6 = InstanceKey(210, 4), InstanceKey(210, 6)


def test_the_judge_records_saves_with_the_instances_the_file_ranks(tmp_path: Path) -> None:
    ranked, other = tmp_path / "priority.testdns", tmp_path / "priority.other"
    judge = Judge(
        (
            InstanceConfig("testdns0", 210, (4, 6), ranked, direction=0),
            InstanceConfig("web", 50, (4,), other, direction=0),
        )
    )
    empty = Snapshot(ts=100.0, instances=(), hosts=(), counters=Counters())
    judge.note_save(ranked, 100.0, empty)
    judge.note_save(tmp_path / "unread", 101.0, empty)
    judged, _changes = judge.judge(replace(empty, ts=102.0), {}, {})
    assert judged.saves == (
        PrioritySave(100.0, str(ranked), (V4, V6)),
        PrioritySave(101.0, str(tmp_path / "unread"), ()),
    )
    judge.reset()
    assert judge.judge(replace(empty, ts=103.0), {}, {})[0].saves == ()


def _under(lines: list[str], i: int) -> str:
    """The rows drawn under lane ``i`` (split, markers): they start with blanks."""
    out = []
    for line in lines[i + 1 :]:
        if not line.startswith(" "):
            break
        out.append(line.strip())
    return "\n".join(out)


def _with_save() -> tuple[Snapshot, float]:
    run = demo_run()
    snap = run.snapshot
    starts = [i.first_seen for i in snap.instances if i.adverts]
    at = (min(starts) + snap.ts) / 2
    return replace(snap, saves=(PrioritySave(at, "/etc/vrrptop/priority.testdns", (V4, V6)),)), at


def test_the_report_marks_the_save_on_the_file_s_lanes_only() -> None:
    snap, _at = _with_save()
    tl = build_timeline(snap, snap.alarm_history)
    lines = [line.plain for line in timeline_art(tl, 80)]
    rows = {line[:18].strip(): _under(lines, i) for i, line in enumerate(lines)
            if line.startswith("testdns")}  # fmt: skip
    assert "P" in rows["testdns0 210/IPv4"] and "P" in rows["testdns0 210/IPv6"]
    assert "P" not in rows["testdns1 211/IPv4"]
    assert "P priority file saved" in " ".join(lines)
    lane = next(lane for lane in tl.lanes if lane.key == V4)
    svg = lane_svg(tl, lane)
    assert 'data-kind="save"' in svg and "priority file priority.testdns saved" in svg
    assert "priority file saved" in legend_html(tl)
    # Without a save: no P, and the legends do not mention it.
    plain = build_timeline(demo_run().snapshot, demo_run().snapshot.alarm_history)
    assert not plain.has_saves and "priority file saved" not in legend_html(plain)
    assert "P priority file saved" not in " ".join(x.plain for x in timeline_art(plain, 80))


def test_the_console_marks_it_too() -> None:
    snap, _at = _with_save()
    text = lanes_text(build_timeline(snap, snap.alarm_history), 100, None, None).plain
    lines = text.splitlines()
    rows = {line[:18].strip(): _under(lines, i) for i, line in enumerate(lines)
            if line.startswith("testdns")}  # fmt: skip
    assert "P" in rows["testdns0 210/IPv4"] and "P" not in rows["testdns1 211/IPv4"]
    assert "P priority file saved" in text
