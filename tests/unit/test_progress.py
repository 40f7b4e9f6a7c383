"""A long replay's progress goes to a terminal's stderr, never into piped output."""

from __future__ import annotations

import io
import time

from vrrptop.output.progress import replay_progress


class _Terminal(io.StringIO):
    def isatty(self) -> bool:
        return True


def _replay(stream: io.StringIO, seconds: float = 0.8, delay: float = 0.0) -> str:
    state = {"read": 0}

    def position() -> tuple[int, int]:
        state["read"] = min(state["read"] + 1000, 10_000)
        return (state["read"], 10_000)

    with replay_progress(position, "big.pcap", stream, delay=delay):
        time.sleep(seconds)
    return stream.getvalue()


def test_progress_on_a_terminal() -> None:
    text = _replay(_Terminal())
    assert "reading big.pcap" in text and "kB" in text


def test_no_progress_into_a_pipe_or_for_a_short_replay() -> None:
    assert _replay(io.StringIO()) == ""  # not a terminal
    assert _replay(_Terminal(), seconds=0.1, delay=1.0) == ""  # over before the delay
