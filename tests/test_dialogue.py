"""The assistant's turn logic with the real knowledge base and index (no Rasa: the NLU intent is given).

The same logic runs behind Rasa; tests/test_stack.py checks it end to end through the real servers.
"""

from __future__ import annotations

from pathlib import Path

import pytest
import yaml

from wegwijzer.dialogue.assistant import Assistant
from wegwijzer.dialogue.calibration import rank_places
from wegwijzer.dialogue.crisis import CrisisDetector
from wegwijzer.dialogue.fallback import unavailable_answer
from wegwijzer.dialogue.language import detect_language
from wegwijzer.dialogue.outcome import Outcome
from wegwijzer.dialogue.state import State, Turn
from wegwijzer.knowledge import load_knowledge
from wegwijzer.knowledge.text import contains_verbatim
from wegwijzer.search_loader import open_searcher

CRISIS_SET = Path(__file__).parent / "data" / "crisis_set.yaml"
FORM = "http://127.0.0.1:8000/terugbellen?gemeente={gemeente}&lang={lang}"


@pytest.fixture(scope="module")
def assistant() -> Assistant:
    searcher = open_searcher()
    return Assistant(searcher.knowledge, searcher, FORM)


def say(assistant: Assistant, state: State, text: str, intent: str | None = None, **meta: str) -> Outcome:
    entities = {}
    if text.startswith("/") and "{" in text:
        import json

        entities = {k: [v] for k, v in json.loads(text[text.index("{") :]).items()}
        intent = text[1 : text.index("{")]
    elif text.startswith("/"):
        intent = text[1:]
    return assistant.respond(Turn(text, intent, 0.9, entities, dict(meta)), state)


def text_of(outcome: Outcome) -> str:
    return "\n".join(r.text for r in outcome.replies)


def test_crisis_set_recall_and_false_alarms_in_six_languages(assistant: Assistant) -> None:
    detector = assistant.crisis  # the classifier over the real models, and the patterns
    cases = yaml.safe_load(CRISIS_SET.read_text(encoding="utf-8"))
    assert {c["lang"] for c in cases} == {"nl", "en", "ar", "tr", "uk", "pl"}
    missed = [c["text"] for c in cases if c["crisis"] and not detector.check(c["text"])]
    false_alarms = [c["text"] for c in cases if not c["crisis"] and detector.check(c["text"]).clear]
    assert missed == [], "crisis messages without the crisis lines"
    assert false_alarms == [], "ordinary messages that got the crisis lines"


def test_crisis_lines_come_first_even_in_the_middle_of_another_topic(assistant: Assistant) -> None:
    state = State()
    say(assistant, state, "ik kan de huur niet meer betalen", "hulp_schulden", gemeente="purmerend")
    assert state.last_places, "the debt question was answered with a place"
    outcome = say(assistant, state, "en eigenlijk wil ik niet meer leven", "hulp_schulden")
    assert outcome.crisis
    first = outcome.replies[0].text
    assert "113" in first and "0800-0113" in first


def test_crisis_ignores_the_nlu_intent_and_answers_in_the_users_language(assistant: Assistant) -> None:
    outcome = say(assistant, State(), "my husband hits me", "greet", gemeente="leiderdorp", lang="en")
    assert outcome.replies[0].text.startswith("Is there violence at home")
    assert "0800-2000" in outcome.replies[0].text and "112" in outcome.replies[0].text
    polish = say(assistant, State(), "mąż bije mnie i dzieci", "out_of_scope", gemeente="purmerend", lang="pl")
    assert "Veilig Thuis" in polish.replies[0].text and "0800-2000" in polish.replies[0].text


def test_without_gemeente_it_asks_once_with_buttons_and_then_answers_the_question(assistant: Assistant) -> None:
    state = State()
    first = say(assistant, state, "ik zorg voor mijn moeder en ben op", "hulp_mantelzorg")
    assert "chatbot" in text_of(first) and "geen persoonlijke gegevens" in text_of(first)
    buttons = [b for r in first.replies for b in r.buttons]
    assert {b.title for b in buttons} >= {"Purmerend", "Leiderdorp"}
    purmerend = next(b for b in buttons if b.title == "Purmerend")
    second = say(assistant, state, purmerend.payload)
    assert state.gemeente == "purmerend"
    assert "Mantelzorgondersteuning" in text_of(second)


