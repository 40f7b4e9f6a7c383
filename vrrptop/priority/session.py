"""One priority file open in the editor: load, edit with undo, diff, save, reload.

The editor screen (``vrrptop/ui``) drives this object from key bindings; all
the rules (read-only reasons, conflict detection, backups) live here so they
are tested without a terminal.
"""

from __future__ import annotations

import difflib
import os
from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path

from vrrptop.priority.errors import EditError
from vrrptop.priority.file import PriorityFile
from vrrptop.priority.history import History
from vrrptop.priority.lines import escape_undecodable
from vrrptop.priority.onsave import OnSaveResult, run_on_save
from vrrptop.priority.store import LoadedFile, load, save
from vrrptop.priority.watch import PriorityWatcher


@dataclass(frozen=True, slots=True)
class MasterChange:
    """Predicted master of one instance before and after an edit."""

    instance: str
    before: str | None
    after: str | None

    @property
    def changed(self) -> bool:
        """True when the edit moves the master."""
        return self.before != self.after


def unified_diff(
    old: PriorityFile,
    new: PriorityFile,
    name: str = "priority",
    labels: tuple[str, str] = ("as loaded", "your edit"),
) -> list[str]:
    """``diff -u`` lines (without newlines) from ``old`` to ``new``; CR shown as ``\\r``.

    ``labels`` say what each side is (the header lines read ``name (label)``)."""
    a = [escape_undecodable(line.text).replace("\r", "\\r") for line in old.lines]
    b = [escape_undecodable(line.text).replace("\r", "\\r") for line in new.lines]
    if old.lines and not old.lines[-1].eol:
        a[-1] += "  (no newline at end)"
    if new.lines and not new.lines[-1].eol:
        b[-1] += "  (no newline at end)"
    return list(
        difflib.unified_diff(a, b, f"{name} ({labels[0]})", f"{name} ({labels[1]})", lineterm="")
    )


class EditSession:
    """Editing state of one file: ``loaded`` (disk) + ``history`` (edits)."""

    def __init__(
        self,
        loaded: LoadedFile,
        *,
        read_only: bool | str = False,
        backup_dir: Path | None = None,
        on_save: str | None = None,
    ) -> None:
        """``read_only``: True for ``--read-only``, or the reason in words (``--demo``)."""
        #: What is on disk as far as this session knows: the one priority-file watcher,
        #: asked only whether the disk moved on (the edits are the operator's).
        self._watch = PriorityWatcher([loaded])
        self._path = loaded.path
        self.history = History(loaded.file)
        self.forced_read_only = read_only
        self.backup_dir = backup_dir
        self.on_save = on_save

    @property
    def loaded(self) -> LoadedFile:
        """The file as loaded or last saved."""
        loaded = self._watch.states[self._path].loaded
        assert loaded is not None  # a session starts from a load, and adopts every save
        return loaded

    @loaded.setter
    def loaded(self, loaded: LoadedFile) -> None:
        self._path = loaded.path
        self._watch.adopt(loaded)

    @classmethod
    def open(cls, path: str | os.PathLike[str], **kwargs: object) -> EditSession:
        """Load ``path`` (``PriorityFileError`` if unreadable) and start a session."""
        return cls(load(path), **kwargs)  # type: ignore[arg-type]

    @property
    def path(self) -> Path:
        """The path as given."""
        return self.loaded.path

    @property
    def file(self) -> PriorityFile:
        """The current (possibly edited) state."""
        return self.history.current

    @property
    def dirty(self) -> bool:
        """Unsaved edits exist."""
        return self.history.dirty

    @property
    def read_only_reason(self) -> str | None:
        """Why editing is disabled (``--read-only``, file or directory not writable)."""
        if isinstance(self.forced_read_only, str) and self.forced_read_only:
            return self.forced_read_only
        if self.forced_read_only:
            return "read-only mode (--read-only)"
        real = self.loaded.real_path
        if not os.access(real, os.W_OK):
            return f"{real} is not writable"
        if not os.access(real.parent, os.W_OK):
            return f"{real.parent} is not writable (the file is replaced atomically)"
        return None

    @property
    def notes(self) -> list[str]:
        """Things to show next to the file: lines grep will not match, hard links..."""
        out = [f"line {w.line}: {w.message}" for w in self.file.warnings()]
        if self.loaded.state.nlink > 1:
            out.append(
                f"{self.loaded.real_path} has {self.loaded.state.nlink} hard links: saving "
                "replaces this name only"
            )
        if self.loaded.real_path != Path(os.path.abspath(self.loaded.path)):
            out.append(f"{self.loaded.path} is a link to {self.loaded.real_path}")
        return out

    def apply(self, edit: Callable[[PriorityFile], PriorityFile]) -> PriorityFile:
        """Apply a ``PriorityFile -> PriorityFile`` edit; ``EditError`` if read-only."""
        reason = self.read_only_reason
        if reason:
            raise EditError(f"cannot edit: {reason}")
        return self.history.push(edit(self.file))

    def move_up(self, index: int) -> PriorityFile:
        """Swap with the host line above."""
        return self.apply(lambda f: f.move_up(index))

    def move_down(self, index: int) -> PriorityFile:
        """Swap with the host line below."""
        return self.apply(lambda f: f.move_down(index))

    def toggle(self, index: int) -> PriorityFile:
        """Take out of / put back in service."""
        return self.apply(lambda f: f.toggle(index))

    def add_host(self, name: str, index: int | None = None) -> PriorityFile:
        """Add a validated host name."""
        return self.apply(lambda f: f.add_host(name, index))

    def delete(self, index: int) -> PriorityFile:
        """Delete a line."""
        return self.apply(lambda f: f.delete(index))

    def undo(self) -> PriorityFile:
        """Undo one edit."""
        return self.history.undo()

    def redo(self) -> PriorityFile:
        """Redo one edit."""
        return self.history.redo()

    def diff(self) -> list[str]:
        """Unified diff from the file on disk (as loaded) to the edited state."""
        return unified_diff(self.history.saved, self.file, self.path.name)

    def changed_on_disk(self) -> bool:
        """The file changed on disk since load/save (poll this for "changed on disk")."""
        return self._watch.changed(self._path)

    def save(self, *, force: bool = False) -> LoadedFile:
        """Save atomically (``ConflictError`` / ``SaveError`` on failure, edits kept)."""
        reason = self.read_only_reason
        if reason:
            raise EditError(f"cannot save: {reason}")
        self.loaded = save(self.loaded, self.file, backup_dir=self.backup_dir, force=force)
        self.history.mark_saved()
        return self.loaded

    def run_on_save(self, timeout: float = 30.0) -> OnSaveResult | None:
        """Run ``--on-save`` (blocking: call from a worker); None when not configured."""
        if not self.on_save:
            return None
        return run_on_save(self.on_save, self.loaded.path, timeout)

    def reload(self) -> PriorityFile:
        """Re-read the file from disk, discarding edits and history."""
        self.loaded = load(self.loaded.path)
        self.history.reset(self.loaded.file)
        return self.file
