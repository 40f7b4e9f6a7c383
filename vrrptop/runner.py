"""Run vrrptop for a set of Options: pick the source, the outputs, the console.

This is where the pieces meet; it holds no protocol logic of its own.
"""

from __future__ import annotations

import os
import signal
import sys
from collections.abc import Iterator
from contextlib import contextmanager
from importlib import resources
from pathlib import Path

from vrrptop.capture.base import FrameSource
from vrrptop.capture.writer import PcapWriter
from vrrptop.config.model import Config
from vrrptop.errors import VrrptopError
from vrrptop.monitor import Monitor, load_configuration
from vrrptop.options import Options
from vrrptop.output.build import build_outputs

DEMO_CAPTURE = "lab-failover.pcap"


def demo_path() -> Path:
    """The bundled capture replayed by ``--demo``."""
    path = Path(str(resources.files("vrrptop") / "demo" / DEMO_CAPTURE))
    if not path.exists():
        raise VrrptopError(f"the demo capture is missing from this installation ({path})", 66)
    return path


def open_source(options: Options) -> FrameSource:
    """Open the source the options name; errors are one-line VrrptopErrors."""
    if options.demo:
        from vrrptop.capture.pcapfile import PcapFileSource

        return PcapFileSource(demo_path(), speed=options.speed)
    if options.read_file is not None:
        from vrrptop.capture.pcapfile import PcapFileSource

        return PcapFileSource(options.read_file, speed=options.speed)
    if options.interface:
        from vrrptop.capture.live import LiveSource

        return LiveSource(
            options.interface,
            expression=options.filter_expression,
            promiscuous=options.promiscuous,
        )
    raise VrrptopError("nothing to watch: give an interface, -r FILE or --demo", 2)


@contextmanager
def _stop_on_signals(monitor: Monitor) -> Iterator[None]:
    """SIGINT/SIGTERM/SIGHUP stop the engine cleanly (outputs flushed, pcap valid)."""
    signals = [signal.SIGINT, signal.SIGTERM, signal.SIGHUP]
    previous = {s: signal.getsignal(s) for s in signals}

    def handler(signum: int, frame: object) -> None:
        monitor.engine.stop()

    for s in signals:
        signal.signal(s, handler)
    try:
        yield
    finally:
        for s, h in previous.items():
            signal.signal(s, h)


def run_headless(
    options: Options, config: Config, source: FrameSource, writer: PcapWriter | None
) -> int:
    """--json / --report / --no-ui: run the engine in this thread, print at the end."""
    outputs = build_outputs(options, config, source, headless=True)
    monitor = Monitor(options, source, config=config, writer=writer, outputs=outputs)
    if source.live:
        # Like tcpdump: tell stderr when the capture is open (scripts wait for it).
        print(f"vrrptop: listening on {source.name}", file=sys.stderr, flush=True)
    try:
        monitor.start_services()
        with _stop_on_signals(monitor), _progress(source):
            snap = monitor.engine.run()
    except BrokenPipeError:
        # `vrrptop --json | head`: the reader left; exit quietly like tcpdump.
        devnull = os.open(os.devnull, os.O_WRONLY)
        os.dup2(devnull, sys.stdout.fileno())
        return 0
    finally:
        monitor.stop()
        source.close()
        if writer is not None:
            writer.close()
            if writer.error and not monitor.engine.write_error:
                monitor.notice(writer.error)
        monitor.stop_outputs()
    status = source.status()
    try:
        for output in outputs:
            output.finish(snap)
    except BrokenPipeError:
        return 0
    if status.message:
        print(f"vrrptop: {status.message}", file=sys.stderr)
    if status.dropped:
        print(f"vrrptop: {status.dropped} frames dropped", file=sys.stderr)
    return 0


def _progress(source: FrameSource):  # type: ignore[no-untyped-def]
    """A long replay's progress on the terminal's stderr (``vrrptop.output.progress``)."""
    from contextlib import nullcontext

    position = getattr(source, "position", None)
    if source.kind != "file" or position is None:
        return nullcontext()
    from pathlib import Path

    from vrrptop.output.progress import replay_progress

    return replay_progress(position, Path(source.name).name)


def demo_options(options: Options) -> Options:
    """--demo: the lab's configuration (names, instances, the seed's priority file),
    shown read-only, unless the operator gave a configuration of their own."""
    if options.config is None and options.keepalived_conf is None:
        options.config = demo_path().parent / "config.toml"
    options.read_only = True
    return options


def run(options: Options) -> int:
    """Run vrrptop; returns the exit status."""
    if options.check_config:
        from vrrptop.output.check import run_check

        return run_check(options)
    if options.demo:
        options = demo_options(options)
    # Configuration first: a broken file is reported before any capture starts.
    config = load_configuration(options)
    if options.report_html is not None:
        from vrrptop.output.report_html import check_writable

        check_writable(options.report_html)  # now, not after an hour of capture
    for warning in config.warnings:
        print(f"vrrptop: warning: {warning}", file=sys.stderr)
    if options.notify or config.notify:
        from vrrptop.output.notify_run import parse_command

        parse_command(options.notify or config.notify or "")  # a typo stops us here
    source = open_source(options)
    writer = None
    try:
        if options.write_file is not None:
            writer = PcapWriter(options.write_file)
    except VrrptopError:
        source.close()
        raise
    headless = options.json or options.report or options.no_ui or options.report_html
    if headless:
        return run_headless(options, config, source, writer)
    from vrrptop.ui import run_ui

    try:
        outputs = build_outputs(options, config, source, headless=False)
        monitor = Monitor(options, source, config=config, writer=writer, outputs=outputs)
    except VrrptopError:
        source.close()
        raise
    try:
        monitor.start_services()
        return run_ui(options, monitor.engine, monitor=monitor)
    finally:
        monitor.stop()
        monitor.engine.join(2)
        source.close()
        if writer is not None:
            writer.close()
        # The console showed it in its header and log; stderr keeps it after exit.
        write_error = monitor.engine.write_error or (writer.error if writer else "")
        if write_error:
            print(f"vrrptop: {write_error}", file=sys.stderr)
        monitor.stop_outputs()
