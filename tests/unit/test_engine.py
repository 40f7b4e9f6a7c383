"""The engine: a source through decode and tracking, updates, limits and reset."""

from __future__ import annotations

from vrrptop.capture.synthetic import RouterSpec, SyntheticSource
from vrrptop.engine import Engine, EngineUpdate
from vrrptop.options import Options


def _segment() -> list[RouterSpec]:
    return [
        RouterSpec(vrid=v, family=f, version=2 if f == 4 else 3) for v in (1, 2) for f in (4, 6)
    ]


def test_run_to_end_tracks_every_instance_and_counts():
    updates: list[EngineUpdate] = []
    engine = Engine(SyntheticSource(_segment(), rate=100, count=40), on_update=updates.append)
    snap = engine.run()
    assert {(i.vrid, i.family) for i in snap.instances} == {(1, 4), (1, 6), (2, 4), (2, 6)}
    assert snap.counters.frames == 40 and snap.counters.adverts == 40
    assert updates[-1].ended and updates[-1].snapshot is snap
    # Four first masters: one new-master event each, delivered exactly once.
    events = [e for u in updates for e in u.events]
    assert sorted((e.vrid, e.family) for e in events if e.kind == "new-master") == [
        (1, 4), (1, 6), (2, 4), (2, 6)
    ]  # fmt: skip


def test_count_limit_stops_after_n_adverts():
    engine = Engine(SyntheticSource(_segment(), rate=100), options=Options(count=7))
    assert engine.run().counters.adverts == 7


def test_duration_follows_the_packet_clock_on_replay():
    # 100 frames/s of packet time: 2 s of capture is ~200 frames, however fast we run.
    engine = Engine(SyntheticSource(_segment(), rate=100), options=Options(duration=2.0))
    assert 195 <= engine.run().counters.frames <= 205


def test_reset_after_the_replay_ended_applies_at_once():
    updates: list[EngineUpdate] = []
    engine = Engine(SyntheticSource(_segment(), rate=100, count=20), on_update=updates.append)
    engine.run()
    assert engine.snapshot().instances
    engine.reset()
    assert engine.snapshot().instances == ()
    assert engine.snapshot().counters.frames == 0
    assert updates[-1].snapshot.instances == ()


def test_background_thread_and_stop():
    engine = Engine(SyntheticSource(_segment(), rate=100))  # endless
    engine.start()
    engine.stop()
    engine.join(5)
    assert engine.ended and engine.error is None


def test_records_reach_the_outputs_that_read_them_and_only_those():
    from vrrptop.output.base import BaseOutput
    from vrrptop.wire.records import Record

    class Reads(BaseOutput):
        def __init__(self) -> None:
            self.records: list[Record] = []

        def record(self, record: Record) -> None:
            self.records.append(record)

    class EventsOnly(BaseOutput):
        def record(self, record: Record) -> None:  # never called: see reads_records
            raise AssertionError("record() of an output that does not read records")

    EventsOnly.reads_records = False  # as if it had not overridden record()

    class Plain:  # a bare Sink (no reads_records): assumed to read records
        def __init__(self) -> None:
            self.count = 0

        def record(self, record: Record) -> None:
            self.count += 1

        def event(self, event: object) -> None:
            pass

    assert Reads.reads_records and not BaseOutput.reads_records
    assert not type("Quiet", (BaseOutput,), {}).reads_records
    reads, plain = Reads(), Plain()
    engine = Engine(
        SyntheticSource(_segment(), rate=100, count=12), sinks=[reads, EventsOnly(), plain]
    )
    engine.run()
    assert len(reads.records) == 12 and plain.count == 12
