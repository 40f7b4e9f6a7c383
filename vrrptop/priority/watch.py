"""Keep the priority files the correlation reads up to date by polling.

The engine (or the UI) calls ``poll()`` every second or so: it re-reads a file
only when its stat changed (cheap), so an operator's edit with vi, or a copy
from another server, changes the prediction within one poll. A file that
vanishes or turns unreadable keeps its last good content and reports the error.
"""

from __future__ import annotations

import os
from collections.abc import Iterable
from dataclasses import dataclass
from pathlib import Path

from vrrptop.priority.errors import PriorityFileError
from vrrptop.priority.file import PriorityFile
from vrrptop.priority.store import LoadedFile, load


@dataclass(frozen=True, slots=True)
class WatchState:
    """What the watcher knows of one file."""

    path: Path
    loaded: LoadedFile | None
    """Last good load (None: never loaded)."""
    error: str | None
    """Last error (one line), or None when the last read worked."""


def _stat_key(path: Path) -> tuple[int, int, int, int] | None:
    try:
        st = os.stat(path)  # follows symlinks: a re-pointed link is a change too
    except OSError:
        return None
    return (st.st_ino, st.st_dev, st.st_size, st.st_mtime_ns)


class PriorityWatcher:
    """Polls a set of priority files; ``files`` maps path -> last good content."""

    def __init__(self, paths: Iterable[Path]) -> None:
        self._states: dict[Path, WatchState] = {}
        self._keys: dict[Path, tuple[int, int, int, int] | None] = {}
        for path in paths:
            self._states[Path(path)] = WatchState(Path(path), None, None)
            self._keys[Path(path)] = (-1, -1, -1, -1)
        self.poll()

    @property
    def files(self) -> dict[Path, PriorityFile]:
        """Path -> parsed content, for ``correlate(files=...)``."""
        return {p: s.loaded.file for p, s in self._states.items() if s.loaded is not None}

    @property
    def states(self) -> dict[Path, WatchState]:
        """Path -> state (including errors), for display."""
        return dict(self._states)

    def poll(self) -> list[Path]:
        """Re-read files whose stat changed; returns the paths whose content changed."""
        changed = []
        for path, state in self._states.items():
            key = _stat_key(path)
            if key == self._keys[path]:
                continue
            self._keys[path] = key
            try:
                loaded = load(path)
            except PriorityFileError as exc:
                self._states[path] = WatchState(path, state.loaded, str(exc))
                continue
            if state.loaded is None or loaded.raw != state.loaded.raw:
                changed.append(path)
            self._states[path] = WatchState(path, loaded, None)
        return changed
