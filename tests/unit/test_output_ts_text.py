"""``ts_text`` is ``repr`` for every float: the JSON Lines contract's ``ts`` is Python's
shortest round-trip form, and the fast path must never differ from it."""

from __future__ import annotations

import struct

from hypothesis import example, given
from hypothesis import strategies as st

from vrrptop.output.jsonl import ts_text

#: Whole microseconds, as pcap files store them, over the fast path's whole range.
micros = st.builds(lambda s, u: s + u / 1_000_000, st.integers(1, 2**33), st.integers(0, 999_999))


@given(micros)
@example(1.0)
@example(1_764_755_000.0)
@example(1_764_755_000.1)
@example(1_764_755_000.000001)
@example(1_764_755_000.999999)
@example(1_764_755_000.12)
@example(8_589_934_591.999999)
@example(8_589_934_592.000001)
def test_microsecond_timestamps_print_as_repr(ts: float) -> None:
    assert ts_text(ts) == repr(ts)


@given(st.floats(allow_nan=True, allow_infinity=True))
@example(0.0)
@example(-0.0)
@example(1e-5)
@example(0.5)
@example(1e16)
@example(1_764_755_000.123456789)
def test_any_float_prints_as_repr(ts: float) -> None:
    assert ts_text(ts) == repr(ts)


@given(st.integers(0, 2**64 - 1))
def test_any_bit_pattern_prints_as_repr(bits: int) -> None:
    ts = struct.unpack("<d", bits.to_bytes(8, "little"))[0]
    assert ts_text(ts) == repr(ts)
