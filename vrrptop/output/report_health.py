"""``--report``'s declared-versus-observed parts: expected master and alarms per
instance, the alarms in full, and the DNS health of every probed target.

Reads what the monitor attached to the snapshot (``InstanceView.expectation`` and
``.alarms``, ``Snapshot.alarms``, typed; ``Snapshot.health``, address ->
``TargetHealth``), in the words of ``expect.wording`` (the console's too).
Rich only: the core never imports textual nor the console package.
"""

from __future__ import annotations

import time

from rich.table import Table
from rich.text import Text

from vrrptop.expect.wording import expected_text, judged, observed_text, state_text
from vrrptop.model.snapshot import InstanceView, Snapshot

_SEVERITY_STYLE = {"info": "", "warning": "yellow", "error": "bold red"}
_LEVEL_STYLE: dict[str | None, str] = {"bad": "bold red", "warn": "yellow", "dim": "dim"}


def correlated(snap: Snapshot) -> bool:
    """True when a configuration declared what should be (some instance is judged)."""
    return any(judged(i) for i in snap.instances)


def _styled(cell: tuple[str, str | None]) -> Text:
    return Text(cell[0], style=_LEVEL_STYLE.get(cell[1], ""))


def expected_cell(inst: InstanceView) -> Text:
    """Expected master, ``≠`` on a master mismatch, ``~3s`` while settling."""
    return _styled(expected_text(inst))


def expectation_table(snap: Snapshot) -> Table | None:
    """Observed versus expected master and the alarms, per instance; None without
    a configuration. A table of its own so the instances table stays readable at
    80 columns."""
    if not correlated(snap):
        return None
    table = Table(title="Declared versus observed", title_justify="left", expand=False)
    # The State column counts the alarms; the table below lists them in full.
    for col in ("VRID", "Fam", "Name", "State", "Observed", "Expected"):
        table.add_column(col, no_wrap=True)
    for inst in sorted(snap.instances, key=lambda i: (i.vrid, i.family, i.vlan or 0)):
        word, level = state_text(inst)
        table.add_row(
            str(inst.vrid) if inst.vlan is None else f"{inst.vrid}@{inst.vlan}",
            f"IPv{inst.family}",
            inst.name or "-",
            Text(word, style=_LEVEL_STYLE.get(level, "")),
            observed_text(inst),
            expected_cell(inst),
        )
    return table


def alarms_table(snap: Snapshot) -> Table | None:
    """Every alarm raised at the end of the run, one per row (segment-wide ones
    too); None when there are none."""
    if not snap.alarms:
        return None
    table = Table(title=f"Alarms ({len(snap.alarms)})", title_justify="left")
    for col in ("Severity", "Kind", "Since", "What"):
        table.add_column(col, no_wrap=col != "What")
    for alarm in snap.alarms:
        style = _SEVERITY_STYLE.get(alarm.severity, "")
        table.add_row(
            Text(alarm.severity, style=style),
            Text(alarm.kind.value, style=style),
            _since(alarm.since),
            alarm.message,
        )
    if snap.warnings:
        table.caption = "\n".join(f"warning: {w}" for w in snap.warnings)
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
