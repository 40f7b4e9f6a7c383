"""The save against other writers and against SIGKILL (#17 items 9, 11; Proof).

* A scripted race: another writer replaces the file at each slow step of a save
  (while the backup and while the temp file are fsynced); every one is detected.
* A timed race: a separate process replaces the file 0-4 ms after a save starts,
  many times; a write may only be lost inside the last check-to-replace window
  (microseconds), so losses must be rare (they were 79 of 300 before the fix).
* A kill loop: a forked child saves in a loop and is SIGKILLed at random moments;
  the file is always exactly one whole version, and no temp file survives the
  next save. ``benchmarks/bench_save_kill.py`` runs the same loop for longer.
"""

from __future__ import annotations

import os
import random
import signal
import subprocess
import sys
import time
from pathlib import Path

import pytest

from vrrptop.priority import store
from vrrptop.priority.errors import ConflictError

OURS = b"".join(b"lb%d\n" % i for i in range(200))
THEIRS = b"".join(b"theirs%d\n" % i for i in range(200))


def _replace_with(path: Path, data: bytes) -> None:
    """What rsync or an editor writing a new file does."""
    tmp = path.with_name(path.name + ".other")
    tmp.write_bytes(data)
    os.replace(tmp, path)


@pytest.mark.parametrize("step", [1, 2])
def test_a_write_during_any_slow_step_of_the_save_is_detected(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch, step: int
) -> None:
    path = tmp_path / "prio"
    path.write_bytes(b"lb1\n")
    loaded = store.load(path)
    real_fsync = os.fsync
    calls = 0

    def fsync(fd: int) -> None:
        nonlocal calls
        calls += 1
        real_fsync(fd)
        if calls == step:  # 1: the backup's temp, 2: the new content's temp
            _replace_with(path, THEIRS)

    monkeypatch.setattr(os, "fsync", fsync)
    with pytest.raises(ConflictError):
        store.save(loaded, OURS)
    assert path.read_bytes() == THEIRS  # their write stands
    assert not [p for p in tmp_path.iterdir() if p.name.startswith(store.TEMP_PREFIX)]


WRITER = r"""
import os, sys, time
path = sys.argv[1]
data = b"".join(b"theirs%d\n" % i for i in range(200))
for line in sys.stdin:
    delay = float(line)
    end = time.perf_counter() + delay
    while time.perf_counter() < end:
        pass
    tmp = path + ".other"
    with open(tmp, "wb") as fh:
        fh.write(data)
    os.replace(tmp, path)
    sys.stdout.write("done\n")
    sys.stdout.flush()
"""


def race(path: Path, tries: int, seed: int = 17) -> tuple[int, int, int]:
    """(tried, detected, lost): a writer process replaces ``path`` 0-4 ms after each
    save starts. Lost = the save succeeded over the writer's content."""
    rng = random.Random(seed)
    writer = subprocess.Popen(
        [sys.executable, "-c", WRITER, str(path)],
        stdin=subprocess.PIPE, stdout=subprocess.PIPE, text=True, bufsize=1,
    )  # fmt: skip
    assert writer.stdin is not None and writer.stdout is not None
    detected = lost = 0
    try:
        for _ in range(tries):
            path.write_bytes(b"lb1\n")
            loaded = store.load(path)
            writer.stdin.write(f"{rng.uniform(0, 0.004)}\n")
            writer.stdin.flush()
            try:
                store.save(loaded, OURS, backup=True)
                saved = True
            except ConflictError:
                saved = False
                detected += 1
            writer.stdout.readline()  # the writer's replace is done
            if saved and path.read_bytes() == OURS:
                lost += 1  # ours landed after theirs: theirs was overwritten unseen
    finally:
        writer.stdin.close()
        writer.wait(10)
    return tries, detected, lost


def test_timed_race_against_a_writer_process_loses_almost_nothing(tmp_path: Path) -> None:
    tried, detected, lost = race(tmp_path / "prio", 300)
    print(f"concurrent-writer race: tried {tried}, detected {detected}, lost {lost}")
    assert detected > 0  # the writer did land inside saves
    # The last check before the rename leaves a window no user-space save can close:
    # measured 3-7 of 300 lost on this machine (1-2 %), 79 of 300 before the fix.
    # The bound sits between the two, well clear of both, so load cannot flip it.
    assert lost <= tried // 15, (tried, detected, lost)


KILL_VERSIONS = [b"".join(b"v%d-host%d\n" % (v, i) for i in range(2000)) for v in range(3)]


def kill_loop(directory: Path, kills: int, seed: int = 17) -> dict[str, int]:
    """Fork a child saving in a loop, SIGKILL it at a random moment, check, repeat."""
    rng = random.Random(seed)
    path = directory / "prio"
    path.write_bytes(KILL_VERSIONS[0])
    bad = leftover_max = 0
    for _ in range(kills):
        pid = os.fork()
        if pid == 0:  # the child: save forever, with a backup, until killed
            try:
                n = 0
                while True:
                    n += 1
                    loaded = store.load(path)
                    store.save(loaded, KILL_VERSIONS[n % 3], backup=True)
            finally:
                os._exit(0)
        time.sleep(rng.uniform(0, 0.02))
        os.kill(pid, signal.SIGKILL)
        os.waitpid(pid, 0)
        if path.read_bytes() not in KILL_VERSIONS:
            bad += 1
        backup = path.with_name("prio~")
        if backup.exists() and backup.read_bytes() not in KILL_VERSIONS:
            bad += 1
        leftover_max = max(leftover_max, len(_temps(directory)))
    # The next save (by a live process, temps older than the grace) cleans up.
    old = time.time() - 60
    for tmp in _temps(directory):
        os.utime(tmp, (old, old))
    store.save(store.load(path), KILL_VERSIONS[0])
    return {"kills": kills, "bad": bad, "leftover_max": leftover_max,
            "leftover_after_save": len(_temps(directory))}  # fmt: skip


def _temps(directory: Path) -> list[Path]:
    return [p for p in directory.iterdir() if p.name.startswith(store.TEMP_PREFIX)]


def test_sigkill_during_saves_never_tears_the_file_and_leaves_no_temp(tmp_path: Path) -> None:
    got = kill_loop(tmp_path, 200)
    print(f"kill-during-save: {got}")
    assert got["bad"] == 0, got
    assert got["leftover_after_save"] == 0, got
