"""--notify end to end: the real command line replays the bundled lab capture and runs
a real script once per master change of the recorded story."""

from __future__ import annotations

import json
import os
import re
import subprocess
import sys
from pathlib import Path
from typing import Any

import pytest

from vrrptop.cli import parse_args
from vrrptop.config.loader import parse_config

ROOT = Path(__file__).resolve().parents[2]
DEMO = ROOT / "vrrptop" / "demo"
HOSTS = {  # vrrptop/demo/config.toml
    "198.51.100.11": "recdns-cnh",
    "198.51.100.13": "recdns-sby",
    "198.51.100.14": "recdns-wcdc",
}
RECORDER = """\
import json, os, sys
with open(os.environ["NOTIFY_OUT"], "a") as f:
    env = {k: v for k, v in os.environ.items() if k.startswith("VRRPTOP_")}
    f.write(json.dumps({"argv": sys.argv[1:], "env": env}) + "\\n")
"""


def vrrptop(*args: str, out: Path) -> subprocess.CompletedProcess[str]:
    return subprocess.run(
        [sys.executable, "-m", "vrrptop", *args],
        cwd=ROOT,
        env=dict(os.environ, NOTIFY_OUT=str(out)),
        capture_output=True,
        text=True,
        timeout=120,
    )


@pytest.fixture
def recorder(tmp_path: Path) -> Path:
    path = tmp_path / "record"
    path.write_text(f"#!{sys.executable}\n{RECORDER}")
    path.chmod(0o755)
    return path


def master_runs(out: Path) -> list[dict[str, Any]]:
    runs = [json.loads(line) for line in out.read_text().splitlines()]
    return [r for r in runs if r["env"]["VRRPTOP_EVENT"] == "new-master"]


def story(runs: list[dict[str, Any]]) -> list[tuple[str, str, str, str]]:
    """(instance, old, new, reason) per run, IPv4 masters by name."""
    out = []
    for r in runs:
        env = r["env"]
        old = HOSTS[env["VRRPTOP_OLD_MASTER"].split(",")[0]]
        new = HOSTS[env["VRRPTOP_NEW_MASTER"].split(",")[0]]
        out.append((r["argv"][1], old, new, env["VRRPTOP_REASON"]))
    return out


def test_demo_story_is_one_run_per_master_change(tmp_path: Path, recorder: Path) -> None:
    out = tmp_path / "runs.jsonl"
    r = vrrptop("--demo", "--no-ui", "--notify", str(recorder), out=out)
    assert r.returncode == 0, r.stderr
    runs = master_runs(out)
    # vrrptop/demo/README.md: every move of the story, each once for both families
    assert sorted(story(runs), key=lambda s: s[0]) == [
        ("testdns0", "recdns-wcdc", "recdns-cnh", "preempt"),  # 8.5 s reorder
        ("testdns0", "recdns-cnh", "recdns-wcdc", "preempt"),  # 20.5 s back
        ("testdns0", "recdns-wcdc", "recdns-sby", "preempt"),  # 32.5 s commented out
        ("testdns0", "recdns-sby", "recdns-wcdc", "preempt"),  # 44.5 s back in service
        ("testdns0", "recdns-wcdc", "recdns-sby", "resign"),  # 80.5 s graceful stop
        ("testdns0", "recdns-sby", "recdns-wcdc", "preempt"),  # 90.5 s restarted
        ("testdns1", "recdns-cnh", "recdns-wcdc", "preempt"),  # via recdns-sby: one run
        ("testdns1", "recdns-wcdc", "recdns-cnh", "preempt"),
        ("testdns1", "recdns-cnh", "recdns-sby", "preempt"),  # 56.5 s DNS stopped on cnh
        ("testdns1", "recdns-sby", "recdns-cnh", "preempt"),
        ("testdns1", "recdns-cnh", "recdns-sby", "failover"),  # 100.5 s kill -9
        ("testdns1", "recdns-sby", "recdns-cnh", "preempt"),
    ]
    assert all(r["env"]["VRRPTOP_FAMILY"] == "4,6" for r in runs)
    assert all(r["argv"][0] == "INSTANCE" and r["argv"][2] == "MASTER" for r in runs)
    transient = next(r for r in runs if r["env"]["VRRPTOP_CHANGES"] != "1")
    assert transient["argv"][1] == "testdns1" and transient["env"]["VRRPTOP_CHANGES"] == "2"
    assert "notify" not in r.stderr  # no failure to report