def test_follow_ups_keep_the_place_and_a_gemeente_switch_answers_again(assistant: Assistant) -> None:
    state = State()
    say(assistant, state, "ik heb schulden en weet niet waar ik moet beginnen", "hulp_schulden", gemeente="purmerend")
    assert state.last_places[0] == "purmerend-schulddienstverlening"
    contact = say(assistant, state, "hoe bereik ik ze?", "ask_contact")
    assert "Loket Schulddienstverlening" in text_of(contact) and "(0299) 452 452" in text_of(contact)
    cost = say(assistant, state, "wat kost dat?", "ask_cost")
    assert "niets verzinnen" in text_of(cost)
    moved = say(assistant, state, "ik woon in Leiderdorp", "change_gemeente")
    assert state.gemeente == "leiderdorp"
    assert "Leiderdorp" in text_of(moved)
    assert "Schulddienstverlening" not in text_of(moved), "a Purmerend desk is not offered in Leiderdorp"


def test_two_problems_in_one_message_get_a_place_each(assistant: Assistant) -> None:
    outcome = say(
        assistant,
        State(),
        "ik heb een flinke huurachterstand en de deurwaarder komt. daarnaast zorg ik elke dag voor mijn zieke moeder",
        "hulp_schulden",
        gemeente="purmerend",
    )
    text = text_of(outcome)
    assert "Schulddienstverlening" in text and "Mantelzorgondersteuning" in text


def test_asking_for_help_without_saying_what_for_gets_a_question_not_a_place(assistant: Assistant) -> None:
    state = State()
    outcome = say(assistant, state, "waar kan ik terecht?", "hulp_welzijn", gemeente="purmerend")
    assert outcome.kind == "clarified" and not state.last_places
    assert "Vertel in een paar woorden wat er speelt" in text_of(outcome)
    english = say(assistant, State(), "can you help me?", "hulp_welzijn", gemeente="purmerend", lang="en")
    assert english.kind == "clarified" and "what is going on" in text_of(english)
    answered = say(assistant, state, "ik kan de huur niet meer betalen", "hulp_schulden")
    assert "Schulddienstverlening" in text_of(answered)


def test_where_can_i_go_is_no_second_problem(assistant: Assistant) -> None:
    outcome = say(
        assistant,
        State(),
        "ik heb een flinke huurachterstand en de deurwaarder komt. waar kan ik terecht?",
        "hulp_schulden",
        gemeente="purmerend",
    )
    text = text_of(outcome)
    assert "Schulddienstverlening" in text
    assert "meer dan één" not in text and "inburgeraars" not in text


def test_out_of_scope_gets_the_general_contact_and_no_social_service(assistant: Assistant) -> None:
    outcome = say(assistant, State(), "wanneer wordt het grofvuil opgehaald", "out_of_scope", gemeente="purmerend")
    text = text_of(outcome)
    assert "(0299) 452 452" in text and "Schulddienstverlening" not in text


def test_a_permit_or_passport_gets_the_gemeente_whatever_the_nlu_makes_of_it(assistant: Assistant) -> None:
    state = State()
    outcome = say(
        assistant, state, "mijn rijbewijs is verlopen, waar moet ik zijn?", "hulp_welzijn", gemeente="leiderdorp"
    )
    assert outcome.kind == "out_of_scope" and not state.last_places
    assert "gemeente Leiderdorp" in text_of(outcome)
    english = say(
        assistant, State(), "my passport is lost, what now", "hulp_werk_inkomen", gemeente="purmerend", lang="en"
    )
    assert english.kind == "out_of_scope" and "(0299) 452 452" in text_of(english)


def test_a_gemeente_matter_with_a_help_question_gets_both(assistant: Assistant) -> None:
    outcome = say(
        assistant,
        State(),
        "ik kan de woz aanslag niet betalen, ik heb al veel schulden",
        "hulp_schulden",
        gemeente="purmerend",
    )
    text = text_of(outcome)
    assert "Gaat het om een paspoort, afval of een vergunning?" in text
    assert "Schulddienstverlening" in text


def test_a_person_at_any_moment_with_a_callback_form(assistant: Assistant) -> None:
    state = State()
    outcome = say(assistant, state, "ik wil iemand spreken", "human_handoff", gemeente="purmerend")
    assert "(0299) 452 452" in text_of(outcome)
    yes = next(b for r in outcome.replies for b in r.buttons if b.payload == "/affirm")
    assert yes.url == "http://127.0.0.1:8000/terugbellen?gemeente=purmerend&lang=nl", "the offer opens the form"
    form = say(assistant, state, yes.payload)  # typed or sent 'yes': the address and a link
    assert "http://127.0.0.1:8000/terugbellen?gemeente=purmerend&lang=nl" in text_of(form)
    assert [b.url for r in form.replies for b in r.buttons] == [yes.url]


