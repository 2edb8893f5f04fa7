"""Small text helpers shared by the knowledge base, the index and the evaluation."""

from __future__ import annotations

import re
import unicodedata

_WHITESPACE = re.compile(r"\s+")
_EMPHASIS = re.compile(r"(\*\*|__|(?<!\w)\*(?!\s)|(?<!\s)\*(?!\w))")
_BULLET = re.compile(r"(^|\n)\s*(?:[-*+•]|\d+[.)])\s+")
_PHONE = re.compile(r"(?<![\w/])(?:\+31[\s-]?|\(0\d{2,3}\)[\s-]?|0\d{2,3}[\s-]?)?\d{2,4}(?:[\s-]\d{2,4}){1,3}(?![\w/])")


def collapse_whitespace(text: str) -> str:
    return _WHITESPACE.sub(" ", text).strip()


def strip_emphasis(text: str) -> str:
    """Text without Markdown emphasis markers (** __ *), everything else kept."""
    return _EMPHASIS.sub("", text).strip()


def plain_markdown(text: str) -> str:
    """Markdown body as running text: no emphasis markers or bullets, whitespace collapsed."""
    text = _BULLET.sub(r"\1", text)
    return collapse_whitespace(_EMPHASIS.sub("", text))


def contains_verbatim(haystack: str, quote: str) -> bool:
    """True when `quote` stands in `haystack`, ignoring whitespace and Markdown emphasis."""
    return plain_markdown(quote) in plain_markdown(haystack)


def fold(text: str) -> str:
    """Lowercase without accents, for matching that forgives 'é' vs 'e'."""
    decomposed = unicodedata.normalize("NFKD", text.casefold())
    return "".join(ch for ch in decomposed if not unicodedata.combining(ch))


def whole_words(name: str) -> re.Pattern[str]:
    """A name as whole words in folded text: "eigen kracht", not inside "eigen krachtig"."""
    return re.compile(rf"(?<!\w){re.escape(fold(name))}(?!\w)")


def phone_numbers(text: str) -> list[str]:
    """Phone-number-like strings (Dutch formats), as digits only; at least 7 digits."""
    found = []
    for match in _PHONE.finditer(text):
        digits = re.sub(r"\D", "", match.group(0))
        if len(digits) >= 7:
            found.append(digits)
    return found
