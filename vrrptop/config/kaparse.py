"""keepalived.conf syntax: tokens, statements and blocks, with ``include``.

keepalived's format is line-oriented: ``keyword args...`` per line, ``{``/``}``
open and close blocks, double quotes group words. ``kapre.py`` first turns each
physical line into the logical lines keepalived sees (comments, ``@id``,
``$NAME``, ``~SEQ``). This module only builds a tree of ``Node``;
``keepalived.py`` interprets it. It never raises on bad input: problems go to a
warning list.
"""

from __future__ import annotations

import glob
import os
import re
from dataclasses import dataclass, field
from pathlib import Path

from vrrptop.config.kapre import Preprocessor, decomment, default_config_id

MAX_FILE_SIZE = 4 << 20
MAX_INCLUDE_DEPTH = 8
_NL = "\n"


@dataclass(slots=True)
class Node:
    """One statement: ``keyword args`` and, for a block, its children."""

    keyword: str
    args: list[str]
    children: list[Node] | None
    file: str
    line: int

    def child(self, keyword: str) -> Node | None:
        """First child statement with this keyword."""
        for node in self.children or ():
            if node.keyword == keyword:
                return node
        return None

    def where(self) -> str:
        """``file:line`` for messages."""
        return f"{self.file}:{self.line}"


@dataclass(slots=True)
class ParseResult:
    """Top-level statements, files read and non-fatal problems."""

    nodes: list[Node] = field(default_factory=list)
    files: list[str] = field(default_factory=list)
    warnings: list[str] = field(default_factory=list)


_ESCAPES = {"a": "\a", "b": "\b", "E": "\x1b", "f": "\f", "n": "\n", "r": "\r"}
_ESCAPES |= {"t": "\t", "v": "\v"}


def _escape(raw: str, i: int) -> tuple[str, int]:
    """The character a ``\\`` escape at ``raw[i]`` (inside quotes) stands for, and
    the index after it (``\\nnn`` octal, ``\\xXX`` hex, ``\\cC`` control)."""
    nxt = raw[i + 1] if i + 1 < len(raw) else ""
    if nxt in _ESCAPES:
        return _ESCAPES[nxt], i + 2
    octal = re.match(r"[0-7]{1,3}", raw[i + 1 : i + 4])
    if octal:
        return chr(int(octal.group(0), 8) & 0xFF), i + 1 + len(octal.group(0))
    hexa = re.match(r"x([0-9A-Fa-f]{1,2})", raw[i + 1 : i + 4])
    if hexa:
        return chr(int(hexa.group(1), 16)), i + 2 + len(hexa.group(1))
    if nxt == "c" and i + 2 < len(raw):
        return chr(ord(raw[i + 2]) & 0x1F), i + 3
    return nxt, i + 2


def split_line(line: str) -> list[str]:
    """One logical line (comments already gone) as words; ``{``/``}`` are words.

    As keepalived: a word ends at white space outside double quotes, the quotes
    are removed (``ab"c d"e`` is the word ``abc de``), escapes inside quotes are
    the shell's. Single quotes are kept as they are (keepalived 2.2.7 does)."""
    words: list[str] = []
    i, n = 0, len(line)
    while i < n:
        ch = line[i]
        if ch.isspace():
            i += 1
            continue
        if ch in "{}":
            words.append(ch)
            i += 1
            continue
        word, quoted = "", False
        while i < n:
            ch = line[i]
            if ch == '"':
                quoted = not quoted
                i += 1
            elif quoted and ch == "\\":
                text, i = _escape(line, i)
                word += text
            elif not quoted and (ch.isspace() or ch in "{}"):
                break
            else:
                word += ch
                i += 1
        words.append(word)
    return words


def tokenize(text: str) -> list[tuple[str, int]]:
    """Split into ``(token, line)`` (comments removed, no preprocessing); a
    ``"\\n"`` token ends each line."""
    out: list[tuple[str, int]] = []
    for number, raw in enumerate(text.split("\n"), 1):
        out.extend((word, number) for word in split_line(decomment(raw)[0]))
        out.append((_NL, number))
    return out


