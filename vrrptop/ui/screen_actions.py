"""The app's actions that open a screen (``Enter``/``i`` details, ``?`` help, ``T``
timeline), mixed into ``VrrptopApp``.

Each screen's module is imported when the screen is first opened, not at start: the
first frame shows none of them, and importing the timeline, details and help
screens was 25 ms of the ~0.45 s before it (``benchmarks/bench_idle.py``).
"""

from __future__ import annotations

from typing import TYPE_CHECKING, cast

from vrrptop.ui.messages import DetailsRequested

if TYPE_CHECKING:
    from vrrptop.ui.app import VrrptopApp


class ScreenActions:
    """Opening the details, help and timeline screens."""

    def on_details_requested(self, message: DetailsRequested) -> None:
        """A screen asked for an instance's details (messages up)."""
        self.open_details(message.key)

    def open_details(self, key: str | None) -> None:
        """Open the detail screen of instance ``key`` (``"vrid/family"``)."""
        app = cast("VrrptopApp", self)
        if key and app.screen is app.main_screen:
            from vrrptop.ui.screens.detail import DetailScreen

            app.push_screen(DetailScreen(key))

    def action_help(self) -> None:
        """Show the keys."""
        from vrrptop.ui.screens.help import HelpScreen

        app = cast("VrrptopApp", self)
        if not isinstance(app.screen, HelpScreen):
            app.push_screen(HelpScreen())

    def action_timeline(self) -> None:
        """Open the master timeline (once; ``T`` on it again does nothing)."""
        from vrrptop.ui.screens.timeline import TimelineScreen

        app = cast("VrrptopApp", self)
        if not isinstance(app.screen, TimelineScreen):
            app.push_screen(TimelineScreen())
