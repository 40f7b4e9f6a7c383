"""The lab: four keepalived + dnsmasq nodes and a monitor namespace, driven from Python."""

from __future__ import annotations

import os
import signal
import subprocess
import time
from collections.abc import Mapping
from dataclasses import replace
from pathlib import Path

from tests.lab import topology
from tests.lab.configs import (
    DNS_NAME,
    DNS_TEXT,
    PRIORITY_TYPE,
    PROFILES,
    SEED_PRIORITY,
    Profile,
    Quirk,
    keepalived_conf,
    notify_script,
)
from tests.lab.dump import keepalived_json
from tests.lab.labfiles import LabFiles
from tests.lab.procs import ProcTable, alive, read_pidfile, stop_all
from tests.lab.topology import MON, NODES, node_host
from tests.lab.views import (
    INSTANCES,
    InstanceKey,
    NotifyRecord,
    predicted_masters,
    read_notify_log,
    vip_holders,
)
from tests.lab.waits import LabError, Waits

DEFAULT_STATE_DIR = Path(
    os.environ.get(
        "VRRPTOP_LAB_DIR",
        "/run/vrrptop-lab" if topology.PREFIX == "vl" else f"/run/vrrptop-lab-{topology.PREFIX}",
    )
)
"""Not under /tmp: every keepalived gets a private /tmp bind-mounted over the host's."""

SEED_MASTERS = {"testdns0": "recdns-wcdc", "testdns1": "recdns-cnh"}


