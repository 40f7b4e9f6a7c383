"""Checks that compare several sources of one instance: split brain and mismatches.

- **split brain**: two live sources that each sent at least ``SPLIT_MIN_ADVERTS`` (3)
  adverts since both were advertising, i.e. they overlapped for two whole intervals.
  A preemption (the old master sends at most one or two more adverts) or a one-off
  contention (two backups whose timers expired together) therefore is not split
  brain.  It ends when at most one source is live.  Each period is kept
  (``Instance.splits``, ``SplitTerm``): from the start of the overlap to the last
  advert of the source that went quiet, for the timeline.
- **mismatch**: among sources seen in the last ``WINDOW_S`` (60 s), different VIP sets
  (compared as sets), intervals, versions, auth types, or checksum variants between
  VRRPv3 senders ("v3" vs "v3-as-v2": they drop each other's adverts); ``auth-mismatch`` when
  simple-password auth data differs (compared as bytes, never reported).  One event
  per field when it starts; it clears when the disagreeing sources age out.

**When the checks run.** Both are functions of the sources' state at ``now``; each
runs only when that can change its answer: split brain (``affects``) for a new
source, one that was not live, changed its priority or timers, or is still within
its first three adverts since the latest run start (a pair can form); mismatch
(``mismatch_affected``) for a new source, one that rejoins the window, or a changed
field it compares. A source's first adverts of a run thus check split brain only.
Aging (a source expiring, leaving the window) is timer-driven (``Instance.timers``).
A contending router repeating itself changes nothing: its advert costs O(1), not
O(sources), so the cost of an advert does not grow with the number of routers.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import replace
from operator import attrgetter
from typing import TYPE_CHECKING, Any

from vrrptop.model.events import Event
from vrrptop.model.snapshot import SplitTerm
from vrrptop.model.source import Source
from vrrptop.wire.records import Advert

if TYPE_CHECKING:
    from vrrptop.model.instance import Instance

#: Window for mismatch comparisons and the "checksum-errors" state, seconds.
WINDOW_S = 60.0
#: Adverts each source must send while overlapping for split brain (see docstring).
#: Fixed: ``Source`` keeps exactly its last three advert times (t1..t3).
SPLIT_MIN_ADVERTS = 3


def affects(inst: Instance, src: Source, rec: Advert, now: float) -> bool:
    """True when ``rec`` (from the known ``src``, before ``src.record``) can change the
    answer of ``check_split`` (or the full schedule) at ``now``.

    False means: ``src`` has been live since the last check, stays in its run, has
    already sent three adverts since the latest run start of any source (every
    split-brain pair it can form is already formed), and keeps the fields its
    liveness depends on. ``Instance.advert`` also checks the new ``t3``; the mismatch
    check has its own test (``mismatch_affected``).
    """
    return (
        now >= src.expiry  # was not live (or starts a new run)
        or src.t3 < inst.run_mark
        or rec.priority != src.priority
        or rec.interval_cs != src.interval_cs
        or rec.version != src.version
    )


def mismatch_affected(src: Source, rec: Advert, now: float) -> bool:
    """True when ``rec`` (from the known ``src``, before ``src.record``) can change the
    answer of ``check_mismatch``: ``src`` rejoins the window, or changes a field it
    compares. Sources leaving the window are the timers' (``Instance.timers``)."""
    return (
        now - src.last_seen > WINDOW_S
        or rec.interval_cs != src.interval_cs
        or rec.version != src.version
        or rec.addresses != src.addresses
        or rec.auth_type != src.auth_type
        or rec.auth_data != src.auth_data
        or (rec.checksum_ok and rec.checksum_variant != src.variant)
    )


