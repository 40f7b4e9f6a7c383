"""The enrichment stage: what the wire cannot know, added to each published snapshot.

The engine publishes the tracker's picture; before anyone reads it, this stage (owned
by the monitor, given to the engine at construction as its ``Enricher``) runs on the
engine's thread, at publish time and never per packet. In order, it:

- re-reads the priority files that changed on disk (``priority.watch``), dating the
  change by the file's mtime, since keepalived may have read it before we did;
- points the DNS prober at the segment's routers, VIPs and the files' hosts, and
  takes its health board;
- judges declared versus observed (``vrrptop.expect``: who *should* be master, which
  alarms are raised) and the local keepalived's own alarms, telling the outputs of
  each transition and each new configuration warning;
- names the hosts (configuration, the files' resolved names, then PTR).
"""

from __future__ import annotations

from collections.abc import Callable, Iterable
from dataclasses import replace
from typing import TYPE_CHECKING

from vrrptop.config.hostmap import normalise
from vrrptop.config.model import Config
from vrrptop.expect.judge import Judge
from vrrptop.model.expectation import AlarmChange
from vrrptop.model.health import TargetHealth
from vrrptop.model.snapshot import HostView, Snapshot
from vrrptop.options import Options
from vrrptop.priority.watch import PriorityWatcher

if TYPE_CHECKING:
    from vrrptop.keepalived.alarms import NodeAlarms
    from vrrptop.keepalived.poller import KeepalivedPoller
    from vrrptop.probe.hosts import HostResolver
    from vrrptop.probe.names import ReverseNames
    from vrrptop.probe.thread import ProbeRunner

#: How often priority files are checked for changes made by others (seconds).
#: keepalived's track scripts read the file every second: vrrptop must not notice
#: an edit later than they do, or it would judge the old file against the new
#: election. The change is dated by the file's mtime, not by when we noticed.
FILE_POLL_S = 0.25

Tell = Callable[[list[AlarmChange], Iterable[str]], None]
"""Where alarm transitions and configuration warnings go (the monitor's outputs)."""


class SnapshotEnricher:
    """Adds priority files, DNS health, the judgement and host names to a snapshot.

    The services it reads (``probes``, ``resolver``, ``reverse``, ``node``,
    ``node_alarms``) are None until the monitor starts them.
    """

    def __init__(
        self,
        options: Options,
        config: Config,
        *,
        live: bool,
        watcher: PriorityWatcher,
        judge: Judge,
        tell: Tell,
        published: Callable[[], Snapshot],
    ) -> None:
        self.options = options
        self.config = config
        self.live = live
        self.watcher = watcher
        self.judge = judge
        self._tell = tell
        self._published = published
        """The engine's latest published snapshot (a save is judged against it)."""
        #: Names -> addresses: the configuration's [hosts], plus this node itself when
        #: it is one of the declared hosts (its link-local address names its adverts).
        self.hosts: dict[str, tuple[str, ...]] = dict(config.hosts)
        self._watching = bool(watcher.states)
        self._next_poll = 0.0
        self._last_frames = 0
        self.probes: ProbeRunner | None = None
        self.resolver: HostResolver | None = None
        self.reverse: ReverseNames | None = None
        self.node: KeepalivedPoller | None = None
        self.node_alarms: NodeAlarms | None = None

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
            at = min(now, mtime) if self.live else now
            # An edit made outside vrrptop (vi on this server) is a save too: if only
            # this copy changed, nothing moves, and save-not-distributed says why.
            self.judge.note_save(path, at, self._published())

    def file_hosts(self) -> list[str]:
        """Every host the priority files name."""
        hosts: list[str] = []
        for loaded in self.watcher.loaded.values():
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
            for name in self.file_hosts():
                for addr in self.resolver.lookup(name) or ():
                    extra.append(ProbeTarget(addr, "host", name))
        targets = targets_from_snapshot(snap, interface=self.options.interface, extra=extra)
        assert self.probes is not None
        self.probes.set_targets(targets)

    def enrich(self, snap: Snapshot) -> Snapshot:
        """``snap`` with DNS health, the judgement, the node's state and host names."""
        now = snap.ts
        if self._watching:
            self.reload_files(now)
        health: dict[tuple[str, int], TargetHealth] = {}
        if self.probes is not None:
            self._update_probe_targets(snap)
            health = self.probes.board.snapshot()
        files = self.watcher.files
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

    def _named_hosts(self, snap: Snapshot) -> tuple[HostView, ...]:
        """Hosts named from the configuration, the priority files' resolved names,
        then PTR (live, without -n); a host joined by MAC takes any member's name."""
        known: dict[str, str] = {}
        for config_host, addrs in self.hosts.items():
            for addr in addrs:
                known.setdefault(normalise(addr), config_host)
        if self.resolver is not None:
            for file_host in self.file_hosts():
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
