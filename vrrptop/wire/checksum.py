"""Internet checksum (RFC 1071) and the IPv4/IPv6 pseudo-headers VRRPv3 covers.

The one's-complement sum of 16-bit words equals the message read as one big integer
modulo 0xffff (because 2**16 == 1 mod 0xffff), so ``int.from_bytes(...) % 0xffff``
replaces a Python loop over words: about 50 times faster on short messages.
Chunks summed separately must each start on a 16-bit boundary, which holds for the
pseudo-header and the message.
"""

from __future__ import annotations

import struct

_PH4 = struct.Struct("!4s4sBBH")
_PH6 = struct.Struct("!16s16sI3xB")


def word_sum(data: bytes) -> int:
    """One's-complement sum of ``data`` as 16-bit words, reduced modulo 0xffff.

    An odd trailing byte is padded with a zero byte on the right, as RFC 1071 says.
    """
    if len(data) & 1:
        data += b"\x00"
    return int.from_bytes(data, "big") % 0xFFFF


def checksum(data: bytes) -> int:
    """The checksum field value for ``data`` (with its checksum field zeroed)."""
    s = word_sum(data)
    if s:
        return (~s) & 0xFFFF
    # s == 0 means the folded sum is 0xffff (checksum 0), or 0 for all-zero data.
    return 0 if any(data) else 0xFFFF


def verify(data: bytes, pseudo: bytes = b"") -> bool:
    """True when ``data`` (checksum field included) sums to all-ones.

    A message whose words sum to zero modulo 0xffff is valid; an all-zero message
    would also pass but no VRRP message is all zeros (the version byte is not 0).
    """
    if pseudo:
        return (word_sum(pseudo) + word_sum(data)) % 0xFFFF == 0
    return word_sum(data) == 0


def pseudo_header_v4(src: bytes, dst: bytes, proto: int, length: int) -> bytes:
    """The 12-byte IPv4 pseudo-header (RFC 768 layout) for upper-layer ``length``."""
    return _PH4.pack(src, dst, 0, proto, length & 0xFFFF)


def pseudo_header_v6(src: bytes, dst: bytes, proto: int, length: int) -> bytes:
    """The 40-byte IPv6 pseudo-header (RFC 8200 section 8.1)."""
    return _PH6.pack(src, dst, length & 0xFFFFFFFF, proto)
