"""keepalived.conf parsing: the seed deployment, includes, syntax corners, robustness."""

from __future__ import annotations

from pathlib import Path

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from vrrptop.config import (
    ConfigError,
    instances_from_keepalived,
    parse_keepalived,
    parse_keepalived_text,
)
from vrrptop.config.kaparse import tokenize

DATA = Path(__file__).resolve().parents[1] / "data"
SEED_CONF = DATA / "keepalived-seed.conf"


def test_seed_config_instances_and_scripts() -> None:
    conf = parse_keepalived(SEED_CONF)
    by_name = {i.name: i for i in conf.instances}
    assert set(by_name) == {"testdns0", "testdns1"}
    t0 = by_name["testdns0"]
    assert (t0.vrid, t0.priority, t0.interface, t0.state) == (210, 50, "em1", "BACKUP")
    assert t0.auth_type == "PASS" and t0.has_auth_pass
    assert "XXXXXXXX" not in repr(t0)  # the password is not kept
    assert t0.vips == ("198.51.100.210", "2001:db8:212:8::d:fff0")
    assert t0.family == 4 and t0.advertised_vips == ("198.51.100.210",)
    assert [t.name for t in t0.track_scripts] == [f"named_check_testdns0_{p}" for p in (1, 2, 3, 4)]
    script = conf.scripts["named_check_testdns1_3"]
    assert script.script == "/etc/keepalived/named_check testdns 1 3"
    assert (script.interval, script.timeout, script.weight) == (1.0, 2.0, 150)
    # Mixed families are flagged (keepalived --config-test: "address family must match").
    assert sum("mixed" in w for w in conf.warnings) == 2


def test_seed_config_maps_named_check_to_priority_file_and_direction() -> None:
    conf = parse_keepalived(SEED_CONF)
    derived = {i.name: i for i in instances_from_keepalived(conf)}
    for name, vrid, num in (("testdns0", 210, 0), ("testdns1", 211, 1)):
        inst = derived[name]
        assert inst.vrid == vrid and inst.direction == num
        assert inst.priority_file == SEED_CONF.parent / "priority.testdns"
        assert (inst.base, inst.step, inst.scripts, inst.script_interval) == (50, 50, 4, 1.0)
        assert inst.families == (4,)
    assert not [w for w in conf.warnings if "named_check" in w or "weights" in w]


def test_tokenizer_comments_quotes_and_braces() -> None:
    # keepalived 2.2.7 ends a line at '#'/'!' anywhere outside double quotes
    # (its dump shows ``auth_pass abc#def`` as "abc"), also inside a word.
    toks = [t for t, _ in tokenize('a "b c" {d}# x\n! all comment\ne f!g #h\n"p#q" x"y z"w')]
    assert toks == ["a", "b c", "{", "d", "}", "\n", "\n", "e", "f", "\n", "p#q", "xy zw", "\n"]


def test_blocks_on_one_line_and_unknown_keywords_warned() -> None:
    conf = parse_keepalived_text(
        "vrrp_instance X { virtual_router_id 7\n priority 99\n frobnicate yes\n"
        "virtual_ipaddress { 203.0.113.7/24 dev eth0 label eth0:1\n not-an-ip }\n"
        "track_script { chk weight -20 }\n}\nmystery_block { x }\n}\n"
    )
    (inst,) = conf.instances
    assert (inst.vrid, inst.priority, inst.vips) == (7, 99, ("203.0.113.7",))
    assert inst.track_scripts[0].weight == -20
    text = "\n".join(conf.warnings)
    assert "frobnicate" in text and "not-an-ip" in text and "mystery_block" in text
    assert "unbalanced" in text
    instances_from_keepalived(conf)
    assert any("'chk' has no vrrp_script" in w for w in conf.warnings)


def test_include_globs_relative_paths_and_loops(tmp_path: Path) -> None:
    (tmp_path / "conf.d").mkdir()
    (tmp_path / "keepalived.conf").write_text(
        "include conf.d/*.conf\ninclude missing/*.conf\ninclude keepalived.conf\n"
    )
    (tmp_path / "conf.d" / "a.conf").write_text(
        'vrrp_script named_check_recdns0_1 {\n script "named_check recdns 0 1"\n weight 30\n}\n'
    )
    (tmp_path / "conf.d" / "b.conf").write_text(
        "vrrp_instance recdns0 {\n virtual_router_id 200\n priority 20\n"
        " virtual_ipaddress {\n 2001:db8::200\n }\n include ../inner.inc\n}\n"
    )
    (tmp_path / "inner.inc").write_text("track_script {\n named_check_recdns0_1\n}\n")
    conf = parse_keepalived(tmp_path / "keepalived.conf")
    (inst,) = instances_from_keepalived(conf)
    assert inst.name == "recdns0" and inst.families == (6,)
    assert (inst.base, inst.step, inst.scripts) == (20, 30, 1)
    assert inst.priority_file == tmp_path / "priority.recdns"
    text = "\n".join(conf.warnings)
    assert "no such file" in text and "include loop" in text
    assert len(conf.files) == 4


def test_unreadable_main_file_is_a_config_error(tmp_path: Path) -> None:
    with pytest.raises(ConfigError, match="cannot read"):
        parse_keepalived(tmp_path / "nope.conf")


def test_inconsistent_weights_and_ranks_warned() -> None:
    conf = parse_keepalived_text(
        'vrrp_script s1 {\n script "/x/named_check t 1 1"\n weight 40\n}\n'
        'vrrp_script s3 {\n script "/x/named_check t 1 3"\n weight 100\n}\n'
        "vrrp_instance i {\n virtual_router_id 9\n track_script {\n s1\n s3\n }\n}\n"
    )
    (inst,) = instances_from_keepalived(conf)
    assert inst.direction == 1 and inst.scripts == 3
    text = "\n".join(conf.warnings)
    assert "not PRIO*step" in text and "not 1..N" in text


_words = st.sampled_from(
    [
        "vrrp_instance",
        "vrrp_script",
        "virtual_router_id",
        "priority",
        "virtual_ipaddress",
        "track_script",
        "weight",
        "script",
        "include",
        "{",
        "}",
        '"',
        "#",
        "!",
        "\n",
        " ",
        "255",
        "-1",
        "1e999",
        "nan",
        "198.51.100.1/24",
        "named_check",
        "@host",
        "$X",
    ]
)


@settings(max_examples=400)
@given(st.one_of(st.text(max_size=200), st.lists(_words, max_size=60).map(" ".join)))
def test_parser_never_raises_on_arbitrary_text(text: str) -> None:
    conf = parse_keepalived_text(text, base=Path("/nonexistent-vrrptop-test"))
    instances_from_keepalived(conf)
    assert isinstance(conf.warnings, list)


SAMPLES = Path("/usr/share/doc/keepalived/samples")


@pytest.mark.skipif(not SAMPLES.is_dir(), reason="keepalived samples not installed")
def test_keepalived_shipped_samples_parse_without_crashing() -> None:
    """keepalived's own sample configurations (Debian package) as real-world input."""
    found = 0
    for path in sorted(SAMPLES.iterdir()):
        if path.is_file() and path.suffix != ".gz":
            conf = parse_keepalived(path)
            found += len(instances_from_keepalived(conf))
            assert all("\n" not in w for w in conf.warnings)
    assert found > 0
