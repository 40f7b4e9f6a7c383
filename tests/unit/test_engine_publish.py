"""The engine's publishing policy: periodic updates at the reader's interval while
frames arrive, slower when nothing arrives, and events at once."""

from __future__ import annotations

from collections.abc import Iterator
from dataclasses import replace

import pytest

from vrrptop import engine as engine_mod
from vrrptop.capture.base import SourceStatus
from vrrptop.capture.synthetic import RouterSpec, SyntheticSource
from vrrptop.engine import Engine, EngineUpdate
from vrrptop.model.snapshot import Snapshot
from vrrptop.wire.records import Frame

STEP = 0.01
"""Seconds of (fake) monotonic time per item the source yields."""


class ScriptedSource:
    """Yields ``plan`` items: "f" a VRRP frame, "-" nothing (a live poll timeout);
    the fake monotonic clock advances ``STEP`` per item."""

    kind = "live"
    packet_clock = False
    live = True
    name = "scripted"

    def __init__(self, plan: str, clock: list[float]) -> None:
        self.plan = plan
        self.clock = clock
        spec = [RouterSpec(vrid=7, family=4, version=2)]
        self._frames = SyntheticSource(spec, rate=1.0 / STEP, start_ts=1000.0).frames()

    def frames(self) -> Iterator[Frame | None]:
        """The plan, one item per STEP."""
        for item in self.plan:
            self.clock[0] += STEP
            yield next(self._frames) if item == "f" else None

    def close(self) -> None:
        """Nothing to release."""

    def status(self) -> SourceStatus:
        """Always running."""
        return SourceStatus(self.name, "live", "running")


def _run(plan: str, monkeypatch: pytest.MonkeyPatch, interval: float) -> list[EngineUpdate]:
    clock = [100.0]
    monkeypatch.setattr(engine_mod.time, "monotonic", lambda: clock[0])
    updates: list[EngineUpdate] = []
    eng = Engine(
        ScriptedSource(plan, clock),
        on_update=updates.append,
        update_interval=interval,
        clock=lambda: 1000.0 + clock[0],
    )
    eng.run()
    return updates


def test_frames_publish_at_the_update_interval(monkeypatch: pytest.MonkeyPatch) -> None:
    # 300 frames = 3 s of fake time at interval 0.5: initial, first frame, then ~every
    # 0.5 s, and the final update; never one per frame.
    updates = _run("f" * 300, monkeypatch, 0.5)
    periodic = updates[1:-1]
    assert 5 <= len(periodic) <= 8


def test_no_frames_publish_at_the_idle_interval(monkeypatch: pytest.MonkeyPatch) -> None:
    # 3 s of poll timeouts with a fast reader (0.1 s): about one update a second.
    updates = _run("-" * 300, monkeypatch, 0.1)
    periodic = updates[1:-1]
    assert 2 <= len(periodic) <= 4


def test_events_are_published_before_the_interval(monkeypatch: pytest.MonkeyPatch) -> None:
    # A slow reader (10 s): an update went out at the first poll; 0.2 s later the
    # first advert creates an instance (events), which must not wait 10 s.
    updates = _run("-" * 20 + "f" * 50, monkeypatch, 10.0)
    with_events = [u for u in updates[:-1] if u.events]
    assert with_events, [len(u.events) for u in updates]
    assert with_events[0].snapshot.instances


def test_republish_after_the_end_enriches_again(monkeypatch: pytest.MonkeyPatch) -> None:
    # A priority file saved once a replay has ended: nothing else would publish,
    # so ``republish`` runs the enricher again with what it reads now.
    clock = [100.0]
    monkeypatch.setattr(engine_mod.time, "monotonic", lambda: clock[0])
    updates: list[EngineUpdate] = []
    generation = [0]

    class FileVersion:
        """An enricher that says which generation of the file it read."""

        def enrich(self, snap: Snapshot) -> Snapshot:
            return replace(snap, warnings=(f"file v{generation[0]}",))

    eng = Engine(
        ScriptedSource("ff", clock),
        on_update=updates.append,
        clock=lambda: 1000.0 + clock[0],
        enricher=FileVersion(),
    )
    eng.republish()  # still running: the next regular publish covers it
    assert updates == []
    eng.run()
    assert updates[-1].ended and updates[-1].snapshot.warnings == ("file v0",)
    generation[0] = 1
    eng.republish()
    assert updates[-1].ended and updates[-1].snapshot.warnings == ("file v1",)
