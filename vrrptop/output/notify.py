"""``--notify CMD``: one notifier for the whole segment.

keepalived's own notification mail is too noisy (the seed's author: "I get messages
from every server when anything changes"). One vrrptop watching the segment runs
CMD once per master change and once per alarm raised or cleared, with keepalived's
notify arguments, so a script written for keepalived's ``notify`` works unchanged::

    CMD INSTANCE NAME STATE PRIORITY

STATE is ``MASTER`` for a new master, ``DEAD`` when the master that dropped out had
failing DNS (where the seed's notify script says DEAD: its ``named_ok`` failed; a
host taken out of service in the priority file is not DEAD), ``ALARM`` / ``CLEARED``
for an alarm raised / cleared (PRIORITY is then 0). The details are in ``VRRPTOP_*``
environment variables (see ``notify_env``).

Coalesced: the changes of one VRID (and VLAN) within ``coalesce_s`` are one run,
whichever families and intermediate masters they went through; after a run for a
VRID, the next waits ``hold_down_s`` (a flapping master gives one run per hold-down,
``VRRPTOP_CHANGES`` says how many changes it covers); an alarm of one kind raised or
cleared on both families of a VRID is one run. Times are event times (the packet
clock when replaying) advanced by the wall clock between inputs, so a fast replay
coalesces like the live segment did.

Runs happen on a worker thread: ``event``/``alarm`` only take a lock and append, so
the engine thread never waits for a command. The queue is bounded (oldest dropped
and counted); each run has a timeout that kills its process group; a failure is
counted, kept in ``last_error`` and printed as one stderr line, never raised.
"""

from __future__ import annotations

import sys
import threading
import time
from collections import deque
from collections.abc import Callable, Sequence
from dataclasses import dataclass, field

from vrrptop.model.events import Event
from vrrptop.model.expectation import AlarmChange, AlarmKind
from vrrptop.model.snapshot import Snapshot
from vrrptop.output.notify_env import FamilyChange, Names, alarm_notification, master_notification
from vrrptop.output.notify_run import (
    Notification,
    RunResult,
    kill_group,
    parse_command,
    run_notification,
)

#: Changes closer than this (event time) are one run: both families, transient masters.
COALESCE_S = 2.0
#: After a master-change run for a VRID, the next one waits at least this long.
HOLD_DOWN_S = 10.0
TIMEOUT_S = 10.0
QUEUE = 64
#: Reasons of ``new-master`` that are not changes: vrrptop's first sight of a master,
#: the same master resuming after silence (the silence has its own alarm).
_NOT_A_CHANGE = frozenset({"first", "resumed"})
_DNS_ALARMS = frozenset({AlarmKind.HOST_DNS_FAILING, AlarmKind.MASTER_DNS_FAILING})


@dataclass(slots=True)
class MasterGroup:
    """A pending master-change run for one (VRID, VLAN)."""

    vrid: int
    vlan: int | None
    first_ts: float
    due: float
    families: dict[int, FamilyChange] = field(default_factory=dict)
    dead: set[str] = field(default_factory=set)
    """Old masters known DNS-failing when they dropped out (from raised alarms)."""


@dataclass(slots=True)
class AlarmGroup:
    """A pending alarm run: one kind raised (or cleared) on one VRID, any family."""

    first_ts: float
    due: float
    changes: list[AlarmChange] = field(default_factory=list)


Pending = MasterGroup | AlarmGroup


