"""Who asks changes what comes first: a resident wants the place, a professional the policy passage."""

from __future__ import annotations

import dataclasses

import pytest

from index.search import Searcher
from wegwijzer.search_loader import open_searcher

ROUTE_QUESTION = "de huur lukt niet meer en de rekeningen stapelen zich op"
POLICY_QUESTION = "Wat is de visie van Purmerend op de samenleving in het beleidskader?"


@pytest.fixture(scope="module")
def searcher() -> Searcher:
    return open_searcher()


def passage_scores(searcher: Searcher, question: str, role: str) -> dict[str, float]:
    result = searcher.search(question, "purmerend", k=len(searcher.passages), role=role)
    return {hit.passage.id: hit.score for hit in result.passages}


def without_places_lift(searcher: Searcher) -> Searcher:
    weights = dataclasses.replace(searcher.weights, passage_service_source=0.0)
    return Searcher(searcher.knowledge, searcher.stored, searcher.encoders, weights)


def test_a_professional_gets_part_of_the_places_lift_a_resident_gets_all(searcher: Searcher) -> None:
    resident = passage_scores(searcher, ROUTE_QUESTION, "inwoner")
    professional = passage_scores(searcher, ROUTE_QUESTION, "professional")
    bare = passage_scores(without_places_lift(searcher), ROUTE_QUESTION, "inwoner")
    lifts = {pid: resident[pid] - bare[pid] for pid in bare}
    lifted = [pid for pid, lift in lifts.items() if lift > 0.5]
    assert lifted, "a debt question lifts the passages the debt places rest on"
    share = searcher.weights.asker_place_lift
    for pid in lifted:
        assert bare[pid] < professional[pid] < resident[pid]
        assert professional[pid] - bare[pid] == pytest.approx(share * lifts[pid], abs=1e-3)
    unlifted = [pid for pid, lift in lifts.items() if abs(lift) < 1e-6]
    assert unlifted and all(professional[pid] == pytest.approx(resident[pid], abs=1e-4) for pid in unlifted)


@pytest.mark.parametrize("role", ["professional", "balie"])
def test_a_question_about_the_framework_itself_gets_no_places_lift(searcher: Searcher, role: str) -> None:
    asked = searcher.search(POLICY_QUESTION, "purmerend", k=5, role=role)
    assert asked.topics[0].topic == "beleid"
    assert passage_scores(searcher, POLICY_QUESTION, role) == pytest.approx(
        passage_scores(without_places_lift(searcher), POLICY_QUESTION, role), abs=1e-4
    )
    resident = passage_scores(searcher, POLICY_QUESTION, "inwoner")
    assert resident != pytest.approx(passage_scores(searcher, POLICY_QUESTION, role), abs=1e-4)
