"""The files the lab's daemons run from: keepalived.conf, named_check, notify.

The configuration reproduces the seed deployment (``../shared/seed/``): every node is
``state BACKUP`` with base priority 50 and four ``track_script`` entries per instance,
``named_check_<inst>_<prio>`` with weight ``prio*50``, so at most one succeeds and the
priority file decides who is master.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from pathlib import Path

from tests.lab.topology import MON, NODE_IFACE, NODES, VIPS, VRIDS, Host, node_host

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
    """Run the IPv4 instances in unicast mode (peers: the other nodes and mon)."""

    def version_for(self, family: int) -> int:
        """The VRRP version instances of this family send."""
        return 3 if family == 6 else self.vrrp_version


PROFILES: dict[str, Profile] = {
    "default": Profile(),
    "v3": Profile(name="v3", vrrp_version=3),
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
file={priority_dir}/priority.$type
# A commented-out line does not match: grep fails and set -e fails the script.
grepout=$(grep -Fxn "$name" "$file")
prio=$(echo "$grepout" | sed 's/:.*//')
# num=0: a later line is a higher rank; num=1: an earlier one (5 - line for 4 lines).
if [ "$num" = 1 ]
then
    lines=$(grep -c '' "$file")
    prio=$(($lines + 1 - $prio))
fi
[ "$check" = "$prio" ] && \\
    [ "$(dig @localhost +time=1 +tries=1 +short {name} TXT)" = '"{text}"' ]
"""

NOTIFY = """#!/bin/sh
# notify INSTANCE|GROUP NAME STATE PRIORITY: keepalived's own view, the ground truth.
echo "$(date +%s.%N) $(hostname --short) $2 $3 $4" >> {log}
"""


def named_check_script(priority_dir: Path) -> str:
    """The text of the ``named_check`` script reading ``priority_dir/priority.TYPE``."""
    return NAMED_CHECK.format(priority_dir=priority_dir, name=DNS_NAME, text=DNS_TEXT)


def notify_script(log: Path) -> str:
    """The text of the ``notify`` script appending to ``log``."""
    return NOTIFY.format(log=log)


def _instance(
    name: str,
    base: str,
    family: int,
    node: Host,
    profile: Profile,
    notify: Path,
    auth_pass: str,
) -> str:
    vrid = VRIDS[base]
    vip = VIPS[base][0 if family == 4 else 1]
    lines = [
        f"vrrp_instance {name} {{",
        f"    interface {NODE_IFACE}",
        f"    virtual_router_id {vrid}",
        "    state BACKUP",
        f"    priority {BASE_PRIORITY}",
        "    advert_int 1",
        f'    notify "{notify}"',
    ]
    if profile.version_for(family) == 2:
        lines += [
            "    authentication {",
            "        auth_type PASS",
            f"        auth_pass {auth_pass}",
            "    }",
        ]
    if family == 4 and (profile.unicast_v4 or profile.checksum_as_v2):
        lines.append(f"    unicast_src_ip {node.ipv4}")
        if base in profile.checksum_as_v2:
            lines.append("    old_unicast_checksum")
        lines.append("    unicast_peer {")
        peers = [node_host(n) for n in NODES if n != node.name] + [MON]
        lines += [f"        {peer.ipv4}" for peer in peers]
        lines.append("    }")
    prefix = 24 if family == 4 else 64
    lines += ["    virtual_ipaddress {", f"        {vip}/{prefix}", "    }"]
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
    auth_pass: str | None = None,
) -> str:
    """The keepalived.conf of one node (VRRP only)."""
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
    password = auth_pass or profile.auth_pass
    for base in VRIDS:
        out.append(_instance(base, base, 4, node, profile, notify, password))
        out.append(_instance(f"{base}_v6", base, 6, node, profile, notify, password))
    return "\n".join(out) + "\n"
