"""The asyncio probe scheduler: every target probed every ``interval`` seconds.

One task per target runs a fixed-rate schedule (slot k at ``phase + k*interval``),
with a random phase so the targets' probes are spread over the interval instead
of bursting together. A probe holds a slot of a semaphore while in flight. There
are three semaphores: targets whose last probe was ok, targets whose last probe
failed, and targets not probed yet; so a crowd of black-holed servers (each
holding a slot until the timeout) can never delay the servers that answer, nor
the first probe of a new target.
Probes run as their own tasks, so a slow probe never shifts its target's schedule;
a target has at most two in flight (timeout >= interval), further slots are skipped.

Everything here runs on one event loop thread (see ``ProbeRunner`` for the thread).
"""

from __future__ import annotations

import asyncio
import logging
import math
import random
from collections import deque
from collections.abc import Awaitable, Callable, Iterable
from dataclasses import dataclass, field

from vrrptop.probe.board import HealthBoard
from vrrptop.probe.config import ProbeConfig
from vrrptop.probe.query import probe_once
from vrrptop.probe.types import ProbeResult, ProbeTarget

log = logging.getLogger(__name__)

ProbeFn = Callable[[ProbeTarget, ProbeConfig], Awaitable[ProbeResult]]
ResultCallback = Callable[[ProbeResult], None]

MAX_INFLIGHT_PER_TARGET = 2
"""A slot is skipped when the target still has this many probes in flight."""

LAG_SAMPLES = 8192
"""Schedule-lag samples kept per ring. They were 100,000: four rings of 100,000
floats (~13 MB) filled over the first minutes of 500 black-holed targets, which
is most of the growth measured in issue 17 (72 -> 96 MB, slowing as they filled)."""

_POOL_NAMES: dict[bool | None, str] = {True: "answering", False: "failing", None: "new"}


@dataclass(slots=True)
class ProbeStats:
    """Counters of the scheduler itself (for benchmarks and diagnostics)."""

    started: int = 0
    completed: int = 0
    skipped_slots: int = 0
    """Slots not probed because the previous probe of the target overran."""
    errors: int = 0
    """Unexpected exceptions in a probe (logged; the loop continues)."""
    callback_errors: int = 0
    """Exceptions raised by ``on_result`` (logged; the loop continues)."""
    lags: deque[float] = field(default_factory=lambda: deque(maxlen=LAG_SAMPLES))
    """Seconds between a slot's scheduled time and the query actually starting
    (the latest ``LAG_SAMPLES``: enough for percentiles, small enough that a long run
    with hundreds of targets stays flat)."""
    pool_lags: dict[str, deque[float]] = field(default_factory=dict)
    """The same per pool: "answering", "failing", "new"."""
    lag_max: float = 0.0
    """The largest lag of the whole run."""

    def record_lag(self, pool: str, lag: float) -> None:
        """Remember one probe's schedule lag."""
        self.lags.append(lag)
        if lag > self.lag_max:
            self.lag_max = lag
        ring = self.pool_lags.get(pool)
        if ring is None:
            ring = self.pool_lags[pool] = deque(maxlen=LAG_SAMPLES)
        ring.append(lag)


