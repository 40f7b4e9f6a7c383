"""``--report``'s "this node" part: what the local keepalived says of itself.

Reads ``Snapshot.node`` (``vrrptop.model.node.NodeState``, typed) and words it with
the model's own helpers, as the console does. Rich only.
"""

from __future__ import annotations

import time

from rich.console import Group
from rich.text import Text

from vrrptop.model.node import LocalInstance
from vrrptop.model.snapshot import Snapshot

_STATE_STYLE = {"MASTER": "bold green", "BACKUP": "", "FAULT": "bold red", "STOP": "red"}


def _clock(ts: float | None) -> str:
    return "-" if ts is None else time.strftime("%H:%M:%S", time.localtime(ts))


def _instance_lines(inst: LocalInstance) -> list[Text]:
    head = Text(f"  {inst.name}", style="bold")
    head.append(f"  VRID {inst.vrid} IPv{inst.family}  ")
    head.append(inst.state, style=_STATE_STYLE.get(inst.state, "yellow"))
    head.append(f" since {_clock(inst.last_transition)}")
    lines = [head, Text(f"    priority {inst.priority_text()}")]
    if inst.master is not None:
        prio = "" if inst.master_priority is None else f" (prio {inst.master_priority})"
        lines.append(Text(f"    hears master {inst.master}{prio}"))
    scripts = Text(f"    scripts {inst.scripts_text()}")
    for script in inst.scripts:
        word = {True: "ok", False: "failed", None: "unknown"}[script.ok]
        scripts.append(f"\n      {script.name} {word}, weight {script.weight:+d}",
                       style="" if script.ok is not False else "yellow")  # fmt: skip
    lines.append(scripts)
    if inst.tracked_interfaces:
        lines.append(Text(f"    tracked interfaces {', '.join(inst.tracked_interfaces)}"))
    lines.append(
        Text(f"    errors {inst.errors_text()}", style="bold yellow" if inst.errors else "dim")
    )
    return lines


def node_table(snap: Snapshot) -> Group | None:
    """What the local keepalived says, instance by instance, then the read error and
    the configuration findings; None when the local keepalived was not read. Lines,
    not a table: it reads at 80 columns."""
    node = snap.node
    if node is None:
        return None
    where = f"keepalived pid {node.pid}" if node.pid else "keepalived"
    if node.router_id:
        where += f", router_id {node.router_id}"
    lines: list[Text] = [Text(f"This node ({where})", style="bold")]
    for inst in node.instances:
        lines.extend(_instance_lines(inst))
    if node.error:
        lines.append(Text(f"  keepalived: {node.error}", style="yellow"))
    if node.config_files:
        lines.append(Text(f"  configuration read: {', '.join(node.config_files)}", style="dim"))
    for finding in node.findings:
        lines.append(Text(f"  {finding}", style="yellow"))
    return Group(*lines)
