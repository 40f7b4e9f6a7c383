"""Synthetic VRRP traffic: a deterministic segment for demos, benchmarks and floods.

Frames are built once per virtual router with scapy and then replayed with fresh
timestamps, so generating millions of frames costs almost nothing per frame.
"""

from __future__ import annotations

import itertools
from collections.abc import Iterator, Sequence
from dataclasses import dataclass

from vrrptop.capture.base import SourceKind, SourceState, SourceStatus
from vrrptop.wire.records import Frame

LINKTYPE_ETHERNET = 1


@dataclass(frozen=True, slots=True)
class RouterSpec:
    """One master advertising one virtual router."""

    vrid: int
    family: int = 4
    version: int = 2
    priority: int = 100
    interval_cs: int = 100
    src: str | None = None
    vips: tuple[str, ...] = ()
    auth: bytes = b""


def advert_frame(spec: RouterSpec) -> bytes:
    """Build the Ethernet frame of one advert with scapy (correct checksums)."""
    from scapy.layers.inet import IP
    from scapy.layers.inet6 import IPv6
    from scapy.layers.l2 import Ether
    from scapy.layers.vrrp import VRRP, VRRPv3
    from scapy.packet import Packet

    ip: Packet
    vrrp: Packet

    vrid = spec.vrid
    if spec.family == 4:
        src = spec.src or f"198.51.100.{1 + vrid % 250}"
        vips = list(spec.vips or (f"203.0.113.{vrid % 256}",))
        ip = IP(src=src, dst="224.0.0.18", ttl=255, proto=112)
        mac_dst = "01:00:5e:00:00:12"
    else:
        src = spec.src or f"fe80::{vrid:x}:1"
        vips = list(spec.vips or (f"2001:db8:ff::{vrid:x}",))
        ip = IPv6(src=src, dst="ff02::12", hlim=255, nh=112)
        mac_dst = "33:33:00:00:00:12"
    mac_src = f"02:00:00:00:{vrid >> 8 & 0xFF:02x}:{vrid & 0xFF:02x}"
    if spec.version == 2 and spec.family == 4:
        auth = spec.auth[:8].ljust(8, b"\0")
        vrrp = VRRP(
            vrid=vrid,
            priority=spec.priority,
            ipcount=len(vips),
            addrlist=vips,
            authtype=1 if spec.auth else 0,
            adv=max(1, spec.interval_cs // 100),
            auth1=int.from_bytes(auth[:4], "big"),
            auth2=int.from_bytes(auth[4:], "big"),
        )
    else:
        vrrp = VRRPv3(
            vrid=vrid,
            priority=spec.priority,
            ipcount=len(vips),
            addrlist=vips,
            adv=spec.interval_cs,
        )
    return bytes(Ether(src=mac_src, dst=mac_dst) / ip / vrrp)


def default_segment(routers: int = 100) -> list[RouterSpec]:
    """``routers`` VRIDs, each as an IPv4 VRRPv2 and an IPv6 VRRPv3 instance."""
    specs: list[RouterSpec] = []
    for vrid in range(1, routers + 1):
        specs.append(RouterSpec(vrid=vrid, family=4, version=2, priority=100 + vrid % 100))
        specs.append(RouterSpec(vrid=vrid, family=6, version=3, priority=100 + vrid % 100))
    return specs


class SyntheticSource:
    """Round-robin adverts of ``specs`` at ``rate`` frames per second of packet time."""

    kind: SourceKind = "synthetic"
    packet_clock: bool = True
    live: bool = False

    def __init__(
        self,
        specs: Sequence[RouterSpec] | None = None,
        *,
        rate: float = 200.0,
        count: int | None = None,
        start_ts: float = 1_700_000_000.0,
        name: str = "synthetic",
    ) -> None:
        self.name = name
        self.specs = list(specs or default_segment())
        self.rate = rate
        self.count = count
        self.start_ts = start_ts
        self._frames = [advert_frame(s) for s in self.specs]
        self._closed = False
        self._received = 0
        self._state: SourceState = "running"

    def frames(self) -> Iterator[Frame | None]:
        """Yield frames until ``count`` is reached (forever when None) or closed."""
        step = 1.0 / self.rate
        ts = self.start_ts
        templates = self._frames
        for i in itertools.count():
            if self._closed or (self.count is not None and i >= self.count):
                break
            data = templates[i % len(templates)]
            self._received += 1
            yield Frame(ts, LINKTYPE_ETHERNET, data, len(data))
            ts += step
        self._state = "ended"

    def close(self) -> None:
        """Stop at the next frame."""
        self._closed = True

    def status(self) -> SourceStatus:
        """Frames produced so far."""
        return SourceStatus(self.name, "synthetic", self._state, self._received, 0, "")