def test_professionals_get_the_policy_passage_with_its_citation(assistant: Assistant) -> None:
    outcome = say(
        assistant,
        State(),
        "Hoe definieert de Heerhugowaardse kadernota het begrip eigen kracht?",
        "hulp_beleid",
        gemeente="heerhugowaard",
        role="professional",
    )
    text = text_of(outcome)
    assert "Wat het beleid zegt (Strategische kadernota sociaal domein (2012)" in text
    assert all(s.passage for s in outcome.sources)


def test_a_place_named_for_the_front_desk_is_shown_with_the_passage_it_rests_on(assistant: Assistant) -> None:
    question = "een moeder vraagt aan de balie naar creatieve lessen voor haar kinderen"
    searcher = assistant.searcher
    assert searcher is not None
    found = searcher.search(question, "purmerend", k=5, role="balie")
    place = found.services[0].service
    grounding = searcher.passages_resting({place.id})
    assert found.passages[0].passage.id not in grounding, "the search alone ranks another passage first"
    assert any(hit.passage.id in grounding for hit in found.passages)
    outcome = say(assistant, State(), question, "hulp_cultuur", gemeente="purmerend", role="balie")
    assert outcome.places == [place.id]
    first_shown = next(hit.passage for hit in found.passages if hit.passage.text == outcome.sources[0].passage)
    assert first_shown.id in grounding
    assert any(contains_verbatim(first_shown.text, quote) for _, quote in place.quotes)


def test_when_only_the_emergency_lines_come_close_a_person_is_offered_not_an_empty_choice(
    assistant: Assistant,
) -> None:
    question = "ik maak me zorgen om mijn buurvrouw"  # Leiderdorp's texts name one place, for welzijn
    searcher = assistant.searcher
    assert searcher is not None
    places = rank_places(searcher.search(question, "leiderdorp", services=8), searcher.weights)
    assert places[0].service.is_national, "the national lines come closest: the case this test is about"
    outcome = say(assistant, State(), question, "hulp_welzijn", gemeente="leiderdorp")
    text = text_of(outcome)
    assert outcome.kind == "not_sure", text
    assert "plekken: ?" not in text and "Ik weet niet zeker waar u het beste terecht kunt" in text
    assert "leiderdorp.nl" in text


def test_an_answer_from_the_2012_framework_says_how_old_it_is(assistant: Assistant) -> None:
    outcome = say(assistant, State(), "ik heb hulp nodig in het huishouden", "hulp_wmo", gemeente="heerhugowaard")
    assert "uit 2012" in text_of(outcome)


def test_arabic_gets_dutch_place_names_with_an_arabic_explanation(assistant: Assistant) -> None:
    outcome = say(assistant, State(), "عندي ديون كثيرة ولا أستطيع دفع الإيجار", "hulp_schulden", gemeente="purmerend")
    text = text_of(outcome)
    assert "Schulddienstverlening" in text and "يمكنك التوجه إلى" in text


def test_language_is_detected_when_the_channel_does_not_say() -> None:
    knowledge = load_knowledge()
    assert detect_language("how can I get help with my debts", knowledge) == "en"
    assert detect_language("ik kan de huur niet betalen", knowledge) == "nl"
    assert detect_language("у мене борги за оренду", knowledge) == "uk"
    assert detect_language("kira borcum var, nereye başvurabilirim", knowledge) == "tr"
    assert detect_language("hoi", knowledge) is None


def test_fallback_when_the_assistant_is_down_still_gives_a_contact_and_crisis_lines(assistant: Assistant) -> None:
    knowledge = load_knowledge()
    patterns = CrisisDetector(knowledge)  # before the index is loaded, or without one
    replies = unavailable_answer(knowledge, "purmerend", "nl", patterns.check("ik wil dood"), patterns)
    assert "113" in replies[0].text
    assert "(0299) 452 452" in replies[-1].text
    hello = patterns.check("hello")
    assert "municipality" in unavailable_answer(knowledge, None, "en", hello, patterns)[-1].text
    learned = assistant.crisis  # with the classifier: words no pattern lists
    message = "ik heb de strop al opgehangen op zolder"
    assert not patterns.check(message)
    assert "113" in unavailable_answer(knowledge, "purmerend", "nl", learned.check(message), learned)[0].text


