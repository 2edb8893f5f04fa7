"""`wegwijzer search` and `wegwijzer eval retrieval` as a user runs them, against the built index."""

from __future__ import annotations

import json
import os
import shutil
import subprocess
import sys
from pathlib import Path

import pytest

from tests.conftest import EVAL_DIR, KNOWLEDGE, replace_in


def wegwijzer(
    *args: str, env: dict[str, str] | None = None, stdin: str | None = None
) -> subprocess.CompletedProcess[str]:
    return subprocess.run(
        [sys.executable, "-m", "wegwijzer.cli", *args],
        capture_output=True,
        text=True,
        input=stdin,
        env={**os.environ, **(env or {})},
        check=False,
        timeout=300,
    )


def test_search_prints_passages_with_citation_places_and_topic() -> None:
    run = wegwijzer("search", "ik heb schulden en de deurwaarder staat voor de deur", "--gemeente", "purmerend")
    assert run.returncode == 0, run.stderr
    assert "Loket Schulddienstverlening" in run.stdout.split("Passages:")[0]
    assert "Onderwerp: schulden" in run.stdout
    assert "(2023), " in run.stdout or "(2024), " in run.stdout  # citation: document (year), section


def test_search_json_has_ranked_passages_with_document_and_section() -> None:
    run = wegwijzer("search", "mantelzorg", "--gemeente", "leiderdorp", "--k", "3", "--json")
    assert run.returncode == 0, run.stderr
    data = json.loads(run.stdout)
    assert len(data["passages"]) == 3
    for passage in data["passages"]:
        assert {"text", "document", "section", "score"} <= set(passage)
        assert passage["document"].startswith("leiderdorp-")
    scores = [p["score"] for p in data["passages"]]
    assert scores == sorted(scores, reverse=True)
    assert data["services"] and data["topics"]


@pytest.mark.parametrize(
    ("query", "gemeente", "message"),
    [
        ("", "purmerend", "De vraag is leeg"),
        ("x" * 2001, "purmerend", "te lang"),
        ("hulp bij schulden", "atlantis", "Onbekende gemeente 'atlantis'"),
    ],
)
def test_bad_input_gets_one_sentence_and_non_zero_exit(query: str, gemeente: str, message: str) -> None:
    run = wegwijzer("search", query, "--gemeente", gemeente)
    assert run.returncode == 2
    assert message in run.stderr
    assert "Traceback" not in run.stderr and len(run.stderr.strip().splitlines()) == 1


def test_missing_index_names_the_command(tmp_path: Path) -> None:
    run = wegwijzer("search", "hulp", "--gemeente", "purmerend", env={"WEGWIJZER_INDEX_DIR": str(tmp_path / "none")})
    assert run.returncode == 2
    assert "wegwijzer index build" in run.stderr and "Traceback" not in run.stderr


def test_missing_model_names_the_command(tmp_path: Path) -> None:
    run = wegwijzer("search", "hulp", "--gemeente", "purmerend", env={"WEGWIJZER_MODELS_DIR": str(tmp_path)})
    assert run.returncode == 2
    assert "wegwijzer models prepare" in run.stderr and "Traceback" not in run.stderr


def test_stale_index_names_the_command(tmp_path: Path) -> None:
    knowledge = shutil.copytree(KNOWLEDGE, tmp_path / "knowledge")
    replace_in(knowledge / "gemeenten" / "leiderdorp.yaml", "name: Leiderdorp", "name: Leiderdorp ")
    run = wegwijzer("search", "hulp", "--gemeente", "leiderdorp", env={"WEGWIJZER_KNOWLEDGE": str(knowledge)})
    assert run.returncode == 2
    assert "verouderd" in run.stderr and "wegwijzer index build" in run.stderr


def test_interactive_prompt_answers_until_an_empty_line() -> None:
    run = wegwijzer("search", "--gemeente", "purmerend", stdin="ik wil graag aan het werk\n\n")
    assert run.returncode == 0, run.stderr
    assert "vraag>" in run.stdout and "Werkom" in run.stdout


def test_eval_retrieval_json_reports_the_figures() -> None:
    run = wegwijzer("eval", "retrieval", "--set", str(EVAL_DIR / "dev.yaml"), "--json")
    assert run.returncode == 0, run.stderr
    data = json.loads(run.stdout)
    assert {"hit@1", "hit@5", "mrr", "topic_accuracy", "service_accuracy", "misses"} <= set(data)
    assert set(data["hit@5_by"]) == {"kind", "lang", "gemeente", "role"}


def test_eval_with_a_missing_set_fails_clearly(tmp_path: Path) -> None:
    run = wegwijzer("eval", "retrieval", "--set", str(tmp_path / "missing.yaml"))
    assert run.returncode == 2 and "niet gevonden" in run.stderr
