"""Declared versus observed, and DNS health, as pure (text, level) cells.

The monitor attaches the correlation to each instance (``InstanceView.extra``, the
keys of ``Correlation.to_json``) and the probe board's health to the snapshot
(``Snapshot.health``: address -> ``TargetHealth``). This module turns them into
the words the console shows; no textual, so every wording is testable plainly.
Every state is a word (or a ``≠`` mark next to one), never a colour alone.
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping, Sequence
from typing import Any

from vrrptop.model.snapshot import HostView, InstanceView
from vrrptop.ui.format import Level, sparkline, state_word

Cell = tuple[str, Level | None]
Segment = tuple[str, Level | None]

#: Probe status -> short word for a table cell, and its level.
DNS_WORDS: dict[str, tuple[str, Level]] = {
    "ok": ("ok", "ok"),
    "timeout": ("timeout", "bad"),
    "refused": ("refused", "bad"),
    "wrong-answer": ("wrong", "bad"),
    "rcode": ("rcode", "bad"),
    "network-error": ("neterr", "bad"),
}
#: Shown where a target was never probed (replays, ``--no-probe``, not yet).
NOT_PROBED: Cell = ("—", "dim")
#: A failed probe in a latency sparkline: a mark, not a low bar that reads as fast.
FAIL_MARK = "×"

_SEVERITY_LEVEL: dict[str, Level] = {"error": "bad", "warning": "warn"}
_LEVEL_RANK: dict[Level | None, int] = {None: 0, "dim": 0, "ok": 1, "warn": 2, "bad": 3}


def worst(*levels: Level | None) -> Level | None:
    """The most alarming of ``levels``."""
    return max(levels, key=lambda lv: _LEVEL_RANK.get(lv, 0), default=None)


def correlated(inst: InstanceView) -> bool:
    """True when the monitor attached a correlation (a configured or unknown VRID)."""
    return "alarms" in inst.extra or "expected_master" in inst.extra


def alarms_of(inst: InstanceView) -> list[dict[str, Any]]:
    """The instance's alarms (``{kind, severity, message, host?, address?}``)."""
    alarms = inst.extra.get("alarms") or ()
    return [a for a in alarms if isinstance(a, dict)]


def alarm_level(alarms: Iterable[Mapping[str, Any]]) -> Level | None:
    """Level of the worst alarm, None without alarms."""
    return worst(*(_SEVERITY_LEVEL.get(str(a.get("severity")), "warn") for a in alarms))


def instance_label(inst: InstanceView) -> str:
    """The configured name, else ``210/v4``."""
    return inst.name or f"{inst.vrid}/v{inst.family}"


def state_cell(inst: InstanceView) -> Cell:
    """The state word, followed by the alarm count when there are alarms:
    ``ok +1 ALARM``, ``SILENT +2 ALARMS``."""
    word, level = state_word(inst.state)
    alarms = alarms_of(inst)
    if not alarms:
        return (word, level)
    n = len(alarms)
    return (f"{word} +{n} ALARM{'S' if n > 1 else ''}", worst(level, alarm_level(alarms)))


def mismatch(inst: InstanceView) -> bool:
    """The correlation raised a master-mismatch alarm: the observed master is not
    the expected one and the election had time to settle."""
    return any(a.get("kind") == "master-mismatch" for a in alarms_of(inst))


def expected_cell(inst: InstanceView) -> Cell:
    """The expected master's name: ``recdns-sby`` when the wire agrees,
    ``recdns-sby ≠`` when it does not (settled), ``recdns-sby ~3s`` while the
    election may still be settling, ``-`` without a prediction."""
    extra = inst.extra
    expected = extra.get("expected_master")
    if not expected:
        return ("-", "dim")
    if not extra.get("settled", True):
        remaining = float(extra.get("settle_remaining_s") or 0.0)
        return (f"{expected} ~{remaining:.0f}s", "dim")
    if mismatch(inst):
        return (f"{expected} ≠", "bad")
    return (str(expected), None)


def settle_text(inst: InstanceView) -> str:
    """``settled`` or ``settling, 3s left`` (alarms of a mismatch wait for it)."""
    extra = inst.extra
    if extra.get("settled", True):
        return "settled"
    return f"settling, {float(extra.get('settle_remaining_s') or 0.0):.0f}s left"


def alarm_subject(inst: InstanceView, alarm: Mapping[str, Any]) -> str:
    """What an alarm is about, in a few characters: a host, an address, an instance."""
    kind = alarm.get("kind")
    if kind in ("vip-dns-failing",) and alarm.get("address"):
        return str(alarm["address"])
    if kind in ("master-dns-failing", "priority-mismatch") and alarm.get("host"):
        return str(alarm["host"])
    if kind == "unknown-vrid":
        return f"VRID {inst.vrid}/v{inst.family}"
    return instance_label(inst)


