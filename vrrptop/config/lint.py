"""``--check-config``: what vrrptop derived from keepalived.conf and its TOML, linted.

An operator changing keepalived.conf wants to know, before reloading keepalived,
what vrrptop (and keepalived) will make of it: the instances as keepalived runs them
(VIPs of the other family dropped, VRRPv3 without authentication, preempt_delay
reset by nopreempt) and the mistakes keepalived accepts silently or with a log line
nobody reads. This module builds typed results; ``vrrptop.output.check`` prints
them. Passwords are never kept, so they can never be shown (nor their length).
"""

from __future__ import annotations

import re
from collections.abc import Sequence
from dataclasses import dataclass, field
from pathlib import Path

from vrrptop.config.keepalived import KeepalivedConfig, KeepalivedInstance
from vrrptop.config.model import Config, InstanceConfig
from vrrptop.errors import VrrptopError
from vrrptop.priority import store
from vrrptop.priority.file import PriorityFile
from vrrptop.priority.scheme import rank_of

AUTH_PASS_MAX = 8
"""keepalived keeps the first 8 characters of ``auth_pass`` (VRRPv2's field)."""


@dataclass(frozen=True, slots=True)
class Finding:
    """One problem: ``severity`` error / warning / info, ``where`` file:line."""

    severity: str
    where: str
    message: str


@dataclass(frozen=True, slots=True)
class Tracked:
    """A track script of an instance with the weight keepalived applies (None: no
    such vrrp_script)."""

    name: str
    weight: int | None


@dataclass(frozen=True, slots=True)
class Rank:
    """The rank scheme vrrptop derived: priority = base + step * rank."""

    direction: int
    base: int
    step: int
    scripts: int
    span: int | None
    span_lines: int | None


@dataclass(frozen=True, slots=True)
class CheckedInstance:
    """One instance as keepalived will run it (fields of ``--check-config --json``)."""

    name: str
    vrid: int | None
    family: int
    version: int | None
    interface: str | None
    priority: int
    advert_int_cs: int
    auth_type: str | None
    """none, pass or ah (None: not from keepalived.conf, unknown)."""
    vips: tuple[str, ...]
    unicast_src_ip: str | None
    unicast_peers: tuple[str, ...]
    nopreempt: bool
    preempt_delay_s: float
    track_scripts: tuple[Tracked, ...]
    priority_file: str | None
    rank: Rank | None
    source: str
    where: str


@dataclass(slots=True)
class CheckResult:
    """What ``--check-config`` reports; ``unusable`` (exit 2) when nothing is derived."""

    instances: list[CheckedInstance] = field(default_factory=list)
    findings: list[Finding] = field(default_factory=list)
    unusable: bool = False

    @property
    def exit_code(self) -> int:
        """0 clean (notes at severity info do not count), 1 with a warning or an
        error, 2 unusable: ``vrrptop --check-config && deploy`` must not stop on a
        remark such as "VRRPv3 ignores the authentication block"."""
        if self.unusable:
            return 2
        return 1 if any(f.severity != "info" for f in self.findings) else 0


def _auth(inst: KeepalivedInstance) -> str:
    if inst.version == 3 or not inst.auth_type:
        return "none"  # keepalived ignores authentication for VRRPv3
    kind = inst.auth_type.upper()
    return "pass" if kind == "PASS" else "ah" if kind == "AH" else "none"


def _rank(inst: InstanceConfig) -> Rank | None:
    if inst.scripts <= 0 or inst.priority_file is None:
        return None
    return Rank(inst.direction, inst.base, inst.step, inst.scripts, inst.span, inst.span_lines)


