"""Issue 10's scenario matrix: run each scenario against real keepalived, watch it with
vrrptop ``--json`` as a user would, and compare the alarms it raised with the alarms
the lab's measured behaviour calls for.

``python -m tests.lab matrix [--only NAME ...] [--markdown FILE]`` (root) prints::

    scenario | expected alarms | raised alarms | false + | false -

One scenario: reset the lab to the seed state (reusing the namespaces), start
tcpdump and vrrptop (DNS probes on, names resolved, the lab's keepalived.conf) where
the scenario watches from, let it run a few seconds, apply the action, wait for
keepalived to converge, then settle while measuring DNS and VIP holders, stop
vrrptop (SIGINT: its final snapshot) and judge (``tests.lab.verdict``).
"""

from __future__ import annotations

import json
import os
import signal
import subprocess
import time
from dataclasses import asdict, dataclass, field
from pathlib import Path

from tests.lab.alarmlog import observe
from tests.lab.configs import instance_specs
from tests.lab.lab import SEED_MASTERS, Lab, LabError
from tests.lab.matrix_cases import SCENARIOS, Scenario, Watch
from tests.lab.monitor import Monitor
from tests.lab.topology import MON, NODES, VIPS, hosts_file, node_host
from tests.lab.truth import Truth, announcements, priority_changes, sample
from tests.lab.verdict import judge

PRE_ROLL = 3.0
"""Seconds vrrptop runs before the action (its own start must raise nothing false)."""


@dataclass(slots=True)
class Row:
    """One scenario's result."""

    name: str
    expected: list[str]
    raised: list[str]
    false_pos: list[str]
    false_neg: list[str]
    notes: list[str] = field(default_factory=list)
    lab_error: str | None = None
    seconds: float = 0.0
    contract: bool = False

    @property
    def ok(self) -> bool:
        """No false alarm, no missed alarm, and the lab did what the scenario assumes."""
        return not self.false_pos and not self.false_neg and self.lab_error is None


def _etc_wrap(lab: Lab, names: bool) -> list[str]:
    """A command prefix giving vrrptop other /etc/hosts and resolv.conf."""
    etc = lab.state_dir / ("etc-names" if names else "etc-nonames")
    etc.mkdir(parents=True, exist_ok=True)
    if names:
        servers = [node_host(n).ipv4 for n in NODES[:3]]
        (etc / "hosts").write_text(hosts_file())
        resolv = "".join(f"nameserver {ip}\n" for ip in servers)
    else:
        (etc / "hosts").write_text("127.0.0.1 localhost\n::1 localhost\n")
        resolv = "nameserver 127.0.0.1\n"  # nothing listens there: fails at once
    (etc / "resolv.conf").write_text(resolv + "options timeout:1 attempts:1\n")
    script = (
        'mount --bind "$1" /etc/hosts && mount --bind "$2" /etc/resolv.conf && shift 2 && exec "$@"'
    )
    return ["unshare", "--mount", "sh", "-c", script, "etc-wrap",
            str(etc / "hosts"), str(etc / "resolv.conf")]  # fmt: skip


def _where(watch: Watch) -> tuple[str, str]:
    """(netns, interface) vrrptop captures on."""
    if watch.where == "mon":
        return MON.netns, MON.iface
    host = node_host(watch.where)
    return host.netns, host.iface


def start_monitor(lab: Lab, watch: Watch) -> Monitor:
    """vrrptop --json as a user runs it, reading the lab's keepalived.conf."""
    netns, iface = _where(watch)
    conf = lab.node_dir(watch.conf_node) / "keepalived.conf"
    wrap = None
    if not watch.names or watch.where != "mon":
        wrap = _etc_wrap(lab, watch.names)
    return Monitor(lab, ["--keepalived-conf", str(conf)], probe=True, netns=netns,
                   iface=iface, wrap=wrap)  # fmt: skip


def _in_service(lab: Lab, watch: Watch) -> set[str]:
    lines = lab.read_node_priority(watch.conf_node)
    return {ln.strip() for ln in lines if ln.strip() and not ln.lstrip().startswith("#")}


