"""keepalived's preprocessing (@id, $NAME, multi-line definitions, ~SEQ, comments),
with the examples of keepalived.conf(5) and what keepalived 2.2.7 dumps for them."""

from __future__ import annotations

from pathlib import Path

from vrrptop.config import parse_keepalived, parse_keepalived_text
from vrrptop.config.kapre import Preprocessor, decomment, default_config_id


def lines(text: str, config_id: str = "main") -> list[str]:
    pre = Preprocessor(config_id)
    out: list[str] = []
    for number, raw in enumerate(text.split("\n"), 1):
        out.extend(pre.feed(raw, f"t:{number}"))
    pre.end_file()
    return out


def test_conditional_lines_follow_the_config_id() -> None:
    text = "@main router_id a\n@backup router_id b\n@^main peer 1\n@^backup peer 2\nx"
    assert lines(text, "main") == ["router_id a", "peer 2", "x"]
    assert lines(text, "backup") == ["router_id b", "peer 1", "x"]
    assert lines(text, "other") == ["peer 1", "peer 2", "x"]
    assert default_config_id() and "." not in default_config_id()


def test_definitions_are_replaced_at_use_time_and_recursively() -> None:
    # keepalived.conf(5)'s example: the value is expanded when used, not when defined.
    text = (
        "$ADDRESS_BASE=10.2.${ADDRESS_BASE_SUB}\n$ADDRESS_BASE_SUB=0\n${ADDRESS_BASE}.100/32\n"
        "$ADDRESS_BASE_SUB=10\n${ADDRESS_BASE}.100/32\n"
    )
    assert lines(text) == ["10.2.0.100/32", "10.2.10.100/32"]
    # $NAME needs white space (or the end) after it; undefined names stay as they are.
    assert lines("$P=240\npriority $P\nx $Py ${UNDEF} $P") == ["priority 240", "x $Py ${UNDEF} 240"]
    # Conditionals and definitions combine both ways.
    assert lines("@main $PRIO=240\n@backup $PRIO=200\npriority $PRIO", "backup") == ["priority 200"]
    assert lines("$IF_MAIN=@main\n$IF_MAIN priority 240", "main") == ["priority 240"]
    assert lines("$IF_MAIN=@main\n$IF_MAIN priority 240", "backup") == []
    assert lines("$E=\nx $E y") == ["x  y"]


def test_multiline_definitions_nest_and_reprocess_each_line() -> None:
    text = (
        "$INST= \\\n vrrp_instance VI_${NUM} { \\\n  @high priority 130 \\\n"
        "  @low priority 120 \\\n  virtual_router_id ${NUM} \\\n }\n"
        "$NUM=1\n$INST\n$NUM=2\n$INST\n"
    )
    assert lines(text, "low") == [
        "vrrp_instance VI_1 {", "priority 120", "virtual_router_id 1", "}",
        "vrrp_instance VI_2 {", "priority 120", "virtual_router_id 2", "}",
    ]  # fmt: skip


def test_sequences_and_lists() -> None:
    assert lines("~SEQ(S, 0, 3) ip 10.0.${S}.1") == [f"ip 10.0.{i}.1" for i in range(4)]
    assert lines("~SEQ(S, 3)") == []  # nothing after it: nothing to repeat
    assert lines("~SEQ(S, 3) $S") == ["1", "2", "3"]
    assert lines("~SEQ(S, 5, -2, 1) $S") == ["5", "3", "1"]
    assert lines("~SEQx(S, 0x90, 0x10, 0xc0) fe80::${S}") == [
        "fe80::90", "fe80::a0", "fe80::b0", "fe80::c0",
    ]  # fmt: skip
    assert lines("~SEQ(A, 1, 2) ~SEQ(B, 0, 1) ${A}.${B}") == ["1.0", "1.1", "2.0", "2.1"]
    assert lines("~LST({IP, IP1}, {10,1},{20,4}) 192.168.${IP}.${IP1}") == [
        "192.168.10.1", "192.168.20.4",
    ]  # fmt: skip


