"""This node's own name and addresses: evidence for naming its own adverts.

On a keepalived node (``vrrptop em1`` on the server console, the main use) the
node's IPv6 instances advertise from its link-local address, which no resolver
knows, and with ``unicast_peer`` or ``use_vmac`` no other evidence may join it to
the host. The node itself knows: its short host name is what the seed's track
script greps the priority file for (``hostname --short``), and its interfaces
carry the addresses. Read once, from /proc and ioctl (no subprocess, no DNS).
"""

from __future__ import annotations

import fcntl
import ipaddress
import socket
import struct

_SIOCGIFADDR = 0x8915


def short_hostname() -> str:
    """``hostname --short``."""
    return socket.gethostname().split(".", 1)[0]


def _ipv6_addresses(path: str = "/proc/net/if_inet6") -> list[str]:
    out = []
    try:
        with open(path, encoding="ascii") as fh:
            for line in fh:
                fields = line.split()
                if len(fields) < 6 or fields[5] == "lo":
                    continue
                addr = ipaddress.IPv6Address(bytes.fromhex(fields[0]))
                out.append(str(addr))
    except (OSError, ValueError):
        return []
    return out


def _ipv4_addresses() -> list[str]:
    out = []
    try:
        names = [name for _, name in socket.if_nameindex() if name != "lo"]
    except OSError:
        return []
    with socket.socket(socket.AF_INET, socket.SOCK_DGRAM) as sock:
        for name in names:
            try:
                req = struct.pack("256s", name.encode()[:15])
                res = fcntl.ioctl(sock.fileno(), _SIOCGIFADDR, req)
            except OSError:
                continue  # no IPv4 address on that interface
            out.append(socket.inet_ntoa(res[20:24]))
    return out


def local_addresses() -> tuple[str, ...]:
    """Every address of this node's interfaces but loopback (IPv4 primary ones, and
    every IPv6 one, link-local included)."""
    return tuple(dict.fromkeys([*_ipv4_addresses(), *_ipv6_addresses()]))
