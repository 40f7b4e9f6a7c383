"""The lab's pure parts: the seed's named_check script, the prediction, the notify log,
and the hand-built adverts of the foreign router (checked against scapy).

No privileges: named_check runs with fake ``hostname`` and ``dig`` first on PATH.
"""

from __future__ import annotations

import os
import subprocess
import sys
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[2]
if str(ROOT) not in sys.path:  # ``tests.lab`` is imported from the repo root
    sys.path.insert(0, str(ROOT))

from tests.lab.configs import SEED_PRIORITY, named_check_script  # noqa: E402
from tests.lab.foreign import advert  # noqa: E402
from tests.lab.topology import NODES  # noqa: E402
from tests.lab.views import notify_masters, predicted_masters, read_notify_log  # noqa: E402

SEED_LINES = SEED_PRIORITY.splitlines()

#: What the seed (../shared/seed) says the scripts give: (type num, prio) that succeeds
#: per host. testdns0: later line = higher; testdns1: 5 - line. rnb is commented out.
SEED_SUCCESS = {
    "recdns-cnh": {("0", 1), ("1", 4)},
    "recdns-rnb": set(),
    "recdns-sby": {("0", 3), ("1", 2)},
    "recdns-wcdc": {("0", 4), ("1", 1)},
}


def _fake_bin(tmp: Path, host: str, dns_answer: str | None) -> Path:
    bin_dir = tmp / "bin"
    bin_dir.mkdir(exist_ok=True)
    (bin_dir / "hostname").write_text(f"#!/bin/sh\necho {host}\n")
    dig = "echo '\"test\"'" if dns_answer is None else f"echo '{dns_answer}'"
    (bin_dir / "dig").write_text(f"#!/bin/sh\n{dig}\n")
    for f in bin_dir.iterdir():
        f.chmod(0o755)
    return bin_dir


def _successes(
    tmp: Path, host: str, lines: list[str], dns: str | None = None, reverse: str = "lines"
) -> set:
    own = tmp / "nodes" / host  # the script reads the node's own copy
    own.mkdir(parents=True, exist_ok=True)
    (own / "priority.testdns").write_text("".join(f"{ln}\n" for ln in lines))
    script = tmp / "named_check"
    script.write_text(named_check_script(tmp / "nodes", reverse))
    env = {**os.environ, "PATH": f"{_fake_bin(tmp, host, dns)}:{os.environ['PATH']}"}
    ok = set()
    for num in ("0", "1"):
        for prio in range(1, 5):
            rc = subprocess.run(["sh", str(script), "testdns", num, str(prio)], env=env,
                                capture_output=True).returncode  # fmt: skip
            if rc == 0:
                ok.add((num, prio))
    return ok


@pytest.mark.parametrize("host", NODES)
def test_named_check_reproduces_the_seed(tmp_path: Path, host: str) -> None:
    assert _successes(tmp_path, host, SEED_LINES) == SEED_SUCCESS[host]


def test_named_check_fails_every_priority_without_dns(tmp_path: Path) -> None:
    assert _successes(tmp_path, "recdns-wcdc", SEED_LINES, dns="") == set()
    assert _successes(tmp_path, "recdns-wcdc", SEED_LINES, dns='"other"') == set()


def test_named_check_generalises_to_n_lines(tmp_path: Path) -> None:
    # Five lines: testdns1 rank = 6 - line, so line 2 is rank 4 (weight 200, prio 250).
    lines = ["recdns-x", "recdns-cnh", "recdns-rnb", "recdns-sby", "recdns-wcdc"]
    assert _successes(tmp_path, "recdns-cnh", lines) == {("0", 2), ("1", 4)}


def test_seed_literal_script_counts_from_five(tmp_path: Path) -> None:
    # The seed's own script: testdns1 rank = 5 - line, whatever the file's length. A
    # comment line on top moves everyone down: cnh on line 2 is rank 2 / 3; wcdc on
    # line 5 is rank 5 for testdns0 (no script) and 0 for testdns1 (none either).
    lines = ["# testdns order", *SEED_LINES]
    assert _successes(tmp_path, "recdns-cnh", lines, reverse="seed") == {("0", 2), ("1", 3)}
    assert _successes(tmp_path, "recdns-wcdc", lines, reverse="seed") == set()
    assert _successes(tmp_path, "recdns-sby", lines, reverse="seed") == {("0", 4), ("1", 1)}
    assert _successes(tmp_path, "recdns-wcdc", SEED_LINES, reverse="seed") == {("0", 4), ("1", 1)}


