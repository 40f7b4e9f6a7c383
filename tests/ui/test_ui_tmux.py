"""The real ``vrrptop`` in a real terminal (tmux): what a person sees, keys, and a
clean exit with ``q`` that restores the terminal.

Uses a private tmux server (``-L vrrptop-test-<pid>``) and kills only that one.
"""

from __future__ import annotations

import os
import shutil
import subprocess
import sys
import time
from collections.abc import Callable, Iterator
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[2]
CAPTURE = ROOT / "tests" / "data" / "tcpdump_vrrp.pcap"
EXIT_MARK = "VRRPTOP-EXIT="

pytestmark = pytest.mark.skipif(shutil.which("tmux") is None, reason="tmux not installed")


class Tmux:
    """One private tmux server running one session."""

    def __init__(self, socket: str) -> None:
        self.socket = socket

    def run(self, *args: str) -> str:
        """A tmux command on our server; its stdout."""
        proc = subprocess.run(
            ["tmux", "-L", self.socket, *args], capture_output=True, text=True, timeout=30
        )
        assert proc.returncode == 0, proc.stderr
        return proc.stdout

    def screen(self) -> str:
        """What the pane shows now, as plain text."""
        return self.run("capture-pane", "-p", "-t", "ui")

    def keys(self, *keys: str) -> None:
        """Type ``keys``, one at a time (a lone Escape must not merge with the next key)."""
        for key in keys:
            self.run("send-keys", "-t", "ui", key)
            time.sleep(0.3)

    def wait_for(self, check: Callable[[str], bool], what: str, limit: float = 30.0) -> str:
        """Poll the pane until ``check`` holds (generous limit: this is not a timing test)."""
        deadline = time.monotonic() + limit
        text = self.screen()
        while not check(text):
            if time.monotonic() > deadline:
                raise AssertionError(f"never saw {what}; screen was:\n{text}")
            time.sleep(0.2)
            text = self.screen()
        return text

    def alternate_screen(self) -> bool:
        """True while a full-screen app holds the terminal's alternate screen."""
        return self.run("display-message", "-p", "-t", "ui", "#{alternate_on}").strip() == "1"


@pytest.fixture
def tmux() -> Iterator[Tmux]:
    """A private tmux server, killed (only it) at the end."""
    t = Tmux(f"vrrptop-test-{os.getpid()}")
    yield t
    path = subprocess.run(
        ["tmux", "-L", t.socket, "display-message", "-p", "#{socket_path}"],
        capture_output=True,
        text=True,
        timeout=30,
    ).stdout.strip()
    subprocess.run(["tmux", "-L", t.socket, "kill-server"], capture_output=True, timeout=30)
    if path:  # tmux leaves the socket file behind
        Path(path).unlink(missing_ok=True)


def _start(tmux: Tmux, *args: str) -> None:
    # pytest plugins export COLUMNS=80/LINES=24, which would override the pane's size.
    cmd = " ".join(["env", "-u", "COLUMNS", "-u", "LINES", sys.executable, "-m", "vrrptop", *args])
    shell = f"{cmd}; echo {EXIT_MARK}$?; sleep 600"
    # Fix the size first, then start vrrptop in it: a detached session may otherwise
    # start at tmux's default 80x24 and be resized under the app.
    tmux.run("new-session", "-d", "-s", "ui", "-x", "120", "-y", "40", "-c", str(ROOT), "sleep 600")
    tmux.run("set-option", "-t", "ui", "window-size", "manual")
    tmux.run("resize-window", "-t", "ui", "-x", "120", "-y", "40")
    size = tmux.run("display-message", "-p", "-t", "ui", "#{window_width}x#{window_height}")
    assert size.strip() == "120x40"
    tmux.run("respawn-pane", "-k", "-t", "ui", "-c", str(ROOT), shell)


def table_vrids(text: str) -> list[str]:
    """VRIDs of the instances table rows visible on screen (rows start with a VRID)."""
    out = []
    lines = text.splitlines()
    start = next(i for i, ln in enumerate(lines) if ln.lstrip().startswith("VRID"))
    for line in lines[start + 1 :]:
        parts = line.split()
        if len(parts) < 2 or not parts[0].isdigit() or parts[1] not in ("v4", "v6"):
            break
        out.append(parts[0])
    return out


@pytest.mark.skipif(not CAPTURE.exists(), reason="tests/data capture missing")
def test_replay_in_a_real_terminal(tmux: Tmux) -> None:
    _start(tmux, "-r", str(CAPTURE.relative_to(ROOT)))

    # five virtual routers, all mastered by the last preempting router
    def replay_done(s: str) -> bool:
        return (
            "END OF CAPTURE" in s
            and "frames 165" in s
            and table_vrids(s) == ["42", "43", "44", "45", "46"]
            and s.count("10.0.0.97") >= 3
        )

    text = tmux.wait_for(replay_done, "the end of the replay with five instances")
    assert tmux.alternate_screen()
    assert "fe80::20c:42ff:fe5e:c2dc" in text
    assert "adverts 165" in text
    assert "preempted" in text  # the event log
    assert "q Quit" in text and "? Help" in text  # the footer

    tmux.keys("?")
    text = tmux.wait_for(lambda s: "vrrptop keys" in s, "the help screen")
    assert "Pause/resume the display" in text
    tmux.keys("Escape")
    tmux.wait_for(lambda s: "vrrptop keys" not in s, "help closing")

    tmux.keys("/", "4", "2", "Enter")
    text = tmux.wait_for(lambda s: "filter:'42'" in s, "the filter in the header")
    assert table_vrids(text) == ["42"]
    tmux.keys("Enter")
    text = tmux.wait_for(
        lambda s: "Master history" in s and "PASS ********" in s and "10.0.0.91" in s,
        "the detail screen",
    )
    assert "VRID 42" in text
    assert "abcdefgh" not in text  # VRID 42's password (on the wire) is masked
    assert "10.0.0.91" in text and "10.0.0.97" in text  # history from first to last master
    tmux.keys("Escape")
    tmux.wait_for(lambda s: "Virtual routers" in s, "back to the main screen")
    tmux.keys("Escape")  # clears the filter
    tmux.wait_for(lambda s: table_vrids(s) == ["42", "43", "44", "45", "46"], "all rows again")

    tmux.keys("q")
    text = tmux.wait_for(lambda s: EXIT_MARK in s, "vrrptop exiting")
    assert f"{EXIT_MARK}0" in text
    assert not tmux.alternate_screen()  # the terminal is restored
    assert "Virtual routers" not in text
