"""The files the lab's daemons run from: keepalived.conf, named_check, notify.

The configuration reproduces the seed deployment (``../shared/seed/``): every node is
``state BACKUP`` with base priority 50 and four ``track_script`` entries per instance,
``named_check_<inst>_<prio>`` with weight ``prio*50``, so at most one succeeds and the
priority file decides who is master.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from pathlib import Path

from tests.lab.topology import MON, NET4, NET6, NODE_IFACE, NODES, VIPS, VRIDS, Host, node_host

SEED_PRIORITY = "recdns-cnh\n#recdns-rnb\nrecdns-sby\nrecdns-wcdc\n"
"""The seed's ``/etc/keepalived/priority.testdns``."""
DNS_NAME = "cam.ac.uk"
DNS_TEXT = "test"
PRIORITY_TYPE = "testdns"
BASE_PRIORITY = 50
STEP = 50


@dataclass(frozen=True, slots=True)
class Profile:
    """A flavour of the keepalived configuration."""

    name: str = "default"
    vrrp_version: int = 2
    """Global ``vrrp_version`` (IPv6 instances are always v3)."""
    auth_pass: str = "lab-pass"
    """PASS authentication for VRRPv2 instances (v3 takes none)."""
    checksum_as_v2: frozenset[str] = field(default_factory=frozenset)
    """Base instances whose IPv4 VRRPv3 unicast adverts use keepalived's pre-1.3.6
    checksum (``old_unicast_checksum``), on every node.

    keepalived 2.2.7 has no ``v3_checksum_as_v2`` keyword. Its ``old_unicast_checksum``
    is NOT the message-only ("v3-as-v2") variant: measured on the wire, it keeps the
    IPv4 pseudo-header but with the multicast group 224.0.0.18 as destination instead
    of the unicast peer it is sent to. The IPv4 instances then run in unicast mode with
    mon among the peers (the monitor still receives every advert). It is set on every
    node because one node alone breaks the election (its peers reject its adverts,
    "Invalid VRRPv3 checksum", and it theirs): a split brain instead of a clean test.
    For real message-only v3-as-v2 adverts see ``tests.lab.foreign``.
    """
    unicast_v4: bool = False
    """Run the IPv4 instances in unicast mode (peers: the other nodes, and mon unless
    ``unicast_to_mon`` is off)."""
    unicast_to_mon: bool = True
    """List mon among the unicast peers. Off, the bridge forwards the IPv4 adverts
    only to the nodes' ports: the monitor never sees them (watch from a node)."""
    advert_int: float = 1.0
    """``advert_int`` of every instance (0.1: VRRPv3's 10 cs)."""
    nopreempt: bool = False
    """``nopreempt`` on every instance (a higher priority does not take over)."""
    use_vmac: bool = False
    """``use_vmac``: adverts and VIPs on a macvlan with 00:00:5e:00:0{1,2}:VRID."""
    extra_instances: int = 0
    """More instances (VRIDs from 220 on, VIPs .220+ / ::220+), alternately
    tracking testdns0's and testdns1's scripts, so they follow the same masters."""

    def version_for(self, family: int) -> int:
        """The VRRP version instances of this family send."""
        return 3 if family == 6 else self.vrrp_version


PROFILES: dict[str, Profile] = {
    "default": Profile(),
    "v3": Profile(name="v3", vrrp_version=3),
    "v3-fast": Profile(name="v3-fast", vrrp_version=3, advert_int=0.1, extra_instances=10),
    "nopreempt": Profile(name="nopreempt", nopreempt=True),
    "unicast": Profile(name="unicast", unicast_v4=True, unicast_to_mon=False),
    "vmac": Profile(name="vmac", use_vmac=True),
    "v3-old-unicast": Profile(
        name="v3-old-unicast",
        vrrp_version=3,
        unicast_v4=True,
        checksum_as_v2=frozenset({"testdns0"}),
    ),
}


NAMED_CHECK = """#!/bin/sh
# named_check TYPE NUM PRIO: the seed's health check, with the lab's paths.
# Succeeds only when this host's rank in priority.TYPE is PRIO and DNS answers.
set -e
type=$1 num=$2 check=$3
name=$(hostname --short)
# The node's own copy (a link to the shared file unless the lab made real copies).
file={nodes_dir}/$name/priority.$type
# A commented-out line does not match: grep fails and set -e fails the script.
grepout=$(grep -Fxn "$name" "$file")
prio=$(echo "$grepout" | sed 's/:.*//')
# num=0: a later line is a higher rank; num=1: an earlier one.
if [ "$num" = 1 ]
then
{reverse}
fi
[ "$check" = "$prio" ] && \\
    [ "$(dig @localhost +time=1 +tries=1 +short {name} TXT)" = '"{text}"' ]
"""

NOTIFY = """#!/bin/sh
# notify INSTANCE|GROUP NAME STATE PRIORITY: keepalived's own view, the ground truth.
echo "$(date +%s.%N) $(hostname --short) $2 $3 $4" >> {log}
"""


#: How direction 1 reverses the line number: the lab's ``lines + 1 - line`` (what
#: vrrptop assumes) or the seed's literal ``5 - line`` (what the seed deployment runs;
#: the same for a 4-line file, different once a line is added).
REVERSE = {
    "lines": "    lines=$(grep -c '' \"$file\")\n    prio=$(($lines + 1 - $prio))",
    "seed": "    prio=$((5 - $prio))",
}


