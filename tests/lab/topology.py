"""Names, addresses and the network-namespace plumbing of the lab.

Everything lives in namespaces whose names start with the lab prefix (``vl-``): the
bridge has its own namespace so the host's networking is never touched, and every
veth is created directly inside those namespaces (never in the host namespace).
"""

from __future__ import annotations

import json
import os
import subprocess
from dataclasses import dataclass
from pathlib import Path

PREFIX = os.environ.get("VRRPTOP_LAB_PREFIX", "vl")
"""Namespace prefix; another prefix (``VRRPTOP_LAB_PREFIX=vk``) runs a second lab beside
the first (two developers, or two test runs, on one machine). At most 3 characters:
interface names must fit in 15."""
NODES: tuple[str, ...] = ("recdns-cnh", "recdns-rnb", "recdns-sby", "recdns-wcdc")
"""The four DNS servers of the seed deployment, in priority-file order."""

NET4 = "198.51.100"
NET6 = "2001:db8:100:"
MON_IFACE = "mon0"
NODE_IFACE = "em1"  # the seed's interface name
BRIDGE = f"{PREFIX}-br0"

#: VIPs per base instance name: (IPv4, IPv6).
VIPS: dict[str, tuple[str, str]] = {
    "testdns0": (f"{NET4}.210", f"{NET6}:210"),
    "testdns1": (f"{NET4}.211", f"{NET6}:211"),
}
VRIDS: dict[str, int] = {"testdns0": 210, "testdns1": 211}


@dataclass(frozen=True, slots=True)
class Host:
    """One namespace on the lab segment (a DNS node or the monitor)."""

    name: str
    """Host name (``recdns-cnh``) or ``mon``."""
    short: str
    """Short tag used in namespace/port names (``cnh``)."""
    index: int
    """Last octet of the IPv4 address / last group of the IPv6 address."""
    iface: str

    @property
    def netns(self) -> str:
        """The network namespace name (``vl-cnh``)."""
        return f"{PREFIX}-{self.short}"

    @property
    def port(self) -> str:
        """The bridge-side veth name (``vl-p-cnh``), inside the bridge namespace."""
        return f"{PREFIX}-p-{self.short}"

    @property
    def ipv4(self) -> str:
        """The host's own IPv4 address."""
        return f"{NET4}.{self.index}"

    @property
    def ipv6(self) -> str:
        """The host's own global IPv6 address."""
        return f"{NET6}:{self.index}"

    @property
    def mac(self) -> str:
        """A fixed locally administered MAC, so captures are reproducible."""
        return f"02:76:6c:00:00:{self.index:02x}"


def node_host(name: str) -> Host:
    """The Host of a DNS node, from its full name or short tag."""
    short = name.removeprefix("recdns-")
    full = f"recdns-{short}"
    if full not in NODES:
        raise ValueError(f"unknown lab node {name!r} (known: {', '.join(NODES)})")
    return Host(full, short, 11 + NODES.index(full), NODE_IFACE)


MON = Host("mon", "mon", 2, MON_IFACE)
BRIDGE_NS = f"{PREFIX}-br"
HOSTS: tuple[Host, ...] = (*(node_host(n) for n in NODES), MON)
ALL_NETNS: tuple[str, ...] = (BRIDGE_NS, *(h.netns for h in HOSTS))


def run(argv: list[str], *, check: bool = True) -> subprocess.CompletedProcess[str]:
    """Run a command, capturing output; raise with its stderr when ``check`` fails."""
    proc = subprocess.run(argv, capture_output=True, text=True, check=False)
    if check and proc.returncode != 0:
        raise RuntimeError(f"{' '.join(argv)}: {proc.stderr.strip() or proc.returncode}")
    return proc


def ns_run(netns: str, argv: list[str], *, check: bool = True) -> subprocess.CompletedProcess[str]:
    """Run a command inside a lab namespace."""
    return run(["ip", "netns", "exec", netns, *argv], check=check)


def existing_netns() -> set[str]:
    """Names of the lab's namespaces that currently exist."""
    out = run(["ip", "netns", "list"], check=False).stdout
    names = {line.split()[0] for line in out.splitlines() if line.strip()}
    return names & set(ALL_NETNS)


def _sysctl(netns: str, key: str, value: str) -> None:
    ns_run(netns, ["sysctl", "-q", "-w", f"{key}={value}"], check=False)


