"""Parsing ``--prometheus [ADDR:]PORT``."""

from __future__ import annotations

import pytest

from vrrptop.output.prometheus import parse_listen_address


@pytest.mark.parametrize(
    ("spec", "expected"),
    [
        ("9712", (None, 9712)),
        (":9712", (None, 9712)),
        (" 9712 ", (None, 9712)),
        ("127.0.0.1:9712", ("127.0.0.1", 9712)),
        ("0.0.0.0:80", ("0.0.0.0", 80)),
        ("[::1]:9712", ("::1", 9712)),
        ("[::]:9712", ("::", 9712)),
        ("[2001:db8::1]:0", ("2001:db8::1", 0)),
        ("localhost:9712", ("localhost", 9712)),
        ("mon-1.example.net:65535", ("mon-1.example.net", 65535)),
    ],
)
def test_good_addresses(spec: str, expected: tuple[str | None, int]) -> None:
    assert parse_listen_address(spec) == expected


@pytest.mark.parametrize(
    ("spec", "message"),
    [
        ("", "empty address"),
        ("   ", "empty address"),
        ("abc", "port 'abc' is not a number"),
        ("127.0.0.1:", "port '' is not a number"),
        ("127.0.0.1", "port '127.0.0.1' is not a number"),
        ("-1", "port '-1' is not a number"),
        ("65536", "port 65536 is out of range 0-65535"),
        (":99999", "port 99999 is out of range"),
        ("::1:9712", "put an IPv6 address in brackets"),
        ("[::1]", r"expected \[IPV6\]:PORT"),
        ("[::1:9712", r"expected \[IPV6\]:PORT"),
        ("[::1]9712", r"expected \[IPV6\]:PORT"),
        ("[198.51.100.1]:9712", "is not an IPv6 address"),
        ("[zz::1]:9712", "is not an IPv6 address"),
        ("300.1.1.1:9712", "is not an IPv4 address"),
        ("bad_host!:9712", "is not an address or host name"),
        ("-host:9712", "is not an address or host name"),
        ("9712/tcp", "is not a number"),
    ],
)
def test_bad_addresses_say_what_is_wrong(spec: str, message: str) -> None:
    with pytest.raises(ValueError, match=message) as err:
        parse_listen_address(spec)
    text = str(err.value)
    assert text.startswith("--prometheus")
    assert "\n" not in text
