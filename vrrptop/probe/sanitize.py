"""Make names and answers from the wire or DNS safe to print on a terminal.

A PTR record or a TXT answer is attacker-controlled text: an ESC byte in it could
move the cursor, rewrite the screen or set the window title. Everything we did not
produce ourselves goes through ``safe_name`` before display.
"""

from __future__ import annotations

import unicodedata

MAX_NAME = 255
"""Longer text is cut (with an ellipsis): a DNS name is at most 253 characters."""


def _escape(ch: str, raw_bytes: bool = False) -> str:
    code = ord(ch)
    if raw_bytes and 0xDC80 <= code <= 0xDCFF:
        return f"\\x{code - 0xDC00:02x}"
    if code < 0x100:
        return f"\\x{code:02x}"
    if code < 0x10000:
        return f"\\u{code:04x}"
    return f"\\U{code:08x}"


def _unsafe(ch: str) -> bool:
    # Cc: C0/C1 controls and DEL (ESC, CSI, BEL...); Cf: format characters such as
    # the bidi overrides that make text display in another order than it reads;
    # Zl/Zp: line and paragraph separators; Cs/Co/Cn: lone surrogates, private use
    # and unassigned code points, which terminals render unpredictably.
    return unicodedata.category(ch) in {"Cc", "Cf", "Zl", "Zp", "Cs", "Co", "Cn"}


def safe_name(text: str | bytes | None, *, max_len: int = MAX_NAME) -> str:
    """Return ``text`` with control and format characters escaped (``\\x1b``).

    Bytes are decoded as UTF-8 with invalid bytes escaped. A backslash is doubled,
    so a name cannot pretend to contain an escape it does not (``a\\x1b`` and
    ``a<ESC>`` display differently). The result is at most ``max_len`` characters
    (cut with "…"). ``None`` gives "".
    """
    if text is None:
        return ""
    raw_bytes = isinstance(text, bytes)
    if isinstance(text, bytes):
        # Invalid bytes become lone surrogates U+DC80..U+DCFF, escaped below as the
        # byte they stand for, after backslashes are doubled: so b"\xff" and the
        # four characters "\xff" can never display the same.
        text = text.decode("utf-8", errors="surrogateescape")
    text = text.replace("\\", "\\\\")
    if any(_unsafe(ch) for ch in text):
        text = "".join(_escape(ch, raw_bytes) if _unsafe(ch) else ch for ch in text)
    if len(text) > max_len:
        text = text[: max_len - 1] + "…"
    return text
