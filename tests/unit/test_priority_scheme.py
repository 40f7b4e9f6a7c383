"""Rank scheme and election prediction, checked against the seed's numbers."""

from __future__ import annotations

from dataclasses import dataclass

import pytest

from vrrptop.priority import History, PriorityFile, Scheme, elect, predict, rank_of

SEED = "recdns-cnh\n#recdns-rnb\nrecdns-sby\nrecdns-wcdc\n"


def _seed_script_weight(lines: list[str], host: str, num: int, scripts: int = 4) -> int:
    """Independent re-implementation of the seed's shell: sum of weights of the
    track scripts named_check TYPE NUM PRIO that succeed (PRIO in 1..scripts)."""
    matches = [i + 1 for i, text in enumerate(lines) if text == host]  # grep -Fxn
    if not matches:
        return 0
    prio = matches[0]
    if num == 1:
        prio = 5 - prio
    return sum(check * 50 for check in range(1, scripts + 1) if check == prio)


@pytest.mark.parametrize("num", [0, 1])
def test_seed_four_line_file_matches_the_seed_script(num: int) -> None:
    f = PriorityFile.parse(SEED)
    lines = SEED.splitlines()
    p = predict(f, Scheme(direction=num))
    for host in ("recdns-cnh", "recdns-rnb", "recdns-sby", "recdns-wcdc"):
        assert p.priority_of(host) == 50 + _seed_script_weight(lines, host, num)


def test_seed_blog_post_assignment() -> None:
    """The post: testdns1 on recdns-cnh, testdns0 on recdns-wcdc, rnb out, sby backup."""
    f = PriorityFile.parse(SEED)
    p0 = predict(f, Scheme(direction=0))
    p1 = predict(f, Scheme(direction=1))
    assert p0.master == "recdns-wcdc"
    assert p1.master == "recdns-cnh"
    assert sorted(h.priority for h in p0.hosts) == [50, 100, 200, 250]
    assert {h.name: h.reason for h in p0.hosts}["recdns-rnb"] == "out of service"


def test_dns_failure_drops_to_base_and_moves_master() -> None:
    f = PriorityFile.parse(SEED)
    p = predict(f, Scheme(direction=0), {"recdns-wcdc": False, "recdns-sby": True})
    assert p.priority_of("recdns-wcdc") == 50
    assert p.master == "recdns-sby"
    assert {h.name: h.reason for h in p.hosts}["recdns-wcdc"] == "DNS failing"


def test_health_objects_with_ok_attribute() -> None:
    @dataclass
    class Summary:
        ok: bool | None

    f = PriorityFile.parse(SEED)
    p = predict(f, Scheme(), {"recdns-wcdc": Summary(False)})
    assert p.master == "recdns-sby"


def test_generalised_rank_for_longer_files() -> None:
    # Six lines: the seed script computes 5 - line whatever the length (rank = scripts
    # + 1 - line), so lines 5 and 6 get ranks 0 and -1: no script, base priority.
    text = "h1\nh2\nh3\nh4\nh5\nh6\n"
    f = PriorityFile.parse(text)
    assert [rank_of(n, 6, Scheme(direction=1)) for n in range(1, 7)] == [4, 3, 2, 1, 0, -1]
    p1 = predict(f, Scheme(direction=1))
    assert p1.priority_of("h1") == 250
    assert p1.priority_of("h5") == 50  # rank 0
    assert p1.master == "h1"
    # A script written as "$((7 - $prio))" is read as span 6 (config.derive.script_span).
    p_six = predict(f, Scheme(direction=1, span=6))
    assert p_six.priority_of("h1") == 50  # rank 6 > 4 scripts
    assert p_six.priority_of("h3") == 250


def test_more_scripts_and_clamp() -> None:
    f = PriorityFile.parse("a\nb\nc\nd\ne\nf\n")
    p = predict(f, Scheme(direction=0, scripts=6, step=40))
    assert p.priority_of("f") == 254  # 50 + 240 clamped by keepalived
    assert p.priority_of("e") == 250
    assert p.master == "f"


def test_tie_broken_by_higher_primary_address() -> None:
    assert elect({"a": 50, "b": 50}, {"a": "198.51.100.9", "b": "198.51.100.10"}) == ("b", ())
    assert elect({"a": 50, "b": 50}, {"a": "2001:db8::ff", "b": "2001:db8::1:0"}) == ("b", ())
    assert elect({"a": 50, "b": 50}, {"a": "198.51.100.9"}) == (None, ("a", "b"))
    assert elect({"a": 60, "b": 50}) == ("a", ())
    assert elect({}) == (None, ())


def test_all_broken_noted_and_extra_hosts_at_base() -> None:
    f = PriorityFile.parse("#a\n#b\n")
    p = predict(f, Scheme(), extra_hosts=["c"])
    assert [h.priority for h in p.hosts] == [50, 50, 50]
    assert p.master is None and p.tie == ("a", "b", "c")
    assert any("base priority" in r for r in p.reasons)
    assert {h.name: h.reason for h in p.hosts}["c"] == "not listed"


def test_history_undo_redo_dirty() -> None:
    f = PriorityFile.parse(SEED)
    h = History(f)
    assert not h.dirty and not h.can_undo
    g = h.push(f.move_up(3))
    assert h.dirty and h.current is g
    h.push(g.disable(0))
    assert h.undo() is g
    assert h.undo() == f and not h.dirty
    assert h.redo() is g and h.can_redo
    h.push(g.enable(1))  # a new edit clears redo
    assert not h.can_redo
    h.mark_saved()
    assert not h.dirty
    h.reset(f)
    assert not h.can_undo and h.current == f
