"""The scenarios of issue 10's alarm matrix: what each does to the lab and which
alarms it calls for.

Every expectation below was written from what keepalived 2.2.7 did in the lab (its
notify log, VIP holders, its log lines, tcpdump in vl-mon), recorded in the
``doc`` of each scenario; DNS outages, split brains and stale GARPs are also
measured during each run (``tests.lab.truth``) and added to the expectation, so a
scenario whose network behaves differently on another machine is still judged
against what really happened.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass, field

from tests.lab.configs import Quirk
from tests.lab.lab import Lab
from tests.lab.matrix_actions import (
    ALL,
    REVERSED,
    SEED,
    SWAPPED,
    T0,
    T1,
    Check,
    _comment_line,
    _kill_all,
    _nopreempt_reorder,
    _quirked,
    _save_on_rnb,
    _split,
    _split_heal,
    _then_wait_split,
    _unchanged,
    masters_are,
    pause,
    split_on,
    steps,
    waiting,
)
from tests.lab.verdict import Expectation, Want, on


@dataclass(frozen=True, slots=True)
class Watch:
    """Where and how vrrptop runs (always ``--json`` with DNS probes, names resolved)."""

    where: str = "mon"
    """``mon`` or a node: vrrptop runs in that namespace."""
    conf_node: str = "recdns-cnh"
    """Whose keepalived.conf vrrptop reads (and so the priority file beside it)."""
    names: bool = True
    """False: no hosts file entries and no reachable resolver (names do not resolve)."""


@dataclass(frozen=True, slots=True)
class Scenario:
    """One row of the matrix."""

    name: str
    doc: str
    action: Callable[[Lab], None]
    """Applies the change and returns once keepalived has converged."""
    expect: Expectation = Expectation()
    profile: str = "default"
    prepare: Callable[[Lab], None] | None = None
    """Before vrrptop starts (e.g. per-node copies of the priority file)."""
    watch: Watch = field(default_factory=Watch)
    check: Check | None = None
    """What keepalived must have done for the expectation to hold (None: fine)."""
    settle: float = 10.0
    any_masters: bool = False
    """Start from whatever stable masters keepalived elects (``nopreempt``: the
    start-up race decides and nobody preempts), not the seed's."""


SPLIT_ALLOWED = (Want("vip-holder-not-master", T0), Want("master-mismatch", T0))

#: One router of 210/4 configured differently (VIP list, interval): keepalived drops
#: its adverts and it drops theirs, so both hold the VIP. The master that keeps
#: receiving adverts it drops stops advertising (keepalived 2.2.7: its log shows it
#: MASTER, sby's shows two of its adverts in 12 s), so the wire shows one advertiser:
#: config-mismatch is the alarm that tells; split-brain may stand when both advertise.
MISCONFIGURED = Expectation(
    standing=tuple(on("config-mismatch", (T0, 4))),
    allowed=(Want("split-brain", T0, 4), *SPLIT_ALLOWED),
)

