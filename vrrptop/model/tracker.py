"""The tracking state machine: decoded records in, events and snapshots out.

Time is always injected: ``now`` is the record's time (the packet timestamp when
replaying, the clock when live); the tracker never reads ``record.ts`` nor a clock.
Timers (master-lost, end of split brain/mismatch) fire in ``tick(now)`` and at the
start of every ``apply(record, now)``, so a replay without ticks still sees them,
stamped with their exact deadline. Instances wait in a heap by their ``due`` time;
a deadline that moved later (a router advertised again) is found when its entry
comes up and re-queued, so an advert never touches the heap and a timer costs
O(log instances), never a scan of every instance.

The engine pushes in the one counter the tracker cannot see: ``count_frame()`` for
every captured frame (``Counters.frames``). Frames the capture layer lost
(``Counters.dropped``) are the source's own count, which the engine writes into
each snapshot it publishes.

Decisions documented here:

- **vip-announced** is emitted only for addresses that are a VIP of a known instance
  (its master's address list), and only when the announcing MAC differs from the one
  last seen for that address -- a master repeating its GARPs (keepalived sends 5,
  then refreshes) is not news.  Every announcement, of any address, is remembered in
  the VIP-holder table (capped, see ``caps``) so that the instance view shows it.
  Severity is warning when the MAC is neither the master's nor the VRID's virtual MAC.
- **malformed**: every record is counted per reason; at most one event per reason per
  ``MALFORMED_EVENT_EVERY_S`` (1 s), so a flood cannot flood the event log.
- **carp**: one event for the first sighting of each (vhid, family).
- **VLANs**: an instance is (VLAN, VRID, family) (``instance.table_key``); a GARP is
  matched only to instances on its own VLAN, and the VIP-holder table is keyed by
  (address, VLAN): the same address on two VLANs is two holders.

Not thread-safe: the engine drives one tracker from one thread (or under a lock).
"""

from __future__ import annotations

from heapq import heappop, heappush
from typing import Any

from vrrptop.model.caps import (
    MAX_CARP,
    MAX_INSTANCES,
    MAX_MALFORMED_REASONS,
    MAX_NEIGHBOURS,
    MAX_VIP_HOLDERS,
    evict_oldest,
)
from vrrptop.model.events import Event
from vrrptop.model.instance import INF, Instance, table_key
from vrrptop.model.repeats import repeat
from vrrptop.model.snapshot import Counters, Snapshot
from vrrptop.model.views import Holder, holder_is_master, host_views, instance_view
from vrrptop.wire.records import Advert, Carp, Garp, Malformed, Neighbour, Record

#: At most one "malformed" event per reason per this many seconds.
MALFORMED_EVENT_EVERY_S = 1.0


