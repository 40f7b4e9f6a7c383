"""Property tests: text from the wire or DNS is terminal-safe after ``safe_name``.

``vrrptop.probe.sanitize.safe_name`` is the project's one escaper for untrusted text
(host names, PTR and TXT answers). These properties are checked on arbitrary Unicode:
nothing a terminal interprets survives (C0/C1 controls, ESC sequences, DEL, bidi
overrides and other format characters, line/paragraph separators), the escaping is
reversible (so two different names never look the same), and clean text is unchanged.
"""

from __future__ import annotations

import re
import unicodedata

from hypothesis import example, given
from hypothesis import strategies as st

from vrrptop.probe.sanitize import safe_name

#: What a terminal may act on or render deceptively.
UNSAFE = {"Cc", "Cf", "Zl", "Zp", "Cs", "Co", "Cn"}
BIG = 10**9  # no length cut: the properties below are about escaping only

_ESCAPE = re.compile(r"\\(\\|x[0-9a-f]{2}|u[0-9a-f]{4}|U[0-9a-f]{8})")


def unescape(shown: str) -> str:
    """Invert ``safe_name`` (written from its documented escape forms)."""

    def one(m: re.Match[str]) -> str:
        body = m.group(1)
        return "\\" if body == "\\" else chr(int(body[1:], 16))

    rest = _ESCAPE.sub("", shown)
    assert "\\" not in rest, f"stray backslash in {shown!r}"
    return _ESCAPE.sub(one, shown)


def is_clean(shown: str) -> bool:
    return not any(unicodedata.category(ch) in UNSAFE for ch in shown)


ATTACKS = [
    "\x1b]0;pwned\x07",  # set the window title
    "\x1b[2J\x1b[H",  # clear the screen
    "ns1\x1b[8mhidden",  # invisible text
    "\x9b31m",  # 8-bit CSI
    "admin\u202egpj.exe",  # right-to-left override
    "a\u2028b\u2029c",  # line / paragraph separators
    "tab\there\r\nnew",
    "\x7f\x00",
    "zero\u200bwidth",
    "\ufeffbom",
]


@given(st.text())
@example("a\x1b")
@example("a\\x1b")
@example("\\\\x1b")
def test_output_is_terminal_safe_and_reversible(text: str) -> None:
    shown = safe_name(text, max_len=BIG)
    assert is_clean(shown)
    assert unescape(shown) == text


@given(st.lists(st.sampled_from(ATTACKS) | st.text(max_size=5), max_size=6).map("".join))
def test_known_attacks_are_defused(text: str) -> None:
    shown = safe_name(text, max_len=BIG)
    assert "\x1b" not in shown and "\x9b" not in shown and "\u202e" not in shown
    assert is_clean(shown)


@given(st.text(st.characters(blacklist_categories=tuple(UNSAFE), blacklist_characters="\\")))
def test_clean_text_is_unchanged(text: str) -> None:
    assert safe_name(text, max_len=BIG) == text


@given(st.text(), st.integers(min_value=1, max_value=300))
def test_length_is_capped(text: str, max_len: int) -> None:
    shown = safe_name(text, max_len=max_len)
    assert len(shown) <= max_len
    assert is_clean(shown)


@given(st.binary())
def test_bytes_are_terminal_safe(raw: bytes) -> None:
    shown = safe_name(raw, max_len=BIG)
    assert is_clean(shown)
    try:
        text = raw.decode("utf-8")
    except UnicodeDecodeError:
        return
    assert shown == safe_name(text, max_len=BIG)  # valid UTF-8: same as the str path
