"""The engine-to-UI inbox: latest update wins, every event kept, one wake-up at a time."""

from __future__ import annotations

import threading

from tests.ui.scenario import T0, FakeUpdate, empty_snapshot
from vrrptop.model.events import Event
from vrrptop.ui.messages import SnapshotUpdated, UpdateInbox


def _update(i: int, events: int = 1) -> FakeUpdate:
    evs = tuple(Event(T0 + i, "priority-change", "info", f"{i}.{k}") for k in range(events))
    return FakeUpdate(empty_snapshot(T0 + i), evs)


def test_one_wake_up_until_drained() -> None:
    inbox = UpdateInbox()
    assert inbox.put(_update(1)) is True
    assert inbox.put(_update(2)) is False  # already awake: no second message
    assert inbox.pending
    drained = inbox.drain()
    assert drained.update.snapshot.ts == T0 + 2  # the latest
    assert [e.message for e in drained.events] == ["1.0", "2.0"]
    assert drained.updates == 2
    assert not inbox.pending
    assert inbox.drain().update is None
    assert inbox.put(_update(3)) is True  # awake again after a drain


def test_overflow_is_counted_not_silent() -> None:
    inbox = UpdateInbox(max_events=5)
    inbox.put(_update(1, events=8))
    drained = inbox.drain()
    assert [e.message for e in drained.events] == ["1.3", "1.4", "1.5", "1.6", "1.7"]
    assert drained.lost_events == 3


def test_concurrent_producers_lose_nothing() -> None:
    inbox = UpdateInbox(max_events=1_000_000)
    wakes: list[bool] = []
    seen: list[str] = []

    def produce(base: int) -> None:
        for i in range(2000):
            wakes.append(inbox.put(_update(base + i)))

    def consume(stop: threading.Event) -> None:
        while not stop.is_set():
            seen.extend(e.message for e in inbox.drain().events)

    stop = threading.Event()
    consumer = threading.Thread(target=consume, args=(stop,))
    consumer.start()
    producers = [threading.Thread(target=produce, args=(k * 10_000,)) for k in range(4)]
    for t in producers:
        t.start()
    for t in producers:
        t.join()
    stop.set()
    consumer.join()
    seen.extend(e.message for e in inbox.drain().events)
    assert len(seen) == 8000 and len(set(seen)) == 8000
    assert sum(wakes) <= 8000 and sum(wakes) >= 1


def test_wake_up_messages_collapse() -> None:
    assert SnapshotUpdated().can_replace(SnapshotUpdated())
