"""Prometheus exporter: ``--prometheus [ADDR:]PORT``.

The exposition format is produced by the official ``prometheus_client`` library from
a dedicated ``CollectorRegistry``. A custom collector reads the latest ``Snapshot``
through a callable at scrape time, so the engine is never locked or pushed to.

Listening: ``"9712"`` and ``":9712"`` bind every address (``::``, dual-stack where the
system allows, else ``0.0.0.0``) as exporters usually do; ``"127.0.0.1:9712"`` or
``"[::1]:9712"`` restrict it. The metrics reveal the segment's topology: firewall the
port or bind to loopback/a management address.

Labels: ``vrid``; ``family`` ("4" or "6"); ``vlan`` (802.1Q VLAN id, "" when the
adverts are untagged: the same VRID on two VLANs is two instances); ``name``
(instance name, "" if unknown).

Metrics, per VRRP instance (labels vrid, family, vlan, name):

- ``vrrptop_instance_master_info{master, master_mac}``: 1 for the current master
  (absent while no master is known).
- ``vrrptop_instance_priority``: priority advertised by the current master.
- ``vrrptop_instance_advert_interval_seconds``: advertised interval.
- ``vrrptop_instance_master_down_interval_seconds``: 3 x interval + skew.
- ``vrrptop_instance_last_advert_age_seconds``: seconds since the master's last advert.
- ``vrrptop_instance_last_advert_timestamp_seconds``: when it was (capture clock).
- ``vrrptop_instance_adverts_total``: adverts seen for the instance.
- ``vrrptop_instance_master_changes_total``: changes of master address seen by this
  exporter (the first master is not a change, nor a master resuming after silence).
- ``vrrptop_instance_split_brain``: 1 while two routers claim mastership.
- ``vrrptop_instance_mismatch``: 1 while routers disagree (interval, addresses,
  version, password), even when the state shows a worse problem.
- ``vrrptop_instance_state{state}``: 1 for the current state, 0 for the others
  (ok, silent, split-brain, mismatch, checksum-errors, resigned).
- ``vrrptop_instance_checksum_errors_total``: adverts with a bad checksum.
- ``vrrptop_instance_problems_total{problem}``: protocol problems by word.
- ``vrrptop_router_priority{router}``: last priority each router advertised.
- ``vrrptop_router_last_advert_age_seconds{router}``: seconds since its last advert.
- ``vrrptop_vip_held_by_master{address}``: 1 when the last GARP/NA for a VIP came from
  the master, 0 when from another MAC (absent when the master's MAC is unknown).

Segment-wide:

- ``vrrptop_capture_frames_total``, ``..._adverts_total``, ``..._malformed_total``,
  ``..._dropped_total``, ``..._carp_total``, ``..._garps_total``,
  ``..._checksum_errors_total``, ``..._evicted_total``: the ``Counters`` fields.
- ``vrrptop_capture_malformed_reasons_total{reason}``: malformed frames by reason.
- ``vrrptop_capture_state{source, state}``: 1 for the capture's state (running, lost, ...)
  when the exporter is given ``get_status``.
- ``vrrptop_snapshot_timestamp_seconds``: time of the snapshot served.
- ``vrrptop_instances``: number of instances tracked.
- ``vrrptop_exporter_errors_total``: failed reads of the snapshot, status or probes.

Declared versus observed (from the alarm lifecycle and the expectation the monitor
attaches; absent when nothing is declared):

- ``vrrptop_alarm{kind, severity, vrid, family, vlan, name, subject}``: 1 while the
  alarm is raised; the series disappears when it clears. ``kind`` is the alarm's wire
  name (``split-brain``, ``master-mismatch``, ...), ``severity`` error, warning or
  info, ``subject`` the instance, host or VIP it is about; segment-wide alarms
  (``names-unresolved``, ...) have empty ``vrid``, ``family`` and ``vlan``.
- ``vrrptop_alarm_since_timestamp_seconds{...same labels}``: when its condition was
  first seen.
- ``vrrptop_alarms{severity}``: how many alarms are raised now (0 for each severity
  when none: a stat panel or an ``== 0`` rule never sees an empty vector).
- ``vrrptop_instance_expected_master_info{vrid, family, vlan, name, expected}``: 1 for
  the host name the priority files predict as master (absent without a prediction,
  e.g. an unresolved tie).
- ``vrrptop_instance_settled{vrid, family, vlan, name}``: 0 while a change vrrptop
  knows of (a priority-file edit, a master change) is still settling.
- ``vrrptop_host_expected_priority{host, vrid, family, vlan}``: the priority each
  declared host should advertise, from the priority files.
- ``vrrptop_host_advertised_priority{host, vrid, family, vlan}``: what it last
  advertised (absent until it has).
- ``vrrptop_host_in_service{host}``: 1 for every host a priority file lists, 0 when
  every file that lists it has it commented out (taken out of service on purpose).
- ``vrrptop_host_dns_healthy{host}``: 1 when the host's own DNS answers, 0 when not
  (absent when not probed).

DNS probes. ``target`` is the probed address (``ADDR:PORT`` off port 53); ``role`` is
"vip" or "host"; ``host`` the configured name, or for a host target without one the
declared host (or named router) owning that address, so that
``vrrptop_dns_ok{role="host"} unless on(instance, host) vrrptop_host_in_service == 0``
leaves out servers taken out of service ("" if unknown). From ``get_probes``
(``HealthBoard.snapshot``: each target's ``TargetHealth``):

- ``vrrptop_dns_ok{target, role, host}``: 1 when the last probe succeeded, else 0
  (absent until the target was probed).
- ``vrrptop_dns_last_latency_seconds{target, role, host}``: latency of that probe
  (absent without a reply).
- ``vrrptop_dns_consecutive_failures{target, role, host}``: failed probes in a row.

From ``observe_probe(result)`` (wire it to the prober's ``on_result``):

- ``vrrptop_dns_latency_seconds{target}`` (histogram): latency of every reply.
- ``vrrptop_dns_probes_total{target, status}``: probes by outcome (ok, timeout,
  refused, rcode, wrong-answer, network-error).
"""

