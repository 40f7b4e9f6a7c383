"""The priority file: byte-exact parse/render and pure edits.

Edits return a new ``PriorityFile``; every line they do not touch is kept
byte-identical (text and line ending). Line numbers count every line, as
``grep -n`` does.

Design choices (documented for the editor):

* **Move** swaps a host line (in service or disabled) with the nearest host line
  in that direction; comments, blank and other lines stay where they are, so a
  header comment never drifts. Line endings stay with their position, so a file
  without a final newline keeps that property.
* **Disable/enable** comment/uncomment the host in place (``host`` <-> ``#host``):
  the host keeps its line number, as the seed's scheme requires.
* **Add** appends (or inserts before a line) using the file's dominant line ending.
* **Delete** removes one line; other lines are kept byte-identical.
"""

from __future__ import annotations

from collections import Counter
from dataclasses import dataclass

from vrrptop.priority.errors import EditError, PriorityFileError
from vrrptop.priority.lines import Line, LineKind, hostname_problem

MAX_SIZE = 1 << 20
"""Refuse files larger than this: a priority file is a handful of host names."""

_HOSTISH = (LineKind.HOST, LineKind.DISABLED)
_NOT_HOST = {LineKind.COMMENT: "a comment", LineKind.BLANK: "a blank line"}


@dataclass(frozen=True, slots=True)
class FileWarning:
    """Something in the file that will not do what it seems to (1-based line)."""

    line: int
    message: str


@dataclass(frozen=True, slots=True)
class HostEntry:
    """A host named in the file: where, and whether grep will find it in service."""

    name: str
    line: int
    """1-based line number (counts every line)."""
    in_service: bool
    """True when the line is the bare host name, uncommented, as grep -Fx needs."""
    disabled: bool
    """True when the line is ``#host``."""


def _decode(data: bytes, max_size: int) -> str:
    if len(data) > max_size:
        raise PriorityFileError(
            f"priority file too large ({len(data)} bytes > {max_size}): not a host list"
        )
    if b"\0" in data:
        raise PriorityFileError(
            f"priority file contains NUL bytes at offset {data.index(0)}: binary, not a host list"
        )
    # A Latin-1 byte in a comment must not make the whole file uneditable: bytes
    # that are not UTF-8 are kept as surrogate escapes and written back unchanged
    # (``warnings`` names their lines).
    return data.decode("utf-8", "surrogateescape")


