"""vrrptop on a keepalived node (the main use: ``vrrptop em1`` on a server console)
shows what the real keepalived 2.2.7 says of itself, and follows it.

vrrptop runs in recdns-wcdc's network namespace but not in its mount namespace: the
lab's keepalived has a private /tmp (as under systemd's PrivateTmp), which vrrptop
must reach through /proc/PID/root. Ground truth: keepalived's own JSON dump, read
by the lab (``tests.lab.dump``), and its notify log.
"""

from __future__ import annotations

import json
import subprocess
import sys
import threading
import time
from pathlib import Path
from typing import Any

import pytest

from tests.lab import Lab
from tests.lab.monitor import REPO, Monitor, Record
from tests.lab.topology import node_host

pytestmark = pytest.mark.lab
NODE = "recdns-wcdc"
STATES = {0: "INIT", 1: "BACKUP", 2: "MASTER", 3: "FAULT"}


class NodeMonitor(Monitor):
    """``vrrptop -i em1 --json`` in a node's network namespace (not its mount
    namespace: keepalived's /tmp is private), recorded so ``down`` stops it."""

    def __init__(self, lab: Lab, node: str, extra: list[str]) -> None:
        self.lab = lab
        host = node_host(node)
        argv = ["ip", "netns", "exec", host.netns, sys.executable, "-m", "vrrptop", "-i",
                host.iface, "--json", "-n", "--no-probe", *extra]  # fmt: skip
        self.stderr_path = lab.state_dir / f"vrrptop-{host.short}.stderr"
        with open(self.stderr_path, "wb") as err:
            self.proc = subprocess.Popen(argv, stdout=subprocess.PIPE, stderr=err, cwd=str(REPO))
        lab.procs.add(f"mon/{self.proc.pid}", self.proc.pid)
        self.records: list[Record] = []
        self._cond = threading.Condition()
        self._reader = threading.Thread(target=self._read, daemon=True)
        self._reader.start()


def _pidfile(lab: Lab) -> Path:
    return lab.node_dir(NODE) / "keepalived.pid"


def _truth(lab: Lab) -> dict[str, dict[str, Any]]:
    """keepalived's own JSON dump: instance name -> its data."""
    return {item["data"]["iname"]: item["data"] for item in json.loads(lab.keepalived_json(NODE))}


def _latest(mon: Monitor, start: int = 0) -> dict[str, dict[str, Any]]:
    out: dict[str, dict[str, Any]] = {}
    for rec in mon.records[start:]:
        if rec.get("type") == "keepalived" and "instance" in rec:
            out[rec["instance"]] = rec
    return out


def test_node_view_matches_keepalived_and_follows_a_failing_script(seed_lab: Lab) -> None:
    mon = NodeMonitor(seed_lab, NODE, ["--keepalived-pid", str(_pidfile(seed_lab))])
    try:
        mon.wait_for(lambda r: r.get("type") == "keepalived" and r.get("instance") == "testdns1_v6")
        # Just after the lab's (re)start a priority may still move between keepalived's
        # dump and vrrptop's last read: compare again after the next read(s).
        for _attempt in range(4):
            truth, seen = _truth(seed_lab), _latest(mon)
            view = {n: (r["state"], r["effective_priority"]) for n, r in seen.items()}
            want = {n: (STATES[d["state"]], d["effective_priority"]) for n, d in truth.items()}
            if view == want:
                break
            time.sleep(6)
        assert set(seen) == set(truth) == {"testdns0", "testdns0_v6", "testdns1", "testdns1_v6"}
        assert view == want
        for name, data in truth.items():
            assert seen[name]["base_priority"] == data["base_priority"] == 50
            assert seen[name]["vrid"] == data["vrid"]
        # Seed: wcdc is master of testdns0 (rank 4: +200), backup of testdns1 (rank 1).
        master = seen["testdns0"]
        assert (master["state"], master["effective_priority"]) == ("MASTER", 250)
        good = [s["name"] for s in seen["testdns0"]["scripts"] if s["status"] == "ok"]
        assert good == ["named_check_testdns0_4"]
        assert seen["testdns1"]["master"] == node_host("cnh").ipv4
        assert "lab-pass" not in json.dumps(mon.records[-50:])

        # Its DNS stops: every named_check fails, keepalived drops to base 50 and
        # hands testdns0 over. vrrptop says so within a few reads.
        mark, t0 = mon.mark(), time.time()
        seed_lab.dns_stop(NODE)
        rec = mon.wait_for(
            lambda r: r.get("type") == "keepalived" and r.get("instance") == "testdns0"
            and r.get("state") == "BACKUP" and r.get("effective_priority") == 50,
            timeout=20, start=mark,
        )  # fmt: skip
        assert all(s["status"] == "failed" for s in rec["scripts"])
        notified = [
            n
            for n in seed_lab.notify_records(since=t0)
            if (n.node, n.instance, n.state) == (NODE, "testdns0", "BACKUP")
        ]
        assert notified, "keepalived's notify log has the transition too"
        print(f"\nkeepalived notify -> vrrptop keepalived line: {rec['_rx'] - notified[0].ts:.2f}s")
        truth = _truth(seed_lab)
        assert truth["testdns0"]["effective_priority"] == 50
    finally:
        seed_lab.dns_start(NODE)
        snap = mon.stop()
    assert snap is not None and snap["keepalived"]["pid"] > 0
    assert snap["keepalived"]["config_files"] == [str(seed_lab.node_dir(NODE) / "keepalived.conf")]
    assert snap["keepalived"]["findings"] == []  # vrrptop reads the lab's config as keepalived


