"""Declared versus observed: what should be master (priority files, DNS health) and
what the wire shows, with alarms when they disagree.

Pure: no I/O, no name resolution of its own (the caller injects ``resolve``), no
clock (the caller passes ``now``). Priority files name hosts; adverts carry
addresses; names map to addresses through the configuration's ``hosts`` table,
then ``resolve``; an address maps back to a name through the same table.

Settling: after an input of the prediction changes (file edited, DNS health
flipped, vrrptop just started), keepalived needs one track-script run plus a
Master_Down_Interval to converge; mismatch alarms wait for that long.
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from dataclasses import dataclass, replace
from pathlib import Path
from typing import Any, Literal

from vrrptop.config.hostmap import HostMap, Resolver, family_of, normalise
from vrrptop.config.model import InstanceConfig
from vrrptop.model.events import Severity
from vrrptop.model.snapshot import InstanceView, Snapshot
from vrrptop.priority.file import PriorityFile
from vrrptop.priority.predict import Prediction, health_ok, predict

AlarmKind = Literal[
    "master-mismatch",
    "master-dns-failing",
    "vip-dns-failing",
    "instance-silent",
    "unknown-vrid",
    "priority-mismatch",
]

Key = tuple[int, int]
"""(VRID, address family)."""


@dataclass(frozen=True, slots=True)
class Alarm:
    """Something the operator should look at; ``message`` is one sentence."""

    kind: AlarmKind
    message: str
    severity: Severity = "warning"
    host: str | None = None
    address: str | None = None

    def to_json(self) -> dict[str, Any]:
        """JSON-safe form, for ``"alarms": [...]``."""
        out: dict[str, Any] = {"kind": self.kind, "severity": self.severity}
        out["message"] = self.message
        if self.host is not None:
            out["host"] = self.host
        if self.address is not None:
            out["address"] = self.address
        return out


@dataclass(frozen=True, slots=True)
class HostExpectation:
    """One host's expected and advertised priority in one instance."""

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
class Correlation:
    """Prediction, observation and alarms for one (VRID, family)."""

    vrid: int
    family: int
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
    reasons: tuple[str, ...] = ()

    @property
    def agrees(self) -> bool | None:
        """True/False when both masters are known by name, else None."""
        if self.predicted_master is None or self.observed_master_name is None:
            return None
        return self.observed_master_name == self.predicted_master

    def to_json(self) -> dict[str, Any]:
        """Fields the snapshot's instance gains in ``--json`` (``extra``)."""
        return {
            "expected_master": self.predicted_master,
            "observed_master_name": self.observed_master_name,
            "settled": self.settled,
            "settle_remaining_s": round(self.settle_remaining_s, 1),
            "expected_priorities": {h.name: h.expected_priority for h in self.hosts},
            "alarms": [a.to_json() for a in self.alarms],
        }


def _health_by_address(health: Mapping[Any, object]) -> dict[str, object]:
    """Accept the probe board's ``(address, port)`` keys as well as names/addresses."""
    out: dict[str, object] = {}
    for key, value in health.items():
        text = key[0] if isinstance(key, tuple) else str(key)
        out[text] = value
        out.setdefault(normalise(text), value)
    return out


def _health_of(name: str, addrs: Sequence[str], health: Mapping[str, object]) -> bool | None:
    """A host is healthy if its name says so, else if any of its addresses answers."""
    if name in health:
        return health_ok(health[name])
    values = [health_ok(health[a]) for a in addrs if a in health]
    if any(v is True for v in values):
        return True
    return False if any(v is False for v in values) else None


def _name_of(
    address: str | None, names: HostMap, snapshot: Snapshot, known: Sequence[str]
) -> str | None:
    """Host name of an advert source: config/resolver first, then the PTR name the
    tracker learnt, matched by short name against the hosts of the file."""
    name = names.name_of(address)
    if name is not None or address is None:
        return name
    address = normalise(address)
    for host in snapshot.hosts:
        if address not in host.addresses:
            continue
        # The tracker joins a router's addresses by MAC: an IPv6 instance advertises
        # from a link-local address no resolver knows, but the same router's IPv4
        # (or global IPv6) address names it.
        for other in host.addresses:
            if other != address and (name := names.name_of(other)) is not None:
                return name
        if host.name:
            short = host.name.split(".", 1)[0]
            return next((n for n in known if n in (host.name, short)), None)
    return None


