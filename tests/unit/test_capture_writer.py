"""``-w``: a private file, never written through a planted symlink, readable after."""

from __future__ import annotations

import os
import stat
from pathlib import Path

import pytest

from tests import pcapgen as g
from vrrptop.capture.pcapfile import PcapFileSource
from vrrptop.capture.writer import PcapWriter
from vrrptop.errors import VrrptopError
from vrrptop.wire.records import Frame


def _frames(n: int = 5) -> list[Frame]:
    return [Frame(1_700_000_000 + i, 1, g.advert4(vrid=i + 1)) for i in range(n)]


def test_new_file_is_mode_0600_even_with_a_lax_umask(tmp_path: Path) -> None:
    old = os.umask(0)
    try:
        w = PcapWriter(tmp_path / "out.pcap")
    finally:
        os.umask(old)
    for f in _frames():
        w.write(f)
    w.close()
    assert stat.S_IMODE((tmp_path / "out.pcap").stat().st_mode) == 0o600
    src = PcapFileSource(tmp_path / "out.pcap")
    got = [f for f in src.frames() if f is not None]
    assert [f.data for f in got] == [f.data for f in _frames()]
    assert src.status().message == ""


def test_a_symlink_is_refused_and_its_target_untouched(tmp_path: Path) -> None:
    target = tmp_path / "shadow"
    target.write_bytes(b"root:secret\n")
    link = tmp_path / "out.pcap"
    link.symlink_to(target)
    with pytest.raises(VrrptopError, match="symbolic link") as err:
        PcapWriter(link)
    assert err.value.exit_code == 73
    assert target.read_bytes() == b"root:secret\n"


def test_a_dangling_symlink_creates_nothing(tmp_path: Path) -> None:
    link = tmp_path / "out.pcap"
    link.symlink_to(tmp_path / "created-through-link")
    with pytest.raises(VrrptopError, match="symbolic link"):
        PcapWriter(link)
    assert not (tmp_path / "created-through-link").exists()


def test_a_fifo_nobody_reads_is_an_error_not_a_hang(tmp_path: Path) -> None:
    fifo = tmp_path / "fifo"
    os.mkfifo(fifo)
    with pytest.raises(VrrptopError, match="FIFO"):
        PcapWriter(fifo)


def test_empty_capture_is_a_valid_pcap(tmp_path: Path) -> None:
    w = PcapWriter(tmp_path / "out.pcap")
    w.close()
    src = PcapFileSource(tmp_path / "out.pcap")
    assert list(src.frames()) == []


def test_other_linktype_is_patched_into_the_header(tmp_path: Path) -> None:
    w = PcapWriter(tmp_path / "out.pcap")
    w.write(Frame(1.0, 113, b"\0" * 16 + g.ipv4(g.vrrp2())))
    w.write(Frame(2.0, 1, g.advert4()))
    w.close()
    src = PcapFileSource(tmp_path / "out.pcap")
    got = [f for f in src.frames() if f is not None]
    assert [f.linktype for f in got] == [113] and w.skipped == 1
