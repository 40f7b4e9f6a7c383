"""Find the local keepalived: its pid file, its process, its binary and its signals.

A pid file can be stale and a pid reused: only a live process whose name is
``keepalived`` and that runs as root is ever signalled, and only its binary is ever
run (``--keepalived-pid`` may name a file another user can write: vrrptop, as root,
must not be made to signal or run their process). The signal numbers are a build choice (``SIGJSON``
exists only with ``--enable-json``), so the running binary is asked
(``keepalived --signum=JSON``) rather than assumed; SIGUSR1/SIGUSR2 are the data and
stats dumps' defaults. keepalived writes its dumps in *its* /tmp, which under systemd's
``PrivateTmp`` or in a container is not ours: it is reached as ``/proc/PID/root/tmp``.
"""

from __future__ import annotations

import os
import shlex
import signal
import subprocess
from dataclasses import dataclass
from pathlib import Path

DEFAULT_PIDFILE = Path("/run/keepalived.pid")
DEFAULT_CONF = Path("/etc/keepalived/keepalived.conf")
SIGNUM_TIMEOUT_S = 2.0


class NotKeepalived(Exception):
    """No usable keepalived behind the pid file (one line: why)."""


@dataclass(frozen=True, slots=True)
class Signals:
    """The signal numbers of this keepalived build (``json`` None: no JSON dump)."""

    json: int | None
    data: int
    stats: int


@dataclass(frozen=True, slots=True)
class Keepalived:
    """A running keepalived found through its pid file."""

    pid: int
    pidfile: Path
    argv: tuple[str, ...]
    exe: str | None
    tmp_dir: Path | None = None
    """Where its dumps appear, when not its /tmp (tests)."""

    @property
    def root(self) -> Path:
        """Its root directory as seen from here (``/proc/PID/root``)."""
        return Path(f"/proc/{self.pid}/root")

    @property
    def tmp(self) -> Path:
        """Where its dumps appear: its own /tmp, through its root."""
        return self.tmp_dir or self.root / "tmp"

    def alive(self) -> bool:
        """Still the same keepalived (not exited, pid not reused)."""
        return _comm(self.pid) == "keepalived"

    def config_path(self) -> Path:
        """The keepalived.conf it reads (``-f`` / ``--use-file``, else the default)."""
        return config_from_argv(self.argv)

    def config_id(self) -> str | None:
        """``-i`` / ``--config-id`` (for ``@id`` lines), or None (the node name)."""
        return option_value(self.argv, "-i", "--config-id")

    def same_root(self) -> bool:
        """True when it sees the same / as we do (no container, no chroot)."""
        try:
            mine, its = os.stat("/"), os.stat(self.root)
        except OSError:
            return True
        return (mine.st_dev, mine.st_ino) == (its.st_dev, its.st_ino)


def _comm(pid: int) -> str | None:
    try:
        return Path(f"/proc/{pid}/comm").read_text().strip()
    except OSError:
        return None


def _uid(pid: int) -> int | None:
    """The real uid of ``pid`` (``/proc/PID/status``), None when unreadable."""
    try:
        for line in Path(f"/proc/{pid}/status").read_text().splitlines():
            if line.startswith("Uid:"):
                return int(line.split()[1])
    except (OSError, ValueError, IndexError):
        return None
    return None


def option_value(argv: tuple[str, ...], short: str, long: str) -> str | None:
    """The value of ``-x V`` / ``-xV`` / ``--long=V`` / ``--long V`` in ``argv``."""
    for i, arg in enumerate(argv[1:], 1):
        if arg in (short, long) and i + 1 < len(argv):
            return argv[i + 1]
        if arg.startswith(long + "="):
            return arg.split("=", 1)[1]
        if arg.startswith(short) and not arg.startswith("--") and len(arg) > len(short):
            return arg[len(short) :]
    return None


