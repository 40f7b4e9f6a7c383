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
