"""End-to-end conversations through the real Rasa server (REST channel) and our action server."""

from __future__ import annotations

import json
import uuid

import pytest

from tests.conftest import EVAL_DIR
from wegwijzer.chat import ChatAnswer
from wegwijzer.evaluation.dataset import load_cases
from wegwijzer.evaluation.dialogue import evaluate
from wegwijzer.evaluation.rasa_rest import send

pytestmark = pytest.mark.slow


class Conversation:
    def __init__(self, stack, **metadata: str) -> None:  # type: ignore[no-untyped-def]
        self.url = f"http://127.0.0.1:{stack.ports.rasa}/webhooks/rest/webhook"
        self.sender = f"test-{uuid.uuid4().hex[:10]}"
        self.metadata = metadata

    def say(self, message: str, **metadata: str) -> ChatAnswer:
        return send(message, self.sender, {**self.metadata, **metadata}, self.url)


def test_opening_without_gemeente_asks_with_buttons_and_answers_after_the_choice(stack) -> None:  # type: ignore[no-untyped-def]
    chat = Conversation(stack, role="inwoner", lang="nl")
    first = chat.say("ik zorg voor mijn moeder en ben op")
    assert "chatbot" in first.text and "In welke gemeente woont u?" in first.text
    button = next(b for b in first.buttons if b.title == "Purmerend")
    second = chat.say(button.payload)
    assert "Mantelzorgondersteuning" in second.text
    assert second.sources and second.sources[0].gemeente == "purmerend"


def test_follow_up_keeps_the_place_and_gemeente_switch(stack) -> None:  # type: ignore[no-untyped-def]
    chat = Conversation(stack, gemeente="purmerend", role="inwoner", lang="nl")
    assert "Loket Schulddienstverlening" in chat.say("ik heb schulden en weet niet waar ik moet beginnen").text
    contact = chat.say("hoe bereik ik ze?")
    assert "Loket Schulddienstverlening" in contact.text and "(0299) 452 452" in contact.text
    moved = chat.say("ik woon eigenlijk in Leiderdorp", gemeente="purmerend")
    assert "Leiderdorp" in moved.text and "Schulddienstverlening" not in moved.text


def test_clarification_button_gives_the_place(stack) -> None:  # type: ignore[no-untyped-def]
    chat = Conversation(stack, gemeente="purmerend", role="inwoner", lang="nl")
    payload = '/choose{"place": "purmerend-cjg"}'
    answer = chat.say(payload)
    assert "Centrum voor Jeugd en Gezin" in answer.text
    assert any(b.payload == "/feedback_helped" for b in answer.buttons)
    thanks = chat.say("/feedback_helped")
    assert "Dank u" in thanks.text


def test_crisis_in_the_middle_of_another_topic_comes_first(stack) -> None:  # type: ignore[no-untyped-def]
    chat = Conversation(stack, gemeente="purmerend", role="inwoner", lang="nl")
    chat.say("ik kan de huur niet meer betalen")
    turn = chat.say("en eigenlijk wil ik gewoon niet meer leven")
    assert turn.crisis
    assert turn.replies[0].text.startswith("Denkt u aan zelfdoding?") and "0800-0113" in turn.replies[0].text


def test_a_person_at_any_moment_and_the_callback_form(stack) -> None:  # type: ignore[no-untyped-def]
    chat = Conversation(stack, gemeente="purmerend", role="inwoner", lang="nl")
    chat.say("ik heb hulp nodig bij de opvoeding van mijn zoon")
    turn = chat.say("ik wil iemand spreken")
    assert "(0299) 452 452" in turn.text
    yes = next(b for b in turn.buttons if b.payload == "/affirm")
    # The link reaches the channel through Rasa, to this stack's own form.
    assert yes.url == f"http://127.0.0.1:{stack.ports.api}/terugbellen?gemeente=purmerend&lang=nl"
    form = chat.say(yes.payload)
    assert "/terugbellen?gemeente=purmerend" in form.text


def test_language_switch_mid_conversation(stack) -> None:  # type: ignore[no-untyped-def]
    chat = Conversation(stack, gemeente="leiderdorp", role="inwoner", lang="nl")
    assert "U kunt terecht bij" in chat.say("ik voel me eenzaam en wil graag mensen ontmoeten").text
    english = chat.say("sorry, can you tell me in English where I can meet people?")
    assert "You can go to" in english.text


def test_out_of_scope_and_smalltalk_through_rasa_nlu(stack) -> None:  # type: ignore[no-untyped-def]
    chat = Conversation(stack, gemeente="purmerend", role="inwoner", lang="nl")
    waste = chat.say("wanneer wordt het grofvuil bij mij opgehaald?")
    assert "(0299) 452 452" in waste.text and "Schulddienstverlening" not in waste.text
    assert "chatbot" in Conversation(stack, gemeente="purmerend", lang="nl").say("ben jij een robot?").text


# The floors on the dev set, through the whole stack (docs/dialogue.md). Reached in session 4:
# route+info 0.956 (43/45), crisis, out of scope and small talk 1.0.
REACHED = {"route+info": 0.95, "crisis": 1.0, "out_of_scope": 0.9, "smalltalk": 0.95}


def test_dev_set_first_replies_through_the_stack(stack) -> None:  # type: ignore[no-untyped-def]
    url = f"http://127.0.0.1:{stack.ports.rasa}/webhooks/rest/webhook"
    summary = evaluate(load_cases(EVAL_DIR / "dev.yaml"), url)
    print(json.dumps(summary["floors"], indent=2))
    for name, floor in REACHED.items():
        assert summary["floors"][name]["score"] >= floor, (name, summary["failures"])


def test_records_keep_the_turn_redacted_and_rasa_never_stores_the_raw_number(stack) -> None:  # type: ignore[no-untyped-def]
    import sqlite3

    chat = Conversation(stack, gemeente="purmerend", role="inwoner", lang="nl")
    turn = chat.say("bel me op 06-12345678, ik kan de huur niet meer betalen")
    assert "persoonlijk gegeven" in turn.text and "Loket Schulddienstverlening" in turn.text
    chat.say("/feedback_helped")
    with sqlite3.connect(stack.database) as db:
        questions = [row[0] for row in db.execute("SELECT question FROM wegwijzer_turns")]
        rasa_events = " ".join(row[0] for row in db.execute("SELECT data FROM events"))
        helped = db.execute("SELECT count(*) FROM wegwijzer_feedback WHERE helped").fetchone()[0]
    assert any("[telefoonnummer]" in q and "huur" in q for q in questions)
    assert not any("12345678" in q for q in questions)
    assert "12345678" not in rasa_events and "[telefoonnummer]" in rasa_events
    assert helped >= 1
