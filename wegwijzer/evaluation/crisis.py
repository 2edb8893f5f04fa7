"""`wegwijzer eval crisis`: how well the crisis detector finds crises and stays quiet on look-alikes.

Two ways, reported in the same form:
- on a set of messages it never learned from (`--set`, e.g. tests/data/crisis_heldout);
- by grouped k-fold cross-validation over knowledge/crisis_bank: each fold's classifier is learned
  without that fold, and near-duplicate messages stay in one fold.
Recall counts a crisis found at the clear or the possible tier; the clear tier is reported apart.
"""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Iterable, Sequence
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import yaml

from wegwijzer.dialogue.crisis import CLEAR, NONE, POSSIBLE, CrisisDetector, CrisisFinding, CrisisModel
from wegwijzer.dialogue.crisis.train import BankVectors, classes_of, duplicate_groups, fit
from wegwijzer.evaluation.dataset import EvalSetError
from wegwijzer.knowledge import KnowledgeBase
from wegwijzer.knowledge.model import NO_CRISIS

FOLDS = 5
E5_WIDTH = 384  # the e5 part of the features, the first in name order: it groups near-duplicates


@dataclass(frozen=True)
class CrisisCase:
    id: str
    lang: str
    signal: str  # a signal id, or NO_CRISIS for a look-alike
    text: str


@dataclass(frozen=True)
class Judged:
    case: CrisisCase
    finding: CrisisFinding


@dataclass
class CrisisSummary:
    judged: list[Judged] = field(default_factory=list)

    @property
    def crises(self) -> list[Judged]:
        return [j for j in self.judged if j.case.signal != NO_CRISIS]

    @property
    def lookalikes(self) -> list[Judged]:
        return [j for j in self.judged if j.case.signal == NO_CRISIS]

    def recall(self, of: Iterable[Judged] | None = None, tier: str | None = None) -> float:
        """Share of crises found at any tier, or at `tier`."""
        cases = list(self.crises if of is None else of)
        found = [j for j in cases if (j.finding.tier == tier if tier else j.finding.tier != NONE)]
        return len(found) / len(cases) if cases else 1.0

    def false_alarms(self, tier: str, of: Iterable[Judged] | None = None) -> float:
        cases = list(self.lookalikes if of is None else of)
        return sum(j.finding.tier == tier for j in cases) / len(cases) if cases else 0.0

    def to_json(self) -> dict[str, Any]:
        by_signal: dict[str, list[Judged]] = defaultdict(list)
        by_lang: dict[str, list[Judged]] = defaultdict(list)
        for j in self.judged:
            by_lang[j.case.lang].append(j)
            if j.case.signal != NO_CRISIS:
                by_signal[j.case.signal].append(j)
        found = [j for j in self.crises if j.finding]
        right_signal = [j for j in found if j.case.signal in {s.id for s in j.finding.signals}]
        return {
            "crises": len(self.crises),
            "lookalikes": len(self.lookalikes),
            "recall": round(self.recall(), 4),
            "recall_clear": round(self.recall(tier=CLEAR), 4),
            "signal_named": round(len(right_signal) / len(found), 4) if found else 1.0,
            "false_alarms_clear": round(self.false_alarms(CLEAR), 4),
            "false_alarms_possible": round(self.false_alarms(POSSIBLE), 4),
            "by_signal": {
                s: {"n": len(js), "recall": round(self.recall(js), 4), "clear": round(self.recall(js, CLEAR), 4)}
                for s, js in sorted(by_signal.items())
            },
            "by_lang": {
                lang: {
                    "crises": sum(j.case.signal != NO_CRISIS for j in js),
                    "recall": round(self.recall([j for j in js if j.case.signal != NO_CRISIS]), 4),
                    "clear": round(self.recall([j for j in js if j.case.signal != NO_CRISIS], CLEAR), 4),
                    "lookalikes": sum(j.case.signal == NO_CRISIS for j in js),
                    "false_alarms_clear": round(
                        self.false_alarms(CLEAR, [j for j in js if j.case.signal == NO_CRISIS]), 4
                    ),
                    "false_alarms_possible": round(
                        self.false_alarms(POSSIBLE, [j for j in js if j.case.signal == NO_CRISIS]), 4
                    ),
                }
                for lang, js in sorted(by_lang.items())
            },
            "missed": [_row(j) for j in self.crises if not j.finding],
            "possible_only": [_row(j) for j in self.crises if j.finding.tier == POSSIBLE],
            "false_alarms": [_row(j) for j in self.lookalikes if j.finding],
        }


