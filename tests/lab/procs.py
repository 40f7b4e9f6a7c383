"""Starting and stopping the lab's daemons, by recorded PID only.

Every process the lab starts is recorded (PID plus kernel start time, so a recycled
PID is never mistaken for ours) in a JSON state file, so that a later ``up`` or
``down`` can clean up after a crashed run without ever killing by name.
"""

from __future__ import annotations

import json
import os
import signal
import subprocess
import time
from dataclasses import asdict, dataclass
from pathlib import Path


@dataclass(frozen=True, slots=True)
class ProcRecord:
    """A process the lab started."""

    key: str
    """What it is, e.g. ``recdns-cnh/keepalived`` or ``mon/vrrptop``."""
    pid: int
    start: int
    """Start time in clock ticks since boot (``/proc/PID/stat`` field 22)."""


def start_time(pid: int) -> int | None:
    """The kernel start time of ``pid``, or None when there is no such process."""
    try:
        stat = Path(f"/proc/{pid}/stat").read_text()
    except OSError:
        return None
    # The command name (field 2) may contain spaces: split after its closing paren.
    fields = stat[stat.rindex(")") + 2 :].split()
    if fields[0] == "Z":
        return None  # a zombie is as good as gone
    return int(fields[19])


def alive(rec: ProcRecord) -> bool:
    """Whether the recorded process is still the one we started and still running."""
    return start_time(rec.pid) == rec.start


class ProcTable:
    """The lab's record of its processes, persisted in ``state_dir/procs.json``."""

    def __init__(self, state_dir: Path) -> None:
        self.path = state_dir / "procs.json"
        self._popen: dict[int, subprocess.Popen[bytes]] = {}

    def load(self) -> dict[str, ProcRecord]:
        """Recorded processes by key (empty when there is no state file)."""
        try:
            raw = json.loads(self.path.read_text())
        except (OSError, ValueError):
            return {}
        return {k: ProcRecord(**v) for k, v in raw.items()}

    def _save(self, table: dict[str, ProcRecord]) -> None:
        tmp = self.path.with_suffix(".tmp")
        tmp.write_text(json.dumps({k: asdict(v) for k, v in table.items()}, indent=1))
        os.replace(tmp, self.path)

    def add(self, key: str, pid: int) -> ProcRecord:
        """Record ``pid`` under ``key``."""
        rec = ProcRecord(key, pid, start_time(pid) or 0)
        table = self.load()
        table[key] = rec
        self._save(table)
        return rec

    def drop(self, key: str) -> None:
        """Forget ``key``."""
        table = self.load()
        if table.pop(key, None) is not None:
            self._save(table)

    def spawn(self, key: str, argv: list[str], log: Path | None = None) -> ProcRecord:
        """Start ``argv`` in its own session (Ctrl-C of a shell does not reach it)."""
        out = open(log, "ab") if log else subprocess.DEVNULL  # noqa: SIM115
        try:
            proc = subprocess.Popen(
                argv,
                stdin=subprocess.DEVNULL,
                stdout=out,
                stderr=subprocess.STDOUT,
                start_new_session=True,
                close_fds=True,
            )
        finally:
            if log:
                out.close()  # type: ignore[union-attr]
        self._popen[proc.pid] = proc
        return self.add(key, proc.pid)

    def signal(self, key: str, sig: int) -> bool:
        """Send ``sig`` to the recorded process ``key`` if it is still ours."""
        rec = self.load().get(key)
        if rec is None or not alive(rec):
            return False
        os.kill(rec.pid, sig)
        return True

    def reap(self) -> None:
        """Collect exit statuses of our children so they do not linger as zombies."""
        for pid, proc in list(self._popen.items()):
            if proc.poll() is not None:
                del self._popen[pid]

    def wait_gone(self, recs: list[ProcRecord], timeout: float) -> list[ProcRecord]:
        """Wait until the processes have exited; return those still running."""
        deadline = time.monotonic() + timeout
        while True:
            self.reap()
            left = [r for r in recs if alive(r)]
            if not left or time.monotonic() >= deadline:
                return left
            time.sleep(0.05)

    def stop(self, key: str, *, timeout: float = 5.0) -> None:
        """SIGTERM the process ``key``, SIGKILL it if it does not exit, forget it."""
        rec = self.load().get(key)
        if rec is not None:
            stop_all([rec], self, timeout=timeout)
        self.drop(key)


def stop_all(recs: list[ProcRecord], table: ProcTable, *, timeout: float = 5.0) -> None:
    """Terminate the given processes (TERM, then KILL after ``timeout``)."""
    for rec in recs:
        if alive(rec):
            os.kill(rec.pid, signal.SIGTERM)
    for rec in table.wait_gone(recs, timeout):
        if alive(rec):
            os.kill(rec.pid, signal.SIGKILL)
    table.wait_gone(recs, 2.0)


def read_pidfile(path: Path) -> int | None:
    """The PID in a daemon's pid file, or None."""
    try:
        return int(path.read_text().split()[0])
    except (OSError, ValueError, IndexError):
        return None
