"""Mark the words of a question in a passage, as segments, so no HTML is ever built from content."""

from __future__ import annotations

import re

from wegwijzer.knowledge.text import fold

_WORD = re.compile(r"\w+")
# Short function words that would light up every passage.
_STOPWORDS = frozenset(
    _WORD.findall(
        "aan als bij dan dat de den der des die dit een en er het hij hoe ik in is je kan me mij mijn met na naar "
        "niet nog of om ook op te tot u uw van voor wat we wel wie wij zal ze zich zij zijn zo"
    )
)


def query_stems(query: str) -> list[str]:
    """Folded word stems of a question: words of 3+ letters, a little cut off the end of long words
    so that 'schulden' also finds 'schuldhulp'."""
    stems = []
    for word in _WORD.findall(fold(query)):
        if len(word) < 3 or word in _STOPWORDS or word.isdigit():
            continue
        stem = word[: max(4, len(word) - 2)] if len(word) >= 6 else word
        if stem not in stems:
            stems.append(stem)
    return stems


def segments(text: str, query: str) -> list[dict[str, str | bool]]:
    """The text cut into [{text, mark}] pieces; `mark` is True for words that match the question."""
    stems = query_stems(query)
    if not stems:
        return [{"text": text, "mark": False}]
    pieces: list[dict[str, str | bool]] = []
    position = 0
    for match in _WORD.finditer(text):
        if not any(fold(match.group(0)).startswith(stem) for stem in stems):
            continue
        if match.start() > position:
            pieces.append({"text": text[position : match.start()], "mark": False})
        pieces.append({"text": match.group(0), "mark": True})
        position = match.end()
    if position < len(text):
        pieces.append({"text": text[position:], "mark": False})
    return pieces
