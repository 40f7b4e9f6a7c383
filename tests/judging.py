"""Test helpers: one correlation pass (``expect.correlate``) the way the judge runs it.

``correlate`` here takes what a test has at hand -- a snapshot, instances, parsed
files, health by name or address -- builds the host facts and the settle times
(``changed_at`` per (VRID, family), plus the grace after the latest master
change, exactly as ``expect.judge.Judge`` computes them) and returns the
expectations by (VRID, family).
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from pathlib import Path
from typing import Any

from vrrptop.config.hostmap import Resolver
from vrrptop.config.model import InstanceConfig
from vrrptop.expect.correlate import Verdict
from vrrptop.expect.correlate import correlate as correlate_pass
from vrrptop.expect.facts import HostFacts
from vrrptop.expect.settle import settle_time
from vrrptop.model.expectation import Expectation, InstanceKey
from vrrptop.model.snapshot import Snapshot
from vrrptop.priority.file import PriorityFile


def verdict(
    snapshot: Snapshot,
    instances: Sequence[InstanceConfig],
    files: Mapping[Path, PriorityFile],
    health: Mapping[Any, object],
    now: float,
    *,
    hosts: Mapping[str, Sequence[str]] | None = None,
    resolve: Resolver | None = None,
    changed_at: Mapping[tuple[int, int], float] | None = None,
    probing: bool = False,
) -> Verdict:
    """The whole pass (expectations, segment alarms, declared hosts)."""
    known = [n for f in files.values() for n in f.hosts()]
    facts = HostFacts.build(snapshot, known, health, hosts=hosts, resolve=resolve)
    remaining: dict[InstanceKey, float] = {}
    views = {(v.vrid, v.family): v for v in snapshot.instances}
    for inst in instances:
        for family in inst.families:
            if inst.vrid is None:
                continue
            at = (changed_at or {}).get((inst.vrid, family))
            view = views.get((inst.vrid, family))
            if view is not None and view.masters:
                since = view.masters[-1].since
                at = since if at is None else max(at, since)
            if at is not None:
                key = view.key if view is not None else InstanceKey(inst.vrid, family)
                remaining[key] = at + settle_time(inst) - now
    return correlate_pass(snapshot, instances, files, facts, now, remaining, probing=probing)


def correlate(
    snapshot: Snapshot,
    instances: Sequence[InstanceConfig],
    files: Mapping[Path, PriorityFile],
    health: Mapping[Any, object],
    now: float,
    **kwargs: Any,
) -> dict[tuple[int, int], Expectation]:
    """Expectations by (VRID, family)."""
    out = verdict(snapshot, instances, files, health, now, **kwargs).expectations
    return {(k.vrid, k.family): e for k, e in out.items()}
