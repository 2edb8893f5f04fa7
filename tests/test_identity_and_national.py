"""Issue 14, points 6 and 3 through the real stack (Rasa's NLU + our action server): "am I talking to
a person?" in six languages, "what can you do?", a one-word topic, and the national layer after the
gemeente's own place or front door. The messages are new wordings, in none of the training data."""

from __future__ import annotations

import pytest

from tests.test_stack import Conversation

pytestmark = pytest.mark.slow

# (message, language of the widget, what the reply must say): the AI Act's plain answer, in the
# asker's language, and how to reach a person (Purmerend's general contact).
IDENTITY = [
    ("zeg eens eerlijk, zit hier nou een mens achter het scherm of niet?", "nl", "Nee, ik ben een chatbot"),
    ("honestly, is a human reading this or is it software?", "nl", "No, I am a chatbot"),
    ("هل يكتب لي الآن شخص حقيقي أم برنامج؟", "ar", "لا، أنا روبوت محادثة"),
    ("şu an benimle gerçek bir kişi mi yazışıyor?", "tr", "Hayır, ben bir sohbet robotuyum"),
    ("скажіть чесно, мені зараз пише жива людина?", "uk", "Ні, я чат-бот"),
    ("powiedz szczerze, czy po drugiej stronie siedzi człowiek?", "pl", "Nie, jestem chatbotem"),
]


@pytest.mark.parametrize(("message", "lang", "expected"), IDENTITY)
def test_am_i_talking_to_a_person_gets_no_a_chatbot_and_the_way_to_a_person(stack, message, lang, expected) -> None:  # type: ignore[no-untyped-def]
    answer = Conversation(stack, gemeente="purmerend", role="inwoner", lang=lang).say(message)
    assert expected in answer.text, answer.text
    assert "452 452" in answer.text, answer.text  # the gemeente's own contact: how to reach a person


@pytest.mark.parametrize(
    ("message", "expected"),
    [
        ("wat kan ik jou allemaal vragen eigenlijk?", "Ik help u de juiste plek te vinden"),
        ("so what sort of things are you able to help with?", "I help you find the right place"),
    ],
)
def test_what_can_you_do_gets_what_wegwijzer_helps_with_and_how_to_ask(stack, message, expected) -> None:  # type: ignore[no-untyped-def]
    answer = Conversation(stack, gemeente="heerhugowaard", role="inwoner", lang="nl").say(message)
    assert expected in answer.text, answer.text
    assert not answer.buttons, "a list of what it helps with, not a choice between places"


@pytest.mark.parametrize(
    ("word", "place"),
    [("schulden", "Loket Schulddienstverlening"), ("mantelzorg", "Mantelzorgondersteuning"), ("eenzaam", "Welzijn")],
)
def test_a_one_word_topic_gets_its_place_never_a_goodbye(stack, word, place) -> None:  # type: ignore[no-untyped-def]
    answer = Conversation(stack, gemeente="purmerend", role="inwoner", lang="nl").say(word)
    assert place in answer.text, answer.text
    assert "Dag!" not in answer.text and "Hallo" not in answer.text, answer.text


def test_a_need_the_framework_never_names_gets_the_front_door_then_the_national_service(stack) -> None:  # type: ignore[no-untyped-def]
    answer = Conversation(stack, gemeente="leiderdorp", role="inwoner", lang="nl").say(
        "ik drink al een paar jaar veel te veel bier en wil er nu echt vanaf, maar waar begin ik?"
    )
    text = answer.text
    assert "leiderdorp.nl" in text and "huisarts" in text, text
    assert text.index("leiderdorp.nl") < text.index("Daarnaast kan dit helpen"), "the front door comes first"
    assert not any(b.payload.startswith("/choose") for b in answer.buttons), "no choice between unrelated places"


def test_a_national_service_comes_after_the_local_place_or_the_front_door(stack) -> None:  # type: ignore[no-untyped-def]
    answer = Conversation(stack, gemeente="purmerend", role="inwoner", lang="nl").say(
        "ik ben 13 en thuis maken mijn ouders steeds ruzie, ik wil er met iemand over praten zonder mijn naam"
    )
    text = answer.text
    assert "De Kindertelefoon" in text and "0800-0432" in text, text
    national = text.index("Daarnaast kan dit helpen: De Kindertelefoon")
    local = [text.find(marker) for marker in ("U kunt terecht bij", "(0299) 452 452")]
    assert any(0 <= at < national for at in local), "the gemeente's place or its front door comes first"


def test_a_crisis_gets_its_lines_and_never_a_national_service_in_their_place(stack) -> None:  # type: ignore[no-untyped-def]
    answer = Conversation(stack, gemeente="leiderdorp", role="inwoner", lang="nl").say(
        "ik wil er niet meer zijn, ik heb de pillen al klaarliggen"
    )
    assert "113" in answer.text, answer.text
    assert "Daarnaast kan dit helpen" not in answer.text, answer.text
