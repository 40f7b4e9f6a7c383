"""Declared versus observed in the real lab: vrrptop reads the lab's keepalived.conf
(instances, VIPs, the named_check scripts and so the priority file beside it), probes
DNS from vl-mon, and its prediction must match what keepalived actually elects.
"""

from __future__ import annotations

import time
from collections.abc import Iterator

import pytest

from tests.lab import Lab
from tests.lab.monitor import Monitor, Record
from tests.lab.scenario import key_of

pytestmark = pytest.mark.lab

SEED = {"testdns0": "recdns-wcdc", "testdns1": "recdns-cnh"}
#: The seed's effective priorities (50 + 50 x rank; 50 for commented-out recdns-rnb).
SEED_PRIORITIES = {
    "testdns0": {"recdns-cnh": 100, "recdns-rnb": 50, "recdns-sby": 200, "recdns-wcdc": 250},
    "testdns1": {"recdns-cnh": 250, "recdns-rnb": 50, "recdns-sby": 150, "recdns-wcdc": 100},
}


@pytest.fixture
def correlating(seed_lab: Lab) -> Iterator[Monitor]:
    """vrrptop with DNS probes and the lab's keepalived.conf (like /etc/keepalived)."""
    conf = seed_lab.node_dir("recdns-cnh") / "keepalived.conf"
    mon = Monitor(seed_lab, ["--keepalived-conf", str(conf)], probe=True)
    try:
        mon.wait_ready()
        yield mon
    finally:
        mon.stop()


def _final(mon: Monitor) -> dict[tuple[str, int], Record]:
    snap = mon.stop()
    assert snap is not None, "vrrptop wrote no final snapshot"
    return {key_of(i): i for i in snap["instances"] if key_of(i)}  # type: ignore[misc]


def _assert_agrees(inst: Record, master: str) -> None:
    assert inst["expected_master"] == master, inst
    assert inst["observed_master_name"] == master, inst
    assert not [a for a in inst["alarms"] if a["kind"] == "master-mismatch"], inst["alarms"]


def test_prediction_matches_election_ipv4(correlating: Monitor) -> None:
    """Seed state: predicted = observed, with the seed's expected priorities."""
    time.sleep(4)  # let the probes run and the election count as settled
    final = _final(correlating)
    for base, master in SEED.items():
        inst = final[(base, 4)]
        _assert_agrees(inst, master)
        assert inst["expected_priorities"] == SEED_PRIORITIES[base]
        assert inst["alarms"] == []


def test_prediction_matches_election_ipv6(correlating: Monitor) -> None:
    """The IPv6 instances (same VRIDs, link-local sources) agree with the file too."""
    time.sleep(4)
    final = _final(correlating)
    for base, master in SEED.items():
        _assert_agrees(final[(base, 6)], master)


def test_dns_stop_seen_by_probes_and_prediction(correlating: Monitor, seed_lab: Lab) -> None:
    """DNS down on recdns-cnh: probes fail, the file now predicts recdns-sby, and
    keepalived's failover matches the prediction."""
    start, t0 = correlating.mark(), time.time()
    seed_lab.dns_stop("cnh")
    failed = correlating.wait_for(
        lambda r: r.get("type") == "probe" and r["target"] == "198.51.100.11" and not r["ok"],
        timeout=20,
        start=start,
    )
    print(f"\nfirst failing probe of recdns-cnh {failed['ts'] - t0:.2f}s after dnsmasq stopped")
    seed_lab.wait_for_masters({"testdns0": "recdns-wcdc", "testdns1": "recdns-sby"}, 20)
    time.sleep(2)
    final = _final(correlating)
    _assert_agrees(final[("testdns1", 4)], "recdns-sby")
    _assert_agrees(final[("testdns0", 4)], "recdns-wcdc")
    assert final[("testdns1", 4)]["expected_priorities"]["recdns-cnh"] == 50


def test_reorder_prediction_follows(correlating: Monitor, seed_lab: Lab) -> None:
    """Reversing the file: the prediction and the election both move."""
    seed_lab.reorder(["recdns-wcdc", "recdns-rnb", "recdns-sby", "recdns-cnh"])
    swapped = {"testdns0": "recdns-cnh", "testdns1": "recdns-wcdc"}
    seed_lab.wait_for_masters(swapped, 20)
    time.sleep(2)
    final = _final(correlating)
    for base, master in swapped.items():
        _assert_agrees(final[(base, 4)], master)


def test_probe_traffic_never_reaches_the_capture(seed_lab: Lab, tmp_path) -> None:
    """vrrptop's own DNS probes (and their answers) are filtered out in the kernel:
    with probes running, the frames it kept (-w) hold no UDP/TCP port 53 at all."""
    import subprocess

    pcap = tmp_path / "kept.pcap"
    mon = Monitor(seed_lab, ["-w", str(pcap)], probe=True)
    try:
        mon.wait_ready()
        start = mon.mark()
        for _ in range(8):
            mon.wait_for(lambda r: r.get("type") == "probe", start=start)
            start = mon.mark()
    finally:
        snap = mon.stop()
    assert snap is not None
    probes = [r for r in mon.records if r.get("type") == "probe"]
    assert len(probes) >= 8 and any(p["ok"] for p in probes)
    out = subprocess.run(
        ["tcpdump", "-nn", "-r", str(pcap), "port 53"], capture_output=True, text=True
    )
    assert out.returncode == 0, out.stderr
    assert out.stdout == ""
    kept = subprocess.run(["tcpdump", "-nn", "-r", str(pcap)], capture_output=True, text=True)
    assert "VRRP" in kept.stdout