def test_notify_from_the_toml_config_and_command_line_wins(tmp_path: Path, recorder: Path) -> None:
    config = tmp_path / "vrrptop.toml"
    config.write_text(
        (DEMO / "config.toml")
        .read_text()
        .replace('priority_file = "priority.testdns"', f'priority_file = "{DEMO}/priority.testdns"')
        .replace(
            "[instances.testdns0]", f'notify = "{recorder} --from-toml"\n\n[instances.testdns0]'
        )
    )
    out = tmp_path / "runs.jsonl"
    pcap = str(DEMO / "lab-failover.pcap")
    r = vrrptop("-r", pcap, "--config", str(config), "--no-ui", out=out)
    assert r.returncode == 0, r.stderr
    runs = master_runs(out)
    assert len(runs) == 12 and all(x["argv"][0] == "--from-toml" for x in runs)
    out.unlink()
    r = vrrptop("-r", pcap, "--config", str(config), "--no-ui", "--notify", str(recorder), out=out)
    assert r.returncode == 0, r.stderr
    assert all(x["argv"][0] == "INSTANCE" for x in master_runs(out))


def test_a_failing_command_is_reported_not_fatal(tmp_path: Path) -> None:
    failing = tmp_path / "fail"
    failing.write_text("#!/bin/sh\necho 'mail: no route' >&2\nexit 7\n")
    failing.chmod(0o755)
    r = vrrptop("--demo", "--no-ui", "--notify", str(failing), out=tmp_path / "x")
    assert r.returncode == 0, r.stderr
    lines = [ln for ln in r.stderr.splitlines() if "notify" in ln]
    assert any("exited with status 7: mail: no route" in ln for ln in lines), r.stderr
    summary = re.match(r"vrrptop: notify: (\d+) of (\d+) runs failed", lines[-1])
    assert summary and summary[1] == summary[2] and int(summary[1]) >= 12, lines[-1]


def test_a_missing_command_stops_vrrptop_before_capture(tmp_path: Path) -> None:
    r = vrrptop("--demo", "--no-ui", "--notify", "no-such-notify-xyz --to ops", out=tmp_path / "x")
    assert r.returncode == 2
    assert r.stderr.strip() == "vrrptop: --notify: no-such-notify-xyz: command not found"


def test_options_and_config_carry_the_command(tmp_path: Path) -> None:
    assert parse_args(["em1", "--notify", "/bin/echo a b"]).notify == "/bin/echo a b"
    assert parse_args(["em1"]).notify is None
    cfg = parse_config('notify = "/usr/local/bin/vrrp-notify --to ops"\n', tmp_path / "c.toml")
    assert cfg.notify == "/usr/local/bin/vrrp-notify --to ops" and not cfg.warnings
    with pytest.raises(Exception, match=r"c\.toml:1: notify: expected a command string"):
        parse_config("notify = 3\n", tmp_path / "c.toml")


def test_contrib_mail_script_sends_one_mail_per_change(tmp_path: Path) -> None:
    """contrib/vrrptop-notify-mail, the seed's notify mail for the whole segment."""
    mailbox = tmp_path / "mailbox"
    fake = tmp_path / "sendmail"
    fake.write_text(f'#!/bin/sh\ncat >> {mailbox}\necho "-- end --" >> {mailbox}\n')
    fake.chmod(0o755)
    r = subprocess.run(
        [sys.executable, "-m", "vrrptop", "--demo", "--no-ui"]
        + ["--notify", str(ROOT / "contrib" / "vrrptop-notify-mail")],
        cwd=ROOT,
        env=dict(os.environ, VRRPTOP_SENDMAIL=f"{fake} -t", VRRPTOP_MAIL_TO="ops@example.org"),
        capture_output=True,
        text=True,
        timeout=120,
    )
    assert r.returncode == 0 and "notify" not in r.stderr, r.stderr
    mails = mailbox.read_text().split("-- end --\n")[:-1]
    subjects = [m.split("Subject: ", 1)[1].split(" (vrrptop on", 1)[0] for m in mails]
    masters = [s for s in subjects if " MASTER " in s]
    assert len(masters) == 12, subjects
    assert masters[0] == "testdns0 MASTER master recdns-cnh"
    assert all(m.startswith("To: ops@example.org\n") for m in mails)
    first = next(m for m in mails if " MASTER " in m)
    assert "old master: recdns-wcdc (198.51.100.14," in first and "IPv4,6" in first
    alarms = [m for m in mails if " ALARM " in m.split("\n", 2)[1]]
    assert alarms and all("alarm: " in m and " raised, about " in m for m in alarms)
