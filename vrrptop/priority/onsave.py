"""``--on-save CMD``: run the operator's command after a successful save.

The command is a shell command line (the operator typed it, e.g. ``rsync ...``);
the saved file's path is in ``$VRRPTOP_FILE``. Its failure is reported, never
undoes the save. Runs in its own process group so a timeout kills its children.
"""

from __future__ import annotations

import contextlib
import os
import signal
import subprocess
import time
from dataclasses import dataclass
from pathlib import Path

MAX_OUTPUT = 64 * 1024
"""Keep at most this many characters of stdout/stderr each."""


@dataclass(frozen=True, slots=True)
class OnSaveResult:
    """Outcome of one on-save command."""

    command: str
    returncode: int | None
    """Exit status; None when it could not start or timed out; negative = signal."""
    stdout: str
    stderr: str
    duration_s: float
    timed_out: bool = False
    error: str | None = None
    """Why it could not run (one line), if so."""

    @property
    def ok(self) -> bool:
        """True when the command ran and exited 0."""
        return self.returncode == 0 and not self.timed_out and self.error is None

    def summary(self) -> str:
        """One line for the event log."""
        if self.error:
            return f"on-save command failed to run: {self.error}"
        if self.timed_out:
            return f"on-save command timed out after {self.duration_s:.1f}s: {self.command}"
        if self.returncode == 0:
            return f"on-save command succeeded in {self.duration_s:.1f}s"
        return f"on-save command exited with status {self.returncode}: {self.command}"


def run_on_save(command: str, path: str | os.PathLike[str], timeout: float = 30.0) -> OnSaveResult:
    """Run ``command`` with ``sh -c``; blocks up to ``timeout`` seconds (use a worker)."""
    start = time.monotonic()
    env = dict(os.environ, VRRPTOP_FILE=str(Path(path)))
    try:
        proc = subprocess.Popen(
            ["/bin/sh", "-c", command],
            stdin=subprocess.DEVNULL,
            stdout=subprocess.PIPE,
            stderr=subprocess.PIPE,
            env=env,
            start_new_session=True,
        )
    except OSError as exc:
        return OnSaveResult(command, None, "", "", 0.0, error=exc.strerror or str(exc))
    timed_out = False
    try:
        out, err = proc.communicate(timeout=timeout)
    except subprocess.TimeoutExpired:
        timed_out = True
        with contextlib.suppress(ProcessLookupError):
            os.killpg(proc.pid, signal.SIGKILL)
        out, err = proc.communicate()
    duration = time.monotonic() - start
    text_out = out.decode("utf-8", "replace")[-MAX_OUTPUT:]
    text_err = err.decode("utf-8", "replace")[-MAX_OUTPUT:]
    code = None if timed_out else proc.returncode
    return OnSaveResult(command, code, text_out, text_err, duration, timed_out)
