"""What every output is: one Protocol the monitor and the runner fan out to.

JSON Lines, the end-of-run report, the Prometheus exporter, the notifier and the
stderr lines of a headless run are all ``Output``s, built in one place
(``vrrptop.output.build``). The monitor feeds them as the run goes; the runner only
starts, stops and finishes them, so no format is special-cased anywhere.

The life of an output: ``start(feed)`` once capture is about to begin; then, from the
engine's thread (and the prober's, for ``probe``), ``record``, ``event``, ``alarm``,
``warning``, ``probe``, ``keepalived`` and ``notice`` as they happen; ``stop()`` when
the run ends (threads and sockets end here); and, for a headless run, ``finish(snap)``
with the final picture (a report, the JSON's final snapshot line). ``BaseOutput``
gives every method the Protocol's no-op body, so an output writes only what it
consumes.
"""

from __future__ import annotations

from collections.abc import Callable, Mapping
from dataclasses import dataclass
from typing import TYPE_CHECKING, Protocol

if TYPE_CHECKING:
    from vrrptop.capture.base import SourceStatus
    from vrrptop.model.events import Event
    from vrrptop.model.expectation import AlarmChange
    from vrrptop.model.node import LocalInstance, NodeState
    from vrrptop.model.snapshot import Snapshot
    from vrrptop.probe.board import TargetHealth
    from vrrptop.probe.types import ProbeResult
    from vrrptop.wire.records import Record


@dataclass(frozen=True, slots=True)
class Feed:
    """What an output may read while the run goes (any thread): the latest published
    snapshot, the source's status and, when probing, the DNS health board."""

    snapshot: Callable[[], Snapshot]
    status: Callable[[], SourceStatus]
    probes: Callable[[], Mapping[tuple[str, int], TargetHealth]] | None = None


class Output(Protocol):
    """One output of a vrrptop run (see the module docstring for its life)."""

    reads_snapshots: bool
    """True when it reads ``Feed.snapshot`` while the run goes: the engine then
    publishes snapshots even with no console (headless runs otherwise build one)."""

    def start(self, feed: Feed) -> None:
        """Capture is about to start; ``feed`` reads the run from now on."""
        return None

    def record(self, record: Record) -> None:
        """One decoded record (engine thread)."""
        return None

    def event(self, event: Event) -> None:
        """One tracker event (engine thread)."""
        return None

    def alarm(self, change: AlarmChange) -> None:
        """One alarm raised or cleared."""
        return None

    def warning(self, message: str) -> None:
        """A configuration problem that switches some judgement off (said once)."""
        return None

    def probe(self, result: ProbeResult) -> None:
        """One DNS probe result (the prober's thread)."""
        return None

    def keepalived(self, state: NodeState, changed: tuple[LocalInstance, ...]) -> None:
        """The local keepalived changed (its poller's thread)."""
        return None

    def notice(self, message: str) -> None:
        """Something secondary to monitoring stopped (``-w`` on a full disk), once."""
        return None

    def stop(self) -> None:
        """The run is over: end threads, close sockets; safe to call twice."""
        return None

    def finish(self, snap: Snapshot) -> None:
        """A headless run's final picture, after ``stop``."""
        return None


class BaseOutput(Output):
    """``Output`` with every method a no-op (the Protocol's own bodies, inherited by
    subclassing it explicitly): subclasses override what they consume."""

    reads_snapshots: bool = False
    reads_records: bool = False
    """Whether ``record`` is overridden, set for each subclass (``__init_subclass__``):
    the engine calls ``record`` per frame only on outputs that read records, so a
    run's other outputs cost nothing per advert (two no-op calls were 6 % of a
    ``-r FILE --json`` run)."""

    def __init_subclass__(cls, **kwargs: object) -> None:
        super().__init_subclass__(**kwargs)
        cls.reads_records = cls.record is not BaseOutput.record
