"""keepalived's line preprocessing, before any keyword is looked at.

keepalived reads its configuration line by line and, before parsing keywords,
strips comments (``#`` or ``!`` anywhere outside double quotes), drops ``@id``
lines meant for another node (``@^id``: for every other node), records
``$NAME=value`` definitions (multi-line when the line ends with ``\\``), replaces
``$NAME`` (followed by white space or the end) and ``${NAME}`` with their values,
and repeats a line for each value of ``~SEQ(var, start, step, end)`` /
``~LST(var, v1, v2...)``. A shared config file for every node is a common
deployment pattern: without this, vrrptop would see the wrong priorities and
instances. Semantics follow keepalived.conf(5) and were checked against
keepalived 2.2.7's ``--dump-conf`` (tests/integration/test_keepalived_dump.py).

``Preprocessor.feed`` turns one physical line into the logical lines keepalived
parses; definitions persist across included files, as in keepalived.
"""

from __future__ import annotations

import os
import re
import socket
from collections.abc import Iterator
from dataclasses import dataclass, field

MAX_DEPTH = 16
"""Substitutions nested deeper than this are a loop ($A=$A)."""
MAX_EXPANDED = 20_000
"""Logical lines one physical line may expand to (a ~SEQ over 2^32 stops here)."""

_DEF_RE = re.compile(r"\$([A-Za-z_]\w*)=(.*)\Z", re.S)
_REF_RE = re.compile(r"\$\{([A-Za-z_]\w*)\}|\$([A-Za-z_]\w*)(?=\s|\Z)")
_SEQ_RE = re.compile(r"~(SEQx?|LST)\(")


def default_config_id() -> str:
    """keepalived's default ``-i``: the node name up to its first dot."""
    return socket.gethostname().split(".", 1)[0]


def decomment(raw: str) -> tuple[str, bool]:
    """``raw`` without its comment, and whether a double quote is left open."""
    quoted = False
    i, n = 0, len(raw)
    while i < n:
        ch = raw[i]
        if ch == "\\" and quoted:
            i += 2
            continue
        if ch == '"':
            quoted = not quoted
        elif ch in "#!" and not quoted:
            return raw[:i], False
        i += 1
    return raw, quoted


def _seq_values(kind: str, args: list[str]) -> list[dict[str, str]] | None:
    """The successive variable bindings of a ``~SEQ``/``~SEQx``/``~LST``."""
    if kind == "LST":
        if len(args) < 2:
            return None
        names = [a.strip() for a in args[0].strip("{} ").split(",")]
        out = []
        for item in args[1:]:
            vals = [v.strip() for v in item.strip().strip("{}").split(",")]
            if len(vals) != len(names):
                return None
            out.append(dict(zip(names, vals, strict=True)))
        return out
    try:
        nums = [int(a.strip(), 0) for a in args[1:]]
    except ValueError:
        return None
    if len(nums) == 1:
        end = nums[0]
        start, step = (1, 1) if end > 0 else (-1, -1)
    elif len(nums) == 2:
        start, end = nums
        step = 1 if end >= start else -1
    elif len(nums) == 3:
        start, step, end = nums
    else:
        return None
    if step == 0:
        return None
    var = args[0].strip()
    out = []
    value = start
    while (value <= end if step > 0 else value >= end) and len(out) <= MAX_EXPANDED:
        out.append({var: format(value, "x") if kind == "SEQx" else str(value)})
        value += step
    return out


def _split_args(text: str) -> tuple[list[str], str] | None:
    """``a, {b, c}, d) rest`` -> (["a", "{b, c}", "d"], "rest")."""
    depth, cur, args = 0, "", []
    for i, ch in enumerate(text):
        if ch == "{":
            depth += 1
        elif ch == "}":
            depth -= 1
        if ch == "," and depth == 0:
            args.append(cur)
            cur = ""
        elif ch == ")" and depth == 0:
            args.append(cur)
            return args, text[i + 1 :]
        else:
            cur += ch
    return None


