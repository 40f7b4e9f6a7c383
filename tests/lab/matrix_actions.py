"""The matrix scenarios' building blocks: the actions they apply to the lab (and wait
for keepalived to converge after) and the checks that keepalived did what the
scenario assumes. The scenarios themselves, and what they expect: ``matrix_cases``.
"""

from __future__ import annotations

import time
from collections.abc import Callable, Mapping

from tests.lab.configs import Quirk
from tests.lab.lab import Lab, LabError
from tests.lab.priofile import reordered
from tests.lab.topology import NODES, VRIDS
from tests.lab.truth import Truth
from tests.lab.views import vip_holders

Check = Callable[[Truth], str | None]
"""What keepalived must have done for a scenario's expectation to hold (None: fine)."""

T0, T1 = VRIDS["testdns0"], VRIDS["testdns1"]
ALL = ((T0, 4), (T0, 6), (T1, 4), (T1, 6))
REVERSED = ["recdns-wcdc", "recdns-rnb", "recdns-sby", "recdns-cnh"]
SWAPPED = {"testdns0": "recdns-cnh", "testdns1": "recdns-wcdc"}
SEED = {"testdns0": "recdns-wcdc", "testdns1": "recdns-cnh"}


def masters_are(want: dict[str, str]) -> Check:
    """Check: each base instance's VIPs (both families) sit on exactly that node."""
    keys = {(VRIDS[b], f): n for b, n in want.items() for f in (4, 6)}

    def check(truth: Truth) -> str | None:
        held = truth.holders()
        bad = {f"{v}/{f}": held.get((v, f)) for (v, f), n in keys.items()
               if held.get((v, f)) != (n,)}  # fmt: skip
        return f"keepalived masters {bad}, scenario assumes {want}" if bad else None

    return check


def split_on(*keys: tuple[int, int]) -> Check:
    """Check: those instances' VIPs are held by two nodes at the end."""

    def check(truth: Truth) -> str | None:
        held = truth.holders()
        bad = {f"{v}/{f}": held.get((v, f)) for v, f in keys if len(held.get((v, f), ())) < 2}
        return f"no split brain where the scenario assumes one: {bad}" if bad else None

    return check


def steps(*fns: Callable[[Lab], object]) -> Callable[[Lab], None]:
    """An action doing ``fns`` in order."""

    def action(lab: Lab) -> None:
        for fn in fns:
            fn(lab)

    return action


def waiting(want: dict[str, str] | None = None) -> Callable[[Lab], None]:
    """A step waiting until keepalived's masters are ``want`` (default: predicted)."""
    return lambda lab: _wait(lab, want)


def pause(seconds: float) -> Callable[[Lab], None]:
    """A step sleeping ``seconds``."""
    return lambda lab: time.sleep(seconds)


def _wait(lab: Lab, want: Mapping[str, str | None] | None = None, timeout: float = 25) -> None:
    lab.wait_for_masters(want or lab.expected_masters(), timeout)


def _wait_split(lab: Lab, keys: tuple[tuple[str, int], ...], timeout: float = 20) -> None:
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        held = vip_holders(NODES)
        if all(len(held[k]) >= 2 for k in keys):
            return
        time.sleep(0.2)
    raise LabError(f"no split brain on {keys} within {timeout}s")


def _quirked(node: str, quirk: Quirk) -> Callable[[Lab], None]:
    def action(lab: Lab) -> None:
        lab.keepalived_stop(node)
        lab.keepalived_start(node, quirk=quirk)

    return action


def _then_wait_split(act: Callable[[Lab], None], *keys: tuple[str, int]) -> Callable[[Lab], None]:
    def action(lab: Lab) -> None:
        act(lab)
        _wait_split(lab, keys)

    return action


def _kill_all(lab: Lab) -> None:
    for n in NODES:
        lab.keepalived_kill(n)


def _split(lab: Lab) -> None:
    lab.split_brain("wcdc", "sby")
    _wait_split(lab, (("testdns0", 4), ("testdns0", 6)))


def _split_heal(lab: Lab) -> None:
    _split(lab)
    time.sleep(3)
    lab.heal()
    _wait(lab, SEED)


def _comment_line(lab: Lab) -> None:
    lab.write_priority(["# testdns: rank by line", *lab.read_priority()])
    _wait(lab, {"testdns0": "recdns-sby", "testdns1": "recdns-cnh"})


def _save_on_rnb(lab: Lab) -> None:
    lab.write_node_priority("rnb", reordered(lab.read_node_priority("rnb"), REVERSED))
    time.sleep(4)  # two track-script runs: nothing moves (rnb is out of service)
    _wait(lab, SEED)


_BEFORE: dict[str, dict[tuple[int, int], tuple[str, ...]]] = {}


def _nopreempt_reorder(lab: Lab) -> None:
    _BEFORE["nopreempt"] = {(VRIDS[b], f): (n,) for (b, f), n in lab.masters().items() if n}
    lab.reorder(REVERSED)
    time.sleep(5)  # several track-script runs: the priorities change, nobody preempts


def _unchanged(name: str) -> Check:
    """Check: the VIP holders are those recorded before the action."""

    def check(truth: Truth) -> str | None:
        before, held = _BEFORE.get(name, {}), truth.holders()
        moved = {f"{v}/{f}": (b, held.get((v, f))) for (v, f), b in before.items()
                 if held.get((v, f)) != b}  # fmt: skip
        return f"masters moved although nopreempt: {moved}" if moved else None

    return check
