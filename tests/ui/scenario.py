"""Deterministic, hand-built snapshots and events for the console tests.

Modelled on the first user's deployment (testdns0 VRID 210 and testdns1 VRID 211,
four DNS servers) with documentation addresses only. A fake engine feeds these
to the app exactly as the real engine would.
"""

from __future__ import annotations

import threading
from collections.abc import Callable
from dataclasses import dataclass, replace
from typing import Any

from vrrptop.capture.base import SourceStatus
from vrrptop.model.events import Event
from vrrptop.model.snapshot import (
    Counters,
    GapStats,
    HostView,
    InstanceView,
    MasterTerm,
    Snapshot,
    SourceView,
    VipHolder,
)
from vrrptop.wire.records import Advert

T0 = 1_700_000_000.0
"""2023-11-14 22:13:20 UTC: every time in the scenario is relative to this."""
SECRET = b"s3cretPW"
"""The VRRPv2 PASS password in the scenario's adverts: must never be rendered."""

HOSTS = {
    "recdns-cnh": ("198.51.100.11", "2001:db8::11", "02:00:00:00:00:11"),
    "recdns-rnb": ("198.51.100.12", "2001:db8::12", "02:00:00:00:00:12"),
    "recdns-sby": ("198.51.100.13", "2001:db8::13", "02:00:00:00:00:13"),
    "recdns-wcdc": ("198.51.100.14", "2001:db8::14", "02:00:00:00:00:14"),
}
VIPS = {
    (210, 4): ("203.0.113.119",),
    (210, 6): ("2001:db8:8::d:fff0",),
    (211, 4): ("203.0.113.120", "203.0.113.121"),
}
NAMES = {210: "testdns0", 211: "testdns1"}


@dataclass(frozen=True)
class FakeUpdate:
    """Same shape as ``vrrptop.engine.EngineUpdate``."""

    snapshot: Snapshot
    events: tuple[Event, ...] = ()
    status: SourceStatus = SourceStatus("em1", "live", "running")
    ended: bool = False


class FakeEngine:
    """An engine that does nothing by itself: tests push updates with ``emit``."""

    def __init__(self, initial: Snapshot | None = None) -> None:
        self.on_update: Callable[[Any], None] | None = None
        self.update_interval = 0.1  # as the real engine's default
        self.error: BaseException | None = None
        self.write_error = ""
        self.started = threading.Event()
        self.stopped = 0
        self.resets = 0
        self._snapshot = initial or empty_snapshot(T0)

    def start(self) -> None:
        """Record the start."""
        self.started.set()

    def stop(self) -> None:
        """Record the stop."""
        self.stopped += 1

    def reset(self) -> None:
        """Forget everything, like the real engine."""
        self.resets += 1
        self._snapshot = empty_snapshot(self._snapshot.ts)

    def snapshot(self) -> Snapshot:
        """The last snapshot emitted."""
        return self._snapshot

    def emit(self, update: FakeUpdate) -> None:
        """Publish ``update`` as the engine thread would."""
        self._snapshot = update.snapshot
        assert self.on_update is not None, "app did not register on_update"
        self.on_update(update)


def empty_snapshot(ts: float) -> Snapshot:
    """Nothing seen yet."""
    return Snapshot(ts=ts, instances=(), hosts=(), counters=Counters())


def frame_bytes(src_last: int, vrid: int, prio: int) -> bytes:
    """Plausible Ethernet+IPv4+VRRPv2 bytes for the hex view (display only)."""
    eth = bytes.fromhex(f"01005e000012 00005e0001{vrid:02x} 0800".replace(" ", ""))
    ip = bytes.fromhex(f"45c00028000000ff 7000 0000 c63364{src_last:02x} e0000012".replace(" ", ""))
    vrrp = bytes([0x21, vrid, prio, 1, 1, 1, 0, 0]) + bytes([203, 0, 113, 119]) + SECRET
    return eth + ip + vrrp


def advert(name: str, vrid: int, family: int, prio: int, ts: float) -> Advert:
    """The last advert of ``name`` in instance (vrid, family)."""
    v4, v6, mac = HOSTS[name]
    v3 = family == 6
    return Advert(
        ts=ts,
        src=v6 if v3 else v4,
        dst="ff02::12" if v3 else "224.0.0.18",
        src_mac=mac,
        family=6 if v3 else 4,
        version=3 if v3 else 2,
        type=1,
        vrid=vrid,
        priority=prio,
        interval_cs=100,
        addresses=VIPS[(vrid, family)],
        auth_type=None if v3 else 1,
        auth_data=b"" if v3 else SECRET,
        ttl=255,
        checksum=0x1234,
        checksum_ok=True,
        checksum_variant="v3" if v3 else "v2",
        vlan=None,
        problems=(),
        frame=b"" if v3 else frame_bytes(int(v4.rsplit(".", 1)[1]), vrid, prio),
    )


