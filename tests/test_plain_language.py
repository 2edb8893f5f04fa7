"""Every Dutch text a resident can read in the knowledge base is plain B1 language."""

from __future__ import annotations

import string

import pytest

from tests.conftest import KNOWLEDGE
from wegwijzer.knowledge import load_knowledge
from wegwijzer.plain_language import check_simple_text, check_text, reading_ease, unexplained_terms

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


SAMPLE_VALUES = {
    "gemeente": "Purmerend",
    "contact": "Bel (0299) 452 452 of kijk op purmerend.nl.",
    "gemeenten": "Purmerend, Leiderdorp",
    "place": "het sociaal wijkteam",
    "places": "het sociaal wijkteam, Clup Welzijn",
    "how": "Bel de gemeente op (0299) 452 452.",
    "year": "2012",
    "phone": "(0299) 452 452",
    "website": "purmerend.nl",
    "form_url": "purmerend.nl/terugbellen",
    "document": "Programmadoelen",
    "section": "Jeugd",
    "citation": "Programmadoelen, Jeugd",
    "explanation": "hulp bij schulden",
    "days": "14",
}
PLACE_NAMES = ["het sociaal wijkteam", "Clup Welzijn"]  # proper names filled in for {place}
# Button labels and single short phrases: too short for a reading-ease formula, checked for jargon only.
SHORT_TEXTS = {
    "feedback_yes",
    "feedback_no",
    "button_callback",
    "button_no_thanks",
    "button_form",
    "button_person",
    "source",
    "contact_web",
    "contact_phone",
    "callback_sent_title",
    "callback_next_title",
    "callback_failed_title",
    "callback_back",
}


@pytest.mark.parametrize("key", sorted(KB.texts["nl"].texts))
def test_every_text_the_assistant_sends_is_plain_dutch(key: str) -> None:
    from wegwijzer.dialogue.phrasebook import Phrasebook

    text = Phrasebook(KB).say(key, "nl", **SAMPLE_VALUES)
    if key in SHORT_TEXTS:
        assert unexplained_terms(text, KB.glossary, allowed=PLACE_NAMES) == [], text
    else:
        assert check_text(text, KB.glossary, allowed=PLACE_NAMES) == [], text


@pytest.mark.parametrize("lang", sorted(set(KB.texts) - {"nl"}))
def test_every_text_is_there_in_every_language_with_the_same_blanks(lang: str) -> None:
    """A reply in Arabic never switches to English halfway ("Does this not fit your question?")."""

    def blanks(text: str) -> set[str]:
        return {name for _, name, _, _ in string.Formatter().parse(text) if name}

    dutch, translated = KB.texts["nl"].texts, KB.texts[lang].texts
    assert sorted(set(dutch) - set(translated)) == []
    assert {key: blanks(text) for key, text in translated.items() if key in dutch} == {
        key: blanks(dutch[key]) for key in dutch
    }


@pytest.mark.parametrize("service", sorted(KB.services.values(), key=lambda s: s.id), ids=lambda s: s.id)
def test_every_place_answer_is_plain_dutch(service) -> None:  # type: ignore[no-untyped-def]
    """The answer as sent: 'U kunt terecht bij ...', what they do, how to reach them (the citation aside)."""
    from wegwijzer.dialogue.phrasebook import Phrasebook
    from wegwijzer.dialogue.places import PlaceWriter

    writer = PlaceWriter(KB, Phrasebook(KB))
    gemeente = service.gemeente if service.gemeente in KB.gemeenten else "purmerend"
    answer = " ".join(
        [
            writer.say("answer_place", "nl", place=service.name),
            writer.what_they_do(service, "nl"),
            writer.how_to_reach(service, gemeente, "nl"),
        ]
    )
    assert check_text(answer, KB.glossary, allowed=[service.name, *service.aliases]) == [], answer


# ---- "Zeg het simpeler": the A2 version of every answer, a stricter bar than B1 ------------------------

GEMEENTE_NAMES = [g.name for g in KB.gemeenten.values()]
PROFESSIONAL_TEXTS = {"passage_intro"}  # introduces a policy passage, shown to professionals and the front desk only


def test_the_a2_bar_is_stricter_than_b1() -> None:
    b1 = (
        "In de wijk werken generalisten: hulpverleners die van veel onderwerpen iets weten. Zij zijn een bekend "
        "gezicht in de buurt. Samen met u zoeken zij hulp, eerst dichtbij en zo nodig bij een specialist."
    )
    assert check_text(b1) == []
    assert check_simple_text(b1) != []
    assert check_simple_text("Hebt u schulden? Dit loket helpt u. Alle hulp is op één plek. Kom op tijd.") == []


@pytest.mark.parametrize("key", sorted(KB.texts["nl"].texts))
def test_every_text_said_simpler_meets_the_a2_bar(key: str) -> None:
    """The A2 text where the content has one, else the B1 text, which then must be simple enough itself."""
    from wegwijzer.dialogue.phrasebook import Phrasebook

    said = Phrasebook(KB).phrase(key, "nl", **SAMPLE_VALUES)
    simple = said.simple or said.text
    allowed = [*PLACE_NAMES, *GEMEENTE_NAMES]
    if key in SHORT_TEXTS or key in PROFESSIONAL_TEXTS:
        assert unexplained_terms(simple, KB.glossary, allowed=allowed) == [], simple
    else:
        assert check_simple_text(simple, KB.glossary, allowed=allowed) == [], simple
    if key in KB.texts["nl"].simple:
        assert len(simple.split()) <= len(said.text.split()) + 2, (said.text, simple)


@pytest.mark.parametrize("service", sorted(KB.services.values(), key=lambda s: s.id), ids=lambda s: s.id)
def test_every_place_answer_said_simpler_meets_the_a2_bar(service) -> None:  # type: ignore[no-untyped-def]
    """Every place has its A2 text in knowledge/simple; the whole answer as sent in A2 meets the bar and is
    no longer than the B1 answer."""
    from wegwijzer.dialogue.phrasebook import Phrasebook
    from wegwijzer.dialogue.places import PlaceWriter

    assert "nl" in KB.simple[service.id].summary
    gemeente = service.gemeente if service.gemeente in KB.gemeenten else "purmerend"
    reply = PlaceWriter(KB, Phrasebook(KB)).place_reply(service, gemeente, "nl")
    assert reply.simple is not None and reply.simple != reply.text
    allowed = [service.name, *service.aliases, *GEMEENTE_NAMES]
    assert check_simple_text(reply.simple, KB.glossary, allowed=allowed) == [], reply.simple
    assert len(reply.simple.split()) < len(reply.text.split()), (reply.text, reply.simple)
