"""Property tests: decode_frame never raises, on random bytes and on mutated real adverts.

"Never raises" is checked strictly: the last-resort "internal decoder error" record
counts as a failure too, because reaching it means a decoder bug.
"""

from __future__ import annotations

import struct

from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st
from test_wire_support import DATA, read_capture

from vrrptop.wire.decode import clear_cache, decode_frame
from vrrptop.wire.records import Advert, Carp, Frame, Garp, Malformed

LINKTYPES = [0, 1, 12, 14, 101, 107, 108, 113, 228, 229, 276, 105]
REAL = [
    f
    for name in ("tcpdump_vrrp.pcap", "ndpi_vrrp3.pcapng", "pcapplusplus_VRRP-V2.pcap")
    for f in read_capture(DATA / name)
][:40]
SETTINGS = settings(max_examples=400, deadline=None, suppress_health_check=[HealthCheck.too_slow])


def check(frame: Frame) -> None:
    rec = decode_frame(frame)
    assert rec is None or isinstance(rec, (Advert, Carp, Garp, Malformed))
    if isinstance(rec, Malformed):
        assert not rec.reason.startswith("internal decoder error"), rec.reason


@SETTINGS
@given(st.sampled_from(LINKTYPES), st.binary(max_size=200))
def test_random_bytes_any_linktype(linktype: int, data: bytes) -> None:
    check(Frame(0.0, linktype, data))


@SETTINGS
@given(
    st.integers(0, len(REAL) - 1),
    st.lists(st.tuples(st.integers(0, 200), st.integers(0, 255)), max_size=6),
    st.integers(0, 200),
    st.booleans(),
)
def test_mutated_real_adverts(idx: int, edits: list[tuple[int, int]], cut: int, keep: bool) -> None:
    frame = REAL[idx]
    data = bytearray(frame.data)
    for pos, value in edits:
        if pos < len(data):
            data[pos] = value
    if not keep:
        data = data[:cut]
    check(Frame(frame.ts, frame.linktype, bytes(data)))
    clear_cache()  # a cold decode of the same bytes must be just as safe
    check(Frame(frame.ts, frame.linktype, bytes(data)))


@SETTINGS
@given(
    st.sampled_from([0x0800, 0x86DD, 0x0806, 0x8100]),
    st.integers(0, 255),
    st.sampled_from([112, 51, 58, 0, 44, 60]),
    st.binary(max_size=120),
)
def test_structured_headers_random_payload(etype: int, b0: int, proto: int, tail: bytes) -> None:
    # Valid-looking link + IP prefix so the random part reaches the deep decoders.
    eth = b"\x01\x00\x5e\x00\x00\x12\x00\x00\x5e\x00\x01\x01" + struct.pack("!H", etype)
    if etype == 0x0800:
        ip = struct.pack(
            "!BBHHHBBH4s4s",
            0x45,
            0,
            20 + len(tail),
            1,
            0,
            255,
            proto,
            0,
            b"\xc6\x33\x64\x01",
            b"\xe0\x00\x00\x12",
        )
    elif etype == 0x86DD:
        ip = struct.pack(
            "!IHBB16s16s",
            0x60000000,
            len(tail),
            proto,
            255,
            b"\xfe\x80" + b"\0" * 14,
            b"\xff\x02" + b"\0" * 13 + b"\x12",
        )
    else:
        ip = bytes([b0, proto])
    check(Frame(0.0, 1, eth + ip + bytes([b0]) + tail))
