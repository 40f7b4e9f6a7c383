"""Expected versus raised alarms for one matrix scenario: false positives and negatives.

An expectation has three parts, written from what keepalived really did in the lab:
``standing`` alarms must be raised at the end; ``allowed`` ones may stand or not
(the truth is ambiguous, e.g. which of two split-brain masters a GARP "should" come
from); ``transient`` ones may be raised during the scenario if they clear before its
end (e.g. ``instance-silent`` during a kill -9's Master_Down_Interval, a real gap).
Anything else vrrptop raised, standing or transient, is a false positive: a false
error alarm is as serious as a crash.
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass, field

from tests.lab.alarmlog import Observation, Seen

ANY = -1
"""Wildcard for a ``Want``'s vrid or family."""


@dataclass(frozen=True, slots=True)
class Want:
    """An alarm the scenario expects: kind, instance (or ANY / None: segment-wide) and
    optionally a word its subject or message must contain (a host name)."""

    kind: str
    vrid: int | None = ANY
    family: int | None = ANY
    about: str | None = None
    why: str = ""
    also: tuple[str, ...] = ()
    """Other kinds that say the same thing (a split brain the wire cannot show as two
    advertisers is told by ``config-mismatch``)."""

    def matches(self, alarm: Seen) -> bool:
        """Whether ``alarm`` is this one."""
        if alarm.kind != self.kind and alarm.kind not in self.also:
            return False
        if self.vrid != ANY and alarm.vrid != self.vrid:
            return False
        if self.family != ANY and alarm.family != self.family:
            return False
        return self.about is None or self.about in f"{alarm.subject} {alarm.message}"

    @property
    def label(self) -> str:
        """``kind 210/4``, ``kind 210/*``, ``kind recdns-sby``, ``kind -``
        (``kind|other 210/4`` when another kind says the same)."""
        kind = "|".join((self.kind, *self.also))
        if self.about is not None:
            return f"{kind} {self.about}"
        if self.vrid is None:
            return f"{kind} -"
        if self.vrid == ANY:
            return kind
        fam = "*" if self.family == ANY else str(self.family)
        return f"{kind} {self.vrid}/{fam}"


def on(kind: str, *keys: tuple[int, int], why: str = "") -> list[Want]:
    """``Want``s of ``kind`` for each (vrid, family)."""
    return [Want(kind, v, f, why=why) for v, f in keys]


@dataclass(frozen=True, slots=True)
class Expectation:
    """What a scenario expects vrrptop to say (see the module docstring)."""

    standing: tuple[Want, ...] = ()
    allowed: tuple[Want, ...] = ()
    transient: tuple[Want, ...] = ()
    warnings: tuple[str, ...] = ()
    """Words that must appear in some ``{"type":"warning"}`` line."""

    def plus(
        self,
        standing: Iterable[Want] = (),
        allowed: Iterable[Want] = (),
        transient: Iterable[Want] = (),
    ) -> Expectation:
        """This expectation with more wants (duplicates by label dropped)."""

        def merge(a: tuple[Want, ...], b: Iterable[Want]) -> tuple[Want, ...]:
            return tuple({w.label: w for w in (*a, *b)}.values())

        return Expectation(
            merge(self.standing, standing),
            merge(self.allowed, allowed),
            merge(self.transient, transient),
            self.warnings,
        )


@dataclass(slots=True)
class Verdict:
    """False positives and negatives of one scenario, as table cells."""

    false_pos: list[str] = field(default_factory=list)
    false_neg: list[str] = field(default_factory=list)
    transients: list[str] = field(default_factory=list)
    """Every alarm raised and cleared during the scenario (``~kind 210/4 2.1s``)."""

    @property
    def ok(self) -> bool:
        """No false positive and no false negative."""
        return not self.false_pos and not self.false_neg


def judge(exp: Expectation, obs: Observation) -> Verdict:
    """Compare what was expected with what vrrptop said."""
    out = Verdict()
    if not obs.snapshot:
        out.false_neg.append("no final snapshot (vrrptop crashed or hung)")
    for want in exp.standing:
        if not any(want.matches(a) for a in obs.standing):
            out.false_neg.append(want.label)
    for alarm in obs.standing:
        if not any(w.matches(alarm) for w in (*exp.standing, *exp.allowed)):
            out.false_pos.append(f"{alarm.label} ({alarm.severity})")
    for ep in obs.episodes:
        if ep.cleared is None:
            continue  # still standing: judged above
        text = f"~{ep.alarm.label} {ep.duration:.1f}s"
        out.transients.append(text)
        if not any(w.matches(ep.alarm) for w in (*exp.standing, *exp.allowed, *exp.transient)):
            out.false_pos.append(f"{text} ({ep.alarm.severity})")
    for word in exp.warnings:
        if not any(word in w for w in obs.warnings):
            out.false_neg.append(f"warning line naming {word}")
    return out
