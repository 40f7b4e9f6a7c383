"""Nothing hidden (issue 13), in a real terminal: at 80x24, 120x40 and 200x60 the
header keeps the capture state and the counters, the footer every action, the
hosts table every VRID; the event log re-wraps when the terminal is resized."""

from __future__ import annotations

import os
import shutil
from collections.abc import Iterator
from pathlib import Path

import pytest

from tests.tmux_terminal import ROOT, Tmux, private_tmux

CAPTURE = ROOT / "tests" / "data" / "tcpdump_vrrp.pcap"
LONG_NAME = "incident-2026-12-01-recdns-failover-during-the-maintenance-window-capture.pcap"
SIZES = [(80, 24), (120, 40), (200, 60)]

pytestmark = pytest.mark.skipif(shutil.which("tmux") is None, reason="tmux not installed")


@pytest.fixture
def tmux(request: pytest.FixtureRequest) -> Iterator[Tmux]:
    """A private tmux server, killed (only it) at the end."""
    with private_tmux(f"vrrptop-fit-{os.getpid()}-{abs(hash(request.node.name))}") as t:
        yield t


def _section(text: str, title: str, end: str) -> list[str]:
    lines = text.splitlines()
    start = next((i for i, ln in enumerate(lines) if title in ln), len(lines))
    stop = next((i for i in range(start + 1, len(lines)) if end in lines[i]), len(lines))
    return lines[start + 1 : stop]


def _painted(text: str) -> bool:
    """The whole frame is on the screen: Textual paints a frame in pieces, and a
    capture can land before the footer (the last line) is drawn (CI saw it at 200x60)."""
    lines = [ln for ln in text.splitlines() if ln.strip()]
    return bool(lines) and "q Quit" in lines[-1]


def _check_nothing_hidden(text: str, vrids: list[str], state: str) -> None:
    lines = text.splitlines()
    assert state in lines[0], text
    for counter in ("frames ", "adverts ", "malformed ", "dropped "):
        assert counter in lines[1], text
    footer = [ln for ln in lines if ln.strip()][-1]
    for action in ("Details", "q Quit", "Help", "Filter", "Sort", "Pause", "Names", "c Clear"):
        assert action in footer, footer
    assert "e Edit" in footer, footer
    hosts = "\n".join(_section(text, "▔Hosts", "▔")) if vrids else ""
    for vrid in vrids:
        assert vrid in hosts, hosts


@pytest.mark.parametrize(("cols", "rows"), SIZES)
def test_demo_at_every_size(tmux: Tmux, cols: int, rows: int) -> None:
    tmux.start_vrrptop("--demo", cols=cols, rows=rows)
    text = tmux.wait_for(
        lambda s: "frames" in s and "211 " in s and " demo " in s.splitlines()[0] and _painted(s),
        "the demo with both VRIDs",
    )
    _check_nothing_hidden(text, ["210", "211"], "running")
    assert "site-packages" not in text and "/vrrptop/demo/" not in text


@pytest.mark.skipif(not CAPTURE.exists(), reason="tests/data capture missing")
@pytest.mark.parametrize(("cols", "rows"), SIZES)
def test_replay_with_a_long_file_name(tmux: Tmux, tmp_path: Path, cols: int, rows: int) -> None:
    capture = tmp_path / LONG_NAME
    shutil.copy(CAPTURE, capture)
    tmux.start_vrrptop("-r", str(capture), cols=cols, rows=rows)
    text = tmux.wait_for(
        lambda s: "END OF CAPTURE" in s and "frames 165" in s and _painted(s), "the replay's end"
    )
    # Five VRIDs of unnamed hosts do not fit 80 columns as columns: the hosts table
    # then has one summary column; the demo above proves the per-VRID columns.
    _check_nothing_hidden(text, [], "END OF CAPTURE")
    assert "incident" in text.splitlines()[0] and str(tmp_path) not in text


@pytest.mark.skipif(not CAPTURE.exists(), reason="tests/data capture missing")
def test_event_log_rewraps_when_the_terminal_is_resized(tmux: Tmux) -> None:
    tmux.start_vrrptop("-r", str(CAPTURE.relative_to(ROOT)), cols=80, rows=40)

    def events(text: str) -> list[str]:
        return [ln for ln in _section(text, "▔Events", "q Quit") if ln.strip()]

    # At 80 columns some event lines wrap: a line that starts without a timestamp.
    tmux.wait_for(
        lambda s: "END OF CAPTURE" in s and any(not ln[:2].isdigit() for ln in events(s)),
        "the replay's end, events wrapped at 80",
    )
    tmux.resize(200, 40)
    text = tmux.wait_for(
        lambda s: all(ln[:2].isdigit() for ln in events(s)), "every event on one line at 200"
    )
    newest = events(text)[-1]
    tmux.resize(80, 40)
    text = tmux.wait_for(
        lambda s: any(not ln[:2].isdigit() for ln in events(s)), "re-wrapped at 80 again"
    )
    # Still following the newest event after both resizes.
    assert newest.split()[0] in "\n".join(events(text)), text
