"""The advert cache: a hit must be indistinguishable from a cold decode."""

from __future__ import annotations

from dataclasses import replace

import pytest
from scapy.layers.inet import IP
from scapy.layers.l2 import Dot1Q, Ether
from scapy.layers.vrrp import VRRP
from test_wire_support import GROUP4, eth_ip4, fr, v2_msg

from vrrptop import native
from vrrptop.wire import decode as dec
from vrrptop.wire.decode import clear_cache, decode_frame
from vrrptop.wire.records import Advert, Frame


def cold(data: bytes, ts: float, linktype: int = 1) -> object:
    clear_cache()
    return decode_frame(fr(data, linktype, ts))


def test_hit_equals_cold_decode_with_new_timestamp() -> None:
    data = eth_ip4(v2_msg(vrid=3, prio=120, auth_type=1, auth=b"secret00"))
    first = cold(data, 1.0)
    second = decode_frame(fr(data, 1, 2.5))
    assert isinstance(first, Advert) and isinstance(second, Advert)
    assert second.ts == 2.5 and second.frame == data
    assert second == replace(first, ts=2.5)
    assert second == cold(data, 2.5)


def test_changing_ip_id_hits_and_still_matches_cold_decode() -> None:
    # keepalived increments the IPv4 ID on every advert: that must still hit.
    a = eth_ip4(v2_msg(vrid=3), id=1)
    b = eth_ip4(v2_msg(vrid=3), id=2)
    assert a != b
    cold(a, 1.0)
    hits_before = len(dec._cache)
    rec = decode_frame(fr(b, 1, 2.0))
    assert len(dec._cache) == hits_before  # no new entry: it was a hit
    assert isinstance(rec, Advert) and rec.frame == b
    assert rec == cold(b, 2.0)


def test_changing_decoded_bytes_misses() -> None:
    cold(eth_ip4(v2_msg(vrid=3, prio=100)), 1.0)
    rec = decode_frame(fr(eth_ip4(v2_msg(vrid=3, prio=101)), 1, 2.0))
    assert isinstance(rec, Advert) and rec.priority == 101
    rec2 = decode_frame(fr(eth_ip4(v2_msg(vrid=3, prio=100), ttl=9), 1, 3.0))
    assert isinstance(rec2, Advert) and rec2.ttl == 9 and rec2.problems == ("ttl-not-255",)


def test_vlan_and_linktype_are_part_of_the_key() -> None:
    inner = IP(src="198.51.100.4", dst=GROUP4, ttl=255, proto=112) / VRRP(vrid=4)
    a = bytes(Ether() / Dot1Q(vlan=10) / inner)
    b = bytes(Ether() / Dot1Q(vlan=11) / inner)
    clear_cache()
    ra, rb = decode_frame(fr(a)), decode_frame(fr(b))
    assert isinstance(ra, Advert) and isinstance(rb, Advert)
    assert (ra.vlan, rb.vlan) == (10, 11)
    raw = decode_frame(fr(bytes(inner), 101))
    assert isinstance(raw, Advert) and raw.src_mac is None


def test_cache_is_bounded() -> None:
    clear_cache()
    for i in range(dec.CACHE_MAX + 50):
        msg = v2_msg(vrid=1 + i % 255, prio=1 + (i // 255) % 254)
        decode_frame(fr(eth_ip4(msg, src=f"198.51.100.{1 + i // 64516 % 250}")))
    assert 0 < len(dec._cache) <= dec.CACHE_MAX


def test_oversized_frames_are_decoded_but_not_cached() -> None:
    clear_cache()
    big = eth_ip4(v2_msg(vrid=200) + b"\x00" * (dec.CACHE_FRAME_MAX))
    rec = decode_frame(fr(big))
    assert isinstance(rec, Advert) and rec.vrid == 200 and "trailing-bytes" in rec.problems
    assert len(dec._cache) == 0


def test_bytearray_and_memoryview_frames_are_accepted() -> None:
    """A careless source's buffer decodes in pure Python; the compiled build enforces
    ``Frame.data: bytes`` where the frame is made (``vrrptop.native``)."""
    data = eth_ip4(v2_msg(vrid=33))
    clear_cache()
    for buf in (bytearray(data), memoryview(data), bytearray(data)):
        if "vrrptop.wire.records" in native.compiled():
            with pytest.raises(TypeError):
                Frame(1.0, 1, buf)  # type: ignore[arg-type]
            continue
        rec = decode_frame(Frame(1.0, 1, buf))  # type: ignore[arg-type]
        assert isinstance(rec, Advert) and rec.vrid == 33 and rec.frame == data


def test_adverts_of_one_entry_share_its_template_and_only_they_do() -> None:
    # Consumers trust ``a.template is b.template`` to mean "same fields but ts/frame".
    a = eth_ip4(v2_msg(vrid=3), id=1)
    first = cold(a, 1.0)
    hit = decode_frame(fr(eth_ip4(v2_msg(vrid=3), id=2), 1, 2.0))
    other = decode_frame(fr(eth_ip4(v2_msg(vrid=3, prio=120)), 1, 3.0))
    assert isinstance(first, Advert) and isinstance(hit, Advert) and isinstance(other, Advert)
    assert first.template is not None and hit.template is first.template
    assert other.template is not None and other.template is not first.template
    again = cold(a, 4.0)  # a cleared cache makes a new entry: never the old identity
    assert isinstance(again, Advert) and again.template is not first.template
    # not compared, not hashed, and dropped by replace (which may change fields)
    assert again == replace(first, ts=4.0) and hash(again) == hash(replace(first, ts=4.0))
    assert replace(hit, priority=1).template is None
    assert "template" not in repr(hit)
