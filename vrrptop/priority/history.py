"""Undo/redo for the editor: a linear history of immutable ``PriorityFile`` states."""

from __future__ import annotations

from vrrptop.priority.file import PriorityFile


class History:
    """Current state plus undo and redo stacks; ``dirty`` compares with the saved state."""

    def __init__(self, initial: PriorityFile, limit: int = 1000) -> None:
        self._undo: list[PriorityFile] = []
        self._redo: list[PriorityFile] = []
        self._current = initial
        self._saved = initial
        self._limit = limit

    @property
    def current(self) -> PriorityFile:
        """The state shown and saved."""
        return self._current

    @property
    def saved(self) -> PriorityFile:
        """The state last loaded or saved."""
        return self._saved

    @property
    def dirty(self) -> bool:
        """True when the current state differs (in bytes) from the saved one."""
        return self._current.render() != self._saved.render()

    @property
    def can_undo(self) -> bool:
        """True when ``undo`` would change something."""
        return bool(self._undo)

    @property
    def can_redo(self) -> bool:
        """True when ``redo`` would change something."""
        return bool(self._redo)

    def push(self, new: PriorityFile) -> PriorityFile:
        """Record an edit; clears the redo stack. Returns ``new``."""
        if new == self._current:
            return new
        self._undo.append(self._current)
        del self._undo[: -self._limit]
        self._redo.clear()
        self._current = new
        return new

    def undo(self) -> PriorityFile:
        """Go back one edit (no-op at the beginning)."""
        if self._undo:
            self._redo.append(self._current)
            self._current = self._undo.pop()
        return self._current

    def redo(self) -> PriorityFile:
        """Re-apply the last undone edit (no-op when none)."""
        if self._redo:
            self._undo.append(self._current)
            self._current = self._redo.pop()
        return self._current

    def mark_saved(self, state: PriorityFile | None = None) -> None:
        """The current (or given) state is now what is on disk."""
        self._saved = self._current if state is None else state

    def reset(self, state: PriorityFile) -> None:
        """Start over from ``state`` (reload from disk): history is cleared."""
        self._undo.clear()
        self._redo.clear()
        self._current = state
        self._saved = state
