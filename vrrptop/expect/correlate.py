"""One snapshot in, expectations and candidate alarms out (pure: no I/O, no clock).

Each configured instance is compared with its view on the wire; every condition
worth an alarm becomes a candidate ``Alarm``. Whether it is *raised* is the
lifecycle's business (``expect.lifecycle``: hold-down, clear once). Judgements
that compare declared with observed wait until the election had time to follow
the last change (``settled``); conditions that are wrong whatever was declared
(split brain, a VIP announced by the wrong MAC) do not.

When evidence is missing -- a name that does not resolve, a link-local master no
evidence joins to a host -- the judgement that needs it is off, and a
``names-unresolved`` alarm says which and why: never a guess turned into an error.
"""

from __future__ import annotations

import time
from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from pathlib import Path

from vrrptop.config.hostmap import family_of, normalise
from vrrptop.config.model import InstanceConfig
from vrrptop.expect.facts import HostFacts
from vrrptop.expect.prediction import live_master, predict_instance
from vrrptop.model.expectation import (
    SEVERITY,
    Alarm,
    AlarmKind,
    DeclaredHost,
    Expectation,
    HostExpectation,
    InstanceKey,
)
from vrrptop.model.snapshot import InstanceView, Snapshot
from vrrptop.model.timers import virtual_mac
from vrrptop.priority.file import PriorityFile

#: After a master change, keepalived announces the VIPs at once (GARP/NA); an
#: announcement from another MAC older than this is the clients' picture.
GARP_GRACE_S = 2.0


@dataclass(frozen=True, slots=True)
class Verdict:
    """Everything one pass found."""

    expectations: dict[InstanceKey, Expectation]
    segment: tuple[Alarm, ...]
    """Alarms not about one instance: host DNS, names that do not resolve."""
    declared: tuple[DeclaredHost, ...]
    warnings: tuple[str, ...]


def _clock(ts: float) -> str:
    return time.strftime("%H:%M:%S", time.localtime(ts))


def _alarm(
    kind: AlarmKind,
    message: str,
    subject: str,
    key: InstanceKey | None = None,
    name: str | None = None,
    **evidence: object,
) -> Alarm:
    facts = tuple((k, str(v)) for k, v in evidence.items() if v is not None)
    return Alarm(kind, message, subject, key, name, SEVERITY[kind], 0.0, facts)


def _who(facts: HostFacts, address: str | None) -> str:
    if address is None:
        return "nobody"
    name = facts.name_of(address)
    return f"{name} ({address})" if name else address


def _mac_who(facts: HostFacts, mac: str) -> str:
    name = facts.name_of_mac(mac)
    return f"{mac} ({name})" if name else mac


def _wire_alarms(
    inst: InstanceConfig | None, view: InstanceView, facts: HostFacts, now: float, label: str
) -> list[Alarm]:
    """Conditions wrong whatever was declared: split brain, wrong VIP holder."""
    key, name = view.key, (inst.name if inst else view.name)
    out: list[Alarm] = []
    if view.state == "split-brain" or (len(view.split_sources) > 1 and view.state != "silent"):
        who = ", ".join(_who(facts, s) for s in view.split_sources) or "several routers"
        out.append(
            _alarm(
                AlarmKind.SPLIT_BRAIN,
                f"{label}: split brain, {who} all advertise as master",
                label,
                key,
                name,
                sources=" ".join(view.split_sources),
            )
        )
    master = live_master(view)
    if master is None or not view.masters:
        return out
    term_start = view.masters[-1].since
    interval = view.interval_cs / 100 if view.interval_cs else 1.0
    if now - term_start < GARP_GRACE_S + interval:
        return out
    for holder in view.vip_holders:
        if holder.holder_is_master is not False:
            continue
        vmacs = (virtual_mac(view.vrid, 4), virtual_mac(view.vrid, 6))
        if holder.mac in vmacs:
            continue
        out.append(
            _alarm(
                AlarmKind.VIP_HOLDER_NOT_MASTER,
                f"{label}: VIP {holder.address} was last announced by "
                f"{_mac_who(facts, holder.mac)} at {_clock(holder.ts)}, not by the master "
                f"{_who(facts, master)}: clients that took that announcement send to the "
                "wrong host until their ARP/ND caches expire (keepalived does not re-announce "
                "after a split brain heals; a reload of keepalived on the master does)",
                holder.address,
                key,
                name,
                holder_mac=holder.mac,
                master_mac=view.master_mac,
                announced=holder.ts,
            )
        )
    return out