def _view_master(view: InstanceView | None) -> str | None:
    if view is None or view.state in ("silent", "resigned"):
        return None
    return view.master


def _predict(
    inst: InstanceConfig,
    family: int,
    file: PriorityFile | None,
    names: HostMap,
    health: Mapping[str, object],
    extra_hosts: Sequence[str],
) -> Prediction | None:
    if file is None:
        return None
    all_names = list(dict.fromkeys([*file.hosts(), *extra_hosts]))
    by_name = {n: _health_of(n, names.addresses(n), health) for n in all_names}
    primary = {n: a for n in all_names if (a := names.primary(n, family)) is not None}
    return predict(file, inst.scheme, by_name, addresses=primary, extra_hosts=extra_hosts)


def correlate_instance(
    inst: InstanceConfig,
    family: int,
    view: InstanceView | None,
    snapshot: Snapshot,
    file: PriorityFile | None,
    health: Mapping[str, object],
    now: float,
    names: HostMap,
    changed_at: float | None = None,
    extra_hosts: Sequence[str] = (),
) -> Correlation:
    """Correlate one configured instance in one family (see ``correlate``)."""
    assert inst.vrid is not None
    label = f"{inst.name} (VRID {inst.vrid}, IPv{family})"
    prediction = _predict(inst, family, file, names, health, extra_hosts)
    known = prediction.hosts if prediction else ()
    observed = _view_master(view)
    observed_name = _name_of(observed, names, snapshot, [h.name for h in known])
    mdi = view.master_down_s if view is not None and view.master_down_s > 0 else None
    settle = inst.script_interval + (mdi if mdi is not None else 4 * inst.advert_int)
    # The last change of inputs, or of the observed master (a reboot: the prediction
    # follows only when the probes notice, so give it the same grace).
    if view is not None and view.masters:
        last_term = view.masters[-1].since
        changed_at = last_term if changed_at is None else max(changed_at, last_term)
    remaining = 0.0 if changed_at is None else max(0.0, changed_at + settle - now)
    settled = remaining == 0.0
    advertised: dict[str, int] = {}
    if view is not None:
        for src in view.sources:
            name = _name_of(src.src, names, snapshot, [h.name for h in known])
            if name is not None:
                advertised.setdefault(name, src.priority)
    hosts = tuple(
        HostExpectation(
            h.name, names.addresses(h.name), h.line, h.in_service, h.healthy, h.rank,
            h.priority, advertised.get(h.name), h.reason,
        )
        for h in known
    )  # fmt: skip
    alarms: list[Alarm] = []
    notes: list[str] = []

    def alarm(
        kind: AlarmKind, text: str, severity: Severity = "error", on_master: bool = True
    ) -> None:
        host, addr = (observed_name, observed) if on_master else (None, None)
        alarms.append(Alarm(kind, f"{label}{text}", severity, host, addr))

    if (view is None or view.state == "silent") and settled:
        why = "never seen" if view is None else "silent"
        alarm("instance-silent", f" is configured but {why} on the wire", on_master=False)
    predicted = prediction.master if prediction else None
    comparable = observed_name is not None or any(h.addresses for h in hosts)
    if not comparable and observed is not None and predicted is not None:
        notes.append(f"no address known for the hosts of the file: cannot name {observed}")
    if comparable and settled and predicted and observed and observed_name != predicted:
        who = observed_name or f"{observed} (unknown host)"
        alarm("master-mismatch", f": master is {who} but the file predicts {predicted}")
    if observed is not None and observed_name is not None:
        if _health_of(observed_name, names.addresses(observed_name), health) is False:
            alarm("master-dns-failing", f": master {observed_name} fails its DNS check but is "
                  "still master")  # fmt: skip
        expected = prediction.priority_of(observed_name) if prediction else None
        if settled and expected is not None and view is not None and view.priority != expected:
            alarm("priority-mismatch", f": {observed_name} advertises priority {view.priority}, "
                  f"the file predicts {expected}", "warning")  # fmt: skip
    for vip in dict.fromkeys([*(view.addresses if view else ()), *inst.vips]):
        value = health.get(vip, health.get(normalise(vip)))
        if family_of(vip) == family and health_ok(value) is False:
            alarms.append(Alarm("vip-dns-failing", f"{label}: VIP {vip} does not answer DNS",
                                "error", address=vip))  # fmt: skip
    reasons = (
        *(prediction.reasons if prediction else ("no priority file: no prediction",)),
        *notes,
    )
    return Correlation(
        inst.vrid, family, inst.name, True, hosts, predicted,
        prediction.tie if prediction else (), observed, observed_name, settled, remaining,
        tuple(alarms), reasons,
    )  # fmt: skip


