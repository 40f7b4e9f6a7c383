"""Load and atomically save priority files without ever losing the operator's data.

keepalived's track scripts read the file every second, so they must never see a
partial file: we write a temporary file in the same directory, give it the
original's mode/owner/group and extended attributes (ACLs), fsync it, ``os.replace``
it over the original (atomic on POSIX) and fsync the directory. A symlink is
followed: its target is replaced and the link kept.

We refuse (``ConflictError``) when the file changed since it was loaded. The slow
part of a save (writing the backup and the temp file, two fsyncs: milliseconds)
happens first; the file is then re-read and its hash compared immediately before
``os.replace``, so the check-then-replace window is a read and a hash of a small
file (microseconds). Other writers (an operator's vi, an rsync) take no locks, so a
lock would not close that window; nothing can.
"""

from __future__ import annotations

import contextlib
import errno as errno_mod
import hashlib
import os
import stat
import time
from collections.abc import Callable
from dataclasses import dataclass, replace
from pathlib import Path

from vrrptop.priority import tempfiles
from vrrptop.priority.errors import ConflictError, PriorityFileError, SaveError
from vrrptop.priority.file import MAX_SIZE, PriorityFile
from vrrptop.priority.metadata import copy_metadata, read_xattrs
from vrrptop.priority.tempfiles import TEMP_PREFIX, TEMP_SUFFIX

__all__ = ["TEMP_PREFIX", "TEMP_SUFFIX"]


@dataclass(frozen=True, slots=True)
class DiskState:
    """What the file looked like on disk when read: enough to notice any change."""

    sha256: str
    size: int
    mtime_ns: int
    inode: int
    device: int
    nlink: int = 1
    """Hard links: saving replaces this name only, the other links keep the old file."""
    mode: int = 0o644
    """Mode, owner and group at load: what a file deleted since is recreated with."""
    uid: int = -1
    gid: int = -1

    def same_stat(self, st: os.stat_result) -> bool:
        """True when ``st`` matches size, mtime, inode and device."""
        return (st.st_size, st.st_mtime_ns, st.st_ino, st.st_dev) == (
            self.size,
            self.mtime_ns,
            self.inode,
            self.device,
        )


@dataclass(frozen=True, slots=True)
class LoadedFile:
    """A priority file as loaded: the path given, the real file behind it, its content."""

    path: Path
    """The path as given (may be a symlink)."""
    real_path: Path
    """The file actually written (the symlink's final target)."""
    raw: bytes
    file: PriorityFile
    state: DiskState
    backup: Path | None = None
    """Where the previous version was kept by the last save (None after a load)."""


def _digest(data: bytes) -> str:
    return hashlib.sha256(data).hexdigest()


def _oneline(action: str, path: Path, exc: OSError) -> str:
    reason = exc.strerror or str(exc)
    return f"cannot {action} {path}: {reason}"


def _read_fd(real: Path, max_size: int) -> tuple[bytes, os.stat_result]:
    """Read a regular file, never blocking: a FIFO or device put in its place must
    not hang the engine or the console (``O_NONBLOCK`` open, type checked first)."""
    fd = os.open(real, os.O_RDONLY | os.O_NONBLOCK | getattr(os, "O_CLOEXEC", 0))
    try:
        st = os.fstat(fd)
        if not stat.S_ISREG(st.st_mode):
            raise OSError(errno_mod.EINVAL, "not a regular file")
        chunks: list[bytes] = []
        left = max_size + 1
        while left > 0:
            chunk = os.read(fd, min(left, 1 << 16))
            if not chunk:
                break
            chunks.append(chunk)
            left -= len(chunk)
    finally:
        os.close(fd)
    return b"".join(chunks), st


def _read(real: Path, path: Path, max_size: int) -> tuple[bytes, os.stat_result]:
    try:
        return _read_fd(real, max_size)
    except OSError as exc:
        code = 66 if exc.errno == errno_mod.ENOENT else 77 if exc.errno == errno_mod.EACCES else 74
        raise PriorityFileError(_oneline("read", path, exc), code) from None


def load(path: str | os.PathLike[str], *, max_size: int = MAX_SIZE) -> LoadedFile:
    """Read and parse a priority file; raises ``PriorityFileError`` with one line."""
    given = Path(path)
    real = Path(os.path.realpath(given))
    data, st = _read(real, given, max_size)
    try:
        parsed = PriorityFile.parse(data, max_size=max_size)
    except PriorityFileError as exc:
        raise PriorityFileError(f"{given}: {exc}", exc.exit_code) from None
    return LoadedFile(given, real, data, parsed, _state(data, st))


def _state(data: bytes, st: os.stat_result) -> DiskState:
    return DiskState(
        _digest(data),
        st.st_size,
        st.st_mtime_ns,
        st.st_ino,
        st.st_dev,
        st.st_nlink,
        stat.S_IMODE(st.st_mode),
        st.st_uid,
        st.st_gid,
    )


def changed_on_disk(loaded: LoadedFile) -> bool:
    """True when the file on disk differs from what was loaded (cheap: stat first,
    hash only when the stat changed). A vanished file counts as changed."""
    real = Path(os.path.realpath(loaded.path))
    try:
        st = os.stat(real)
    except OSError:
        return True
    if real == loaded.real_path and loaded.state.same_stat(st):
        return False
    try:
        data, _st = _read_fd(real, MAX_SIZE * 4)
    except OSError:
        return True
    return _digest(data) != loaded.state.sha256


def _fsync_dir(directory: Path) -> None:
    fd = os.open(directory, os.O_RDONLY | getattr(os, "O_DIRECTORY", 0))
    try:
        os.fsync(fd)
    finally:
        os.close(fd)


