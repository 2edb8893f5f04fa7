"""WCAG contrast between two colours, for the checks on a gemeente's colours (knowledge/huisstijl)."""

from __future__ import annotations

TEXT_MINIMUM = 4.5  # WCAG 1.4.3 (AA), normal text
SURFACE = {"light": ("#ffffff", "#1a1a1a"), "dark": ("#121212", "#f0f0f0")}  # page background, body text


def _channel(value: int) -> float:
    c = value / 255
    return c / 12.92 if c <= 0.03928 else ((c + 0.055) / 1.055) ** 2.4


def luminance(color: str) -> float:
    red, green, blue = (int(color[i : i + 2], 16) for i in (1, 3, 5))
    return 0.2126 * _channel(red) + 0.7152 * _channel(green) + 0.0722 * _channel(blue)


def contrast(first: str, second: str) -> float:
    light, dark = sorted((luminance(first), luminance(second)), reverse=True)
    return (light + 0.05) / (dark + 0.05)


def palette_pairs(palette: dict[str, str], scheme: str) -> list[tuple[str, str, str, str]]:
    """(token, colour, against, colour) for every pair a resident reads: text on the accent and the band,
    links on the page, body text on the soft background."""
    surface, text = SURFACE[scheme]
    return [
        ("on-accent", palette["on-accent"], "accent", palette["accent"]),
        ("on-band", palette["on-band"], "band", palette["band"]),
        ("link", palette["link"], "de pagina", surface),
        ("accent", palette["accent"], "de pagina", surface),
        ("soft", palette["soft"], "de tekst", text),
    ]
