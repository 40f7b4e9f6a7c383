"""Run the prober on its own event loop in a daemon thread.

The capture engine and the Textual UI have their own loops/threads; DNS work must
never run on them (a slow resolver would freeze the table). ``ProbeRunner`` owns a
private asyncio loop; every public method is safe to call from any thread.
"""

from __future__ import annotations

import asyncio
import contextlib
import logging
import threading
from collections.abc import Iterable

from vrrptop.options import Options
from vrrptop.probe.board import HealthBoard
from vrrptop.probe.config import DnsSettings, ProbeConfig
from vrrptop.probe.prober import ProbeFn, Prober, ProbeStats, ResultCallback
from vrrptop.probe.query import probe_once
from vrrptop.probe.types import ProbeTarget

log = logging.getLogger(__name__)


class ProbeRunner:
    """Thread wrapper around ``Prober``: ``start()``, ``set_targets()``, ``stop()``.

    A stopped runner cannot be started again; make a new one.

    ``on_result`` is called on the probe thread for every result; it must only
    hand the result over (e.g. ``app.call_from_thread`` / ``post_message`` or a
    queue). Exceptions it raises are logged and ignored.
    """

    def __init__(
        self,
        config: ProbeConfig,
        on_result: ResultCallback | None = None,
        *,
        targets: Iterable[ProbeTarget] = (),
        probe: ProbeFn = probe_once,
    ) -> None:
        self.config = config
        self.board = HealthBoard(config.history)
        """Per-target health, readable from any thread."""
        self._prober = Prober(config, on_result, board=self.board, probe=probe)
        self._lock = threading.Lock()
        self._targets: list[ProbeTarget] = list(targets)
        self._loop: asyncio.AbstractEventLoop | None = None
        self._stop_event: asyncio.Event | None = None
        self._thread: threading.Thread | None = None
        self._ready = threading.Event()

    @classmethod
    def from_options(
        cls,
        options: Options,
        on_result: ResultCallback | None = None,
        *,
        dns: DnsSettings | None = None,
    ) -> ProbeRunner:
        """A runner configured from the run options (``--query``, ``--expect``...)
        and the config file's ``[dns]`` table (see ``ProbeConfig.from_options``)."""
        config = ProbeConfig.from_options(options, dns=dns)
        return cls(config, on_result)

    @property
    def stats(self) -> ProbeStats:
        """Scheduler counters (read-only use; updated on the probe thread)."""
        return self._prober.stats

    @property
    def running(self) -> bool:
        """True between ``start()`` and the end of ``stop()``."""
        return self._thread is not None and self._thread.is_alive()

    @property
    def targets(self) -> tuple[ProbeTarget, ...]:
        """The targets last given to ``set_targets`` (or the constructor)."""
        with self._lock:
            return tuple(self._targets)

    def start(self) -> None:
        """Start the probe thread (idempotent); returns once the loop runs."""
        with self._lock:
            if self._thread is not None:
                return
            self._thread = threading.Thread(target=self._thread_main, name="vrrptop-probe")
            self._thread.daemon = True
            self._thread.start()
        self._ready.wait(timeout=5.0)

    def set_targets(self, targets: Iterable[ProbeTarget]) -> None:
        """Probe exactly these targets from now on; any thread, any time (cheap
        when nothing changed, so it can follow every snapshot)."""
        wanted = list(targets)
        with self._lock:
            if wanted == self._targets:
                return
            self._targets = wanted
            loop = self._loop
        if loop is not None:
            with contextlib.suppress(RuntimeError):  # loop already closed: stopping
                loop.call_soon_threadsafe(self._apply_targets)

    def stop(self, timeout: float = 2.0) -> None:
        """Cancel every probe, close sockets and join the thread (idempotent)."""
        with self._lock:
            thread, loop, stop_event = self._thread, self._loop, self._stop_event
        if thread is None:
            return
        if loop is not None and stop_event is not None:
            with contextlib.suppress(RuntimeError):  # loop already closed
                loop.call_soon_threadsafe(stop_event.set)
        thread.join(timeout)
        if thread.is_alive():
            log.warning("probe thread did not stop within %.1f s", timeout)

    def _apply_targets(self) -> None:
        with self._lock:
            targets = list(self._targets)
        self._prober.set_targets(targets)

    def _thread_main(self) -> None:
        try:
            asyncio.run(self._main())
        except Exception:  # never let the thread die silently
            log.exception("probe thread crashed")
        finally:
            self._ready.set()

    async def _main(self) -> None:
        stop_event = asyncio.Event()
        with self._lock:
            self._loop = asyncio.get_running_loop()
            self._stop_event = stop_event
        self._apply_targets()
        self._ready.set()
        try:
            await stop_event.wait()
        finally:
            await self._prober.aclose()
            with self._lock:
                self._loop = None
