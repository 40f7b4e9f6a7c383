"""Pure text helpers for the console: ages, bars, sparklines, state words, hex.

Nothing here imports textual, so every rule the screens follow (how an age turns
red, how rows sort, what a filter matches) is testable with plain pytest.
"""

from __future__ import annotations

import ipaddress
import math
from collections.abc import Iterable, Sequence
from datetime import datetime, tzinfo

from vrrptop.expect.wording import STATE_WORDS, Level
from vrrptop.model.snapshot import HostView, InstanceView

# Level and the state words are the shared wording's (the report uses them too).
__all__ = ["STATE_WORDS", "Level"]

#: Order of states when sorting by state: the worst first.
STATE_RANK: dict[str, int] = {
    "split-brain": 0,
    "silent": 1,
    "mismatch": 2,
    "checksum-errors": 3,
    "resigned": 4,
    "ok": 5,
    "unseen": 1,
}

SEVERITY_WORDS: dict[str, tuple[str, Level]] = {
    "info": ("INFO", "ok"),
    "warning": ("WARN", "warn"),
    "error": ("ERR ", "bad"),
}

#: Sort orders the `s` key cycles through, in order.
SORT_KEYS: tuple[str, ...] = ("vrid", "state", "age", "master", "priority")

_EIGHTHS = " ▏▎▍▌▋▊▉█"
_SPARKS = "▁▂▃▄▅▆▇█"


def fmt_seconds(seconds: float | None) -> str:
    """Short human duration: ``0.4s``, ``12s``, ``3m04s``, ``2h03m``, ``4d02h``."""
    if seconds is None or math.isnan(seconds):
        return "-"
    s = max(0.0, seconds)
    if s < 10:
        return f"{s:.1f}s"
    if s < 60:
        return f"{int(s)}s"
    if s < 3600:
        return f"{int(s // 60)}m{int(s % 60):02d}s"
    if s < 86400:
        return f"{int(s // 3600)}h{int(s % 3600 // 60):02d}m"
    return f"{int(s // 86400)}d{int(s % 86400 // 3600):02d}h"


def fmt_clock(ts: float | None, tz: tzinfo | None = None, *, millis: bool = False) -> str:
    """Wall-clock time of ``ts`` as ``HH:MM:SS`` (``.mmm`` with ``millis``)."""
    if ts is None:
        return "--:--:--"
    moment = datetime.fromtimestamp(ts, tz)
    text = moment.strftime("%H:%M:%S")
    if millis:
        text += f".{moment.microsecond // 1000:03d}"
    return text


def fmt_interval(interval_cs: int) -> str:
    """Advertisement interval: ``1s``, ``0.5s``, ``10s``."""
    if interval_cs % 100 == 0:
        return f"{interval_cs // 100}s"
    return f"{interval_cs / 100:g}s"


def age_fraction(age_s: float, master_down_s: float) -> float:
    """How far the master's silence has eaten into Master_Down_Interval (0..1+)."""
    if master_down_s <= 0:
        return 0.0
    return max(0.0, age_s / master_down_s)


def age_level(age_s: float, master_down_s: float) -> Level:
    """ok while adverts arrive on time; warn once one is late; bad at expiry.

    A healthy master's age cycles between 0 and one interval, i.e. a third of
    Master_Down_Interval; past ~40 % at least one advert is missing.
    """
    frac = age_fraction(age_s, master_down_s)
    if frac >= 1.0:
        return "bad"
    if frac > 0.4:
        return "warn"
    return "ok"


def bar(fraction: float, width: int) -> str:
    """A left-to-right bar of ``width`` cells filled to ``fraction`` (clamped),
    with eighth-cell resolution and a light track so the scale stays visible."""
    if width <= 0:
        return ""
    frac = min(1.0, max(0.0, fraction))
    eighths = round(frac * width * 8)
    full, part = divmod(eighths, 8)
    text = "█" * full
    if full < width:
        text += _EIGHTHS[part] if part else ""
    return text + "·" * (width - len(text))


