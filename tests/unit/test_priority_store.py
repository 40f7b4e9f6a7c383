"""Saving priority files: atomic, conflict-safe, symlink-preserving, crash-safe."""

from __future__ import annotations

import errno
import os
import random
import shutil
import signal
import stat
import subprocess
import sys
import tempfile
import textwrap
import time
from collections.abc import Iterator
from pathlib import Path

import pytest

from vrrptop.priority import ConflictError, PriorityFileError, SaveError
from vrrptop.priority.onsave import run_on_save
from vrrptop.priority.store import TEMP_PREFIX, changed_on_disk, load, save

SEED = b"recdns-cnh\n#recdns-rnb\nrecdns-sby\nrecdns-wcdc\n"


def _temps(directory: Path) -> list[Path]:
    return [p for p in directory.iterdir() if p.name.startswith(TEMP_PREFIX)]


@pytest.fixture
def seed_file(tmp_path: Path) -> Path:
    path = tmp_path / "priority.testdns"
    path.write_bytes(SEED)
    return path


def test_unedited_save_is_byte_identical_and_backup_kept(seed_file: Path) -> None:
    loaded = load(seed_file)
    saved = save(loaded, loaded.file)
    assert seed_file.read_bytes() == SEED
    assert saved.backup == seed_file.with_name("priority.testdns~")
    assert saved.backup.read_bytes() == SEED


def test_edit_saved_with_mode_owner_and_backup(seed_file: Path) -> None:
    os.chmod(seed_file, 0o640)
    os.chown(seed_file, 1234, 4321)
    loaded = load(seed_file)
    new = loaded.file.move_up(3)
    saved = save(loaded, new)
    assert seed_file.read_bytes() == b"recdns-cnh\n#recdns-rnb\nrecdns-wcdc\nrecdns-sby\n"
    st = seed_file.stat()
    assert stat.S_IMODE(st.st_mode) == 0o640
    assert (st.st_uid, st.st_gid) == (1234, 4321)
    assert seed_file.with_name("priority.testdns~").read_bytes() == SEED
    assert not changed_on_disk(saved)
    assert _temps(seed_file.parent) == []
    # Saving again from the new state works and keeps the previous version as ~.
    save(saved, saved.file.move_down(2))
    assert seed_file.with_name("priority.testdns~").read_bytes() == new.render()


def test_backup_dir_with_timestamps(seed_file: Path, tmp_path: Path) -> None:
    loaded = load(seed_file)
    bdir = tmp_path / "backups"
    first = save(loaded, loaded.file.disable(0), backup_dir=bdir)
    save(first, first.file.enable(0), backup_dir=bdir)
    backups = sorted(bdir.iterdir())
    assert len(backups) == 2
    assert all(p.name.startswith("priority.testdns.") for p in backups)
    assert {p.read_bytes() for p in backups} == {SEED, first.raw}


def test_symlink_target_replaced_and_link_kept(tmp_path: Path) -> None:
    real_dir = tmp_path / "real"
    real_dir.mkdir()
    target = real_dir / "priority.testdns"
    target.write_bytes(SEED)
    link = tmp_path / "link"
    link.symlink_to(target)
    loaded = load(link)
    save(loaded, loaded.file.disable(2))
    assert link.is_symlink() and os.readlink(link) == str(target)
    assert target.read_bytes() == b"recdns-cnh\n#recdns-rnb\n#recdns-sby\nrecdns-wcdc\n"
    assert (real_dir / "priority.testdns~").read_bytes() == SEED


def test_concurrent_edit_by_another_process_is_refused(seed_file: Path) -> None:
    loaded = load(seed_file)
    assert not changed_on_disk(loaded)
    other = b"recdns-wcdc\nrecdns-cnh\n"
    subprocess.run(
        [sys.executable, "-c", f"open({str(seed_file)!r}, 'wb').write({other!r})"], check=True
    )
    assert changed_on_disk(loaded)
    with pytest.raises(ConflictError) as info:
        save(loaded, loaded.file.disable(0))
    assert info.value.on_disk == other
    assert "changed on disk" in str(info.value)
    assert seed_file.read_bytes() == other  # the other change is kept
    assert _temps(seed_file.parent) == []
    # Overwriting on purpose is possible.
    save(loaded, loaded.file, force=True)
    assert seed_file.read_bytes() == SEED


def test_file_removed_since_load_is_a_conflict(seed_file: Path) -> None:
    loaded = load(seed_file)
    seed_file.unlink()
    assert changed_on_disk(loaded)
    with pytest.raises(ConflictError):
        save(loaded, loaded.file)
    assert not seed_file.exists()


def test_touch_without_content_change_is_not_a_change(seed_file: Path) -> None:
    loaded = load(seed_file)
    os.utime(seed_file, ns=(1, 1))
    assert not changed_on_disk(loaded)
    save(loaded, loaded.file.disable(0))


