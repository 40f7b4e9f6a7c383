"""Offline throughput: decode + track a 1,000,000-advert pcap, next to tcpdump.

    python benchmarks/bench_offline.py [--adverts 1000000] [--keep]

Generates a pcap of adverts from 255 VRIDs x 2 families (IPv4 VRRPv2 or v3, IPv6 VRRPv3)
with incrementing IPv4 IDs (as real senders do, so frames are not byte-identical),
then times `vrrptop -r FILE --json >/dev/null` and `tcpdump -nn -v -r FILE >/dev/null`
in the same run and prints adverts/s for both and the ratio (goal >= 0.5).
"""

from __future__ import annotations

import argparse
import shutil
import struct
import subprocess
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))

from vrrptop.capture.synthetic import RouterSpec, advert_frame  # noqa: E402


def _ip_checksum(header: bytes) -> int:
    total = sum(struct.unpack(f"!{len(header) // 2}H", header))
    while total >> 16:
        total = (total & 0xFFFF) + (total >> 16)
    return ~total & 0xFFFF


def segment() -> list[RouterSpec]:
    """255 VRIDs x 2 families: IPv4 VRRPv2 (odd VRIDs, half with PASS auth) or
    VRRPv3 (even VRIDs), and IPv6 VRRPv3: a full segment, no conflicts."""
    specs = []
    for vrid in range(1, 256):
        prio = 50 + vrid % 200
        if vrid % 2:
            specs.append(RouterSpec(vrid, 4, 2, prio, 100, auth=b"pass" if vrid % 4 == 1 else b""))
        else:
            specs.append(RouterSpec(vrid, 4, 3, prio, 100, src=f"203.0.113.{vrid}"))
        specs.append(RouterSpec(vrid, 6, 3, prio, 100))
    return specs


def write_pcap(path: Path, adverts: int) -> None:
    """Write ``adverts`` frames, round robin over the segment, 10 ms v3 pace."""
    from scapy.utils import RawPcapWriter

    templates = [bytearray(advert_frame(s)) for s in segment()]
    writer = RawPcapWriter(str(path), linktype=1)
    writer._write_header(None)
    ts = 1_700_000_000.0
    step = 1 / 25_500  # one segment's worst case: 255 VRIDs x 10 ms
    n = len(templates)
    for i in range(adverts):
        frame = templates[i % n]
        if frame[12:14] == b"\x08\x00":
            struct.pack_into("!H", frame, 18, i & 0xFFFF)  # IPv4 identification
            struct.pack_into("!H", frame, 24, 0)
            struct.pack_into("!H", frame, 24, _ip_checksum(bytes(frame[14:34])))
        sec = int(ts)
        writer.write_packet(bytes(frame), sec=sec, usec=int((ts - sec) * 1e6))
        ts += step
    writer.close()


def timed(cmd: list[str]) -> float:
    """Wall time of ``cmd`` with stdout to /dev/null; fails loudly on error."""
    start = time.perf_counter()
    subprocess.run(cmd, stdout=subprocess.DEVNULL, stderr=subprocess.PIPE, check=True)
    return time.perf_counter() - start


def main() -> int:
    """Run the benchmark and print the figures."""
    ap = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawTextHelpFormatter)
    ap.add_argument("--adverts", type=int, default=1_000_000)
    ap.add_argument("--keep", action="store_true", help="keep the generated pcap")
    args = ap.parse_args()
    tmp = Path(tempfile.mkdtemp(prefix="vrrptop-bench-"))
    pcap = tmp / "adverts.pcap"
    try:
        t0 = time.perf_counter()
        write_pcap(pcap, args.adverts)
        print(f"generated {args.adverts} adverts in {time.perf_counter() - t0:.1f}s: {pcap}")
        vrrptop = timed([sys.executable, "-m", "vrrptop", "-r", str(pcap), "--json"])
        rate_v = args.adverts / vrrptop
        print(f"vrrptop -r --json : {vrrptop:6.2f}s  {rate_v:10,.0f} adverts/s")
        if shutil.which("tcpdump"):
            tcpdump = timed(["tcpdump", "-nn", "-v", "-r", str(pcap)])
            rate_t = args.adverts / tcpdump
            print(f"tcpdump -nn -v -r : {tcpdump:6.2f}s  {rate_t:10,.0f} adverts/s")
            print(f"ratio vrrptop/tcpdump: {rate_v / rate_t:.2f} (goal >= 0.5)")
        else:
            print("tcpdump not installed: no comparison (apt-get install tcpdump)")
    finally:
        if args.keep:
            print(f"kept {pcap}")
        else:
            shutil.rmtree(tmp)
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
