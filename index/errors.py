"""Errors of the search index, each a single sentence that names the fix."""

from __future__ import annotations


class IndexUnusable(Exception):
    """Base class for problems with the search index."""


class IndexMissingError(IndexUnusable):
    def __init__(self, where: str) -> None:
        super().__init__(f"De zoekindex ontbreekt in {where}. Bouw hem met 'wegwijzer index build' (of 'make setup').")


class IndexCorruptError(IndexUnusable):
    def __init__(self, where: str, detail: str) -> None:
        super().__init__(
            f"De zoekindex in {where} is beschadigd ({detail}). Bouw hem opnieuw met 'wegwijzer index build'."
        )


class IndexStaleError(IndexUnusable):
    def __init__(self, reason: str) -> None:
        super().__init__(f"De zoekindex is verouderd: {reason}. Bouw hem opnieuw met 'wegwijzer index build'.")


class QueryError(ValueError):
    """A question that cannot be searched (empty, too long, unknown gemeente)."""
