"""The scoring rules of shared/eval/README.md, in one place for every evaluation."""

from __future__ import annotations

from collections.abc import Sequence

from wegwijzer.knowledge.text import collapse_whitespace


def _norm(text: str) -> str:
    return collapse_whitespace(text).casefold()


def answer_passes(reply: str, expect_any: Sequence[str], expect_not: Sequence[str]) -> bool:
    """At least one expected string and none of the forbidden ones (case-insensitive substrings)."""
    text = reply.casefold()
    return any(e.casefold() in text for e in expect_any) and not any(n.casefold() in text for n in expect_not)


def first_matching_rank(passages: Sequence[str], phrases: Sequence[str]) -> int | None:
    """1-based rank of the first passage that holds one of the phrases (whitespace collapsed)."""
    wanted = [_norm(p) for p in phrases]
    for rank, passage in enumerate(passages, start=1):
        text = _norm(passage)
        if any(phrase in text for phrase in wanted):
            return rank
    return None
