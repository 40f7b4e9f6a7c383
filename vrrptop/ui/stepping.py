"""Replay step-through: `[` / `]` pause at the previous/next event and every table
(instances, hosts, alarms, DNS health when recorded) shows the segment as it was
right after it; space, or `]` past the newest, returns to following the replay.

The moments are the engine's own snapshots, kept as it replays
(``vrrptop.model.moments``): a step is a lookup and one redraw on the app's
thread, with no worker and nothing re-run. Live captures keep no moments (the
present is what matters there); on the timeline, `[` / `]` then only move its
cursor.
"""

from __future__ import annotations

from dataclasses import replace
from typing import TYPE_CHECKING, cast

from vrrptop.model.moments import Moment, MomentStore
from vrrptop.ui.engine_api import RecordsMoments
from vrrptop.ui.format import fmt_clock
from vrrptop.ui.header import HeaderInfo

if TYPE_CHECKING:
    from vrrptop.ui.app import VrrptopApp


class MomentSteps:
    """The app's step-through state and actions, mixed into ``VrrptopApp``."""

    moments: MomentStore | None = None
    """The replay's moments (None: live, or an engine that keeps none)."""
    moment: Moment | None = None
    """The moment shown (None: following the replay)."""

    def attach_moments(self) -> None:
        """Before the engine starts: ask a replaying engine to keep its moments."""
        app = cast("VrrptopApp", self)
        replaying = bool(app.options.read_file or app.options.demo)
        if replaying and isinstance(app.engine, RecordsMoments):
            self.moments = MomentStore()
            app.engine.record_moments(self.moments)

    def action_step_prev(self) -> None:
        """`[`: pause at the previous event."""
        self.step_moment(-1)

    def action_step_next(self) -> None:
        """`]`: the next event (past the newest: follow the replay)."""
        self.step_moment(1)

    def step_moment(self, direction: int) -> None:
        """Pause at the previous (-1) or next (1) event; past the newest, follow
        the replay again. Without moments (live), say so in a notification."""
        app = cast("VrrptopApp", self)
        store = self.moments
        if store is None:
            app.notify("Stepping through events needs a replay (-r FILE or --demo)")
            return
        current = self.moment
        if direction < 0:
            target = store.before(current.seq if current else None)
        elif current is None:
            return  # already at the newest
        else:
            target = store.after(current.seq)
        if target is None:
            self.leave_moment()
            return
        self.moment = target
        app.paused = True
        app.shown_snapshot = target.snapshot
        app.render_screens()

    def leave_moment(self) -> None:
        """Follow the replay again (the held events reach the log)."""
        if self.moment is not None:
            cast("VrrptopApp", self).action_toggle_pause()  # at a moment: resumes

    def moment_header(self, info: HeaderInfo) -> HeaderInfo:
        """``info`` dated at the moment shown, when there is one."""
        moment, store = self.moment, self.moments
        if moment is None or store is None:
            return info
        app = cast("VrrptopApp", self)
        index, kept = store.position(moment.seq)
        start = app._capture_start
        return replace(
            info,
            moment=fmt_clock(moment.ts, app.tz, millis=True),
            moment_of=_what(moment, index, kept),
            clock_text=fmt_clock(moment.ts, app.tz),
            elapsed_s=moment.ts - start if start is not None else info.elapsed_s,
        )


def _what(moment: Moment, index: int, kept: int) -> str:
    """``3/39: <the first event> (+2 more)``: which moment, and what happened then."""
    events = moment.events
    text = f"{index}/{kept}"
    if events:
        text += f": {events[0].message}"
        if len(events) > 1:
            text += f" (+{len(events) - 1} more)"
    return text