def create() -> None:
    """Create the bridge namespace, the host namespaces and their veths."""
    write_mon_etc()
    run(["ip", "netns", "add", BRIDGE_NS])
    ns_run(BRIDGE_NS, ["ip", "link", "set", "lo", "up"])
    # No STP and no multicast snooping: adverts to 224.0.0.18 / ff02::12 must be
    # flooded to every port (including mon) from the first packet on.
    ns_run(
        BRIDGE_NS,
        ["ip", "link", "add", BRIDGE, "type", "bridge", "stp_state", "0", "mcast_snooping", "0"],
    )
    ns_run(BRIDGE_NS, ["ip", "link", "set", BRIDGE, "up"])
    for host in HOSTS:
        run(["ip", "netns", "add", host.netns])
        # DAD would hold every new address (and keepalived's IPv6 VIPs) tentative.
        # arp_ignore 1: an interface answers ARP only for its own addresses, as use_vmac
        # deployments set it. Without it (measured, keepalived 2.2.7, use_vmac) the IPv6
        # vmac interfaces (vrrp6.210, 00:00:5e:00:02:d2) answer ARP for every IPv4
        # address of the node: three replies per request, and a client that keeps the
        # wrong one loses the VIP (.211 resolved to VRID 210's IPv6 virtual MAC).
        for key, value in (
            ("net.ipv6.conf.all.accept_dad", "0"),
            ("net.ipv6.conf.default.accept_dad", "0"),
            ("net.ipv6.conf.default.accept_ra", "0"),
            ("net.ipv4.conf.all.arp_ignore", "1"),
            ("net.ipv4.conf.default.arp_ignore", "1"),
        ):
            _sysctl(host.netns, key, value)
        ns_run(host.netns, ["ip", "link", "set", "lo", "up"])
        ns_run(
            BRIDGE_NS,
            ["ip", "link", "add", host.port, "type", "veth", "peer", "name", host.iface,
             "netns", host.netns],
        )  # fmt: skip
        ns_run(BRIDGE_NS, ["ip", "link", "set", host.port, "master", BRIDGE, "up"])
        ns_run(host.netns, ["ip", "link", "set", host.iface, "address", host.mac])
        ns_run(host.netns, ["ip", "addr", "add", f"{host.ipv4}/24", "dev", host.iface])
        ns_run(
            host.netns,
            ["ip", "-6", "addr", "add", f"{host.ipv6}/64", "dev", host.iface, "nodad"],
        )
        ns_run(host.netns, ["ip", "link", "set", host.iface, "up"])


MON_ETC = Path("/etc/netns") / f"{PREFIX}-mon"
"""``ip netns exec vl-mon`` bind-mounts these files over /etc (the host's stay intact)."""


def hosts_file() -> str:
    """/etc/hosts for the monitor: lab hosts and VIP names resolve inside the lab."""
    lines = ["127.0.0.1 localhost", "::1 localhost ip6-localhost"]
    for host in HOSTS:
        lines += [f"{host.ipv4} {host.name}", f"{host.ipv6} {host.name}"]
    for name, (vip4, vip6) in VIPS.items():
        lines += [f"{vip4} {name}", f"{vip6} {name}"]
    return "\n".join(lines) + "\n"


def write_mon_etc() -> None:
    """Give the monitor namespace its own hosts and resolv.conf (lab DNS servers)."""
    MON_ETC.mkdir(parents=True, exist_ok=True)
    (MON_ETC / "hosts").write_text(hosts_file())
    servers = [node_host(n).ipv4 for n in NODES[:3]]  # resolv.conf takes at most three
    (MON_ETC / "resolv.conf").write_text(
        "".join(f"nameserver {ip}\n" for ip in servers) + "options timeout:1 attempts:1\n"
    )


def remove_mon_etc() -> None:
    """Remove exactly the files :func:`write_mon_etc` made."""
    for name in ("hosts", "resolv.conf"):
        (MON_ETC / name).unlink(missing_ok=True)
    if MON_ETC.is_dir() and not any(MON_ETC.iterdir()):
        MON_ETC.rmdir()


def destroy() -> list[str]:
    """Delete every lab namespace that exists; return the names deleted."""
    remove_mon_etc()
    gone = []
    for name in ALL_NETNS:
        if name in existing_netns():
            run(["ip", "netns", "delete", name], check=False)
            gone.append(name)
    return gone


def set_isolated(host: Host, isolated: bool) -> None:
    """Isolate (or not) a host's bridge port.

    Isolated ports cannot talk to each other but still reach non-isolated ports, so
    two isolated nodes stop seeing each other's adverts while mon still sees both.
    """
    ns_run(
        BRIDGE_NS,
        ["ip", "link", "set", host.port, "type", "bridge_slave", "isolated",
         "on" if isolated else "off"],
    )  # fmt: skip


def isolated_ports() -> list[str]:
    """Bridge ports currently isolated."""
    out = ns_run(BRIDGE_NS, ["bridge", "-d", "-j", "link", "show"], check=False).stdout
    try:
        ports = json.loads(out or "[]")
    except ValueError:
        return []
    return [p["ifname"] for p in ports if p.get("isolated")]


def addresses(host: Host) -> list[str]:
    """Addresses (without prefix length) currently on the host's lab interface, or on
    keepalived's macvlans on it (``use_vmac`` puts the VIPs there)."""
    out = ns_run(host.netns, ["ip", "-br", "addr", "show"], check=False)
    found = []
    for line in out.stdout.splitlines():
        fields = line.split()
        if fields and fields[0].split("@")[0] != "lo":
            found += [f.split("/")[0] for f in fields[2:]]
    return found
