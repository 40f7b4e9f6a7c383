"""Command palette provider: every console action, found by name (ctrl+p)."""

from __future__ import annotations

from functools import partial

from textual.command import DiscoveryHit, Hit, Hits, Provider

from vrrptop.ui.keys import KEY_HELP

#: Palette entries: (title, action, help). Generated from the key table so the
#: palette offers exactly what the keys do.
COMMANDS: tuple[tuple[str, str, str], ...] = tuple(
    (f"{k.label} ({k.keys})", k.action, k.text) for k in KEY_HELP if k.id != "palette"
)


class VrrptopCommands(Provider):
    """Offers each action of ``KEY_HELP`` in the command palette."""

    async def discover(self) -> Hits:
        """All commands, shown before the operator types."""
        for title, action, text in COMMANDS:
            yield DiscoveryHit(title, partial(self.app.run_action, action), help=text)

    async def search(self, query: str) -> Hits:
        """Commands whose title fuzzily matches ``query``."""
        matcher = self.matcher(query)
        for title, action, text in COMMANDS:
            score = matcher.match(title)
            if score > 0:
                yield Hit(
                    score,
                    matcher.highlight(title),
                    partial(self.app.run_action, action),
                    text=title,
                    help=text,
                )
