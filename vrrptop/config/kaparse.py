"""keepalived.conf syntax: tokens, statements and blocks, with ``include``.

keepalived's format is line-oriented: ``keyword args...`` per line, ``{``/``}``
open and close blocks, ``#`` and ``!`` start comments, double quotes group words.
This module only builds a tree of ``Node``; ``keepalived.py`` interprets it. It
never raises on bad input: problems go to a warning list.
"""

from __future__ import annotations

import glob
import os
from dataclasses import dataclass, field
from pathlib import Path

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


def tokenize(text: str) -> list[tuple[str, int]]:
    """Split into ``(token, line)``; a ``"\\n"`` token ends each line."""
    out: list[tuple[str, int]] = []
    for number, raw in enumerate(text.split("\n"), 1):
        i, n = 0, len(raw)
        while i < n:
            ch = raw[i]
            if ch.isspace():
                i += 1
            elif ch in "#!":
                break
            elif ch in "{}":
                out.append((ch, number))
                i += 1
            elif ch == '"':
                end = raw.find('"', i + 1)
                end = n if end < 0 else end
                out.append((raw[i + 1 : end], number))
                i = end + 1
            else:
                j = i
                while j < n and not raw[j].isspace() and raw[j] not in '{}"':
                    j += 1
                # '#'/'!' start a comment only at a word start: inside a word
                # (a password, a URL) they are kept.
                out.append((raw[i:j], number))
                i = j
        out.append((_NL, number))
    return out


class _Parser:
    def __init__(self, result: ParseResult) -> None:
        self.result = result
        self.stack: list[str] = []

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
        tokens = tokenize(text)
        pos = 0
        root: list[Node] = []
        blocks: list[list[Node]] = [root]
        while pos < len(tokens):
            tok, line = tokens[pos]
            if tok == _NL:
                pos += 1
                continue
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
            while pos < len(tokens) and tokens[pos][0] not in (_NL, "{", "}"):
                words.append(tokens[pos][0])
                pos += 1
            opens = pos < len(tokens) and tokens[pos][0] == "{"
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
        if len(blocks) > 1:
            self.result.warnings.append(f"{name}: {len(blocks) - 1} unclosed block(s) at the end")
        return root

    def include(self, pattern: str, base: Path, name: str, line: int, depth: int) -> list[Node]:
        full = pattern if os.path.isabs(pattern) else str(base / pattern)
        matches = sorted(glob.glob(full))
        if not matches:
            self.result.warnings.append(f"{name}:{line}: include {pattern}: no such file")
        nodes: list[Node] = []
        for match in matches:
            nodes.extend(self.parse_file(Path(match), depth + 1))
        return nodes


def parse_text(text: str, name: str = "<text>", base: Path | None = None) -> ParseResult:
    """Parse keepalived.conf text (includes resolved relative to ``base``)."""
    result = ParseResult()
    result.nodes = _Parser(result).parse_text(text, name, base or Path("."), 0)
    return result


def parse_path(path: Path) -> ParseResult:
    """Parse a keepalived.conf file and everything it includes."""
    result = ParseResult()
    result.nodes = _Parser(result).parse_file(path, 0)
    return result
