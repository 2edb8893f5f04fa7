"""Read an evaluation set (YAML list of cases) and check every case has the fields it needs."""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path

import yaml

KINDS = ("route", "info", "crisis", "out_of_scope", "smalltalk")
REQUIRED = ("id", "gemeente", "role", "lang", "kind", "topic", "question", "expect_any", "expect_not", "retrieval_any")


class EvalSetError(ValueError):
    pass


@dataclass(frozen=True)
class Case:
    id: str
    gemeente: str
    role: str
    lang: str
    kind: str
    topic: str
    question: str
    expect_any: tuple[str, ...]
    expect_not: tuple[str, ...]
    retrieval_any: tuple[str, ...]
    source_doc: str | None = None


def load_cases(path: Path) -> list[Case]:
    """A file, or a folder of files, each a YAML list of cases."""
    if path.is_dir():
        files = sorted(path.glob("*.yaml"))
        if not files:
            raise EvalSetError(f"Geen evaluatiesets (*.yaml) in {path}")
        return [case for file in files for case in _load_file(file)]
    return _load_file(path)


def _load_file(path: Path) -> list[Case]:
    if not path.is_file():
        raise EvalSetError(f"Evaluatieset niet gevonden: {path}")
    try:
        data = yaml.safe_load(path.read_text(encoding="utf-8"))
    except yaml.YAMLError as error:
        raise EvalSetError(f"{path}: geen geldige YAML ({error})") from error
    if not isinstance(data, list):
        raise EvalSetError(f"{path}: verwacht een YAML-lijst van cases")
    cases = []
    for n, raw in enumerate(data, start=1):
        missing = [key for key in REQUIRED if not isinstance(raw, dict) or key not in raw]
        if missing:
            raise EvalSetError(f"{path}: case {n} mist veld(en): {', '.join(missing)}")
        cases.append(
            Case(
                id=str(raw["id"]),
                gemeente=str(raw["gemeente"]),
                role=str(raw["role"]),
                lang=str(raw["lang"]),
                kind=str(raw["kind"]),
                topic=str(raw["topic"]),
                question=str(raw["question"]),
                expect_any=tuple(raw["expect_any"] or ()),
                expect_not=tuple(raw["expect_not"] or ()),
                retrieval_any=tuple(raw["retrieval_any"] or ()),
                source_doc=raw.get("source_doc"),
            )
        )
    return cases
