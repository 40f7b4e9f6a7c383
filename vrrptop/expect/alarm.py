"""Building one ``Alarm``: its severity from the one table, its evidence as text,
and the words that name who is involved (a host by name when known).

Every judgement module (``expect.correlate``, ``expect.wire``) builds its alarms
here, so an address reads the same in every message.
"""

from __future__ import annotations

import time

from vrrptop.expect.facts import HostFacts
from vrrptop.model.expectation import SEVERITY, Alarm, AlarmKind, InstanceKey


def clock(ts: float) -> str:
    """Wall-clock time of day of ``ts`` for a message (local time, like syslog)."""
    return time.strftime("%H:%M:%S", time.localtime(ts))


def make(
    kind: AlarmKind,
    message: str,
    subject: str,
    key: InstanceKey | None = None,
    name: str | None = None,
    **evidence: object,
) -> Alarm:
    """An alarm of ``kind`` (severity from ``SEVERITY``); None evidence is left out."""
    facts = tuple((k, str(v)) for k, v in evidence.items() if v is not None)
    return Alarm(kind, message, subject, key, name, SEVERITY[kind], 0.0, facts)


def who(facts: HostFacts, address: str | None) -> str:
    """``recdns-sby (198.51.100.13)`` when the address is joined to a host, else the
    address; ``nobody`` for None."""
    if address is None:
        return "nobody"
    name = facts.name_of(address)
    return f"{name} ({address})" if name else address


def mac_who(facts: HostFacts, mac: str) -> str:
    """``02:76:6c:00:00:0d (recdns-sby)`` when the MAC is joined to a host."""
    name = facts.name_of_mac(mac)
    return f"{mac} ({name})" if name else mac
