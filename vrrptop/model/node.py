"""Typed values of what the local keepalived says about itself (``vrrptop.keepalived``).

On a keepalived node the wire shows only what masters send; keepalived knows its own
state, its base and effective priority and each track script's result. These values
carry that knowledge from the reader thread to the monitor, the console and the
outputs. Only data lives here (the model imports no reader); outputs serialise them
at their edge (``to_json``). Passwords are never kept.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

#: keepalived's state words (its ``State =`` line; its JSON numbers 0-3, 97, 98).
KA_STATES: dict[int, str] = {0: "INIT", 1: "BACKUP", 2: "MASTER", 3: "FAULT", 97: "DELETED"}
KA_STATES[98] = "STOP"

#: The error counters of keepalived's stats, as (JSON key, human label).
ERROR_COUNTERS: tuple[tuple[str, str], ...] = (
    ("auth_failure", "auth failures"),
    ("invalid_authtype", "invalid auth type"),
    ("authtype_mismatch", "auth type mismatch"),
    ("ip_ttl_err", "TTL errors"),
    ("addr_list_err", "address-list errors"),
    ("advert_interval_err", "interval errors"),
    ("packet_len_err", "length errors"),
    ("invalid_type_rcvd", "invalid type"),
)


@dataclass(frozen=True, slots=True)
class ScriptState:
    """One ``track_script`` of an instance, as keepalived runs it."""

    name: str
    ok: bool | None
    """True: the script's last result is good (keepalived's ``Status = GOOD``);
    False: failed (``BAD``); None: not known (still initialising, or no data dump)."""
    weight: int
    """The weight in this instance (``track_script`` override or the script's own)."""
    status: str = ""
    """keepalived's own word (GOOD, BAD, INIT...)."""
    reverse: bool = False
    """``weight N reverse``: the adjustment goes the other way."""

    @property
    def applied(self) -> int:
        """What it adds to the priority now: +weight when good (weight > 0),
        weight when failed (weight < 0), else 0; the opposite with ``reverse``."""
        sign = -1 if self.reverse else 1
        if self.ok is True and self.weight > 0:
            return sign * self.weight
        if self.ok is False and self.weight < 0:
            return sign * self.weight
        return 0

    def to_json(self) -> dict[str, Any]:
        """``{"name", "status": "ok"|"failed"|"unknown", "weight", "keepalived_status"}``."""
        word = "unknown" if self.ok is None else ("ok" if self.ok else "failed")
        return {
            "name": self.name,
            "status": word,
            "weight": self.weight,
            "reverse": self.reverse,
            "keepalived_status": self.status,
        }


@dataclass(frozen=True, slots=True)
class LocalInstance:
    """One ``vrrp_instance`` of the local keepalived."""

    name: str
    vrid: int
    family: int
    """4 or 6 (from its VIPs, else its source address)."""
    version: int
    interface: str | None
    state: str
    """MASTER, BACKUP, FAULT, INIT, STOP (``KA_STATES``)."""
    base_priority: int
    effective_priority: int
    master: str | None = None
    """The master it hears (``Master router``; None when it is the master or unknown)."""
    master_priority: int | None = None
    last_transition: float | None = None
    """Epoch of its last state change."""
    vips: tuple[str, ...] = ()
    """Addresses without prefix length."""
    src_ip: str | None = None
    scripts: tuple[ScriptState, ...] = ()
    tracked_interfaces: tuple[str, ...] = ()
    counters: tuple[tuple[str, int], ...] = ()
    """keepalived's stats, (key, value) pairs in its own order (``advert_rcvd``...)."""

    def counter(self, key: str) -> int | None:
        """One stats counter by its keepalived JSON key, or None when not read."""
        return next((v for k, v in self.counters if k == key), None)

    @property
    def errors(self) -> int:
        """Sum of the error counters (auth, TTL, address list, interval...)."""
        return sum(self.counter(key) or 0 for key, _label in ERROR_COUNTERS)

    @property
    def scripts_failed(self) -> tuple[ScriptState, ...]:
        """The track scripts whose last result is bad."""
        return tuple(s for s in self.scripts if s.ok is False)

    def priority_text(self) -> str:
        """``200 (base 50 + named_check_testdns0_3 +150)``: where the priority comes from."""
        text = f"{self.effective_priority} (base {self.base_priority}"
        for script in self.scripts:
            if script.applied:
                text += f" + {script.name} {script.applied:+d}"
        explained = self.base_priority + sum(s.applied for s in self.scripts)
        if explained != self.effective_priority:
            text += f" + other {self.effective_priority - explained:+d}"
        return text + ")"

    def scripts_text(self) -> str:
        """``3 ok, 1 failed (named_check_testdns0_2)``; ``none`` without track scripts."""
        if not self.scripts:
            return "none"
        ok = sum(1 for s in self.scripts if s.ok is True)
        failed = self.scripts_failed
        unknown = len(self.scripts) - ok - len(failed)
        parts = [f"{ok} ok"] if ok else []
        if failed:
            parts.append(f"{len(failed)} failed")
        if unknown:
            parts.append(f"{unknown} unknown")
        return ", ".join(parts)

    def errors_text(self) -> str:
        """``auth failures 4, TTL errors 1``; ``none`` when every error counter is 0."""
        parts = [
            f"{label} {value}" for key, label in ERROR_COUNTERS if (value := self.counter(key) or 0)
        ]
        return ", ".join(parts) or "none"

    def summary(self) -> str:
        """One line: ``BACKUP, prio 200 (base 50 + chk +150), scripts 1 ok, 3 failed``."""
        text = f"{self.state}, prio {self.priority_text()}, scripts {self.scripts_text()}"
        if self.master is not None:
            text += f", hears master {self.master}"
        if self.errors:
            text += f", errors: {self.errors_text()}"
        return text

    def to_json(self) -> dict[str, Any]:
        """The ``{"type": "keepalived", ...}`` line's body for this instance."""
        return {
            "instance": self.name,
            "vrid": self.vrid,
            "family": self.family,
            "version": self.version,
            "interface": self.interface,
            "state": self.state,
            "base_priority": self.base_priority,
            "effective_priority": self.effective_priority,
            "master": self.master,
            "master_priority": self.master_priority,
            "last_transition": self.last_transition,
            "vips": list(self.vips),
            "src_ip": self.src_ip,
            "scripts": [s.to_json() for s in self.scripts],
            "tracked_interfaces": list(self.tracked_interfaces),
            "counters": dict(self.counters),
        }


@dataclass(frozen=True, slots=True)
class NodeState:
    """What the local keepalived said, last time it was asked."""

    ts: float
    """When the dump was read (epoch)."""
    pid: int
    instances: tuple[LocalInstance, ...] = ()
    router_id: str | None = None
    sources: tuple[str, ...] = ()
    """Which dumps it came from: ``json``, ``data``, ``stats``."""
    addresses: tuple[str, ...] = ()
    """This host's own addresses (keepalived's source addresses and interfaces)."""
    config_files: tuple[str, ...] = ()
    """The keepalived.conf files keepalived reads (main file first, then includes)."""
    findings: tuple[str, ...] = ()
    """What vrrptop found reading them, and where they disagree with what runs."""
    error: str | None = None
    """Why the last read failed (the values are then the previous read's)."""

    def instance(self, vrid: int, family: int) -> LocalInstance | None:
        """The local instance of one virtual router (VRID, family), if this node has one."""
        return next((i for i in self.instances if i.vrid == vrid and i.family == family), None)

    def to_json(self) -> dict[str, Any]:
        """The snapshot's ``"keepalived"`` object."""
        return {
            "pid": self.pid,
            "ts": self.ts,
            "router_id": self.router_id,
            "sources": list(self.sources),
            "addresses": list(self.addresses),
            "config_files": list(self.config_files),
            "findings": list(self.findings),
            "error": self.error,
            "instances": [i.to_json() for i in self.instances],
        }
