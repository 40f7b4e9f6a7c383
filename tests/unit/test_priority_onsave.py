"""``--on-save``: bounded memory and time whatever the command does (#17 item 3)."""

from __future__ import annotations

import resource
import threading
import time
from pathlib import Path

from vrrptop.priority import onsave
from vrrptop.priority.onsave import MAX_OUTPUT, run_on_save


def _rss_mb() -> float:
    return resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024


def test_huge_output_keeps_only_a_bounded_tail(tmp_path: Path) -> None:
    before = _rss_mb()
    # 300 MB on stdout, then a last line that must be kept.
    r = run_on_save("head -c 300000000 /dev/zero | tr '\\0' x; echo; echo LAST", tmp_path / "f")
    assert r.ok, r.summary()
    assert r.stdout.endswith("LAST\n")
    assert len(r.stdout) <= MAX_OUTPUT
    assert _rss_mb() - before < 50, "the whole output was buffered"


def test_endless_output_times_out_with_bounded_memory(tmp_path: Path) -> None:
    before = _rss_mb()
    r = run_on_save("yes", tmp_path / "f", timeout=1.5)
    assert r.timed_out and not r.ok
    assert r.duration_s < 4
    assert _rss_mb() - before < 50


def test_a_child_escaping_the_group_does_not_block_the_result(tmp_path: Path) -> None:
    # setsid leaves our process group, keeps our stdout open and sleeps: the
    # result must come at once (the shell exited), reported as backgrounded.
    start = time.monotonic()
    r = run_on_save("setsid sleep 30 & echo started", tmp_path / "f", timeout=10)
    took = time.monotonic() - start
    assert took < 3, took
    assert r.backgrounded and not r.timed_out and not r.ok
    assert "background" in r.summary() and "timed out" not in r.summary()
    assert r.stdout == "started\n"


def test_timeout_with_an_escaped_child_stops_waiting_at_the_timeout(tmp_path: Path) -> None:
    start = time.monotonic()
    r = run_on_save("setsid sleep 30 & sleep 30", tmp_path / "f", timeout=1.0)
    assert time.monotonic() - start < 3.5
    assert r.timed_out and "timed out" in r.summary()


def test_cancel_all_ends_a_running_command_at_once(tmp_path: Path) -> None:
    results: list[onsave.OnSaveResult] = []
    t = threading.Thread(target=lambda: results.append(run_on_save("sleep 30", tmp_path / "f")))
    t.start()
    time.sleep(0.3)
    start = time.monotonic()
    onsave.cancel_all()
    t.join(5)
    assert not t.is_alive()
    assert time.monotonic() - start < 2.5
    assert results[0].cancelled and not results[0].ok
