"""The exporter over a live capture: a failover on a veth, seen through /metrics.

Runs in a network namespace made by the test (``prom-PID``): the engine captures on
``pm0`` in a background thread while scapy, on the peer end ``pm1``, plays router A
(198.51.100.11, priority 250) then router B preempting it (priority 254). The
exporter serves on the namespace's loopback and is scraped there, during the run.
"""

from __future__ import annotations

import json
import os
import shutil
import subprocess
import sys
from collections.abc import Iterator
from pathlib import Path

import pytest

pytestmark = pytest.mark.netns

ROOT = Path(__file__).resolve().parents[2]
A, B = "198.51.100.11", "198.51.100.12"

# Runs inside the namespace: engine + exporter, a scrape after each router's turn.
SCRIPT = r"""
import json, subprocess, sys, time, urllib.request
from prometheus_client.parser import text_string_to_metric_families
from vrrptop.capture.live import LiveSource
from vrrptop.engine import Engine
from vrrptop.options import Options
from vrrptop.output.prometheus import start_exporter

SENDER = '''
import sys, time
from scapy.all import Ether, IP, sendp, conf
from scapy.layers.vrrp import VRRP
conf.verb = 0
src, mac, prio = sys.argv[1], sys.argv[2], int(sys.argv[3])
frame = (Ether(src=mac, dst="01:00:5e:00:00:12") / IP(src=src, dst="224.0.0.18", ttl=255)
         / VRRP(vrid=210, priority=prio, ipcount=1, addrlist=["198.51.100.210"], adv=1))
for _ in range(4):
    sendp(frame, iface="pm1")
    time.sleep(0.2)
'''

def scrape(url):
    text = urllib.request.urlopen(url, timeout=5).read().decode()
    return [[s.name, s.labels, s.value] for f in text_string_to_metric_families(text)
            for s in f.samples]

source = LiveSource("pm0")
engine = Engine(source, options=Options(interface="pm0", no_ui=True))
engine.start()
exporter = start_exporter("127.0.0.1:0", engine.snapshot, get_status=source.status)
out = {}
try:
    for turn, (src, mac, prio) in enumerate(
        [("198.51.100.11", "02:00:00:00:00:0a", 250), ("198.51.100.12", "02:00:00:00:00:0b", 254)]
    ):
        subprocess.run([sys.executable, "-c", SENDER, src, mac, str(prio)], check=True)
        # the engine publishes every 0.1 s: scrape until this turn's adverts are in
        deadline = time.monotonic() + 15
        while True:
            samples = scrape(exporter.url)
            seen = [v for n, _, v in samples if n == "vrrptop_capture_adverts_total"]
            if seen == [4.0 * (turn + 1)] or time.monotonic() > deadline:
                break
            time.sleep(0.1)
        out[str(turn)] = samples
finally:
    exporter.stop()
    engine.stop()
    engine.join(5)
print(json.dumps(out))
"""


@pytest.fixture
def netns() -> Iterator[str]:
    """A namespace prom-PID with veth pm0 <-> pm1 and loopback up."""
    if os.geteuid() != 0 or shutil.which("ip") is None:
        pytest.skip("needs root and iproute2 (network namespaces, raw sockets)")
    ns = f"prom-{os.getpid()}"
    subprocess.run(["ip", "netns", "del", ns], capture_output=True)
    subprocess.run(["ip", "netns", "add", ns], check=True)
    try:
        for args in (
            ["link", "add", "pm0", "type", "veth", "peer", "name", "pm1"],
            ["link", "set", "pm0", "up"],
            ["link", "set", "pm1", "up"],
            ["link", "set", "lo", "up"],
        ):
            subprocess.run(["ip", "-n", ns, *args], check=True)
        yield ns
    finally:
        subprocess.run(["ip", "netns", "del", ns], capture_output=True)


def _pick(samples: list, name: str) -> list[tuple[dict[str, str], float]]:
    return [(labels, value) for n, labels, value in samples if n == name]


def test_failover_is_visible_in_the_scrapes(netns: str) -> None:
    run = subprocess.run(
        ["ip", "netns", "exec", netns, sys.executable, "-c", SCRIPT],
        cwd=ROOT,
        env={**os.environ, "PYTHONPATH": str(ROOT)},
        capture_output=True,
        text=True,
        timeout=120,
    )
    assert run.returncode == 0, run.stderr
    scrapes = json.loads(run.stdout.strip().splitlines()[-1])
    first, second = scrapes["0"], scrapes["1"]
    lab = {"vrid": "210", "family": "4", "vlan": "", "name": ""}  # untagged: vlan ""

    [(info, _)] = _pick(first, "vrrptop_instance_master_info")
    assert info["master"] == A and info["master_mac"] == "02:00:00:00:00:0a"
    assert _pick(first, "vrrptop_instance_priority") == [(lab, 250.0)]
    assert _pick(first, "vrrptop_instance_master_changes_total") == [(lab, 0.0)]
    assert _pick(first, "vrrptop_instance_adverts_total") == [(lab, 4.0)]

    [(info, _)] = _pick(second, "vrrptop_instance_master_info")
    assert info["master"] == B
    assert _pick(second, "vrrptop_instance_priority") == [(lab, 254.0)]
    assert _pick(second, "vrrptop_instance_master_changes_total") == [(lab, 1.0)]
    assert _pick(second, "vrrptop_instance_adverts_total") == [(lab, 8.0)]
    routers = {labels["router"]: v for labels, v in _pick(second, "vrrptop_router_priority")}
    assert routers == {A: 250.0, B: 254.0}
    assert _pick(second, "vrrptop_capture_adverts_total") == [({}, 8.0)]
    running = [
        v for labels, v in _pick(second, "vrrptop_capture_state") if labels["state"] == "running"
    ]
    assert running == [1.0]
