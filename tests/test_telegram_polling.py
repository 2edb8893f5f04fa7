"""Polling mode (development): the bot fetches updates with getUpdates from the fake Bot API."""

# ruff: noqa: F811  (the fixtures imported from tests.telegram_fake.fixtures are parameters of the tests)

from __future__ import annotations

import asyncio

import pytest

from connectors.telegram.application import ALLOWED_UPDATES
from connectors.telegram.polling import poll_until
from tests.telegram_fake.bot_api import FakeBotApi, parse_telegram_html
from tests.telegram_fake.fixtures import fake  # noqa: F401  (fixtures)
from tests.telegram_fake.support import PRO, AssistantDouble, make_app


@pytest.fixture(scope="module")
def anyio_backend() -> str:  # python-telegram-bot runs on asyncio
    return "asyncio"


pytestmark = pytest.mark.anyio


async def test_polling_receives_an_update_and_answers(fake: FakeBotApi) -> None:
    app = make_app(fake, AssistantDouble(), polling=True)
    stop = asyncio.Event()
    task = asyncio.create_task(poll_until(app, stop))
    try:
        fake.push_update(fake.message_update(PRO, "/help"))
        await asyncio.to_thread(fake.wait_for, lambda f: len(f.sent(PRO)) == 1)
    finally:
        stop.set()
        await asyncio.wait_for(task, 20)
    assert "/zoek <vraag>" in parse_telegram_html(fake.sent(PRO)[0].text)
    assert fake.calls_of("deleteWebhook"), "polling removes a webhook first"
    polls = fake.calls_of("getUpdates")
    assert polls and polls[0].json("allowed_updates") == ALLOWED_UPDATES
    confirmed = [int(c.params.get("offset") or 0) for c in polls]
    assert max(confirmed) >= 2, "the update was confirmed with the next offset"
    assert fake.errors() == []
