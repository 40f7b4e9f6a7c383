"""vrrptop against the real keepalived lab: the election and the wire formats."""

from __future__ import annotations

import json
import subprocess

import pytest

from tests.lab import Lab, foreign
from tests.lab.monitor import Monitor, node_of
from tests.lab.scenario import key_of, rec_node, wait_new_masters
from tests.lab.topology import VIPS, node_host
from tests.lab.views import INSTANCES, instance_key, notify_masters

pytestmark = pytest.mark.lab

SEED = {"testdns0": "recdns-wcdc", "testdns1": "recdns-cnh"}


def _snapshot_by_key(snap: dict) -> dict:
    return {key_of(i): i for i in snap["instances"] if key_of(i)}


def test_initial_election_matches_keepalived(monitor: Monitor, seed_lab: Lab) -> None:
    """Masters, priorities, intervals and versions agree with keepalived's notify log."""
    wait_new_masters(monitor, SEED, start=0)
    monitor.wait_for(lambda r: r.get("type") == "advert", start=monitor.mark())
    truth = notify_masters(seed_lab.notify_records())
    snap = monitor.stop()
    assert snap is not None, "vrrptop wrote no final snapshot"
    by_key = _snapshot_by_key(snap)
    assert set(by_key) == set(INSTANCES)
    for key in INSTANCES:
        base, family = key
        inst = by_key[key]
        assert truth[key] == SEED[base]
        assert rec_node(inst) == truth[key], (key, inst)
        assert inst["priority"] == 250
        assert inst["interval_cs"] == 100
        assert inst["addresses"] == [VIPS[base][0 if family == 4 else 1]]
        assert inst["state"] == "ok"
    # keepalived's own data dump agrees on state and effective priority.
    for node in set(SEED.values()):
        for entry in json.loads(seed_lab.keepalived_json(node)):
            data = entry["data"]
            key = instance_key(data["iname"])
            if SEED[key[0]] == node:
                assert data["state"] == 2, data  # 2 = MASTER in keepalived's dump
                assert data["effective_priority"] == by_key[key]["priority"]
    adverts = [a for a in monitor.adverts() if key_of(a)]
    assert adverts
    for adv in adverts:
        base, family = key_of(adv)  # type: ignore[misc]
        assert node_of(adv["src"], adv["src_mac"]) == SEED[base]
        assert adv["version"] == (2 if family == 4 else 3)
        assert adv["checksum"] == "ok"
        assert adv["checksum_variant"] == ("v2" if family == 4 else "v3")
        assert adv["auth_type"] == (1 if family == 4 else None)
        assert adv["ttl"] == 255
        assert adv["problems"] == []


def test_v3_profile_decodes_with_pseudo_header_checksum(seed_lab: Lab) -> None:
    """``vrrp_version 3``: IPv4 adverts are VRRPv3 with the RFC 5798 pseudo-header."""
    mon = Monitor(seed_lab)
    try:
        mon.wait_ready()
        start = mon.mark()
        seed_lab.set_profile("v3")
        wait_new_masters(mon, SEED, start)
        mon.wait_for(lambda r: r.get("type") == "advert" and r["family"] == 4
                     and r["version"] == 3, start=start)  # fmt: skip
    finally:
        mon.stop()
    v4 = [a for a in mon.adverts(start) if key_of(a) and a["family"] == 4 and a["priority"]]
    v3 = [a for a in v4 if a["version"] == 3]
    assert v3
    for adv in v3:
        assert adv["checksum"] == "ok", adv
        assert adv["checksum_variant"] == "v3", adv
        assert adv["auth_type"] is None


def test_keepalived_old_unicast_checksum_is_reported_as_such(seed_lab: Lab) -> None:
    """keepalived's ``old_unicast_checksum`` (testdns0 only) is "v3-old-unicast".

    Measured on the wire: keepalived 2.2.7 computes it over a pseudo-header with the
    multicast group as destination, whatever unicast peer it sends to; testdns1 in the
    same unicast setup keeps the real checksum and must decode as plain v3.
    """
    build = subprocess.run(["keepalived", "-v"], capture_output=True, text=True)
    if "OLD_CHKSUM_COMPAT" not in build.stdout + build.stderr:
        pytest.skip("this keepalived is built without OLD_CHKSUM_COMPAT")
    seed_lab.set_profile("v3-old-unicast")
    mon = Monitor(seed_lab)
    try:
        mon.wait_ready()
        for vrid in (210, 211):
            mon.wait_for(lambda r, v=vrid: r.get("type") == "advert" and r["family"] == 4
                         and r["vrid"] == v)  # fmt: skip
    finally:
        mon.stop()
    v4 = [a for a in mon.adverts() if key_of(a) and a["family"] == 4]
    mon_ip = "198.51.100.2"
    assert {a["dst"] for a in v4} == {mon_ip}, "unicast adverts reach mon as a peer"
    old = [a for a in v4 if a["vrid"] == 210]
    new = [a for a in v4 if a["vrid"] == 211]
    assert old and new
    assert all(a["checksum_variant"] == "v3" and a["checksum"] == "ok" for a in new), new[:1]
    assert all(a["checksum_variant"] == "v3-old-unicast" and a["checksum"] == "ok" for a in old), (
        old[:1]
    )


def test_v3_checksum_as_v2_router_reported_as_such(seed_lab: Lab) -> None:
    """A router computing the VRRPv3/IPv4 checksum without pseudo-header: "v3-as-v2"."""
    rnb = node_host("recdns-rnb")
    mon = Monitor(seed_lab)
    try:
        mon.wait_ready()
        foreign.start(seed_lab.procs, rnb.netns, rnb.ipv4, vrid=212, variant="v3-as-v2")
        try:
            adv = mon.wait_for(lambda r: r.get("type") == "advert" and r["vrid"] == 212)
        finally:
            foreign.stop(seed_lab.procs, 212)
    finally:
        mon.stop()
    assert adv["src"] == rnb.ipv4
    assert adv["version"] == 3
    assert adv["checksum"] == "ok"
    assert adv["checksum_variant"] == "v3-as-v2"
    # keepalived's own instances on the same wire still decode as plain v2/v3.
    others = [a for a in mon.adverts() if key_of(a)]
    assert others and all(a["checksum_variant"] in ("v2", "v3") for a in others)