def named_check_script(nodes_dir: Path, reverse: str = "lines") -> str:
    """The ``named_check`` script reading ``nodes_dir/<hostname>/priority.TYPE``."""
    return NAMED_CHECK.format(nodes_dir=nodes_dir, name=DNS_NAME, text=DNS_TEXT,
                              reverse=REVERSE[reverse])  # fmt: skip


def notify_script(log: Path) -> str:
    """The text of the ``notify`` script appending to ``log``."""
    return NOTIFY.format(log=log)


@dataclass(frozen=True, slots=True)
class Quirk:
    """One node's deliberate misconfiguration of ``base`` (the others keep the profile)."""

    auth_pass: str | None = None
    """Another PASS password for its VRRPv2 instances (all of them)."""
    extra_vip: str | None = None
    """One more IPv4 VIP in ``base``'s ``virtual_ipaddress`` (a wrong VIP list)."""
    advert_int: float | None = None
    """Another ``advert_int`` for ``base`` (both families)."""
    base: str = "testdns0"


@dataclass(frozen=True, slots=True)
class InstanceSpec:
    """One ``vrrp_instance`` every node runs."""

    name: str
    vrid: int
    family: int
    vip: str
    track: str
    """The base instance whose ``named_check`` scripts it tracks (``testdns0``)."""


EXTRA_VRID = 220


def instance_specs(profile: Profile) -> list[InstanceSpec]:
    """The instances of ``profile``: testdns0/1 in both families, then the extras."""
    out = []
    for base, vrid in VRIDS.items():
        for family in (4, 6):
            name = base if family == 4 else f"{base}_v6"
            out.append(InstanceSpec(name, vrid, family, VIPS[base][family // 6], base))
    bases = list(VRIDS)
    for i in range(profile.extra_instances):
        vrid = EXTRA_VRID + i
        for family, vip in ((4, f"{NET4}.{vrid}"), (6, f"{NET6}:{vrid}")):
            name = f"extra{vrid}" if family == 4 else f"extra{vrid}_v6"
            out.append(InstanceSpec(name, vrid, family, vip, bases[i % 2]))
    return out


def _instance(spec: InstanceSpec, node: Host, profile: Profile, notify: Path, quirk: Quirk) -> str:
    family, base = spec.family, spec.track
    mine = spec.name.removesuffix("_v6") == quirk.base
    advert_int = quirk.advert_int if mine and quirk.advert_int else profile.advert_int
    lines = [
        f"vrrp_instance {spec.name} {{",
        f"    interface {NODE_IFACE}",
        f"    virtual_router_id {spec.vrid}",
        "    state BACKUP",
        f"    priority {BASE_PRIORITY}",
        f"    advert_int {advert_int:g}",
        f'    notify "{notify}"',
    ]
    if profile.nopreempt:
        lines.append("    nopreempt")
    if profile.use_vmac:
        lines.append(f"    use_vmac vrrp{family}.{spec.vrid}")
    if profile.version_for(family) == 2:
        lines += [
            "    authentication {",
            "        auth_type PASS",
            f"        auth_pass {quirk.auth_pass or profile.auth_pass}",
            "    }",
        ]
    if family == 4 and (profile.unicast_v4 or profile.checksum_as_v2):
        lines.append(f"    unicast_src_ip {node.ipv4}")
        if base in profile.checksum_as_v2:
            lines.append("    old_unicast_checksum")
        lines.append("    unicast_peer {")
        peers = [node_host(n) for n in NODES if n != node.name]
        peers += [MON] if profile.unicast_to_mon else []
        lines += [f"        {peer.ipv4}" for peer in peers]
        lines.append("    }")
    prefix = 24 if family == 4 else 64
    vips = [spec.vip]
    if mine and family == 4 and quirk.extra_vip:
        vips.append(quirk.extra_vip)
    lines += ["    virtual_ipaddress {", *(f"        {v}/{prefix}" for v in vips), "    }"]
    lines.append("    track_script {")
    num = base.removeprefix(PRIORITY_TYPE)
    lines += [f"        named_check_{PRIORITY_TYPE}{num}_{prio}" for prio in range(1, 5)]
    lines += ["    }", "}"]
    return "\n".join(lines)


def keepalived_conf(
    node: Host,
    profile: Profile,
    *,
    named_check: Path,
    notify: Path,
    quirk: Quirk | None = None,
) -> str:
    """The keepalived.conf of one node (VRRP only), misconfigured by ``quirk``."""
    out = [
        "global_defs {",
        f"    router_id {node.name}",
        "    script_user root",
        # Quick GARPs, and no periodic refresh flooding the demo capture.
        "    vrrp_garp_master_delay 1",
        "    vrrp_garp_master_repeat 1",
    ]
    if profile.vrrp_version == 3:
        out.append("    vrrp_version 3")
    out.append("}")
    for base in VRIDS:
        num = base.removeprefix(PRIORITY_TYPE)
        for prio in range(1, 5):
            out += [
                f"vrrp_script named_check_{PRIORITY_TYPE}{num}_{prio} {{",
                f'    script "{named_check} {PRIORITY_TYPE} {num} {prio}"',
                "    interval 1",
                "    timeout 2",
                f"    weight {prio * STEP}",
                "}",
            ]
    for spec in instance_specs(profile):
        out.append(_instance(spec, node, profile, notify, quirk or Quirk()))
    return "\n".join(out) + "\n"
