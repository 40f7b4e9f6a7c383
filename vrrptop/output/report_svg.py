"""The HTML report's timeline: one inline SVG per instance, hover details in ``<title>``.

Drawn from ``model.timeline`` in seconds mapped to pixels (no bucketing: a browser
draws a 0.2 s gap as the sliver it is, and its hover says how long it was). A
lane is the master row (a rectangle per term, in its host's colour), a split row
while a second router also advertised as master, and markers under them. The
colours are ``model.timeline.HOST_COLOURS`` in legend order, so the same host has the same colour
in every lane. Every text is escaped; nothing is fetched.
"""

from __future__ import annotations

import time
from html import escape

from vrrptop.model.timeline import Band, Gap, Lane, Marker, Timeline
from vrrptop.model.timeline_grid import Grid

GAP_COLOUR = "#d62728"
WIDTH = 960
"""Pixels of the time axis."""
LEFT = 170
"""Pixels for the lane title."""
_MARKER_COLOUR = {"error": "#d62728", "warning": "#ff7f0e", "info": "#7f7f7f"}
_MARKER_SYMBOL = {"resign": "R", "master-lost": "L", "split-brain": "S", "alarm": "!", "save": "P"}


def _clock(ts: float) -> str:
    return time.strftime("%H:%M:%S", time.localtime(ts)) + f".{int(ts % 1 * 1000):03d}"


def _x(tl: Timeline, ts: float) -> float:
    span = max(tl.end - tl.start, 1e-9)
    return LEFT + (min(max(ts, tl.start), tl.end) - tl.start) / span * WIDTH


def _band(tl: Timeline, band: Band, y: int, h: int) -> str:
    x0, x1 = _x(tl, band.since), _x(tl, band.until)
    held = band.until - band.since
    if band.overlap:
        what = "also master (split brain)"
    elif band.running:
        what = "master, still at the end"
    else:
        what = f"master, then {band.ended or 'ended'}"
    host = band.host if band.host == band.src else f"{band.host} ({band.src})"
    tip = (
        f"{host}: {what}\n{_clock(band.since)} - {_clock(band.until)} "
        f"({held:.1f} s), priority {band.priority}"
    )
    if band.merged:
        tip += f"\n{band.merged} terms merged here (thinned), {band.host} held the most"
    cls = "band split" if band.overlap else "band"
    return (
        f'<rect class="{cls}" data-host="{escape(band.host)}" x="{x0:.1f}" y="{y}" '
        f'width="{max(x1 - x0, 1.0):.1f}" height="{h}" fill="{tl.host_colour(band.host)}">'
        f"<title>{escape(tip)}</title></rect>"
    )


def _gap(tl: Timeline, gap: Gap, y: int, h: int) -> str:
    x0, x1 = _x(tl, gap.since), _x(tl, gap.until)
    why = {"resigned": "after a resign", "lost": "master lost (silence)"}.get(gap.cause or "", "")
    held = gap.until - gap.since
    tip = f"no master {why}\n{_clock(gap.since)} - {_clock(gap.until)} ({held:.2f} s)"
    if gap.merged:
        tip += f"\n{gap.merged} gaps merged here (thinned)"
    return (
        f'<rect class="gap" x="{x0:.1f}" y="{y}" width="{max(x1 - x0, 2.0):.1f}" height="{h}" '
        f'fill="url(#hatch)" stroke="{GAP_COLOUR}" stroke-width="0.5">'
        f"<title>{escape(tip)}</title></rect>"
    )


def _marker(tl: Timeline, m: Marker, y: int) -> str:
    x = _x(tl, m.ts)
    colour = _MARKER_COLOUR.get(m.severity, "#7f7f7f")
    return (
        f'<g class="marker" data-kind="{m.kind}">'
        f'<path d="M{x:.1f},{y} l-4,8 h8 z" fill="{colour}"/>'
        f'<text x="{x:.1f}" y="{y + 17}" font-size="9" text-anchor="middle" fill="{colour}">'
        f"{_MARKER_SYMBOL[m.kind]}</text><title>{escape(_clock(m.ts) + ' ' + m.text)}</title></g>"
    )


