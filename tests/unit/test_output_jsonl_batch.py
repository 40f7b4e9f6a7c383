"""--json when replaying collects lines and writes them in batches: none is lost,
reordered or interleaved, whoever writes it and however the run ends."""

from __future__ import annotations

import io
import json
import threading

from vrrptop.capture.synthetic import RouterSpec, SyntheticSource
from vrrptop.model.events import Event
from vrrptop.output import jsonl
from vrrptop.output.jsonl import JsonLinesWriter
from vrrptop.wire.decode import decode_frame
from vrrptop.wire.records import Advert


def adverts(n: int) -> list[Advert]:
    source = SyntheticSource([RouterSpec(vrid=v) for v in (1, 2, 3)], rate=1000, count=n)
    out = [decode_frame(f) for f in source.frames() if f is not None]
    assert all(type(a) is Advert for a in out)
    return out  # type: ignore[return-value]


class Counting(io.StringIO):
    """A stream that counts ``write`` calls."""

    writes = 0

    def write(self, s: str) -> int:
        self.writes += 1
        return super().write(s)


def test_replay_batches_writes_and_keeps_the_order() -> None:
    stream = Counting()
    writer = JsonLinesWriter(stream, line_buffered=False)
    recs = adverts(3 * jsonl._BATCH + 7)
    for i, rec in enumerate(recs):
        writer.record(rec)
        if i % 100 == 50:
            writer.event(Event(rec.ts, "contention", "info", f"after advert {i}"))
    assert stream.writes == len(stream.getvalue().splitlines()) // jsonl._BATCH  # batched
    writer.stop()  # an error ends the run: what was collected is still written
    lines = [json.loads(x) for x in stream.getvalue().splitlines()]
    assert [x["ts"] for x in lines if x["type"] == "advert"] == [r.ts for r in recs]
    for pos, line in enumerate(lines):
        if line["type"] == "event":
            i = int(line["message"].split()[-1])
            assert lines[pos - 1]["ts"] == recs[i].ts  # right after its advert


def test_line_buffered_writes_every_line_at_once() -> None:
    stream = Counting()
    writer = JsonLinesWriter(stream, line_buffered=True)
    for n, rec in enumerate(adverts(5), 1):
        writer.record(rec)
        assert len(stream.getvalue().splitlines()) == n


def test_lines_from_another_thread_are_whole_and_all_there() -> None:
    stream = io.StringIO()
    writer = JsonLinesWriter(stream, line_buffered=False)
    recs = adverts(4000)

    def warnings() -> None:
        for i in range(2000):
            writer.warning(f"w{i}")

    t = threading.Thread(target=warnings)
    t.start()
    for rec in recs:
        writer.record(rec)
    t.join()
    writer.flush()
    lines = [json.loads(x) for x in stream.getvalue().splitlines()]  # none torn
    assert [x["message"] for x in lines if x["type"] == "warning"] == [f"w{i}" for i in range(2000)]
    assert sum(1 for x in lines if x["type"] == "advert") == len(recs)


class Broken(io.StringIO):
    def write(self, s: str) -> int:
        raise BrokenPipeError


def test_stop_after_the_reader_left_is_quiet() -> None:
    writer = JsonLinesWriter(Broken(), line_buffered=False)
    for rec in adverts(10):
        writer.record(rec)
    writer.stop()  # no exception: finish() meets the broken pipe and exits quietly
