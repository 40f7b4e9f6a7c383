"""Masking and showing VRRPv2 authentication data."""

from __future__ import annotations

from test_wire_support import eth_ip4, fr, v2_msg

from vrrptop.wire import auth
from vrrptop.wire.decode import clear_cache, decode_frame
from vrrptop.wire.records import Advert


def advert(auth_type: int, data: bytes) -> Advert:
    clear_cache()
    rec = decode_frame(fr(eth_ip4(v2_msg(auth_type=auth_type, auth=data))))
    assert isinstance(rec, Advert)
    return rec


def test_mask_never_shows_the_password() -> None:
    a = advert(1, b"XXXXXXXX")
    assert auth.mask(a) == "PASS ********"
    short = advert(1, b"ab\0\0\0\0\0\0")
    assert auth.mask(short) == "PASS ********"  # fixed width: length not revealed
    assert "XXXX" not in repr(a)


def test_mask_other_types() -> None:
    assert auth.mask(advert(0, b"\0" * 8)) == "none"
    assert auth.mask(advert(2, b"\0" * 8)) == "AH"
    assert auth.mask(advert(7, b"\0" * 8)) == "type 7"


def test_show_escapes_non_printables() -> None:
    assert auth.show(advert(1, b"abcdefgh")) == "abcdefgh"
    assert auth.show(advert(1, b"pw\0\0\0\0\0\0")) == "pw"
    assert auth.show(advert(1, b"a\x01b\\\xff\0c\0")) == "a\\x01b\\\\\\xff\\x00c"
    assert auth.show(advert(0, b"\0" * 8)) == ""
