"""A non-keepalived VRRPv3 router for the lab: adverts with a chosen checksum variant.

keepalived 2.2.7 cannot send VRRPv3-over-IPv4 adverts whose checksum covers the
message only ("v3-as-v2": RFC 9568's note on RFC 5798 implementations, Cisco, and
what later keepalived calls ``v3_checksum_as_v2``), so the lab runs this small sender
in a node's namespace on its own VRID to put such adverts on the wire. The bytes are
built here from the RFC, independently of vrrptop's decoder.

Run by hand: ``ip netns exec vl-rnb python3 tests/lab/foreign.py --vrid 212 ...``.
On SIGTERM it sends a priority-0 advert (resigns) and exits.
"""

from __future__ import annotations

import argparse
import ipaddress
import signal
import socket
import struct
import sys
import time
from pathlib import Path
from typing import TYPE_CHECKING

if TYPE_CHECKING:
    from tests.lab.procs import ProcRecord, ProcTable

IPPROTO_VRRP = 112
GROUP4 = "224.0.0.18"


def inet_checksum(data: bytes) -> int:
    """RFC 1071 Internet checksum."""
    if len(data) % 2:
        data += b"\0"
    total = sum(struct.unpack(f"!{len(data) // 2}H", data))
    while total >> 16:
        total = (total & 0xFFFF) + (total >> 16)
    return ~total & 0xFFFF


def advert(vrid: int, priority: int, interval_cs: int, vips: list[str], *,
           variant: str, src: str, dst: str = GROUP4) -> bytes:  # fmt: skip
    """A VRRPv3 IPv4 advertisement (RFC 5798 section 5.1) with the chosen checksum."""
    addrs = b"".join(ipaddress.IPv4Address(v).packed for v in vips)
    head = struct.pack("!BBBBH", 0x31, vrid, priority, len(vips), interval_cs & 0x0FFF)
    body = head + b"\0\0" + addrs
    if variant == "v3":
        pseudo = (
            ipaddress.IPv4Address(src).packed
            + ipaddress.IPv4Address(dst).packed
            + struct.pack("!BBH", 0, IPPROTO_VRRP, len(body))
        )
        csum = inet_checksum(pseudo + body)
    elif variant == "v3-as-v2":
        csum = inet_checksum(body)
    else:
        raise ValueError(f"unknown checksum variant {variant!r}")
    return head + struct.pack("!H", csum) + addrs


def main(argv: list[str] | None = None) -> int:
    """Send adverts every interval until SIGTERM, then resign."""
    p = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    p.add_argument("--src", required=True, help="this router's IPv4 address")
    p.add_argument("--vrid", type=int, default=212)
    p.add_argument("--priority", type=int, default=100)
    p.add_argument("--interval-cs", type=int, default=100)
    p.add_argument("--vip", action="append", default=[])
    p.add_argument("--variant", choices=("v3", "v3-as-v2"), default="v3-as-v2")
    args = p.parse_args(argv)
    sock = socket.socket(socket.AF_INET, socket.SOCK_RAW, IPPROTO_VRRP)
    sock.setsockopt(socket.IPPROTO_IP, socket.IP_MULTICAST_TTL, 255)
    sock.setsockopt(socket.IPPROTO_IP, socket.IP_MULTICAST_LOOP, 0)
    sock.setsockopt(socket.IPPROTO_IP, socket.IP_MULTICAST_IF, socket.inet_aton(args.src))
    sock.setsockopt(socket.SOL_IP, socket.IP_TOS, 0xC0)
    sock.bind((args.src, 0))
    vips = args.vip or [f"{args.src.rsplit('.', 1)[0]}.{args.vrid}"]
    stop = False

    def on_term(_sig: int, _frame: object) -> None:
        nonlocal stop
        stop = True

    signal.signal(signal.SIGTERM, on_term)
    signal.signal(signal.SIGINT, on_term)
    while not stop:
        msg = advert(args.vrid, args.priority, args.interval_cs, vips,
                     variant=args.variant, src=args.src)  # fmt: skip
        sock.sendto(msg, (GROUP4, 0))
        deadline = time.monotonic() + args.interval_cs / 100
        while not stop and time.monotonic() < deadline:
            time.sleep(0.05)
    sock.sendto(advert(args.vrid, 0, args.interval_cs, vips, variant=args.variant,
                       src=args.src), (GROUP4, 0))  # fmt: skip
    return 0


def start(procs: ProcTable, netns: str, src: str, *, vrid: int = 212,
          variant: str = "v3-as-v2", priority: int = 100) -> ProcRecord:  # fmt: skip
    """Start the sender in ``netns`` as a recorded lab process (``foreign/VRID``)."""
    argv = ["ip", "netns", "exec", netns, sys.executable, str(Path(__file__).resolve()),
            "--src", src, "--vrid", str(vrid), "--variant", variant,
            "--priority", str(priority)]  # fmt: skip
    return procs.spawn(f"foreign/{vrid}", argv)


def stop(procs: ProcTable, vrid: int = 212) -> None:
    """Stop the sender of ``vrid`` (it resigns with a priority-0 advert)."""
    procs.stop(f"foreign/{vrid}")


if __name__ == "__main__":
    sys.exit(main())
