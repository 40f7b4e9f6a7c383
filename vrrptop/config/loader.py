"""Load the TOML configuration (``--config``, /etc/vrrptop.toml, ~/.config/vrrptop/...).

Example::

    keepalived_conf = "/etc/keepalived/keepalived.conf"
    on_save = "rsync -a $VRRPTOP_FILE other:/etc/keepalived/"
    notify = "/usr/local/bin/vrrp-notify --to hostmaster"   # as --notify: no shell
    rank_scripts = ["named_check"]   # track-script programs taking TYPE NUM PRIO

    [dns]
    query = "cam.ac.uk/TXT"
    expect = "..."
    interval = 2.0
    timeout = 1.0

    [instances.testdns0]
    vrid = 210
    families = [4, 6]
    priority_file = "/etc/keepalived/priority.testdns"   # relative: to this file
    direction = 0          # the seed's NUM ("num" is accepted too)
    base = 50
    step = 50
    scripts = 4

    [hosts]
    recdns-cnh = ["198.51.100.11", "2001:db8::11"]

Unknown keys are reported as warnings (a typo should not stop a monitor); wrong
types are a ``ConfigError`` naming the file, line and key.
"""

from __future__ import annotations

import errno
import ipaddress
import re
import tomllib
from collections.abc import Callable, Sequence
from dataclasses import replace
from pathlib import Path
from typing import Any

from vrrptop.config.model import DEFAULT_QUERY, Config, ConfigError, DnsConfig, InstanceConfig

SEARCH_PATH: tuple[Path, ...] = (
    Path("/etc/vrrptop.toml"),
    Path("~/.config/vrrptop/config.toml"),
)

_TOP_KEYS = {"keepalived_conf", "priority_files", "backup_dir", "on_save", "dns", "instances"}
_TOP_KEYS |= {"hosts", "notify", "rank_scripts"}
_DNS_KEYS = {"query", "expect", "interval", "timeout"}
_INSTANCE_KEYS = {
    "vrid",
    "families",
    "priority_file",
    "direction",
    "num",
    "base",
    "step",
    "scripts",
    "span",
    "span_lines",
    "vips",
    "advert_int",
    "script_interval",
    "interface",
    "nopreempt",
    "preempt_delay",
    "serves_dns",
}


class _Ctx:
    """Where we are, to build ``file:line: key: problem`` messages."""

    def __init__(self, path: Path, text: str) -> None:
        self.path = path
        self.lines = text.splitlines()
        self.warnings: list[str] = []

    def line_of(self, table: str, key: str) -> int | None:
        header = re.compile(r"^\s*\[\s*" + re.escape(table).replace(r"\.", r"\s*\.\s*") + r"\s*\]")
        keyre = re.compile(r"^\s*" + re.escape(key) + r"\s*=")
        inside = table == ""
        for number, text in enumerate(self.lines, 1):
            if text.lstrip().startswith("["):
                inside = bool(header.match(text))
            elif inside and keyre.match(text):
                return number
        return None

    def error(self, table: str, key: str, problem: str) -> ConfigError:
        line = self.line_of(table, key)
        where = f"{self.path}:{line}" if line else str(self.path)
        dotted = f"{table}.{key}" if table else key
        return ConfigError(f"{where}: {dotted}: {problem}")

    def unknown(self, table: str, keys: Sequence[str], known: set[str]) -> None:
        for key in keys:
            if key not in known:
                dotted = f"{table}.{key}" if table else key
                self.warnings.append(f"{self.path}: unknown key {dotted!r} ignored")


def _get(
    ctx: _Ctx,
    table: str,
    data: dict[str, Any],
    key: str,
    check: Callable[[Any], bool],
    expected: str,
    default: Any,
) -> Any:
    if key not in data:
        return default
    value = data[key]
    if not check(value):
        raise ctx.error(table, key, f"expected {expected}, got {value!r}")
    return value


def _is_int(lo: int, hi: int) -> Callable[[Any], bool]:
    return lambda v: isinstance(v, int) and not isinstance(v, bool) and lo <= v <= hi


def _is_num(v: Any) -> bool:
    return isinstance(v, (int, float)) and not isinstance(v, bool) and v > 0


