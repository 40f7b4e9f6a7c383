"""The lab's priority file: pure edits and an atomic write (never a partial file)."""

from __future__ import annotations

import os
from collections.abc import Sequence
from pathlib import Path


def write_atomic(path: Path, lines: Sequence[str]) -> None:
    """Replace ``path`` with ``lines`` via a temporary file and ``os.replace``.

    A truncating write would let a track script read an empty file for a moment,
    fail every check at once and move every master.
    """
    path.parent.mkdir(parents=True, exist_ok=True)
    tmp = path.with_name(f".{path.name}.tmp")
    with open(tmp, "w") as fh:
        fh.write("".join(f"{line}\n" for line in lines))
        fh.flush()
        os.fsync(fh.fileno())
    os.replace(tmp, path)


def reordered(lines: Sequence[str], order: Sequence[str]) -> list[str]:
    """``lines`` with the named hosts first, in ``order``; commented-out ones stay so."""
    disabled = {line.lstrip("#") for line in lines if line.startswith("#")}
    rest = [line.lstrip("#") for line in lines if line.lstrip("#") not in order]
    return [f"#{n}" if n in disabled else n for n in [*order, *rest]]


def toggled(lines: Sequence[str], name: str, *, enable: bool) -> list[str]:
    """Comment ``name`` out (``enable=False``) or back in; it keeps its line."""
    if enable:
        return [name if line == f"#{name}" else line for line in lines]
    return [f"#{name}" if line == name else line for line in lines]
