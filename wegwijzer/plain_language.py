"""Plain-language checks for every text a resident reads (B1 Dutch).

- Flesch-Douma reading ease (textstat, language nl) of at least 60;
- on average at most 15 words per sentence;
- no glossary term without its explanation: a term must be followed by an explanation in
  brackets, or the text must hold the glossary's own explanation.
"""

from __future__ import annotations

import re
from collections.abc import Iterable
from dataclasses import dataclass

import textstat

from wegwijzer.knowledge import GlossaryTerm
from wegwijzer.knowledge.text import fold, whole_words

MIN_READING_EASE = 60.0
MAX_AVERAGE_SENTENCE_WORDS = 15.0
_SENTENCE = re.compile(r"[^.!?]+[.!?]*")


@dataclass(frozen=True)
class PlainLanguageIssue:
    text: str
    problem: str


def reading_ease(text: str) -> float:
    textstat.set_lang("nl")
    return float(textstat.flesch_reading_ease(text))


def average_sentence_words(text: str) -> float:
    sentences = [s for s in _SENTENCE.findall(text) if s.split()]
    if not sentences:
        return 0.0
    return sum(len(s.split()) for s in sentences) / len(sentences)


def unexplained_terms(text: str, glossary: Iterable[GlossaryTerm], allowed: Iterable[str] = ()) -> list[str]:
    """Glossary terms in `text` that are neither followed by '(' nor explained in the text.

    `allowed` are proper names (a service's own name) that may contain a term."""
    folded = fold(text)
    for name in allowed:
        folded = folded.replace(fold(name), " ")
    missing = []
    for term in glossary:
        for name in (term.term, *term.aliases):
            match = whole_words(name).search(folded)
            if not match:
                continue
            after = folded[match.end() : match.end() + 3]
            explained = after.lstrip().startswith("(") or fold(term.explanation["nl"])[:40] in folded
            if not explained:
                missing.append(name)
            break
    return missing


def check_text(
    text: str, glossary: Iterable[GlossaryTerm] = (), allowed: Iterable[str] = ()
) -> list[PlainLanguageIssue]:
    issues = []
    ease = reading_ease(text)
    if ease < MIN_READING_EASE:
        issues.append(PlainLanguageIssue(text, f"leesgemak {ease:.0f} < {MIN_READING_EASE:.0f}"))
    words = average_sentence_words(text)
    if words > MAX_AVERAGE_SENTENCE_WORDS:
        issues.append(
            PlainLanguageIssue(text, f"gemiddeld {words:.1f} woorden per zin > {MAX_AVERAGE_SENTENCE_WORDS:.0f}")
        )
    for term in unexplained_terms(text, glossary, allowed):
        issues.append(PlainLanguageIssue(text, f"vakterm '{term}' zonder uitleg"))
    return issues