class Prober:
    """Probe a changing set of targets forever; never raises out of its tasks.

    ``on_result`` is called on the loop thread for every result, after the board
    has been updated; it must be quick (hand the result to another thread).
    ``probe`` is the probe coroutine (``probe_once``), replaceable in tests.
    """

    def __init__(
        self,
        config: ProbeConfig,
        on_result: ResultCallback | None = None,
        *,
        board: HealthBoard | None = None,
        probe: ProbeFn = probe_once,
        rng: random.Random | None = None,
    ) -> None:
        self.config = config
        self.on_result = on_result
        self.board = board if board is not None else HealthBoard(config.history)
        self.stats = ProbeStats()
        self._probe = probe
        self._rng = rng or random.Random()
        self._targets: dict[tuple[str, int], ProbeTarget] = {}
        self._tasks: dict[tuple[str, int], asyncio.Task[None]] = {}
        self._pools: dict[bool | None, asyncio.Semaphore] = {}
        self._closed = False

    @property
    def targets(self) -> tuple[ProbeTarget, ...]:
        """Targets currently scheduled."""
        return tuple(self._targets.values())

    def set_targets(self, targets: Iterable[ProbeTarget]) -> None:
        """Probe exactly these targets from now on (loop thread, loop running).

        New targets start at a random point of the next interval; removed ones are
        cancelled (an in-flight probe is abandoned, its socket closed); known ones
        keep their schedule and history.
        """
        if self._closed:
            return
        wanted = {t.key: t for t in targets}
        self.board.set_targets(wanted.values())
        for key in list(self._tasks):
            if key not in wanted:
                self._tasks.pop(key).cancel()
                self._targets.pop(key, None)
        for key, target in wanted.items():
            self._targets[key] = target
            if key not in self._tasks:
                phase = self._rng.uniform(0.0, self.config.interval)
                task = asyncio.get_running_loop().create_task(
                    self._target_loop(key, phase), name=f"probe {key[0]} {key[1]}"
                )
                self._tasks[key] = task

    async def aclose(self) -> None:
        """Cancel every probe and wait until they are gone (sockets closed)."""
        self._closed = True
        tasks = list(self._tasks.values())
        self._tasks.clear()
        for task in tasks:
            task.cancel()
        if tasks:
            await asyncio.gather(*tasks, return_exceptions=True)

    def _pool(self, key: tuple[str, int]) -> tuple[str, asyncio.Semaphore]:
        # Keyed by the last probe's outcome: True ok, False failed, None not yet.
        # Created lazily so they belong to the running loop.
        standing = self.board.standing(key)
        pool = self._pools.get(standing)
        if pool is None:
            pool = self._pools[standing] = asyncio.Semaphore(self.config.max_concurrency)
        return _POOL_NAMES[standing], pool

    async def _target_loop(self, key: tuple[str, int], phase: float) -> None:
        loop = asyncio.get_running_loop()
        interval = self.config.interval
        inflight: set[asyncio.Task[None]] = set()
        due = loop.time() + phase
        try:
            while True:
                delay = due - loop.time()
                if delay > 0:
                    await asyncio.sleep(delay)
                # The probe runs as its own task so a slow one never shifts the
                # schedule; with timeout >= interval two may overlap briefly.
                if len(inflight) < MAX_INFLIGHT_PER_TARGET:
                    task = loop.create_task(self._probe_slot(key, due))
                    inflight.add(task)
                    task.add_done_callback(inflight.discard)
                else:
                    self.stats.skipped_slots += 1
                due += interval
                late = loop.time() - due
                if late > interval:  # the loop itself stalled: do not burst to catch up
                    missed = math.floor(late / interval)
                    self.stats.skipped_slots += missed
                    due += missed * interval
        finally:
            for task in inflight:
                task.cancel()
            if inflight:
                await asyncio.gather(*inflight, return_exceptions=True)

    async def _probe_slot(self, key: tuple[str, int], due: float) -> None:
        try:
            result = await self._run_probe(key, due)
        except asyncio.CancelledError:
            raise
        except Exception:  # the schedule must survive anything
            self.stats.errors += 1
            log.exception("probe of %s port %s failed unexpectedly", *key)
            return
        if result is None or key not in self._targets:
            return  # removed while in flight
        self.stats.completed += 1
        self.board.record(result)
        if self.on_result is not None:
            try:
                self.on_result(result)
            except Exception:
                self.stats.callback_errors += 1
                if self.stats.callback_errors == 1 or log.isEnabledFor(logging.DEBUG):
                    log.exception("probe result callback failed (later failures: debug log)")

    async def _run_probe(self, key: tuple[str, int], due: float) -> ProbeResult | None:
        target = self._targets.get(key)
        if target is None:
            return None
        name, pool = self._pool(key)
        async with pool:
            self.stats.record_lag(name, asyncio.get_running_loop().time() - due)
            self.stats.started += 1
            return await self._probe(target, self.config)
