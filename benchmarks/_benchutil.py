"""Shared bits of the live benchmarks: a private namespace with a veth pair, a
paced raw-socket sender, process CPU/RSS from /proc, and the machine's load.

Namespaces and tmux servers are prefixed ``rb-`` and always torn down; only
processes started here are ever signalled.
"""

from __future__ import annotations

import os
import re
import subprocess
import sys
import time
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))

from vrrptop.capture.synthetic import RouterSpec  # noqa: E402

CLK_TCK = os.sysconf("SC_CLK_TCK")


def load() -> str:
    """The 1/5/15-minute load averages, for printing next to a figure."""
    one, five, fifteen = os.getloadavg()
    return f"load {one:.2f} {five:.2f} {fifteen:.2f} ({os.cpu_count()} cpus)"


def require_root() -> None:
    """Exit with a clear message unless we may create namespaces."""
    if os.geteuid() != 0:
        sys.exit("this benchmark needs root (network namespaces, raw sockets)")


@contextmanager
def veth_namespace(tag: str, capture: str, sender: str) -> Iterator[str]:
    """Namespace ``rb-TAG-PID`` with veth ``capture`` <-> ``sender``, no IPv6, no ARP."""
    ns = f"rb-{tag}-{os.getpid()}"
    subprocess.run(["ip", "netns", "del", ns], capture_output=True)
    subprocess.run(["ip", "netns", "add", ns], check=True)
    try:
        ip = ["ip", "-n", ns]
        subprocess.run([*ip, "link", "add", capture, "type", "veth", "peer", "name", sender],
                       check=True)  # fmt: skip
        for dev in (capture, sender):
            subprocess.run(
                ["ip", "netns", "exec", ns, "sysctl", "-qw",
                 f"net.ipv6.conf.{dev}.disable_ipv6=1"],
                check=True,
            )  # fmt: skip
            subprocess.run([*ip, "link", "set", dev, "arp", "off", "up"], check=True)
        yield ns
    finally:
        subprocess.run(["ip", "netns", "del", ns], capture_output=True)


def rx_dropped(ns: str, dev: str) -> int:
    """The interface's rx_dropped counter (frames the kernel lost before any socket)."""
    out = subprocess.run(
        ["ip", "netns", "exec", ns, "cat", f"/sys/class/net/{dev}/statistics/rx_dropped"],
        capture_output=True,
        text=True,
        check=True,
    )
    return int(out.stdout.strip())


def contention_specs(specs: list[RouterSpec], routers: int) -> list[RouterSpec]:
    """``specs`` with ``routers`` routers per instance, interleaved so that the
    routers of one instance take turns (router j: its own address and priority - j):
    split brain everywhere, the incident case. One router is ``specs`` itself."""
    if routers == 1:
        return list(specs)
    out = []
    for j in range(routers):
        for s in specs:
            src = f"198.51.100.{10 + j}" if s.family == 4 else f"fe80::{10 + j:x}"
            prio = s.priority - j
            spec = RouterSpec(s.vrid, s.family, s.version, prio, s.interval_cs, src, auth=s.auth)
            out.append(spec)
    return out


