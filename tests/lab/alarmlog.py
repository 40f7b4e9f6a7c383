"""What vrrptop said about alarms in one ``--json`` run, read from its JSON Lines.

Two output shapes are accepted, so the matrix runs against main as the alarm model
lands (issue 10):

- the contract: streamed ``{"type":"alarm","state":"raised"|"cleared",...}`` lines,
  ``{"type":"warning",...}`` lines, and a final snapshot with a top-level ``alarms``
  list (and per-instance ``alarms`` lists);
- the older snapshot-only shape: each instance of the final ``{"type":"snapshot"}``
  line has ``"alarms": [{"kind":..., "severity":..., "message":..., "host"?...}]``
  and nothing is streamed (transient alarms cannot be seen at all).
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping
from dataclasses import dataclass, field
from typing import Any

Record = Mapping[str, Any]


@dataclass(frozen=True, slots=True)
class Seen:
    """One alarm as vrrptop reported it."""

    kind: str
    vrid: int | None
    family: int | None
    subject: str = ""
    severity: str = ""
    message: str = ""
    vlan: int | None = None

    @property
    def label(self) -> str:
        """Short name for the table: ``split-brain 210/4``, ``host-dns-failing recdns-sby``."""
        if self.vrid is not None:
            return f"{self.kind} {self.vrid}/{self.family}"
        return f"{self.kind} {self.subject}".rstrip()

    @property
    def ident(self) -> tuple[str, int | None, int | None, str]:
        """What makes a streamed raise and its clear the same alarm."""
        return (self.kind, self.vrid, self.family, self.subject)


@dataclass(frozen=True, slots=True)
class Episode:
    """A streamed alarm from its raise to its clear (``cleared`` None: still raised)."""

    alarm: Seen
    raised: float
    cleared: float | None = None

    @property
    def duration(self) -> float | None:
        """Seconds it stood, when it cleared."""
        return None if self.cleared is None else self.cleared - self.raised


@dataclass(slots=True)
class Observation:
    """Everything one run said about alarms."""

    standing: list[Seen] = field(default_factory=list)
    """Alarms in the final snapshot (what stands at the end of the scenario)."""
    episodes: list[Episode] = field(default_factory=list)
    """Streamed raise/clear pairs (empty with the snapshot-only shape)."""
    warnings: list[str] = field(default_factory=list)
    contract: bool = False
    """True when vrrptop spoke the streamed contract (alarm lines or a top-level list)."""
    snapshot: bool = False
    """Whether a final snapshot came at all (False: vrrptop crashed or hung)."""
    problems: list[str] = field(default_factory=list)
    """Contract violations noticed while reading (e.g. stream and snapshot disagree)."""


def _int(value: Any) -> int | None:
    return value if isinstance(value, int) and not isinstance(value, bool) else None


def _seen(obj: Record, inst: Record | None = None) -> Seen:
    """An alarm object of either shape (instance fields fill in the older one)."""
    vrid = _int(obj.get("vrid"))
    family = _int(obj.get("family"))
    if inst is not None and vrid is None and "vrid" not in obj:
        vrid, family = _int(inst.get("vrid")), _int(inst.get("family"))
    subject = obj.get("subject") or obj.get("host") or obj.get("address") or ""
    return Seen(
        kind=str(obj.get("kind", "?")),
        vrid=vrid,
        family=family,
        subject=str(subject),
        severity=str(obj.get("severity", "")),
        message=str(obj.get("message", "")),
        vlan=_int(obj.get("vlan")),
    )


def _dedupe(alarms: Iterable[Seen]) -> list[Seen]:
    return list({a.ident: a for a in alarms}.values())


def observe(records: Iterable[Record]) -> Observation:
    """Read one run's records (in order) into an :class:`Observation`."""
    obs = Observation()
    open_: dict[tuple[str, int | None, int | None, str], Episode] = {}
    snap: Record | None = None
    for rec in records:
        kind = rec.get("type")
        if kind == "alarm":
            obs.contract = True
            alarm, ts = _seen(rec), float(rec.get("ts") or rec.get("_rx") or 0.0)
            if rec.get("state") == "raised":
                if alarm.ident in open_:
                    obs.problems.append(f"{alarm.label} raised twice without a clear")
                else:
                    open_[alarm.ident] = Episode(alarm, ts)
            elif rec.get("state") == "cleared":
                ep = open_.pop(alarm.ident, None)
                if ep is None:
                    obs.problems.append(f"{alarm.label} cleared but never raised")
                else:
                    obs.episodes.append(Episode(ep.alarm, ep.raised, ts))
        elif kind == "warning":
            obs.warnings.append(str(rec.get("message", "")))
        elif kind == "snapshot":
            snap = rec
    obs.episodes += list(open_.values())
    if snap is None:
        return obs
    obs.snapshot = True
    top = snap.get("alarms")
    per_instance = [
        _seen(a, inst)
        for inst in snap.get("instances") or ()
        for a in inst.get("alarms") or ()
        if isinstance(a, Mapping)
    ]
    if isinstance(top, list):
        obs.contract = True
        obs.standing = _dedupe(_seen(a) for a in top if isinstance(a, Mapping))
        missing = {a.label for a in per_instance} - {a.label for a in obs.standing}
        if missing:
            obs.problems.append(f"per-instance alarms not in the top-level list: {sorted(missing)}")
    else:
        obs.standing = _dedupe(per_instance)
    if obs.contract:
        streamed = {ep.alarm.label for ep in open_.values()}
        final = {a.label for a in obs.standing}
        if streamed != final:
            obs.problems.append(
                f"stream says standing {sorted(streamed)}, final snapshot {sorted(final)}"
            )
    return obs
