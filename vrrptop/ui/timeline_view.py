"""The console's master timeline as Rich text: axis, a lane per instance, legend.

Pure (no textual): ``screens.timeline`` puts this in a scrollable pane. Cells come
from ``model.timeline_grid`` (as ``--report``'s text art), so both agree on what a
column shows. A band is a run of ``█`` in its host's colour with the host's letter
where the run starts (readable without colour too), ``░`` in red is a gap with no
master, a ``split`` row shows a second master, and a marker row under the lane
shows R(esign), L(ost), S(plit brain), !/? (alarm raised: error/warning), P (a
priority file saved).
"""

from __future__ import annotations

import string
from datetime import datetime, tzinfo

from rich.text import Text

from vrrptop.model.timeline import Marker, Timeline, state_at
from vrrptop.model.timeline_grid import Fill, Grid, grid

#: Zoom levels: (name, span in seconds; None: the whole history).
ZOOMS: tuple[tuple[str, float | None], ...] = (
    ("1 min", 60.0),
    ("10 min", 600.0),
    ("1 h", 3600.0),
    ("whole", None),
)
TITLE_WIDTH = 18
_LETTERS = string.ascii_uppercase + string.ascii_lowercase + string.digits
_MARKS = {"resign": "R", "master-lost": "L", "split-brain": "S", "save": "P"}
_ALARM = {"error": "!", "warning": "?", "info": "i"}
_SEVERITY_STYLE = {"error": "bold red", "warning": "yellow", "info": "dim"}


def letter(index: int) -> str:
    """The ``index``-th host's letter (as in the report's text art)."""
    return _LETTERS[index] if 0 <= index < len(_LETTERS) else "*"


def _mark(m: Marker) -> str:
    return _ALARM.get(m.severity, "!") if m.kind == "alarm" else _MARKS[m.kind]


def _clock(ts: float, tz: tzinfo | None) -> str:
    return datetime.fromtimestamp(ts, tz).strftime("%H:%M:%S")


def _axis(g: Grid, tz: tzinfo | None) -> Text:
    labels = [" "] * g.width
    ruler = ["─"] * g.width
    for col, ts in g.ticks(min_columns=10):
        ruler[col] = "┼"
        label = _clock(ts, tz)
        free = all(c == " " for c in labels[max(0, col - 1) : col + len(label)])
        if col + len(label) <= g.width and free:
            labels[col : col + len(label)] = label
    pad = " " * (TITLE_WIDTH + 1)
    return Text(pad + "".join(labels).rstrip() + "\n" + pad + "".join(ruler), style="dim")


def _row(cells: tuple[str | Fill | None, ...], tl: Timeline, gap_style: str = "red") -> Text:
    """One run of equal cells at a time (a lane is a few runs, not a cell per append)."""
    row = Text()
    i, n = 0, len(cells)
    while i < n:
        col = cells[i]
        j = i + 1
        while j < n and cells[j] == col:
            j += 1
        if col is None or col is Fill.UNSEEN:
            row.append(" " * (j - i))
        elif col is Fill.GAP:
            row.append("░" * (j - i), style=gap_style)
        else:
            colour = tl.host_colour(col)
            row.append(letter(tl.host_index(col)), style=f"bold black on {colour}")
            row.append("█" * (j - i - 1), style=colour)
        i = j
    return row


