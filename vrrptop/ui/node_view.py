"""The console's words for the local keepalived (``Snapshot.node``), no textual.

The main screen shows one line per local instance ("this node: BACKUP, prio 200
(base 50 + named_check_testdns0_3 +150), scripts 1 ok, 3 failed"); the details
screen a section for the instance shown; the hosts table marks this host. Plain
functions returning (text, level) pairs or Rich renderables, so they are tested by
rendering to text.
"""

from __future__ import annotations

from datetime import tzinfo

from rich.console import Group, RenderableType
from rich.table import Table
from rich.text import Text

from vrrptop.expect.wording import Segment
from vrrptop.model.node import ERROR_COUNTERS, LocalInstance, NodeState
from vrrptop.model.snapshot import HostView, InstanceView
from vrrptop.ui.format import Level, fmt_clock

MAX_LINES = 4
"""Lines of the main screen's node bar; more instances are counted in the last one."""


def state_level(inst: LocalInstance) -> Level | None:
    """FAULT / STOP red, a failing script or rising errors yellow, MASTER green."""
    if inst.state in ("FAULT", "STOP", "DELETED"):
        return "bad"
    if inst.scripts_failed and all(s.ok is False for s in inst.scripts):
        return "warn"
    if inst.errors:
        return "warn"
    return "ok" if inst.state == "MASTER" else None


def bar_lines(node: NodeState | None) -> list[tuple[str, Level | None]]:
    """The node bar's lines; empty when keepalived is not read."""
    if node is None:
        return []
    if not node.instances:
        return [(f"this node: keepalived not read: {node.error or 'no instance'}", "warn")]
    lines: list[tuple[str, Level | None]] = []
    for inst in node.instances[: MAX_LINES - 1 if len(node.instances) > MAX_LINES else MAX_LINES]:
        lines.append((f"this node: {inst.name} {inst.summary()}", state_level(inst)))
    if len(node.instances) > MAX_LINES:
        lines.append((f"this node: +{len(node.instances) - MAX_LINES + 1} more instances "
                      "(details: enter on a row)", None))  # fmt: skip
    if node.error:
        lines[-1] = (lines[-1][0] + f"  (stale: {node.error})", "warn")
    return lines


def this_host(host: HostView, node: NodeState | None) -> bool:
    """True when ``host`` is the node vrrptop runs on (an address keepalived uses)."""
    return node is not None and bool(set(host.addresses) & set(node.addresses))


def mark_this_host(cells: list[Segment]) -> list[Segment]:
    """A hosts-table row with its name cell saying ``(this host)``."""
    name, _level = cells[0]
    text = f"{name} (this host)" if name not in ("-", "") else "(this host)"
    return [(text, "ok"), *cells[1:]]


def local_instance(node: NodeState | None, inst: InstanceView) -> LocalInstance | None:
    """The local keepalived's instance of the wire's virtual router, if any."""
    return node.instance(inst.vrid, inst.family) if node is not None else None


def node_section(
    node: NodeState | None, inst: InstanceView, tz: tzinfo | None = None
) -> RenderableType:
    """The details screen's "This node (keepalived)" section."""
    local = local_instance(node, inst)
    head = Text("This node (keepalived)", style="bold underline")
    if node is None or local is None:
        return Group(head, Text("this node has no instance of this virtual router", style="dim"))
    table = Table(box=None, show_header=False)
    table.add_column("field", style="bold", no_wrap=True)
    table.add_column("value")
    transition = "-" if local.last_transition is None else fmt_clock(local.last_transition, tz)
    master = local.master or ("itself" if local.state == "MASTER" else "-")
    if local.master_priority is not None and local.master:
        master += f" (prio {local.master_priority})"
    rows = [
        ("instance", f"{local.name} (pid {node.pid})"),
        ("state", local.state),
        ("priority", local.priority_text()),
        ("master heard", master),
        ("since", transition),
        ("interface", local.interface or "-"),
        ("tracked ifaces", ", ".join(local.tracked_interfaces) or "none"),
    ]
    for field, value in rows:
        table.add_row(field, value)
    for script in local.scripts:
        word = {True: "ok", False: "FAILED", None: "unknown"}[script.ok]
        table.add_row(f"  {script.name}", f"{word}  weight {script.weight:+d}")
    for key, label in ERROR_COUNTERS:
        count = local.counter(key)
        if count:
            table.add_row(label, Text(str(count), style="bold yellow"))
    parts: list[RenderableType] = [head, table]
    if node.error:
        parts.append(Text(f"stale: {node.error}", style="yellow"))
    return Group(*parts)