class _Parser:
    def __init__(self, result: ParseResult, config_id: str | None) -> None:
        self.result = result
        self.stack: list[str] = []
        self.pre = Preprocessor(config_id or default_config_id(), result.warnings)

    def parse_file(self, path: Path, depth: int) -> list[Node]:
        real = os.path.realpath(path)
        if real in self.stack:
            self.result.warnings.append(f"{path}: include loop, skipped")
            return []
        if depth > MAX_INCLUDE_DEPTH:
            self.result.warnings.append(f"{path}: includes nested too deep, skipped")
            return []
        try:
            size = os.path.getsize(path)
            if size > MAX_FILE_SIZE:
                self.result.warnings.append(f"{path}: too large ({size} bytes), skipped")
                return []
            text = Path(path).read_bytes().decode("utf-8", "replace")
        except OSError as exc:
            self.result.warnings.append(f"{path}: cannot read: {exc.strerror or exc}")
            return []
        self.result.files.append(str(path))
        self.stack.append(real)
        try:
            return self.parse_text(text, str(path), Path(path).parent, depth)
        finally:
            self.stack.pop()

    def parse_text(self, text: str, name: str, base: Path, depth: int) -> list[Node]:
        previous = self.pre.start_file(str(base))
        root: list[Node] = []
        blocks: list[list[Node]] = [root]
        for number, raw in enumerate(text.split("\n"), 1):
            for logical in self.pre.feed(raw, f"{name}:{number}"):
                self.statement(split_line(logical), blocks, name, number, base, depth)
        self.pre.end_file()
        self.pre.pwd = previous
        if len(blocks) > 1:
            self.result.warnings.append(f"{name}: {len(blocks) - 1} unclosed block(s) at the end")
        return root

    def statement(
        self, tokens: list[str], blocks: list[list[Node]], name: str, line: int, base: Path,
        depth: int,
    ) -> None:  # fmt: skip
        """Add one logical line's statements to the open block."""
        pos = 0
        while pos < len(tokens):
            tok = tokens[pos]
            if tok == "}":
                if len(blocks) > 1:
                    blocks.pop()
                else:
                    self.result.warnings.append(f"{name}:{line}: unbalanced '}}' ignored")
                pos += 1
                continue
            if tok == "{":
                # A block without a keyword: keep its content at this level.
                self.result.warnings.append(f"{name}:{line}: '{{' without a keyword")
                node = Node("", [], [], name, line)
                blocks[-1].append(node)
                assert node.children is not None
                blocks.append(node.children)
                pos += 1
                continue
            words: list[str] = []
            while pos < len(tokens) and tokens[pos] not in ("{", "}"):
                words.append(tokens[pos])
                pos += 1
            opens = pos < len(tokens) and tokens[pos] == "{"
            if opens:
                pos += 1
            keyword, args = words[0], words[1:]
            if keyword == "include" and not opens:
                for pattern in args:
                    blocks[-1].extend(self.include(pattern, base, name, line, depth))
                continue
            node = Node(keyword, args, [] if opens else None, name, line)
            blocks[-1].append(node)
            if opens:
                assert node.children is not None
                blocks.append(node.children)

    def include(self, pattern: str, base: Path, name: str, line: int, depth: int) -> list[Node]:
        full = pattern if os.path.isabs(pattern) else str(base / pattern)
        matches = sorted(glob.glob(full))
        if not matches:
            self.result.warnings.append(f"{name}:{line}: include {pattern}: no such file")
        nodes: list[Node] = []
        for match in matches:
            nodes.extend(self.parse_file(Path(match), depth + 1))
        return nodes


def parse_text(
    text: str, name: str = "<text>", base: Path | None = None, config_id: str | None = None
) -> ParseResult:
    """Parse keepalived.conf text (includes resolved relative to ``base``) as the
    node ``config_id`` (keepalived's ``-i``; default: this host's short name) does."""
    result = ParseResult()
    result.nodes = _Parser(result, config_id).parse_text(text, name, base or Path("."), 0)
    return result


def parse_path(path: Path, config_id: str | None = None) -> ParseResult:
    """Parse a keepalived.conf file and everything it includes (see ``parse_text``)."""
    result = ParseResult()
    result.nodes = _Parser(result, config_id).parse_file(path, 0)
    return result
