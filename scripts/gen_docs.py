"""Generate the man page and the shell completions from vrrptop's argument parser.

``vrrptop.cli.build_parser()`` is the one definition of the command line; the man page
(argparse-manpage) and the bash and zsh completions (shtab) are rendered from it, so
an option added to cli.py cannot be missing from them. The generated files are
committed under contrib/ so that building the wheel, the sdist or the Debian package
needs neither library, and ``--check`` (run by the tests) fails when they are stale.

The hand-written parts of the man page (exit status, files, environment, signals)
are in contrib/man/vrrptop.1.include. The page's date is the date of the newest
CHANGELOG.md entry, whose version must be vrrptop's: the output depends only on the
repository, never on the day it was built.

    python scripts/gen_docs.py           # rewrite contrib/man/vrrptop.1 and completions
    python scripts/gen_docs.py --check   # exit 1 naming any file that is out of date
"""

from __future__ import annotations

import argparse
import re
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

from vrrptop import __version__  # noqa: E402
from vrrptop.cli import build_parser  # noqa: E402

MAN_PAGE = ROOT / "contrib/man/vrrptop.1"
MAN_INCLUDE = ROOT / "contrib/man/vrrptop.1.include"
BASH = ROOT / "contrib/completions/vrrptop"
ZSH = ROOT / "contrib/completions/_vrrptop"
CHANGELOG = ROOT / "CHANGELOG.md"

# Options that take a path complete file names; the interface completes the kernel's
# interface names (and "any").
_FILE_OPTIONS = {"read", "write", "config", "keepalived_conf", "priority_file"}
_INTERFACE = {
    "bash": "_vrrptop_interfaces",
    "zsh": "_net_interfaces",
    "preamble": {
        "bash": (
            "# $1=COMP_WORDS[1]\n"
            "_vrrptop_interfaces() {\n"
            '  compgen -W "any $(ls /sys/class/net 2>/dev/null)" -- "$1"\n'
            "}\n"
        )
    },
}


def release_date() -> str:
    """The date of the newest CHANGELOG entry, which must be this version's."""
    match = re.search(r"^## \[([^\]]+)\] - (\d{4}-\d{2}-\d{2})", CHANGELOG.read_text(), re.M)
    if match is None:
        raise SystemExit(f"{CHANGELOG}: no '## [VERSION] - YYYY-MM-DD' heading")
    version, date = match.groups()
    if version != __version__:
        raise SystemExit(f"{CHANGELOG}: newest entry is {version}, vrrptop is {__version__}")
    return date


def _annotated_parser() -> argparse.ArgumentParser:
    """build_parser() with the completion hints shtab reads (``action.complete``)."""
    import shtab

    parser = build_parser()
    for action in parser._actions:
        if action.dest in _FILE_OPTIONS:
            action.complete = shtab.FILE  # type: ignore[attr-defined]
        elif action.dest in {"interface", "interface_pos"}:
            action.complete = _INTERFACE  # type: ignore[attr-defined]
    return parser


def man_page() -> str:
    """The roff man page for vrrptop(1)."""
    from argparse_manpage.manpage import Manpage

    parser = build_parser()
    examples = parser.epilog or ""
    parser.epilog = None  # rendered below as EXAMPLES, not argparse-manpage's COMMENTS
    parser.description = None  # the NAME line says it; DESCRIPTION is the include's
    page = Manpage(
        parser,
        _data={
            "project_name": "vrrptop",
            "version": __version__,
            "date": release_date(),
            "manual_title": "User Commands",
            "manual_section": 1,
            "description": "terminal monitor for VRRP failover clusters",
            "include": str(MAN_INCLUDE),
        },
    )
    # Only the examples: the include (contrib/man/) has configuration and exit status.
    for title, lines in _sections(examples):
        if title == "examples":
            body = "\n".join(f".TP\n.B {_roff(cmd)}\n{_roff(why)}" for cmd, why in _items(lines))
            page.add_section("EXAMPLES", "=", body)
    return str(page)


def _sections(epilog: str) -> list[tuple[str, list[str]]]:
    """The epilog's ``title:`` paragraphs (examples, configuration, exit status...)."""
    out: list[tuple[str, list[str]]] = []
    for para in re.split(r"\n\s*\n", epilog.strip()):
        head, *rest = para.splitlines()
        if head.endswith(":") and rest:
            out.append((head[:-1].strip(), rest))
    return out


def _items(lines: list[str]) -> list[tuple[str, str]]:
    """``command  why`` lines; a line with no command continues the one before."""
    items: list[tuple[str, str]] = []
    for line in lines:
        parts = re.split(r"\s{2,}", line.strip(), maxsplit=1)
        if len(parts) == 2 and not line.startswith(" " * 10):
            items.append((parts[0], parts[1].strip()))
        elif items:
            cmd, why = items[-1]
            items[-1] = (cmd, f"{why} {line.strip()}")
    return items


def _roff(text: str) -> str:
    return text.replace("\\", "\\e").replace("-", "\\-")


def completion(shell: str) -> str:
    """The completion script for ``shell`` (bash or zsh)."""
    import shtab

    return str(shtab.complete(_annotated_parser(), shell=shell))


def outputs() -> dict[Path, str]:
    """Every generated file and what it must contain."""
    return {MAN_PAGE: man_page(), BASH: completion("bash"), ZSH: completion("zsh")}


def main(argv: list[str]) -> int:
    check = argv == ["--check"]
    if argv and not check:
        print("usage: gen_docs.py [--check]", file=sys.stderr)
        return 2
    stale = []
    for path, text in outputs().items():
        if path.is_file() and path.read_text() == text:
            continue
        stale.append(path)
        if not check:
            path.parent.mkdir(parents=True, exist_ok=True)
            path.write_text(text)
    for path in stale:
        verb = "out of date (run scripts/gen_docs.py)" if check else "written"
        print(f"{path.relative_to(ROOT)}: {verb}", file=sys.stderr)
    return 1 if check and stale else 0


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
