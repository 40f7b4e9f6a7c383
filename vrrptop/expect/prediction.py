"""What keepalived will elect for one instance: the one prediction.

The correlation (is the wire doing what was declared?), the editor's save dialog
(what will this edit do?) and its settle watch all call ``predict_instance``, so
they can never disagree. It feeds ``vrrptop.priority.predict`` with what the
running segment adds to the file: DNS health per host, tie-break addresses, the
current master (an incumbent keeps the VIP at equal priority, and against anyone
with ``nopreempt``) and the hosts whose keepalived is known to be gone.
"""

from __future__ import annotations

import time
from collections.abc import Mapping

from vrrptop.config.model import InstanceConfig
from vrrptop.expect.facts import HostFacts
from vrrptop.model.snapshot import InstanceView
from vrrptop.priority.file import PriorityFile
from vrrptop.priority.predict import Prediction, predict

#: A master whose last advert is this many intervals before its term ended went
#: silent (killed, cut off); one preempted keeps advertising until the new one starts.
_LOST_INTERVALS = 2.0


def _clock(ts: float) -> str:
    return time.strftime("%H:%M:%S", time.localtime(ts))


def live_master(view: InstanceView | None) -> str | None:
    """The master's address while it advertises (None: silent, resigned, unseen)."""
    if view is None or view.state in ("silent", "resigned", "unseen"):
        return None
    return view.master


def absent_hosts(view: InstanceView | None, facts: HostFacts) -> dict[str, str]:
    """Hosts whose keepalived is known not to run, and why: they resigned (priority
    0, a clean stop) or fell silent while master, and have not advertised since.

    A backup is silent by design, so only a former master can be known gone.
    """
    if view is None:
        return {}
    out: dict[str, str] = {}
    current = live_master(view)
    interval = view.interval_cs / 100 if view.interval_cs else 1.0
    # When the term after each ended term began: a master that fell silent left a gap
    # (Master_Down_Interval) before it; a preempted one advertised up to it.
    ended: dict[str, float] = {}
    for term, after in zip(view.masters, view.masters[1:], strict=False):
        if term.until is not None:
            ended[term.src] = after.since
    for src in view.sources:
        if src.src == current:
            continue
        name = facts.name_of(src.src)
        if name is None:
            continue
        if src.priority == 0:
            out[name] = f"keepalived stopped (resigned at {_clock(src.last_seen)})"
            continue
        until = ended.get(src.src)
        if until is not None and src.last_seen < until - _LOST_INTERVALS * interval:
            out[name] = f"keepalived not advertising since {_clock(src.last_seen)}"
    if current is None and view.master is not None and view.state in ("silent", "resigned"):
        name = facts.name_of(view.master)
        if name is not None:
            why = "resigned" if view.state == "resigned" else "fell silent"
            out.setdefault(name, f"keepalived {why} at {_clock(view.last_seen)}")
    return out


def predict_instance(
    inst: InstanceConfig,
    family: int,
    file: PriorityFile,
    facts: HostFacts,
    view: InstanceView | None = None,
    extra_hosts: tuple[str, ...] = (),
    known: Mapping[str, int] | None = None,
) -> Prediction:
    """Expected priorities and master of ``inst`` in ``family`` from ``file``."""
    names = list(dict.fromkeys([*file.hosts(), *extra_hosts]))
    health = {n: facts.healthy(n) for n in names}
    primary = {n: a for n in names if (a := facts.primary(n, family)) is not None}
    incumbent = facts.name_of(live_master(view))
    return predict(
        file,
        inst.scheme,
        health,
        addresses=primary,
        extra_hosts=extra_hosts,
        incumbent=incumbent,
        nopreempt=inst.nopreempt,
        absent=absent_hosts(view, facts),
        known=known,
    )
