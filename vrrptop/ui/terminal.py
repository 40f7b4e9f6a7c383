"""Leave when the terminal is gone, even if nobody says so.

A console normally dies with its terminal: the kernel sends SIGHUP to the
terminal's session. Not always: started through ``runuser``/``su`` (their own
session, a leader that does not pass SIGHUP on) or ``setsid``, vrrptop outlives a
closed ssh or tmux window, and Textual's input thread then reads a hung-up tty in a
loop -- measured: a leftover ``vrrptop --demo`` burning 93 % of a core for an hour.
Once a second the console checks that its terminal still answers and exits as a
hang-up would (status 129, 128 + SIGHUP).
"""

from __future__ import annotations

import os
import sys
from typing import Any

from textual.app import App

#: Exit status on a lost terminal: what a shell reports for a SIGHUP death.
EXIT_TERMINAL_LOST = 129


def terminal_alive(fd: int) -> bool:
    """True while ``fd`` is a terminal that answers (a hung-up pty fails both)."""
    try:
        os.get_terminal_size(fd)
    except OSError:
        return False
    return os.isatty(fd)


def watch_terminal(app: App[Any], every: float = 1.0) -> None:
    """Exit ``app`` once its terminal stops answering (checked every ``every`` s).
    Does nothing when the console does not draw on a terminal (tests, headless)."""
    stream = sys.__stdout__
    if stream is None:
        return
    try:
        fd = stream.fileno()
    except (OSError, ValueError):
        return
    if not terminal_alive(fd):
        return  # not on a terminal now: nothing to lose

    def check() -> None:
        if not terminal_alive(fd):
            app.exit(EXIT_TERMINAL_LOST, return_code=EXIT_TERMINAL_LOST)

    app.set_interval(every, check, name="terminal-watch")
