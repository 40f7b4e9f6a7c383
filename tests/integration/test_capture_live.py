"""Live capture on a veth pair inside a network namespace made by the test.

Frames are sent from the peer end with scapy; vrrptop runs as the real command
(`python -m vrrptop -i cap0 --json`) and must see exactly the VRRP/GARP/NA frames,
never the DNS/other traffic, and must never transmit anything itself.
"""

# ruff: noqa: E501  (the sender script is scapy code kept readable on one line per frame)
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

SENDER = r"""
import sys, time
from scapy.all import Ether, IP, IPv6, UDP, ARP, Dot1Q, ICMPv6ND_NA, ICMPv6NDOptDstLLAddr, sendp, conf
from scapy.layers.vrrp import VRRP, VRRPv3
from scapy.layers.dns import DNS, DNSQR
conf.verb = 0
iface = sys.argv[1]
mac = "02:00:00:00:00:02"
frames = [
    Ether(src=mac, dst="01:00:5e:00:00:12") / IP(src="198.51.100.11", dst="224.0.0.18", ttl=255)
    / VRRP(vrid=210, priority=250, ipcount=1, addrlist=["198.51.100.210"], authtype=1,
           auth1=int.from_bytes(b"secr", "big"), auth2=int.from_bytes(b"et!!", "big")),
    Ether(src=mac, dst="33:33:00:00:00:12") / IPv6(src="fe80::2", dst="ff02::12", hlim=255)
    / VRRPv3(vrid=210, priority=250, ipcount=1, addrlist=["2001:db8:100::210"], adv=100),
    Ether(src=mac, dst="01:00:5e:00:00:12") / Dot1Q(vlan=36) / IP(src="198.51.100.11", dst="224.0.0.18", ttl=255)
    / VRRPv3(vrid=36, priority=100, ipcount=1, addrlist=["198.51.100.36"], adv=100),
    Ether(src=mac, dst="ff:ff:ff:ff:ff:ff") / ARP(op=1, hwsrc=mac, psrc="198.51.100.210", pdst="198.51.100.210"),
    Ether(src=mac, dst="ff:ff:ff:ff:ff:ff") / ARP(op=1, hwsrc=mac, psrc="198.51.100.11", pdst="198.51.100.99"),
    Ether(src=mac, dst="33:33:00:00:00:01") / IPv6(src="fe80::2", dst="ff02::1", hlim=255)
    / ICMPv6ND_NA(tgt="2001:db8:100::210", R=0, S=0, O=1) / ICMPv6NDOptDstLLAddr(lladdr=mac),
    Ether(src=mac, dst="02:00:00:00:00:01") / IP(src="198.51.100.11", dst="198.51.100.2")
    / UDP(sport=5353, dport=53) / DNS(rd=1, qd=DNSQR(qname="cam.ac.uk", qtype="TXT")),
]
rounds = int(sys.argv[2])
for _ in range(rounds):
    sendp(frames, iface=iface)
    time.sleep(0.2)
"""

LISTENER = r"""
import socket, sys, time
s = socket.socket(socket.AF_PACKET, socket.SOCK_RAW, socket.htons(3))
s.bind((sys.argv[1], 3))
s.settimeout(0.2)
own = bytes.fromhex(sys.argv[2].replace(":", ""))
end = time.time() + float(sys.argv[3])
seen = 0
while time.time() < end:
    try:
        data = s.recv(65535)
    except TimeoutError:
        continue
    if data[6:12] == own:
        seen += 1
print(seen)
"""


def _netns_ok() -> str | None:
    if os.geteuid() != 0:
        return "needs root (network namespaces, raw sockets)"
    if shutil.which("ip") is None:
        return "iproute2 is not installed"
    return None


@pytest.fixture
def veth_ns():
    """A namespace vt-cap-PID with veth cap0 <-> cap1 (cap0 never speaks IPv6/ARP)."""
    reason = _netns_ok()
    if reason:
        pytest.skip(reason)
    ns = f"vt-cap-{os.getpid()}"
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


