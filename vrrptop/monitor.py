"""One vrrptop session minus the console: engine, DNS probes, priority files,
correlation and the outputs, wired together. No textual.

The engine thread calls ``decorate`` a few times a second with a fresh snapshot;
that is where probe targets follow the segment, priority files are re-read when
they change on disk, and the judgement (who *should* be master, which alarms are
raised: ``vrrptop.expect``) is attached. Records, events, alarm transitions,
configuration warnings, probe results and the local keepalived's changes go to the
``Output``s (``vrrptop.output.base``; which ones: ``vrrptop.output.build``) as
they happen; the monitor only fans out, it knows no format.
"""

from __future__ import annotations

import os
from collections.abc import Iterable
from dataclasses import replace
from pathlib import Path
from typing import TYPE_CHECKING, Any

from vrrptop.capture.base import FrameSource
from vrrptop.capture.writer import PcapWriter
from vrrptop.config.derive import resolve_config
from vrrptop.config.hostmap import normalise
from vrrptop.config.model import Config
from vrrptop.engine import Engine
from vrrptop.expect.judge import Judge
from vrrptop.keepalived.locate import choose
from vrrptop.model.expectation import AlarmChange
from vrrptop.model.snapshot import HostView, Snapshot
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
    from vrrptop.probe.runner import ProbeRunner
    from vrrptop.probe.types import ProbeResult

