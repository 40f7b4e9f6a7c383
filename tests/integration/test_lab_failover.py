"""vrrptop against the real keepalived lab: every way a master moves, and split brain.

Each test changes the lab, waits for keepalived (VIP holders) to settle on the master
the seed's scheme predicts, then checks that vrrptop's events tell the same story.
The delay between keepalived's notify and vrrptop's event is printed (``-s``).
"""

from __future__ import annotations

import json
import time

import pytest

from tests.lab import Lab
from tests.lab.monitor import Monitor, node_of
from tests.lab.scenario import (
    assert_chain,
    key_of,
    notify_delays,
    rec_node,
    wait_new_masters,
)

pytestmark = pytest.mark.lab

SEED = {"testdns0": "recdns-wcdc", "testdns1": "recdns-cnh"}


def _move(lab: Lab, mon: Monitor, change, expected: dict[str, str], label: str) -> None:  # noqa: ANN001
    """Apply ``change``; check keepalived and vrrptop both settle on ``expected``."""
    before = {k: rec_node(v[-1]) for k, v in _latest(mon).items()}
    start, t0 = mon.mark(), time.time()
    change()
    assert lab.expected_masters() == expected, "the scheme predicts the expected masters"
    lab.wait_for_masters(expected, timeout=20)
    changed = {b: n for b, n in expected.items() if before.get((b, 4)) != n}
    seen = wait_new_masters(mon, changed, start)
    for key, evs in seen.items():
        if key[0] in changed:
            assert_chain(evs, before.get(key))
        else:
            assert not evs, f"{key} flapped although its master did not change: {evs}"
    delays = notify_delays(lab, mon, seen, t0)
    print(f"\n{label}: keepalived notify -> vrrptop new-master (capture ts, arrival) s: {delays}")


def _latest(mon: Monitor) -> dict:
    out: dict = {}
    for ev in mon.events("new-master"):
        if key_of(ev):
            out.setdefault(key_of(ev), []).append(ev)
    return out


def test_reorder_moves_both_masters(monitor: Monitor, seed_lab: Lab) -> None:
    """Reversing the file swaps ranks: testdns0 -> cnh, testdns1 -> wcdc, and back."""
    wait_new_masters(monitor, SEED, 0)
    swapped = {"testdns0": "recdns-cnh", "testdns1": "recdns-wcdc"}
    order = ["recdns-wcdc", "recdns-rnb", "recdns-sby", "recdns-cnh"]
    _move(seed_lab, monitor, lambda: seed_lab.reorder(order), swapped, "reorder")
    assert seed_lab.read_priority() == ["recdns-wcdc", "#recdns-rnb", "recdns-sby", "recdns-cnh"]
    seed = ["recdns-cnh", "recdns-rnb", "recdns-sby", "recdns-wcdc"]
    _move(seed_lab, monitor, lambda: seed_lab.reorder(seed), SEED, "reorder back")


def test_disable_and_enable_master(monitor: Monitor, seed_lab: Lab) -> None:
    """Commenting out wcdc hands testdns0 to sby; uncommenting brings it back."""
    wait_new_masters(monitor, SEED, 0)
    moved = {"testdns0": "recdns-sby", "testdns1": "recdns-cnh"}
    _move(seed_lab, monitor, lambda: seed_lab.disable("wcdc"), moved, "disable wcdc")
    _move(seed_lab, monitor, lambda: seed_lab.enable("wcdc"), SEED, "enable wcdc")


def test_dns_stop_and_start_on_master(monitor: Monitor, seed_lab: Lab) -> None:
    """cnh's DNS down: its checks fail, testdns1 goes to sby; DNS up: cnh preempts back."""
    wait_new_masters(monitor, SEED, 0)
    moved = {"testdns0": "recdns-wcdc", "testdns1": "recdns-sby"}
    _move(seed_lab, monitor, lambda: seed_lab.dns_stop("cnh"), moved, "dns stop cnh")
    _move(seed_lab, monitor, lambda: seed_lab.dns_start("cnh"), SEED, "dns start cnh")


