"""The O(1) paths for an advert that changes nothing but its source's clock.

Nearly every advert repeats the one before it from the same router. Two cases are
taken here, before ``Instance.advert`` (the slow path, which handles everything):

- ``repeat`` with a master alone on its instance (the healthy segment): the live
  master sends the same clean advert again, within the mismatch window (a master
  with 30 s adverts that missed two comes back into it: ``conflicts.mismatch_affected``);
  only its clock and gap statistics move.
- ``quiet`` while several routers advertise (contention, split brain): any live
  source repeating every field that the election, ``conflicts`` and the schedule
  read, within its run and after its first three adverts since the latest run start
  (``conflicts.affects`` is False), and whose advert makes no event (no takeover, no
  first contention, no resign). Its cost does not depend on how many routers there
  are: the checks over all sources are not run, as their answer cannot change.

An advert re-stamped from the decode cache entry its source's fields were last taken
from (``rec.template is s.template``) needs none of the field comparisons: one
identity test replaces them, and the comparisons remain for every other advert.

Both return False, having changed nothing, when the slow path must take the advert;
``benchmarks/fuzz_tracker_equiv.py`` checks they give the slow path's events and states.
"""

from __future__ import annotations

from typing import TYPE_CHECKING

from vrrptop.model.conflicts import WINDOW_S
from vrrptop.wire.records import Advert

if TYPE_CHECKING:
    from vrrptop.model.instance import Instance


def repeat(inst: Instance, rec: Advert, now: float) -> bool:
    """The live master repeating an identical, clean advert while alone, else ``quiet``."""
    m = inst.fast
    if (
        m is None
        or now < inst.others_until
        or not rec.checksum_ok
        or rec.problems
        or now - m.last_seen > WINDOW_S  # rejoins the mismatch window (slow intervals)
    ):
        return quiet(inst, rec, now)
    t = rec.template
    if t is None or t is not m.template:  # same template: the fields below are equal
        if (
            rec.src != m.src
            or rec.priority != m.priority
            or rec.addresses != m.addresses
            or rec.interval_cs != m.interval_cs
            or rec.version != m.version
            or rec.auth_data != m.auth_data
            or rec.src_mac != m.mac
            or rec.auth_type != m.auth_type
            or rec.checksum != m.checksum  # same bytes, same checksum (variant unchanged)
        ):
            return quiet(inst, rec, now)
        m.template = t if rec.checksum_variant == m.variant else None
    # GapRing.add, inlined: this runs for nearly every advert.
    g = inst.gaps
    gap = now - m.last_seen
    if gap < g.min:
        g.min = gap
    if gap > g.max:
        g.max = gap
    g.count += 1
    g.total += gap
    g.dev_total += abs(gap - m.interval_s)
    g.recent.append(gap)
    d = now + m.mdi  # the master's new deadline; keep ``due`` exact so scans stay rare
    inst.due = d if d < inst.other_due else inst.other_due
    m.last_seen = m.last_master = now
    m.adverts += 1
    inst.last_seen = now
    inst.adverts += 1
    inst.last_advert = rec
    inst.dirty = True
    return True


def quiet(inst: Instance, rec: Advert, now: float) -> bool:
    """Any live source repeating itself with no event to make (see the module docstring)."""
    s = inst.sources.get(rec.src)
    if s is None or not rec.checksum_ok:
        return False
    prev_seen = s.last_seen
    mark = inst.run_mark
    if (
        now < prev_seen
        or now >= s.expiry  # not live (or resigned: priority 0 expires at once)
        or now - prev_seen > WINDOW_S
        or s.t3 < mark
        or s.t2 < mark
    ):
        return False
    t = rec.template
    if (t is None or t is not s.template) and (  # same template: these are equal
        rec.priority != s.priority
        or rec.interval_cs != s.interval_cs
        or rec.version != s.version
        or rec.addresses != s.addresses
        or rec.auth_type != s.auth_type
        or rec.auth_data != s.auth_data
        or rec.checksum_variant != s.variant
    ):
        return False
    m = inst.master
    if m is None or inst.master_state != "ok":
        return False  # the slow path elects
    if s is not m:
        if s.priority > m.priority or (s.priority == m.priority and s.ip > m.ip):
            return False  # preempts the master
        if not s.contended and not (
            s.last_master is not None and now - s.last_master <= 1.5 * s.interval_s
        ):
            return False  # its first contention of the run is an event
    # What Instance.advert and Source.record do for this advert, nothing more.
    inst.dirty = True
    inst.adverts += 1
    inst.last_seen = now
    inst.last_advert = rec
    if rec.problems:
        problems = inst.problems
        for p in rec.problems:
            problems[p] = problems.get(p, 0) + 1
    s.t3, s.t2, s.t1 = s.t2, s.t1, now
    s.last_seen = now
    s.adverts += 1
    s.mac = rec.src_mac
    s.checksum = rec.checksum
    s.template = t  # every compared field is rec's now (Source.template)
    e = now + s.mdi
    if s is m:
        inst.gaps.add(now - prev_seen, s.interval_s)
        s.last_master = now
        inst.due = e if e < inst.other_due else inst.other_due
    elif e > inst.others_until:
        inst.others_until = e
    return True
