"""What one ``--notify`` run says: keepalived's arguments and the ``VRRPTOP_*`` variables.

Every run has ``VRRPTOP_EVENT`` (``new-master`` or ``alarm``), ``VRRPTOP_STATE`` (the
STATE argument), ``VRRPTOP_INSTANCE``, ``VRRPTOP_VRID``, ``VRRPTOP_FAMILY`` (``4``,
``6`` or ``4,6`` when both families are in the run), ``VRRPTOP_VLAN`` ("" untagged),
``VRRPTOP_MESSAGE`` (one human line), ``VRRPTOP_TS`` (epoch seconds of the first
change) and ``VRRPTOP_DROPPED`` (runs dropped so far because the queue was full).

Master changes add ``VRRPTOP_OLD_MASTER`` / ``VRRPTOP_NEW_MASTER`` (addresses, one per
family, comma-separated), ``VRRPTOP_OLD_MASTER_NAME`` / ``VRRPTOP_NEW_MASTER_NAME``
(host names when known), ``VRRPTOP_PRIORITY``, ``VRRPTOP_GAP_S`` (longest time
without a master, seconds), ``VRRPTOP_REASON`` (``preempt``, ``failover``,
``resign``), ``VRRPTOP_CHANGES`` (changes this run covers: more than 1 when it went
through a transient master or flapped during the hold-down) and ``VRRPTOP_DEAD``
(old masters that dropped out with failing DNS: STATE is then ``DEAD``).

Alarms add ``VRRPTOP_ALARM_KIND``, ``VRRPTOP_ALARM_SEVERITY``, ``VRRPTOP_ALARM_STATE``
(``raised``/``cleared``), ``VRRPTOP_SUBJECT``, ``VRRPTOP_SINCE`` and
``VRRPTOP_EVIDENCE`` (``name=value; ...``).
"""

from __future__ import annotations

from collections.abc import Collection, Mapping, Sequence
from dataclasses import dataclass, field

from vrrptop.model.expectation import AlarmChange
from vrrptop.model.snapshot import Snapshot
from vrrptop.output.notify_run import Notification


@dataclass(slots=True)
class FamilyChange:
    """The master changes of one family folded into one run."""

    old: str
    new: str
    priority: int | None
    gap_s: float | None
    reason: str
    changes: int = 1


@dataclass(frozen=True, slots=True)
class Names:
    """What the configuration names, for runs before any snapshot has (a fast replay
    outruns the published snapshots): VRID -> instance name, host -> addresses."""

    instances: Mapping[int, str] = field(default_factory=dict)
    hosts: Mapping[str, Sequence[str]] = field(default_factory=dict)


def _names(snap: Snapshot | None, static: Names) -> dict[str, str]:
    """Address -> host name: declared hosts first, then named routers, then config."""
    names: dict[str, str] = {}
    if snap is not None:
        for declared in snap.declared_hosts:
            for address in declared.addresses:
                names.setdefault(address, declared.name)
        for host in snap.hosts:
            if host.name:
                for address in host.addresses:
                    names.setdefault(address, host.name)
    for configured, addresses in static.hosts.items():
        for address in addresses:
            names.setdefault(address, configured)
    return names


def instance_name(
    snap: Snapshot | None, vrid: int, vlan: int | None, static: Names | None = None
) -> str:
    """The configured name of the VRID (any family), else ``VRID210`` (no spaces:
    keepalived scripts often use ``$2`` unquoted)."""
    if snap is not None:
        for inst in snap.instances:
            if inst.vrid == vrid and inst.vlan == vlan and inst.name:
                return inst.name
    if static is not None and vrid in static.instances:
        return static.instances[vrid]
    return f"VRID{vrid}"


def _is_dead(old: str, snap: Snapshot | None, failing: Collection[str]) -> bool:
    """The old master dropped out with failing DNS, and was not taken out of service."""
    if snap is not None:
        for declared in snap.declared_hosts:
            if old in declared.addresses:
                if not declared.in_service:
                    return False  # commented out on purpose: it left, it did not die
                if declared.healthy is False:
                    return True
        health = snap.health.get(old)
        if health is not None and health.ok is False:
            return True
    return old in failing


def _join(values: Sequence[object]) -> str:
    return ",".join(dict.fromkeys(str(v) for v in values if v not in (None, "")))


