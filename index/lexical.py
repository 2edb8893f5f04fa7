"""BM25 over words, for exact names (Wmo, Jeugdfonds, Werkom) that embeddings blur."""

from __future__ import annotations

import bisect
import itertools
import math
import re
from collections import Counter
from collections.abc import Sequence

import numpy as np

from wegwijzer.text import fold

_TOKEN = re.compile(r"\w+", re.UNICODE)
# Words so common in these texts that they carry no signal for a question.
STOPWORDS = frozenset(
    [
        "de",
        "het",
        "een",
        "en",
        "van",
        "in",
        "op",
        "te",
        "voor",
        "met",
        "is",
        "dat",
        "die",
        "er",
        "zijn",
        "niet",
        "aan",
        "ook",
        "om",
        "bij",
        "als",
        "we",
        "wij",
        "ze",
        "of",
        "door",
        "naar",
        "over",
        "dan",
        "nog",
        "wat",
        "wordt",
        "worden",
        "kan",
        "kunnen",
        "meer",
        "deze",
        "dit",
        "hun",
        "zo",
        "heeft",
        "hebben",
        "zich",
        "ik",
        "mijn",
        "je",
        "jij",
        "u",
        "uw",
        "me",
        "mij",
        "hoe",
        "waar",
        "wie",
        "welke",
        "moet",
        "moeten",
        "the",
        "a",
        "an",
        "of",
        "to",
        "and",
        "in",
        "is",
        "for",
        "on",
        "with",
        "my",
        "i",
        "how",
        "where",
        "what",
    ]
)


def content_words(text: str) -> list[str]:
    """The folded words of a text without stopwords and single characters."""
    return [t for t in _TOKEN.findall(fold(text)) if t not in STOPWORDS and len(t) > 1]


def tokenize(text: str) -> list[str]:
    """Content words, plus each pair of neighbouring words ('eigen_kracht') so phrases count extra."""
    words = content_words(text)
    return words + [f"{a}_{b}" for a, b in itertools.pairwise(words)]


class Bm25:
    """Okapi BM25 with prefix-tolerant terms (a query word also matches words it starts, e.g. schuld → schulden)."""

    def __init__(self, documents: Sequence[str], k1: float = 1.2, b: float = 0.75) -> None:
        self.k1, self.b = k1, b
        self.docs = [Counter(tokenize(d)) for d in documents]
        self.lengths = np.array([sum(c.values()) for c in self.docs], dtype=np.float32)
        self.avg_length = float(self.lengths.mean()) if len(self.docs) else 0.0
        self.vocabulary: dict[str, set[int]] = {}
        for i, counts in enumerate(self.docs):
            for term in counts:
                self.vocabulary.setdefault(term, set()).add(i)
        self.sorted_terms = sorted(self.vocabulary)

    def _matching_terms(self, query_term: str) -> list[str]:
        if len(query_term) < 5:
            return [query_term] if query_term in self.vocabulary else []
        start = bisect.bisect_left(self.sorted_terms, query_term)
        end = bisect.bisect_left(self.sorted_terms, query_term + "\uffff")
        return self.sorted_terms[start:end]

    def scores(self, query: str) -> np.ndarray:
        result = np.zeros(len(self.docs), dtype=np.float32)
        n = len(self.docs)
        for query_term in set(tokenize(query)):
            for term in self._matching_terms(query_term):
                holders = self.vocabulary[term]
                idf = math.log(1 + (n - len(holders) + 0.5) / (len(holders) + 0.5))
                for i in holders:
                    tf = self.docs[i][term]
                    norm = tf + self.k1 * (1 - self.b + self.b * self.lengths[i] / self.avg_length)
                    result[i] += idf * tf * (self.k1 + 1) / norm
        return result