SCENARIOS: list[Scenario] = [
    Scenario(
        "baseline",
        "Seed state, nothing changes: wcdc masters testdns0, cnh testdns1, rnb commented out.",
        lambda lab: None,
        check=masters_are(SEED),
    ),
    Scenario(
        "reorder",
        "File reversed: keepalived moves testdns0 to cnh and testdns1 to wcdc within ~2 s.",
        steps(lambda lab: lab.reorder(REVERSED), waiting(SWAPPED)),
        check=masters_are(SWAPPED),
    ),
    Scenario(
        "disable",
        "wcdc commented out: testdns0 moves to sby (200 > cnh 100); testdns1 stays on cnh.",
        steps(lambda lab: lab.disable("wcdc"), waiting()),
        check=masters_are({"testdns0": "recdns-sby", "testdns1": "recdns-cnh"}),
    ),
    Scenario(
        "dns-stop-master",
        "dnsmasq stopped on wcdc: its scripts fail, testdns0 moves to sby. wcdc is in "
        "service with DNS down (host-dns-failing, measured); the VIP's outage until the "
        "move is real, so DNS alarms on 210 may come and go.",
        steps(lambda lab: lab.dns_stop("wcdc"), waiting()),
        Expectation(transient=(Want("master-dns-failing", T0), Want("vip-dns-failing", T0))),
        check=masters_are({"testdns0": "recdns-sby", "testdns1": "recdns-cnh"}),
    ),
    Scenario(
        "dns-stop-backup",
        "dnsmasq stopped on sby (backup of both): nothing moves; host-dns-failing sby.",
        steps(lambda lab: lab.dns_stop("sby"), pause(3), waiting(SEED)),
        check=masters_are(SEED),
    ),
    Scenario(
        "stop-master",
        "Graceful stop of wcdc: priority-0 advert, sby takes testdns0 at once (skew time).",
        steps(lambda lab: lab.keepalived_stop("wcdc"), waiting()),
        check=masters_are({"testdns0": "recdns-sby", "testdns1": "recdns-cnh"}),
    ),
    Scenario(
        "stop-backup",
        "Graceful stop of sby (backup of both): nothing on the wire changes.",
        steps(lambda lab: lab.keepalived_stop("sby"), pause(3), waiting(SEED)),
        check=masters_are(SEED),
    ),
    Scenario(
        "kill-master",
        "kill -9 of wcdc (VIPs removed, as a reboot): no goodbye, sby takes testdns0 "
        "after Master_Down_Interval (~3.6 s): a real gap, so instance-silent and VIP "
        "DNS alarms on 210 may come and go.",
        steps(lambda lab: lab.keepalived_kill("wcdc"), waiting()),
        Expectation(
            transient=(
                Want("instance-silent", T0),
                Want("vip-dns-failing", T0),
                Want("master-dns-failing", T0),
            )  # fmt: skip
        ),
        check=masters_are({"testdns0": "recdns-sby", "testdns1": "recdns-cnh"}),
    ),
    Scenario(
        "kill-all",
        "kill -9 of every keepalived: every instance silent, no VIP answers. A "
        "master-mismatch beside instance-silent is tolerated (true, but redundant).",
        steps(_kill_all, pause(1)),
        Expectation(
            standing=tuple(on("instance-silent", *ALL)),
            allowed=tuple(on("master-mismatch", *ALL)),
        ),
    ),
    Scenario(
        "split-brain",
        "wcdc and sby isolated from each other (mon sees both): sby becomes master of "
        "210 too (both families) ~2.6 s later; testdns1 unaffected (cnh hears both).",
        _split,
        Expectation(standing=tuple(on("split-brain", (T0, 4), (T0, 6))), allowed=SPLIT_ALLOWED),
        check=split_on((T0, 4), (T0, 6)),
    ),
    Scenario(
        "split-heal",
        "Split as above, healed 3 s later: sby goes back to BACKUP, wcdc never stopped "
        "being master and sends NO GARP/NA (tcpdump in vl-mon: the last announcements "
        "for .210 and ::210 are sby's). vip-holder-not-master follows from the capture; "
        "DNS on the VIP from the monitor is measured.",
        _split_heal,
        Expectation(
            transient=(
                Want("split-brain", T0),
                Want("master-mismatch", T0),
                Want("vip-holder-not-master", T0),
            )  # fmt: skip
        ),
        check=masters_are(SEED),
    ),
    Scenario(
        "wrong-auth",
        "sby restarted with another auth_pass: the VRRPv2 (IPv4) instances reject each "
        "other's adverts ('received an invalid passwd'), sby becomes master of 210/4 "
        "and 211/4 beside wcdc and cnh: two split brains; IPv6 (v3, no auth) is fine.",
        _then_wait_split(
            _quirked("sby", Quirk(auth_pass="not-lab")), ("testdns0", 4), ("testdns1", 4)
        ),  # fmt: skip
        Expectation(
            standing=tuple(on("config-mismatch", (T0, 4), (T1, 4))),
            allowed=tuple(
                Want(k, v, 4)
                for k in ("split-brain", "vip-holder-not-master", "master-mismatch")
                for v in (T0, T1)
            ),  # fmt: skip
        ),
        check=split_on((T0, 4), (T1, 4)),
    ),
    Scenario(
        "wrong-vips",
        "wcdc restarted with an extra VIP (198.51.100.212) in testdns0: the others drop "
        "its adverts ('unexpected ip number count 2, expected 1'), sby becomes master "
        "of 210/4 as well: split brain on 210/4; IPv6 unaffected.",
        _then_wait_split(
            _quirked("wcdc", Quirk(extra_vip="198.51.100.212")), ("testdns0", 4)
        ),  # fmt: skip
        MISCONFIGURED,
        check=split_on((T0, 4)),
    ),
    Scenario(
        "advert-int",
        "sby restarted with advert_int 2 for testdns0: VRRPv2 drops adverts whose "
        "interval differs ('advertisement interval mismatch'), so sby becomes master "
        "of 210/4 after 3 x 2 s: split brain on 210/4; VRRPv3 (IPv6) accepts the "
        "master's interval, no split.",
        _then_wait_split(_quirked("sby", Quirk(advert_int=2)), ("testdns0", 4)),
        MISCONFIGURED,
        check=split_on((T0, 4)),
    ),
    Scenario(
        "comment-line",
        "The seed's own named_check (5 - line) and a comment line added on top: "
        "testdns0 moves to sby (wcdc's rank 5 has no script), testdns1 stays on cnh.",
        _comment_line,
        prepare=lambda lab: lab.set_reverse("seed"),
        check=masters_are({"testdns0": "recdns-sby", "testdns1": "recdns-cnh"}),
    ),
    Scenario(
        "names-unresolved",
        "vrrptop with no hosts entries and no reachable resolver: priority-file names "
        "cannot be joined to addresses. It must say so (names-unresolved, a warning "
        "line naming the hosts) and raise no mismatch it cannot know.",
        lambda lab: None,
        Expectation(
            standing=(Want("names-unresolved", None, None),),
            allowed=tuple(on("names-unresolved", *ALL)),
            warnings=("recdns-",),
        ),
        watch=Watch(names=False),
        check=masters_are(SEED),
    ),
    Scenario(
        "save-not-distributed",
        "Every node reads its own copy; vrrptop reads rnb's (its keepalived.conf). The "
        "file reversed on rnb's copy only: nothing moves (rnb is out of service), no "
        "advertised priority changes. The file vrrptop reads really disagrees with the "
        "cluster (master-mismatch on all four, priority-mismatch tolerated) and it must "
        "hint that the other servers read their own copies.",
        _save_on_rnb,
        Expectation(
            standing=(Want("save-not-distributed"), *on("master-mismatch", *ALL)),
            allowed=tuple(on("priority-mismatch", *ALL)),
        ),
        prepare=lambda lab: lab.separate_copies(),
        watch=Watch(conf_node="recdns-rnb"),
        check=masters_are(SEED),
    ),
    Scenario(
        "nopreempt",
        "nopreempt everywhere, file reversed: the masters stay (from the seed masters, wcdc "
        "advertises 210 at 100 and cnh 211 at 100 while cnh / wcdc have 250): keepalived as "
        "configured. Starts from whoever won keepalived's start-up race (nopreempt: that "
        "need not be the file's choice, and nobody preempts it).",
        _nopreempt_reorder,
        profile="nopreempt",
        check=_unchanged("nopreempt"),
        any_masters=True,
    ),
    Scenario(
        "unicast-mon",
        "IPv4 instances in unicast mode, peers the other nodes only: the bridge never "
        "forwards their adverts to mon. The IPv4 instances are configured but never "
        "seen (instance-silent); IPv6 (multicast) is seen and fine.",
        lambda lab: None,
        Expectation(
            standing=tuple(on("instance-silent", (T0, 4), (T1, 4))),
            allowed=tuple(on("names-unresolved", (T0, 6), (T1, 6))),
        ),
        profile="unicast",
        check=masters_are(SEED),
    ),
    Scenario(
        "unicast-node",
        "Same unicast profile, vrrptop run on rnb (a peer, backup of both): it receives "
        "every unicast advert; nothing is wrong.",
        lambda lab: None,
        profile="unicast",
        watch=Watch(where="recdns-rnb", conf_node="recdns-rnb"),
        check=masters_are(SEED),
    ),
    Scenario(
        "use-vmac",
        "use_vmac on every instance: adverts and GARPs come from 00:00:5e:00:0{1,2}:VRID "
        "on macvlans; the masters are the seed's. The IPv6 masters' link-local and MAC "
        "name the VRID, not a host: names-unresolved on them is tolerated.",
        lambda lab: None,
        Expectation(allowed=tuple(on("names-unresolved", (T0, 6), (T1, 6)))),
        profile="vmac",
        check=masters_are(SEED),
    ),
    Scenario(
        "v3-fast",
        "VRRPv3 everywhere at advert_int 0.1 with 24 instances (10 more VRIDs, both "
        "families, following testdns0/1's scripts); file reversed: all move.",
        steps(lambda lab: lab.reorder(REVERSED), waiting(SWAPPED)),
        profile="v3-fast",
        check=masters_are(SWAPPED),
    ),
]

BY_NAME = {s.name: s for s in SCENARIOS}
