"""``--report``'s "this node" part: what the local keepalived says of itself.

Reads ``Snapshot.node`` (``vrrptop.model.node.NodeState``, typed) and words it with
the model's own helpers, as the console does. Rich only.
"""

from __future__ import annotations

import time

from rich.console import Group
from rich.table import Table
from rich.text import Text

from vrrptop.model.snapshot import Snapshot

_STATE_STYLE = {"MASTER": "bold green", "BACKUP": "", "FAULT": "bold red", "STOP": "red"}


def _clock(ts: float | None) -> str:
    return "-" if ts is None else time.strftime("%H:%M:%S", time.localtime(ts))


def node_table(snap: Snapshot) -> Group | None:
    """One row per local instance, then the error and the configuration findings;
    None when the local keepalived was not read."""
    node = snap.node
    if node is None:
        return None
    where = f"keepalived pid {node.pid}" if node.pid else "keepalived"
    if node.router_id:
        where += f", router_id {node.router_id}"
    table = Table(title=f"This node ({where})", title_justify="left", expand=False)
    for col in ("Instance", "VRID", "Fam", "State", "Priority", "Master heard", "Since"):
        table.add_column(col, no_wrap=True)
    table.add_column("Scripts")
    table.add_column("Errors")
    for inst in node.instances:
        failed = ", ".join(s.name for s in inst.scripts_failed)
        scripts = inst.scripts_text() + (f" ({failed})" if failed and inst.scripts_failed else "")
        table.add_row(
            inst.name,
            str(inst.vrid),
            f"IPv{inst.family}",
            Text(inst.state, style=_STATE_STYLE.get(inst.state, "yellow")),
            inst.priority_text(),
            inst.master or "-",
            _clock(inst.last_transition),
            scripts,
            Text(inst.errors_text(), style="yellow" if inst.errors else "dim"),
        )
    lines: list[Table | Text] = [table]
    if node.error:
        lines.append(Text(f"  keepalived: {node.error}", style="yellow"))
    if node.config_files:
        lines.append(Text(f"  configuration read: {', '.join(node.config_files)}", style="dim"))
    for finding in node.findings:
        lines.append(Text(f"  {finding}", style="yellow"))
    return Group(*lines)
