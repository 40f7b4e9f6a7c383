"""Which addresses to probe: the VIPs and the routers seen on the wire, plus extras.

Link-local IPv6 addresses (VRRPv3 over IPv6 advertises from, and usually lists
first, a ``fe80::`` address) can only be reached through an interface, so they
get the capture interface as scope, or are left out when there is none (replaying
a file).
"""

from __future__ import annotations

import ipaddress
from collections.abc import Iterable

from vrrptop.model.snapshot import Snapshot
from vrrptop.probe.types import ProbeRole, ProbeTarget


def scoped(address: str, interface: str | None) -> str | None:
    """``address`` ready to probe: link-local gets ``%interface`` (None without one);
    other addresses are returned unchanged; non-addresses give None."""
    bare, _, scope = address.partition("%")
    try:
        ip = ipaddress.ip_address(bare)
    except ValueError:
        return None
    if not (ip.version == 6 and ip.is_link_local) or scope:
        return address
    return f"{bare}%{interface}" if interface else None


def targets_from_snapshot(
    snapshot: Snapshot,
    *,
    interface: str | None = None,
    extra: Iterable[ProbeTarget] = (),
) -> list[ProbeTarget]:
    """Targets for every VIP advertised and every host address seen, then ``extra``
    (e.g. VIPs and hosts from the configuration); one per address, first wins,
    and an address that is a VIP anywhere is probed as a VIP."""
    found: dict[str, tuple[ProbeRole, str | None]] = {}
    for inst in snapshot.instances:
        for address in inst.addresses:
            found.setdefault(address, ("vip", inst.name))
    for host in snapshot.hosts:
        for address in host.addresses:
            found.setdefault(address, ("host", host.name))
    out: dict[tuple[str, int], ProbeTarget] = {}
    for address, (role, name) in found.items():
        ready = scoped(address, interface)
        if ready is not None:
            out.setdefault((ready, 53), ProbeTarget(ready, role, name))
    for target in extra:
        ready = scoped(target.address, interface)
        if ready is None:
            continue
        known = out.get((ready, target.port))
        if known is None:
            out[(ready, target.port)] = ProbeTarget(ready, target.role, target.name, target.port)
        elif known.role == "host" and target.role == "vip":
            out[(ready, target.port)] = ProbeTarget(
                ready, "vip", target.name or known.name, target.port
            )
    return list(out.values())
