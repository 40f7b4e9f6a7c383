"""The man page and the completions are generated from the parser, current, and valid."""

from __future__ import annotations

import os
import shutil
import subprocess
import sys
from pathlib import Path

import pytest

from vrrptop.cli import build_parser

ROOT = Path(__file__).resolve().parents[2]
MAN = ROOT / "contrib/man/vrrptop.1"
BASH = ROOT / "contrib/completions/vrrptop"
ZSH = ROOT / "contrib/completions/_vrrptop"


def _long_options() -> list[str]:
    return [
        opt for action in build_parser()._actions for opt in action.option_strings
        if opt.startswith("--")
    ]  # fmt: skip


def test_generated_files_are_current() -> None:
    pytest.importorskip("argparse_manpage")
    pytest.importorskip("shtab")
    out = subprocess.run(
        [sys.executable, "scripts/gen_docs.py", "--check"],
        cwd=ROOT,
        capture_output=True,
        text=True,
        timeout=120,
    )
    assert out.returncode == 0, out.stderr


def _render(path: Path) -> tuple[str, str]:
    if shutil.which("man") is None:
        pytest.skip("man-db is not installed")
    env = dict(os.environ, MANWIDTH="80", LC_ALL="C.UTF-8", MAN_KEEP_FORMATTING="")
    out = subprocess.run(
        ["man", "--warnings", "-l", "-P", "cat", str(path)],
        capture_output=True,
        text=True,
        env=env,
        timeout=60,
    )
    assert out.returncode == 0, out.stderr
    return out.stdout, out.stderr


def test_man_page_renders_without_warnings_and_says_what_the_issue_asked() -> None:
    text, warnings = _render(MAN)
    assert warnings == ""
    plain = text.replace("\u2010", "-").replace("\u2212", "-")
    for heading in ("NAME", "SYNOPSIS", "DESCRIPTION", "EXIT STATUS", "FILES", "SIGNALS"):
        assert f"\n{heading}\n" in plain
    for option in _long_options():
        assert option in plain or option == "--help", option  # argparse-manpage omits -h
    for code in ("0", "2", "65", "66", "69", "70", "73", "77", "78"):
        assert f"\n       {code} " in plain, code
    for path in ("/etc/vrrptop.toml", "~/.config/vrrptop/config.toml", "keepalived.conf"):
        assert path in plain
    for signal in ("SIGINT", "SIGTERM", "SIGHUP"):
        assert signal in plain


def test_bash_completion_parses_and_completes() -> None:
    subprocess.run(["bash", "-n", str(BASH)], check=True, timeout=30)
    script = (
        f"source {BASH}\n"
        'complete_words() { COMP_WORDS=("$@"); COMP_CWORD=$(($# - 1)); _shtab_vrrptop;'
        " printf '%s\\n' \"${COMPREPLY[@]}\"; echo --; }\n"
        "complete_words vrrptop --rea\n"
        "complete_words vrrptop --\n"
        "complete_words vrrptop -i l\n"
        f"complete_words vrrptop -r {ROOT}/contrib/man/vrrptop.1.inc\n"
    )
    out = subprocess.run(["bash", "-c", script], capture_output=True, text=True, timeout=30)
    assert out.returncode == 0, out.stderr
    read, every, iface, files, _ = out.stdout.split("--\n")
    assert read.split() == ["--read", "--read-only"]
    assert set(_long_options()) <= set(every.split())
    assert "lo" in iface.split()  # the kernel's interfaces, from /sys/class/net
    assert files.split() == [f"{ROOT}/contrib/man/vrrptop.1.include"]


def test_zsh_completion_parses() -> None:
    if shutil.which("zsh") is None:
        pytest.skip("zsh is not installed")
    subprocess.run(["zsh", "-n", str(ZSH)], check=True, timeout=30)
    text = ZSH.read_text()
    assert text.startswith("#compdef vrrptop")
    for option in _long_options():
        assert option in text, option
