#!/usr/bin/env python3
"""Build vrrptop's optional compiled modules with mypyc (``vrrptop.native.MODULES``).

    python scripts/compile.py --tree DIR    # copy this checkout to DIR, compiled
    python scripts/compile.py --into SITE   # compile beside an installed vrrptop
    python scripts/compile.py --clean DEST  # remove compiled modules: pure again

``--tree`` is for benchmarks and the compiled test run (``scripts/test.sh``): DIR
holds the checkout (without .git and virtualenvs) with every module of the table
beside its ``.py``. ``--into`` is what ``scripts/install.sh --compiled`` runs, with
the installed ``vrrptop`` package in SITE (a site-packages directory). It refuses
when those sources differ from this checkout's. A compiled module beside other
source would run code nobody can read.

Never in the working tree itself: an edited ``.py`` beside its old extension would
silently not run. ``tests/unit/test_native.py`` fails when the checkout holds one.

Needs mypy (it brings mypyc), setuptools, a C compiler and the headers of the
Python that will run vrrptop: ``apt-get install gcc python3-dev``. The extensions
are built by the interpreter running this script, for that interpreter only.
Each missing part is one line on stderr and exit status 2.
"""

from __future__ import annotations

import argparse
import os
import shutil
import subprocess
import sys
import sysconfig
import tempfile
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))
from vrrptop.native import GROUP, GROUP_GLOB, MODULES, extension_path, remove_compiled  # noqa: E402

#: Not copied by --tree: version control, virtualenvs, caches, earlier builds.
SKIP = (".git", ".venv*", "__pycache__", "*.so", "build", ".mypy_cache", ".ruff_cache",
        ".pytest_cache", ".hypothesis")  # fmt: skip
MYPY_INI = "[mypy]\nignore_missing_imports = True\n"
SETUP_PY = """\
from setuptools import setup
from mypyc.build import mypycify
setup(name="vrrptop-native", ext_modules=mypycify(
    ["--config-file", "mypy.ini", *{paths!r}], group_name={group!r}, opt_level="3"))
"""


class Refused(Exception):
    """Something this build needs is missing or wrong: one line for the user."""


def module_path(name: str) -> Path:
    """``vrrptop.wire.decode`` -> ``vrrptop/wire/decode.py``."""
    return Path(*name.split(".")).with_suffix(".py")


def check_tools() -> None:
    """Refuse early, with the fix, when a build could not finish."""
    try:
        import mypyc.build  # noqa: F401
    except ImportError:
        raise Refused(f"mypyc is missing: {sys.executable} -m pip install mypy") from None
    try:
        import setuptools  # noqa: F401
    except ImportError:
        raise Refused(
            f"setuptools is missing: {sys.executable} -m pip install setuptools"
        ) from None
    cc = (sysconfig.get_config_var("CC") or "cc").split()[0]
    if shutil.which(cc) is None:
        raise Refused(f"no C compiler ({cc}): apt-get install gcc")
    header = Path(sysconfig.get_paths()["include"]) / "Python.h"
    if not header.is_file():
        raise Refused(f"no Python headers ({header}): apt-get install python3-dev")


def check_same_sources(site: Path) -> None:
    """``--into``: SITE's vrrptop must be this checkout's, byte for byte."""
    if not (site / "vrrptop" / "__init__.py").is_file():
        raise Refused(f"{site} holds no vrrptop package (expected {site}/vrrptop/__init__.py)")
    want = f"python{sys.version_info.major}.{sys.version_info.minor}"
    if "site-packages" in site.parts and want not in site.parts:
        raise Refused(f"{site} is not for {want}, the interpreter building the extensions")
    for name in MODULES:
        rel = module_path(name)
        installed = site / rel
        if not installed.is_file() or installed.read_bytes() != (ROOT / rel).read_bytes():
            raise Refused(f"{installed} differs from this checkout's {rel}: install it first")


def check_tree(dest: Path) -> None:
    """``--tree``: DEST must be new (or empty) and outside the checkout."""
    if dest.resolve().is_relative_to(ROOT):
        raise Refused(f"{dest} is inside the checkout; choose a directory outside it")
    if dest.exists() and any(dest.iterdir()):
        raise Refused(f"{dest} exists and is not empty")


def build(dest: Path, log: Path) -> None:
    """Compile MODULES from this checkout's sources into DEST."""
    with tempfile.TemporaryDirectory(prefix="vrrptop-mypyc-") as tmp:
        work = Path(tmp)
        shutil.copytree(ROOT / "vrrptop", work / "vrrptop", ignore=shutil.ignore_patterns(*SKIP))
        paths = [str(module_path(name)) for name in MODULES]
        (work / "mypy.ini").write_text(MYPY_INI)
        (work / "setup.py").write_text(SETUP_PY.format(paths=paths, group=GROUP))
        with log.open("w") as out:
            done = subprocess.run(
                [sys.executable, "setup.py", "build_ext", "--inplace"],
                cwd=work,
                stdout=out,
                stderr=subprocess.STDOUT,
                env={**os.environ, "PYTHONDONTWRITEBYTECODE": "1"},
            )
        if done.returncode != 0:
            tail = log.read_text(errors="replace").strip().splitlines()[-1:]
            raise Refused(f"mypyc failed ({log}): {tail[0] if tail else 'no output'}")
        for name in MODULES:
            built = work / extension_path(name)
            if not built.is_file():
                raise Refused(f"mypyc did not build {extension_path(name)} (see {log})")
            shutil.copy2(built, dest / extension_path(name))
        (group,) = work.glob(GROUP_GLOB)
        shutil.copy2(group, dest / group.name)


def verify(dest: Path) -> str:
    """What the built tree reports for itself (``vrrptop.native.describe``)."""
    probe = "from vrrptop import native; print(native.describe())"
    out = subprocess.run(
        [sys.executable, "-c", probe],
        cwd=dest,
        env={**os.environ, "PYTHONPATH": str(dest)},
        capture_output=True,
        text=True,
    )
    if out.returncode != 0 or not out.stdout.startswith("compiled with mypyc"):
        raise Refused(f"the build does not load: {(out.stdout + out.stderr).strip()[-300:]}")
    return out.stdout.strip()


def main(argv: list[str] | None = None) -> int:
    ap = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    where = ap.add_mutually_exclusive_group(required=True)
    where.add_argument("--tree", type=Path, metavar="DIR", help="copy the checkout, compiled")
    where.add_argument("--into", type=Path, metavar="SITE", help="beside an installed vrrptop")
    where.add_argument("--clean", type=Path, metavar="DEST", help="remove compiled modules")
    args = ap.parse_args(argv)
    try:
        if args.clean is not None:
            print(f"removed {remove_compiled(args.clean)} compiled files from {args.clean}")
            return 0
        dest = (args.tree or args.into).absolute()
        if args.tree is not None:
            check_tree(dest)
        else:
            check_same_sources(dest)
        check_tools()
        if args.tree is not None:
            shutil.copytree(ROOT, dest, ignore=shutil.ignore_patterns(*SKIP), dirs_exist_ok=True)
        fd, name = tempfile.mkstemp(prefix="vrrptop-mypyc-", suffix=".log")
        os.close(fd)
        log = Path(name)
        print(f"compiling {len(MODULES)} modules with mypyc (about a minute; log {log})")
        build(dest, log)  # on failure the log stays, named in the error
        log.unlink()
        print(f"{dest}: {verify(dest)}")
        return 0
    except Refused as e:
        print(f"compile.py: {e}", file=sys.stderr)
        return 2


if __name__ == "__main__":
    raise SystemExit(main())
