"""The priority-file save under SIGKILL and under a concurrent writer, at length.

    python benchmarks/bench_save_kill.py [--kills 2000] [--race 3000]

The same loops as tests/unit/test_priority_races.py (a few hundred there, to stay
within the suite's time), run longer: a forked child saves in a loop and is
SIGKILLed at a random moment, then the file and its backup must each be exactly one
whole version and no temp file may survive the next save; and a separate writer
process replaces the file 0-4 ms after a save starts, counting the writes detected
and the writes lost (a save that succeeded over the other writer's content).
"""

from __future__ import annotations

import argparse
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))

from tests.unit.test_priority_races import kill_loop, race  # noqa: E402


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--kills", type=int, default=2000)
    parser.add_argument("--race", type=int, default=3000)
    args = parser.parse_args(argv)
    with tempfile.TemporaryDirectory(prefix="vrrptop-bench-") as tmp:
        start = time.monotonic()
        got = kill_loop(Path(tmp), args.kills)
        took = time.monotonic() - start
        print(
            f"kill-during-save: {got['kills']} kills, {got['bad']} torn/empty/mixed,"
            f" at most {got['leftover_max']} temps between saves,"
            f" {got['leftover_after_save']} left after the next save ({took:.1f} s)"
        )
    with tempfile.TemporaryDirectory(prefix="vrrptop-bench-") as tmp:
        tried, detected, lost = race(Path(tmp) / "prio", args.race)
        print(f"concurrent-writer race: {tried} tried, {detected} detected, {lost} lost")
    ok = got["bad"] == 0 and got["leftover_after_save"] == 0
    return 0 if ok else 1


if __name__ == "__main__":
    sys.exit(main())
