"""Real captures against independent oracles: tcpdump's expected output and our CSV.

tcpdump_vrrp-v.out is tcpdump's own expected `-v` decode of tcpdump_vrrp.pcap;
EXPECTED_vrrp_packets.csv was made by an independent decode cross-checked against
tcpdump and tshark. Both are parsed here and compared field by field.
"""

from __future__ import annotations

import csv
import re
from dataclasses import dataclass
from datetime import UTC, datetime
from pathlib import Path

import pytest
from test_wire_support import DATA, SHARED, capture, read_capture

from vrrptop.wire.decode import clear_cache, decode_frame
from vrrptop.wire.records import Advert, Frame, Malformed


@dataclass
class Expected:
    """One packet as tcpdump printed it."""

    number: int
    ts: float
    ttl: int
    src: str
    dst: str
    version: int
    vrid: int
    prio: int
    authtype: str | None
    interval_cs: int
    length: int | None
    addrs: tuple[str, ...] | None
    auth: str | None
    bad_cksum: bool
    more_fragments: bool
    """tcpdump's ``flags [+``: the IPv4 MF bit."""


_START = re.compile(r"^\s*(\d+)\s+(\d{4}-\d\d-\d\d \d\d:\d\d:\d\d\.\d+) ")


def _int(pattern: str, text: str) -> int:
    m = re.search(pattern, text)
    return int(m.group(1)) if m else -1


def parse_out(path: Path) -> list[Expected]:
    """Parse tcpdump's expected output (tcpdump master: number + full date per packet)."""
    packets: list[str] = []
    for line in path.read_text().splitlines():
        if _START.match(line):
            packets.append(line)
        elif packets:
            packets[-1] += " " + line.strip()
    out = []
    for text in packets:
        m = _START.match(text)
        assert m
        when = datetime.strptime(m.group(2), "%Y-%m-%d %H:%M:%S.%f").replace(tzinfo=UTC)
        hdr = re.search(r"(\S+) > (\S+): VRRPv(\d+)", text)
        assert hdr, text
        ttl = re.search(r"(?:ttl|hlim) (\d+)", text)
        intvl = re.search(r"intvl (\d+)(s|cs)", text)
        addrs = re.search(r"addrs(?:\(\d+\))?: ([0-9a-f.:,]+)(?:\s|$)", text)
        length = re.search(r"length (\d+)(?:,|\s|$)", text.split("VRRPv", 1)[1])
        auth = re.search(r'auth "([^"]*)"', text)
        authtype = re.search(r"authtype (\w+)", text)
        out.append(
            Expected(
                number=int(m.group(1)),
                ts=when.timestamp(),
                ttl=int(ttl.group(1)) if ttl else -1,
                src=hdr.group(1),
                dst=hdr.group(2),
                version=int(hdr.group(3)),
                vrid=_int(r"vrid (\d+)", text),
                prio=_int(r"prio (\d+)", text),
                authtype=authtype.group(1) if authtype else None,
                interval_cs=(int(intvl.group(1)) * (100 if intvl.group(2) == "s" else 1))
                if intvl
                else -1,
                length=int(length.group(1)) if length else None,
                addrs=tuple(addrs.group(1).split(",")) if addrs else None,
                auth=auth.group(1) if auth else None,
                bad_cksum="bad vrrp cksum" in text,
                more_fragments=re.search(r"flags \[\+", text) is not None,
            )
        )
    return out


AUTHTYPES = {"none": 0, "simple": 1, "ah": 2}


def test_tcpdump_vrrp_v_out_every_packet() -> None:
    frames = read_capture(DATA / "tcpdump_vrrp.pcap")
    expected = parse_out(DATA / "tcpdump_vrrp-v.out")
    assert len(expected) == len(frames) == 165
    clear_cache()
    for exp in expected:
        frame = frames[exp.number - 1]
        rec = decode_frame(frame)
        assert isinstance(rec, Advert), (exp.number, rec)
        where = f"packet {exp.number}"
        assert rec.ts == pytest.approx(exp.ts, abs=1e-6), where
        assert (rec.src, rec.dst, rec.ttl) == (exp.src, exp.dst, exp.ttl), where
        assert (rec.version, rec.vrid, rec.priority) == (exp.version, exp.vrid, exp.prio), where
        assert rec.interval_cs == exp.interval_cs, where
        assert rec.addresses == exp.addrs, where
        if exp.version == 2:
            assert rec.auth_type == AUTHTYPES[exp.authtype or ""], where
            if exp.auth is not None:
                assert rec.auth_data.rstrip(b"\0").decode() == exp.auth, where
        else:
            assert rec.auth_type is None and exp.authtype is None, where
        alen = 4 if rec.family == 4 else 16
        assert exp.length == 8 + alen * len(rec.addresses) + len(rec.auth_data), where
        assert rec.checksum_ok is (not exp.bad_cksum), where
        assert rec.problems == (), where


