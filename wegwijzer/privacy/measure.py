"""Precision and recall of `redact` per kind on the labelled corpus (tests/data/pii_corpus.yaml).

A labelled span counts as found when every non-space character of it lies inside a finding of the same kind
(the data is gone). A finding counts as right when it overlaps a labelled span of the same kind; any other
finding is a false positive. Look-alike items (no labels) must come through unchanged.

Used by `wegwijzer privacy measure` and the tests; needs PyYAML (3.11 environment only).
"""

from __future__ import annotations

from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from wegwijzer.paths import REPO_ROOT
from wegwijzer.privacy.kinds import KINDS, Finding
from wegwijzer.privacy.redact import findings

DEFAULT_CORPUS = REPO_ROOT / "tests" / "data" / "pii_corpus.yaml"
# Numbers as phones, PDFs and letters give them (invisible characters, other digits, other separators).
FORMATS_CORPUS = REPO_ROOT / "tests" / "data" / "pii_formats.yaml"


@dataclass(frozen=True)
class Item:
    text: str
    spans: tuple[Finding, ...]  # the labelled personal data
    why: str = ""


@dataclass
class KindScore:
    labelled: int = 0
    found: int = 0  # labelled spans that were fully redacted with the right kind
    predicted: int = 0
    right: int = 0  # predictions overlapping a labelled span of the same kind

    @property
    def recall(self) -> float:
        return self.found / self.labelled if self.labelled else 1.0

    @property
    def precision(self) -> float:
        return self.right / self.predicted if self.predicted else 1.0


@dataclass
class Measurement:
    items: int
    scores: dict[str, KindScore]
    lookalikes: int
    lookalikes_kept: int
    misses: list[str] = field(default_factory=list)  # descriptions of every error, for the printout

    def as_dict(self) -> dict[str, Any]:
        return {
            "items": self.items,
            "lookalikes": self.lookalikes,
            "lookalikes_kept": self.lookalikes_kept,
            "kinds": {
                kind: {
                    "labelled": s.labelled,
                    "predicted": s.predicted,
                    "precision": round(s.precision, 4),
                    "recall": round(s.recall, 4),
                }
                for kind, s in self.scores.items()
            },
            "errors": self.misses,
        }


class CorpusError(ValueError):
    pass


PARTS = ("items", "held_out")  # written while the rules were made / written after, measured as they came


def _item(number: int, entry: dict[str, Any]) -> Item:
    text = entry["text"]
    spans: list[Finding] = []
    for kind, values in (entry.get("pii") or {}).items():
        if kind not in KINDS:
            raise CorpusError(f"item {number}: onbekende soort {kind!r}")
        position = 0
        for value in values:
            start = text.find(value, position)
            if start < 0:
                start = text.find(value)
            if start < 0:
                raise CorpusError(f"item {number}: {value!r} staat niet in de tekst")
            spans.append(Finding(kind, start, start + len(value)))
            position = start + len(value)
    return Item(text, tuple(spans), entry.get("why", ""))


def load_corpus(path: Path = DEFAULT_CORPUS, formats: Path | None = FORMATS_CORPUS) -> dict[str, list[Item]]:
    """The corpus by part: 'items' (development), 'held_out' and, from its own file, 'formats'."""
    import yaml

    raw = yaml.safe_load(path.read_text(encoding="utf-8"))
    parts = {part: [_item(n, e) for n, e in enumerate(raw.get(part) or [], start=1)] for part in PARTS}
    if formats is not None and formats.is_file():
        entries = yaml.safe_load(formats.read_text(encoding="utf-8")).get("items") or []
        parts["formats"] = [_item(n, e) for n, e in enumerate(entries, start=1)]
    return parts


def _covered(text: str, span: Finding, predicted: list[Finding]) -> bool:
    return all(
        text[i].isspace() or any(p.kind == span.kind and p.start <= i < p.end for p in predicted)
        for i in range(span.start, span.end)
    )


def _overlaps(a: Finding, b: Finding) -> bool:
    return a.start < b.end and b.start < a.end


def measure(items: list[Item]) -> Measurement:
    scores = {kind: KindScore() for kind in KINDS}
    result = Measurement(len(items), scores, 0, 0)
    for item in items:
        predicted = findings(item.text)
        if not item.spans:
            result.lookalikes += 1
            result.lookalikes_kept += not predicted
        for span in item.spans:
            score = scores[span.kind]
            score.labelled += 1
            if _covered(item.text, span, predicted):
                score.found += 1
            else:
                result.misses.append(f"gemist {span.kind}: {item.text[span.start : span.end]!r} in {item.text!r}")
        for p in predicted:
            score = scores[p.kind]
            score.predicted += 1
            if any(s.kind == p.kind and _overlaps(s, p) for s in item.spans):
                score.right += 1
            else:
                result.misses.append(f"onterecht {p.kind}: {item.text[p.start : p.end]!r} in {item.text!r}")
    return result


def render(measurement: Measurement, title: str = "") -> str:
    lines = [f"## {title}", ""] if title else []
    lines += [
        f"{measurement.items} berichten, waarvan {measurement.lookalikes} zonder persoonsgegevens "
        f"({measurement.lookalikes_kept} onveranderd gebleven).",
        "",
        "| soort | gelabeld | gevonden | voorspeld | precision | recall |",
        "|---|---:|---:|---:|---:|---:|",
    ]
    for kind, s in measurement.scores.items():
        lines.append(f"| {kind} | {s.labelled} | {s.found} | {s.predicted} | {s.precision:.3f} | {s.recall:.3f} |")
    if measurement.misses:
        lines += ["", "Fouten:", *(f"- {miss}" for miss in measurement.misses)]
    return "\n".join(lines)


PART_TITLES = {
    "items": "Ontwikkelset (regels hierop gemaakt)",
    "held_out": "Achteraf geschreven (na de regels; eerste meting in docs/privacy.md)",
    "formats": "Vormen uit telefoon, pdf en brief (tests/data/pii_formats.yaml; eerste meting in docs/privacy.md)",
}


def measure_corpus(path: Path = DEFAULT_CORPUS) -> dict[str, Measurement]:
    """Each part and all items together ('all')."""
    parts = load_corpus(path)
    result = {part: measure(items) for part, items in parts.items()}
    result["all"] = measure([item for items in parts.values() for item in items])
    return result


def render_all(measurements: dict[str, Measurement]) -> str:
    titles = {**PART_TITLES, "all": "Alles samen"}
    return "\n\n".join(render(m, titles.get(part, part)) for part, m in measurements.items())
