"""The engine: frames from a source, decoded, tracked, and handed to outputs.

No textual here. The engine runs in one thread (``start``) or in the caller's
(``run``); other threads only read immutable snapshots and receive ``EngineUpdate``
callbacks, at most every ``update_interval`` seconds however fast frames arrive.
"""

from __future__ import annotations

import threading
import time
from collections.abc import Callable, Iterable
from dataclasses import dataclass, replace
from typing import Protocol

from vrrptop.capture.base import FrameSource, SourceStatus
from vrrptop.capture.writer import PcapWriter
from vrrptop.model.events import Event
from vrrptop.model.moments import MomentStore
from vrrptop.model.snapshot import Snapshot
from vrrptop.model.tracker import Tracker
from vrrptop.options import Options
from vrrptop.wire.decode import decode_frame
from vrrptop.wire.records import Advert, Record


@dataclass(frozen=True, slots=True)
class EngineUpdate:
    """What the engine publishes: the latest picture and the events since the last one."""

    snapshot: Snapshot
    events: tuple[Event, ...]
    status: SourceStatus
    ended: bool


class Sink(Protocol):
    """Something that consumes decoded records and events (e.g. JSON Lines)."""

    def record(self, record: Record) -> None:
        """Consume one decoded record."""

    def event(self, event: Event) -> None:
        """Consume one event."""


class Enricher(Protocol):
    """The stage that adds what the wire cannot know (DNS health, the judgement, host
    names) to each snapshot the engine publishes; the monitor owns one
    (``vrrptop.enrich``). It runs on the engine's thread at publish time, never per
    packet, and returns the snapshot readers see."""

    def enrich(self, snap: Snapshot) -> Snapshot:
        """``snap`` with what the stage adds."""
        ...


