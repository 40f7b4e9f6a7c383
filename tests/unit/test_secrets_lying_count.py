"""A lying VRRPv2 address count never exposes the password (#17 item 6)."""

from __future__ import annotations

import json
import subprocess
import sys
from pathlib import Path

from rich.console import Console

from tests import pcapgen as g
from vrrptop.ui import detail_view as dv
from vrrptop.wire.decode import decode_frame
from vrrptop.wire.records import Advert, Frame

ROOT = Path(__file__).resolve().parents[2]
PASSWORD = b"leakme12"
LEAKED = ("108.101.97.107", "109.101.49.50")  # the password read as two addresses


def _render(renderable: object) -> str:
    console = Console(width=120, record=True, color_system=None)
    console.print(renderable)
    return console.export_text()


def test_replay_of_a_lying_count_shows_no_password_anywhere(tmp_path: Path) -> None:
    lying = g.advert4(addresses=[bytes((198, 51, 100, 50))], count=3, auth_type=1, auth=PASSWORD)
    honest = g.advert4(vrid=11, auth_type=1, auth=PASSWORD)
    cap = g.write(tmp_path / "lie.pcap", g.pcap([(1.0, honest), (2.0, lying), (3.0, honest)]))
    r = subprocess.run(
        [sys.executable, "-m", "vrrptop", "-r", str(cap), "--json"],
        cwd=ROOT, capture_output=True, text=True, timeout=60,
    )  # fmt: skip
    assert r.returncode == 0, r.stderr
    for leaked in (*LEAKED, "leakme", PASSWORD.hex()):
        assert leaked not in r.stdout + r.stderr, leaked
    lines = [json.loads(x) for x in r.stdout.splitlines()]
    assert [x["type"] for x in lines].count("malformed") == 1
    assert lines[-1]["counters"]["malformed"] == 1


def test_hex_dump_masks_a_partial_auth_field() -> None:
    # 11-byte message: header, no address, 3 bytes of the password. Still an
    # advert (auth-missing), and the 3 bytes are masked in the dump.
    msg = bytes((0x21, 10, 100, 0, 1, 1, 0, 0)) + PASSWORD[:3]
    frame = g.ether(g.ipv4(msg))
    advert = decode_frame(Frame(0.0, 1, frame))
    assert isinstance(advert, Advert) and "auth-missing" in advert.problems
    text = _render(dv.hex_text(advert))
    assert "lea" not in text and PASSWORD[:3].hex(" ") not in text
    assert "lea" in _render(dv.hex_text(advert, show_secrets=True))


def test_hex_dump_masks_the_auth_field_even_with_type_none() -> None:
    frame = g.advert4(auth_type=0, auth=PASSWORD)
    advert = decode_frame(Frame(0.0, 1, frame))
    assert isinstance(advert, Advert)
    assert "leakme" not in _render(dv.hex_text(advert))
