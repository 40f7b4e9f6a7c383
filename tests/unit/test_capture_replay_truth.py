"""Replay tells the truth about odd files (#17 items 14, 15): every pcapng block
type, link types it cannot decode, and time that never runs backwards."""

from __future__ import annotations

import gzip
from pathlib import Path

from tests import pcapgen as g
from vrrptop.capture.pcapfile import PcapFileSource
from vrrptop.engine import Engine

T0 = 1_700_000_000.0


def _frames(src: PcapFileSource) -> list:  # type: ignore[type-arg]
    return [f for f in src.frames() if f is not None]


def _ng_with_spb(big: bool = False) -> bytes:
    blocks = [g.pcapng_shb(big), g.pcapng_idb(big=big)]
    blocks += [g.pcapng_epb(T0 + i, g.advert4(), big=big) for i in range(25)]
    blocks.append(g.pcapng_spb(g.advert4(vrid=11), big=big))
    blocks += [g.pcapng_epb(T0 + 26 + i, g.advert4(), big=big) for i in range(25)]
    return b"".join(blocks)


def test_simple_packet_block_does_not_end_the_replay(tmp_path: Path) -> None:
    for big in (False, True):
        src = PcapFileSource(g.write(tmp_path / "spb.pcapng", _ng_with_spb(big)))
        frames = _frames(src)
        assert len(frames) == 51, big
        assert frames[25].data == g.advert4(vrid=11)
        assert frames[25].ts == frames[24].ts  # no timestamp of its own
        assert src.status().message == ""


def test_gzipped_pcapng_and_other_blocks_are_read(tmp_path: Path) -> None:
    nrb = g._block(4, b"\0" * 4)  # a name resolution block: skipped
    data = g.pcapng_shb() + g.pcapng_idb() + nrb + g.pcapng_epb(T0, g.advert4())
    src = PcapFileSource(g.write(tmp_path / "x.pcapng.gz", gzip.compress(data)))
    assert len(_frames(src)) == 1


def test_damaged_block_is_one_plain_line_with_the_right_frame(tmp_path: Path) -> None:
    data = _ng_with_spb()
    cut = data[: len(data) - 10]
    src = PcapFileSource(g.write(tmp_path / "cut.pcapng", cut))
    assert len(_frames(src)) == 50
    msg = src.status().message
    assert msg.startswith("capture file damaged after frame 50: block 53"), msg
    assert "Traceback" not in msg and "Error" not in msg.split(":")[0]


def test_unknown_link_type_is_said(tmp_path: Path) -> None:
    src = PcapFileSource(g.write(tmp_path / "lt.pcap", g.pcap([(T0, g.advert4())], linktype=147)))
    snap = Engine(src).run()
    assert snap.counters.adverts == 0
    assert "link type 147 is not one vrrptop decodes" in src.status().message
    ng = g.pcapng_shb() + g.pcapng_idb(linktype=148) + g.pcapng_epb(T0, g.advert4())
    src = PcapFileSource(g.write(tmp_path / "lt.pcapng", ng))
    Engine(src).run()
    assert "link type 148" in src.status().message


def _steady_with_steps_back(n: int = 200) -> list[tuple[float, bytes]]:
    """One master every second; every 10th record is stamped 4295 s in the past."""
    return [
        (T0 + i - (4295.0 if i % 10 == 5 else 0.0), g.advert4(vrid=1, priority=200))
        for i in range(n)
    ]


def test_timestamps_going_backwards_make_no_phantom_events(tmp_path: Path) -> None:
    for nano, big in ((False, False), (True, True)):
        data = g.pcap(_steady_with_steps_back(), nano=nano, big=big)
        src = PcapFileSource(g.write(tmp_path / "back.pcap", data))
        snap = Engine(src).run()
        inst = snap.instances[0]
        assert inst.adverts == 200
        kinds = [m for m in inst.masters]
        assert len(kinds) == 1, kinds  # one master, never lost and resumed
        assert snap.ts >= T0 + 199
        assert "20 records with a timestamp going backwards" in src.status().message


def test_microsecond_field_of_a_million_is_clamped(tmp_path: Path) -> None:
    raw = [(int(T0) + 1, 999_999_999, len(g.advert4()), len(g.advert4()), g.advert4())]
    data = g.pcap([(T0, g.advert4()), (T0 + 1, g.advert4())], raw=raw)
    src = PcapFileSource(g.write(tmp_path / "usec.pcap", data))
    frames = _frames(src)
    assert [f.ts for f in frames] == [T0, T0 + 1, T0 + 1]
    assert "1 records with a timestamp going backwards or invalid" in src.status().message


def test_backwards_pcapng_is_clamped_too(tmp_path: Path) -> None:
    blocks = [g.pcapng_shb(), g.pcapng_idb()]
    blocks += [g.pcapng_epb(ts, data) for ts, data in _steady_with_steps_back(50)]
    src = PcapFileSource(g.write(tmp_path / "back.pcapng", b"".join(blocks)))
    ts = [f.ts for f in _frames(src)]
    assert ts == sorted(ts)
    assert "5 records" in src.status().message