def _from_keepalived(
    ka: KeepalivedInstance, derived: InstanceConfig | None, kconf: KeepalivedConfig
) -> CheckedInstance:
    tracked = []
    for track in ka.track_scripts:
        script = kconf.scripts.get(track.name)
        weight = track.weight
        if weight is None and script is not None:
            weight = script.weight or 0
        tracked.append(Tracked(track.name, weight))
    pfile = derived.priority_file if derived else None
    return CheckedInstance(
        name=ka.name,
        vrid=ka.vrid,
        family=ka.family,
        version=ka.version,
        interface=ka.interface,
        priority=ka.priority,
        advert_int_cs=round(ka.advert_int * 100),
        auth_type=_auth(ka),
        vips=ka.advertised_vips,
        unicast_src_ip=ka.unicast_src_ip,
        unicast_peers=ka.unicast_peers,
        nopreempt=ka.nopreempt,
        preempt_delay_s=0.0 if ka.nopreempt else ka.preempt_delay,
        track_scripts=tuple(tracked),
        priority_file=str(pfile) if pfile else None,
        rank=_rank(derived) if derived else None,
        source=derived.source if derived else "keepalived",
        where=ka.where,
    )


def _from_toml(inst: InstanceConfig, family: int) -> CheckedInstance:
    return CheckedInstance(
        name=inst.name, vrid=inst.vrid, family=family, version=None, interface=inst.interface,
        priority=inst.base, advert_int_cs=round(inst.advert_int * 100), auth_type=None,
        vips=tuple(v for v in inst.vips if (":" in v) == (family == 6)), unicast_src_ip=None,
        unicast_peers=(), nopreempt=inst.nopreempt, preempt_delay_s=inst.preempt_delay,
        track_scripts=(), priority_file=str(inst.priority_file) if inst.priority_file else None,
        rank=_rank(inst), source=inst.source, where=str(inst.source),
    )  # fmt: skip


_WHERE_RE = re.compile(r"^(\S+?:\d+): (.*)$", re.S)


def _warning(text: str, default_where: str) -> Finding:
    """A parser/loader warning line (``file:line: message``) as a finding."""
    match = _WHERE_RE.match(text)
    if match:
        return Finding("warning", match.group(1), match.group(2))
    return Finding("warning", default_where, text)


def _same_router(a: KeepalivedInstance, b: KeepalivedInstance) -> bool:
    """Whether keepalived 2.2.7 refuses the pair (``keepalived -t`` exits 5): one
    VRID, family and interface, both multicast, or both unicast to a common peer.
    A unicast and a multicast instance, or unicast ones with disjoint peers, may
    share a VRID (checked against ``keepalived -t`` in the netns tests)."""
    if (a.vrid, a.family, a.interface) != (b.vrid, b.family, b.interface):
        return False
    if bool(a.unicast_peers) != bool(b.unicast_peers):
        return False
    return not a.unicast_peers or bool(set(a.unicast_peers) & set(b.unicast_peers))


def _instance_findings(kconf: KeepalivedConfig) -> list[Finding]:
    out: list[Finding] = []
    earlier: list[KeepalivedInstance] = []
    for inst in kconf.instances:
        if inst.vrid is None:
            continue
        first = next((e for e in earlier if _same_router(e, inst)), None)
        earlier.append(inst)
        if first is not None:
            via = " unicast to a common peer" if inst.unicast_peers else ""
            out.append(Finding("error", inst.where, (
                f"{inst.name}: VRID {inst.vrid} IPv{inst.family} on "
                f"{inst.interface or 'the default interface'}{via} is also {first.name} "
                f"({first.where}): keepalived refuses the configuration"
            )))  # fmt: skip
        if inst.auth_pass_long and _auth(inst) != "none":
            out.append(Finding("warning", inst.auth_where or inst.where, (
                f"{inst.name}: auth_pass is longer than {AUTH_PASS_MAX} characters: "
                f"keepalived truncates it to the first {AUTH_PASS_MAX}"
            )))  # fmt: skip
        if inst.version == 3 and inst.auth_type:
            out.append(Finding("info", inst.auth_where or inst.where,
                               f"{inst.name}: VRRPv3 has no authentication: keepalived "
                               "ignores the authentication block"))  # fmt: skip
        if inst.nopreempt and inst.preempt_delay:
            out.append(Finding("info", inst.where, f"{inst.name}: preempt_delay does nothing "
                               "with nopreempt (keepalived resets it to 0)"))  # fmt: skip
        for track in inst.track_scripts:
            script = kconf.scripts.get(track.name)
            if script and _after(script.where, inst.where):
                out.append(Finding("info", script.where, (
                    f"vrrp_script {track.name} is defined after {inst.name} uses it "
                    f"({inst.where}): keepalived before 2.0 ignores such a track_script"
                )))  # fmt: skip
    by_name = {inst.name: inst for inst in kconf.instances}
    for group in kconf.sync_groups:
        members = [by_name[n] for n in group.instances if n in by_name]
        ints = sorted({m.advert_int for m in members})
        if len(ints) > 1:
            listed = ", ".join(f"{m.name} {m.advert_int:g}s" for m in members)
            out.append(Finding("warning", group.where, (
                f"sync group {group.name}: advert_int differs between its instances "
                f"({listed}): they fail over at different times"
            )))  # fmt: skip
    return out


