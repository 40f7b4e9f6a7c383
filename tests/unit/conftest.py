"""Fixtures of the --notify tests (``test_output_notify*``): where the recording
command writes, the command itself, and the notifiers closed after each test."""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path

import pytest

from tests.unit.notify_kit import RECORDER, script
from vrrptop.output.notify import Notifier


@pytest.fixture
def out(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Path:
    path = tmp_path / "runs.jsonl"
    monkeypatch.setenv("NOTIFY_OUT", str(path))
    return path


@pytest.fixture
def recorder(tmp_path: Path) -> Path:
    return script(tmp_path, "record", RECORDER)


@pytest.fixture
def notifiers() -> Iterator[list[Notifier]]:
    made: list[Notifier] = []
    yield made
    for n in made:
        n.close(5)
