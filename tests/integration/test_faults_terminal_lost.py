"""The console leaves when its terminal is gone, even without a SIGHUP.

Started in its own session on a pty it does not own as controlling terminal (as
``runuser``/``setsid`` leave it), vrrptop gets no SIGHUP when the pty's master side
closes; before ``vrrptop.ui.terminal`` it then spun on the hung-up tty for ever
(a leftover console burnt 93 % of a core for an hour). Control: while the pty is
open, the console keeps running.
"""

from __future__ import annotations

import fcntl
import os
import pty
import struct
import subprocess
import sys
import termios
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parents[2]


def _start() -> tuple[subprocess.Popen[bytes], int]:
    master, slave = pty.openpty()
    fcntl.ioctl(slave, termios.TIOCSWINSZ, struct.pack("HHHH", 24, 80, 0, 0))
    env = {**os.environ, "TERM": "xterm-256color", "PYTHONPATH": str(ROOT)}
    proc = subprocess.Popen(
        [sys.executable, "-m", "vrrptop", "--demo", "--no-probe"],
        stdin=slave, stdout=slave, stderr=slave, cwd=ROOT, env=env,
        start_new_session=True,  # its own session: the pty is not its controlling tty
    )  # fmt: skip
    os.close(slave)
    return proc, master


def _drain(master: int, seconds: float) -> bytes:
    out = b""
    end = time.monotonic() + seconds
    os.set_blocking(master, False)
    while time.monotonic() < end:
        try:
            out += os.read(master, 65536)
        except BlockingIOError:
            time.sleep(0.05)
        except OSError:
            break
    return out


def test_console_exits_when_its_terminal_is_gone() -> None:
    proc, master = _start()
    try:
        screen = _drain(master, 20.0)
        assert proc.poll() is None, screen[-2000:]  # control: running while the pty is open
        assert b"vrrptop" in screen
        os.close(master)  # the terminal goes away; nobody sends SIGHUP
        master = -1
        assert proc.wait(timeout=15) == 129
    finally:
        if master >= 0:
            os.close(master)
        if proc.poll() is None:
            proc.kill()
            proc.wait(5)
