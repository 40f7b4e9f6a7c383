"""Shared test fixtures: where the repo, its test data and ../shared/captures live."""

from __future__ import annotations

from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[1]
DATA = ROOT / "tests" / "data"
#: Third-party captures beside the clone (not redistributable ones stay there).
SHARED_CAPTURES = ROOT.parent / "shared" / "captures"


@pytest.fixture
def repo_root() -> Path:
    """The repository root."""
    return ROOT


@pytest.fixture
def data_dir() -> Path:
    """tests/data: captures copied with their origin noted in ORIGINS.md."""
    return DATA


@pytest.fixture
def shared_captures() -> Path:
    """../shared/captures; the test is skipped when it is absent."""
    if not SHARED_CAPTURES.is_dir():
        pytest.skip(f"{SHARED_CAPTURES} is absent (third-party captures not available)")
    return SHARED_CAPTURES
