"""``--report-html FILE``: the end-of-run report as one self-contained HTML file.

For a ticket or a postmortem: it must open anywhere, offline, years later, so it
fetches nothing (inline CSS, inline SVG, no script, no web font) and holds the
same facts as ``--report``: the summary, the declared-versus-observed table, the
alarms, a timeline per instance with hover details (``report_svg``), the master
history and the events. Secrets are never written: PASS passwords are not in any
view it reads, and every message it copies is already free of them. Every text
is HTML-escaped. The file is written beside its target and renamed into place, so
a failed write never leaves half a report.

Its size is capped (about ``MAX_BYTES``): past ``timeline_thin.BUDGET`` drawn
elements the timeline is thinned, and the master history and the events list
their newest ``HISTORY_ROWS`` / ``EVENT_ROWS``; the report says so where it does.
"""

from __future__ import annotations

import os
import tempfile
from collections.abc import Iterable, Sequence
from html import escape
from pathlib import Path

from vrrptop.errors import VrrptopError
from vrrptop.expect.wording import expected_text, judged, observed_text, state_text
from vrrptop.model.events import Event
from vrrptop.model.expectation import AlarmChange
from vrrptop.model.snapshot import Snapshot
from vrrptop.model.timeline import build_timeline, host_names
from vrrptop.model.timeline_thin import Thinning, thin_timeline
from vrrptop.output.report import clock_text
from vrrptop.output.report_svg import timeline_html

#: What the caps below keep the file under, on any segment (4096 instances x 256 terms: 9.0 MB).
MAX_BYTES = 10_000_000
#: Master-history rows listed at most (the newest terms).
HISTORY_ROWS = 5_000
#: Events listed at most (the newest).
EVENT_ROWS = 2_000

_CSS = """
body{font-family:system-ui,-apple-system,"Segoe UI",Roboto,sans-serif;margin:1.5em;color:#222}
h1{font-size:1.4em}h2{font-size:1.15em;margin-top:1.6em;border-bottom:1px solid #ccc}
table{border-collapse:collapse;font-size:.9em}td,th{border:1px solid #ccc;padding:2px 8px;
text-align:left;vertical-align:top}th{background:#eee}.mono{font-family:monospace}
.error{color:#b00020;font-weight:bold}.warning{color:#a65e00}.bad{color:#b00020;font-weight:bold}
.warn{color:#a65e00}.dim{color:#777}.counters{font-family:monospace}
ul.legend{list-style:none;padding:0;display:flex;flex-wrap:wrap;gap:.3em 1.4em}
.swatch{display:inline-block;width:1.1em;height:.8em;margin-right:.35em;vertical-align:middle}
.swatch.gap{background:repeating-linear-gradient(45deg,#d62728 0 2px,transparent 2px 4px);
outline:1px solid #d62728}.swatch.split{height:.4em;background:#999}
svg text{font-family:system-ui,sans-serif}line.tick{stroke:#ccc;stroke-width:1}
.lanebox{margin:2px 0}
"""


def _table(head: Sequence[str], rows: Iterable[Sequence[str]], cls: str = "") -> str:
    """``rows`` hold HTML already escaped by the caller."""
    out = [f'<table class="{cls}"><tr>' + "".join(f"<th>{escape(h)}</th>" for h in head) + "</tr>"]
    out += ["<tr>" + "".join(f"<td>{c}</td>" for c in row) + "</tr>" for row in rows]
    return "".join(out) + "</table>"


def _span(text: str, cls: str | None) -> str:
    return f'<span class="{cls}">{escape(text)}</span>' if cls else escape(text)


def _instances(snap: Snapshot, names: dict[str, str]) -> str:
    rows = []
    for i in sorted(snap.instances, key=lambda i: (i.vlan or 0, i.vrid, i.family)):
        master = "-" if i.master is None else i.master
        if i.master in names:
            master += f" ({names[i.master]})"
        rows.append(
            [
                escape(str(i.vrid) if i.vlan is None else f"{i.vrid}@{i.vlan}"),
                escape(i.name or "-"),
                f"IPv{i.family}",
                f"v{i.version}",
                f'<span class="mono">{escape(master)}</span>',
                "-" if i.priority is None else str(i.priority),
                f"{i.interval_cs / 100:g} s",
                str(i.adverts),
                f'<span class="mono">{escape(" ".join(i.addresses))}</span>',
                escape(i.state),
            ]
        )
    head = ("VRID", "Name", "Fam", "Ver", "Master", "Prio", "Intvl", "Adverts", "VIPs", "State")
    return _table(head, rows)


def _expectation(snap: Snapshot) -> str:
    if not any(judged(i) for i in snap.instances):
        return "<p>Nothing declared (no configuration): only what the wire showed.</p>"
    rows = []
    for i in sorted(snap.instances, key=lambda i: (i.vlan or 0, i.vrid, i.family)):
        word, level = state_text(i)
        exp, exp_level = expected_text(i)
        observed = escape(observed_text(i))
        rows.append([escape(str(i.vrid)), f"IPv{i.family}", escape(i.name or "-"),
                     _span(word, level), observed, _span(exp, exp_level)])  # fmt: skip
    return _table(("VRID", "Fam", "Name", "State", "Observed", "Expected"), rows)


def _alarms(snap: Snapshot, changes: Sequence[AlarmChange]) -> str:
    now = [[_span(a.severity, a.severity), escape(a.kind.value), clock_text(a.since),
            escape(a.message)] for a in snap.alarms]  # fmt: skip
    html = _table(("Severity", "Kind", "Since", "What"), now) if now else "<p>None at the end.</p>"
    if changes:
        rows = [[clock_text(c.ts), escape(c.state), _span(c.alarm.severity, c.alarm.severity),
                 escape(c.alarm.kind.value), escape(c.alarm.message)] for c in changes]  # fmt: skip
        html += f"<details><summary>Raised and cleared during the run ({len(rows)})</summary>"
        html += _table(("Time", "", "Severity", "Kind", "What"), rows) + "</details>"
    return html