def lanes_text(
    tl: Timeline, width: int, zoom: float | None, tz: tzinfo | None, cursor: float | None = None
) -> Text:
    """Axis, lanes and legend in ``width`` columns at the zoom ``zoom`` (seconds);
    the column of ``cursor`` (a step-through's moment) is drawn reversed."""
    out = Text()
    if not tl.lanes:
        out.append("No VRRP advertisement seen yet.", style="dim")
        return out
    g = grid(tl, max(10, width - TITLE_WIDTH - 1), zoom)
    at = g.column(cursor) if cursor is not None and g.start <= cursor <= g.end else None
    axis = _axis(g, tz)
    if at is not None:
        ruler = len(axis) - g.width + at
        axis.stylize("bold reverse", ruler, ruler + 1)
    out.append(axis)
    for cells in g.lanes:
        out.append("\n" + cells.lane.title[:TITLE_WIDTH].ljust(TITLE_WIDTH + 1), style="bold")
        row = _row(cells.masters, tl)
        if at is not None:
            row.stylize("reverse", at, at + 1)
        out.append(row)
        if any(cells.overlaps):
            out.append("\n" + "  split".ljust(TITLE_WIDTH + 1), style="dim")
            out.append(_row(cells.overlaps, tl))
        if any(cells.markers):
            out.append("\n" + " " * (TITLE_WIDTH + 1))
            for m in cells.markers:
                if m is None:
                    out.append(" ")
                else:
                    out.append(_mark(m), style=_SEVERITY_STYLE.get(m.severity, ""))
        if cells.lane.truncated:
            out.append("\n" + " " * (TITLE_WIDTH + 1) + "(older history rolled out)", style="dim")
    out.append("\n")
    out.append(legend_text(tl, width))
    return out


def legend_text(tl: Timeline, width: int) -> Text:
    """Each host's letter and colour, then what the marks mean, wrapped at ``width``."""
    items: list[Text] = []
    for i, host in enumerate(tl.hosts):
        item = Text()
        item.append(f" {letter(i)} ", style=f"bold black on {tl.host_colour(host)}")
        item.append(f" {host}")
        items.append(item)
    gap = Text("░", style="red")
    gap.append(" no master", style="dim")
    items.append(gap)
    words = ["R resign", "L master lost", "S split brain", "! ? alarm raised"]
    words += ["P priority file saved"] if tl.has_saves else []
    items += [Text(w, style="dim") for w in words]
    out = Text()
    used = 0
    for item in items:
        if used and used + 2 + len(item) > width:
            out.append("\n")
            used = 0
        elif used:
            out.append("  ")
            used += 2
        out.append(item)
        used += len(item)
    return out


def moment_text(tl: Timeline, ts: float, tz: tzinfo | None) -> Text:
    """Each lane at the moment ``ts``: master, second master, gap, what happened then."""
    moment = datetime.fromtimestamp(ts, tz)
    out = Text(f"At {moment.strftime('%H:%M:%S')}.{moment.microsecond // 1000:03d}", style="bold")
    out.append("  ([ ] step, ] past the last follows the newest)", style="dim")
    for lane in state_at(tl, ts):
        out.append("\n" + lane.lane.title[:TITLE_WIDTH].ljust(TITLE_WIDTH + 1))
        if lane.master is not None:
            out.append(lane.master.host, style=f"bold {tl.host_colour(lane.master.host)}")
            out.append(f" prio {lane.master.priority}")
        elif lane.gap is not None:
            out.append("no master", style="bold red")
        else:
            out.append("not seen yet", style="dim")
        for band in lane.also:
            out.append(f"  + {band.host} also master", style="bold red")
        for m in lane.markers:
            out.append(f"  {m.text}", style=_SEVERITY_STYLE.get(m.severity, ""))
    return out


def span_text(tl: Timeline, zoom: float | None, width: int, tz: tzinfo | None) -> str:
    """The title line: what is shown, and how much time a column is."""
    if not tl.lanes:
        return "Master timeline"
    g = grid(tl, max(10, width - TITLE_WIDTH - 1), zoom)
    name = next(n for n, s in ZOOMS if s == zoom)
    step = g.step
    per = f"{step:.1f} s" if step < 120 else f"{step / 60:.1f} min"
    return (
        f"Master timeline, {'whole history' if zoom is None else 'last ' + name}: "
        f"{_clock(g.start, tz)} - {_clock(g.end, tz)}, one column = {per}"
    )