def expect_instance(
    inst: InstanceConfig,
    key: InstanceKey,
    view: InstanceView | None,
    file: PriorityFile | None,
    facts: HostFacts,
    now: float,
    remaining: float,
) -> Expectation:
    """Correlate one configured instance in one family (``remaining``: settle left)."""
    label = f"{inst.name} ({key.label})"
    settled = remaining <= 0.0
    prediction = predict_instance(inst, key.family, file, facts, view) if file else None
    observed = live_master(view)
    observed_name = facts.name_of(observed)
    alarms: list[Alarm] = []
    reasons: list[str] = list(prediction.reasons) if prediction else []
    if file is None:
        reasons.append("no priority file: no prediction")
    if view is None or view.state in ("silent", "resigned", "unseen"):
        if view is None or view.state == "unseen":
            why = "is configured but has never been seen on the wire"
        elif view.state == "resigned":
            why = f"master {_who(facts, view.master)} resigned and nobody took over"
        else:
            why = f"is silent: no advert since {_clock(view.last_seen)}"
        hint = (
            " (unicast_peer: its adverts are unicast and never reach a monitor port; "
            "watch from one of its nodes)"
            if inst.unicast
            else ""
        )
        if settled or (view is not None and view.state != "unseen"):
            alarms.append(
                _alarm(AlarmKind.INSTANCE_SILENT, f"{label} {why}{hint}", label, key, inst.name)
            )
    if view is not None:
        alarms.extend(_wire_alarms(inst, view, facts, now, label))
    predicted = prediction.master if prediction else None
    if observed is not None and observed_name is None and prediction is not None:
        reasons.append(
            f"master {observed} is not joined to any host (no [hosts] entry, resolved name "
            "or same-MAC advert names it): master and priority checks are off"
        )
    advertised: dict[str, int] = {}
    if view is not None:
        for src in view.sources:
            if (n := facts.name_of(src.src)) is not None:
                advertised.setdefault(n, src.priority)
    if settled and predicted and observed and observed_name and observed_name != predicted:
        hint = ""
        if predicted not in advertised:
            hint = (
                f" ({predicted} has not advertised since vrrptop started: "
                "is its keepalived running?)"
            )
        alarms.append(
            _alarm(
                AlarmKind.MASTER_MISMATCH,
                f"{label}: master is {_who(facts, observed)} but the priority file makes "
                f"{predicted} master{hint}",
                label,
                key,
                inst.name,
                observed=observed_name,
                expected=predicted,
            )
        )
    hosts = tuple(
        HostExpectation(
            h.name, facts.addresses(h.name), h.line, h.in_service, h.healthy, h.rank,
            h.priority, advertised.get(h.name), h.reason,
        )
        for h in (prediction.hosts if prediction else ())
    )  # fmt: skip
    if observed is not None and observed_name is not None and view is not None:
        if settled and facts.healthy(observed_name) is False:
            alarms.append(
                _alarm(
                    AlarmKind.MASTER_DNS_FAILING,
                    f"{label}: master {observed_name} fails its DNS check but is still master",
                    observed_name,
                    key,
                    inst.name,
                )
            )
        expected = prediction.priority_of(observed_name) if prediction else None
        if settled and expected is not None and view.priority != expected:
            alarms.append(
                _alarm(
                    AlarmKind.PRIORITY_MISMATCH,
                    f"{label}: {observed_name} advertises priority {view.priority}, the "
                    f"priority file gives it {expected}",
                    observed_name,
                    key,
                    inst.name,
                    advertised=view.priority,
                    expected=expected,
                )
            )
    if inst.dns_service:
        vips = dict.fromkeys([*(view.addresses if view else ()), *inst.vips])
        for vip in vips:
            if family_of(vip) == key.family and facts.address_healthy(vip) is False:
                alarms.append(
                    _alarm(
                        AlarmKind.VIP_DNS_FAILING,
                        f"{label}: VIP {vip} does not answer DNS",
                        normalise(vip),
                        key,
                        inst.name,
                    )
                )
    return Expectation(
        key, inst.name, True, hosts, predicted, prediction.tie if prediction else (),
        observed, observed_name, settled, max(0.0, remaining), tuple(alarms), tuple(reasons),
        inst.dns_service,
    )  # fmt: skip


