"""A tiny authoritative-ish DNS server for the probe tests and benchmark.

asyncio UDP + TCP on one ephemeral port of a loopback address, replies built with
dnspython's message API. ``behaviour`` (mutable while running) selects what it
does with every query:

    answer    NOERROR with TXT ``text`` (split into ``chunks`` strings)
    wrong     NOERROR with TXT "wrong answer"
    nodata    NOERROR, empty answer
    nxdomain  NXDOMAIN           servfail  SERVFAIL           refused  REFUSED
    silent    no reply at all (a black hole)
    truncate  UDP: empty reply with TC set; TCP: the normal answer
    spoof     UDP: first a reply with another id, then the normal answer

Queries are counted per transport in ``udp_queries`` / ``tcp_queries``.
"""

from __future__ import annotations

import asyncio
import contextlib
import socket
import struct
from typing import Literal, cast

import dns.flags
import dns.message
import dns.rcode
import dns.rdatatype
import dns.rrset

Behaviour = Literal[
    "answer", "wrong", "nodata", "nxdomain", "servfail", "refused", "silent", "truncate", "spoof"
]


class _Udp(asyncio.DatagramProtocol):
    def __init__(self, server: DnsTestServer) -> None:
        self.server = server
        self.transport: asyncio.DatagramTransport | None = None

    def connection_made(self, transport: asyncio.BaseTransport) -> None:
        self.transport = cast(asyncio.DatagramTransport, transport)

    def datagram_received(self, data: bytes, addr: tuple[str, int]) -> None:
        self.server.udp_queries += 1
        assert self.transport is not None
        for reply in self.server.replies(data, tcp=False):
            self.transport.sendto(reply, addr)


class DnsTestServer:
    """Serve ``behaviour`` on ``host`` (UDP and TCP, same port); see module doc."""

    def __init__(
        self,
        host: str = "127.0.0.1",
        behaviour: Behaviour = "answer",
        text: str = "test",
        chunks: int = 1,
    ) -> None:
        self.host = host
        self.behaviour: Behaviour = behaviour
        self.text = text
        self.chunks = chunks
        self.port = 0
        self.udp_queries = 0
        self.tcp_queries = 0
        self._udp: asyncio.DatagramTransport | None = None
        self._tcp: asyncio.Server | None = None

    async def start(self) -> DnsTestServer:
        """Bind UDP on an ephemeral port, then TCP on the same port (retrying)."""
        loop = asyncio.get_running_loop()
        family = socket.AF_INET6 if ":" in self.host else socket.AF_INET
        for _ in range(20):
            transport, _proto = await loop.create_datagram_endpoint(
                lambda: _Udp(self), local_addr=(self.host, 0), family=family
            )
            port = transport.get_extra_info("sockname")[1]
            try:
                self._tcp = await asyncio.start_server(self._serve_tcp, self.host, port)
            except OSError:
                transport.close()
                continue
            self._udp, self.port = transport, port
            return self
        raise OSError("could not bind UDP and TCP on one port")

    async def close(self) -> None:
        """Stop serving."""
        if self._udp is not None:
            self._udp.close()
        if self._tcp is not None:
            self._tcp.close()
            with contextlib.suppress(Exception):
                await asyncio.wait_for(self._tcp.wait_closed(), 1.0)

    async def __aenter__(self) -> DnsTestServer:
        return await self.start()

    async def __aexit__(self, *exc: object) -> None:
        await self.close()

    def replies(self, wire: bytes, *, tcp: bool) -> list[bytes]:
        """The datagrams/messages to send back for query ``wire``."""
        try:
            query = dns.message.from_wire(wire)
        except Exception:
            return []
        behaviour = self.behaviour
        if behaviour == "silent":
            return []
        response = dns.message.make_response(query)
        qname = query.question[0].name
        if behaviour in ("answer", "spoof") or (behaviour == "truncate" and tcp):
            response.answer.append(self._txt(qname, self.text))
        elif behaviour == "truncate":
            response.flags |= dns.flags.TC
        elif behaviour == "wrong":
            response.answer.append(self._txt(qname, "wrong answer"))
        elif behaviour in ("nxdomain", "servfail", "refused"):
            response.set_rcode(dns.rcode.from_text(behaviour.upper()))
        out = [response.to_wire()]
        if behaviour == "spoof" and not tcp:
            response.id = (query.id + 1) % 65536
            out.insert(0, response.to_wire())
        return out

    def _txt(self, qname: dns.name.Name, text: str) -> dns.rrset.RRset:
        size = max(1, -(-len(text) // self.chunks))
        parts = [text[i : i + size] for i in range(0, len(text), size)] or [""]
        quoted = " ".join('"' + p.replace("\\", "\\\\").replace('"', '\\"') + '"' for p in parts)
        return dns.rrset.from_text(qname, 60, "IN", "TXT", quoted)

    async def _serve_tcp(self, reader: asyncio.StreamReader, writer: asyncio.StreamWriter) -> None:
        try:
            while True:
                (length,) = struct.unpack("!H", await reader.readexactly(2))
                wire = await reader.readexactly(length)
                self.tcp_queries += 1
                for reply in self.replies(wire, tcp=True):
                    writer.write(struct.pack("!H", len(reply)) + reply)
                await writer.drain()
        except (asyncio.IncompleteReadError, ConnectionError):
            pass
        finally:
            writer.close()


def ipv6_loopback_available() -> bool:
    """True when ::1 can be bound here."""
    try:
        with socket.socket(socket.AF_INET6, socket.SOCK_DGRAM) as s:
            s.bind(("::1", 0))
        return True
    except OSError:
        return False
