"""AssistantClient: Rasa's REST output mapped to ChatAnswer, and an honest degraded answer on any failure."""

from __future__ import annotations

import asyncio
import json

import httpx
import pytest

from connectors.assistant_client import AssistantClient
from tests.conftest import KNOWLEDGE
from wegwijzer.chat import Button, ChatRequest, Source, answer_from_rasa
from wegwijzer.knowledge import load_knowledge
from wegwijzer.privacy.keys import TOKEN_HEADER, rasa_sender

KB = load_knowledge(KNOWLEDGE)
REQUEST = ChatRequest(session_id="s1", message="ik kan de huur niet betalen", gemeente="purmerend", lang="nl")


def client(handler) -> AssistantClient:  # type: ignore[no-untyped-def]
    transport = httpx.MockTransport(handler)
    return AssistantClient(
        KB, base_url="http://rasa.test", transport=transport, timeout=1.0, token="het-token", sender_key=b"sleutel"
    )


def test_rasa_messages_become_replies_buttons_and_sources() -> None:
    answer = answer_from_rasa(
        "s1",
        [
            {"recipient_id": "s1", "text": "Kies een plek.", "buttons": [{"title": "Loket", "payload": "/choose"}]},
            {"recipient_id": "s1", "text": "Nog iets."},
            {
                "recipient_id": "s1",
                "custom": {
                    "wegwijzer": {
                        "sources": [{"document": "Doc", "section": "A > B", "gemeente": "purmerend", "year": 2023}],
                        "crisis": True,
                    }
                },
            },
        ],
    )
    assert answer is not None
    assert [r.text for r in answer.replies] == ["Kies een plek.", "Nog iets."]
    assert answer.replies[0].buttons == (Button("Loket", "/choose"),)
    assert answer.sources == [Source("Doc", "A > B", "purmerend", 2023)]
    assert answer.crisis and not answer.degraded


def test_the_request_carries_the_token_the_keyed_session_message_and_metadata() -> None:
    seen: list[dict[str, object]] = []

    def handler(request: httpx.Request) -> httpx.Response:
        assert request.headers[TOKEN_HEADER] == "het-token"
        seen.append(json.loads(request.content))
        return httpx.Response(200, json=[{"recipient_id": "s1", "text": "Hallo"}])

    answer = asyncio.run(client(handler).chat(REQUEST))
    assert answer.text == "Hallo" and not answer.degraded and answer.session_id == "s1"
    assert seen == [
        {
            "sender": rasa_sender("s1", b"sleutel"),
            "message": "ik kan de huur niet betalen",
            "metadata": {"role": "inwoner", "gemeente": "purmerend", "lang": "nl"},
        }
    ]


@pytest.mark.parametrize(
    "handler",
    [
        lambda r: httpx.Response(500, text="boom"),
        lambda r: httpx.Response(200, json=[]),
        lambda r: httpx.Response(200, text="not json"),
        lambda r: (_ for _ in ()).throw(httpx.ConnectError("down")),
        lambda r: (_ for _ in ()).throw(httpx.ReadTimeout("slow")),
    ],
    ids=["500", "nothing", "not-json", "down", "timeout"],
)
def test_every_failure_gives_the_degraded_answer_with_the_general_contact(handler) -> None:  # type: ignore[no-untyped-def]
    answer = asyncio.run(client(handler).chat(REQUEST))
    assert answer.degraded and answer.session_id == "s1"
    assert "(0299) 452 452" in answer.text
    assert not answer.crisis


def test_the_degraded_answer_puts_the_crisis_lines_first() -> None:
    def down(request: httpx.Request) -> httpx.Response:
        raise httpx.ConnectError("down")

    request = ChatRequest(session_id="s2", message="ik wil niet meer leven", gemeente="purmerend")
    answer = asyncio.run(client(down).chat(request))
    assert answer.degraded and answer.crisis
    assert "113" in answer.replies[0].text
    assert "(0299) 452 452" in answer.replies[-1].text


def test_health_names_rasa_and_the_action_server() -> None:
    def handler(request: httpx.Request) -> httpx.Response:
        if request.url.path == "/":
            return httpx.Response(200, text="Hello from Rasa: 3.6.21")
        return httpx.Response(200, json={"status": "degraded", "index": "index niet geladen"})

    state = asyncio.run(client(handler).health())
    assert state["rasa"]["status"] == "ok" and state["rasa"]["version"] == "3.6.21"
    assert state["action_server"]["status"] == "degraded"


def test_the_simpler_versions_travel_with_their_turn_and_never_land_on_another_reply() -> None:
    """The action server sends one simpler text per reply in the turn's custom message (null: none)."""
    facts = {"sources": [], "crisis": False, "lang": "nl", "simple": ["Kies een plek. Simpel.", None]}
    answer = answer_from_rasa(
        "s1",
        [
            {"recipient_id": "s1", "text": "Kies een plek."},
            {"recipient_id": "s1", "text": "Nog iets."},
            {"recipient_id": "s1", "custom": {"wegwijzer": facts}},
        ],
    )
    assert answer is not None
    assert [r.simple for r in answer.replies] == ["Kies een plek. Simpel.", None]
    miscounted = {**facts, "simple": ["Een.", "Twee.", "Drie."]}
    answer = answer_from_rasa(
        "s1", [{"recipient_id": "s1", "text": "Kies."}, {"recipient_id": "s1", "custom": {"wegwijzer": miscounted}}]
    )
    assert answer is not None and answer.replies[0].simple is None


def test_the_action_server_sends_the_simpler_version_of_each_reply() -> None:
    from wegwijzer.actions.server import _responses
    from wegwijzer.chat import Reply
    from wegwijzer.dialogue.outcome import Outcome

    outcome = Outcome(replies=[Reply("U kunt terecht bij X.", simple="U kunt naar X."), Reply("Nog iets.")])
    responses = _responses(outcome)
    assert [r.get("text") for r in responses[:2]] == ["U kunt terecht bij X.", "Nog iets."]
    assert responses[-1]["custom"]["wegwijzer"]["simple"] == ["U kunt naar X.", None]
    answer = answer_from_rasa("s1", [{"recipient_id": "s1", **r} for r in responses])
    assert answer is not None and [r.simple for r in answer.replies] == ["U kunt naar X.", None]
