"""Hostile priority files: whatever is put at the path, vrrptop neither hangs nor
loses the operator's data (issue 17, items 2, 9-12, 16)."""

from __future__ import annotations

import os
import subprocess
import sys
import threading
from pathlib import Path

import pytest

from tests import pcapgen as g
from vrrptop.priority import store
from vrrptop.priority.errors import PriorityFileError
from vrrptop.priority.watch import PriorityWatcher

ROOT = Path(__file__).resolve().parents[2]


def _in_thread(fn, timeout: float = 5.0):  # type: ignore[no-untyped-def]
    """Run ``fn`` in a daemon thread; fail (not hang) when it blocks."""
    out: list[object] = []

    def target() -> None:
        try:
            out.append(fn())
        except BaseException as exc:  # noqa: BLE001 - handed to the test
            out.append(exc)

    t = threading.Thread(target=target, daemon=True)
    t.start()
    t.join(timeout)
    assert not t.is_alive(), f"{fn} blocked for {timeout}s"
    return out[0]


def test_fifo_in_place_of_the_file_is_an_error_not_a_hang(tmp_path: Path) -> None:
    path = tmp_path / "prio"
    path.write_text("lb1\nlb2\n")
    loaded = store.load(path)
    watcher = PriorityWatcher([path])
    path.unlink()
    os.mkfifo(path)
    result = _in_thread(lambda: store.load(path))
    assert isinstance(result, PriorityFileError) and "not a regular file" in str(result)
    assert _in_thread(lambda: store.changed_on_disk(loaded)) is True
    _in_thread(watcher.poll)
    assert "not a regular file" in (watcher.states[path].error or "")
    # The last good content is kept for display.
    assert watcher.files[path].hosts() == ["lb1", "lb2"]


def test_fifo_priority_file_on_the_command_line_exits_with_one_line(tmp_path: Path) -> None:
    fifo = tmp_path / "prio"
    os.mkfifo(fifo)
    cap = g.write(tmp_path / "in.pcap", g.pcap([(1.0, g.advert4())]))
    try:
        r = subprocess.run(
            [sys.executable, "-m", "vrrptop", "-r", str(cap), "--json", "--priority-file",
             str(fifo)],
            cwd=ROOT, capture_output=True, text=True, timeout=20,
        )  # fmt: skip
    except subprocess.TimeoutExpired:
        pytest.fail("vrrptop hung on a FIFO priority file")
    assert r.returncode != 0
    assert "Traceback" not in r.stderr
    assert len(r.stderr.strip().splitlines()) == 1 and "not a regular file" in r.stderr