class Engine:
    """Runs one source through decode and tracking.

    ``count`` and ``duration`` come from ``options`` (-c, --duration); ``duration``
    is measured on the packet clock when replaying.

    Publishing policy: an update at most every ``update_interval`` while frames
    arrive; as soon as the tracker emitted events (at most every
    ``EVENT_INTERVAL``, so a failover shows at once even when a reader asked for a
    slow interval); and, when nothing arrived at all, every ``IDLE_INTERVAL`` (ages
    and timers still move). ``update_interval`` may be changed before ``start``.
    """

    EVENT_INTERVAL = 0.1
    """Minimum spacing of updates carrying events."""
    IDLE_INTERVAL = 1.0
    """Spacing of updates when no frame arrived since the last one."""
    PACKET_STEP = 0.5
    """Replaying with a reader of snapshots (``keep_snapshots``): a snapshot at least
    every this many seconds of *capture* time, and at every event, so the judgement
    (the ``Enricher``) sees a replayed split brain as it saw the live one, however fast
    the file is read."""

    def __init__(
        self,
        source: FrameSource,
        *,
        options: Options | None = None,
        on_update: Callable[[EngineUpdate], None] | None = None,
        update_interval: float = 0.1,
        sinks: Iterable[Sink] = (),
        writer: PcapWriter | None = None,
        tracker: Tracker | None = None,
        clock: Callable[[], float] = time.time,
        keep_snapshots: bool = False,
        enricher: Enricher | None = None,
        on_notice: Callable[[str], None] | None = None,
    ) -> None:
        self.source = source
        self.options = options or Options()
        self.on_update = on_update
        self.update_interval = update_interval
        self.sinks = list(sinks)
        self.writer = writer
        self.tracker = tracker or Tracker()
        self.clock = clock
        # Building a snapshot costs O(instances); headless runs without a reader
        # (no UI, no exporter) only build the final one.
        self.keep_snapshots = keep_snapshots
        #: Adds what the wire cannot know (DNS health, expectations) to each snapshot;
        #: runs on the engine thread at publish time, never per packet.
        self.enricher = enricher
        self._stop = threading.Event()
        self._reset = threading.Event()
        self._control = False
        """Set with ``_stop`` or ``_reset``: the loop reads this one attribute per frame
        and looks at the two Events (two method calls) only when it is set."""
        # Not ``_thread``: mypyc names the compiled field ``__thread``, a C keyword.
        self._worker: threading.Thread | None = None
        self._pending: list[Event] = []
        self._uncounted = 0
        """Frames read but not yet pushed into the tracker (``count_frame`` once per
        snapshot, not once per frame): ``_make_snapshot`` pushes them."""
        self._now = 0.0
        self._latest: Snapshot | None = None
        self._ended = False
        self._source_state = "running"
        self.error: BaseException | None = None
        #: Called once (engine thread) with one line when something secondary to
        #: monitoring stopped, e.g. ``-w`` on a full disk; monitoring goes on.
        self.on_notice = on_notice
        self.write_error = ""
        """Why ``-w`` stopped writing, or "" (the header shows it)."""
        self.moments: MomentStore | None = None
        """Replaying: the snapshot after each event, for the console's step-through."""

    # -- control (any thread) ----------------------------------------------------
    def start(self) -> None:
        """Run in a background daemon thread."""
        self._worker = threading.Thread(target=self._run_guarded, name="engine", daemon=True)
        self._worker.start()

    def stop(self) -> None:
        """Ask the engine to stop; the source is closed so a blocked read returns."""
        self._stop.set()
        self._control = True
        self.source.close()

    def record_moments(self, store: MomentStore) -> None:
        """Before ``start``: keep in ``store`` the snapshot taken right after the
        events of a replay (events closer than ``moments.GAP_S`` share one)."""
        self.moments = store

    def join(self, timeout: float | None = None) -> None:
        """Wait for the background thread."""
        if self._worker is not None:
            self._worker.join(timeout)

    def reset(self) -> None:
        """Clear counters and history.

        While the engine runs, its own thread applies the reset at its next step; once
        it has finished (end of a replay) nothing else touches the tracker, so the
        reset is applied and published here at once.
        """
        if self._ended:
            self.tracker.reset()
            self._pending.clear()
            if self.moments is not None:
                self.moments.clear()
            self._publish()
        else:
            self._reset.set()
            self._control = True

    def republish(self) -> None:
        """Publish again because something the enricher reads changed (a saved
        priority file). Running, the next regular publish covers it; once the engine
        has finished (an ended replay) nothing else would, so it is done here."""
        if self._ended:
            self._publish()

    def snapshot(self) -> Snapshot:
        """The latest published snapshot (immutable; safe from any thread)."""
        if self._latest is None:
            return self._make_snapshot()
        return self._latest

    @property
    def ended(self) -> bool:
        """True once the source is exhausted or the engine stopped."""
        return self._ended

    # -- the loop ----------------------------------------------------------------
    def _run_guarded(self) -> None:
        try:
            self.run()
        except BaseException as exc:  # noqa: BLE001 - reported to the UI, never lost
            self.error = exc
            self._ended = True
            self._publish()

    def _idle_now(self, now: float) -> float:
        """The time an idle tick may judge: the clock, but never past what the source
        has read (``heard_until``), and never backwards. Under CPU starvation the
        engine thread can wake while the capture thread has not read the kernel's
        buffer yet: ticking to the clock then would expire every master whose adverts
        are merely unread (measured in the lab at load 40-60: split brains cleared
        while both masters advertised, adverts read 4.6 s after capture)."""
        heard = self.source.status().heard_until
        if heard is not None and heard < now:
            return max(heard, self._now or heard)
        return now

    def _make_snapshot(self) -> Snapshot:
        if self._uncounted:
            self.tracker.count_frame(self._uncounted)
            self._uncounted = 0
        snap = self.tracker.snapshot(self._now)
        dropped = self.source.status().dropped
        if dropped != snap.counters.dropped:
            snap = replace(snap, counters=replace(snap.counters, dropped=dropped))
        if self.enricher is not None:
            snap = self.enricher.enrich(snap)
        return snap

    def _check_source(self) -> None:
        """Turn a lost/reattached capture into events, so every output shows it."""
        status = self.source.status()
        state = status.state
        if state == self._source_state or state not in ("running", "lost"):
            return
        self._source_state = state
        ts = self._now or self.clock()
        if state == "lost":
            ev = Event(ts, "capture-lost", "error", status.message or "capture lost")
        else:
            ev = Event(ts, "capture-resumed", "info", status.message or "capture resumed")
        self._emit([ev])

    def _writer_failed(self, writer: PcapWriter) -> None:
        """-w hit a write error: say so once; the writer already closed the file."""
        self.write_error = writer.error
        self.writer = None
        if self.on_notice is not None:
            self.on_notice(writer.error)

    def _publish(self) -> None:
        self._check_source()
        if not (self.keep_snapshots or self.on_update is not None or self._ended):
            return
        self._latest = self._make_snapshot()
        if self.on_update is not None:
            events, self._pending = tuple(self._pending), []
            self.on_update(EngineUpdate(self._latest, events, self.source.status(), self._ended))
        else:
            self._pending.clear()

    def _emit(self, events: list[Event]) -> None:
        for sink in self.sinks:
            for ev in events:
                sink.event(ev)
        if self.on_update is not None:
            self._pending.extend(events)
            if len(self._pending) > 10_000:  # a UI that cannot keep up keeps the newest
                del self._pending[:-5_000]

    def run(self) -> Snapshot:
        """Process frames until the source ends, ``stop()``, -c or --duration."""
        tracker, writer = self.tracker, self.writer
        # Only the sinks that read records are called per frame (``reads_records``,
        # which outputs derive; any other sink is assumed to read them).
        sinks = [s.record for s in self.sinks if getattr(s, "reads_records", True)]
        # -w keeps every frame the kernel filter let through when live (what was
        # captured, like tcpdump -w); from a file, only the frames that are ours.
        write_all = self.source.live
        apply, tick, decode = tracker.apply, tracker.tick, decode_frame
        count_limit = self.options.count
        duration = self.options.duration
        clock = self.clock
        packet_clock = self.source.packet_clock
        interval = self.update_interval
        event_interval = min(interval, self.EVENT_INTERVAL)
        idle_interval = max(interval, self.IDLE_INTERVAL)
        last_publish = 0.0  # the first frame is published at once (time to first frame)
        step = self.PACKET_STEP if packet_clock and self.keep_snapshots else None
        moments = self.moments if packet_clock else None
        last_step = float("-inf")
        active = False  # a frame arrived since the last update
        adverts = 0
        # Whether anything reads updates while the loop runs: a file replayed into
        # --json or --report does not, and skips the publish clock on every frame.
        timed = not (
            packet_clock and self.on_update is None and not self.keep_snapshots and writer is None
        )
        first_ts: float | None = None
        wall_start = time.monotonic()
        if not packet_clock:
            self._now = self._idle_now(clock())  # the first picture is dated now, not 0
        self._publish()
        for frame in self.source.frames():
            if self._control:
                # Cleared before the Events are read: a stop()/reset() racing this
                # sets it again after its Event, so it is seen here or next frame.
                self._control = False
                if self._stop.is_set():
                    break
                if self._reset.is_set():
                    self._reset.clear()
                    tracker.reset()
                    self._uncounted = 0
                    self._pending.clear()
                    if moments is not None:
                        moments.clear()
            if frame is None:
                self._now = now = self._idle_now(clock())
                events = tick(now)
            else:
                active = True
                self._now = now = frame.ts
                if first_ts is None:
                    first_ts = now
                self._uncounted += 1
                record = decode(frame)
                if writer is not None and (record is not None or write_all):
                    writer.write(frame)
                    if writer.error:
                        self._writer_failed(writer)
                        writer = None
                if record is None:
                    events = tick(now)
                else:
                    events = apply(record, now)
                    for sink in sinks:
                        sink(record)
                    if type(record) is Advert:
                        adverts += 1
            if events:
                self._emit(events)
            fresh = None
            if step is not None and (events or now - last_step >= step):
                last_step = now
                fresh = self._latest = self._make_snapshot()  # judged on capture time
            if moments is not None and (events or moments.held):
                moments.offer(now, events, fresh or self._make_snapshot)
            if count_limit is not None and adverts >= count_limit:
                break
            if duration is not None:
                if packet_clock:
                    if first_ts is not None and now - first_ts >= duration:
                        break
                elif time.monotonic() - wall_start >= duration:
                    break
            if not timed:
                continue
            mono = time.monotonic()
            since = mono - last_publish
            if (since >= interval and (active or since >= idle_interval)) or (
                self._pending and since >= event_interval
            ):
                last_publish = mono
                active = False
                self._publish()
                if writer is not None:
                    writer.flush()
                    if writer.error:
                        self._writer_failed(writer)
                        writer = None
        if writer is not None:
            writer.flush()
            if writer.error:
                self._writer_failed(writer)
        if not packet_clock:
            self._now = self._idle_now(clock())  # unread frames are not silence
            events = tick(self._now)
            if events:
                self._emit(events)
        # Close the source before the last snapshot: a live capture then counts the
        # frames still queued and reads the kernel's counters one last time, so the
        # final snapshot's `dropped` is the same number stderr reports.
        self.source.close()
        self._ended = True
        self._publish()
        if moments is not None and self._latest is not None:
            moments.flush(self._latest)
        return self._latest  # type: ignore[return-value]
