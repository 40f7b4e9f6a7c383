"""The probe scheduler and its thread wrapper, against the in-process DNS server."""

from __future__ import annotations

import asyncio
import os
import threading
import time
from collections import Counter

import pytest
from probe_dns_server import DnsTestServer

from vrrptop.probe import (
    HealthBoard,
    ProbeConfig,
    Prober,
    ProbeResult,
    ProbeRunner,
    ProbeTarget,
    parse_query,
    probe_once,
)


def _config(**kw: object) -> ProbeConfig:
    base: dict[str, object] = {
        "query": parse_query("probe.test/TXT"),
        "expect": "test",
        "interval": 0.1,
        "timeout": 0.5,
    }
    base.update(kw)
    return ProbeConfig(**base)  # type: ignore[arg-type]


def _target(server: DnsTestServer, role: str = "host") -> ProbeTarget:
    return ProbeTarget(server.host, role, f"srv{server.port}", server.port)  # type: ignore[arg-type]


async def _wait_for(predicate: object, limit: float = 5.0) -> None:
    deadline = time.monotonic() + limit
    while not predicate():  # type: ignore[operator]
        if time.monotonic() > deadline:
            raise AssertionError("condition not reached")
        await asyncio.sleep(0.01)


async def test_black_hole_does_not_delay_an_answering_server() -> None:
    # One slot per pool and black holes whose probes hold their slot for 30 s:
    # if they shared the good server's pool, it would get no probe after they come.
    results: list[ProbeResult] = []
    async with (
        DnsTestServer(behaviour="answer") as good,
        DnsTestServer(behaviour="silent") as hole,
        DnsTestServer(behaviour="silent") as hole2,
    ):
        prober = Prober(_config(max_concurrency=1, timeout=30.0), results.append)
        prober.set_targets([_target(good)])
        await _wait_for(lambda: len(results) >= 1)
        prober.set_targets([_target(good), _target(hole), _target(hole2)])
        await _wait_for(lambda: hole.udp_queries + hole2.udp_queries >= 1)
        cut = len(results)
        await _wait_for(lambda: len(results) >= cut + 6)
        await prober.aclose()
    assert all(r.ok and r.target.port == good.port for r in results)
    assert hole.udp_queries + hole2.udp_queries <= 4  # 2 in flight each, at most


async def test_set_targets_while_running_adds_and_removes() -> None:
    results: list[ProbeResult] = []
    async with DnsTestServer() as first, DnsTestServer() as second:
        prober = Prober(_config(), results.append)
        prober.set_targets([_target(first)])
        await _wait_for(lambda: len(results) >= 2)
        prober.set_targets([_target(second)])
        assert prober.board.get(first.host, first.port) is None
        cut = len(results)
        await _wait_for(lambda: sum(r.target.port == second.port for r in results) >= 3)
        await prober.aclose()
    assert {r.target.port for r in results[:cut]} == {first.port}
    late = results[cut:]
    # at most a probe already in flight at the switch may still complete, and is dropped
    assert all(r.target.port == second.port for r in late)
    assert [t.port for t in prober.targets] == [second.port]


async def test_known_target_keeps_history_when_its_role_changes() -> None:
    async with DnsTestServer() as server:
        prober = Prober(_config())
        prober.set_targets([_target(server, "host")])
        await _wait_for(lambda: (h := prober.board.get(server.host, server.port)) and h.probes >= 2)
        prober.set_targets([_target(server, "vip")])
        health = prober.board.get(server.host, server.port)
        await prober.aclose()
    assert health is not None and health.probes >= 2
    assert health.target.role == "vip"


async def test_loop_survives_exceptions_in_on_result_and_in_probe() -> None:
    calls = Counter[str]()

    def on_result(result: ProbeResult) -> None:
        calls["callback"] += 1
        raise RuntimeError("consumer bug")

    async def flaky_probe(target: ProbeTarget, config: ProbeConfig) -> ProbeResult:
        calls["probe"] += 1
        if calls["probe"] % 2:
            raise ValueError("probe bug")
        return await probe_once(target, config)

    async with DnsTestServer() as server:
        prober = Prober(_config(), on_result, probe=flaky_probe)
        prober.set_targets([_target(server)])
        await _wait_for(lambda: calls["callback"] >= 3)
        await prober.aclose()
    assert prober.stats.callback_errors == calls["callback"]
    assert prober.stats.errors >= 3
    health = prober.board.get(server.host, server.port)
    assert health is not None and health.ok


