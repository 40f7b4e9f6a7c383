"""A timeline cut into columns: what each character (or pixel run) of a lane shows.

The text art of ``--report`` and the console's timeline screen both draw a lane as
one cell per column; this is where the time axis is bucketed, once, so the two
agree. A column shows the host that held the instance longest within it (or a
gap); a term or a gap too short for a column of its own still gets the column its
middle falls in, so a 0.2 s resign gap or a 0.8 s intermediate master is never
drawn away. Pure data: renderers choose letters, colours and words.
"""

from __future__ import annotations

import math
from dataclasses import dataclass
from enum import Enum

from vrrptop.model.timeline import Lane, Marker, Timeline, worst


class Fill(Enum):
    """A column no host held."""

    UNSEEN = "unseen"
    """Before the instance was first seen (or before its kept history)."""
    GAP = "gap"
    """Known, and no master: a resign's gap, a lost master's silence."""


Column = str | Fill
"""A host (its legend label) or a ``Fill``."""

#: "Nice" tick spacings for the time axis, seconds.
_STEPS = (1, 2, 5, 10, 15, 30, 60, 120, 300, 600, 900, 1800, 3600, 7200, 10800, 21600, 43200)


@dataclass(frozen=True, slots=True)
class LaneCells:
    """One lane cut into ``Grid.width`` columns."""

    lane: Lane
    masters: tuple[Column, ...]
    overlaps: tuple[str | None, ...]
    """The second master during a split brain, where there is one."""
    markers: tuple[Marker | None, ...]
    """The most severe marker falling in each column."""


@dataclass(frozen=True, slots=True)
class Grid:
    """Every lane of a timeline over ``[start, end)`` in ``width`` columns."""

    start: float
    end: float
    width: int
    lanes: tuple[LaneCells, ...]

    @property
    def step(self) -> float:
        """Seconds per column."""
        return (self.end - self.start) / self.width

    def column(self, ts: float) -> int:
        """The column ``ts`` falls in (clamped to the grid)."""
        return min(self.width - 1, max(0, int((ts - self.start) / self.step)))

    def ticks(self, min_columns: int = 12) -> list[tuple[int, float]]:
        """(column, time) of axis ticks on round times, at least ``min_columns`` apart."""
        span = min_columns * self.step
        every = next((s for s in _STEPS if s >= span), _STEPS[-1])
        first = math.ceil(self.start / every) * every
        out = []
        t = float(first)
        while t < self.end:
            out.append((self.column(t), t))
            t += every
        return out


def _cover(
    since: float, until: float, start: float, step: float, width: int
) -> list[tuple[int, float]]:
    """(column, seconds covered) for ``[since, until]`` on the grid; an instant (a
    capture of one advert) covers its column for no time, so it is still drawn."""
    if until < start or since >= start + step * width or (until == start and since < until):
        return []
    first = max(0, int((since - start) / step))
    last = min(width - 1, int((until - start) / step))
    out = []
    for col in range(first, last + 1):
        a = start + col * step
        out.append((col, min(until, a + step) - max(since, a)))
    return out


def lane_cells(lane: Lane, start: float, end: float, width: int) -> LaneCells:
    """Cut ``lane`` into ``width`` columns over ``[start, end)``."""
    width = max(1, width)
    step = max(end - start, 1e-9) / width
    cover: list[dict[Column, float]] = [{} for _ in range(width)]
    items: list[tuple[Column, float, float]] = [(b.host, b.since, b.until) for b in lane.masters]
    items += [(Fill.GAP, g.since, g.until) for g in lane.gaps]
    spans: list[tuple[Column, float, float, list[int]]] = []
    for what, since, until in items:
        covered = _cover(since, until, start, step, width)
        if not covered:
            continue  # outside the window (a zoom): the common case on a long history
        for col, secs in covered:
            cover[col][what] = cover[col].get(what, 0.0) + secs
        spans.append((what, since, until, [col for col, _ in covered]))
    masters: list[Column] = [
        max(c.items(), key=lambda kv: kv[1])[0] if c else Fill.UNSEEN for c in cover
    ]
    # Whatever won no column keeps the column of its middle (gaps last: they win).
    for what, since, until, cols in sorted(spans, key=lambda x: isinstance(x[0], Fill)):
        if not any(masters[c] == what for c in cols):
            mid = min(width - 1, max(0, int(((since + until) / 2 - start) / step)))
            masters[mid] = what
    overlaps: list[str | None] = [None] * width
    for band in lane.overlaps:
        for col, _ in _cover(band.since, band.until, start, step, width):
            overlaps[col] = band.host
    buckets: list[list[Marker]] = [[] for _ in range(width)]
    for m in lane.markers:
        if start <= m.ts <= end:
            buckets[min(width - 1, int((m.ts - start) / step))].append(m)
    return LaneCells(lane, tuple(masters), tuple(overlaps), tuple(worst(b) for b in buckets))


def grid(tl: Timeline, width: int, span_s: float | None = None) -> Grid:
    """The timeline in ``width`` columns: the last ``span_s`` seconds up to its end
    (a zoom: the scale is kept even when the history is shorter), or all of it."""
    width = max(1, width)
    start = tl.start if span_s is None else tl.end - span_s
    end = max(tl.end, start + 1e-3)
    lanes = tuple(lane_cells(lane, start, end, width) for lane in tl.lanes)
    return Grid(start, end, width, lanes)
