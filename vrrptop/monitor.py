"""One vrrptop session minus the console: engine, DNS probes, priority files,
correlation and the outputs, wired together. No textual.

The monitor owns the enrichment stage (``vrrptop.enrich.SnapshotEnricher``) and
gives it to the engine, which runs it at each publish: that is where probe targets
follow the segment, priority files are re-read when they change on disk, and the
judgement (who *should* be master, which alarms are raised: ``vrrptop.expect``) is
attached. The monitor starts the services the stage reads. Records, events, alarm transitions,
configuration warnings, probe results and the local keepalived's changes go to the
``Output``s (``vrrptop.output.base``; which ones: ``vrrptop.output.build``) as
they happen; the monitor only fans out, it knows no format.
"""

from __future__ import annotations

import os
from collections.abc import Iterable
from pathlib import Path
from typing import TYPE_CHECKING

from vrrptop.capture.base import FrameSource
from vrrptop.capture.writer import PcapWriter
from vrrptop.config.derive import resolve_config
from vrrptop.config.model import Config
from vrrptop.engine import Engine
from vrrptop.enrich import SnapshotEnricher
from vrrptop.expect.judge import Judge
from vrrptop.keepalived.locate import choose
from vrrptop.model.expectation import AlarmChange
from vrrptop.options import Options
from vrrptop.output.base import Feed, Output
from vrrptop.priority import store
from vrrptop.priority.store import LoadedFile
from vrrptop.priority.watch import PriorityWatcher

if TYPE_CHECKING:
    from vrrptop.keepalived.alarms import NodeAlarms
    from vrrptop.keepalived.poller import KeepalivedPoller
    from vrrptop.model.node import LocalInstance, NodeState
    from vrrptop.probe.hosts import HostResolver
    from vrrptop.probe.names import ReverseNames
    from vrrptop.probe.thread import ProbeRunner
    from vrrptop.probe.types import ProbeResult


def load_configuration(options: Options) -> Config:
    """The TOML config merged with keepalived.conf; errors are one-line VrrptopErrors."""
    config, _kconf = resolve_config(
        options.config,
        options.keepalived_conf,
        config_id=options.config_id,
        priority_files=options.priority_files,
    )
    return config


