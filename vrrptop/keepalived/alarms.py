"""Alarms from what the local keepalived says, beside the wire and the priority file.

The questions keepalived users ask first -- "why is this node still master / not
taking over", "which track script failed" -- have answers only on the node. Raised
through the same lifecycle as the judgement's alarms (``expect.lifecycle``: a
hold-down, raised once, cleared once), on the engine thread at publish time:

- ``keepalived-fault``: keepalived has the instance in FAULT;
- ``keepalived-wire-mismatch``: keepalived says MASTER but another master
  advertises, or none of this node's adverts is seen; or it says BACKUP while the
  wire shows this node as master (judged only on a read newer than the wire's last
  master change: keepalived is read every few seconds, the wire is live);
- ``keepalived-priority-mismatch``: the effective priority keepalived computed is not
  what the priority file predicts for this node (the track script does not do what
  the file says);
- ``keepalived-script-failing``: a track script whose failure costs priority
  (weight < 0) or the instance (weight 0: FAULT) is failing;
- ``keepalived-errors``: an error counter rose in the last minute (a peer with
  another auth_pass, VIP list or advert_int).
"""

from __future__ import annotations

from dataclasses import replace

from vrrptop.expect.facts import is_local
from vrrptop.expect.lifecycle import AlarmBook
from vrrptop.model.expectation import SEVERITY, Alarm, AlarmChange, AlarmKind, InstanceKey
from vrrptop.model.node import ERROR_COUNTERS, LocalInstance, NodeState
from vrrptop.model.snapshot import InstanceView, Snapshot

#: Hold-downs: keepalived is read every few seconds and a transition takes a
#: Master_Down_Interval; a state caught mid-change is not an alarm.
HOLD_S: dict[AlarmKind, float] = {
    AlarmKind.KEEPALIVED_FAULT: 0.0,
    AlarmKind.KEEPALIVED_WIRE_MISMATCH: 8.0,
    AlarmKind.KEEPALIVED_PRIORITY_MISMATCH: 10.0,
    AlarmKind.KEEPALIVED_SCRIPT_FAILING: 0.0,
    AlarmKind.KEEPALIVED_ERRORS: 0.0,
}
ERRORS_WINDOW_S = 60.0
"""An error counter that rose is an alarm for this long after its last rise."""
CLEAR_AFTER_S = 4.0
"""Longer than the judgement's: keepalived is read every few seconds only."""

#: What a rising counter usually means, for the message.
HINTS: dict[str, str] = {
    "auth_failure": "a peer's auth_pass differs",
    "invalid_authtype": "a peer uses another auth_type",
    "authtype_mismatch": "a peer uses another auth_type",
    "addr_list_err": "a peer's virtual_ipaddress list differs",
    "advert_interval_err": "a peer's advert_int differs",
    "ip_ttl_err": "adverts arrive routed (TTL not 255)",
}


def _alarm(kind: AlarmKind, message: str, inst: LocalInstance, key: InstanceKey,
           evidence: tuple[tuple[str, str], ...] = ()) -> Alarm:  # fmt: skip
    return Alarm(kind, message, inst.name, key, inst.name, SEVERITY[kind], 0.0, evidence)