def unknown_instance(
    view: InstanceView, facts: HostFacts, now: float, configured_vrids: set[int]
) -> Expectation:
    """A VRID on the wire that no configuration declares."""
    label = view.key.label
    alarms = _wire_alarms(None, view, facts, now, label)
    alarms.append(
        _alarm(
            AlarmKind.UNKNOWN_VRID,
            f"{label} on the segment is not configured",
            label,
            view.key,
            view.name,
            master=view.master,
        )
    )
    master = live_master(view)
    return Expectation(
        view.key,
        view.name,
        False,
        observed_master=master,
        observed_master_name=facts.name_of(master),
        alarms=tuple(alarms),
    )


def _declared_hosts(
    expectations: Mapping[InstanceKey, Expectation],
    files: Mapping[Path, PriorityFile],
    facts: HostFacts,
) -> tuple[DeclaredHost, ...]:
    names: dict[str, bool] = {}
    for file in files.values():
        for name in file.hosts():
            names[name] = names.get(name, False) or file.grep_line(name) is not None
    out = []
    for name, in_service in names.items():
        expected = tuple(
            (k, p)
            for k, e in sorted(expectations.items())
            if (p := e.priority_of(name)) is not None
        )
        out.append(
            DeclaredHost(name, facts.addresses(name), in_service, facts.healthy(name), expected)
        )
    return tuple(out)


def correlate(
    snapshot: Snapshot,
    instances: Sequence[InstanceConfig],
    files: Mapping[Path, PriorityFile],
    facts: HostFacts,
    now: float,
    remaining: Mapping[InstanceKey, float],
    *,
    probing: bool = False,
) -> Verdict:
    """Every configured instance against the wire, plus segment-wide alarms.

    ``remaining`` gives each instance's settle time left (absent: settled);
    ``probing`` says DNS health is measured (so a host's failure is news).
    """
    views: dict[tuple[int, int], list[InstanceView]] = {}
    for view in snapshot.instances:
        views.setdefault((view.vrid, view.family), []).append(view)
    out: dict[InstanceKey, Expectation] = {}
    for inst in instances:
        if inst.vrid is None:
            continue
        file = files.get(inst.priority_file) if inst.priority_file is not None else None
        for family in inst.families:
            seen: list[InstanceView | None] = list(views.get((inst.vrid, family), ())) or [None]
            for one in seen:
                key = one.key if one is not None else InstanceKey(inst.vrid, family)
                left = remaining.get(key, 0.0)
                out[key] = expect_instance(inst, key, one, file, facts, now, left)
    configured = {i.vrid for i in instances if i.vrid is not None}
    if instances:
        for view in snapshot.instances:
            if view.key not in out:
                out[view.key] = unknown_instance(view, facts, now, configured)
    declared = _declared_hosts(out, files, facts)
    segment: list[Alarm] = []
    warnings: list[str] = []
    if probing:
        for host in declared:
            if host.in_service and host.healthy is False:
                segment.append(
                    _alarm(
                        AlarmKind.HOST_DNS_FAILING,
                        f"host {host.name} (in service) fails its DNS check: keepalived's "
                        "track script takes it out of the election",
                        host.name,
                    )
                )
    for path, file in files.items():
        missing = facts.unresolved(file.hosts())
        if missing:
            users = [i.name for i in instances if i.priority_file == path]
            text = (
                f"{path}: {', '.join(missing)} not resolved (no [hosts] entry, DNS or "
                f"/etc/hosts): the master and priority checks of "
                f"{', '.join(users) or 'its instances'} cannot name those hosts"
            )
            segment.append(_alarm(AlarmKind.NAMES_UNRESOLVED, text, str(path)))
            warnings.append(text)
    for exp in out.values():
        if exp.observed_master is not None and exp.observed_master_name is None and exp.hosts:
            text = (
                f"{exp.name or exp.key.label} ({exp.key.label}): master {exp.observed_master} "
                "is joined to no host (use_vmac, unicast_peer or a link-local address no "
                "[hosts] entry names): its master and priority checks are off"
            )
            segment.append(
                _alarm(AlarmKind.NAMES_UNRESOLVED, text, exp.observed_master, exp.key, exp.name)
            )
            warnings.append(text)
    return Verdict(out, tuple(segment), tuple(declared), tuple(warnings))
