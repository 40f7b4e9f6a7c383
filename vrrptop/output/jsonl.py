"""``--json``: one JSON object per line on stdout, for jq, scripts and tests.

The keys named in the README's contract are stable; new keys may be added.
Masters repeat the same advert every interval, so the JSON body of an advert is
cached by its content and only the timestamp is formatted per line.
"""

from __future__ import annotations

import contextlib
import json
import threading
from typing import IO, TYPE_CHECKING, Any, Final

from vrrptop.expect.wording import json_state
from vrrptop.model.events import Event
from vrrptop.model.expectation import AlarmChange
from vrrptop.model.node import LocalInstance, NodeState
from vrrptop.model.snapshot import Snapshot
from vrrptop.output.base import BaseOutput
from vrrptop.wire import auth
from vrrptop.wire.decode import CACHE_MAX
from vrrptop.wire.records import Advert, Carp, Garp, Malformed, Neighbour, Record

if TYPE_CHECKING:
    from vrrptop.probe.types import ProbeResult

_CACHE_LIMIT = CACHE_MAX
"""Advert bodies kept: one per decode template, so as many as the decode cache holds
(at 4,096, 510 instances x 16 routers re-encoded every advert)."""
#: Lines collected before one write when replaying (about 100 KB of adverts).
_BATCH = 512


_D3: Final = [f"{i:03d}" for i in range(1000)]
_D3_STRIPPED: Final = [d.rstrip("0") for d in _D3]


def ts_text(ts: float) -> str:
    """``repr(ts)``, byte for byte, without its shortest-digits search for the
    timestamps capture files hold: whole microseconds. That search was a fifth of a
    compiled advert's cost; here it is a few integer operations (in pure Python about
    as dear as ``repr``: +0.5 % instructions on a contention replay).

    Why it is exact: take ``us``, the nearest integer to ``ts * 1e6``. If
    ``us / 1e6 == ts``, then
    ``ts`` is the double nearest the decimal ``s`` = us·10⁻⁶, since IEEE division
    is correctly rounded, as is parsing ``s``. Below 2³³ s (the year 2242) one ulp of
    ``ts`` is under 10⁻⁶. Any other decimal that parses to ``ts`` then lies within
    one ulp of ``s``, so it needs more than six decimals and more digits than ``s``.
    ``s`` with its trailing zeros cut is the shortest string that parses back, which
    is what ``repr`` prints (fixed notation from 1e-4 to 1e16). Any other timestamp,
    such as nanoseconds, the clock or a test's, goes to ``repr``.
    """
    if 1.0 <= ts < 8589934592.0:
        # int(), // and * rather than round() and divmod(): the same in pure Python,
        # machine arithmetic when compiled. A wrong ``us`` only fails the check below
        # (and goes to repr): the proof needs ``us / 1e6 == ts``, not how ``us`` was found.
        us = int(ts * 1_000_000 + 0.5)
        if us / 1_000_000 == ts:
            sec = us // 1_000_000
            frac = us - sec * 1_000_000
            hi = frac // 1000
            lo = frac - hi * 1000
            if lo:
                return f"{sec}.{_D3[hi]}{_D3_STRIPPED[lo]}"
            return f"{sec}.{_D3_STRIPPED[hi] or '0'}"
    return repr(ts)


def advert_json(advert: Advert, show_secrets: bool = False) -> dict[str, Any]:
    """The JSON Lines form of an advert (PASS passwords masked unless asked)."""
    return {
        "type": "advert",
        "ts": advert.ts,
        "src": advert.src,
        "dst": advert.dst,
        "src_mac": advert.src_mac,
        "family": advert.family,
        "version": advert.version,
        "vrid": advert.vrid,
        "priority": advert.priority,
        "interval_cs": advert.interval_cs,
        "addresses": list(advert.addresses),
        "auth_type": advert.auth_type,
        "auth": auth.show(advert) if show_secrets else auth.mask(advert),
        "ttl": advert.ttl,
        "checksum": "ok" if advert.checksum_ok else "bad",
        "checksum_variant": advert.checksum_variant,
        "vlan": advert.vlan,
        "problems": list(advert.problems),
    }


