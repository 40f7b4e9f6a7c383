"""Real keepalived 2.2.7 traffic (tests/data/keepalived, made by make_captures.sh there).

Expected values come from the keepalived configurations in that script, not from
the decoder: VRID, priority, VIP, password, interval, and the priority-0 resignation
keepalived sends when it stops.
"""

from __future__ import annotations

import pytest
from test_wire_support import DATA, read_capture

from vrrptop.wire.decode import clear_cache, decode_frame
from vrrptop.wire.records import Advert, Garp

KA = DATA / "keepalived"

# name: (version, family, vrid, priority, interval_cs, vip, auth_type, auth_data, variant)
CONFIGS = {
    "v2pass": (2, 4, 210, 150, 100, "198.51.100.100", 1, b"XXXXXXXX", "v2"),
    "v3ip4": (3, 4, 211, 120, 50, "198.51.100.101", None, b"", "v3"),
    "v3ip6": (3, 6, 213, 100, 100, "2001:db8::100", None, b"", "v3"),
}


@pytest.mark.parametrize("name", sorted(CONFIGS))
def test_keepalived_capture(name: str) -> None:
    version, family, vrid, prio, interval, vip, auth_type, auth_data, variant = CONFIGS[name]
    clear_cache()
    recs = [decode_frame(f) for f in read_capture(KA / f"keepalived_{name}.pcap")]
    adverts = [r for r in recs if isinstance(r, Advert)]
    garps = [r for r in recs if isinstance(r, Garp)]
    assert len(adverts) >= 3
    for a in adverts:
        assert (a.version, a.family, a.vrid, a.addresses) == (version, family, vrid, (vip,))
        assert (a.interval_cs, a.auth_type, a.auth_data) == (interval, auth_type, auth_data)
        assert a.checksum_ok and a.checksum_variant == variant and a.problems == ()
        assert a.dst == ("224.0.0.18" if family == 4 else "ff02::12")
        assert a.src == ("198.51.100.1" if family == 4 else a.src)
        assert a.src_mac == adverts[0].src_mac
    assert [a.priority for a in adverts[:-1]] == [prio] * (len(adverts) - 1)
    assert adverts[-1].priority == 0  # keepalived resigns on shutdown
    if family == 6:
        assert adverts[0].src.startswith("fe80::")
    # keepalived announces the VIP: ARP requests (IPv4) or unsolicited NAs (IPv6).
    assert len(garps) >= 1
    for g in garps:
        assert (g.address, g.family, g.mac) == (vip, family, adverts[0].src_mac)
        assert g.kind == ("arp-request" if family == 4 else "na")
    assert all(r is None or isinstance(r, (Advert, Garp)) for r in recs)
