"""Run options: what the command line (or a test) asks vrrptop to do.

``cli.py`` only turns argv into an ``Options``; everything else takes an ``Options``.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from pathlib import Path


@dataclass(slots=True)
class Options:
    """Everything a run needs to know; defaults are what ``vrrptop IFACE`` does."""

    interface: str | None = None
    """Live capture interface (``vrrptop em1`` or ``-i em1``)."""
    read_file: Path | None = None
    """``-r FILE``: replay a pcap/pcapng."""
    write_file: Path | None = None
    """``-w FILE``: also write captured VRRP/ARP/ND frames to a pcap."""
    demo: bool = False
    """``--demo``: replay the bundled capture of a real failover."""
    count: int | None = None
    """``-c N``: stop after N adverts."""
    duration: float | None = None
    """``--duration S``: stop after S seconds (of capture time when replaying)."""
    numeric: bool = False
    """``-n``: no name resolution."""
    json: bool = False
    """``--json``: JSON Lines on stdout, no UI."""
    report: bool = False
    """``--report``: rich report at the end, no UI."""
    report_html: Path | None = None
    """``--report-html FILE``: the report as one self-contained HTML file, no UI."""
    no_ui: bool = False
    """``--no-ui``: headless (e.g. only ``--prometheus``)."""
    speed: float | None = None
    """``--speed X``: replay at X times real time; None = as fast as possible."""
    show_secrets: bool = False
    """``--show-secrets``: print VRRPv2 PASS passwords instead of masking them."""
    priority_files: list[Path] = field(default_factory=list)
    """``--priority-file PATH`` (repeatable)."""
    read_only: bool = False
    """``--read-only``: never edit priority files."""
    on_save: str | None = None
    """``--on-save CMD``: run after a successful priority-file save."""
    config: Path | None = None
    """``--config FILE`` (TOML)."""
    keepalived_conf: Path | None = None
    """``--keepalived-conf FILE``."""
    check_config: bool = False
    """``--check-config``: print what was derived from the configuration, lint it, exit
    (0 clean or info notes only, 1 warnings or errors, 2 unusable); ``--json`` gives one
    object."""
    config_id: str | None = None
    """``--config-id ID``: read keepalived.conf's ``@ID`` lines as keepalived ``-i ID``
    does (None: this host's name up to its first dot, keepalived's default)."""
    query: str | None = None
    """``--query NAME[/TYPE]`` for DNS probes; None = default from config/seed."""
    expect: str | None = None
    """``--expect TEXT``: the probe answer must contain it."""
    probe_interval: float = 2.0
    probe_timeout: float = 1.0
    no_probe: bool = False
    """``--no-probe``: do not send DNS probes."""
    prometheus: str | None = None
    """``--prometheus [ADDR:]PORT``."""
    notify: str | None = None
    """``--notify CMD``: run CMD (split once, no shell) per master change and per alarm
    raised or cleared, with keepalived's notify arguments (``vrrptop.output.notify``)."""
    filter_expression: str | None = None
    """A tcpdump filter expression (``vrrptop em1 'host X'`` or ``-f``): narrows
    vrrptop's own VRRP/ARP/ND capture filter, never replaces it."""
    promiscuous: bool = True
    """False with ``-p``: the interface is not put in promiscuous mode."""
    line_buffered: bool = False
    """``-l``: stdout flushed at each line (tcpdump's -l)."""
    verbose: int = 0
    """``-v`` (repeatable): accepted for tcpdump habits."""
    keepalived_pid: Path | None = None
    """``--keepalived-pid FILE``: the local keepalived's pid file (None: /run/keepalived.pid)."""
    no_keepalived_state: bool = False
    """``--no-keepalived-state``: never signal the local keepalived for its dumps."""
    width: int | None = None
    """``--width N``: the report's width (default: the terminal's; 240 when piped)."""
