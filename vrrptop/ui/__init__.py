"""The Textual console. Only this package imports textual; the core never does.

``run_ui`` is what the CLI calls; importing this package does not import textual
until it is called, so ``import vrrptop.ui`` stays cheap for the core's tests.
"""

from __future__ import annotations

from typing import TYPE_CHECKING

if TYPE_CHECKING:
    from vrrptop.options import Options
    from vrrptop.ui.engine_api import EngineLike, MonitorLike


def run_ui(options: Options, engine: EngineLike, monitor: MonitorLike | None = None) -> int:
    """Run the console over ``engine`` until the operator quits; the exit status.

    ``monitor`` (``vrrptop.monitor.Monitor``) feeds the priority-file editor (``e``).
    """
    from vrrptop.ui.factory import build_app

    app = build_app(options, engine, monitor=monitor)
    try:
        app.run()
    finally:
        engine.stop()
    return app.return_code or 0
