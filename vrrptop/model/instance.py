"""Per-(VLAN, VRID, family) tracking: master elections, timers, split brain, mismatches.

The same VRID on two VLANs of an 802.1Q trunk is two virtual routers: its adverts
never meet, so it is two instances (``InstanceKey``), never a split brain.

Rules (documented here because they are judgement calls on top of the RFCs):

- **Master**: the first source seen; then any source that wins the RFC election
  against the live master's *current* advertised priority (higher priority, equal
  priority -> higher IP compared numerically) -- a preemption; or the first source
  advertising after the master went silent or resigned.
- **master-lost**: no advert from the master for its own Master_Down_Interval
  (``timers.master_down_interval`` of the master's priority, interval and version).
  Fired once, at exactly that deadline; state "silent" until adverts resume.  A silent
  or resigned master that advertises again starts a new term (``reason`` "resumed").
- **contention**: a source that is not the master advertises while the master is live
  and loses the election (backups should be silent).  Typical cause: two backups whose
  timers expired together; the loser sends one advert.  Reported once per run; not
  for a just-preempted master's trailing advert (within 1.5 intervals of its last
  advert as master).
- **split brain** and **mismatch**: see ``conflicts``.
"""

from __future__ import annotations

from collections import deque
from typing import Any

from vrrptop.model.caps import MAX_HISTORY, MAX_SOURCES, evict_oldest
from vrrptop.model.conflicts import (
    WINDOW_S,
    affects,
    check_mismatch,
    check_split,
    end_split,
    mismatch_affected,
)
from vrrptop.model.events import Event, EventKind, Severity
from vrrptop.model.expectation import InstanceKey
from vrrptop.model.snapshot import SplitTerm, TermEnd
from vrrptop.model.source import NEVER, Source, Term
from vrrptop.model.stats import GapRing
from vrrptop.wire.records import Advert

#: At most one checksum-error event per source per this many seconds.
CKSUM_EVENT_EVERY_S = 10.0

INF = float("inf")


def label(vrid: int, family: int, vlan: int | None = None) -> str:
    """Human name of an instance, e.g. "VRID 210 (IPv4)", "VRID 210 (IPv4, VLAN 20)"."""
    return InstanceKey(vrid, family, vlan).label


def key_text(vrid: int, family: int, vlan: int | None = None) -> str:
    """The instance's key in string-keyed tables (``HostView.priorities``, UI rows):
    ``"210/4"`` untagged, ``"210/4@20"`` on VLAN 20 (untagged keys never change)."""
    return f"{vrid}/{family}" if vlan is None else f"{vrid}/{family}@{vlan}"


def table_key(vrid: int, family: int, vlan: int | None) -> int:
    """The tracker's integer key of an instance (cheap to build and hash per advert)."""
    return vrid << 4 | family if vlan is None else (vlan + 1) << 20 | vrid << 4 | family