from __future__ import annotations

import errno
import ipaddress
import re
import threading
from collections.abc import Callable
from wsgiref.simple_server import WSGIServer

from prometheus_client import CollectorRegistry, Counter, Histogram, generate_latest
from prometheus_client.exposition import start_http_server

from vrrptop.capture.base import SourceStatus
from vrrptop.errors import VrrptopError
from vrrptop.model.health import ProbeResult
from vrrptop.model.snapshot import Snapshot
from vrrptop.output.prom_collector import Probes, SnapshotCollector, latest_probes, target_label

__all__ = [
    "DEFAULT_PORT",
    "Exporter",
    "PrometheusMetrics",
    "SnapshotCollector",
    "latest_probes",
    "parse_listen_address",
    "start_exporter",
]

#: The port the documentation and the example unit use (not an IANA assignment).
DEFAULT_PORT = 9712

#: DNS answers take milliseconds; a probe times out after about a second.
LATENCY_BUCKETS = (0.001, 0.0025, 0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1.0, 2.5, 5.0)

_HOSTNAME = re.compile(r"^(?=.{1,253}$)[A-Za-z0-9]([A-Za-z0-9-]{0,62})(\.[A-Za-z0-9-]{1,63})*$")


def parse_listen_address(spec: str) -> tuple[str | None, int]:
    """Parse ``[ADDR:]PORT`` into (address or None for "all addresses", port).

    Accepts ``9712``, ``:9712``, ``127.0.0.1:9712``, ``[::1]:9712``, ``host:9712``.
    Raises ValueError with a message fit for the operator.
    """
    text = spec.strip()
    if not text:
        raise ValueError("--prometheus: empty address, expected [ADDR:]PORT such as 9712")
    host: str | None
    if text.startswith("["):
        end = text.find("]")
        if end < 0 or not text[end + 1 :].startswith(":"):
            raise ValueError(f"--prometheus {spec!r}: expected [IPV6]:PORT such as [::1]:9712")
        host, port_text = text[1:end], text[end + 2 :]
        try:
            ipaddress.IPv6Address(host)
        except ValueError:
            raise ValueError(f"--prometheus {spec!r}: {host!r} is not an IPv6 address") from None
    elif text.count(":") > 1:
        raise ValueError(f"--prometheus {spec!r}: put an IPv6 address in brackets: [::1]:9712")
    else:
        host, _, port_text = text.rpartition(":")
        host = host or None
        if host is not None:
            _check_host(spec, host)
    if not port_text.isdigit():
        raise ValueError(f"--prometheus {spec!r}: port {port_text!r} is not a number")
    port = int(port_text)
    if not 0 <= port <= 65535:
        raise ValueError(f"--prometheus {spec!r}: port {port} is out of range 0-65535")
    return host, port


