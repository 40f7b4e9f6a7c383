"""A private tmux server driving the real ``vrrptop`` in a real terminal.

Shared by the console tests (tests/ui) and the fault tests (tests/integration).
Each test gets its own server (``tmux -L NAME``); only that server is killed.
"""

from __future__ import annotations

import subprocess
import sys
import time
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
#: Printed by the pane's shell after vrrptop exits, followed by its exit status.
EXIT_MARK = "VRRPTOP-EXIT="


class Tmux:
    """One private tmux server running one session, ``ui``."""

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

    def keys(self, *keys: str, pause: float = 0.3) -> None:
        """Type ``keys``, one at a time (a lone Escape must not merge with the next key)."""
        for key in keys:
            self.run("send-keys", "-t", "ui", key)
            time.sleep(pause)

    def resize(self, cols: int, rows: int) -> None:
        """Resize the window (the app gets SIGWINCH) and check tmux did it."""
        self.run("resize-window", "-t", "ui", "-x", str(cols), "-y", str(rows))
        size = self.run("display-message", "-p", "-t", "ui", "#{window_width}x#{window_height}")
        assert size.strip() == f"{cols}x{rows}"

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

    def start_vrrptop(self, *args: str, cols: int = 120, rows: int = 40) -> None:
        """Run ``python -m vrrptop ARGS`` in a window of exactly ``cols`` x ``rows``."""
        # pytest plugins export COLUMNS=80/LINES=24, which would override the pane's size.
        cmd = " ".join(["env", "-u", "COLUMNS", "-u", "LINES", sys.executable, "-m", "vrrptop"])
        # stderr stays on the terminal: Textual draws on it, and a traceback would show.
        shell = f"{cmd} {' '.join(args)}; echo {EXIT_MARK}$?; sleep 600"
        # Fix the size first, then start vrrptop in it: a detached session may otherwise
        # start at tmux's default 80x24 and be resized under the app.
        self.run(
            "new-session", "-d", "-s", "ui", "-x", str(cols), "-y", str(rows),
            "-c", str(ROOT), "sleep 600",
        )  # fmt: skip
        self.run("set-option", "-t", "ui", "window-size", "manual")
        self.resize(cols, rows)
        self.run("respawn-pane", "-k", "-t", "ui", "-c", str(ROOT), shell)


@contextmanager
def private_tmux(socket: str) -> Iterator[Tmux]:
    """A private tmux server; it alone is killed at the end, and its socket removed."""
    t = Tmux(socket)
    try:
        yield t
    finally:
        path = subprocess.run(
            ["tmux", "-L", socket, "display-message", "-p", "#{socket_path}"],
            capture_output=True,
            text=True,
            timeout=30,
        ).stdout.strip()
        subprocess.run(["tmux", "-L", socket, "kill-server"], capture_output=True, timeout=30)
        if path:  # tmux leaves the socket file behind
            Path(path).unlink(missing_ok=True)
