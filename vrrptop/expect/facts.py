"""Who is who: host names joined to addresses and MACs by every evidence at hand.

Priority files name hosts; adverts carry addresses. A name maps to addresses
through the configuration's ``[hosts]`` table (link-local addresses included),
then the resolver. An address maps back to a name through those, then through
the tracker's hosts -- routers joined across addresses by their real MAC, so an
IPv6 instance advertising from ``fe80::...`` is named by the same router's IPv4
advert -- and through a PTR/config name matched by short name.

With ``use_vmac`` every master of a VRID shares the virtual MAC, which the tracker
never joins on; with ``unicast_peer`` the IPv4 adverts never reach a monitor port.
Then a link-local master may be joined to nothing: ``name_of`` says None and the
correlation says so (``names-unresolved``) instead of guessing.
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass, field
from typing import Any

from vrrptop.config.hostmap import HostMap, Resolver, family_of, normalise
from vrrptop.model.node import NodeState
from vrrptop.model.snapshot import HostView, Snapshot
from vrrptop.priority.predict import health_ok


def _short(name: str) -> str:
    return name.split(".", 1)[0]


def is_local(node: NodeState, name: str, addresses: Iterable[str]) -> bool:
    """Whether priority-file host ``name`` (known by ``addresses``) is the node whose
    keepalived ``node`` describes: by its router_id (full or short) or an address."""
    rid = node.router_id or ""
    if name and name in (rid, rid.split(".", 1)[0]):
        return True
    return bool(set(node.addresses) & set(addresses))


def known_priorities(
    node: NodeState | None, facts: HostFacts, names: Iterable[str]
) -> dict[tuple[int, int], dict[str, int]]:
    """(VRID, family) -> {this node's host name: the effective priority its keepalived
    reports}: the one backup priority the wire never shows, known for this node."""
    if node is None or node.error is not None or not node.instances:
        return {}  # nothing read, or the last read failed: its values may be stale
    local = next((n for n in names if is_local(node, n, facts.addresses(n))), None)
    if local is None:
        return {}
    return {(i.vrid, i.family): {local: i.effective_priority} for i in node.instances}


def health_by_address(health: Mapping[Any, object]) -> dict[str, object]:
    """Accept the probe board's ``(address, port)`` keys as well as addresses/names."""
    out: dict[str, object] = {}
    for key, value in health.items():
        text = str(key[0]) if isinstance(key, tuple) else str(key)
        out[text] = value
        out.setdefault(normalise(text), value)
    return out


@dataclass
class HostFacts:
    """Names, addresses, MACs and DNS health of the hosts of one snapshot."""

    names: HostMap
    health: Mapping[str, object]
    """Normalised address (or host name) -> health value (see ``health_ok``)."""
    hosts: Sequence[HostView] = ()
    known: tuple[str, ...] = ()
    """Host names the priority files and configuration declare."""
    _joined: dict[str, str] = field(default_factory=dict)
    _macs: dict[str, str] = field(default_factory=dict)

    @classmethod
    def build(
        cls,
        snapshot: Snapshot,
        known: Iterable[str],
        health: Mapping[Any, object],
        *,
        hosts: Mapping[str, Sequence[str]] | None = None,
        resolve: Resolver | None = None,
        names: HostMap | None = None,
    ) -> HostFacts:
        """Facts for ``snapshot``; ``known`` are the declared host names (``names``:
        a name map to reuse instead of one built from ``hosts`` and ``resolve``)."""
        names = names if names is not None else HostMap(hosts, resolve)
        facts = cls(names, health_by_address(health), snapshot.hosts)
        facts.known = tuple(dict.fromkeys(known))
        for name in facts.known:
            facts.names.addresses(name)  # fills the reverse map
        facts._join(snapshot.hosts)
        return facts

    def _join(self, hosts: Iterable[HostView]) -> None:
        for host in hosts:
            named = {n for a in host.addresses if (n := self.names.name_of(a)) is not None}
            if not named and host.name:
                short = _short(host.name)
                named = {n for n in self.known if n in (host.name, short) or _short(n) == short}
                if not named:
                    named = {host.name}
            if len(named) != 1:
                continue  # no evidence, or contradicting evidence: join nothing
            name = next(iter(named))
            for addr in host.addresses:
                self._joined.setdefault(normalise(addr), name)
            for mac in host.macs:
                self._macs.setdefault(mac, name)

    # -- lookups -------------------------------------------------------------------
    def addresses(self, name: str) -> tuple[str, ...]:
        """Every address ``name`` is known by (declared/resolved, then joined)."""
        own = self.names.addresses(name)
        joined = tuple(a for a, n in self._joined.items() if n == name and a not in own)
        return own + joined

    def primary(self, name: str, family: int) -> str | None:
        """First address of ``name`` in ``family`` (VRRP's tie-break): declared or
        resolved first, else one joined from the wire (never a link-local one)."""
        found = self.names.primary(name, family)
        if found is not None:
            return found
        return next(
            (
                a
                for a in self.addresses(name)
                if family_of(a) == family and not a.lower().startswith("fe80:")
            ),
            None,
        )

    def name_of(self, address: str | None) -> str | None:
        """The host an address belongs to; None when no evidence joins it."""
        if address is None:
            return None
        return self.names.name_of(address) or self._joined.get(normalise(address))

    def name_of_mac(self, mac: str | None) -> str | None:
        """The host a (real) MAC belongs to; None when unknown."""
        return None if mac is None else self._macs.get(mac)

    def healthy(self, name: str) -> bool | None:
        """A host is healthy if its name says so, else if any of its addresses answers;
        a failing address is reported only when none answers."""
        if name in self.health:
            return health_ok(self.health[name])
        values = [health_ok(self.health[a]) for a in self.addresses(name) if a in self.health]
        if any(v is True for v in values):
            return True
        return False if any(v is False for v in values) else None

    def address_healthy(self, address: str) -> bool | None:
        """Health of one probed address (a VIP); None when not probed."""
        value = self.health.get(address, self.health.get(normalise(address)))
        return health_ok(value)

    def unresolved(self, names: Iterable[str]) -> list[str]:
        """Those of ``names`` with no address at all."""
        return [n for n in names if not self.addresses(n)]
