"""Live capture from an interface on an AF_PACKET socket (``vrrptop em1``).

A capture thread drains the socket into a bounded queue as fast as the kernel
delivers, so a slow consumer never makes the kernel drop silently: queue overflows
and kernel drops (PACKET_STATISTICS) are both counted and reported.

The socket is the only privileged thing vrrptop opens (CAP_NET_RAW). It joins the
interface in promiscuous mode so 224.0.0.18 and ff02::12 are seen without joining
multicast groups, and it never transmits. With ``-p`` it does not: the status
says what may then be missed (``NOT_PROMISCUOUS``).

Opening order matters, as in libpcap: a packet socket created with ETH_P_ALL
receives every frame of every interface at once, before any filter is attached
(compiling the filter takes milliseconds, and the host's own DNS queries were
seen in ``-w`` files). So the socket is created with protocol 0 (it receives
nothing), the filter is attached, anything queued is drained, and only then is
it bound to the interface with ETH_P_ALL.
"""

from __future__ import annotations

import contextlib
import errno
import os
import select
import socket
import struct
import threading
import time
from collections import deque
from collections.abc import Iterator
from typing import Any

from vrrptop.capture import bpf
from vrrptop.capture.base import SourceKind, SourceState, SourceStatus
from vrrptop.errors import VrrptopError
from vrrptop.wire.records import Frame

ETH_P_ALL = 0x0003
SOL_PACKET = 263
PACKET_ADD_MEMBERSHIP = 1
PACKET_MR_PROMISC = 1
PACKET_STATISTICS = 6
PACKET_AUXDATA = 8
SO_RCVBUFFORCE = 33
SO_TIMESTAMP = 29
TP_STATUS_VLAN_VALID = 1 << 4
TP_STATUS_VLAN_TPID_VALID = 1 << 6
ARPHRD_ETHER = 1
LINKTYPE_ETHERNET = 1
LINKTYPE_LINUX_SLL = 113

#: Frames buffered between the capture thread and the engine before drops count.
QUEUE_LIMIT = 65536
#: Kernel socket buffer asked for (root may exceed rmem_max with SO_RCVBUFFORCE).
RCVBUF = 8 << 20
_POLL_S = 0.1
_POLL_MS = int(_POLL_S * 1000)
#: The capture thread reads the socket in batches. Waking per frame (the capture
#: thread out of recvmsg, then the engine thread out of its wait) cost more than
#: decoding the frame: at 200 adverts/s (100 VRIDs, both families) ``--no-ui`` used
#: 2.1 % of a core. So after a batch of fewer than BATCH_SMALL frames the thread
#: lets the next ones gather in the socket buffer for BATCH_S before it reads
#: again, and wakes the engine once per batch (``benchmarks/bench_idle.py``).
#: Timestamps are the kernel's (SO_TIMESTAMP), so no timing is lost: an advert is
#: shown at most 50 ms later, and the console redraws at most every 100 ms anyway.
#: The pause only follows a batch under BATCH_SMALL, i.e. a rate under ~1,300
#: frames/s, so the socket buffer never holds more than a few dozen frames for it;
#: a busy segment fills batches and is read without a pause. BATCH_MAX bounds a
#: batch so the engine starts on a flood at once.
BATCH_S = 0.05
BATCH_SMALL = 64
BATCH_MAX = 1024


#: Shown in the status line with ``-p``.
NOT_PROMISCUOUS = (
    "not promiscuous (-p): adverts to 224.0.0.18/ff02::12 only if this host joined "
    "them (a local keepalived does), unicast VRRP between other hosts missed"
)


def _arphrd(interface: str) -> int:
    try:
        with open(f"/sys/class/net/{interface}/type") as fh:
            return int(fh.read().strip())
    except OSError:
        return -1


def check_interface(interface: str) -> None:
    """Raise VrrptopError when ``interface`` does not exist (``any`` always does)."""
    if interface == "any":
        return
    try:
        socket.if_nametoindex(interface)
    except OSError:
        raise VrrptopError(
            f"no such interface: {interface!r} (list them with `ip link`)", 69
        ) from None


