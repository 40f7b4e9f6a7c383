"""Advert gap statistics of the current master, with a ring of recent gaps.

``RECENT_GAPS`` (120) most recent gaps are kept for the sparkline; min/avg/max and
jitter (mean absolute deviation from the advertised interval) cover every gap since
the master's term began.  Updating is O(1) and allocation-free apart from the float;
``Instance.repeat`` inlines ``add`` on the fast path (keep the two in step).
"""

from __future__ import annotations

from collections import deque

from vrrptop.model.snapshot import GapStats

#: Size of the recent-gaps ring (one sparkline's worth at 1 s intervals: two minutes).
RECENT_GAPS = 120
INF = float("inf")


class GapRing:
    """Running gap statistics; ``view()`` returns the immutable ``GapStats``."""

    __slots__ = ("count", "min", "max", "total", "dev_total", "recent")

    def __init__(self) -> None:
        self.count = 0
        self.min = INF  # +/-inf until the first gap, so updates need no special case
        self.max = -INF
        self.total = 0.0
        self.dev_total = 0.0
        self.recent: deque[float] = deque(maxlen=RECENT_GAPS)

    def clear(self) -> None:
        """Forget every gap (a new master term starts)."""
        self.count = 0
        self.min = INF
        self.max = -INF
        self.total = self.dev_total = 0.0
        self.recent.clear()

    def add(self, gap: float, interval_s: float) -> None:
        """Record one gap (seconds) measured against the advertised ``interval_s``."""
        if gap < self.min:
            self.min = gap
        if gap > self.max:
            self.max = gap
        self.count += 1
        self.total += gap
        self.dev_total += abs(gap - interval_s)
        self.recent.append(gap)

    def view(self) -> GapStats:
        """The immutable statistics (all None while no gap was measured)."""
        if self.count == 0:
            return GapStats()
        return GapStats(
            count=self.count,
            min=self.min,
            avg=self.total / self.count,
            max=self.max,
            jitter=self.dev_total / self.count,
            recent=tuple(self.recent),
        )