def _keepalived_notes(truth: Truth, t0: float) -> list[str]:
    """What keepalived did: its state changes (notify) and the VIP holders at the end."""
    changes = [f"{r.node.removeprefix('recdns-')} {r.instance} {r.state} +{r.ts - t0:.1f}s"
               for r in truth.notify if r.state in ("MASTER", "BACKUP", "FAULT")]  # fmt: skip
    held = truth.holders()
    main = {f"{v}/{f}": ",".join(n.removeprefix("recdns-") for n in h) or "-"
            for (v, f), h in held.items() if v < 220}  # fmt: skip
    out = [f"keepalived holders at end: {main}"]
    extras = [h for (v, _f), h in held.items() if v >= 220]
    if extras:
        single = sum(1 for h in extras if len(h) == 1)
        out.append(f"extra instances with exactly one holder: {single}/{len(extras)}")
    if changes:
        shown = changes if len(changes) <= 16 else [*changes[:16], f"... {len(changes)} in all"]
        out.append("keepalived changes: " + "; ".join(shown))
    return out


def _garp_notes(truth: Truth, t0: float) -> list[str]:
    main = [a for a in truth.announces if a.address.rsplit(".", 1)[-1].rsplit(":", 1)[-1]
            in ("210", "211")]  # fmt: skip
    if not main:
        return ["GARP/NA for .210/.211 during the run: none"]
    text = "; ".join(f"{a.address} from {a.mac} +{a.ts - t0:.1f}s" for a in main[-6:])
    return [f"last GARP/NA: {text}"]


def _keep_records(lab: Lab, name: str, mon: Monitor) -> None:
    """vrrptop's JSON Lines of the scenario, for diagnosis (``<state>/matrix/NAME.jsonl``)."""
    out = lab.state_dir / "matrix"
    out.mkdir(exist_ok=True)
    with open(out / f"{name}.jsonl", "w") as fh:
        for rec in mon.records:
            fh.write(json.dumps(rec) + "\n")


def _neighbours(netns: str) -> list[str]:
    """The watching namespace's ARP/ND entries for the testdns VIPs (who it sends to)."""
    out = subprocess.run(["ip", "netns", "exec", netns, "ip", "neigh", "show"],
                         capture_output=True, text=True).stdout  # fmt: skip
    vips = {v for pair in VIPS.values() for v in pair}
    found = [ln.strip() for ln in out.splitlines() if ln.split()[:1] and ln.split()[0] in vips]
    return [f"neighbour cache at end: {'; '.join(found)}"] if found else []


