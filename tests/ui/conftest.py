"""Fixtures for the console tests: a fake engine and a deterministic app."""

from __future__ import annotations

import sys
from datetime import UTC
from pathlib import Path

import pytest

# The scenario module is imported as ``tests.ui.scenario`` whatever the cwd.
sys.path.insert(0, str(Path(__file__).resolve().parents[2]))

from tests.ui.scenario import T0, FakeEngine  # noqa: E402
from vrrptop.options import Options
from vrrptop.ui.app import VrrptopApp
from vrrptop.ui.factory import build_app

FROZEN = T0 + 200.0


def make_app(engine: FakeEngine | None = None, **opts: object) -> VrrptopApp:
    """The real app over a fake engine, with a frozen clock and UTC times."""
    options = Options(interface="em1", **opts)  # type: ignore[arg-type]
    app = build_app(options, engine or FakeEngine(), clock=lambda: FROZEN, tz=UTC)
    return app


@pytest.fixture
def engine() -> FakeEngine:
    """A fresh fake engine."""
    return FakeEngine()


SEED = b"recdns-cnh\n#recdns-rnb\nrecdns-sby\nrecdns-wcdc\n"
"""The seed's priority.testdns (recdns-rnb out of service)."""


@pytest.fixture
def seed_file(tmp_path: Path) -> Path:
    """The seed's priority.testdns in a temp dir (the editor tests' file)."""
    path = tmp_path / "priority.testdns"
    path.write_bytes(SEED)
    return path
