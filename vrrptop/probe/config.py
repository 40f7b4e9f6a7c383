"""How the probes run: query, expectation, timing and limits."""

from __future__ import annotations

from dataclasses import dataclass, field, fields
from typing import Any, Protocol

from vrrptop.errors import VrrptopError
from vrrptop.options import Options
from vrrptop.probe.types import DEFAULT_QUERY, ProbeQuery, parse_query


class DnsSettings(Protocol):
    """The configuration file's ``[dns]`` table as the probes read it (``config``'s
    ``DnsConfig`` is one; the probe layer does not import ``config``)."""

    @property
    def query(self) -> str: ...
    @property
    def expect(self) -> str | None: ...
    @property
    def interval(self) -> float: ...
    @property
    def timeout(self) -> float: ...


@dataclass(frozen=True, slots=True)
class ProbeConfig:
    """Settings shared by every target; defaults model the seed's ``named_ok``
    (``dig +time=1 +tries=1``, checked every couple of seconds)."""

    query: ProbeQuery = field(default_factory=lambda: parse_query(DEFAULT_QUERY))
    expect: str | None = None
    """The answer must contain this text (TXT: the record's strings joined)."""
    interval: float = 2.0
    """Seconds between two probes of one target (start to start)."""
    timeout: float = 1.0
    """Seconds for the whole probe, TCP retry included; one try."""
    max_concurrency: int = 256
    """Probes in flight at once, per pool: targets whose last probe was ok, failed,
    or that were not probed yet have separate pools, so black holes cannot starve
    servers that answer."""
    history: int = 60
    """Results kept per target (latency sparkline)."""
    edns_payload: int | None = 1232
    """EDNS0 UDP payload size advertised, like dig; None sends plain DNS (512)."""

    def __post_init__(self) -> None:
        if self.interval <= 0:
            raise VrrptopError(f"probe interval must be positive, not {self.interval}", 2)
        if self.timeout <= 0:
            raise VrrptopError(f"probe timeout must be positive, not {self.timeout}", 2)
        if self.max_concurrency < 1 or self.history < 1:
            raise VrrptopError("probe concurrency and history must be at least 1", 2)

    @classmethod
    def from_options(cls, options: Options, *, dns: DnsSettings | None = None) -> ProbeConfig:
        """Build from the run options, falling back on the configuration file's
        ``[dns]`` table. Command-line values win; an interval or timeout left at its
        command-line default yields to the file's. Without either, the seed's
        ``cam.ac.uk/TXT``.
        """
        text = options.query or (dns.query if dns else None) or DEFAULT_QUERY
        expect = options.expect if options.expect is not None else (dns.expect if dns else None)
        interval, timeout = options.probe_interval, options.probe_timeout
        if dns is not None and interval == _OPTION_DEFAULTS["probe_interval"]:
            interval = dns.interval or interval
        if dns is not None and timeout == _OPTION_DEFAULTS["probe_timeout"]:
            timeout = dns.timeout or timeout
        return cls(query=parse_query(text), expect=expect, interval=interval, timeout=timeout)


_OPTION_DEFAULTS: dict[str, Any] = {f.name: f.default for f in fields(Options)}
