"""The duplicate-VRID finding of ``--check-config`` against ``keepalived -t``.

keepalived 2.2.7 refuses (``keepalived -t`` exits 5; the daemon stops with
"permanent error CONFIG") two instances of one VRID, family and interface when
both are multicast, or both unicast to a common peer; it accepts a unicast and a
multicast instance sharing a VRID, and unicast ones with disjoint peers. Each
configuration is checked by both, in a throw-away namespace whose interfaces stay
down (keepalived only parses); the controls are the configurations it accepts.
"""

from __future__ import annotations

import json
import subprocess
import sys
from pathlib import Path

import pytest

pytestmark = pytest.mark.netns

ROOT = Path(__file__).resolve().parents[2]


def _instance(name: str, vrid: int, vip: str, peers: tuple[str, ...] = ()) -> str:
    unicast = ""
    if peers:
        listed = "".join(f"        {p}\n" for p in peers)
        unicast = f"    unicast_src_ip 203.0.113.1\n    unicast_peer {{\n{listed}    }}\n"
    return (
        f"vrrp_instance {name} {{\n    interface vkc0\n    virtual_router_id {vrid}\n"
        f"    priority 100\n{unicast}    virtual_ipaddress {{\n        {vip}\n    }}\n}}\n"
    )


CASES = {
    # name: (configuration, keepalived refuses it)
    "multicast-twice": (
        _instance("A", 51, "198.51.100.10") + _instance("B", 51, "198.51.100.11"),
        True,
    ),
    "unicast-common-peer": (
        _instance("A", 51, "198.51.100.10", ("203.0.113.2", "203.0.113.3"))
        + _instance("B", 51, "198.51.100.11", ("203.0.113.3",)),
        True,
    ),
    "unicast-disjoint-peers": (
        _instance("A", 51, "198.51.100.10", ("203.0.113.2",))
        + _instance("B", 51, "198.51.100.11", ("203.0.113.3",)),
        False,
    ),
    "unicast-and-multicast": (
        _instance("A", 51, "198.51.100.10", ("203.0.113.2",)) + _instance("B", 51, "198.51.100.11"),
        False,
    ),
    "other-family": (
        _instance("A", 51, "198.51.100.10") + _instance("B", 51, "2001:db8::11"),
        False,
    ),
}


@pytest.mark.parametrize("case", sorted(CASES))
def test_duplicate_vrid_finding_matches_keepalived(
    keepalived_netns: str, tmp_path: Path, case: str
) -> None:
    text, refused = CASES[case]
    conf = tmp_path / "keepalived.conf"
    conf.write_text(text)
    theirs = subprocess.run(
        ["ip", "netns", "exec", keepalived_netns, "keepalived", "--config-test",
         "--log-console", "--use-file", str(conf)],
        capture_output=True, text=True, timeout=60,
    )  # fmt: skip
    said = theirs.stdout + theirs.stderr
    assert (theirs.returncode != 0) == refused, (theirs.returncode, said)
    ours = subprocess.run(
        [sys.executable, "-m", "vrrptop", "--check-config", "--json", "--config", "/dev/null",
         "--keepalived-conf", str(conf)],
        cwd=ROOT, capture_output=True, text=True, timeout=60,
    )  # fmt: skip
    findings = json.loads(ours.stdout)["findings"]
    clash = [f for f in findings if f["severity"] == "error" and "VRID 51" in f["message"]]
    assert bool(clash) == refused, (findings, said)
    if refused:
        second = text[: text.index("vrrp_instance B")].count("\n") + 1
        assert clash[0]["severity"] == "error" and ours.returncode == 1
        assert clash[0]["where"] == f"{conf}:{second}"
