"""The detail screen's "expected versus observed" section, as a Rich renderable.

No textual: the section is built from an ``InstanceView`` (its correlation in
``extra``) and the snapshot's hosts and DNS health, and is testable by rendering
to plain text like the other sections (``detail_view.py``).
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence

from rich.console import Group, RenderableType
from rich.table import Table
from rich.text import Text

from vrrptop.expect.wording import observed_text
from vrrptop.model.health import TargetHealth
from vrrptop.model.instance import key_text
from vrrptop.model.snapshot import HostView, InstanceView
from vrrptop.ui.format import Level, severity_word
from vrrptop.ui.health_view import (
    NOT_PROBED,
    correlated,
    dns_cell,
    expected_cell,
    host_health,
    latency_cell,
    latency_spark,
    settle_text,
)

_STYLE: dict[Level | None, str] = {"ok": "green", "warn": "bold yellow", "bad": "bold red"}
_STYLE["dim"] = "dim"


def _text(cell: tuple[str, Level | None]) -> Text:
    return Text(cell[0], style=_STYLE.get(cell[1], ""))


def _host_named(name: str, hosts: Sequence[HostView]) -> HostView | None:
    short = name.split(".", 1)[0]
    for host in hosts:
        if host.name and (host.name == name or host.name.split(".", 1)[0] == short):
            return host
    return None


def _health_named(name: str, health: Mapping[str, TargetHealth]) -> TargetHealth | None:
    """A probe target carrying the host's name (hosts of the priority file are
    probed even when they never advertised)."""
    for target in health.values():
        if target.target.name == name:
            return target
    return None


def expectation_section(
    inst: InstanceView,
    hosts: Sequence[HostView],
    health: Mapping[str, TargetHealth],
    show_names: bool = True,
) -> RenderableType:
    """Expected and observed master, every host's expected priority next to the one
    it advertises with its DNS status, and the instance's alarms. Empty when the
    instance is not correlated (no configuration). ``show_names`` False (the ``n``
    key): both masters by address, as every other column shows them."""
    if not correlated(inst):
        return Text("")
    exp = inst.expectation
    assert exp is not None
    head = Text()
    head.append("Expected versus observed", style="bold underline")
    head.append(f"  ({settle_text(inst)})\n")
    head.append("expected master ")
    head.append_text(_text(expected_cell(inst, show_names)))
    observed = observed_text(inst) if show_names else (inst.master or "none")
    head.append(f"   observed {observed}")
    if not health:
        head.append("\nDNS not probed (replay, or probing off)", style="dim")

    table = Table(box=None, expand=False, pad_edge=False)
    probing = bool(health)  # a replay never probes: no column of dashes then
    columns = ("host", "expected", "advertised", "DNS", "latency", "last probes")
    for col in columns if probing else columns[:3]:
        table.add_column(col, no_wrap=True)
    for expected_host in exp.hosts:
        name, expected = expected_host.name, expected_host.expected_priority
        host = _host_named(name, hosts)
        advertised = expected_host.advertised_priority
        if advertised is None and host is not None:
            advertised = host.priorities.get(key_text(inst.vrid, inst.family, inst.vlan))
        target = host_health(host, health) if host else None
        target = target or _health_named(name, health)
        adv = Text("-" if advertised is None else str(advertised))
        if advertised is not None and advertised != expected:
            adv.append(" ≠", style=_STYLE["warn"])
        dns = (
            _text(dns_cell(target) if target is not None else NOT_PROBED),
            _text(latency_cell(target)),
            latency_spark(target.latencies, 20) if target is not None else "",
        )
        table.add_row(name, str(expected), adv, *(dns if probing else ()))
    if not exp.hosts:
        table.add_row(*("-" for _ in table.columns))

    alarms = Text()
    alarms.append("Alarms", style="bold underline")
    for alarm in inst.alarms:
        word, level = severity_word(alarm.severity)
        alarms.append("\n")
        alarms.append(word, style=_STYLE.get(level, ""))
        alarms.append(f" {alarm.kind.value}: {alarm.message}")
    if not inst.alarms:
        alarms.append("\nnone")
    if exp.reasons:
        alarms.append("\nWhy: " + "; ".join(exp.reasons), style="dim")
    return Group(head, table, alarms)
