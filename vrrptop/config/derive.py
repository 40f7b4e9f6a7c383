"""Instances derived from keepalived.conf, and merging them with the TOML config.

The seed's track scripts are ``named_check TYPE NUM PRIO`` (the basenames are the
TOML's ``rank_scripts``, default ``["named_check"]``) with weight
``PRIO*step``: they tell us the instance's priority file (``priority.TYPE`` in the
keepalived config directory), its direction (NUM), the step and the number of
rank scripts. The instance's own ``priority`` is the base.
"""

from __future__ import annotations

import os
import re
from collections.abc import Sequence
from dataclasses import dataclass, replace
from pathlib import Path

from vrrptop.config.keepalived import (
    KeepalivedConfig,
    KeepalivedInstance,
    parse_keepalived,
    script_argv,
)
from vrrptop.config.loader import SEARCH_PATH, load_config
from vrrptop.config.model import Config, InstanceConfig

CHECK_SCRIPT_NAMES = ("named_check",)
"""Default basenames of rank-check scripts taking ``TYPE NUM PRIO`` arguments."""

DEFAULT_KEEPALIVED_CONF = Path("/etc/keepalived/keepalived.conf")


#: How a rank script reverses the order for direction 1: an arithmetic expansion
#: ``$(( ... ))`` or an ``expr`` whose terms are integers, the rank variable (minus
#: once) and at most one count of the file's lines: ``$(wc -l < f)``, ``$(cat f | wc
#: -l)`` (or backquoted), or a variable assigned one of those. ``$((5 - $prio))`` (the
#: seed's), ``$((4 + 1 - $prio))``, ``$(expr 5 - $prio)`` give span 4;
#: ``$(( $(wc -l < f) + 1 - $prio ))`` or ``n=$(wc -l < f)`` then ``$((n - prio + 1))``
#: give span ``wc -l`` + 0.
_COUNT_CMD = rb"(?:wc\s+-l\s*<\s*[^\s()`|;]+|cat\s+[^\s()`|;]+\s*\|\s*wc\s+-l)"
_COUNT_SUBST = re.compile(rb"\$\(\s*" + _COUNT_CMD + rb"\s*\)|`\s*" + _COUNT_CMD + rb"\s*`")
_COUNT = b"@COUNT@"
_COUNT_VAR = re.compile(rb"\b(\w+)=\s*\"?" + _COUNT + rb"\"?")
_ARITH = re.compile(rb"\$\(\((.*?)\)\)")
_EXPR = re.compile(rb"\bexpr\s+([^`)\n;|&]+)")
_TERM = re.compile(rb"\s*([+-])?\s*(\d{1,4}\b|\$\{?\w+\}?|[A-Za-z_]\w*|@COUNT@)\s*")
_MAX_SCRIPT = 64 * 1024


@dataclass(frozen=True, slots=True)
class ScriptSpan:
    """N of ``rank = N + 1 - line`` as a script computes it: ``offset``, plus the
    file's ``wc -l`` when ``counts_lines``."""

    offset: int
    counts_lines: bool = False


def _linear(body: bytes, counts: set[bytes]) -> ScriptSpan | None:
    """``body`` as ``c [+ wc -l] - rank``, or None when it is anything else."""
    const, lines, ranks, pos = 0, 0, [], 0
    while pos < len(body):
        match = _TERM.match(body, pos)
        if match is None or match.end() == pos:
            return None
        pos = match.end()
        sign = -1 if match.group(1) == b"-" else 1
        term = match.group(2)
        name = term.strip(b"${}")
        if term.isdigit():
            const += sign * int(term)
        elif term == _COUNT or name in counts:
            lines += sign
        else:
            ranks.append(sign)
    if ranks != [-1] or lines not in (0, 1):
        return None
    return ScriptSpan(const - 1, bool(lines))


def read_script(path: str) -> bytes | None:
    """The script's first 64 KiB; None when it is not a readable regular file (a
    monitor host often has the configuration but not the scripts)."""
    try:
        if not os.path.isfile(path):  # never open a FIFO or a device: it could block
            return None
        fd = os.open(path, os.O_RDONLY | os.O_NONBLOCK)
        with os.fdopen(fd, "rb") as fh:
            return fh.read(_MAX_SCRIPT)
    except OSError:
        return None


def script_span(path: str) -> ScriptSpan | None:
    """``span_of`` the script at ``path``; None when it cannot be read."""
    text = read_script(path)
    return None if text is None else span_of(text)


