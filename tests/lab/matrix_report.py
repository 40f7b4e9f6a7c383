"""The matrix's printed summary and its Markdown (``tests/lab/MATRIX.md``).

The Markdown file keeps hand-written text (the diagnoses) outside the markers
``<!-- matrix:begin -->`` / ``<!-- matrix:end -->``; only what is between them is
replaced by a run with ``--markdown``.
"""

from __future__ import annotations

import os
import subprocess
import time
from pathlib import Path

from tests.lab.matrix import Row, table

BEGIN, END = "<!-- matrix:begin -->", "<!-- matrix:end -->"
REPO = Path(__file__).resolve().parents[2]


def _git(*args: str) -> str:
    out = subprocess.run(["git", *args], cwd=REPO, capture_output=True, text=True)
    return out.stdout.strip() or "?"


def header(rows: list[Row], elapsed: float) -> str:
    """When, against which code, how long, how loaded the machine was."""
    load = " ".join(f"{x:.2f}" for x in os.getloadavg())
    bad = sum(1 for r in rows if not r.ok)
    return (
        f"Run {time.strftime('%Y-%m-%d %H:%M UTC', time.gmtime())}: {len(rows)} scenarios, "
        f"{bad} not clean, {elapsed:.0f} s; vrrptop at {_git('rev-parse', '--short', 'HEAD')} "
        f"(on main {_git('rev-parse', '--short', _git('merge-base', 'HEAD', 'main'))}), keepalived "
        f"{_git_free_version()}, load average at the end {load} on {os.cpu_count()} CPUs."
    )


def _git_free_version() -> str:
    out = subprocess.run(["keepalived", "--version"], capture_output=True, text=True)
    first = (out.stderr or out.stdout).splitlines()
    return first[0].split()[1] if first and len(first[0].split()) > 1 else "?"


def notes(rows: list[Row]) -> str:
    """Per scenario: what keepalived did and what vrrptop said besides the table."""
    out = []
    for r in rows:
        out.append(f"- **{r.name}** ({r.seconds:.0f} s)")
        out += [f"  - {n}" for n in r.notes]
    return "\n".join(out)


def summary(rows: list[Row], elapsed: float) -> str:
    """What ``python -m tests.lab matrix`` prints at the end."""
    return "\n".join(["", header(rows, elapsed), "", table(rows), "", notes(rows)])


def markdown(rows: list[Row], elapsed: float, existing: str = "") -> str:
    """``existing`` with the generated part replaced (or a new file)."""
    body = "\n".join([BEGIN, header(rows, elapsed), "", table(rows), "", "### Notes per scenario",
                      "", notes(rows), END])  # fmt: skip
    if BEGIN in existing and END in existing:
        head, rest = existing.split(BEGIN, 1)
        return head + body + rest.split(END, 1)[1]
    return f"# Alarm scenario matrix (issue 10)\n\n{body}\n"