def test_graceful_stop_resigns(monitor: Monitor, seed_lab: Lab) -> None:
    """SIGTERM keepalived on wcdc: a priority-0 advert (resign), then sby takes over."""
    wait_new_masters(monitor, SEED, 0)
    start = monitor.mark()
    moved = {"testdns0": "recdns-sby", "testdns1": "recdns-cnh"}
    _move(seed_lab, monitor, lambda: seed_lab.keepalived_stop("wcdc"), moved, "graceful stop")
    for family in (4, 6):
        resign = [e for e in monitor.events("resign", start) if key_of(e) == ("testdns0", family)]
        assert resign, f"no resign event for testdns0/IPv{family}"
        assert rec_node(resign[0]) == "recdns-wcdc"
        takeover = [e for e in monitor.events("new-master", start)
                    if key_of(e) == ("testdns0", family)]  # fmt: skip
        assert takeover[-1]["ts"] >= resign[0]["ts"]
        zero = [a for a in monitor.adverts(start) if key_of(a) == ("testdns0", family)
                and a["priority"] == 0]  # fmt: skip
        assert zero and all(node_of(a["src"], a["src_mac"]) == "recdns-wcdc" for a in zero)
    # No master-lost: the master said goodbye.
    assert not [e for e in monitor.events("master-lost", start) if key_of(e)]
    _move(seed_lab, monitor, lambda: seed_lab.keepalived_start("wcdc"), SEED, "restart")


def test_kill_9_is_master_lost(monitor: Monitor, seed_lab: Lab) -> None:
    """kill -9 keepalived on cnh: silence, master-lost after Master_Down_Interval."""
    wait_new_masters(monitor, SEED, 0)
    start = monitor.mark()
    moved = {"testdns0": "recdns-wcdc", "testdns1": "recdns-sby"}
    _move(seed_lab, monitor, lambda: seed_lab.keepalived_kill("cnh"), moved, "kill -9")
    for family in (4, 6):
        lost = [
            e for e in monitor.events("master-lost", start) if key_of(e) == ("testdns1", family)
        ]
        new = [e for e in monitor.events("new-master", start) if key_of(e) == ("testdns1", family)]
        assert lost and new, f"testdns1/IPv{family}: lost={lost} new={new}"
        assert rec_node(lost[0]) == "recdns-cnh"
        assert rec_node(new[-1]) == "recdns-sby"
    assert not [e for e in monitor.events("resign", start) if key_of(e)], "kill -9 never resigns"
    _move(seed_lab, monitor, lambda: seed_lab.keepalived_start("cnh"), SEED, "restart")


def test_split_brain_names_both_sources(monitor: Monitor, seed_lab: Lab) -> None:
    """wcdc and sby cannot hear each other: both master testdns0; mon sees both."""
    wait_new_masters(monitor, SEED, 0)
    start = monitor.mark()
    seed_lab.split_brain("wcdc", "sby")
    try:
        for family in (4, 6):
            ev = monitor.wait_for(
                lambda r, f=family: r.get("type") == "event" and r["kind"] == "split-brain"
                and key_of(r) == ("testdns0", f),
                timeout=20,
                start=start,
            )  # fmt: skip
            nodes = {node_of(s) for s in ev["sources"]}
            assert nodes == {"recdns-wcdc", "recdns-sby"}, ev
        # keepalived agrees: both hold the VIP.
        holders = seed_lab.masters()
        assert holders[("testdns0", 4)] is None  # None: several holders
    finally:
        seed_lab.heal()
    seed_lab.wait_for_masters(SEED, timeout=20)
    assert not [e for e in monitor.events("split-brain", start) if key_of(e) and
                key_of(e)[0] == "testdns1"]  # fmt: skip


def test_wrong_password_is_reported(monitor: Monitor, seed_lab: Lab) -> None:
    """recdns-sby restarted with a wrong PASS password: its peers drop its adverts.

    vrrptop reports an auth mismatch between sby and the master on both IPv4 VRIDs
    (the IPv6 instances are VRRPv3, without authentication, and stay quiet), and
    keepalived's own counters confirm the authentication failures.
    """
    wait_new_masters(monitor, SEED, 0)
    start = monitor.mark()
    seed_lab.keepalived_stop("sby")
    seed_lab.keepalived_start("sby", auth_pass="not-lab")
    for vrid, master in ((210, "recdns-wcdc"), (211, "recdns-cnh")):
        ev = monitor.wait_for(
            lambda r, v=vrid: r.get("type") == "event" and r["kind"] == "auth-mismatch"
            and r["vrid"] == v and r["family"] == 4,
            timeout=20,
            start=start,
        )  # fmt: skip
        assert {node_of(s) for s in ev["sources"]} == {"recdns-sby", master}, ev
        assert "not-lab" not in ev["message"] and "lab-pass" not in ev["message"]
    assert not [e for e in monitor.events("auth-mismatch", start) if e["family"] == 6]
    dump = json.loads(seed_lab.keepalived_json("wcdc"))
    stats = {e["data"]["iname"]: e["stats"] for e in dump}
    assert stats["testdns0"]["auth_failure"] > 0
    assert stats["testdns0_v6"]["auth_failure"] == 0
