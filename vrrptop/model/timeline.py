"""The master timeline of a segment, as data: who held each instance when.

An incident is read as a picture (who held the VIP, where the gaps were, what
happened just before), so every drawing of it (``--report``'s text art, the HTML
report's SVG, the console's timeline screen) is built from this one model, made
from a ``Snapshot`` alone: the master history (``InstanceView.masters``, with how
each term ended), the split-brain history (``InstanceView.splits``) and the alarms.
Alarms that were raised and cleared before the snapshot are in its alarm history
(or the caller's alarm stream: ``AlarmChange``); priority-file saves (``saves``)
are marked on the lanes of the instances the file ranks.

The histories are the tracker's rings (``caps.MAX_HISTORY`` terms per instance);
when one rolled over, ``Lane.truncated`` says the lane starts late rather than
drawing a silence that did not happen. Pure: no drawing, no strings to re-parse.
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass
from pathlib import PurePath
from typing import Literal

from vrrptop.model.caps import MAX_HISTORY
from vrrptop.model.events import Severity
from vrrptop.model.expectation import Alarm, AlarmChange, InstanceKey, PrioritySave
from vrrptop.model.snapshot import InstanceView, Snapshot, TermEnd

MarkerKind = Literal["resign", "master-lost", "split-brain", "alarm", "save"]

#: A host's colour in every drawing (HTML, console), by legend position: colour-blind
#: friendly (Okabe-Ito, then Tableau); the text drawings add a letter per host.
HOST_COLOURS = (
    "#0072b2", "#e69f00", "#009e73", "#cc79a7", "#56b4e9", "#d55e00", "#f0e442",
    "#4e79a7", "#59a14f", "#b07aa1", "#9c755f", "#76b7b2",
)  # fmt: skip
_RANK: dict[Severity, int] = {"info": 0, "warning": 1, "error": 2}


@dataclass(frozen=True, slots=True)
class Band:
    """One router holding an instance's mastership from ``since`` to ``until``."""

    host: str
    """Host name when known (``[hosts]``, the priority files, joined by MAC), else
    the address."""
    src: str
    since: float
    until: float
    """End of the term, or the snapshot's time while it still runs."""
    priority: int
    running: bool
    """Still the master at the snapshot's time."""
    ended: TermEnd | None = None
    overlap: bool = False
    """A second master during a split brain (the tracker's master is the other band)."""
    merged: int = 0
    """Terms this band stands for when a report was thinned (0: just itself)."""


@dataclass(frozen=True, slots=True)
class Gap:
    """A period with no master: after a resign, or the silence after a master was lost."""

    since: float
    until: float
    cause: TermEnd | None
    """How the term before the gap ended ("resigned", "lost")."""
    merged: int = 0
    """Gaps this one stands for when a report was thinned (0: just itself)."""


@dataclass(frozen=True, slots=True)
class Marker:
    """Something to point at on the time axis."""

    ts: float
    kind: MarkerKind
    severity: Severity
    text: str
    """One sentence for a hover or a legend line, free of secrets."""


@dataclass(frozen=True, slots=True)
class Lane:
    """One instance's row: its bands (overlapping during a split brain), gaps, markers."""

    key: InstanceKey
    name: str | None
    first_seen: float
    last_seen: float
    bands: tuple[Band, ...]
    gaps: tuple[Gap, ...]
    markers: tuple[Marker, ...]
    truncated: bool = False
    """The master-history ring rolled over: nothing is known before the first band."""

    @property
    def title(self) -> str:
        """``testdns0 210/IPv4`` (``@VLAN`` when tagged), or ``VRID 210/IPv4``."""
        vlan = "" if self.key.vlan is None else f"@{self.key.vlan}"
        ident = f"{self.key.vrid}{vlan}/IPv{self.key.family}"
        return f"{self.name} {ident}" if self.name else f"VRID {ident}"

    @property
    def overlaps(self) -> tuple[Band, ...]:
        """The split-brain bands."""
        return tuple(b for b in self.bands if b.overlap)

    @property
    def masters(self) -> tuple[Band, ...]:
        """The bands of the tracker's master, oldest first (never overlapping)."""
        return tuple(b for b in self.bands if not b.overlap)