@dataclass(slots=True)
class Preprocessor:
    """keepalived's per-line processing; ``warnings`` collects what it cannot do."""

    config_id: str = field(default_factory=default_config_id)
    warnings: list[str] = field(default_factory=list)
    defs: dict[str, str] = field(default_factory=dict)
    pwd: str = "."
    """``${_PWD}``: the directory of the file being read."""
    _pending: tuple[str, list[str]] | None = None
    _where: str = ""
    _steps: int = 0
    """Work done for the current physical line (nested ~SEQs multiply)."""

    def start_file(self, directory: str) -> str:
        """A file in ``directory`` starts: ``${_PWD}`` is that directory (the previous
        one is returned, to restore when an include ends)."""
        self.end_file()
        previous, self.pwd = self.pwd, os.path.abspath(directory)
        return previous

    def end_file(self) -> None:
        """A file ended: an unfinished multi-line definition ends with it."""
        if self._pending is not None:
            name, lines = self._pending
            self.defs[name] = "\n".join(lines)
            self._pending = None

    def feed(self, raw: str, where: str) -> Iterator[str]:
        """The logical lines one physical line of a file gives (often one, maybe none)."""
        self._where = where
        text, open_quote = decomment(raw)
        if open_quote:
            self.warnings.append(f"{where}: unterminated double quote")
        if self._pending is not None:
            name, lines = self._pending
            body = text.rstrip()
            more = body.endswith("\\")
            lines.append(body[:-1] if more else body)
            if not more:
                self.end_file()
            return iter(())
        out: list[str] = []
        self._steps = 0
        self._process(text, 0, out)
        if self._steps > 4 * MAX_EXPANDED:
            self.warnings.append(
                f"{where}: expands to more than {MAX_EXPANDED} lines, the rest dropped"
            )
        return iter(out)

    def _value(self, name: str) -> str | None:
        if name in self.defs:
            return self.defs[name]
        return {
            "_PWD": self.pwd,
            "_INSTANCE": self.config_id,
            "_HASH": "#",
            "_BANG": "!",
        }.get(name)

    def _substitute(self, text: str) -> str:
        def repl(match: re.Match[str]) -> str:
            value = self._value(match.group(1) or match.group(2))
            return match.group(0) if value is None else value

        return _REF_RE.sub(repl, text)

    def _process(self, text: str, depth: int, out: list[str]) -> None:
        s = text.strip()
        self._steps += 1
        if not s:
            return
        if self._steps > 4 * MAX_EXPANDED or len(out) >= MAX_EXPANDED:
            self._steps = 4 * MAX_EXPANDED + 1  # said once, by feed()
            return
        if depth > MAX_DEPTH:
            self.warnings.append(f"{self._where}: definitions expand without end, line dropped")
            return
        if s.startswith("@"):
            parts = s[1:].split(None, 1)
            word, rest = (parts + ["", ""])[:2] if parts else ("", "")
            negated = word.startswith("^")
            wanted = word[1:] if negated else word
            if (wanted == self.config_id) != negated:
                self._process(rest, depth, out)
            return
        definition = _DEF_RE.match(s)
        if definition:
            name, value = definition.group(1), definition.group(2).strip()
            if value.endswith("\\"):
                first = value[:-1].strip()
                self._pending = (name, [first] if first else [])
            else:
                self.defs[name] = value
            return
        seq = _SEQ_RE.match(s)
        if seq:
            parsed = _split_args(s[seq.end() :])
            values = _seq_values(seq.group(1), parsed[0]) if parsed else None
            if parsed is None or values is None:
                self.warnings.append(f"{self._where}: ~{seq.group(1)}(...) not understood")
                return
            if len(values) > MAX_EXPANDED:
                self.warnings.append(f"{self._where}: ~{seq.group(1)} over {MAX_EXPANDED} values")
                return
            for binding in values:
                self.defs.update(binding)
                self._process(parsed[1], depth + 1, out)
            return
        new = self._substitute(s)
        if new == s:
            out.append(s)
            return
        for piece in new.split("\n"):
            self._process(piece, depth + 1, out)
