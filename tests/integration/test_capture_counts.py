"""Every frame sent is either seen or counted as dropped, and the final snapshot
says the same as stderr (#17 item 13)."""

from __future__ import annotations

import json
import os
import shutil
import subprocess
import sys
from pathlib import Path

import pytest

pytestmark = pytest.mark.netns

ROOT = Path(__file__).resolve().parents[2]

SEND = r"""
import socket, sys
from tests import pcapgen as g
s = socket.socket(socket.AF_PACKET, socket.SOCK_RAW)
s.bind((sys.argv[1], 0))
frames = [g.advert4(vrid=1 + i % 200) for i in range(200)]
n = int(sys.argv[2])
for i in range(n):
    s.send(frames[i % 200])
print(n)
"""

# Capture with a small hand-over queue, flood it, then let the engine stop after a
# few adverts: frames are lost to the full queue and left in it at the end.
ACCOUNT = r"""
import json, subprocess, sys, time
from vrrptop.capture.live import LiveSource
from vrrptop.engine import Engine
from vrrptop.options import Options
src = LiveSource("hz0", queue_limit=1000)
sent = int(subprocess.run([sys.executable, "-c", sys.argv[1], "hz1", "5000"],
                          capture_output=True, text=True, check=True).stdout)
time.sleep(0.5)
snap = Engine(src, options=Options(count=300)).run()
st = src.status()
print(json.dumps({"sent": sent, "seen": snap.counters.frames,
                  "dropped": snap.counters.dropped, "status_dropped": st.dropped}))
"""


@pytest.fixture
def hz_ns():
    if os.geteuid() != 0 or shutil.which("ip") is None:
        pytest.skip("needs root and iproute2 (network namespace, raw sockets)")
    ns = f"hz-count-{os.getpid()}"
    subprocess.run(["ip", "netns", "del", ns], capture_output=True)
    subprocess.run(["ip", "netns", "add", ns], check=True)
    try:
        for args in (
            ["link", "add", "hz0", "address", "02:00:00:00:00:01", "type", "veth", "peer",
             "name", "hz1", "address", "02:00:00:00:00:02"],
            ["link", "set", "hz0", "up"],
            ["link", "set", "hz1", "up"],
        ):  # fmt: skip
            subprocess.run(["ip", "-n", ns, *args], check=True)
        yield ns
    finally:
        subprocess.run(["ip", "netns", "del", ns], capture_output=True)


def _env() -> dict[str, str]:
    return dict(os.environ, PYTHONPATH=str(ROOT))


def test_sent_equals_seen_plus_dropped(hz_ns: str) -> None:
    r = subprocess.run(
        ["ip", "netns", "exec", hz_ns, sys.executable, "-c", ACCOUNT, SEND],
        cwd=ROOT, env=_env(), capture_output=True, text=True, timeout=120,
    )  # fmt: skip
    assert r.returncode == 0, r.stderr
    got = json.loads(r.stdout)
    assert got["dropped"] > 0, got  # the small queue overflowed
    assert got["dropped"] == got["status_dropped"], got
    assert got["sent"] == got["seen"] + got["dropped"], got


def test_final_snapshot_and_stderr_agree(hz_ns: str) -> None:
    proc = subprocess.Popen(
        ["ip", "netns", "exec", hz_ns, sys.executable, "-m", "vrrptop", "-i", "hz0", "--json",
         "-c", "50", "--no-probe"],
        cwd=ROOT, env=_env(), stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True,
    )  # fmt: skip
    assert proc.stderr is not None
    assert "listening on" in proc.stderr.readline()
    subprocess.run(
        ["ip", "netns", "exec", hz_ns, sys.executable, "-c", SEND, "hz1", "20000"],
        cwd=ROOT, env=_env(), capture_output=True, timeout=120,
    )  # fmt: skip
    out, err = proc.communicate(timeout=60)
    assert proc.returncode == 0, err
    snap = json.loads(out.splitlines()[-1])
    assert snap["type"] == "snapshot"
    dropped = snap["counters"]["dropped"]
    said = [line for line in err.splitlines() if "frames dropped" in line]
    if dropped:
        assert said == [f"vrrptop: {dropped} frames dropped"], (dropped, err)
    else:
        assert said == [], err
