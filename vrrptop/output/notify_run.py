"""Run one ``--notify`` command: an argv list, details in the environment, a timeout.

Split from ``notify`` (what to run and when) so the part that touches processes is
small enough to check by eye. The command line was split once with ``shlex`` when
vrrptop started; nothing seen on the wire is ever parsed by a shell: packet-derived
text (addresses, messages) only reaches the command as argv items or environment
values, cleaned of control characters.
"""

from __future__ import annotations

import contextlib
import os
import re
import shlex
import shutil
import signal
import subprocess
import time
from collections.abc import Mapping, Sequence
from dataclasses import dataclass, field

from vrrptop.errors import VrrptopError

#: Environment values are cut to this many characters (a message, a list of subjects).
MAX_VALUE = 2048
#: Keep this much of the command's stderr for the failure message.
MAX_STDERR = 4096
#: After the timeout: SIGTERM to the process group, then SIGKILL this much later.
KILL_GRACE_S = 1.0

_CONTROL = re.compile(r"[\x00-\x1f\x7f]")
"""Control characters, newlines included: a newline in `$2` would let packet text add
headers to a mail built as the seed's notify script builds it."""


def clean(value: object) -> str:
    """An environment/argv-safe string: no NUL or control characters, bounded."""
    text = "" if value is None else str(value)
    return _CONTROL.sub("?", text)[:MAX_VALUE]


def parse_command(command: str | Sequence[str], what: str = "--notify") -> tuple[str, ...]:
    """Split the configured command once (``shlex``, no shell) and check it exists.

    Raises ``VrrptopError`` (exit 2) with one line when it is empty, badly quoted or
    not found, so a typo stops vrrptop before capture starts.
    """
    if isinstance(command, str):
        try:
            argv = tuple(shlex.split(command))
        except ValueError as exc:
            raise VrrptopError(f"{what} {command!r}: {exc}", 2) from None
    else:
        argv = tuple(command)
    if not argv:
        raise VrrptopError(f"{what}: empty command", 2)
    program = argv[0]
    if "/" in program:
        if not (os.path.isfile(program) and os.access(program, os.X_OK)):
            raise VrrptopError(f"{what}: {program}: not an executable file", 2)
    elif shutil.which(program) is None:
        raise VrrptopError(f"{what}: {program}: command not found", 2)
    return argv


@dataclass(frozen=True, slots=True)
class Notification:
    """One run: keepalived's notify arguments plus ``VRRPTOP_*`` variables."""

    instance: str
    """keepalived's ``NAME``: the instance name (or ``VRID210``, or the alarm's subject)."""
    state: str
    """``MASTER``, ``DEAD``, ``ALARM`` or ``CLEARED``."""
    priority: int
    env: Mapping[str, str] = field(default_factory=dict)

    @property
    def args(self) -> tuple[str, str, str, str]:
        """``INSTANCE NAME STATE PRIORITY``, as keepalived calls a notify script."""
        return ("INSTANCE", clean(self.instance), self.state, str(self.priority))

    @property
    def summary(self) -> str:
        """For error lines: ``testdns0 MASTER``."""
        return f"{clean(self.instance)} {self.state}"


@dataclass(frozen=True, slots=True)
class RunResult:
    """Outcome of one run."""

    returncode: int | None
    duration_s: float
    timed_out: bool = False
    error: str | None = None
    """Why it could not start, if so."""
    stderr: str = ""

    @property
    def ok(self) -> bool:
        return self.returncode == 0 and not self.timed_out and self.error is None

    def why(self, timeout: float) -> str:
        """One line: what went wrong."""
        if self.error:
            return f"cannot run: {self.error}"
        if self.timed_out:
            return f"timed out after {timeout:g} s (process group killed)"
        last = next((ln for ln in reversed(self.stderr.splitlines()) if ln.strip()), "")
        tail = f": {clean(last)[:200]}" if last else ""
        return f"exited with status {self.returncode}{tail}"


def kill_group(proc: subprocess.Popen[bytes]) -> None:
    for sig in (signal.SIGTERM, signal.SIGKILL):
        with contextlib.suppress(ProcessLookupError, PermissionError):
            os.killpg(proc.pid, sig)
        try:
            proc.wait(KILL_GRACE_S)
            return
        except subprocess.TimeoutExpired:
            continue


def run_notification(
    argv: Sequence[str], note: Notification, timeout: float, started: list[object] | None = None
) -> RunResult:
    """Run ``argv + note.args`` with ``note.env`` added; blocks up to ``timeout``.

    The command gets its own session (process group), so a timeout kills what it
    started too. ``started``, when given, receives the ``Popen`` (for ``close``).
    """
    env = dict(os.environ)
    env.update({k: clean(v) for k, v in note.env.items()})
    start = time.monotonic()
    try:
        proc = subprocess.Popen(
            [*argv, *note.args],
            stdin=subprocess.DEVNULL,
            stdout=subprocess.DEVNULL,
            stderr=subprocess.PIPE,
            env=env,
            start_new_session=True,
            close_fds=True,
        )
    except OSError as exc:
        return RunResult(None, 0.0, error=exc.strerror or str(exc))
    if started is not None:
        started.append(proc)
    timed_out = False
    try:
        _, err = proc.communicate(timeout=timeout)
    except subprocess.TimeoutExpired:
        timed_out = True
        kill_group(proc)
        err = b""
        with contextlib.suppress(subprocess.TimeoutExpired, ValueError):
            _, err = proc.communicate(timeout=KILL_GRACE_S)
    finally:
        if started is not None:
            started.clear()
    duration = time.monotonic() - start
    code = None if timed_out else proc.returncode
    text = (err or b"").decode("utf-8", "replace")[-MAX_STDERR:]
    return RunResult(code, duration, timed_out, stderr=text)
