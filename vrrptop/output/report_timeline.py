"""``--report``'s timeline as text art: a lane per instance, a letter per master.

Built for the postmortem email: plain ASCII in at most 80 columns, readable in any
monospace font without colour (the colours rich adds on a terminal only repeat the
letters). Each lane is the master row (a letter per host, ``.`` while no router
was master), a ``split`` row under it while two routers advertised as master at
once, and a marker row (resign, master lost, split brain, alarms raised). The
data comes from ``model.timeline`` / ``model.timeline_grid``, as the console's and
the HTML report's drawings do.
"""

from __future__ import annotations

import string
import time

from rich.console import Group
from rich.text import Text

from vrrptop.model.timeline import Marker, Timeline
from vrrptop.model.timeline_grid import Fill, Grid, grid

#: Widest the text art gets (an email, a ticket, a terminal of 80 columns).
MAX_WIDTH = 80
#: Lane titles are cut to this many characters.
TITLE_WIDTH = 20
_LETTERS = string.ascii_uppercase + string.ascii_lowercase + string.digits
_GAP = "."
#: Marker kind -> its letter (alarms: by severity).
MARKER_CHARS = {"resign": "R", "master-lost": "L", "split-brain": "S", "save": "P"}
_ALARM_CHARS = {"error": "!", "warning": "?", "info": "i"}
_COLOURS = ("green", "cyan", "magenta", "yellow", "blue", "red", "bright_green", "bright_cyan")


def host_letter(index: int) -> str:
    """The letter of the ``index``-th host of the legend (``*`` past 62 hosts)."""
    return _LETTERS[index] if 0 <= index < len(_LETTERS) else "*"


def marker_char(marker: Marker) -> str:
    """The character a marker is drawn with."""
    if marker.kind == "alarm":
        return _ALARM_CHARS.get(marker.severity, "!")
    return MARKER_CHARS[marker.kind]


def _clock(ts: float, seconds: bool = True) -> str:
    return time.strftime("%H:%M:%S" if seconds else "%H:%M", time.localtime(ts))


def _axis(g: Grid, pad: int) -> list[str]:
    """Labels above a ruler, a ``+`` at each tick."""
    ticks = g.ticks(min_columns=10)
    labels = [" "] * g.width
    ruler = ["-"] * g.width
    for col, ts in ticks:
        ruler[col] = "+"
        label = _clock(ts)
        free = all(c == " " for c in labels[max(0, col - 1) : col + len(label)])
        if col + len(label) <= g.width and free:
            labels[col : col + len(label)] = label
    return [(" " * pad + "".join(labels)).rstrip(), " " * pad + "".join(ruler)]


def _duration(seconds: float) -> str:
    if seconds < 120:
        return f"{seconds:.1f} s"
    if seconds < 7200:
        return f"{seconds / 60:.1f} min"
    return f"{seconds / 3600:.1f} h"


def timeline_art(tl: Timeline, width: int = MAX_WIDTH) -> list[Text]:
    """The timeline as lines of text at most ``width`` columns wide. The styles only
    repeat the letters (a pipe or ``color_system=None`` drops them)."""
    width = min(width, MAX_WIDTH)
    if not tl.lanes:
        return []
    title_w = min(TITLE_WIDTH, max(len(lane.title) for lane in tl.lanes))
    pad = title_w + 1
    g = grid(tl, max(10, width - pad))
    lines = [
        Text(
            f"Master timeline {_clock(tl.start)} - {_clock(tl.end)} "
            f"({_duration(tl.end - tl.start)}, one column = {_duration(g.step)})",
            style="bold",
        )
    ]
    lines += [Text(line, style="dim") for line in _axis(g, pad)]
    letters = {h: host_letter(i) for i, h in enumerate(tl.hosts)}
    styles = {h: _COLOURS[i % len(_COLOURS)] for i, h in enumerate(tl.hosts)}
    for cells in g.lanes:
        row = Text(cells.lane.title[:title_w].ljust(pad))
        for col in cells.masters:
            if isinstance(col, Fill):
                row.append(_GAP if col is Fill.GAP else " ", style="red")
            else:
                row.append(letters[col], style=styles.get(col, ""))
        lines.append(row)
        if any(cells.overlaps):
            split = Text("  split".ljust(pad))
            for host in cells.overlaps:
                split.append(" " if host is None else letters[host], style="bold red")
            split.rstrip()
            lines.append(split)
        if any(cells.markers):
            marks = "".join(" " if m is None else marker_char(m) for m in cells.markers)
            lines.append(Text(" " * pad + marks.rstrip(), style="yellow"))
        if cells.lane.truncated:
            lines.append(Text(" " * pad + "(older history rolled out of the ring)", style="dim"))
    lines += _legend(tl, letters, width)
    return lines


def _legend(tl: Timeline, letters: dict[str, str], width: int) -> list[Text]:
    words = [f"{letters[h]} {h}" for h in tl.hosts]
    words += [f"{_GAP} no master", "R resign", "L master lost", "S split brain",
              "! alarm raised (error)", "? alarm raised (warning)"]  # fmt: skip
    words += ["P priority file saved"] if tl.has_saves else []
    out: list[Text] = []
    line = "Legend:"
    for word in words:
        if len(line) + 2 + len(word) > width:
            out.append(Text(line))
            line = "       "
        line += "  " + word
    out.append(Text(line))
    return out


def timeline_section(tl: Timeline, width: int) -> Group | None:
    """The report's timeline section; None when no instance was seen."""
    lines = timeline_art(tl, width)
    return Group(*lines) if lines else None
