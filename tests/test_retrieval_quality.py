"""The dev-set floor with the real models: hit@5 >= 0.95 and MRR >= 0.85 (shared/eval/README.md rules)."""

from __future__ import annotations

import pytest

from index.runtime import open_searcher
from tests.conftest import EVAL_DIR
from wegwijzer.evaluation.dataset import load_cases
from wegwijzer.evaluation.retrieval import evaluate, render

DEV_SET = EVAL_DIR / "dev.yaml"


@pytest.mark.skipif(not DEV_SET.is_file(), reason="shared/eval/dev.yaml is not beside this checkout")
def test_dev_set_floor_holds() -> None:
    summary = evaluate(load_cases(DEV_SET), open_searcher())
    report = render(summary)
    print(report)
    assert summary["retrieval_cases"] >= 40
    assert summary["hit@5"] >= 0.95, report
    assert summary["mrr"] >= 0.85, report
