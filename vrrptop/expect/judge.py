"""The stateful judgement the monitor runs on each published snapshot.

It remembers what a single pass cannot: when each instance's inputs last changed
(so declared-versus-observed waits for keepalived to follow -- ``settle``), which
alarms are raised (``lifecycle``), and which priority-file saves are still being
watched for a move that should follow (``save-not-distributed``). It returns the
snapshot with expectations and alarms attached, and the alarm transitions to
stream. Configured instances that are not on the wire get a row of their own
(state ``unseen``), so a silent instance is never simply missing.
"""

from __future__ import annotations

from collections import deque
from collections.abc import Mapping, Sequence
from dataclasses import dataclass, replace
from pathlib import Path
from typing import Any

from vrrptop.config.hostmap import Resolver
from vrrptop.config.model import InstanceConfig
from vrrptop.expect.correlate import Verdict, correlate
from vrrptop.expect.facts import HostFacts, known_priorities
from vrrptop.expect.lifecycle import AlarmBook
from vrrptop.expect.settle import settle_time
from vrrptop.model.expectation import (
    SEVERITY,
    Alarm,
    AlarmChange,
    AlarmKind,
    InstanceKey,
    PrioritySave,
)
from vrrptop.model.node import NodeState
from vrrptop.model.snapshot import GapStats, InstanceView, Snapshot
from vrrptop.priority.file import PriorityFile

#: Hold-down of names that do not resolve: the resolver answers asynchronously.
NAMES_HOLD_S = 5.0
#: Priority-file saves kept for the timelines' markers (the latest).
SAVES = 200
#: Hold-down of a master no evidence joins to a host (a link-local address, a
#: use_vmac or unicast_peer router): the join comes from the host's own ARP reply or
#: NA to vrrptop's probes, which a warm neighbour cache delays until its entry goes
#: stale and is re-probed (Linux: 15-45 s REACHABLE, then 5 s DELAY). Saying it
#: sooner raises a warning at every start that clears seconds later.
UNJOINED_HOLD_S = 50.0
#: After the capture dropped frames, silence is not judged for this long: a missing
#: advert may be ours, not the router's.
DROP_QUIET_S = 5.0


@dataclass(frozen=True, slots=True)
class _SaveWatch:
    """After our editor saved ``path``: what the masters advertised at that moment."""

    path: Path
    at: float
    before: dict[InstanceKey, tuple[str | None, int | None]]
    """Instance -> (master address, its advertised priority) at the save."""


def unseen_view(inst: InstanceConfig, family: int, now: float) -> InstanceView:
    """A row for a configured instance nothing on the wire has shown."""
    assert inst.vrid is not None
    vips = tuple(v for v in inst.vips if (":" in v) == (family == 6))
    return InstanceView(
        vrid=inst.vrid, family=family, version=0, state="unseen", master=None,
        master_mac=None, priority=None, interval_cs=round(inst.advert_int * 100),
        addresses=vips, auth_type=None, first_seen=now, last_seen=now, age_s=0.0,
        master_down_s=0.0, adverts=0, checksum_variant=None, checksum_errors=0, masters=(),
        sources=(), gaps=GapStats(), vip_holders=(), problems={}, last_advert=None,
        name=inst.name,
    )  # fmt: skip


