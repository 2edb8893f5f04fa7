"""`wegwijzer eval places`: leave-one-out over the place example messages.

Each place's example messages (knowledge/services/*.yaml) are how people ask for it. One at a
time, an example is left out of the index and asked as a question: does its own place come
first, or in the top 3? This checks the method on the catalogue itself, not on a question set, so
weights can be chosen without tuning on the development set; it also shows a content team which
places are confused with which.
"""

from __future__ import annotations

import random
from collections import Counter
from typing import Any

from index.search import Searcher
from wegwijzer.evaluation.report import rate
from wegwijzer.knowledge.model import NATIONAL


def example_rows(searcher: Searcher, sample: int | None, seed: int = 7) -> list[int]:
    """The place example rows of the gemeenten; the national lines (112, 113) are the crisis check's."""
    rows = [
        row
        for row, item in enumerate(searcher.stored.items)
        if item.kind == "service_example" and item.gemeente != NATIONAL
    ]
    return sorted(random.Random(seed).sample(rows, sample)) if sample and sample < len(rows) else rows


def evaluate(searcher: Searcher, sample: int | None = None) -> dict[str, Any]:
    first, top3, confusions = [], [], Counter()
    for row in example_rows(searcher, sample):
        item = searcher.stored.items[row]
        # The dialogue decides among the gemeente's own places (and the national lines); the national
        # layer (after_local) is added after that decision, never in its place, so it is no rival here.
        ranked = [
            place
            for place, _ in searcher.places_without_example(row)
            if not searcher.knowledge.services[place].after_local
        ]
        first.append(ranked[0] == item.key)
        top3.append(item.key in ranked[:3])
        if ranked[0] != item.key:
            confusions[(item.key, ranked[0])] += 1
    return {
        "examples": len(first),
        "place@1": rate(first),
        "place@3": rate(top3),
        "confusions": [{"place": p, "taken_for": q, "examples": n} for (p, q), n in confusions.most_common(15)],
    }


def render(summary: dict[str, Any]) -> str:
    lines = [
        f"Plekken, leave-one-out over {summary['examples']} voorbeeldvragen:",
        f"  eigen plek eerst {summary['place@1']:.3f}   in de top 3 {summary['place@3']:.3f}",
    ]
    if summary["confusions"]:
        lines.append("Vaakst verward (plek -> gekozen plek, aantal voorbeelden):")
        lines += [f"  {c['place']} -> {c['taken_for']}: {c['examples']}" for c in summary["confusions"]]
    return "\n".join(lines)
