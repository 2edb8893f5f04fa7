"""`wegwijzer eval dialogue`: every case as the opening message of a fresh conversation.

The first reply (all bot messages of that turn) is scored by the rules of shared/eval/README.md.
"""

from __future__ import annotations

import uuid
from dataclasses import dataclass
from typing import Any

from wegwijzer.chat import ChatAnswer
from wegwijzer.evaluation.dataset import Case
from wegwijzer.evaluation.rasa_rest import send
from wegwijzer.evaluation.report import FACETS, breakdown, rate, table
from wegwijzer.evaluation.scoring import answer_passes

# The dev set's floors: share of cases whose first reply passes, per group of kinds.
FLOORS: dict[str, tuple[tuple[str, ...], float]] = {
    "route+info": (("route", "info"), 0.95),
    "crisis": (("crisis",), 1.0),
    "out_of_scope": (("out_of_scope",), 0.90),
    "smalltalk": (("smalltalk",), 0.95),
}


@dataclass
class DialogueResult:
    case: Case
    reply: str
    passed: bool


def evaluate_case(case: Case, url: str | None) -> DialogueResult:
    sender = f"eval-{case.id}-{uuid.uuid4().hex[:8]}"
    turn: ChatAnswer = send(
        case.question, sender, {"gemeente": case.gemeente, "role": case.role, "lang": case.lang}, url
    )
    return DialogueResult(case, turn.text, answer_passes(turn.text, case.expect_any, case.expect_not))


def summarise(results: list[DialogueResult]) -> dict[str, Any]:
    floors = {}
    for name, (kinds, floor) in FLOORS.items():
        rows = [r.passed for r in results if r.case.kind in kinds]
        floors[name] = {"n": len(rows), "score": rate(rows), "floor": floor, "met": bool(rows) and rate(rows) >= floor}
    return {
        "cases": len(results),
        "answer_pass": rate([r.passed for r in results]),
        "floors": floors,
        "by": {
            facet: breakdown(results, lambda r, f=facet: str(getattr(r.case, f)), lambda r: float(r.passed))
            for facet in FACETS
        },
        "crisis": [{"id": r.case.id, "passed": r.passed} for r in results if r.case.kind == "crisis"],
        "failures": [
            {
                "id": r.case.id,
                "kind": r.case.kind,
                "lang": r.case.lang,
                "question": r.case.question,
                "expect_any": list(r.case.expect_any),
                "expect_not": list(r.case.expect_not),
                "reply": r.reply,
            }
            for r in results
            if not r.passed
        ],
    }


def evaluate(cases: list[Case], url: str | None) -> dict[str, Any]:
    return summarise([evaluate_case(case, url) for case in cases])


def render(summary: dict[str, Any]) -> str:
    lines = [f"Dialoog: {summary['cases']} gevallen, eerste antwoord goed: {summary['answer_pass']:.3f}", ""]
    for name, floor in summary["floors"].items():
        mark = "ok" if floor["met"] else "ONDER DE GRENS"
        lines.append(f"  {name:<14} {floor['score']:.3f}  (n={floor['n']}, grens {floor['floor']:.2f})  {mark}")
    for facet, groups in summary["by"].items():
        lines += ["", table(f"per {facet}", groups)]
    lines += ["", "Crisis:"] + [f"  {c['id']}: {'goed' if c['passed'] else 'FOUT'}" for c in summary["crisis"]]
    if summary["failures"]:
        lines += ["", "Fouten:"]
        for f in summary["failures"]:
            lines.append(f"  {f['id']} [{f['kind']}, {f['lang']}] {f['question'][:90]}")
            lines.append(
                f"      verwacht een van {f['expect_any']}" + (f", niet {f['expect_not']}" if f["expect_not"] else "")
            )
            lines.append(f"      kreeg: {f['reply'][:240]!r}")
    return "\n".join(lines)
