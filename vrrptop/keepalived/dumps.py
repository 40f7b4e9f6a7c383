"""Parse keepalived's state dumps: the JSON dump (``SIGJSON``) and the data dump
(``SIGUSR1``, ``keepalived.data``).

Each gives part of the truth. keepalived 2.2's JSON has exact numbers (state,
priorities, stats) but names track scripts only by their command and has no script
status nor the master's address; the data dump has those, in words that changed
across versions (2.0-2.3: ``VRRP Instance = NAME`` blocks, three-space ``Key = value``
lines, five-space list items). ``merge`` joins the two by instance name. Parsers never
raise on content: what they cannot read is left out, and passwords are never kept.
"""

from __future__ import annotations

import json
from collections.abc import Iterator
from dataclasses import dataclass, field, replace
from typing import Any

from vrrptop.model.node import KA_STATES, LocalInstance, ScriptState


class DumpError(ValueError):
    """A dump that is not what keepalived writes (one line, says why)."""


def _address(text: str) -> str:
    """``198.51.100.210/24 dev em1 scope global set`` -> ``198.51.100.210``."""
    return text.split()[0].split("/", 1)[0] if text.strip() else ""


def _family(vips: tuple[str, ...], src_ip: str | None, native6: bool = False) -> int:
    probe = vips[0] if vips else (src_ip or "")
    return 6 if ":" in probe or (not probe and native6) else 4


def _int(value: Any, default: int = 0) -> int:
    try:
        return int(value)
    except (TypeError, ValueError):
        return default


# -- JSON ------------------------------------------------------------------------------
def parse_json(text: str) -> dict[str, LocalInstance]:
    """Instances by name from ``keepalived.json``; raises DumpError if it is not one."""
    try:
        items = json.loads(text)
    except ValueError as exc:
        raise DumpError(f"keepalived.json is not JSON ({exc})") from None
    if not isinstance(items, list):
        raise DumpError("keepalived.json is not a list of instances")
    out: dict[str, LocalInstance] = {}
    for item in items:
        data = item.get("data") if isinstance(item, dict) else None
        if not isinstance(data, dict) or "iname" not in data:
            continue
        stats = item.get("stats")
        vips = tuple(_address(v) for v in data.get("vips") or () if isinstance(v, str))
        state = _int(data.get("state"), -1)
        master_prio = _int(data.get("master_priority"))
        counters: tuple[tuple[str, int], ...] = ()
        if isinstance(stats, dict):
            counters = tuple((str(k), _int(v)) for k, v in stats.items())
        name = str(data["iname"])
        out[name] = LocalInstance(
            name=name,
            vrid=_int(data.get("vrid")),
            family=_family(vips, None),
            version=_int(data.get("version"), 2),
            interface=data.get("ifp_ifname") or None,
            state=KA_STATES.get(state, f"state {state}"),
            base_priority=_int(data.get("base_priority")),
            effective_priority=_int(data.get("effective_priority")),
            master_priority=master_prio or None,
            last_transition=data.get("last_transition"),
            vips=vips,
            counters=counters,
        )
    return out


# -- the data dump ------------------------------------------------------------------------
@dataclass(slots=True)
class _Block:
    """One ``NAME = value`` block of the data dump: its lines and list items."""

    name: str
    props: dict[str, str] = field(default_factory=dict)
    lists: dict[str, list[str]] = field(default_factory=dict)


def _blocks(lines: list[str], header: str) -> Iterator[_Block]:
    """The blocks that start with `` HEADER = NAME`` (one space in), until the next
    header or section; three-space lines are properties, deeper ones list items of
    the last ``Key :`` / ``Key (n):`` / ``Key = n`` line."""
    block: _Block | None = None
    current: str | None = None
    for raw in lines:
        if raw.startswith("------<") or (raw.startswith(" ") and not raw.startswith("  ")):
            if block is not None:
                yield block
                block = None
            stripped = raw.strip()
            if stripped.startswith(header) and "=" in stripped:
                block = _Block(stripped.split("=", 1)[1].strip())
            continue
        if block is None or not raw.strip():
            continue
        indent = len(raw) - len(raw.lstrip(" "))
        text = raw.strip()
        if indent >= 5 and current is not None:
            block.lists.setdefault(current, []).append(text)
            continue
        if "=" in text:
            key, value = (part.strip() for part in text.split("=", 1))
            block.props.setdefault(key, value)
            current = key  # ``Tracked scripts = 2`` (older versions) opens a list too
        elif text.endswith(":"):
            current = text[:-1].strip()
            current = current.split(" (", 1)[0]  # ``Virtual IP (1)``
            block.lists.setdefault(current, [])
        else:
            current = None
    if block is not None:
        yield block


