"""How the probes run: query, expectation, timing and limits."""

from __future__ import annotations

from dataclasses import dataclass, field, fields
from typing import Any

from vrrptop.errors import VrrptopError
from vrrptop.options import Options
from vrrptop.probe.types import DEFAULT_QUERY, ProbeQuery, parse_query


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
    def from_options(cls, options: Options, *, dns: Any = None) -> ProbeConfig:
        """Build from the run options, falling back on the configuration file.

        ``dns`` is the config file's ``[dns]`` table (``vrrptop.config`` ``DnsConfig``:
        ``query``, ``expect``, ``interval``, ``timeout``; read by duck typing).
        Command-line values win; an interval or timeout left at its command-line
        default yields to the file's. Without either, the seed's ``cam.ac.uk/TXT``.
        """
        text = options.query or getattr(dns, "query", None) or DEFAULT_QUERY
        expect = options.expect if options.expect is not None else getattr(dns, "expect", None)
        interval, timeout = options.probe_interval, options.probe_timeout
        if interval == _OPTION_DEFAULTS["probe_interval"]:
            interval = getattr(dns, "interval", None) or interval
        if timeout == _OPTION_DEFAULTS["probe_timeout"]:
            timeout = getattr(dns, "timeout", None) or timeout
        return cls(query=parse_query(text), expect=expect, interval=interval, timeout=timeout)


_OPTION_DEFAULTS: dict[str, Any] = {f.name: f.default for f in fields(Options)}
