"""Pure content of the header, the table rows, the detail view and the key table."""

from __future__ import annotations

import sys
from dataclasses import replace
from datetime import UTC
from pathlib import Path

from rich.console import Console

sys.path.insert(0, str(Path(__file__).resolve().parents[2]))

from tests.ui.scenario import SECRET, after_failover, steady  # noqa: E402
from vrrptop.capture.base import SourceStatus  # noqa: E402
from vrrptop.model.snapshot import Counters  # noqa: E402
from vrrptop.ui import detail_view as dv  # noqa: E402
from vrrptop.ui.format import names_by_address  # noqa: E402
from vrrptop.ui.header import HeaderInfo, header_lines  # noqa: E402
from vrrptop.ui.keys import KEY_HELP, keys_markdown  # noqa: E402
from vrrptop.ui.rows import (  # noqa: E402
    INSTANCE_COLUMNS,
    MAX_INSTANCE_COLUMNS,
    columns_for_width,
    host_cells,
    host_columns,
    host_summary,
    instance_cells,
    instance_masters,
)


def _info(**kw: object) -> HeaderInfo:
    base = dict(
        source_name="em1",
        status=SourceStatus("em1", "live", "running"),
        counters=Counters(frames=10, adverts=9, malformed=1, dropped=0),
        paused=False,
        ended=False,
        elapsed_s=75.0,
        clock_text="12:00:00",
        clock_label="",
        sort_key="vrid",
        filter_text="",
        show_names=True,
    )
    base.update(kw)
    return HeaderInfo(**base)  # type: ignore[arg-type]


def _plain(segments: list[tuple[str, object]]) -> str:
    return "".join(t for t, _ in segments)


def test_header_running_then_paused_then_ended() -> None:
    first, second = header_lines(_info())
    assert "em1" in _plain(first) and "running" in _plain(first)
    assert "up 1m15s" in _plain(first) and "12:00:00" in _plain(first)
    assert "frames 10" in _plain(second) and "malformed 1" in _plain(second)
    assert "PAUSED" not in _plain(first)
    first, _ = header_lines(_info(paused=True))
    assert "DISPLAY PAUSED" in _plain(first)
    first, _ = header_lines(_info(ended=True, clock_label="capture time"))
    assert "END OF CAPTURE" in _plain(first) and "capture time" in _plain(first)
    lost = SourceStatus("em1", "live", "lost", message="interface em1 disappeared")
    first, _ = header_lines(_info(status=lost))
    assert "CAPTURE LOST" in _plain(first) and "disappeared" in _plain(first)


def test_header_engine_failure_wins() -> None:
    first, _ = header_lines(_info(ended=True, error="permission denied on em1"))
    text = _plain(first)
    assert "ENGINE STOPPED" in text and "permission denied on em1" in text
    assert "END OF CAPTURE" not in text


def test_header_dropped_from_status_and_filter_shown() -> None:
    status = SourceStatus("em1", "live", "running", dropped=7)
    _, second = header_lines(_info(status=status, filter_text="rnb", show_names=False))
    text = _plain(second)
    assert "dropped 7" in text and "'rnb'" in text and "numeric" in text
    assert ("  dropped 7", "bad") in second


def test_columns_grow_with_width() -> None:
    narrow = [c.id for c in columns_for_width(80)]
    wide = [c.id for c in columns_for_width(170)]
    assert {"vrid", "family", "state", "master", "age", "vips"} <= set(narrow)
    assert "name" not in narrow and "holder" not in narrow
    assert wide == [c.id for c in INSTANCE_COLUMNS]


def test_instance_cells_failover() -> None:
    snap = after_failover()
    names = names_by_address(snap.hosts)
    cols = columns_for_width(160)
    ids = [c.id for c in cols]
    cells = dict(
        zip(
            ids,
            instance_cells(snap.instances[0], cols, names, show_names=True, wide=True),
            strict=True,
        )
    )
    assert cells["master"] == ("198.51.100.12 (recdns-rnb)", None)
    assert cells["state"] == ("ok", "ok")
    assert cells["holder"] == ("OTHER 02:00:00:00:00:11", "bad")
    assert cells["name"][0] == "testdns0"
    silent = dict(
        zip(
            ids,
            instance_cells(snap.instances[1], cols, names, show_names=False, wide=True),
            strict=True,
        )
    )
    assert silent["state"] == ("SILENT", "bad")
    assert silent["master"][0] == "2001:db8::11"
    assert silent["age"][0].endswith("EXPIRED") and silent["age"][1] == "bad"
    narrow = columns_for_width(80)
    vips = instance_cells(snap.instances[2], narrow, names, show_names=True, wide=False)
    assert ("203.0.113.120 +1", None) in vips  # two VIPs, abbreviated
    assert ("recdns-cnh", None) in vips  # narrow: the name alone


