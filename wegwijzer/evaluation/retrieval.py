"""`wegwijzer eval retrieval`: hit@1, hit@5, MRR, topic and service accuracy on a question set."""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

from index.search import Searcher
from wegwijzer.evaluation.dataset import Case
from wegwijzer.evaluation.report import FACETS, breakdown, rate, table
from wegwijzer.evaluation.scoring import first_matching_rank
from wegwijzer.knowledge.text import fold

RANK_DEPTH = 10  # MRR looks this deep; hit@5 uses the top 5 as the rules say


@dataclass
class CaseResult:
    case: Case
    rank: int | None  # of the first passage holding a retrieval phrase
    top_topic: str
    topic_ok: bool | None  # None: the case's topic is not one of ours (crisis, none)
    top_service: str | None
    service_ok: bool | None  # None: no expected place names a service of ours

    @property
    def scored(self) -> bool:
        return bool(self.case.retrieval_any)


def _service_expectation(case: Case, searcher: Searcher) -> bool | None:
    """Whether some expect_any string names a place in the catalogue (only then can we score it)."""
    names = [fold(n) for s in searcher.knowledge.services_for(case.gemeente) for n in (s.name, *s.aliases)]
    return any(fold(e) in name or name in fold(e) for e in case.expect_any for name in names) or None


def _service_matches(case: Case, names: list[str]) -> bool:
    folded = [fold(n) for n in names]
    return any(fold(e) in n or n in fold(e) for e in case.expect_any for n in folded)


def evaluate_case(case: Case, searcher: Searcher) -> CaseResult:
    result = searcher.search(case.question, case.gemeente, k=RANK_DEPTH, role=case.role)
    rank = first_matching_rank([hit.passage.text for hit in result.passages], case.retrieval_any)
    top_topic = result.topics[0].topic if result.topics else ""
    topic_ok = (top_topic == case.topic) if case.topic in searcher.knowledge.topics else None
    top = result.services[0].service if result.services else None
    service_ok = None
    if case.kind == "route" and top is not None and _service_expectation(case, searcher):
        service_ok = _service_matches(case, [top.name, *top.aliases])
    return CaseResult(case, rank, top_topic, topic_ok, top.id if top else None, service_ok)


def summarise(results: list[CaseResult]) -> dict[str, Any]:
    scored = [r for r in results if r.scored]

    def hit5(r: CaseResult) -> float:
        return float(r.rank is not None and r.rank <= 5)

    topic_rows = [r for r in results if r.topic_ok is not None]
    service_rows = [r for r in results if r.service_ok is not None]
    return {
        "cases": len(results),
        "retrieval_cases": len(scored),
        "hit@1": rate([r.rank == 1 for r in scored]),
        "hit@5": rate([bool(hit5(r)) for r in scored]),
        "mrr": round(sum(1 / r.rank for r in scored if r.rank) / len(scored), 4) if scored else 0.0,
        "topic_accuracy": rate([bool(r.topic_ok) for r in topic_rows]),
        "topic_cases": len(topic_rows),
        "service_accuracy": rate([bool(r.service_ok) for r in service_rows]),
        "service_cases": len(service_rows),
        "hit@5_by": {f: breakdown(scored, lambda r, f=f: getattr(r.case, f), hit5) for f in FACETS if f != "topic"},
        "misses": [
            {"id": r.case.id, "question": r.case.question, "rank": r.rank, "gemeente": r.case.gemeente}
            for r in scored
            if not hit5(r)
        ],
        "topic_misses": [
            {"id": r.case.id, "expected": r.case.topic, "got": r.top_topic} for r in topic_rows if not r.topic_ok
        ],
        "service_misses": [
            {"id": r.case.id, "expected_any": list(r.case.expect_any), "got": r.top_service}
            for r in service_rows
            if not r.service_ok
        ],
    }


def evaluate(cases: list[Case], searcher: Searcher) -> dict[str, Any]:
    return summarise([evaluate_case(case, searcher) for case in cases])


def render(summary: dict[str, Any]) -> str:
    lines = [
        f"Retrieval op {summary['retrieval_cases']} van {summary['cases']} cases:",
        f"  hit@1 {summary['hit@1']:.3f}   hit@5 {summary['hit@5']:.3f}   MRR {summary['mrr']:.3f}",
        f"  onderwerp juist {summary['topic_accuracy']:.3f} (n={summary['topic_cases']})"
        f"   plek juist {summary['service_accuracy']:.3f} (n={summary['service_cases']})",
    ]
    for facet, groups in summary["hit@5_by"].items():
        lines.append(table(f"hit@5 per {facet}", groups))
    if summary["misses"]:
        lines.append("Gemist (geen bronzin in de top 5):")
        lines += [f"  {m['id']} [{m['gemeente']}] {m['question']}" for m in summary["misses"]]
    if summary["topic_misses"]:
        lines.append("Onderwerp fout:")
        lines += [f"  {m['id']}: verwacht {m['expected']}, kreeg {m['got']}" for m in summary["topic_misses"]]
    if summary["service_misses"]:
        lines.append("Plek fout:")
        lines += [f"  {m['id']}: verwacht {m['expected_any']}, kreeg {m['got']}" for m in summary["service_misses"]]
    return "\n".join(lines)
