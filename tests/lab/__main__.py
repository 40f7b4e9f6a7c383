"""``python -m tests.lab COMMAND``: drive the lab by hand (run as root, from the repo root)."""

from __future__ import annotations

import argparse
import json
import os
import sys
import time
from pathlib import Path

from tests.lab.configs import PROFILES
from tests.lab.lab import DEFAULT_STATE_DIR, Lab, LabError
from tests.lab.topology import MON, node_host


def _parser() -> argparse.ArgumentParser:
    p = argparse.ArgumentParser(prog="python -m tests.lab", description=__doc__)
    p.add_argument("--state-dir", type=Path, default=DEFAULT_STATE_DIR)
    sub = p.add_subparsers(dest="cmd", required=True)
    up = sub.add_parser("up", help="create namespaces, start DNS and keepalived (idempotent)")
    up.add_argument("--profile", choices=sorted(PROFILES), default="default")
    up.add_argument("--no-wait", action="store_true", help="do not wait for the seed masters")
    up.add_argument("--fresh", action="store_true", help="start over even if already up")
    sub.add_parser("down", help="stop everything the lab started and delete its namespaces")
    st = sub.add_parser("status", help="namespaces, daemons, priority file, VIP holders")
    st.add_argument("--json", action="store_true")
    sub.add_parser("reset", help="back to the seed state (file, daemons, no split brain)")
    prof = sub.add_parser("profile", help="restart keepalived everywhere with a profile")
    prof.add_argument("name", choices=sorted(PROFILES))
    ro = sub.add_parser("reorder", help="rewrite the priority file in this order")
    ro.add_argument("nodes", nargs="+")
    for name, helptext in (
        ("disable", "comment a node out of the priority file"),
        ("enable", "uncomment a node in the priority file"),
        ("dns-stop", "stop a node's DNS server"),
        ("dns-start", "start a node's DNS server"),
        ("stop", "graceful keepalived stop (priority-0 advert)"),
        ("kill", "kill -9 keepalived (and clear its VIPs)"),
        ("start", "start keepalived"),
        ("dump", "keepalived's own JSON dump of its state"),
    ):
        sub.add_parser(name, help=helptext).add_argument("node")
    sp = sub.add_parser("split", help="hide two nodes from each other (mon sees both)")
    sp.add_argument("a")
    sp.add_argument("b")
    sub.add_parser("heal", help="undo split")
    no = sub.add_parser("notify", help="keepalived's notify log (ground truth)")
    no.add_argument("--since", type=float, default=0.0)
    wt = sub.add_parser("wait", help="wait until masters are as expected (default: predicted)")
    wt.add_argument("expect", nargs="*", metavar="INSTANCE=NODE")
    wt.add_argument("--timeout", type=float, default=20.0)
    mx = sub.add_parser("matrix", help="issue 10's alarm scenario matrix (vrrptop vs keepalived)")
    mx.add_argument("--only", nargs="+", metavar="NAME", help="run only these scenarios")
    mx.add_argument("--markdown", type=Path, help="also write the table and notes here")
    mx.add_argument("--list", action="store_true", help="list the scenarios and exit")
    ex = sub.add_parser("exec", help="run a command in a lab namespace (mon or a node)")
    ex.add_argument("where")
    ex.add_argument("argv", nargs=argparse.REMAINDER)
    return p


def _netns(where: str) -> str:
    return MON.netns if where == "mon" else node_host(where).netns


def _matrix(lab: Lab, args: argparse.Namespace) -> int:
    from tests.lab.matrix import run_matrix, save
    from tests.lab.matrix_cases import SCENARIOS
    from tests.lab.matrix_report import markdown, summary

    if args.list:
        for sc in SCENARIOS:
            print(f"{sc.name:22} {sc.doc}")
        return 0
    lab.up()
    t0 = time.monotonic()
    rows = run_matrix(lab, args.only)
    elapsed = time.monotonic() - t0
    save(rows, lab.state_dir / "matrix.json")
    print(summary(rows, elapsed))
    if args.markdown:
        old = args.markdown.read_text() if args.markdown.exists() else ""
        args.markdown.write_text(markdown(rows, elapsed, old))
    return 0 if all(r.ok for r in rows) else 1


def main(argv: list[str] | None = None) -> int:
    """Entry point; returns the exit status."""
    args = _parser().parse_args(argv)
    if os.geteuid() != 0:
        print("the lab needs root (network namespaces)", file=sys.stderr)
        return 2
    lab = Lab(args.state_dir)
    try:
        match args.cmd:
            case "up":
                lab.up(args.profile, wait=not args.no_wait, fresh=args.fresh)
                print(json.dumps(lab.status(), indent=1))
            case "down":
                lab.down()
            case "status":
                status = lab.status()
                print(json.dumps(status, indent=None if args.json else 1))
            case "reset":
                lab.reset()
            case "profile":
                lab.set_profile(args.name)
            case "reorder":
                lab.reorder(args.nodes)
            case "disable" | "enable" | "dns-stop" | "dns-start" | "dump":
                method = {"disable": lab.disable, "enable": lab.enable,
                          "dns-stop": lab.dns_stop, "dns-start": lab.dns_start}  # fmt: skip
                if args.cmd == "dump":
                    print(lab.keepalived_json(args.node))
                else:
                    method[args.cmd](args.node)
            case "stop":
                lab.keepalived_stop(args.node)
            case "kill":
                lab.keepalived_kill(args.node)
            case "start":
                lab.keepalived_start(args.node)
            case "split":
                lab.split_brain(args.a, args.b)
            case "heal":
                lab.heal()
            case "notify":
                for r in lab.notify_records(args.since):
                    print(f"{r.ts:.3f} {r.node} {r.instance} {r.state} {r.priority or ''}")
            case "wait":
                want = dict(e.split("=", 1) for e in args.expect) or lab.expected_masters()
                got = lab.wait_for_masters(want, args.timeout)
                print(json.dumps({f"{b}/IPv{f}": m for (b, f), m in got.items()}))
            case "matrix":
                return _matrix(lab, args)
            case "exec":
                cmd = args.argv[1:] if args.argv[:1] == ["--"] else args.argv
                os.execvp("ip", ["ip", "netns", "exec", _netns(args.where), *cmd])
    except (LabError, ValueError) as exc:
        print(f"lab: {exc}", file=sys.stderr)
        return 1
    return 0


if __name__ == "__main__":
    sys.exit(main())