def test_empty_and_huge_messages_get_a_clear_answer(assistant: Assistant) -> None:
    assert "leeg" in text_of(say(assistant, State(), "   ", gemeente="purmerend"))
    assert "te lang" in text_of(say(assistant, State(), "huur " * 500, gemeente="purmerend", lang="nl"))


def test_a_removed_personal_detail_gets_one_kind_notice(assistant: Assistant) -> None:
    state = State()
    first = say(
        assistant, state, "mijn nummer is [telefoonnummer], ik heb schulden", "hulp_schulden", gemeente="purmerend"
    )
    assert "persoonlijk gegeven" in text_of(first)
    assert first.kind == "answered" and first.places == ["purmerend-schulddienstverlening"]
    again = say(assistant, state, "mijn bsn is [BSN]", "hulp_schulden")
    assert "persoonlijk gegeven" not in text_of(again)


def test_every_turn_says_what_kind_it_was_for_the_records(assistant: Assistant) -> None:
    assert say(assistant, State(), "hallo", "greet", gemeente="purmerend").kind == "smalltalk"
    assert say(assistant, State(), "ik wil iemand spreken", "human_handoff", gemeente="purmerend").kind == "handoff"
    assert say(assistant, State(), "paspoort verlopen", "out_of_scope", gemeente="purmerend").kind == "out_of_scope"
    assert say(assistant, State(), "ik wil dood", "hulp_ggz", gemeente="purmerend").crisis


def test_a_gemeente_adjective_is_no_unknown_gemeente(assistant: Assistant) -> None:
    state = State(gemeente="purmerend")
    turn = Turn(
        "Hoe definieert de Heerhugowaardse kadernota het begrip eigen kracht?",
        "hulp_beleid",
        0.9,
        {"gemeente": ["Heerhugowaardse"]},
        {"gemeente": "purmerend", "role": "professional"},
    )
    outcome = assistant.respond(turn, state)
    assert "ken ik niet" not in text_of(outcome)
    switch = assistant.respond(Turn("ik woon in Haarlem", "change_gemeente", 0.9, {"gemeente": ["Haarlem"]}), State())
    assert "Die gemeente ken ik niet" in text_of(switch)


def test_asking_for_a_person_gets_the_contact_whatever_the_nlu_says(assistant: Assistant) -> None:
    outcome = say(assistant, State(), "kan ik ook met een echt persoon praten?", "hulp_welzijn", gemeente="purmerend")
    assert outcome.kind == "handoff" and "(0299) 452 452" in text_of(outcome)
    english = say(assistant, State(), "can I talk to a real person", "greet", gemeente="purmerend", lang="en")
    assert english.kind == "handoff"


def test_asking_what_a_word_means_gets_it_in_plain_words_first(assistant: Assistant) -> None:
    state = State(gemeente="purmerend", role="inwoner", lang="nl")
    outcome = say(assistant, state, "wat betekent maatwerkvoorziening eigenlijk? ik heb hulp in huis nodig")
    first = outcome.replies[0].text
    assert first.startswith("maatwerkvoorziening: Hulp die de gemeente speciaal voor u regelt")
    assert "Wmo" in text_of(outcome)  # and then the answer as usual: the place for it
    english = say(assistant, State(gemeente="purmerend", role="inwoner", lang="en"), "what does 'mantelzorg' mean?")
    assert english.replies[0].text.startswith("mantelzorg: Care that you give to someone you know")


def test_a_glossary_word_without_a_meaning_question_is_not_explained(assistant: Assistant) -> None:
    outcome = say(
        assistant, State(gemeente="purmerend", role="inwoner", lang="nl"), "ik wil een maatwerkvoorziening aanvragen"
    )
    assert not any(r.text.startswith("maatwerkvoorziening:") for r in outcome.replies)