def test_tcpdump_default_out_agrees_with_v_out() -> None:
    # The non-verbose file has the same packets: guards the parser against drift.
    short = parse_out(DATA / "tcpdump_vrrp.out")
    verbose = parse_out(DATA / "tcpdump_vrrp-v.out")
    assert [(e.src, e.vrid, e.prio) for e in short] == [(e.src, e.vrid, e.prio) for e in verbose]


@pytest.mark.parametrize(
    "name", ["tcpdump_vrrp-vrrp_print-oobr.pcap", "tcpdump_vrrp-vrrp_print-oobr-2.pcap"]
)
def test_fuzzed_tcpdump_captures_match_where_decodable(name: str) -> None:
    frames = read_capture(DATA / name)
    expected = parse_out(DATA / name.replace(".pcap", ".out"))
    assert len(expected) == len(frames)
    clear_cache()
    kinds = set()
    for exp, frame in zip(expected, frames, strict=True):
        rec = decode_frame(frame)
        kinds.add(type(rec))
        if exp.more_fragments:
            # tcpdump decodes the head of a first fragment; a monitor must not count
            # it as an advert (VRRP is never fragmented), so it is malformed at IP.
            assert isinstance(rec, Malformed), rec
            assert (rec.proto, rec.src) == ("ip", exp.src), rec
            assert "first fragment" in rec.reason, rec.reason
            continue
        if isinstance(rec, Malformed):
            assert rec.reason and rec.proto == "vrrp"
            continue
        assert isinstance(rec, Advert), rec
        assert (rec.src, rec.dst, rec.ttl) == (exp.src, exp.dst, exp.ttl)
        assert (rec.version, rec.vrid, rec.priority) == (exp.version, exp.vrid, exp.prio)
        assert rec.interval_cs == exp.interval_cs
        # Fuzzed: nothing about them is right, and the decode must say so.
        assert "bad-checksum" in rec.problems and "ttl-not-255" in rec.problems
    assert Malformed in kinds


def test_fuzzed_capture_clamped_to_snaplen_is_all_malformed() -> None:
    # oobr-2's header says snaplen 41 but its records hold 54 bytes; libpcap (and so
    # tcpdump) clamps them. Its frames are all IPv4 first fragments (flags [+]): with
    # the MF bit as captured they are malformed at IP; with it cleared, the clamped
    # VRRP header is incomplete. Either way every frame is Malformed.
    clear_cache()
    for frame in read_capture(DATA / "tcpdump_vrrp-vrrp_print-oobr-2.pcap"):
        data = bytearray(frame.data[:41])
        rec = decode_frame(Frame(frame.ts, frame.linktype, bytes(data)))
        assert isinstance(rec, Malformed) and "first fragment" in rec.reason, rec
        data[14 + 6] &= ~0x20  # Ethernet + IPv4 flags byte: clear More Fragments
        rec = decode_frame(Frame(frame.ts, frame.linktype, bytes(data)))
        assert isinstance(rec, Malformed), rec
        assert re.search(r"\d+ (<|of) 8 bytes|unknown VRRP version 15", rec.reason), rec.reason


def _csv_rows() -> list[dict[str, str]]:
    with open(DATA / "EXPECTED_vrrp_packets.csv", newline="") as f:
        return list(csv.DictReader(f))


def _csv_files() -> list[str]:
    return sorted({row["file"] for row in _csv_rows()})


@pytest.mark.parametrize("name", _csv_files())
def test_expected_csv_oracle(name: str) -> None:
    rows = [r for r in _csv_rows() if r["file"] == name]
    frames = read_capture(capture(name))
    clear_cache()
    for row in rows:
        rec = decode_frame(frames[int(row["pkt"]) - 1])
        where = f"{name} packet {row['pkt']}"
        assert isinstance(rec, Advert), (where, rec)
        assert rec.family == int(row["ip"]), where
        assert (rec.src, rec.dst, rec.ttl) == (row["src"], row["dst"], int(row["ttl"])), where
        assert rec.vlan == (int(row["vlan"]) if row["vlan"] else None), where
        assert (rec.version, rec.type, rec.vrid, rec.priority) == (
            int(row["version"]),
            int(row["type"]),
            int(row["vrid"]),
            int(row["priority"]),
        ), where
        assert len(rec.addresses) == int(row["count"]), where
        assert rec.addresses == tuple(row["addresses"].split()), where
        assert rec.auth_type == (int(row["authtype"]) if row["authtype"] else None), where
        iv = row["interval"]
        want = int(iv[:-1]) * 100 if iv.endswith("s") and not iv.endswith("cs") else int(iv[:-2])
        assert rec.interval_cs == want, where
        assert rec.auth_data.hex() == row["authdata_hex"], where
        assert rec.checksum == int(row["checksum"], 16), where
        status = row["checksum_status"]
        assert rec.checksum_ok is status.startswith("ok"), where
        assert rec.checksum_variant == ("v2" if status == "ok(v2)" else "v3"), where


def test_shared_captures_location_is_beside_the_repo() -> None:
    # The NONE-licensed captures are only read from there; make the skip visible.
    if not SHARED.is_dir():
        pytest.skip("../shared/captures absent")
    assert (SHARED / "SOURCES.md").is_file()
