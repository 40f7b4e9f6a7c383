"""DNS health as values: what a probe asked of whom, what came back, and the summary
per target that a snapshot carries (``Snapshot.health``).

Plain frozen dataclasses, safe to hand between threads. They live in the model,
beside the snapshot that carries them, so every reader of a snapshot (the report,
the notifier, the console) reads typed values; the prober (``vrrptop.probe``)
produces them.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any, Literal

ProbeRole = Literal["vip", "host"]
"""A VIP (answers wherever the master is) or one real host's own address."""

ProbeStatus = Literal[
    "ok", "no-data", "wrong-answer", "rcode", "timeout", "refused", "network-error"
]
"""Outcome of one probe; only ``"ok"`` counts as healthy.

``refused`` covers both a DNS REFUSED rcode and an ICMP port unreachable (the host
is up but nothing listens on port 53): both mean "this server will not answer"."""


@dataclass(frozen=True, slots=True)
class ProbeTarget:
    """One DNS server address to probe.

    ``address`` is a literal IPv4 or IPv6 address; an IPv6 link-local address needs
    its scope (``fe80::1%eth0`` or ``fe80::1%2``). ``port`` is 53 except in tests
    and benchmarks. Targets are identified by ``(address, port)``: changing the
    role or name of a known target keeps its history.
    """

    address: str
    role: ProbeRole
    name: str | None = None
    port: int = 53

    @property
    def key(self) -> tuple[str, int]:
        """Identity of the target in the prober and the health board."""
        return (self.address, self.port)


@dataclass(frozen=True, slots=True)
class ProbeResult:
    """The outcome of one probe of one target."""

    ts: float
    """Wall-clock time (``time.time()``) the query was sent."""
    target: ProbeTarget
    ok: bool
    status: ProbeStatus
    rcode: str | None
    """DNS rcode text (``NOERROR``, ``NXDOMAIN``...) when a reply arrived."""
    latency_ms: float | None
    """Query sent to reply parsed (including any TCP retry); None without a reply."""
    answer: str | None
    """Answer records of the asked type, one per line, TXT strings joined; control
    characters already escaped (see ``safe_name``), so it is display-safe."""
    detail: str
    """One human line: why it failed, or what it answered."""
    tcp: bool = False
    """True when the UDP reply was truncated and the answer came over TCP."""

    @property
    def role(self) -> ProbeRole:
        """Shortcut for ``target.role``."""
        return self.target.role

    def to_json(self) -> dict[str, Any]:
        """The ``{"type": "probe", ...}`` line of ``--json``."""
        out: dict[str, Any] = {
            "type": "probe",
            "ts": round(self.ts, 6),
            "target": self.target.address,
            "role": self.target.role,
            "ok": self.ok,
            "status": self.status,
            "rcode": self.rcode,
            "latency_ms": None if self.latency_ms is None else round(self.latency_ms, 3),
        }
        if self.target.name is not None:
            out["name"] = self.target.name
        if self.target.port != 53:
            out["port"] = self.target.port
        if self.tcp:
            out["tcp"] = True
        if not self.ok:
            out["detail"] = self.detail
        if self.status == "wrong-answer":
            out["answer"] = self.answer
        return out


@dataclass(frozen=True, slots=True)
class TargetHealth:
    """What we know about one target's DNS health."""

    target: ProbeTarget
    last: ProbeResult | None
    """Most recent result; None until the first probe completes."""
    consecutive_failures: int
    ok_since: float | None
    """Wall time of the first ok in the current run of oks; None if not ok now."""
    failing_since: float | None
    """Wall time of the first failure in the current run; None if ok or unknown."""
    probes: int
    failures: int
    history: tuple[ProbeResult, ...]
    """Last results, oldest first."""

    @property
    def status(self) -> ProbeStatus | None:
        """Last status, None until probed."""
        return None if self.last is None else self.last.status

    @property
    def ok(self) -> bool | None:
        """Last probe ok? None until probed."""
        return None if self.last is None else self.last.ok

    @property
    def latencies(self) -> tuple[float | None, ...]:
        """Latency history in ms, oldest first; None where the probe failed."""
        return tuple(r.latency_ms if r.ok else None for r in self.history)