def _is_str(v: Any) -> bool:
    return isinstance(v, str)


def _is_addr(v: Any) -> bool:
    try:
        ipaddress.ip_address(str(v).split("%", 1)[0])
    except ValueError:
        return False
    return isinstance(v, str)


def _path(base: Path, text: str) -> Path:
    path = Path(text).expanduser()
    return path if path.is_absolute() else base / path


def _is_bool(value: Any) -> bool:
    return isinstance(value, bool)


def _is_delay(value: Any) -> bool:
    return isinstance(value, int | float) and not isinstance(value, bool) and 0 <= value <= 3600


def _instance(ctx: _Ctx, name: str, data: Any) -> InstanceConfig:
    table = f"instances.{name}"
    if not isinstance(data, dict):
        raise ctx.error("instances", name, "expected a table [instances.NAME]")
    ctx.unknown(table, list(data), _INSTANCE_KEYS)
    base_dir = ctx.path.parent
    families = _get(
        ctx,
        table,
        data,
        "families",
        lambda v: isinstance(v, list) and bool(v) and all(f in (4, 6) for f in v),
        "a list of 4 and/or 6",
        [4],
    )
    direction = _get(ctx, table, data, "num", _is_int(0, 1), "0 or 1", 0)
    direction = _get(ctx, table, data, "direction", _is_int(0, 1), "0 or 1", direction)
    pfile = _get(ctx, table, data, "priority_file", _is_str, "a path string", None)
    vips = _get(
        ctx,
        table,
        data,
        "vips",
        lambda v: isinstance(v, list) and all(_is_addr(a) for a in v),
        "a list of IP addresses",
        [],
    )
    return InstanceConfig(
        name=name,
        vrid=_get(ctx, table, data, "vrid", _is_int(1, 255), "an integer 1-255", None),
        families=tuple(dict.fromkeys(families)),
        priority_file=_path(base_dir, pfile) if pfile else None,
        direction=direction,
        base=_get(ctx, table, data, "base", _is_int(0, 255), "an integer 0-255", 50),
        step=_get(ctx, table, data, "step", _is_int(-254, 254), "an integer", 50),
        scripts=_get(ctx, table, data, "scripts", _is_int(0, 254), "an integer 0-254", 4),
        span=_get(ctx, table, data, "span", _is_int(1, 10_000), "a positive integer", None),
        span_lines=_get(
            ctx, table, data, "span_lines", _is_int(-10_000, 10_000), "an integer", None
        ),
        vips=tuple(vips),
        advert_int=float(_get(ctx, table, data, "advert_int", _is_num, "seconds > 0", 1.0)),
        script_interval=float(
            _get(ctx, table, data, "script_interval", _is_num, "seconds > 0", 1.0)
        ),
        interface=_get(ctx, table, data, "interface", _is_str, "a string", None),
        nopreempt=_get(ctx, table, data, "nopreempt", _is_bool, "true or false", False),
        preempt_delay=float(
            _get(ctx, table, data, "preempt_delay", _is_delay, "seconds >= 0", 0.0)
        ),
        serves_dns=_get(ctx, table, data, "serves_dns", _is_bool, "true or false", None),
    )


def _hosts(ctx: _Ctx, data: Any) -> dict[str, tuple[str, ...]]:
    if not isinstance(data, dict):
        raise ctx.error("", "hosts", "expected a table [hosts]")
    out: dict[str, tuple[str, ...]] = {}
    for name, value in data.items():
        addrs = [value] if isinstance(value, str) else value
        if not isinstance(addrs, list) or not all(_is_addr(a) for a in addrs):
            raise ctx.error("hosts", name, f"expected an address or a list of them, got {value!r}")
        out[name] = tuple(addrs)
    return out


