"""Host names <-> addresses: the configuration's ``[hosts]`` table, then a resolver.

Priority files name hosts, adverts carry addresses. Resolution itself (sockets,
/etc/hosts) is the caller's business: it injects ``resolve``; this class only
caches and never raises.
"""

from __future__ import annotations

import ipaddress
from collections.abc import Callable, Mapping, Sequence

Resolver = Callable[[str], Sequence[str] | None]
"""``resolve(name) -> addresses`` (None or raising means "unknown"), e.g.
``vrrptop.probe.hosts.HostResolver.lookup`` (non-blocking)."""


def normalise(address: str) -> str:
    """Canonical text of an IP address (scope id dropped); other text unchanged."""
    try:
        return str(ipaddress.ip_address(address.split("%", 1)[0]))
    except ValueError:
        return address


def family_of(address: str) -> int:
    """4 or 6."""
    return 6 if ":" in address else 4


class HostMap:
    """Name -> addresses (config table first, then ``resolve``) and back."""

    def __init__(
        self, hosts: Mapping[str, Sequence[str]] | None = None, resolve: Resolver | None = None
    ) -> None:
        self._hosts = hosts or {}
        self._resolve = resolve
        self._cache: dict[str, tuple[str, ...]] = {}
        self._reverse: dict[str, str] = {}
        for name in self._hosts:
            self.addresses(name)

    def addresses(self, name: str) -> tuple[str, ...]:
        """Known addresses of ``name`` (cached; empty when unknown)."""
        if name not in self._cache:
            found: Sequence[str] = self._hosts.get(name, ())
            if not found and self._resolve is not None:
                try:
                    found = self._resolve(name) or ()
                except Exception:  # a resolver failure means "unknown", never a crash
                    found = ()
            self._cache[name] = tuple(normalise(a) for a in found)
            for addr in self._cache[name]:
                self._reverse.setdefault(addr, name)
        return self._cache[name]

    def primary(self, name: str, family: int) -> str | None:
        """First address of ``name`` in ``family`` (VRRP's tie-break address)."""
        return next((a for a in self.addresses(name) if family_of(a) == family), None)

    def name_of(self, address: str | None) -> str | None:
        """The host name an address belongs to, among names looked up so far."""
        if address is None:
            return None
        return self._reverse.get(normalise(address))
