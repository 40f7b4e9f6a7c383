"""What a DNS probe asks (``ProbeQuery``, ``--query``), of whom, and what came back.

The values the prober produces (``ProbeTarget``, ``ProbeResult``) are plain frozen
dataclasses that a snapshot carries, so they live in ``vrrptop.model.health``; they
are re-exported here for the prober's own modules.
"""

from __future__ import annotations

from dataclasses import dataclass

import dns.exception
import dns.name
import dns.rdatatype

from vrrptop.errors import VrrptopError
from vrrptop.model.health import ProbeResult, ProbeRole, ProbeStatus, ProbeTarget

__all__ = [
    "DEFAULT_QUERY",
    "ProbeQuery",
    "ProbeResult",
    "ProbeRole",
    "ProbeStatus",
    "ProbeTarget",
    "parse_query",
]

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
