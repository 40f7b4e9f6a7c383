"""This node's addresses: /proc/net/if_inet6 parsing and the live interfaces."""

from __future__ import annotations

import ipaddress
from pathlib import Path

from vrrptop.probe.localhost import _ipv6_addresses, local_addresses, short_hostname

IF_INET6 = (
    "00000000000000000000000000000001 01 80 10 80       lo\n"
    "fe8000000000000000766cfffe00000e 02 40 20 80      em1\n"
    "20010db8010000000000000000000014 02 40 00 80      em1\n"
)


def test_if_inet6_parsing_skips_loopback(tmp_path: Path) -> None:
    path = tmp_path / "if_inet6"
    path.write_text(IF_INET6)
    assert _ipv6_addresses(str(path)) == ["fe80::76:6cff:fe00:e", "2001:db8:100::14"]
    assert _ipv6_addresses(str(tmp_path / "absent")) == []


def test_local_addresses_are_real_and_never_loopback() -> None:
    found = local_addresses()
    for text in found:
        assert not ipaddress.ip_address(text).is_loopback
    assert short_hostname() and "." not in short_hostname()