def record_json(record: Record, show_secrets: bool = False) -> dict[str, Any]:
    """The JSON Lines form of any decoded record."""
    if isinstance(record, Advert):
        return advert_json(record, show_secrets)
    if isinstance(record, Garp):
        return {
            "type": "garp",
            "ts": record.ts,
            "address": record.address,
            "mac": record.mac,
            "family": record.family,
            "kind": record.kind,
            "src_mac": record.src_mac,
            "vlan": record.vlan,
        }
    if isinstance(record, Neighbour):
        return {
            "type": "neighbour",
            "ts": record.ts,
            "address": record.address,
            "mac": record.mac,
            "family": record.family,
            "vlan": record.vlan,
        }
    if isinstance(record, Carp):
        return {
            "type": "carp",
            "ts": record.ts,
            "src": record.src,
            "dst": record.dst,
            "src_mac": record.src_mac,
            "family": record.family,
            "vhid": record.vhid,
            "advskew": record.advskew,
            "advbase": record.advbase,
            "vlan": record.vlan,
        }
    assert isinstance(record, Malformed)
    return {
        "type": "malformed",
        "ts": record.ts,
        "reason": record.reason,
        "src": record.src,
        "proto": record.proto,
    }


def snapshot_json(snap: Snapshot) -> dict[str, Any]:
    """The last line of a run: instances and counters."""
    instances = []
    for inst in snap.instances:
        item: dict[str, Any] = {
            "vrid": inst.vrid,
            "family": inst.family,
            "name": inst.name,
            "version": inst.version,
            "master": inst.master,
            "master_mac": inst.master_mac,
            "priority": inst.priority,
            "interval_cs": inst.interval_cs,
            "addresses": list(inst.addresses),
            "state": json_state(inst),
            "wire_state": inst.state,
            "adverts": inst.adverts,
            "last_seen": inst.last_seen,
            "checksum_variant": inst.checksum_variant,
            "checksum_errors": inst.checksum_errors,
            "masters": [
                {"src": t.src, "since": t.since, "until": t.until, "priority": t.priority}
                for t in inst.masters
            ],
            "problems": dict(inst.problems),
        }
        if inst.vlan is not None:
            item["vlan"] = inst.vlan
        if inst.split_sources:
            item["split_sources"] = list(inst.split_sources)
        if inst.mismatch:
            item["mismatch"] = {k: dict(v) for k, v in inst.mismatch.items()}
        if inst.auth_mismatch:
            item["auth_mismatch"] = True
        if inst.expectation is not None:
            item.update(inst.expectation.to_json())
            item["alarms"] = [a.to_json() for a in inst.alarms]
        instances.append(item)
    c = snap.counters
    hosts = [
        {
            "name": h.name,
            "addresses": list(h.addresses),
            "macs": list(h.macs),
            "priorities": dict(h.priorities),
            "last_master": dict(h.last_master),
        }
        for h in snap.hosts
    ]
    return {
        "type": "snapshot",
        "ts": snap.ts,
        "instances": instances,
        "hosts": hosts,
        "counters": {
            "frames": c.frames,
            "adverts": c.adverts,
            "malformed": c.malformed,
            "dropped": c.dropped,
            "carp": c.carp,
            "garps": c.garps,
            "checksum_errors": c.checksum_errors,
            "evicted": c.evicted,
        },
        "malformed_reasons": dict(snap.malformed_reasons),
        "alarms": [a.to_json() for a in snap.alarms],
        "declared_hosts": [
            {
                "name": h.name,
                "addresses": list(h.addresses),
                "in_service": h.in_service,
                "dns_ok": h.healthy,
                "expected_priorities": {
                    f"{k.vrid}/{k.family}" + ("" if k.vlan is None else f"@{k.vlan}"): p
                    for k, p in h.expected
                },
            }
            for h in snap.declared_hosts
        ],
        "warnings": list(snap.warnings),
        "keepalived": snap.node.to_json() if snap.node is not None else None,
    }


def keepalived_lines(state: NodeState, changed: tuple[LocalInstance, ...]) -> list[dict[str, Any]]:
    """``{"type": "keepalived", ...}`` objects: one per changed local instance, or one
    with ``"error"`` when keepalived could not be read."""
    if state.error is not None and not changed:
        return [{"type": "keepalived", "ts": state.ts, "pid": state.pid, "error": state.error}]
    return [
        {"type": "keepalived", "ts": state.ts, "pid": state.pid, **inst.to_json()}
        for inst in changed
    ]


