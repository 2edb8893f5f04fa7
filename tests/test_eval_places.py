"""`wegwijzer eval places`: leave-one-out over the place examples, with the real models and index."""

from __future__ import annotations

import json
import subprocess
import sys

from tests.conftest import REPO_ROOT
from wegwijzer.evaluation.places import evaluate, example_rows
from wegwijzer.search_loader import open_searcher

# Reached over all 1,177 examples: place@1 0.791, place@3 0.937 (docs/retrieval.md).
REACHED_PLACE_AT_3 = 0.90


def test_leaving_an_example_out_changes_what_is_found() -> None:
    """With the example in the index its own place wins easily; left out, the question is honest."""
    searcher = open_searcher()
    changed = 0
    for row in example_rows(searcher, sample=120):
        item = searcher.stored.items[row]
        with_it = searcher.search(item.text, item.gemeente, services=1).services[0].service.id
        without_it = searcher.places_without_example(row)[0][0]
        changed += with_it == item.key and without_it != item.key
    assert changed > 0


def test_places_are_found_from_their_own_kind_of_question() -> None:
    summary = evaluate(open_searcher(), sample=300)
    assert summary["examples"] == 300
    assert summary["place@3"] >= REACHED_PLACE_AT_3, summary
    assert summary["place@1"] <= summary["place@3"]


def test_cli_prints_json_figures() -> None:
    done = subprocess.run(
        [sys.executable, "-m", "wegwijzer.cli", "eval", "places", "--sample", "40", "--json"],
        cwd=REPO_ROOT,
        capture_output=True,
        text=True,
        check=True,
    )
    summary = json.loads(done.stdout)
    assert summary["examples"] == 40 and 0.0 <= summary["place@1"] <= summary["place@3"] <= 1.0
