"""Progress of a long replay on the terminal's stderr (``-r big.pcap --report``).

A replay of a large file with ``--report`` or ``--json`` printed nothing for
minutes. This draws rich's progress bar (bytes read of the file, rate, time left)
on stderr, only when stderr is a terminal, never into piped or redirected output,
and only once the replay has run for a second (a short file shows nothing). It
is transient: the bar is erased when the replay ends, so the report is clean.
"""

from __future__ import annotations

import sys
import threading
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from typing import IO

#: A replay shorter than this shows no bar.
DELAY_S = 1.0
_REFRESH_S = 0.2

Position = Callable[[], tuple[int, int]]
"""Bytes read so far and the file's size."""


@contextmanager
def replay_progress(
    position: Position, name: str, stream: IO[str] | None = None, *, delay: float = DELAY_S
) -> Iterator[None]:
    """Show the replay's progress on ``stream`` (stderr) while the body runs."""
    out = stream if stream is not None else sys.stderr
    if not out.isatty():
        yield
        return
    done = threading.Event()
    thread = threading.Thread(
        target=_draw, args=(position, name, out, delay, done), name="progress", daemon=True
    )
    thread.start()
    try:
        yield
    finally:
        done.set()
        thread.join(2.0)


def _draw(position: Position, name: str, out: IO[str], delay: float, done: threading.Event) -> None:
    if done.wait(delay):
        return
    from rich.console import Console
    from rich.progress import (
        BarColumn,
        DownloadColumn,
        Progress,
        TextColumn,
        TimeRemainingColumn,
        TransferSpeedColumn,
    )

    console = Console(file=out, stderr=True)
    columns = (
        TextColumn("[bold]{task.description}"),
        BarColumn(),
        DownloadColumn(),
        TransferSpeedColumn(),
        TimeRemainingColumn(),
    )
    with Progress(*columns, console=console, transient=True) as progress:
        read, total = position()
        task = progress.add_task(f"reading {name}", total=total or None, completed=read)
        while not done.wait(_REFRESH_S):
            read, total = position()
            progress.update(task, completed=read, total=total or None)
