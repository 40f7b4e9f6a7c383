"""What a DNS probe asks, of whom, and what came back.

These are plain values, safe to hand between threads: the probe loop produces
``ProbeResult`` objects and the engine, the UI and the JSON output consume them.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any, Literal

import dns.exception
import dns.name
import dns.rdatatype

from vrrptop.errors import VrrptopError

ProbeRole = Literal["vip", "host"]
"""A VIP (answers wherever the master is) or one real host's own address."""

ProbeStatus = Literal[
    "ok", "no-data", "wrong-answer", "rcode", "timeout", "refused", "network-error"
]
"""Outcome of one probe; only ``"ok"`` counts as healthy.

``refused`` covers both a DNS REFUSED rcode and an ICMP port unreachable (the host
is up but nothing listens on port 53): both mean "this server will not answer"."""

DEFAULT_QUERY = "cam.ac.uk/TXT"
"""The seed deployment's health check: ``dig +short cam.ac.uk in txt``."""


@dataclass(frozen=True, slots=True)
class ProbeQuery:
    """The question every probe asks: a name and a record type (class IN)."""

    name: str
    rdtype: str = "A"

    def __str__(self) -> str:
        return f"{self.name}/{self.rdtype}"


def parse_query(text: str) -> ProbeQuery:
    """Parse ``--query NAME[/TYPE]`` (TYPE defaults to A, like dig).

    Raises ``VrrptopError`` (exit code 2, usage) on a bad name or type.
    """
    name, _, rdtype = text.strip().partition("/")
    rdtype = (rdtype or "A").strip().upper()
    if not name:
        raise VrrptopError(f"--query {text!r}: empty name (expected NAME[/TYPE])", 2)
    try:
        dns.name.from_text(name)
    except dns.exception.DNSException as exc:
        raise VrrptopError(f"--query {text!r}: bad name: {exc}", 2) from exc
    try:
        dns.rdatatype.from_text(rdtype)
    except dns.exception.DNSException as exc:
        raise VrrptopError(f"--query {text!r}: unknown record type {rdtype!r}", 2) from exc
    return ProbeQuery(name=name, rdtype=rdtype)


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