class Instance:
    """Mutable state of one virtual router; only ``Tracker`` drives it."""

    def __init__(self, vrid: int, family: int, vlan: int | None = None) -> None:
        self.vrid = vrid
        self.family = family
        self.vlan = vlan
        self.ident = InstanceKey(vrid, family, vlan)
        self.key = key_text(vrid, family, vlan)
        self.label = self.ident.label
        self.sources: dict[str, Source] = {}
        self.master: Source | None = None
        self.master_state = "ok"
        """"ok", "silent" (master-lost fired) or "resigned" (priority 0 seen)."""
        self.fast: Source | None = None
        """The master while the fast path applies (state ok), else None (``repeats``)."""
        self.others_until = NEVER
        """Until when some other source is live (the fast path waits for it)."""
        self.due = INF
        """Next time ``timers`` may have work to do (early is harmless, late is not)."""
        self.other_due = INF
        """Next timer not about the master's deadline (other sources, mismatch window);
        may be early (a source advertised since), never late."""
        self.run_mark = NEVER
        """Latest start of a run of any source (see ``conflicts.affects``)."""
        self.order = 0
        """Creation order in the tracker (timers fire in this order)."""
        self.queued = INF
        """Time of this instance's live entry in the tracker's timer heap (INF: none)."""
        self.qseq = -1
        """Sequence number of that entry (older entries are stale)."""
        self.first_seen = NEVER
        self.last_seen = NEVER
        self.adverts = 0
        self.terms: deque[Term] = deque(maxlen=MAX_HISTORY)
        self.splits: deque[SplitTerm] = deque(maxlen=MAX_HISTORY)
        """Split-brain periods, oldest first (the last one open while ``split``)."""
        self.terms_version = 0
        """Bumped whenever ``terms`` or ``splits`` change, so views rebuild the
        history only then."""
        self.gaps = GapRing()
        self.problems: dict[str, int] = {}
        self.checksum_errors = 0
        self.last_cksum_error = NEVER
        self.last_advert: Advert | None = None
        self.split: tuple[str, ...] = ()
        self.mismatch: dict[str, dict[str, Any]] = {}
        self.auth_mismatch = False
        self.evicted = 0
        self.dirty = True
        """Set on every change; the snapshot builder clears it after caching views."""
        self.cache: Any = None
        """View parts cached by ``views.instance_view`` while not dirty."""
        self.indexed: tuple[str, ...] = ()
        """Addresses this instance is registered under in the tracker's VIP index."""

    # -- slow path ---------------------------------------------------------------

    def advert(self, rec: Advert, now: float, out: list[Event]) -> None:
        """Process any advert for this instance, appending events to ``out``.

        The checks over all sources (``conflicts``) and the full ``_schedule`` run only
        when this advert can change their answer (``conflicts.affects``); a contending
        router repeating itself costs the same whatever the number of routers.
        """
        self.dirty = True
        if self.adverts == 0:
            self.first_seen = now
        self.adverts += 1
        self.last_seen = now
        self.last_advert = rec
        for p in rec.problems:
            self.problems[p] = self.problems.get(p, 0) + 1
        src = self.sources.get(rec.src)
        if src is None:
            src = self._source(rec, now)
            changed = fields = True
        else:
            fields = mismatch_affected(src, rec, now)
            changed = fields or affects(self, src, rec, now)
        prev_seen = src.last_seen
        prev_prio = src.priority
        src.record(rec, now)
        if src.run_start > self.run_mark:
            self.run_mark = src.run_start  # a new run: every source must re-qualify
            changed = True
        elif src.t3 < self.run_mark:
            changed = True  # may cross into a split-brain pair on its next adverts
        m = self.master
        if rec.priority == 0:
            if src is m and self.master_state != "resigned":
                self._resign(src, now, out)
                changed = True
        elif m is None or self.master_state != "ok":
            self._take_over(src, now, out, prev_seen)
            changed = True
        elif src is m:
            self.gaps.add(now - prev_seen, src.interval_s)
            src.last_master = now
            if prev_prio != src.priority:
                self.emit(
                    out,
                    now,
                    "priority-change",
                    "info",
                    f"Master {src.src} of {self.label} changed priority "
                    f"{prev_prio} -> {src.priority}",
                    {"src": src.src, "old": prev_prio, "new": src.priority},
                )
        elif src.priority > m.priority or (src.priority == m.priority and src.ip > m.ip):
            self._take_over(src, now, out, prev_seen)  # wins the election (Source.rank)
            changed = True
        elif not src.contended and not _just_deposed(src, now):
            src.contended = True
            self.bump("contention")
            self.emit(
                out,
                now,
                "contention",
                "info",
                f"{src.src} also claimed master of {self.label} at priority {src.priority} "
                f"but loses the election to {m.src}",
                {"src": src.src, "priority": src.priority, "master": m.src},
            )
        if not rec.checksum_ok:
            self._checksum_error(rec, src, now, out)
        if changed:
            if len(self.sources) > 1:
                check_split(self, now, out)
                if fields:
                    check_mismatch(self, now, out)
            self._schedule(now)
            return
        # Nothing the checks read changed: only this source's deadline moved later.
        # ``due``/``other_due`` may now be early, never late: ``timers`` recomputes.
        e = src.expiry
        if src is not self.master:
            if e > self.others_until:
                self.others_until = e
        elif self.master_state == "ok":
            self.due = e if e < self.other_due else self.other_due

    def _source(self, rec: Advert, now: float) -> Source:
        src = self.sources.get(rec.src)
        if src is None:
            if len(self.sources) >= MAX_SOURCES:
                keep = self.master.src if self.master else None
                self.evicted += evict_oldest(self.sources, lambda s: s.last_seen, keep)
            src = self.sources[rec.src] = Source(rec, now)
        return src

    def _take_over(self, src: Source, now: float, out: list[Event], prev_seen: float) -> None:
        """``src`` becomes master; ``prev_seen`` is its advert before this one."""
        old = self.master
        old_state = self.master_state
        self._end_term(now, "preempted")
        self.master = src
        self.master_state = "ok"
        self.fast = src
        src.last_master = now
        self.terms.append(Term(src.src, now, src.priority, src.mac))
        self.terms_version += 1
        self.gaps.clear()
        resumed = old is src
        gap = None if old is None else now - (prev_seen if resumed else old.last_seen)
        if old is None:
            reason = "first"
            msg = f"{src.src} is master of {self.label} at priority {src.priority}"
        elif resumed:
            reason = "resumed"
            msg = f"{src.src} resumed as master of {self.label} after {gap:.1f} s"
        elif old_state == "resigned":
            reason = "resign"
            msg = (
                f"{src.src} took over {self.label} at priority {src.priority}, "
                f"{gap:.1f} s after {old.src} resigned"
            )
        elif old_state == "silent":
            reason = "failover"
            msg = (
                f"{src.src} took over {self.label} at priority {src.priority} "
                f"after {gap:.1f} s without adverts from {old.src}"
            )
        else:
            reason = "preempt"
            msg = (
                f"{src.src} (priority {src.priority}) preempted {old.src} "
                f"(priority {old.priority}) as master of {self.label}"
            )
        self.emit(
            out,
            now,
            "new-master",
            "info",
            msg,
            {
                "src": src.src,
                "previous": None if old is None else old.src,
                "priority": src.priority,
                "gap_s": gap,
                "reason": reason,
                "mac": src.mac,
            },
        )

    def _resign(self, src: Source, now: float, out: list[Event]) -> None:
        self.master_state = "resigned"
        self.fast = None
        self._end_term(now, "resigned")
        self.bump("resign")
        self.emit(
            out,
            now,
            "resign",
            "warning",
            f"Master {src.src} of {self.label} resigned (priority 0 advert)",
            {"src": src.src},
        )

    def _checksum_error(self, rec: Advert, src: Source, now: float, out: list[Event]) -> None:
        self.checksum_errors += 1
        self.last_cksum_error = now
        if "bad-checksum" not in rec.problems:
            self.bump("bad-checksum")
        if now - src.cksum_event >= CKSUM_EVENT_EVERY_S:
            src.cksum_event = now
            self.emit(
                out,
                now,
                "checksum-error",
                "warning",
                f"Bad checksum in advert from {src.src} for {self.label}",
                {"src": src.src, "checksum": rec.checksum},
            )

    # -- checks that depend on several sources ------------------------------------

    def timers(self, now: float, out: list[Event]) -> None:
        """Fire what is due at ``now``: master-lost, end of split brain/mismatch."""
        self.dirty = True
        m = self.master
        if m is not None and self.master_state == "ok" and now >= m.expiry:
            deadline = m.expiry
            self.master_state = "silent"
            self.fast = None
            self._end_term(m.last_seen, "lost")
            self.bump("master-lost")
            self.emit(
                out,
                deadline,
                "master-lost",
                "warning",
                f"No advert from master {m.src} of {self.label} for {m.mdi:.2f} s "
                "(Master_Down_Interval)",
                {"src": m.src, "last_seen": m.last_seen, "master_down_s": m.mdi},
            )
        if self.split and sum(1 for s in self.sources.values() if s.expiry > now) < 2:
            end_split(self, now)
        if self.mismatch or self.auth_mismatch:
            check_mismatch(self, now, out)
        self._schedule(now)

    def _schedule(self, now: float) -> None:
        """Recompute ``due``, ``other_due`` and ``others_until`` after any change."""
        m = self.master
        other_due = INF
        others = NEVER
        watch_window = bool(self.mismatch or self.auth_mismatch)
        for s in self.sources.values():
            if watch_window and s.last_seen + WINDOW_S >= now:
                other_due = min(other_due, s.last_seen + WINDOW_S + 1e-9)
            if s is m:
                continue
            e = s.expiry
            if e > now:
                others = max(others, e)
                other_due = min(other_due, e)
        self.others_until = others
        self.other_due = other_due
        due = m.expiry if m is not None and self.master_state == "ok" else INF
        self.due = min(due, other_due)

    # -- helpers ------------------------------------------------------------------

    def _end_term(self, until: float, why: TermEnd) -> None:
        """Close the running master term (if any) at ``until``, saying ``why``."""
        if self.terms and self.terms[-1].until is None:
            self.terms[-1].until = until
            self.terms[-1].ended = why
            self.terms_version += 1

    def bump(self, problem: str) -> None:
        """Count one occurrence of ``problem`` in this instance's problem table."""
        self.problems[problem] = self.problems.get(problem, 0) + 1

    def emit(
        self,
        out: list[Event],
        ts: float,
        kind: EventKind,
        severity: Severity,
        message: str,
        detail: dict[str, Any],
    ) -> None:
        """Append an event about this instance to ``out``."""
        out.append(Event(ts, kind, severity, message, self.vrid, self.family, detail, self.vlan))


def _just_deposed(src: Source, now: float) -> bool:
    """True for a preempted master's trailing advert (sent before it saw the winner).

    Allowed within 1.5 of its intervals of its last advert as master: packets cross.
    """
    return src.last_master is not None and now - src.last_master <= 1.5 * src.interval_s
