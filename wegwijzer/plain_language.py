"""Plain-language checks for every text a resident reads (B1 Dutch).

- Flesch-Douma reading ease (textstat, language nl) of at least 60;
- on average at most 15 words per sentence;
- no glossary term without its explanation: a term must be followed by an explanation in
  brackets, or the text must hold the glossary's own explanation.

The simpler version ("Zeg het simpeler", A2) has a stricter bar, `check_simple_text`:
- Flesch-Douma reading ease of at least 80;
- on average at most 10 words per sentence, and no sentence over 14 words;
- at most 5% long words (four syllables or more; a place's own name does not count);
- the same rule for glossary terms.
"""

from __future__ import annotations

import re
from collections.abc import Iterable
from dataclasses import dataclass

import textstat

from wegwijzer.knowledge import GlossaryTerm
from wegwijzer.knowledge.text import fold, whole_words

A2_LONG_WORD_SYLLABLES = 4
_WORD = re.compile(r"[^\W\d_]+(?:-[^\W\d_]+)*")
_SENTENCE = re.compile(r"[^.!?]+[.!?]*")


@dataclass(frozen=True)
class Bar:
    """One reading level's limits (None: no such limit at that level)."""

    label: str  # after a figure in a message: "" for B1, " (A2)"
    min_reading_ease: float
    max_average_sentence_words: float
    max_sentence_words: int | None = None
    max_long_word_share: float | None = None


B1 = Bar("", min_reading_ease=60.0, max_average_sentence_words=15.0)
# A2: what a reader below B1 (about 2.5 million adults in the Netherlands) can follow.
A2 = Bar(
    " (A2)", min_reading_ease=80.0, max_average_sentence_words=10.0, max_sentence_words=14, max_long_word_share=0.05
)


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


def sentence_lengths(text: str) -> list[int]:
    return [len(s.split()) for s in _SENTENCE.findall(text) if s.split()]


def long_word_share(text: str, allowed: Iterable[str] = ()) -> float:
    """The share of words of four syllables or more; proper names in `allowed` are left out first."""
    for name in allowed:
        text = re.sub(re.escape(name), " ", text, flags=re.IGNORECASE)
    words = _WORD.findall(text)
    if not words:
        return 0.0
    textstat.set_lang("nl")
    long = [w for w in words if textstat.syllable_count(w) >= A2_LONG_WORD_SYLLABLES]
    return len(long) / len(words)


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
    text: str, glossary: Iterable[GlossaryTerm] = (), allowed: Iterable[str] = (), bar: Bar = B1
) -> list[PlainLanguageIssue]:
    """The issues of `text` at a reading level (B1 unless another bar is given; see the module's docstring)."""
    issues = []
    ease = reading_ease(text)
    if ease < bar.min_reading_ease:
        issues.append(PlainLanguageIssue(text, f"leesgemak {ease:.0f} < {bar.min_reading_ease:.0f}{bar.label}"))
    words = average_sentence_words(text)
    if words > bar.max_average_sentence_words:
        issues.append(
            PlainLanguageIssue(
                text, f"gemiddeld {words:.1f} woorden per zin > {bar.max_average_sentence_words:.0f}{bar.label}"
            )
        )
    if bar.max_sentence_words is not None:
        longest = max(sentence_lengths(text), default=0)
        if longest > bar.max_sentence_words:
            issues.append(
                PlainLanguageIssue(text, f"een zin van {longest} woorden > {bar.max_sentence_words}{bar.label}")
            )
    if bar.max_long_word_share is not None:
        share = long_word_share(text, allowed)
        if share > bar.max_long_word_share:
            issues.append(
                PlainLanguageIssue(text, f"{share:.0%} lange woorden > {bar.max_long_word_share:.0%}{bar.label}")
            )
    for term in unexplained_terms(text, glossary, allowed):
        issues.append(PlainLanguageIssue(text, f"vakterm '{term}' zonder uitleg"))
    return issues


def check_simple_text(
    text: str, glossary: Iterable[GlossaryTerm] = (), allowed: Iterable[str] = ()
) -> list[PlainLanguageIssue]:
    """The A2 bar for the simpler version of an answer."""
    return check_text(text, glossary, allowed, A2)