class Notifier:
    """Runs the notify command for master changes and alarm transitions."""

    def __init__(
        self,
        command: str | Sequence[str],
        *,
        snapshot: Callable[[], Snapshot | None] | None = None,
        names: Names | None = None,
        coalesce_s: float = COALESCE_S,
        hold_down_s: float = HOLD_DOWN_S,
        timeout_s: float = TIMEOUT_S,
        queue: int = QUEUE,
        clock: Callable[[], float] = time.monotonic,
        on_error: Callable[[str], None] | None = None,
    ) -> None:
        self.argv = parse_command(command)
        self._snapshot = snapshot
        self._names = names or Names()
        self.coalesce_s = coalesce_s
        self.hold_down_s = hold_down_s
        self.timeout_s = timeout_s
        self._clock = clock
        self._on_error = on_error
        self._cond = threading.Condition()
        self._pending: dict[tuple[object, ...], Pending] = {}
        self._ready: deque[Pending] = deque()
        self._queue = queue
        self._last_run: dict[tuple[int, int | None], float] = {}
        self._dns_failing: dict[str, set[str]] = {}
        """Raised DNS alarms: subject -> evidence values (addresses, names)."""
        self._ts = 0.0
        self._ts_mono = clock()
        self._closing = False
        self._running: list[object] = []
        self.runs = 0
        self.failures = 0
        self.dropped = 0
        self.last_error: str | None = None
        self._thread = threading.Thread(target=self._work, name="notify", daemon=True)
        self._thread.start()

    # -- inputs (engine thread): a lock and an append, never a wait ------------------
    def record(self, record: object) -> None:
        """Records are not notified (``Sink`` protocol)."""

    def warning(self, message: str) -> None:
        """Configuration warnings are said on stderr at start, not notified."""

    def event(self, event: Event) -> None:
        """A tracker event; only ``new-master`` (a real change) is notified."""
        if event.kind != "new-master" or event.vrid is None or event.family is None:
            return
        detail = event.detail
        reason = str(detail.get("reason") or "")
        old = detail.get("previous")
        if reason in _NOT_A_CHANGE or old is None:
            return
        vlan = getattr(event, "vlan", None)
        if vlan is None:
            vlan = detail.get("vlan")
        key: tuple[object, ...] = ("master", event.vrid, vlan)
        with self._cond:
            if self._closing:
                return
            self._advance(event.ts)
            group = self._pending.get(key)
            if not isinstance(group, MasterGroup):
                due = event.ts + self.coalesce_s
                last = self._last_run.get((event.vrid, vlan))
                if last is not None:
                    due = max(due, last + self.hold_down_s)
                group = MasterGroup(event.vrid, vlan, event.ts, due)
                self._add(key, group)
            fam = group.families.get(event.family)
            priority = detail.get("priority")
            gap = detail.get("gap_s")
            if fam is None:
                fam = FamilyChange(str(old), str(detail.get("src")), priority, gap, reason)
                group.families[event.family] = fam
            else:
                fam.new, fam.priority, fam.gap_s, fam.reason = (
                    str(detail.get("src")),
                    priority,
                    gap,
                    reason,
                )
                fam.changes += 1
            if self._is_dns_failing(str(old)):
                group.dead.add(str(old))
            self._cond.notify()

    def alarm(self, change: AlarmChange) -> None:
        """An alarm raised or cleared (from the lifecycle)."""
        alarm = change.alarm
        if alarm.kind in _DNS_ALARMS:
            with self._cond:
                if change.state == "raised":
                    values = {alarm.subject, *(v for _, v in alarm.evidence)}
                    self._dns_failing[alarm.subject] = values
                else:
                    self._dns_failing.pop(alarm.subject, None)
        k = alarm.key
        if k is None:
            key: tuple[object, ...] = ("alarm", change.state, alarm.kind, None, None, alarm.subject)
        else:
            key = ("alarm", change.state, alarm.kind, k.vrid, k.vlan)
        with self._cond:
            if self._closing:
                return
            self._advance(change.ts)
            group = self._pending.get(key)
            if not isinstance(group, AlarmGroup):
                group = AlarmGroup(change.ts, change.ts + self.coalesce_s)
                self._add(key, group)
            group.changes.append(change)
            self._cond.notify()

    # -- state ------------------------------------------------------------------------
    def _now(self) -> float:
        """Event time now: the newest input's time plus the wall time since."""
        return self._ts + (self._clock() - self._ts_mono)

    def _advance(self, ts: float) -> None:
        """Move the event clock to ``ts`` and queue what is due by then, so a change
        after the window never joins a run whose window has passed (a fast replay
        feeds inputs faster than the worker wakes)."""
        if ts >= self._now() or self._ts == 0.0:
            self._ts, self._ts_mono = ts, self._clock()
        self._take_due()

    def _add(self, key: tuple[object, ...], group: Pending) -> None:
        self._pending[key] = group
        if len(self._pending) > self._queue:  # a flood of VRIDs: run the oldest now
            oldest = min(self._pending, key=lambda k: self._pending[k].due)
            self._enqueue(self._pending.pop(oldest))

    def _enqueue(self, group: Pending) -> None:
        if len(self._ready) >= self._queue:
            self._ready.popleft()
            self.dropped += 1
        self._ready.append(group)

    def _is_dns_failing(self, address: str) -> bool:
        return any(address in values for values in self._dns_failing.values())

    def _take_due(self) -> float | None:
        """Move due groups to the ready queue; seconds until the next one (None: none)."""
        now = self._now()
        for key in sorted(self._pending, key=lambda k: self._pending[k].due):
            group = self._pending[key]
            if group.due > now and not self._closing:
                return group.due - now
            del self._pending[key]
            if isinstance(group, MasterGroup):
                # when it was due, not when an input noticed (a fast replay's next
                # input may be far later on the capture clock)
                self._last_run[(group.vrid, group.vlan)] = min(group.due, now)
            self._enqueue(group)
        return None

    # -- the worker -------------------------------------------------------------------
    def _work(self) -> None:
        while True:
            with self._cond:
                while True:
                    wait = self._take_due()
                    if self._ready:
                        group = self._ready.popleft()
                        break
                    if self._closing and not self._pending:
                        return
                    self._cond.wait(wait)
            try:
                notes = self._build(group)
            except Exception as exc:  # noqa: BLE001 - a notifier bug must not stop the monitor
                self._failed("notify", f"cannot build the notification: {exc}")
                continue
            for note in notes:
                self._run(note)

    def _build(self, group: Pending) -> list[Notification]:
        snap = self._snapshot() if self._snapshot is not None else None
        with self._cond:
            dropped, failing = self.dropped, {v for s in self._dns_failing.values() for v in s}
        if isinstance(group, MasterGroup):
            g = group
            return [
                master_notification(
                    g.vrid,
                    g.vlan,
                    g.first_ts,
                    g.families,
                    g.dead,
                    snap,
                    failing,
                    dropped,
                    self._names,
                )
            ]
        return [alarm_notification(group.changes, snap, dropped, self._names)]

    def _run(self, note: Notification) -> None:
        result: RunResult = run_notification(self.argv, note, self.timeout_s, self._running)
        with self._cond:
            self.runs += 1
        if not result.ok:
            self._failed(note.summary, result.why(self.timeout_s))

    def _failed(self, what: str, why: str) -> None:
        line = f"notify {self.argv[0]} ({what}): {why}"
        with self._cond:
            self.failures += 1
            self.last_error = line
        print(f"vrrptop: {line}", file=sys.stderr, flush=True)
        if self._on_error is not None:
            self._on_error(line)

    # -- the end ------------------------------------------------------------------------
    def close(self, timeout: float | None = None) -> None:
        """Run what is pending now (no more waiting for windows), then stop.

        Waits up to ``timeout`` (default: the command timeout plus 5 s) for the
        queue to drain; what is still queued then is dropped and counted, and a
        command still running is killed with its process group.
        """
        with self._cond:
            if self._closing and not self._thread.is_alive():
                return
            self._closing = True
            self._cond.notify()
        deadline = self.timeout_s + 5.0 if timeout is None else timeout
        self._thread.join(deadline)
        if self._thread.is_alive():
            with self._cond:
                self.dropped += len(self._ready) + len(self._pending)
                self._ready.clear()
                self._pending.clear()
            for proc in list(self._running):
                kill_group(proc)  # type: ignore[arg-type]
            self._thread.join(2.0)
