"""Run vrrptop for a set of Options: pick the source, the outputs, the console.

This is where the pieces meet; it holds no protocol logic of its own.
"""

from __future__ import annotations

import os
import signal
import sys
from collections import deque
from collections.abc import Iterator
from contextlib import contextmanager
from importlib import resources
from pathlib import Path
from typing import TYPE_CHECKING

from vrrptop.capture.base import FrameSource
from vrrptop.capture.writer import PcapWriter
from vrrptop.config.model import Config
from vrrptop.errors import VrrptopError
from vrrptop.model.events import Event
from vrrptop.model.expectation import AlarmChange
from vrrptop.monitor import Monitor, load_configuration
from vrrptop.options import Options

if TYPE_CHECKING:
    from vrrptop.output.notify import Notifier

#: Events kept for the end-of-run report, which prints the last 200 (the JSON stream
#: has all of them); a bounded buffer keeps a long headless run's memory flat.
REPORT_EVENTS = 1_000
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


class _StderrWarnings:
    """Configuration warnings on stderr, once each (headless runs: the console shows
    them in its alarm line instead)."""

    def alarm(self, change: object) -> None:
        """Alarms go to the JSON stream, the notifier and the report, not stderr."""

    def warning(self, message: str) -> None:
        """Say it once."""
        print(f"vrrptop: warning: {message}", file=sys.stderr, flush=True)


class _EventLog:
    """Keeps the most recent events and alarm transitions for the report (its
    timeline marks the alarms that were raised and cleared during the run)."""

    def __init__(self) -> None:
        self.events: deque[Event] = deque(maxlen=REPORT_EVENTS)
        self.alarms: deque[AlarmChange] = deque(maxlen=REPORT_EVENTS)

    def record(self, record: object) -> None:
        """Records are not kept."""

    def event(self, event: Event) -> None:
        """Keep one event."""
        self.events.append(event)

    def alarm(self, change: AlarmChange) -> None:
        """Keep one alarm transition."""
        self.alarms.append(change)

    def warning(self, message: str) -> None:
        """Warnings go to stderr (``_StderrWarnings``)."""


def start_notifier(options: Options, config: Config, monitor: Monitor) -> Notifier | None:
    """``--notify CMD`` / ``notify = "CMD"``: one notifier fed the engine's events and
    the judgement's alarm transitions.

    The notifier reads host names and DNS health from published snapshots, so the
    engine keeps them (it never builds one on the notifier's thread).
    """
    command = options.notify or config.notify
    if not command:
        return None
    from vrrptop.output.notify import Notifier
    from vrrptop.output.notify_env import Names

    names = Names(
        instances={i.vrid: i.name for i in config.instances if i.vrid is not None},
        hosts=dict(config.hosts),
    )
    monitor.engine.keep_snapshots = True
    notifier = Notifier(command, snapshot=monitor.engine.snapshot, names=names)
    monitor.engine.sinks.append(notifier)
    monitor.alarm_sinks.append(notifier)
    return notifier


def stop_notifier(notifier: Notifier | None) -> None:
    """Run what is pending, then say on stderr what did not go well (never fatal)."""
    if notifier is None:
        return
    notifier.close()
    if notifier.failures:
        print(
            f"vrrptop: notify: {notifier.failures} of {notifier.runs} runs failed "
            f"(last: {notifier.last_error})",
            file=sys.stderr,
        )
    if notifier.dropped:
        print(f"vrrptop: notify: {notifier.dropped} notifications dropped", file=sys.stderr)


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
    from vrrptop.output.jsonl import JsonLinesWriter

    sinks: list = []  # type: ignore[type-arg]
    jsonl = None
    if options.json:
        jsonl = JsonLinesWriter(
            sys.stdout, show_secrets=options.show_secrets, line_buffered=source.live
        )
        sinks.append(jsonl)
    log = _EventLog()
    sinks.append(log)
    on_probe = (lambda result: jsonl.line(result.to_json())) if jsonl is not None else None

    def on_notice(message: str) -> None:
        # Said once, as it happens: on stderr and, with --json, as a notice line.
        print(f"vrrptop: {message}", file=sys.stderr, flush=True)
        if jsonl is not None:
            jsonl.line({"type": "notice", "kind": "write-failed", "message": message})

    monitor = Monitor(
        options,
        source,
        config=config,
        writer=writer,
        sinks=sinks,
        on_probe=on_probe,
        alarm_sinks=[*([jsonl] if jsonl is not None else []), _StderrWarnings(), log],
        on_notice=on_notice,
        on_node=jsonl.keepalived if jsonl is not None else None,
    )
    notifier = start_notifier(options, config, monitor)
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
                on_notice(writer.error)
        stop_notifier(notifier)
    status = source.status()
    if jsonl is not None:
        try:
            jsonl.snapshot(snap)
        except BrokenPipeError:
            return 0
    if options.report_html is not None:
        from vrrptop.output.report_html import render_html, write_html

        text = render_html(snap, list(log.events), source.name, list(log.alarms))
        write_html(options.report_html, text)
    if options.report or not (options.json or options.report_html):
        from vrrptop.output.report import print_report

        print_report(
            snap,
            list(log.events),
            source=source.name,
            console=_report_console(options),
            alarm_changes=log.alarms,
        )
    if status.message:
        print(f"vrrptop: {status.message}", file=sys.stderr)
    if status.dropped:
        print(f"vrrptop: {status.dropped} frames dropped", file=sys.stderr)
    return 0


#: Width of a report written to a file or a pipe (mail, less): wide enough that no
#: cell is cut; rich's default there is 80 columns, which cut cells to "…".
PIPED_REPORT_WIDTH = 240


def _report_console(options: Options):  # type: ignore[no-untyped-def]
    """The report's console: ``--width N``, else the terminal's width, else
    ``PIPED_REPORT_WIDTH`` when stdout is not a terminal."""
    from rich.console import Console

    width = options.width or (None if sys.stdout.isatty() else PIPED_REPORT_WIDTH)
    return Console(width=width)


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
        monitor = Monitor(options, source, config=config, writer=writer)
    except VrrptopError:
        source.close()
        raise
    notifier = start_notifier(options, config, monitor)
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
        stop_notifier(notifier)
