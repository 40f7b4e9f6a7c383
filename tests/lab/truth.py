"""What really happened in the lab during a matrix scenario, measured, not predicted.

- DNS as the monitor sees it: ``dig`` from the monitor's namespace at every VIP and
  every host address, a few times during the settle window (the same kernel, ARP
  and neighbour cache as vrrptop's own probes, so a stale ARP entry after a split
  brain heals counts as the outage it is);
- VIP holders (``ip addr`` in each node): who keepalived made master;
- gratuitous ARP / unsolicited NA on the wire (``tcpdump`` beside vrrptop): whose MAC
  the segment was last told for each VIP;
- keepalived's notify log: every state change it made.

From those, ``derived`` writes the alarms the measurements call for, so the
expectations follow what the network did rather than what vrrptop computes.
"""

from __future__ import annotations

import re
import subprocess
import time
from collections.abc import Sequence
from dataclasses import dataclass, field
from pathlib import Path

from tests.lab.configs import DNS_NAME, DNS_TEXT, InstanceSpec
from tests.lab.topology import HOSTS, NODES, addresses, node_host
from tests.lab.verdict import Want
from tests.lab.views import NotifyRecord

Key = tuple[int, int]
"""(VRID, family)."""


def virtual_macs(vrid: int) -> set[str]:
    """The VRRP virtual MACs of a VRID (``use_vmac``): IPv4 and IPv6."""
    return {f"00:00:5e:00:01:{vrid:02x}", f"00:00:5e:00:02:{vrid:02x}"}


MAC_OF = {h.name: h.mac for h in HOSTS}


@dataclass(frozen=True, slots=True)
class Sample:
    """One measurement of the lab."""

    ts: float
    vip_ok: dict[Key, bool]
    host_ok: dict[str, bool]
    """A host answers when any of its addresses does (vrrptop's rule too)."""
    holders: dict[Key, tuple[str, ...]]


def dig_many(netns: str, targets: Sequence[str]) -> dict[str, bool]:
    """``dig`` every target at once from ``netns``: does it answer the check query?"""
    procs = {
        t: subprocess.Popen(
            [
                "ip",
                "netns",
                "exec",
                netns,
                "dig",
                f"@{t}",
                "+time=1",
                "+tries=1",
                "+short",
                DNS_NAME,
                "TXT",
            ],
            stdout=subprocess.PIPE,
            stderr=subprocess.DEVNULL,
            text=True,
        )  # fmt: skip
        for t in targets
    }
    return {t: p.communicate()[0].strip() == f'"{DNS_TEXT}"' for t, p in procs.items()}


def sample(netns: str, specs: Sequence[InstanceSpec], ts: float) -> Sample:
    """Measure DNS (from ``netns``) and VIP holders now."""
    hosts = [node_host(n) for n in NODES]
    targets = [s.vip for s in specs] + [a for h in hosts for a in (h.ipv4, h.ipv6)]
    ok = dig_many(netns, targets)
    held = {h.name: set(addresses(h)) for h in hosts}
    return Sample(
        ts=ts,
        vip_ok={(s.vrid, s.family): ok[s.vip] for s in specs},
        host_ok={h.name: ok[h.ipv4] or ok[h.ipv6] for h in hosts},
        holders={(s.vrid, s.family): tuple(n for n in NODES if s.vip in held[n]) for s in specs},
    )


@dataclass(frozen=True, slots=True)
class Announce:
    """A gratuitous ARP or unsolicited NA seen on the wire."""

    ts: float
    address: str
    mac: str


_ARP_REQ = re.compile(r"Request who-has (\S+) (?:\(\S+\) )?tell (\S+),")
_ARP_REP = re.compile(r"Reply (\S+) is-at (\S+),")
_NA = re.compile(r"neighbor advertisement, tgt is (\S+),")


def announcements(pcap: Path) -> list[Announce]:
    """Gratuitous ARPs and unsolicited (multicast) NAs in ``pcap``, oldest first."""
    out = subprocess.run(["tcpdump", "-r", str(pcap), "-nn", "-e", "-tt"],
                         capture_output=True, text=True).stdout  # fmt: skip
    found = []
    for line in out.splitlines():
        parts = line.split()
        if len(parts) < 4:
            continue
        ts, src, dst = float(parts[0]), parts[1], parts[3].rstrip(",")
        if m := _ARP_REQ.search(line):
            if m.group(1) == m.group(2):
                found.append(Announce(ts, m.group(1), src))
        elif (m := _ARP_REP.search(line)) and dst == "ff:ff:ff:ff:ff:ff":
            found.append(Announce(ts, m.group(1), m.group(2)))
        elif (m := _NA.search(line)) and dst.startswith("33:33:"):
            found.append(Announce(ts, m.group(1), src))
    return found


_PRIO = re.compile(
    r"^(\w{3} \w{3} +\d+ \d\d:\d\d:\d\d \d{4}): \((\S+)\) Changing effective priority "
    r"from (\d+) to (\d+)"
)


