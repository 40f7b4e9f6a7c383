"""``--on-save CMD``: run the operator's command after a successful save.

The command is a shell command line (the operator typed it, e.g. ``rsync ...``);
the saved file's path is in ``$VRRPTOP_FILE``. Its failure is reported, never
undoes the save. Runs in its own process group so a timeout kills its children.

Whatever the command does, vrrptop's memory and time stay bounded: only the last
``MAX_OUTPUT`` bytes of each stream are kept (a command printing gigabytes costs
nothing), the wait ends at the timeout (the group is killed then), and a command
whose shell exited while something it started still holds its output (``cmd &``,
``setsid``) is reported as having backgrounded itself after a short grace instead
of blocking the result for ever. ``cancel_all`` (on quit) kills every running group
and stops every wait at once.
"""

from __future__ import annotations

import contextlib
import os
import selectors
import signal
import subprocess
import threading
import time
from dataclasses import dataclass
from pathlib import Path

MAX_OUTPUT = 64 * 1024
"""Keep at most this many bytes of stdout/stderr each (the tail)."""
BACKGROUND_GRACE_S = 0.5
"""After the shell exits, how long its output may stay open before we stop reading."""

_running: set[threading.Event] = set()
_running_lock = threading.Lock()


def cancel_all() -> None:
    """Kill every running on-save command's group and end its wait (quitting)."""
    with _running_lock:
        for ev in _running:
            ev.set()


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
    backgrounded: bool = False
    """The shell exited but left a process holding its output (``cmd &``, setsid)."""
    cancelled: bool = False
    """Stopped because vrrptop was quitting."""

    @property
    def ok(self) -> bool:
        """True when the command ran and exited 0."""
        return (
            self.returncode == 0
            and not (self.timed_out or self.backgrounded or self.cancelled)
            and self.error is None
        )

    def summary(self) -> str:
        """One line for the event log."""
        if self.error:
            return f"on-save command failed to run: {self.error}"
        if self.cancelled:
            return f"on-save command stopped (vrrptop quit): {self.command}"
        if self.backgrounded:
            return (
                f"on-save command exited with status {self.returncode} but left a background"
                f" process running (not waited for): {self.command}"
            )
        if self.timed_out:
            return f"on-save command timed out after {self.duration_s:.1f}s: {self.command}"
        if self.returncode == 0:
            return f"on-save command succeeded in {self.duration_s:.1f}s"
        return f"on-save command exited with status {self.returncode}: {self.command}"


class _Tail:
    """The last ``limit`` bytes written to it."""

    def __init__(self, limit: int) -> None:
        self.limit = limit
        self.buf = bytearray()

    def add(self, data: bytes) -> None:
        self.buf += data
        if len(self.buf) > 2 * self.limit:
            del self.buf[: -self.limit]

    def text(self) -> str:
        return bytes(self.buf[-self.limit :]).decode("utf-8", "replace")


def _killpg(pid: int) -> None:
    with contextlib.suppress(ProcessLookupError, PermissionError):
        os.killpg(pid, signal.SIGKILL)


def run_on_save(
    command: str,
    path: str | os.PathLike[str],
    timeout: float = 30.0,
    *,
    cancel: threading.Event | None = None,
) -> OnSaveResult:
    """Run ``command`` with ``sh -c``; blocks at most ``timeout`` + ~1 s (use a worker).

    ``cancel`` (or ``cancel_all``) ends the wait early and kills the group.
    """
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
    stop = cancel or threading.Event()
    with _running_lock:
        _running.add(stop)
    tails = {"out": _Tail(MAX_OUTPUT), "err": _Tail(MAX_OUTPUT)}
    timed_out = backgrounded = cancelled = False
    sel = selectors.DefaultSelector()
    assert proc.stdout is not None and proc.stderr is not None
    for name, stream in (("out", proc.stdout), ("err", proc.stderr)):
        os.set_blocking(stream.fileno(), False)
        sel.register(stream, selectors.EVENT_READ, name)
    deadline = start + timeout
    exited_at: float | None = None
    try:
        while sel.get_map():
            now = time.monotonic()
            if stop.is_set():
                cancelled = True
                _killpg(proc.pid)
                break
            if now >= deadline:
                timed_out = True
                _killpg(proc.pid)
                break
            if exited_at is None and proc.poll() is not None:
                exited_at = now
            if exited_at is not None and now - exited_at >= BACKGROUND_GRACE_S:
                backgrounded = True
                break
            for key, _mask in sel.select(min(0.1, max(0.0, deadline - now))):
                try:
                    chunk = os.read(key.fileobj.fileno(), 1 << 16)  # type: ignore[union-attr]
                except BlockingIOError:
                    continue
                if chunk:
                    tails[key.data].add(chunk)
                else:
                    sel.unregister(key.fileobj)
    finally:
        sel.close()
        proc.stdout.close()
        proc.stderr.close()
        with _running_lock:
            _running.discard(stop)
    code: int | None
    try:
        code = proc.wait(timeout=1.0)
    except subprocess.TimeoutExpired:  # unkillable (D state): give up waiting
        code = None
    if timed_out or cancelled:
        code = None
    duration = time.monotonic() - start
    return OnSaveResult(
        command,
        code,
        tails["out"].text(),
        tails["err"].text(),
        duration,
        timed_out,
        backgrounded=backgrounded and not timed_out,
        cancelled=cancelled,
    )