class JsonLinesWriter(BaseOutput):
    """Writes records, events and the final snapshot as JSON Lines (an ``Output``).

    ``line_buffered`` flushes after every line (live capture piped into jq).
    Replay collects lines and writes them ``_BATCH`` at a time: one ``write`` per
    line was a tenth of the cost of an advert. ``stop``, ``flush`` and the final
    snapshot write what is collected, so no line is lost or reordered.
    """

    def __init__(self, stream: IO[str], *, show_secrets: bool = False, line_buffered: bool = True):
        self.stream = stream
        self.show_secrets = show_secrets
        self.line_buffered = line_buffered
        self._bodies: dict[object, str] = {}
        self._encode = json.JSONEncoder(separators=(",", ":"), ensure_ascii=False).encode
        self._batch: list[str] = []
        """Lines not yet written (replay only; see the class docstring)."""
        # Probe results arrive from the prober's thread; lines must never interleave.
        self._lock = threading.Lock()

    def _emit(self, line: str) -> None:
        with self._lock:
            if self.line_buffered:
                self.stream.write(line)
                self.stream.flush()
                return
            self._batch.append(line)
            if len(self._batch) >= _BATCH:
                self._drain()

    def _drain(self) -> None:
        """Write the collected lines (the caller holds the lock)."""
        if self._batch:
            lines, self._batch = self._batch, []
            self.stream.write("".join(lines))

    def record(self, record: Record) -> None:
        """Write one decoded record."""
        if type(record) is Advert:
            a = record
            t = a.template
            # A decode template fixes every field but ts and frame: its body is one
            # identity-hashed lookup (the table holds the template, so it stays alive
            # and unique). Other adverts are keyed by the fields the body shows.
            key: object = (
                t if t is not None else (
                    a.src, a.dst, a.src_mac, a.family, a.version, a.type, a.vrid, a.priority,
                    a.interval_cs, a.addresses, a.auth_type, a.auth_data, a.ttl, a.checksum_ok,
                    a.checksum_variant, a.vlan, a.problems,
                )
            )  # fmt: skip
            body = self._bodies.get(key)
            if body is None:
                obj = advert_json(a, self.show_secrets)
                del obj["type"], obj["ts"]
                body = self._encode(obj)[1:]
                if len(self._bodies) >= _CACHE_LIMIT:
                    self._bodies.clear()
                self._bodies[key] = body
            self._emit(f'{{"type":"advert","ts":{ts_text(a.ts)},{body}\n')
            return
        self._emit(self._encode(record_json(record, self.show_secrets)) + "\n")

    def event(self, event: Event) -> None:
        """Write one tracker event."""
        self._emit(self._encode(event.to_json()) + "\n")

    def alarm(self, change: AlarmChange) -> None:
        """Stream one alarm transition (``{"type": "alarm", "state": "raised"...}``)."""
        self._emit(self._encode(change.to_json()) + "\n")

    def warning(self, message: str) -> None:
        """Stream a configuration warning (``{"type": "warning", "message": ...}``)."""
        self._emit(self._encode({"type": "warning", "message": message}) + "\n")

    def keepalived(self, state: NodeState, changed: tuple[LocalInstance, ...]) -> None:
        """The local keepalived changed (state, priorities, scripts, error counters)."""
        for obj in keepalived_lines(state, changed):
            self._emit(self._encode(obj) + "\n")

    def probe(self, result: ProbeResult) -> None:
        """Stream one DNS probe result."""
        self.line(result.to_json())

    def notice(self, message: str) -> None:
        """Stream a notice (``{"type": "notice", "kind": "write-failed"...}``)."""
        self.line({"type": "notice", "kind": "write-failed", "message": message})

    def finish(self, snap: Snapshot) -> None:
        """The run is over: the final snapshot line."""
        self.snapshot(snap)

    def line(self, obj: dict[str, Any]) -> None:
        """Write any other JSON object (probe results, snapshot)."""
        self._emit(self._encode(obj) + "\n")

    def snapshot(self, snap: Snapshot) -> None:
        """Write the final snapshot line and flush."""
        self._emit(self._encode(snapshot_json(snap)) + "\n")
        self.flush()

    def flush(self) -> None:
        """Write the collected lines and flush the stream."""
        with self._lock:
            self._drain()
            self.stream.flush()

    def stop(self) -> None:
        """The run stopped (also on an error): write the collected lines. A reader that
        left (``| head``) is not an error here: ``finish`` meets it and exits quietly."""
        with self._lock, contextlib.suppress(BrokenPipeError):
            self._drain()
