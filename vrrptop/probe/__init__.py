"""DNS health probes of VIPs and hosts, plus the name lookups the display needs.

Public API (nothing here imports textual):

- ``ProbeTarget``, ``ProbeResult``, ``ProbeQuery``, ``parse_query``: values.
- ``ProbeConfig``: query/expect/interval/timeout (``ProbeConfig.from_options``).
- ``probe_once``: one probe, as a coroutine.
- ``Prober``: the asyncio scheduler; ``ProbeRunner``: the same on its own thread.
- ``HealthBoard`` / ``TargetHealth``: per-target status and latency history.
- ``ReverseNames`` (PTR, ``-n`` disables), ``HostResolver`` (name -> addresses).
- ``targets_from_snapshot``: VIPs and hosts seen on the wire (+ configured ones).
- ``safe_name``: escape control characters of untrusted text before display.
"""

from vrrptop.probe.board import HealthBoard, TargetHealth
from vrrptop.probe.config import ProbeConfig
from vrrptop.probe.hosts import HostResolver
from vrrptop.probe.names import ReverseNames
from vrrptop.probe.prober import Prober, ProbeStats
from vrrptop.probe.query import probe_once
from vrrptop.probe.sanitize import safe_name
from vrrptop.probe.targets import targets_from_snapshot
from vrrptop.probe.thread import ProbeRunner
from vrrptop.probe.types import (
    DEFAULT_QUERY,
    ProbeQuery,
    ProbeResult,
    ProbeRole,
    ProbeStatus,
    ProbeTarget,
    parse_query,
)

__all__ = [
    "DEFAULT_QUERY",
    "HealthBoard",
    "HostResolver",
    "ProbeConfig",
    "ProbeQuery",
    "ProbeResult",
    "ProbeRole",
    "ProbeRunner",
    "ProbeStats",
    "ProbeStatus",
    "ProbeTarget",
    "Prober",
    "ReverseNames",
    "TargetHealth",
    "parse_query",
    "probe_once",
    "safe_name",
    "targets_from_snapshot",
]
