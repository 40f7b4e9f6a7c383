"""Typed messages from the engine thread to the app, and the inbox behind them.

The engine may publish far faster than a terminal can redraw. The engine thread
only ever calls ``UpdateInbox.put`` (lock-protected) and posts one
``SnapshotUpdated`` when the inbox goes from empty to pending, so however large a
flood, at most one message waits in the app's queue. Events are accumulated in
the inbox rather than in the message, so collapsing updates never loses one.
"""

from __future__ import annotations

import threading
from collections import deque
from dataclasses import dataclass, field

from textual.message import Message

from vrrptop.model.events import Event
from vrrptop.ui.engine_api import UpdateLike

#: Events kept while the display lags (or is paused); older ones are counted, not kept.
MAX_PENDING_EVENTS = 5000


@dataclass
class Drained:
    """What the UI takes from the inbox in one go."""

    update: UpdateLike | None
    """The latest update, or None if nothing new."""
    events: list[Event] = field(default_factory=list)
    lost_events: int = 0
    """Events dropped from the inbox because it overflowed."""
    updates: int = 0
    """How many updates were collapsed into this one."""


class UpdateInbox:
    """Thread-safe holder of the latest update plus every event since the last drain."""

    def __init__(self, max_events: int = MAX_PENDING_EVENTS) -> None:
        self._lock = threading.Lock()
        self._latest: UpdateLike | None = None
        self._events: deque[Event] = deque()
        self._max_events = max_events
        self._lost = 0
        self._updates = 0
        self._pending = False

    def put(self, update: UpdateLike) -> bool:
        """Store ``update``; True when the caller should post a wake-up message."""
        with self._lock:
            self._latest = update
            self._updates += 1
            for event in getattr(update, "events", ()):
                if len(self._events) >= self._max_events:
                    self._events.popleft()
                    self._lost += 1
                self._events.append(event)
            wake = not self._pending
            self._pending = True
            return wake

    @property
    def pending(self) -> bool:
        """True when an update is waiting to be drained."""
        with self._lock:
            return self._pending

    def drain(self) -> Drained:
        """Take everything accumulated since the previous drain."""
        with self._lock:
            out = Drained(self._latest, list(self._events), self._lost, self._updates)
            self._latest = None
            self._events.clear()
            self._lost = 0
            self._updates = 0
            self._pending = False
            return out


class SnapshotUpdated(Message):
    """The inbox has something new; the handler drains it (at most ~10 times/s)."""

    def can_replace(self, message: Message) -> bool:
        """Another pending wake-up carries nothing this one does not."""
        return isinstance(message, SnapshotUpdated)


# -- screens to the app: messages go up, method calls go down ------------------------
class FilterChanged(Message):
    """The operator typed in (or cleared) the filter box; the app owns the filter."""

    def __init__(self, text: str) -> None:
        super().__init__()
        self.text = text


class SortRequested(Message):
    """A column header was clicked: sort by ``column`` (when it is a sort order)."""

    def __init__(self, column: str) -> None:
        super().__init__()
        self.column = column


class DetailsRequested(Message):
    """Enter or a click on an instance row: open the details of ``key`` (vrid/family)."""

    def __init__(self, key: str) -> None:
        super().__init__()
        self.key = key
