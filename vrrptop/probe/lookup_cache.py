"""A bounded, expiring cache whose misses are filled by a small thread pool.

Name lookups through the C library (``getnameinfo``/``getaddrinfo``) honour
/etc/hosts and nsswitch but block, sometimes for seconds; callers on the capture
or UI thread must never wait for them. ``LookupCache.get`` answers from the cache
or returns None at once and queues the lookup; failures are cached too (negative
caching) so an unresolvable key is not retried on every frame.
"""

from __future__ import annotations

import logging
import queue
import threading
import time
from collections import OrderedDict
from collections.abc import Callable, Hashable
from typing import Generic, TypeVar

log = logging.getLogger(__name__)

K = TypeVar("K", bound=Hashable)
V = TypeVar("V")


class LookupCache(Generic[K, V]):
    """LRU of ``key -> value | None`` with expiry; misses resolved in the background.

    ``resolve(key)`` runs in a worker thread and returns the value, or None (or
    raises) for "no answer", cached for ``negative_ttl``. ``on_update(key, value)``
    is called from the worker thread after each completed lookup.
    """

    def __init__(
        self,
        resolve: Callable[[K], V | None],
        *,
        ttl: float,
        negative_ttl: float,
        max_entries: int = 4096,
        max_pending: int = 256,
        workers: int = 4,
        on_update: Callable[[K, V | None], None] | None = None,
        clock: Callable[[], float] = time.monotonic,
        thread_name: str = "vrrptop-lookup",
    ) -> None:
        self._resolve = resolve
        self._ttl = ttl
        self._negative_ttl = negative_ttl
        self._max_entries = max_entries
        self._max_pending = max_pending
        self._on_update = on_update
        self._clock = clock
        self._lock = threading.Lock()
        self._entries: OrderedDict[K, tuple[float, V | None]] = OrderedDict()
        self._pending: set[K] = set()
        # Daemon threads, not a ThreadPoolExecutor: its workers are joined at
        # interpreter exit, and a hung resolver would then delay quitting.
        self._queue: queue.SimpleQueue[K | None] = queue.SimpleQueue()
        self._workers = workers
        self._threads: list[threading.Thread] = []
        self._thread_name = thread_name
        self._closed = False

    def get(self, key: K) -> V | None:
        """Cached value (also stale, while it is refreshed) or None; never blocks."""
        now = self._clock()
        with self._lock:
            hit = self._entries.get(key)
            if hit is not None:
                self._entries.move_to_end(key)
                expires, value = hit
                if expires > now:
                    return value
            self._schedule(key)
            return None if hit is None else hit[1]

    def peek(self, key: K) -> tuple[bool, V | None]:
        """(known, value) from the cache only: no lookup is scheduled."""
        with self._lock:
            hit = self._entries.get(key)
            return (False, None) if hit is None else (True, hit[1])

    def resolve_now(self, key: K) -> V | None:
        """Blocking lookup in the caller's thread, unless fresh in the cache (for
        start-up code, never for the capture or UI threads)."""
        with self._lock:
            hit = self._entries.get(key)
        if hit is not None and hit[0] > self._clock():
            return hit[1]
        return self._lookup(key)

    def _schedule(self, key: K) -> None:
        # Caller holds the lock.
        if self._closed or key in self._pending or len(self._pending) >= self._max_pending:
            return  # over the limit: the next get() will try again
        self._pending.add(key)
        if len(self._threads) < min(self._workers, len(self._pending)):
            thread = threading.Thread(
                target=self._worker, name=f"{self._thread_name}-{len(self._threads)}", daemon=True
            )
            self._threads.append(thread)
            thread.start()
        self._queue.put(key)

    def _worker(self) -> None:
        while True:
            key = self._queue.get()
            if key is None or self._closed:
                return
            self._lookup(key)

    def _lookup(self, key: K) -> V | None:
        failed = False
        try:
            value = self._resolve(key)
        except Exception as exc:  # a failed lookup is an answer too: "no name"
            log.debug("lookup of %r failed: %s", key, exc)
            value, failed = None, True
        ttl = self._ttl if value is not None else self._negative_ttl
        with self._lock:
            if failed and (old := self._entries.get(key)) is not None and old[1] is not None:
                # The resolver failed (timeout, server unreachable), it did not say
                # "no such name": keep serving the last answer and retry soon, so a
                # DNS hiccup never turns every host into "names-unresolved".
                value = old[1]
            self._pending.discard(key)
            self._entries[key] = (self._clock() + ttl, value)
            self._entries.move_to_end(key)
            while len(self._entries) > self._max_entries:
                self._entries.popitem(last=False)
        if self._on_update is not None:
            try:
                self._on_update(key, value)
            except Exception:
                log.exception("lookup update callback failed")
        return value

    def clear(self) -> None:
        """Forget every cached answer."""
        with self._lock:
            self._entries.clear()

    def close(self) -> None:
        """Stop the workers (without waiting: a running lookup finishes alone)."""
        with self._lock:
            self._closed = True
            threads = len(self._threads)
        for _ in range(threads):
            self._queue.put(None)

    def __len__(self) -> int:
        with self._lock:
            return len(self._entries)