@pytest.mark.parametrize("code", [errno.EROFS, errno.ENOSPC, errno.EACCES])
def test_replace_failure_leaves_original_and_no_temp(
    seed_file: Path, monkeypatch: pytest.MonkeyPatch, code: int
) -> None:
    loaded = load(seed_file)

    def boom(src: object, dst: object) -> None:
        raise OSError(code, os.strerror(code))

    monkeypatch.setattr(os, "replace", boom)
    with pytest.raises(SaveError) as info:
        save(loaded, loaded.file.disable(0))
    message = str(info.value)
    assert os.strerror(code) in message and str(seed_file) in message and "\n" not in message
    assert info.value.errno == code
    assert seed_file.read_bytes() == SEED
    assert _temps(seed_file.parent) == []


def test_write_failure_disk_full_leaves_no_temp(
    seed_file: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    loaded = load(seed_file)
    real_fsync = os.fsync

    def full(fd: int) -> None:
        if stat.S_ISREG(os.fstat(fd).st_mode):
            raise OSError(errno.ENOSPC, os.strerror(errno.ENOSPC))
        real_fsync(fd)

    monkeypatch.setattr(os, "fsync", full)
    with pytest.raises(SaveError, match="No space left"):
        save(loaded, loaded.file.disable(0), backup=False)
    assert seed_file.read_bytes() == SEED
    assert _temps(seed_file.parent) == []


@pytest.mark.skipif(os.geteuid() == 0, reason="root bypasses directory permissions")
def test_read_only_directory_permission_denied(seed_file: Path) -> None:
    loaded = load(seed_file)
    os.chmod(seed_file.parent, 0o555)
    try:
        with pytest.raises(SaveError, match="Permission denied"):
            save(loaded, loaded.file.disable(0))
    finally:
        os.chmod(seed_file.parent, 0o755)
    assert seed_file.read_bytes() == SEED


def test_load_errors_are_one_line(tmp_path: Path) -> None:
    with pytest.raises(PriorityFileError, match="No such file") as info:
        load(tmp_path / "missing")
    assert info.value.exit_code == 66
    binary = tmp_path / "bin"
    binary.write_bytes(b"\x00\x01\x02")
    with pytest.raises(PriorityFileError, match="NUL"):
        load(binary)


_CHILD = textwrap.dedent(
    """
    import sys
    from vrrptop.priority.store import load, save
    path = sys.argv[1]
    contents = [sys.argv[2].encode(), sys.argv[3].encode()]
    i = 0
    sys.stdout.write("ready\\n"); sys.stdout.flush()
    while True:
        loaded = load(path)
        save(loaded, contents[i % 2], backup=(i % 3 == 0))
        i += 1
    """
)


def test_crash_safety_sigkill_at_random_points(tmp_path: Path) -> None:
    """Kill savers at random moments: the file is always exactly old or new."""
    path = tmp_path / "priority.testdns"
    old = "a\n" * 300 + "old-last\n"
    new = "#b\r\n" * 500 + "new-last"
    path.write_text(old)
    rng = random.Random(1234)
    repo = Path(__file__).resolve().parents[2]
    env = dict(os.environ, PYTHONPATH=str(repo))
    # One python start-up is slow; so each child saves in a loop and is killed
    # after a random delay, and we fork many short-lived children.
    script = tmp_path / "saver.py"
    script.write_text(_CHILD)
    trials = 0
    for _ in range(12):
        child = subprocess.Popen(
            [sys.executable, str(script), str(path), old, new],
            stdout=subprocess.PIPE,
            env=env,
        )
        assert child.stdout is not None
        assert child.stdout.readline() == b"ready\n"
        for _ in range(25):
            os.kill(child.pid, signal.SIGSTOP)
            assert path.read_bytes() in (old.encode(), new.encode())
            trials += 1
            os.kill(child.pid, signal.SIGCONT)
            for _ in range(rng.randrange(0, 2000)):
                pass
        os.kill(child.pid, signal.SIGKILL)
        child.wait()
        child.stdout.close()
        assert path.read_bytes() in (old.encode(), new.encode())
    assert trials >= 300


def test_on_save_command_result(tmp_path: Path) -> None:
    ok = run_on_save('echo "saved $VRRPTOP_FILE"; echo warn >&2', tmp_path / "f")
    assert ok.ok and ok.returncode == 0
    assert ok.stdout == f"saved {tmp_path / 'f'}\n" and ok.stderr == "warn\n"
    bad = run_on_save("exit 3", tmp_path / "f")
    assert not bad.ok and bad.returncode == 3 and "status 3" in bad.summary()
    slow = run_on_save("sleep 30", tmp_path / "f", timeout=0.2)
    assert slow.timed_out and not slow.ok and "timed out" in slow.summary()


@pytest.fixture
def fast_dir(tmp_path: Path) -> Iterator[Path]:
    """A tmpfs directory when available: fsync is free there, so hundreds of kill
    trials take a second. Atomicity against a killed process comes from rename,
    whatever the file system; the fsync'd path is covered by the test above."""
    shm = Path("/dev/shm")
    if not (shm.is_dir() and os.access(shm, os.W_OK)):
        yield tmp_path
        return
    directory = Path(tempfile.mkdtemp(prefix="vrrptop-prio-", dir=shm))
    try:
        yield directory
    finally:
        shutil.rmtree(directory, ignore_errors=True)


def test_crash_safety_hundreds_of_sigkills(fast_dir: Path) -> None:
    """Forked savers SIGKILLed at random points, 300 times: never empty or partial.

    Each child reports every completed save on a pipe; the parent waits for the
    first one (so the child is really saving) then kills it after a random delay
    of up to about two saves, i.e. anywhere inside the write/fsync/replace steps.
    """
    tmp_path = fast_dir
    path = tmp_path / "priority.testdns"
    contents = (("h\n" * 2000).encode(), ("#g\n" * 3000).encode())
    path.write_bytes(contents[0])
    rng = random.Random(99)
    seen: set[bytes] = set()
    start = time.perf_counter()
    for i in range(10):
        save(load(path), contents[i % 2], backup=False)
    one_save = (time.perf_counter() - start) / 10
    for trial in range(300):
        rfd, wfd = os.pipe()
        pid = os.fork()
        if pid == 0:  # child: save alternately until killed
            try:
                os.close(rfd)
                i = trial
                while True:
                    save(load(path), contents[i % 2], backup=False)
                    os.write(wfd, b".")
                    i += 1
            finally:
                os._exit(0)
        os.close(wfd)
        assert os.read(rfd, 1) == b"."
        time.sleep(rng.uniform(0, 2 * one_save))
        os.kill(pid, signal.SIGKILL)
        os.waitpid(pid, 0)
        os.close(rfd)
        data = path.read_bytes()
        assert data in contents, f"partial file after trial {trial}"
        seen.add(data)
        for leftover in _temps(tmp_path):  # what a SIGKILL leaves; the real file is intact
            leftover.unlink()
    assert seen == set(contents)


_RO_CHILD = """
import os, sys
from pathlib import Path
from vrrptop.priority import SaveError
from vrrptop.priority.store import load, save
path = Path(sys.argv[1])
loaded = load(path)
os.system(f"mount -o remount,ro {path.parent}")
try:
    save(loaded, loaded.file.disable(0))
except SaveError as exc:
    print("SaveError", exc.errno, exc)
print("content", path.read_bytes() == loaded.raw)
print("entries", sorted(os.listdir(path.parent)))
"""


@pytest.mark.skipif(os.geteuid() != 0, reason="needs root for a private mount namespace")
def test_real_read_only_file_system(tmp_path: Path) -> None:
    """A tmpfs remounted read-only inside a private mount namespace (no monkeypatch)."""
    mnt = tmp_path / "mnt"
    mnt.mkdir()
    repo = Path(__file__).resolve().parents[2]
    script = (
        f"mount -t tmpfs tmpfs {mnt} && printf 'recdns-cnh\\n' > {mnt}/p && "
        f"{sys.executable} -c '{_RO_CHILD}' {mnt}/p"
    )
    try:
        run = subprocess.run(
            ["unshare", "--mount", "--propagation", "private", "sh", "-c", script],
            capture_output=True,
            text=True,
            env=dict(os.environ, PYTHONPATH=str(repo)),
            timeout=60,
        )
    except FileNotFoundError:
        pytest.skip("unshare not installed")
    if run.returncode != 0 or "content" not in run.stdout:
        pytest.skip(f"no private mount namespace here: {run.stderr.strip()[:200]}")
    lines = run.stdout.splitlines()
    assert lines[0].startswith(f"SaveError {errno.EROFS} cannot save")
    assert "Read-only file system" in lines[0]
    assert lines[1] == "content True"
    assert lines[2] == "entries ['p']"  # no temp file, no backup
    assert list(mnt.iterdir()) == []  # the mount never leaked out of the namespace


def test_stale_temp_files_of_a_killed_save_are_cleaned(seed_file: Path) -> None:
    old = seed_file.parent / f"{TEMP_PREFIX}{seed_file.name}.abc123.tmp"
    fresh = seed_file.parent / f"{TEMP_PREFIX}{seed_file.name}.def456.tmp"
    other = seed_file.parent / f"{TEMP_PREFIX}other-file.abc123.tmp"
    for p in (old, fresh, other):
        p.write_bytes(b"partial")
    os.utime(old, (time.time() - 3600, time.time() - 3600))
    os.utime(other, (time.time() - 3600, time.time() - 3600))
    loaded = load(seed_file)
    save(loaded, loaded.file.disable(0))
    assert not old.exists()  # ours and old: left by a killed save
    assert fresh.exists()  # may belong to a save in progress
    assert other.exists()  # another file's
