"""A starved capture thread is not a silent segment: idle ticks never run past what
the live source has read (``SourceStatus.heard_until``). The control: when the
source has read everything, a master that stops advertising is lost on time."""

from __future__ import annotations

from collections.abc import Iterator

from vrrptop.capture.base import SourceStatus
from vrrptop.capture.synthetic import RouterSpec, SyntheticSource
from vrrptop.engine import Engine
from vrrptop.model.events import Event
from vrrptop.wire.records import Frame


class StarvedSource:
    """Adverts once a second from 1000.0; the wall clock runs ahead of them by
    ``lag`` s after the first three (the capture thread has not read the rest);
    ``heard`` says whether ``heard_until`` reports that (a real live source does)."""

    kind = "live"
    packet_clock = False
    live = True
    name = "starved"

    def __init__(self, adverts: int, lag: float, heard: bool, clock: list[float]) -> None:
        self.adverts, self.lag, self.heard, self.clock = adverts, lag, heard, clock
        spec = [RouterSpec(vrid=7, family=4, version=2)]
        self._gen = SyntheticSource(spec, rate=1.0, start_ts=1000.0).frames()
        self._read = 999.9

    def frames(self) -> Iterator[Frame | None]:
        for i in range(self.adverts):
            frame = next(self._gen)
            assert frame is not None
            if i == 3:  # the process stalls: the engine wakes to an empty queue
                self.clock[0] = frame.ts + self.lag
                for _ in range(5):
                    yield None
            self._read = frame.ts
            self.clock[0] = max(self.clock[0], frame.ts)
            yield frame
        for _ in range(3):
            yield None

    def close(self) -> None:
        """Nothing to release."""

    def status(self) -> SourceStatus:
        return SourceStatus(self.name, "live", "running", heard_until=self._heard_until())

    def _heard_until(self) -> float | None:
        return self._read if self.heard else None


def _lost(adverts: int, lag: float, heard: bool) -> list[Event]:
    clock = [1000.0]
    events: list[Event] = []
    eng = Engine(
        StarvedSource(adverts, lag, heard, clock),
        on_update=lambda u: events.extend(u.events),
        clock=lambda: clock[0],
    )
    eng.run()
    return [e for e in events if e.kind == "master-lost"]


def test_unread_adverts_are_not_silence() -> None:
    assert _lost(adverts=10, lag=6.0, heard=True) == []


def test_control_without_the_bound_the_stall_looks_like_silence() -> None:
    # What happened before heard_until: the idle tick ran to the clock, 6 s past the
    # last read advert, and the master was declared lost while it advertised.
    assert _lost(adverts=10, lag=6.0, heard=False)


def test_control_a_master_that_stops_is_still_lost() -> None:
    # The source read everything (heard_until follows the clock): silence is real.
    clock = [1000.0]
    events: list[Event] = []

    class Stops(StarvedSource):
        def frames(self) -> Iterator[Frame | None]:
            for _ in range(4):
                frame = next(self._gen)
                assert frame is not None
                self._read = clock[0] = frame.ts
                yield frame
            for _ in range(60):  # 6 s of empty polls, the socket really empty
                clock[0] += 0.1
                self._read = clock[0]
                yield None

    eng = Engine(Stops(0, 0.0, True, clock), on_update=lambda u: events.extend(u.events),
                 clock=lambda: clock[0])  # fmt: skip
    eng.run()
    assert [e for e in events if e.kind == "master-lost"]
