"""One probe against the in-process test DNS server, one behaviour per test."""

from __future__ import annotations

import socket

import pytest
from probe_dns_server import DnsTestServer, ipv6_loopback_available

from vrrptop.probe import ProbeConfig, ProbeTarget, parse_query, probe_once
from vrrptop.probe.query import sockaddr_for


def _config(
    expect: str | None = None, timeout: float = 1.0, edns: int | None = 1232
) -> ProbeConfig:
    return ProbeConfig(
        query=parse_query("probe.test/TXT"), expect=expect, timeout=timeout, edns_payload=edns
    )


def _target(server: DnsTestServer, role: str = "vip") -> ProbeTarget:
    return ProbeTarget(server.host, role, None, server.port)  # type: ignore[arg-type]


async def test_answer_ok() -> None:
    async with DnsTestServer(behaviour="answer", text="test") as server:
        result = await probe_once(_target(server), _config(expect="test"))
    assert result.ok and result.status == "ok"
    assert result.rcode == "NOERROR"
    assert result.answer == "test"
    assert result.latency_ms is not None and result.latency_ms > 0
    assert not result.tcp
    assert (server.udp_queries, server.tcp_queries) == (1, 0)


async def test_answer_without_expect_is_ok_even_if_text_differs() -> None:
    async with DnsTestServer(behaviour="wrong") as server:
        result = await probe_once(_target(server), _config(expect=None))
    assert result.ok
    assert result.answer == "wrong answer"


async def test_txt_strings_are_joined_before_comparing() -> None:
    # "cam.ac.uk" style long TXT records arrive as several <character-string>s;
    # like comparing `dig +short` output, the expectation spans the pieces.
    async with DnsTestServer(behaviour="answer", text="v=spf1 include:x", chunks=3) as server:
        result = await probe_once(_target(server), _config(expect="spf1 include"))
    assert result.ok, result.detail
    assert result.answer == "v=spf1 include:x"


async def test_wrong_answer() -> None:
    async with DnsTestServer(behaviour="wrong") as server:
        result = await probe_once(_target(server), _config(expect="test"))
    assert not result.ok
    assert result.status == "wrong-answer"
    assert result.rcode == "NOERROR"
    assert result.latency_ms is not None
    assert "wrong answer" in result.detail
    assert result.to_json()["answer"] == "wrong answer"


async def test_nodata_without_expect_fails_as_the_seed_check_does() -> None:
    """``dig +short`` printing nothing makes the seed's named_ok fail: NODATA is not
    healthy even when no answer text is expected; a real answer is (the control)."""
    async with DnsTestServer(behaviour="nodata") as server:
        result = await probe_once(_target(server), _config(expect=None))
    assert result.status == "no-data" and not result.ok
    async with DnsTestServer(behaviour="answer") as server:
        result = await probe_once(_target(server), _config(expect=None))
    assert result.status == "ok" and result.ok


async def test_nodata_with_expect_is_wrong_answer() -> None:
    async with DnsTestServer(behaviour="nodata") as server:
        result = await probe_once(_target(server), _config(expect="test"))
    assert result.status == "wrong-answer"
    assert result.answer == ""


@pytest.mark.parametrize(
    ("behaviour", "status", "rcode"),
    [
        ("nxdomain", "rcode", "NXDOMAIN"),
        ("servfail", "rcode", "SERVFAIL"),
        ("refused", "refused", "REFUSED"),
    ],
)
async def test_error_rcodes(behaviour: str, status: str, rcode: str) -> None:
    async with DnsTestServer(behaviour=behaviour) as server:  # type: ignore[arg-type]
        result = await probe_once(_target(server), _config(expect="test"))
    assert not result.ok
    assert result.status == status
    assert result.rcode == rcode
    assert result.latency_ms is not None


async def test_silence_times_out() -> None:
    async with DnsTestServer(behaviour="silent") as server:
        result = await probe_once(_target(server), _config(timeout=0.2))
    assert not result.ok
    assert result.status == "timeout"
    assert result.rcode is None and result.latency_ms is None
    assert server.udp_queries == 1  # one try, no retry


async def test_truncated_udp_retries_over_tcp() -> None:
    async with DnsTestServer(behaviour="truncate") as server:
        result = await probe_once(_target(server), _config(expect="test"))
    assert result.ok, result.detail
    assert result.tcp
    assert result.answer == "test"
    assert (server.udp_queries, server.tcp_queries) == (1, 1)
    assert result.to_json()["tcp"] is True


async def test_truncated_then_tcp_closed_is_refused() -> None:
    async with DnsTestServer(behaviour="truncate") as server:
        assert server._tcp is not None
        server._tcp.close()  # UDP still answers (truncated), TCP port now closed
        await server._tcp.wait_closed()
        result = await probe_once(_target(server), _config(expect="test"))
    assert result.status == "refused"
    assert "TCP" in result.detail


async def test_reply_with_another_id_is_ignored() -> None:
    async with DnsTestServer(behaviour="spoof") as server:
        result = await probe_once(_target(server), _config(expect="test"))
    assert result.ok, result.detail


async def test_plain_dns_without_edns() -> None:
    async with DnsTestServer(behaviour="answer") as server:
        result = await probe_once(_target(server), _config(expect="test", edns=None))
    assert result.ok


async def test_closed_port_is_refused_immediately() -> None:
    # Bind then close to get a port nobody listens on: the connected UDP socket
    # sees the ICMP port unreachable, so this is "refused", not a timeout.
    with socket.socket(socket.AF_INET, socket.SOCK_DGRAM) as s:
        s.bind(("127.0.0.1", 0))
        port = s.getsockname()[1]
    result = await probe_once(ProbeTarget("127.0.0.1", "host", None, port), _config(timeout=5))
    assert result.status == "refused"
    assert result.rcode is None


async def test_name_instead_of_address_is_a_network_error_without_lookup() -> None:
    result = await probe_once(ProbeTarget("localhost", "host"), _config())
    assert result.status == "network-error"
    assert "bad target address" in result.detail


async def test_scoped_link_local_with_unknown_interface_is_a_network_error() -> None:
    result = await probe_once(ProbeTarget("fe80::1%vrrptop-nosuch0", "host"), _config())
    assert result.status == "network-error"


@pytest.mark.skipif(not ipv6_loopback_available(), reason="no IPv6 loopback")
async def test_ipv6_target() -> None:
    async with DnsTestServer(host="::1", behaviour="truncate") as server:
        result = await probe_once(_target(server), _config(expect="test"))
    assert result.ok, result.detail
    assert result.tcp


def test_link_local_scope_by_name_and_by_index() -> None:
    index = socket.if_nametoindex("lo")
    family, sockaddr = sockaddr_for(ProbeTarget("fe80::1%lo", "host", None, 5353))
    assert family == socket.AF_INET6
    assert sockaddr == ("fe80::1", 5353, 0, index)
    _, sockaddr = sockaddr_for(ProbeTarget("fe80::53%7", "host"))
    assert sockaddr[1] == 53 and sockaddr[3] == 7
