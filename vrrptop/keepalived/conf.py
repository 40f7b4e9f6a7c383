"""The keepalived.conf the local keepalived reads, checked against what it runs.

vrrptop reads the file keepalived was started with (its ``-f``, else
``/etc/keepalived/keepalived.conf``) and every file it includes, with the same parser
as ``--keepalived-conf``. keepalived's data dump is its own parse of that
configuration, so the two are compared: an instance keepalived runs that vrrptop did
not derive (``@id`` lines, ``$VAR`` substitution, syntax vrrptop does not know), or a
VRID, priority or track script that differs, is said in one line, as is a file that
exists but cannot be read (mode 0600 is common because of ``auth_pass``).
"""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path

from vrrptop.config.keepalived import KeepalivedConfig, parse_keepalived
from vrrptop.config.model import ConfigError
from vrrptop.keepalived.locate import Keepalived
from vrrptop.model.node import LocalInstance

MAX_FINDINGS = 20


@dataclass(frozen=True, slots=True)
class ConfRead:
    """What reading keepalived's configuration gave: files, parse and findings."""

    path: Path
    files: tuple[str, ...]
    config: KeepalivedConfig | None
    findings: tuple[str, ...]


def read_conf(ka: Keepalived) -> ConfRead:
    """Read the configuration ``ka`` was started with (never raises)."""
    path = ka.config_path()
    if not path.is_absolute():
        path = Path(f"/proc/{ka.pid}/cwd") / path
    findings: list[str] = []
    shown = path
    if not ka.same_root():
        # A container or chroot: its paths are under its root; includes with
        # absolute paths are then looked up in ours, which is said.
        path = ka.root / str(path).lstrip("/")
        findings.append(f"keepalived runs in another root: reading {shown} as {path}")
    try:
        conf = parse_keepalived(path, ka.config_id())
    except ConfigError as exc:
        findings.append(f"{exc} (keepalived's own configuration: instances are known only "
                        "from its dump, no file:line, no check of what it reads)")  # fmt: skip
        return ConfRead(shown, (), None, tuple(findings))
    findings.extend(conf.warnings)
    files = tuple(conf.files) or (str(path),)
    return ConfRead(shown, files, conf, tuple(findings))


def compare(conf: KeepalivedConfig, running: tuple[LocalInstance, ...]) -> list[str]:
    """Where vrrptop's reading of the configuration and keepalived's differ."""
    out: list[str] = []
    derived = {inst.name: inst for inst in conf.instances}
    for inst in running:
        mine = derived.get(inst.name)
        if mine is None:
            out.append(
                f"keepalived runs instance {inst.name} (VRID {inst.vrid}) that vrrptop did not "
                "find in its configuration (syntax not understood, or another config id)"
            )
            continue
        where = mine.where or str(conf.path)
        if mine.vrid is not None and mine.vrid != inst.vrid:
            out.append(f"{where}: {inst.name}: vrrptop read VRID {mine.vrid}, "
                       f"keepalived runs {inst.vrid}")  # fmt: skip
        if mine.priority != inst.base_priority:
            out.append(f"{where}: {inst.name}: vrrptop read priority {mine.priority}, "
                       f"keepalived runs {inst.base_priority}")  # fmt: skip
        names = {t.name for t in mine.track_scripts}
        running_names = {s.name for s in inst.scripts}
        if inst.scripts and names != running_names:
            out.append(f"{where}: {inst.name}: track scripts differ from keepalived's "
                       f"({', '.join(sorted(names ^ running_names))})")  # fmt: skip
    names = {inst.name for inst in running}
    for mine in conf.instances:
        if mine.name not in names:
            out.append(f"{mine.where or conf.path}: instance {mine.name} is not running in "
                       "keepalived (another node's, a conditional line, or rejected)")  # fmt: skip
    return out


def summary(read: ConfRead, running: tuple[LocalInstance, ...]) -> tuple[str, ...]:
    """Findings, bounded: reading problems first, then the comparison."""
    out = list(read.findings)
    if read.config is not None:
        out.extend(compare(read.config, running))
    if len(out) > MAX_FINDINGS:
        out = [*out[:MAX_FINDINGS], f"... and {len(out) - MAX_FINDINGS} more"]
    return tuple(out)
