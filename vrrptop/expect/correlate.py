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

from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from pathlib import Path

from vrrptop.config.hostmap import family_of, normalise
from vrrptop.config.model import InstanceConfig
from vrrptop.expect.alarm import clock, make, who
from vrrptop.expect.facts import HostFacts
from vrrptop.expect.prediction import live_master, predict_instance
from vrrptop.expect.wire import wire_alarms
from vrrptop.model.expectation import (
    Alarm,
    AlarmKind,
    DeclaredHost,
    Expectation,
    HostExpectation,
    InstanceKey,
)
from vrrptop.model.snapshot import InstanceView, Snapshot
from vrrptop.priority.file import PriorityFile


@dataclass(frozen=True, slots=True)
class Verdict:
    """Everything one pass found."""

    expectations: dict[InstanceKey, Expectation]
    segment: tuple[Alarm, ...]
    """Alarms not about one instance: host DNS, names that do not resolve."""
    declared: tuple[DeclaredHost, ...]
    warnings: tuple[str, ...]


def expect_instance(
    inst: InstanceConfig,
    key: InstanceKey,
    view: InstanceView | None,
    file: PriorityFile | None,
    facts: HostFacts,
    now: float,
    remaining: float,
    known: Mapping[str, int] | None = None,
) -> Expectation:
    """Correlate one configured instance in one family (``remaining``: settle left;
    ``known``: host -> the effective priority its own keepalived reports)."""
    label = f"{inst.name} ({key.label})"
    settled = remaining <= 0.0
    prediction = (
        predict_instance(inst, key.family, file, facts, view, known=known) if file else None
    )
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
            why = f"master {who(facts, view.master)} resigned and nobody took over"
        else:
            why = f"is silent: no advert since {clock(view.last_seen)}"
        hint = (
            " (unicast_peer: its adverts are unicast and never reach a monitor port; "
            "watch from one of its nodes)"
            if inst.unicast
            else ""
        )
        if settled or (view is not None and view.state != "unseen"):
            alarms.append(
                make(AlarmKind.INSTANCE_SILENT, f"{label} {why}{hint}", label, key, inst.name)
            )
    if view is not None:
        alarms.extend(wire_alarms(inst, view, facts, now, label))
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
            make(
                AlarmKind.MASTER_MISMATCH,
                f"{label}: master is {who(facts, observed)} but the priority file makes "
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
                make(
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
                make(
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
                    make(
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
    alarms = wire_alarms(None, view, facts, now, label)
    alarms.append(
        make(
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
    known: Mapping[tuple[int, int], Mapping[str, int]] | None = None,
) -> Verdict:
    """Every configured instance against the wire, plus segment-wide alarms.

    ``remaining`` gives each instance's settle time left (absent: settled);
    ``probing`` says DNS health is measured (so a host's failure is news);
    ``known`` gives (VRID, family) -> host -> the priority its keepalived reports.
    """
    known = known or {}
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
                out[key] = expect_instance(
                    inst, key, one, file, facts, now, left, known.get((inst.vrid, family))
                )
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
                    make(
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
            segment.append(make(AlarmKind.NAMES_UNRESOLVED, text, str(path)))
            warnings.append(text)
    for exp in out.values():
        if exp.observed_master is not None and exp.observed_master_name is None and exp.hosts:
            text = (
                f"{exp.name or exp.key.label} ({exp.key.label}): master {exp.observed_master} "
                "is joined to no host (use_vmac, unicast_peer or a link-local address no "
                "[hosts] entry names): its master and priority checks are off"
            )
            segment.append(
                make(AlarmKind.NAMES_UNRESOLVED, text, exp.observed_master, exp.key, exp.name)
            )
            warnings.append(text)
    return Verdict(out, tuple(segment), tuple(declared), tuple(warnings))