def test_report_has_this_node_and_off_switch_sends_nothing(seed_lab: Lab) -> None:
    base = [sys.executable, "-m", "vrrptop", "-i", "em1", "-n", "--no-probe", "--duration", "4",
            "--keepalived-pid", str(_pidfile(seed_lab))]  # fmt: skip
    netns = node_host(NODE).netns
    report = subprocess.run(["ip", "netns", "exec", netns, *base, "--report"], cwd=str(REPO),
                            capture_output=True, text=True, timeout=60)  # fmt: skip
    assert report.returncode == 0, report.stderr
    assert "This node (keepalived pid" in report.stdout
    assert "250 (base 50 + named_check_testdns0_4 +200)" in report.stdout
    off = subprocess.run(["ip", "netns", "exec", netns, *base, "--json", "--no-keepalived-state"],
                         cwd=str(REPO), capture_output=True, text=True, timeout=60)  # fmt: skip
    lines = [json.loads(line) for line in off.stdout.splitlines()]
    assert not [r for r in lines if r["type"] == "keepalived"]
    assert lines[-1]["type"] == "snapshot" and lines[-1]["keepalived"] is None


def test_wrong_auth_pass_raises_keepalived_alarms_across_a_restart(seed_lab: Lab) -> None:
    """keepalived restarted with another auth_pass: a new pid (found again through the
    pid file), authentication failures counted by keepalived, and a keepalived MASTER
    of testdns1 while recdns-cnh advertises as master too."""
    mon = NodeMonitor(seed_lab, NODE, ["--keepalived-pid", str(_pidfile(seed_lab))])
    try:
        first = mon.wait_for(lambda r: r.get("type") == "keepalived" and "instance" in r)
        mark = mon.mark()
        seed_lab.keepalived_stop(NODE)
        seed_lab.keepalived_start(NODE, auth_pass="wrong-pw")

        def raised(kind: str) -> Any:
            return lambda r: (r.get("type"), r.get("state"), r.get("kind")) == (
                "alarm", "raised", kind)  # fmt: skip

        errors = mon.wait_for(raised("keepalived-errors"), timeout=40, start=mark)
        assert "auth failures" in errors["message"] and "auth_pass differs" in errors["message"]
        # keepalived is MASTER of testdns1 (it cannot hear cnh) and stays MASTER of
        # testdns0 while recdns-sby takes over; measured in the lab: its own IPv4 adverts
        # then go out only every 2-4 s (each invalid advert received delays them).
        wire = mon.wait_for(raised("keepalived-wire-mismatch"), timeout=40, start=mark)
        print("\nwire mismatch:", wire["message"])
        assert wire["message"].startswith("keepalived says MASTER for testdns"), wire
        later = _latest(mon, mark)
        assert later["testdns1"]["pid"] != first["pid"]  # the restarted keepalived
        assert later["testdns1"]["state"] == "MASTER"
        assert "wrong-pw" not in json.dumps(mon.records)
    finally:
        snap = mon.stop()
        seed_lab.reset()
    assert snap is not None
    kinds = {a["kind"] for a in snap["alarms"]}
    assert {"keepalived-errors", "keepalived-wire-mismatch"} <= kinds
