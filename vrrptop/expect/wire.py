"""Judgements the wire alone supports, whatever was declared: split brain, a VIP
last announced by the wrong MAC, and routers of one VRID configured differently.

They need no priority file: ``expect.correlate`` adds them to configured and
unknown instances alike, and they do not wait for the election to settle.

A configuration mismatch is an alarm of its own because keepalived *drops* an
advert whose VIP list, password, version, checksum variant or (VRRPv2) interval
differs from its own ("received an unexpected ip number count", "received an
invalid passwd", "advertisement interval mismatch"). Each router then stays (or
becomes) master and holds the VIPs, while the lab measured the wire showing only
one of them advertising after a few seconds: the mismatch is the one piece of
wire evidence of that split, so it must not wait for two advertisers.
"""

from __future__ import annotations

from typing import Any

from vrrptop.config.model import InstanceConfig
from vrrptop.expect.alarm import clock, mac_who, make, who
from vrrptop.expect.facts import HostFacts
from vrrptop.expect.prediction import live_master
from vrrptop.model.expectation import Alarm, AlarmKind
from vrrptop.model.snapshot import InstanceView
from vrrptop.model.timers import virtual_mac

#: After a master change, keepalived announces the VIPs at once (GARP/NA); an
#: announcement from another MAC older than this is the clients' picture.
GARP_GRACE_S = 2.0

#: Mismatched fields (``InstanceView.mismatch``) that make keepalived drop the
#: other router's adverts, with their words. A VRRPv3 router accepts the master's
#: interval (RFC 5798 6.4.2): an interval mismatch drops adverts under VRRPv2 only.
_DROPPING: dict[str, str] = {
    "addresses": "VIP lists",
    "interval": "advert intervals (VRRPv2)",
    "version": "VRRP versions",
    "auth-type": "authentication types",
    "checksum": "checksum variants (v3_checksum_as_v2)",
}


def wire_alarms(
    inst: InstanceConfig | None, view: InstanceView, facts: HostFacts, now: float, label: str
) -> list[Alarm]:
    """Every wire-only alarm on one instance."""
    out = _split_brain(inst, view, facts, label)
    out.extend(_config_mismatch(inst, view, facts, label))
    out.extend(_stale_holders(inst, view, facts, now, label))
    return out


def _split_brain(
    inst: InstanceConfig | None, view: InstanceView, facts: HostFacts, label: str
) -> list[Alarm]:
    split = len(view.split_sources) > 1 and view.state != "silent"
    if view.state != "split-brain" and not split:
        return []
    who_all = ", ".join(who(facts, s) for s in view.split_sources) or "several routers"
    return [
        make(
            AlarmKind.SPLIT_BRAIN,
            f"{label}: split brain, {who_all} all advertise as master",
            label,
            view.key,
            inst.name if inst else view.name,
            sources=" ".join(view.split_sources),
        )
    ]


def _values(facts: HostFacts, values: dict[str, Any]) -> str:
    parts = []
    for src, value in sorted(values.items()):
        shown = " ".join(map(str, value)) if isinstance(value, list | tuple) else str(value)
        parts.append(f"{who(facts, src)} {shown or '(none)'}")
    return "; ".join(parts)


def _config_mismatch(
    inst: InstanceConfig | None, view: InstanceView, facts: HostFacts, label: str
) -> list[Alarm]:
    versions = {s.src: s.version for s in view.sources}
    differs: list[str] = []
    details: list[str] = []
    sources: set[str] = set()
    for field, words in _DROPPING.items():
        values = view.mismatch.get(field)
        if not values:
            continue
        if field == "interval" and any(versions.get(s, 2) != 2 for s in values):
            continue  # VRRPv3 follows the master's interval: not a drop
        differs.append(words)
        details.append(f"{field}: {_values(facts, values)}")
        sources.update(values)
    if view.auth_mismatch:
        differs.append("passwords")  # never the passwords themselves, nor their lengths
    if not differs:
        return []
    text = (
        f"{label}: routers disagree on {', '.join(differs)}"
        + (f" ({'; '.join(details)})" if details else "")
        + ": keepalived drops adverts that differ from its own configuration, so each "
        "of them may be master and hold the VIPs (a split brain the wire need not show)"
    )
    return [
        make(
            AlarmKind.CONFIG_MISMATCH,
            text,
            label,
            view.key,
            inst.name if inst else view.name,
            fields=" ".join(differs),
            sources=" ".join(sorted(sources)) or None,
        )
    ]


def _stale_holders(
    inst: InstanceConfig | None, view: InstanceView, facts: HostFacts, now: float, label: str
) -> list[Alarm]:
    master = live_master(view)
    if master is None or not view.masters:
        return []
    term_start = view.masters[-1].since
    interval = view.interval_cs / 100 if view.interval_cs else 1.0
    if now - term_start < GARP_GRACE_S + interval:
        return []
    out: list[Alarm] = []
    vmacs = (virtual_mac(view.vrid, 4), virtual_mac(view.vrid, 6))
    for holder in view.vip_holders:
        if holder.holder_is_master is not False or holder.mac in vmacs:
            continue
        out.append(
            make(
                AlarmKind.VIP_HOLDER_NOT_MASTER,
                f"{label}: VIP {holder.address} was last announced by "
                f"{mac_who(facts, holder.mac)} at {clock(holder.ts)}, not by the master "
                f"{who(facts, master)}: clients that took that announcement send to the "
                "wrong host until their ARP/ND caches expire (keepalived does not re-announce "
                "after a split brain heals; a reload of keepalived on the master does)",
                holder.address,
                view.key,
                inst.name if inst else view.name,
                holder_mac=holder.mac,
                master_mac=view.master_mac,
                announced=holder.ts,
            )
        )
    return out