def instance(
    vrid: int,
    family: int,
    masters: list[tuple[str, int, float, float | None]],
    now: float,
    *,
    prios: dict[str, int],
    age: float = 0.3,
    state: str = "ok",
    holder: str | None = None,
) -> InstanceView:
    """An instance whose master history is ``masters`` (name, prio, since, until)."""
    idx = 1 if family == 6 else 0
    cur_name, cur_prio, _, _ = masters[-1]
    cur = HOSTS[cur_name][idx]
    terms = tuple(
        MasterTerm(HOSTS[n][idx], since, until, p, HOSTS[n][2]) for n, p, since, until in masters
    )
    sources = tuple(
        SourceView(
            src=HOSTS[n][idx],
            src_mac=HOSTS[n][2],
            priority=p,
            interval_cs=100,
            addresses=VIPS[(vrid, family)],
            version=3 if family == 6 else 2,
            first_seen=T0,
            last_seen=now - age,
            adverts=int(now - T0),
            last_master=now - age if n == cur_name else None,
        )
        for n, p in prios.items()
    )
    holders = ()
    if holder is not None:
        holders = tuple(
            VipHolder(a, HOSTS[holder][2], now - 5, holder == cur_name)
            for a in VIPS[(vrid, family)]
        )
    gaps = (1.0, 1.01, 0.99, 1.0, 1.02, 0.98, 1.0, 3.6, 1.0, 1.0, 0.99, 1.01)
    return InstanceView(
        vrid=vrid,
        family=family,
        version=3 if family == 6 else 2,
        state=state,  # type: ignore[arg-type]
        master=cur,
        master_mac=HOSTS[cur_name][2],
        priority=cur_prio,
        interval_cs=100,
        addresses=VIPS[(vrid, family)],
        auth_type=None if family == 6 else 1,
        first_seen=T0,
        last_seen=now - age,
        age_s=age,
        master_down_s=3.0 + (256 - cur_prio) / 256,
        adverts=int(now - T0) * len(prios),
        checksum_variant="v3" if family == 6 else "v2",
        checksum_errors=0,
        masters=terms,
        sources=sources,
        gaps=GapStats(len(gaps), 0.98, 1.22, 3.6, 0.2, gaps),
        vip_holders=holders,
        problems={},
        last_advert=advert(cur_name, vrid, family, cur_prio, now - age),
        name=NAMES.get(vrid),
    )


def hosts(now: float, master_of: dict[str, str]) -> tuple[HostView, ...]:
    """The four servers, with priorities in each instance."""
    out = []
    for i, (name, (v4, v6, mac)) in enumerate(HOSTS.items()):
        prio = 250 - 50 * i
        keys = ("210/4", "210/6", "211/4")
        out.append(
            HostView(
                addresses=(v4, v6),
                macs=(mac,),
                name=name,
                priorities={k: prio for k in keys},
                last_master={k: now - 1 for k, m in master_of.items() if m == name},
                last_seen=now - 0.3,
            )
        )
    return tuple(out)


PRIOS = {name: 250 - 50 * i for i, name in enumerate(HOSTS)}


def steady(now: float = T0 + 100) -> Snapshot:
    """Before the failover: recdns-cnh masters everything."""
    cnh = [("recdns-cnh", 250, T0, None)]
    insts = (
        instance(210, 4, cnh, now, prios=PRIOS, holder="recdns-cnh"),
        instance(210, 6, cnh, now, prios=PRIOS),
        instance(211, 4, cnh, now, prios=PRIOS, age=0.8),
    )
    master_of = {"210/4": "recdns-cnh", "210/6": "recdns-cnh", "211/4": "recdns-cnh"}
    counters = Counters(frames=1203, adverts=1200, malformed=1, dropped=0, garps=3)
    return Snapshot(now, insts, hosts(now, master_of), counters)


def after_failover(now: float = T0 + 110) -> Snapshot:
    """recdns-cnh died at T0+105: recdns-rnb took 210/4 after a 3.6 s gap."""
    base = steady(now)
    hist = [("recdns-cnh", 250, T0, T0 + 105.0), ("recdns-rnb", 200, T0 + 108.6, None)]
    prios = {k: v for k, v in PRIOS.items() if k != "recdns-cnh"}
    new210 = instance(210, 4, hist, now, prios=prios, holder="recdns-cnh")
    silent = replace(base.instances[1], age_s=5.2, state="silent")
    insts = (new210, silent, base.instances[2])
    counters = Counters(frames=1313, adverts=1305, malformed=1, dropped=2, garps=4)
    master_of = {"210/4": "recdns-rnb", "210/6": "recdns-cnh", "211/4": "recdns-cnh"}
    return Snapshot(now, insts, hosts(now, master_of), counters)


def failover_events() -> tuple[Event, ...]:
    """What the tracker says about the failover."""
    return (
        Event(
            T0 + 108.0,
            "master-lost",
            "error",
            "master 198.51.100.11 silent for 3.0s",
            210,
            4,
            {"src": "198.51.100.11"},
        ),
        Event(
            T0 + 108.6,
            "new-master",
            "warning",
            "new master 198.51.100.12 prio 200 (was 198.51.100.11), outage 3.6s",
            210,
            4,
            {"src": "198.51.100.12", "previous": "198.51.100.11", "priority": 200, "gap_s": 3.6},
        ),
        Event(
            T0 + 109.0,
            "vip-announced",
            "info",
            "203.0.113.119 announced by 02:00:00:00:00:11 (not the master)",
            210,
            4,
            {"address": "203.0.113.119", "mac": "02:00:00:00:00:11", "holder_is_master": False},
        ),
    )


def steady_events() -> tuple[Event, ...]:
    """The start of the capture."""
    return (
        Event(
            T0 + 0.5,
            "new-master",
            "info",
            "new master 198.51.100.11 prio 250",
            210,
            4,
            {"src": "198.51.100.11", "priority": 250},
        ),
        Event(
            T0 + 0.6,
            "new-master",
            "info",
            "new master 2001:db8::11 prio 250",
            210,
            6,
            {"src": "2001:db8::11", "priority": 250},
        ),
        Event(
            T0 + 0.7,
            "new-master",
            "info",
            "new master 198.51.100.11 prio 250",
            211,
            4,
            {"src": "198.51.100.11", "priority": 250},
        ),
    )


def file_status(ended: bool = False) -> SourceStatus:
    """Status of a replay."""
    return SourceStatus("failover.pcap", "file", "ended" if ended else "running", 1313)
