"""The console survives a terminal shrunk to a few cells and grown back, then quits.

Runs the real ``vrrptop -r CAPTURE`` in a private tmux server (``-L rb-<pid>``) and
kills only that server.
"""

from __future__ import annotations

import os
import shutil
import time
from collections.abc import Iterator

import pytest

from tests.tmux_terminal import EXIT_MARK, ROOT, Tmux, private_tmux

CAPTURE = ROOT / "tests" / "data" / "tcpdump_vrrp.pcap"

pytestmark = [
    pytest.mark.skipif(shutil.which("tmux") is None, reason="tmux not installed"),
    pytest.mark.skipif(not CAPTURE.exists(), reason="tests/data capture missing"),
]


def _replayed(screen: str) -> bool:
    """The end of the replay is on screen: the last master of the capture's routers."""
    return "END OF CAPTURE" in screen and screen.count("10.0.0.97") >= 3


@pytest.fixture
def tmux() -> Iterator[Tmux]:
    """Our tmux server; only it is killed at the end."""
    with private_tmux(f"rb-{os.getpid()}") as t:
        yield t


def test_tiny_terminal_sizes_do_not_crash(tmux: Tmux) -> None:
    tmux.start_vrrptop("-r", str(CAPTURE), cols=80, rows=24)
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
