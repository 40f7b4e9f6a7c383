"""Reading the lab's ground truth: keepalived's notify log, VIP holders, predictions."""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from pathlib import Path

from tests.lab.configs import BASE_PRIORITY, STEP
from tests.lab.topology import NODES, VIPS, addresses, node_host

#: An instance on the wire: (base instance name, address family), e.g. ("testdns0", 6).
InstanceKey = tuple[str, int]
INSTANCES: tuple[InstanceKey, ...] = tuple((base, fam) for base in VIPS for fam in (4, 6))


def keepalived_name(key: InstanceKey) -> str:
    """keepalived's instance name: ``testdns0`` (IPv4) or ``testdns0_v6``."""
    base, family = key
    return base if family == 4 else f"{base}_v6"


def instance_key(name: str) -> InstanceKey:
    """Inverse of :func:`keepalived_name`."""
    return (name.removesuffix("_v6"), 6 if name.endswith("_v6") else 4)


@dataclass(frozen=True, slots=True)
class NotifyRecord:
    """One line of the notify log: a keepalived state change."""

    ts: float
    node: str
    instance: str
    """keepalived's instance name (``testdns0_v6``)."""
    state: str
    """MASTER, BACKUP, FAULT or STOP."""
    priority: int | None

    @property
    def key(self) -> InstanceKey:
        """The (base, family) this record is about."""
        return instance_key(self.instance)


def read_notify_log(path: Path, since: float = 0.0) -> list[NotifyRecord]:
    """Parse the notify log (``<epoch-ts> <node> <instance> <state> [<prio>]``)."""
    try:
        text = path.read_text()
    except OSError:
        return []
    out = []
    for line in text.splitlines():
        parts = line.split()
        if len(parts) < 4:
            continue  # a line being written right now
        try:
            ts = float(parts[0])
        except ValueError:
            continue
        prio = int(parts[4]) if len(parts) > 4 and parts[4].isdigit() else None
        if ts >= since:
            out.append(NotifyRecord(ts, parts[1], parts[2], parts[3], prio))
    return out


def notify_masters(records: Sequence[NotifyRecord]) -> dict[InstanceKey, str | None]:
    """Who keepalived says is master of each instance, from its notify records.

    A node is master from its MASTER line until any later non-MASTER line of its own.
    """
    current: dict[InstanceKey, set[str]] = {k: set() for k in INSTANCES}
    for rec in sorted(records, key=lambda r: r.ts):
        holders = current.setdefault(rec.key, set())
        if rec.state == "MASTER":
            holders.add(rec.node)
        else:
            holders.discard(rec.node)
    return {k: (min(v) if len(v) == 1 else None) for k, v in current.items()}


def vip_holders(nodes: Sequence[str] = NODES) -> dict[InstanceKey, list[str]]:
    """Which nodes have each instance's VIP configured on their interface right now."""
    held = {n: set(addresses(node_host(n))) for n in nodes}
    out: dict[InstanceKey, list[str]] = {}
    for base, family in INSTANCES:
        vip = VIPS[base][0 if family == 4 else 1]
        out[(base, family)] = [n for n in nodes if vip in held[n]]
    return out


def rank(lines: Sequence[str], node: str, base: str, reverse: str = "lines") -> int | None:
    """The rank ``named_check`` computes for ``node`` in ``base`` (None when absent or
    commented out); ``reverse`` as in ``configs.REVERSE``."""
    if node not in lines:
        return None
    line = lines.index(node) + 1  # grep -Fxn: every line counts, comments included
    if base.endswith("0"):
        return line
    return (5 if reverse == "seed" else len(lines) + 1) - line


def predicted_priorities(
    lines: Sequence[str], base: str, dns_ok: Mapping[str, bool], reverse: str = "lines"
) -> dict[str, int]:
    """Effective priority of every node for ``base`` (50 + 50 x rank, or 50)."""
    out = {}
    for node in NODES:
        r = rank(lines, node, base, reverse)
        healthy = dns_ok.get(node, False) and r is not None and 1 <= r <= 4
        out[node] = BASE_PRIORITY + STEP * r if healthy and r is not None else BASE_PRIORITY
    return out


def predicted_masters(
    lines: Sequence[str],
    dns_ok: Mapping[str, bool],
    running: Sequence[str],
    reverse: str = "lines",
) -> dict[str, str | None]:
    """The master keepalived should elect for each base instance.

    Highest priority wins; a tie goes to the highest address (VRRP's rule), which in
    the lab is the later node.
    """
    out: dict[str, str | None] = {}
    for base in VIPS:
        prios = predicted_priorities(lines, base, dns_ok, reverse)
        live = [n for n in NODES if n in running]
        out[base] = max(live, key=lambda n: (prios[n], NODES.index(n))) if live else None
    return out