def check_split(inst: Instance, now: float, out: list[Event]) -> None:
    """Detect (and emit once) or clear split brain on ``inst`` at ``now``."""
    live = [s for s in inst.sources.values() if s.expiry > now]
    if len(live) < 2:
        if inst.split:
            end_split(inst, now)
        return
    involved: set[str] = set()
    overlap = now
    for i, a in enumerate(live):
        for b in live[i + 1 :]:
            start = max(a.run_start, b.run_start)
            if a.t3 >= start and b.t3 >= start:  # t3: third-latest advert
                involved.add(a.src)
                involved.add(b.src)
                overlap = min(overlap, start)
    if not involved:
        return
    srcs = _by_ip(inst, involved)
    if not inst.split:
        inst.splits.append(SplitTerm(srcs, overlap, None))
        inst.terms_version += 1
        inst.bump("split-brain")
        inst.emit(
            out,
            now,
            "split-brain",
            "error",
            f"Split brain on {inst.label}: {', '.join(srcs)} all advertise as master",
            {"sources": list(srcs)},
        )
    joined = _by_ip(inst, set(inst.split) | involved)
    if joined != inst.split and inst.splits and inst.splits[-1].until is None:
        inst.splits[-1] = replace(inst.splits[-1], sources=joined)
        inst.terms_version += 1
    inst.split = joined


def end_split(inst: Instance, now: float) -> None:
    """The split brain on ``inst`` is over at ``now`` (fewer than two live sources):
    close its history entry at the last advert of the sources that went quiet."""
    known = inst.sources
    quiet = [known[s].last_seen for s in inst.split if s in known and known[s].expiry <= now]
    if inst.splits and inst.splits[-1].until is None:
        inst.splits[-1] = replace(inst.splits[-1], until=max(quiet) if quiet else now)
        inst.terms_version += 1
    inst.split = ()


def _by_ip(inst: Instance, srcs: set[str]) -> tuple[str, ...]:
    """Sources in numeric address order (an evicted one sorts first)."""
    known = inst.sources
    return tuple(sorted(srcs, key=lambda x: known[x].ip if x in known else -1))


def check_mismatch(inst: Instance, now: float, out: list[Event]) -> None:
    """Detect (emit once per field) or clear configuration mismatches on ``inst``."""
    recent = [s for s in inst.sources.values() if now - s.last_seen <= WINDOW_S]
    found: dict[str, dict[str, Any]] = {}
    if len(recent) > 1:
        # Checksum variants only matter between VRRPv3 senders (v2 vs v3 is a
        # version mismatch already); None (bad checksum) is not a variant.
        v3 = [s for s in recent if s.version == 3 and s.variant is not None]
        for field, _, key, value in _FIELDS:
            group = v3 if field == "checksum" else recent
            if len({key(s) for s in group}) > 1:
                found[field] = {s.src: value(s) for s in group}
    for field, what, _, _ in _FIELDS:
        if field in found and field not in inst.mismatch:
            inst.bump(f"mismatch-{field}")
            inst.emit(
                out,
                now,
                "mismatch",
                "warning",
                f"Routers on {inst.label} advertise different {what}: "
                + ", ".join(sorted(found[field])),
                {"field": field, "values": found[field]},
            )
    inst.mismatch = found
    pass_auth = [s for s in recent if s.auth_type == 1]
    differs = len({s.auth_data for s in pass_auth}) > 1
    if differs and not inst.auth_mismatch:
        srcs = sorted(s.src for s in pass_auth)
        inst.bump("auth-mismatch")
        inst.emit(
            out,
            now,
            "auth-mismatch",
            "warning",
            f"Routers on {inst.label} use different authentication passwords: " + ", ".join(srcs),
            {"field": "auth-data", "sources": srcs},
        )
    inst.auth_mismatch = differs


def _sorted_addresses(s: Source) -> list[str]:
    return sorted(s.addresses)


_Getter = Callable[[Source], Any]

#: The compared fields: name in events, wording, the key compared across sources
#: (VIP sets as sets), and the JSON-safe value shown in the detail (never auth data).
_FIELDS: tuple[tuple[str, str, _Getter, _Getter], ...] = (
    ("addresses", "VIP sets", attrgetter("addr_key"), _sorted_addresses),
    ("interval", "advert intervals", attrgetter("interval_cs"), attrgetter("interval_cs")),
    ("version", "VRRP versions", attrgetter("version"), attrgetter("version")),
    ("auth-type", "auth types", attrgetter("auth_type"), attrgetter("auth_type")),
    (
        "checksum",
        "checksum variants (v3 with/without pseudo-header)",
        attrgetter("variant"),
        attrgetter("variant"),
    ),
)
