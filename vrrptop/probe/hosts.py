"""Host name -> addresses, for the hosts named in priority files.

Resolved through the system resolver (``getaddrinfo``: /etc/hosts, nsswitch, DNS)
on background threads and cached with a TTL, so the DNS probes can follow a
host's addresses without ever blocking the caller.
"""

from __future__ import annotations

import socket
from collections.abc import Callable

from vrrptop.probe.lookup_cache import LookupCache

Addresses = tuple[str, ...]


#: getaddrinfo's answers that the name has no address (rather than a failure to ask).
_NO_SUCH_NAME = {socket.EAI_NONAME, getattr(socket, "EAI_NODATA", socket.EAI_NONAME)}


def getaddrinfo_addresses(name: str) -> Addresses | None:
    """Every address of ``name`` (IPv4 and IPv6, resolver order, no duplicates);
    None when the resolver says it has none. A failure to ask (EAI_AGAIN: a timeout,
    no server) raises, so the cache keeps the last answer."""
    try:
        infos = socket.getaddrinfo(name, None, type=socket.SOCK_STREAM)
    except socket.gaierror as exc:
        if exc.errno in _NO_SUCH_NAME:
            return None
        raise
    seen: dict[str, None] = {}
    for _family, _type, _proto, _canon, sockaddr in infos:
        address = str(sockaddr[0])
        if len(sockaddr) == 4 and sockaddr[3]:  # IPv6 with a scope: keep it usable
            address = f"{address.split('%')[0]}%{sockaddr[3]}"
        seen.setdefault(address, None)
    return tuple(seen) or None


class HostResolver:
    """Cache of ``host name -> addresses`` filled asynchronously.

    ``lookup`` never blocks (None until resolved, or when the name does not
    resolve); ``resolve`` blocks, for start-up code. ``static`` maps names to
    addresses from the configuration and wins over the resolver (``hosts`` table
    of the config file, for names that do not resolve).
    """

    def __init__(
        self,
        *,
        static: dict[str, Addresses] | None = None,
        ttl: float = 300.0,
        negative_ttl: float = 30.0,
        on_update: Callable[[str, Addresses | None], None] | None = None,
        resolver: Callable[[str], Addresses | None] = getaddrinfo_addresses,
    ) -> None:
        self._static = {k: tuple(v) for k, v in (static or {}).items()}
        self._cache: LookupCache[str, Addresses] = LookupCache(
            resolver,
            ttl=ttl,
            negative_ttl=negative_ttl,
            on_update=on_update,
            thread_name="vrrptop-hosts",
        )

    def lookup(self, name: str) -> Addresses | None:
        """Cached addresses of ``name`` or None; schedules a lookup when missing
        or expired (the stale answer is returned meanwhile)."""
        if name in self._static:
            return self._static[name]
        return self._cache.get(name)

    def resolve(self, name: str) -> Addresses | None:
        """Addresses of ``name``, resolving now if needed (blocks)."""
        if name in self._static:
            return self._static[name]
        return self._cache.resolve_now(name)

    def close(self) -> None:
        """Stop the lookup threads."""
        self._cache.close()