def config_from_argv(argv: tuple[str, ...]) -> Path:
    """keepalived's configuration file from its command line."""
    value = option_value(argv, "-f", "--use-file")
    return Path(value) if value else DEFAULT_CONF


def read_pidfile(path: Path) -> int:
    """The pid in ``path``; NotKeepalived when it is absent, unreadable or not a pid."""
    try:
        text = path.read_text().strip()
    except FileNotFoundError:
        raise NotKeepalived(f"no keepalived pid file {path}") from None
    except OSError as exc:
        raise NotKeepalived(f"cannot read {path}: {exc.strerror or exc}") from None
    if not text.isdigit():
        raise NotKeepalived(f"{path} does not hold a pid ({text[:20]!r})")
    return int(text)


def find(pidfile: Path = DEFAULT_PIDFILE) -> Keepalived:
    """The keepalived behind ``pidfile``; NotKeepalived (with the reason) otherwise."""
    pid = read_pidfile(pidfile)
    comm = _comm(pid)
    if comm is None:
        raise NotKeepalived(f"{pidfile}: keepalived (pid {pid}) is not running")
    if comm != "keepalived":
        raise NotKeepalived(f"{pidfile}: pid {pid} is {comm!r}, not keepalived (stale pid file)")
    owner = _uid(pid)
    if owner != 0:
        raise NotKeepalived(f"{pidfile}: pid {pid} runs as uid {owner}, not root: not signalled")
    try:
        raw = Path(f"/proc/{pid}/cmdline").read_bytes()
        argv = tuple(a.decode(errors="replace") for a in raw.split(b"\0") if a)
    except OSError:
        argv = ("keepalived",)
    try:
        exe: str | None = os.readlink(f"/proc/{pid}/exe")
    except OSError:
        exe = None
    return Keepalived(pid, pidfile, argv, exe)


def _ask_signum(binary: str, name: str) -> int | None:
    try:
        out = subprocess.run(
            [binary, f"--signum={name}"],
            capture_output=True,
            text=True,
            timeout=SIGNUM_TIMEOUT_S,
            check=False,
        )
    except (OSError, subprocess.SubprocessError):
        return None
    text = out.stdout.strip()
    return int(text) if out.returncode == 0 and text.isdigit() else None


def signals(ka: Keepalived) -> Signals:
    """Ask the running binary (then ``keepalived`` on PATH) for its signal numbers."""
    candidates = [c for c in (f"/proc/{ka.pid}/exe", ka.exe, "keepalived") if c]
    for binary in candidates:
        data = _ask_signum(binary, "DATA")
        if data is None:
            continue
        stats = _ask_signum(binary, "STATS") or int(signal.SIGUSR2)
        return Signals(_ask_signum(binary, "JSON"), data, stats)
    return Signals(None, int(signal.SIGUSR1), int(signal.SIGUSR2))


def describe(ka: Keepalived) -> str:
    """``keepalived pid 3445 (keepalived -f /etc/keepalived/keepalived.conf)``."""
    return f"keepalived pid {ka.pid} ({shlex.join(ka.argv)[:120]})"


def choose(pidfile: Path | None, *, off: bool, live: bool, root: bool) -> tuple[Path | None, str]:
    """Whether to read the local keepalived: (pid file or None, a line saying why not).

    On by default only when live, as root, with a pid file; an explicit
    ``--keepalived-pid`` that cannot be used is said, the default silently skipped
    unless a keepalived runs that only root may ask."""
    if off or not live:
        return None, ""
    path = pidfile or DEFAULT_PIDFILE
    if not root:
        if pidfile is not None or path.exists():
            return None, (f"keepalived's own state ({path}) is read only as root "
                          "(vrrptop signals it for its dumps); not shown")  # fmt: skip
        return None, ""
    if not path.exists():
        if pidfile is not None:
            return None, f"--keepalived-pid {path}: no such file; keepalived's state not shown"
        return None, ""
    return path, ""
