"""Ask keepalived for its dumps and read them: the only thing vrrptop does to another
process.

One read sends, to the pid in keepalived's pid file, the JSON signal (when the build
has one), or the data and stats signals (SIGUSR1, SIGUSR2) without JSON, and reads
what keepalived writes in its own /tmp: ``keepalived.json``, ``keepalived.data``,
``keepalived.stats`` (the parent also writes ``keepalived_parent.data`` on SIGUSR1).
keepalived logs a line for every dump ("Printing VRRP as json ... on signal"), so
with JSON the data dump -- needed for the track scripts' results and the master's
address, which 2.2's JSON lacks -- is asked only at the first read, when the JSON
shows a change of state or priority, and at least every ``DATA_REFRESH_S``. A dump
is taken once its file is newer than before the signal and has stopped growing;
nothing is ever deleted or written there.
"""

from __future__ import annotations

import os
import time
from collections.abc import Callable
from pathlib import Path

from vrrptop.keepalived.dumps import DataDump, DumpError, merge, parse_data, parse_json
from vrrptop.keepalived.locate import Keepalived, Signals
from vrrptop.keepalived.stats import parse_stats
from vrrptop.model.node import NodeState

DUMP_TIMEOUT_S = 2.0
DATA_REFRESH_S = 30.0
"""With JSON, the data dump (script results) is at most this old."""
POLL_S = 0.05
MAX_DUMP_BYTES = 16 * 1024 * 1024


def _stamp(path: Path) -> tuple[int, int, int] | None:
    try:
        st = path.stat()
    except OSError:
        return None
    return (st.st_ino, st.st_mtime_ns, st.st_size)


class DumpReader:
    """Reads one keepalived's dumps on the caller's thread (the poller's)."""

    def __init__(
        self,
        ka: Keepalived,
        sigs: Signals,
        *,
        kill: Callable[[int, int], None] = os.kill,
        timeout: float = DUMP_TIMEOUT_S,
    ) -> None:
        self.ka = ka
        self.sigs = sigs
        self._kill = kill
        self.timeout = timeout
        self._data: DataDump | None = None
        self._data_ts = 0.0
        self._shape: tuple[object, ...] = ()

    def _request(self, names: list[tuple[str, int]]) -> dict[str, str]:
        """Signal for each dump, then wait for all of their files to be fresh."""
        paths = {name: self.ka.tmp / name for name, _sig in names}
        before = {name: _stamp(path) for name, path in paths.items()}
        for _name, signum in names:
            self._kill(self.ka.pid, signum)
        out: dict[str, str] = {}
        last: dict[str, tuple[int, int, int] | None] = {}
        deadline = time.monotonic() + self.timeout
        while len(out) < len(paths) and time.monotonic() < deadline:
            time.sleep(POLL_S)
            for name, path in paths.items():
                if name in out:
                    continue
                stamp = _stamp(path)
                if stamp is None or stamp == before[name] or stamp[2] == 0:
                    continue
                if last.get(name) != stamp:
                    last[name] = stamp  # still being written: look again
                    continue
                text = _read(path)
                if name.endswith(".json"):
                    try:
                        parse_json(text)
                    except DumpError:
                        last.pop(name, None)
                        continue
                out[name] = text
        missing = [name for name in paths if name not in out]
        if missing:
            raise DumpError(
                f"keepalived (pid {self.ka.pid}) wrote no fresh {', '.join(missing)} "
                f"in {self.ka.tmp} within {self.timeout:g}s"
            )
        return out

    def read(self, now: float) -> NodeState:
        """One full read; DumpError (one line) when keepalived did not answer."""
        if self.sigs.json is not None:
            part = parse_json(self._request([("keepalived.json", self.sigs.json)])[
                "keepalived.json"])  # fmt: skip
            shape = tuple((n, i.state, i.effective_priority, i.master_priority,
                           i.last_transition) for n, i in part.items())  # fmt: skip
            if self._data is None or shape != self._shape or now - self._data_ts >= DATA_REFRESH_S:
                text = self._request([("keepalived.data", self.sigs.data)])["keepalived.data"]
                self._data, self._data_ts = parse_data(text), now
            self._shape = shape
            data = self._data
            instances = merge(part, data.instances)
            sources: tuple[str, ...] = ("json", "data")
        else:
            dumps = self._request(
                [("keepalived.data", self.sigs.data), ("keepalived.stats", self.sigs.stats)]
            )
            data = parse_data(dumps["keepalived.data"])
            instances = merge(None, data.instances, parse_stats(dumps["keepalived.stats"]))
            sources = ("data", "stats")
        return NodeState(
            ts=now,
            pid=self.ka.pid,
            instances=instances,
            router_id=data.router_id,
            sources=sources,
            addresses=data.addresses,
        )


def _read(path: Path) -> str:
    with path.open("rb") as fh:
        return fh.read(MAX_DUMP_BYTES).decode("utf-8", errors="replace")
