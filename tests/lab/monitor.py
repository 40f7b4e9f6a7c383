"""vrrptop running live in the monitor namespace, its JSON Lines collected as they come."""

from __future__ import annotations

import json
import signal
import subprocess
import sys
import threading
import time
from collections.abc import Callable
from pathlib import Path
from typing import Any

from tests.lab.lab import Lab
from tests.lab.topology import HOSTS, MON

Record = dict[str, Any]
REPO = Path(__file__).resolve().parents[2]

#: MAC -> host name: IPv6 adverts come from link-local addresses, so map by MAC.
NODE_BY_MAC = {h.mac: h.name for h in HOSTS}
NODE_BY_IP = {h.ipv4: h.name for h in HOSTS} | {h.ipv6: h.name for h in HOSTS}


def node_of(src: str | None, mac: str | None = None) -> str | None:
    """The lab host behind an advert source address or MAC (link-local included)."""
    if mac and mac.lower() in NODE_BY_MAC:
        return NODE_BY_MAC[mac.lower()]
    if src in NODE_BY_IP:
        return NODE_BY_IP[src]
    if src and src.startswith("fe80::"):
        # Our MACs are 02:76:6c:00:00:XX, so the EUI-64 link-local ends in fe00:XX.
        tail = int(src.rsplit(":", 1)[1], 16) & 0xFF
        return NODE_BY_MAC.get(f"02:76:6c:00:00:{tail:02x}")
    return None


class Monitor:
    """``vrrptop -i mon0 --json`` in ``vl-mon``; every line parsed into ``records``.

    Each record gains ``_rx``: the wall-clock time its line was read.
    """

    def __init__(
        self,
        lab: Lab,
        extra: list[str] | None = None,
        *,
        probe: bool = False,
        netns: str = MON.netns,
        iface: str = MON.iface,
        wrap: list[str] | None = None,
    ) -> None:
        """Start vrrptop; ``probe`` keeps its DNS probes and name resolution on.

        ``netns``/``iface``: where to watch from (a node's ``em1`` too); ``wrap`` is
        a command prefix that ends by exec'ing its arguments (e.g. other /etc files).
        """
        self.lab = lab
        quiet = [] if probe else ["-n", "--no-probe"]
        argv = [*(wrap or []), sys.executable, "-m", "vrrptop", "-i", iface, "--json",
                *quiet, *(extra or [])]  # fmt: skip
        # stderr to a file: a pipe nobody reads could fill up and block vrrptop.
        self.stderr_path = lab.state_dir / "vrrptop.stderr"
        with open(self.stderr_path, "wb") as err:
            self.proc = lab.mon_popen(argv, netns=netns, stdout=subprocess.PIPE, stderr=err,
                                      cwd=str(REPO))  # fmt: skip
        self.records: list[Record] = []
        self._cond = threading.Condition()
        self._reader = threading.Thread(target=self._read, daemon=True)
        self._reader.start()

    def _read(self) -> None:
        assert self.proc.stdout is not None
        for line in self.proc.stdout:
            try:
                rec = json.loads(line)
            except ValueError:
                continue
            rec["_rx"] = time.time()  # arrival: what a user watching vrrptop sees
            with self._cond:
                self.records.append(rec)
                self._cond.notify_all()
        with self._cond:
            self._cond.notify_all()

    def wait_for(self, pred: Callable[[Record], bool], timeout: float = 20.0,
                 start: int = 0) -> Record:  # fmt: skip
        """The first record (from index ``start``) matching ``pred``; fail on timeout."""
        deadline = time.monotonic() + timeout
        i = start
        with self._cond:
            while True:
                while i < len(self.records):
                    if pred(self.records[i]):
                        return self.records[i]
                    i += 1
                left = deadline - time.monotonic()
                if left <= 0 or self.proc.poll() is not None:
                    raise AssertionError(
                        f"no matching vrrptop record within {timeout}s "
                        f"({len(self.records)} records; rc={self.proc.poll()}; "
                        f"stderr={self._stderr_tail()!r})"
                    )
                self._cond.wait(min(left, 0.2))

    def mark(self) -> int:
        """Index of the next record: pass as ``start`` to look only at what follows."""
        with self._cond:
            return len(self.records)

    def events(self, kind: str | None = None, start: int = 0) -> list[Record]:
        """Events seen so far (of ``kind``), from index ``start``."""
        with self._cond:
            recs = self.records[start:]
        return [r for r in recs if r.get("type") == "event" and kind in (None, r.get("kind"))]

    def adverts(self, start: int = 0) -> list[Record]:
        """Adverts seen so far, from index ``start``."""
        with self._cond:
            recs = self.records[start:]
        return [r for r in recs if r.get("type") == "advert"]

    def wait_ready(self, timeout: float = 15.0) -> None:
        """Wait for the first advert (capture is running and decoding)."""
        self.wait_for(lambda r: r.get("type") == "advert", timeout)

    def stop(self, timeout: float = 10.0) -> Record | None:
        """SIGINT vrrptop and return its final snapshot line (None if none came)."""
        if self.proc.poll() is None:
            self.proc.send_signal(signal.SIGINT)
            try:
                self.proc.wait(timeout)
            except subprocess.TimeoutExpired:
                self.proc.kill()
                self.proc.wait()
        self._reader.join(5)
        self.lab.mon_forget(self.proc)
        snaps = [r for r in self.records if r.get("type") == "snapshot"]
        return snaps[-1] if snaps else None

    def _stderr_tail(self) -> str:
        try:
            return self.stderr_path.read_text(errors="replace")[-500:]
        except OSError:
            return ""
