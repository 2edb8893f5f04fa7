"""Retrieval quality on the development set, with the real models and the built index.

The issue's floor is hit@5 >= 0.95 and MRR >= 0.85; the method reaches 0.957 and 0.858
(docs/retrieval.md), so this test asserts the floor itself. The figures are the same on every
run: the index and both encoders are deterministic on one machine.
"""

from __future__ import annotations

import pytest

from tests.conftest import EVAL_DIR
from wegwijzer.evaluation.dataset import load_cases
from wegwijzer.evaluation.retrieval import evaluate, render
from wegwijzer.search_loader import open_searcher

DEV_SET = EVAL_DIR / "dev.yaml"
FLOOR_HIT5, FLOOR_MRR = 0.95, 0.85  # the floor; reached: 0.957 and 0.858
REACHED_SERVICE_ACCURACY = 0.80  # reached: 0.839, no floor in the issue


@pytest.mark.skipif(not DEV_SET.is_file(), reason="shared/eval/dev.yaml is not beside this checkout")
def test_dev_set_retrieval_holds_the_floor() -> None:
    summary = evaluate(load_cases(DEV_SET), open_searcher())
    report = render(summary)
    print(report)
    assert summary["retrieval_cases"] >= 40
    assert summary["hit@5"] >= FLOOR_HIT5, report
    assert summary["mrr"] >= FLOOR_MRR, report
    assert summary["service_accuracy"] >= REACHED_SERVICE_ACCURACY, report
