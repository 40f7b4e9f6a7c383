"""Waiting for keepalived: until the masters are the expected ones, or stable.

The lab's actions return once keepalived converged; these are the loops that say so,
on the VIP holders the nodes really have (``Lab.masters``)."""

from __future__ import annotations

import time
from collections.abc import Mapping

from tests.lab.topology import node_host
from tests.lab.views import InstanceKey


class LabError(RuntimeError):
    """The lab could not do what was asked."""


class Waits:
    """Mixin of ``Lab``: the waits, over its ``masters()``."""

    def masters(self) -> dict[InstanceKey, str | None]:
        """Who holds each VIP (``Lab.masters``)."""
        raise NotImplementedError

    def wait_for_masters(
        self, expected: Mapping[str, str | None], timeout: float = 20.0
    ) -> dict[InstanceKey, str | None]:
        """Wait until each base instance's VIPs (both families) are held by its master."""
        want = {(b, f): (node_host(n).name if n else None) for b, n in expected.items()
                for f in (4, 6)}  # fmt: skip
        deadline = time.monotonic() + timeout
        while True:
            got = self.masters()
            if all(got.get(k) == v for k, v in want.items()):
                return got
            if time.monotonic() >= deadline:
                raise LabError(f"masters did not settle in {timeout}s: want {want}, got {got}")
            time.sleep(0.1)

    def wait_stable(self, timeout: float = 30.0, hold: float = 3.0) -> dict[InstanceKey, str]:
        """Wait until every instance's VIP has had one and the same holder for ``hold`` s."""
        deadline = time.monotonic() + timeout
        last: dict[InstanceKey, str | None] = {}
        since = time.monotonic()
        while time.monotonic() < deadline:
            got = self.masters()
            if got != last or any(v is None for v in got.values()):
                last, since = got, time.monotonic()
            elif time.monotonic() - since >= hold:
                return {k: v for k, v in got.items() if v is not None}
            time.sleep(0.2)
        raise LabError(f"masters not stable within {timeout}s: {last}")
