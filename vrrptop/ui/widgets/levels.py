"""Levels (ok/warn/bad/dim) to Rich styles taken from the current Textual theme.

Colours come from the theme so light and dark both read well; the words next to
them carry the meaning, and NO_COLOR (handled by Textual) drops the colours.
"""

from __future__ import annotations

from textual.app import App

from vrrptop.ui.format import Level


def level_style(app: App[object], level: Level | None) -> str:
    """Rich style string for ``level`` in ``app``'s current theme."""
    if level is None:
        return ""
    if level == "dim":
        return "dim"
    theme = app.current_theme
    if level == "ok":
        return theme.success or "green"
    if level == "warn":
        return f"bold {theme.warning or 'yellow'}"
    return f"bold {theme.error or 'red'}"
