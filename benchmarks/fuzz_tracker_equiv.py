"""Differential fuzz: this tree's tracker against another revision's, same records.

    python benchmarks/fuzz_tracker_equiv.py --against DIR [--cases 2000] [--seed 1]

``DIR`` is another source tree (e.g. ``git worktree add /tmp/base main`` or
``git archive REV | tar -x -C DIR``). Both trackers replay the same seeded random
sequences (several routers contending on two VRIDs: priorities incl. 0, field
changes, long silences, intervals longer than the mismatch window, GARPs, ticks),
each in its own process, and print a digest of every event and of snapshots taken
along the way. Any difference is shown with its case number; exit status 1.

It proves an optimisation of the per-advert path kept the same events and states.
Records carry decode templates (``Advert.template``) as ``decode_frame`` gives them,
cache clears included, when the tree under test has them.
Event ``vlan`` fields are left out of the comparison (older trees do not have them).
"""

from __future__ import annotations

import argparse
import difflib
import subprocess
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]

#: Runs inside the tree under test: prints one line per event and per snapshot.
WORKER = r"""
import random, sys
from dataclasses import replace
from vrrptop.model.tracker import Tracker
from vrrptop.wire.records import Advert, Garp

# Trees with decode templates get them as decode_frame gives them: one shared entry
# per distinct advert, a new one after a cache clear (older trees: plain records).
TEMPLATED = hasattr(Advert, "template")

SRCS = ["198.51.100.1", "198.51.100.2", "198.51.100.10", "203.0.113.7", "203.0.113.8"]
VIPS = [("198.51.100.100",), ("198.51.100.101",), ("198.51.100.100", "198.51.100.101")]

def advert(r, ts):
    version = r.choice([2, 3, 3])
    return Advert(
        ts=ts, src=r.choice(SRCS), dst="224.0.0.18",
        src_mac=r.choice(["02:00:00:00:00:01", "02:00:00:00:00:02", "00:00:5e:00:01:01"]),
        family=4, version=version, type=1, vrid=r.choice([1, 1, 2]),
        priority=r.choice([0, 50, 100, 100, 200, 255]),
        interval_cs=r.choice([100, 100, 100, 200, 3000]),
        addresses=r.choice(VIPS), auth_type=r.choice([0, 1]) if version == 2 else None,
        auth_data=r.choice([b"aaaaaaaa", b"bbbbbbbb"]), ttl=255, checksum=r.choice([1, 2]),
        checksum_ok=r.random() > 0.1, checksum_variant=r.choice(["v3", "v3", "v3-as-v2"]),
        vlan=None, problems=r.choice([(), (), ("ttl-not-255",)]),
    )

def stamp(rec, ts, tpl, clear):
    # a fresh record for one frame, as decode_frame makes it
    a = replace(rec, ts=ts)
    if clear:
        tpl.clear()
    if TEMPLATED:
        a.template = tpl.setdefault(replace(rec, ts=0.0), object())
    return a

def run(case):
    r = random.Random(case)
    tpl = {}
    t = Tracker()
    now = 1000.0
    # a few routers that mostly repeat themselves, as real ones do; sometimes one
    # changes a field, resigns once, or falls silent around its Master_Down_Interval
    routers = [advert(r, 0.0) for _ in range(r.randint(2, 6))]
    for step in range(r.randint(10, 400)):
        gap = r.choice([3.0, 3.3, 3.6, 70.0]) if r.random() < 0.04 else r.choice([0.0, 0.05, 0.4])
        now += gap * r.random()
        x = r.random()
        if x < 0.88:
            ev = t.apply(stamp(r.choice(routers), now, tpl, r.random() < 0.02), now)
        elif x < 0.91:
            ev = t.apply(Garp(now, r.choice(["198.51.100.100", "198.51.100.101"]),
                              r.choice(["02:00:00:00:00:01", "02:00:00:00:00:03"]),
                              4, "arp-request", None, None), now)
        elif x < 0.94:
            ev = t.tick(now)
        elif x < 0.945:
            ev = t.apply(stamp(replace(r.choice(routers), priority=0), now, tpl, False), now)
        elif x < 0.97:
            ev = []
        else:
            i = r.randrange(len(routers))
            other = advert(r, 0.0)
            name = r.choice(["src", "priority", "interval_cs", "addresses", "auth_data",
                             "checksum_variant", "checksum_ok", "version", "vrid"])
            routers[i] = replace(routers[i], **{name: getattr(other, name)})
            ev = []
        for e in ev:
            print(case, step, "E", e.ts, e.kind, e.severity, e.message, e.vrid, e.family,
                  sorted(e.detail.items()))
        if step % 7 == 0:
            s = t.snapshot(now)
            print(case, step, "S", s.instances, s.hosts, s.counters)
    ev = t.tick(now + 1000.0)
    for e in ev:
        print(case, "end", "E", e.ts, e.kind, e.message, sorted(e.detail.items()))
    s = t.snapshot(now + 1000.0)
    print(case, "end", "S", s.instances, s.hosts, s.counters)

first, n = int(sys.argv[1]), int(sys.argv[2])
for case in range(first, first + n):
    run(case)
"""


def digest(tree: Path, first: int, cases: int) -> list[str]:
    """The worker's output lines when run from ``tree``."""
    out = subprocess.run(
        [sys.executable, "-c", WORKER, str(first), str(cases)],
        cwd=tree,
        capture_output=True,
        text=True,
        check=True,
    )
    return out.stdout.splitlines()


def main() -> int:
    """Compare the two trees and report the first differences."""
    ap = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawTextHelpFormatter)
    ap.add_argument("--against", type=Path, required=True, help="the other source tree")
    ap.add_argument("--cases", type=int, default=2000)
    ap.add_argument("--seed", type=int, default=1, help="first case number")
    args = ap.parse_args()
    mine = digest(ROOT, args.seed, args.cases)
    theirs = digest(args.against.resolve(), args.seed, args.cases)
    events = sum(" E " in line for line in mine)
    print(f"{args.cases} cases, {len(mine)} lines ({events} events) from each tree")
    if mine == theirs:
        print("identical")
        return 0
    diff = difflib.unified_diff(theirs, mine, str(args.against), "this tree", lineterm="", n=1)
    for i, line in enumerate(diff):
        if i > 40:
            print("...")
            break
        print(line[:400])
    return 1


if __name__ == "__main__":
    raise SystemExit(main())
