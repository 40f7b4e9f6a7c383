"""--notify's process control: failures shown never raised, timeouts kill the process
group, the caller never blocks, bad commands stop vrrptop at start."""

from __future__ import annotations

import os
import threading
import time
from pathlib import Path

import pytest

from tests.unit.notify_kit import (
    CNH4,
    RECORDER,
    T0,
    WCDC4,
    master,
    runs,
    script,
)
from tests.unit.prom_samples import KEY4, alarm
from vrrptop.errors import VrrptopError
from vrrptop.model.expectation import AlarmChange, AlarmKind, InstanceKey
from vrrptop.output.notify import Notifier


def test_failures_are_counted_and_shown_never_raised(
    tmp_path: Path, notifiers: list[Notifier], capfd: pytest.CaptureFixture[str]
) -> None:
    failing = script(tmp_path, "fail", "import sys\nprint('smtp refused', file=sys.stderr)\n")
    failing.write_text(failing.read_text() + "sys.exit(3)\n")
    errors: list[str] = []
    n = Notifier(str(failing), on_error=errors.append)
    notifiers.append(n)
    n.event(master(T0, 210, 4, WCDC4, CNH4))
    n.event(master(T0 + 60, 210, 4, CNH4, WCDC4))
    n.close()
    assert n.runs == 2 and n.failures == 2
    assert n.last_error is not None and "exited with status 3: smtp refused" in n.last_error
    assert len(errors) == 2
    err = capfd.readouterr().err
    lines = [ln for ln in err.splitlines() if ln.startswith("vrrptop: notify")]
    assert len(lines) == 2 and "VRID210 MASTER" in lines[0]


def test_timeout_kills_the_process_group(tmp_path: Path, notifiers: list[Notifier]) -> None:
    pidfile = tmp_path / "child.pid"
    hang = script(
        tmp_path,
        "hang",
        "import subprocess, time\n"
        "child = subprocess.Popen(['sleep', '60'])\n"
        f"open({str(pidfile)!r}, 'w').write(str(child.pid))\n"
        "time.sleep(60)\n",
    )
    n = Notifier(str(hang), timeout_s=1.0)
    notifiers.append(n)
    n.event(master(T0, 210, 4, WCDC4, CNH4))
    n.close(timeout=10)
    assert n.failures == 1 and n.last_error is not None and "timed out" in n.last_error
    child = int(pidfile.read_text())
    deadline = time.monotonic() + 5
    while time.monotonic() < deadline and _alive(child):
        time.sleep(0.05)
    assert not _alive(child), "the command's own child was left running"


def _alive(pid: int) -> bool:
    try:
        with open(f"/proc/{pid}/stat") as f:
            return f.read().split(") ", 1)[1][0] != "Z"
    except FileNotFoundError:
        return False


def test_never_blocks_the_caller_and_drops_the_oldest(
    tmp_path: Path, out: Path, notifiers: list[Notifier]
) -> None:
    release = tmp_path / "release"
    gate = script(
        tmp_path,
        "gate",
        "import os, time\n"
        f"while not os.path.exists({str(release)!r}):\n    time.sleep(0.02)\n" + RECORDER,
    )
    n = Notifier(str(gate), coalesce_s=0.0, queue=3)
    notifiers.append(n)
    kinds = list(AlarmKind)

    def feed() -> None:
        for i in range(40):
            key = InstanceKey(1 + i, 4)
            n.alarm(AlarmChange("raised", alarm(kinds[i % len(kinds)], key, key.label), T0 + i))

    feeder = threading.Thread(target=feed)
    feeder.start()
    feeder.join(10)
    assert not feeder.is_alive(), "alarm() waited for the command"
    release.touch()
    n.close(timeout=20)
    got = runs(out)
    assert n.dropped > 0
    assert len(got) + n.dropped == 40, (len(got), n.dropped)
    # what survived is the newest, in order
    vrids = [int(r["env"]["VRRPTOP_VRID"]) for r in got]
    assert vrids == sorted(vrids) and vrids[-1] == 40


def test_close_kills_a_command_that_outlives_it(tmp_path: Path) -> None:
    hang = script(tmp_path, "hang", "import time\ntime.sleep(60)\n")
    n = Notifier(str(hang), timeout_s=60)
    n.event(master(T0, 210, 4, WCDC4, CNH4))
    n.event(master(T0 + 60, 210, 4, CNH4, WCDC4))
    start = time.monotonic()
    n.close(timeout=1.0)
    assert time.monotonic() - start < 30  # not the command's 60 s
    assert n.dropped >= 1
    n.close()  # twice is fine


@pytest.mark.parametrize(
    ("command", "message"),
    [
        ("", "empty command"),
        ("'unbalanced", "No closing quotation"),
        ("no-such-notify-command-xyz", "command not found"),
        ("/nonexistent/notify", "not an executable file"),
    ],
)
def test_bad_commands_stop_vrrptop_at_start(command: str, message: str) -> None:
    with pytest.raises(VrrptopError, match=message) as err:
        Notifier(command)
    assert err.value.exit_code == 2


def test_environment_keeps_path(out: Path, recorder: Path, notifiers: list[Notifier]) -> None:
    n = Notifier(str(recorder))
    notifiers.append(n)
    n.alarm(AlarmChange("raised", alarm(AlarmKind.INSTANCE_SILENT, KEY4, KEY4.label), T0))
    n.close()
    assert runs(out) and "PATH" in os.environ
