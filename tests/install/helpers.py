"""Helpers of the install tests: copy the checkout, run commands, act as nobody."""

from __future__ import annotations

import os
import shutil
import subprocess
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[2]
_SKIP = {".git", ".venv", ".venv-lowest", "build", "dist", "__pycache__", ".mypy_cache"}
_SKIP |= {".pytest_cache", ".ruff_cache", ".hypothesis", "vrrptop.egg-info", "benchmarks"}


def copy_checkout(dest: Path) -> Path:
    """A copy of the source tree without venvs, caches or build output."""
    shutil.copytree(ROOT, dest, ignore=lambda _d, names: [n for n in names if n in _SKIP])
    return dest


def run(cmd: list[str], **kw: object) -> subprocess.CompletedProcess[str]:
    """Run ``cmd``; on failure the assertion shows its output."""
    out = subprocess.run(cmd, capture_output=True, text=True, **kw)  # type: ignore[call-overload]
    assert out.returncode == 0, f"{cmd} exited {out.returncode}\n{out.stdout}\n{out.stderr}"
    return out  # type: ignore[no-any-return]


def needs_root_tools(*tools: str) -> None:
    """Skip unless root (to act as another user) with ``tools`` on PATH."""
    if os.geteuid() != 0:
        pytest.skip("needs root: installs as the user nobody")
    for tool in tools:
        if shutil.which(tool) is None:
            pytest.skip(f"{tool} is not installed")


def as_nobody(home: Path, *cmd: str, network: bool = True) -> list[str]:
    """``cmd`` as nobody with a clean environment (PATH without ~/.local/bin)."""
    env = ["env", "-i", f"HOME={home}", "PATH=/usr/bin:/bin", "SHELL=/bin/bash", "LC_ALL=C.UTF-8"]
    wrap = [] if network else ["unshare", "--net"]
    return [*wrap, "runuser", "-u", "nobody", "--", *env, *cmd]