class NodeAlarms:
    """The local keepalived's alarms for one session (engine thread only)."""

    def __init__(self, interface: str | None = None) -> None:
        self.interface = interface
        self.book = AlarmBook(lambda a: HOLD_S.get(a.kind, 0.0), clear_after=CLEAR_AFTER_S)
        self._counters: dict[tuple[str, str], int] = {}
        self._rose: dict[tuple[str, str], tuple[float, int]] = {}
        self._read_ts = 0.0

    def judge(self, snap: Snapshot, node: NodeState | None) -> tuple[Snapshot, list[AlarmChange]]:
        """Add the local keepalived's alarms to ``snap``; returns the transitions."""
        candidates: list[Alarm] = []
        if node is not None and node.instances:
            if node.ts != self._read_ts:
                self._read_ts = node.ts
                self._note_counters(node)
            views = {(v.vrid, v.family): v for v in snap.instances}
            for inst in node.instances:
                view = views.get((inst.vrid, inst.family))
                key = view.key if view is not None else InstanceKey(inst.vrid, inst.family)
                candidates.extend(self._conditions(inst, view, key, node, snap.ts))
        changes = self.book.update(candidates, snap.ts)
        active = self.book.active()
        if self.book.history:  # past node alarms, for the timeline (beside the judge's)
            snap = replace(snap, alarm_history=snap.alarm_history + self.book.history)
        if not active and not changes:
            return snap, changes
        by_key: dict[InstanceKey, list[Alarm]] = {}
        for alarm in active:
            if alarm.key is not None:
                by_key.setdefault(alarm.key, []).append(alarm)
        instances = tuple(
            replace(v, alarms=v.alarms + tuple(by_key[v.key])) if v.key in by_key else v
            for v in snap.instances
        )
        return replace(snap, instances=instances, alarms=snap.alarms + active), changes

    # -- conditions ---------------------------------------------------------------------
    def _note_counters(self, node: NodeState) -> None:
        for inst in node.instances:
            for key, _label in ERROR_COUNTERS:
                value = inst.counter(key)
                if value is None:
                    continue
                ident = (inst.name, key)
                before = self._counters.get(ident)
                self._counters[ident] = value
                if before is not None and value > before:
                    self._rose[ident] = (node.ts, value - before)

    def _conditions(
        self,
        inst: LocalInstance,
        view: InstanceView | None,
        key: InstanceKey,
        node: NodeState,
        now: float,
    ) -> list[Alarm]:
        out: list[Alarm] = []
        if inst.state == "FAULT":
            failed = ", ".join(s.name for s in inst.scripts_failed) or "an interface or script"
            out.append(_alarm(AlarmKind.KEEPALIVED_FAULT,
                              f"keepalived has {inst.name} in FAULT on this node ({failed})",
                              inst, key))  # fmt: skip
        wire = self._wire_mismatch(inst, view, node, now)
        if wire:
            out.append(_alarm(AlarmKind.KEEPALIVED_WIRE_MISMATCH, wire, inst, key))
        expected = self._expected(view, node)
        if expected is not None and expected != inst.effective_priority:
            out.append(_alarm(
                AlarmKind.KEEPALIVED_PRIORITY_MISMATCH,
                f"keepalived computed priority {inst.priority_text()} for {inst.name} on this "
                f"node; the priority file predicts {expected}",
                inst, key,
                (("effective", str(inst.effective_priority)), ("expected", str(expected))),
            ))  # fmt: skip
        for script in inst.scripts:
            if script.ok is False and script.weight <= 0 and not script.reverse:
                cost = "the instance goes to FAULT" if script.weight == 0 else (
                    f"priority {script.weight:+d}")  # fmt: skip
                out.append(replace(
                    _alarm(AlarmKind.KEEPALIVED_SCRIPT_FAILING,
                           f"track script {script.name} of {inst.name} is failing ({cost})",
                           inst, key),
                    subject=f"{inst.name}/{script.name}",
                ))  # fmt: skip
        for counter, label in ERROR_COUNTERS:
            rose = self._rose.get((inst.name, counter))
            if rose is not None and now - rose[0] <= ERRORS_WINDOW_S:
                hint = HINTS.get(counter)
                out.append(replace(
                    _alarm(AlarmKind.KEEPALIVED_ERRORS,
                           f"keepalived counts {label} on {inst.name} (+{rose[1]}, "
                           f"{inst.counter(counter)} in all)" + (f": {hint}?" if hint else ""),
                           inst, key, (("counter", counter),)),
                    subject=f"{inst.name}/{counter}",
                ))  # fmt: skip
        return out

    def _wire_mismatch(
        self, inst: LocalInstance, view: InstanceView | None, node: NodeState, now: float
    ) -> str:
        if self.interface not in (None, "any", inst.interface):
            return ""  # its adverts go out on an interface vrrptop does not capture
        if view is not None and view.masters and view.masters[-1].since > node.ts:
            return ""  # the wire moved after keepalived was read: wait for the next read
        ours = set(node.addresses)
        if inst.src_ip:
            ours.add(inst.src_ip)
        if inst.state == "MASTER":
            if view is None or not any(
                s.src in ours and now - s.last_seen <= view.master_down_s for s in view.sources
            ):
                return (f"keepalived says MASTER for {inst.name} but none of this node's "
                        "adverts is seen on the wire")  # fmt: skip
            # Only a master advertises: any other source heard within the
            # Master_Down_Interval (not resigning) claims the role too.
            others = [
                s.src
                for s in view.sources
                if s.src not in ours and s.priority > 0 and now - s.last_seen <= view.master_down_s
            ]
            if others:
                return (f"keepalived says MASTER for {inst.name} but {others[0]} advertises "
                        "as master too")  # fmt: skip
        elif (
            inst.state == "BACKUP"
            and view is not None
            and view.master in ours
            and view.age_s <= view.master_down_s
        ):
            return (f"keepalived says BACKUP for {inst.name} but the wire shows this node "
                    "as master")  # fmt: skip
        return ""

    @staticmethod
    def _expected(view: InstanceView | None, node: NodeState) -> int | None:
        """What the priority file predicts for this node, once the judgement settled."""
        exp = view.expectation if view is not None else None
        if exp is None or not exp.settled:
            return None
        for host in exp.hosts:
            if is_local(node, host.name, host.addresses):
                return host.expected_priority
        return None
