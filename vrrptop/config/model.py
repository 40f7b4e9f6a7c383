"""Configuration values: instances, their priority scheme, DNS probing and hosts."""

from __future__ import annotations

from dataclasses import dataclass, field
from pathlib import Path

from vrrptop.errors import VrrptopError
from vrrptop.priority.scheme import Scheme

DEFAULT_QUERY = "cam.ac.uk/TXT"
"""The seed's health check: ``dig @host +short cam.ac.uk in txt``."""


class ConfigError(VrrptopError):
    """A configuration file is unusable; the message is one line, ``file:line: why``."""

    def __init__(self, message: str, exit_code: int = 78) -> None:
        super().__init__(message, exit_code)


@dataclass(frozen=True, slots=True)
class InstanceConfig:
    """One VRRP instance as the operator declared it (TOML) or keepalived.conf says."""

    name: str
    vrid: int | None = None
    families: tuple[int, ...] = (4,)
    """Address families the instance advertises in (4, 6)."""
    priority_file: Path | None = None
    direction: int = 0
    """The seed's NUM: 0 = later line higher rank, 1 = earlier line higher."""
    base: int = 50
    step: int = 50
    scripts: int = 4
    """Number of rank track scripts (ranks 1..scripts get ``step*rank``)."""
    span: int | None = None
    """``rank = span + 1 - line`` for direction 1; None = ``scripts`` (the seed's 5 - line)."""
    span_lines: int | None = None
    """When set, the span is the priority file's ``wc -l`` plus this (a script that
    counts the file, ``$(( $(wc -l < f) + 1 - $prio ))`` is 0)."""
    vips: tuple[str, ...] = ()
    advert_int: float = 1.0
    """Advertisement interval, seconds."""
    script_interval: float = 1.0
    """Track script interval, seconds (part of the settle time after a change)."""
    interface: str | None = None
    nopreempt: bool = False
    """keepalived ``nopreempt``: a higher-priority backup never takes over from a
    live master, so the current master is the expected one."""
    preempt_delay: float = 0.0
    """keepalived ``preempt_delay`` seconds: a preemption waits this long (settling)."""
    serves_dns: bool | None = None
    """Its VIPs answer DNS (vip-dns-failing applies). None: yes when it has rank
    scripts (the seed's ``named_check``), no otherwise."""
    unicast: bool = False
    """keepalived ``unicast_peer``: adverts are unicast, a monitor port sees none."""
    use_vmac: bool = False
    """keepalived ``use_vmac``: the master's MAC is the VRID's virtual MAC."""
    source: str = "config"
    """Where it came from: "config" (TOML), "keepalived", or "config+keepalived"."""

    @property
    def scheme(self) -> Scheme:
        """The priority scheme parameters of this instance."""
        return Scheme(
            self.direction, self.base, self.step, self.scripts, self.span, self.span_lines
        )

    @property
    def dns_service(self) -> bool:
        """True when the VIPs are expected to answer DNS (see ``serves_dns``)."""
        return self.serves_dns if self.serves_dns is not None else self.scripts > 0


@dataclass(frozen=True, slots=True)
class DnsConfig:
    """What the DNS probes ask and expect."""

    query: str = DEFAULT_QUERY
    expect: str | None = None
    interval: float = 2.0
    timeout: float = 1.0


@dataclass(frozen=True, slots=True)
class Config:
    """The whole configuration; ``Config()`` is the built-in default."""

    instances: tuple[InstanceConfig, ...] = ()
    dns: DnsConfig = field(default_factory=DnsConfig)
    hosts: dict[str, tuple[str, ...]] = field(default_factory=dict)
    """Host name -> addresses, for names the system resolver does not know."""
    keepalived_conf: Path | None = None
    priority_files: tuple[Path, ...] = ()
    backup_dir: Path | None = None
    on_save: str | None = None
    notify: str | None = None
    """``notify = "CMD"``: as ``--notify CMD`` (the command line wins)."""
    rank_scripts: tuple[str, ...] = ("named_check",)
    """``rank_scripts = [...]``: basenames of the track-script programs taking the
    seed's ``TYPE NUM PRIO`` arguments (rank scripts: weight = PRIO * step)."""
    path: Path | None = None
    """The TOML file this came from (None: defaults)."""
    warnings: tuple[str, ...] = ()
    """Unknown keys and similar non-fatal problems, one line each."""

    def instance(self, vrid: int, family: int) -> InstanceConfig | None:
        """The configured instance with this VRID advertising in ``family``."""
        for inst in self.instances:
            if inst.vrid == vrid and family in inst.families:
                return inst
        return None

    def all_priority_files(self) -> list[Path]:
        """Explicit priority files plus those the instances use, without duplicates."""
        paths = [*self.priority_files, *(i.priority_file for i in self.instances)]
        return list(dict.fromkeys(p for p in paths if p is not None))
