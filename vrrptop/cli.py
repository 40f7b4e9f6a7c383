"""Command line: turn argv into ``Options`` (tcpdump habits), nothing else."""

from __future__ import annotations

import argparse
import math
import os
import sys
from collections.abc import Sequence
from pathlib import Path

from vrrptop.errors import VrrptopError
from vrrptop.options import Options

_EPILOG = """\
examples:
  vrrptop em1                      live console on em1 (root or CAP_NET_RAW)
  vrrptop em1 'host 198.51.100.14'  only that host's adverts (a tcpdump expression,
                                   combined with vrrptop's own VRRP/ARP/ND filter)
  vrrptop -D                       interfaces that can be captured on
  vrrptop -r failover.pcap         replay a capture in the console
  vrrptop em1 --json | jq .        JSON Lines, one object per advert/event
  vrrptop -r x.pcap --report       summary tables, master timeline, events
  vrrptop -r x.pcap --report-html incident.html
                                   the same as one HTML file for a ticket
  vrrptop --demo                   replay a recorded keepalived failover (no root)

configuration:
  The first of /etc/vrrptop.toml and ~/.config/vrrptop/config.toml is read
  (--config FILE instead). /etc/keepalived/keepalived.conf is read automatically
  when it exists (--keepalived-conf FILE instead): instance names, VIPs and
  scripts.

exit status:
  0 success; 1 error; 2 usage (bad option or filter expression); 65 not a
  capture file; 66 input file missing or unreadable; 69 interface or libpcap
  unavailable; 70 the capture filter does not compile; 73 the -w file cannot be
  written; 75 a priority file changed on disk under a save; 77 permission
  denied (capture needs root or CAP_NET_RAW); 78 configuration error;
  129 the console's terminal went away; 130 interrupted (ctrl+c).

See vrrptop(1) for the console's keys and the details.
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


class _VersionAction(argparse.Action):
    """``-V``: vrrptop's version and those of Python, its libraries and libpcap."""

    def __init__(self, option_strings: Sequence[str], dest: str, **kwargs: object) -> None:
        super().__init__(option_strings, dest, nargs=0, help="print the versions and exit")

    def __call__(self, parser: argparse.ArgumentParser, *_args: object) -> None:
        from vrrptop.versions import version_report

        try:
            print(version_report(), flush=True)
        except BrokenPipeError:  # vrrptop -V | head -1
            os.dup2(os.open(os.devnull, os.O_WRONLY), sys.stdout.fileno())
        parser.exit()


class _ListInterfaces(argparse.Action):
    """``-D``: print the interfaces (as ``tcpdump -D``) and exit, like ``--version``."""

    def __call__(self, parser: argparse.ArgumentParser, *_args: object, **_kw: object) -> None:
        from vrrptop.capture.interfaces import interface_lines, list_interfaces

        print("\n".join(interface_lines(list_interfaces())))
        parser.exit(0)


def _expression(parser: argparse.ArgumentParser, ns: argparse.Namespace) -> str | None:
    """The tcpdump expression: ``-f EXPR`` or the words after the interface (all
    positional words when the source is ``-i``, ``-r`` or ``--demo``, as tcpdump
    reads them). Checked here: a typo is a usage error, not a failed capture."""
    words = list(ns.expression)
    if ns.interface_pos and (ns.interface or ns.read or ns.demo):
        if ns.interface_pos == ns.interface:
            pass
        elif ns.interface and Path("/sys/class/net", ns.interface_pos).exists():
            parser.error("give the interface once (IFACE or -i IFACE)")
        else:
            words.insert(0, ns.interface_pos)
        ns.interface_pos = None
    if ns.filter and words:
        parser.error("give the filter expression once (-f EXPR or after the interface)")
    expression = ns.filter or " ".join(words) or None
    if expression is None:
        return None
    if ns.read or ns.demo:
        parser.error(
            "a filter expression applies to a live capture; for a file, filter it first: "
            "tcpdump -r IN -w OUT 'EXPR'"
        )
    from vrrptop.capture.bpf import combined_expression, compile_ethernet

    try:
        compile_ethernet(combined_expression(expression))
    except VrrptopError as err:
        text = str(err)  # libpcap's reason is the last parenthesis of scapy's message
        reason = text[text.rfind("(") + 1 : -1] if text.endswith(")") else text
        parser.error(f"not a valid tcpdump filter expression {expression!r}: {reason}")
    return expression


