"""Temporary files of a save: created locked, cleaned up when their owner died.

A save writes ``.vrrptop-NAME.XXXXXX.tmp`` next to the file (and next to the backup,
``.vrrptop-NAME~.XXXXXX.tmp``, or in the backup directory) and holds an exclusive
``flock`` on it until it is renamed or removed. A vrrptop killed mid-save leaves
its temp behind, but the kernel drops the lock with the process: a temp whose lock
can be taken is nobody's and is removed. Only regular files of ours (our prefix and
suffix, our uid, not a symlink) a few seconds old are ever touched, so a save that
is just starting (between create and lock) is safe too.
"""

from __future__ import annotations

import contextlib
import fcntl
import glob
import os
import stat
import tempfile
import time
from pathlib import Path

TEMP_PREFIX = ".vrrptop-"
TEMP_SUFFIX = ".tmp"
MIN_AGE_S = 2.0
"""Younger temps are left alone: their save may not have taken its lock yet."""


def create(target: Path) -> tuple[int, Path]:
    """A new temp file for ``target`` in its directory, open and locked."""
    fd, name = tempfile.mkstemp(
        prefix=TEMP_PREFIX + target.name + ".", suffix=TEMP_SUFFIX, dir=target.parent
    )
    fcntl.flock(fd, fcntl.LOCK_EX)
    return fd, Path(name)


def _abandoned(path: Path, now: float) -> bool:
    """True when ``path`` is one of ours, old enough, and no process holds its lock."""
    try:
        st = path.lstat()
    except OSError:
        return False
    if not stat.S_ISREG(st.st_mode) or st.st_uid != os.geteuid():
        return False
    if now - st.st_mtime < MIN_AGE_S:
        return False
    try:
        fd = os.open(path, os.O_RDONLY | os.O_NOFOLLOW | os.O_NONBLOCK | os.O_CLOEXEC)
    except OSError:
        return False
    try:
        fcntl.flock(fd, fcntl.LOCK_EX | fcntl.LOCK_NB)
    except OSError:
        return False  # a live save holds it
    finally:
        os.close(fd)
    return True


def remove_stale(target: Path, backup_dir: Path | None = None) -> list[Path]:
    """Delete abandoned temps of ``target``, its ``~`` backup and its backup
    directory's copies; best effort, returns what was removed."""
    name = glob.escape(target.name)
    patterns = [
        (target.parent, f"{TEMP_PREFIX}{name}.*{TEMP_SUFFIX}"),
        (target.parent, f"{TEMP_PREFIX}{name}~.*{TEMP_SUFFIX}"),
    ]
    if backup_dir is not None:
        patterns.append((backup_dir, f"{TEMP_PREFIX}{name}.*{TEMP_SUFFIX}"))
    removed: list[Path] = []
    now = time.time()
    for directory, pattern in patterns:
        try:
            candidates = list(directory.glob(pattern))
        except OSError:
            continue
        for tmp in candidates:
            if _abandoned(tmp, now):
                with contextlib.suppress(OSError):
                    tmp.unlink()
                    removed.append(tmp)
    return removed