def test_host_cells_mark_master_and_history() -> None:
    snap = after_failover()
    keys = ["210/4", "210/6", "211/4"]
    masters = instance_masters(snap.instances)
    by_name = {h.name: h for h in snap.hosts}
    rnb = host_cells(by_name["recdns-rnb"], keys, masters, snap.ts, show_names=True)
    assert rnb[0] == ("recdns-rnb", None)
    assert rnb[3] == ("200 MASTER", "ok")
    cnh = host_cells(by_name["recdns-cnh"], keys, masters, snap.ts, show_names=False)
    assert cnh[0] == ("-", "dim")
    assert cnh[4] == ("250 MASTER", "ok")
    # cnh was last master of 210/4 one second before the snapshot in the scenario
    h = replace(by_name["recdns-cnh"], last_master={"210/4": snap.ts - 65})
    assert host_cells(h, keys, masters, snap.ts, show_names=True)[3][0] == "250 (was 1m05s ago)"


def _render(renderable: object) -> str:
    console = Console(width=120, record=True, color_system=None)
    console.print(renderable)
    return console.export_text()


def test_detail_view_history_advert_hex_without_secret() -> None:
    snap = after_failover()
    inst = snap.instances[0]
    names = names_by_address(snap.hosts)
    hist = _render(dv.history_table(inst, names, snap.ts, UTC))
    lines = [ln for ln in hist.splitlines() if "198.51.100" in ln]
    assert "198.51.100.12" in lines[0] and "now" in lines[0]  # newest first
    assert "198.51.100.11" in lines[1] and "1m45s" in lines[1]  # T0 .. T0+105
    advert = _render(dv.advert_table(inst.last_advert, UTC))
    assert "198.51.100.12 -> 224.0.0.18" in advert
    hexdump = _render(dv.hex_text(inst.last_advert))
    everything = advert + hexdump + _render(dv.problems_table(inst))
    assert SECRET.decode() not in everything.replace("\n", "")
    assert SECRET.hex(" ")[:11] not in everything
    shown = _render(dv.advert_table(inst.last_advert, UTC, show_secrets=True))
    assert SECRET.decode() in shown
    gaps = _render(dv.gaps_text(inst))
    assert "max 3.6s" in gaps and "▁" in gaps and "█" in gaps


def test_detail_view_with_no_advert() -> None:
    inst = replace(steady().instances[0], last_advert=None, masters=())
    assert "no advert yet" in _render(dv.advert_table(None, UTC))
    assert "no raw frame" in _render(dv.hex_text(None))
    assert "-" in _render(dv.history_table(inst, {}, 0.0, UTC))


def test_key_table_is_complete() -> None:
    keys = {key for k in KEY_HELP for key in k.keys.split(" / ")}
    # every key issue 4 requires
    assert {"q", "?", "/", "s", "space", "n", "c", "enter", "escape", "ctrl+p"} <= keys
    assert len({k.id for k in KEY_HELP}) == len(KEY_HELP)
    md = keys_markdown()
    for entry in KEY_HELP:
        assert f"| `{entry.keys}` | {entry.text} |" in md


def test_hosts_table_summarises_big_segments() -> None:
    snap = after_failover()
    masters = instance_masters(snap.instances)
    host = snap.hosts[1]  # recdns-rnb: master of 210/4
    few = [f"{v}/4" for v in range(1, MAX_INSTANCE_COLUMNS + 1)]
    many = [f"{v}/4" for v in range(1, 300)] + ["210/4", "210/6", "211/4"]
    assert len(host_columns(few)) == 3 + len(few)
    assert [c.id for c in host_columns(many)][3:] == ["instances"]
    cells = host_cells(host, many, masters, snap.ts, show_names=True)
    assert len(cells) == 4
    assert cells[3] == ("210/4 200*, 210/6 200, 211/4 200", None)
    busy = replace(host, priorities={f"{v}/4": 100 for v in range(20, 0, -1)})
    text = host_summary(busy, masters)[0]
    assert text.startswith("1/4 100, 2/4 100,") and text.endswith(" +14")
    assert host_summary(replace(host, priorities={}), masters) == ("-", "dim")


def test_header_shows_a_write_failure_while_monitoring_goes_on() -> None:
    first, _ = header_lines(_info(notice="stopped writing /tmp/x.pcap: No space left on device"))
    text = _plain(first)
    assert "running" in text and "stopped writing /tmp/x.pcap" in text
    assert ("  stopped writing /tmp/x.pcap: No space left on device", "bad") in first
