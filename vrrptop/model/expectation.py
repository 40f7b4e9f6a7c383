"""Typed values of the declared-versus-observed judgement: alarms and expectations.

Only data lives here, so that the snapshot (``model.snapshot``) can carry them
without the model importing the code that computes them (``vrrptop.expect``).
Outputs serialise these at their edge (``to_json``); nothing re-parses them by
string keys.
"""

from __future__ import annotations

from dataclasses import dataclass
from enum import StrEnum
from typing import Any, Literal

from vrrptop.model.events import Severity


class AlarmKind(StrEnum):
    """Every alarm vrrptop raises. The value is the stable wire name (JSON, Prometheus)."""

    SPLIT_BRAIN = "split-brain"
    CONFIG_MISMATCH = "config-mismatch"
    MASTER_MISMATCH = "master-mismatch"
    PRIORITY_MISMATCH = "priority-mismatch"
    MASTER_DNS_FAILING = "master-dns-failing"
    VIP_DNS_FAILING = "vip-dns-failing"
    HOST_DNS_FAILING = "host-dns-failing"
    VIP_HOLDER_NOT_MASTER = "vip-holder-not-master"
    INSTANCE_SILENT = "instance-silent"
    UNKNOWN_VRID = "unknown-vrid"
    NAMES_UNRESOLVED = "names-unresolved"
    SAVE_NOT_DISTRIBUTED = "save-not-distributed"
    # What the local keepalived says of itself (vrrptop.keepalived.alarms):
    KEEPALIVED_FAULT = "keepalived-fault"
    KEEPALIVED_WIRE_MISMATCH = "keepalived-wire-mismatch"
    KEEPALIVED_PRIORITY_MISMATCH = "keepalived-priority-mismatch"
    KEEPALIVED_SCRIPT_FAILING = "keepalived-script-failing"
    KEEPALIVED_ERRORS = "keepalived-errors"


#: Severity of each kind. Error: service is (or may be) down or wrong now.
#: Warning: the cluster works but not as declared. Info: a hint.
SEVERITY: dict[AlarmKind, Severity] = {
    AlarmKind.SPLIT_BRAIN: "error",
    AlarmKind.CONFIG_MISMATCH: "error",
    AlarmKind.MASTER_MISMATCH: "error",
    AlarmKind.PRIORITY_MISMATCH: "warning",
    AlarmKind.MASTER_DNS_FAILING: "error",
    AlarmKind.VIP_DNS_FAILING: "error",
    AlarmKind.HOST_DNS_FAILING: "warning",
    AlarmKind.VIP_HOLDER_NOT_MASTER: "error",
    AlarmKind.INSTANCE_SILENT: "error",
    AlarmKind.UNKNOWN_VRID: "warning",
    AlarmKind.NAMES_UNRESOLVED: "warning",
    AlarmKind.SAVE_NOT_DISTRIBUTED: "info",
    AlarmKind.KEEPALIVED_FAULT: "error",
    AlarmKind.KEEPALIVED_WIRE_MISMATCH: "error",
    AlarmKind.KEEPALIVED_PRIORITY_MISMATCH: "warning",
    AlarmKind.KEEPALIVED_SCRIPT_FAILING: "warning",
    AlarmKind.KEEPALIVED_ERRORS: "warning",
}

AlarmState = Literal["raised", "cleared"]


@dataclass(frozen=True, slots=True, order=True)
class InstanceKey:
    """Identity of a virtual router on the segment: (VLAN, VRID, address family).

    The same VRID on two VLANs of a trunk is two routers, not a split brain.
    """

    vrid: int
    family: int
    vlan: int | None = None

    @property
    def label(self) -> str:
        """Human name, e.g. "VRID 210 (IPv4)" or "VRID 210 (IPv4, VLAN 20)"."""
        fam = "IPv4" if self.family == 4 else "IPv6"
        return f"VRID {self.vrid} ({fam}{'' if self.vlan is None else f', VLAN {self.vlan}'})"


