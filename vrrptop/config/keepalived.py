"""What vrrptop needs from keepalived.conf: instances, VIPs, track scripts.

``parse_keepalived(path)`` never raises on content (only on an unreadable main
file): anything it does not understand becomes a warning. Passwords are not kept.
"""

from __future__ import annotations

import ipaddress
import shlex
from dataclasses import dataclass, field, replace
from pathlib import Path

from vrrptop.config.kaparse import Node, ParseResult, parse_path, parse_text
from vrrptop.config.model import ConfigError


@dataclass(frozen=True, slots=True)
class VrrpScript:
    """A ``vrrp_script NAME { script ...; interval; weight; ... }`` block."""

    name: str
    script: str | None = None
    interval: float | None = None
    weight: int | None = None
    timeout: float | None = None
    rise: int | None = None
    fall: int | None = None
    where: str = ""


@dataclass(frozen=True, slots=True)
class TrackScript:
    """An entry of an instance's ``track_script`` block (weight overrides the script's)."""

    name: str
    weight: int | None = None


@dataclass(frozen=True, slots=True)
class KeepalivedInstance:
    """A ``vrrp_instance`` block."""

    name: str
    vrid: int | None = None
    priority: int = 100
    """keepalived's default priority is 100."""
    interface: str | None = None
    state: str | None = None
    advert_int: float = 1.0
    version: int = 2
    auth_type: str | None = None
    has_auth_pass: bool = False
    auth_pass_long: bool = False
    """``auth_pass`` is longer than keepalived's 8 characters (the password is not kept)."""
    auth_where: str = ""
    vips: tuple[str, ...] = ()
    """``virtual_ipaddress`` entries (addresses without prefix length)."""
    excluded_vips: tuple[str, ...] = ()
    track_scripts: tuple[TrackScript, ...] = ()
    native_ipv6: bool = False
    nopreempt: bool = False
    preempt_delay: float = 0.0
    use_vmac: bool = False
    unicast_src_ip: str | None = None
    unicast_peers: tuple[str, ...] = ()
    where: str = ""

    @property
    def family(self) -> int:
        """Family keepalived advertises in: ``native_ipv6``, else the first VIP's.

        keepalived 2.x ignores VIPs of the other family ("address family must
        match VRRP instance - ignoring"), checked with ``keepalived --config-test``."""
        if self.native_ipv6:
            return 6
        for vip in self.vips:
            return 6 if ":" in vip else 4
        return 4

    @property
    def advertised_vips(self) -> tuple[str, ...]:
        """VIPs of the advertised family, as they appear in adverts."""
        fam = self.family
        return tuple(v for v in self.vips if (":" in v) == (fam == 6))


@dataclass(frozen=True, slots=True)
class SyncGroup:
    """A ``vrrp_sync_group NAME { group { INSTANCE... } }`` block."""

    name: str
    instances: tuple[str, ...]
    where: str = ""


@dataclass(slots=True)
class KeepalivedConfig:
    """Instances and scripts of a keepalived configuration, plus what was skipped."""

    path: Path | None = None
    instances: list[KeepalivedInstance] = field(default_factory=list)
    scripts: dict[str, VrrpScript] = field(default_factory=dict)
    vrrp_version: int = 2
    sync_groups: list[SyncGroup] = field(default_factory=list)
    files: list[str] = field(default_factory=list)
    warnings: list[str] = field(default_factory=list)

    @property
    def config_dir(self) -> Path:
        """Directory of the main file (where the seed keeps ``priority.TYPE``)."""
        return self.path.parent if self.path else Path("/etc/keepalived")


def _int(node: Node, warnings: list[str], lo: int = -(2**31), hi: int = 2**31) -> int | None:
    try:
        value = int(node.args[0])
    except (IndexError, ValueError):
        warnings.append(f"{node.where()}: {node.keyword}: expected an integer")
        return None
    if not lo <= value <= hi:
        warnings.append(f"{node.where()}: {node.keyword} {value} out of range {lo}-{hi}")
        return None
    return value