def build_parser() -> argparse.ArgumentParser:
    """The argument parser (also used to render --help in the README)."""
    p = argparse.ArgumentParser(
        prog="vrrptop",
        description="Watch VRRP failover clusters: masters, priorities, timers and DNS health.",
        epilog=_EPILOG,
        formatter_class=argparse.RawDescriptionHelpFormatter,
    )
    p.add_argument("interface_pos", nargs="?", metavar="IFACE", help="interface to capture on")
    p.add_argument("expression", nargs="*", metavar="EXPRESSION",
                   help="tcpdump filter expression, combined with vrrptop's own "
                   "VRRP/ARP/ND filter (both must match); live capture only")  # fmt: skip
    src = p.add_argument_group("source")
    src.add_argument("-i", "--interface", help="interface to capture on ('any' for all)")
    src.add_argument("-r", "--read", type=Path, metavar="FILE", help="read a pcap/pcapng file")
    src.add_argument("--demo", action="store_true", help="replay the bundled failover capture")
    src.add_argument("-f", "--filter", metavar="EXPR",
                     help="tcpdump filter expression (as EXPRESSION)")  # fmt: skip
    src.add_argument("-D", "--list-interfaces", action=_ListInterfaces, nargs=0,
                     help="list the interfaces that can be captured on, and exit")  # fmt: skip
    src.add_argument("-p", "--no-promiscuous-mode", dest="no_promiscuous", action="store_true",
                     help="do not put the interface in promiscuous mode: adverts to "
                     "224.0.0.18/ff02::12 are then seen only if this host joined those "
                     "groups (a local keepalived does), unicast VRRP between other hosts "
                     "is missed")  # fmt: skip
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
    out.add_argument("--report-html", type=Path, metavar="FILE",
                     help="write the report as one self-contained HTML file (timeline "
                     "per instance, hover details) at the end, no console")  # fmt: skip
    out.add_argument("--no-ui", action="store_true", help="headless (e.g. with --prometheus)")
    out.add_argument("--width", type=_positive_int, metavar="N",
                     help="width of the --report (default: the terminal's; 240 when "
                     "stdout is a file or a pipe, so no cell is cut)")  # fmt: skip
    out.add_argument("-n", dest="numeric", action="store_true", help="no name resolution")
    out.add_argument("-l", dest="line_buffered", action="store_true",
                     help="line-buffered stdout (as tcpdump -l; --json is line-buffered "
                     "on live captures anyway)")  # fmt: skip
    out.add_argument("-v", dest="verbose", action="count", default=0,
                     help="accepted for tcpdump habits; vrrptop has no per-packet text "
                     "output: --json gives every decoded field of every advert")  # fmt: skip
    out.add_argument("--show-secrets", action="store_true",
                     help="show VRRPv2 PASS passwords instead of masking them")  # fmt: skip
    out.add_argument("--prometheus", metavar="[ADDR:]PORT", help="serve Prometheus metrics")
    out.add_argument("--notify", metavar="CMD",
                     help="run CMD INSTANCE NAME STATE PRIORITY (keepalived's notify "
                     "arguments, details in $VRRPTOP_*) once per master change and "
                     "per alarm raised or cleared")  # fmt: skip
    cfg = p.add_argument_group("configuration and DNS health")
    cfg.add_argument("--config", type=Path, metavar="FILE",
                     help="TOML configuration (default: the first of /etc/vrrptop.toml, "
                     "~/.config/vrrptop/config.toml)")  # fmt: skip
    cfg.add_argument("--keepalived-conf", type=Path, metavar="FILE",
                     help="read instance names, VIPs and scripts from keepalived.conf "
                     "(default: /etc/keepalived/keepalived.conf when it exists)")  # fmt: skip
    cfg.add_argument("--check-config", action="store_true",
                     help="print the instances derived from keepalived.conf and the TOML, "
                     "lint them and exit: 0 clean (info notes alone), 1 warnings or "
                     "errors, 2 unusable (--json: one object)")  # fmt: skip
    cfg.add_argument("--config-id", metavar="ID",
                     help="read keepalived.conf's @ID conditional lines as keepalived -i ID "
                     "does (default: the host name up to its first dot)")  # fmt: skip
    cfg.add_argument("--priority-file", type=Path, action="append", default=[], metavar="PATH",
                     help="keepalived priority file to show and edit (repeatable)")  # fmt: skip
    cfg.add_argument("--read-only", action="store_true", help="never edit priority files")
    cfg.add_argument("--on-save", metavar="CMD", help="run CMD after saving a priority file")
    cfg.add_argument("--query", metavar="NAME[/TYPE]", help="DNS probe query (cam.ac.uk/TXT)")
    cfg.add_argument("--expect", metavar="TEXT", help="probe answers must contain TEXT")
    cfg.add_argument("--probe-interval", type=_positive_float, default=2.0, metavar="S",
                     help="seconds between DNS probes of each server "
                     "(default: %(default)s)")  # fmt: skip
    cfg.add_argument("--probe-timeout", type=_positive_float, default=1.0, metavar="S",
                     help="seconds before a probe counts as a timeout "
                     "(default: %(default)s)")  # fmt: skip
    cfg.add_argument("--no-probe", action="store_true", help="send no DNS probes")
    node = p.add_argument_group("the local keepalived (live, as root)")
    node.add_argument("--keepalived-pid", type=Path, metavar="FILE",
                      help="its pid file (default /run/keepalived.pid)")  # fmt: skip
    node.add_argument("--no-keepalived-state", action="store_true",
                      help="never signal keepalived for its state dumps")  # fmt: skip
    p.add_argument("-V", "--version", action=_VersionAction)
    return p


