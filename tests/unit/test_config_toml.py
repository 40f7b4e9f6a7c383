"""vrrptop's TOML configuration: values, defaults, search path, one-line errors."""

from __future__ import annotations

from pathlib import Path

import pytest

from vrrptop.config import Config, ConfigError, load_config, parse_config, resolve_config

DATA = Path(__file__).resolve().parents[1] / "data"

SEED_TOML = """\
keepalived_conf = "keepalived.conf"
on_save = "rsync -a $VRRPTOP_FILE backup:/etc/keepalived/"
backup_dir = "backups"

[dns]
query = "cam.ac.uk/TXT"
expect = "v=spf1"
interval = 2
timeout = 0.5

[instances.testdns0]
vrid = 210
families = [4, 6]
priority_file = "priority.testdns"
num = 0

[instances.testdns1]
vrid = 211
priority_file = "/etc/keepalived/priority.testdns"
direction = 1
base = 60
step = 40
scripts = 5
span = 4
vips = ["198.51.100.211", "2001:db8::d:fff1"]

[hosts]
recdns-cnh = ["198.51.100.11", "2001:db8::11"]
recdns-rnb = "198.51.100.12"
"""


def test_full_config(tmp_path: Path) -> None:
    path = tmp_path / "vrrptop.toml"
    path.write_text(SEED_TOML)
    cfg = load_config(path)
    assert cfg.path == path and cfg.warnings == ()
    assert cfg.dns.query == "cam.ac.uk/TXT" and cfg.dns.expect == "v=spf1"
    assert (cfg.dns.interval, cfg.dns.timeout) == (2.0, 0.5)
    assert cfg.keepalived_conf == tmp_path / "keepalived.conf"
    assert cfg.backup_dir == tmp_path / "backups"
    assert cfg.on_save is not None and "$VRRPTOP_FILE" in cfg.on_save
    t0, t1 = cfg.instances
    assert (t0.name, t0.vrid, t0.families, t0.direction) == ("testdns0", 210, (4, 6), 0)
    assert t0.priority_file == tmp_path / "priority.testdns"
    assert (t0.base, t0.step, t0.scripts, t0.span) == (50, 50, 4, None)
    assert t1.scheme.direction == 1 and t1.scheme.span == 4 and t1.scheme.base == 60
    assert t1.vips == ("198.51.100.211", "2001:db8::d:fff1")
    assert cfg.hosts == {
        "recdns-cnh": ("198.51.100.11", "2001:db8::11"),
        "recdns-rnb": ("198.51.100.12",),
    }
    assert cfg.instance(210, 6) is t0 and cfg.instance(211, 6) is None
    assert cfg.all_priority_files() == [
        tmp_path / "priority.testdns",
        Path("/etc/keepalived/priority.testdns"),
    ]


def test_defaults_when_no_file_in_search_path(tmp_path: Path) -> None:
    cfg = load_config(None, search=[tmp_path / "a.toml", tmp_path / "b.toml"])
    assert cfg == Config()
    assert cfg.dns.query == "cam.ac.uk/TXT" and cfg.dns.interval == 2.0


def test_search_path_order(tmp_path: Path) -> None:
    second = tmp_path / "b.toml"
    second.write_text('[dns]\nquery = "example.org/A"\n')
    cfg = load_config(None, search=[tmp_path / "a.toml", second])
    assert cfg.path == second and cfg.dns.query == "example.org/A"


def test_unknown_keys_are_warnings(tmp_path: Path) -> None:
    cfg = parse_config("colour = 1\n[instances.x]\nvird = 3\n", tmp_path / "c.toml")
    assert any("'colour'" in w for w in cfg.warnings)
    assert any("instances.x.vird" in w for w in cfg.warnings)


@pytest.mark.parametrize(
    ("text", "fragment"),
    [
        ("[dns]\nquery = \n", "c.toml:2: invalid TOML"),
        ("[instances.a]\n# c\nvrid = 300\n", "c.toml:3: instances.a.vrid: expected an integer"),
        ("[instances.a]\ndirection = 2\n", "c.toml:2: instances.a.direction: expected 0 or 1"),
        ("[instances.a]\nfamilies = [5]\n", "instances.a.families"),
        ("[hosts]\nh = ['not-an-ip']\n", "c.toml:2: hosts.h: expected an address"),
        ("dns = 3\n", "dns: expected a table"),
        ("[dns]\ntimeout = -1\n", "c.toml:2: dns.timeout"),
        ("[instances.a]\nbase = true\n", "instances.a.base"),
        ("[instances.a]\nspan_lines = 'wc'\n", "c.toml:2: instances.a.span_lines"),
    ],
)
def test_errors_are_one_line_with_file_and_line(tmp_path: Path, text: str, fragment: str) -> None:
    with pytest.raises(ConfigError) as info:
        parse_config(text, tmp_path / "c.toml")
    message = str(info.value)
    assert fragment in message and "\n" not in message
    assert info.value.exit_code != 0


def test_unreadable_or_binary_file(tmp_path: Path) -> None:
    with pytest.raises(ConfigError, match="cannot read"):
        load_config(tmp_path / "missing.toml")
    bad = tmp_path / "bad.toml"
    bad.write_bytes(b"\xff\xfe")
    with pytest.raises(ConfigError, match="not UTF-8"):
        load_config(bad)


def test_resolve_merges_keepalived_and_toml(tmp_path: Path) -> None:
    (tmp_path / "keepalived.conf").write_text((DATA / "keepalived-seed.conf").read_text())
    toml = tmp_path / "vrrptop.toml"
    toml.write_text(
        'keepalived_conf = "keepalived.conf"\n[instances.testdns0]\nfamilies = [4, 6]\n'
    )
    cfg, kconf = resolve_config(toml, default_keepalived=tmp_path / "none.conf")
    assert kconf is not None
    by_name = {i.name: i for i in cfg.instances}
    t0, t1 = by_name["testdns0"], by_name["testdns1"]
    # The TOML declaration wins, keepalived fills VRID and the priority file.
    assert t0.source == "config+keepalived" and t0.families == (4, 6) and t0.vrid == 210
    assert t0.priority_file == tmp_path / "priority.testdns"
    assert t1.source == "keepalived" and t1.direction == 1 and t1.vrid == 211
    assert any("mixed" in w for w in cfg.warnings)


def test_resolve_without_keepalived(tmp_path: Path) -> None:
    cfg, kconf = resolve_config(
        None, default_keepalived=tmp_path / "none.conf", search=[tmp_path / "none.toml"]
    )
    assert kconf is None and cfg == Config()
    with pytest.raises(ConfigError, match="cannot read"):
        resolve_config(None, tmp_path / "explicit.conf", search=[tmp_path / "none.toml"])


def test_span_lines_reverses_by_the_files_length(tmp_path: Path) -> None:
    cfg = parse_config("[instances.a]\ndirection = 1\nspan_lines = 0\n", tmp_path / "c.toml")
    scheme = cfg.instances[0].scheme
    assert (scheme.span, scheme.span_lines) == (None, 0)
