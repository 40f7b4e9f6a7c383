"""Predict each host's effective priority and the VRRP election's winner.

Election (RFC 5798 6.4.3 / 3768): the highest priority wins; on equal priority the
higher primary IP address wins -- but only between routers electing at the same
time: a backup preempts only with a *higher* priority, so an incumbent master at
the top priority keeps the VIP against an equal one. With ``nopreempt`` a live
master keeps it against any backup. Hosts known not to run keepalived (they
resigned or fell silent as master and have not advertised since) cannot win.
"""

from __future__ import annotations

import ipaddress
from collections.abc import Iterable, Mapping
from dataclasses import dataclass, replace

from vrrptop.priority.file import PriorityFile
from vrrptop.priority.scheme import SchemeLike, effective_priority, rank_of


def health_ok(value: object) -> bool | None:
    """Normalise a health value: bool, None (unknown) or anything with ``.ok``."""
    if value is None or isinstance(value, bool):
        return value
    ok = getattr(value, "ok", None)
    return ok if isinstance(ok, bool) or ok is None else bool(ok)


@dataclass(frozen=True, slots=True)
class HostPrediction:
    """What one host should advertise for one instance, and why."""

    name: str
    line: int | None
    """Line the seed script's grep finds (None: not in service by grep)."""
    listed_line: int | None
    """Line where the host is mentioned at all (``#host`` included)."""
    in_service: bool
    healthy: bool | None
    """DNS health as given (None = unknown, assumed OK)."""
    rank: int | None
    priority: int
    reason: str
    """One short phrase: "rank 4", "out of service", "DNS failing", ..."""


@dataclass(frozen=True, slots=True)
class Prediction:
    """Expected priorities and master for one instance."""

    hosts: tuple[HostPrediction, ...]
    master: str | None
    """Host name expected to win; None when nobody is known or the tie is unresolved."""
    tie: tuple[str, ...] = ()
    """Hosts tied at the top priority when addresses were missing to break the tie."""
    reasons: tuple[str, ...] = ()

    def priority_of(self, name: str) -> int | None:
        """Expected priority of host ``name`` (None if not part of the prediction)."""
        for host in self.hosts:
            if host.name == name:
                return host.priority
        return None


def _host_prediction(
    file: PriorityFile, name: str, scheme: SchemeLike, health: Mapping[str, object]
) -> HostPrediction:
    listed = next((e.line for e in file.entries() if e.name == name), None)
    line = file.grep_line(name)
    healthy = health_ok(health.get(name))
    rank = None if line is None else rank_of(line, file.wc_lines, scheme)
    priority = effective_priority(rank, healthy is not False, scheme)
    if line is None:
        entries = [e for e in file.entries() if e.name == name]
        if not entries:
            reason = "not listed"
        elif all(e.disabled for e in entries):
            reason = "out of service"
        else:
            reason = "line will not match grep -x"
    elif healthy is False:
        reason = "DNS failing"
    elif rank is None or not 1 <= rank <= scheme.scripts:
        reason = f"rank {rank} has no track script (1..{scheme.scripts})"
    else:
        reason = f"rank {rank}" + (" (DNS unknown, assumed OK)" if healthy is None else "")
    return HostPrediction(name, line, listed, line is not None, healthy, rank, priority, reason)


def _ip_key(address: str) -> tuple[int, int] | None:
    try:
        ip = ipaddress.ip_address(address.split("%", 1)[0])
    except ValueError:
        return None
    return (ip.version, int(ip))


def elect(
    priorities: Mapping[str, int], addresses: Mapping[str, str] | None = None
) -> tuple[str | None, tuple[str, ...]]:
    """Winner among ``name -> priority``; ties broken by the higher primary IP.

    Returns ``(master, tie)``: ``tie`` lists the tied names when the tie could not be
    broken (an address missing), and ``master`` is then None.
    """
    if not priorities:
        return None, ()
    top = max(priorities.values())
    tied = sorted(name for name, prio in priorities.items() if prio == top)
    if len(tied) == 1:
        return tied[0], ()
    keys: dict[str, tuple[int, int]] = {}
    for name in tied:
        key = _ip_key((addresses or {}).get(name, ""))
        if key is None:
            return None, tuple(tied)
        keys[name] = key
    return max(tied, key=keys.__getitem__), ()


def predict(
    file: PriorityFile,
    scheme: SchemeLike,
    health: Mapping[str, object] | None = None,
    *,
    addresses: Mapping[str, str] | None = None,
    extra_hosts: Iterable[str] = (),
    incumbent: str | None = None,
    nopreempt: bool = False,
    absent: Mapping[str, str] | None = None,
    known: Mapping[str, int] | None = None,
) -> Prediction:
    """Expected priority of every host in ``file`` (plus ``extra_hosts``, cluster
    members not listed, who run at base) and the expected master.

    ``health`` maps host name -> bool / None / object with ``.ok``; ``addresses``
    maps host name -> primary address in the instance's family (for ties);
    ``incumbent`` is the current master's host name (None: none, or unknown);
    ``absent`` maps hosts whose keepalived is known not to run to why; ``known``
    maps hosts to the effective priority their own keepalived reports (this node's,
    read from its dump): the election uses it instead of the file's guess, while
    each host's expected priority stays the file's (so a script that does not do
    what the file says is still seen).
    """
    health = health or {}
    absent = absent or {}
    known = known or {}
    names = list(dict.fromkeys([*file.hosts(), *extra_hosts]))
    hosts = tuple(_host_prediction(file, name, scheme, health) for name in names)
    hosts = tuple(
        replace(h, reason=f"{h.reason}; {absent[h.name]}") if h.name in absent else h for h in hosts
    )
    candidates = {h.name: known.get(h.name, h.priority) for h in hosts if h.name not in absent}
    reasons: list[str] = [
        f"{h.name}: its keepalived reports priority {known[h.name]} (the file gives {h.priority})"
        for h in hosts
        if h.name in known and known[h.name] != h.priority and h.name not in absent
    ]
    master: str | None
    tie: tuple[str, ...] = ()
    top = max(candidates.values(), default=None)
    if nopreempt and incumbent in candidates:
        master = incumbent
        reasons.append(f"nopreempt: the current master {incumbent} keeps the VIP")
    elif incumbent in candidates and candidates[incumbent] == top:
        master = incumbent
        if sum(1 for p in candidates.values() if p == top) > 1:
            reasons.append(f"equal priorities {top}: the current master {incumbent} keeps it")
    else:
        master, tie = elect(candidates, addresses)
    if tie:
        reasons.append(f"tie at priority {top} (addresses unknown): " + ", ".join(tie))
    if hosts and all(h.priority == scheme.base for h in hosts):
        reasons.append("no host gets a rank bonus: every host is at the base priority")
    for name, why in absent.items():
        if name in names:
            reasons.append(f"{name} cannot win: {why}")
    return Prediction(hosts, master, tie, tuple(reasons))
