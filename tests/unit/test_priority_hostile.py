"""Hostile priority files: whatever is put at the path, vrrptop neither hangs nor
loses the operator's data (issue 17, items 2, 9-12, 16)."""

from __future__ import annotations

import os
import stat
import struct
import subprocess
import sys
import threading
import time
from pathlib import Path

import pytest

from tests import pcapgen as g
from vrrptop.priority import store, tempfiles
from vrrptop.priority.errors import ConflictError, PriorityFileError
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


# -- item 12: overwrite puts back a deleted file --------------------------------------


def test_overwrite_recreates_a_deleted_file_with_its_mode(tmp_path: Path) -> None:
    path = tmp_path / "prio"
    path.write_text("lb1\nlb2\n")
    path.chmod(0o640)
    loaded = store.load(path)
    path.unlink()
    with pytest.raises(ConflictError, match="removed"):
        store.save(loaded, b"lb2\nlb1\n")
    assert not path.exists()  # asking first: nothing recreated without force
    saved = store.save(loaded, b"lb2\nlb1\n", force=True)
    assert path.read_bytes() == b"lb2\nlb1\n"
    assert stat.S_IMODE(path.stat().st_mode) == 0o640
    assert saved.backup is None  # nothing to back up
    assert not store.changed_on_disk(saved)


# -- item 10: xattrs and ACLs survive a save -------------------------------------------


def _acl(*entries: tuple[int, int, int]) -> bytes:
    """A POSIX ACL in the kernel's xattr format (version 2)."""
    return struct.pack("<I", 2) + b"".join(struct.pack("<HHI", *e) for e in entries)


def test_xattrs_and_acl_survive_save_and_backup(tmp_path: Path) -> None:
    path = tmp_path / "prio"
    path.write_text("lb1\nlb2\n")
    path.chmod(0o640)
    try:
        os.setxattr(path, "user.origin", b"puppet")
        # user::rw- user:65534:r-- group::r-- mask::r-- other::---
        acl = _acl((1, 6, 0xFFFFFFFF), (2, 4, 65534), (4, 4, 0xFFFFFFFF), (0x10, 4, 0xFFFFFFFF),
                   (0x20, 0, 0xFFFFFFFF))  # fmt: skip
        os.setxattr(path, "system.posix_acl_access", acl)
    except OSError as exc:
        pytest.skip(f"file system without user xattrs / ACLs here: {exc}")
    want = {n: os.getxattr(path, n) for n in os.listxattr(path)}
    saved = store.save(store.load(path), b"lb2\nlb1\n")
    assert saved.backup is not None
    for copy in (path, saved.backup):
        got = {n: os.getxattr(copy, n) for n in os.listxattr(copy)}
        assert got == want, copy
        assert stat.S_IMODE(copy.stat().st_mode) == 0o640


# -- item 11: temps of killed saves are cleaned, live ones never ----------------------


def _temps(directory: Path) -> list[Path]:
    return sorted(p for p in directory.iterdir() if p.name.startswith(store.TEMP_PREFIX))


def test_abandoned_temps_of_both_kinds_are_removed_at_the_next_save(tmp_path: Path) -> None:
    path = tmp_path / "prio"
    path.write_text("lb1\n")
    old = time.time() - 10
    for name in (".vrrptop-prio.abc123.tmp", ".vrrptop-prio~.def456.tmp"):
        (tmp_path / name).write_bytes(b"half a save")
        os.utime(tmp_path / name, (old, old))
    other = tmp_path / ".vrrptop-other.zzz.tmp"  # another file's temp: not ours to judge
    other.write_bytes(b"x")
    os.utime(other, (old, old))
    store.save(store.load(path), b"lb2\n")
    assert _temps(tmp_path) == [other]


def test_a_temp_whose_save_is_alive_is_never_removed(tmp_path: Path) -> None:
    path = tmp_path / "prio"
    path.write_text("lb1\n")
    fd, tmp = tempfiles.create(path)  # a save in progress (holds the lock)
    try:
        old = time.time() - 10
        os.utime(tmp, (old, old))
        store.save(store.load(path), b"lb2\n")
        assert tmp.exists()
    finally:
        os.close(fd)
    store.save(store.load(path), b"lb3\n")  # its owner is gone now
    assert not tmp.exists()


# -- item 16: a Latin-1 byte does not make the file uneditable -----------------------


def test_non_utf8_bytes_are_kept_and_the_file_stays_editable(tmp_path: Path) -> None:
    from vrrptop.priority.session import EditSession, unified_diff

    path = tmp_path / "prio"
    raw = b"# r\xe9seau de prod\nlb1\nlb2\n\xff\xfe junk\n"
    path.write_bytes(raw)
    session = EditSession.open(path)
    f = session.file
    assert f.hosts() == ["lb1", "lb2"]
    warned = {w.line for w in f.warnings() if "not UTF-8" in w.message}
    assert warned == {1, 4}
    assert f.lines[0].shown == "# r\\xe9seau de prod"
    edited = f.move_down(1)
    diff = "\n".join(unified_diff(f, edited))
    diff.encode("utf-8")  # displayable: no lone surrogate reaches the screen
    store.save(session.loaded, edited)
    assert path.read_bytes() == b"# r\xe9seau de prod\nlb2\nlb1\n\xff\xfe junk\n"
