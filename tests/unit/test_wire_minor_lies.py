"""Fragments, long extension-header chains and odd numbers (#17 item 16)."""

from __future__ import annotations

import struct
import subprocess
import sys
from pathlib import Path

import pytest

from tests import pcapgen as g
from vrrptop.wire.decode import clear_cache, decode_frame
from vrrptop.wire.records import Advert, Frame, Malformed

ROOT = Path(__file__).resolve().parents[2]


def _decode(data: bytes):  # type: ignore[no-untyped-def]
    clear_cache()
    return decode_frame(Frame(0.0, 1, data))


def test_ipv4_first_fragment_is_not_a_whole_advert() -> None:
    whole = g.ipv4(g.vrrp2())
    assert isinstance(_decode(g.ether(whole)), Advert)
    first = g.ipv4(g.vrrp2(), flags_frag=0x2000)  # MF set, offset 0
    rec = _decode(g.ether(first))
    assert isinstance(rec, Malformed) and "first fragment" in rec.reason
    dont_fragment = g.ipv4(g.vrrp2(), flags_frag=0x4000)  # DF is fine
    assert isinstance(_decode(g.ether(dont_fragment)), Advert)


def test_ipv6_first_fragment_is_not_a_whole_advert() -> None:
    msg = g.vrrp3(src=g.SRC6, dst=g.GROUP6, addresses=(bytes(16),))
    frag = bytes((112, 0, 0, 1)) + struct.pack("!I", 7)  # offset 0, M set
    ip = g.ipv6(frag + msg, nh=44)
    rec = _decode(g.ether(ip, 0x86DD))
    assert isinstance(rec, Malformed) and "first fragment" in rec.reason


@pytest.mark.parametrize("ext", [0, 1, 16])
def test_vrrp_behind_up_to_16_extension_headers_is_decoded(ext: int) -> None:
    assert isinstance(_decode(g.advert6(ext=ext)), Advert)


@pytest.mark.parametrize("ext", [17, 40])
def test_vrrp_behind_more_than_16_extension_headers_is_counted(ext: int) -> None:
    rec = _decode(g.advert6(ext=ext))
    assert isinstance(rec, Malformed) and "more than 16" in rec.reason


@pytest.mark.parametrize("value", ["nan", "inf", "1e400", "NaN"])
def test_speed_nan_or_inf_is_a_one_line_usage_error(value: str, tmp_path: Path) -> None:
    cap = g.write(tmp_path / "x.pcap", g.pcap([(1.0, g.advert4())]))
    r = subprocess.run(
        [sys.executable, "-m", "vrrptop", "-r", str(cap), "--json", "--speed", value],
        cwd=ROOT, capture_output=True, text=True, timeout=60,
    )  # fmt: skip
    assert r.returncode == 2, (r.returncode, r.stderr)
    assert "must be a number greater than 0" in r.stderr
    assert "Traceback" not in r.stderr
