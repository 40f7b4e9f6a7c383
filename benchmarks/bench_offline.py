"""Offline throughput: decode + track a generated pcap, next to tcpdump, per segment shape.

    python benchmarks/bench_offline.py [--adverts 1000000] [--contention 200000]
        [--runs 3] [--scale 1,2,4,16] [--scale-adverts 200000] [--tree DIR] [--keep]
        [--compiled]

Workloads (generated into a temporary directory, never committed):

- **healthy**: 255 VRIDs x 2 families (IPv4 VRRPv2 or v3, IPv6 VRRPv3), one master each;
- **contention**: the same instances with 4 routers each taking turns (every router
  advertises as master: split brain everywhere, the incident case);
- **scale curve**: the same instances with 1, 2, 4 and 16 routers each, so the cost
  of one advert can be read against the number of sources per instance.

Every figure is the median of ``--runs`` interleaved pairs of
``vrrptop -r FILE --json >/dev/null`` and ``tcpdump -nn -v -r FILE >/dev/null``, with
the ratio of their rates (goal >= 0.5) and the machine's load average; contention's
cost per advert is also given against healthy's (goal <= 1.5x). The µs per advert leave
out vrrptop's start-up, measured on a file of one advert per instance, because the
workloads differ in size. IPv4 IDs increment
as real senders do, so frames are not byte-identical. ``--tree DIR`` runs vrrptop
from another source tree (e.g. a checkout of main) to compare revisions in one run.
``--compiled`` also builds the tree's compiled copy (``scripts/compile.py --tree``,
about a minute) and runs it in the same interleaved rounds: a "compiled" row under
each pure one, against the same tcpdump runs.
"""

from __future__ import annotations

import argparse
import os
import shutil
import statistics
import struct
import subprocess
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))

sys.path.insert(0, str(Path(__file__).resolve().parent))

from _benchutil import contention_frames  # noqa: E402

from vrrptop.capture.synthetic import RouterSpec  # noqa: E402


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


def templates(routers: int) -> list[bytearray]:
    """Frames of ``segment()`` with ``routers`` routers per instance taking turns."""
    return contention_frames(segment(), routers)


def write_pcap(path: Path, adverts: int, frames: list[bytearray]) -> None:
    """Write ``adverts`` frames, round robin over ``frames``, at 25,500 frames/s."""
    from scapy.utils import RawPcapWriter

    writer = RawPcapWriter(str(path), linktype=1)
    writer._write_header(None)
    ts = 1_700_000_000.0
    step = 1 / 25_500  # one segment's worst case: 255 VRIDs x 10 ms
    n = len(frames)
    for i in range(adverts):
        frame = frames[i % n]
        if frame[12:14] == b"\x08\x00":
            struct.pack_into("!H", frame, 18, i & 0xFFFF)  # IPv4 identification
            struct.pack_into("!H", frame, 24, 0)
            struct.pack_into("!H", frame, 24, _ip_checksum(bytes(frame[14:34])))
        sec = int(ts)
        writer.write_packet(bytes(frame), sec=sec, usec=int((ts - sec) * 1e6))
        ts += step
    writer.close()


STARTUP_ADVERTS = 510
"""A run over one advert per instance of ``segment()``: what every run pays once."""


def timed(cmd: list[str], cwd: Path) -> float:
    """Wall time of ``cmd`` with stdout to /dev/null; fails loudly on error."""
    start = time.perf_counter()
    subprocess.run(cmd, cwd=cwd, stdout=subprocess.DEVNULL, stderr=subprocess.PIPE, check=True)
    return time.perf_counter() - start


def load() -> str:
    """The load averages, printed next to every figure (2 shared cores here)."""
    one, five, fifteen = os.getloadavg()
    return f"load {one:.2f} {five:.2f} {fifteen:.2f}"


def measure(pcap: Path, runs: int, trees: list[Path]) -> tuple[list[float], float | None]:
    """Median seconds of vrrptop from each tree and of tcpdump (None when not
    installed), interleaved round by round so that drift hits them alike."""
    v: list[list[float]] = [[] for _ in trees]
    t = []
    have_tcpdump = shutil.which("tcpdump") is not None
    for _ in range(runs):
        for i, tree in enumerate(trees):
            v[i].append(timed([sys.executable, "-m", "vrrptop", "-r", str(pcap), "--json"], tree))
        if have_tcpdump:
            t.append(timed(["tcpdump", "-nn", "-v", "-r", str(pcap)], trees[0]))
    return [statistics.median(x) for x in v], (statistics.median(t) if t else None)


