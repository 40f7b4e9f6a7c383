"""``--report``: an end-of-run summary for a person: instances, alarms, master
history and its timeline as text art (``report_timeline``), events."""

from __future__ import annotations

import time
from collections.abc import Iterable, Sequence

from rich.console import Console
from rich.table import Table
from rich.text import Text

from vrrptop.model.events import Event
from vrrptop.model.expectation import AlarmChange
from vrrptop.model.snapshot import Snapshot
from vrrptop.model.timeline import build_timeline
from vrrptop.output.report_health import alarms_table, dns_table, expectation_table
from vrrptop.output.report_node import node_table
from vrrptop.output.report_timeline import timeline_section

_STATE_STYLE = {
    "ok": "green",
    "silent": "red",
    "split-brain": "bold red",
    "mismatch": "yellow",
    "checksum-errors": "yellow",
    "resigned": "yellow",
}
_SEVERITY_STYLE = {"info": "", "warning": "yellow", "error": "bold red"}


def clock_text(ts: float) -> str:
    """Local wall-clock time with milliseconds, like tcpdump's default timestamps."""
    return time.strftime("%H:%M:%S", time.localtime(ts)) + f".{int(ts % 1 * 1000):03d}"


def _family(family: int) -> str:
    return "IPv4" if family == 4 else "IPv6"


def instances_table(snap: Snapshot) -> Table:
    """One row per virtual router (VRID, family)."""
    table = Table(title="Virtual routers", title_justify="left", expand=False)
    for col in ("VRID", "Fam", "Ver", "Master", "Prio", "Intvl", "Adverts", "VIPs", "State"):
        table.add_column(col, no_wrap=col != "VIPs")
    for inst in sorted(snap.instances, key=lambda i: (i.vrid, i.family)):
        name = f" {inst.name}" if inst.name else ""
        table.add_row(
            f"{inst.vrid}{name}",
            _family(inst.family),
            f"v{inst.version}",
            inst.master or "-",
            "-" if inst.priority is None else str(inst.priority),
            f"{inst.interval_cs / 100:g}s",
            str(inst.adverts),
            " ".join(inst.addresses),
            Text(inst.state, style=_STATE_STYLE.get(inst.state, "")),
        )
    return table


def masters_table(snap: Snapshot) -> Table:
    """Every master term of every instance, oldest first."""
    table = Table(title="Master history", title_justify="left")
    for col in ("VRID", "Fam", "Master", "Prio", "From", "To", "Held"):
        table.add_column(col, no_wrap=True)
    for inst in sorted(snap.instances, key=lambda i: (i.vrid, i.family)):
        for term in inst.masters:
            until = term.until if term.until is not None else snap.ts
            table.add_row(
                str(inst.vrid),
                _family(inst.family),
                term.src,
                str(term.priority),
                clock_text(term.since),
                "now" if term.until is None else clock_text(term.until),
                f"{until - term.since:.1f}s",
            )
    return table


def timeline_table(events: Sequence[Event], limit: int = 200) -> Table:
    """The last ``limit`` events, oldest first."""
    shown = list(events)[-limit:]
    title = "Events" if len(shown) == len(events) else f"Events (last {limit} of {len(events)})"
    table = Table(title=title, title_justify="left")
    table.add_column("Time", no_wrap=True)
    table.add_column("Kind", no_wrap=True)
    table.add_column("What")
    for ev in shown:
        style = _SEVERITY_STYLE.get(ev.severity, "")
        table.add_row(clock_text(ev.ts), Text(ev.kind, style=style), Text(ev.message, style=style))
    return table


def counters_line(snap: Snapshot) -> Text:
    """Frames, adverts, malformed, dropped... on one line."""
    c = snap.counters
    parts = [
        f"frames {c.frames}",
        f"adverts {c.adverts}",
        f"malformed {c.malformed}",
        f"dropped {c.dropped}",
        f"checksum errors {c.checksum_errors}",
        f"garps {c.garps}",
        f"carp {c.carp}",
    ]
    if c.evicted:
        parts.append(f"evicted {c.evicted}")
    text = Text("  ".join(parts))
    if c.dropped or c.malformed:
        text.stylize("yellow")
    return text


def print_report(
    snap: Snapshot,
    events: Sequence[Event],
    console: Console | None = None,
    source: str = "",
    alarm_changes: Iterable[AlarmChange] = (),
) -> None:
    """Print the whole report; ``alarm_changes`` (the run's alarm transitions) put
    the alarms that were raised and cleared on the timeline too."""
    console = console or Console()
    if source:
        console.print(Text(f"vrrptop report: {source}", style="bold"))
    console.print(counters_line(snap))
    if snap.malformed_reasons:
        for reason, n in sorted(snap.malformed_reasons.items(), key=lambda kv: -kv[1]):
            console.print(Text(f"  malformed x{n}: {reason}", style="yellow"))
    if not snap.instances:
        console.print("No VRRP advertisement seen.")
    else:
        console.print(instances_table(snap))
        for extra in (expectation_table(snap), alarms_table(snap)):
            if extra is not None:
                console.print(extra)
        console.print(masters_table(snap))
        section = timeline_section(build_timeline(snap, alarm_changes), console.width)
        if section is not None:
            console.print(section)
    if (node := node_table(snap)) is not None:
        console.print(node)
    if (dns := dns_table(snap)) is not None:
        console.print(dns)
    console.print(timeline_table(events))
