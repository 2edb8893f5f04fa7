"""Every Dutch text a resident can read in the knowledge base is plain B1 language."""

from __future__ import annotations

import pytest

from tests.conftest import KNOWLEDGE
from wegwijzer.knowledge import load_knowledge
from wegwijzer.plain_language import check_text, reading_ease, unexplained_terms

KB = load_knowledge(KNOWLEDGE)


def test_the_checker_rejects_officialese() -> None:
    officialese = (
        "Ter uitvoering van de Wet maatschappelijke ondersteuning faciliteert de gemeente integrale "
        "maatwerkvoorzieningen teneinde de zelfredzaamheid en participatie van kwetsbare burgers te bevorderen."
    )
    assert reading_ease(officialese) < 60
    assert check_text(officialese, KB.glossary)


def test_the_checker_accepts_plain_text_and_explained_terms() -> None:
    plain = "Hebt u hulp nodig in huis? Dat kan via de Wmo (de wet voor hulp thuis). Bel de gemeente."
    assert check_text(plain, KB.glossary) == []
    assert unexplained_terms("Dat kan via de Wmo. Bel de gemeente.", KB.glossary) == ["Wmo"]


@pytest.mark.parametrize("service", sorted(KB.services.values(), key=lambda s: s.id), ids=lambda s: s.id)
def test_service_texts_are_plain_dutch(service) -> None:  # type: ignore[no-untyped-def]
    names = [service.name, *service.aliases]
    for text in (service.summary["nl"], service.contact.how["nl"]):
        assert check_text(text, KB.glossary, allowed=names) == [], text


@pytest.mark.parametrize("topic", sorted(KB.topics.values(), key=lambda t: t.id), ids=lambda t: t.id)
def test_topic_descriptions_are_plain_dutch(topic) -> None:  # type: ignore[no-untyped-def]
    assert check_text(topic.description["nl"], KB.glossary) == [], topic.description["nl"]


def test_glossary_explanations_are_plain_dutch() -> None:
    hard = [(t.term, issue.problem) for t in KB.glossary for issue in check_text(t.explanation["nl"])]
    assert hard == []
