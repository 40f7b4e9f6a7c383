"""vrrptop's reading of keepalived.conf against keepalived's own parser.

keepalived 2.2.7 parses configurations using every syntax vrrptop supports (include,
@id / @^id, $NAME and ${NAME}, multi-line definitions, ~SEQ / ~SEQx, quoted strings,
comments anywhere) and prints every instance with ``--dump-conf``; the test compares
that, field by field, with ``vrrptop --check-config --json`` for two config ids. It
runs in a throw-away network namespace ``vkc-PID`` whose veth interfaces stay down,
so keepalived enters FAULT and sends nothing; only documentation addresses are used.
keepalived is stopped by its PID, the namespace deleted by its name.
"""

from __future__ import annotations

import json
import os
import re
import signal
import subprocess
import sys
import time
from pathlib import Path
from typing import Any

import pytest

pytestmark = pytest.mark.netns

ROOT = Path(__file__).resolve().parents[2]
IFACE = "vkc0"

MAIN = """\
! one file for both nodes: alpha and beta
# definitions first
$IFACE=vkc0
$BASE=198.51.100
@alpha $PRIO=200
@^alpha $PRIO=100
include conf.d/*.conf

vrrp_script chk_one {
    script "/bin/true a#b"     # the '#' inside quotes is no comment
    weight 10
}
vrrp_instance "VI shared" {
    interface $IFACE
    virtual_router_id 51
    priority $PRIO
    @alpha advert_int 2
    @^alpha advert_int 3
    authentication {
        auth_type PASS
        auth_pass abc#def      ! keepalived keeps "abc"
    }
    virtual_ipaddress {
        ${BASE}.10/24
        ~SEQ(N, 11, 13) ${BASE}.${N}
        2001:db8::10           # the other family: dropped
    }
    @alpha unicast_src_ip 203.0.113.1
    @beta unicast_src_ip 203.0.113.2
    unicast_peer {
        @^alpha 203.0.113.1
        @^beta 203.0.113.2
    }
    track_script {
        chk_one
        chk_two weight -20
    }
}

$INST= \\
vrrp_instance VI_${NUM} { \\
    interface ${IFACE} \\
    virtual_router_id ${NUM} \\
    version 3 \\
    @alpha priority 150 \\
    nopreempt \\
    virtual_ipaddress { \\
        ~SEQx(H, 0x10, 0x10, 0x20) 2001:db8::${NUM}:${H} \\
    } \\
}
$NUM=61
$INST
$NUM=62
$INST
"""

INCLUDED = """\
vrrp_script chk_two {
    script /bin/true
    weight 5
}
vrrp_instance "VI v6" {
    interface $IFACE
    virtual_router_id 70
    preempt_delay 7
    authentication {
        auth_type AH
        auth_pass "x y"
    }
    virtual_ipaddress {
        2001:db8::70
    }
}
"""


def keepalived_dump(ns: str, conf: Path, config_id: str, work: Path) -> list[str]:
    """keepalived's --dump-conf of ``conf`` as node ``config_id`` (log lines, no dates)."""
    log = work / f"dump-{config_id}.log"
    with open(log, "wb") as out:
        proc = subprocess.Popen(
            ["ip", "netns", "exec", ns, "keepalived", "--dont-fork", "--log-console",
             "--log-detail", "--dump-conf", "--vrrp", "--config-id", config_id,
             "--use-file", str(conf), "--pid", str(work / "k.pid"),
             "--vrrp_pid", str(work / "v.pid")],
            stdout=out, stderr=subprocess.STDOUT,
        )  # fmt: skip
    try:
        deadline = time.monotonic() + 20
        while time.monotonic() < deadline and b"------< Interfaces >" not in log.read_bytes():
            if proc.poll() is not None:
                break
            time.sleep(0.1)
    finally:
        if proc.poll() is None:
            os.kill(proc.pid, signal.SIGTERM)  # `ip netns exec` execs keepalived: its PID
            try:
                proc.wait(timeout=10)
            except subprocess.TimeoutExpired:
                os.kill(proc.pid, signal.SIGKILL)
                proc.wait()
    text = log.read_text(errors="replace")
    assert "------< VRRP Topology >" in text, text[-2000:]
    return [
        re.sub(r"^\w{3} \w{3} [ \d]\d \d\d:\d\d:\d\d \d{4}: ", "", x) for x in text.splitlines()
    ]


