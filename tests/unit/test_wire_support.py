"""Helpers shared by the wire tests (built independently of vrrptop.wire), and their own tests.

Packets are built with scapy or by hand from the RFC layouts; checksums are computed
with a plain word-by-word loop (RFC 1071), never with vrrptop.wire.checksum.
"""

from __future__ import annotations

import random
import struct
from pathlib import Path

import pytest
from scapy.layers.inet import IP
from scapy.layers.inet6 import IPv6
from scapy.layers.l2 import Ether
from scapy.utils import RawPcapNgReader, RawPcapReader, checksum

from vrrptop.wire.records import Frame

ROOT = Path(__file__).resolve().parents[2]
DATA = ROOT / "tests" / "data"
SHARED = ROOT / "../shared/captures"

SRC_MAC = "00:00:5e:00:01:2a"
GROUP4 = "224.0.0.18"
GROUP6 = "ff02::12"


def ref_checksum(data: bytes) -> int:
    """RFC 1071 checksum, the slow obvious way (pad, add words, fold, invert)."""
    if len(data) % 2:
        data += b"\x00"
    total = 0
    for i in range(0, len(data), 2):
        total += (data[i] << 8) | data[i + 1]
    while total >> 16:
        total = (total & 0xFFFF) + (total >> 16)
    return ~total & 0xFFFF


def ph4(src: str, dst: str, length: int) -> bytes:
    """IPv4 pseudo-header for proto 112, by hand from RFC 768."""
    import socket

    return socket.inet_aton(src) + socket.inet_aton(dst) + struct.pack("!BBH", 0, 112, length)


def ph6(src: str, dst: str, length: int) -> bytes:
    """IPv6 pseudo-header for next header 112, by hand from RFC 8200 8.1."""
    import socket

    return (
        socket.inet_pton(socket.AF_INET6, src)
        + socket.inet_pton(socket.AF_INET6, dst)
        + struct.pack("!I3xB", length, 112)
    )


def with_checksum(msg: bytes, pseudo: bytes = b"") -> bytes:
    """``msg`` with bytes 6-7 set to the checksum over pseudo + msg (field zeroed)."""
    zeroed = msg[:6] + b"\x00\x00" + msg[8:]
    ck = ref_checksum(pseudo + zeroed)
    return msg[:6] + struct.pack("!H", ck) + msg[8:]


def v2_msg(
    vrid: int = 42,
    prio: int = 100,
    addrs: tuple[str, ...] = ("203.0.113.1",),
    auth_type: int = 0,
    auth: bytes = b"\x00" * 8,
    adv: int = 1,
    count: int | None = None,
    first: int = 0x21,
) -> bytes:
    """A VRRPv2 message by hand from RFC 3768 section 5.1, valid checksum."""
    import socket

    n = len(addrs) if count is None else count
    body = struct.pack("!BBBBBBH", first, vrid, prio, n, auth_type, adv, 0)
    body += b"".join(socket.inet_aton(a) for a in addrs) + auth
    return with_checksum(body)


def v3_msg(
    src: str,
    dst: str,
    addrs: tuple[str, ...],
    vrid: int = 7,
    prio: int = 100,
    interval_cs: int = 100,
    pseudo: bool = True,
) -> bytes:
    """A VRRPv3 message by hand from RFC 5798 section 5.1; checksum with or without
    the pseudo-header (the "v3-as-v2" variant)."""
    import socket

    fam = socket.AF_INET6 if ":" in src else socket.AF_INET
    body = struct.pack("!BBBBHH", 0x31, vrid, prio, len(addrs), interval_cs & 0x0FFF, 0)
    body += b"".join(socket.inet_pton(fam, a) for a in addrs)
    if not pseudo:
        return with_checksum(body)
    ph = ph4(src, dst, len(body)) if fam == socket.AF_INET else ph6(src, dst, len(body))
    return with_checksum(body, ph)


def eth_ip4(
    msg: bytes,
    src: str = "198.51.100.2",
    dst: str = GROUP4,
    ttl: int = 255,
    mac: str = SRC_MAC,
    proto: int = 112,
    **ip_kw: object,
) -> bytes:
    """Ethernet + IPv4 (scapy fills length and header checksum) around ``msg``."""
    pkt = Ether(src=mac, dst="01:00:5e:00:00:12") / IP(
        src=src, dst=dst, ttl=ttl, proto=proto, **ip_kw
    )
    return bytes(pkt / msg)


def eth_ip6(
    msg: bytes,
    src: str = "fe80::1",
    dst: str = GROUP6,
    hlim: int = 255,
    mac: str = SRC_MAC,
) -> bytes:
    """Ethernet + IPv6 around ``msg`` (next header 112)."""
    pkt = Ether(src=mac, dst="33:33:00:00:00:12") / IPv6(src=src, dst=dst, hlim=hlim, nh=112)
    return bytes(pkt / msg)


def fr(data: bytes, linktype: int = 1, ts: float = 1000.0) -> Frame:
    """A Frame of ``data``."""
    return Frame(ts=ts, linktype=linktype, data=data)


def read_capture(path: Path) -> list[Frame]:
    """Every frame of a pcap or pcapng file, with its link type and timestamp."""
    with open(path, "rb") as f:
        magic = f.read(4)
    frames = []
    if magic == b"\x0a\x0d\x0d\x0a":
        for data, meta in RawPcapNgReader(str(path)):
            ts = ((meta.tshigh << 32) | meta.tslow) / meta.tsresol
            frames.append(Frame(ts, meta.linktype, data, meta.wirelen))
    else:
        reader = RawPcapReader(str(path))
        for data, meta in reader:
            ts = meta.sec + meta.usec / 1e6
            frames.append(Frame(ts, reader.linktype, data, meta.wirelen))
    return frames


def capture(name: str) -> Path:
    """A capture from tests/data, else from ../shared/captures, else skip the test."""
    for base in (DATA, SHARED):
        if (base / name).is_file():
            return base / name
    pytest.skip(f"{name} not available (../shared/captures absent)")


def test_ref_checksum_matches_scapy() -> None:
    rng = random.Random(7)
    for n in range(0, 80):
        data = bytes(rng.randrange(256) for _ in range(n))
        assert ref_checksum(data) == checksum(data)


def test_v2_msg_matches_rfc_layout() -> None:
    msg = v2_msg(vrid=9, prio=200, addrs=("203.0.113.5",), auth_type=1, auth=b"secret\0\0")
    assert msg[:6] == bytes([0x21, 9, 200, 1, 1, 1])
    assert msg[8:12] == bytes([203, 0, 113, 5])
    assert msg[12:] == b"secret\0\0"
    assert ref_checksum(msg) == 0


def test_read_capture_reads_pcap_and_pcapng() -> None:
    assert len(read_capture(DATA / "tcpdump_vrrp.pcap")) == 165
    ng = read_capture(DATA / "ndpi_vrrp3.pcapng")
    assert len(ng) == 10 and ng[0].linktype == 1


def test_v3_msg_checksum_matches_scapy() -> None:
    from scapy.layers.vrrp import VRRPv3

    ours = v3_msg("198.51.100.2", GROUP4, ("203.0.113.1", "203.0.113.2"), vrid=5)
    pkt = IP(src="198.51.100.2", dst=GROUP4, proto=112) / VRRPv3(
        vrid=5, priority=100, adv=100, addrlist=["203.0.113.1", "203.0.113.2"]
    )
    assert bytes(pkt)[20:] == ours