def _check_host(spec: str, host: str) -> None:
    """Reject what is neither an IPv4 address nor a plausible host name."""
    if re.fullmatch(r"[0-9.]+", host):
        try:
            ipaddress.IPv4Address(host)
        except ValueError:
            raise ValueError(f"--prometheus {spec!r}: {host!r} is not an IPv4 address") from None
    elif not _HOSTNAME.match(host):
        raise ValueError(f"--prometheus {spec!r}: {host!r} is not an address or host name")


class PrometheusMetrics:
    """The registry, the snapshot collector and the probe histogram, without HTTP."""

    def __init__(
        self,
        get_snapshot: Callable[[], Snapshot],
        *,
        get_probes: Callable[[], Probes] | None = None,
        get_status: Callable[[], SourceStatus] | None = None,
    ) -> None:
        self.registry = CollectorRegistry()
        self.collector = SnapshotCollector(get_snapshot, get_probes, get_status)
        self.registry.register(self.collector)  # type: ignore[arg-type]
        self._latency = Histogram(
            "vrrptop_dns_latency_seconds",
            "DNS probe latency.",
            ["target"],
            buckets=LATENCY_BUCKETS,
            registry=self.registry,
        )
        self._probes = Counter(
            "vrrptop_dns_probes",
            "DNS probes by outcome.",
            ["target", "status"],
            registry=self.registry,
        )

    def observe_probe(self, result: ProbeResult) -> None:
        """Record one probe result; thread-safe, cheap (call it from ``on_result``)."""
        target = target_label(result.target)
        self._probes.labels(target, result.status).inc()
        latency_ms = result.latency_ms
        if latency_ms is not None:  # a timeout has no latency to observe
            self._latency.labels(target).observe(latency_ms / 1000)

    def render(self) -> bytes:
        """The exposition text, as a scrape would get it."""
        return generate_latest(self.registry)


class Exporter:
    """A running HTTP endpoint serving the metrics (on ``/metrics``, or any path)."""

    def __init__(self, metrics: PrometheusMetrics, server: WSGIServer, thread: threading.Thread):
        self.metrics = metrics
        self._server = server
        self._thread = thread
        addr = server.server_address
        self.host: str = str(addr[0])
        """The address actually bound ("::" when listening on all addresses)."""
        self.port: int = int(addr[1])
        """The port actually bound (useful with port 0)."""

    @property
    def where(self) -> str:
        """For the operator: "port 9712 on all addresses" or "127.0.0.1 port 9712"."""
        if self.host in ("::", "0.0.0.0"):
            return f"port {self.port} on all addresses"
        return f"{self.host} port {self.port}"

    @property
    def url(self) -> str:
        """``http://HOST:PORT/metrics`` as the operator would type it."""
        host = f"[{self.host}]" if ":" in self.host else self.host
        return f"http://{host}:{self.port}/metrics"

    def observe_probe(self, result: ProbeResult) -> None:
        """Record one probe result; see ``PrometheusMetrics.observe_probe``."""
        self.metrics.observe_probe(result)

    def stop(self) -> None:
        """Stop serving and close the socket; safe to call twice."""
        if self._thread.is_alive():
            self._server.shutdown()
            self._thread.join(timeout=5)
        self._server.server_close()


def start_exporter(
    listen: str,
    get_snapshot: Callable[[], Snapshot],
    *,
    get_probes: Callable[[], Probes] | None = None,
    get_status: Callable[[], SourceStatus] | None = None,
) -> Exporter:
    """Serve metrics on ``listen`` (``[ADDR:]PORT``) from a daemon thread.

    Raises ValueError for a malformed ``listen`` and VrrptopError (exit 69, or 77
    for a privileged port) when the socket cannot be bound.
    """
    host, port = parse_listen_address(listen)
    metrics = PrometheusMetrics(get_snapshot, get_probes=get_probes, get_status=get_status)
    candidates = [host] if host is not None else ["::", "0.0.0.0"]
    for i, addr in enumerate(candidates):
        try:
            server, thread = start_http_server(port, addr=addr, registry=metrics.registry)
        except OSError as exc:
            # "All addresses" falls back to IPv4 only when IPv6 is unavailable.
            no_ipv6 = exc.errno in (errno.EAFNOSUPPORT, errno.EADDRNOTAVAIL)
            if no_ipv6 and i + 1 < len(candidates):
                continue
            code = 77 if isinstance(exc, PermissionError) else 69
            why = exc.strerror or str(exc)
            raise VrrptopError(f"--prometheus {listen}: cannot listen: {why}", code) from exc
        return Exporter(metrics, server, thread)
    raise AssertionError("unreachable")  # pragma: no cover
