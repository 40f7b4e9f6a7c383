"""Record the bundled ``--demo`` capture: a full failover story in the real lab.

``python -m tests.lab.demo [--out DIR]`` (root, from the repo root) brings the lab up,
stops keepalived everywhere, starts tcpdump in vl-mon, then plays the story below with
the lab's own operations, waiting for keepalived to settle at every step. It writes
``lab-failover.pcap``, ``priority.testdns`` (the seed file) and ``story.txt`` (what was
done when, relative to the start of the capture, and keepalived's notify log).
"""

from __future__ import annotations

import argparse
import signal
import struct
import subprocess
import sys
import time
from collections.abc import Callable
from pathlib import Path

from tests.lab.configs import SEED_PRIORITY
from tests.lab.lab import SEED_MASTERS, Lab
from tests.lab.topology import MON, NODES

FILTER = "ip proto 112 or ip6 proto 112 or arp or icmp6"
SEED_ORDER = ["recdns-cnh", "recdns-rnb", "recdns-sby", "recdns-wcdc"]
SWAPPED = {"testdns0": "recdns-cnh", "testdns1": "recdns-wcdc"}
T0_SBY = {"testdns0": "recdns-sby", "testdns1": "recdns-cnh"}
T1_SBY = {"testdns0": "recdns-wcdc", "testdns1": "recdns-sby"}


def _start_all(lab: Lab) -> None:
    for node in NODES:
        lab.keepalived_start(node)


Step = tuple[float, str, Callable[[Lab], None], dict[str, str] | None]
#: (seconds after capture start, what happens, operation, masters it settles on)
STORY: list[Step] = [
    (1, "keepalived starts on all four nodes: initial election",
     lambda lab: _start_all(lab), SEED_MASTERS),
    (12, "priority file reversed (wcdc, sby, #rnb, cnh): both masters move",
     lambda lab: lab.reorder(list(reversed(SEED_ORDER))), SWAPPED),
    (24, "priority file back to the seed order", lambda lab: lab.reorder(SEED_ORDER),
     SEED_MASTERS),
    (36, "recdns-wcdc commented out (#recdns-wcdc): testdns0 to recdns-sby",
     lambda lab: lab.disable("wcdc"), T0_SBY),
    (48, "recdns-wcdc back in service: it preempts testdns0",
     lambda lab: lab.enable("wcdc"), SEED_MASTERS),
    (60, "DNS server stopped on recdns-cnh: its checks fail, testdns1 to recdns-sby",
     lambda lab: lab.dns_stop("cnh"), T1_SBY),
    (72, "DNS server started on recdns-cnh: it preempts testdns1",
     lambda lab: lab.dns_start("cnh"), SEED_MASTERS),
    (84, "keepalived stopped gracefully on recdns-wcdc: priority-0 resign, recdns-sby",
     lambda lab: lab.keepalived_stop("wcdc"), T0_SBY),
    (94, "keepalived started on recdns-wcdc: it preempts testdns0",
     lambda lab: lab.keepalived_start("wcdc"), SEED_MASTERS),
    (104, "kill -9 keepalived on recdns-cnh: silence, master lost, recdns-sby",
     lambda lab: lab.keepalived_kill("cnh"), T1_SBY),
    (114, "keepalived restarted on recdns-cnh: it preempts testdns1",
     lambda lab: lab.keepalived_start("cnh"), SEED_MASTERS),
    (124, "recdns-wcdc and recdns-sby cut off from each other: split brain on testdns0",
     lambda lab: lab.split_brain("wcdc", "sby"), None),
    (134, "network healed: recdns-sby backs down", lambda lab: lab.heal(), SEED_MASTERS),
]  # fmt: skip
END = 142.0


def first_packet_ts(pcap: Path) -> float:
    """Timestamp of the first record of a (microsecond, either-endian) pcap file."""
    with open(pcap, "rb") as fh:
        head = fh.read(24 + 8)
    endian = "<" if head[:4] == b"\xd4\xc3\xb2\xa1" else ">"
    sec, usec = struct.unpack(endian + "II", head[24:32])
    return sec + usec / 1e6


def record(out: Path, lab: Lab) -> list[str]:
    """Play the story while capturing; return the story lines.

    Times are relative to the capture's first packet, i.e. what a replay shows.
    """
    lab.reset()
    for node in NODES:
        lab.keepalived_stop(node)
    out.mkdir(parents=True, exist_ok=True)
    pcap = out / "lab-failover.pcap"
    tcpdump = lab.mon_popen(
        ["tcpdump", "-n", "-i", MON.iface, "-U", "-w", str(pcap), FILTER],
        stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL,
    )  # fmt: skip
    time.sleep(1.0)  # tcpdump attaches
    t0 = time.time()
    done: list[tuple[float, str, float | None]] = []
    for at, what, op, settled in STORY:
        time.sleep(max(0.0, t0 + at - time.time()))
        start = time.time()
        op(lab)
        end = None
        if settled:
            lab.wait_for_masters(settled, timeout=20)
            end = time.time()
        print(f"t0+{start - t0:6.1f}s  {what}", flush=True)
        done.append((start, what, end))
    time.sleep(max(0.0, t0 + END - time.time()))
    tcpdump.send_signal(signal.SIGINT)
    tcpdump.wait(10)
    lab.mon_forget(tcpdump)
    first = first_packet_ts(pcap)
    lines = ["Times are seconds from the capture's first packet (as a replay shows them).", ""]
    for start, what, end in done:
        settled_at = f" (VIPs settled at {end - first:.1f}s)" if end else ""
        lines.append(f"{start - first:6.1f}s  {what}{settled_at}")
    lines += ["", "keepalived's notify log (ground truth): MASTER and STOP transitions"]
    for rec in lab.notify_records(t0):
        if rec.state in ("MASTER", "STOP", "FAULT"):
            lines.append(f"{rec.ts - first:6.1f}s  {rec.node:12} {rec.instance:12} {rec.state}")
    return lines


def main(argv: list[str] | None = None) -> int:
    """Record the demo into ``--out`` (default vrrptop/demo)."""
    p = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    p.add_argument("--out", type=Path, default=Path("vrrptop/demo"))
    p.add_argument("--keep", action="store_true", help="leave the lab up afterwards")
    args = p.parse_args(argv)
    lab = Lab()
    try:
        lines = record(args.out, lab)
    finally:
        if not args.keep:
            lab.down()
    (args.out / "priority.testdns").write_text(SEED_PRIORITY)
    (args.out / "story.txt").write_text("\n".join(lines) + "\n")
    return 0


if __name__ == "__main__":
    sys.exit(main())
