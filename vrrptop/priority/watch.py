"""The one watcher of priority files that someone else may change on disk.

keepalived's track scripts read the file every second, and an operator may edit it
with vi or copy it from another server while vrrptop runs. Two users ask two
questions of the same watcher: the monitor *follows* the disk (``poll``: re-read what
changed and use it from now on), and the editor only *notices* (``changed``: the pane
keeps the operator's copy until they reload). Polling is cheap: a stat, and a hash
only when the stat changed (``store.changed_on_disk``). A file that vanishes or turns
unreadable keeps its last good content and reports the error (``states``) until a
read works again.
"""

from __future__ import annotations

import threading
from collections.abc import Iterable
from dataclasses import dataclass
from pathlib import Path

from vrrptop.priority.file import PriorityFile
from vrrptop.priority.store import LoadedFile, changed_on_disk, load


@dataclass(frozen=True, slots=True)
class WatchState:
    """What the watcher knows of one file."""

    path: Path
    loaded: LoadedFile | None
    """Last good load (None: never loaded)."""
    error: str | None
    """Last error (one line), or None when the last read worked."""


class PriorityWatcher:
    """Watches a set of priority files; safe to read from any thread.

    Give it paths (a file that cannot be read yet is watched until it can) or files
    already loaded (the monitor loads strictly first: a broken file stops vrrptop
    before capture starts).
    """

    def __init__(self, files: Iterable[Path | LoadedFile]) -> None:
        self._lock = threading.Lock()
        self._states: dict[Path, WatchState] = {}
        for item in files:
            if isinstance(item, LoadedFile):
                self._states[item.path] = WatchState(item.path, item, None)
            else:
                self._states[Path(item)] = WatchState(Path(item), None, None)
        self.poll()

    @property
    def states(self) -> dict[Path, WatchState]:
        """Path -> state (including errors), for display."""
        with self._lock:
            return dict(self._states)

    @property
    def loaded(self) -> dict[Path, LoadedFile]:
        """Path -> the last good load, in use now (a copy: the caller may keep it)."""
        return {p: s.loaded for p, s in self.states.items() if s.loaded is not None}

    @property
    def files(self) -> dict[Path, PriorityFile]:
        """Path -> parsed content in use."""
        return {p: lf.file for p, lf in self.loaded.items()}

    def adopt(self, loaded: LoadedFile) -> None:
        """Use ``loaded`` from now on (our editor saved or reloaded it)."""
        with self._lock:
            self._states[loaded.path] = WatchState(loaded.path, loaded, None)

    def changed(self, path: Path) -> bool:
        """The file on disk differs from the content in use (a vanished or unreadable
        file counts as changed); nothing is re-read."""
        loaded = self.states[path].loaded
        return loaded is None or changed_on_disk(loaded)

    def poll(self) -> list[Path]:
        """Re-read the files that changed on disk and use them from now on; returns
        their paths. A failed read keeps the last good content and its error."""
        fresh: list[Path] = []
        for path, state in self.states.items():
            try:
                if state.loaded is not None and not changed_on_disk(state.loaded):
                    continue
                new = load(path)
            except Exception as exc:  # noqa: BLE001 - the last good content stays in use
                with self._lock:
                    self._states[path] = WatchState(path, state.loaded, str(exc))
                continue
            self.adopt(new)
            fresh.append(path)
        return fresh