class LiveSource:
    """Frames from a live interface; yields None when idle so timers can fire."""

    kind: SourceKind = "live"
    packet_clock: bool = False
    live: bool = True

    def __init__(
        self,
        interface: str,
        queue_limit: int = QUEUE_LIMIT,
        *,
        expression: str | None = None,
        promiscuous: bool = True,
    ) -> None:
        check_interface(interface)
        self.name = interface
        self._expression = expression
        """The operator's tcpdump expression, narrowing vrrptop's own filter."""
        self._promiscuous = promiscuous
        self._queue: deque[Frame] = deque()
        self._limit = queue_limit
        self._wake = threading.Event()
        self._stop = threading.Event()
        self._received = 0
        self._queue_drops = 0
        self._kernel_drops = 0
        self._kernel_packets = 0
        """Frames the kernel queued for us or dropped (PACKET_STATISTICS tp_packets)."""
        self._read = 0
        """Frames read off the socket (handed over or lost to a full queue)."""
        self._state: SourceState = "starting"
        self._message = ""
        self._sock, self._linktype = self._open()
        self._heard = time.time()
        """Every frame captured before this wall time has been read (``heard_until``)."""
        self._state = "running"
        if not promiscuous:
            self._message = NOT_PROMISCUOUS
        self._thread = threading.Thread(target=self._run, name=f"capture-{interface}", daemon=True)
        self._thread.start()

    # -- socket -----------------------------------------------------------------
    def _open(self) -> tuple[socket.socket, int]:
        interface = self.name
        cooked = interface == "any" or _arphrd(interface) != ARPHRD_ETHER
        kind = socket.SOCK_DGRAM if cooked else socket.SOCK_RAW
        try:
            # Protocol 0: no frame is queued until bind(), after the filter.
            sock = socket.socket(socket.AF_PACKET, kind, 0)
        except PermissionError:
            raise VrrptopError(
                f"no permission to capture on {interface}: run as root or grant CAP_NET_RAW"
                " (see README: Running without root)",
                77,
            ) from None
        try:
            # Filter before bind so no unfiltered frame is ever queued on the socket.
            if cooked and self._expression:
                raise VrrptopError(
                    f"a capture filter expression needs an Ethernet interface; {interface} "
                    "is read without link headers",
                    2,
                )
            if cooked:
                bpf.attach_cooked_filter(sock)
            else:
                bpf.attach_ethernet_filter(sock, self._expression)
            _drain(sock)
            try:
                sock.setsockopt(socket.SOL_SOCKET, SO_RCVBUFFORCE, RCVBUF)
            except OSError:
                sock.setsockopt(socket.SOL_SOCKET, socket.SO_RCVBUF, RCVBUF)
            sock.setsockopt(SOL_PACKET, PACKET_AUXDATA, 1)
            sock.setsockopt(socket.SOL_SOCKET, SO_TIMESTAMP, 1)
            if interface != "any":
                index = socket.if_nametoindex(interface)
                sock.bind((interface, ETH_P_ALL))
                if self._promiscuous:
                    mreq = struct.pack("IHH8s", index, PACKET_MR_PROMISC, 0, b"")
                    sock.setsockopt(SOL_PACKET, PACKET_ADD_MEMBERSHIP, mreq)
            else:
                _bind_all(sock)
            sock.setblocking(False)  # _pump polls, with _POLL_S as its timeout
            self._drain_stats(sock)  # reset kernel counters
        except VrrptopError:
            sock.close()
            raise
        except OSError as exc:
            sock.close()
            if exc.errno == errno.ENODEV:
                raise VrrptopError(f"no such interface: {interface!r}", 69) from None
            if exc.errno == errno.ENETDOWN:
                raise VrrptopError(f"interface {interface} is down", 69) from None
            raise VrrptopError(f"cannot capture on {interface}: {exc.strerror}", 69) from None
        return sock, (LINKTYPE_LINUX_SLL if cooked else LINKTYPE_ETHERNET)

    def _drain_stats(self, sock: socket.socket) -> None:
        try:
            raw = sock.getsockopt(SOL_PACKET, PACKET_STATISTICS, 8)
        except OSError:
            return
        packets, drops = struct.unpack("II", raw)
        self._kernel_drops += drops
        self._kernel_packets += packets

    # -- capture thread ---------------------------------------------------------
    def _run(self) -> None:
        while not self._stop.is_set():
            try:
                self._pump()
            except OSError as exc:
                if self._stop.is_set():
                    break
                self._lost(exc)
            if not self._stop.is_set() and self._state == "lost":
                self._reattach()

    def _pump(self) -> None:
        """Read the socket in batches: poll until a frame is queued, read what is
        queued without blocking (the socket is non-blocking: one poll and one
        recvmsg a frame, not a poll per recvmsg as a socket timeout costs), wake the
        engine once, and after a small batch let the next frames gather for
        ``BATCH_S`` (see there) before polling again."""
        sock, stop, wake = self._sock, self._stop, self._wake
        take = self._take
        poller = select.poll()
        poller.register(sock, select.POLLIN)
        last_stats = time.monotonic()
        while not stop.is_set():
            if not poller.poll(_POLL_MS):
                self._heard = time.time()  # the socket was empty for a whole poll
                now = time.monotonic()
                if now - last_stats > 1.0:
                    self._drain_stats(sock)
                    last_stats = now
                continue
            batch = 0
            while batch < BATCH_MAX:
                try:
                    take(*sock.recvmsg(65535, 256))
                except BlockingIOError:
                    break
                batch += 1
            if batch:
                wake.set()
            now = time.monotonic()
            if now - last_stats > 1.0:
                self._drain_stats(sock)
                last_stats = now
            if batch < BATCH_SMALL:
                stop.wait(BATCH_S)

    def _take(
        self, data: bytes, anc: list[tuple[int, int, bytes]], _flags: int, addr: tuple[Any, ...]
    ) -> None:
        """One frame off the socket into the queue (or counted as a queue drop)."""
        ts = None
        tci = None
        for level, kind, value in anc:
            if level == socket.SOL_SOCKET and kind == SO_TIMESTAMP and len(value) >= 16:
                sec, usec = struct.unpack("qq", value[:16])
                ts = sec + usec / 1e6
            elif level == SOL_PACKET and kind == PACKET_AUXDATA and len(value) >= 20:
                status = struct.unpack_from("I", value, 0)[0]
                if status & TP_STATUS_VLAN_VALID:
                    tci = struct.unpack_from("H", value, 16)[0]
                    tpid = struct.unpack_from("H", value, 18)[0]
                    if not status & TP_STATUS_VLAN_TPID_VALID or not tpid:
                        tpid = 0x8100
                    tci = (tpid, tci)
        if ts is None:
            ts = time.time()
        if ts > self._heard:
            self._heard = ts  # frames arrive in capture order
        linktype = self._linktype
        if linktype == LINKTYPE_LINUX_SLL:
            data = _sll_header(addr) + data
        elif tci is not None and len(data) >= 14:
            # The kernel strips the 802.1Q tag into metadata; put it back as
            # libpcap does, so the decoder sees the VLAN id.
            data = data[:12] + struct.pack("!HH", tci[0], tci[1]) + data[12:]
        self._read += 1
        queue = self._queue
        if len(queue) >= self._limit:
            self._queue_drops += 1
            return
        queue.append(Frame(ts, linktype, data, len(data)))
        self._received += 1

    def _lost(self, exc: OSError) -> None:
        self._state = "lost"
        self._message = f"capture on {self.name} lost ({exc.strerror or exc}); retrying"
        self._wake.set()
        with contextlib.suppress(OSError):
            self._sock.close()

    def _reattach(self) -> None:
        """Retry opening the interface once a second until it comes back."""
        while not self._stop.wait(1.0):
            try:
                self._sock, self._linktype = self._open()
            except VrrptopError as exc:
                self._message = f"capture on {self.name} lost ({exc}); retrying"
                continue
            self._state = "running"
            self._message = f"capture on {self.name} reattached"
            self._wake.set()
            return

    # -- FrameSource ------------------------------------------------------------
    def frames(self) -> Iterator[Frame | None]:
        """Yield queued frames in order; None every ~0.1 s of silence."""
        queue, wake = self._queue, self._wake
        while not self._stop.is_set():
            while queue:
                yield queue.popleft()
            wake.clear()
            if queue:
                continue
            if not wake.wait(_POLL_S):
                yield None

    def close(self) -> None:
        """Stop the capture thread and close the socket."""
        if self._stop.is_set():
            return
        self._stop.set()
        self._wake.set()
        self._thread.join(timeout=2)
        # Frames still queued will never be decoded: count them, never lose silently;
        # so are the kernel's last drops and the frames still in the socket buffer.
        self._queue_drops += len(self._queue)
        self._queue.clear()
        if self._state == "running":
            self._drain_stats(self._sock)
            self._queue_drops += max(0, self._kernel_packets - self._kernel_drops - self._read)
        with contextlib.suppress(OSError):
            self._sock.close()

    def status(self) -> SourceStatus:
        """State and counters (kernel drops plus queue overflows)."""
        return SourceStatus(
            self.name,
            "live",
            self._state,
            self._received,
            self._kernel_drops + self._queue_drops,
            self._message,
            self._heard if self._state == "running" else None,
        )


