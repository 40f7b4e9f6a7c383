"""Without CAP_NET_RAW, live capture fails with one clear line and exit status 77."""

from __future__ import annotations

import os
import shutil
import subprocess
import sys
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[2]


def _drop_net_raw() -> list[str]:
    """A command prefix that runs its command without CAP_NET_RAW (even as root)."""
    if shutil.which("setpriv"):
        return ["setpriv", "--bounding-set=-net_raw", "--inh-caps=-net_raw"]
    if shutil.which("capsh"):
        return ["capsh", "--drop=cap_net_raw", "--"]  # then "-c CMD" for the shell
    pytest.skip("neither setpriv (util-linux) nor capsh (libcap2-bin) is installed")
    raise AssertionError  # unreachable


def test_live_capture_without_cap_net_raw_is_one_line_exit_77() -> None:
    if os.geteuid() != 0:
        pytest.skip("dropping a capability from the bounding set needs root")
    prefix = _drop_net_raw()
    cmd = [sys.executable, "-m", "vrrptop", "-i", "lo", "--json"]
    # capsh runs its command through a shell ("-c"); setpriv runs it directly.
    cmd = [*prefix, "-c", " ".join(cmd)] if prefix[0] == "capsh" else [*prefix, *cmd]
    r = subprocess.run(cmd, cwd=ROOT, capture_output=True, text=True, timeout=60)
    assert r.returncode == 77, (r.returncode, r.stderr)
    lines = r.stderr.splitlines()
    assert len(lines) == 1, r.stderr
    assert "CAP_NET_RAW" in lines[0]
    assert lines[0].startswith("vrrptop: ")
    assert r.stdout == ""  # no partial JSON before the failure


def test_unreadable_home_is_a_warning_then_the_documented_77(tmp_path: Path) -> None:
    # `setpriv` that keeps HOME=/root: the config search path is not even stat-able.
    # Root without CAP_DAC_OVERRIDE/CAP_DAC_READ_SEARCH cannot look inside a 0700
    # directory owned by someone else, which is what an unprivileged user sees.
    if os.geteuid() != 0 or not shutil.which("setpriv"):
        pytest.skip("needs root and setpriv to drop every capability")
    home = tmp_path / "home"
    (home / ".config" / "vrrptop").mkdir(parents=True)
    (home / ".config" / "vrrptop" / "config.toml").write_text("[dns]\n")
    os.chown(home, 65534, 65534)
    home.chmod(0o700)
    drop = ["setpriv", "--bounding-set=-all", "--inh-caps=-all", "env", f"HOME={home}"]
    cmd = [*drop, sys.executable, "-m", "vrrptop", "-i", "lo", "--json"]
    r = subprocess.run(cmd, cwd=ROOT, capture_output=True, text=True, timeout=60)
    assert r.returncode == 77, (r.returncode, r.stderr)
    lines = r.stderr.splitlines()
    assert "Traceback" not in r.stderr
    assert len(lines) == 2, r.stderr
    assert lines[0].startswith("vrrptop: warning: ") and "config.toml" in lines[0]
    assert "Permission denied" in lines[0]
    assert "CAP_NET_RAW" in lines[1]
