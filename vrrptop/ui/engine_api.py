"""What the console needs from the engine and the monitor, as Protocols.

The real ``vrrptop.engine.Engine`` and ``vrrptop.monitor.Monitor`` satisfy these;
tests pass fakes that feed hand-built snapshots and events. Keeping this narrow
is what lets the UI be driven entirely from a Pilot test.
"""

from __future__ import annotations

from collections.abc import Callable
from pathlib import Path
from typing import Protocol, runtime_checkable

from vrrptop.capture.base import SourceStatus
from vrrptop.config.model import Config
from vrrptop.model.events import Event
from vrrptop.model.moments import MomentStore
from vrrptop.model.snapshot import Snapshot
from vrrptop.options import Options
from vrrptop.priority.store import LoadedFile


class UpdateLike(Protocol):
    """What the engine publishes (``vrrptop.engine.EngineUpdate``): the latest
    picture and the events since the previous one."""

    @property
    def snapshot(self) -> Snapshot: ...
    @property
    def events(self) -> tuple[Event, ...]: ...
    @property
    def status(self) -> SourceStatus: ...
    @property
    def ended(self) -> bool: ...


class EngineLike(Protocol):
    """The engine operations the console dispatches.

    ``on_update`` is assigned by the app before ``start()``; the engine calls it
    from its own thread, so the app only posts a message from it.
    """

    @property
    def on_update(self) -> Callable[..., None] | None:
        """Called from the engine's thread with each ``UpdateLike``."""
        ...

    @on_update.setter
    def on_update(self, callback: Callable[[UpdateLike], None] | None) -> None: ...

    update_interval: float
    """Seconds between periodic updates; the console may slow it before ``start``."""
    error: BaseException | None
    """Why the engine's thread died (None: it did not)."""
    write_error: str
    """Why ``-w`` stopped writing, or "" (the header shows it)."""

    def start(self) -> None:
        """Start capture, decoding and tracking in the background."""
        ...

    def stop(self) -> None:
        """Stop the background work; safe to call twice."""
        ...

    def reset(self) -> None:
        """Clear counters and history (the `c` key)."""
        ...

    def snapshot(self) -> Snapshot:
        """The current picture (thread-safe)."""
        ...


@runtime_checkable
class RecordsMoments(Protocol):
    """An engine that can keep a replay's moments (the real one; test fakes need not)."""

    def record_moments(self, store: MomentStore) -> None:
        """Before ``start``: keep the snapshot right after each replayed event."""
        ...


class MonitorLike(Protocol):
    """What the console uses from ``vrrptop.monitor.Monitor`` (the editor's files,
    the configuration, the save notice); tests pass a fake. A real monitor also has
    ``resolver`` and ``hosts``, which ``editor_rows.host_map`` uses when present."""

    config: Config

    @property
    def files(self) -> dict[Path, LoadedFile]:
        """Path -> the priority file in use."""

    def file_saved(self, loaded: LoadedFile, now: float) -> None:
        """Our editor saved ``loaded``: the monitor uses it at once and starts settling."""
        ...


def engine_error(engine: EngineLike) -> str:
    """One line about why the engine's thread died, if it did."""
    error = engine.error
    if error is None:
        return ""
    return str(error) or type(error).__name__


def options_source_name(options: Options) -> str:
    """What the source is called before the engine says (``demo``, a file, an interface)."""
    if options.demo:
        return "demo"
    return str(options.read_file or options.interface or "?")