def parse_args(argv: Sequence[str] | None = None) -> Options:
    """Parse ``argv`` into Options; usage errors exit 2 like argparse does."""
    parser = build_parser()
    # Intermixed: the expression may come after options, as with tcpdump.
    ns = parser.parse_intermixed_args(argv)
    expression = _expression(parser, ns)
    interface = ns.interface or ns.interface_pos
    sources = sum(bool(x) for x in (interface, ns.read, ns.demo))
    if sources > 1:
        parser.error("choose one source: IFACE, -r FILE or --demo")
    if sources == 0 and not ns.check_config:
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
        report_html=ns.report_html,
        no_ui=ns.no_ui,
        speed=ns.speed,
        show_secrets=ns.show_secrets,
        priority_files=list(ns.priority_file),
        read_only=ns.read_only,
        on_save=ns.on_save,
        config=ns.config,
        keepalived_conf=ns.keepalived_conf,
        config_id=ns.config_id,
        check_config=ns.check_config,
        query=ns.query,
        expect=ns.expect,
        probe_interval=ns.probe_interval,
        probe_timeout=ns.probe_timeout,
        no_probe=ns.no_probe,
        prometheus=ns.prometheus,
        notify=ns.notify,
        filter_expression=expression,
        promiscuous=not ns.no_promiscuous,
        line_buffered=ns.line_buffered,
        verbose=ns.verbose,
        keepalived_pid=ns.keepalived_pid,
        no_keepalived_state=ns.no_keepalived_state,
        width=ns.width,
    )


def main(argv: Sequence[str] | None = None) -> int:
    """Entry point of the ``vrrptop`` command."""
    options = parse_args(argv)
    if options.line_buffered:
        sys.stdout.reconfigure(line_buffering=True)  # type: ignore[union-attr]
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
