"""Memory bounds of the tracker, so a flood of junk cannot grow it without limit.

Every table is capped; when a cap is reached the least recently seen entries are
evicted in a batch of ``EVICT_FRACTION`` of the cap (amortised O(1) per insert even
under a flood) and counted in ``Counters.evicted``. The master history and the gap
statistics are rings instead: they keep the newest entries by design, and their
rollover is not an eviction (nothing the operator is still watching is lost).

=====================  =====  ============================================
table                  cap    note
=====================  =====  ============================================
instances              4096   (VLAN, VRID, family): 510 real ones per VLAN
sources per instance   64     routers advertising one VRID/family
master history         256    MasterTerm ring per instance
VIP holders            1024   address -> MAC from GARP / unsolicited NA
CARP vhids             1024   (vhid, family) already reported
malformed reasons      256    distinct reasons; the rest count as "other"
=====================  =====  ============================================

Hosts are derived from the per-instance source tables at snapshot time, so they are
bounded by instances x sources.
"""

from __future__ import annotations

from collections.abc import Callable
from typing import TypeVar

K = TypeVar("K")
V = TypeVar("V")

MAX_INSTANCES = 4096
"""8 VLANs of 255 VRIDs x 2 families. A trunk with more instances than the cap
thrashes: every advert of an evicted instance makes it anew (a false new master),
and at 1,024 a 2,000-instance trunk cost 24 µs an advert (``bench_scale.py``)."""
MAX_SOURCES = 64
MAX_HISTORY = 256
MAX_VIP_HOLDERS = 1024
MAX_NEIGHBOURS = 1024
MAX_CARP = 1024
MAX_MALFORMED_REASONS = 256
#: Evict this fraction of a full table at once (at least one entry).
EVICT_FRACTION = 8


def evict_oldest(table: dict[K, V], age: Callable[[V], float], keep: K | None = None) -> int:
    """Drop the least recent ``len/EVICT_FRACTION`` entries (by ``age``) from ``table``.

    ``keep`` is never evicted (the current master).  Returns how many were dropped.
    """
    n = max(1, len(table) // EVICT_FRACTION)
    victims = sorted((k for k in table if k != keep), key=lambda k: age(table[k]))[:n]
    for k in victims:
        del table[k]
    return len(victims)