@dataclass(frozen=True, slots=True)
class PriorityFile:
    """An immutable list of ``Line``; ``render()`` reproduces the parsed bytes."""

    lines: tuple[Line, ...] = ()

    @classmethod
    def parse(cls, data: str | bytes, *, max_size: int = MAX_SIZE) -> PriorityFile:
        """Parse file content; raises ``PriorityFileError`` for binary or huge data."""
        if isinstance(data, bytes):
            text = _decode(data, max_size)
        else:
            text = data
            if "\0" in text:
                raise PriorityFileError("priority file contains NUL characters: not a host list")
            try:
                text.encode("utf-8", "surrogateescape")
            except UnicodeEncodeError as exc:
                raise PriorityFileError(
                    f"priority file text cannot be written as UTF-8 (character {exc.start})"
                ) from None
        parts = text.split("\n")
        lines = [Line(part, "\n") for part in parts[:-1]]
        if parts[-1]:
            lines.append(Line(parts[-1], ""))
        return cls(tuple(lines))

    def render(self) -> bytes:
        """The file's bytes (identical to the parsed input when unedited)."""
        return self.render_text().encode("utf-8", "surrogateescape")

    def render_text(self) -> str:
        """The file's text."""
        return "".join(line.render() for line in self.lines)

    # -- queries ---------------------------------------------------------------

    def __len__(self) -> int:
        return len(self.lines)

    @property
    def line_count(self) -> int:
        """Number of lines as ``grep`` sees them (an unterminated last line counts)."""
        return len(self.lines)

    @property
    def wc_lines(self) -> int:
        """What ``wc -l`` prints: the newlines (an unterminated last line does not count)."""
        return sum(1 for line in self.lines if line.eol)

    def entries(self) -> list[HostEntry]:
        """Every host or disabled-host line, in file order."""
        out = []
        for number, line in enumerate(self.lines, 1):
            kind = line.kind
            if kind in _HOSTISH:
                name = line.host
                assert name is not None
                out.append(
                    HostEntry(
                        name=name,
                        line=number,
                        in_service=kind is LineKind.HOST and line.grep_exact,
                        disabled=kind is LineKind.DISABLED,
                    )
                )
        return out

    def hosts(self) -> list[str]:
        """Distinct host names mentioned (in service or not), first mention order."""
        return list(dict.fromkeys(entry.name for entry in self.entries()))

    def grep_line(self, name: str) -> int | None:
        """The line number ``grep -Fxn NAME | sed 's/:.*//'`` yields (first match)."""
        for number, line in enumerate(self.lines, 1):
            if line.text == name:
                return number
        return None

    def warnings(self) -> list[FileWarning]:
        """Lines that will not behave as they look (grep -x mismatches, duplicates...)."""
        out: list[FileWarning] = []
        seen: dict[str, int] = {}
        for number, line in enumerate(self.lines, 1):
            kind = line.kind
            if line.undecodable:
                out.append(FileWarning(number, "bytes that are not UTF-8, kept as they are"))
            if kind is LineKind.OTHER:
                out.append(FileWarning(number, f"not a host name: {line.shown[:40]!r}"))
            if kind not in _HOSTISH:
                continue
            name = line.host or ""
            if kind is LineKind.HOST and not line.grep_exact:
                why = "CR line ending" if line.text.endswith("\r") else "spaces or tabs"
                out.append(
                    FileWarning(number, f"{name}: {why} around the name, grep -x will not match")
                )
            if "." in name.rstrip("."):
                out.append(
                    FileWarning(number, f"{name}: has a dot, `hostname --short` never matches")
                )
            if name in seen:
                out.append(
                    FileWarning(number, f"{name}: also on line {seen[name]}, the first one counts")
                )
            else:
                seen[name] = number
        return out

    def dominant_eol(self) -> str:
        """``"\\r\\n"`` if most terminated lines are CRLF, else ``"\\n"``."""
        ends = Counter(
            "\r\n" if line.text.endswith("\r") else "\n" for line in self.lines if line.eol
        )
        return "\r\n" if ends["\r\n"] > ends["\n"] else "\n"

    # -- edits -----------------------------------------------------------------

    def _check_index(self, index: int) -> Line:
        if not 0 <= index < len(self.lines):
            raise EditError(f"no line {index + 1} (the file has {len(self.lines)} lines)")
        return self.lines[index]

    def _replace(self, index: int, line: Line) -> PriorityFile:
        return PriorityFile(self.lines[:index] + (line,) + self.lines[index + 1 :])

    def neighbour(self, index: int, delta: int) -> int | None:
        """Index of the nearest host line above (delta<0) or below (delta>0), or None."""
        step = -1 if delta < 0 else 1
        i = index + step
        while 0 <= i < len(self.lines):
            if self.lines[i].kind in _HOSTISH:
                return i
            i += step
        return None

    def move(self, index: int, delta: int) -> PriorityFile:
        """Swap the host at ``index`` with the nearest host line up (-1) or down (+1)."""
        line = self._check_index(index)
        if line.kind not in _HOSTISH:
            what = _NOT_HOST.get(line.kind, "not a host line")
            raise EditError(
                f"nothing moved: line {index + 1} is {what}; J/K move host lines "
                "(comments and blank lines stay where they are)"
            )
        other = self.neighbour(index, delta)
        if other is None:
            raise EditError(f"{line.host} is already {'first' if delta < 0 else 'last'}")
        lines = list(self.lines)
        # Text moves, line endings stay with the position (keeps a missing final newline).
        lines[index] = Line(self.lines[other].text, line.eol)
        lines[other] = Line(line.text, self.lines[other].eol)
        return PriorityFile(tuple(lines))

    def move_up(self, index: int) -> PriorityFile:
        """``move(index, -1)``."""
        return self.move(index, -1)

    def move_down(self, index: int) -> PriorityFile:
        """``move(index, +1)``."""
        return self.move(index, +1)

    def disable(self, index: int) -> PriorityFile:
        """Take the host out of service: ``host`` -> ``#host`` on the same line."""
        line = self._check_index(index)
        if line.kind is not LineKind.HOST:
            raise EditError(f"line {index + 1} is not an in-service host")
        return self._replace(index, line.with_core("#" + line.core))

    def enable(self, index: int) -> PriorityFile:
        """Put the host back in service: ``#host`` -> ``host`` on the same line."""
        line = self._check_index(index)
        if line.kind is not LineKind.DISABLED:
            raise EditError(f"line {index + 1} is not a disabled host")
        return self._replace(index, line.with_core(line.core[1:]))

    def toggle(self, index: int) -> PriorityFile:
        """Disable an in-service host or enable a disabled one."""
        line = self._check_index(index)
        return self.disable(index) if line.kind is LineKind.HOST else self.enable(index)

    def add_host(self, name: str, index: int | None = None) -> PriorityFile:
        """Insert ``name`` before line ``index`` (0-based), or append when None."""
        problem = hostname_problem(name)
        if problem:
            raise EditError(problem)
        for entry in self.entries():
            if entry.name == name:
                raise EditError(f"{name} is already on line {entry.line}")
        eol = self.dominant_eol()
        text = name + ("\r" if eol == "\r\n" else "")
        lines = list(self.lines)
        if index is None or index >= len(lines):
            if lines and not lines[-1].eol:
                # The old last line needs a terminator; the new last line keeps the
                # file's "no final newline" style.
                lines[-1] = Line(lines[-1].text, "\n")
                lines.append(Line(text, ""))
            else:
                lines.append(Line(text, "\n"))
        else:
            if index < 0:
                raise EditError(f"no line {index + 1}")
            lines.insert(index, Line(text, "\n"))
        return PriorityFile(tuple(lines))

    def delete(self, index: int) -> PriorityFile:
        """Remove line ``index``; every other line stays byte-identical."""
        self._check_index(index)
        return PriorityFile(self.lines[:index] + self.lines[index + 1 :])