def age_bar(age_s: float, master_down_s: float, width: int = 8) -> str:
    """``bar`` of the age against Master_Down_Interval plus the countdown."""
    remaining = master_down_s - age_s
    tail = "EXPIRED" if remaining <= 0 else f"{fmt_seconds(age_s)}"
    return f"{bar(age_fraction(age_s, master_down_s), width)} {tail}"


def sparkline(values: Sequence[float], width: int | None = None) -> str:
    """Unicode sparkline of ``values`` (last ``width`` ones), scaled min..max."""
    vals = list(values)[-width:] if width else list(values)
    if not vals:
        return ""
    lo, hi = min(vals), max(vals)
    if hi - lo < 1e-9:
        return _SPARKS[len(_SPARKS) // 2 - 1] * len(vals)
    top = len(_SPARKS) - 1
    return "".join(_SPARKS[round((v - lo) / (hi - lo) * top)] for v in vals)


def state_word(state: str) -> tuple[str, Level]:
    """Word and level for an instance state (unknown states shown as-is)."""
    return STATE_WORDS.get(state, (state.upper(), "warn"))


def severity_word(severity: str) -> tuple[str, Level]:
    """Fixed-width word and level for an event severity."""
    return SEVERITY_WORDS.get(severity, (severity.upper()[:4].ljust(4), "warn"))


def names_by_address(hosts: Iterable[HostView]) -> dict[str, str]:
    """Address -> host name, from the hosts that have a name."""
    out: dict[str, str] = {}
    for host in hosts:
        if host.name:
            for addr in host.addresses:
                out[addr] = host.name
    return out


def master_text(inst: InstanceView, names: dict[str, str], show_names: bool) -> str:
    """``10.0.0.1 (ns1)`` when names are on and known, else the bare address."""
    if inst.master is None:
        return "-"
    name = names.get(inst.master)
    if show_names and name:
        return f"{inst.master} ({name})"
    return inst.master


def vip_holder_text(inst: InstanceView) -> tuple[str, Level]:
    """Who holds the VIPs on the switch, compared to the master's MAC.

    ``master`` when every announced VIP was last claimed by the master's MAC,
    ``OTHER aa:bb:..`` naming the first foreign MAC otherwise, ``?`` when the
    master's MAC is unknown and ``-`` when no announcement was seen.
    """
    if not inst.vip_holders:
        return "-", "dim"
    foreign = [h for h in inst.vip_holders if h.holder_is_master is False]
    if foreign:
        return f"OTHER {foreign[0].mac}", "bad"
    if any(h.holder_is_master is None for h in inst.vip_holders):
        return "?", "dim"
    return "master", "ok"


def group_anchor(instances: Sequence[InstanceView]) -> dict[tuple[int, int], int]:
    """(vrid, family) -> the smallest VRID among instances sharing its name or VIP set.

    Sorting on this first keeps the IPv4 and IPv6 halves of one service together.
    """
    by_key: dict[str, int] = {}
    for inst in instances:
        for key in _group_keys(inst):
            by_key[key] = min(by_key.get(key, inst.vrid), inst.vrid)
    out: dict[tuple[int, int], int] = {}
    for inst in instances:
        out[(inst.vrid, inst.family)] = min([inst.vrid] + [by_key[k] for k in _group_keys(inst)])
    return out


def _group_keys(inst: InstanceView) -> list[str]:
    keys = [f"vrid:{inst.vrid}"]
    if inst.name:
        keys.append(f"name:{inst.name}")
    return keys


def _state_rank(inst: InstanceView) -> tuple[int, int]:
    """Worst first: the state's rank, but an instance with alarms (the correlation's:
    master mismatch, DNS failing...) ranks at least with MISMATCH, more alarms first."""
    rank = STATE_RANK.get(inst.state, 0)
    alarms = len(inst.alarms)
    if alarms:
        rank = min(rank, STATE_RANK["mismatch"])
    return (rank, -alarms)


def sort_instances(
    instances: Sequence[InstanceView],
    key: str,
    names: dict[str, str] | None = None,
    *,
    reverse: bool = False,
) -> list[InstanceView]:
    """Rows in ``key`` order (one of ``SORT_KEYS``), reversed with ``reverse``; ties
    fall back to VRID/family. By master, rows sort by what the column shows: the
    master's name when ``names`` (address -> name) has it, else its address."""
    rows = _sorted(instances, key, names or {})
    return rows[::-1] if reverse else rows


def _sorted(
    instances: Sequence[InstanceView], key: str, names: dict[str, str]
) -> list[InstanceView]:
    anchor = group_anchor(instances)

    def base(i: InstanceView) -> tuple[int, int, int]:
        return (anchor[(i.vrid, i.family)], i.vrid, i.family)

    if key == "state":
        return sorted(instances, key=lambda i: (*_state_rank(i), base(i)))
    if key == "age":
        return sorted(instances, key=lambda i: (-age_fraction(i.age_s, i.master_down_s), base(i)))
    if key == "master":

        def shown(i: InstanceView) -> tuple[int, str, tuple[int, int, str]]:
            name = names.get(i.master or "")
            return (0 if name else 1, name or "", address_key(i.master))

        return sorted(instances, key=lambda i: (shown(i), base(i)))
    if key == "priority":
        return sorted(instances, key=lambda i: (-(i.priority or -1), base(i)))
    return sorted(instances, key=base)


def address_key(address: str | None) -> tuple[int, int, str]:
    """Sort key for an address: numeric, IPv4 before IPv6, unknown/None last."""
    if address is None:
        return (9, 0, "")
    try:
        ip = ipaddress.ip_address(address.split("%")[0])
    except ValueError:
        return (8, 0, address)
    return (ip.version, int(ip), "")


def next_sort_key(current: str) -> str:
    """The sort order after ``current`` in ``SORT_KEYS`` (wrapping)."""
    try:
        idx = SORT_KEYS.index(current)
    except ValueError:
        return SORT_KEYS[0]
    return SORT_KEYS[(idx + 1) % len(SORT_KEYS)]


def previous_sort_key(current: str) -> str:
    """The sort order before ``current`` in ``SORT_KEYS`` (wrapping)."""
    try:
        idx = SORT_KEYS.index(current)
    except ValueError:
        return SORT_KEYS[0]
    return SORT_KEYS[(idx - 1) % len(SORT_KEYS)]


def _norm(text: str) -> str:
    return text.strip().lower()


def instance_matches(inst: InstanceView, query: str, names: dict[str, str]) -> bool:
    """True when the filter ``query`` matches the VRID (exactly, when numeric), an
    address (master, VIP, any source) or a name (instance or host), substring-wise."""
    q = _norm(query)
    if not q:
        return True
    if q.isdigit():
        return int(q) == inst.vrid
    haystack: list[str] = list(inst.addresses)
    haystack += [s.src for s in inst.sources]
    if inst.master:
        haystack.append(inst.master)
    if inst.name:
        haystack.append(inst.name)
    haystack += [names[a] for a in haystack if a in names]
    return any(q in h.lower() for h in haystack)


def host_matches(host: HostView, query: str) -> bool:
    """True when ``query`` matches a VRID the host advertises, an address or the name."""
    q = _norm(query)
    if not q:
        return True
    if q.isdigit():
        return any(k.split("/")[0] == q for k in host.priorities)
    haystack = list(host.addresses) + list(host.macs) + ([host.name] if host.name else [])
    return any(q in h.lower() for h in haystack)


def hexdump(data: bytes, width: int = 16, redact: range | None = None) -> list[str]:
    """``offset  hex bytes  ascii`` lines, like ``xxd`` / ``hexdump -C``.

    Byte offsets in ``redact`` are shown as ``**`` / ``*`` (a masked password).
    """
    hidden = redact or range(0)
    lines = []
    for off in range(0, len(data), width):
        chunk = data[off : off + width]
        hexes = ["**" if off + i in hidden else f"{b:02x}" for i, b in enumerate(chunk)]
        hexpart = " ".join(hexes).ljust(width * 3 - 1)
        text = "".join(
            "*" if off + i in hidden else chr(b) if 32 <= b < 127 else "."
            for i, b in enumerate(chunk)
        )
        lines.append(f"{off:04x}  {hexpart}  {text}")
    return lines