def contention_frames(specs: list[RouterSpec], routers: int) -> list[bytearray]:
    """The frames of ``contention_specs``, each router with its own real MAC."""
    from vrrptop.capture.synthetic import advert_frame

    frames = []
    for i, spec in enumerate(contention_specs(specs, routers)):
        frame = bytearray(advert_frame(spec))
        if routers > 1:
            frame[6:12] = bytes((2, 0, 0, 1, 0, i // len(specs)))
        frames.append(frame)
    return frames


#: A paced sender: ``python -c SENDER IFACE RATE SECONDS ROUTERS CONTENDERS``; prints
#: one line "sent N elapsed S errors E" when done. Frames are built once with scapy
#: (vrrptop's synthetic segment: ROUTERS VRIDs x IPv4 VRRPv2 + IPv6 VRRPv3, with
#: CONTENDERS routers taking turns on each: ``contention_frames``), then sent from a
#: raw AF_PACKET socket in a tight loop, paced every millisecond.
SENDER = r"""
import os, socket, sys, time
sys.path.insert(0, os.environ["VRRPTOP_ROOT"])
sys.path.insert(0, os.path.join(os.environ["VRRPTOP_ROOT"], "benchmarks"))
from vrrptop.capture.synthetic import default_segment
from _benchutil import contention_frames
iface, routers = sys.argv[1], int(sys.argv[4])
rate, seconds = float(sys.argv[2]), float(sys.argv[3])
frames = [bytes(f) for f in contention_frames(default_segment(routers), int(sys.argv[5]))]
n = len(frames)
s = socket.socket(socket.AF_PACKET, socket.SOCK_RAW, 0)
s.bind((iface, 0))
s.setsockopt(socket.SOL_SOCKET, socket.SO_SNDBUF, 4 << 20)
send = s.send
sent = errors = 0
mono = time.monotonic
sleep = time.sleep
print("ready", flush=True)
t0 = mono()
end = t0 + seconds
slot = 0.001
while True:
    now = mono()
    if now >= end:
        break
    due = int((now - t0) * rate)
    while sent < due:
        try:
            send(frames[sent % n])
        except OSError:
            errors += 1
            sleep(0.0005)
            break
        sent += 1
    left = slot - (mono() - now)
    if left > 0:
        sleep(left)
print(f"sent {sent} elapsed {mono() - t0:.3f} errors {errors}", flush=True)
"""


def start_sender(
    ns: str, iface: str, rate: float, seconds: float, routers: int = 100, contenders: int = 1
):  # type: ignore[no-untyped-def]
    """Start the paced sender in ``ns``; returns the Popen once it printed "ready"."""
    env = dict(os.environ, VRRPTOP_ROOT=str(ROOT))
    proc = subprocess.Popen(
        ["ip", "netns", "exec", ns, sys.executable, "-c", SENDER, iface, str(rate),
         str(seconds), str(routers), str(contenders)],
        stdout=subprocess.PIPE,
        stderr=subprocess.PIPE,
        text=True,
        env=env,
    )  # fmt: skip
    line = proc.stdout.readline()  # type: ignore[union-attr]
    if line.strip() != "ready":
        proc.kill()
        raise RuntimeError(f"sender failed: {line}{proc.stderr.read()}")  # type: ignore[union-attr]
    return proc


def sender_result(proc: subprocess.Popen) -> tuple[int, float, int]:  # type: ignore[type-arg]
    """Wait for the sender; (sent, elapsed seconds, send errors)."""
    out, err = proc.communicate(timeout=120)
    m = re.search(r"sent (\d+) elapsed ([\d.]+) errors (\d+)", out)
    if m is None:
        raise RuntimeError(f"sender output: {out!r} {err!r}")
    return int(m[1]), float(m[2]), int(m[3])


def cpu_seconds(pid: int) -> float:
    """utime + stime of ``pid`` (all its threads), seconds."""
    with open(f"/proc/{pid}/stat") as fh:
        fields = fh.read().rsplit(")", 1)[1].split()
    return (int(fields[11]) + int(fields[12])) / CLK_TCK


def status_kb(pid: int, key: str) -> int:
    """A ``/proc/PID/status`` figure in kB (VmRSS, VmHWM, ...)."""
    with open(f"/proc/{pid}/status") as fh:
        for line in fh:
            if line.startswith(key + ":"):
                return int(line.split()[1])
    raise KeyError(key)


def wait_until(check, limit: float, step: float = 0.1) -> bool:  # type: ignore[no-untyped-def]
    """Poll ``check()`` until true or ``limit`` seconds pass."""
    deadline = time.monotonic() + limit
    while time.monotonic() < deadline:
        if check():
            return True
        time.sleep(step)
    return bool(check())
