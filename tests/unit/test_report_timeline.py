"""``--report``'s text-art timeline: a lane per instance in at most 80 columns, a
letter per host with its legend, the gaps, splits and markers, plain ASCII."""

from __future__ import annotations

import subprocess
import sys
from pathlib import Path

from rich.console import Console

from tests.unit.demo_replay import demo_run
from vrrptop.model.timeline import build_timeline
from vrrptop.output.report import print_report
from vrrptop.output.report_timeline import timeline_art

ROOT = Path(__file__).resolve().parents[2]


def _art(width: int = 80) -> list[str]:
    run = demo_run()
    return [line.plain for line in timeline_art(build_timeline(run.snapshot, run.alarms), width)]


def test_text_art_fits_80_columns_and_is_ascii() -> None:
    lines = _art()
    assert max(len(line) for line in lines) <= 80
    assert all(line.isascii() for line in lines)
    assert lines[0].startswith("Master timeline ")
    # Even on a wide console the art stays email-sized.
    assert max(len(line) for line in _art(240)) <= 80


def test_a_lane_per_instance_with_its_letters_and_the_legend() -> None:
    lines = _art()
    lanes = {line[:18].strip(): line[18:] for line in lines if line.startswith("testdns")}
    assert set(lanes) == {"testdns0 210/IPv4", "testdns0 210/IPv6",
                          "testdns1 211/IPv4", "testdns1 211/IPv6"}  # fmt: skip
    legend = " ".join(line for line in lines if line.startswith(("Legend:", "       ")))
    letters = {word: legend.split(f" {word}")[0][-1] for word in
               ("recdns-wcdc", "recdns-cnh", "recdns-sby")}  # fmt: skip
    assert len(set(letters.values())) == 3
    wcdc, cnh, sby = letters["recdns-wcdc"], letters["recdns-cnh"], letters["recdns-sby"]
    # testdns0 starts and ends on recdns-wcdc, passes through recdns-cnh and recdns-sby.
    row0 = lanes["testdns0 210/IPv4"]
    assert row0[0] == wcdc and row0.rstrip()[-1] == wcdc
    assert cnh in row0 and sby in row0 and "." in row0  # the resign's gap
    row1 = lanes["testdns1 211/IPv4"]
    assert row1[0] == cnh and row1.rstrip()[-1] == cnh
    assert ".." in row1  # the kill -9: 3.4 s without a master
    # The split brain: a split row under testdns0's lanes only, with recdns-sby in it.
    splits = [i for i, line in enumerate(lines) if line.startswith("  split")]
    assert len(splits) == 2 and all(lines[i - 1].startswith("testdns0") for i in splits)
    assert set(lines[splits[0]][18:].strip()) == {sby}
    markers = "".join(line for line in lines if line.startswith(" " * 18))
    assert {"R", "L", "S", "!"} <= set(markers)


def test_report_prints_the_timeline_after_the_master_history() -> None:
    run = demo_run()
    console = Console(width=240, record=True, color_system=None)
    print_report(run.snapshot, run.events, console=console, alarm_changes=run.alarms)
    text = console.export_text()
    assert text.index("Master history") < text.index("Master timeline") < text.index("Events")


def test_demo_report_command_line_has_the_timeline() -> None:
    r = subprocess.run(
        [sys.executable, "-m", "vrrptop", "--demo", "--report"],
        cwd=ROOT, capture_output=True, text=True, timeout=120,
    )  # fmt: skip
    assert r.returncode == 0, r.stderr
    assert "Master timeline" in r.stdout and "Legend:  A recdns-wcdc" in r.stdout
