"""Cross-check the rank scheme against the seed's own named_check shell script.

The script is extracted from ../shared/seed/ at test time (skipped when absent),
its /etc/keepalived paths redirected to a temporary directory, ``hostname`` and
``named_ok`` faked; keepalived's effective priority is base + the weights
(PRIO*50) of the scripts that exit 0. That is the oracle for ``predict``.
"""

from __future__ import annotations

import os
import re
import subprocess
from pathlib import Path

import pytest

from vrrptop.priority import PriorityFile, Scheme, predict

SEED_DIR = Path(__file__).resolve().parents[2] / "../shared/seed"
HOSTS = ("recdns-cnh", "recdns-rnb", "recdns-sby", "recdns-wcdc")


def _seed_script() -> str | None:
    for path in sorted(SEED_DIR.glob("*.txt")) if SEED_DIR.is_dir() else ():
        text = path.read_text(errors="replace")
        match = re.search(r"The health check script is:\n(.*?)\nThe named_ok script", text, re.S)
        if match:
            lines = [ln[4:] if ln.startswith("    ") else ln for ln in match.group(1).split("\n")]
            return "\n".join(lines).strip() + "\n"
    return None


SCRIPT = _seed_script()
pytestmark = pytest.mark.skipif(SCRIPT is None, reason="seed material not available")


@pytest.fixture(scope="module")
def rig(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """A directory with named_check (paths redirected), fake hostname and named_ok."""
    assert SCRIPT is not None
    root = tmp_path_factory.mktemp("seed")
    (root / "bin").mkdir()
    script = SCRIPT.replace("/etc/keepalived/", f"{root}/")
    (root / "named_check").write_text(script)
    (root / "bin" / "hostname").write_text('#!/bin/sh\necho "$FAKE_HOST"\n')
    # named_ok succeeds unless the host is listed in $BROKEN.
    (root / "named_ok").write_text(
        '#!/bin/sh\ncase " $BROKEN " in *" $FAKE_HOST "*) exit 1;; esac\n'
    )
    for f in ("named_check", "bin/hostname", "named_ok"):
        os.chmod(root / f, 0o755)
    return root


def _keepalived_priority(rig: Path, content: bytes, host: str, num: int, broken: str) -> int:
    (rig / "priority.testdns").write_bytes(content)
    env = dict(os.environ, PATH=f"{rig / 'bin'}:{os.environ['PATH']}", FAKE_HOST=host)
    env["BROKEN"] = broken
    total = 50  # instance priority (base)
    for check in (1, 2, 3, 4):
        run = subprocess.run(
            ["sh", str(rig / "named_check"), "testdns", str(num), str(check)],
            env=env,
            capture_output=True,
        )
        if run.returncode == 0:
            total += check * 50  # weight {{ prio * 50 }}
    return total


FILES = [
    b"recdns-cnh\n#recdns-rnb\nrecdns-sby\nrecdns-wcdc\n",  # the post's file
    b"recdns-wcdc\nrecdns-sby\nrecdns-rnb\nrecdns-cnh\n",
    b"recdns-cnh\r\nrecdns-rnb\r\nrecdns-sby\r\nrecdns-wcdc\r\n",  # CRLF: grep -x fails
    b"recdns-cnh \nrecdns-rnb\n\trecdns-sby\nrecdns-wcdc",  # blanks, no final newline
    b"recdns-cnh\nrecdns-rnb\nrecdns-cnh\nrecdns-wcdc\n",  # duplicate: first line counts
    b"# order for testdns\nrecdns-cnh\nrecdns-sby\nrecdns-wcdc\n",  # comment occupies line 1
    b"recdns-cnh\nrecdns-rnb\nrecdns-sby\nrecdns-wcdc\n#recdns-new\n",  # five lines
    b"recdns-cnh\n#recdns-rnb\n",
]


@pytest.mark.parametrize("content", FILES)
@pytest.mark.parametrize("num", [0, 1])
@pytest.mark.parametrize("broken", ["", "recdns-cnh recdns-wcdc"])
def test_predict_matches_the_seed_script(rig: Path, content: bytes, num: int, broken: str) -> None:
    f = PriorityFile.parse(content)
    health = {h: h not in broken.split() for h in HOSTS}
    # span=4: the seed hard-codes "5 - line"; identical to the default for 4-line files.
    prediction = predict(f, Scheme(direction=num, span=4), health, extra_hosts=HOSTS)
    for host in HOSTS:
        assert prediction.priority_of(host) == _keepalived_priority(
            rig, content, host, num, broken
        ), host
    if f.line_count == 4:
        default = predict(f, Scheme(direction=num), health, extra_hosts=HOSTS)
        assert [h.priority for h in default.hosts] == [h.priority for h in prediction.hosts]
