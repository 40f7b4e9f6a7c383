"""No frame the filter rejects ever reaches the decoder or ``-w`` (#17 item 7).

A packet socket created with ETH_P_ALL receives every frame of every interface
until its filter is attached; vrrptop now opens it with protocol 0, attaches the
filter, drains, then binds. Here a flood of UDP frames (with an advert every 50
frames) runs on both ends of a veth and on loopback while the capture is opened
and closed many times; every frame handed over must be VRRP, ARP or ICMPv6.
"""

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

FLOOD = r"""
import socket, sys, time
from tests import pcapgen as g
udp = g.ether(g.ipv4(b"\x00\x35\x00\x35\x00\x10\x00\x00" + b"D" * 8, proto=17,
              dst=bytes((198, 51, 100, 2))), dst=bytes.fromhex("020000000001"))
advert = g.advert4()
s = socket.socket(socket.AF_PACKET, socket.SOCK_RAW)
s.bind((sys.argv[1], 0))
lo = socket.socket(socket.AF_INET, socket.SOCK_DGRAM)
end = time.time() + float(sys.argv[2])
n = 0
while time.time() < end:
    n += 1
    try:
        s.send(advert if n % 50 == 0 else udp)
        lo.sendto(b"x", ("127.0.0.1", 9))
    except OSError:
        pass
"""

CHECK = r"""
import json, sys, time
from vrrptop.capture.live import LiveSource
iface, opens = sys.argv[1], int(sys.argv[2])
frames = bad = 0
for _ in range(opens):
    src = LiveSource(iface)
    end = time.monotonic() + 0.05
    for f in src.frames():
        if f is not None:
            frames += 1
            d = f.data
            if f.linktype == 113:
                et, off = d[14:16], 16
            else:
                et, off = d[12:14], 14
            ok = (et == b"\x08\x06" or (et == b"\x08\x00" and d[off + 9] == 112)
                  or (et == b"\x86\xdd" and d[off + 6] in (112, 58)))
            bad += not ok
        if time.monotonic() > end:
            break
    src.close()
print(json.dumps({"opens": opens, "frames": frames, "bad": bad}))
"""


@pytest.fixture
def flood_ns():
    if os.geteuid() != 0 or shutil.which("ip") is None:
        pytest.skip("needs root and iproute2 (network namespace, raw sockets)")
    ns = f"hz-race-{os.getpid()}"
    subprocess.run(["ip", "netns", "del", ns], capture_output=True)
    subprocess.run(["ip", "netns", "add", ns], check=True)
    try:
        for args in (
            ["link", "add", "hz0", "address", "02:00:00:00:00:01", "type", "veth", "peer",
             "name", "hz1", "address", "02:00:00:00:00:02"],
            ["link", "set", "hz0", "up"],
            ["link", "set", "hz1", "up"],
            ["link", "set", "lo", "up"],
        ):  # fmt: skip
            subprocess.run(["ip", "-n", ns, *args], check=True)
        yield ns
    finally:
        subprocess.run(["ip", "netns", "del", ns], capture_output=True)


def _check(ns: str, iface: str, opens: int) -> dict[str, int]:
    env = dict(os.environ, PYTHONPATH=str(ROOT))
    flood = subprocess.Popen(
        ["ip", "netns", "exec", ns, sys.executable, "-c", FLOOD, "hz1", "30"],
        cwd=ROOT, env=env,
    )  # fmt: skip
    try:
        r = subprocess.run(
            ["ip", "netns", "exec", ns, sys.executable, "-c", CHECK, iface, str(opens)],
            cwd=ROOT, env=env, capture_output=True, text=True, timeout=120,
        )  # fmt: skip
    finally:
        flood.kill()
        flood.wait()
    assert r.returncode == 0, r.stderr
    return json.loads(r.stdout)  # type: ignore[no-any-return]


@pytest.mark.parametrize("iface", ["hz0", "any"])
def test_no_unfiltered_frame_is_ever_handed_over(flood_ns: str, iface: str) -> None:
    got = _check(flood_ns, iface, opens=25)
    assert got["frames"] > 0, got  # the adverts in the flood were captured
    assert got["bad"] == 0, got