def _run_vrrptop(ns: str, iface: str, extra: list[str], duration: float = 4.0):
    return subprocess.Popen(
        ["ip", "netns", "exec", ns, sys.executable, "-m", "vrrptop", "-i", iface, "--json",
         "--duration", str(duration), *extra],
        cwd=ROOT,
        stdout=subprocess.PIPE,
        stderr=subprocess.PIPE,
        text=True,
    )  # fmt: skip


def _wait_listening(proc: subprocess.Popen) -> None:
    line = proc.stderr.readline()
    assert "listening on" in line, line + proc.stderr.read()


def _send(ns: str, rounds: int = 3) -> None:
    subprocess.run(
        ["ip", "netns", "exec", ns, sys.executable, "-c", SENDER, "cap1", str(rounds)],
        check=True,
        capture_output=True,
    )


def test_live_capture_sees_only_vrrp_garp_na(veth_ns, tmp_path):
    pcap = tmp_path / "seen.pcap"
    proc = _run_vrrptop(veth_ns, "cap0", ["-w", str(pcap)])
    _wait_listening(proc)
    listener = subprocess.Popen(
        ["ip", "netns", "exec", veth_ns, sys.executable, "-c", LISTENER, "cap1",
         "02:00:00:00:00:01", "3"],
        stdout=subprocess.PIPE,
        text=True,
    )  # fmt: skip
    _send(veth_ns, rounds=3)
    out, err = proc.communicate(timeout=30)
    transmitted = int(listener.communicate(timeout=10)[0].strip())
    assert proc.returncode == 0, err
    lines = [json.loads(x) for x in out.splitlines()]
    types = [x["type"] for x in lines]
    adverts = [x for x in lines if x["type"] == "advert"]
    assert len(adverts) == 9
    v2 = [a for a in adverts if a["version"] == 2]
    assert {a["src"] for a in v2} == {"198.51.100.11"}
    assert all(a["auth"] != "secret!!" and "secret" not in json.dumps(a) for a in v2)
    assert {(a["vrid"], a["family"], a["vlan"]) for a in adverts} == {
        (210, 4, None),
        (210, 6, None),
        (36, 4, 36),
    }
    garps = [x for x in lines if x["type"] == "garp"]
    assert {(g["address"], g["mac"]) for g in garps} == {
        ("198.51.100.210", "02:00:00:00:00:02"),
        ("2001:db8:100::210", "02:00:00:00:00:02"),
    }
    assert len(garps) == 6
    # The DNS query and the ordinary ARP request never reach user space.
    assert "malformed" not in types
    assert types[-1] == "snapshot"
    snap = lines[-1]
    assert snap["counters"]["frames"] == 15
    assert snap["counters"]["dropped"] == 0
    # Passive: nothing left cap0 while vrrptop ran.
    assert transmitted == 0
    # -w kept exactly the frames it looked at, readable by tcpdump when installed.
    if shutil.which("tcpdump"):
        r = subprocess.run(["tcpdump", "-nn", "-r", str(pcap)], capture_output=True, text=True)
        assert r.returncode == 0, r.stderr
        assert len(r.stdout.splitlines()) == 15


def test_live_capture_on_any_uses_cooked_filter(veth_ns):
    proc = _run_vrrptop(veth_ns, "any", [], duration=3.5)
    _wait_listening(proc)
    _send(veth_ns, rounds=2)
    out, err = proc.communicate(timeout=30)
    assert proc.returncode == 0, err
    lines = [json.loads(x) for x in out.splitlines()]
    adverts = [x for x in lines if x["type"] == "advert"]
    # Seen on both ends of the veth (sent on cap1, received on cap0).
    assert {(a["vrid"], a["family"]) for a in adverts} >= {(210, 4), (210, 6)}
    assert not [x for x in lines if x["type"] == "malformed"]
    assert lines[-1]["type"] == "snapshot"


def test_missing_interface_is_one_line_error():
    reason = _netns_ok()
    if reason:
        pytest.skip(reason)
    r = subprocess.run(
        [sys.executable, "-m", "vrrptop", "-i", "nosuch0", "--json"],
        cwd=ROOT,
        capture_output=True,
        text=True,
        timeout=30,
    )
    assert r.returncode == 69
    assert r.stderr.strip().splitlines() == [
        "vrrptop: no such interface: 'nosuch0' (list them with `ip link`)"
    ]