def span_of(text: bytes) -> ScriptSpan | None:
    """The span of the reversed rank a script computes for direction 1 (rank =
    span + 1 - line: the seed's ``$((5 - $prio))`` gives 4); None when it computes
    it in a form not recognised (the caller then assumes the seed's, the number of
    scripts, and says so)."""
    text = _COUNT_SUBST.sub(_COUNT, text)
    counts = {m.group(1) for m in _COUNT_VAR.finditer(text)}
    found = [(m.start(), m.group(1)) for m in _ARITH.finditer(text)]
    found += [(m.start(), m.group(1)) for m in _EXPR.finditer(text)]
    for _, body in sorted(found):
        span = _linear(body, counts)
        if span is not None:
            return span
    return None


def _rank_scripts(
    inst: KeepalivedInstance, conf: KeepalivedConfig, names: Sequence[str]
) -> list[tuple[str, int, int, int, float, str]]:
    """(TYPE, NUM, PRIO, weight, interval, script path) of the instance's rank scripts
    (those whose program's basename is one of ``names``)."""
    found = []
    for track in inst.track_scripts:
        script = conf.scripts.get(track.name)
        if script is None:
            conf.warnings.append(f"{inst.where}: track_script {track.name!r} has no vrrp_script")
            continue
        argv = script_argv(script)
        if not argv or os.path.basename(argv[0]) not in names:
            continue
        try:
            kind, num, prio = argv[1], int(argv[2]), int(argv[3])
        except (IndexError, ValueError):
            conf.warnings.append(f"{script.where}: {argv[0]} arguments are not TYPE NUM PRIO")
            continue
        weight = track.weight if track.weight is not None else (script.weight or 0)
        found.append((kind, num, prio, weight, script.interval or 1.0, argv[0]))
    return found


