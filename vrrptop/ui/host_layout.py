"""The hosts table's layout: one column per VRID, fitted to the terminal's width.

A cluster runs each service over IPv4 and IPv6 under one VRID; one column per
``vrid/family`` made the seed's 2 x 2 instances 4 columns of ~24 cells, and at 120
columns the second VRID was off to the right behind a scrollbar. Here both
families share one cell (written once when they agree), and the layout steps
down (MACs, then extra addresses, then the sparkline, then a summary column)
until the table fits. Pure: the widget only places the cells.
"""

from __future__ import annotations

import re
from collections.abc import Mapping, Sequence
from typing import Any

from rich.cells import cell_len

from vrrptop.expect.wording import Segment
from vrrptop.model.health import TargetHealth
from vrrptop.model.snapshot import HostView, InstanceView
from vrrptop.ui.format import Level
from vrrptop.ui.rows import (
    HOSTS_FULL,
    MAX_INSTANCE_COLUMNS,
    SPARK_WIDTH,
    Column,
    host_cells,
    host_columns,
    host_key,
)

#: Between the IPv4 and the IPv6 half of a cell whose halves differ.
FAMILY_SEPARATOR = " │ "
#: Cells of a DataTable are padded by one cell on each side.
CELL_PADDING = 2
#: Room kept for the table's vertical scrollbar.
SCROLLBAR = 2

_WAS = re.compile(r" \(was [^)]*\)")
_RANK: dict[Level | None, int] = {None: 0, "dim": 0, "ok": 1, "warn": 2, "bad": 3}


def vrid_groups(instance_keys: Sequence[str]) -> list[tuple[str, list[str]]]:
    """``["210/4", "210/6", "211/4"]`` -> ``[("210", ["210/4", "210/6"]), ("211", ["211/4"])]``,
    in the order the VRIDs first appear."""
    groups: dict[str, list[str]] = {}
    for key in instance_keys:
        groups.setdefault(key.partition("/")[0], []).append(key)
    return list(groups.items())


def group_label(vrid: str, keys: Sequence[str]) -> str:
    """``210 v4│v6``: the VRID and which families its cells hold, in order."""
    families = "│".join(f"v{k.partition('/')[2]}" for k in keys)
    return f"{vrid} {families}"


def merge_family_cells(cells: Sequence[Segment]) -> Segment:
    """One cell for a VRID's families: the text once when they agree, else each
    family's text in the column's order (``-`` for none); the worst level."""
    level = max((lvl for _, lvl in cells), key=lambda lvl: _RANK[lvl], default=None)
    texts = [text for text, _ in cells]
    if len(set(texts)) == 1:
        return (texts[0], level)
    return (FAMILY_SEPARATOR.join(t or "-" for t in texts), level)


def _without(items: list[Any], index: int) -> list[Any]:
    return items if index < 0 else items[:index] + items[index + 1 :]


def _table_width(columns: Sequence[Column], rows: Sequence[tuple[str, list[Segment]]]) -> int:
    widths = [cell_len(c.label) for c in columns]
    for _, cells in rows:
        for i, (text, _level) in enumerate(cells):
            widths[i] = max(widths[i], cell_len(text))
    return sum(w + CELL_PADDING for w in widths)


def _layout(
    hosts: Sequence[HostView],
    keys: Sequence[str],
    masters: dict[str, str | None],
    now: float,
    *,
    show_names: bool,
    health: Mapping[str, TargetHealth] | None,
    views: Mapping[str, InstanceView],
    tier: int,
    summary: bool,
    history: bool = True,
    addresses: bool = True,
) -> tuple[list[Column], list[tuple[str, list[Segment]]]]:
    """Columns and rows at one width tier of ``host_columns``; per-VRID columns
    unless ``summary``."""
    # Past MAX_INSTANCE_COLUMNS keys, host_columns/host_cells give one summary column.
    shown_keys = [*keys, *(["-"] * (MAX_INSTANCE_COLUMNS + 1))] if summary else list(keys)
    base = host_columns(shown_keys, dns=bool(health), width=tier)
    drop = -1 if addresses else [c.id for c in base].index("addrs")
    rows = []
    for host in hosts:
        cells = host_cells(
            host,
            shown_keys,
            masters,
            now,
            show_names=show_names,
            health=health,
            views=views,
            width=tier,
        )
        if summary:
            rows.append((host_key(host), cells))
            continue
        fixed = len(cells) - len(keys)
        per_key = dict(zip(keys, cells[fixed:], strict=True))
        if not history:
            per_key = {k: (_WAS.sub("", text), level) for k, (text, level) in per_key.items()}
        merged = [merge_family_cells([per_key[k] for k in group]) for _, group in vrid_groups(keys)]
        rows.append((host_key(host), _without(cells[:fixed], drop) + merged))
    if summary:
        return base, rows
    columns = _without(base[: len(base) - len(keys)], drop)
    columns += [Column(f"v{vrid}", group_label(vrid, g), 0) for vrid, g in vrid_groups(keys)]
    return columns, rows


def host_table(
    hosts: Sequence[HostView],
    instances: Sequence[InstanceView],
    now: float,
    *,
    show_names: bool,
    health: Mapping[str, TargetHealth] | None = None,
    width: int = HOSTS_FULL,
) -> tuple[list[Column], list[tuple[str, list[Segment]]]]:
    """The hosts table for a ``width``-cell terminal: the widest layout that fits,
    stepping down MACs and extra addresses, the sparkline, the addresses of named
    hosts (``n`` shows them again), the mastership history, and last one summary
    column instead of one column per VRID (also past ``MAX_INSTANCE_COLUMNS``)."""
    keys = [f"{i.vrid}/{i.family}" for i in instances]
    masters = {k: i.master for k, i in zip(keys, instances, strict=True)}
    views = dict(zip(keys, instances, strict=True))
    budget = width - SCROLLBAR
    steps = (width, HOSTS_FULL - 1, SPARK_WIDTH - 1)
    tiers = sorted({t for t in steps if t <= width}, reverse=True)
    many = len(vrid_groups(keys)) > MAX_INSTANCE_COLUMNS
    layout: tuple[list[Column], list[tuple[str, list[Segment]]]] | None = None
    # Widest first; the addresses (when every host has a name to show), then the
    # "(was 12s ago)" history go before the per-VRID columns do.
    named = show_names and all(h.name for h in hosts)
    last = tiers[-1]
    plan = [(False, tier, True, True) for tier in tiers]
    if named:
        plan.append((False, last, True, False))
    plan.append((False, last, False, not named))
    if many:
        plan = []
    plan += [(True, tier, True, True) for tier in tiers]
    for summary, tier, history, addresses in plan:
        layout = _layout(
            hosts,
            keys,
            masters,
            now,
            show_names=show_names,
            health=health,
            views=views,
            tier=tier,
            summary=summary,
            history=history,
            addresses=addresses,
        )
        if _table_width(*layout) <= budget:
            return layout
    assert layout is not None
    return layout
