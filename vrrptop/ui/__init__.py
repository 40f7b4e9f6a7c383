"""The Textual console. Only this package imports textual; the core never does.

``run_ui`` is what the CLI calls; importing this package does not import textual
until it is called, so ``import vrrptop.ui`` stays cheap for the core's tests.
"""

from __future__ import annotations

from typing import TYPE_CHECKING

if TYPE_CHECKING:
    from vrrptop.options import Options
    from vrrptop.ui.engine_api import EngineLike


def run_ui(options: Options, engine: EngineLike) -> int:
    """Run the console over ``engine`` until the operator quits; the exit status."""
    from vrrptop.ui.factory import build_app

    app = build_app(options, engine)
    try:
        app.run()
    finally:
        engine.stop()
    return app.return_code or 0
