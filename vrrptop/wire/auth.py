"""Render VRRPv2 authentication data without leaking it by accident.

``mask`` is what every screen and log shows; ``show`` reveals the cleartext and is
only for an explicit operator request (simple-text passwords are on the wire in
clear anyway: RFC 3768 keeps them only to catch misconfiguration).
"""

from __future__ import annotations

from vrrptop.wire.records import Advert

AUTH_NONE = 0
AUTH_SIMPLE = 1
AUTH_AH = 2
_MASK = "*" * 8  # fixed width: the mask must not reveal the password length


def mask(advert: Advert) -> str:
    """ "none", "PASS ********", "AH", or "type N" for unknown types."""
    t = advert.auth_type
    if t is None or t == AUTH_NONE:
        return "none"
    if t == AUTH_SIMPLE:
        return f"PASS {_MASK}"
    if t == AUTH_AH:
        return "AH"
    return f"type {t}"


def escape(raw: bytes) -> str:
    """Printable ASCII as is, backslash doubled, anything else as ``\\xNN``."""
    out = []
    for b in raw:
        if b == 0x5C:
            out.append("\\\\")
        elif 0x20 <= b < 0x7F:
            out.append(chr(b))
        else:
            out.append(f"\\x{b:02x}")
    return "".join(out)


def secret_span(advert: Advert) -> range | None:
    """Offsets of the auth field in ``advert.frame``: what every hex dump masks.

    Every VRRPv2 auth field is masked, whatever its type: the bytes are secret even
    when the type byte says "none" (a misconfigured peer) or is unknown.
    """
    if advert.auth_type is None or not advert.auth_data or not advert.frame:
        return None
    start = advert.auth_offset
    if start < 0 or advert.frame[start : start + len(advert.auth_data)] != advert.auth_data:
        start = advert.frame.rfind(advert.auth_data)  # an advert built by hand
        if start < 0:
            return None
    return range(start, start + len(advert.auth_data))


def show(advert: Advert) -> str:
    """The auth data in clear, trailing NUL padding removed, non-printables escaped."""
    return escape(advert.auth_data.rstrip(b"\x00"))
