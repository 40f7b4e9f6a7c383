"""The core never imports textual: each module outside vrrptop.ui is imported alone
in a fresh interpreter, and textual must not be loaded afterwards."""

from __future__ import annotations

import pkgutil
import subprocess
import sys
from pathlib import Path

import pytest

import vrrptop

ROOT = Path(__file__).resolve().parents[2]


def core_modules() -> list[str]:
    """Every vrrptop module except the console package (found by walking, so new
    modules are covered without editing this test)."""
    names = ["vrrptop"]
    for info in pkgutil.walk_packages(vrrptop.__path__, "vrrptop."):
        if info.name == "vrrptop.ui" or info.name.startswith("vrrptop.ui."):
            continue
        if info.name == "vrrptop.__main__":  # runs the CLI on import
            continue
        names.append(info.name)
    return sorted(names)


def test_walk_finds_the_core() -> None:
    mods = core_modules()
    # the layers named in the architecture are all there
    for expected in ("vrrptop.model.snapshot", "vrrptop.wire.records", "vrrptop.capture.base"):
        assert expected in mods
    assert not any(m.startswith("vrrptop.ui") for m in mods)


_PROBE = """
import importlib, sys
importlib.import_module(sys.argv[1])
loaded = sorted(m for m in sys.modules if m == "textual" or m.startswith("textual."))
print(" ".join(loaded))
"""


@pytest.mark.parametrize("module", core_modules())
def test_core_module_does_not_import_textual(module: str) -> None:
    proc = subprocess.run(
        [sys.executable, "-c", _PROBE, module],
        cwd=ROOT,
        capture_output=True,
        text=True,
        timeout=60,
    )
    assert proc.returncode == 0, proc.stderr
    assert proc.stdout.strip() == "", f"{module} loads textual: {proc.stdout.strip()}"


def test_probe_detects_textual() -> None:
    """The check itself works: the console package does load textual."""
    proc = subprocess.run(
        [sys.executable, "-c", _PROBE, "vrrptop.ui.app"],
        cwd=ROOT,
        capture_output=True,
        text=True,
        timeout=60,
    )
    assert proc.returncode == 0, proc.stderr
    assert "textual" in proc.stdout.split()
