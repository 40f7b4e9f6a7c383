"""Packaging tests build from a copy of the checkout, never in it (it may be read-only).

Tests that install as another user (nobody) work in a directory that user can read but
not write: a root-owned copy of the checkout is exactly the read-only checkout the
install script must cope with.
"""

from __future__ import annotations

import contextlib
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


@pytest.fixture(scope="session")
def nobody_pip_cache() -> Iterator[Path]:
    """One pip cache for every install as nobody, so each wheel is downloaded once."""
    path = Path(tempfile.mkdtemp(prefix="vrrptop-pipcache-", dir="/tmp"))
    with contextlib.suppress(LookupError, PermissionError):  # not root: those tests skip
        shutil.chown(path, "nobody")
    try:
        yield path
    finally:
        shutil.rmtree(path, ignore_errors=True)


@pytest.fixture
def nobody_home(public_tmp: Path, nobody_pip_cache: Path) -> Path:
    """A HOME that belongs to nobody (its ~/.cache/pip shared between tests)."""
    home = public_tmp / "home"
    (home / ".cache").mkdir(parents=True)
    (home / ".cache/pip").symlink_to(nobody_pip_cache)
    for path in (home, home / ".cache"):
        shutil.chown(path, "nobody")
    return home
