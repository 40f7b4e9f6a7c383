"""One DNS probe: send the query over UDP (TCP if truncated) and classify the reply.

dnspython builds and parses the messages; the transport is ours, on plain
non-blocking sockets driven by asyncio, because we want three things its query
helpers do not give together: a *connected* UDP socket (so an ICMP port
unreachable becomes an immediate "refused" instead of a timeout), one deadline
covering UDP and the TCP retry, and IPv6 scope ids resolved by the C library
(``fe80::1%eth0``). Every socket is closed in a ``finally``, so cancelling a probe
(``Prober.stop``) leaks nothing.
"""

from __future__ import annotations

import asyncio
import logging
import socket
import struct
import time
from typing import Any

import dns.exception
import dns.flags
import dns.message
import dns.rcode
import dns.rdatatype

from vrrptop.probe.config import ProbeConfig
from vrrptop.probe.sanitize import safe_name
from vrrptop.probe.types import ProbeResult, ProbeStatus, ProbeTarget

log = logging.getLogger(__name__)

MAX_ANSWER = 1024
"""Characters of answer text kept in a result (display only)."""


def make_query(config: ProbeConfig) -> dns.message.QueryMessage:
    """The query message for ``config`` (RD set, EDNS like dig unless disabled)."""
    use_edns = config.edns_payload is not None
    return dns.message.make_query(
        config.query.name,
        config.query.rdtype,
        use_edns=0 if use_edns else None,
        payload=config.edns_payload or 512,
    )


def sockaddr_for(target: ProbeTarget) -> tuple[int, Any]:
    """(family, sockaddr) for a literal address; scope names become indexes.

    Raises ``OSError`` (``socket.gaierror``) for anything but a numeric address:
    probes never trigger a name lookup."""
    infos = socket.getaddrinfo(
        target.address, target.port, type=socket.SOCK_DGRAM, flags=socket.AI_NUMERICHOST
    )
    family, _, _, _, sockaddr = infos[0]
    return family, sockaddr


async def _udp_exchange(
    query: dns.message.Message, wire: bytes, family: int, sockaddr: Any
) -> dns.message.Message:
    loop = asyncio.get_running_loop()
    sock = socket.socket(family, socket.SOCK_DGRAM)
    try:
        sock.setblocking(False)
        await loop.sock_connect(sock, sockaddr)
        await loop.sock_sendall(sock, wire)
        while True:
            data = await loop.sock_recv(sock, 65535)
            try:
                reply = dns.message.from_wire(data, ignore_trailing=True, question_only=False)
            except dns.message.ShortHeader:
                continue  # junk datagram on our port: keep waiting for the real reply
            except dns.exception.FormError:
                # A malformed reply to *our* id is a server problem; other junk is noise.
                if len(data) >= 2 and data[:2] == wire[:2]:
                    raise
                continue
            if query.is_response(reply):
                return reply
    finally:
        sock.close()


async def _recv_exactly(loop: asyncio.AbstractEventLoop, sock: socket.socket, n: int) -> bytes:
    buf = bytearray()
    while len(buf) < n:
        chunk = await loop.sock_recv(sock, n - len(buf))
        if not chunk:
            raise ConnectionResetError("connection closed before the whole reply")
        buf += chunk
    return bytes(buf)


async def _tcp_exchange(
    query: dns.message.Message, wire: bytes, family: int, sockaddr: Any
) -> dns.message.Message:
    loop = asyncio.get_running_loop()
    sock = socket.socket(family, socket.SOCK_STREAM)
    try:
        sock.setblocking(False)
        await loop.sock_connect(sock, sockaddr)
        await loop.sock_sendall(sock, struct.pack("!H", len(wire)) + wire)
        while True:
            (length,) = struct.unpack("!H", await _recv_exactly(loop, sock, 2))
            reply = dns.message.from_wire(await _recv_exactly(loop, sock, length))
            if query.is_response(reply):
                return reply
    finally:
        sock.close()


