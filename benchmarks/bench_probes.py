"""Benchmark: can the prober keep its schedule with many targets, half of them dead?

A child process serves DNS on loopback only: answering servers on 127.1.x.y and
black holes (bound UDP sockets that never reply) on 127.2.x.y, one ephemeral port
each. The parent probes them all with ``ProbeRunner`` (its own thread, as in
vrrptop) and reports the schedule lag (probe start minus scheduled slot), the
result rate and the outcome counts.

    python benchmarks/bench_probes.py [--targets 500] [--interval 1] [--duration 15]
        [--rss-every 60]

``--rss-every S`` samples the process's resident memory every S seconds and prints
the series, its first-to-last growth after the first minute, and the growth per hour
over the second half (issue 17: 500 black-holed targets for an hour must stay flat):

    python benchmarks/bench_probes.py --targets 500 --silent-fraction 1 --duration 3600
"""

from __future__ import annotations

import argparse
import asyncio
import multiprocessing as mp
import os
import resource
import socket
import statistics
import sys
import threading
import time
from collections import Counter
from multiprocessing.connection import Connection
from pathlib import Path

import dns.message
import dns.rrset

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))

from vrrptop.probe import ProbeConfig, ProbeResult, ProbeRunner, ProbeTarget, parse_query  # noqa: E402


def _address(kind: int, index: int) -> str:
    # kind 1 = answering, 2 = silent; 250 addresses per /24 inside 127.kind.0.0/16
    return f"127.{kind}.{index // 250}.{index % 250 + 1}"


class _Answer(asyncio.DatagramProtocol):
    def connection_made(self, transport: asyncio.BaseTransport) -> None:
        self.transport = transport

    def datagram_received(self, data: bytes, addr: tuple[str, int]) -> None:
        try:
            query = dns.message.from_wire(data)
        except Exception:
            return
        response = dns.message.make_response(query)
        response.answer.append(
            dns.rrset.from_text(query.question[0].name, 60, "IN", "TXT", '"test"')
        )
        self.transport.sendto(response.to_wire(), addr)  # type: ignore[attr-defined]


def _serve(good: int, silent: int, conn: Connection) -> None:
    async def main() -> None:
        loop = asyncio.get_running_loop()
        ports: list[tuple[str, int, bool]] = []
        for i in range(good):
            transport, _ = await loop.create_datagram_endpoint(
                _Answer, local_addr=(_address(1, i), 0)
            )
            ports.append((_address(1, i), transport.get_extra_info("sockname")[1], True))
        holes = []
        for i in range(silent):
            sock = socket.socket(socket.AF_INET, socket.SOCK_DGRAM)
            sock.bind((_address(2, i), 0))
            holes.append(sock)  # never read: a black hole that still accepts packets
            ports.append((_address(2, i), sock.getsockname()[1], False))
        conn.send(ports)
        await loop.run_in_executor(None, conn.recv)  # wait for "stop"

    asyncio.run(main())