@dataclass(frozen=True, slots=True)
class Timeline:
    """Every lane over ``[start, end]``; ``hosts`` in order of first mastership (the legend)."""

    start: float
    end: float
    lanes: tuple[Lane, ...]
    hosts: tuple[str, ...]
    markers: tuple[Marker, ...] = ()
    """Segment-wide markers (alarms about no instance)."""

    @property
    def has_saves(self) -> bool:
        """A priority-file save is marked (the legends then say what P means)."""
        return any(m.kind == "save" for lane in self.lanes for m in lane.markers)

    def host_colour(self, host: str) -> str:
        """The colour of ``host`` (grey when it is not in the legend)."""
        i = self.host_index(host)
        return HOST_COLOURS[i % len(HOST_COLOURS)] if i >= 0 else "#999999"

    def host_index(self, host: str) -> int:
        """Position of ``host`` in the legend (colour / letter), -1 if absent."""
        try:
            return self.hosts.index(host)
        except ValueError:
            return -1


def host_names(snap: Snapshot) -> dict[str, str]:
    """Address -> host name, from the hosts seen and the hosts declared."""
    names: dict[str, str] = {}
    for declared in snap.declared_hosts:
        for addr in declared.addresses:
            names[addr] = declared.name
    for host in snap.hosts:
        if host.name:
            for addr in host.addresses:
                names[addr] = host.name
    return names


def _bands(inst: InstanceView, names: dict[str, str], end: float) -> list[Band]:
    out = [
        Band(
            names.get(t.src, t.src),
            t.src,
            t.since,
            end if t.until is None else t.until,
            t.priority,
            t.until is None,
            t.ended,
        )
        for t in inst.masters
    ]
    for split in inst.splits:
        until = end if split.until is None else split.until
        for src in split.sources:
            master = _master_at(inst, split.since, until)
            if src == master:
                continue
            prio = next((s.priority for s in inst.sources if s.src == src), 0)
            out.append(
                Band(
                    names.get(src, src),
                    src,
                    split.since,
                    until,
                    prio,
                    split.until is None,
                    None,
                    overlap=True,
                )  # fmt: skip
            )
    return out


def _master_at(inst: InstanceView, since: float, until: float) -> str | None:
    """The tracker's master over most of ``[since, until]``."""
    best, held = None, 0.0
    for t in inst.masters:
        overlap = min(until, t.until if t.until is not None else until) - max(since, t.since)
        if overlap > held:
            best, held = t.src, overlap
    return best


def _gaps(inst: InstanceView, end: float) -> list[Gap]:
    out: list[Gap] = []
    terms = inst.masters
    for i, t in enumerate(terms):
        if t.until is None:
            continue
        nxt = terms[i + 1].since if i + 1 < len(terms) else end
        if nxt > t.until:
            out.append(Gap(t.until, nxt, t.ended))
    return out


def _term_markers(inst: InstanceView, names: dict[str, str]) -> list[Marker]:
    out: list[Marker] = []
    for t in inst.masters:
        host = names.get(t.src, t.src)
        if t.ended == "resigned" and t.until is not None:
            out.append(Marker(t.until, "resign", "warning", f"{host} resigned (priority 0)"))
        elif t.ended == "lost" and t.until is not None:
            out.append(
                Marker(t.until, "master-lost", "warning", f"{host} fell silent (master lost)")
            )
    for split in inst.splits:
        hosts = ", ".join(names.get(s, s) for s in split.sources)
        out.append(Marker(split.since, "split-brain", "error", f"split brain: {hosts}"))
    return out


def _alarm_markers(
    snap: Snapshot, changes: Iterable[AlarmChange]
) -> dict[InstanceKey | None, list[Marker]]:
    """Alarm raised, by instance (None: segment-wide); once per raise."""
    seen: set[tuple[object, float]] = set()
    out: dict[InstanceKey | None, list[Marker]] = {}

    def add(alarm: Alarm, ts: float) -> None:
        mark = (alarm.ident, round(ts, 3))
        if mark in seen:
            return
        seen.add(mark)
        text = f"{alarm.kind.value}: {alarm.message}"
        out.setdefault(alarm.key, []).append(Marker(ts, "alarm", alarm.severity, text))

    for change in changes:
        if change.state == "raised":
            add(change.alarm, change.alarm.since or change.ts)
    for alarm in snap.alarms:
        add(alarm, alarm.since or snap.ts)
    return out


