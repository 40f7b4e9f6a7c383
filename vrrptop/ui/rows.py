"""Row content of the instances and hosts tables, as pure (text, level) cells.

Which columns exist at a given terminal width, and what each cell says, is
decided here without textual; the table widgets only colour and place them.
"""

from __future__ import annotations

import re
from collections.abc import Mapping, Sequence
from dataclasses import dataclass

from vrrptop.expect.wording import Segment
from vrrptop.model.health import TargetHealth
from vrrptop.model.instance import key_text
from vrrptop.model.snapshot import HostView, InstanceView
from vrrptop.ui.format import (
    Level,
    age_bar,
    age_level,
    fmt_interval,
    fmt_seconds,
    master_text,
    vip_holder_text,
)
from vrrptop.ui.health_view import (
    dns_cell,
    expected_cell,
    expected_priority,
    host_health,
    latency_cell,
    priority_text,
    spark_cell,
    state_cell,
)


@dataclass(frozen=True, slots=True)
class Column:
    """One table column: stable id, header label, and the width tier it needs."""

    id: str
    label: str
    min_width: int
    """Shown only when the terminal is at least this wide."""


INSTANCE_COLUMNS: tuple[Column, ...] = (
    Column("vrid", "VRID", 0),
    Column("family", "Fam", 0),
    Column("state", "State", 0),
    Column("master", "Master", 0),
    Column("expected", "Expected", 0),
    Column("priority", "Prio", 0),
    Column("age", "Age/Down", 0),
    Column("name", "Name", 150),
    Column("version", "Ver", 110),
    Column("interval", "Int", 110),
    Column("vips", "VIPs", 0),
    Column("holder", "VIP holder", 100),
    Column("adverts", "Adverts", 170),
)


#: Columns whose text moves with time alone (see ``instance_cell_stable``).
TICKING_INSTANCE_COLUMNS = frozenset({"age", "adverts"})


def instance_cell_stable(col_id: str, cell: Segment) -> object:
    """What of an instance cell must reach the screen at once.

    The age bar and countdown (and the advert counter) change at every update on a
    healthy segment; redrawing them 10 times a second is most of an idle console's
    cost. Only their colour (ok / late / expired) is urgent; the text itself is
    refreshed on the console's slow tick. Every other cell is urgent as a whole.
    """
    if col_id == "age":
        return cell[1]
    if col_id == "adverts":
        return None
    return cell


def host_cell_stable(col_id: str, cell: Segment) -> object:
    """Like ``instance_cell_stable`` for the hosts table: in ``"191 (was 12s ago)"``
    only the elapsed time ticks (in each family's half of a merged cell); the
    priority and mastership are urgent."""
    text, level = cell
    return (_WAS.sub("(was)", text), level)


_WAS = re.compile(r"\(was [^)]*\)")


def columns_for_width(width: int, columns: Sequence[Column] = INSTANCE_COLUMNS) -> list[Column]:
    """The columns that fit a ``width``-cell terminal, in display order."""
    return [c for c in columns if width >= c.min_width]


#: Below this width a console showing expected masters drops the VIPs column (the
#: detail screen still lists them): the expected master says more at a glance.
EXPECTED_NARROW = 90


def instance_columns(width: int, correlated: bool) -> list[Column]:
    """``columns_for_width``, with the Expected column only when some instance is
    correlated (a configuration declares what should be master)."""
    columns = columns_for_width(width)
    if not correlated:
        return [c for c in columns if c.id != "expected"]
    if width < EXPECTED_NARROW:
        return [c for c in columns if c.id != "vips"]
    return columns


#: Optional instance columns, dropped in this order when a table would not fit.
DROP_ORDER = ("adverts", "name", "interval", "version", "holder")


