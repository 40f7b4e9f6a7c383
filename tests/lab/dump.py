"""keepalived's own view of its state: the JSON dump it writes on ``SIGJSON``."""

from __future__ import annotations

import subprocess
import time
from pathlib import Path

from tests.lab.procs import ProcTable


def keepalived_json(procs: ProcTable, key: str, tmp_dir: Path, timeout: float = 3.0) -> str:
    """Signal the recorded keepalived ``key`` and return the ``keepalived.json`` it writes
    in its private /tmp (``tmp_dir`` on the host side). Raises RuntimeError on failure.
    """
    target = tmp_dir / "keepalived.json"
    target.unlink(missing_ok=True)
    # The signal number is a build choice: ask the binary rather than assume one.
    signum = subprocess.run(["keepalived", "--signum=JSON"], capture_output=True,
                            text=True, check=True).stdout.strip()  # fmt: skip
    if not procs.signal(key, int(signum)):
        raise RuntimeError(f"{key} is not running")
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        if target.exists() and target.stat().st_size:
            time.sleep(0.1)  # let it finish writing
            return target.read_text()
        time.sleep(0.05)
    raise RuntimeError(f"no JSON dump from {key}")
