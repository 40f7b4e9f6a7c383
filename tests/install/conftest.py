"""Packaging tests build from a copy of the checkout, never in it (it may be read-only).

Tests that install as another user (nobody) work in a directory that user can read but
not write: a root-owned copy of the checkout is exactly the read-only checkout the
install script must cope with.
"""

from __future__ import annotations

import shutil
import tempfile
from collections.abc import Iterator
from pathlib import Path

import pytest


@pytest.fixture
def public_tmp() -> Iterator[Path]:
    """A root-owned directory every user can read and nobody can write."""
    path = Path(tempfile.mkdtemp(prefix="vrrptop-pkg-", dir="/tmp"))
    path.chmod(0o755)
    try:
        yield path
    finally:
        shutil.rmtree(path, ignore_errors=True)


@pytest.fixture
def nobody_home(public_tmp: Path) -> Path:
    """A HOME that belongs to nobody."""
    home = public_tmp / "home"
    home.mkdir()
    shutil.chown(home, "nobody")
    return home
