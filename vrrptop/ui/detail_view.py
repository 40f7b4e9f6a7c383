"""Content of the instance detail screen as Rich renderables (no textual).

Each function takes an ``InstanceView`` and returns a renderable, so the detail
screen is a thin layout and the content is testable by rendering to plain text.
"""

from __future__ import annotations

from datetime import tzinfo

from rich.console import Group, RenderableType
from rich.table import Table
from rich.text import Text

from vrrptop.model.snapshot import InstanceView
from vrrptop.ui.format import (
    fmt_clock,
    fmt_interval,
    fmt_seconds,
    hexdump,
    sparkline,
    state_word,
    vip_holder_text,
)
from vrrptop.wire import auth
from vrrptop.wire.records import Advert

AUTH_NAMES = {0: "none", 1: "simple text (PASS)", 2: "IP AH"}


def title_text(inst: InstanceView, names: dict[str, str]) -> Text:
    """One line: VRID, family, name, state word, master."""
    word, _ = state_word(inst.state)
    title = Text()
    title.append(f"VRID {inst.vrid}  IPv{inst.family}  VRRPv{inst.version}", style="bold")
    if inst.name:
        title.append(f"  {inst.name}", style="bold")
    title.append(f"  state: {word}")
    master = inst.master or "none"
    if inst.master in names:
        master += f" ({names[inst.master]})"
    prio = "-" if inst.priority is None else inst.priority
    title.append(f"  master: {master} prio {prio}  every {fmt_interval(inst.interval_cs)}")
    return title


def history_table(
    inst: InstanceView, names: dict[str, str], now: float, tz: tzinfo | None
) -> Table:
    """Master history, newest first, with how long each master held the role."""
    table = Table(title="Master history", title_justify="left", expand=False, box=None)
    for col in ("master", "name", "prio", "since", "until", "held"):
        table.add_column(col, no_wrap=True)
    for term in reversed(inst.masters):
        end = term.until if term.until is not None else now
        table.add_row(
            term.src,
            names.get(term.src, "-"),
            str(term.priority),
            fmt_clock(term.since, tz),
            "now" if term.until is None else fmt_clock(term.until, tz),
            fmt_seconds(end - term.since),
        )
    if not inst.masters:
        table.add_row("-", "-", "-", "-", "-", "-")
    return table


def gaps_text(inst: InstanceView, width: int = 40) -> Text:
    """Advert-gap statistics of the current master and a sparkline of recent gaps."""
    g = inst.gaps
    text = Text()
    text.append("Advert gaps", style="bold underline")
    text.append(f"  (interval {fmt_interval(inst.interval_cs)}, ")
    text.append(f"master down after {fmt_seconds(inst.master_down_s)})\n")
    if g.count == 0:
        text.append("no gap measured yet")
        return text
    text.append(
        f"n={g.count}  min {fmt_seconds(g.min)}  avg {fmt_seconds(g.avg)}  "
        f"max {fmt_seconds(g.max)}  jitter {fmt_seconds(g.jitter)}\n"
    )
    text.append(sparkline(g.recent, width) or "-")
    return text


def sources_table(inst: InstanceView, names: dict[str, str], now: float) -> Table:
    """Every router seen in this instance and what it last advertised."""
    table = Table(title="Routers", title_justify="left", box=None)
    for col in ("source", "name", "MAC", "prio", "int", "adverts", "last seen"):
        table.add_column(col, no_wrap=True)
    for s in sorted(inst.sources, key=lambda s: -s.priority):
        table.add_row(
            s.src,
            names.get(s.src, "-"),
            s.src_mac or "-",
            str(s.priority),
            fmt_interval(s.interval_cs),
            str(s.adverts),
            f"{fmt_seconds(now - s.last_seen)} ago",
        )
    return table


def auth_text(advert: Advert, show_secrets: bool = False) -> str:
    """The auth data as the operator may see it: masked unless asked otherwise."""
    if advert.auth_type is None:
        return "(VRRPv3: no auth field)"
    # One rule for every screen: the wire layer's (a mask that never reveals the length).
    return auth.show(advert) if show_secrets else auth.mask(advert)


def advert_table(advert: Advert | None, tz: tzinfo | None, show_secrets: bool = False) -> Table:
    """Every field of the last advert, decoded; the auth data masked."""
    table = Table(title="Last advert", title_justify="left", box=None, show_header=False)
    table.add_column("field", style="bold", no_wrap=True)
    table.add_column("value")
    if advert is None:
        table.add_row("-", "no advert yet")
        return table
    auth = "-" if advert.auth_type is None else AUTH_NAMES.get(advert.auth_type, "?")
    checksum = "ok" if advert.checksum_ok else "BAD"
    rows = [
        ("time", fmt_clock(advert.ts, tz, millis=True)),
        ("src / dst", f"{advert.src} -> {advert.dst}"),
        ("src MAC", advert.src_mac or "-"),
        ("version/type", f"v{advert.version} type {advert.type}"),
        ("VRID / prio", f"{advert.vrid} / {advert.priority}"),
        ("interval", f"{fmt_interval(advert.interval_cs)} ({advert.interval_cs} cs)"),
        ("addresses", ", ".join(advert.addresses) or "-"),
        ("auth type", f"{advert.auth_type} {auth}" if advert.auth_type is not None else auth),
        ("auth data", auth_text(advert, show_secrets)),
        ("TTL", str(advert.ttl)),
        ("checksum", f"0x{advert.checksum:04x} {checksum} ({advert.checksum_variant or '-'})"),
        ("VLAN", "-" if advert.vlan is None else str(advert.vlan)),
        ("problems", ", ".join(advert.problems) or "none"),
    ]
    for field, value in rows:
        table.add_row(field, value)
    return table


def problems_table(inst: InstanceView) -> Table:
    """Problem counters of the instance, VIP holders included."""
    table = Table(title="Problems", title_justify="left", box=None, show_header=False)
    table.add_column("problem", no_wrap=True)
    table.add_column("count", justify="right")
    table.add_row("checksum errors", str(inst.checksum_errors))
    for word, count in sorted(inst.problems.items()):
        table.add_row(word, str(count))
    holder, _ = vip_holder_text(inst)
    table.add_row("VIP holder", holder)
    for h in inst.vip_holders:
        mark = {True: "master", False: "NOT MASTER", None: "?"}[h.holder_is_master]
        table.add_row(f"  {h.address}", f"{h.mac} {mark}")
    return table


def hex_text(advert: Advert | None, show_secrets: bool = False) -> RenderableType:
    """Hex dump of the last advert's raw frame, the auth data masked."""
    lines: list[str] = []
    if advert is not None and advert.frame:
        hidden = None if show_secrets else auth.secret_span(advert)
        lines = hexdump(advert.frame, redact=hidden)
    body = Text("\n".join(lines) if lines else "(no raw frame kept)", no_wrap=True)
    return Group(Text("Raw frame", style="bold underline"), body)