def alarm_summary(instances: Sequence[InstanceView]) -> list[Segment] | None:
    """One line counting alarms by kind: ``2 ALARMS: master-mismatch testdns1,
    vip-dns-failing 198.51.100.211``; ``no alarms`` when the correlation runs and
    all is well; None when nothing is correlated (no configuration: say nothing).

    The same (kind, subject) seen in both families counts once.
    """
    if not any(correlated(i) for i in instances):
        return None
    subjects: dict[str, list[str]] = {}
    levels: dict[str, Level | None] = {}
    for inst in instances:
        for alarm in alarms_of(inst):
            kind = str(alarm.get("kind", "alarm"))
            subject = alarm_subject(inst, alarm)
            seen = subjects.setdefault(kind, [])
            if subject not in seen:
                seen.append(subject)
            levels[kind] = worst(levels.get(kind), alarm_level([alarm]))
    total = sum(len(s) for s in subjects.values())
    if total == 0:
        return [(" no alarms", "ok")]
    # errors first, so a narrow terminal cuts off the least important
    kinds = sorted(subjects, key=lambda k: -_LEVEL_RANK.get(levels[k], 0))
    out: list[Segment] = [(f" {total} ALARM{'S' if total > 1 else ''}:", worst(*levels.values()))]
    for i, kind in enumerate(kinds):
        out.append(((", " if i else " ") + f"{kind} {' '.join(subjects[kind])}", levels[kind]))
    return out


# -- DNS health ----------------------------------------------------------------


def host_health(host: HostView, health: Mapping[str, Any]) -> Any | None:
    """The ``TargetHealth`` that speaks for ``host``: a failing address wins (so a
    broken IPv6 listener is not hidden by a working IPv4 one), else the first
    probed address; None when none of its addresses is probed."""
    probed = [health[a] for a in host.addresses if a in health and health[a].last is not None]
    if not probed:
        return next((health[a] for a in host.addresses if a in health), None)
    return next((h for h in probed if h.ok is False), probed[0])


def dns_cell(target: Any | None) -> Cell:
    """Status word of a target's last probe; ``—`` when never probed."""
    if target is None or target.last is None:
        return NOT_PROBED
    status = str(target.status)
    word, level = DNS_WORDS.get(status, (status, "bad"))
    if status == "rcode" and target.last.rcode:
        word = str(target.last.rcode)  # NXDOMAIN / SERVFAIL says more than "rcode"
    return (word, level)


def latency_cell(target: Any | None) -> Cell:
    """Latency of the last probe (``3ms``, ``0.4ms``); ``-`` for a failed one."""
    if target is None or target.last is None:
        return ("-", "dim")
    ms = target.last.latency_ms
    if ms is None or not target.last.ok:
        return ("-", "bad")
    return (fmt_ms(ms), None)


def fmt_ms(ms: float) -> str:
    """Milliseconds in at most 5 characters."""
    if ms < 10:
        return f"{ms:.1f}ms"
    if ms < 10_000:
        return f"{ms:.0f}ms"
    return f"{ms / 1000:.0f}s"


def latency_spark(latencies: Sequence[float | None], width: int = 10) -> str:
    """Sparkline of the last ``width`` probes, failures as ``×`` (scaled over the
    successful ones only, so one timeout does not flatten the rest)."""
    vals = list(latencies)[-width:]
    good = [v for v in vals if v is not None]
    bars = iter(sparkline(good)) if good else iter(())
    return "".join(FAIL_MARK if v is None else next(bars) for v in vals)


def spark_cell(target: Any | None, width: int = 10) -> Cell:
    """The sparkline cell; ``bad`` when the last probe failed."""
    if target is None or not target.history:
        return ("", None)
    return (latency_spark(target.latencies, width), "bad" if target.ok is False else "dim")


# -- expected priorities -------------------------------------------------------


def expected_priority(inst: InstanceView | None, host: HostView) -> int | None:
    """What the priority file predicts ``host`` advertises in ``inst`` (matched by
    name, a short name matching a fully qualified one); None when unknown."""
    if inst is None or not host.name:
        return None
    prios = inst.extra.get("expected_priorities") or {}
    if host.name in prios:
        return int(prios[host.name])
    short = host.name.split(".", 1)[0]
    for name, prio in prios.items():
        if name.split(".", 1)[0] == short:
            return int(prio)
    return None


def priority_text(advertised: int, expected: int | None) -> tuple[str, bool]:
    """``250/250`` (advertised/expected, agreeing) or ``200≠250``; the flag says
    whether they disagree. Just ``250`` without an expectation."""
    if expected is None:
        return (str(advertised), False)
    if expected == advertised:
        return (f"{advertised}/{expected}", False)
    return (f"{advertised}≠{expected}", True)