def _after(a: str, b: str) -> bool:
    """``a`` (file:line) is later in the same file than ``b``."""
    fa, _, la = a.rpartition(":")
    fb, _, lb = b.rpartition(":")
    return fa == fb and la.isdigit() and lb.isdigit() and int(la) > int(lb)


def _priority_file_findings(instances: Sequence[InstanceConfig]) -> list[Finding]:
    out: list[Finding] = []
    users: dict[Path, list[InstanceConfig]] = {}
    for inst in instances:
        if inst.priority_file is not None and inst.scripts > 0:
            users.setdefault(inst.priority_file, []).append(inst)
    for path, readers in users.items():
        try:
            loaded = store.load(path)
        except (VrrptopError, OSError) as exc:
            names = ", ".join(i.name for i in readers)
            out.append(Finding("error", str(path), (
                f"the priority file the rank scripts of {names} read cannot be used: {exc}"
            )))  # fmt: skip
            continue
        out.extend(_line_findings(loaded.file, readers, f"{path}:1"))
    return out


def _line_findings(
    file: PriorityFile, readers: Sequence[InstanceConfig], where: str
) -> list[Finding]:
    out: list[Finding] = []
    for inst in readers:
        loaded_file = file
        count = loaded_file.line_count
        wc_lines = loaded_file.wc_lines
        unranked = [
            e.line for e in loaded_file.entries()
            if e.in_service and not 1 <= rank_of(e.line, wc_lines, inst.scheme) <= inst.scripts
        ]  # fmt: skip
        if count > inst.scripts:
            lines = f" (hosts on lines {', '.join(map(str, unranked))} get no rank)"
            out.append(Finding("warning", where, (
                f"{inst.name}: {count} lines for {inst.scripts} rank scripts"
                f"{lines if unranked else ''}: a host without a rank gets the base priority"
            )))  # fmt: skip
    return out


def check(config: Config, kconf: KeepalivedConfig | None) -> CheckResult:
    """The instances and the findings of a resolved configuration."""
    result = CheckResult()
    default_where = str(kconf.path) if kconf and kconf.path else str(config.path or "-")
    result.findings.extend(_warning(w, default_where) for w in config.warnings)
    derived = {i.name: i for i in config.instances}
    named: set[str] = set()
    if kconf is not None:
        for ka in kconf.instances:
            named.add(ka.name)
            result.instances.append(_from_keepalived(ka, derived.get(ka.name), kconf))
        result.findings.extend(_instance_findings(kconf))
    for inst in config.instances:
        if inst.name not in named:
            result.instances.extend(_from_toml(inst, fam) for fam in inst.families)
    result.findings.extend(_priority_file_findings(config.instances))
    result.unusable = not result.instances
    if result.unusable:
        result.findings.append(Finding("error", default_where, (
            "no instance found: give --keepalived-conf FILE or [instances.NAME] in --config"
        )))  # fmt: skip
    return result
