"""Pure console helpers: durations, age colouring, bars, sparklines, sort, filter, hex."""

from __future__ import annotations

import sys
from dataclasses import replace
from pathlib import Path

import pytest

sys.path.insert(0, str(Path(__file__).resolve().parents[2]))

from tests.ui.scenario import SECRET, T0, after_failover, steady  # noqa: E402
from vrrptop.model.snapshot import InstanceView, VipHolder  # noqa: E402
from vrrptop.ui import format as f  # noqa: E402


@pytest.mark.parametrize(
    ("seconds", "text"),
    [
        (None, "-"),
        (0.04, "0.0s"),
        (3.25, "3.2s"),
        (12.9, "12s"),
        (184, "3m04s"),
        (7380, "2h03m"),
        (3 * 86400 + 7200, "3d02h"),
        (-5, "0.0s"),
    ],
)
def test_fmt_seconds(seconds: float | None, text: str) -> None:
    assert f.fmt_seconds(seconds) == text


def test_fmt_interval_and_clock() -> None:
    from datetime import UTC

    assert f.fmt_interval(100) == "1s"
    assert f.fmt_interval(50) == "0.5s"
    assert f.fmt_interval(1000) == "10s"
    # 1700000000 is 2023-11-14 22:13:20 UTC
    assert f.fmt_clock(T0 + 0.25, UTC, millis=True) == "22:13:20.250"
    assert f.fmt_clock(None) == "--:--:--"


def test_age_level_follows_master_down_interval() -> None:
    # Master_Down_Interval 3.6 s for a 1 s interval: on time, one missed, expired.
    assert f.age_level(0.9, 3.6) == "ok"
    assert f.age_level(2.1, 3.6) == "warn"
    assert f.age_level(3.6, 3.6) == "bad"
    assert f.age_level(1.0, 0.0) == "ok"  # unknown interval never alarms


def test_bar_width_and_fill() -> None:
    assert f.bar(0.0, 4) == "····"
    assert f.bar(1.0, 4) == "████"
    assert f.bar(2.0, 4) == "████"  # clamped
    assert f.bar(0.5, 4) == "██··"
    assert f.bar(1 / 8, 4) == "▌···"  # half a cell = four eighths
    assert f.bar(1 / 16, 4) == "▎···"  # a quarter cell = two eighths
    assert all(len(f.bar(x / 10, 7)) == 7 for x in range(11))
    assert f.age_bar(5.0, 3.6, 4).endswith("EXPIRED")


def test_sparkline_scales_min_to_max() -> None:
    assert f.sparkline([1, 2, 3]) == "▁▅█"
    assert f.sparkline([]) == ""
    assert len(set(f.sparkline([2.0, 2.0, 2.0]))) == 1
    assert f.sparkline(list(range(100)), width=10) == f.sparkline(list(range(90, 100)))


def test_state_words_are_words_not_only_colours() -> None:
    for state in ("ok", "silent", "split-brain", "mismatch", "checksum-errors", "resigned"):
        word, level = f.state_word(state)
        assert word.replace(" ", "").isalpha()
        assert level in ("ok", "warn", "bad")
    assert f.state_word("split-brain") == ("SPLIT BRAIN", "bad")
    assert f.state_word("new-state")[0] == "NEW-STATE"


def test_sort_orders() -> None:
    snap = after_failover()

    def keys(rows: list[InstanceView]) -> list[tuple[int, int]]:
        return [(i.vrid, i.family) for i in rows]

    assert keys(f.sort_instances(snap.instances, "vrid")) == [(210, 4), (210, 6), (211, 4)]
    # the silent 210/6 is the worst state and the oldest age
    assert keys(f.sort_instances(snap.instances, "state"))[0] == (210, 6)
    assert keys(f.sort_instances(snap.instances, "age"))[0] == (210, 6)
    # priorities: 210/4 has 200 (rnb), the others 250 (cnh)
    assert keys(f.sort_instances(snap.instances, "priority"))[-1] == (210, 4)
    # by address, numerically, IPv4 before IPv6: .11 (211/4), .12 (210/4), 2001:db8::11
    assert keys(f.sort_instances(snap.instances, "master")) == [(211, 4), (210, 4), (210, 6)]
    seen = [f.SORT_KEYS[0]]
    for _ in f.SORT_KEYS:
        seen.append(f.next_sort_key(seen[-1]))
    assert seen[-1] == seen[0] and set(seen) == set(f.SORT_KEYS)


