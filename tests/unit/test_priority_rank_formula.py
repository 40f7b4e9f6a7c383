"""The rank formulas vrrptop reads from a rank script, each checked against ``sh``.

A direction-1 rank script reverses the file's order (``config.derive.span_of``);
for every recognised form and several files (one with no final newline, which
``wc -l`` does not count), the rank ``priority.scheme.rank_of`` predicts for each
line is the one the shell computes. Forms vrrptop does not know are not guessed.
"""

from __future__ import annotations

import os
import subprocess
from pathlib import Path

import pytest

from vrrptop.config.derive import script_span
from vrrptop.priority import PriorityFile, Scheme
from vrrptop.priority.scheme import rank_of

FORMULAS = [
    "prio=$((5 - $prio))",  # the seed's
    "prio=$(( 7 - ${prio} ))",
    "prio=$((4 + 1 - $prio))",
    "prio=$(expr 5 - $prio)",
    "prio=`expr 6 - $prio`",
    "prio=$(( $(wc -l < $FILE) + 1 - $prio ))",
    "prio=$(( `cat $FILE | wc -l` - prio ))",
    'n=$(wc -l < "$FILE")\nprio=$((n - prio + 1))',
    "n=`wc -l <$FILE`\nprio=$(expr $n + 1 - $prio)",
]
RANKED = [
    b"a\nb\nc\nd\n",
    b"a\n#b\nc\nd\ne\nf\n",  # six lines
    b"a\nb\nc",  # no final newline: wc -l says 2
]


@pytest.mark.parametrize("formula", FORMULAS)
@pytest.mark.parametrize("content", RANKED)
def test_the_rank_formula_is_read_from_the_script(
    tmp_path: Path, formula: str, content: bytes
) -> None:
    # The rank vrrptop predicts for each line must be the one the shell computes.
    pfile = tmp_path / "priority.t"
    pfile.write_bytes(content)
    script = tmp_path / "named_check"
    script.write_text(f"#!/bin/sh\nFILE={pfile}\nprio=$LINE\n{formula}\necho $prio\n")
    span = script_span(str(script))
    assert span is not None, formula
    scheme = Scheme(
        direction=1,
        span=None if span.counts_lines else span.offset,
        span_lines=span.offset if span.counts_lines else None,
    )
    f = PriorityFile.parse(content)
    for line in range(1, f.line_count + 1):
        env = dict(os.environ, LINE=str(line))
        shell = subprocess.run(
            ["sh", str(script)], capture_output=True, text=True, check=True, env=env
        )
        assert rank_of(line, f.wc_lines, scheme) == int(shell.stdout), (formula, line)


@pytest.mark.parametrize(
    "formula",
    [
        "prio=$((5 * $prio))",
        "i=$((i + 1))",
        "prio=$(( $(grep -c '' $FILE) + 1 - $prio ))",  # grep -c counts differently
        "prio=$((prio - 5))",
        "prio=$(( $(wc -l < $FILE) + $(wc -l < $FILE) - $prio ))",
    ],
)
def test_an_unknown_rank_formula_is_not_guessed(tmp_path: Path, formula: str) -> None:
    script = tmp_path / "named_check"
    script.write_text(f"#!/bin/sh\n{formula}\n")
    assert script_span(str(script)) is None
