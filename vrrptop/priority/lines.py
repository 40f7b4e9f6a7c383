"""One line of a priority file, classified the way the seed's check script sees it.

The seed's ``named_check`` runs ``grep -Fxn "$(hostname --short)" priority.TYPE``:
a host is in service only when a line is *exactly* its short name (no spaces, no
CR of a CRLF file). We classify a line by its stripped text (what the operator
means) and separately record whether grep would match it (what keepalived does).
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from enum import StrEnum

_LABEL = re.compile(r"^[A-Za-z0-9](?:[A-Za-z0-9-]{0,61}[A-Za-z0-9])?$")
# Characters stripped to find what a line "means"; grep -x would not strip them.
_DECOR = " \t\r\f\v\ufeff"


class LineKind(StrEnum):
    """What a line is: in-service host, disabled host, comment, blank, other text."""

    HOST = "host"
    DISABLED = "disabled"
    COMMENT = "comment"
    BLANK = "blank"
    OTHER = "other"


def is_hostname(name: str) -> bool:
    """True when ``name`` is a valid host name (RFC 1123 labels, 253 chars at most)."""
    if not name or len(name) > 253 or not name.isascii():
        return False
    labels = name[:-1].split(".") if name.endswith(".") else name.split(".")
    return all(_LABEL.match(label) for label in labels)


def hostname_problem(name: str) -> str | None:
    """Why ``name`` is not acceptable as a new priority-file host, or None if it is."""
    if not name:
        return "empty host name"
    if not is_hostname(name):
        return (
            f"{name!r} is not a valid host name (letters, digits and '-', "
            "labels of 1-63 characters, not starting or ending with '-')"
        )
    return None


@dataclass(frozen=True, slots=True)
class Line:
    """A line as stored: ``text`` is everything before the ``"\\n"`` (a CRLF file's
    ``"\\r"`` stays in ``text``, exactly as grep sees it); ``eol`` is ``"\\n"`` or
    ``""`` for a last line without a newline."""

    text: str
    eol: str = "\n"

    @property
    def core(self) -> str:
        """The text without surrounding blanks, CR or BOM: what the operator means."""
        return self.text.strip(_DECOR)

    @property
    def kind(self) -> LineKind:
        """Classification of the line (see ``LineKind``)."""
        core = self.core
        if not core:
            return LineKind.BLANK
        if core.startswith("#"):
            return LineKind.DISABLED if is_hostname(core[1:]) else LineKind.COMMENT
        return LineKind.HOST if is_hostname(core) else LineKind.OTHER

    @property
    def host(self) -> str | None:
        """The host name of a host or disabled-host line, else None."""
        kind = self.kind
        if kind is LineKind.HOST:
            return self.core
        if kind is LineKind.DISABLED:
            return self.core[1:]
        return None

    @property
    def grep_exact(self) -> bool:
        """True when ``grep -x`` sees the same text as ``core`` (no decoration)."""
        return self.text == self.core

    def with_core(self, core: str) -> Line:
        """This line with its meaningful text replaced, keeping blanks/CR around it."""
        old = self.core
        start = self.text.find(old) if old else len(self.text.rstrip(_DECOR))
        prefix, suffix = self.text[:start], self.text[start + len(old) :]
        return Line(prefix + core + suffix, self.eol)

    @property
    def shown(self) -> str:
        """``core`` safe to display: bytes that are not UTF-8 (kept in ``text`` as
        surrogate escapes, written back unchanged) appear as ``\\xNN``."""
        return escape_undecodable(self.core)

    @property
    def undecodable(self) -> bool:
        """True when the line holds bytes that are not UTF-8 (kept as they are)."""
        return any("\udc80" <= ch <= "\udcff" for ch in self.text)

    def render(self) -> str:
        """The line as it is written to the file."""
        return self.text + self.eol


def escape_undecodable(text: str) -> str:
    """``text`` with surrogate-escaped bytes shown as ``\\xNN``."""
    if text.isascii():
        return text
    return "".join(
        f"\\x{ord(ch) - 0xDC00:02x}" if "\udc80" <= ch <= "\udcff" else ch for ch in text
    )
