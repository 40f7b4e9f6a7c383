"""The words and levels of declared-versus-observed, for every output.

The console (``ui.health_view``), ``--report`` (``output.report_health``) and the
JSON ``state`` use these, so an instance never reads "ok" in one place and
"SPLIT BRAIN" or "2 ALARMS" in another. Pure text and a ``Level``; each output
maps levels to its own colours. Every state is a word (or a ``≠`` mark next to
one), never a colour alone.
"""

from __future__ import annotations

from collections.abc import Iterable, Sequence
from typing import Literal

from vrrptop.model.events import Severity
from vrrptop.model.expectation import Alarm, AlarmKind
from vrrptop.model.snapshot import InstanceView

Level = Literal["ok", "warn", "bad", "dim"]
"""How alarming a value is; outputs map it to a colour."""

Segment = tuple[str, Level | None]

SEVERITY_LEVEL: dict[Severity, Level] = {"error": "bad", "warning": "warn", "info": "ok"}
_LEVEL_RANK: dict[Level | None, int] = {None: 0, "dim": 0, "ok": 1, "warn": 2, "bad": 3}

#: The wire's state word -> (word, level).
STATE_WORDS: dict[str, tuple[str, Level]] = {
    "ok": ("ok", "ok"),
    "silent": ("SILENT", "bad"),
    "split-brain": ("SPLIT BRAIN", "bad"),
    "mismatch": ("MISMATCH", "warn"),
    "checksum-errors": ("CKSUM ERR", "warn"),
    "resigned": ("resigned", "warn"),
    "unseen": ("NEVER SEEN", "bad"),
}


def worst(*levels: Level | None) -> Level | None:
    """The most alarming of ``levels``."""
    return max(levels, key=lambda lv: _LEVEL_RANK.get(lv, 0), default=None)


def level_rank(level: Level | None) -> int:
    """Order of levels, for sorting (worst highest)."""
    return _LEVEL_RANK.get(level, 0)


def state_word(state: str) -> tuple[str, Level]:
    """The table word for a wire state (unknown states shown as they are)."""
    return STATE_WORDS.get(state, (state, "warn"))


def alarm_level(alarms: Iterable[Alarm]) -> Level | None:
    """Level of the worst alarm; None without alarms."""
    return worst(*(SEVERITY_LEVEL.get(a.severity, "warn") for a in alarms))


def judged(inst: InstanceView) -> bool:
    """True when a configuration declared something about this instance."""
    return inst.expectation is not None


def json_state(inst: InstanceView) -> str:
    """``state`` as JSON says it: the wire's word, but never "ok" while an error or
    warning alarm is raised on the instance ("alarm" then)."""
    if inst.state == "ok" and any(a.severity in ("error", "warning") for a in inst.alarms):
        return "alarm"
    return inst.state


def state_text(inst: InstanceView) -> tuple[str, Level | None]:
    """The state word, then the alarm count: ``ok +1 ALARM``, ``SILENT +2 ALARMS``."""
    word, level = state_word(inst.state)
    n = len(inst.alarms)
    if not n:
        return (word, level)
    return (f"{word} +{n} ALARM{'S' if n > 1 else ''}", worst(level, alarm_level(inst.alarms)))


def has_alarm(inst: InstanceView, kind: AlarmKind) -> bool:
    """True when an alarm of ``kind`` is raised on ``inst``."""
    return any(a.kind is kind for a in inst.alarms)


def expected_text(inst: InstanceView) -> tuple[str, Level | None]:
    """The expected master: ``recdns-sby`` when the wire agrees, ``recdns-sby ≠``
    when it does not (settled), ``recdns-sby ~3s`` while the election may still be
    settling, ``-`` without a prediction."""
    exp = inst.expectation
    if exp is None or not exp.predicted_master:
        if exp is not None and exp.tie:
            return ("tie " + "/".join(exp.tie), "warn")
        return ("-", "dim")
    if not exp.settled:
        return (f"{exp.predicted_master} ~{exp.settle_remaining_s:.0f}s", "dim")
    if has_alarm(inst, AlarmKind.MASTER_MISMATCH):
        return (f"{exp.predicted_master} ≠", "bad")
    return (exp.predicted_master, None)


def settle_text(inst: InstanceView) -> str:
    """``settled`` or ``settling, 3s left`` (judgement waits for the election)."""
    exp = inst.expectation
    if exp is None or exp.settled:
        return "settled"
    return f"settling, {exp.settle_remaining_s:.0f}s left"


def observed_text(inst: InstanceView) -> str:
    """The observed master by name when known, else its address, else ``none``."""
    exp = inst.expectation
    if exp is not None and exp.observed_master_name:
        return exp.observed_master_name
    return inst.master or "none"


def short_subject(alarm: Alarm) -> str:
    """What an alarm is about, in a few characters: a host, a VIP, an instance."""
    if alarm.subject and alarm.key is not None and alarm.subject.startswith(alarm.name or "\0"):
        return alarm.name or alarm.key.label
    if alarm.key is not None and alarm.subject.startswith("VRID "):
        return alarm.name or f"VRID {alarm.key.vrid}"
    return alarm.subject


def alarm_summary(alarms: Sequence[Alarm], judging: bool) -> list[Segment] | None:
    """One line counting alarms by kind: ``2 ALARMS: master-mismatch testdns1,
    vip-dns-failing 198.51.100.211``; ``no alarms`` when judgement runs and all is
    well; None when nothing is declared (say nothing). The same (kind, subject) in
    both families counts once."""
    if not judging and not alarms:
        return None
    subjects: dict[str, list[str]] = {}
    levels: dict[str, Level | None] = {}
    for alarm in alarms:
        kind = alarm.kind.value
        subject = short_subject(alarm)
        seen = subjects.setdefault(kind, [])
        if subject not in seen:
            seen.append(subject)
        levels[kind] = worst(levels.get(kind), alarm_level([alarm]))
    total = sum(len(s) for s in subjects.values())
    if total == 0:
        return [(" no alarms", "ok")]
    kinds = sorted(subjects, key=lambda k: -level_rank(levels[k]))  # errors first
    out: list[Segment] = [(f" {total} ALARM{'S' if total > 1 else ''}:", worst(*levels.values()))]
    for i, kind in enumerate(kinds):
        out.append(((", " if i else " ") + f"{kind} {' '.join(subjects[kind])}", levels[kind]))
    return out
