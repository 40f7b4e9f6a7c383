"""A timeline thinned to a budget of drawn elements, for a report that must stay small.

The HTML report draws every band, gap and marker as an SVG element of about 300
bytes. A segment of 1024 instances with 256 terms each would be some 80 MB: a file
no ticket takes and no browser opens smoothly. Past ``budget`` elements, each lane
is cut into time buckets (as many as its share of the budget allows, never finer
than the report's pixels need) and what starts in one bucket becomes one element:
bands merge into one band of the host that held the most of that time, gaps into
one gap, markers into the most severe one, each saying how many it stands for.
Nothing is dropped silently: ``Thinning`` says how many elements became how many,
and the report prints it. Pure: no drawing.
"""

from __future__ import annotations

from collections.abc import Callable, Sequence
from dataclasses import dataclass, replace
from typing import TypeVar

from vrrptop.model.timeline import _RANK, Band, Gap, Lane, Marker, Timeline

#: Elements drawn at most over every lane of a report (about 6 MB of SVG).
BUDGET = 20_000
#: A lane keeps at least this many buckets per kind, however many lanes share the
#: budget: one, so that 4096 instances (the tracker's cap) still fit the report's
#: size cap (at four, a report of 4096 instances with full histories was 18 MB).
MIN_BUCKETS = 1

T = TypeVar("T", Band, Gap, Marker)


@dataclass(frozen=True, slots=True)
class Thinning:
    """What thinning did: ``before`` elements drawn as ``after``."""

    before: int
    after: int
    lanes: int
    """Lanes that were thinned."""

    @property
    def thinned(self) -> bool:
        """True when anything was merged."""
        return self.after < self.before


def elements(lane: Lane) -> int:
    """The SVG elements a lane draws (bands, split bands, gaps, markers)."""
    return len(lane.bands) + len(lane.gaps) + len(lane.markers)


def _bucketed(
    items: Sequence[T], start: float, width: float, when: Callable[[T], float]
) -> list[list[T]]:
    groups: list[list[T]] = []
    last = None
    for item in sorted(items, key=when):
        bucket = int((when(item) - start) // width)
        if groups and bucket == last:
            groups[-1].append(item)
        else:
            groups.append([item])
            last = bucket
    return groups


def _merge_bands(group: list[Band]) -> Band:
    if len(group) == 1:
        return group[0]
    held: dict[str, float] = {}
    for b in group:
        held[b.host] = held.get(b.host, 0.0) + (b.until - b.since)
    host = max(held, key=lambda h: held[h])
    first = next(b for b in group if b.host == host)
    last = max(group, key=lambda b: b.until)
    return replace(
        first,
        since=group[0].since,
        until=last.until,
        running=last.running,
        ended=last.ended,
        merged=sum(max(1, b.merged) for b in group),
    )


def _merge_gaps(group: list[Gap]) -> Gap:
    if len(group) == 1:
        return group[0]
    longest = max(group, key=lambda g: g.until - g.since)
    return replace(
        longest,
        since=group[0].since,
        until=max(g.until for g in group),
        merged=sum(max(1, g.merged) for g in group),
    )


def _merge_markers(group: list[Marker]) -> Marker:
    if len(group) == 1:
        return group[0]
    worst = max(group, key=lambda m: _RANK[m.severity])
    return replace(worst, text=f"{worst.text} (and {len(group) - 1} more here)")


def thin_lane(lane: Lane, start: float, end: float, buckets: int) -> Lane:
    """``lane`` with at most about ``buckets`` elements of each kind."""
    width = max(end - start, 1e-9) / max(1, buckets)
    masters = [_merge_bands(g) for g in _bucketed(lane.masters, start, width, _since)]
    splits = [_merge_bands(g) for g in _bucketed(lane.overlaps, start, width, _since)]
    gaps = [_merge_gaps(g) for g in _bucketed(lane.gaps, start, width, _gap_since)]
    markers = [_merge_markers(g) for g in _bucketed(lane.markers, start, width, _ts)]
    bands = tuple(sorted(masters + splits, key=lambda b: (b.since, b.overlap)))
    return replace(lane, bands=bands, gaps=tuple(gaps), markers=tuple(markers))


def _since(b: Band) -> float:
    return b.since


def _gap_since(g: Gap) -> float:
    return g.since


def _ts(m: Marker) -> float:
    return m.ts


def thin_timeline(tl: Timeline, budget: int = BUDGET) -> tuple[Timeline, Thinning]:
    """``tl`` within ``budget`` drawn elements (unchanged when it already is)."""
    before = sum(elements(lane) for lane in tl.lanes)
    if before <= budget or not tl.lanes:
        return tl, Thinning(before, before, 0)
    # Each kind (bands, gaps, markers) of a lane gets a third of its share.
    buckets = max(MIN_BUCKETS, budget // (3 * len(tl.lanes)))
    lanes = []
    thinned = 0
    for lane in tl.lanes:
        if elements(lane) > 3 * buckets:
            lane = thin_lane(lane, tl.start, tl.end, buckets)
            thinned += 1
        lanes.append(lane)
    out = replace(tl, lanes=tuple(lanes))
    return out, Thinning(before, sum(elements(lane) for lane in lanes), thinned)
