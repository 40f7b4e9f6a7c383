"""``vrrptop --version`` names everything a bug report needs, and the version has one home."""

from __future__ import annotations

import re
import subprocess
import sys
import tomllib
from importlib import metadata
from pathlib import Path

import vrrptop
from vrrptop import native
from vrrptop.versions import LIBRARIES, libpcap_version, library_version

ROOT = Path(__file__).resolve().parents[2]


def _version_lines(flag: str) -> list[str]:
    out = subprocess.run(
        [sys.executable, "-m", "vrrptop", flag],
        cwd=ROOT,
        capture_output=True,
        text=True,
        timeout=60,
        check=True,
    )
    assert out.stderr == ""
    return out.stdout.splitlines()


def test_version_names_vrrptop_python_each_library_and_libpcap() -> None:
    lines = _version_lines("--version")
    names = [line.split(" ", 1)[0] for line in lines]
    assert names == ["vrrptop", "Python", *LIBRARIES, "libpcap", "build"]
    assert lines[0] == f"vrrptop {vrrptop.__version__}"
    assert lines[1].startswith(f"Python {sys.version.split()[0]} ({sys.executable})")
    for name, line in zip(LIBRARIES, lines[2:], strict=False):
        assert line == f"{name} {metadata.version(name)}"
    # libpcap0.8 is installed by scripts/test.sh: its own version string, e.g. "1.10.3 (...)".
    assert re.fullmatch(r"libpcap \d+\.\d+\.\d+.*", lines[-2]), lines[-2]
    assert lines[-1] == f"build {native.describe()}"


def test_short_flag_is_the_same() -> None:
    assert _version_lines("-V") == _version_lines("--version")


def test_a_missing_library_is_reported_not_fatal() -> None:
    assert library_version("no-such-distribution-vrrptop") == "missing"
    assert libpcap_version()[0].isdigit()


def test_version_is_written_once() -> None:
    project = tomllib.loads((ROOT / "pyproject.toml").read_text())["project"]
    assert "version" not in project and "version" in project["dynamic"]
    hits = [
        path
        for path in (ROOT / "vrrptop").rglob("*.py")
        if re.search(r"^__version__\s*=", path.read_text(), re.M)
    ]
    assert hits == [ROOT / "vrrptop" / "__init__.py"]
    changelog = (ROOT / "CHANGELOG.md").read_text()
    newest = re.search(r"^## \[([^\]]+)\]", changelog, re.M)
    assert newest is not None and newest.group(1) == vrrptop.__version__


def test_runtime_requirements_are_ranges_and_ci_pins_are_exact() -> None:
    project = tomllib.loads((ROOT / "pyproject.toml").read_text())["project"]
    assert project["license"] == "MIT" and project["license-files"] == ["LICENSE"]
    assert "MIT License" in (ROOT / "LICENSE").read_text()
    for requirement in project["dependencies"]:
        assert "==" not in requirement and ">=" in requirement, requirement
    for name in ("constraints.txt", "constraints-lowest.txt"):
        pins = [
            line
            for line in (ROOT / name).read_text().splitlines()
            if line and not line.startswith("#")
        ]
        assert pins and all(re.fullmatch(r"[A-Za-z0-9_.-]+==[\w.]+", p) for p in pins), name
    lowest = dict(
        line.split("==")
        for line in (ROOT / "constraints-lowest.txt").read_text().splitlines()
        if line and not line.startswith("#")
    )
    # Every runtime dependency has a tested lowest version equal to its lower bound.
    for requirement in project["dependencies"]:
        name, bound = re.match(r"([A-Za-z0-9_.-]+)>=([\w.]+)", requirement).groups()  # type: ignore[union-attr]
        assert lowest[name].startswith(bound), (name, bound, lowest[name])
