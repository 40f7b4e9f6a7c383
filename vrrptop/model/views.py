"""Turn the tracker's mutable state into the immutable views of ``snapshot.py``.

Parts of an instance view that only change with adverts (source table, master
history, gap statistics, problem counts) are cached on the instance and rebuilt only
when it is dirty, so a snapshot of 500 quiet instances costs little more than
building 500 small objects.  Hosts are derived here from the per-instance source
tables: every source IP is a host, joined with other addresses by real MAC
(keepalived sends IPv4 and IPv6 adverts from the real MAC), never by a VRRP virtual
MAC, which every router of a VRID may share.
"""

from __future__ import annotations

import ipaddress
from collections.abc import Collection, Iterable
from functools import lru_cache
from typing import Any

from vrrptop.model.conflicts import WINDOW_S
from vrrptop.model.instance import Instance
from vrrptop.model.snapshot import (
    GapStats,
    HostView,
    InstanceState,
    InstanceView,
    MasterTerm,
    SourceView,
    VipHolder,
)
from vrrptop.model.timers import is_virtual_mac, virtual_mac


class Holder:
    """Who last announced an address (mutable; ``VipHolder`` is its view)."""

    __slots__ = ("address", "mac", "ts")

    def __init__(self, address: str, mac: str, ts: float) -> None:
        self.address = address
        self.mac = mac
        self.ts = ts


class _Parts:
    """Cached advert-dependent parts of an ``InstanceView``."""

    __slots__ = ("sources", "masters", "splits", "terms_version", "gaps", "problems", "mismatch")

    def __init__(self, inst: Instance) -> None:
        order = sorted(inst.sources.values(), key=lambda s: (-s.priority, -s.ip))
        self.sources = tuple(
            SourceView(
                s.src,
                s.mac,
                s.priority,
                s.interval_cs,
                s.addresses,
                s.version,
                s.first_seen,
                s.last_seen,
                s.adverts,
                s.last_master,
            )
            for s in order
        )
        cached = inst.cache
        if cached is not None and cached.terms_version == inst.terms_version:
            self.masters = cached.masters  # history changes rarely: reuse it
            self.splits = cached.splits
        else:
            terms = inst.terms
            self.masters = tuple(
                MasterTerm(t.src, t.since, t.until, t.priority, t.mac, t.ended) for t in terms
            )
            self.splits = tuple(inst.splits)
        self.terms_version = inst.terms_version
        self.gaps: GapStats = inst.gaps.view()
        self.problems = dict(inst.problems)
        self.mismatch: dict[str, dict[str, Any]] = {k: dict(v) for k, v in inst.mismatch.items()}


def holder_is_master(inst: Instance, mac: str) -> bool | None:
    """True when ``mac`` is the master's MAC or this VRID's virtual MAC; None if unknown."""
    if mac in (virtual_mac(inst.vrid, 4), virtual_mac(inst.vrid, 6)):
        return True
    m = inst.master
    if m is None or m.mac is None:
        return None
    return mac == m.mac


def instance_state(inst: Instance, now: float) -> InstanceState:
    """The state word at ``now`` (worst first: split brain, silent, resigned, ...)."""
    m = inst.master
    if inst.split and sum(1 for s in inst.sources.values() if s.expiry > now) >= 2:
        return "split-brain"
    if m is None or inst.master_state == "resigned":
        return "resigned"
    if inst.master_state == "silent" or now >= m.expiry:
        return "silent"
    if inst.mismatch or inst.auth_mismatch:
        return "mismatch"
    if now - inst.last_cksum_error <= WINDOW_S:
        return "checksum-errors"
    return "ok"


def instance_view(
    inst: Instance, now: float, holders: dict[tuple[str, int | None], Holder]
) -> InstanceView:
    """The immutable view of ``inst`` at ``now``."""
    parts: _Parts | None = inst.cache
    if parts is None or inst.dirty:
        parts = inst.cache = _Parts(inst)
        inst.dirty = False
    m = inst.master
    ref = m if m is not None else next(iter(inst.sources.values()), None)
    last = inst.last_advert
    addresses = ref.addresses if ref is not None else ()
    vips = []
    for a in addresses:
        h = holders.get((a, inst.vlan))
        if h is not None:
            vips.append(VipHolder(a, h.mac, h.ts, holder_is_master(inst, h.mac)))
    return InstanceView(
        vrid=inst.vrid,
        family=inst.family,
        vlan=inst.vlan,
        version=ref.version if ref is not None else 0,
        state=instance_state(inst, now),
        master=m.src if m is not None else None,
        master_mac=m.mac if m is not None else None,
        priority=m.priority if m is not None else None,
        interval_cs=ref.interval_cs if ref is not None else 0,
        addresses=addresses,
        auth_type=ref.auth_type if ref is not None else None,
        first_seen=inst.first_seen,
        last_seen=inst.last_seen,
        age_s=now - (m.last_seen if m is not None else inst.last_seen),
        master_down_s=m.mdi if m is not None else 0.0,
        adverts=inst.adverts,
        checksum_variant=last.checksum_variant if last is not None else None,
        checksum_errors=inst.checksum_errors,
        masters=parts.masters,
        splits=parts.splits,
        sources=parts.sources,
        gaps=parts.gaps,
        vip_holders=tuple(vips),
        problems=parts.problems,
        last_advert=last,
        split_sources=inst.split,
        mismatch=parts.mismatch,
        auth_mismatch=inst.auth_mismatch,
    )