def master_notification(
    vrid: int,
    vlan: int | None,
    first_ts: float,
    families: Mapping[int, FamilyChange],
    dead: Collection[str],
    snap: Snapshot | None,
    failing: Collection[str],
    dropped: int,
    static: Names | None = None,
) -> Notification:
    """One run for the master changes of a VRID (all families in the window)."""
    static = static or Names()
    fams = [families[f] for f in sorted(families)]
    names = _names(snap, static)
    # DNS alarms name hosts (their subject), so the old master's address is also
    # looked up by its host name
    gone = [
        c.old
        for c in fams
        if c.old in dead or names.get(c.old) in failing or _is_dead(c.old, snap, failing)
    ]
    state = "DEAD" if gone else "MASTER"
    name = instance_name(snap, vrid, vlan, static)
    priority = next((c.priority for c in fams if c.priority is not None), 0)
    gaps = [c.gap_s for c in fams if c.gap_s is not None]
    old_names = _join([names.get(c.old) for c in fams])
    new_names = _join([names.get(c.new) for c in fams])
    old_text = old_names or _join([c.old for c in fams])
    new_text = new_names or _join([c.new for c in fams])
    reasons = _join([c.reason for c in fams])
    fam_text = _join(sorted(families))
    message = f"{name} (VRID {vrid}, IPv{fam_text.replace(',', '+IPv')}): {old_text} -> {new_text}"
    message += f" ({reasons})" if reasons else ""
    if gone:
        message += f"; {_join([names.get(a, a) for a in gone])} dropped out with failing DNS"
    env = {
        "VRRPTOP_EVENT": "new-master",
        "VRRPTOP_STATE": state,
        "VRRPTOP_INSTANCE": name,
        "VRRPTOP_VRID": str(vrid),
        "VRRPTOP_FAMILY": fam_text,
        "VRRPTOP_VLAN": "" if vlan is None else str(vlan),
        "VRRPTOP_OLD_MASTER": _join([c.old for c in fams]),
        "VRRPTOP_NEW_MASTER": _join([c.new for c in fams]),
        "VRRPTOP_OLD_MASTER_NAME": old_names,
        "VRRPTOP_NEW_MASTER_NAME": new_names,
        "VRRPTOP_PRIORITY": str(priority),
        "VRRPTOP_GAP_S": f"{max(gaps):.3f}" if gaps else "",
        "VRRPTOP_REASON": reasons,
        "VRRPTOP_CHANGES": str(max(c.changes for c in fams)),
        "VRRPTOP_DEAD": _join(gone),
        "VRRPTOP_MESSAGE": message,
        "VRRPTOP_TS": f"{first_ts:.3f}",
        "VRRPTOP_DROPPED": str(dropped),
    }
    return Notification(name, state, int(priority), env)


def alarm_notification(
    changes: Sequence[AlarmChange], snap: Snapshot | None, dropped: int, static: Names | None = None
) -> Notification:
    """One run for one alarm kind raised (or cleared) on a VRID, all families."""
    first = changes[0]
    alarm = first.alarm
    state = "ALARM" if first.state == "raised" else "CLEARED"
    key = alarm.key
    if alarm.name:
        name = alarm.name
    elif key is not None:
        name = instance_name(snap, key.vrid, key.vlan, static)
    else:
        name = alarm.subject
    families = sorted({c.alarm.key.family for c in changes if c.alarm.key is not None})
    evidence = "; ".join(dict.fromkeys(f"{k}={v}" for c in changes for k, v in c.alarm.evidence))
    env = {
        "VRRPTOP_EVENT": "alarm",
        "VRRPTOP_STATE": state,
        "VRRPTOP_INSTANCE": name,
        "VRRPTOP_VRID": "" if key is None else str(key.vrid),
        "VRRPTOP_FAMILY": _join(families),
        "VRRPTOP_VLAN": "" if key is None or key.vlan is None else str(key.vlan),
        "VRRPTOP_ALARM_KIND": alarm.kind.value,
        "VRRPTOP_ALARM_SEVERITY": alarm.severity,
        "VRRPTOP_ALARM_STATE": first.state,
        "VRRPTOP_SUBJECT": _join([c.alarm.subject for c in changes]),
        "VRRPTOP_MESSAGE": "; ".join(dict.fromkeys(c.alarm.message for c in changes)),
        "VRRPTOP_SINCE": f"{min(c.alarm.since for c in changes):.3f}",
        "VRRPTOP_EVIDENCE": evidence,
        "VRRPTOP_TS": f"{first.ts:.3f}",
        "VRRPTOP_DROPPED": str(dropped),
    }
    return Notification(name, state, 0, env)
