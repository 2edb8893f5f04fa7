"""Mark known phrases in example texts as entities, in Rasa's markup.

`[Dijk en Waard]{"entity": "gemeente", "value": "heerhugowaard"}` when the value differs from
the text, `[purmerend](gemeente)` when it is the same. Matching is case-insensitive on whole
words, longest phrase first, and never overlaps.
"""

from __future__ import annotations

import json
import re
from collections.abc import Iterable
from dataclasses import dataclass

_MARKUP = re.compile(r"\[([^\]]+)\](?:\([^)]*\)|\{[^}]*\})")
_BRACKETS = str.maketrans({"[": "(", "]": ")", "{": "(", "}": ")"})


@dataclass(frozen=True)
class Phrase:
    """A text to look for, the entity it is, and the value to give it (None: the text itself)."""

    text: str
    entity: str
    value: str | None = None


def entity_markup(text: str, entity: str, value: str | None) -> str:
    if value is None or value == text:
        return f"[{text}]({entity})"
    return f"[{text}]" + json.dumps({"entity": entity, "value": value}, ensure_ascii=False)


def plain(text: str, strip: bool = True) -> str:
    """Raw user text made safe for Rasa's markup: one line, no brackets that look like markup."""
    flat = re.sub(r"\s+", " ", text.translate(_BRACKETS))
    return flat.strip() if strip else flat


def strip_markup(example: str) -> str:
    """The plain text of an annotated example."""
    return _MARKUP.sub(lambda m: m.group(1), example)


class Annotator:
    """Finds the phrases in a text and returns the text with Rasa entity markup."""

    def __init__(self, phrases: Iterable[Phrase]) -> None:
        self._by_text: dict[str, Phrase] = {}
        for phrase in phrases:
            key = phrase.text.casefold()
            if key and key not in self._by_text:  # first definition wins
                self._by_text[key] = phrase
        alternatives = sorted(self._by_text, key=lambda k: (-len(k), k))
        self._pattern = (
            re.compile(r"(?<!\w)(" + "|".join(re.escape(a) for a in alternatives) + r")(?!\w)", re.IGNORECASE)
            if alternatives
            else None
        )

    def annotate(self, text: str) -> str:
        text = plain(text)
        if self._pattern is None:
            return text
        return self._pattern.sub(self._markup, text)

    def _markup(self, match: re.Match[str]) -> str:
        phrase = self._by_text.get(match.group(1).casefold())
        if phrase is None:  # a case-insensitive match whose casefold differs (rare scripts)
            return match.group(0)
        return entity_markup(match.group(1), phrase.entity, phrase.value)
