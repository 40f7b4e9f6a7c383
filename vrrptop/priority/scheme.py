"""The seed's rank scheme: line number -> rank -> effective VRRP priority.

Seed (``named_check TYPE NUM PRIO``, one ``vrrp_script`` per PRIO 1..4, weight
PRIO*step): the script for PRIO succeeds only on the host whose rank is PRIO and
whose DNS works, so the host's priority is ``base + step*rank``, or ``base``
when it is out of service, broken, or its rank has no script.

Rank: for direction (NUM) 0 a later line is higher: ``rank = line``. For NUM 1 an
earlier line is higher: the seed script computes ``5 - line``, whatever the file's
length: ``rank = span + 1 - line`` with ``span`` read from the script when it is
readable (``config.derive.script_span``), else the number of rank scripts (4 in
the seed). A script that counts the file instead (``$(( $(wc -l < f) + 1 - $prio ))``)
has ``span_lines``: N is then what ``wc -l`` prints for the file (its newlines, so
an unterminated last line is not counted) plus that offset. Comment lines keep
their line numbers, so adding one shifts the ranks exactly as the real script
does -- the prediction must follow the script, not an idealised mirror. keepalived
clamps priorities to 1..254.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Protocol

MIN_PRIORITY = 1
MAX_PRIORITY = 254
"""keepalived never advertises more than 254 for a tracked (non-owner) instance."""


class SchemeLike(Protocol):
    """Anything carrying the scheme parameters (``Scheme`` or a config instance)."""

    @property
    def direction(self) -> int: ...
    @property
    def base(self) -> int: ...
    @property
    def step(self) -> int: ...
    @property
    def scripts(self) -> int: ...
    @property
    def span(self) -> int | None: ...
    @property
    def span_lines(self) -> int | None: ...


@dataclass(frozen=True, slots=True)
class Scheme:
    """Parameters of one instance's priority scheme (seed defaults)."""

    direction: int = 0
    """The seed's NUM: 0 = later line higher rank, 1 = earlier line higher."""
    base: int = 50
    step: int = 50
    scripts: int = 4
    """Number of track scripts (ranks 1..scripts get a bonus)."""
    span: int | None = None
    """Constant N of ``rank = N + 1 - line`` for direction 1; None = ``scripts``."""
    span_lines: int | None = None
    """When set, N = the file's ``wc -l`` + this offset (overrides ``span``)."""


def rank_of(line: int, wc_lines: int, scheme: SchemeLike) -> int:
    """Rank of a host on 1-based ``line`` of a file for which ``wc -l`` prints
    ``wc_lines`` (used only by a ``span_lines`` scheme)."""
    if scheme.direction == 1:
        if scheme.span_lines is not None:
            span = wc_lines + scheme.span_lines
        else:
            span = scheme.scripts if scheme.span is None else scheme.span
        return span + 1 - line
    return line


def clamp(priority: int) -> int:
    """keepalived's clamp of an effective priority to 1..254."""
    return max(MIN_PRIORITY, min(MAX_PRIORITY, priority))


def effective_priority(rank: int | None, healthy: bool, scheme: SchemeLike) -> int:
    """``base + step*rank`` when in service, healthy and 1 <= rank <= scripts; else base."""
    if rank is not None and healthy and 1 <= rank <= scheme.scripts:
        return clamp(scheme.base + scheme.step * rank)
    return clamp(scheme.base)