def correlate(
    snapshot: Snapshot,
    instances: Sequence[InstanceConfig],
    files: Mapping[Path, PriorityFile],
    health: Mapping[Any, object],
    now: float,
    *,
    hosts: Mapping[str, Sequence[str]] | None = None,
    resolve: Resolver | None = None,
    changed_at: Mapping[Key, float] | None = None,
    extra_hosts: Sequence[str] = (),
) -> dict[Key, Correlation]:
    """Correlate every configured instance, and flag unknown VRIDs on the wire.

    ``files`` maps priority-file paths (as in ``InstanceConfig.priority_file``) to
    parsed files; ``health`` maps host names and/or addresses (hosts and VIPs), or
    the probe board's ``(address, port)`` keys, to bool / None / an object with
    ``.ok`` (``TargetHealth``); ``hosts`` is the config's name ->
    addresses table; ``resolve(name)`` is tried for other names (never called
    for addresses); ``changed_at[(vrid, family)]`` is when that instance's
    prediction inputs last changed (see ``Correlator``).
    """
    names = HostMap(hosts, resolve)
    health = _health_by_address(health)
    views = {(v.vrid, v.family): v for v in snapshot.instances}
    out: dict[Key, Correlation] = {}
    for inst in instances:
        if inst.vrid is None:
            continue
        file = files.get(inst.priority_file) if inst.priority_file is not None else None
        for family in inst.families:
            key = (inst.vrid, family)
            out[key] = correlate_instance(
                inst,
                family,
                views.get(key),
                snapshot,
                file,
                health,
                now,
                names,
                (changed_at or {}).get(key),
                extra_hosts,
            )
    if instances:
        for key, view in views.items():
            if key in out:
                continue
            alarm = Alarm(
                "unknown-vrid",
                f"VRID {view.vrid} (IPv{view.family}) on the segment is not configured",
                "warning",
                address=view.master,
            )
            master = _view_master(view)
            name = _name_of(master, names, snapshot, ())
            out[key] = Correlation(
                view.vrid, view.family, view.name, False, observed_master=master,
                observed_master_name=name, alarms=(alarm,),
            )  # fmt: skip
    return out


class Correlator:
    """Remembers when each instance's prediction last changed, for settling.

    A prediction "changes" when the expected master or any expected priority
    does; the first call counts as a change (vrrptop just started).
    """

    def __init__(self) -> None:
        self._last: dict[Key, tuple[Any, ...]] = {}
        self._changed: dict[Key, float] = {}

    def note_change(self, now: float) -> None:
        """Force a new settle period for every instance (e.g. right after a save)."""
        for key in self._changed:
            self._changed[key] = now

    def update(
        self,
        snapshot: Snapshot,
        instances: Sequence[InstanceConfig],
        files: Mapping[Path, PriorityFile],
        health: Mapping[Any, object],
        now: float,
        **kwargs: Any,
    ) -> dict[Key, Correlation]:
        """``correlate`` with ``changed_at`` tracked across calls."""
        first = correlate(
            snapshot, instances, files, health, now, changed_at=self._changed, **kwargs
        )
        dirty = False
        for key, corr in first.items():
            if not corr.configured:
                continue
            signature = (
                corr.predicted_master,
                tuple((h.name, h.expected_priority) for h in corr.hosts),
            )
            if self._last.get(key) != signature:
                self._last[key] = signature
                self._changed[key] = now
                dirty = True
        if not dirty:
            return first
        return correlate(
            snapshot, instances, files, health, now, changed_at=self._changed, **kwargs
        )


def attach(snapshot: Snapshot, correlations: Mapping[Key, Correlation]) -> Snapshot:
    """A snapshot whose instance views carry the correlation in ``extra``
    (``expected_master``, ``alarms``, ...) and the configured name."""
    views = []
    for view in snapshot.instances:
        corr = correlations.get((view.vrid, view.family))
        if corr is None:
            views.append(view)
            continue
        views.append(
            replace(view, name=view.name or corr.name, extra={**view.extra, **corr.to_json()})
        )
    return replace(snapshot, instances=tuple(views))