def _bind_all(sock: socket.socket) -> None:
    """Bind to interface index 0 (every interface) with ETH_P_ALL.

    Python's AF_PACKET addresses take an interface name and cannot say "index 0",
    so the ``sockaddr_ll`` is passed to libc's bind directly.
    """
    import ctypes

    addr = struct.pack("HHiHBB8s", socket.AF_PACKET, socket.htons(ETH_P_ALL), 0, 0, 0, 0, b"")
    libc = ctypes.CDLL(None, use_errno=True)
    if libc.bind(sock.fileno(), ctypes.c_char_p(addr), len(addr)) != 0:
        code = ctypes.get_errno()
        raise OSError(code, os.strerror(code))


def _drain(sock: socket.socket) -> None:
    """Discard anything queued before the filter was attached (libpcap does too)."""
    sock.setblocking(False)
    try:
        while True:
            sock.recv(65535)
    except (BlockingIOError, InterruptedError):
        pass
    finally:
        sock.setblocking(True)


def _sll_header(addr: tuple) -> bytes:  # type: ignore[type-arg]
    """Build a Linux cooked (SLL) header from a packet socket address."""
    _ifname, proto, pkttype, hatype, hwaddr = addr[:5]
    hw = hwaddr[:8]
    return struct.pack("!HHH8sH", pkttype, hatype, len(hwaddr), hw.ljust(8, b"\0"), proto)
