"""The one place that decides which outputs a run has, from its Options.

A console run gets the exporter and the notifier; a headless run (``--json``,
``--report``, ``--report-html``, ``--no-ui``) also gets the JSON stream, its stderr
lines and the report. The adapters here give the exporter, the notifier, stderr and
the report the ``Output`` shape; JSON Lines is one already.
"""

from __future__ import annotations

import sys
from collections import deque
from typing import TYPE_CHECKING

from vrrptop.output.base import BaseOutput, Feed, Output

if TYPE_CHECKING:
    from vrrptop.capture.base import FrameSource
    from vrrptop.config.model import Config
    from vrrptop.model.events import Event
    from vrrptop.model.expectation import AlarmChange
    from vrrptop.model.snapshot import Snapshot
    from vrrptop.options import Options
    from vrrptop.output.notify import Notifier
    from vrrptop.output.prometheus import Exporter
    from vrrptop.probe.types import ProbeResult

#: Events kept for the end-of-run report, which prints the last 200 (the JSON stream
#: has all of them); a bounded buffer keeps a long headless run's memory flat.
REPORT_EVENTS = 1_000

#: Width of a report written to a file or a pipe (mail, less): wide enough that no
#: cell is cut; rich's default there is 80 columns, which cut cells to "…".
PIPED_REPORT_WIDTH = 240


class StderrLines(BaseOutput):
    """A headless run's configuration warnings and notices on stderr, once each
    (the console shows them in its alarm line and header instead)."""

    def warning(self, message: str) -> None:
        """Say it once (the monitor already drops repeats)."""
        print(f"vrrptop: warning: {message}", file=sys.stderr, flush=True)

    def notice(self, message: str) -> None:
        """Said as it happens."""
        print(f"vrrptop: {message}", file=sys.stderr, flush=True)


class EventLog(BaseOutput):
    """Keeps the most recent events and alarm transitions (the report's timeline marks
    the alarms raised and cleared during the run)."""

    def __init__(self, size: int | None = REPORT_EVENTS) -> None:
        self.events: deque[Event] = deque(maxlen=size)
        self.alarms: deque[AlarmChange] = deque(maxlen=size)

    def event(self, event: Event) -> None:
        """Keep one event."""
        self.events.append(event)

    def alarm(self, change: AlarmChange) -> None:
        """Keep one alarm transition."""
        self.alarms.append(change)


class Report(EventLog):
    """The end-of-run report: HTML to ``--report-html FILE``, text on stdout, or both."""

    def __init__(self, options: Options, source_name: str, *, html: bool, text: bool) -> None:
        super().__init__()
        self.options = options
        self.source_name = source_name
        self.html = html
        self.text = text

    def finish(self, snap: Snapshot) -> None:
        """Write the report(s) from the final snapshot and the kept events."""
        if self.html and self.options.report_html is not None:
            from vrrptop.output.report_html import render_html, write_html

            text = render_html(snap, list(self.events), self.source_name, list(self.alarms))
            write_html(self.options.report_html, text)
        if self.text:
            from vrrptop.output.report import print_report

            print_report(
                snap,
                list(self.events),
                source=self.source_name,
                console=report_console(self.options),
                alarm_changes=self.alarms,
            )


def report_console(options: Options):  # type: ignore[no-untyped-def]
    """The report's console: ``--width N``, else the terminal's width, else
    ``PIPED_REPORT_WIDTH`` when stdout is not a terminal."""
    from rich.console import Console

    width = options.width or (None if sys.stdout.isatty() else PIPED_REPORT_WIDTH)
    return Console(width=width)


class PrometheusOutput(BaseOutput):
    """``--prometheus [ADDR:]PORT``: the exporter, serving the latest snapshot."""

    reads_snapshots = True

    def __init__(self, listen: str) -> None:
        self.listen = listen
        self.exporter: Exporter | None = None

    def start(self, feed: Feed) -> None:
        """Bind and serve; say where on stderr (a bind error stops the run)."""
        from vrrptop.output.prometheus import start_exporter

        exporter = start_exporter(
            self.listen, feed.snapshot, get_status=feed.status, get_probes=feed.probes
        )
        self.exporter = exporter
        print(
            f"vrrptop: Prometheus metrics on {exporter.where} ({exporter.url})",
            file=sys.stderr,
            flush=True,
        )

    def probe(self, result: ProbeResult) -> None:
        """Count it in the probe histogram."""
        if self.exporter is not None:
            self.exporter.observe_probe(result)

    def stop(self) -> None:
        """Stop serving."""
        if self.exporter is not None:
            self.exporter.stop()
            self.exporter = None


class NotifyOutput(BaseOutput):
    """``--notify CMD`` / ``notify = "CMD"``: the notifier, fed the engine's events and
    the judgement's alarm transitions. It reads host names and DNS health from
    published snapshots, so the engine keeps them (never built on its thread)."""

    reads_snapshots = True

    def __init__(self, command: str, config: Config) -> None:
        self.command = command
        self.config = config
        self.notifier: Notifier | None = None

    def start(self, feed: Feed) -> None:
        """Start the notifier's thread; it reads snapshots from ``feed``."""
        from vrrptop.output.notify import Notifier
        from vrrptop.output.notify_env import Names

        config = self.config
        names = Names(
            instances={i.vrid: i.name for i in config.instances if i.vrid is not None},
            hosts=dict(config.hosts),
        )
        self.notifier = Notifier(self.command, snapshot=feed.snapshot, names=names)

    def event(self, event: Event) -> None:
        """Master changes are notified (coalesced)."""
        if self.notifier is not None:
            self.notifier.event(event)

    def alarm(self, change: AlarmChange) -> None:
        """Alarm transitions are notified."""
        if self.notifier is not None:
            self.notifier.alarm(change)

    def stop(self) -> None:
        """Run what is pending, then say on stderr what did not go well (never fatal)."""
        notifier, self.notifier = self.notifier, None
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


def build_outputs(
    options: Options, config: Config, source: FrameSource, *, headless: bool
) -> list[Output]:
    """Every output this run has, in the order they are fed."""
    outputs: list[Output] = []
    if headless:
        if options.json:
            from vrrptop.output.jsonl import JsonLinesWriter

            outputs.append(
                JsonLinesWriter(
                    sys.stdout, show_secrets=options.show_secrets, line_buffered=source.live
                )
            )
        outputs.append(StderrLines())
        outputs.append(
            Report(
                options,
                source.name,
                html=options.report_html is not None,
                text=bool(options.report or not (options.json or options.report_html)),
            )
        )
    command = options.notify or config.notify
    if command:
        outputs.append(NotifyOutput(command, config))
    if options.prometheus:
        outputs.append(PrometheusOutput(options.prometheus))
    return outputs
