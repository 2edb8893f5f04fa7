"""BM25 over word stems, for exact names (Wmo, Jeugdfonds, Werkom) and the documents' own words
that embeddings blur.

Words are reduced to their stem with the classic Dutch Snowball stemmer, so "schulden" finds
"schuld" and "droom" finds "dromen" ("drom"). The texts are Dutch; a word in another language
stays (nearly) as it is. Measured against prefix matching of unstemmed words on the dev set:
MRR 0.786 -> 0.799 and topic accuracy 0.68 -> 0.74 (docs/retrieval.md).
"""

from __future__ import annotations

import functools
import itertools
import math
import re
from collections import Counter
from collections.abc import Sequence

import numpy as np
import snowballstemmer

from wegwijzer.knowledge.text import fold

_TOKEN = re.compile(r"\w+(?:['’]\w+)*", re.UNICODE)  # "G'oud", "auto's": one word
_APOSTROPHE = re.compile(r"['’]")
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
    words = (_APOSTROPHE.sub("", t) for t in _TOKEN.findall(fold(text)))
    return [t for t in words if t not in STOPWORDS and len(t) > 1]


_STEMMER = snowballstemmer.stemmer("dutch_porter")


@functools.lru_cache(maxsize=65536)
def stem(word: str) -> str:
    return _STEMMER.stemWord(word)


def tokenize(text: str) -> list[str]:
    """Stems of the content words, plus each pair of neighbouring stems ('eigen_kracht') so phrases count extra."""
    words = [stem(word) for word in content_words(text)]
    return words + [f"{a}_{b}" for a, b in itertools.pairwise(words)]


class Bm25:
    """Okapi BM25 over stems and stem pairs."""

    def __init__(self, documents: Sequence[str], k1: float = 1.2, b: float = 0.75) -> None:
        self.k1, self.b = k1, b
        self.docs = [Counter(tokenize(d)) for d in documents]
        self.lengths = np.array([sum(c.values()) for c in self.docs], dtype=np.float32)
        self.avg_length = float(self.lengths.mean()) if len(self.docs) else 0.0
        self.vocabulary: dict[str, set[int]] = {}
        for i, counts in enumerate(self.docs):
            for term in counts:
                self.vocabulary.setdefault(term, set()).add(i)

    def scores(self, query: str) -> np.ndarray:
        result = np.zeros(len(self.docs), dtype=np.float32)
        n = len(self.docs)
        for term in set(tokenize(query)):
            holders = self.vocabulary.get(term, ())
            if not holders:
                continue
            idf = math.log(1 + (n - len(holders) + 0.5) / (len(holders) + 0.5))
            for i in holders:
                tf = self.docs[i][term]
                norm = tf + self.k1 * (1 - self.b + self.b * self.lengths[i] / self.avg_length)
                result[i] += idf * tf * (self.k1 + 1) / norm
        return result