class Judge:
    """Expectations and alarms across snapshots, for one session."""

    def __init__(
        self,
        instances: Sequence[InstanceConfig],
        *,
        probing: bool = False,
        probe_interval: float = 2.0,
        probe_timeout: float = 1.0,
        distributes: bool = False,
    ) -> None:
        self.instances = tuple(instances)
        self.probing = probing
        #: A DNS failure must outlast two probes: a VIP caught mid-failover recovers.
        self._dns_hold = 2 * probe_interval + probe_timeout
        self._distributes = distributes
        self.book = AlarmBook(self._hold)
        self._signature: dict[InstanceKey, tuple[object, ...]] = {}
        self._changed: dict[InstanceKey, float] = {}
        self._global: float | None = None
        self._saves: list[_SaveWatch] = []
        self._save_log: deque[PrioritySave] = deque(maxlen=SAVES)
        self._save_view: tuple[PrioritySave, ...] = ()
        self._dropped = 0
        self._drop_at = float("-inf")
        self._by_vrid = {(i.vrid, f): i for i in self.instances for f in i.families}

    # -- inputs vrrptop knows changed ------------------------------------------------
    def note_change(self, at: float) -> None:
        """Inputs of every prediction changed at ``at`` (a priority file's mtime)."""
        self._global = at if self._global is None else max(self._global, at)

    def note_save(self, path: Path, at: float, snapshot: Snapshot) -> None:
        """Our editor saved ``path`` at ``at``: settle, and watch that something moves."""
        self.note_change(at)
        before = {v.key: (v.master, v.priority) for v in snapshot.instances}
        self._saves = [w for w in self._saves if w.path != path]
        self._saves.append(_SaveWatch(path, at, before))
        keys = tuple(
            InstanceKey(i.vrid, f)
            for i in self.instances
            if i.vrid is not None and i.priority_file == path
            for f in i.families
        )
        self._save_log.append(PrioritySave(at, str(path), keys))
        self._save_view = tuple(self._save_log)

    def reset(self) -> None:
        """Forget everything (the console's ``c``)."""
        self.book.reset()
        self._signature.clear()
        self._changed.clear()
        self._saves.clear()
        self._save_log.clear()
        self._save_view = ()

    # -- the pass --------------------------------------------------------------------
    def _hold(self, alarm: Alarm) -> float:
        kind = alarm.kind
        if kind in (AlarmKind.VIP_DNS_FAILING, AlarmKind.HOST_DNS_FAILING):
            return self._dns_hold
        if kind is AlarmKind.NAMES_UNRESOLVED:
            return NAMES_HOLD_S if alarm.key is None else UNJOINED_HOLD_S
        if kind is AlarmKind.INSTANCE_SILENT and alarm.key is not None:
            inst = self._by_vrid.get((alarm.key.vrid, alarm.key.family))
            # Backups take over within one advert of the tracker's silent deadline.
            return (inst.advert_int if inst else 1.0) + 0.5
        return 0.0

    def _remaining(self, snapshot: Snapshot, now: float) -> dict[InstanceKey, float]:
        out: dict[InstanceKey, float] = {}
        views = {v.key: v for v in snapshot.instances}
        for key, changed in self._changed.items():
            inst = self._by_vrid.get((key.vrid, key.family))
            if inst is None:
                continue
            at = changed if self._global is None else max(changed, self._global)
            view = views.get(key)
            if view is not None and view.masters:
                at = max(at, view.masters[-1].since)
            out[key] = at + settle_time(inst) - now
        return out

    def _pass(
        self,
        snapshot: Snapshot,
        files: Mapping[Path, PriorityFile],
        facts: HostFacts,
        now: float,
        known: Mapping[tuple[int, int], Mapping[str, int]] | None = None,
    ) -> Verdict:
        return correlate(
            snapshot,
            self.instances,
            files,
            facts,
            now,
            self._remaining(snapshot, now),
            probing=self.probing,
            known=known,
        )

    def judge(
        self,
        snapshot: Snapshot,
        files: Mapping[Path, PriorityFile],
        health: Mapping[Any, object],
        *,
        hosts: Mapping[str, Sequence[str]] | None = None,
        resolve: Resolver | None = None,
        node: NodeState | None = None,
    ) -> tuple[Snapshot, list[AlarmChange]]:
        """Attach expectations and raised alarms to ``snapshot``; return the
        transitions since the last call. ``node``: the local keepalived's own state
        (its effective priority replaces the file's guess for this node)."""
        now = snapshot.ts
        if now <= 0.0:
            # No time yet (a replay before its first frame): judged at 0, every
            # condition would start its hold-down at the epoch and be raised at the
            # first real snapshot without waiting (measured: names-unresolved at start).
            return snapshot, []
        known_names = [n for f in files.values() for n in f.hosts()]
        facts = HostFacts.build(snapshot, known_names, health, hosts=hosts, resolve=resolve)
        seen = {(v.vrid, v.family) for v in snapshot.instances}
        unseen = tuple(
            unseen_view(i, f, now)
            for i in self.instances
            if i.vrid is not None
            for f in i.families
            if (i.vrid, f) not in seen
        )
        if unseen:
            snapshot = replace(snapshot, instances=(*snapshot.instances, *unseen))
        known = known_priorities(node, facts, known_names)
        verdict = self._pass(snapshot, files, facts, now, known)
        dirty = False
        for key, found in verdict.expectations.items():
            if not found.configured:
                continue
            prios = tuple((h.name, h.expected_priority) for h in found.hosts)
            signature = (found.predicted_master, prios)
            if self._signature.get(key) != signature:
                self._signature[key] = signature
                self._changed[key] = now
                dirty = True
        if dirty:
            known = known_priorities(node, facts, known_names)
        verdict = self._pass(snapshot, files, facts, now, known)
        candidates = [a for e in verdict.expectations.values() for a in e.alarms]
        if snapshot.counters.dropped > self._dropped:
            self._dropped, self._drop_at = snapshot.counters.dropped, now
        if now - self._drop_at < DROP_QUIET_S:
            seen_keys = {v.key for v in snapshot.instances if v.state != "unseen"}
            candidates = [
                a
                for a in candidates
                if not (a.kind is AlarmKind.INSTANCE_SILENT and a.key in seen_keys)
            ]
        candidates.extend(verdict.segment)
        candidates.extend(self._save_hints(snapshot, verdict, now))
        changes = self.book.update(candidates, now)
        active = self.book.active()
        by_key: dict[InstanceKey | None, list[Alarm]] = {}
        for alarm in active:
            by_key.setdefault(alarm.key, []).append(alarm)
        views = []
        for view in snapshot.instances:
            exp = verdict.expectations.get(view.key)
            if exp is None:
                views.append(view)
                continue
            views.append(
                replace(
                    view,
                    name=view.name or exp.name,
                    expectation=exp,
                    alarms=tuple(by_key.get(view.key, ())),
                )
            )
        judged = replace(
            snapshot,
            instances=tuple(views),
            alarms=active,
            alarm_history=self.book.history,
            saves=self._save_view,
            declared_hosts=verdict.declared,
            # Said only once the alarm holds: a join that is one snapshot late is no news.
            warnings=tuple(a.message for a in active if a.kind is AlarmKind.NAMES_UNRESOLVED),
        )
        return judged, changes

    def _save_hints(self, snapshot: Snapshot, verdict: Verdict, now: float) -> list[Alarm]:
        """``save-not-distributed``: a save predicted a move, the settle time passed,
        and the master still advertises what it did before the save: the other
        servers read their own copies of the file."""
        if self._distributes:
            return []
        out: list[Alarm] = []
        keep: list[_SaveWatch] = []
        views = {v.key: v for v in snapshot.instances}
        for watch in self._saves:
            pending = False
            for key, (master, prio) in watch.before.items():
                inst = self._by_vrid.get((key.vrid, key.family))
                exp = verdict.expectations.get(key)
                view = views.get(key)
                if inst is None or exp is None or view is None or inst.priority_file is None:
                    continue
                if inst.priority_file != watch.path:
                    continue
                wanted = exp.priority_of(exp.observed_master_name or "")
                moved = exp.agrees is not False and (wanted is None or wanted == view.priority)
                if moved:
                    continue
                pending = True
                if now < watch.at + settle_time(inst):
                    continue
                if view.master == master and view.priority == prio:
                    out.append(
                        Alarm(
                            AlarmKind.SAVE_NOT_DISTRIBUTED,
                            f"{inst.name}: nothing moved after the save of {watch.path}: the "
                            f"master still advertises {prio}. keepalived on the other servers "
                            "reads their own copies of the file: configure on_save (e.g. rsync "
                            "to every server) or edit it on each",
                            str(watch.path),
                            key,
                            inst.name,
                            SEVERITY[AlarmKind.SAVE_NOT_DISTRIBUTED],
                        )
                    )
            if pending:
                keep.append(watch)
        self._saves = keep
        return out
