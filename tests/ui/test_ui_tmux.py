"""The real ``vrrptop`` in a real terminal (tmux): what a person sees, keys, and a
clean exit with ``q`` that restores the terminal.

Uses a private tmux server (``-L vrrptop-test-<pid>``) and kills only that one.
"""

from __future__ import annotations

import os
import shutil
from collections.abc import Iterator

import pytest

from tests.tmux_terminal import EXIT_MARK, ROOT, Tmux, private_tmux

CAPTURE = ROOT / "tests" / "data" / "tcpdump_vrrp.pcap"

pytestmark = pytest.mark.skipif(shutil.which("tmux") is None, reason="tmux not installed")


@pytest.fixture
def tmux() -> Iterator[Tmux]:
    """A private tmux server, killed (only it) at the end."""
    with private_tmux(f"vrrptop-test-{os.getpid()}") as t:
        yield t


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
    # 160 columns: the details' two columns (from 156) show the last advert without
    # scrolling; at 120 they are one column, whole names first (issue 13).
    tmux.start_vrrptop("-r", str(CAPTURE.relative_to(ROOT)), cols=160, rows=48)

    # five virtual routers, all mastered by the last preempting router
    def replay_done(s: str) -> bool:
        return (
            "END OF CAPTURE" in s
            and "frames 165" in s
            and table_vrids(s) == ["42", "43", "44", "45", "46"]
            and s.count("10.0.0.97") >= 3
            and "q Quit" in s  # the footer: the frame is painted to its last line
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
