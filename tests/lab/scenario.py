"""Helpers the lab tests share: compare vrrptop's events with keepalived's ground truth."""

from __future__ import annotations

import time
from collections.abc import Mapping

from tests.lab.lab import Lab
from tests.lab.monitor import Monitor, Record, node_of
from tests.lab.topology import VRIDS
from tests.lab.views import INSTANCES, InstanceKey, keepalived_name

BASE_BY_VRID = {v: k for k, v in VRIDS.items()}


def key_of(rec: Record) -> InstanceKey | None:
    """The lab instance a vrrptop record is about, or None (another VRID)."""
    base = BASE_BY_VRID.get(rec.get("vrid"))  # type: ignore[arg-type]
    return (base, rec["family"]) if base else None


def rec_node(rec: Record) -> str | None:
    """The lab node an event/advert/snapshot instance names (by address or MAC)."""
    return node_of(rec.get("src") or rec.get("master"), rec.get("mac") or rec.get("src_mac")
                   or rec.get("master_mac"))  # fmt: skip


def new_masters(mon: Monitor, start: int) -> dict[InstanceKey, list[Record]]:
    """vrrptop's new-master events since ``start``, per lab instance, in order."""
    out: dict[InstanceKey, list[Record]] = {k: [] for k in INSTANCES}
    for ev in mon.events("new-master", start):
        key = key_of(ev)
        if key:
            out[key].append(ev)
    return out


def wait_new_masters(
    mon: Monitor, expected: Mapping[str, str], start: int, timeout: float = 20.0
) -> dict[InstanceKey, list[Record]]:
    """Wait until vrrptop's latest new-master of every instance names the expected node.

    ``expected`` maps base names (``testdns0``) to nodes; both families are checked.
    """
    deadline = time.monotonic() + timeout
    while True:
        seen = new_masters(mon, start)
        done = all(
            seen[(b, f)] and rec_node(seen[(b, f)][-1]) == n
            for b, n in expected.items()
            for f in (4, 6)
        )
        if done:
            return seen
        if time.monotonic() >= deadline:
            summary = {f"{b}/{f}": [rec_node(e) for e in evs] for (b, f), evs in seen.items()}
            raise AssertionError(f"vrrptop new-master events {summary}, expected {expected}")
        time.sleep(0.1)


def assert_chain(events: list[Record], first_previous: str | None) -> None:
    """Each new-master's ``previous`` is the master before it (no invented hops)."""
    prev = first_previous
    for ev in events:
        if prev is not None and ev.get("previous") is not None:
            assert node_of(ev["previous"]) == prev, (ev, prev)
        prev = rec_node(ev)


def notify_delays(
    lab: Lab, mon: Monitor, seen: Mapping[InstanceKey, list[Record]], since: float
) -> dict[str, tuple[float, float]]:
    """Per instance: (capture ts, arrival) of vrrptop's last new-master minus keepalived's
    MASTER notify time, in seconds.

    The first is the packet's capture time (the notify script runs just after keepalived
    sends its first advert as master, so it is slightly negative); the second is when the
    JSON line reached the reader, what an operator watching vrrptop experiences. Both
    clocks are this machine's wall clock.
    """
    out: dict[str, tuple[float, float]] = {}
    deadline = time.monotonic() + 3  # notify scripts run asynchronously after the VIP moves
    while True:
        notes = lab.notify_records(since)
        for key, evs in seen.items():
            if not evs:
                continue
            ev = evs[-1]
            node = rec_node(ev)
            masters = [r for r in notes if r.state == "MASTER" and r.node == node
                       and r.instance == keepalived_name(key)]  # fmt: skip
            if masters:
                t = masters[-1].ts
                out[f"{key[0]}/IPv{key[1]}"] = (round(ev["ts"] - t, 3), round(ev["_rx"] - t, 3))
        if len(out) == sum(1 for evs in seen.values() if evs) or time.monotonic() > deadline:
            return out
        time.sleep(0.1)
