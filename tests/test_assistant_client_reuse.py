"""AssistantClient keeps one httpx.AsyncClient for all turns (one SSL context, one connection pool),
makes a fresh one in another event loop or after closing, and the API closes it on shutdown."""

from __future__ import annotations

import asyncio
from collections.abc import Iterator
from types import SimpleNamespace

import httpx
import pytest
from fastapi.testclient import TestClient

import connectors.api.state as api_state
from connectors.api.app import create_app
from connectors.assistant_client import HEALTH_TIMEOUT_S, AssistantClient
from tests.conftest import KNOWLEDGE
from wegwijzer.chat import ChatRequest
from wegwijzer.knowledge import load_knowledge
from wegwijzer.search_loader import SearchLoader

KB = load_knowledge(KNOWLEDGE)
REQUEST = ChatRequest(session_id="s1", message="ik kan de huur niet betalen", gemeente="purmerend", lang="nl")


def rasa(request: httpx.Request) -> httpx.Response:
    if request.url.path == "/webhooks/rest/webhook":
        return httpx.Response(200, json=[{"recipient_id": "s1", "text": "Hallo"}])
    if request.url.path == "/":
        return httpx.Response(200, text="Hello from Rasa: 3.6.21")
    return httpx.Response(200, json={"status": "ok", "version": "test"})


class CountingAssistant(AssistantClient):
    """Records every httpx client it makes."""

    def __init__(self, transport: httpx.AsyncBaseTransport) -> None:
        super().__init__(KB, base_url="http://rasa.test", actions_url="http://actions.test", transport=transport)
        self.made: list[httpx.AsyncClient] = []

    def _new_client(self) -> httpx.AsyncClient:
        client = super()._new_client()
        self.made.append(client)
        return client


@pytest.fixture
def assistant() -> CountingAssistant:
    return CountingAssistant(httpx.MockTransport(rasa))


def test_one_client_serves_every_turn_and_health_probe(assistant: CountingAssistant) -> None:
    async def conversation() -> None:
        for _ in range(3):
            assert (await assistant.chat(REQUEST)).text == "Hallo"
        health = await assistant.health()
        assert health["rasa"]["version"] == "3.6.21" and health["action_server"]["status"] == "ok"
        await asyncio.gather(*(assistant.chat(REQUEST) for _ in range(5)))

    asyncio.run(conversation())
    assert len(assistant.made) == 1


def test_the_timeouts_are_per_request_chat_versus_health(assistant: CountingAssistant) -> None:
    seen: dict[str, float | None] = {}

    def handler(request: httpx.Request) -> httpx.Response:
        seen[request.url.path] = request.extensions["timeout"]["read"]
        return rasa(request)

    assistant._transport = httpx.MockTransport(handler)

    async def turn_and_probe() -> None:
        await assistant.chat(REQUEST)
        await assistant.health()

    asyncio.run(turn_and_probe())
    assert seen["/webhooks/rest/webhook"] == assistant.timeout
    assert seen["/"] == seen["/health"] == HEALTH_TIMEOUT_S


def test_a_client_of_a_closed_event_loop_is_not_reused(assistant: CountingAssistant) -> None:
    assert asyncio.run(assistant.chat(REQUEST)).text == "Hallo"
    assert asyncio.run(assistant.chat(REQUEST)).text == "Hallo"  # a new loop: a fresh client, no error
    assert len(assistant.made) == 2


def test_aclose_closes_the_client_and_a_later_turn_makes_a_new_one(assistant: CountingAssistant) -> None:
    async def close_then_talk() -> None:
        await assistant.chat(REQUEST)
        await assistant.aclose()
        assert assistant.made[0].is_closed
        await assistant.aclose()  # twice is fine
        assert (await assistant.chat(REQUEST)).text == "Hallo"

    asyncio.run(close_then_talk())
    assert len(assistant.made) == 2 and not assistant.made[1].is_closed


@pytest.fixture
def no_index(monkeypatch: pytest.MonkeyPatch) -> Iterator[None]:
    """The API's lifespan starts loading the index; these tests need no index (and no models)."""

    empty = SearchLoader(lambda: SimpleNamespace(searcher=None, detector=None, listing=None))  # type: ignore[arg-type,return-value]
    monkeypatch.setattr(api_state, "process_loader", lambda: empty)
    yield


def chat_json() -> dict[str, str]:
    return {"session_id": "sessie-0001", "message": "ik kan de huur niet betalen", "gemeente": "purmerend"}


@pytest.mark.usefixtures("no_index")
def test_the_api_reuses_one_client_and_closes_it_on_shutdown(assistant: CountingAssistant) -> None:
    app = create_app(knowledge=KB, assistant=assistant)
    with TestClient(app) as api:
        for _ in range(3):
            response = api.post("/api/chat", json=chat_json())
            assert response.status_code == 200 and response.json()["degraded"] is False, response.text
        assert len(assistant.made) == 1 and not assistant.made[0].is_closed
    assert assistant.made[0].is_closed
    with TestClient(app) as api:  # started again (another event loop): a fresh client, closed again
        assert api.post("/api/chat", json=chat_json()).json()["degraded"] is False
    assert len(assistant.made) == 2 and assistant.made[1].is_closed
