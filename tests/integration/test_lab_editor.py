"""Issue 6 in the real keepalived lab: the priority-file editor, driven through Pilot,
moves the election, and keepalived agrees with what the editor predicted.

The console runs in vl-mon (``tests.lab.editor_driver``: a live capture on mon0 and
``--keepalived-conf`` of a lab node, so the priority file is the node's symlink to the
lab's shared file). It moves recdns-sby to the top and saves, then takes testdns0's
master out of service and saves. Here we check its JSON summary against keepalived's
own ground truth: the VIP holders, the notify log, and the bytes of the file on disk.

Expected values come from the seed's scheme, worked by hand (line L of 4 gives
testdns0 50+50*L and testdns1 50+50*(5-L); a commented-out host 50), and are
cross-checked against the lab's own predictor (``tests.lab.views``).
"""

from __future__ import annotations

import json
import os
import subprocess
import sys
import time
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest

from tests.lab import Lab
from tests.lab.topology import NODES, node_host
from tests.lab.views import NotifyRecord, notify_masters, predicted_masters

pytestmark = pytest.mark.lab

ROOT = Path(__file__).resolve().parents[2]
SEED = b"recdns-cnh\n#recdns-rnb\nrecdns-sby\nrecdns-wcdc\n"
#: recdns-sby moved to the top: testdns1 gets it (250), testdns0 keeps recdns-wcdc (250).
AFTER_MOVE = b"recdns-sby\nrecdns-cnh\n#recdns-rnb\nrecdns-wcdc\n"
MOVE_MASTERS = {"testdns0": "recdns-wcdc", "testdns1": "recdns-sby"}
#: testdns0's master recdns-wcdc out of service: recdns-cnh (line 2, 150) wins testdns0.
AFTER_DISABLE = b"recdns-sby\nrecdns-cnh\n#recdns-rnb\n#recdns-wcdc\n"
DISABLE_MASTERS = {"testdns0": "recdns-cnh", "testdns1": "recdns-sby"}
SEED_MASTERS = {"testdns0": "recdns-wcdc", "testdns1": "recdns-cnh"}
#: The driver waits at most settle time + margin per step, plus start-up.
DRIVER_TIMEOUT = 120.0


def _expand(masters: dict[str, str]) -> dict[str, str]:
    """Base instances -> keepalived's instance names (IPv4 ``testdns0``, IPv6 ``_v6``)."""
    return {n: m for base, m in masters.items() for n in (base, f"{base}_v6")}


def _family(name: str) -> int:
    return 6 if name.endswith("_v6") else 4


@pytest.fixture
def edited_lab(seed_lab: Lab) -> Iterator[Lab]:
    """The seed lab; afterwards the editor's backup (``PATH~``) goes and the seed file
    comes back, so later tests start from the seed."""
    backup = Path(f"{seed_lab.priority_file}~")
    try:
        yield seed_lab
    finally:
        backup.unlink(missing_ok=True)
        seed_lab.reset()


def _run_driver(lab: Lab, conf: Path) -> tuple[dict[str, Any], str]:
    """Run the editor driver in vl-mon; its JSON summary and its stderr."""
    argv = [sys.executable, "-m", "tests.lab.editor_driver", "--keepalived-conf", str(conf)]
    proc = lab.mon_popen(argv, cwd=ROOT, stdout=subprocess.PIPE, stderr=subprocess.PIPE)
    try:
        out, err = proc.communicate(timeout=DRIVER_TIMEOUT)
    except subprocess.TimeoutExpired:
        proc.kill()
        out, err = proc.communicate()
        pytest.fail(f"editor driver hung; stderr:\n{err.decode(errors='replace')[-3000:]}")
    finally:
        lab.mon_forget(proc)
    stderr = err.decode(errors="replace")
    lines = [line for line in out.decode(errors="replace").splitlines() if line.startswith("{")]
    assert lines, f"no JSON summary (exit {proc.returncode}); stderr:\n{stderr[-3000:]}"
    summary = json.loads(lines[-1])
    assert summary["ok"] and proc.returncode == 0, (summary.get("error"), summary, stderr[-3000:])
    return summary, stderr


def _first(records: list[NotifyRecord], node: str, instance: str, state: str, after: float,
           before: float = float("inf")) -> NotifyRecord:  # fmt: skip
    """keepalived's first ``state`` notify of ``node`` for ``instance`` in [after, before)."""
    for rec in records:
        if (rec.node, rec.instance, rec.state) == (node, instance, state) and (
            after <= rec.ts < before
        ):
            return rec
    raise AssertionError(f"no {state} of {node} for {instance} in [{after}, {before}): {records}")


