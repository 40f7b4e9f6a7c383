"""Declared versus observed, and DNS health, as pure (text, level) cells.

The monitor attaches the judgement to each instance (``InstanceView.expectation``
and ``.alarms``, typed) and the probe board's health to the snapshot
(``Snapshot.health``: address -> ``model.health.TargetHealth``). The words of declared versus
observed are ``expect.wording``'s (shared with ``--report``); this module adds the
console's cells and the DNS columns. No textual, so every wording is testable.
Every state is a word (or a ``≠`` mark next to one), never a colour alone.
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence

from vrrptop.expect.wording import Segment, expected_text, judged, settle_text, state_text
from vrrptop.expect.wording import alarm_summary as wording_summary
from vrrptop.model.expectation import Alarm
from vrrptop.model.health import TargetHealth
from vrrptop.model.snapshot import HostView, InstanceView
from vrrptop.ui.format import Level, sparkline

__all__ = ["Segment", "settle_text"]

#: Probe status -> short word for a table cell, and its level.
DNS_WORDS: dict[str, tuple[str, Level]] = {
    "ok": ("ok", "ok"),
    "timeout": ("timeout", "bad"),
    "refused": ("refused", "bad"),
    "no-data": ("nodata", "bad"),
    "wrong-answer": ("wrong", "bad"),
    "rcode": ("rcode", "bad"),
    "network-error": ("neterr", "bad"),
}
#: Shown where a target was never probed (replays, ``--no-probe``, not yet).
NOT_PROBED: Segment = ("—", "dim")
#: A failed probe in a latency sparkline: a mark, not a low bar that reads as fast.
FAIL_MARK = "×"


def correlated(inst: InstanceView) -> bool:
    """True when a configuration declared something about this instance."""
    return judged(inst)


def instance_label(inst: InstanceView) -> str:
    """The configured name, else ``210/v4``."""
    return inst.name or f"{inst.vrid}/v{inst.family}"


def state_cell(inst: InstanceView) -> Segment:
    """The state word, followed by the alarm count (``ok +1 ALARM``)."""
    return state_text(inst)


def expected_cell(inst: InstanceView, show_names: bool = True) -> Segment:
    """The expected master (``recdns-sby``, ``recdns-sby ≠``, ``recdns-sby ~3s``, ``-``);
    with names off (``n``) its address instead, as every other column shows."""
    text, level = expected_text(inst)
    exp = inst.expectation
    if show_names or exp is None or not exp.predicted_master:
        return text, level
    name = exp.predicted_master
    address = next((h.addresses[0] for h in exp.hosts if h.name == name and h.addresses), None)
    if address is None or not text.startswith(name):
        return text, level
    return address + text[len(name) :], level


def alarm_summary(
    instances: Sequence[InstanceView], segment: Sequence[Alarm] = ()
) -> list[Segment] | None:
    """The alarm line: every instance's alarms plus the segment-wide ones
    (``expect.wording.alarm_summary``); None when nothing is declared."""
    alarms = [a for i in instances for a in i.alarms]
    alarms.extend(a for a in segment if a.key is None or a not in alarms)
    return wording_summary(alarms, any(judged(i) for i in instances))


# -- DNS health ----------------------------------------------------------------


def host_health(host: HostView, health: Mapping[str, TargetHealth]) -> TargetHealth | None:
    """The ``TargetHealth`` that speaks for ``host``: a failing address wins (so a
    broken IPv6 listener is not hidden by a working IPv4 one), else the first
    probed address; None when none of its addresses is probed."""
    probed = [health[a] for a in host.addresses if a in health and health[a].last is not None]
    if not probed:
        return next((health[a] for a in host.addresses if a in health), None)
    return next((h for h in probed if h.ok is False), probed[0])


def dns_cell(target: TargetHealth | None) -> Segment:
    """Status word of a target's last probe; ``—`` when never probed."""
    if target is None or target.last is None:
        return NOT_PROBED
    status = str(target.status)
    word, level = DNS_WORDS.get(status, (status, "bad"))
    if status == "rcode" and target.last.rcode:
        word = str(target.last.rcode)  # NXDOMAIN / SERVFAIL says more than "rcode"
    return (word, level)


def latency_cell(target: TargetHealth | None) -> Segment:
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


def spark_cell(target: TargetHealth | None, width: int = 10) -> Segment:
    """The sparkline cell; ``bad`` when the last probe failed."""
    if target is None or not target.history:
        return ("", None)
    return (latency_spark(target.latencies, width), "bad" if target.ok is False else "dim")


# -- expected priorities -------------------------------------------------------


def expected_priority(inst: InstanceView | None, host: HostView) -> int | None:
    """What the priority file predicts ``host`` advertises in ``inst`` (matched by
    name, a short name matching a fully qualified one); None when unknown."""
    if inst is None or inst.expectation is None or not host.name:
        return None
    exp = inst.expectation
    found = exp.priority_of(host.name)
    if found is not None:
        return found
    short = host.name.split(".", 1)[0]
    return next((h.expected_priority for h in exp.hosts if h.name.split(".", 1)[0] == short), None)


def priority_text(advertised: int, expected: int | None) -> tuple[str, bool]:
    """``250/250`` (advertised/expected, agreeing) or ``200≠250``; the flag says
    whether they disagree. Just ``250`` without an expectation."""
    if expected is None:
        return (str(advertised), False)
    if expected == advertised:
        return (f"{advertised}/{expected}", False)
    return (f"{advertised}≠{expected}", True)
