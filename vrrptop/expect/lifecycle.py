"""Alarms raised once and cleared once: the hold-down between conditions and alarms.

The correlation says, snapshot by snapshot, which conditions hold (candidates).
An operator -- and a pager, and ``--notify`` -- needs something steadier: an alarm
is *raised* when its condition has held for its hold-down (so a normal failover's
gap, or a DNS probe caught mid-move, is not an outage), keeps the time it was
first seen (``since``), and is *cleared* once the condition has been gone for
``clear_after`` (so a condition flickering at a threshold does not flap). Every
transition is returned exactly once, as an ``AlarmChange``.
"""

from __future__ import annotations

from collections import deque
from collections.abc import Callable, Iterable
from dataclasses import dataclass, replace

from vrrptop.model.expectation import Alarm, AlarmChange, AlarmKind, InstanceKey

#: A raised alarm whose condition vanished is cleared after this long, seconds.
CLEAR_AFTER_S = 2.0
#: Transitions kept for the timeline (an alarm raised and cleared before now is only
#: there); a long session keeps the latest.
HISTORY = 1_000

_SEVERITY_RANK = {"error": 0, "warning": 1, "info": 2}

Ident = tuple[AlarmKind, InstanceKey | None, str]


@dataclass(slots=True)
class _Entry:
    alarm: Alarm
    first_seen: float
    last_seen: float
    raised: bool = False


class AlarmBook:
    """The alarms of one session. Not thread-safe: the monitor drives it from the
    engine thread; others read the immutable alarms it returns."""

    def __init__(
        self, hold: Callable[[Alarm], float] | None = None, clear_after: float = CLEAR_AFTER_S
    ) -> None:
        self._hold = hold or (lambda _alarm: 0.0)
        self._clear_after = clear_after
        self._entries: dict[Ident, _Entry] = {}
        self._history: deque[AlarmChange] = deque(maxlen=HISTORY)
        self._history_view: tuple[AlarmChange, ...] = ()

    def reset(self) -> None:
        """Forget every alarm without reporting transitions (the session restarted)."""
        self._entries.clear()
        self._history.clear()
        self._history_view = ()

    @property
    def history(self) -> tuple[AlarmChange, ...]:
        """The latest ``HISTORY`` transitions, oldest first (rebuilt only when one
        happens: snapshots share it)."""
        return self._history_view

    def update(self, candidates: Iterable[Alarm], now: float) -> list[AlarmChange]:
        """Feed this snapshot's conditions; returns the transitions they cause."""
        changes: list[AlarmChange] = []
        present: set[Ident] = set()
        for alarm in candidates:
            ident = alarm.ident
            if ident in present:
                continue  # the same condition found twice in one pass
            present.add(ident)
            entry = self._entries.get(ident)
            if entry is None:
                entry = self._entries[ident] = _Entry(alarm, now, now)
            entry.alarm = replace(alarm, since=entry.first_seen)
            entry.last_seen = now
            if not entry.raised and now - entry.first_seen >= self._hold(alarm):
                entry.raised = True
                changes.append(AlarmChange("raised", entry.alarm, now))
        for ident, entry in list(self._entries.items()):
            if ident in present:
                continue
            if not entry.raised:
                del self._entries[ident]  # gone before its hold-down: never an alarm
            elif now - entry.last_seen >= self._clear_after:
                del self._entries[ident]
                changes.append(AlarmChange("cleared", entry.alarm, now))
        if changes:
            self._history.extend(changes)
            self._history_view = tuple(self._history)
        return changes

    def active(self) -> tuple[Alarm, ...]:
        """Raised alarms, errors first, then oldest first."""
        raised = [e.alarm for e in self._entries.values() if e.raised]
        raised.sort(key=lambda a: (_SEVERITY_RANK.get(a.severity, 3), a.since, a.subject))
        return tuple(raised)