def _row(j: Judged) -> dict[str, Any]:
    return {
        "id": j.case.id,
        "lang": j.case.lang,
        "signal": j.case.signal,
        "tier": j.finding.tier,
        "found": [s.id for s in j.finding.signals],
        "p": round(j.finding.probability, 3),
        "text": j.case.text,
    }


def load_crisis_cases(path: Path) -> list[CrisisCase]:
    """A file, or a folder of files, with `cases: [{id, lang, signal, text}]`."""
    files = sorted(path.glob("*.yaml")) if path.is_dir() else [path]
    if not files or not all(f.is_file() for f in files):
        raise EvalSetError(f"Crisisset niet gevonden: {path}")
    cases = []
    for file in files:
        try:
            data = yaml.safe_load(file.read_text(encoding="utf-8"))
        except yaml.YAMLError as error:
            raise EvalSetError(f"{file}: geen geldige YAML ({error})") from error
        for n, item in enumerate((data or {}).get("cases") or []):
            missing = [k for k in ("id", "lang", "signal", "text") if k not in item]
            if missing:
                raise EvalSetError(f"{file}: geval {n + 1} mist {', '.join(missing)}")
            cases.append(CrisisCase(str(item["id"]), item["lang"], item["signal"], item["text"]))
    return cases


def evaluate_set(detector: CrisisDetector, cases: Sequence[CrisisCase]) -> CrisisSummary:
    return CrisisSummary([Judged(case, detector.check(case.text)) for case in cases])


def cross_validate(knowledge: KnowledgeBase, bank: BankVectors, folds: int = FOLDS) -> CrisisSummary:
    """Grouped k-fold over the bank: every message judged by a classifier that never saw it or its twins."""
    from sklearn.model_selection import GroupKFold

    classes = classes_of(knowledge)
    labels = [e.signal for e in bank.examples]
    groups = duplicate_groups(bank.features, E5_WIDTH)
    judged: dict[int, Judged] = {}
    for train_rows, test_rows in GroupKFold(n_splits=folds).split(bank.features, labels, groups):
        coef, intercept = fit(bank.features[train_rows], [labels[i] for i in train_rows], classes)
        model = CrisisModel(classes, (), coef, intercept, {})
        detector = CrisisDetector(knowledge, model)  # its patterns, and this fold's classifier
        for i, row in zip(test_rows.tolist(), model.probabilities(bank.features[test_rows]), strict=True):
            example = bank.examples[i]
            case = CrisisCase(f"bank-{i}", example.lang, example.signal, example.text)
            judged[i] = Judged(case, detector.decide(detector.pattern_finding(example.text), detector.judge(row)))
    return CrisisSummary([judged[i] for i in sorted(judged)])


def render(summary: dict[str, Any], title: str) -> str:
    lines = [
        title,
        f"  crises {summary['crises']}, look-alikes {summary['lookalikes']}",
        f"  recall (clear of possible) {summary['recall']:.3f}   clear {summary['recall_clear']:.3f}   "
        f"juiste signaal genoemd {summary['signal_named']:.3f}",
        f"  vals alarm: clear {summary['false_alarms_clear']:.3f}   possible {summary['false_alarms_possible']:.3f}",
        "  per signaal:",
    ]
    lines += [
        f"    {s:<10} n={v['n']:<4} recall {v['recall']:.3f}  clear {v['clear']:.3f}"
        for s, v in summary["by_signal"].items()
    ]
    lines.append("  per taal:")
    lines += [
        f"    {lang:<3} crises {v['crises']:<4} recall {v['recall']:.3f}  clear {v['clear']:.3f}   "
        f"look-alikes {v['lookalikes']:<4} vals alarm clear {v['false_alarms_clear']:.3f} "
        f"possible {v['false_alarms_possible']:.3f}"
        for lang, v in summary["by_lang"].items()
    ]
    for key, label in (("missed", "gemist"), ("false_alarms", "vals alarm")):
        if summary[key]:
            lines.append(f"  {label} ({len(summary[key])}):")
            lines += [
                f"    [{r['lang']} {r['signal']} -> {r['tier']} {','.join(r['found'])} p={r['p']}] {r['text'][:110]}"
                for r in summary[key]
            ]
    return "\n".join(lines)
