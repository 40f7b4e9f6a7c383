"""What ``vrrptop --version`` prints: vrrptop and everything it runs on.

A bug report that says "vrrptop 0.1.0" says little when the same vrrptop can run on
Debian's scapy, a vendored textual or a pip-installed one, with whatever libpcap the
machine has. So the version line names the interpreter, each runtime library as
installed (read from its metadata, nothing is imported: the core never imports
textual, and importing scapy costs a second), libpcap as libpcap itself reports it,
and whether the per-frame modules run compiled (``vrrptop.native``). Something
missing is reported as missing rather than failing: ``--version`` is what one runs
when the install is broken.
"""

from __future__ import annotations

import ctypes
import ctypes.util
import platform
import sys
from importlib import metadata

from vrrptop import __version__
from vrrptop.native import describe

# Distribution names as installed (``pip show`` spells them this way).
LIBRARIES = ("textual", "scapy", "dnspython", "rich", "prometheus_client")


def library_version(name: str) -> str:
    """The installed version of distribution ``name``, or ``missing``."""
    try:
        return metadata.version(name)
    except metadata.PackageNotFoundError:
        return "missing"


def libpcap_version() -> str:
    """libpcap's own version string (``pcap_lib_version()``), or why there is none."""
    path = ctypes.util.find_library("pcap")
    if path is None:
        return "missing (apt-get install libpcap0.8)"
    try:
        lib = ctypes.CDLL(path)
        lib.pcap_lib_version.restype = ctypes.c_char_p
        text: bytes = lib.pcap_lib_version()
    except (OSError, AttributeError) as exc:
        return f"unusable ({path}: {exc})"
    return text.decode("ascii", "replace").removeprefix("libpcap version ")


def version_report() -> str:
    """The lines ``vrrptop --version`` prints."""
    lines = [
        f"vrrptop {__version__}",
        f"Python {platform.python_version()} ({sys.executable})",
    ]
    lines += [f"{name} {library_version(name)}" for name in LIBRARIES]
    lines.append(f"libpcap {libpcap_version()}")
    lines.append(f"build {describe()}")
    return "\n".join(lines)