def report(
    name: str, adverts: int, v: float, t: float | None, startup: float = 0.0
) -> tuple[float, float | None]:
    """Print one workload's figures; returns vrrptop's µs per advert net of ``startup``
    and its ratio to tcpdump (None without tcpdump).

    The rate and the ratio are the whole command's, as an operator times it. The cost
    per advert leaves out the start-up (imports, the final snapshot), which would
    otherwise be spread over 1,000,000 healthy adverts but only 200,000 contention
    ones and make contention look dearer than it is per advert.
    """
    us = max(v - startup, 0.0) / adverts * 1e6
    line = f"{name:33} vrrptop {adverts / v:9,.0f} adverts/s ({us:5.2f} µs/advert)"
    if t is not None:
        line += f"  tcpdump {adverts / t:9,.0f}/s  ratio {t / v:.2f} (goal >= 0.5)"
    print(f"{line}  [{load()}]", flush=True)
    return us, (t / v if t is not None else None)


def relative(us: float, base_us: float, ratio: float | None, base_ratio: float | None) -> str:
    """One workload's cost per advert against another's, by vrrptop's µs alone and by
    its ratio to tcpdump in the same pairs. tcpdump prints one line per advert in every
    workload, so the second figure cancels the machine's speed drifting between rows
    (seen here: tcpdump's own rate varied 2x within one run on 2 shared cores)."""
    out = f"{us / base_us:.2f}x"
    if ratio and base_ratio:
        out += f" ({base_ratio / ratio:.2f}x against tcpdump)"
    return out


def main() -> int:
    """Run the workloads and print the figures."""
    ap = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawTextHelpFormatter)
    ap.add_argument("--adverts", type=int, default=1_000_000, help="healthy workload size")
    ap.add_argument("--contention", type=int, default=200_000, help="contention size (0: skip)")
    ap.add_argument("--routers", type=int, default=4, help="routers per instance in contention")
    ap.add_argument("--runs", type=int, default=3, help="pairs per figure (median)")
    ap.add_argument("--scale", default="1,2,4,16", help="sources per instance ('': skip)")
    ap.add_argument("--scale-adverts", type=int, default=200_000)
    ap.add_argument("--tree", type=Path, default=ROOT, help="source tree to run vrrptop from")
    ap.add_argument("--keep", action="store_true", help="keep the generated pcaps")
    ap.add_argument("--compiled", action="store_true", help="also run the compiled build")
    args = ap.parse_args()
    tree = args.tree.resolve()
    print(f"vrrptop from {tree}; medians of {args.runs}; {load()} ({os.cpu_count()} cpus)")
    tmp = Path(tempfile.mkdtemp(prefix="vrrptop-bench-"))
    trees, names = [tree], [""]
    try:
        if args.compiled:
            native = tmp / "compiled"
            built = subprocess.run([sys.executable, str(tree / "scripts/compile.py"), "--tree",
                                    str(native)], stderr=subprocess.PIPE, text=True)  # fmt: skip
            if built.returncode == 0:
                trees, names = [tree, native], [" (pure)", " (compiled)"]
            else:  # e.g. no gcc here: the pure figures are still worth having
                print(f"compiled build skipped: {built.stderr.strip()}", flush=True)
        pcap = tmp / "startup.pcap"
        write_pcap(pcap, STARTUP_ADVERTS, templates(1))  # every instance once
        startups = measure(pcap, args.runs, trees)[0]
        for name, startup in zip(names, startups, strict=True):
            print(f"start-up{name}: {startup:.2f} s ({STARTUP_ADVERTS} adverts; not in µs/advert)")
        pcap = tmp / "healthy.pcap"
        write_pcap(pcap, args.adverts, templates(1))
        vs, t = measure(pcap, args.runs, trees)
        healthy = [report(f"healthy{n}", args.adverts, v, t, st)
                   for n, v, st in zip(names, vs, startups, strict=True)]  # fmt: skip
        if args.contention:
            pcap = tmp / "contention.pcap"
            write_pcap(pcap, args.contention, templates(args.routers))
            vs, t = measure(pcap, args.runs, trees)
            for i, (n, v, st) in enumerate(zip(names, vs, startups, strict=True)):
                us, ratio = report(f"contention ({args.routers} routers){n}", args.contention, v,
                                   t, st)  # fmt: skip
                rel = relative(us, healthy[i][0], ratio, healthy[i][1])
                print(f"contention / healthy cost per advert{n}: {rel} (goal <= 1.5x)")
        if args.scale:
            print("scale curve: cost per advert by sources per instance (510 instances)")
            bases: list[tuple[float, float | None] | None] = [None for _ in trees]
            for k in (int(x) for x in args.scale.split(",")):
                pcap = tmp / f"scale-{k}.pcap"
                write_pcap(pcap, args.scale_adverts, templates(k))
                vs, t = measure(pcap, args.runs, trees)
                for i, (n, v, st) in enumerate(zip(names, vs, startups, strict=True)):
                    us, ratio = report(f"  {k:2} sources/instance{n}", args.scale_adverts, v,
                                       t, st)  # fmt: skip
                    base = bases[i] = bases[i] or (us, ratio)
                    rel = relative(us, base[0], ratio, base[1])
                    print(f"  {k:2} sources/instance{n}: {rel} the first row's cost")
    finally:
        if args.keep:
            print(f"kept {tmp}")
        else:
            shutil.rmtree(tmp)
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
