"""The optional compiled build: which modules it compiles, and which are compiled now.

vrrptop is pure Python, and that is the default install: it works wherever Python
does. The modules every frame goes through (the decoders, the tracker, the pcap
reader, the engine and the JSON Lines writer) can also be compiled with mypyc
(``scripts/compile.py``, ``scripts/install.sh --compiled``). It is the same source,
type-checked: each module becomes a C extension beside its ``.py``, and Python
imports the extension instead. Measured in the README's "The compiled build".

Compiled modules differ from the pure ones in two ways the code allows for. Argument
types are enforced at run time, so a ``Frame`` rejects a ``bytearray``. Calls
between compiled modules are bound when they are built, so patching a module
attribute does not reach them. This table is the one list of what is compiled:
``scripts/compile.py`` builds it and ``vrrptop --version`` reports it.
"""

from __future__ import annotations

import importlib.machinery
import importlib.util
import sys
from pathlib import Path

#: What the compiled build compiles: the per-frame path and the state it updates.
#: Not the console, outputs beside JSON Lines, configuration or probes: they run per
#: snapshot or per keystroke, and some are subclassed by interpreted code (a compiled
#: class cannot be). Nor ``capture.live``: its socket loop has not been measured
#: compiled (the engine, tracker and decoders it feeds are compiled all the same).
MODULES: tuple[str, ...] = (
    "vrrptop.wire.arp",
    "vrrptop.wire.auth",
    "vrrptop.wire.checksum",
    "vrrptop.wire.decode",
    "vrrptop.wire.errors",
    "vrrptop.wire.ip",
    "vrrptop.wire.link",
    "vrrptop.wire.nd",
    "vrrptop.wire.records",
    "vrrptop.wire.vrrp",
    "vrrptop.capture.pcapfile",
    "vrrptop.capture.pcapng",
    "vrrptop.capture.pcapopen",
    "vrrptop.model.caps",
    "vrrptop.model.conflicts",
    "vrrptop.model.events",
    "vrrptop.model.expectation",
    "vrrptop.model.health",
    "vrrptop.model.instance",
    "vrrptop.model.moments",
    "vrrptop.model.node",
    "vrrptop.model.repeats",
    "vrrptop.model.snapshot",
    "vrrptop.model.source",
    "vrrptop.model.stats",
    "vrrptop.model.timeline",
    "vrrptop.model.timeline_grid",
    "vrrptop.model.timeline_thin",
    "vrrptop.model.timers",
    "vrrptop.model.tracker",
    "vrrptop.model.views",
    "vrrptop.engine",
    "vrrptop.output.jsonl",
)

_EXTENSION = tuple(importlib.machinery.EXTENSION_SUFFIXES)
SUFFIX = _EXTENSION[0]
"""What this interpreter's extensions end in (``.cpython-311-x86_64-linux-gnu.so``)."""
GROUP = "vrrptop_native"
"""mypyc's shared library for the build (``vrrptop_native__mypyc<SUFFIX>``), which
every compiled module loads; it sits beside the ``vrrptop`` package."""
GROUP_GLOB = f"{GROUP}__mypyc*{SUFFIX}"


def extension_path(name: str) -> Path:
    """Where a compiled module sits, relative to the directory holding ``vrrptop/``:
    ``vrrptop.wire.decode`` -> ``vrrptop/wire/decode.cpython-311-x86_64-linux-gnu.so``."""
    return Path(*name.split(".")).with_name(name.rsplit(".", 1)[1] + SUFFIX)


def remove_compiled(site: Path) -> int:
    """Remove the compiled build from ``site`` (the directory holding ``vrrptop/``),
    so the ``.py`` files run again; returns how many files were removed.

    ``scripts/install.sh`` runs it on every install (``python -m vrrptop.native
    --clean``): pip does not know these files, and an upgrade would otherwise
    leave old compiled modules in front of the new sources.
    """
    paths = [site / extension_path(name) for name in MODULES]
    paths += sorted(site.glob(GROUP_GLOB))
    gone = 0
    for path in paths:
        if path.is_file():
            path.unlink()
            gone += 1
    return gone


def compiled() -> tuple[str, ...]:
    """The ``MODULES`` that Python imports from a compiled extension in this install.

    Asks the import system where each module would come from (an extension beside
    a ``.py`` wins), without importing the module itself.
    """
    out = []
    for name in MODULES:
        try:
            spec = importlib.util.find_spec(name)
        except ImportError:
            continue
        if spec is not None and spec.origin is not None and spec.origin.endswith(_EXTENSION):
            out.append(name)
    return tuple(out)


def describe() -> str:
    """One line for ``--version``: pure Python, or how much of the build is compiled."""
    done = compiled()
    if not done:
        return "pure Python (no compiled modules)"
    if len(done) == len(MODULES):
        return f"compiled with mypyc ({len(done)} modules)"
    missing = sorted(set(MODULES) - set(done))
    return (
        f"partly compiled ({len(done)} of {len(MODULES)} modules; "
        f"pure: {', '.join(m.removeprefix('vrrptop.') for m in missing)})"
    )


def main(argv: list[str]) -> int:
    """``python -m vrrptop.native [--clean]``: what this install runs; ``--clean``
    removes its compiled modules."""
    if argv == ["--clean"]:
        site = Path(__file__).resolve().parents[1]
        print(f"removed {remove_compiled(site)} compiled files from {site}")
        return 0
    if argv:
        print("usage: python -m vrrptop.native [--clean]", file=sys.stderr)
        return 2
    print(describe())
    return 0


if __name__ == "__main__":
    raise SystemExit(main(sys.argv[1:]))
