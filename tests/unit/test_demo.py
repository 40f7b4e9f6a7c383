"""--demo: the bundled lab capture, its configuration and priority file, read-only."""

from __future__ import annotations

import json
import subprocess
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parents[2]


def test_demo_replays_the_lab_story_with_names_and_expectations():
    r = subprocess.run(
        [sys.executable, "-m", "vrrptop", "--demo", "--json"],
        cwd=ROOT,
        capture_output=True,
        text=True,
        timeout=60,
    )
    assert r.returncode == 0, r.stderr
    lines = [json.loads(x) for x in r.stdout.splitlines()]
    kinds = {x["kind"] for x in lines if x["type"] == "event"}
    # The recorded story: elections, a graceful stop, a kill -9, a split brain.
    assert {"new-master", "resign", "master-lost", "split-brain"} <= kinds
    snap = lines[-1]
    assert snap["type"] == "snapshot"
    final = {(i["vrid"], i["family"]): i for i in snap["instances"]}
    assert set(final) == {(210, 4), (210, 6), (211, 4), (211, 6)}
    for (vrid, _family), inst in final.items():
        master = "recdns-wcdc" if vrid == 210 else "recdns-cnh"
        assert inst["name"] == ("testdns0" if vrid == 210 else "testdns1")
        assert inst["expected_master"] == master
        assert inst["observed_master_name"] == master
        assert inst["settled"] is True  # the election was watched as it happened
        # The capture ends after the split brain healed: keepalived 2.2.7 did not
        # re-announce testdns0's VIPs, so the loser's GARP/NA is the last word.
        kinds = [a["kind"] for a in inst["alarms"]]
        assert kinds == (["vip-holder-not-master"] if vrid == 210 else []), kinds
        assert inst["state"] == ("alarm" if vrid == 210 else "ok")
    assert sorted((a["kind"], a["subject"]) for a in snap["alarms"]) == [
        ("vip-holder-not-master", "198.51.100.210"),
        ("vip-holder-not-master", "2001:db8:100::210"),
    ]
    # The split brain was an alarm too, raised and cleared, streamed as it happened.
    streamed = [(x["state"], x["kind"], x["vrid"]) for x in lines if x["type"] == "alarm"]
    assert ("raised", "split-brain", 210) in streamed
    assert ("cleared", "split-brain", 210) in streamed
    # PASS passwords of the lab never appear.
    assert "lab-pass" not in r.stdout


def test_demo_priority_file_is_never_writable_through_vrrptop():
    from vrrptop.cli import parse_args
    from vrrptop.runner import demo_options

    options = demo_options(parse_args(["--demo"]))
    assert options.read_only
    assert options.config is not None and options.config.name == "config.toml"
