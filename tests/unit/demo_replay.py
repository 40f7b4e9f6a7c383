"""The bundled demo capture replayed in-process, once per test session: its final
snapshot, events and alarm transitions, and keepalived's own notify log (the
ground truth recorded beside it, ``vrrptop/demo/story.txt``)."""

from __future__ import annotations

import functools
import re
from dataclasses import dataclass

from vrrptop.capture.pcapfile import PcapFileSource
from vrrptop.cli import parse_args
from vrrptop.model.events import Event
from vrrptop.model.expectation import AlarmChange
from vrrptop.model.snapshot import Snapshot
from vrrptop.monitor import Monitor, load_configuration
from vrrptop.output.build import EventLog
from vrrptop.runner import demo_options, demo_path, open_source


@dataclass(frozen=True)
class DemoRun:
    snapshot: Snapshot
    events: tuple[Event, ...]
    alarms: tuple[AlarmChange, ...]
    first_packet: float
    """Timestamp of the capture's first frame: story.txt counts from it."""


@functools.cache
def demo_run() -> DemoRun:
    """Replay ``--demo`` as ``--report`` does (its configuration, names, alarms)."""
    options = demo_options(parse_args(["--demo", "--report"]))
    source = open_source(options)
    log = EventLog(size=None)  # every event and alarm of the run, as --report sees them
    monitor = Monitor(options, source, config=load_configuration(options), outputs=[log])
    try:
        snap = monitor.engine.run()
    finally:
        monitor.stop()
        source.close()
    first = PcapFileSource(demo_path())
    try:
        ts = next(f for f in first.frames() if f is not None).ts
    finally:
        first.close()
    return DemoRun(snap, tuple(log.events), tuple(log.alarms), ts)


def notify_log() -> list[tuple[float, str, str, str]]:
    """keepalived's notify log: (seconds from the first packet, host, instance, state)."""
    text = (demo_path().parent / "story.txt").read_text(encoding="utf-8")
    body = text.split("ground truth", 1)[1]
    rows = re.findall(r"^\s*([\d.]+)s\s+(\S+)\s+(\S+)\s+(MASTER|STOP)\s*$", body, re.M)
    return [(float(t), host, inst, state) for t, host, inst, state in rows]
