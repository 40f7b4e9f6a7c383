"""Reverse (PTR) names of advert sources, for display.

``getnameinfo`` goes through the C library, so /etc/hosts and nsswitch are honoured
(a lab or a small site often names its routers only there). Lookups run on
background threads; ``lookup`` never blocks. Names come back sanitised.
"""

from __future__ import annotations

import ipaddress
import socket
from collections.abc import Callable

from vrrptop.options import Options
from vrrptop.probe.lookup_cache import LookupCache
from vrrptop.probe.sanitize import safe_name


def getnameinfo_ptr(address: str) -> str | None:
    """The name of ``address`` via the system resolver, or None if it has none."""
    infos = socket.getaddrinfo(address, 0, type=socket.SOCK_DGRAM, flags=socket.AI_NUMERICHOST)
    sockaddr = infos[0][4]
    host, _ = socket.getnameinfo(sockaddr, socket.NI_NAMEREQD)
    return host or None


class ReverseNames:
    """Cache of ``address -> name`` filled asynchronously.

    ``enabled=False`` (``-n``) makes every lookup return None without any query.
    ``on_update(address, name)`` is called from a worker thread when a lookup
    completes (e.g. to ask the UI to refresh). ``resolver`` is replaceable in tests.
    """

    def __init__(
        self,
        *,
        enabled: bool = True,
        ttl: float = 3600.0,
        negative_ttl: float = 300.0,
        max_entries: int = 4096,
        on_update: Callable[[str, str | None], None] | None = None,
        resolver: Callable[[str], str | None] = getnameinfo_ptr,
    ) -> None:
        self.enabled = enabled
        self._resolver = resolver
        self._cache: LookupCache[str, str] = LookupCache(
            self._resolve,
            ttl=ttl,
            negative_ttl=negative_ttl,
            max_entries=max_entries,
            on_update=on_update,
            thread_name="vrrptop-ptr",
        )

    @classmethod
    def from_options(
        cls, options: Options, on_update: Callable[[str, str | None], None] | None = None
    ) -> ReverseNames:
        """Enabled unless ``-n`` (``options.numeric``)."""
        return cls(enabled=not options.numeric, on_update=on_update)

    def _resolve(self, address: str) -> str | None:
        name = self._resolver(address)
        if not name:
            return None
        name = safe_name(name.rstrip("."))
        # getnameinfo falls back to the numeric form for some families: not a name.
        return None if name == address.split("%")[0] else name

    def lookup(self, address: str) -> str | None:
        """The cached name (sanitised) or None; schedules a lookup on a miss."""
        if not self.enabled or not _is_address(address):
            return None
        return self._cache.get(address)

    def close(self) -> None:
        """Stop the lookup threads."""
        self._cache.close()


def _is_address(text: str) -> bool:
    # Only literal addresses are looked up: never let a name from the wire or a
    # file turn into a forward query.
    try:
        ipaddress.ip_address(text.split("%", 1)[0])
    except ValueError:
        return False
    return True
