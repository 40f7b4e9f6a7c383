"""``vrrptop --check-config``: print what ``config.lint`` found, as text or one JSON object.

The JSON object is the issue's contract: ``{"instances": [...], "findings": [...]}``
with the fields of ``CheckedInstance`` (no password, no password length). The exit
status is the check's: 0 clean (info notes alone), 1 with a warning or error, 2 unusable.
"""

from __future__ import annotations

import json
import sys
from typing import Any, TextIO

from vrrptop.config.derive import resolve_config
from vrrptop.config.lint import CheckedInstance, CheckResult, Finding, Rank, check
from vrrptop.config.model import ConfigError
from vrrptop.options import Options


def instance_json(inst: CheckedInstance) -> dict[str, Any]:
    """One instance as ``--check-config --json`` gives it."""
    rank = inst.rank
    return {
        "name": inst.name,
        "vrid": inst.vrid,
        "family": inst.family,
        "version": inst.version,
        "interface": inst.interface,
        "priority": inst.priority,
        "advert_int_cs": inst.advert_int_cs,
        "auth_type": inst.auth_type,
        "vips": list(inst.vips),
        "unicast_src_ip": inst.unicast_src_ip,
        "unicast_peers": list(inst.unicast_peers),
        "nopreempt": inst.nopreempt,
        "preempt_delay_s": inst.preempt_delay_s,
        "track_scripts": [{"name": t.name, "weight": t.weight} for t in inst.track_scripts],
        "priority_file": inst.priority_file,
        "rank": None
        if rank is None
        else {
            "direction": rank.direction,
            "base": rank.base,
            "step": rank.step,
            "scripts": rank.scripts,
            "span": rank.span,
            "span_lines": rank.span_lines,
        },  # fmt: skip
    }


def result_json(result: CheckResult) -> dict[str, Any]:
    """The whole ``--check-config --json`` object."""
    return {
        "instances": [instance_json(i) for i in result.instances],
        "findings": [
            {"severity": f.severity, "where": f.where, "message": f.message}
            for f in result.findings
        ],
    }


def _formula(rank: Rank) -> str:
    """The rank formula as the script computes it, e.g. ``NUM 1: rank = 5 - line``."""
    if rank.direction != 1:
        return f"NUM {rank.direction}: rank = line"
    if rank.span_lines is not None:
        offset = f" {'+' if rank.span_lines > 0 else '-'} {abs(rank.span_lines)}"
        return f"NUM 1: rank = wc -l{offset if rank.span_lines else ''} + 1 - line"
    span = rank.scripts if rank.span is None else rank.span
    return f"NUM 1: rank = {span + 1} - line"


def render_text(result: CheckResult) -> str:
    """The human report: one line per instance, then one per finding."""
    lines = []
    for i in result.instances:
        vips = ",".join(i.vips) or "-"
        scripts = ",".join(f"{t.name}({t.weight if t.weight is not None else '?'})"
                           for t in i.track_scripts) or "-"  # fmt: skip
        rank = (f" rank base {i.rank.base} + {i.rank.step} x rank 1..{i.rank.scripts}"
                f" ({_formula(i.rank)}) from {i.priority_file}") if i.rank else ""  # fmt: skip
        auth = i.auth_type or "?"
        peers = ",".join(i.unicast_peers)
        unicast = f" unicast {i.unicast_src_ip or '-'} -> {peers}" if peers else ""
        lines.append(
            f"{i.name}: VRID {i.vrid} IPv{i.family} v{i.version or '?'} on "
            f"{i.interface or '-'} prio {i.priority} every {i.advert_int_cs / 100:g}s "
            f"auth {auth} VIPs {vips} scripts {scripts}"
            f"{' nopreempt' if i.nopreempt else ''}"
            f"{f' preempt_delay {i.preempt_delay_s:g}s' if i.preempt_delay_s else ''}"
            f"{unicast}"
            f"{rank} [{i.where}]"
        )  # fmt: skip
    if not result.instances:
        lines.append("no instances")
    for f in result.findings:
        lines.append(f"{f.severity}: {f.where}: {f.message}")
    if not result.findings:
        lines.append("no findings")
    return "\n".join(lines)


def run_check(options: Options, out: TextIO | None = None) -> int:
    """Resolve the configuration as a run would, lint it, print; the exit status."""
    stream = out or sys.stdout
    try:
        config, kconf = resolve_config(
            options.config,
            options.keepalived_conf,
            config_id=options.config_id,
            priority_files=options.priority_files,
        )
    except ConfigError as exc:
        text = str(exc)
        where = text.split(": ", 1)[0]
        result = CheckResult(findings=[Finding("error", where, text)], unusable=True)
    else:
        result = check(config, kconf)
    if options.json:
        stream.write(json.dumps(result_json(result)) + "\n")
    else:
        stream.write(render_text(result) + "\n")
    return result.exit_code
