"""``vrrptop -D``: the interfaces a live capture can open, as ``tcpdump -D`` lists them.

Read from /sys/class/net (no privilege needed), so an operator can see the names
and states before asking for root; ``any`` (all interfaces, cooked) comes last.
"""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path

SYS_NET = Path("/sys/class/net")
_IFF_UP, _IFF_LOOPBACK, _IFF_RUNNING = 0x1, 0x8, 0x40
#: ARPHRD types a capture reads with its Ethernet filter; others are read cooked.
_ARPHRD_NAMES = {1: "Ethernet", 772: "loopback", 776: "IPv6-in-IPv4", 65534: "no link header"}


@dataclass(frozen=True, slots=True)
class Interface:
    """One interface: its name and what ``tcpdump -D`` says about it."""

    name: str
    up: bool
    running: bool
    loopback: bool
    link: str
    """``Ethernet``, ``loopback``... from the ARPHRD type."""


def _read_int(path: Path, base: int = 10) -> int:
    try:
        return int(path.read_text().strip(), base)
    except (OSError, ValueError):
        return 0


def list_interfaces(root: Path = SYS_NET) -> list[Interface]:
    """Every interface under ``root``, by name."""
    out = []
    try:
        names = sorted(p.name for p in root.iterdir())
    except OSError:
        names = []
    for name in names:
        flags = _read_int(root / name / "flags", 16)
        kind = _read_int(root / name / "type")
        out.append(
            Interface(
                name=name,
                up=bool(flags & _IFF_UP),
                running=bool(flags & _IFF_RUNNING),
                loopback=bool(flags & _IFF_LOOPBACK),
                link=_ARPHRD_NAMES.get(kind, f"link type {kind}"),
            )
        )
    return out


def interface_lines(interfaces: list[Interface]) -> list[str]:
    """``1.em1 [Up, Running] (Ethernet)`` lines, numbered as ``tcpdump -D`` does,
    then ``any``."""
    lines = []
    for n, iface in enumerate(interfaces, 1):
        flags = [w for w, on in (("Up", iface.up), ("Running", iface.running)) if on]
        if iface.loopback:
            flags.append("Loopback")
        state = f" [{', '.join(flags)}]" if flags else " [Down]"
        lines.append(f"{n}.{iface.name}{state} ({iface.link})")
    lines.append(f"{len(interfaces) + 1}.any (all interfaces, read without link headers)")
    return lines