def instance_from_keepalived(
    inst: KeepalivedInstance,
    conf: KeepalivedConfig,
    rank_scripts: Sequence[str] = CHECK_SCRIPT_NAMES,
) -> InstanceConfig:
    """An ``InstanceConfig`` for one vrrp_instance (scheme from its rank scripts)."""
    base = InstanceConfig(
        name=inst.name,
        vrid=inst.vrid,
        families=(inst.family,),
        base=inst.priority,
        vips=inst.advertised_vips,
        advert_int=inst.advert_int,
        interface=inst.interface,
        source="keepalived",
        scripts=0,
        step=0,
        nopreempt=inst.nopreempt,
        preempt_delay=inst.preempt_delay,
        unicast=bool(inst.unicast_peers),
        use_vmac=inst.use_vmac,
    )
    ranks = _rank_scripts(inst, conf, rank_scripts)
    if not ranks:
        return base
    kinds = {r[0] for r in ranks}
    nums = {r[1] for r in ranks}
    if len(kinds) > 1 or len(nums) > 1:
        conf.warnings.append(
            f"{inst.where}: {inst.name}: named_check scripts disagree on TYPE/NUM, "
            f"using {ranks[0][0]} {ranks[0][1]}"
        )
    kind, num = ranks[0][0], ranks[0][1]
    steps = {r[3] // r[2] for r in ranks if r[2] > 0 and r[3] % r[2] == 0}
    if len(steps) != 1 or any(r[2] <= 0 or r[3] % r[2] for r in ranks):
        conf.warnings.append(
            f"{inst.where}: {inst.name}: weights are not PRIO*step, using the first script's"
        )
    step = next(iter(steps)) if steps else ranks[0][3]
    prios = sorted(r[2] for r in ranks)
    if prios != list(range(1, len(prios) + 1)):
        conf.warnings.append(f"{inst.where}: {inst.name}: rank scripts are {prios}, not 1..N")
    text = read_script(ranks[0][5]) if num == 1 else None
    span = None if text is None else span_of(text)
    if text is not None and span is None:
        conf.warnings.append(
            f"{inst.where}: {inst.name}: {ranks[0][5]} reverses the rank in a form vrrptop "
            f"does not read: assuming the seed's, rank = {max(prios) + 1} - line "
            "(set span or span_lines in vrrptop.toml)"
        )
    return replace(
        base,
        priority_file=conf.config_dir / f"priority.{kind}",
        direction=1 if num == 1 else 0,
        step=step,
        scripts=max(prios),
        span=span.offset if span and not span.counts_lines else None,
        span_lines=span.offset if span and span.counts_lines else None,
        script_interval=max(r[4] for r in ranks),
    )


def instances_from_keepalived(
    conf: KeepalivedConfig, rank_scripts: Sequence[str] = CHECK_SCRIPT_NAMES
) -> list[InstanceConfig]:
    """Every vrrp_instance with a VRID, as ``InstanceConfig``."""
    out = []
    for inst in conf.instances:
        if inst.vrid is None:
            conf.warnings.append(f"{inst.where}: {inst.name}: no virtual_router_id, skipped")
            continue
        out.append(instance_from_keepalived(inst, conf, rank_scripts))
    return out


def _has_span(inst: InstanceConfig) -> bool:
    return inst.span is not None or inst.span_lines is not None


def _fill(declared: InstanceConfig, derived: InstanceConfig) -> InstanceConfig:
    """The TOML declaration wins; keepalived fills what it left unset."""
    spans = declared if _has_span(declared) else derived  # span and span_lines go together
    return replace(
        declared,
        vrid=declared.vrid if declared.vrid is not None else derived.vrid,
        priority_file=declared.priority_file or derived.priority_file,
        vips=declared.vips or derived.vips,
        interface=declared.interface or derived.interface,
        nopreempt=declared.nopreempt or derived.nopreempt,
        preempt_delay=declared.preempt_delay or derived.preempt_delay,
        unicast=declared.unicast or derived.unicast,
        use_vmac=declared.use_vmac or derived.use_vmac,
        span=spans.span,
        span_lines=spans.span_lines,
        source="config+keepalived",
    )


def merge(config: Config, derived: list[InstanceConfig], warnings: list[str]) -> Config:
    """Config instances plus keepalived ones, matched by name (then VRID)."""
    instances = list(config.instances)
    for inst in derived:
        for i, declared in enumerate(instances):
            same_vrid = declared.vrid == inst.vrid and set(declared.families) & set(inst.families)
            if declared.name == inst.name or same_vrid:
                if declared.source == "config":
                    instances[i] = _fill(declared, inst)
                break
        else:
            instances.append(inst)
    return replace(config, instances=tuple(instances), warnings=(*config.warnings, *warnings))


UNREADABLE_DISABLES = (
    "instances, VIPs, track scripts and priority files from it are unknown: run as root, "
    "or give --config/--priority-file"
)
"""What an unreadable keepalived.conf switches off, said with it."""


def explicit_priority_files(
    derived: list[InstanceConfig], explicit: Sequence[Path], warnings: list[str]
) -> list[InstanceConfig]:
    """``--priority-file`` wins over the path derived from the scripts: the one of the
    same name (``priority.TYPE``), else the only one given. A derived path that does
    not exist is then dropped (said once) instead of stopping vrrptop."""
    if not explicit:
        return derived
    out = []
    for inst in derived:
        path = inst.priority_file
        if path is not None:
            same = [p for p in explicit if p.name == path.name]
            chosen = same[0] if same else (explicit[0] if len(explicit) == 1 else None)
            if chosen is None and not path.exists():
                warnings.append(
                    f"{inst.name}: derived priority file {path} does not exist and no "
                    "--priority-file names it: its election is not predicted"
                )
            path = chosen or (path if path.exists() else None)
        out.append(replace(inst, priority_file=path))
    return out


def resolve_config(
    config_path: Path | None = None,
    keepalived_path: Path | None = None,
    *,
    default_keepalived: Path = DEFAULT_KEEPALIVED_CONF,
    search: Sequence[Path] = SEARCH_PATH,
    config_id: str | None = None,
    priority_files: Sequence[Path] = (),
) -> tuple[Config, KeepalivedConfig | None]:
    """The TOML config merged with keepalived.conf (``--keepalived-conf``, the
    config's ``keepalived_conf``, or the default if it exists).

    Raises ``ConfigError`` for a bad TOML file or an unreadable *explicit*
    keepalived path; a missing default keepalived.conf is silently skipped, one
    that exists but cannot be read is a warning saying what that disables.
    """
    config = load_config(config_path, search)
    path = keepalived_path or config.keepalived_conf
    if path is None and os.path.exists(default_keepalived):
        if not os.access(default_keepalived, os.R_OK):
            why = "not root" if os.geteuid() else "permission denied"
            note = f"{default_keepalived}: cannot read ({why}): {UNREADABLE_DISABLES}"
            return replace(config, warnings=(*config.warnings, note)), None
        path = default_keepalived
    if path is None:
        return config, None
    kconf = parse_keepalived(path, config_id)
    derived = instances_from_keepalived(kconf, config.rank_scripts)
    derived = explicit_priority_files(derived, priority_files, kconf.warnings)
    return merge(config, derived, kconf.warnings), kconf