def fit_instance_columns(
    columns: Sequence[Column], rows: Sequence[tuple[str, list[Segment]]], budget: int
) -> tuple[list[Column], list[tuple[str, list[Segment]]]]:
    """``columns`` and ``rows`` without optional columns (``DROP_ORDER``) until the
    table fits ``budget`` cells (each cell padded by 2): nothing is cut off behind
    a horizontal scrollbar while a less useful column could make room."""
    widths = [len(c.label) for c in columns]
    for _, cells in rows:  # once: a column's width does not depend on the others
        for i, (text, _level) in enumerate(cells):
            if len(text) > widths[i]:
                widths[i] = len(text)
    keep = list(range(len(columns)))
    for col_id in DROP_ORDER:
        if sum(widths[i] + 2 for i in keep) <= budget:
            break
        keep = [i for i in keep if columns[i].id != col_id]
    if len(keep) == len(columns):
        return list(columns), list(rows)
    return [columns[i] for i in keep], [(k, [c[i] for i in keep]) for k, c in rows]


def instance_key(inst: InstanceView) -> str:
    """Stable row key: ``"210/4"``, ``"210/4@20"`` on VLAN 20 (as ``HostView.priorities``)."""
    return key_text(inst.vrid, inst.family, inst.vlan)


def instance_cells(
    inst: InstanceView,
    columns: Sequence[Column],
    names: dict[str, str],
    *,
    show_names: bool,
    wide: bool,
) -> list[Segment]:
    """The cells of ``inst``'s row for ``columns``."""
    holder, holder_level = vip_holder_text(inst)
    if wide or len(inst.addresses) <= 1:
        vips = ", ".join(inst.addresses) or "-"
    else:
        vips = f"{inst.addresses[0]} +{len(inst.addresses) - 1}"
    master = master_text(inst, names, show_names)
    if not wide and show_names and inst.master in names:
        master = names[inst.master]  # narrow: the name alone says more per cell
    values: dict[str, Segment] = {
        "vrid": (str(inst.vrid), None),
        "family": (f"v{inst.family}", None),
        "state": state_cell(inst),
        "expected": expected_cell(inst, show_names),
        "master": (master, None if inst.master else "bad"),
        "priority": ("-" if inst.priority is None else str(inst.priority), None),
        "age": (
            age_bar(inst.age_s, inst.master_down_s, 8 if wide else 5),
            age_level(inst.age_s, inst.master_down_s),
        ),
        "name": (inst.name or "-", None if inst.name else "dim"),
        "version": (f"v{inst.version}", None),
        "interval": (fmt_interval(inst.interval_cs), None),
        "vips": (vips, None),
        "holder": (holder, holder_level),
        "adverts": (str(inst.adverts), None),
    }
    return [values[c.id] for c in columns]


def host_key(host: HostView) -> str:
    """Stable row key: the host's first address (MACs can be shared: VRRP virtual
    MACs), else its first MAC."""
    return host.addresses[0] if host.addresses else host.macs[0] if host.macs else "?"


def instance_masters(instances: Sequence[InstanceView]) -> dict[str, str | None]:
    """``"vrid/family"`` -> current master address."""
    return {instance_key(i): i.master for i in instances}


#: Up to this many instances, the hosts table has one column per instance; beyond,
#: one summary column (a segment with hundreds of instances would otherwise make a
#: table of hosts x instances cells, unreadable and slow).
MAX_INSTANCE_COLUMNS = 8
#: Entries shown in the summary column before "+N".
SUMMARY_ENTRIES = 6


#: Latency sparkline of the hosts table: probes shown, and from which width.
SPARK_PROBES = 10
SPARK_WIDTH = 100
#: Below this width the hosts table lists one address (+N) and no MAC, so the DNS
#: word and the instance columns fit an 80-column terminal.
HOSTS_FULL = 120


