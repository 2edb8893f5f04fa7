"""Webhook mode over real HTTP: Telegram (the test) posts updates to our FastAPI router served by
uvicorn; the bot answers through the fake Bot API. The secret token is checked on every update."""

# ruff: noqa: F811  (the fixtures imported from tests.telegram_fake.fixtures are parameters of the tests)

from __future__ import annotations

import socket
import threading
import time
from collections.abc import AsyncIterator, Iterator
from contextlib import asynccontextmanager
from types import SimpleNamespace

import httpx
import pytest
import uvicorn
from fastapi import FastAPI

from connectors.telegram.bridge import ApiStateBridge
from connectors.telegram.gemeenten import GemeenteDirectory
from connectors.telegram.settings import TelegramSettings
from connectors.telegram.store import MemoryGemeenteStore
from connectors.telegram.webhook import SECRET_HEADER, WEBHOOK_PATH, telegram_router
from index.search import SearchResult
from tests.telegram_fake.bot_api import FakeBotApi, parse_telegram_html
from tests.telegram_fake.fixtures import assistant, fake  # noqa: F401  (fixtures)
from tests.telegram_fake.support import PRO, SECRET, TOKEN, AssistantDouble, directory, settings_for
from wegwijzer.settings import SettingsError


class Server:
    def __init__(self, app: FastAPI) -> None:
        self.sock = socket.socket(socket.AF_INET, socket.SOCK_STREAM)
        self.sock.setsockopt(socket.SOL_SOCKET, socket.SO_REUSEADDR, 1)
        self.sock.bind(("127.0.0.1", 0))
        self.url = f"http://127.0.0.1:{self.sock.getsockname()[1]}"
        self.server = uvicorn.Server(uvicorn.Config(app, log_level="warning", lifespan="on"))
        self.thread = threading.Thread(target=self.server.run, kwargs={"sockets": [self.sock]}, daemon=True)

    def __enter__(self) -> Server:
        self.thread.start()
        deadline = time.monotonic() + 20
        while not self.server.started:
            assert self.thread.is_alive() and time.monotonic() < deadline, "uvicorn did not start"
            time.sleep(0.02)
        return self

    def __exit__(self, *exc: object) -> None:
        self.server.should_exit = True
        self.thread.join(timeout=20)
        self.sock.close()


@pytest.fixture
def server(fake: FakeBotApi, assistant: AssistantDouble) -> Iterator[Server]:
    app = FastAPI()
    app.include_router(
        telegram_router(
            settings_for(fake),
            assistant,
            directory=directory(),
            store=MemoryGemeenteStore(),
            preload_index=False,
        )
    )
    with Server(app) as running:
        yield running


def post(server: Server, update: dict, secret: str | None = SECRET) -> httpx.Response:
    headers = {SECRET_HEADER: secret} if secret is not None else {}
    return httpx.post(server.url + WEBHOOK_PATH, json=update, headers=headers, timeout=10)


def test_start_up_registers_the_command_menu(server: Server, fake: FakeBotApi) -> None:
    fake.wait_for(lambda f: bool(f.calls_of("setMyCommands")))
    [menu] = fake.calls_of("setMyCommands")
    assert [c["command"] for c in menu.json("commands")] == ["start", "help", "gemeente", "zoek", "privacy"]


def test_missing_or_wrong_secret_gets_403_and_nothing_is_processed(
    server: Server, fake: FakeBotApi, assistant: AssistantDouble
) -> None:
    fake.wait_for(lambda f: bool(f.calls_of("setMyCommands")))
    fake.clear()
    update = fake.message_update(PRO, "/start")
    for secret in (None, "", "wrong-secret", SECRET + "x", SECRET.upper()):
        response = post(server, update, secret)
        assert response.status_code == 403, secret
        assert "geheim" in response.json()["detail"]
    time.sleep(0.5)  # give a wrongly queued update every chance to show up
    assert fake.calls == []
    assert assistant.requests == []


def test_right_secret_is_accepted_and_the_conversation_runs(
    server: Server, fake: FakeBotApi, assistant: AssistantDouble
) -> None:
    assert post(server, fake.message_update(PRO, "/gemeente purmerend")).status_code == 200
    fake.wait_for(lambda f: len(f.sent(PRO)) == 1)
    assert post(server, fake.message_update(PRO, "gezin met schulden")).status_code == 200
    fake.wait_for(lambda f: len(f.sent(PRO)) == 2)
    question = fake.sent(PRO)[1]
    data = question.keyboard[0][0]["callback_data"]
    assert post(server, fake.callback_update(PRO, data, fake.last_message_id())).status_code == 200
    fake.wait_for(lambda f: len(f.sent(PRO)) == 3)
    assert assistant.requests[0].message == "gezin met schulden"
    assert assistant.requests[1].message.startswith("/choose")
    assert "Bron: Programmadoelen 2023" in parse_telegram_html(fake.sent(PRO)[2].text)
    assert fake.calls_of("answerCallbackQuery")
    assert fake.errors() == []


def test_not_an_update_gets_400(server: Server) -> None:
    response = httpx.post(server.url + WEBHOOK_PATH, content=b"{not json", headers={SECRET_HEADER: SECRET}, timeout=10)
    assert response.status_code == 400
    assert post(server, {"hello": "world"}).status_code == 400


def test_router_needs_a_secret() -> None:
    settings = TelegramSettings(token=TOKEN, allowed_ids=frozenset({PRO}), secret=None)
    with pytest.raises(SettingsError, match="WEGWIJZER_TELEGRAM_SECRET"):
        telegram_router(settings, AssistantDouble(), directory=GemeenteDirectory.of([]))


class StubSearch:
    def __init__(self) -> None:
        self.queries: list[tuple[str, str, int, int]] = []

    async def search(self, query: str, gemeente: str, k: int, services: int) -> SearchResult:
        self.queries.append((query, gemeente, k, services))
        return SearchResult(query=query, gemeente=gemeente)


def test_api_app_shares_its_state_through_the_bridge(fake: FakeBotApi) -> None:
    """The way the API mounts the router: routers first, its state made later in its own lifespan."""
    assistant, search = AssistantDouble(), StubSearch()

    @asynccontextmanager
    async def lifespan(app: FastAPI) -> AsyncIterator[None]:
        app.state.wegwijzer = SimpleNamespace(assistant=assistant, searcher=search)
        yield

    app = FastAPI(lifespan=lifespan)
    bridge = ApiStateBridge(lambda: app.state.wegwijzer)
    router = telegram_router(settings_for(fake), bridge, search=bridge, directory=directory())
    app.include_router(router)
    with Server(app) as server:
        for n, text in enumerate(("/gemeente leiderdorp", "/zoek mantelzorg", "waar kan een mantelzorger terecht?")):
            assert post(server, fake.message_update(PRO, text)).status_code == 200
            fake.wait_for(lambda f, n=n: len(f.sent(PRO)) == n + 1)
    assert search.queries == [("mantelzorg", "leiderdorp", 3, 3)]
    assert [(r.message, r.gemeente, r.role) for r in assistant.requests] == [
        ("waar kan een mantelzorger terecht?", "leiderdorp", "professional")
    ]
    assert "Ik vond niets in de teksten van Leiderdorp" in parse_telegram_html(fake.sent(PRO)[1].text)