#: How often priority files are checked for changes made by others (seconds).
#: keepalived's track scripts read the file every second: vrrptop must not notice
#: an edit later than they do, or it would judge the old file against the new
#: election. The change is dated by the file's mtime, not by when we noticed.
FILE_POLL_S = 0.25


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
        self._watching = bool(self.watcher.states)
        self._next_poll = 0.0
        #: Names -> addresses: the configuration's [hosts], plus this node itself when
        #: it is one of the declared hosts (its link-local address names its adverts).
        self.hosts: dict[str, tuple[str, ...]] = dict(self.config.hosts)
        self._warned: set[str] = set()
        self._last_frames = 0
        self.probes: ProbeRunner | None = None
        self.resolver: HostResolver | None = None
        self.reverse: ReverseNames | None = None
        self.node: KeepalivedPoller | None = None
        self.node_alarms: NodeAlarms | None = None
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
            decorate=self.decorate,
        )

    # -- lifecycle ----------------------------------------------------------------
    def _know_this_node(self) -> None:
        from vrrptop.probe.localhost import local_addresses, short_hostname

        name = short_hostname()
        if name in self._file_hosts() and name not in self.hosts:
            self.hosts[name] = local_addresses()

    def start_services(self) -> None:
        """Start the DNS prober, reverse names and the exporter (not the engine)."""
        if self.source.live:
            self._know_this_node()
        if self.source.live and not self.options.numeric:
            # PTR names only for a live segment: a replayed file's addresses belong
            # to another network, and looking them up would leak queries about them.
            from vrrptop.probe.names import ReverseNames

            self.reverse = ReverseNames.from_options(self.options)
        if self.probing:
            from vrrptop.probe.hosts import HostResolver
            from vrrptop.probe.runner import ProbeRunner

            self.resolver = HostResolver(static=self.config.hosts)
            probes = ProbeRunner.from_options(
                self.options, self._on_probe_result, dns=self.config.dns
            )
            self.probes = probes
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

        self.node_alarms = NodeAlarms(self.options.interface)
        self.node = KeepalivedPoller(pidfile, on_change=self._on_node)
        self.node.start()

    def stop(self) -> None:
        """Stop everything this monitor started; safe to call twice."""
        self.engine.stop()
        if self.node is not None:
            self.node.stop()
            self.node = None
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

    def reload_files(self, now: float) -> None:
        """Re-read priority files that changed on disk (someone else, or our editor)."""
        if now < self._next_poll:
            return
        self._next_poll = now + FILE_POLL_S
        # A file that fails to read keeps its last good content; the editor says why.
        for path in self.watcher.poll():
            fresh = self.watcher.loaded[path]
            # keepalived may have read it before we did: date the change by its mtime
            # (live only: a replay's clock is the capture's, not this machine's).
            mtime = fresh.state.mtime_ns / 1e9
            at = min(now, mtime) if self.source.live else now
            # An edit made outside vrrptop (vi on this server) is a save too: if only
            # this copy changed, nothing moves, and save-not-distributed says why.
            self.judge.note_save(path, at, self.engine.snapshot())

    def file_saved(self, loaded: LoadedFile, now: float) -> None:
        """Our editor saved ``loaded``: use it at once, settle, and watch that the
        election follows (``save-not-distributed`` when nothing moves)."""
        self.watcher.adopt(loaded)
        self.judge.note_save(loaded.path, now, self.engine.snapshot())
        # An ended replay publishes nothing more: judge the saved file now, or the
        # Expected column would go on showing the old file's prediction.
        self.engine.republish()

    # -- the decoration -------------------------------------------------------------
    def _file_hosts(self) -> list[str]:
        hosts: list[str] = []
        for loaded in self.files.values():
            hosts.extend(loaded.file.hosts())
        return hosts

    def _update_probe_targets(self, snap: Snapshot) -> None:
        from vrrptop.probe.targets import targets_from_snapshot
        from vrrptop.probe.types import ProbeTarget

        extra: list[ProbeTarget] = []
        for inst in self.config.instances:
            for vip in inst.vips:
                extra.append(ProbeTarget(vip, "vip"))
        if self.resolver is not None:
            for name in self._file_hosts():
                for addr in self.resolver.lookup(name) or ():
                    extra.append(ProbeTarget(addr, "host", name))
        targets = targets_from_snapshot(snap, interface=self.options.interface, extra=extra)
        assert self.probes is not None
        self.probes.set_targets(targets)

    def decorate(self, snap: Snapshot) -> Snapshot:
        """Attach DNS health, priority files and the expectation to a snapshot."""
        now = snap.ts
        if self._watching:
            self.reload_files(now)
        health: dict[Any, Any] = {}
        if self.probes is not None:
            self._update_probe_targets(snap)
            health = self.probes.board.snapshot()
        files = {p: lf.file for p, lf in self.files.items()}
        if snap.counters.frames < self._last_frames:
            self.judge.reset()  # the tracker was reset (the console's c)
        self._last_frames = snap.counters.frames
        node = self.node.latest if self.node is not None else None
        if self.config.instances:
            snap, changes = self.judge.judge(
                snap,
                files,
                health,
                hosts=self.hosts,
                resolve=self.resolver.lookup if self.resolver is not None else None,
                node=node,
            )
            self._tell(changes, snap.warnings)
        by_address = {key[0]: value for key, value in health.items()}
        if self.node_alarms is not None:
            snap, node_changes = self.node_alarms.judge(snap, node)
            self._tell(node_changes, node.findings if node is not None else ())
        return replace(
            snap,
            hosts=self._named_hosts(snap),
            health=by_address,
            node=node,
        )

    def _tell(self, changes: list[AlarmChange], warnings: Iterable[str]) -> None:
        fresh = [w for w in warnings if w not in self._warned]
        self._warned.update(fresh)
        for output in self.outputs:
            for change in changes:
                output.alarm(change)
            for text in fresh:
                output.warning(text)

    def _named_hosts(self, snap: Snapshot) -> tuple[HostView, ...]:
        """Hosts named from the configuration, the priority files' resolved names,
        then PTR (live, without -n); a host joined by MAC takes any member's name."""
        known: dict[str, str] = {}
        for config_host, addrs in self.hosts.items():
            for addr in addrs:
                known.setdefault(normalise(addr), config_host)
        if self.resolver is not None:
            for file_host in self._file_hosts():
                for addr in self.resolver.lookup(file_host) or ():
                    known.setdefault(normalise(addr), file_host)
        hosts: list[HostView] = []
        name: str | None
        for host in snap.hosts:
            name = host.name or next((known[a] for a in host.addresses if a in known), None)
            if name is None and self.reverse is not None:
                name = next(filter(None, map(self.reverse.lookup, host.addresses)), None)
            hosts.append(host if name == host.name else replace(host, name=name))
        # Every declared host has a row from the start: the silent backups are the
        # ones the operator needs to see before moving service to them.
        named = {h.name for h in hosts if h.name}
        named |= {h.name.split(".", 1)[0] for h in hosts if h.name}
        for declared in snap.declared_hosts:
            if declared.name not in named:
                hosts.append(HostView(declared.addresses, (), declared.name, {}, {}, float("-inf")))
        return tuple(hosts)