def host_columns(
    instance_keys: Sequence[str], *, dns: bool = False, width: int = HOSTS_FULL
) -> list[Column]:
    """Host, [DNS status, latency, sparkline,] addresses, [MACs,] then per-instance
    columns or one summary column. The DNS columns come right after the name so a
    narrow terminal still shows them; the sparkline needs ``SPARK_WIDTH``, the
    MACs ``HOSTS_FULL``."""
    columns = [Column("name", "Host", 0)]
    if dns:
        columns += [Column("dns", "DNS", 0), Column("lat", "Lat", 0)]
        if width >= SPARK_WIDTH:
            columns.append(Column("spark", "Latency", SPARK_WIDTH))
    columns.append(Column("addrs", "Addresses", 0))
    if width >= HOSTS_FULL:
        columns.append(Column("macs", "MAC", 0))
    if len(instance_keys) <= MAX_INSTANCE_COLUMNS:
        columns += [Column(f"i{k}", k, 0) for k in instance_keys]
    else:
        columns.append(Column("instances", "Priority per instance (* = master)", 0))
    return columns


def _vrid_family(key: str) -> tuple[int, int, int]:
    vrid, _, rest = key.partition("/")
    family, _, vlan = rest.partition("@")
    try:
        return (int(vrid), int(family or 0), int(vlan or -1))
    except ValueError:
        return (1 << 16, 0, 0)


def host_summary(host: HostView, masters: dict[str, str | None]) -> Segment:
    """``42/4 191*, 43/4 191, ... +N``: the instances the host advertises in."""
    entries = []
    # iterate the host's few instances (VRID order), not every instance of the segment
    for key in sorted(host.priorities, key=_vrid_family):
        star = "*" if masters.get(key) in host.addresses else ""
        entries.append(f"{key} {host.priorities[key]}{star}")
    if not entries:
        return ("-", "dim")
    text = ", ".join(entries[:SUMMARY_ENTRIES])
    if len(entries) > SUMMARY_ENTRIES:
        text += f" +{len(entries) - SUMMARY_ENTRIES}"
    return (text, None)


def host_cells(
    host: HostView,
    instance_keys: Sequence[str],
    masters: dict[str, str | None],
    now: float,
    *,
    show_names: bool,
    health: Mapping[str, TargetHealth] | None = None,
    views: Mapping[str, InstanceView] | None = None,
    width: int = HOSTS_FULL,
) -> list[Segment]:
    """Name, [DNS,] addresses, MACs, then one cell per instance (priority and
    mastership, ``advertised/expected`` when ``views`` carry a prediction), or a
    single summary cell past ``MAX_INSTANCE_COLUMNS`` instances. DNS cells are
    present when ``health`` is non-empty (see ``host_columns(dns=...)``)."""
    name = host.name if (show_names and host.name) else "-"
    cells: list[Segment] = [(name, None if name != "-" else "dim")]
    if health:
        target = host_health(host, health)
        cells += [dns_cell(target), latency_cell(target)]
        if width >= SPARK_WIDTH:
            cells.append(spark_cell(target, SPARK_PROBES))
    addrs = host.addresses
    if width < HOSTS_FULL:
        more = f" +{len(addrs) - 1}" if len(addrs) > 1 else ""
        cells.append((addrs[0] + more if addrs else "-", None))
    else:
        cells += [(", ".join(addrs) or "-", None), (", ".join(host.macs) or "-", "dim")]
    if len(instance_keys) > MAX_INSTANCE_COLUMNS:
        return [*cells, host_summary(host, masters)]
    for key in instance_keys:
        prio = host.priorities.get(key)
        if prio is None:
            # A silent backup (declared, not advertising): what it should advertise.
            expected = expected_priority((views or {}).get(key), host)
            cells.append(("" if expected is None else f"-/{expected}", "dim"))
            continue
        text, differs = priority_text(prio, expected_priority((views or {}).get(key), host))
        level: Level | None = "warn" if differs else None
        if masters.get(key) in host.addresses:
            cells.append((f"{text} MASTER", level or "ok"))
        elif key in host.last_master:
            cells.append((f"{text} (was {fmt_seconds(now - host.last_master[key])} ago)", level))
        else:
            cells.append((text, level))
    return cells
