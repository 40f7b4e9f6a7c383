"""Load and atomically save priority files without ever losing the operator's data.

keepalived's track scripts read the file every second, so they must never see a
partial file: we write a temporary file in the same directory, fsync it, give it
the original's mode/owner/group, ``os.replace`` it over the original (atomic on
POSIX) and fsync the directory. A symlink is followed: its target is replaced and
the link kept. Before writing we re-read the file and refuse (``ConflictError``)
if it changed since it was loaded. The check-then-replace window is a few
microseconds; other writers (an operator's vi, an rsync) do not take locks
either, so a lock would not close it.
"""

from __future__ import annotations

import contextlib
import errno as errno_mod
import hashlib
import os
import stat
import tempfile
import time
from dataclasses import dataclass, replace
from pathlib import Path

from vrrptop.priority.errors import ConflictError, PriorityFileError, SaveError
from vrrptop.priority.file import MAX_SIZE, PriorityFile

TEMP_PREFIX = ".vrrptop-"
TEMP_SUFFIX = ".tmp"


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
    state = DiskState(_digest(data), st.st_size, st.st_mtime_ns, st.st_ino, st.st_dev, st.st_nlink)
    return LoadedFile(given, real, data, parsed, state)


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


def atomic_write(target: Path, data: bytes, like: os.stat_result | None) -> None:
    """Write ``data`` to ``target`` atomically; copy mode/owner/group from ``like``.

    On any failure the target is untouched and the temporary file removed; raises
    OSError for the caller to translate.
    """
    directory = target.parent
    fd, tmp_name = tempfile.mkstemp(
        prefix=TEMP_PREFIX + target.name + ".", suffix=TEMP_SUFFIX, dir=directory
    )
    tmp = Path(tmp_name)
    try:
        with os.fdopen(fd, "wb") as fh:
            fh.write(data)
            fh.flush()
            if like is not None:
                # chown first: it may clear set-id bits that chmod then restores.
                with contextlib.suppress(PermissionError):
                    os.fchown(fh.fileno(), like.st_uid, like.st_gid)
                os.fchmod(fh.fileno(), like.st_mode & 0o7777)
            os.fsync(fh.fileno())
        os.replace(tmp, target)
    except BaseException:
        with contextlib.suppress(OSError):
            tmp.unlink()
        raise
    # The new content is already in place; a directory that cannot be fsynced
    # (some file systems refuse) must not turn a done save into an error.
    with contextlib.suppress(OSError):
        _fsync_dir(directory)


def _backup_path(real: Path, backup_dir: Path | None) -> Path:
    if backup_dir is None:
        return real.with_name(real.name + "~")
    stamp = time.strftime("%Y%m%dT%H%M%S", time.gmtime()) + f".{time.time_ns() % 10**9:09d}Z"
    return backup_dir / f"{real.name}.{stamp}"


STALE_TEMP_S = 600.0
"""Temporary files of ours older than this were left by a killed vrrptop."""


def remove_stale_temps(target: Path, older_than: float = STALE_TEMP_S) -> list[Path]:
    """Delete our temporary files for ``target`` left by a killed save; best effort."""
    removed: list[Path] = []
    cutoff = time.time() - older_than
    try:
        candidates = list(target.parent.glob(f"{TEMP_PREFIX}{target.name}.*{TEMP_SUFFIX}"))
    except OSError:
        return removed
    for tmp in candidates:
        try:
            if tmp.lstat().st_mtime < cutoff:
                tmp.unlink()
                removed.append(tmp)
        except OSError:
            continue
    return removed


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
    try:
        current, st = _read(real, loaded.path, MAX_SIZE * 4)
    except PriorityFileError as exc:
        if not real.exists() and not force:
            raise ConflictError(
                f"{loaded.path} was removed since it was loaded: not recreating it", None
            ) from None
        raise SaveError(f"cannot save: {exc}") from None
    if not force and _digest(current) != loaded.state.sha256:
        raise ConflictError(
            f"{loaded.path} changed on disk since it was loaded: not overwriting "
            "(reload it, or overwrite on purpose)",
            current,
        )
    backup_to: Path | None = None
    try:
        if backup:
            backup_to = _backup_path(real, Path(backup_dir) if backup_dir else None)
            backup_to.parent.mkdir(parents=True, exist_ok=True)
            atomic_write(backup_to, current, st)
        atomic_write(real, data, st)
        new_st = os.stat(real)
    except OSError as exc:
        raise SaveError(_oneline("save", loaded.path, exc), exc.errno) from None
    remove_stale_temps(real)
    state = DiskState(
        _digest(data), new_st.st_size, new_st.st_mtime_ns, new_st.st_ino, new_st.st_dev, 1
    )
    return replace(loaded, real_path=real, raw=data, file=parsed, state=state, backup=backup_to)
