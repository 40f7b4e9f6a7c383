"""Replaying capture files: every frame, in order, with its timestamp; damage reported."""

from __future__ import annotations

import struct

import pytest

from vrrptop.capture.pcapfile import PcapFileSource
from vrrptop.errors import VrrptopError


def _pcap(records: list[tuple[int, int, bytes]], nano: bool = False, big: bool = False) -> bytes:
    """A classic pcap built by hand (not with the reader under test)."""
    e = ">" if big else "<"
    magic = 0xA1B23C4D if nano else 0xA1B2C3D4
    out = struct.pack(e + "IHHiIII", magic, 2, 4, 0, 0, 65535, 1)
    for sec, frac, data in records:
        out += struct.pack(e + "IIII", sec, frac, len(data), len(data) + 4) + data
    return out


@pytest.mark.parametrize("nano,big", [(False, False), (True, False), (False, True)])
def test_classic_pcap_frames_and_timestamps(tmp_path, nano, big):
    frac = 500_000_000 if nano else 500_000
    path = tmp_path / "x.pcap"
    path.write_bytes(_pcap([(10, frac, b"a" * 60), (11, 0, b"b" * 61)], nano=nano, big=big))
    src = PcapFileSource(path)
    frames = list(src.frames())
    assert [(f.ts, f.linktype, f.data, f.wirelen) for f in frames] == [
        (10.5, 1, b"a" * 60, 64),
        (11.0, 1, b"b" * 61, 65),
    ]
    st = src.status()
    assert (st.state, st.received, st.dropped, st.message) == ("ended", 2, 0, "")


def test_many_frames_cross_chunk_boundaries(tmp_path):
    records = [(i, i, bytes([i % 256]) * (1000 + i % 7)) for i in range(3000)]
    path = tmp_path / "big.pcap"
    path.write_bytes(_pcap(records))
    frames = list(PcapFileSource(path).frames())
    assert [(f.ts, f.data) for f in frames] == [(s + f / 1e6, d) for s, f, d in records]


def test_truncated_tail_is_reported_not_raised(tmp_path):
    data = _pcap([(1, 0, b"x" * 60), (2, 0, b"y" * 60)])
    path = tmp_path / "cut.pcap"
    path.write_bytes(data[:-10])
    src = PcapFileSource(path)
    assert len(list(src.frames())) == 1
    assert "truncated after frame 1" in src.status().message


def test_pcapng_is_read_block_by_block(data_dir):
    src = PcapFileSource(data_dir / "ndpi_vrrp3.pcapng")
    frames = list(src.frames())
    assert len(frames) == 10
    assert frames[0].linktype == 1
    assert all(b.ts >= a.ts for a, b in zip(frames, frames[1:], strict=False))


def test_close_stops_replay(tmp_path):
    path = tmp_path / "x.pcap"
    path.write_bytes(_pcap([(i, 0, b"z" * 60) for i in range(10)]))
    src = PcapFileSource(path)
    seen = []
    for f in src.frames():
        seen.append(f)
        if len(seen) == 3:
            src.close()
    assert len(seen) == 3


@pytest.mark.parametrize(
    "content,needle",
    [(None, "no such file"), (b"garbage garbage garbage", "not a pcap or pcapng")],
)
def test_open_errors_are_one_line(tmp_path, content, needle):
    path = tmp_path / "f.pcap"
    if content is not None:
        path.write_bytes(content)
    with pytest.raises(VrrptopError) as exc:
        PcapFileSource(path)
    assert needle in str(exc.value) and "\n" not in str(exc.value)


def test_records_longer_than_snaplen_are_cut_like_libpcap(tmp_path):
    data = bytearray(_pcap([(1, 0, bytes(range(54)))]))
    struct.pack_into("<I", data, 16, 41)  # header snaplen 41, record holds 54 bytes
    path = tmp_path / "snap.pcap"
    path.write_bytes(bytes(data))
    (frame,) = PcapFileSource(path).frames()
    assert frame.data == bytes(range(41))
    assert frame.wirelen == 58


def test_gzip_compressed_pcap_and_pcapng_are_read(tmp_path, data_dir):
    import gzip

    classic = tmp_path / "x.pcap.gz"
    classic.write_bytes(gzip.compress(_pcap([(10, 0, b"a" * 60), (11, 0, b"b" * 60)])))
    assert [f.data for f in PcapFileSource(classic).frames()] == [b"a" * 60, b"b" * 60]
    ng = tmp_path / "x.pcapng.gz"
    ng.write_bytes(gzip.compress((data_dir / "ndpi_vrrp3.pcapng").read_bytes()))
    plain = [(f.ts, f.data) for f in PcapFileSource(data_dir / "ndpi_vrrp3.pcapng").frames()]
    assert [(f.ts, f.data) for f in PcapFileSource(ng).frames()] == plain and len(plain) == 10


@pytest.mark.parametrize(
    "content,needle",
    [
        (b"", "not a pcap or pcapng capture (0 bytes)"),
        (b"\xd4\xc3\xb2\xa1\x02\x00", "a pcap header cut short at 6 bytes"),
        (b"\x1f\x8b not really gzip", "cannot read"),
    ],
)
def test_short_or_broken_files_are_one_line_errors(tmp_path, content, needle):
    path = tmp_path / "f.pcap"
    path.write_bytes(content)
    with pytest.raises(VrrptopError) as exc:
        PcapFileSource(path)
    assert needle in str(exc.value) and "\n" not in str(exc.value)


def test_fcs_bits_of_the_link_type_are_masked_like_libpcap(tmp_path):
    data = bytearray(_pcap([(1, 0, b"c" * 60)]))
    struct.pack_into("<I", data, 20, 1 | 0x14000000)  # Ethernet, "4 FCS bytes" flagged
    path = tmp_path / "fcs.pcap"
    path.write_bytes(bytes(data))
    (frame,) = PcapFileSource(path).frames()
    assert frame.linktype == 1
