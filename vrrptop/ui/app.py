"""The Textual application: owns the view state and turns engine updates into redraws.

Threading (as in toolong): the engine calls ``_from_engine`` on its own thread;
that only stores the update in a lock-protected inbox and posts one
``SnapshotUpdated`` message. Widgets are touched only on the app's thread, at most
``1 / MIN_REFRESH_S`` times a second, always from the latest snapshot.
"""

from __future__ import annotations

import contextlib
import time
from collections.abc import Callable, Iterable
from datetime import tzinfo

from textual.app import App
from textual.binding import Binding
from textual.timer import Timer

from vrrptop.capture.base import SourceStatus
from vrrptop.errors import VrrptopError
from vrrptop.model.events import Event
from vrrptop.model.snapshot import Counters, Snapshot
from vrrptop.options import Options
from vrrptop.priority.onsave import cancel_all as cancel_on_save
from vrrptop.ui import timing
from vrrptop.ui.commands import VrrptopCommands
from vrrptop.ui.counter_mark import QUESTION, CounterMark
from vrrptop.ui.engine_api import (
    EngineLike,
    MonitorLike,
    UpdateLike,
    engine_error,
    options_source_name,
)
from vrrptop.ui.format import SORT_KEYS, fmt_clock
from vrrptop.ui.header import HeaderInfo, short_source_name
from vrrptop.ui.keys import KEY_HELP
from vrrptop.ui.messages import (
    MAX_PENDING_EVENTS,
    SnapshotUpdated,
    UpdateInbox,
)
from vrrptop.ui.screen_actions import ScreenActions
from vrrptop.ui.screens.main import MainScreen
from vrrptop.ui.settle_watch import SettleWatch
from vrrptop.ui.stepping import MomentSteps
from vrrptop.ui.table_actions import TableActions
from vrrptop.ui.terminal import watch_terminal
from vrrptop.ui.widgets.status import StatusBar

Clock = Callable[[], float]

#: Actions that only make sense on the main screen.
_MAIN_ONLY = frozenset({"filter", "cycle_sort", "sort_prev", "sort_next", "reverse_sort"})
_MAIN_ONLY |= {"details", "edit", "clear", "step_prev", "step_next"}


