"""The instances and hosts tables: DataTables fed with pure row cells.

Rows are updated in place when the set of rows is unchanged (the common case at
10 refreshes a second), so the cursor and the scroll position stay put.
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from dataclasses import replace

from rich.cells import cell_len
from rich.segment import Segment as RichSegment
from rich.style import Style
from rich.text import Text
from textual.binding import Binding
from textual.widgets import DataTable
from textual.widgets.data_table import ColumnKey, RowKey

from vrrptop.expect.wording import Segment
from vrrptop.model.health import TargetHealth
from vrrptop.model.node import NodeState
from vrrptop.model.snapshot import HostView, InstanceView
from vrrptop.ui.health_view import correlated
from vrrptop.ui.host_layout import host_table
from vrrptop.ui.keys import KEY_HELP, TABLE_KEY_HELP
from vrrptop.ui.node_view import mark_this_host, this_host
from vrrptop.ui.rows import (
    Column,
    fit_instance_columns,
    host_cell_stable,
    host_key,
    instance_cell_stable,
    instance_cells,
    instance_columns,
    instance_key,
)
from vrrptop.ui.widgets.levels import level_style

#: Terminal width from which screens use their wide layout.
WIDE = 120
#: Width from which the details screen has two columns: each of its tables (the
#: routers with their MACs, the expected-versus-observed hosts) needs about 75
#: cells, so at 120 columns two of them side by side truncated names.
DETAIL_TWO_COLUMNS = 156
#: Terminal width from which instance cells are written in full (master with its
#: name, every VIP); below it the cells are abbreviated so the row fits.
FULL = 150


#: Rendered cells kept by ``RowTable._render_cell`` (a few screens' worth).
_CELL_CACHE = 4096


class RowTable(DataTable[Text]):
    BINDINGS = [Binding(k.key, k.action, k.label, show=k.show, id=k.id) for k in TABLE_KEY_HELP]

    """DataTable with a keyed, in-place ``set_rows``.

    Column widths are computed here (cheaply, from the plain text) and given to
    the DataTable as fixed widths: its own auto-width re-measures a whole column
    whenever one cell shrinks, which is quadratic on a busy segment. Widths only
    grow while the rows stay the same, so a ticking age does not make the table
    jump; only changed cells are sent to the widget.

    Every cell sent makes the widget repaint all its visible rows, so an update
    whose cells differ only in their ticking part (``stable`` says what is urgent)
    is held back until a ``tick`` (the console's slow refresh): on an idle segment
    the table is repainted about once a second instead of at every update.
    """

    def __init__(self, **kwargs: object) -> None:
        # Set before DataTable's __init__, whose reactives already clear caches.
        self._cell_lines: dict[tuple[object, ...], tuple[object, list[list[RichSegment]]]] = {}
        """Rendered cells that outlive a change elsewhere in the table (``_render_cell``)."""
        super().__init__(cursor_type="row", zebra_stripes=True, **kwargs)  # type: ignore[arg-type]
        self._col_ids: list[str] = []
        self._row_ids: list[str] = []
        self._widths: list[int] = []
        self._layout: object = None
        self._cells: dict[str, list[Segment]] = {}
        """The cells on screen, per row key (held-back changes are not in it)."""
        self.cells_sent = 0
        """Cells sent to the widget so far (for tests and benchmarks)."""

    def stable(self, col_id: str, cell: Segment) -> object:
        """The part of ``cell`` that must be shown at once; the rest waits for a tick."""
        return cell

    def _text(self, cell: Segment) -> Text:
        text, level = cell
        return Text(text, style=level_style(self.app, level), no_wrap=True)

    def restyle(self) -> None:
        """Forget the cell cache so the next ``set_rows`` re-sends every cell
        (after a theme change the same text needs other colours)."""
        self._cells.clear()
        self._col_ids = []
        self._cell_lines.clear()

    # -- rendering: keep unchanged cells' renders across updates ----------------
    def _render_cell(
        self,
        row_index: int,
        column_index: int,
        base_style: Style,
        width: int,
        cursor: bool = False,
        hover: bool = False,
    ) -> list[list[RichSegment]]:
        """DataTable's cell render, cached per cell *value*.

        DataTable keys its render caches on a counter that every ``update_cell``
        bumps, so one changed age re-renders every visible cell through Rich (most
        of a repaint's cost). Our cell values are replaced, never mutated, when
        they change (``set_rows``), so the value's identity says whether a render
        is still good; styles are in the key, and every style change clears it.
        """
        try:
            row_key = self._row_locations.get_key(row_index)
            column_key = self._column_locations.get_key(column_index)
            value = None
            if row_key is not None and column_key is not None:
                value = self._data[row_key][column_key]
        except (AttributeError, KeyError):  # another DataTable than expected
            value = None
        if value is None:  # the header, a row label, or no such cell
            return super()._render_cell(row_index, column_index, base_style, width, cursor, hover)
        key = (
            row_index,
            column_index,
            base_style,
            width,
            cursor,
            hover,
            self.show_cursor,
            self._show_hover_cursor,
            self._pseudo_class_state,
        )
        hit = self._cell_lines.get(key)
        if hit is not None and hit[0] is value:
            return hit[1]
        lines = super()._render_cell(row_index, column_index, base_style, width, cursor, hover)
        if len(self._cell_lines) > _CELL_CACHE:
            self._cell_lines.clear()
        self._cell_lines[key] = (value, lines)
        return lines

    def _clear_caches(self) -> None:
        super()._clear_caches()
        self._cell_lines.clear()

    def notify_style_update(self) -> None:
        """Styles changed: rendered cells are stale."""
        self._cell_lines.clear()
        super().notify_style_update()

    def set_rows(
        self,
        columns: Sequence[Column],
        rows: Sequence[tuple[str, list[Segment]]],
        *,
        tick: bool = True,
        layout: object = None,
    ) -> bool:
        """Show ``rows`` (key, cells) under ``columns``, keeping the cursor's row.

        With ``tick`` False, cells whose change is only in their ticking part are
        not sent. Returns True when such changes are being held back. A new
        ``layout`` (names on/off) measures the widths afresh instead of keeping
        the widest seen, so toggling back gives the columns their old widths.
        """
        col_ids = [c.id for c in columns]
        rows = _unique_keys(rows)
        row_ids = [key for key, _ in rows]
        widths = [cell_len(c.label) for c in columns]
        for _, cells in rows:
            for i, (text, _level) in enumerate(cells):
                width = len(text) if text.isascii() else cell_len(text)
                if width > widths[i]:
                    widths[i] = width
        same_shape = (
            col_ids == self._col_ids and row_ids == self._row_ids and layout == self._layout
        )
        self._layout = layout
        if same_shape and all(w <= old for w, old in zip(widths, self._widths, strict=True)):
            return self._update_cells(col_ids, rows, tick)
        if same_shape:
            widths = [max(w, old) for w, old in zip(widths, self._widths, strict=True)]
        selected = self.selected_key()
        scroll_y = self.scroll_y
        self.clear(columns=True)
        for col, width in zip(columns, widths, strict=True):
            # A Text label: a str would be parsed as markup with emoji codes, whose
            # table (rich._emoji_codes) costs 40 ms of the first frame to import.
            self.add_column(Text(col.label), width=width, key=col.id)
        for key, cells in rows:
            self.add_row(*(self._text(c) for c in cells), key=key)
        self.cells_sent += len(rows) * len(col_ids)
        self._col_ids, self._row_ids, self._widths = col_ids, row_ids, widths
        self._cells = {key: cells for key, cells in rows}
        if selected in row_ids:
            self.move_cursor(row=row_ids.index(selected), scroll=False)
        self.scroll_y = scroll_y
        return False

    def _update_cells(
        self, col_ids: list[str], rows: Sequence[tuple[str, list[Segment]]], tick: bool
    ) -> bool:
        """Send the changed cells of a same-shape table; True if some were held back.

        A cell sent through ``update_cell`` repaints every visible row; a cell of a
        row scrolled out of view is stored quietly instead (``_store_quietly``), so
        on a segment with hundreds of instances the ages of rows nobody sees do not
        repaint the table.
        """
        held = False
        quiet = False
        stable = self.stable
        shown_cells = self._cells
        top = int(self.scroll_y)
        bottom = top + self.size.height  # rows of height 1; the header line is slack
        for index, (key, cells) in enumerate(rows):
            old = shown_cells.get(key)
            if old == cells:
                continue  # the common case on a quiet segment: nothing to compare
            visible = top <= index < bottom
            shown = list(cells) if old is None else list(old)
            for i, (col_id, cell) in enumerate(zip(col_ids, cells, strict=True)):
                if old is not None:
                    was = old[i]
                    if was == cell:
                        continue
                    if not tick and stable(col_id, was) == stable(col_id, cell):
                        held = True
                        continue
                if visible or not self._store_quietly(key, col_id, self._text(cell)):
                    self.update_cell(key, col_id, self._text(cell))
                else:
                    quiet = True
                self.cells_sent += 1
                shown[i] = cell
            shown_cells[key] = shown
        if quiet:
            # Cached renders are keyed on this counter: bumping it without a
            # refresh means the next repaint (scroll, cursor, a visible change)
            # draws the new values, and nothing is repainted now.
            self._update_count += 1
        return held

    def _store_quietly(self, key: str, col_id: str, value: Text) -> bool:
        """Put ``value`` in the table's data without a repaint; False if this
        textual's DataTable does not keep its data as expected (then the caller
        falls back to ``update_cell``)."""
        row = self._data.get(RowKey(key))
        column = ColumnKey(col_id)
        if row is None or column not in row:
            return False
        row[column] = value
        return True

    def selected_key(self) -> str | None:
        """Key of the row under the cursor, or None when empty."""
        if not self._row_ids or self.row_count == 0:
            return None
        row = min(max(self.cursor_row, 0), len(self._row_ids) - 1)
        return self._row_ids[row]


def _unique_keys(rows: Sequence[tuple[str, list[Segment]]]) -> list[tuple[str, list[Segment]]]:
    """Suffix repeated keys (``k``, ``k#2``...) so a surprising snapshot cannot crash
    the table with a duplicate row key."""
    seen: dict[str, int] = {}
    out = []
    for key, cells in rows:
        n = seen.get(key, 0) + 1
        seen[key] = n
        out.append((key if n == 1 else f"{key}#{n}", cells))
    return out


class InstancesTable(RowTable):
    """One row per virtual router."""

    # enter opens the details (the app's binding is shadowed by DataTable's own,
    # which the footer does not show): label and help from the key table.
    BINDINGS = [
        Binding("enter", "select_cursor", k.label, id="instances.details")
        for k in KEY_HELP
        if k.id == "details"
    ]

    def stable(self, col_id: str, cell: Segment) -> object:
        """Age bars and advert counts tick; their colour does not wait."""
        return instance_cell_stable(col_id, cell)

    def show(
        self,
        instances: Sequence[InstanceView],
        names: dict[str, str],
        *,
        show_names: bool,
        width: int,
        tick: bool = True,
        sort: tuple[str, bool] = ("", False),
    ) -> bool:
        """Render ``instances`` (already filtered and sorted) for a ``width`` terminal,
        the ``sort`` (column id, reversed) column's label marked ▲/▼; True when
        ticking changes are held back (see ``RowTable.set_rows``)."""
        columns = instance_columns(width, any(correlated(i) for i in instances))
        key, reverse = sort
        mark = " ▼" if reverse else " ▲"
        columns = [replace(c, label=c.label + mark) if c.id == key else c for c in columns]
        wide = width >= FULL
        rows = [
            (instance_key(i), instance_cells(i, columns, names, show_names=show_names, wide=wide))
            for i in instances
        ]
        columns, rows = fit_instance_columns(columns, rows, width - 2)
        return self.set_rows(columns, rows, tick=tick, layout=show_names)


class HostsTable(RowTable):
    """One row per real router, with its priority in each instance."""

    def stable(self, col_id: str, cell: Segment) -> object:
        """The "(was 12s ago)" part ticks; priorities and mastership do not wait."""
        return host_cell_stable(col_id, cell)

    def show(
        self,
        hosts: Sequence[HostView],
        instances: Sequence[InstanceView],
        now: float,
        *,
        show_names: bool,
        tick: bool = True,
        health: Mapping[str, TargetHealth] | None = None,
        width: int = FULL,
        node: NodeState | None = None,
    ) -> bool:
        """Render ``hosts``; one column per VRID of ``instances`` (both families in a
        cell), DNS columns when ``health`` (the snapshot's probe results) is
        non-empty, fitted to ``width`` (``host_layout.host_table``); True when
        ticking changes are held back."""
        columns, rows = host_table(
            hosts, instances, now, show_names=show_names, health=health, width=width
        )
        if node is not None:  # the node vrrptop runs on, when its keepalived is read
            here = {host_key(h) for h in hosts if this_host(h, node)}
            rows = [(k, mark_this_host(cells) if k in here else cells) for k, cells in rows]
        return self.set_rows(columns, rows, tick=tick, layout=show_names)