def _interval_cs(text: str) -> int:
    value, unit = text.split()
    return round(float(value) * (100 if unit == "sec" else 0.1))


def parse_dump(lines: list[str]) -> dict[str, dict[str, Any]]:
    """Each ``VRRP Instance`` of the dump, in the fields of ``--check-config --json``."""
    out: dict[str, dict[str, Any]] = {}
    cur: dict[str, Any] | None = None
    listing: str | None = None
    for line in lines:
        if line.startswith("------<"):
            cur = None
            continue
        if line.startswith(" VRRP Instance = "):
            cur = out.setdefault(line.split(" = ", 1)[1], {
                "family": 4, "auth_type": "none", "vips": [], "unicast_peers": [],
                "track_scripts": [], "preempt_delay_s": 0.0, "unicast_src_ip": None,
            })  # fmt: skip
            continue
        if cur is None:
            continue
        if line.startswith("     ") and listing:
            item = line.split()
            if listing == "vips":
                cur["vips"].append(item[0].split("/")[0])
            elif listing == "unicast_peers":
                cur["unicast_peers"].append(item[0])
            elif listing == "track_scripts" and "weight" in item:
                cur["track_scripts"].append({"name": item[0], "weight": int(item[2])})
            continue
        listing = None
        key, _, value = line.strip().partition(" = ")
        if line.startswith("   Virtual IP ("):
            listing = "vips"
        elif line.strip() == "Unicast Peer :":
            listing = "unicast_peers"
        elif line.strip() == "Tracked scripts :":
            listing = "track_scripts"
        elif line.strip() == "Using Native IPv6":
            cur["family"] = 6
        elif key == "VRRP Version":
            cur["version"] = int(value)
        elif key == "Interface":
            cur["interface"] = value
        elif key == "Using src_ip" and value.endswith("(from configuration)"):
            cur["unicast_src_ip"] = value.split()[0]
        elif key == "Virtual Router ID":
            cur["vrid"] = int(value)
        elif key == "Priority":
            cur["priority"] = int(value)
        elif key == "Advert interval":
            cur["advert_int_cs"] = _interval_cs(value)
        elif key == "Preempt":
            cur["nopreempt"] = value == "disabled"
        elif key == "Preempt delay":
            cur["preempt_delay_s"] = float(value.split()[0])
        elif key == "Authentication type":
            cur["auth_type"] = {"SIMPLE_PASSWORD": "pass", "IPSEC_AH": "ah"}.get(value, value)
    return out


def check_config(conf: Path, config_id: str) -> dict[str, dict[str, Any]]:
    run = subprocess.run(
        [sys.executable, "-m", "vrrptop", "--check-config", "--json", "--config", "/dev/null",
         "--keepalived-conf", str(conf), "--config-id", config_id],
        cwd=ROOT, capture_output=True, text=True, timeout=60,
    )  # fmt: skip
    assert run.returncode in (0, 1), run.stdout + run.stderr
    return {i["name"]: i for i in json.loads(run.stdout)["instances"]}


@pytest.mark.parametrize("config_id", ["alpha", "beta"])
def test_check_config_matches_keepalived_dump(
    keepalived_netns: str, tmp_path: Path, config_id: str
) -> None:
    (tmp_path / "conf.d").mkdir()
    conf = tmp_path / "keepalived.conf"
    conf.write_text(MAIN)
    (tmp_path / "conf.d" / "more.conf").write_text(INCLUDED)
    dumped = parse_dump(keepalived_dump(keepalived_netns, conf, config_id, tmp_path))
    mine = check_config(conf, config_id)
    assert set(mine) == set(dumped) == {"VI shared", "VI_61", "VI_62", "VI v6"}
    for name, theirs in dumped.items():
        ours = mine[name]
        for key, value in theirs.items():
            if key in ("vips", "unicast_peers"):
                assert sorted(ours[key]) == sorted(value), (name, key)
            else:
                assert ours[key] == value, (name, key, ours[key], value)
    # The syntax really was exercised (the comparison above is not vacuous).
    shared = dumped["VI shared"]
    assert shared["priority"] == (200 if config_id == "alpha" else 100)
    assert len(shared["vips"]) == 4 and len(dumped["VI_61"]["vips"]) == 2
    assert shared["unicast_src_ip"] == ("203.0.113.1" if config_id == "alpha" else "203.0.113.2")
