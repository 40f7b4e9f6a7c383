"""What the priority-file editor shows, computed without textual.

The rules (ranks, priorities, the election) live in ``vrrptop.priority``; this
module only gathers their inputs from the running monitor (instances that use a
file, DNS health by host name from the latest snapshot) and turns the results
into table cells.
"""

from __future__ import annotations

import os
from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from pathlib import Path

from rich.text import Text

from vrrptop.config.hostmap import HostMap
from vrrptop.config.model import InstanceConfig
from vrrptop.expect.facts import HostFacts
from vrrptop.expect.prediction import predict_instance
from vrrptop.model.snapshot import Counters, InstanceView, Snapshot
from vrrptop.priority import LineKind, Prediction, PriorityFile
from vrrptop.ui.engine_api import MonitorLike


def same_file(a: Path | None, b: Path) -> bool:
    """True when ``a`` and ``b`` name the same file (as given, or once resolved)."""
    if a is None:
        return False
    return a == b or os.path.realpath(a) == os.path.realpath(b)


def instances_for(path: Path, instances: Iterable[InstanceConfig]) -> list[InstanceConfig]:
    """The configured instances whose priority file is ``path``."""
    return [inst for inst in instances if same_file(inst.priority_file, path)]


def host_map(monitor: MonitorLike | None) -> HostMap:
    """Name -> addresses from the configuration and the monitor's resolver cache."""
    if monitor is None:
        return HostMap()
    resolver = getattr(monitor, "resolver", None)
    lookup = resolver.lookup if resolver is not None else None
    hosts = getattr(monitor, "hosts", None) or getattr(monitor.config, "hosts", {}) or {}
    return HostMap(hosts, lookup)


@dataclass(frozen=True, slots=True)
class Inputs:
    """Everything a prediction needs besides the file: who is who, DNS health, and
    the segment as it is (the current master keeps the VIP at equal priority)."""

    facts: HostFacts
    snapshot: Snapshot | None
    health: dict[str, bool | None]
    """Host name -> DNS ok (True), failing (False), unknown (None)."""


def gather_inputs(names: Iterable[str], snap: Snapshot | None, hosts: HostMap) -> Inputs:
    """Facts about every host name from the snapshot (joins, per-address health)."""
    names = list(names)
    empty = Snapshot(0.0, (), (), Counters())
    health = snap.health if snap is not None else {}
    facts = HostFacts.build(snap or empty, names, health, names=hosts)
    return Inputs(facts, snap, {name: facts.healthy(name) for name in names})


def _view(snap: Snapshot | None, inst: InstanceConfig, family: int) -> InstanceView | None:
    if snap is None:
        return None
    return next((v for v in snap.instances if (v.vrid, v.family) == (inst.vrid, family)), None)


def predictions(
    file: PriorityFile, instances: Sequence[InstanceConfig], inputs: Inputs
) -> list[Prediction]:
    """One prediction per instance using the file: ``expect.prediction``'s, the very
    one the correlation judges the wire by."""
    out = []
    for inst in instances:
        family = inst.families[0] if inst.families else 4
        view = _view(inputs.snapshot, inst, family)
        out.append(predict_instance(inst, family, file, inputs.facts, view))
    return out


def _health_cell(value: bool | None) -> Text:
    if value is True:
        return Text("ok", style="green")
    if value is False:
        return Text("FAIL", style="bold red")
    return Text("?", style="dim")


def line_cells(
    file: PriorityFile,
    instances: Sequence[InstanceConfig],
    preds: Sequence[Prediction],
    inputs: Inputs,
) -> list[tuple[Text, ...]]:
    """One row per line: number, text, service, priority per instance, DNS."""
    rows: list[tuple[Text, ...]] = []
    for number, line in enumerate(file.lines, 1):
        kind = line.kind
        num = Text(str(number), style="dim", justify="right")
        blanks = tuple(Text("") for _ in instances)
        if kind is LineKind.BLANK:
            rows.append(
                (num, Text("(blank line)", style="dim italic"), Text(""), *blanks, Text(""))
            )
            continue
        if kind is LineKind.COMMENT:
            rows.append((num, Text(line.shown, style="dim"), Text(""), *blanks, Text("")))
            continue
        if kind is LineKind.OTHER:
            text = Text(line.shown, style="yellow")
            rows.append((num, text, Text("not a host", style="yellow"), *blanks, Text("")))
            continue
        name = line.host or ""
        if kind is LineKind.HOST:
            service = Text("in", style="green") if line.grep_exact else Text("NO MATCH", "red")
            host = Text(name, style="bold")
        else:
            service = Text("OUT", style="bold yellow")
            host = Text("#" + name, style="dim")
        cells = []
        for pred in preds:
            host_pred = next((h for h in pred.hosts if h.name == name), None)
            if host_pred is None or host_pred.listed_line != number:
                cells.append(Text(""))
                continue
            cell = Text(str(host_pred.priority))
            if pred.master == name:
                cell.append(" master", style="bold green")
            if not host_pred.in_service:
                cell.stylize("dim")
            cells.append(cell)
        rows.append((num, host, service, *cells, _health_cell(inputs.health.get(name))))
    return rows


def masters_text(instances: Sequence[InstanceConfig], preds: Sequence[Prediction]) -> Text:
    """``predicted master: testdns0 -> recdns-wcdc  testdns1 -> recdns-cnh``."""
    if not instances:
        return Text(
            "no configured instance uses this file: no prediction "
            "(declare instances in the config or --keepalived-conf)",
            style="dim",
        )
    text = Text("predicted master: ", style="bold")
    for i, (inst, pred) in enumerate(zip(instances, preds, strict=True)):
        if i:
            text.append("   ")
        text.append(f"{inst.name} ")
        if pred.master:
            text.append(f"→ {pred.master}", style="bold green")
        elif pred.tie:
            text.append("→ tie " + "/".join(pred.tie), style="yellow")
        else:
            text.append("→ none", style="bold red")
    return text


def instance_label(inst: InstanceConfig) -> str:
    """Column title of an instance: its name (VRID when known)."""
    return inst.name if inst.vrid is None else f"{inst.name} ({inst.vrid})"