def test_comments_quotes_and_predefined_names() -> None:
    assert decomment('a "b # c" d # e') == ('a "b # c" d ', False)
    assert decomment("auth_pass abc#def") == ("auth_pass abc", False)
    assert decomment('x "open') == ('x "open', True)
    assert lines("x ${_HASH}y${_BANG}") == ["x #y!"]
    assert lines("$A=$A x\n$A") == []  # a loop ends, said once
    pre = Preprocessor("n")
    list(pre.feed("$A=${A}${A}", "t:1"))
    assert list(pre.feed("${A}", "t:2")) == []
    assert any("without end" in w for w in pre.warnings)


def test_expansion_is_bounded() -> None:
    pre = Preprocessor("n")
    out = list(pre.feed("~SEQ(A, 1, 20000) ~SEQ(B, 1, 20000) ~SEQ(C, 1, 9) x", "t:1"))
    assert 0 < len(out) <= 20_000
    assert len(pre.warnings) == 1 and "more than 20000 lines" in pre.warnings[0]


SHARED = """\
! one file for both nodes
$VIP4=198.51.100.10
@alpha $PRIO=200
@^alpha $PRIO=100
vrrp_instance "VI 1" {
    interface eth0
    virtual_router_id 51
    priority $PRIO
    @alpha  unicast_src_ip 203.0.113.1
    @beta   unicast_src_ip 203.0.113.2
    unicast_peer {
        @^alpha 203.0.113.1
        @^beta  203.0.113.2
    }
    virtual_ipaddress {
        ${VIP4}/24
        ~SEQ(N, 11, 12) 198.51.100.${N}
    }
}
"""


def test_shared_config_gives_each_node_its_own_instance() -> None:
    alpha = parse_keepalived_text(SHARED, config_id="alpha")
    beta = parse_keepalived_text(SHARED, config_id="beta")
    assert not alpha.warnings and not beta.warnings
    (a,), (b,) = alpha.instances, beta.instances
    assert (a.name, a.priority, a.unicast_src_ip, a.unicast_peers) == (
        "VI 1", 200, "203.0.113.1", ("203.0.113.2",),
    )  # fmt: skip
    assert (b.priority, b.unicast_src_ip, b.unicast_peers) == (100, "203.0.113.2", ("203.0.113.1",))
    assert a.vips == ("198.51.100.10", "198.51.100.11", "198.51.100.12")


def test_definitions_carry_into_includes_and_pwd_is_the_files_dir(tmp_path: Path) -> None:
    (tmp_path / "sub").mkdir()
    (tmp_path / "keepalived.conf").write_text(
        "$VRID=77\ninclude sub/*.conf\nvrrp_instance late {\n virtual_router_id $PRIO\n}\n"
    )
    (tmp_path / "sub" / "i.conf").write_text(
        '$PRIO=9\nvrrp_script s {\n script "${_PWD}/check"\n}\n'
        "vrrp_instance i {\n virtual_router_id $VRID\n track_script {\n s\n }\n}\n"
    )
    conf = parse_keepalived(tmp_path / "keepalived.conf", config_id="x")
    assert [(i.name, i.vrid) for i in conf.instances] == [("i", 77), ("late", 9)]
    assert conf.scripts["s"].script == f"{tmp_path / 'sub'}/check"


def test_quoted_strings_join_words_and_take_shell_escapes() -> None:
    from vrrptop.config.kaparse import split_line

    assert split_line('abcd" efg h jkl "mnop x') == ["abcd efg h jkl mnop", "x"]
    assert split_line(r'"a\tb\x41\101\"q\\" {') == ['a\tbAA"q\\', "{"]
    assert split_line("'single quotes' stay") == ["'single", "quotes'", "stay"]
    assert split_line('"a{b}" {c}') == ["a{b}", "{", "c", "}"]