class Tracker:
    """Pure VRRP segment tracker; see the module docstring for time and counters."""

    def __init__(self) -> None:
        self.reset()

    def reset(self) -> None:
        """Forget everything: instances, history, holders, counters."""
        self._instances: dict[int, Instance] = {}
        self._order: tuple[Instance, ...] | None = None
        self._next_due = INF
        """Time of the heap's first entry (INF: empty); may be a stale entry's."""
        self._heap: list[tuple[float, int, Instance]] = []
        self._seq = 0
        self._holders: dict[tuple[str, int | None], Holder] = {}
        self._neighbours: dict[tuple[str, int | None], Holder] = {}
        """(address, VLAN) -> the MAC its own ARP reply / solicited NA gave."""
        self._vip_index: dict[str, list[Instance]] = {}
        self._carp_seen: dict[tuple[int, int], float] = {}
        self._malformed: dict[str, int] = {}
        self._malformed_event: dict[str, float] = {}
        self._frames = 0
        self._adverts = 0
        self._malformed_n = 0
        self._carp = 0
        self._garps = 0
        self._checksum_errors = 0
        self._evicted = 0

    # -- counters pushed by the engine ------------------------------------------------

    def count_frame(self, n: int = 1) -> None:
        """Count ``n`` captured frames (``Counters.frames``)."""
        self._frames += n

    # -- records ------------------------------------------------------------------------

    def apply(self, record: Record, now: float) -> list[Event]:
        """Fire timers due up to ``now``, then process ``record``; returns new events."""
        out = self._fire(now) if now >= self._next_due else []
        if type(record) is Advert:
            self._adverts += 1
            v = record.vlan
            key = record.vrid << 4 | record.family  # table_key, inlined for untagged
            inst = self._instances.get(key if v is None else table_key(record.vrid, key & 15, v))
            if inst is None or not repeat(inst, record, now):
                self._advert(record, inst, now, out)
        elif isinstance(record, Garp):
            self._garp(record, now, out)
        elif isinstance(record, Malformed):
            self._malformed_record(record, now, out)
        elif isinstance(record, Carp):
            self._carp_record(record, now, out)
        elif isinstance(record, Neighbour):
            self._neighbour(record, now)
        return out

    def tick(self, now: float) -> list[Event]:
        """Fire timers due up to ``now`` (master-lost between packets)."""
        return self._fire(now) if now >= self._next_due else []

    def _queue(self, inst: Instance) -> None:
        """Make sure ``inst`` has a heap entry no later than its ``due``."""
        due = inst.due
        if due < inst.queued:
            self._seq += 1
            inst.queued = due
            inst.qseq = self._seq
            heappush(self._heap, (due, self._seq, inst))
            if due < self._next_due:
                self._next_due = due

    def _fire(self, now: float) -> list[Event]:
        heap = self._heap
        fired: list[Instance] = []
        while heap and heap[0][0] <= now:
            _, seq, inst = heappop(heap)
            if seq != inst.qseq:
                continue  # superseded by an earlier entry, or the instance was evicted
            inst.queued = INF
            if inst.due <= now:
                fired.append(inst)
            else:
                self._queue(inst)  # its deadline moved later since it was queued
        out: list[Event] = []
        if len(fired) > 1:
            fired.sort(key=lambda i: i.order)  # creation order, as a scan would find them
        for inst in fired:
            inst.timers(now, out)
            self._queue(inst)
        self._next_due = heap[0][0] if heap else INF
        if len(out) > 1:
            out.sort(key=lambda e: e.ts)
        return out

    def _advert(self, rec: Advert, inst: Instance | None, now: float, out: list[Event]) -> None:
        if inst is None:
            if len(self._instances) >= MAX_INSTANCES:
                self._evict_instances()
            key = table_key(rec.vrid, rec.family, rec.vlan)
            inst = self._instances[key] = Instance(rec.vrid, rec.family, rec.vlan)
            self._seq += 1
            inst.order = self._seq
            self._order = None
        if not rec.checksum_ok:
            self._checksum_errors += 1
        inst.advert(rec, now, out)
        vips = inst.master.addresses if inst.master is not None else ()
        if vips != inst.indexed:
            self._index(inst, vips)
        if inst.due < inst.queued:
            self._queue(inst)

    def _index(self, inst: Instance, vips: tuple[str, ...]) -> None:
        """Register ``inst`` under its master's VIPs (for matching GARPs)."""
        for a in inst.indexed:
            lst = self._vip_index.get(a)
            if lst is not None and inst in lst:
                lst.remove(inst)
                if not lst:
                    del self._vip_index[a]
        for a in vips:
            self._vip_index.setdefault(a, []).append(inst)
        inst.indexed = vips

    def _evict_instances(self) -> None:
        before = dict(self._instances)
        n = evict_oldest(self._instances, lambda i: i.last_seen)
        for key, inst in before.items():
            if key not in self._instances:
                self._index(inst, ())
                inst.qseq = -1  # its heap entry is stale now
                self._evicted += inst.evicted
        self._evicted += n

    def _garp(self, rec: Garp, now: float, out: list[Event]) -> None:
        self._garps += 1
        where = (rec.address, rec.vlan)
        h = self._holders.get(where)
        changed = h is None or h.mac != rec.mac
        if h is None:
            if len(self._holders) >= MAX_VIP_HOLDERS:
                self._evicted += evict_oldest(self._holders, lambda x: x.ts)
            h = self._holders[where] = Holder(rec.address, rec.mac, now)
        h.mac = rec.mac
        h.ts = now
        for inst in self._vip_index.get(rec.address, ()):
            if inst.vlan != rec.vlan:
                continue  # another VLAN's router carrying the same address
            inst.dirty = True
            if changed:
                out.append(_vip_event(inst, rec, now))

    def _neighbour(self, rec: Neighbour, now: float) -> None:
        """Remember who answered for an address: joins hosts (``host_views``)."""
        where = (rec.address, rec.vlan)
        n = self._neighbours.get(where)
        if n is None:
            if len(self._neighbours) >= MAX_NEIGHBOURS:
                self._evicted += evict_oldest(self._neighbours, lambda x: x.ts)
            self._neighbours[where] = Holder(rec.address, rec.mac, now)
        else:
            n.mac, n.ts = rec.mac, now

    def _malformed_record(self, rec: Malformed, now: float, out: list[Event]) -> None:
        self._malformed_n += 1
        reason = rec.reason
        if reason not in self._malformed and len(self._malformed) >= MAX_MALFORMED_REASONS:
            reason = "other"
        n = self._malformed[reason] = self._malformed.get(reason, 0) + 1
        if now - self._malformed_event.get(reason, -INF) >= MALFORMED_EVENT_EVERY_S:
            self._malformed_event[reason] = now
            where = f" from {rec.src}" if rec.src else ""
            out.append(
                Event(
                    now,
                    "malformed",
                    "warning",
                    f"Malformed {rec.proto} frame{where}: {reason}",
                    detail={"reason": reason, "proto": rec.proto, "src": rec.src, "count": n},
                )
            )

    def _carp_record(self, rec: Carp, now: float, out: list[Event]) -> None:
        self._carp += 1
        key = (rec.vhid, rec.family)
        if key in self._carp_seen:
            self._carp_seen[key] = now
            return
        if len(self._carp_seen) >= MAX_CARP:
            self._evicted += evict_oldest(self._carp_seen, lambda ts: ts)
        self._carp_seen[key] = now
        fam = "IPv4" if rec.family == 4 else "IPv6"
        out.append(
            Event(
                now,
                "carp",
                "info",
                f"CARP vhid {rec.vhid} ({fam}) seen from {rec.src}: CARP, not VRRP, on this link",
                None,
                rec.family,
                {"vhid": rec.vhid, "src": rec.src, "advbase": rec.advbase, "advskew": rec.advskew},
            )
        )

    # -- views ----------------------------------------------------------------------------

    def snapshot(self, now: float) -> Snapshot:
        """An immutable picture at ``now`` (does not fire timers; states use ``now``)."""
        order = self._order
        if order is None:
            order = self._order = tuple(sorted(self._instances.values(), key=_order_key))
        holders = self._holders
        return Snapshot(
            ts=now,
            instances=tuple(instance_view(inst, now, holders) for inst in order),
            hosts=host_views(order, self._neighbours.values(), self._vip_index),
            counters=Counters(
                frames=self._frames,
                adverts=self._adverts,
                malformed=self._malformed_n,
                carp=self._carp,
                garps=self._garps,
                checksum_errors=self._checksum_errors,
                evicted=self._evicted + sum(i.evicted for i in order),
            ),
            malformed_reasons=dict(self._malformed),
        )


def _vip_event(inst: Instance, rec: Garp, now: float) -> Event:
    is_master = holder_is_master(inst, rec.mac)
    master_mac = inst.master.mac if inst.master is not None else None
    if is_master is True:
        who, severity = "the master", "info"
    elif is_master is None:
        who, severity = "master MAC unknown", "info"
    else:
        who, severity = f"not the master's MAC {master_mac}", "warning"
    detail: dict[str, Any] = {
        "address": rec.address,
        "mac": rec.mac,
        "master_mac": master_mac,
        "holder_is_master": is_master,
    }
    return Event(
        now,
        "vip-announced",
        severity,  # type: ignore[arg-type]
        f"VIP {rec.address} of {inst.label} announced by {rec.mac} ({who})",
        inst.vrid,
        inst.family,
        detail,
        inst.vlan,
    )


def _order_key(inst: Instance) -> tuple[int, int, int]:
    """Snapshot order: (VRID, family, VLAN), untagged first."""
    return (inst.vrid, inst.family, -1 if inst.vlan is None else inst.vlan)
