"""Record the lab keepalived's dumps as fixtures: ``python -m tests.lab.record_node``.

Writes ``tests/data/keepalived/<version>/<scenario>.{json,data,stats}``, each read
with vrrptop's own reader (so the recording is what vrrptop sees), with the PASS
password masked. Scenarios, on recdns-wcdc in the seed state: ``seed`` (master of
testdns0, backup of testdns1), ``dns-stopped`` (its DNS down: every named_check
fails), ``auth-mismatch`` (restarted with another auth_pass: its peers' adverts fail
authentication). Run as root with the lab up; the lab is reset at the end.
"""

from __future__ import annotations

import re
import subprocess
import sys
import time
from pathlib import Path

from tests.lab import Lab
from vrrptop.keepalived.locate import find, signals
from vrrptop.keepalived.reader import DumpReader

OUT = Path(__file__).resolve().parents[1] / "data" / "keepalived"
NODE = "recdns-wcdc"
MASK = "********"


def mask(text: str) -> str:
    """Passwords out: the data dump's ``Password =`` and the JSON's ``auth_data``."""
    text = re.sub(r"(Password = ).*", r"\g<1>" + MASK, text)
    return re.sub(r'("auth_data":)"[^"]*"', r'\g<1>"' + MASK + '"', text)


def record(lab: Lab, scenario: str, version_dir: Path) -> None:
    """One scenario's three dumps."""
    ka = find(lab.node_dir(NODE) / "keepalived.pid")
    sigs = signals(ka)
    assert sigs.json is not None, "this keepalived has no JSON dump"
    reader = DumpReader(ka, sigs)
    dumps = reader._request(  # noqa: SLF001 - the recorder wants the raw texts
        [("keepalived.json", sigs.json), ("keepalived.data", sigs.data),
         ("keepalived.stats", sigs.stats)]
    )  # fmt: skip
    for name, text in dumps.items():
        suffix = name.split(".", 1)[1]
        (version_dir / f"{scenario}.{suffix}").write_text(mask(text))
    print(f"recorded {scenario}", file=sys.stderr)


def main() -> int:
    """Record every scenario, then reset the lab."""
    version = subprocess.run(["keepalived", "--version"], capture_output=True, text=True)
    number = re.search(r"v(\d+\.\d+\.\d+)", version.stderr + version.stdout)
    assert number is not None
    version_dir = OUT / number.group(1)
    version_dir.mkdir(parents=True, exist_ok=True)
    lab = Lab()
    lab.up()
    try:
        time.sleep(2)
        record(lab, "seed", version_dir)
        lab.dns_stop(NODE)
        time.sleep(4)
        record(lab, "dns-stopped", version_dir)
        lab.dns_start(NODE)
        lab.keepalived_stop(NODE)
        lab.keepalived_start(NODE, auth_pass="wrong-pw")
        time.sleep(5)
        record(lab, "auth-mismatch", version_dir)
    finally:
        lab.reset()
    return 0


if __name__ == "__main__":
    sys.exit(main())