def test_an_answer_carries_its_simpler_version_from_the_content(assistant: Assistant) -> None:
    """ "Zeg het simpeler": each reply brings its A2 version (knowledge/simple, the `simple:` texts), with the
    same place, phone number and age note; a language without A2 texts has none (its B1 text stays)."""
    knowledge = assistant.knowledge
    state = State()
    outcome = say(
        assistant, state, "ik heb schulden en weet niet waar ik moet beginnen", "hulp_schulden", gemeente="purmerend"
    )
    place = next(r for r in outcome.replies if "Loket Schulddienstverlening" in r.text)
    a2 = knowledge.simple["purmerend-schulddienstverlening"].summary["nl"]
    assert place.simple is not None and a2 in place.simple and a2 not in place.text
    assert "U kunt naar Loket Schulddienstverlening." in place.simple and "(0299) 452 452" in place.simple
    contact = say(assistant, state, "hoe bereik ik ze?", "ask_contact")
    assert (
        contact.replies[-1].simple
        == "Zo bereikt u Loket Schulddienstverlening. " + contact.replies[-1].text.split(": ", 1)[1]
    )
    old = say(assistant, State(), "ik heb hulp nodig in het huishouden", "hulp_wmo", gemeente="heerhugowaard")
    assert any("Let op: dit is uit 2012." in (r.simple or "") for r in old.replies)
    english = say(
        assistant, State(), "I have debts and do not know where to start", "hulp_schulden", gemeente="purmerend"
    )
    assert english.replies and all(r.simple is None for r in english.replies)


# ---- follow-ups read against the last answer (issue 14, point 7) ------------------------------------


def test_say_it_in_english_gives_the_same_places_in_english(assistant: Assistant) -> None:
    state = State(gemeente="purmerend", lang="nl")
    first = say(assistant, state, "ik zorg al jaren voor mijn zieke vader en het wordt me te veel", "hulp_mantelzorg")
    assert first.places, text_of(first)
    again = assistant.respond(Turn("kunt u dat in het engels zeggen?", "change_lang", 0.9, {"lang": ["en"]}), state)
    assert again.places == first.places[: len(again.places)] and again.lang == "en"
    assert "You can go to" in text_of(again), text_of(again)


def test_i_live_in_another_gemeente_answers_the_last_question_there(assistant: Assistant) -> None:
    state = State(gemeente="purmerend", lang="nl")
    say(assistant, state, "ik zorg al jaren voor mijn zieke vader en het wordt me te veel", "hulp_mantelzorg")
    moved = assistant.respond(Turn("ik woon trouwens in Heerhugowaard", "hulp_mantelzorg", 0.5), state)
    assert state.gemeente == "heerhugowaard"
    assert moved.places and all(p.startswith(("heerhugowaard-", "landelijk-")) for p in moved.places), moved.places


def test_a_question_of_its_own_that_names_where_one_lives_is_answered_as_a_question(assistant: Assistant) -> None:
    state = State(gemeente="purmerend", lang="nl")
    say(assistant, state, "ik zorg al jaren voor mijn zieke vader en het wordt me te veel", "hulp_mantelzorg")
    assert not assistant.context.only_says_where("ik woon in Leiderdorp en zoek een taalcursus voor mijn man", state)
    assert assistant.context.only_says_where("ik woon trouwens in Leiderdorp", state)


def test_what_happens_next_says_how_to_reach_the_place_named(assistant: Assistant) -> None:
    state = State(gemeente="purmerend", lang="nl")
    first = say(assistant, state, "ik heb schulden en weet niet waar ik moet beginnen", "hulp_schulden")
    place = assistant.knowledge.services[first.places[0]].name
    after = say(assistant, state, "en wat gebeurt er dan?", "ask_next")
    assert f"Zo bereikt u {place}" in text_of(after), text_of(after)


# ---- the national layer (issue 14, point 3) --------------------------------------------------------


def test_a_national_service_is_never_the_only_answer(assistant: Assistant) -> None:
    state = State(gemeente="leiderdorp", lang="nl")
    out = say(assistant, state, "ik blow elke dag en wil minder gaan gebruiken, bij wie kan ik terecht", "hulp_ggz")
    text = text_of(out)
    national = [p for p in out.places if assistant.knowledge.services[p].after_local]
    assert national, text
    # The front door (or a place of the gemeente) comes first, the national service after it.
    assert "leiderdorp.nl" in text.split("Daarnaast kan dit helpen")[0], text


def test_that_did_not_help_offers_the_next_places_and_a_person(assistant: Assistant) -> None:
    state = State(gemeente="purmerend", lang="nl")
    first = say(
        assistant, state, "mijn zoon van 16 gaat niet meer naar school en zit de hele dag te gamen", "hulp_jeugd"
    )
    after = say(assistant, state, "/feedback_not_helped")
    text = text_of(after)
    assert "(0299) 452 452" in text, text  # a person
    offered = [b.payload for r in after.replies for b in r.buttons if b.payload.startswith("/choose")]
    assert offered, text
    assert not any(place in payload for payload in offered for place in first.places), (first.places, offered)