class Lab(LabFiles, Waits):
    """A handle on the lab whose state lives in ``state_dir``."""

    def __init__(self, state_dir: Path = DEFAULT_STATE_DIR) -> None:
        if Path("/tmp") in state_dir.resolve().parents:
            raise LabError(f"state dir {state_dir} must not be under /tmp")
        self.state_dir = state_dir
        self.procs = ProcTable(state_dir)
        self.priority_file = state_dir / "etc" / f"priority.{PRIORITY_TYPE}"
        self.notify_log = state_dir / "notify.log"
        self._profile_file = state_dir / "profile"

    @property
    def profile(self) -> Profile:
        """The keepalived profile the lab runs (``default`` when unknown)."""
        try:
            return PROFILES[self._profile_file.read_text().strip()]
        except (OSError, KeyError):
            return PROFILES["default"]

    # -- lifecycle ---------------------------------------------------------------------
    def is_up(self) -> bool:
        """Namespaces exist and every node's dnsmasq and keepalived is running."""
        if topology.existing_netns() != set(topology.ALL_NETNS):
            return False
        return all(self.running(n, d) for n in NODES for d in ("dnsmasq", "keepalived"))

    def up(
        self,
        profile: str = "default",
        *,
        wait: bool = True,
        fresh: bool = False,
        timeout: float = 30.0,
    ) -> None:
        """Bring the lab up; with ``wait``, until the seed masters hold.

        Idempotent: a lab already up with this profile is left alone, unless ``fresh``
        (what test sessions use), which always starts over from the seed state. Anything
        else first cleans up what an earlier (possibly crashed) run recorded.
        """
        if profile not in PROFILES:
            raise LabError(f"unknown profile {profile!r} (known: {', '.join(PROFILES)})")
        if not fresh and self.is_up() and self.profile.name == profile:
            return
        self.down()
        for sub in ("bin", "etc", "nodes"):
            (self.state_dir / sub).mkdir(parents=True, exist_ok=True)
        self.set_reverse("lines")
        self._write_exec(self.state_dir / "bin" / "notify", notify_script(self.notify_log))
        self.write_priority(SEED_PRIORITY.splitlines())
        self.notify_log.write_text("")
        self._profile_file.write_text(profile + "\n")
        topology.create()
        for node in NODES:
            (self.node_dir(node) / "tmp").mkdir(parents=True, exist_ok=True)
            # Like the seed's /etc/keepalived: the priority file beside keepalived.conf
            # (a link to the one shared file), so --keepalived-conf finds it.
            self.link_priority(node)
            self.dns_start(node)
        for node in NODES:
            self.keepalived_start(node)
        if wait:
            self.wait_for_masters(SEED_MASTERS, timeout)

    def down(self) -> None:
        """Stop every process the lab recorded and delete its namespaces."""
        table = self.procs.load()
        # keepalived first, gracefully, so its VIPs go; then the rest.
        ka = [r for k, r in table.items() if k.endswith("/keepalived")]
        stop_all(ka, self.procs)
        stop_all(list(self.procs.load().values()), self.procs)
        for key in list(self.procs.load()):
            self.procs.drop(key)
        topology.destroy()

    def set_profile(self, profile: str, *, wait: bool = True, timeout: float = 30.0) -> None:
        """Restart every keepalived with another profile (namespaces and DNS stay)."""
        if profile not in PROFILES:
            raise LabError(f"unknown profile {profile!r}")
        for node in NODES:
            self.keepalived_stop(node)
        self._profile_file.write_text(profile + "\n")
        for node in NODES:
            self.keepalived_start(node)
        if wait:
            self.wait_for_masters(self.expected_masters(), timeout)

    def reset(
        self,
        profile: str = "default",
        *,
        timeout: float = 30.0,
        masters: Mapping[str, str] | None = SEED_MASTERS,
    ) -> None:
        """Back to the seed state: seed file, all DNS and keepalived up, no isolation.

        Waits for ``masters`` (None: until every instance has one stable master, as
        with ``nopreempt`` whoever wins the start-up race keeps it)."""
        if not self.is_up():
            self.up(profile, timeout=timeout)
            return
        self.heal()
        self.write_priority(SEED_PRIORITY.splitlines())
        if self.reverse != "lines":
            self.set_reverse("lines")
        for node in NODES:
            if not self.node_priority(node).is_symlink():
                self.link_priority(node)
        for node in NODES:
            if not self.running(node, "dnsmasq"):
                self.dns_start(node)
        if self.profile.name != profile:
            self.set_profile(profile, wait=False)
        for node in NODES:
            conf = self.node_dir(node) / "keepalived.conf"
            if self.running(node, "keepalived") and conf.read_text() != self._conf(node):
                self.keepalived_stop(node)  # e.g. started with a wrong password
            if not self.running(node, "keepalived"):
                self.keepalived_start(node)
        if masters is None:
            self.wait_stable(timeout)
        else:
            self.wait_for_masters(masters, timeout)

    @staticmethod
    def _write_exec(path: Path, text: str) -> None:
        path.write_text(text)
        path.chmod(0o755)

    # -- processes ---------------------------------------------------------------------
    def running(self, node: str, daemon: str) -> bool:
        """Whether the lab's ``daemon`` (dnsmasq/keepalived) runs on ``node``."""
        rec = self.procs.load().get(f"{node_host(node).name}/{daemon}")
        return rec is not None and alive(rec)

    def _in_node(self, node: str, argv: list[str]) -> list[str]:
        """argv run in the node's netns, own UTS (its hostname) and a private /tmp."""
        host = node_host(node)
        script = 'hostname "$1" && mount --bind "$2" /tmp && shift 2 && exec "$@"'
        return [
            "ip", "netns", "exec", host.netns,
            "unshare", "--uts", "--mount", "--propagation", "private",
            "sh", "-c", script, "lab-node", host.name, str(self.node_dir(node) / "tmp"),
            *argv,
        ]  # fmt: skip

    def dns_start(self, node: str) -> None:
        """Start the node's dnsmasq and wait until it answers."""
        host, ndir = node_host(node), self.node_dir(node)
        argv = [
            "dnsmasq", "-k", "--conf-file=/dev/null", "--no-resolv", "--no-hosts",
            "--bind-dynamic", "--user=root", "--group=root", "--log-facility=-",
            f"--txt-record={DNS_NAME},{DNS_TEXT}", f"--pid-file={ndir / 'dnsmasq.pid'}",
            # A, AAAA and PTR for every lab host, so vrrptop in vl-mon can resolve names.
            *(f"--host-record={h.name},{h.ipv4},{h.ipv6}" for h in topology.HOSTS),
        ]  # fmt: skip
        self.procs.spawn(f"{host.name}/dnsmasq", self._in_node(node, argv), ndir / "dnsmasq.log")
        deadline = time.monotonic() + 5
        while not self.dns_ok(node):
            if time.monotonic() > deadline:
                raise LabError(f"dnsmasq on {host.name} does not answer; see {ndir}/dnsmasq.log")
            time.sleep(0.05)

    def dns_stop(self, node: str) -> None:
        """Stop the node's DNS server (its named_check scripts start failing)."""
        self.procs.stop(f"{node_host(node).name}/dnsmasq")

    def dns_ok(self, node: str) -> bool:
        """Whether the node's DNS answers the check query on localhost (as named_check)."""
        out = topology.ns_run(
            node_host(node).netns,
            ["dig", "@127.0.0.1", "+time=1", "+tries=1", "+short", DNS_NAME, "TXT"],
            check=False,
        )
        return out.stdout.strip() == f'"{DNS_TEXT}"'

    def keepalived_start(
        self, node: str, *, auth_pass: str | None = None, quirk: Quirk | None = None
    ) -> None:
        """Write the node's keepalived.conf and start keepalived (VRRP only).

        ``auth_pass`` overrides the PASS password of its VRRPv2 instances (a
        misconfigured node: its peers drop its adverts and it theirs); ``quirk``
        misconfigures it otherwise (a wrong VIP list, another advert_int).
        """
        host, ndir = node_host(node), self.node_dir(node)
        conf = ndir / "keepalived.conf"
        if auth_pass is not None:
            quirk = replace(quirk or Quirk(), auth_pass=auth_pass)
        conf.write_text(self._conf(node, quirk))
        argv = [
            "keepalived", "-n", "-l", "-D", "-G", "--vrrp", "-f", str(conf),
            "-p", str(ndir / "keepalived.pid"), "-r", str(ndir / "vrrp.pid"),
            "-c", str(ndir / "checkers.pid"), "-b", str(ndir / "bfd.pid"),
        ]  # fmt: skip
        (ndir / "vrrp.pid").unlink(missing_ok=True)
        rec = self.procs.spawn(f"{host.name}/keepalived", self._in_node(node, argv),
                               ndir / "keepalived.log")  # fmt: skip
        # Record the VRRP child too, so a crashed run's child is found by ``down``.
        deadline = time.monotonic() + 3
        while time.monotonic() < deadline:
            child = self._vrrp_child(node, rec.pid)
            if child is not None:
                self.procs.add(f"{host.name}/vrrp-child", child)
                break
            time.sleep(0.05)

    def _vrrp_child(self, node: str, parent: int) -> int | None:
        """The VRRP child's PID from its pid file, if it really is ``parent``'s child."""
        child = read_pidfile(self.node_dir(node) / "vrrp.pid")
        if child is None:
            return None
        try:
            stat = Path(f"/proc/{child}/stat").read_text()
        except OSError:
            return None
        return child if stat.rsplit(")", 1)[1].split()[1] == str(parent) else None

    def _conf(self, node: str, quirk: Quirk | None = None) -> str:
        """The node's keepalived.conf for the current profile."""
        return keepalived_conf(
            node_host(node),
            self.profile,
            named_check=self.state_dir / "bin" / "named_check",
            notify=self.state_dir / "bin" / "notify",
            quirk=quirk,
        )

    def keepalived_stop(self, node: str, *, timeout: float = 5.0) -> None:
        """Graceful stop (SIGTERM): keepalived sends priority-0 adverts and drops VIPs."""
        name = node_host(node).name
        self.procs.stop(f"{name}/keepalived", timeout=timeout)
        self.procs.stop(f"{name}/vrrp-child", timeout=timeout)

    def keepalived_kill(self, node: str, *, remove_vips: bool = True) -> None:
        """kill -9 keepalived: no goodbye advert, the backups wait Master_Down_Interval.

        The parent is stopped first so it cannot respawn the VRRP child or tell it to
        resign; ``remove_vips`` then clears the dead node's VIPs, as a reboot would.
        """
        host = node_host(node)
        key = f"{host.name}/keepalived"
        rec = self.procs.load().get(key)
        if rec is None:
            return
        self.procs.signal(key, signal.SIGSTOP)
        child = self._vrrp_child(node, rec.pid)
        if child is not None:
            os.kill(child, signal.SIGKILL)
        self.procs.signal(key, signal.SIGKILL)
        self.procs.wait_gone([rec], 5.0)
        self.procs.drop(key)
        self.procs.drop(f"{host.name}/vrrp-child")
        if remove_vips:
            for vip4, vip6 in topology.VIPS.values():
                for vip, plen in ((vip4, 24), (vip6, 64)):
                    topology.ns_run(host.netns, ["ip", "addr", "del", f"{vip}/{plen}",
                                                 "dev", host.iface], check=False)  # fmt: skip

    def keepalived_json(self, node: str, timeout: float = 3.0) -> str:
        """keepalived's own dump of its state (``SIGJSON``), as JSON text."""
        name = node_host(node).name
        try:
            return keepalived_json(self.procs, f"{name}/keepalived", self.node_dir(node) / "tmp",
                                   timeout)  # fmt: skip
        except RuntimeError as exc:
            raise LabError(str(exc)) from exc

    # -- split brain -------------------------------------------------------------------
    def split_brain(self, a: str, b: str) -> None:
        """Hide ``a`` and ``b`` from each other (mon and the others still see both)."""
        topology.set_isolated(node_host(a), True)
        topology.set_isolated(node_host(b), True)

    def heal(self) -> None:
        """Undo :meth:`split_brain`."""
        for node in NODES:
            topology.set_isolated(node_host(node), False)

    # -- views -------------------------------------------------------------------------
    def notify_records(self, since: float = 0.0) -> list[NotifyRecord]:
        """keepalived's state changes (ground truth), oldest first."""
        return sorted(read_notify_log(self.notify_log, since), key=lambda r: r.ts)

    def masters(self) -> dict[InstanceKey, str | None]:
        """Who holds each VIP among nodes whose keepalived runs (None: nobody or several)."""
        live = [n for n in NODES if self.running(n, "keepalived")]
        return {k: (v[0] if len(v) == 1 else None) for k, v in vip_holders(live).items()}

    def expected_masters(self) -> dict[str, str | None]:
        """What the priority file, DNS health and running daemons should elect."""
        dns = {n: self.running(n, "dnsmasq") for n in NODES}
        live = [n for n in NODES if self.running(n, "keepalived")]
        return predicted_masters(self.read_priority(), dns, live, self.reverse)

    def mon_popen(
        self, argv: list[str], *, netns: str = MON.netns, **kwargs: object
    ) -> subprocess.Popen[bytes]:
        """Start ``argv`` in the monitor namespace (or ``netns``), recorded so ``down``
        can stop it."""
        proc: subprocess.Popen[bytes] = subprocess.Popen(  # type: ignore[call-overload]
            ["ip", "netns", "exec", netns, *argv], **kwargs
        )
        self.procs.add(f"mon/{proc.pid}", proc.pid)
        return proc

    def mon_forget(self, proc: subprocess.Popen[bytes]) -> None:
        """Forget a monitor process that has exited."""
        self.procs.drop(f"mon/{proc.pid}")

    def status(self) -> dict[str, object]:
        """A JSON-able summary: namespaces, daemons, priority file, VIP holders."""
        return {
            "state_dir": str(self.state_dir),
            "profile": self.profile.name,
            "netns": sorted(topology.existing_netns()),
            "daemons": {
                n: {d: self.running(n, d) for d in ("dnsmasq", "keepalived")} for n in NODES
            },  # fmt: skip
            "priority_file": self.read_priority() if self.priority_file.exists() else None,
            "isolated": topology.isolated_ports()
            if topology.BRIDGE_NS in topology.existing_netns()
            else [],  # fmt: skip
            "masters": {f"{b}/IPv{f}": m for (b, f), m in self.masters().items()}
            if topology.existing_netns()
            else {},  # fmt: skip
            "expected": self.expected_masters() if self.priority_file.exists() else {},
        }


__all__ = ["DEFAULT_STATE_DIR", "INSTANCES", "SEED_MASTERS", "Lab", "LabError"]