def _history(snap: Snapshot, names: dict[str, str]) -> str:
    rows: list[list[str]] = []
    terms = sorted(t.since for i in snap.instances for t in i.masters)
    oldest = terms[-HISTORY_ROWS] if len(terms) > HISTORY_ROWS else float("-inf")
    for i in sorted(snap.instances, key=lambda i: (i.vlan or 0, i.vrid, i.family)):
        for t in i.masters:
            if t.since < oldest or len(rows) >= HISTORY_ROWS:
                continue
            until = snap.ts if t.until is None else t.until
            host = t.src + (f" ({names[t.src]})" if t.src in names else "")
            rows.append([escape(f"{i.vrid} {i.name or ''}"), f"IPv{i.family}",
                         f'<span class="mono">{escape(host)}</span>', str(t.priority),
                         clock_text(t.since), "now" if t.until is None else clock_text(t.until),
                         f"{until - t.since:.1f} s", escape(t.ended or "")])  # fmt: skip
    head = ("Instance", "Fam", "Master", "Prio", "From", "To", "Held", "Ended")
    left = len(terms) - len(rows)
    note = f"<p>The newest {len(rows)} terms; {left} older ones are not listed.</p>" if left else ""
    return note + _table(head, rows)


def _events(events: Sequence[Event]) -> str:
    shown = events[-EVENT_ROWS:]
    rows = [[clock_text(e.ts), _span(e.kind, e.severity), escape(e.message)] for e in shown]
    left = len(events) - len(shown)
    note = (
        f"<p>The newest {len(shown)} events; {left} older ones are not listed.</p>" if left else ""
    )
    return note + _table(("Time", "Kind", "What"), rows) if rows else "<p>No events.</p>"


def _thinned(thinning: Thinning) -> str:
    if not thinning.thinned:
        return ""
    return (
        f'<p class="warn">Thinned to keep this file small: the {thinning.before} bands, '
        f"gaps and marks of {thinning.lanes} lanes are drawn as {thinning.after} (what falls "
        "in one short stretch of time is merged; hover says how many). The JSON stream "
        "(--json) has every change.</p>"
    )


def render_html(
    snap: Snapshot,
    events: Sequence[Event],
    source: str = "",
    alarm_changes: Sequence[AlarmChange] = (),
) -> str:
    """The whole report as one HTML document."""
    names = host_names(snap)
    c = snap.counters
    counters = (
        f"frames {c.frames} · adverts {c.adverts} · malformed {c.malformed} · "
        f"dropped {c.dropped} · checksum errors {c.checksum_errors} · garps {c.garps}"
    )
    tl, thinning = thin_timeline(build_timeline(snap, alarm_changes))
    title = f"vrrptop report: {Path(source).name or source}" if source else "vrrptop report"
    body = [
        f"<h1>{escape(title)}</h1>",
        f'<p class="dim">source: <span class="mono">{escape(source)}</span></p>',
        f'<p class="counters">{escape(counters)}</p>',
        f"<p>{clock_text(tl.start)} - {clock_text(tl.end)} (local time of the capture)</p>",
        "<h2>Virtual routers</h2>",
        _instances(snap, names) if snap.instances else "<p>No VRRP advertisement seen.</p>",
        "<h2>Master timeline</h2>",
        "<p>Hover a band, a gap or a mark for its details.</p>",
        _thinned(thinning),
        timeline_html(tl),
        "<h2>Declared versus observed</h2>",
        _expectation(snap),
        f"<h2>Alarms ({len(snap.alarms)})</h2>",
        _alarms(snap, alarm_changes),
        "<h2>Master history</h2>",
        _history(snap, names),
        f"<h2>Events ({len(events)})</h2>",
        _events(events),
    ]
    warnings = "".join(f"<li>{escape(w)}</li>" for w in snap.warnings)
    if warnings:
        body.insert(7, f'<ul class="warning">{warnings}</ul>')
    return (
        '<!DOCTYPE html>\n<html lang="en"><head><meta charset="utf-8">'
        f"<title>{escape(title)}</title><style>{_CSS}</style></head>"
        f"<body>{''.join(body)}</body></html>\n"
    )


def check_writable(path: Path) -> None:
    """Fail before the capture starts if the report could not be written at the end."""
    parent = path.parent if str(path.parent) else Path(".")
    if path.is_dir():
        raise VrrptopError(f"--report-html {path}: is a directory", 2)
    if not parent.is_dir():
        raise VrrptopError(f"--report-html {path}: no such directory {parent}", 2)
    if not os.access(parent, os.W_OK):
        raise VrrptopError(f"--report-html {path}: cannot write in {parent}", 77)


def write_html(path: Path, text: str) -> None:
    """Write atomically (a temporary file beside ``path``, renamed); errors are one line."""
    parent = path.parent if str(path.parent) else Path(".")
    try:
        fd, tmp = tempfile.mkstemp(prefix=f".{path.name}.", dir=parent)
        try:
            with os.fdopen(fd, "w", encoding="utf-8") as out:
                out.write(text)
            os.chmod(tmp, 0o644)
            os.replace(tmp, path)
        except BaseException:
            os.unlink(tmp)
            raise
    except OSError as exc:
        raise VrrptopError(f"--report-html {path}: {exc.strerror or exc}", 74) from exc