def _float(node: Node, warnings: list[str]) -> float | None:
    try:
        value = float(node.args[0])
    except (IndexError, ValueError):
        warnings.append(f"{node.where()}: {node.keyword}: expected a number")
        return None
    if not 0 < value < 1e6:
        warnings.append(f"{node.where()}: {node.keyword}: {value} out of range")
        return None
    return value


def _addresses(block: Node, warnings: list[str]) -> tuple[str, ...]:
    out = []
    for child in block.children or ():
        text = child.keyword
        try:
            out.append(str(ipaddress.ip_interface(text).ip))
        except ValueError:
            warnings.append(f"{child.where()}: {block.keyword}: not an address: {text[:40]!r}")
    return tuple(out)


def _script(node: Node, warnings: list[str]) -> VrrpScript:
    values: dict[str, object] = {}
    for child in node.children or ():
        key = child.keyword
        if key == "script":
            values["script"] = " ".join(child.args)
        elif key in ("interval", "timeout"):
            values[key] = _float(child, warnings)
        elif key in ("weight", "rise", "fall"):
            values[key] = _int(child, warnings, -253, 253 if key == "weight" else 2**31)
    name = node.args[0] if node.args else ""
    return VrrpScript(name=name, where=node.where(), **values)  # type: ignore[arg-type]


def _track(block: Node, warnings: list[str]) -> tuple[TrackScript, ...]:
    out = []
    for child in block.children or ():
        weight = None
        if len(child.args) >= 2 and child.args[0] == "weight":
            try:
                weight = int(child.args[1])
            except ValueError:
                warnings.append(f"{child.where()}: track_script weight not an integer")
        out.append(TrackScript(child.keyword, weight))
    return tuple(out)


_IGNORED = {"notify", "notify_master", "notify_backup", "notify_fault", "notify_stop"}
_IGNORED |= {"smtp_alert", "garp_master_delay", "dont_track_primary", "track_interface"}
_IGNORED |= {"mcast_src_ip", "vmac_xmit_base", "lvs_sync_daemon"}
_IGNORED |= {"virtual_routes", "virtual_rules", "track_file", "track_process", "accept"}
_IGNORED |= {"garp_master_refresh", "debug", "strict_mode", "no_accept"}


def _instance(node: Node, warnings: list[str], version: int) -> KeepalivedInstance:
    values: dict[str, object] = {"version": version}
    for child in node.children or ():
        key = child.keyword
        if key == "virtual_router_id":
            values["vrid"] = _int(child, warnings, 1, 255)
        elif key == "priority":
            prio = _int(child, warnings, 1, 255)
            if prio is not None:
                values["priority"] = prio
        elif key in ("interface", "state") and child.args:
            values[key] = child.args[0]
        elif key == "advert_int":
            adv = _float(child, warnings)
            if adv is not None:
                values["advert_int"] = adv
        elif key in ("version", "vrrp_version"):
            ver = _int(child, warnings, 2, 3)
            if ver is not None:
                values["version"] = ver
        elif key == "authentication":
            auth = child.child("auth_type")
            values["auth_type"] = auth.args[0] if auth and auth.args else None
            pw = child.child("auth_pass")
            values["has_auth_pass"] = pw is not None
            values["auth_pass_long"] = pw is not None and len(" ".join(pw.args)) > 8
            values["auth_where"] = (pw or child).where()
        elif key == "virtual_ipaddress" and child.children is not None:
            values["vips"] = _addresses(child, warnings)
        elif key == "virtual_ipaddress_excluded" and child.children is not None:
            values["excluded_vips"] = _addresses(child, warnings)
        elif key == "unicast_peer" and child.children is not None:
            values["unicast_peers"] = _addresses(child, warnings)
        elif key == "track_script" and child.children is not None:
            values["track_scripts"] = _track(child, warnings)
        elif key in ("native_ipv6", "nopreempt", "use_vmac"):
            values[key] = True
        elif key == "preempt_delay":
            delay = _float(child, warnings) if child.args else None
            values["preempt_delay"] = delay or 0.0
        elif key == "unicast_src_ip" and child.args:
            try:
                values["unicast_src_ip"] = str(ipaddress.ip_address(child.args[0]))
            except ValueError:
                warnings.append(f"{child.where()}: unicast_src_ip: not an address")
        elif key not in _IGNORED:
            warnings.append(f"{child.where()}: vrrp_instance: {key!r} not understood, ignored")
    name = node.args[0] if node.args else f"<unnamed at {node.where()}>"
    inst = KeepalivedInstance(name=name, where=node.where(), **values)  # type: ignore[arg-type]
    if inst.family == 6 and inst.version == 2:
        # VRRPv2 is IPv4 only: keepalived 2.2.7 runs an IPv6 instance as version 3
        # whatever it was given (its --dump-conf, tests/integration/test_keepalived_dump.py).
        inst = replace(inst, version=3)
    if len(inst.advertised_vips) < len(inst.vips):
        warnings.append(
            f"{node.where()}: {name}: IPv4 and IPv6 VIPs mixed; keepalived (>= 1.2.20) "
            f"keeps only the IPv{inst.family} ones (the first VIP's family)"
        )
    return inst