def _answer_text(query: dns.message.Message, reply: dns.message.Message) -> str:
    qtype = query.question[0].rdtype
    lines: list[str] = []
    for rrset in reply.answer:
        if rrset.rdtype != qtype:
            continue  # CNAMEs on the way to the answer
        for rdata in rrset:
            if rdata.rdtype == dns.rdatatype.TXT:
                # like comparing `dig +short` output, minus dig's quoting
                raw = b"".join(rdata.strings)  # type: ignore[attr-defined]
                lines.append(raw.decode("utf-8", errors="backslashreplace"))
            else:
                lines.append(rdata.to_text())
    return "\n".join(lines)


def classify(
    query: dns.message.Message,
    reply: dns.message.Message,
    expect: str | None,
) -> tuple[bool, ProbeStatus, str, str, str]:
    """(ok, status, rcode text, display-safe answer, detail) for a reply."""
    rcode = dns.rcode.to_text(reply.rcode())
    raw = _answer_text(query, reply)
    answer = safe_name(raw, max_len=MAX_ANSWER)
    if reply.rcode() == dns.rcode.REFUSED:
        return False, "refused", rcode, answer, "server refused the query (REFUSED)"
    if reply.rcode() != dns.rcode.NOERROR:
        return False, "rcode", rcode, answer, f"server answered {rcode}"
    if expect is not None and expect not in raw:
        shown = safe_name(raw.replace("\n", " | "), max_len=80) or "(no answer)"
        return False, "wrong-answer", rcode, answer, f"answer lacks {expect!r}: {shown}"
    count = len(raw.splitlines())
    if count == 0:
        # NODATA: the seed's check (``dig +short`` must print something) fails on it,
        # so keepalived takes the server out; so must we.
        return False, "no-data", rcode, answer, "NOERROR but no records (NODATA)"
    return True, "ok", rcode, answer, f"NOERROR, {count} record{'s' if count != 1 else ''}"


async def probe_once(target: ProbeTarget, config: ProbeConfig) -> ProbeResult:
    """Probe ``target`` once and return the result; never raises (except when
    cancelled). Each probe has a fresh random query id."""
    query = make_query(config)
    wall = time.time()
    start = time.perf_counter()

    def result(status: ProbeStatus, detail: str, **kw: Any) -> ProbeResult:
        return ProbeResult(
            ts=wall,
            target=target,
            ok=kw.pop("ok", False),
            status=status,
            rcode=kw.pop("rcode", None),
            latency_ms=kw.pop("latency_ms", None),
            answer=kw.pop("answer", None),
            detail=detail,
            tcp=kw.pop("tcp", False),
        )

    try:
        family, sockaddr = sockaddr_for(target)
    except (OSError, UnicodeError) as exc:
        return result("network-error", f"bad target address {safe_name(target.address)}: {exc}")
    wire = query.to_wire()
    used_tcp = False
    try:
        async with asyncio.timeout(config.timeout):
            reply = await _udp_exchange(query, wire, family, sockaddr)
            if reply.flags & dns.flags.TC:
                used_tcp = True
                reply = await _tcp_exchange(query, wire, family, sockaddr)
    except TimeoutError:
        how = "TCP retry" if used_tcp else "reply"
        return result("timeout", f"no {how} within {config.timeout:g} s", tcp=used_tcp)
    except ConnectionRefusedError:
        where = "TCP" if used_tcp else "UDP"
        detail = f"connection refused ({where} port {target.port} closed)"
        return result("refused", detail, tcp=used_tcp)
    except OSError as exc:
        return result("network-error", f"{exc.strerror or exc}", tcp=used_tcp)
    except dns.exception.DNSException as exc:
        return result("network-error", f"malformed reply: {exc}", tcp=used_tcp)
    except Exception as exc:  # a bug or an exotic reply: still a result, and logged
        log.exception("probe of %s failed unexpectedly", target.address)
        return result("network-error", f"unexpected error: {exc!r}", tcp=used_tcp)
    latency_ms = (time.perf_counter() - start) * 1000.0
    ok, status, rcode, answer, detail = classify(query, reply, config.expect)
    return result(
        status, detail, ok=ok, rcode=rcode, latency_ms=latency_ms, answer=answer, tcp=used_tcp
    )
