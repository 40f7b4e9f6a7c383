"""The moments of a replay: the snapshot taken right after each event, kept so the
console can step back through an incident and show every table as it was then.

Why keep snapshots rather than re-run the capture up to the asked time: a re-run
of a 1,000,000-advert file takes over ten seconds here, a lookup takes nothing,
and a snapshot is immutable, so keeping one is free of copying. When a configuration
is judged, the engine already builds a decorated snapshot (alarms, expectation) at
every event of a replay; the store then only keeps a reference to it.

Events closer than ``GAP_S`` of capture time share one moment (a failover's IPv4
and IPv6 flips and its VIP announcements; a segment's initial election, 510 new
masters in 20 ms): the engine snapshots at most once per ``GAP_S``, so a storm of
events costs a bounded number of snapshots (building one of 510 instances takes
tens of milliseconds), and a step shows one change of the segment, not each packet.

Memory is bounded by a budget of instance views (about 600 bytes each, a history
not shared with the previous moment counting one per 64 entries): past it,
the store keeps only every second moment, then every fourth, and so on (the newest
is always kept), so a huge segment keeps fewer moments, evenly spread over the whole
capture, and says how many it dropped. The engine thread adds, the console's thread
reads: one lock.
"""

from __future__ import annotations

import threading
from bisect import bisect_left
from collections.abc import Callable
from dataclasses import dataclass

from vrrptop.model.events import Event
from vrrptop.model.snapshot import Snapshot

#: Instance views kept at most over all moments (about 30 MB).
BUDGET = 50_000
#: Moments kept at most, however small the segment.
MAX_MOMENTS = 20_000
#: Events closer than this (seconds of capture time) share one moment.
GAP_S = 0.1


@dataclass(frozen=True, slots=True)
class Moment:
    """The segment right after one batch of events (the events of one frame)."""

    seq: int
    """Position in the replay (increasing; stable when others are dropped)."""
    snapshot: Snapshot
    events: tuple[Event, ...]

    @property
    def ts(self) -> float:
        """Capture time of the moment."""
        return self.snapshot.ts


#: History entries (master terms, split periods) that weigh one instance view.
_PER_VIEW = 64


def _cost(snap: Snapshot, previous: dict[object, object]) -> int:
    """Instance views of ``snap``, plus the histories it does not share with the
    previous moment's (the tracker reuses an unchanged instance's tuples), in views.
    ``previous`` (key -> masters tuple) is updated to ``snap``'s."""
    cost = 1
    for view in snap.instances:
        cost += 1
        masters = view.masters
        if previous.get(view.key) is not masters:
            previous[view.key] = masters
            cost += (len(masters) + len(view.splits)) // _PER_VIEW
    return cost


class MomentStore:
    """Moments in replay order, bounded by ``budget`` instance views."""

    def __init__(self, budget: int = BUDGET, max_moments: int = MAX_MOMENTS) -> None:
        self.budget = budget
        self.max_moments = max_moments
        self._lock = threading.Lock()
        self._moments: list[Moment] = []
        self._seqs: list[int] = []
        self._costs: list[int] = []
        self._cost = 0
        self._previous: dict[object, object] = {}
        self._next = 0
        self.dropped = 0
        """Moments dropped to stay within the budget."""
        self._stride = 1
        """Only moments whose ``seq`` is a multiple of this are kept (and the newest)."""
        self.held = []
        self._due = 0.0
        self._last = float("-inf")

    # -- the engine thread's side: events become moments ------------------------
    held: list[Event]
    """Events waiting for their moment's snapshot (``GAP_S`` after the last one)."""

    def offer(
        self, now: float, events: list[Event], snapshot: Snapshot | Callable[[], Snapshot]
    ) -> None:
        """The events of the frame at ``now`` (engine thread): a moment now when the
        last one is ``GAP_S`` old, else at the first frame once it is. ``snapshot``:
        this frame's, or how to build it (only built when a moment is due)."""
        if events:
            if not self.held:
                self._due = max(now, self._last + GAP_S)
            self.held.extend(events)
        if self.held and now >= self._due:
            self.add(snapshot if isinstance(snapshot, Snapshot) else snapshot(), tuple(self.held))
            self.held = []
            self._last = now

    def flush(self, snapshot: Snapshot) -> None:
        """The replay ended: events still waiting get the final snapshot."""
        if self.held:
            self.add(snapshot, tuple(self.held))
            self.held = []

    def add(self, snapshot: Snapshot, events: tuple[Event, ...]) -> None:
        """Keep the moment after ``events`` (engine thread)."""
        with self._lock:
            moments = self._moments
            if moments and moments[-1].seq % self._stride:
                self._drop_newest()  # it was kept only for being the newest
            moment = Moment(self._next, snapshot, events)
            self._next += 1
            moments.append(moment)
            self._seqs.append(moment.seq)
            cost = _cost(snapshot, self._previous)
            self._costs.append(cost)
            self._cost += cost
            while (self._cost > self.budget or len(moments) > self.max_moments) and len(
                moments
            ) > 2:
                self._thin()
                moments = self._moments

    def _drop_newest(self) -> None:
        self._moments.pop()
        self._seqs.pop()
        self._cost -= self._costs.pop()
        self.dropped += 1

    def _thin(self) -> None:
        """Keep every other moment of those kept, and the newest (lock held)."""
        self._stride *= 2
        moments = self._moments
        keep = [i for i, m in enumerate(moments[:-1]) if m.seq % self._stride == 0]
        keep.append(len(moments) - 1)
        self.dropped += len(moments) - len(keep)
        self._moments = [moments[i] for i in keep]
        self._seqs = [m.seq for m in self._moments]
        self._costs = [self._costs[i] for i in keep]
        self._cost = sum(self._costs)

    def clear(self) -> None:
        """Forget every moment (the tracker was reset)."""
        with self._lock:
            self._moments, self._seqs, self._cost, self._stride = [], [], 0, 1
            self._costs, self._previous = [], {}
            self.held = []
            self._last = float("-inf")

    def __len__(self) -> int:
        with self._lock:
            return len(self._moments)

    def before(self, seq: int | None) -> Moment | None:
        """The moment before ``seq`` (None: the newest), or the first one."""
        with self._lock:
            if not self._moments:
                return None
            if seq is None:
                return self._moments[-1]
            i = bisect_left(self._seqs, seq)
            return self._moments[max(0, i - 1)]

    def after(self, seq: int) -> Moment | None:
        """The moment after ``seq``; None past the newest."""
        with self._lock:
            i = bisect_left(self._seqs, seq + 1)
            return self._moments[i] if i < len(self._moments) else None

    def position(self, seq: int) -> tuple[int, int]:
        """(1-based index of the moment at or after ``seq``, how many are kept)."""
        with self._lock:
            return bisect_left(self._seqs, seq) + 1, len(self._moments)
