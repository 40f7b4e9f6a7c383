"""Read the local keepalived every few seconds on a thread of its own.

Signalling keepalived and waiting for its files takes up to a couple of seconds; that
must never happen on the capture path nor in the console, so a daemon thread does it
and publishes an immutable ``NodeState`` (``latest``), which the monitor attaches to
each snapshot. ``on_change`` hears of instances whose state, priorities, master,
scripts or error counters changed (not the advert counters, which move every second).
A keepalived that restarts is found again through its pid file.
"""

from __future__ import annotations

import threading
import time
from collections.abc import Callable
from dataclasses import replace
from pathlib import Path

from vrrptop.keepalived import conf as kaconf
from vrrptop.keepalived.dumps import DumpError
from vrrptop.keepalived.locate import DEFAULT_PIDFILE, Keepalived, NotKeepalived, find, signals
from vrrptop.keepalived.reader import DumpReader
from vrrptop.model.node import ERROR_COUNTERS, LocalInstance, NodeState

READ_INTERVAL_S = 5.0
"""How often keepalived is asked: a dump costs it little, but it is another process
and it logs a line for each (see ``reader``)."""

ChangeCallback = Callable[[NodeState, tuple[LocalInstance, ...]], None]


def significant(inst: LocalInstance) -> tuple[object, ...]:
    """What a ``{"type": "keepalived"}`` line is written for when it changes."""
    return (
        inst.state,
        inst.base_priority,
        inst.effective_priority,
        inst.master,
        tuple((s.name, s.ok, s.weight) for s in inst.scripts),
        tuple(inst.counter(key) for key, _label in ERROR_COUNTERS),
    )


def changed(old: NodeState | None, new: NodeState) -> tuple[LocalInstance, ...]:
    """The instances of ``new`` that differ significantly from ``old`` (all at first)."""
    before = {i.name: significant(i) for i in old.instances} if old is not None else {}
    return tuple(i for i in new.instances if before.get(i.name) != significant(i))


class KeepalivedPoller:
    """Owns the thread; ``latest`` is safe to read from any thread."""

    def __init__(
        self,
        pidfile: Path = DEFAULT_PIDFILE,
        *,
        interval: float = READ_INTERVAL_S,
        on_change: ChangeCallback | None = None,
        clock: Callable[[], float] = time.time,
    ) -> None:
        self.pidfile = pidfile
        self.interval = interval
        self.on_change = on_change
        self.clock = clock
        self.latest: NodeState | None = None
        self._ka: Keepalived | None = None
        self._reader: DumpReader | None = None
        self._conf: kaconf.ConfRead | None = None
        self._names: tuple[str, ...] = ()
        self._stop = threading.Event()
        self._thread: threading.Thread | None = None

    def start(self) -> None:
        """Start reading (first read at once)."""
        self._thread = threading.Thread(target=self._run, name="keepalived", daemon=True)
        self._thread.start()

    def stop(self) -> None:
        """Stop the thread (it may be waiting for a dump: at most its timeout)."""
        self._stop.set()
        if self._thread is not None:
            self._thread.join(3.0)

    def _run(self) -> None:
        while not self._stop.is_set():
            self.poll()
            self._stop.wait(self.interval)

    def _connect(self) -> DumpReader:
        if self._reader is None or self._ka is None or not self._ka.alive():
            ka = find(self.pidfile)
            self._ka, self._reader, self._conf = ka, DumpReader(ka, signals(ka)), None
        return self._reader

    def poll(self) -> NodeState:
        """One read (the thread's step; tests call it directly). Never raises."""
        now = self.clock()
        try:
            reader = self._connect()
            state = reader.read(now)
        except NotKeepalived as exc:
            self._ka = self._reader = None
            state = NodeState(ts=now, pid=0, error=str(exc))
        except (DumpError, OSError) as exc:
            old = self.latest
            pid = self._ka.pid if self._ka is not None else 0
            message = str(exc) if isinstance(exc, DumpError) else f"keepalived: {exc}"
            state = replace(old, ts=now, error=message) if old else NodeState(now, pid)
            state = replace(state, error=message)
            self.latest = state
            return state
        if self._ka is not None and state.instances:
            names = tuple(i.name for i in state.instances)
            if self._conf is None or names != self._names:
                self._conf, self._names = kaconf.read_conf(self._ka), names
            state = replace(
                state,
                config_files=self._conf.files,
                findings=kaconf.summary(self._conf, state.instances),
            )
        old, self.latest = self.latest, state
        fresh = changed(old, state)
        if self.on_change is not None and (fresh or (old is not None and old.error != state.error)):
            self.on_change(state, fresh)
        return state