@lru_cache(maxsize=4096)
def eui64_mac(address: str) -> str | None:
    """The MAC a modified-EUI-64 IPv6 address embeds (``fe80::76:6cff:fe00:b`` ->
    ``02:76:6c:00:00:0b``), else None. keepalived's IPv6 adverts come from the
    interface's link-local address, by default EUI-64 of its real MAC -- also with
    ``use_vmac``, whose adverts carry the virtual MAC -- so it names the router."""
    try:
        packed = ipaddress.IPv6Address(address.split("%", 1)[0]).packed
    except ValueError:
        return None
    if packed[11:13] != b"\xff\xfe":
        return None
    mac = bytes((packed[8] ^ 0x02, packed[9], packed[10], packed[13], packed[14], packed[15]))
    return None if mac[0] & 1 else mac.hex(":")  # a group address is no interface


def host_views(
    instances: Iterable[Instance],
    neighbours: Iterable[Holder] = (),
    vips: Collection[str] = (),
) -> tuple[HostView, ...]:
    """Hosts: source IPs joined by real (non-virtual) MAC across all instances.

    Evidence joining a source to a MAC: its adverts' source MAC (never a virtual
    one), the MAC a link-local EUI-64 source embeds, and ``neighbours`` -- addresses
    whose own ARP reply / solicited NA gave their MAC (typically answering vrrptop's
    probes). A neighbour joins a host only through a MAC or address a router
    already shows, and a VIP (``vips``) never joins: it moves between hosts."""
    parent: dict[str, str] = {}

    def find(x: str) -> str:
        """Union-find root of node ``x`` ("a"+address or "m"+MAC)."""
        root = x
        while parent.setdefault(root, root) != root:
            root = parent[root]
        while parent[x] != root:  # path compression keeps later finds O(1)
            parent[x], x = root, parent[x]
        return root

    def union(a: str, b: str) -> None:
        ra, rb = find(a), find(b)
        if ra != rb:
            parent[rb] = ra

    entries = []
    for inst in instances:
        for s in inst.sources.values():
            entries.append((inst, s))
            node = "a" + s.src
            find(node)
            if s.mac is not None and not is_virtual_mac(s.mac):
                union(node, "m" + s.mac)
            embedded = eui64_mac(s.src) if inst.family == 6 else None
            if embedded is not None and not is_virtual_mac(embedded):
                union(node, "m" + embedded)
    joined: list[Holder] = []
    for n in neighbours:
        if n.address in vips or is_virtual_mac(n.mac):
            continue
        a, m = "a" + n.address, "m" + n.mac
        if a in parent or m in parent:
            union(a, m)
            joined.append(n)
    extra: dict[str, list[Holder]] = {}
    for n in joined:
        extra.setdefault(find("a" + n.address), []).append(n)
    groups: dict[str, list[Any]] = {}
    for inst, s in entries:
        groups.setdefault(find("a" + s.src), []).append((inst, s))
    hosts: list[tuple[tuple[int, int], HostView]] = []
    for members in groups.values():
        addrs: dict[str, tuple[int, int]] = {}
        macs: set[str] = set()
        prios: dict[str, int] = {}
        masters: dict[str, float] = {}
        last_seen = float("-inf")
        for inst, s in members:
            addrs[s.src] = (inst.family, s.ip)
            if s.mac is not None:
                macs.add(s.mac)
            prios[inst.key] = s.priority
            if s.last_master is not None:
                masters[inst.key] = s.last_master
            last_seen = max(last_seen, s.last_seen)
        for n in extra.get(find("a" + members[0][1].src), ()):
            if n.address not in addrs:
                ip = ipaddress.ip_address(n.address)
                addrs[n.address] = (ip.version, int(ip))
                macs.add(n.mac)
        ordered = tuple(sorted(addrs, key=addrs.__getitem__))
        view = HostView(ordered, tuple(sorted(macs)), None, prios, masters, last_seen)
        hosts.append((addrs[ordered[0]], view))
    hosts.sort(key=lambda kv: kv[0])
    return tuple(view for _, view in hosts)
