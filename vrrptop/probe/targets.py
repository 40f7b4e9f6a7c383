"""Which addresses to probe: the VIPs and the routers seen on the wire, plus extras.

Link-local IPv6 addresses (VRRPv3 over IPv6 advertises from, and usually lists
first, a ``fe80::`` address) can only be reached through an interface, so they
get the capture interface as scope, or are left out when there is none (replaying
a file).

Anyone on the segment can send adverts, so what is seen on the wire must not decide
where vrrptop sends DNS queries without limit (a spoofer listing 1,000 "VIPs" would
turn the monitor into a query cannon aimed at addresses of its choosing). Configured
VIPs and hosts are always probed; of the addresses only seen on the wire, at most
``MAX_DISCOVERED`` are, the earliest-seen instances' VIPs first, then routers that
were master, so a flood arriving later cannot displace the real ones.
"""

from __future__ import annotations

import ipaddress
from collections.abc import Iterable

from vrrptop.model.snapshot import Snapshot
from vrrptop.probe.types import ProbeRole, ProbeTarget

MAX_DISCOVERED = 32
"""Addresses seen only on the wire (not configured) that are probed, at most."""


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
    max_discovered: int = MAX_DISCOVERED,
) -> list[ProbeTarget]:
    """Targets for the VIPs advertised and the host addresses seen (at most
    ``max_discovered`` of those not in ``extra``), then ``extra`` (VIPs and hosts from
    the configuration, all of them); one per address, first wins, and an address
    that is a VIP anywhere is probed as a VIP."""
    extra = list(extra)
    configured = {scoped(t.address, interface) for t in extra}
    found: dict[str, tuple[ProbeRole, str | None]] = {}
    for inst in sorted(snapshot.instances, key=lambda i: i.first_seen):
        for address in inst.addresses:
            found.setdefault(address, ("vip", inst.name))
    hosts = sorted(snapshot.hosts, key=lambda h: not h.last_master)  # masters first
    for host in hosts:
        for address in host.addresses:
            found.setdefault(address, ("host", host.name))
    out: dict[tuple[str, int], ProbeTarget] = {}
    discovered = 0
    for address, (role, name) in found.items():
        ready = scoped(address, interface)
        if ready is None or (ready, 53) in out:
            continue
        if ready not in configured:
            if discovered >= max_discovered:
                continue
            discovered += 1
        out[(ready, 53)] = ProbeTarget(ready, role, name)
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
