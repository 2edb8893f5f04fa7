"""Text as the redactor reads it: one form for what phones, PDFs and letters make of a number.

Unicode NFKC (full-width digits and ＠ become ASCII), digits of every script (Arabic-Indic, Persian,
...) as ASCII digits, every dash a hyphen, zero-width and direction characters removed, every kind
of space and line break a plain space. Each character of the result remembers where it came from, so what is found
is cut from the text as it was typed: the resident's own text stays theirs, only the personal data
goes. Standard library only (also imported in Rasa's Python 3.10 environment).
"""

from __future__ import annotations

import unicodedata
from typing import NamedTuple

# Zero-width characters, direction marks and isolates, the word joiner, the byte-order mark, the soft hyphen.
INVISIBLE = frozenset(
    "\u00ad\u180e\u200b\u200c\u200d\u200e\u200f\u202a\u202b\u202c\u202d\u202e"
    "\u2060\u2061\u2062\u2063\u2064\u2066\u2067\u2068\u2069\ufeff"
)


class Normalised(NamedTuple):
    text: str
    origin: tuple[int, ...]  # for each character of `text`, its position in the text as typed

    def span(self, start: int, end: int) -> tuple[int, int]:
        """The span in the typed text that `text[start:end]` came from."""
        return self.origin[start], self.origin[end - 1] + 1


def normalise(typed: str) -> Normalised:
    chars: list[str] = []
    origin: list[int] = []
    for position, char in enumerate(typed):
        if char in INVISIBLE:
            continue
        if char.isspace():
            out = " "
        elif not char.isascii() and unicodedata.category(char) == "Pd":  # every dash ('‑', '–', '—') one hyphen
            out = "-"
        elif not char.isascii() and unicodedata.category(char) == "Nd":
            out = str(unicodedata.digit(char))
        else:
            out = unicodedata.normalize("NFKC", char)
        chars.append(out)
        origin.extend([position] * len(out))
    return Normalised("".join(chars), tuple(origin))
