"""The master timeline screen (``T``): who held each instance when, at a glance.

Drawn from the app's shown snapshot (frozen while paused) at most once a second
(the console's slow tick) or at once when the zoom or the size changes; the
timeline is built from the tracker's histories already in the snapshot, so it
costs nothing on the packet path. The newest time is at the right edge.
"""

from __future__ import annotations

import time
from dataclasses import replace
from typing import TYPE_CHECKING, cast

from rich.text import Text
from textual.app import ComposeResult
from textual.binding import Binding
from textual.containers import VerticalScroll
from textual.screen import Screen
from textual.widgets import Footer, Static

from vrrptop.model.snapshot import Snapshot
from vrrptop.model.timeline import Timeline, build_timeline, moments
from vrrptop.ui.format import instance_matches, names_by_address
from vrrptop.ui.keys import TIMELINE_KEY_HELP
from vrrptop.ui.timeline_view import ZOOMS, lanes_text, moment_text, span_text
from vrrptop.ui.widgets.status import StatusBar

if TYPE_CHECKING:
    from vrrptop.ui.app import VrrptopApp

#: Redraw at most this often from engine updates (the console's slow tick).
REDRAW_S = 1.0
#: Lanes drawn at most (the first, in VLAN/VRID/family order, of those the main
#: screen's filter keeps): a lane costs about a millisecond per redraw, and 1024
#: instances would freeze the console each second for no one to read them.
MAX_LANES = 48


def lanes_of(snap: Snapshot, query: str) -> tuple[Snapshot, int]:
    """``snap`` cut to the instances drawn, and how many matched the filter."""
    names = names_by_address(snap.hosts)
    matched = sorted(
        (i for i in snap.instances if i.adverts and instance_matches(i, query, names)),
        key=lambda i: (i.vlan or 0, i.vrid, i.family),
    )
    return replace(snap, instances=tuple(matched[:MAX_LANES])), len(matched)


class TimelineScreen(Screen[None]):
    """Lanes, bands and gaps of every instance; zoom with z/Z or 1/2/3/0."""

    BINDINGS = [Binding(k.key, k.action, k.label, show=k.show, id=k.id) for k in TIMELINE_KEY_HELP]

    def __init__(self) -> None:
        super().__init__()
        self.zoom_index = len(ZOOMS) - 1  # the whole history
        self.cursor: float | None = None
        """The step-through's moment (None: follow the newest)."""
        self._timeline: Timeline | None = None
        self._drawn = 0.0
        self.draws = 0

    def compose(self) -> ComposeResult:
        """Header, the span line, the lanes (scrollable), the footer."""
        yield StatusBar(id="status")
        yield Static(id="timeline-title")
        with VerticalScroll(id="timeline-scroll"):
            yield Static(id="timeline-lanes")
            yield Static(id="timeline-more")
            yield Static(id="timeline-moment")
        yield Footer()

    def on_mount(self) -> None:
        """First drawing."""
        self.render_view(force=True)

    def on_screen_resume(self) -> None:
        """Back from help: catch up."""
        self.render_view(force=True)

    def on_resize(self) -> None:
        """The lanes use the whole width."""
        self.render_view(force=True)

    @property
    def zoom_span(self) -> float | None:
        """Seconds shown (None: the whole history)."""
        return ZOOMS[self.zoom_index][1]

    def action_zoom_in(self) -> None:
        """A shorter span."""
        self.zoom_index = max(0, self.zoom_index - 1)
        self.render_view(force=True)

    def action_zoom_out(self) -> None:
        """A longer span."""
        self.zoom_index = min(len(ZOOMS) - 1, self.zoom_index + 1)
        self.render_view(force=True)

    def action_zoom(self, name: str) -> None:
        """Jump to the zoom level ``name`` (``ZOOMS``)."""
        self.zoom_index = next(i for i, (n, _s) in enumerate(ZOOMS) if n == name)
        self.render_view(force=True)

    def action_step(self, direction: int) -> None:
        """To the previous (-1) or next (1) event; past the last, the cursor goes
        and the screen follows the newest again. A replay steps the app's moments
        (the tables too, ``vrrptop.ui.stepping``); live, the lanes' changes."""
        app = cast("VrrptopApp", self.app)
        if app.moments is not None:
            app.step_moment(direction)
            self.render_view(force=True)
            return
        tl = self._timeline
        if tl is None:
            return
        stops = moments(tl)
        if not stops:
            return
        if direction < 0:
            ref = tl.end + 1 if self.cursor is None else self.cursor
            earlier = [t for t in stops if t < ref - 1e-6]
            self.cursor = earlier[-1] if earlier else stops[0]
        elif self.cursor is not None:
            later = [t for t in stops if t > self.cursor + 1e-6]
            self.cursor = later[0] if later else None
        self.render_view(force=True)

    def render_view(self, force: bool = False) -> None:
        """Redraw from the shown snapshot, at most every ``REDRAW_S`` unless forced."""
        if not self.is_mounted:
            return
        app = cast("VrrptopApp", self.app)
        bar = next(self.query("#status").results(StatusBar), None)
        if bar is None:  # shutting down
            return
        bar.show(app.header_info())
        now = time.monotonic()
        if not force and now - self._drawn < REDRAW_S:
            return
        self._drawn = now
        self.draws += 1
        # At a replay's moment the lanes stay whole, the moment is their cursor.
        snap = app.shown_snapshot if app.moment is None else app.live_snapshot
        cursor = self.cursor if app.moment is None else app.moment.ts
        if snap is None:
            self.query_one("#timeline-title", Static).update("Master timeline: waiting for data")
            return
        drawn, matched = lanes_of(snap, app.filter_text)
        tl = self._timeline = build_timeline(drawn, drawn.alarm_history)
        width = (self.size.width or app.size.width) - 4  # padding and the scroll bar
        self.query_one("#timeline-title", Static).update(
            span_text(tl, self.zoom_span, width, app.tz)
        )
        self.query_one("#timeline-lanes", Static).update(
            lanes_text(tl, width, self.zoom_span, app.tz, cursor)
        )
        more = self.query_one("#timeline-more", Static)
        more.display = matched > len(tl.lanes) or bool(app.filter_text)
        where = f" (filter {app.filter_text!r})" if app.filter_text else ""
        more.update(
            Text(
                f"{len(tl.lanes)} of {matched} instances drawn{where}: "
                "narrow with / on the main screen",
                style="dim",
            )
        )
        moment = self.query_one("#timeline-moment", Static)
        moment.display = cursor is not None
        if cursor is not None:
            moment.update(moment_text(tl, cursor, app.tz))
