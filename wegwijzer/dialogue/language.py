"""Which of the supported languages a message is in, when the channel does not say."""

from __future__ import annotations

import re

from wegwijzer.knowledge import KnowledgeBase

_WORD = re.compile(r"[^\W\d_]+(?:'[^\W\d_]+)?")
_SCRIPTS = (("ar", re.compile(r"[\u0600-\u06FF]")), ("uk", re.compile(r"[\u0400-\u04FF]")))
_LETTERS = (("tr", re.compile(r"[ğışİ]")), ("pl", re.compile(r"[ąęłńśźż]")))
MIN_WORDS = 3  # fewer words than this say too little to switch language


MARGIN = 0.1  # the best language must beat the next one by this share of the words


def detect_language(text: str, knowledge: KnowledgeBase) -> str | None:
    """The most likely language, or None when the message is too short or unclear."""
    scores = language_scores(text, knowledge)
    if not scores:
        return None
    ranked = sorted(scores, key=lambda lang: scores[lang], reverse=True)
    best = ranked[0]
    runner_up = scores[ranked[1]] if len(ranked) > 1 else 0.0
    if scores[best] < 0.1 or scores[best] - runner_up < MARGIN:
        return None
    return best


def language_scores(text: str, knowledge: KnowledgeBase) -> dict[str, float]:
    """Per language, the share of the message's words that are typical of it (1.0 for a script)."""
    for lang, script in _SCRIPTS:
        if lang in knowledge.texts and len(script.findall(text)) >= 3:
            return {lang: 1.0}
    lowered = text.lower()
    words = _WORD.findall(lowered)
    if len(words) < MIN_WORDS:
        return {}
    scores: dict[str, float] = {}
    for lang, texts in knowledge.texts.items():
        vocabulary = {w.lower() for w in texts.detect}
        scores[lang] = sum(1 for w in words if w in vocabulary) / len(words)
    for lang, letters in _LETTERS:
        if lang in scores and letters.search(lowered):
            scores[lang] += 0.5
    return scores