def _ticks(tl: Timeline, y0: int, y1: int) -> list[str]:
    out = []
    for _col, ts in Grid(tl.start, max(tl.end, tl.start + 1e-3), WIDTH, ()).ticks(90):
        x = _x(tl, ts)
        out.append(f'<line class="tick" x1="{x:.1f}" y1="{y0}" x2="{x:.1f}" y2="{y1}"/>')
    return out


def axis_svg(tl: Timeline) -> str:
    """The time axis above the lanes (clock labels on round times)."""
    parts = [f'<svg class="axis" width="{LEFT + WIDTH + 10}" height="22" role="img" '
             'xmlns="http://www.w3.org/2000/svg">']  # fmt: skip
    for _col, ts in Grid(tl.start, max(tl.end, tl.start + 1e-3), WIDTH, ()).ticks(90):
        x = _x(tl, ts)
        label = time.strftime("%H:%M:%S", time.localtime(ts))
        parts.append(f'<text x="{x:.1f}" y="14" font-size="11" text-anchor="middle">{label}</text>')
        parts.append(f'<line class="tick" x1="{x:.1f}" y1="16" x2="{x:.1f}" y2="22"/>')
    parts.append("</svg>")
    return "".join(parts)


def lane_svg(tl: Timeline, lane: Lane) -> str:
    """One instance's lane as an SVG element."""
    split = bool(lane.overlaps)
    height = 30 + (12 if split else 0) + (22 if lane.markers else 0)
    parts = [
        f'<svg class="lane" data-lane="{escape(lane.title)}" width="{LEFT + WIDTH + 10}" '
        f'height="{height}" role="img" xmlns="http://www.w3.org/2000/svg">',
        f"<title>{escape(lane.title)}</title>",
        f'<text x="4" y="20" font-size="12" font-weight="bold">{escape(lane.title)}</text>',
        f'<rect class="track" x="{LEFT}" y="4" width="{WIDTH}" height="24" fill="#f4f4f4"/>',
    ]
    parts += _ticks(tl, 4, height)
    parts += [_band(tl, b, 4, 24) for b in lane.masters]
    parts += [_gap(tl, g, 4, 24) for g in lane.gaps]
    y = 30
    if split:
        parts += [_band(tl, b, y, 10) for b in lane.overlaps]
        y += 12
    parts += [_marker(tl, m, y) for m in lane.markers if tl.start <= m.ts <= tl.end]
    if lane.truncated:
        parts.append(
            f'<text x="{LEFT + 4}" y="18" font-size="10">(older history rolled out)</text>'
        )
    parts.append("</svg>")
    return "".join(parts)


def legend_html(tl: Timeline) -> str:
    """Hosts with their colours, then what the marks mean."""
    items = [
        f'<li class="host"><span class="swatch" style="background:{tl.host_colour(h)}">'
        f"</span>{escape(h)}</li>"
        for h in tl.hosts
    ]
    items.append('<li><span class="swatch gap"></span>no master</li>')
    items += [
        f"<li><b>{sym}</b> {word}</li>"
        for sym, word in (
            ("R", "resign"),
            ("L", "master lost"),
            ("S", "split brain"),
            ("!", "alarm raised (hover for which)"),
        )  # fmt: skip
    ]
    if tl.has_saves:
        items.append("<li><b>P</b> priority file saved</li>")
    items.append('<li><span class="swatch split"></span>thin row: also master (split brain)</li>')
    return '<ul class="legend">' + "".join(items) + "</ul>"


def timeline_html(tl: Timeline) -> str:
    """The whole timeline section: legend, axis, a lane per instance."""
    if not tl.lanes:
        return "<p>No VRRP advertisement seen.</p>"
    lanes = "".join(f'<div class="lanebox">{lane_svg(tl, lane)}</div>' for lane in tl.lanes)
    return legend_html(tl) + f'<div class="timeline">{_DEFS}{axis_svg(tl)}{lanes}</div>'


#: The gap hatching, defined once for every lane of the page (ids are page-wide).
_DEFS = (
    '<svg width="0" height="0" style="position:absolute" aria-hidden="true" '
    'xmlns="http://www.w3.org/2000/svg"><defs><pattern id="hatch" width="4" height="4" '
    'patternUnits="userSpaceOnUse" patternTransform="rotate(45)">'
    f'<rect width="2" height="4" fill="{GAP_COLOUR}"/></pattern></defs></svg>'
)