async def test_board_tracks_failures_and_recovery() -> None:
    async with DnsTestServer(behaviour="servfail") as server:
        prober = Prober(_config())
        prober.set_targets([_target(server)])
        key = (server.host, server.port)
        await _wait_for(lambda: prober.board.snapshot()[key].consecutive_failures >= 3)
        failing = prober.board.snapshot()[key]
        server.behaviour = "answer"
        await _wait_for(lambda: prober.board.snapshot()[key].ok)
        recovered = prober.board.snapshot()[key]
        await prober.aclose()
    assert failing.status == "rcode" and failing.ok_since is None
    assert failing.failing_since is not None
    assert recovered.consecutive_failures == 0 and recovered.ok_since is not None
    assert recovered.failing_since is None
    lat = recovered.latencies
    assert lat[-1] is not None and None in lat  # failures leave gaps in the sparkline


async def test_first_probes_are_spread_over_the_interval() -> None:
    # 20 targets, interval 1 s: their first probes must not all start together.
    starts: list[float] = []

    async def record(target: ProbeTarget, config: ProbeConfig) -> ProbeResult:
        starts.append(asyncio.get_running_loop().time())
        return ProbeResult(time.time(), target, True, "ok", "NOERROR", 1.0, "", "fake")

    prober = Prober(_config(interval=1.0), probe=record)
    prober.set_targets([ProbeTarget(f"198.51.100.{i}", "host") for i in range(1, 21)])
    await _wait_for(lambda: len(starts) >= 20)
    await prober.aclose()
    assert max(starts[:20]) - min(starts[:20]) > 0.3


def _open_fds() -> int:
    return len(os.listdir("/proc/self/fd"))


@pytest.mark.skipif(not os.path.isdir("/proc/self/fd"), reason="needs /proc")
def test_runner_thread_stop_is_prompt_and_closes_sockets() -> None:
    got = threading.Event()
    results: list[ProbeResult] = []

    def on_result(result: ProbeResult) -> None:
        results.append(result)
        got.set()

    server_loop = asyncio.new_event_loop()
    server_thread = threading.Thread(target=server_loop.run_forever, daemon=True)
    server_thread.start()
    try:
        good = asyncio.run_coroutine_threadsafe(DnsTestServer().start(), server_loop).result(5)
        holes = [
            asyncio.run_coroutine_threadsafe(
                DnsTestServer(behaviour="silent").start(), server_loop
            ).result(5)
            for _ in range(5)
        ]
        before = _open_fds()
        # Probe timeout 60 s: only cancellation can end the black-holed probes.
        runner = ProbeRunner(_config(timeout=60.0, interval=0.05), on_result)
        runner.start()
        runner.set_targets([_target(good)] + [_target(h) for h in holes])
        assert got.wait(5)
        deadline = time.monotonic() + 5
        while sum(h.udp_queries for h in holes) < 5 and time.monotonic() < deadline:
            time.sleep(0.01)
        assert _open_fds() > before  # probes in flight hold sockets
        runner.stop(timeout=10.0)
        assert not runner.running
        assert _open_fds() <= before
        assert runner.board.get(good.host, good.port) is not None
        assert all(r.target.port == good.port for r in results)
        runner.stop()  # idempotent
        for server in [good, *holes]:
            asyncio.run_coroutine_threadsafe(server.close(), server_loop).result(5)
    finally:
        server_loop.call_soon_threadsafe(server_loop.stop)
        server_thread.join(5)
        server_loop.close()


def test_runner_accepts_targets_before_start_and_stop_without_start() -> None:
    runner = ProbeRunner(_config())
    runner.stop()  # never started: nothing to do
    runner.set_targets([ProbeTarget("198.51.100.7", "vip")])
    assert [t.address for t in runner.targets] == ["198.51.100.7"]
    assert isinstance(runner.board, HealthBoard)


def test_schedule_lag_rings_stay_bounded_over_a_long_run() -> None:
    # 500 targets every 2 s for an hour is 900,000 probes: the rings keep the
    # latest samples only, the maximum is kept apart (issue 17 item 17).
    from vrrptop.probe.prober import LAG_SAMPLES, ProbeStats

    stats = ProbeStats()
    for i in range(3 * LAG_SAMPLES):
        stats.record_lag("failing" if i % 2 else "answering", i / 1e6)
    assert len(stats.lags) == LAG_SAMPLES <= 10_000
    assert all(len(ring) <= LAG_SAMPLES for ring in stats.pool_lags.values())
    assert stats.lag_max == (3 * LAG_SAMPLES - 1) / 1e6
