"""The one place the console app is built: for the CLI, ``--demo`` and the tests."""

from __future__ import annotations

from datetime import tzinfo

from vrrptop.options import Options
from vrrptop.ui.app import Clock, VrrptopApp
from vrrptop.ui.engine_api import EngineLike, MonitorLike


def build_app(
    options: Options,
    engine: EngineLike,
    *,
    clock: Clock | None = None,
    tz: tzinfo | None = None,
    monitor: MonitorLike | None = None,
) -> VrrptopApp:
    """A ready-to-run console over ``engine``.

    ``clock`` (wall time, for the live header) and ``tz`` (for every printed time)
    are injectable so tests and screenshots are deterministic. ``monitor`` (a
    ``vrrptop.monitor.Monitor`` or a fake: ``engine_api.MonitorLike``)
    gives the priority-file editor its files and instances.
    """
    return VrrptopApp(options, engine, clock=clock, tz=tz, monitor=monitor)
