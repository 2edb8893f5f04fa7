"""Fixtures of the Telegram tests (used as a plugin: pytest_plugins = ["tests.telegram_fake.fixtures"])."""

from __future__ import annotations

from collections.abc import AsyncIterator, Iterator

import pytest
from telegram.ext import Application

from tests.telegram_fake.bot_api import FakeBotApi
from tests.telegram_fake.support import TOKEN, AssistantDouble, make_app


@pytest.fixture
def fake() -> Iterator[FakeBotApi]:
    api = FakeBotApi(TOKEN).start()
    yield api
    api.stop()


@pytest.fixture
def assistant() -> AssistantDouble:
    return AssistantDouble()


@pytest.fixture
async def app(fake: FakeBotApi, assistant: AssistantDouble) -> AsyncIterator[Application]:  # type: ignore[type-arg]
    application = make_app(fake, assistant)
    await application.initialize()  # getMe against the fake
    yield application
    await application.shutdown()