def _check_step(step: dict[str, Any], before: dict[str, str], after: dict[str, str]) -> None:
    """The save dialog's prediction, the engine's observation and the main screen."""
    assert step["predicted"] == {n: [before[n], after[n]] for n in after}, step["predicted"]
    for name, host in after.items():
        fam = _family(name)
        seen = step["engine"][name][f"v{fam}"]
        assert seen["observed_master_name"] == host, (name, seen)
        assert seen["expected_master"] == host, (name, seen)
        assert "master-mismatch" not in seen["alarms"], (name, seen)
        assert any(f"{name}: {host} is master as predicted" in line for line in step["log"]), step
        row = step["ui_rows"][f"{name}/v{fam}"]
        if fam == 4:  # -n: the IPv4 master shows as its address (IPv6: link-local)
            assert row["master"] == node_host(host).ipv4, (name, row)
        else:
            assert seen["master"] == row["master"] and row["master"].startswith("fe80::"), row


def test_editor_moves_the_election(edited_lab: Lab) -> None:
    """Move recdns-sby to the top (testdns1 follows), then take testdns0's master out
    of service (testdns0 moves): predicted by the editor, elected by keepalived, seen
    by vrrptop; the file on disk is exactly the edit, the nodes' links intact."""
    lab = edited_lab
    everyone = dict.fromkeys(NODES, True)
    # The hand-worked expectations agree with the lab's independent predictor.
    for content, masters in ((SEED, SEED_MASTERS), (AFTER_MOVE, MOVE_MASTERS),
                             (AFTER_DISABLE, DISABLE_MASTERS)):  # fmt: skip
        assert predicted_masters(content.decode().splitlines(), everyone, NODES) == masters
    assert lab.priority_file.read_bytes() == SEED
    links = [lab.node_dir(n) / lab.priority_file.name for n in NODES]
    assert all(os.path.islink(link) for link in links)

    t0 = time.time()
    summary, _stderr = _run_driver(lab, lab.node_dir("recdns-cnh") / "keepalived.conf")
    move, disable = summary["steps"]
    assert summary["initial"] == _expand(SEED_MASTERS)
    assert summary["file_before"] == SEED.decode()

    # 1. What vrrptop predicted and showed.
    assert move["file_after"] == AFTER_MOVE.decode()
    _check_step(move, _expand(SEED_MASTERS), _expand(MOVE_MASTERS))
    assert disable["disabled"] == SEED_MASTERS["testdns0"]
    assert disable["file_after"] == AFTER_DISABLE.decode()
    _check_step(disable, _expand(MOVE_MASTERS), _expand(DISABLE_MASTERS))

    # 2. keepalived's ground truth: VIP holders now, and the notify log in between.
    final = lab.wait_for_masters(DISABLE_MASTERS, timeout=20)
    assert final == {(b, f): m for b, m in DISABLE_MASTERS.items() for f in (4, 6)}
    records = lab.notify_records(since=t0)
    assert {k: v for k, v in notify_masters(records).items() if v} == final
    report = []
    for step, name, host, until in (
        (move, "testdns1", "recdns-sby", disable["saved_at"]),
        (move, "testdns1_v6", "recdns-sby", disable["saved_at"]),
        (disable, "testdns0", "recdns-cnh", float("inf")),
        (disable, "testdns0_v6", "recdns-cnh", float("inf")),
    ):
        # keepalived elected the predicted master after this save and before the next.
        rec = _first(records, host, name, "MASTER", step["saved_at"], until)
        keepalived_s = rec.ts - step["saved_at"]
        report.append(
            f"{name}: saved -> keepalived MASTER on {host} {keepalived_s:.2f} s, vrrptop "
            f"saw it {step['observed_after_s'][name]:.2f} s (settle time {step['settle_s']:.0f} s)"
        )
    # The old masters stepped down (their BACKUP notify follows the save).
    _first(records, "recdns-cnh", "testdns1", "BACKUP", move["saved_at"], disable["saved_at"])
    _first(records, "recdns-wcdc", "testdns0", "BACKUP", disable["saved_at"])
    print("\n" + "\n".join(report))

    # 3. The file on disk: exactly the two edits, every node's link still a link to it.
    assert lab.priority_file.read_bytes() == AFTER_DISABLE
    assert not os.path.islink(lab.priority_file)
    for link in links:
        assert os.path.islink(link), link
        assert link.resolve() == lab.priority_file.resolve()
        assert link.read_bytes() == AFTER_DISABLE
    # The previous version is kept beside the file (issue 6: ``PATH~``).
    assert Path(f"{lab.priority_file}~").read_bytes() == AFTER_MOVE