def test_prediction_matches_the_seed() -> None:
    everyone = {n: True for n in NODES}
    got = predicted_masters(SEED_LINES, everyone, NODES)
    assert got == {"testdns0": "recdns-wcdc", "testdns1": "recdns-cnh"}
    no_dns = predicted_masters(SEED_LINES, {**everyone, "recdns-cnh": False}, NODES)
    assert no_dns == {"testdns0": "recdns-wcdc", "testdns1": "recdns-sby"}
    without_wcdc = predicted_masters(SEED_LINES, everyone, [n for n in NODES if "wcdc" not in n])
    assert without_wcdc["testdns0"] == "recdns-sby"


def test_notify_log_parsing_and_masters(tmp_path: Path) -> None:
    log = tmp_path / "notify.log"
    log.write_text(
        "10.0 recdns-wcdc testdns0 MASTER 250\n"
        "10.1 recdns-cnh testdns1_v6 MASTER 250\n"
        "12.0 recdns-wcdc testdns0 STOP 250\n"
        "12.2 recdns-sby testdns0 MASTER 200\n"
        "12.3 recdns-sby tes"  # a line being written
    )
    recs = read_notify_log(log)
    assert [r.state for r in recs] == ["MASTER", "MASTER", "STOP", "MASTER"]
    assert recs[1].key == ("testdns1", 6) and recs[1].priority == 250
    masters = notify_masters(recs)
    assert masters[("testdns0", 4)] == "recdns-sby"
    assert masters[("testdns1", 6)] == "recdns-cnh"
    assert masters[("testdns1", 4)] is None
    assert [r.ts for r in read_notify_log(log, since=12.1)] == [12.2]


def test_foreign_adverts_match_scapy_checksums() -> None:
    from scapy.layers.inet import IP
    from scapy.layers.vrrp import VRRPv3
    from scapy.utils import checksum

    src, vip = "198.51.100.12", "198.51.100.212"
    ref = bytes(
        (IP(src=src, dst="224.0.0.18", ttl=255) / VRRPv3(vrid=212, priority=100, ipcount=1,
                                                          addrlist=[vip], adv=100))[VRRPv3]
    )  # fmt: skip
    assert advert(212, 100, 100, [vip], variant="v3", src=src) == ref
    as_v2 = advert(212, 100, 100, [vip], variant="v3-as-v2", src=src)
    assert as_v2[:6] == ref[:6] and as_v2[8:] == ref[8:]
    assert checksum(as_v2) == 0  # message-only checksum verifies without pseudo-header
    assert as_v2[6:8] != ref[6:8]


def test_priority_file_edits_keep_commented_lines(tmp_path: Path) -> None:
    from tests.lab.priofile import reordered, toggled, write_atomic

    order = ["recdns-wcdc", "recdns-rnb", "recdns-sby", "recdns-cnh"]
    assert reordered(SEED_LINES, order) == [
        "recdns-wcdc", "#recdns-rnb", "recdns-sby", "recdns-cnh"
    ]  # fmt: skip
    assert reordered(SEED_LINES, ["recdns-sby"]) == [
        "recdns-sby", "recdns-cnh", "#recdns-rnb", "recdns-wcdc"
    ]  # fmt: skip
    off = toggled(SEED_LINES, "recdns-wcdc", enable=False)
    assert off == ["recdns-cnh", "#recdns-rnb", "recdns-sby", "#recdns-wcdc"]
    assert toggled(off, "recdns-wcdc", enable=True) == SEED_LINES
    target = tmp_path / "etc" / "priority.testdns"
    write_atomic(target, off)
    assert target.read_text() == "recdns-cnh\n#recdns-rnb\nrecdns-sby\n#recdns-wcdc\n"
    assert [p.name for p in target.parent.iterdir()] == ["priority.testdns"]
