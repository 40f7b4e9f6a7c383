"""``--report``'s declared-versus-observed parts: expected master and alarms per
instance, the alarms in full, and the DNS health of every probed target.

Reads what the monitor attached to the snapshot (``InstanceView.extra``, the keys
of ``Correlation.to_json``; ``Snapshot.health``, address -> ``TargetHealth``).
Rich only: the core never imports textual nor the console package.
"""

from __future__ import annotations

import time
from typing import Any

from rich.table import Table
from rich.text import Text

from vrrptop.model.snapshot import InstanceView, Snapshot

_SEVERITY_STYLE = {"info": "", "warning": "yellow", "error": "bold red"}


def correlated(snap: Snapshot) -> bool:
    """True when a configuration declared what should be master (some instance
    carries the correlation)."""
    return any("alarms" in i.extra or "expected_master" in i.extra for i in snap.instances)


def alarms_of(inst: InstanceView) -> list[dict[str, Any]]:
    """The instance's alarms, as ``Correlation.to_json`` lists them."""
    return [a for a in inst.extra.get("alarms") or () if isinstance(a, dict)]


def expected_text(inst: InstanceView) -> Text:
    """Expected master, ``≠`` when the correlation raised a master mismatch,
    ``(settling)`` while the election may still converge; ``-`` without one."""
    expected = inst.extra.get("expected_master")
    if not expected:
        return Text("-", style="dim")
    if not inst.extra.get("settled", True):
        return Text(f"{expected} (settling)", style="dim")
    if any(a.get("kind") == "master-mismatch" for a in alarms_of(inst)):
        return Text(f"{expected} ≠", style="bold red")
    return Text(str(expected))


def alarms_cell(inst: InstanceView) -> Text:
    """Alarm count and kinds: ``2 master-mismatch, vip-dns-failing``; ``-`` if none."""
    alarms = alarms_of(inst)
    if not alarms:
        return Text("-", style="dim")
    kinds = ", ".join(dict.fromkeys(str(a.get("kind", "?")) for a in alarms))
    worst = "error" if any(a.get("severity") == "error" for a in alarms) else "warning"
    return Text(f"{len(alarms)} {kinds}", style=_SEVERITY_STYLE[worst])


def expectation_table(snap: Snapshot) -> Table | None:
    """Observed versus expected master and the alarms, per instance; None without
    a configuration. A table of its own so the instances table stays readable at
    80 columns."""
    if not correlated(snap):
        return None
    table = Table(title="Declared versus observed", title_justify="left", expand=False)
    for col in ("VRID", "Fam", "Name", "Observed", "Expected", "Alarms"):
        table.add_column(col, no_wrap=col != "Alarms")
    for inst in sorted(snap.instances, key=lambda i: (i.vrid, i.family)):
        observed = inst.extra.get("observed_master_name") or inst.master or "-"
        table.add_row(
            str(inst.vrid),
            f"IPv{inst.family}",
            inst.name or "-",
            str(observed),
            expected_text(inst),
            alarms_cell(inst),
        )
    return table


def alarms_table(snap: Snapshot) -> Table | None:
    """Every alarm at the end of the run, one per row; None when there are none."""
    rows = [
        (inst, alarm)
        for inst in sorted(snap.instances, key=lambda i: (i.vrid, i.family))
        for alarm in alarms_of(inst)
    ]
    if not rows:
        return None
    table = Table(title=f"Alarms ({len(rows)})", title_justify="left")
    for col in ("VRID", "Fam", "Severity", "Kind", "What"):
        table.add_column(col, no_wrap=col != "What")
    for inst, alarm in rows:
        severity = str(alarm.get("severity", "warning"))
        style = _SEVERITY_STYLE.get(severity, "")
        table.add_row(
            str(inst.vrid),
            f"IPv{inst.family}",
            Text(severity, style=style),
            Text(str(alarm.get("kind", "?")), style=style),
            str(alarm.get("message", "")),
        )
    return table


def _since(ts: float | None) -> str:
    return "-" if ts is None else time.strftime("%H:%M:%S", time.localtime(ts))


def dns_table(snap: Snapshot) -> Table | None:
    """DNS health of every probed target (VIPs and hosts): last status, latency,
    failed/probes and since when in that state; None when nothing was probed
    (replays never probe)."""
    if not snap.health:
        return None
    table = Table(title="DNS health", title_justify="left")
    for col in ("Target", "Role", "Name", "Status", "Latency", "Failed", "Since"):
        table.add_column(col, no_wrap=True)
    for address in sorted(snap.health):
        th = snap.health[address]
        last = th.last
        target = th.target
        if last is None:
            status = Text("not probed yet", style="dim")
        else:
            word = f"rcode {last.rcode}" if last.status == "rcode" else str(last.status)
            status = Text(word, style="green" if last.ok else "bold red")
        latency = "-" if last is None or last.latency_ms is None else f"{last.latency_ms:.1f}ms"
        since = th.ok_since if th.ok else th.failing_since
        table.add_row(
            address,
            str(target.role),
            target.name or "-",
            status,
            latency,
            f"{th.failures}/{th.probes}",
            _since(since),
        )
    return table