def parse_config(text: str, path: Path) -> Config:
    """Parse TOML ``text`` read from ``path``; raises ``ConfigError`` (one line)."""
    try:
        data = tomllib.loads(text)
    except tomllib.TOMLDecodeError as exc:
        msg = str(exc)
        match = re.search(r"\(at line (\d+), column \d+\)", msg)
        where = f"{path}:{match.group(1)}" if match else str(path)
        reason = re.sub(r"\s*\(at line \d+, column \d+\)", "", msg) if match else msg
        raise ConfigError(f"{where}: invalid TOML: {reason}") from None
    ctx = _Ctx(path, text)
    ctx.unknown("", list(data), _TOP_KEYS)
    dns_data = data.get("dns", {})
    if not isinstance(dns_data, dict):
        raise ctx.error("", "dns", "expected a table [dns]")
    ctx.unknown("dns", list(dns_data), _DNS_KEYS)
    dns = DnsConfig(
        query=_get(ctx, "dns", dns_data, "query", _is_str, "NAME[/TYPE]", DEFAULT_QUERY),
        expect=_get(ctx, "dns", dns_data, "expect", _is_str, "a string", None),
        interval=float(_get(ctx, "dns", dns_data, "interval", _is_num, "seconds > 0", 2.0)),
        timeout=float(_get(ctx, "dns", dns_data, "timeout", _is_num, "seconds > 0", 1.0)),
    )
    instances_data = data.get("instances", {})
    if not isinstance(instances_data, dict):
        raise ctx.error("", "instances", "expected tables [instances.NAME]")
    instances = tuple(_instance(ctx, name, val) for name, val in instances_data.items())
    pfiles = _get(
        ctx,
        "",
        data,
        "priority_files",
        lambda v: isinstance(v, list) and all(isinstance(p, str) for p in v),
        "a list of paths",
        [],
    )
    kconf = _get(ctx, "", data, "keepalived_conf", _is_str, "a path string", None)
    bdir = _get(ctx, "", data, "backup_dir", _is_str, "a path string", None)
    return Config(
        instances=instances,
        dns=dns,
        hosts=_hosts(ctx, data.get("hosts", {})),
        keepalived_conf=_path(path.parent, kconf) if kconf else None,
        priority_files=tuple(_path(path.parent, p) for p in pfiles),
        backup_dir=_path(path.parent, bdir) if bdir else None,
        on_save=_get(ctx, "", data, "on_save", _is_str, "a shell command string", None),
        notify=_get(ctx, "", data, "notify", _is_str, "a command string", None),
        rank_scripts=tuple(
            _get(
                ctx,
                "",
                data,
                "rank_scripts",
                lambda v: isinstance(v, list) and all(isinstance(s, str) and s for s in v),
                "a list of script names",
                ["named_check"],
            )
        ),  # fmt: skip
        path=path,
        warnings=tuple(ctx.warnings),
    )


def load_config(path: Path | None = None, search: Sequence[Path] = SEARCH_PATH) -> Config:
    """Load ``path``, or the first existing file of ``search``; defaults when none.

    Raises ``ConfigError`` (one line, ``file:line: ...``) for an unreadable or
    invalid file; a missing *explicit* path is an error, a missing default is not.
    """
    skipped: list[str] = []
    if path is None:
        # A default location that cannot be looked at (an unreadable HOME when run
        # with a privilege tool that keeps HOME=/root) is a warning, never a crash:
        # the configuration is optional there.
        for candidate in search:
            candidate = candidate.expanduser()
            try:
                if not candidate.is_file():
                    continue
                raw = candidate.read_bytes()
            except OSError as exc:
                if exc.errno not in (errno.ENOENT, errno.ENOTDIR):
                    skipped.append(f"{candidate}: cannot read ({exc.strerror or exc}), ignored")
                continue
            config = _decode_and_parse(raw, candidate)
            return replace(config, warnings=(*skipped, *config.warnings))
        return Config(warnings=tuple(skipped))
    try:
        raw = path.read_bytes()
    except OSError as exc:
        raise ConfigError(f"{path}: cannot read: {exc.strerror or exc}", 66) from None
    return _decode_and_parse(raw, path)


def _decode_and_parse(raw: bytes, path: Path) -> Config:
    try:
        text = raw.decode("utf-8")
    except UnicodeDecodeError as exc:
        raise ConfigError(f"{path}: not UTF-8 text (bad byte at offset {exc.start})") from None
    return parse_config(text, path)
