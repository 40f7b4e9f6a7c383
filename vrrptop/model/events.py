"""Events the tracker emits when the picture of the segment changes."""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any, Literal

EventKind = Literal[
    "new-master",
    "master-lost",
    "resign",
    "split-brain",
    "mismatch",
    "priority-change",
    "vip-announced",
    "checksum-error",
    "malformed",
    "auth-mismatch",
    "carp",
    "contention",
    "capture-lost",
    "capture-resumed",
]

Severity = Literal["info", "warning", "error"]


@dataclass(frozen=True, slots=True)
class Event:
    """Something that happened on the segment at ``ts``.

    ``vrid``/``family`` (and ``vlan``, None when untagged) name the instance; they
    are None for segment-wide events (malformed, vip-announced of
    an address no instance carries). ``detail`` holds kind-specific JSON-safe fields,
    e.g. for new-master: ``{"src", "previous", "priority", "gap_s"}``; for split-brain:
    ``{"sources": [...]}``; for mismatch: ``{"field", "values": {src: value}}``;
    for vip-announced: ``{"address", "mac", "master_mac", "holder_is_master"}``;
    for contention (a backup claimed mastership once but lost the election, e.g. two
    backups whose timers expired together): ``{"src", "priority", "master"}``.
    """

    ts: float
    kind: EventKind
    severity: Severity
    message: str
    """One human sentence, already free of secrets."""
    vrid: int | None = None
    family: int | None = None
    detail: dict[str, Any] = field(default_factory=dict)
    vlan: int | None = None
    """802.1Q VLAN of the instance (None: untagged or segment-wide); last, so that
    positional construction keeps its meaning."""

    def to_json(self) -> dict[str, Any]:
        """The JSON Lines form: ``{"type": "event", "ts", "kind", "vrid", ...}``."""
        out: dict[str, Any] = {
            "type": "event",
            "ts": self.ts,
            "kind": self.kind,
            "severity": self.severity,
            "vrid": self.vrid,
            "family": self.family,
            "vlan": self.vlan,
            "message": self.message,
        }
        out.update(self.detail)
        return out