@dataclass(frozen=True, slots=True)
class Alarm:
    """Something the operator should look at.

    ``subject`` says what the alarm is about: the instance (its label), a host name
    or a VIP address; ``(kind, key, subject)`` identifies an alarm across
    snapshots, so it is raised once and cleared once (``expect.lifecycle``).
    ``since`` is when the condition was first seen (0 until the lifecycle stamps it).
    ``evidence`` holds the facts behind the message, as (name, value) pairs.
    """

    kind: AlarmKind
    message: str
    subject: str
    key: InstanceKey | None = None
    """The instance it belongs to (None: segment-wide, e.g. names-unresolved)."""
    name: str | None = None
    """The instance's configured name, when known."""
    severity: Severity = "warning"
    since: float = 0.0
    evidence: tuple[tuple[str, str], ...] = ()

    @property
    def ident(self) -> tuple[AlarmKind, InstanceKey | None, str]:
        """What makes two alarms "the same alarm" across snapshots."""
        return (self.kind, self.key, self.subject)

    def to_json(self, state: AlarmState | None = None, ts: float | None = None) -> dict[str, Any]:
        """JSON form: ``{"type":"alarm","state":...}`` when ``state`` is given (a
        streamed transition), else the entry of a snapshot's ``alarms`` list."""
        out: dict[str, Any] = {}
        if state is not None:
            out["type"] = "alarm"
            out["state"] = state
            if ts is not None:
                out["ts"] = ts
        out["kind"] = self.kind.value
        out["severity"] = self.severity
        out["vrid"] = self.key.vrid if self.key else None
        out["family"] = self.key.family if self.key else None
        out["vlan"] = self.key.vlan if self.key else None
        out["name"] = self.name
        out["subject"] = self.subject
        out["message"] = self.message
        out["since"] = self.since
        if self.evidence:
            out["evidence"] = dict(self.evidence)
        return out


@dataclass(frozen=True, slots=True)
class PrioritySave:
    """A priority file saved at ``ts`` (by vrrptop's editor, or by someone else on
    disk: both move the election), for the timelines' markers."""

    ts: float
    path: str
    keys: tuple[InstanceKey, ...]
    """The instances whose hosts the file ranks (none: a file no instance reads)."""


@dataclass(frozen=True, slots=True)
class AlarmChange:
    """One lifecycle transition: an alarm raised or cleared at ``ts``."""

    state: AlarmState
    alarm: Alarm
    ts: float

    def to_json(self) -> dict[str, Any]:
        """The streamed JSON Lines form (``{"type": "alarm", "state": ...}``)."""
        return self.alarm.to_json(self.state, self.ts)


@dataclass(frozen=True, slots=True)
class HostExpectation:
    """One host's expected and advertised priority in one instance, and why."""

    name: str
    addresses: tuple[str, ...]
    line: int | None
    in_service: bool
    healthy: bool | None
    rank: int | None
    expected_priority: int
    advertised_priority: int | None
    """Last priority this host advertised for the instance (None: not seen)."""
    reason: str


@dataclass(frozen=True, slots=True)
class DeclaredHost:
    """A host the priority files (or the configuration) name, whether or not it has
    advertised: the backups the operator most needs to see are silent on the wire."""

    name: str
    addresses: tuple[str, ...]
    """Addresses it is known by (resolved, ``[hosts]``, keepalived.conf, joined by MAC)."""
    in_service: bool
    """False when every priority file that lists it has it commented out."""
    healthy: bool | None
    """Its own DNS answers (None: not probed / unknown)."""
    expected: tuple[tuple[InstanceKey, int], ...] = ()
    """Expected effective priority per instance."""


@dataclass(frozen=True, slots=True)
class Expectation:
    """What should be (priority files, DNS health) beside what is, for one instance."""

    key: InstanceKey
    name: str | None
    configured: bool
    hosts: tuple[HostExpectation, ...] = ()
    predicted_master: str | None = None
    """Host name expected to be master (None: no prediction or unresolved tie)."""
    tie: tuple[str, ...] = ()
    observed_master: str | None = None
    """Address of the current master on the wire (None: silent / not seen)."""
    observed_master_name: str | None = None
    settled: bool = True
    settle_remaining_s: float = 0.0
    alarms: tuple[Alarm, ...] = ()
    """Conditions found in this snapshot (before the lifecycle's hold-down)."""
    reasons: tuple[str, ...] = ()
    serves_dns: bool = False
    """True when the instance's VIPs are expected to answer DNS (a rank script or
    configured), so DNS failures on its VIPs are alarms."""

    @property
    def agrees(self) -> bool | None:
        """True/False when both masters are known by name, else None."""
        if self.predicted_master is None or self.observed_master_name is None:
            return None
        return self.observed_master_name == self.predicted_master

    def priority_of(self, host: str) -> int | None:
        """Expected priority of ``host`` (None: not part of the prediction)."""
        return next((h.expected_priority for h in self.hosts if h.name == host), None)

    def to_json(self) -> dict[str, Any]:
        """Fields a snapshot's instance gains in ``--json``."""
        return {
            "expected_master": self.predicted_master,
            "observed_master_name": self.observed_master_name,
            "settled": self.settled,
            "settle_remaining_s": round(self.settle_remaining_s, 1),
            "expected_priorities": {h.name: h.expected_priority for h in self.hosts},
            "advertised_priorities": {
                h.name: h.advertised_priority
                for h in self.hosts
                if h.advertised_priority is not None
            },
            "tie": list(self.tie),
            "reasons": list(self.reasons),
        }