class Monitor:
    """Everything that runs for one session; the console or a headless runner drives it."""

    def __init__(
        self,
        options: Options,
        source: FrameSource,
        *,
        config: Config | None = None,
        writer: PcapWriter | None = None,
        outputs: Iterable[Output] = (),
    ) -> None:
        self.options = options
        self.source = source
        self.config = config if config is not None else load_configuration(options)
        #: Every output of the run (``vrrptop.output.build``), fed in this order.
        self.outputs: list[Output] = list(outputs)
        paths = [*options.priority_files, *self.config.all_priority_files()]
        # A broken priority file stops vrrptop before capture starts (one line, exit 65).
        self.watcher = PriorityWatcher(store.load(p) for p in dict.fromkeys(map(Path, paths)))
        self._warned: set[str] = set()
        # Only a live capture is probed: addresses in a replayed file belong to
        # another network, and probing them from here would be wrong and unsafe.
        self.probing = source.live and not options.no_probe
        # The local keepalived (its own view of its state): decided now, because a
        # node read makes the engine build snapshots for its alarms.
        self._node_pidfile, self._node_why = choose(
            options.keepalived_pid,
            off=options.no_keepalived_state,
            live=source.live,
            root=os.geteuid() == 0,
        )
        self.judge = Judge(
            self.config.instances,
            probing=self.probing,
            probe_interval=options.probe_interval,
            probe_timeout=options.probe_timeout,
            distributes=bool(options.on_save or self.config.on_save),
        )
        #: The stage the engine runs at each publish (``vrrptop.enrich``).
        self.enricher = SnapshotEnricher(
            options,
            self.config,
            live=source.live,
            watcher=self.watcher,
            judge=self.judge,
            tell=self._tell,
            published=lambda: self.engine.snapshot(),
        )
        self.engine = Engine(
            source,
            options=options,
            sinks=self.outputs,
            writer=writer,
            on_notice=self.notice,
            # Correlation needs to see the election as it happens (its settle timer
            # starts at the first snapshot), not only the final picture.
            keep_snapshots=self.probing
            or any(o.reads_snapshots for o in self.outputs)
            or bool(self.config.instances)
            or self._node_pidfile is not None,
            enricher=self.enricher,
        )

    # -- the services the enrichment reads (started by ``start_services``) ----------
    @property
    def hosts(self) -> dict[str, tuple[str, ...]]:
        """Names -> addresses (the configuration's [hosts], and this node)."""
        return self.enricher.hosts

    @property
    def probes(self) -> ProbeRunner | None:
        """The DNS prober (live, without --no-probe)."""
        return self.enricher.probes

    @property
    def resolver(self) -> HostResolver | None:
        """The priority files' names, resolved (when probing)."""
        return self.enricher.resolver

    @property
    def reverse(self) -> ReverseNames | None:
        """PTR names (live, without -n)."""
        return self.enricher.reverse

    @property
    def node(self) -> KeepalivedPoller | None:
        """The local keepalived's reader (its node only)."""
        return self.enricher.node

    @property
    def node_alarms(self) -> NodeAlarms | None:
        """The local keepalived's alarms (its node only)."""
        return self.enricher.node_alarms

    # -- lifecycle ----------------------------------------------------------------
    def _know_this_node(self) -> None:
        from vrrptop.probe.localhost import local_addresses, short_hostname

        name = short_hostname()
        if name in self.enricher.file_hosts() and name not in self.hosts:
            self.hosts[name] = local_addresses()

    def start_services(self) -> None:
        """Start the DNS prober, reverse names and the exporter (not the engine)."""
        if self.source.live:
            self._know_this_node()
        if self.source.live and not self.options.numeric:
            # PTR names only for a live segment: a replayed file's addresses belong
            # to another network, and looking them up would leak queries about them.
            from vrrptop.probe.names import ReverseNames

            self.enricher.reverse = ReverseNames.from_options(self.options)
        if self.probing:
            from vrrptop.probe.hosts import HostResolver
            from vrrptop.probe.thread import ProbeRunner

            self.enricher.resolver = HostResolver(static=self.config.hosts)
            probes = ProbeRunner.from_options(
                self.options, self._on_probe_result, dns=self.config.dns
            )
            self.enricher.probes = probes
            probes.start()
        self._start_node()
        feed = Feed(
            snapshot=self.engine.snapshot,
            status=self.source.status,
            probes=self.probes.board.snapshot if self.probes else None,
        )
        for output in self.outputs:
            output.start(feed)

    def _start_node(self) -> None:
        """Read the local keepalived's own state, when this is its node (``keepalived``)."""
        pidfile = self._node_pidfile
        if self._node_why:
            self._tell([], [self._node_why])
        if pidfile is None:
            return
        from vrrptop.keepalived.alarms import NodeAlarms
        from vrrptop.keepalived.poller import KeepalivedPoller

        self.enricher.node_alarms = NodeAlarms(self.options.interface)
        node = self.enricher.node = KeepalivedPoller(pidfile, on_change=self._on_node)
        node.start()

    def stop(self) -> None:
        """Stop everything this monitor started; safe to call twice."""
        self.engine.stop()
        if self.enricher.node is not None:
            self.enricher.node.stop()
            self.enricher.node = None
        if self.probes is not None:
            self.probes.stop()
        if self.reverse is not None:
            self.reverse.close()

    def stop_outputs(self) -> None:
        """Stop every output (the exporter, the notifier); after ``stop``, because the
        notifier runs what is pending and says on stderr what failed."""
        for output in self.outputs:
            output.stop()

    def notice(self, message: str) -> None:
        """Something secondary to monitoring stopped (``-w``): tell every output."""
        for output in self.outputs:
            output.notice(message)

    # -- fan-out to the outputs (engine, prober and poller threads) ---------------
    def _on_probe_result(self, result: ProbeResult) -> None:
        for output in self.outputs:
            output.probe(result)

    def _on_node(self, state: NodeState, changed: tuple[LocalInstance, ...]) -> None:
        for output in self.outputs:
            output.keepalived(state, changed)

    # -- priority files -------------------------------------------------------------
    @property
    def files(self) -> dict[Path, LoadedFile]:
        """Path -> the priority file in use (the watcher's copy)."""
        return self.watcher.loaded

    def file_saved(self, loaded: LoadedFile, now: float) -> None:
        """Our editor saved ``loaded``: use it at once, settle, and watch that the
        election follows (``save-not-distributed`` when nothing moves)."""
        self.watcher.adopt(loaded)
        self.judge.note_save(loaded.path, now, self.engine.snapshot())
        # An ended replay publishes nothing more: judge the saved file now, or the
        # Expected column would go on showing the old file's prediction.
        self.engine.republish()

    def _tell(self, changes: list[AlarmChange], warnings: Iterable[str]) -> None:
        """Alarm transitions, and each configuration warning once, to every output."""
        fresh = [w for w in warnings if w not in self._warned]
        self._warned.update(fresh)
        for output in self.outputs:
            for change in changes:
                output.alarm(change)
            for text in fresh:
                output.warning(text)
