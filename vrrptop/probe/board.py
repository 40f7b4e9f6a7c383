"""Per-target health summary built from probe results.

The probe thread writes, the UI and the engine read; a lock guards the table and
readers get frozen ``TargetHealth`` views they can keep.
"""

from __future__ import annotations

import threading
from collections import deque
from collections.abc import Iterable

from vrrptop.model.health import ProbeResult, ProbeTarget, TargetHealth

__all__ = ["HealthBoard", "TargetHealth"]


class _Entry:
    __slots__ = (
        "target",
        "history",
        "consecutive_failures",
        "ok_since",
        "failing_since",
        "probes",
        "failures",
    )

    def __init__(self, target: ProbeTarget, size: int) -> None:
        self.target = target
        self.history: deque[ProbeResult] = deque(maxlen=size)
        self.consecutive_failures = 0
        self.ok_since: float | None = None
        self.failing_since: float | None = None
        self.probes = 0
        self.failures = 0

    def view(self) -> TargetHealth:
        return TargetHealth(
            target=self.target,
            last=self.history[-1] if self.history else None,
            consecutive_failures=self.consecutive_failures,
            ok_since=self.ok_since,
            failing_since=self.failing_since,
            probes=self.probes,
            failures=self.failures,
            history=tuple(self.history),
        )


class HealthBoard:
    """Thread-safe table ``(address, port) -> health`` of the probed targets.

    ``ProbeRunner`` keeps one up to date; a consumer that only receives results
    (the UI, as messages) can keep its own by calling ``record``.
    """

    def __init__(self, history: int = 60) -> None:
        self._size = history
        self._lock = threading.Lock()
        self._entries: dict[tuple[str, int], _Entry] = {}

    def set_targets(self, targets: Iterable[ProbeTarget]) -> None:
        """Keep exactly these targets: new ones start empty, dropped ones are
        forgotten, known ones keep their history (role/name are updated)."""
        wanted = {t.key: t for t in targets}
        with self._lock:
            for key in list(self._entries):
                if key not in wanted:
                    del self._entries[key]
            for key, target in wanted.items():
                entry = self._entries.get(key)
                if entry is None:
                    self._entries[key] = _Entry(target, self._size)
                else:
                    entry.target = target

    def record(self, result: ProbeResult) -> TargetHealth:
        """Add a result (creating the target's entry if needed); returns its view."""
        key = result.target.key
        with self._lock:
            entry = self._entries.get(key)
            if entry is None:
                entry = self._entries[key] = _Entry(result.target, self._size)
            entry.history.append(result)
            entry.probes += 1
            if result.ok:
                entry.consecutive_failures = 0
                entry.failing_since = None
                if entry.ok_since is None:
                    entry.ok_since = result.ts
            else:
                entry.failures += 1
                entry.consecutive_failures += 1
                entry.ok_since = None
                if entry.failing_since is None:
                    entry.failing_since = result.ts
            return entry.view()

    def standing(self, key: tuple[str, int]) -> bool | None:
        """Was the target's last probe ok? None before its first result (the
        prober picks a concurrency pool with this)."""
        with self._lock:
            entry = self._entries.get(key)
            if entry is None or not entry.history:
                return None
            return entry.history[-1].ok

    def get(self, address: str, port: int = 53) -> TargetHealth | None:
        """Health of one target, None if unknown."""
        with self._lock:
            entry = self._entries.get((address, port))
            return None if entry is None else entry.view()

    def snapshot(self) -> dict[tuple[str, int], TargetHealth]:
        """Health of every target, keyed by ``(address, port)``."""
        with self._lock:
            return {key: entry.view() for key, entry in self._entries.items()}

    def __len__(self) -> int:
        with self._lock:
            return len(self._entries)
