"""The decoders' internal error: a frame that is ours but cannot be decoded.

Raised inside the decoders only; ``decode_frame`` turns it into a Malformed record,
so nothing ever escapes to callers.
"""

from __future__ import annotations


class DecodeError(Exception):
    """A frame claimed to be VRRP/CARP/ARP/NA but is unusable; carries the reason."""

    def __init__(self, reason: str, proto: str = "vrrp", src: str | None = None) -> None:
        super().__init__(reason)
        self.reason = reason
        self.proto = proto
        self.src = src
