"""Precision and recall of redact() per kind on tests/data/pii_corpus.yaml (the table in docs/privacy.md).

`pytest -s tests/test_privacy_corpus.py` prints the table; so does `wegwijzer privacy measure`.
"""

from __future__ import annotations

import re
from pathlib import Path

import pytest
import yaml

from wegwijzer.paths import REPO_ROOT
from wegwijzer.privacy import elfproef, findings, iban_valid
from wegwijzer.privacy.kinds import KINDS
from wegwijzer.privacy.measure import DEFAULT_CORPUS, Measurement, load_corpus, measure_corpus, render_all
from wegwijzer.privacy.normalise import normalise

# What the rules reach (docs/privacy.md); a change that lowers a figure fails here.
FLOORS = {
    "bsn": (1.0, 1.0),  # (precision, recall)
    "iban": (1.0, 1.0),
    "email": (1.0, 1.0),
    "phone": (1.0, 1.0),
    "address": (1.0, 1.0),
    "birthdate": (1.0, 1.0),
}
# The part written after the rules: the figures of its first measurement were lower (docs/privacy.md).
HELD_OUT_FLOORS = {kind: (0.95, 0.95) for kind in KINDS}


@pytest.fixture(scope="module")
def measurements() -> dict[str, Measurement]:
    result = measure_corpus()
    print("\n" + render_all(result))
    return result


def test_corpus_is_large_and_covers_every_kind() -> None:
    parts = load_corpus()
    items = [item for part in parts.values() for item in part]
    assert len(items) >= 120
    for kind in KINDS:
        assert sum(span.kind == kind for item in items for span in item.spans) >= 15, kind
    assert sum(not item.spans for item in items) >= 60  # look-alikes


def test_corpus_labels_are_real_bsns_and_ibans() -> None:
    """Read as the redactor reads them (normalised); an account without 'NLkk' is a bank code and ten digits."""
    for part in load_corpus().values():
        for item in part:
            for span in item.spans:
                value = normalise(item.text[span.start : span.end]).text
                # A shorter label is the announced beginning of a number (its rest would follow in the next message).
                if span.kind == "bsn":
                    digits = re.sub(r"[^0-9]", "", value)
                    assert elfproef(digits) or len(digits) < 9, value
                if span.kind == "iban":
                    compact = re.sub(r"[^0-9A-Za-z]", "", value)
                    whole = iban_valid(compact) or re.fullmatch(r"[A-Za-z]{4}\d{10}", compact)
                    assert whole or len(compact) < 14, value


def test_nine_digit_lookalikes_fail_the_elfproef() -> None:
    for part in load_corpus().values():
        for item in part:
            if item.spans:
                continue
            for match in re.finditer(r"(?<![\d.])\d{3}[ .]?\d{3}[ .]?\d{3}(?![\d])", item.text):
                assert not elfproef(re.sub(r"\D", "", match.group(0))), item.text


@pytest.mark.parametrize("kind", KINDS)
def test_precision_and_recall_per_kind(measurements: dict[str, Measurement], kind: str) -> None:
    score = measurements["all"].scores[kind]
    precision, recall = FLOORS[kind]
    assert score.precision >= precision, measurements["all"].misses
    assert score.recall >= recall, measurements["all"].misses


@pytest.mark.parametrize("kind", KINDS)
def test_held_out_part(measurements: dict[str, Measurement], kind: str) -> None:
    score = measurements["held_out"].scores[kind]
    precision, recall = HELD_OUT_FLOORS[kind]
    assert score.precision >= precision and score.recall >= recall, measurements["held_out"].misses


def test_every_lookalike_survives(measurements: dict[str, Measurement]) -> None:
    all_items = measurements["all"]
    assert all_items.lookalikes_kept == all_items.lookalikes, all_items.misses


def _strings(value: object) -> list[str]:
    if isinstance(value, str):
        return [value]
    if isinstance(value, dict):
        return [s for v in value.values() for s in _strings(v)]
    if isinstance(value, list):
        return [s for v in value for s in _strings(v)]
    return []


PUBLIC_CONTACT = {"(0299) 452 452", "info@purmerend.nl", "Purmersteenweg 42, 1441 DM"}


def test_knowledge_texts_keep_everything_but_public_contact_details() -> None:
    """Thousands of example messages, summaries and policy texts contain amounts, dates, article numbers and years
    but no personal data: the only redactions are the gemeente's own contact details (redacted by decision)."""
    texts: list[str] = []
    knowledge = REPO_ROOT / "knowledge"
    for path in sorted(knowledge.rglob("*.yaml")):
        if path.parent.name == "crisis_bank":  # messages as residents type them, made-up numbers included on purpose
            continue
        texts += _strings(yaml.safe_load(path.read_text(encoding="utf-8")))
    for path in sorted((knowledge / "sources").rglob("*.md")):
        texts += path.read_text(encoding="utf-8").splitlines()
    assert len(texts) > 3000
    redacted = {text[f.start : f.end] for text in texts for f in findings(text)}
    assert redacted <= PUBLIC_CONTACT, redacted - PUBLIC_CONTACT


def test_measure_command_prints_the_table(capsys: pytest.CaptureFixture[str]) -> None:
    from wegwijzer.cli import main

    assert main(["privacy", "measure"]) == 0
    out = capsys.readouterr().out
    assert "| soort | gelabeld | gevonden | voorspeld | precision | recall |" in out
    assert "Alles samen" in out


def test_corpus_path_is_the_documented_one() -> None:
    assert Path(DEFAULT_CORPUS) == REPO_ROOT / "tests" / "data" / "pii_corpus.yaml"
