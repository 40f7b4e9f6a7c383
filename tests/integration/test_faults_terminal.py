"""The console survives a terminal shrunk to a few cells and grown back, then quits.

Runs the real ``vrrptop -r CAPTURE`` in a private tmux server (``-L rb-<pid>``) and
kills only that server.
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

pytestmark = [
    pytest.mark.skipif(shutil.which("tmux") is None, reason="tmux not installed"),
    pytest.mark.skipif(not CAPTURE.exists(), reason="tests/data capture missing"),
]


class Tmux:
    """A private tmux server with one session, ``ui``."""

    def __init__(self) -> None:
        self.socket = f"rb-{os.getpid()}"

    def run(self, *args: str) -> str:
        """Run a tmux command on our server; its stdout."""
        p = subprocess.run(
            ["tmux", "-L", self.socket, *args], capture_output=True, text=True, timeout=30
        )
        assert p.returncode == 0, p.stderr
        return p.stdout

    def screen(self) -> str:
        """The pane's text now."""
        return self.run("capture-pane", "-p", "-t", "ui")

    def resize(self, cols: int, rows: int) -> None:
        """Resize the window (the app gets SIGWINCH) and check tmux did it."""
        self.run("resize-window", "-t", "ui", "-x", str(cols), "-y", str(rows))
        size = self.run("display-message", "-p", "-t", "ui", "#{window_width}x#{window_height}")
        assert size.strip() == f"{cols}x{rows}"

    def wait_for(self, check: Callable[[str], bool], what: str, limit: float = 30.0) -> str:
        """Poll the pane until ``check`` holds."""
        deadline = time.monotonic() + limit
        text = self.screen()
        while not check(text):
            if time.monotonic() > deadline:
                raise AssertionError(f"never saw {what}; screen was:\n{text}")
            time.sleep(0.2)
            text = self.screen()
        return text


def _replayed(screen: str) -> bool:
    """The end of the replay is on screen: the last master of the capture's routers."""
    return "END OF CAPTURE" in screen and screen.count("10.0.0.97") >= 3


@pytest.fixture
def tmux() -> Iterator[Tmux]:
    """Our tmux server; only it is killed at the end."""
    t = Tmux()
    yield t
    path = subprocess.run(
        ["tmux", "-L", t.socket, "display-message", "-p", "#{socket_path}"],
        capture_output=True,
        text=True,
        timeout=30,
    ).stdout.strip()
    subprocess.run(["tmux", "-L", t.socket, "kill-server"], capture_output=True, timeout=30)
    if path:
        Path(path).unlink(missing_ok=True)


def test_tiny_terminal_sizes_do_not_crash(tmux: Tmux) -> None:
    # COLUMNS/LINES (exported by some pytest plugins) would pin the app's size.
    cmd = f"env -u COLUMNS -u LINES {sys.executable} -m vrrptop -r {CAPTURE}"
    # stderr stays on the terminal: Textual draws on it, and a traceback would show.
    shell = f"{cmd}; echo {EXIT_MARK}$?; sleep 600"
    tmux.run("new-session", "-d", "-s", "ui", "-x", "80", "-y", "24", "-c", str(ROOT), "sleep 600")
    tmux.run("set-option", "-t", "ui", "window-size", "manual")
    tmux.resize(80, 24)
    tmux.run("respawn-pane", "-k", "-t", "ui", "-c", str(ROOT), shell)
    tmux.wait_for(_replayed, "the replay on screen at 80x24")
    for cols, rows in [(20, 5), (1, 1), (10, 3), (20, 5), (200, 60), (80, 24)]:
        tmux.resize(cols, rows)
        time.sleep(0.7)  # let the app lay out at this size
        text = tmux.screen()
        assert EXIT_MARK not in text, f"vrrptop exited at {cols}x{rows}:\n{text}"
        assert "Traceback" not in text, f"at {cols}x{rows}:\n{text}"
    # The help and detail screens laid out in a tiny window, then closed.
    tmux.resize(20, 5)
    for key in ("?", "Escape", "Enter", "Escape"):
        tmux.run("send-keys", "-t", "ui", key)
        time.sleep(0.5)
        assert EXIT_MARK not in tmux.screen(), f"vrrptop exited after {key} at 20x5"
    tmux.resize(80, 24)
    text = tmux.wait_for(_replayed, "the table again at 80x24")
    assert "Traceback" not in text
    tmux.run("send-keys", "-t", "ui", "q")
    text = tmux.wait_for(lambda s: EXIT_MARK in s, "vrrptop exiting on q")
    assert f"{EXIT_MARK}0" in text
    assert "Traceback" not in text and "Error" not in text, text
