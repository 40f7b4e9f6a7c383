"""Immutable views of the tracker's state, for the UI and the outputs.

``Tracker.snapshot(now)`` builds these; consumers never see the mutable state, so a
snapshot can be handed to another thread (the UI) safely.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any, Literal

from vrrptop.model.expectation import (
    Alarm,
    AlarmChange,
    DeclaredHost,
    Expectation,
    InstanceKey,
    PrioritySave,
)
from vrrptop.model.health import TargetHealth
from vrrptop.model.node import NodeState
from vrrptop.wire.records import Advert

InstanceState = Literal[
    "ok", "silent", "split-brain", "mismatch", "checksum-errors", "resigned", "unseen"
]
"""The wire's word for an instance; "unseen": configured, never seen on the wire."""

TermEnd = Literal["preempted", "resigned", "lost"]
"""How a master term ended: another router won the election, the master sent
priority 0, or it fell silent for its Master_Down_Interval (``until`` is then its
last advert)."""


@dataclass(frozen=True, slots=True)
class MasterTerm:
    """One period during which ``src`` was the master of an instance."""

    src: str
    since: float
    until: float | None
    """None while it is still the master."""
    priority: int
    src_mac: str | None = None
    ended: TermEnd | None = None
    """Why the term ended (None while it runs)."""


@dataclass(frozen=True, slots=True)
class SplitTerm:
    """One split-brain period: ``sources`` all advertised as master at once."""

    sources: tuple[str, ...]
    since: float
    """When the last of them started advertising (the overlap's start)."""
    until: float | None
    """The last advert of the one that stopped (None: still split)."""


@dataclass(frozen=True, slots=True)
class GapStats:
    """Measured gaps between consecutive adverts of the current master, seconds."""

    count: int = 0
    min: float | None = None
    avg: float | None = None
    max: float | None = None
    jitter: float | None = None
    """Mean absolute deviation from the advertised interval."""
    recent: tuple[float, ...] = ()
    """Last gaps, oldest first (ring buffer, for a sparkline)."""


@dataclass(frozen=True, slots=True)
class SourceView:
    """What one router (by source IP) last advertised for an instance."""

    src: str
    src_mac: str | None
    priority: int
    interval_cs: int
    addresses: tuple[str, ...]
    version: int
    first_seen: float
    last_seen: float
    adverts: int
    last_master: float | None
    """When it was last the master (last advert accepted as master's), or None."""


@dataclass(frozen=True, slots=True)
class VipHolder:
    """Who last announced a VIP on the switch (GARP / unsolicited NA)."""

    address: str
    mac: str
    ts: float
    holder_is_master: bool | None
    """True when ``mac`` is the current master's MAC (or the VRRP virtual MAC);
    None when the master's MAC is unknown."""


@dataclass(frozen=True, slots=True)
class InstanceView:
    """One virtual router, keyed by (VRID, address family, VLAN): ``key``."""

    vrid: int
    family: int
    version: int
    state: InstanceState
    master: str | None
    master_mac: str | None
    priority: int | None
    interval_cs: int
    addresses: tuple[str, ...]
    auth_type: int | None
    first_seen: float
    last_seen: float
    age_s: float
    """Seconds since the master's last advert."""
    master_down_s: float
    """Master_Down_Interval for the current master: 3*interval + skew."""
    adverts: int
    checksum_variant: str | None
    checksum_errors: int
    masters: tuple[MasterTerm, ...]
    """Master history, oldest first (bounded ring buffer)."""
    sources: tuple[SourceView, ...]
    gaps: GapStats
    vip_holders: tuple[VipHolder, ...]
    problems: dict[str, int]
    """Problem word -> count (ttl-not-255, bad-checksum, mismatch-interval, ...)."""
    last_advert: Advert | None
    name: str | None = None
    vlan: int | None = None
    """802.1Q VLAN the adverts carry (None: untagged). Part of the identity."""
    split_sources: tuple[str, ...] = ()
    """Sources involved in the current split brain, by address (empty: none)."""
    mismatch: dict[str, dict[str, Any]] = field(default_factory=dict)
    """Field ("addresses", "interval", ...) -> {source: value} while sources disagree."""
    auth_mismatch: bool = False
    """Sources use different PASS passwords (the passwords are never shown)."""
    expectation: Expectation | None = None
    """Declared versus observed, attached by the monitor (None: nothing declared)."""
    alarms: tuple[Alarm, ...] = ()
    """Alarms raised on this instance now (after the lifecycle's hold-down)."""
    splits: tuple[SplitTerm, ...] = ()
    """Split-brain history, oldest first (bounded ring buffer, as ``masters``)."""

    @property
    def key(self) -> InstanceKey:
        """The instance's identity: (VRID, family, VLAN)."""
        return InstanceKey(self.vrid, self.family, self.vlan)


@dataclass(frozen=True, slots=True)
class HostView:
    """A real router seen advertising, joined across addresses by MAC."""

    addresses: tuple[str, ...]
    macs: tuple[str, ...]
    name: str | None
    priorities: dict[str, int]
    """Instance key -> last advertised priority. The key is "vrid/family" (e.g.
    "210/4") for untagged instances and "vrid/family@vlan" (e.g. "210/4@20") on an
    802.1Q VLAN (``model.instance.key_text``)."""
    last_master: dict[str, float]
    """Instance key (as in ``priorities``) -> when it was last master."""
    last_seen: float


@dataclass(frozen=True, slots=True)
class Counters:
    """Segment-wide counters."""

    frames: int = 0
    adverts: int = 0
    malformed: int = 0
    dropped: int = 0
    carp: int = 0
    garps: int = 0
    checksum_errors: int = 0
    evicted: int = 0
    """Table entries evicted because a cap was reached (floods)."""


@dataclass(frozen=True, slots=True)
class Snapshot:
    """The whole picture at time ``ts``."""

    ts: float
    instances: tuple[InstanceView, ...]
    hosts: tuple[HostView, ...]
    counters: Counters
    malformed_reasons: dict[str, int] = field(default_factory=dict)
    health: dict[str, TargetHealth] = field(default_factory=dict)
    """DNS health by target address (``.ok``, ``.status``, ``.latencies``...), filled
    when probing; empty otherwise."""
    alarms: tuple[Alarm, ...] = ()
    """Every alarm raised now, instance and segment-wide (after the lifecycle)."""
    declared_hosts: tuple[DeclaredHost, ...] = ()
    """Every host the priority files name, advertising or not (empty: nothing declared)."""
    warnings: tuple[str, ...] = ()
    """Configuration problems that switch judgement off (unresolved names...), one line each."""
    node: NodeState | None = None
    """What the local keepalived says of itself (None: not read, ``vrrptop.keepalived``)."""
    alarm_history: tuple[AlarmChange, ...] = ()
    """The latest alarm transitions, raised and cleared, oldest first (the lifecycle's
    bounded record, ``expect.lifecycle.HISTORY``): what the timeline marks in the past."""
    saves: tuple[PrioritySave, ...] = ()
    """The latest priority-file saves, oldest first (``expect.judge.SAVES``)."""