def _percentile(values: list[float], q: float) -> float:
    if not values:
        return float("nan")
    ordered = sorted(values)
    return ordered[min(len(ordered) - 1, int(q * len(ordered)))]


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--targets", type=int, default=500)
    parser.add_argument("--silent-fraction", type=float, default=0.5)
    parser.add_argument("--interval", type=float, default=1.0)
    parser.add_argument("--timeout", type=float, default=1.0)
    parser.add_argument("--duration", type=float, default=15.0)
    parser.add_argument("--concurrency", type=int, default=ProbeConfig().max_concurrency)
    parser.add_argument("--rss-every", type=float, default=60.0)
    args = parser.parse_args()

    silent = int(args.targets * args.silent_fraction)
    good = args.targets - silent
    soft, hard = resource.getrlimit(resource.RLIMIT_NOFILE)
    want = min(hard, max(soft, 4 * args.targets + 256))
    resource.setrlimit(resource.RLIMIT_NOFILE, (want, hard))

    parent, child = mp.get_context("fork").Pipe()
    server = mp.get_context("fork").Process(target=_serve, args=(good, silent, child), daemon=True)
    server.start()
    endpoints: list[tuple[str, int, bool]] = parent.recv()
    targets = [ProbeTarget(addr, "host", None, port) for addr, port, _ in endpoints]
    answering = {(addr, port) for addr, port, ok in endpoints if ok}

    statuses: Counter[str] = Counter()
    wrong_side = 0
    lock = threading.Lock()

    def on_result(result: ProbeResult) -> None:
        nonlocal wrong_side
        with lock:
            statuses[result.status] += 1
            if result.ok != (result.target.key in answering):
                wrong_side += 1

    config = ProbeConfig(
        query=parse_query("bench.test/TXT"),
        expect="test",
        interval=args.interval,
        timeout=args.timeout,
        max_concurrency=args.concurrency,
    )
    runner = ProbeRunner(config, on_result, targets=targets)
    cpu0 = time.process_time()
    t0 = time.monotonic()
    runner.start()
    rss: list[tuple[float, float]] = []
    while (left := t0 + args.duration - time.monotonic()) > 0:
        time.sleep(min(left, args.rss_every))
        rss.append((time.monotonic() - t0, _rss_mb()))
    stop0 = time.monotonic()
    runner.stop(timeout=10)
    stop_s = time.monotonic() - stop0
    elapsed = stop0 - t0
    cpu = time.process_time() - cpu0
    parent.send("stop")
    server.join(5)

    lags_ms = [lag * 1000 for lag in runner.stats.lags]
    total = sum(statuses.values())
    expected = args.targets * elapsed / args.interval
    print(
        f"targets {args.targets} ({good} answering, {silent} silent), interval "
        f"{args.interval:g} s, timeout {args.timeout:g} s, concurrency {args.concurrency}/pool, "
        f"{elapsed:.1f} s, {os.cpu_count()} CPUs"
    )
    print(
        f"probes started {runner.stats.started}, results {total} "
        f"({total / elapsed:.0f}/s; ideal {expected / elapsed:.0f}/s), "
        f"skipped slots {runner.stats.skipped_slots}, errors {runner.stats.errors}"
    )
    print(
        "outcomes "
        + ", ".join(f"{k} {v}" for k, v in sorted(statuses.items()))
        + f"; misclassified {wrong_side}"
    )
    print(
        f"schedule lag ms: p50 {_percentile(lags_ms, 0.5):.2f}  p90 "
        f"{_percentile(lags_ms, 0.9):.2f}  p99 {_percentile(lags_ms, 0.99):.2f}  "
        f"max {runner.stats.lag_max * 1000:.2f}  mean "
        f"{statistics.fmean(lags_ms) if lags_ms else float('nan'):.2f}"
    )
    for pool, ring in sorted(runner.stats.pool_lags.items()):
        ms = [lag * 1000 for lag in ring]
        print(
            f"  {pool:9} {len(ms):6} probes: p50 {_percentile(ms, 0.5):.2f}  "
            f"p99 {_percentile(ms, 0.99):.2f}  max {max(ms):.2f}"
        )
    print(
        f"probe thread+main CPU {cpu:.1f} s ({100 * cpu / elapsed:.0f}% of one core); "
        f"stop() took {stop_s * 1000:.0f} ms"
    )
    _print_rss(rss)
    return 0


def _rss_mb() -> float:
    with open("/proc/self/status") as f:
        for line in f:
            if line.startswith("VmRSS:"):
                return int(line.split()[1]) / 1024
    return float("nan")


def _print_rss(rss: list[tuple[float, float]]) -> None:
    """The RSS series; growth after the first minute and per hour over the second half."""
    if not rss:
        return
    print("RSS MB: " + ", ".join(f"{t / 60:.0f}m {mb:.1f}" for t, mb in rss))
    settled = [(t, mb) for t, mb in rss if t >= 60] or rss
    half = [(t, mb) for t, mb in settled if t >= settled[-1][0] / 2] or settled
    span_h = (half[-1][0] - half[0][0]) / 3600
    rate = (half[-1][1] - half[0][1]) / span_h if span_h > 0 else float("nan")
    print(
        f"RSS after the first minute {settled[0][1]:.1f} MB, at the end {settled[-1][1]:.1f} MB "
        f"({settled[-1][1] - settled[0][1]:+.1f}); second half {rate:+.1f} MB/h"
    )


if __name__ == "__main__":
    sys.exit(main())