_TOP_IGNORED = {"global_defs", "static_ipaddress", "static_routes"}
_TOP_IGNORED |= {"virtual_server", "virtual_server_group", "static_rules"}


def interpret(parsed: ParseResult, path: Path | None = None) -> KeepalivedConfig:
    """Turn a parsed tree into a ``KeepalivedConfig`` (warnings for the rest)."""
    conf = KeepalivedConfig(path=path, files=parsed.files, warnings=list(parsed.warnings))
    warnings = conf.warnings
    for node in parsed.nodes:
        if node.keyword == "global_defs":
            ver = node.child("vrrp_version")
            if ver is not None:
                conf.vrrp_version = _int(ver, warnings, 2, 3) or 2
    for node in parsed.nodes:
        key = node.keyword
        if key == "vrrp_instance" and node.children is not None:
            conf.instances.append(_instance(node, warnings, conf.vrrp_version))
        elif key == "vrrp_sync_group" and node.children is not None:
            group = node.child("group")
            members = (
                [m for c in (group.children or ()) for m in (c.keyword, *c.args)] if group else []
            )
            name = node.args[0] if node.args else ""
            conf.sync_groups.append(SyncGroup(name, tuple(members), node.where()))
        elif key == "vrrp_script" and node.children is not None:
            script = _script(node, warnings)
            conf.scripts[script.name] = script
        elif key not in _TOP_IGNORED:
            warnings.append(f"{node.where()}: {key!r} not understood, ignored")
    return conf


def parse_keepalived_text(
    text: str, name: str = "<text>", base: Path | None = None, config_id: str | None = None
) -> KeepalivedConfig:
    """Parse keepalived.conf ``text`` as node ``config_id`` (keepalived's ``-i``,
    default this host's short name) reads it; never raises."""
    return interpret(parse_text(text, name, base, config_id), None)


def parse_keepalived(path: Path, config_id: str | None = None) -> KeepalivedConfig:
    """Parse ``path`` and its includes as node ``config_id`` reads them;
    ``ConfigError`` only if ``path`` is unreadable."""
    try:
        with open(path, "rb"):
            pass
    except OSError as exc:
        raise ConfigError(
            f"{path}: cannot read: {exc.strerror or exc} (instances, VIPs, track scripts "
            "and priority files from it are unknown: run as root, or give "
            "--config/--priority-file without --keepalived-conf)",
            66,
        ) from None
    return interpret(parse_path(path, config_id), path)


def script_argv(script: VrrpScript) -> list[str]:
    """The script command split like a shell would (best effort)."""
    try:
        return shlex.split(script.script or "")
    except ValueError:
        return (script.script or "").split()
