"""The tables' view actions, mixed into ``VrrptopApp``: the sort keys (s, <, >, I and
a click on a column header) and the filter (``/``, typed in the main screen's box,
which posts ``FilterChanged``). Kept apart so the app module holds its state and
refresh policy."""

from __future__ import annotations

from typing import TYPE_CHECKING, cast

from vrrptop.ui.format import SORT_KEYS, next_sort_key, previous_sort_key
from vrrptop.ui.messages import FilterChanged, SortRequested

if TYPE_CHECKING:
    from vrrptop.ui.app import VrrptopApp


class TableActions:
    """Sorting and filtering the tables."""

    def on_filter_changed(self, message: FilterChanged) -> None:
        """A screen's filter box changed (messages up; the app owns the state)."""
        self.set_filter(message.text)

    def set_filter(self, text: str) -> None:
        """Filter the tables to rows matching ``text``."""
        app = cast("VrrptopApp", self)
        app.filter_text = text
        app.render_screens()

    def on_sort_requested(self, message: SortRequested) -> None:
        """A screen asked for a sort order (a click on a column header)."""
        self.set_sort(message.column)

    def set_sort(self, key: str) -> None:
        """Sort the instances by ``key`` if it is one of ``SORT_KEYS``."""
        app = cast("VrrptopApp", self)
        if key in SORT_KEYS:
            app.sort_key = key
            app.render_screens()

    def action_cycle_sort(self) -> None:
        """Next sort order."""
        app = cast("VrrptopApp", self)
        app.sort_key = next_sort_key(app.sort_key)
        app.render_screens()

    def action_sort_prev(self) -> None:
        """Previous sort order."""
        app = cast("VrrptopApp", self)
        app.sort_key = previous_sort_key(app.sort_key)
        app.render_screens()

    def action_sort_next(self) -> None:
        """Next sort order (as `s`)."""
        self.action_cycle_sort()

    def action_reverse_sort(self) -> None:
        """Reverse the sort order (htop's I)."""
        app = cast("VrrptopApp", self)
        app.sort_reverse = not app.sort_reverse
        app.render_screens()
