"""A gemeente's colours (knowledge/huisstijl) as a stylesheet of design tokens: served from our own origin,
so the pages keep their strict CSP (no inline style)."""

from __future__ import annotations

import re

from wegwijzer.knowledge.model import Theme

_COLOR = re.compile(r"^#[0-9a-fA-F]{6}$")  # the schema allows nothing else; checked again before it is CSS
_TOKENS = ("accent", "on-accent", "band", "on-band", "link", "soft")


def _declarations(palette: dict[str, str], prefix: str) -> str:
    return "".join(
        f"  --ww-theme-{prefix}{token}: {palette[token]};\n"
        for token in _TOKENS
        if _COLOR.fullmatch(palette.get(token, ""))
    )


def stylesheet(theme: Theme | None) -> str:
    """Light tokens always; the dark ones are read by wegwijzer.css inside prefers-color-scheme: dark."""
    if theme is None:
        return "/* Deze gemeente heeft geen eigen kleuren: de standaardkleuren gelden. */\n"
    light = _declarations(theme.tokens.get("light", {}), "")
    dark = _declarations(theme.tokens.get("dark", {}), "dark-")
    return f"/* Kleuren van de gemeente {theme.gemeente} (knowledge/huisstijl) */\n.ww-body {{\n{light}{dark}}}\n"