def _save_markers(saves: Iterable[PrioritySave]) -> dict[InstanceKey | None, list[Marker]]:
    """A priority-file save on each lane the file ranks (None: segment-wide)."""
    out: dict[InstanceKey | None, list[Marker]] = {}
    for save in saves:
        text = f"priority file {PurePath(save.path).name} saved"
        for key in save.keys or (None,):
            out.setdefault(key, []).append(Marker(save.ts, "save", "info", text))
    return out


def build_timeline(snap: Snapshot, alarm_changes: Iterable[AlarmChange] = ()) -> Timeline:
    """The timeline of every instance in ``snap`` (that has been seen on the wire)."""
    names = host_names(snap)
    alarms = _alarm_markers(snap, alarm_changes)
    for key, marks in _save_markers(snap.saves).items():
        alarms.setdefault(key, []).extend(marks)
    end = snap.ts
    lanes: list[Lane] = []
    hosts: dict[str, float] = {}
    seen = [i for i in snap.instances if i.adverts]
    for inst in sorted(seen, key=lambda i: (i.vlan or 0, i.vrid, i.family)):
        bands = sorted(_bands(inst, names, end), key=lambda b: (b.since, b.overlap))
        for band in bands:
            hosts.setdefault(band.host, band.since)
        markers = _term_markers(inst, names) + alarms.get(inst.key, [])
        rolled = len(inst.masters) >= MAX_HISTORY
        lanes.append(
            Lane(
                key=inst.key,
                name=inst.name,
                first_seen=inst.first_seen,
                last_seen=inst.last_seen,
                bands=tuple(bands),
                gaps=tuple(_gaps(inst, end)),
                markers=tuple(sorted(markers, key=lambda m: (m.ts, -_RANK[m.severity]))),
                truncated=rolled and inst.masters[0].since > inst.first_seen,
            )
        )
    starts = [lane.first_seen for lane in lanes]
    start = min(starts) if starts else end
    legend = tuple(sorted(hosts, key=lambda h: (hosts[h], h)))
    segment = tuple(sorted(alarms.get(None, []), key=lambda m: m.ts))
    return Timeline(start, max(start, end), tuple(lanes), legend, segment)


def worst(markers: Iterable[Marker]) -> Marker | None:
    """The most severe marker (the earliest among equals), None when there is none."""
    best: Marker | None = None
    for m in markers:
        if best is None or _RANK[m.severity] > _RANK[best.severity]:
            best = m
    return best


@dataclass(frozen=True, slots=True)
class LaneAt:
    """One lane at one moment: its master, a second master (split brain), or a gap."""

    lane: Lane
    master: Band | None
    also: tuple[Band, ...]
    gap: Gap | None
    markers: tuple[Marker, ...]
    """Markers at exactly that moment."""


def moments(tl: Timeline) -> tuple[float, ...]:
    """Every time something changed (a band or gap began, a marker), oldest first:
    the stops of a step-through."""
    times: set[float] = set()
    for lane in tl.lanes:
        times.update(b.since for b in lane.bands)
        times.update(g.since for g in lane.gaps)
        times.update(m.ts for m in lane.markers)
    return tuple(sorted(t for t in times if tl.start <= t <= tl.end))


def _covers(since: float, until: float, running: bool, ts: float) -> bool:
    return since <= ts < until or (running and since <= ts <= until)


def state_at(tl: Timeline, ts: float) -> tuple[LaneAt, ...]:
    """Every lane as it was at ``ts`` (from the histories: who was master, who else
    claimed it, or that nobody did)."""
    out = []
    for lane in tl.lanes:
        master = next((b for b in lane.masters if _covers(b.since, b.until, b.running, ts)), None)
        also = tuple(b for b in lane.overlaps if _covers(b.since, b.until, b.running, ts))
        gap = next((g for g in lane.gaps if g.since <= ts < g.until), None)
        marks = tuple(m for m in lane.markers if abs(m.ts - ts) < 1e-6)
        out.append(LaneAt(lane, master, also, gap, marks))
    return tuple(out)
