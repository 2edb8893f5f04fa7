"""`wegwijzer eval dialogue`: every case as the opening message of a fresh conversation.

The first reply (all bot messages of that turn) is scored by the rules of shared/eval/README.md.

"Within one clarification" also counts a case whose first reply was a clarifying question (buttons
with the `/choose` payload) when one of the offered places, chosen, gives a reply that passes: a
resident who recognises the right option gets there in one step. Each option is tried in a fresh
conversation (the question again, then the button), so the choices do not see one another. A
clarifying question that only asks "what is going on?" has no option to choose and counts as not
reached: no resident's answer to it can be simulated fairly.
"""

from __future__ import annotations

import uuid
from dataclasses import dataclass
from typing import Any

from wegwijzer.chat import ChatAnswer
from wegwijzer.evaluation.dataset import Case
from wegwijzer.evaluation.rasa_rest import send
from wegwijzer.evaluation.report import FACETS, breakdown, expectation_lines, rate, table
from wegwijzer.evaluation.scoring import answer_passes

# The dev set's floors: share of cases whose first reply passes, per group of kinds.
FLOORS: dict[str, tuple[tuple[str, ...], float]] = {
    "route+info": (("route", "info"), 0.95),
    "crisis": (("crisis",), 1.0),
    "out_of_scope": (("out_of_scope",), 0.90),
    "smalltalk": (("smalltalk",), 0.95),
}


CHOOSE = "/choose"


@dataclass
class DialogueResult:
    case: Case
    reply: str
    passed: bool
    # passed, or one of the clarifying question's places, chosen, gives a reply that passes
    clarified: bool = False
    options: tuple[str, ...] = ()


def _metadata(case: Case) -> dict[str, str]:
    return {"gemeente": case.gemeente, "role": case.role, "lang": case.lang}


def choice_passes(case: Case, payload: str, url: str | None) -> bool:
    sender = f"eval-{case.id}-choice-{uuid.uuid4().hex[:8]}"
    send(case.question, sender, _metadata(case), url)
    after = send(payload, sender, _metadata(case), url)
    return answer_passes(after.text, case.expect_any, case.expect_not)


def evaluate_case(case: Case, url: str | None, clarify: bool = True) -> DialogueResult:
    sender = f"eval-{case.id}-{uuid.uuid4().hex[:8]}"
    turn: ChatAnswer = send(case.question, sender, _metadata(case), url)
    passed = answer_passes(turn.text, case.expect_any, case.expect_not)
    choices = [b for b in turn.buttons if b.payload.startswith(CHOOSE)]
    clarified = passed or (clarify and any(choice_passes(case, b.payload, url) for b in choices))
    return DialogueResult(case, turn.text, passed, clarified, tuple(b.title for b in choices))


def summarise(results: list[DialogueResult]) -> dict[str, Any]:
    floors = {}
    for name, (kinds, floor) in FLOORS.items():
        rows = [r.passed for r in results if r.case.kind in kinds]
        floors[name] = {"n": len(rows), "score": rate(rows), "floor": floor, "met": bool(rows) and rate(rows) >= floor}
    return {
        "cases": len(results),
        "answer_pass": rate([r.passed for r in results]),
        "within_one_clarification": rate([r.clarified for r in results]),
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
                "options": list(r.options),
                "clarified": r.clarified,
            }
            for r in results
            if not r.passed
        ],
    }


def evaluate(cases: list[Case], url: str | None, clarify: bool = True) -> dict[str, Any]:
    return summarise([evaluate_case(case, url, clarify) for case in cases])


def render(summary: dict[str, Any]) -> str:
    lines = [
        f"Dialoog: {summary['cases']} gevallen, eerste antwoord goed: {summary['answer_pass']:.3f}, "
        f"binnen een verduidelijking: {summary['within_one_clarification']:.3f}",
        "",
    ]
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
            lines += expectation_lines(f)
            if f["options"]:
                mark = "een keuze geeft het goede antwoord" if f["clarified"] else "geen keuze helpt"
                lines.append(f"      keuzes: {f['options']} ({mark})")
    return "\n".join(lines)
