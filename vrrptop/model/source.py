"""One router (by source IP) advertising for one instance, and one master term.

A router is identified by its source IP, never by its MAC: with ``use_vmac`` (and on
Cisco/MikroTik) every router of a VRID sends from the same virtual MAC.
"""

from __future__ import annotations

import socket

from vrrptop.model.snapshot import TermEnd
from vrrptop.model.timers import master_down_interval
from vrrptop.wire.records import Advert

NEVER = float("-inf")


class Source:
    """Mutable per-source state; ``t1``..``t3`` are its last three advert times.

    A *run* is a stretch of adverts without a silence longer than the source's own
    Master_Down_Interval (or a priority-0 advert); ``t1``..``t3`` only hold times of
    the current run, so ``t3 >= x`` means "sent at least 3 adverts since x in this run".
    """

    __slots__ = (
        "src",
        "ip",
        "mac",
        "priority",
        "interval_cs",
        "interval_s",
        "addresses",
        "addr_key",
        "version",
        "auth_type",
        "auth_data",
        "variant",
        "checksum",
        "mdi",
        "first_seen",
        "last_seen",
        "adverts",
        "last_master",
        "run_start",
        "t1",
        "t2",
        "t3",
        "contended",
        "cksum_event",
        "template",
    )

    def __init__(self, rec: Advert, now: float) -> None:
        self.src = rec.src
        self.ip = _parse_ip(rec.src)
        self.first_seen = now
        self.last_seen = NEVER
        self.adverts = 0
        self.last_master: float | None = None
        self.run_start = now
        self.t1 = self.t2 = self.t3 = NEVER
        self.contended = False
        """A contention event was already emitted for this run."""
        self.cksum_event = NEVER
        self.priority = -1
        self.addresses: tuple[str, ...] = ()
        self.addr_key: frozenset[str] = frozenset()
        self.interval_cs = 0
        self.version = 0
        self.mac: str | None = None
        self.auth_type: int | None = None
        self.auth_data = b""
        self.variant: str | None = None
        self.checksum = -1
        self.interval_s = 0.0
        self.mdi = 0.0
        self.template: object = None
        """``Advert.template`` of the advert these fields were last taken from (None:
        unknown). Invariant: when not None, every field ``repeats`` compares equals
        that template's, so an advert with the same template needs no comparison."""

    @property
    def expiry(self) -> float:
        """When this source stops counting as live (last advert + its own MDI)."""
        if self.priority <= 0:
            return self.last_seen
        return self.last_seen + self.mdi

    def rank(self) -> tuple[int, int]:
        """Election order (RFC 3768/5798 6.4.3): higher priority, then higher IP."""
        return (self.priority, self.ip)

    def record(self, rec: Advert, now: float) -> None:
        """Take ``rec`` as this source's latest advert, at time ``now``."""
        if self.adverts and (now - self.last_seen > self.mdi or self.priority <= 0):
            # Silent for longer than its own MDI (or resigned): a new run starts.
            self.run_start = now
            self.t1 = self.t2 = self.t3 = NEVER
            self.contended = False
        self.t3, self.t2, self.t1 = self.t2, self.t1, now
        self.last_seen = now
        self.adverts += 1
        self.mac = rec.src_mac
        self.auth_type = rec.auth_type
        self.auth_data = rec.auth_data
        self.checksum = rec.checksum
        if rec.checksum_ok:  # a bad checksum tells nothing about the variant in use
            self.variant = rec.checksum_variant
            self.template = rec.template
        else:
            self.template = None  # ``variant`` is not this advert's
        if rec.addresses != self.addresses:
            self.addresses = rec.addresses
            self.addr_key = frozenset(rec.addresses)
        if (
            rec.priority != self.priority
            or rec.interval_cs != self.interval_cs
            or rec.version != self.version
        ):
            self.priority = rec.priority
            self.interval_cs = rec.interval_cs
            self.version = rec.version
            self.interval_s = rec.interval_cs / 100.0
            self.mdi = master_down_interval(rec.priority, rec.interval_cs, rec.version)


class Term:
    """One master term (mutable while running; ``MasterTerm`` is its view)."""

    __slots__ = ("src", "since", "until", "priority", "mac", "ended")

    def __init__(self, src: str, since: float, priority: int, mac: str | None) -> None:
        self.src = src
        self.since = since
        self.until: float | None = None
        self.priority = priority
        self.mac = mac
        self.ended: TermEnd | None = None


def _parse_ip(text: str) -> int:
    """The address as an integer (compared numerically, never as a string); 0 if bad.

    ``inet_pton``, not ``ipaddress``: this runs once per new source, and 2,040 sources
    appearing in one contention capture spent 20 ms in ``ipaddress`` alone."""
    host = text.split("%", 1)[0]
    family = socket.AF_INET6 if ":" in host else socket.AF_INET
    try:
        return int.from_bytes(socket.inet_pton(family, host), "big")
    except (OSError, ValueError):
        return 0
