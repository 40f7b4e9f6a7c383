"""Faults around a live capture: the interface vanishes and comes back; signals.

The real command (``python -m vrrptop -i cap0 --json``) runs in a namespace made by
the test, on one end of a veth pair; adverts are sent from the other end with scapy.
"""

from __future__ import annotations

import json
import os
import queue
import shutil
import signal
import subprocess
import sys
import threading
import time
from collections.abc import Callable, Iterator
from pathlib import Path
from typing import Any

import pytest

pytestmark = pytest.mark.netns

ROOT = Path(__file__).resolve().parents[2]

#: Sends ``count`` VRRPv2 adverts of VRID ``vrid`` on ``iface``, 20 ms apart.
SENDER = r"""
import sys, time
from scapy.all import Ether, IP, sendp, conf
from scapy.layers.vrrp import VRRP
conf.verb = 0
iface, vrid, count = sys.argv[1], int(sys.argv[2]), int(sys.argv[3])
frame = (Ether(src="02:00:00:00:00:02", dst="01:00:5e:00:00:12")
         / IP(src="198.51.100.11", dst="224.0.0.18", ttl=255)
         / VRRP(vrid=vrid, priority=200, ipcount=1, addrlist=["203.0.113.%d" % vrid]))
for _ in range(count):
    sendp(frame, iface=iface)
    time.sleep(0.02)
"""


def _why_not() -> str | None:
    if os.geteuid() != 0:
        return "needs root (network namespaces, raw sockets)"
    if shutil.which("ip") is None:
        return "iproute2 is not installed"
    return None


class Namespace:
    """A namespace ``rb-flt-PID`` holding the veth pair cap0 <-> cap1."""

    def __init__(self) -> None:
        self.name = f"rb-flt-{os.getpid()}"

    def ip(self, *args: str, check: bool = True) -> subprocess.CompletedProcess[str]:
        """``ip -n NS ...``."""
        return subprocess.run(
            ["ip", "-n", self.name, *args], check=check, capture_output=True, text=True
        )

    def add_veth(self) -> None:
        """Create cap0/cap1 (no IPv6, no ARP: only our frames on the wire) and bring up."""
        self.ip("link", "add", "cap0", "type", "veth", "peer", "name", "cap1")
        for dev in ("cap0", "cap1"):
            subprocess.run(
                ["ip", "netns", "exec", self.name, "sysctl", "-qw",
                 f"net.ipv6.conf.{dev}.disable_ipv6=1"],
                check=True,
            )  # fmt: skip
            self.ip("link", "set", dev, "arp", "off")
            self.ip("link", "set", dev, "up")

    def send(self, vrid: int, count: int) -> None:
        """Send ``count`` adverts of ``vrid`` from cap1 (blocks until sent)."""
        subprocess.run(
            ["ip", "netns", "exec", self.name, sys.executable, "-c", SENDER, "cap1",
             str(vrid), str(count)],
            check=True,
            capture_output=True,
            timeout=60,
        )  # fmt: skip


@pytest.fixture
def ns() -> Iterator[Namespace]:
    """The namespace with its veth pair; always deleted."""
    reason = _why_not()
    if reason:
        pytest.skip(reason)
    n = Namespace()
    subprocess.run(["ip", "netns", "del", n.name], capture_output=True)
    subprocess.run(["ip", "netns", "add", n.name], check=True)
    try:
        n.add_veth()
        yield n
    finally:
        subprocess.run(["ip", "netns", "del", n.name], capture_output=True)


