"""Kernel packet filters: only VRRP/CARP, gratuitous ARP and neighbour adverts.

The filter runs in the kernel so vrrptop never copies the rest of the segment's
traffic (nor its own DNS probes) into user space.

Ethernet interfaces use a tcpdump expression compiled by libpcap (through scapy).
Interfaces without a link-layer header we understand (``any``, tunnels) are read with
a cooked ``SOCK_DGRAM`` socket and a small hand-assembled program that reads the
protocol from the socket buffer metadata instead of a header.
"""

from __future__ import annotations

import ctypes
import socket
import struct

from vrrptop.errors import VrrptopError

SO_ATTACH_FILTER = 26

#: What vrrptop captures, as a tcpdump expression (shown in ``--help`` and the README).
#: ``ip6[40] == 136`` is an ICMPv6 neighbour advertisement without extension headers;
#: the ARP clause keeps replies and requests whose sender and target IP are equal.
_BODY = (
    "ip proto 112 or ip6 proto 112"
    " or (arp and (arp[6:2] = 2 or arp[14:4] = arp[24:4]))"
    " or (icmp6 and ip6[40] == 136)"
)
FILTER_EXPRESSION = f"({_BODY}) or (vlan and ({_BODY}))"


def combined_expression(user: str | None) -> str:
    """vrrptop's filter narrowed by the operator's tcpdump expression: both must
    hold, so ``vrrptop em1 'host 198.51.100.14'`` still sees only VRRP/ARP/ND.

    The VLAN half repeats the user's expression after ``vlan`` (which moves
    libpcap's offsets to the inner header), so it applies to tagged frames too.
    """
    if not user or not user.strip():
        return FILTER_EXPRESSION
    return f"(({user}) and ({_BODY})) or (vlan and ({user}) and ({_BODY}))"


# Classic BPF opcodes for the cooked program.
_LD_W_ABS, _LD_H_ABS, _LD_B_ABS = 0x20, 0x28, 0x30
_JEQ_K, _RET_K = 0x15, 0x06
_SKF_AD_PROTOCOL = -0x1000 + 0  # SKF_AD_OFF + SKF_AD_PROTOCOL


def _insn(code: int, jt: int, jf: int, k: int) -> bytes:
    return struct.pack("HBBI", code, jt, jf, k & 0xFFFFFFFF)


def cooked_program() -> bytes:
    """BPF for SOCK_DGRAM sockets, where data starts at the network header."""
    prog = [
        _insn(_LD_H_ABS, 0, 0, _SKF_AD_PROTOCOL),  # 0: A = skb->protocol
        _insn(_JEQ_K, 6, 0, 0x0806),  # 1: ARP -> accept (decoder keeps gratuitous)
        _insn(_JEQ_K, 0, 2, 0x0800),  # 2: IPv4?
        _insn(_LD_B_ABS, 0, 0, 9),  # 3: A = ip proto
        _insn(_JEQ_K, 3, 7, 112),  # 4: 112 -> accept (8) / reject (12)
        _insn(_JEQ_K, 0, 6, 0x86DD),  # 5: IPv6? else reject (12)
        _insn(_LD_B_ABS, 0, 0, 6),  # 6: A = next header
        _insn(_JEQ_K, 0, 1, 112),  # 7: 112 -> accept
        _insn(_RET_K, 0, 0, 0x40000),  # 8: accept
        _insn(_JEQ_K, 0, 2, 58),  # 9: ICMPv6?
        _insn(_LD_B_ABS, 0, 0, 40),  # 10: A = icmp6 type
        _insn(_JEQ_K, 1, 0, 136),  # 11: NA?
        _insn(_RET_K, 0, 0, 0),  # 12: reject
        _insn(_RET_K, 0, 0, 0x40000),  # 13: accept
    ]
    # Jump offsets are relative to the next instruction. On IPv6, a next header that
    # is not 112 falls through to 9 with A still holding it, to test for ICMPv6 NA.
    return b"".join(prog)


def _attach(sock: socket.socket, length: int, insns: bytes) -> None:
    buf = ctypes.create_string_buffer(insns)
    fprog = struct.pack("HL", length, ctypes.addressof(buf))
    sock.setsockopt(socket.SOL_SOCKET, SO_ATTACH_FILTER, fprog)


def attach_cooked_filter(sock: socket.socket) -> None:
    """Attach ``cooked_program()`` to a SOCK_DGRAM packet socket."""
    insns = cooked_program()
    _attach(sock, len(insns) // 8, insns)


def compile_ethernet(expression: str = FILTER_EXPRESSION) -> tuple[int, bytes]:
    """Compile ``expression`` for Ethernet with libpcap; returns (length, instructions).

    Raises VrrptopError naming the missing package when libpcap is absent.
    """
    try:
        from scapy.arch.common import compile_filter
        from scapy.error import Scapy_Exception
    except ImportError as exc:  # pragma: no cover
        raise VrrptopError(f"scapy is not importable: {exc}", 69) from exc
    try:
        prog = compile_filter(expression, linktype=1)
    except ImportError as exc:
        raise VrrptopError(
            "libpcap is not installed (needed to compile the capture filter):"
            " apt-get install libpcap0.8",
            69,
        ) from exc
    except Scapy_Exception as exc:
        raise VrrptopError(f"cannot compile capture filter: {exc}", 70) from exc
    insns = ctypes.string_at(prog.bf_insns, prog.bf_len * 8)
    return prog.bf_len, insns


def attach_ethernet_filter(sock: socket.socket, expression: str | None = None) -> None:
    """Attach the libpcap-compiled filter to a SOCK_RAW packet socket, narrowed by
    the operator's ``expression`` (``combined_expression``)."""
    length, insns = compile_ethernet(combined_expression(expression))
    _attach(sock, length, insns)