class VrrptopApp(ScreenActions, TableActions, MomentSteps, App[int]):
    """The vrrptop console. Build it with ``vrrptop.ui.factory.build_app``."""

    CSS_PATH = "vrrptop.tcss"
    TITLE = "vrrptop"
    BINDINGS = [Binding(k.key, k.action, k.label, show=k.show, id=k.id) for k in KEY_HELP if k.bind]
    # Only ours: Textual's own (Quit, Theme, Keys, Maximize...) listed actions twice.
    COMMANDS = {VrrptopCommands}
    # The refresh policy and why: vrrptop.ui.timing.
    MIN_REFRESH_S = timing.MIN_REFRESH_S
    MAX_REFRESH_S = timing.MAX_REFRESH_S
    ADAPT_FACTOR = timing.ADAPT_FACTOR
    TICK_S = timing.TICK_S
    ENGINE_INTERVAL_S = timing.ENGINE_INTERVAL_S
    TICK_EARLY = timing.TICK_EARLY
    TICK_LATE = timing.TICK_LATE

    def __init__(
        self,
        options: Options,
        engine: EngineLike,
        *,
        clock: Clock | None = None,
        tz: tzinfo | None = None,
        monitor: MonitorLike | None = None,
    ) -> None:
        super().__init__()
        self.options = options
        self.engine = engine
        self.monitor = monitor
        """The ``vrrptop.monitor.Monitor`` (priority files, config) or None; the editor uses it."""
        self.clock: Clock = clock or time.time
        self.tz = tz
        self.inbox = UpdateInbox()
        # View state (changed by the keys).
        self.paused = False
        self.show_names = not options.numeric
        self.sort_key = SORT_KEYS[0]
        self.sort_reverse = False
        self.counter_mark = CounterMark()
        self.filter_text = ""
        self.settle: SettleWatch | None = None
        """What the editor's last save expects keepalived to elect (None: no save yet)."""
        # Engine state as last drained.
        self.status: SourceStatus | None = None
        self._write_error_noted = False
        self.live_snapshot: Snapshot | None = None
        self.shown_snapshot: Snapshot | None = None
        """What the tables show: the live snapshot, frozen while paused."""
        self.ended = False
        self.updates_seen = 0
        self.render_count = 0
        self._held: list[Event] = []
        self._capture_start: float | None = None
        self._started = self.clock()
        self._last_render = 0.0
        self._last_tick = 0.0
        self._refresh_interval = self.MIN_REFRESH_S
        self._render_timer: Timer | None = None
        self.main_screen = MainScreen()

    # ----------------------------------------------------------- lifecycle
    def on_mount(self) -> None:
        """Show the main screen and start the engine."""
        self.push_screen(self.main_screen)
        self.theme_changed_signal.subscribe(self, self._theme_changed)
        self.engine.on_update = self._from_engine
        if self.engine.update_interval < self.ENGINE_INTERVAL_S:
            self.engine.update_interval = self.ENGINE_INTERVAL_S
        self.attach_moments()
        try:
            self.engine.start()
        except VrrptopError as err:
            self.exit(err.exit_code, return_code=err.exit_code, message=str(err))
            return
        self.set_interval(self.TICK_S / 2, self._clock_tick)
        watch_terminal(self)

    def _theme_changed(self, _theme: object) -> None:
        """Colours come from the theme: re-send every cell, then redraw."""
        if self.main_screen.is_mounted:
            self.main_screen.restyle()
        for screen in self.screen_stack:
            for bar in screen.query(StatusBar):
                bar.restyle()
        self.render_screens()

    def _from_engine(self, update: UpdateLike) -> None:
        """Engine thread: stash the update; wake the app only if it is not already awake."""
        if self.inbox.put(update):
            with contextlib.suppress(RuntimeError):  # the app is shutting down
                self.post_message(SnapshotUpdated())

    def on_snapshot_updated(self, _message: SnapshotUpdated) -> None:
        """Redraw now, or once the minimum refresh interval has passed."""
        wait = self._last_render + self._refresh_interval - time.monotonic()
        if wait <= 0:
            self._apply_inbox()
        elif self._render_timer is None:
            self._render_timer = self.set_timer(wait, self._timer_fired)

    def _timer_fired(self) -> None:
        self._render_timer = None
        if not (self._closing or self._closed):  # a timer may fire during shutdown
            self._apply_inbox()

    def _apply_inbox(self) -> None:
        """Take the latest update and every new event, then redraw once.

        The next redraw waits ``ADAPT_FACTOR`` times what this one cost, painting
        included (at least ``MIN_REFRESH_S``): on a huge segment under a flood,
        redraws get rarer instead of starving key presses of the app's thread.
        """
        start = time.monotonic()
        self._last_render = start
        self._apply_inbox_now()
        self.call_after_refresh(self._frame_painted, start)

    def _frame_painted(self, start: float) -> None:
        cost = time.monotonic() - start
        self._refresh_interval = min(
            self.MAX_REFRESH_S, max(self.MIN_REFRESH_S, self.ADAPT_FACTOR * cost)
        )

    def _apply_inbox_now(self) -> None:
        drained = self.inbox.drain()
        self.updates_seen += drained.updates
        update = drained.update
        if update is not None:
            self.status = update.status
            self.ended = self.ended or bool(update.ended)
            self.live_snapshot = update.snapshot
            self._note_start(update.snapshot)
            if not self.paused:
                self.shown_snapshot = update.snapshot
        if self.paused:
            self._held.extend(drained.events)
            del self._held[:-MAX_PENDING_EVENTS]
        else:
            self._log_events(drained.events)
        write_error = self.engine.write_error
        if write_error and not self._write_error_noted:
            self._write_error_noted = True
            self.main_screen.event_log.add_note(self._now(), write_error)
        if drained.lost_events:
            self.main_screen.event_log.add_note(
                self._now(), f"{drained.lost_events} events not shown (display fell behind)"
            )
        self.render_count += 1
        now = time.monotonic()
        tick = now - self._last_tick >= self.TICK_EARLY * self.TICK_S
        if tick:
            self._last_tick = now
        self.render_screens(tick=tick)

    def _note_start(self, snap: Snapshot) -> None:
        firsts = [i.first_seen for i in snap.instances]
        if firsts:
            first = min(firsts)
            if self._capture_start is None or first < self._capture_start:
                self._capture_start = first

    def _log_events(self, events: Iterable[Event]) -> None:
        events = list(events)
        if events:
            self.main_screen.event_log.add_events(events)

    # ------------------------------------------------------------- drawing
    def render_screens(self, *, tick: bool = True) -> None:
        """Redraw the active screen (and the main screen's header under a modal).

        ``tick`` False: an engine update; the main screen then shows only what is
        urgent and leaves ticking values (ages, clock, counters) to the next tick.
        """
        screen = self.screen if self.screen_stack else None
        render = getattr(screen, "render_view", None)
        if screen is self.main_screen or (render is None and self.main_screen.is_mounted):
            self.main_screen.render_view(tick=tick)
        elif render is not None:
            render()

    def _clock_tick(self) -> None:
        """Tick when the engine has not ticked for a while (the clock must move)."""
        if time.monotonic() - self._last_tick >= self.TICK_LATE * self.TICK_S:
            self.tick_active_screen()

    def tick_active_screen(self) -> None:
        """The slow tick: clock, elapsed time, counters and ages of the active screen."""
        self._last_tick = time.monotonic()
        screen = self.screen if self.screen_stack else None
        if screen is self.main_screen:
            self.main_screen.render_view(tick=True)
            return
        render = getattr(screen, "render_view", None)
        if render is not None:
            render()

    def _kind(self) -> str:
        if self.status is not None:
            return self.status.kind
        return "file" if (self.options.read_file or self.options.demo) else "live"

    def _now(self) -> float | None:
        """Now, on the clock the operator cares about (capture time when replaying)."""
        if self._kind() == "live":
            return self.clock()
        return self.live_snapshot.ts if self.live_snapshot else None

    def header_info(self) -> HeaderInfo:
        """The header's content from the current state."""
        snap = self.live_snapshot
        live = self._kind() == "live"
        if live:
            elapsed: float | None = self.clock() - self._started
        elif snap is not None and self._capture_start is not None:
            elapsed = snap.ts - self._capture_start
        else:
            elapsed = None
        name = self.status.name if self.status else options_source_name(self.options)
        counters, status = self.counter_mark.apply(
            snap.counters if snap else Counters(), self.status
        )
        info = HeaderInfo(
            source_name=short_source_name(name, demo=self.options.demo),
            status=status,
            counters=counters,
            paused=self.paused,
            ended=self.ended,
            elapsed_s=elapsed,
            clock_text=fmt_clock(self._now(), self.tz),
            clock_label="" if live else "capture time",
            sort_key=self.sort_key + (" ▼" if self.sort_reverse else ""),
            filter_text=self.filter_text,
            show_names=self.show_names,
            error=engine_error(self.engine),
            notice=self.engine.write_error,
        )
        return self.moment_header(info)

    # -------------------------------------------------------------- actions
    def check_action(self, action: str, parameters: tuple[object, ...]) -> bool | None:
        """Main-screen-only actions are hidden (and inert) on other screens."""
        on_main = not self.screen_stack or self.screen is self.main_screen
        return on_main or action not in _MAIN_ONLY

    async def action_quit(self) -> None:
        """Stop the engine and leave; the terminal is restored by Textual."""
        self.engine.stop()
        # A running --on-save command must not hold up quitting (its group is killed).
        cancel_on_save()
        self.exit(0, return_code=0)

    def action_filter(self) -> None:
        """Open the filter box on the main screen."""
        if self.screen is self.main_screen:
            self.main_screen.open_filter()

    def action_toggle_pause(self) -> None:
        """Freeze/unfreeze the tables and log; counters in the header keep going.
        At a replay's moment (``[``/``]``): follow the replay again."""
        self.paused = not self.paused and self.moment is None
        self.moment = None
        if not self.paused:
            self.shown_snapshot = self.live_snapshot
            held, self._held = self._held, []
            self._log_events(held)
        self.render_screens()

    def action_toggle_names(self) -> None:
        """Host names on/off (numbers only)."""
        self.show_names = not self.show_names
        self.render_screens()

    def action_clear(self) -> None:
        """Ask, then restart the header's counters from a mark in the event log.

        In an incident the log, the master history and the tables are evidence:
        they are kept. The mark says what the counters were, so nothing is lost.
        """
        if self.screen is not self.main_screen:
            return
        from vrrptop.ui.screens.editor_dialogs import ConfirmDialog

        def done(yes: bool | None) -> None:
            if yes:
                self.mark_counters()

        self.push_screen(ConfirmDialog(QUESTION, yes="Restart counters", no="Keep"), done)

    def mark_counters(self) -> None:
        """Restart the header's counters here; a note in the log keeps the old ones."""
        snap = self.live_snapshot
        note = self.counter_mark.set(snap.counters if snap else Counters(), self.status)
        self.main_screen.event_log.add_note(self._now(), note)
        self.render_screens()

    def action_edit(self) -> None:
        """Open the priority-file editor (one tab per file)."""
        if self.screen is self.main_screen:
            from vrrptop.ui.screens.editor import EditorScreen

            self.push_screen(EditorScreen(self.monitor))

    def action_details(self) -> None:
        """Details of the highlighted instance."""
        if self.screen is self.main_screen:
            self.open_details(self.main_screen.selected_instance())

    async def action_back(self) -> None:
        """Escape: leave a sub-screen, or clear the filter on the main screen."""
        if self.screen is self.main_screen:
            self.main_screen.action_back()
        elif len(self.screen_stack) > 1:
            self.pop_screen()

    def action_toggle_theme(self) -> None:
        """Light <-> dark."""
        self.theme = "textual-light" if self.current_theme.dark else "textual-dark"
