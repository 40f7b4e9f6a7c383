"""Command line: turn argv into ``Options`` (tcpdump habits), nothing else."""

from __future__ import annotations

import argparse
import math
import sys
from collections.abc import Sequence
from pathlib import Path

from vrrptop import __version__
from vrrptop.errors import VrrptopError
from vrrptop.options import Options

_EPILOG = """\
examples:
  vrrptop em1                      live console on em1 (root or CAP_NET_RAW)
  vrrptop -r failover.pcap         replay a capture in the console
  vrrptop em1 --json | jq .        JSON Lines, one object per advert/event
  vrrptop -r x.pcap --report       summary table and event timeline
  vrrptop --demo                   replay a recorded keepalived failover (no root)
"""


def _positive_int(text: str) -> int:
    value = int(text)
    if value <= 0:
        raise argparse.ArgumentTypeError(f"must be a positive whole number, not {text}")
    return value


def _positive_float(text: str) -> float:
    try:
        value = float(text)
    except ValueError:
        raise argparse.ArgumentTypeError(f"not a number: {text}") from None
    if not math.isfinite(value) or value <= 0:
        raise argparse.ArgumentTypeError(f"must be a number greater than 0, not {text}")
    return value


def build_parser() -> argparse.ArgumentParser:
    """The argument parser (also used to render --help in the README)."""
    p = argparse.ArgumentParser(
        prog="vrrptop",
        description="Watch VRRP failover clusters: masters, priorities, timers and DNS health.",
        epilog=_EPILOG,
        formatter_class=argparse.RawDescriptionHelpFormatter,
    )
    p.add_argument("interface_pos", nargs="?", metavar="IFACE", help="interface to capture on")
    src = p.add_argument_group("source")
    src.add_argument("-i", "--interface", help="interface to capture on ('any' for all)")
    src.add_argument("-r", "--read", type=Path, metavar="FILE", help="read a pcap/pcapng file")
    src.add_argument("--demo", action="store_true", help="replay the bundled failover capture")
    src.add_argument("-w", "--write", type=Path, metavar="FILE",
                     help="also write the VRRP/ARP/ND frames seen to a pcap")  # fmt: skip
    src.add_argument("-c", "--count", type=_positive_int, metavar="N", help="stop after N adverts")
    src.add_argument("--duration", type=_positive_float, metavar="S",
                     help="stop after S seconds (capture time when replaying)")  # fmt: skip
    src.add_argument("--speed", type=_positive_float, metavar="X",
                     help="replay at X times real time (default: as fast as possible)")  # fmt: skip
    out = p.add_argument_group("output")
    out.add_argument("--json", action="store_true", help="JSON Lines on stdout, no console")
    out.add_argument("--report", action="store_true", help="print a report at the end, no console")
    out.add_argument("--no-ui", action="store_true", help="headless (e.g. with --prometheus)")
    out.add_argument("-n", dest="numeric", action="store_true", help="no name resolution")
    out.add_argument("--show-secrets", action="store_true",
                     help="show VRRPv2 PASS passwords instead of masking them")  # fmt: skip
    out.add_argument("--prometheus", metavar="[ADDR:]PORT", help="serve Prometheus metrics")
    out.add_argument("--notify", metavar="CMD",
                     help="run CMD INSTANCE NAME STATE PRIORITY (keepalived's notify "
                     "arguments, details in $VRRPTOP_*) once per master change and "
                     "per alarm raised or cleared")  # fmt: skip
    cfg = p.add_argument_group("configuration and DNS health")
    cfg.add_argument("--config", type=Path, metavar="FILE", help="TOML configuration")
    cfg.add_argument("--keepalived-conf", type=Path, metavar="FILE",
                     help="read instance names, VIPs and scripts from keepalived.conf")  # fmt: skip
    cfg.add_argument("--priority-file", type=Path, action="append", default=[], metavar="PATH",
                     help="keepalived priority file to show and edit (repeatable)")  # fmt: skip
    cfg.add_argument("--read-only", action="store_true", help="never edit priority files")
    cfg.add_argument("--on-save", metavar="CMD", help="run CMD after saving a priority file")
    cfg.add_argument("--query", metavar="NAME[/TYPE]", help="DNS probe query (cam.ac.uk/TXT)")
    cfg.add_argument("--expect", metavar="TEXT", help="probe answers must contain TEXT")
    cfg.add_argument("--probe-interval", type=_positive_float, default=2.0, metavar="S")
    cfg.add_argument("--probe-timeout", type=_positive_float, default=1.0, metavar="S")
    cfg.add_argument("--no-probe", action="store_true", help="send no DNS probes")
    p.add_argument("-V", "--version", action="version", version=f"vrrptop {__version__}")
    return p


def parse_args(argv: Sequence[str] | None = None) -> Options:
    """Parse ``argv`` into Options; usage errors exit 2 like argparse does."""
    parser = build_parser()
    ns = parser.parse_args(argv)
    if ns.interface_pos and ns.interface and ns.interface_pos != ns.interface:
        parser.error("give the interface once (IFACE or -i IFACE)")
    interface = ns.interface or ns.interface_pos
    sources = sum(bool(x) for x in (interface, ns.read, ns.demo))
    if sources > 1:
        parser.error("choose one source: IFACE, -r FILE or --demo")
    if sources == 0:
        parser.error("nothing to watch: give an interface (vrrptop em1), -r FILE or --demo")
    if ns.speed and not (ns.read or ns.demo):
        parser.error("--speed only applies to -r FILE or --demo")
    if ns.prometheus is not None:
        from vrrptop.output.prometheus import parse_listen_address

        try:
            parse_listen_address(ns.prometheus)
        except ValueError as exc:
            parser.error(str(exc))
    return Options(
        interface=interface,
        read_file=ns.read,
        write_file=ns.write,
        demo=ns.demo,
        count=ns.count,
        duration=ns.duration,
        numeric=ns.numeric,
        json=ns.json,
        report=ns.report,
        no_ui=ns.no_ui,
        speed=ns.speed,
        show_secrets=ns.show_secrets,
        priority_files=list(ns.priority_file),
        read_only=ns.read_only,
        on_save=ns.on_save,
        config=ns.config,
        keepalived_conf=ns.keepalived_conf,
        query=ns.query,
        expect=ns.expect,
        probe_interval=ns.probe_interval,
        probe_timeout=ns.probe_timeout,
        no_probe=ns.no_probe,
        prometheus=ns.prometheus,
        notify=ns.notify,
    )


def main(argv: Sequence[str] | None = None) -> int:
    """Entry point of the ``vrrptop`` command."""
    options = parse_args(argv)
    from vrrptop.runner import run

    try:
        return run(options)
    except VrrptopError as err:
        print(f"vrrptop: {err}", file=sys.stderr)
        return err.exit_code
    except KeyboardInterrupt:
        return 130


if __name__ == "__main__":  # pragma: no cover
    sys.exit(main())