class Vrrptop:
    """``vrrptop -i cap0 --json`` in the namespace; stdout lines parsed as they come."""

    def __init__(self, ns: Namespace, extra: list[str]) -> None:
        self.proc = subprocess.Popen(
            ["ip", "netns", "exec", ns.name, sys.executable, "-m", "vrrptop", "-i", "cap0",
             "--json", *extra],
            cwd=ROOT,
            stdout=subprocess.PIPE,
            stderr=subprocess.PIPE,
            text=True,
        )  # fmt: skip
        self.lines: list[dict[str, Any]] = []
        self._queue: queue.Queue[dict[str, Any] | None] = queue.Queue()
        self._reader = threading.Thread(target=self._read, daemon=True)
        self._reader.start()
        first = self.proc.stderr.readline()  # type: ignore[union-attr]
        if "listening on" not in first:
            self.proc.kill()
            raise AssertionError(first + self.proc.stderr.read())  # type: ignore[union-attr]

    def _read(self) -> None:
        for raw in self.proc.stdout:  # type: ignore[union-attr]
            self._queue.put(json.loads(raw))
        self._queue.put(None)

    def wait_for(self, check: Callable[[dict[str, Any]], bool], what: str, limit: float = 20):
        """Consume lines until one satisfies ``check``; returns it."""
        deadline = time.monotonic() + limit
        while True:
            for line in self.lines:
                if check(line):
                    return line
            left = deadline - time.monotonic()
            if left <= 0:
                raise AssertionError(f"never saw {what}; got {self.lines[-5:]}")
            try:
                got = self._queue.get(timeout=left)
            except queue.Empty:
                continue
            if got is None:
                raise AssertionError(f"vrrptop ended before {what}: {self.lines[-5:]}")
            self.lines.append(got)

    def wait_count(self, check: Callable[[dict[str, Any]], bool], n: int, what: str) -> None:
        """Consume lines until ``n`` of them satisfy ``check``."""
        self.wait_for(lambda _x: len([x for x in self.lines if check(x)]) >= n, what)

    def finish(self, sig: int = signal.SIGTERM) -> tuple[int, str]:
        """Send ``sig``, wait for the exit; returns (status, stderr)."""
        self.proc.send_signal(sig)
        try:
            rc = self.proc.wait(timeout=20)
        finally:
            if self.proc.poll() is None:
                self.proc.kill()
        self._reader.join(timeout=10)
        while True:
            line = self._queue.get_nowait() if not self._queue.empty() else None
            if line is None:
                break
            self.lines.append(line)
        return rc, self.proc.stderr.read()  # type: ignore[union-attr]

    def kill(self) -> None:
        """Last-resort cleanup."""
        if self.proc.poll() is None:
            self.proc.kill()
            self.proc.wait()


def _advert_of(vrid: int) -> Callable[[dict[str, Any]], bool]:
    return lambda x: x["type"] == "advert" and x["vrid"] == vrid


def _event(kind: str) -> Callable[[dict[str, Any]], bool]:
    return lambda x: x["type"] == "event" and x["kind"] == kind


def test_interface_disappears_and_comes_back(ns: Namespace) -> None:
    vt = Vrrptop(ns, [])
    try:
        ns.send(vrid=21, count=3)
        vt.wait_for(_advert_of(21), "adverts before the loss")
        ns.ip("link", "del", "cap0")  # takes cap1 with it
        lost = vt.wait_for(_event("capture-lost"), "capture-lost")
        assert lost["severity"] == "error" and "cap0" in lost["message"]
        assert vt.proc.poll() is None, "vrrptop exited when its interface vanished"
        time.sleep(1.5)  # a few failed reattach attempts (once a second)
        assert vt.proc.poll() is None
        assert not [x for x in vt.lines if x["type"] == "event" and x["kind"] == "capture-resumed"]
        ns.add_veth()
        resumed = vt.wait_for(_event("capture-resumed"), "capture-resumed")
        assert "cap0" in resumed["message"]
        assert vt.lines.index(lost) < vt.lines.index(resumed)
        ns.send(vrid=22, count=3)
        vt.wait_for(_advert_of(22), "adverts after the reattach")
        rc, err = vt.finish()
    finally:
        vt.kill()
    assert rc == 0, err
    assert "Traceback" not in err
    snap = vt.lines[-1]
    assert snap["type"] == "snapshot"
    assert {i["vrid"] for i in snap["instances"]} == {21, 22}
    adverts = [x for x in vt.lines if x["type"] == "advert"]
    assert len(adverts) == 6
    assert snap["counters"]["adverts"] == 6
    assert snap["counters"]["dropped"] == 0


@pytest.mark.parametrize(
    "sig", [signal.SIGTERM, signal.SIGINT, signal.SIGHUP], ids=lambda s: s.name
)
def test_signal_exits_cleanly_with_flushed_pcap(ns: Namespace, tmp_path: Path, sig: int) -> None:
    pcap = tmp_path / "kept.pcap"
    vt = Vrrptop(ns, ["-w", str(pcap)])
    try:
        ns.send(vrid=30, count=7)
        vt.wait_count(_advert_of(30), 7, "the 7 adverts")
        rc, err = vt.finish(sig)
    finally:
        vt.kill()
    assert rc == 0, err
    assert "Traceback" not in err and "KeyboardInterrupt" not in err
    assert vt.lines[-1]["type"] == "snapshot"
    assert vt.lines[-1]["counters"]["adverts"] == 7
    assert [x["type"] for x in vt.lines].count("snapshot") == 1
    if shutil.which("tcpdump") is None:
        pytest.skip("tcpdump is not installed: cannot check the -w file independently")
    r = subprocess.run(["tcpdump", "-nn", "-r", str(pcap)], capture_output=True, text=True)
    assert r.returncode == 0, r.stderr
    frames = r.stdout.splitlines()
    assert len(frames) == 7
    assert all("VRRPv2" in f and "vrid 30" in f for f in frames), frames