def test_same_name_instances_sit_together() -> None:
    snap = steady()
    a, b, c = snap.instances
    other = replace(c, vrid=5, name="testdns0")  # VRID 5 shares testdns0's name
    rows = f.sort_instances([a, b, c, other], "vrid")
    assert [(i.vrid, i.family) for i in rows] == [(5, 4), (210, 4), (210, 6), (211, 4)]


def test_filter_matches_vrid_address_and_names() -> None:
    snap = after_failover()
    names = f.names_by_address(snap.hosts)

    def match(q: str) -> list[tuple[int, int]]:
        return [(i.vrid, i.family) for i in snap.instances if f.instance_matches(i, q, names)]

    assert match("") == [(210, 4), (210, 6), (211, 4)]
    assert match("211") == [(211, 4)]
    assert match("21") == []  # a number is a VRID, not a substring
    assert match("203.0.113.12") == [(211, 4)]  # a VIP
    assert match("rnb") == [(210, 4), (210, 6), (211, 4)]  # rnb advertises in all three
    assert match("testdns1") == [(211, 4)]
    assert match("2001:DB8:8::") == [(210, 6)]  # case-insensitive
    hosts = [h.name for h in snap.hosts if f.host_matches(h, "wcdc")]
    assert hosts == ["recdns-wcdc"]
    assert all(f.host_matches(h, "210") for h in snap.hosts)
    assert not any(f.host_matches(h, "99") for h in snap.hosts)


def test_vip_holder_text() -> None:
    inst = steady().instances[0]
    assert f.vip_holder_text(inst) == ("master", "ok")
    assert f.vip_holder_text(replace(inst, vip_holders=())) == ("-", "dim")
    other = (VipHolder("203.0.113.119", "02:00:00:00:00:99", T0, False),)
    assert f.vip_holder_text(replace(inst, vip_holders=other)) == ("OTHER 02:00:00:00:00:99", "bad")
    unknown = (VipHolder("203.0.113.119", "02:00:00:00:00:99", T0, None),)
    assert f.vip_holder_text(replace(inst, vip_holders=unknown))[0] == "?"


def test_master_text_names_toggle() -> None:
    snap = steady()
    inst = snap.instances[0]
    names = f.names_by_address(snap.hosts)
    assert f.master_text(inst, names, True) == "198.51.100.11 (recdns-cnh)"
    assert f.master_text(inst, names, False) == "198.51.100.11"
    assert f.master_text(replace(inst, master=None), names, True) == "-"


def test_hexdump_layout_and_redaction() -> None:
    data = bytes(range(0x41, 0x41 + 20))  # "ABCDEFGHIJKLMNOPQRST"
    lines = f.hexdump(data)
    assert lines[0] == "0000  " + " ".join(f"{b:02x}" for b in data[:16]) + "  ABCDEFGHIJKLMNOP"
    assert lines[1].startswith("0010  51 52 53 54 ")
    assert lines[1].endswith("  QRST")
    red = f.hexdump(data, redact=range(2, 4))
    assert red[0].startswith("0000  41 42 ** ** 45")
    assert "AB**EF" in red[0]


def test_secret_never_in_redacted_hexdump() -> None:
    from tests import pcapgen as g
    from vrrptop.ui.detail_view import auth_text
    from vrrptop.wire.auth import secret_span
    from vrrptop.wire.decode import decode_frame
    from vrrptop.wire.records import Frame

    frame = g.advert4(auth_type=1, auth=SECRET) + b"\0" * 6  # with Ethernet padding
    advert = decode_frame(Frame(0.0, 1, frame))
    span = secret_span(advert)  # type: ignore[arg-type]
    assert span is not None and span.start == len(frame) - 6 - 8
    assert span is not None and frame[span.start : span.stop] == SECRET
    text = "\n".join(f.hexdump(frame, redact=span))
    assert SECRET.decode() not in text.replace("\n", "")
    assert SECRET[:4].hex(" ") not in text
    assert "s3cret" not in auth_text(advert) and str(len(SECRET)) not in auth_text(advert)
