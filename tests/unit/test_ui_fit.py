"""Nothing hidden at 80 columns: the header and the hosts table fit the width they
are given, dropping optional parts first (issue 13)."""

from __future__ import annotations

import sys
from dataclasses import replace
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parents[2]))

from tests.ui.scenario import after_failover  # noqa: E402
from vrrptop.capture.base import SourceStatus  # noqa: E402
from vrrptop.model.snapshot import Counters  # noqa: E402
from vrrptop.ui.header import HeaderInfo, header_lines, short_source_name  # noqa: E402
from vrrptop.ui.host_layout import host_table, merge_family_cells, vrid_groups  # noqa: E402
from vrrptop.ui.rows import MAX_INSTANCE_COLUMNS  # noqa: E402

LONG = "/var/tmp/incident-2026-12-01-recdns-failover-during-maintenance-window.pcapng"


def _info(**kw: object) -> HeaderInfo:
    base = dict(
        source_name=short_source_name(LONG, demo=False),
        status=SourceStatus(LONG, "file", "ended"),
        counters=Counters(frames=123456, adverts=120000, malformed=12, dropped=3),
        paused=True,
        ended=True,
        elapsed_s=4000.0,
        clock_text="12:00:00",
        clock_label="capture time",
        sort_key="priority",
        filter_text="recdns-wcdc",
        show_names=False,
    )
    base.update(kw)
    return HeaderInfo(**base)  # type: ignore[arg-type]


def _plain(segments: list[tuple[str, object]]) -> str:
    return "".join(t for t, _ in segments)


def test_source_name_is_short() -> None:
    assert short_source_name(LONG, demo=False) == LONG.rsplit("/", 1)[1]
    assert short_source_name("/usr/lib/python3/vrrptop/demo/lab.pcap", demo=True) == "demo"
    assert short_source_name("em1", demo=False) == "em1"


def test_header_keeps_state_and_counters_at_80_columns() -> None:
    for width in (60, 80):
        first, second = header_lines(_info(), width)
        one, two = _plain(first), _plain(second)
        assert len(one) <= width and len(two) <= width, (width, one, two)
        assert "END OF CAPTURE" in one and "DISPLAY PAUSED" in one
        for part in ("frames 123456", "adverts 120000", "malformed 12", "dropped 3"):
            assert part in two
        assert "incident" in one  # the name is shortened, not dropped
    # A wide terminal shows everything, the name in full.
    first, second = header_lines(_info(), 200)
    assert "pcapng" in _plain(first) and "capture time" in _plain(first)
    assert "sort:priority" in _plain(second) and "numeric" in _plain(second)
    # Dropped in order: the clock's label goes before the clock.
    first, _ = header_lines(_info(source_name="em1", paused=False), 60)
    assert "12:00:00" in _plain(first) and "capture time" not in _plain(first)


def test_families_share_a_cell() -> None:
    assert vrid_groups(["210/4", "210/6", "211/4"]) == [
        ("210", ["210/4", "210/6"]),
        ("211", ["211/4"]),
    ]
    assert merge_family_cells([("250 MASTER", "ok"), ("250 MASTER", "ok")]) == ("250 MASTER", "ok")
    assert merge_family_cells([("250 MASTER", "ok"), ("100≠250", "warn")]) == (
        "250 MASTER │ 100≠250",
        "warn",
    )
    assert merge_family_cells([("", "dim"), ("200", None)]) == ("- │ 200", "dim")


def _width(columns, rows) -> int:  # type: ignore[no-untyped-def]
    widths = [len(c.label) for c in columns]
    for _, cells in rows:
        for i, (text, _) in enumerate(cells):
            widths[i] = max(widths[i], len(text))
    return sum(w + 2 for w in widths)


def test_hosts_table_fits_and_shows_every_vrid() -> None:
    snap = after_failover()
    for width in (80, 120, 200):
        columns, rows = host_table(
            snap.hosts, snap.instances, snap.ts, show_names=True, width=width
        )
        assert _width(columns, rows) <= width - 2, width
        labels = [c.label for c in columns]
        vrids = sorted({str(i.vrid) for i in snap.instances})
        assert [lbl.split()[0] for lbl in labels if lbl[:1].isdigit()] == vrids, labels
        assert len(rows) == len(snap.hosts)
    wide, _ = host_table(snap.hosts, snap.instances, snap.ts, show_names=True, width=200)
    narrow, _ = host_table(snap.hosts, snap.instances, snap.ts, show_names=True, width=80)
    assert "macs" in [c.id for c in wide] and "macs" not in [c.id for c in narrow]


def test_hosts_table_summarises_past_the_column_limit() -> None:
    snap = after_failover()
    many = tuple(replace(snap.instances[0], vrid=v) for v in range(1, MAX_INSTANCE_COLUMNS + 2))
    columns, _ = host_table(snap.hosts, many, snap.ts, show_names=True, width=200)
    assert columns[-1].id == "instances"


def _phases(tick_s: float, advert_s: float = 1.0, ticks: int = 10) -> set[float]:
    """The ages a tick every ``tick_s`` reads off a master advertising every ``advert_s``."""
    return {round((k * tick_s) % advert_s, 1) for k in range(ticks)}


def test_ages_move_at_the_console_tick() -> None:
    from vrrptop.ui.app import VrrptopApp

    assert len(_phases(1.0)) == 1  # the control: a 1 s tick reads one frozen age
    assert len(_phases(VrrptopApp.TICK_S)) >= 5  # the console's tick walks the phases
    assert len(_phases(VrrptopApp.TICK_S, advert_s=2.0)) >= 5
