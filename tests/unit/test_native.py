"""The optional compiled build (``vrrptop.native``, ``scripts/compile.py``).

``scripts/test.sh`` runs the unit and UI tests twice: on the pure checkout, and on a
compiled copy with ``VRRPTOP_TEST_BUILD=compiled``. Each run first proves it tests
what it claims to. Otherwise a build that failed to load, or an extension left in the
checkout, would make one run quietly test the other's code.
"""

from __future__ import annotations

import importlib.machinery
import importlib.util
import os
import subprocess
import sys
from pathlib import Path

import pytest

from vrrptop import native

ROOT = Path(__file__).resolve().parents[2]
COMPILE = ROOT / "scripts" / "compile.py"
COMPILED_RUN = os.environ.get("VRRPTOP_TEST_BUILD") == "compiled"


def test_this_run_tests_the_build_it_claims() -> None:
    if COMPILED_RUN:
        assert native.compiled() == native.MODULES
        assert native.describe() == f"compiled with mypyc ({len(native.MODULES)} modules)"
    else:
        assert native.compiled() == (), "compiled modules in the checkout: compile.py --clean ."
        assert native.describe() == "pure Python (no compiled modules)"


def test_a_tests_own_vrrptop_process_runs_the_same_build(tmp_path: Path) -> None:
    """Tests also start ``python -m vrrptop`` from other directories; those processes
    must run the build under test too (``scripts/test.sh`` sets PYTHONPATH)."""
    out = subprocess.run(
        [sys.executable, "-m", "vrrptop", "--version"],
        cwd=tmp_path, capture_output=True, text=True, timeout=60, check=True,
    )  # fmt: skip
    assert out.stdout.splitlines()[-1] == f"build {native.describe()}"


def test_every_listed_module_is_a_source_file_listed_once() -> None:
    assert len(set(native.MODULES)) == len(native.MODULES)
    for name in native.MODULES:
        spec = importlib.util.find_spec(name)
        assert spec is not None and spec.origin is not None, name
        assert (ROOT / Path(*name.split(".")).with_suffix(".py")).is_file(), name


def test_a_partial_build_names_what_runs_pure(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr(native, "compiled", lambda: native.MODULES[1:])
    assert native.describe() == (
        f"partly compiled ({len(native.MODULES) - 1} of {len(native.MODULES)} modules; "
        f"pure: {native.MODULES[0].removeprefix('vrrptop.')})"
    )


def _compile(*args: str) -> subprocess.CompletedProcess[str]:
    return subprocess.run(
        [sys.executable, str(COMPILE), *args], capture_output=True, text=True, timeout=60
    )


def test_compile_refuses_a_directory_without_vrrptop(tmp_path: Path) -> None:
    out = _compile("--into", str(tmp_path))
    assert out.returncode == 2
    assert out.stderr.count("\n") == 1 and "holds no vrrptop package" in out.stderr


def _site(tmp_path: Path, python: str) -> Path:
    site = tmp_path / "lib" / python / "site-packages"
    (site / "vrrptop").mkdir(parents=True)
    (site / "vrrptop" / "__init__.py").write_text("")
    return site


def test_compile_refuses_other_sources_than_the_checkouts(tmp_path: Path) -> None:
    site = _site(tmp_path, f"python{sys.version_info.major}.{sys.version_info.minor}")
    out = _compile("--into", str(site))
    assert out.returncode == 2
    assert out.stderr.count("\n") == 1 and "differs from this checkout's" in out.stderr


def test_compile_refuses_another_pythons_site_packages(tmp_path: Path) -> None:
    out = _compile("--into", str(_site(tmp_path, "python3.99")))
    assert out.returncode == 2
    assert out.stderr.count("\n") == 1 and "is not for python3." in out.stderr


def test_compile_never_builds_inside_the_checkout() -> None:
    out = _compile("--tree", str(ROOT / "build" / "native"))
    assert out.returncode == 2
    assert out.stderr.count("\n") == 1 and "inside the checkout" in out.stderr
    assert not (ROOT / "build" / "native").exists()


def test_clean_removes_only_compiled_files(tmp_path: Path) -> None:
    keep = tmp_path / "vrrptop" / "wire" / "decode.py"
    keep.parent.mkdir(parents=True)
    keep.write_text("")
    (keep.parent / f"decode{importlib.machinery.EXTENSION_SUFFIXES[0]}").write_bytes(b"")
    (tmp_path / f"vrrptop_native__mypyc{importlib.machinery.EXTENSION_SUFFIXES[0]}").write_bytes(
        b""
    )
    out = _compile("--clean", str(tmp_path))
    assert out.returncode == 0 and "removed 2 compiled files" in out.stdout
    assert [p.name for p in tmp_path.rglob("*") if p.is_file()] == ["decode.py"]