@dataclass(frozen=True, slots=True)
class PrioChange:
    """keepalived changed an instance's effective priority (its log, 1 s resolution)."""

    ts: float
    node: str
    instance: str
    old: int
    new: int


def priority_changes(logs: dict[str, Path], since: float) -> list[PrioChange]:
    """Every "Changing effective priority" line in the nodes' keepalived logs since
    ``since`` (whole seconds: a change in the same second counts)."""
    out = []
    for node, path in logs.items():
        try:
            lines = path.read_text(errors="replace").splitlines()[-3000:]
        except OSError:
            continue
        for line in lines:
            m = _PRIO.match(line)
            if not m:
                continue
            ts = time.mktime(time.strptime(m.group(1), "%a %b %d %H:%M:%S %Y"))
            if ts >= int(since):
                out.append(PrioChange(ts, node, m.group(2), int(m.group(3)), int(m.group(4))))
    return sorted(out, key=lambda c: c.ts)


#: What may come and go where keepalived's own track scripts flapped (a check timing
#: out under load moves priorities, even masters, for real).
FLAP_KINDS = ("priority-mismatch", "master-mismatch", "vip-dns-failing", "master-dns-failing",
              "vip-holder-not-master", "instance-silent")  # fmt: skip


@dataclass(slots=True)
class Truth:
    """The measurements of one scenario."""

    specs: list[InstanceSpec]
    samples: list[Sample] = field(default_factory=list)
    announces: list[Announce] = field(default_factory=list)
    notify: list[NotifyRecord] = field(default_factory=list)
    prio_changes: list[PrioChange] = field(default_factory=list)

    def flapped(self) -> dict[str, list[str]]:
        """Instances whose effective priority changed twice or more on one node in the
        run (a track script that failed and came back): instance -> nodes."""
        count: dict[tuple[str, str], int] = {}
        for c in self.prio_changes:
            count[(c.instance, c.node)] = count.get((c.instance, c.node), 0) + 1
        out: dict[str, list[str]] = {}
        for (inst, node), n in sorted(count.items()):
            if n >= 2:
                out.setdefault(inst, []).append(node)
        return out

    def holders(self) -> dict[Key, tuple[str, ...]]:
        """VIP holders at the last sample."""
        return self.samples[-1].holders if self.samples else {}

    def _verdict(self, values: list[bool]) -> str:
        return "fail" if not any(values) else "ok" if all(values) else "mixed"

    def derived(
        self, in_service: set[str], *, garp_grace: float = 3.0
    ) -> tuple[list[Want], list[Want]]:
        """(standing, allowed) alarms the measurements call for."""
        standing: list[Want] = []
        allowed: list[Want] = []
        if not self.samples:
            return standing, allowed
        end = self.samples[-1]
        for spec in self.specs:
            key = (spec.vrid, spec.family)
            v, f = key
            dns = self._verdict([s.vip_ok[key] for s in self.samples])
            if dns != "ok":
                (standing if dns == "fail" else allowed).append(
                    Want("vip-dns-failing", v, f, why=f"dig @{spec.vip} from the monitor: {dns}")
                )
            counts = {len(s.holders[key]) for s in self.samples}
            if min(counts) >= 2:
                # A master that drops its peer's adverts (config mismatch) and keeps
                # receiving them stops advertising itself (keepalived 2.2.7, measured):
                # the wire then shows one advertiser, and config-mismatch tells the split.
                standing.append(Want("split-brain", v, f, why="two nodes hold the VIP",
                                     also=("config-mismatch",)))  # fmt: skip
            if max(counts) >= 2:
                allowed += [Want("split-brain", v, f), Want("vip-holder-not-master", v, f),
                            Want("master-mismatch", v, f)]  # fmt: skip
            held = end.holders[key]
            if len(held) != 1:
                if not held:
                    allowed.append(Want("vip-holder-not-master", v, f))
                continue
            master = held[0]
            mdns = self._verdict([s.host_ok[master] for s in self.samples])
            if mdns != "ok":
                (standing if mdns == "fail" else allowed).append(
                    Want("master-dns-failing", v, f, why=f"{master} does not answer: {mdns}")
                )
            last = [a for a in self.announces if a.address == spec.vip]
            if last:
                ok_macs = {MAC_OF[master]} | virtual_macs(spec.vrid)
                if last[-1].mac not in ok_macs and end.ts - last[-1].ts > garp_grace:
                    standing.append(Want("vip-holder-not-master", v, f,
                                         why=f"last GARP/NA for {spec.vip} from {last[-1].mac},"
                                             f" master {master}"))  # fmt: skip
        flapped = self.flapped()
        for spec in self.specs:
            if spec.name in flapped:
                allowed += [Want(k, spec.vrid, spec.family) for k in FLAP_KINDS]
        for host in NODES:
            hdns = self._verdict([s.host_ok[host] for s in self.samples])
            if hdns != "ok" and host in in_service:
                (standing if hdns == "fail" else allowed).append(
                    Want("host-dns-failing", about=host, why=f"dig @{host}: {hdns}")
                )
        return standing, allowed