def write_temp(
    target: Path, data: bytes, like: os.stat_result | None, xattrs: dict[str, bytes]
) -> tuple[int, Path]:
    """Write ``data`` to a new locked temp file beside ``target``, with the metadata
    of ``like``/``xattrs``, fsynced; returns its open fd and path (not yet renamed).

    On failure the temp file is removed and OSError raised.
    """
    fd, tmp = tempfiles.create(target)
    try:
        view = memoryview(data)
        while view:
            view = view[os.write(fd, view) :]
        if like is not None:
            copy_metadata(fd, like, xattrs)
        os.fsync(fd)
    except BaseException:
        _discard(fd, tmp)
        raise
    return fd, tmp


def _discard(fd: int, tmp: Path) -> None:
    with contextlib.suppress(OSError):
        tmp.unlink()
    with contextlib.suppress(OSError):
        os.close(fd)


def commit(fd: int, tmp: Path, target: Path, check: Callable[[], None] | None = None) -> None:
    """``os.replace`` the temp over ``target``, after ``check()`` (which may raise to
    abort: the temp is removed then), and fsync the directory."""
    try:
        if check is not None:
            check()
        os.replace(tmp, target)
    except BaseException:
        _discard(fd, tmp)
        raise
    os.close(fd)
    # The new content is already in place; a directory that cannot be fsynced
    # (some file systems refuse) must not turn a done save into an error.
    with contextlib.suppress(OSError):
        _fsync_dir(target.parent)


def atomic_write(
    target: Path, data: bytes, like: os.stat_result | None, xattrs: dict[str, bytes] | None = None
) -> None:
    """Write ``data`` to ``target`` atomically with the metadata of ``like``.

    On any failure the target is untouched and the temporary file removed; raises
    OSError for the caller to translate.
    """
    fd, tmp = write_temp(target, data, like, xattrs or {})
    commit(fd, tmp, target)


def _backup_path(real: Path, backup_dir: Path | None) -> Path:
    if backup_dir is None:
        return real.with_name(real.name + "~")
    stamp = time.strftime("%Y%m%dT%H%M%S", time.gmtime()) + f".{time.time_ns() % 10**9:09d}Z"
    return backup_dir / f"{real.name}.{stamp}"


def remove_stale_temps(target: Path, backup_dir: Path | None = None) -> list[Path]:
    """Delete temp files (main and backup) left by a killed save; best effort."""
    return tempfiles.remove_stale(target, backup_dir)


def save(
    loaded: LoadedFile,
    new: PriorityFile | bytes,
    *,
    backup: bool = True,
    backup_dir: str | os.PathLike[str] | None = None,
    force: bool = False,
) -> LoadedFile:
    """Atomically replace the file with ``new``; return the new ``LoadedFile``.

    Raises ``ConflictError`` (carrying the on-disk bytes) when the file changed
    since ``loaded`` unless ``force``; ``SaveError`` for I/O errors (the original is
    untouched and no temporary file remains). The previous content is kept as
    ``PATH~`` or, with ``backup_dir``, as ``DIR/NAME.<UTC timestamp>``.
    """
    data = new.render() if isinstance(new, PriorityFile) else bytes(new)
    parsed = new if isinstance(new, PriorityFile) else PriorityFile.parse(data)
    real = Path(os.path.realpath(loaded.path))
    bdir = Path(backup_dir) if backup_dir else None
    remove_stale_temps(real, bdir)
    current: bytes | None
    try:
        current, st = _read(real, loaded.path, MAX_SIZE * 4)
    except PriorityFileError as exc:
        if not os.path.lexists(real) and force:
            current = None  # overwrite on purpose: put back a file that was deleted
            st = None
        elif not os.path.lexists(real):
            raise ConflictError(
                f"{loaded.path} was removed since it was loaded: not recreating it"
                " (overwrite on purpose to put it back)",
                None,
            ) from None
        else:
            raise SaveError(f"cannot save: {exc}") from None
    if not force and _digest(current or b"") != loaded.state.sha256:
        raise ConflictError(
            f"{loaded.path} changed on disk since it was loaded: not overwriting "
            "(reload it, or overwrite on purpose)",
            current,
        )
    expected = _digest(current) if current is not None else None
    xattrs = read_xattrs(real) if current is not None else {}

    def unchanged() -> None:
        """The last look before the replace: as close to it as possible."""
        try:
            now_data, _st = _read_fd(real, MAX_SIZE * 4)
        except OSError as exc:
            if exc.errno != errno_mod.ENOENT or expected is not None:
                raise ConflictError(
                    f"{loaded.path} changed on disk while saving: not overwriting", None
                ) from None
            return
        if _digest(now_data) != expected:
            raise ConflictError(
                f"{loaded.path} changed on disk while saving: not overwriting "
                "(reload it, or overwrite on purpose)",
                now_data,
            )

    like = st if st is not None else _recreate_like(loaded.state)
    backup_to: Path | None = None
    try:
        if backup and current is not None:
            backup_to = _backup_path(real, bdir)
            backup_to.parent.mkdir(parents=True, exist_ok=True)
            atomic_write(backup_to, current, st, xattrs)
        fd, tmp = write_temp(real, data, like, xattrs)
        commit(fd, tmp, real, unchanged)
        new_st = os.stat(real)
    except OSError as exc:
        raise SaveError(_oneline("save", loaded.path, exc), exc.errno) from None
    state = replace(_state(data, new_st), nlink=1)
    return replace(loaded, real_path=real, raw=data, file=parsed, state=state, backup=backup_to)


def _recreate_like(state: DiskState) -> os.stat_result | None:
    """A stat-like record of the loaded file's mode and owner, to recreate it."""
    if state.uid < 0:
        return None
    return os.stat_result((stat.S_IFREG | state.mode, 0, 0, 1, state.uid, state.gid, 0, 0, 0, 0))