def _script_ok(status: str) -> bool | None:
    word = status.upper()
    if "GOOD" in word:
        return True
    if "BAD" in word or "FAIL" in word:
        return False
    return None


def _weighted(items: list[str]) -> list[tuple[str, int, bool]]:
    """``name weight 50`` / ``name, weight 50`` / ``name weight -20 reverse``."""
    out: list[tuple[str, int, bool]] = []
    for item in items:
        words = item.replace(",", " ").split()
        if not words:
            continue
        weight = 0
        if "weight" in words and words.index("weight") + 1 < len(words):
            weight = _int(words[words.index("weight") + 1])
        out.append((words[0], weight, "reverse" in words))
    return out


@dataclass(frozen=True, slots=True)
class DataDump:
    """What the data dump says: instances by name, the node's router id and addresses."""

    instances: dict[str, LocalInstance]
    router_id: str | None
    addresses: tuple[str, ...]


def parse_data(text: str) -> DataDump:
    """Parse ``keepalived.data``; raises DumpError when it has no VRRP section at all."""
    lines = text.splitlines()
    if not any("VRRP Instance" in line or "VRRP Topology" in line for line in lines):
        raise DumpError("keepalived.data has no VRRP instance")
    status: dict[str, ScriptState] = {}
    for block in _blocks(lines, "VRRP Script"):
        word = block.props.get("Status", "")
        weight = _int(block.props.get("Weight"))
        status[block.name] = ScriptState(block.name, _script_ok(word), weight, word)
    instances: dict[str, LocalInstance] = {}
    addresses: list[str] = []
    for block in _blocks(lines, "VRRP Instance"):
        p = block.props
        vips = tuple(_address(v) for v in block.lists.get("Virtual IP", ()))
        src = (p.get("Using src_ip") or "").split(" ", 1)[0] or None  # "(from configuration)"
        if src == "(none)":
            src = None
        if src:
            addresses.append(src)
        scripts = tuple(
            replace(status.get(name, ScriptState(name, None, w)), weight=w, reverse=rev)
            for name, w, rev in _weighted(block.lists.get("Tracked scripts", []))
        )
        tracked = tuple(n for n, _w, _r in _weighted(block.lists.get("Tracked interfaces", [])))
        transition = p.get("Last transition", "").split(" ", 1)[0]
        master = p.get("Master router")
        instances[block.name] = LocalInstance(
            name=block.name,
            vrid=_int(p.get("Virtual Router ID")),
            family=_family(vips, src, "Using Native IPv6" in p),
            version=_int(p.get("VRRP Version"), 2),
            interface=(p.get("Interface") or p.get("Listening device") or "").split(",")[0] or None,
            state=p.get("State", "?").split()[0] if p.get("State") else "?",
            base_priority=_int(p.get("Priority")),
            effective_priority=_int(p.get("Effective priority"), _int(p.get("Priority"))),
            master=master if master and master != "none" else None,
            master_priority=_int(p.get("Master priority")) or None,
            last_transition=float(transition) if transition.replace(".", "", 1).isdigit() else None,
            vips=vips,
            src_ip=src,
            scripts=scripts,
            tracked_interfaces=tracked,
        )
    for block in _blocks(lines, "Name"):
        for key in ("IPv4 address", "IPv6 address"):
            value = block.props.get(key, "")
            if value and value != "(none)" and not value.startswith(("127.", "::1")):
                addresses.append(value)
    router_id = next(
        (line.split("=", 1)[1].strip() for line in lines if line.startswith(" Router ID =")), None
    )
    return DataDump(instances, router_id, tuple(dict.fromkeys(addresses)))


def merge(
    json_part: dict[str, LocalInstance] | None,
    data_part: dict[str, LocalInstance] | None,
    counters: dict[str, tuple[tuple[str, int], ...]] | None = None,
) -> tuple[LocalInstance, ...]:
    """One instance per name: the JSON's exact numbers, the data dump's master, scripts
    and addresses, and the stats dump's counters where the JSON had none."""
    names = list(dict.fromkeys([*(json_part or {}), *(data_part or {})]))
    out: list[LocalInstance] = []
    for name in names:
        j = (json_part or {}).get(name)
        d = (data_part or {}).get(name)
        inst = j or d
        assert inst is not None
        if j is not None and d is not None:
            inst = replace(
                j,
                family=d.family if not j.vips else j.family,
                master=d.master,
                master_priority=j.master_priority or d.master_priority,
                src_ip=d.src_ip,
                scripts=d.scripts,
                tracked_interfaces=d.tracked_interfaces,
            )
        if not inst.counters and counters and name in counters:
            inst = replace(inst, counters=counters[name])
        if inst.state != "BACKUP":
            inst = replace(inst, master=None, master_priority=None)  # none heard
        out.append(inst)
    return tuple(out)
