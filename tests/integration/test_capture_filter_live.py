"""tcpdump habits on a live capture (issue 13), in a namespace made by the test
(``hc-*``, documentation addresses only): a filter expression narrows vrrptop's
own VRRP/ARP/ND filter and never replaces it, and ``-p`` leaves the interface out
of promiscuous mode."""

from __future__ import annotations

import json
import os
import re
import shutil
import subprocess
import sys
import time
from pathlib import Path

import pytest

pytestmark = pytest.mark.netns

ROOT = Path(__file__).resolve().parents[2]

# Sends hex frames read from stdin on a plain packet socket; no scapy import in the
# namespace (it takes seconds on a loaded machine, longer than the capture runs).
SENDER = r"""
import socket, sys, time
frames = [bytes.fromhex(line) for line in sys.stdin.read().split()]
sock = socket.socket(socket.AF_PACKET, socket.SOCK_RAW)
sock.bind((sys.argv[1], 0))
for _ in range(int(sys.argv[2])):
    for frame in frames:
        sock.send(frame)
    time.sleep(0.2)
"""


def _frames() -> str:
    """VRRP from a host not asked for, VRRP from the host, and the host's DNS query."""
    from scapy.all import IP, UDP, Ether
    from scapy.layers.dns import DNS, DNSQR
    from scapy.layers.vrrp import VRRPv3

    mac = "02:00:00:00:00:02"

    def advert(src: str, vrid: int) -> bytes:
        return bytes(
            Ether(src=mac, dst="01:00:5e:00:00:12")
            / IP(src=src, dst="224.0.0.18", ttl=255)
            / VRRPv3(vrid=vrid, priority=100, ipcount=1, addrlist=["198.51.100.200"], adv=100)
        )

    dns = bytes(
        Ether(src=mac, dst="02:00:00:00:00:01")
        / IP(src="198.51.100.14", dst="198.51.100.2")
        / UDP(sport=5353, dport=53)
        / DNS(rd=1, qd=DNSQR(qname="cam.ac.uk"))
    )
    return "\n".join(
        f.hex() for f in (advert("198.51.100.11", 211), advert("198.51.100.14", 214), dns)
    )


@pytest.fixture
def veth_ns():
    """Namespace hc-filt-PID with veth cap0 <-> cap1 (no IPv6, no ARP of their own)."""
    if os.geteuid() != 0:
        pytest.skip("needs root (network namespaces, raw sockets)")
    if shutil.which("ip") is None:
        pytest.skip("iproute2 is not installed")
    ns = f"hc-filt-{os.getpid()}"
    subprocess.run(["ip", "netns", "del", ns], capture_output=True)
    subprocess.run(["ip", "netns", "add", ns], check=True)
    try:

        def ip(*args: str) -> None:
            subprocess.run(["ip", "-n", ns, *args], check=True)

        ip("link", "add", "cap0", "address", "02:00:00:00:00:01", "type", "veth",
           "peer", "name", "cap1", "address", "02:00:00:00:00:02")  # fmt: skip
        for dev in ("cap0", "cap1"):
            subprocess.run(
                ["ip", "netns", "exec", ns, "sysctl", "-qw", f"net.ipv6.conf.{dev}.disable_ipv6=1"],
                check=True,
            )
            ip("link", "set", dev, "arp", "off")
            ip("link", "set", dev, "up")
        yield ns
    finally:
        subprocess.run(["ip", "netns", "del", ns], capture_output=True)


def _vrrptop(ns: str, *args: str, duration: float = 3.5) -> subprocess.Popen[str]:
    proc = subprocess.Popen(
        ["ip", "netns", "exec", ns, sys.executable, "-m", "vrrptop", "--json",
         "--duration", str(duration), *args],
        cwd=ROOT, stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True,
    )  # fmt: skip
    assert proc.stderr is not None
    line = proc.stderr.readline()
    assert "listening on" in line, line + proc.stderr.read()
    return proc


FRAMES = _frames()


def _send(ns: str, rounds: int = 3) -> None:
    subprocess.run(
        ["ip", "netns", "exec", ns, sys.executable, "-c", SENDER, "cap1", str(rounds)],
        input=FRAMES,
        text=True,
        check=True,
        capture_output=True,
    )


def _lines(proc: subprocess.Popen[str]) -> list[dict]:  # type: ignore[type-arg]
    out, err = proc.communicate(timeout=30)
    assert proc.returncode == 0, err
    return [json.loads(x) for x in out.splitlines()]


def test_filter_expression_narrows_vrrptops_own_filter(veth_ns):
    # Control: without an expression both hosts' adverts are seen, the DNS query never.
    lines = _lines(_send_during(veth_ns, "cap0"))
    assert {a["src"] for a in lines if a["type"] == "advert"} == {"198.51.100.11", "198.51.100.14"}
    assert lines[-1]["counters"]["frames"] == 6
    # With the expression: only the host's adverts; its DNS query is still filtered out.
    for args in (("cap0", "host 198.51.100.14"), ("-i", "cap0", "-f", "host 198.51.100.14")):
        lines = _lines(_send_during(veth_ns, *args))
        adverts = [a for a in lines if a["type"] == "advert"]
        assert {a["src"] for a in adverts} == {"198.51.100.14"}, args
        assert len(adverts) == 3
        assert lines[-1]["counters"]["frames"] == 3  # not the 3 DNS frames: VRRP half held
        assert not [x for x in lines if x["type"] == "malformed"]


def _send_during(ns: str, *args: str) -> subprocess.Popen[str]:
    proc = _vrrptop(ns, *args)
    _send(ns)
    return proc


def _promiscuity(ns: str) -> int:
    out = subprocess.run(
        ["ip", "-d", "-n", ns, "link", "show", "cap0"], capture_output=True, text=True, check=True
    ).stdout
    match = re.search(r"promiscuity (\d+)", out)
    assert match, out
    return int(match.group(1))


def test_p_leaves_the_interface_out_of_promiscuous_mode(veth_ns):
    assert _promiscuity(veth_ns) == 0
    for args, expected in ((("cap0",), 1), (("cap0", "-p"), 0)):
        proc = _vrrptop(veth_ns, *args, duration=2.0)
        time.sleep(0.5)
        seen = _promiscuity(veth_ns)
        _send(veth_ns, rounds=1)
        lines = _lines(proc)
        assert seen == expected, args
        # Still a working capture either way (a veth delivers every frame).
        assert [a for a in lines if a["type"] == "advert"]
    assert _promiscuity(veth_ns) == 0
