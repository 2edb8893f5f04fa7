"""Shared pieces of the Telegram tests: constants, an assistant double, the real searcher, helpers.

The fixtures are in tests/telegram_fake/fixtures.py (a pytest plugin the test modules name)."""

from __future__ import annotations

import functools
from collections.abc import Callable
from typing import Any

from telegram import Update
from telegram.ext import Application

from connectors.telegram.application import build_application
from connectors.telegram.gemeenten import GemeenteDirectory
from connectors.telegram.protocols import PassageSearcher
from connectors.telegram.settings import TelegramSettings
from connectors.telegram.store import MemoryGemeenteStore
from tests.telegram_fake.bot_api import FakeBotApi
from wegwijzer.chat import Button, ChatAnswer, ChatRequest, Reply, Source

TOKEN = "123456789:TEST-token_for-the-fake-api"
SECRET = "webhook-secret_42"
PRO = 111_111  # an allow-listed professional
PRO2 = 222_222
OUTSIDER = 999_999  # not on the list
LONG_PAYLOAD = '/choose{"place":"purmerend-schulddienstverlening","reason":"huurachterstand en energieschuld"}'


class AssistantDouble:
    """Implements the chat protocol for unit scope: records requests, answers from a script."""

    def __init__(self, script: Callable[[ChatRequest], ChatAnswer] | None = None) -> None:
        self.requests: list[ChatRequest] = []
        self.script = script or default_script

    async def chat(self, request: ChatRequest) -> ChatAnswer:
        self.requests.append(request)
        return self.script(request)


def default_script(request: ChatRequest) -> ChatAnswer:
    if request.message.startswith("/choose"):
        return ChatAnswer(
            request.session_id,
            replies=[Reply("Het Loket Schulddienstverlening helpt bij schulden. Bel (0299) 452 452.")],
            sources=[
                Source(
                    "Programmadoelen 2023",
                    "Schulden > Loket",
                    request.gemeente or "",
                    2023,
                    "We bieden binnen het Loket Schulddienstverlening een integraal aanbod.",
                )
            ],
        )
    return ChatAnswer(
        request.session_id,
        replies=[
            Reply(
                "Gaat het om schulden <of> om de huur & energie?",
                buttons=(Button("Schulden", LONG_PAYLOAD), Button("Huur & energie", "/inform_huur")),
            )
        ],
    )


@functools.cache
def directory() -> GemeenteDirectory:
    return GemeenteDirectory.load()


@functools.cache
def real_searcher() -> PassageSearcher:
    from wegwijzer.search_loader import open_searcher

    return open_searcher()


def settings_for(fake: FakeBotApi, allowed: tuple[int, ...] = (PRO, PRO2)) -> TelegramSettings:
    return TelegramSettings(token=TOKEN, allowed_ids=frozenset(allowed), secret=SECRET, base_url=fake.url)


def make_app(fake: FakeBotApi, assistant: Any, *, polling: bool = False) -> Application:  # type: ignore[type-arg]
    return build_application(
        settings_for(fake),
        assistant,
        searcher_factory=real_searcher,
        directory=directory(),
        store=MemoryGemeenteStore(),
        polling=polling,
        preload_index=False,
    )


async def feed(app: Application, update: dict[str, Any]) -> None:  # type: ignore[type-arg]
    """Hand one update to the bot the way the webhook and the poller do, and wait until it is handled."""
    await app.process_update(Update.de_json(update, app.bot))
