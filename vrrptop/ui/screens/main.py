"""The main screen: status header, instances, hosts and the event log."""

from __future__ import annotations

from typing import TYPE_CHECKING, cast

from textual.app import ComposeResult
from textual.binding import Binding
from textual.containers import Vertical
from textual.screen import Screen
from textual.widgets import DataTable, Footer, Input

from vrrptop.ui.format import host_matches, instance_matches, names_by_address, sort_instances
from vrrptop.ui.messages import DetailsRequested, FilterChanged, SortRequested
from vrrptop.ui.widgets.alarms import AlarmBar
from vrrptop.ui.widgets.eventlog import EventLog
from vrrptop.ui.widgets.node import NodeBar
from vrrptop.ui.widgets.status import StatusBar
from vrrptop.ui.widgets.tables import WIDE, HostsTable, InstancesTable, RowTable

if TYPE_CHECKING:
    from vrrptop.ui.app import VrrptopApp


class MainScreen(Screen[None]):
    """What `vrrptop em1` opens."""

    BINDINGS = [
        Binding("escape", "back", "Back", show=False, id="main.back"),
    ]

    _last_view: tuple[object, ...] | None = None
    _last_tick = False

    def compose(self) -> ComposeResult:
        """Header, three panes, the (hidden) filter input and the footer."""
        app = cast("VrrptopApp", self.app)
        yield StatusBar(id="status")
        with Vertical(id="panes"):
            instances = InstancesTable(id="instances")
            instances.border_title = "Virtual routers"
            yield instances
            hosts = HostsTable(id="hosts")
            hosts.border_title = "Hosts"
            yield hosts
            yield NodeBar(id="node")
            yield AlarmBar(id="alarms")
            log = EventLog(tz=app.tz, id="events")
            log.border_title = "Events"
            yield log
        yield Input(
            placeholder="filter: VRID, address or name  (enter keeps, escape clears)", id="filter"
        )
        # Compact, and the palette's key is in the help: every action fits 80 columns.
        yield Footer(compact=True, show_command_palette=False)

    def on_mount(self) -> None:
        """Start with the instances table focused so enter opens details."""
        self.query_one("#filter", Input).display = False
        self.query_one("#instances", InstancesTable).focus()
        self.render_view()

    def on_screen_resume(self) -> None:
        """Coming back from details/help: show what changed meanwhile."""
        self.render_view()

    def on_resize(self) -> None:
        """Columns depend on the width."""
        self.render_view()

    def render_view(self, *, tick: bool = True) -> None:
        """Redraw the header and, unless paused, the tables from the app's state.

        ``tick`` False (an engine update between two ticks of the slow refresh)
        shows only urgent changes at once: new rows, states, masters, colours. Ages,
        clock and counters wait for the next tick (see ``RowTable.set_rows``).
        """
        app = cast("VrrptopApp", self.app)
        if not self.is_mounted:
            return
        bars = self.query("#status").results(StatusBar)
        bar = next(bars, None)
        if bar is None:  # shutting down: the widgets go before the screen
            return
        bar.show(app.header_info(), tick=tick)
        snap = app.shown_snapshot
        if snap is None:
            return
        view = (snap, app.show_names, app.filter_text, app.sort_key, app.sort_reverse, self.size)
        if view == self._last_view and (self._last_tick or not tick):
            return  # nothing new to show (e.g. a tick while paused)
        self._last_view, self._last_tick = view, tick
        names = names_by_address(snap.hosts) if app.show_names else {}
        all_names = names_by_address(snap.hosts)
        self.event_log.set_view(app.filter_text, names)
        rows = [i for i in snap.instances if instance_matches(i, app.filter_text, all_names)]
        rows = sort_instances(rows, app.sort_key, names, reverse=app.sort_reverse)
        width = self.size.width or self.app.size.width
        self.query_one("#instances", InstancesTable).show(
            rows,
            names,
            show_names=app.show_names,
            width=width,
            tick=tick,
            sort=(app.sort_key, app.sort_reverse),
        )
        hosts = [h for h in snap.hosts if host_matches(h, app.filter_text)]
        # The filter reaches the hosts table's columns too: only matching instances.
        self.query_one("#hosts", HostsTable).show(
            hosts,
            sort_instances(rows, "vrid"),
            snap.ts,
            show_names=app.show_names,
            tick=tick,
            health=snap.health,
            width=width,
            node=snap.node,
        )
        self.query_one("#node", NodeBar).show(snap.node)
        self.query_one("#alarms", AlarmBar).show(snap.instances, snap.alarms)
        self.set_class(width >= WIDE, "-wide")

    def restyle(self) -> None:
        """After a theme change: every cell and the header are sent again."""
        self._last_view = None
        for table in self.query(RowTable):
            table.restyle()
        self.query_one("#status", StatusBar).restyle()
        self.query_one("#alarms", AlarmBar).restyle()
        self.query_one("#node", NodeBar).restyle()

    @property
    def event_log(self) -> EventLog:
        """The log widget (the app appends events to it)."""
        return self.query_one("#events", EventLog)

    def selected_instance(self) -> str | None:
        """``"vrid/family"`` of the highlighted instance row."""
        return self.query_one("#instances", InstancesTable).selected_key()

    def open_filter(self) -> None:
        """Show and focus the filter input."""
        box = self.query_one("#filter", Input)
        box.display = True
        box.focus()

    def action_back(self) -> None:
        """Escape: clear and hide the filter if it is in use."""
        box = self.query_one("#filter", Input)
        app = cast("VrrptopApp", self.app)
        if box.display or app.filter_text:
            box.value = ""
            box.display = False
            self.post_message(FilterChanged(""))
            self.query_one("#instances", InstancesTable).focus()

    def on_input_changed(self, event: Input.Changed) -> None:
        """Filter as the operator types."""
        self.post_message(FilterChanged(event.value))

    def on_input_submitted(self, event: Input.Submitted) -> None:
        """Enter keeps the filter and returns to the table."""
        box = self.query_one("#filter", Input)
        box.display = bool(event.value)
        self.query_one("#instances", InstancesTable).focus()

    def on_data_table_header_selected(self, event: DataTable.HeaderSelected) -> None:
        """Clicking a column header sorts by it (when it is a sort order)."""
        if event.data_table.id == "instances":
            self.post_message(SortRequested(str(event.column_key.value)))

    def on_data_table_row_selected(self, event: DataTable.RowSelected) -> None:
        """Enter or click on an instance row opens its details."""
        if event.data_table.id == "instances" and event.row_key.value:
            self.post_message(DetailsRequested(str(event.row_key.value)))