def run_scenario(lab: Lab, sc: Scenario, *, pre_roll: float = PRE_ROLL) -> Row:
    """Run one scenario; the lab is left running (reset before the next one)."""
    started = time.monotonic()
    lab.reset(sc.profile, masters=None if sc.any_masters else SEED_MASTERS)
    if sc.prepare is not None:
        sc.prepare(lab)
    if sc.any_masters:
        lab.wait_stable(25)
    else:
        lab.wait_for_masters(lab.expected_masters(), 25)
    specs = instance_specs(lab.profile)
    netns, iface = _where(sc.watch)
    # The reset may have moved VIPs (a profile switch restarts keepalived): the
    # watcher's ARP/ND entries from the previous scenario would black-hole them for
    # their lifetime (measured: .211 timed out 10 s after a reset), an outage of the
    # lab's making that each scenario would inherit. Start every scenario cold.
    subprocess.run(["ip", "netns", "exec", netns, "ip", "neigh", "flush", "all"],
                   capture_output=True, check=False)  # fmt: skip
    pcap = lab.state_dir / "matrix.pcap"
    tcpdump = lab.mon_popen(
        ["tcpdump", "-i", iface, "-nn", "-U", "-w", str(pcap), "arp or icmp6"],
        netns=netns, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL,
    )  # fmt: skip
    truth = Truth(specs)
    window = time.time()
    mon = start_monitor(lab, sc.watch)
    lab_error = None
    t0 = time.time()
    try:
        mon.wait_ready(20)
        time.sleep(pre_roll)
        t0 = time.time()
        try:
            sc.action(lab)
        except LabError as exc:
            lab_error = f"action: {exc}"
        converged = time.monotonic()
        for frac in (0.4, 0.7, 1.0):
            time.sleep(max(0.0, converged + frac * sc.settle - time.monotonic()))
            truth.samples.append(sample(netns, specs, time.time()))
        neigh = _neighbours(netns)
    finally:
        mon.stop()
        if tcpdump.poll() is None:
            tcpdump.send_signal(signal.SIGINT)
            tcpdump.wait(5)
        lab.mon_forget(tcpdump)
    _keep_records(lab, sc.name, mon)
    truth.announces = announcements(pcap)
    truth.notify = lab.notify_records(t0)
    truth.prio_changes = priority_changes(
        {n: lab.node_dir(n) / "keepalived.log" for n in NODES}, window
    )
    obs = observe(mon.records)
    standing, allowed = truth.derived(_in_service(lab, sc.watch))
    exp = sc.expect.plus(standing, allowed)
    verdict = judge(exp, obs)
    if lab_error is None and sc.check is not None:
        lab_error = sc.check(truth)
    notes = _keepalived_notes(truth, t0) + _garp_notes(truth, t0) + neigh
    notes.append(f"load average at the end: {os.getloadavg()[0]:.1f} ({os.cpu_count()} CPUs)")
    notes += [f"why expected: {w.label}: {w.why}" for w in exp.standing if w.why]
    notes += [f"vrrptop output: {p}" for p in obs.problems]
    notes += [f"vrrptop warning: {w}" for w in obs.warnings]
    flapped = truth.flapped()
    if flapped:
        notes.append(
            f"FLAKY: keepalived's own checks flapped (priority changed 2+ times): {flapped};"
            " their instances' mismatch/DNS/silence alarms allowed"
        )
    if verdict.transients:
        notes.append("transient: " + ", ".join(verdict.transients))
    if not obs.contract:
        notes.append("snapshot-only output (no alarm lines): transients not observable")
    if not obs.snapshot:
        notes.append(f"vrrptop stderr: {mon._stderr_tail()!r}")
    return Row(
        name=sc.name,
        expected=[w.label for w in exp.standing] + [f"warning({w})" for w in exp.warnings],
        raised=[a.label for a in obs.standing],
        false_pos=verdict.false_pos,
        false_neg=verdict.false_neg,
        notes=notes,
        lab_error=lab_error,
        seconds=round(time.monotonic() - started, 1),
        contract=obs.contract,
    )


def _cell(items: list[str]) -> str:
    return ", ".join(items) if items else "-"


def table(rows: list[Row]) -> str:
    """The matrix as a Markdown table."""
    out = ["| scenario | expected alarms | raised alarms | false + | false - |",
           "|---|---|---|---|---|"]  # fmt: skip
    for r in rows:
        name = r.name if r.lab_error is None else f"{r.name} (LAB: {r.lab_error})"
        if any(n.startswith("FLAKY") for n in r.notes):
            name += " (flaky: keepalived flapped, see notes)"
        cells = [name, _cell(r.expected), _cell(r.raised), _cell(r.false_pos),
                 _cell(r.false_neg)]  # fmt: skip
        out.append("| " + " | ".join(c.replace("|", "/") for c in cells) + " |")
    return "\n".join(out)


def run_matrix(lab: Lab, only: list[str] | None = None, *, log: bool = True) -> list[Row]:
    """Run the scenarios (all, or those named), then reset the lab to the seed state."""
    chosen = [s for s in SCENARIOS if not only or s.name in only]
    unknown = set(only or ()) - {s.name for s in SCENARIOS}
    if unknown:
        raise LabError(f"unknown scenarios {sorted(unknown)}; known: {[s.name for s in SCENARIOS]}")
    rows = []
    try:
        for sc in chosen:
            t = time.monotonic()
            try:
                row = run_scenario(lab, sc)
            except LabError as exc:  # the lab could not be brought into the scenario
                row = Row(sc.name, [], [], [], [], lab_error=str(exc),
                          seconds=round(time.monotonic() - t, 1))  # fmt: skip
            rows.append(row)
            if log:
                verdict = "ok" if row.ok else f"+{row.false_pos} -{row.false_neg}"
                lab_note = f" LAB: {row.lab_error}" if row.lab_error else ""
                print(f"[{row.seconds:5.1f}s] {row.name}: {verdict}{lab_note}", flush=True)
    finally:
        lab.reset()
    return rows


def save(rows: list[Row], path: Path) -> None:
    """The rows as JSON (for the pytest test and later comparison)."""
    path.write_text(json.dumps([asdict(r) for r in rows], indent=1))
